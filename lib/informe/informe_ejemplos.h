/* informe_ejemplos.h -- the examples per objective of the Informe Ejecutivo
 * (issue 26): for each PMM objective, up to n (default INFORME_EJEMPLOS_N) counted
 * fichas whose programme, body and results the report prints.
 *
 * The proposal rule (explainable, deterministic):
 *   1. candidates are the year's counted fichas of the objective;
 *   2. they are ranked by: reported results in the period (they align with
 *      an SDG), then reported figures (actions or people), then reach
 *      (people reported), then actions reported, then emisor and clave;
 *   3. slots are filled in that order, never taking a second ficha of a
 *      body (sender) while a ficha of another body remains; from the second
 *      slot on, a ficha of the other sphere (federal/state) is preferred
 *      when one of an unused body exists, so that both are represented;
 *   4. the unit may replace the proposal of an objective with its own
 *      choice (pmm informe ejemplos fijar, table informe_ejemplos, 017),
 *      which the report then prints as chosen by the unit.
 * An objective without fichas has no examples. The chosen examples go into
 * the year's dataset ("ejemplos"), so a close freezes them. */
#ifndef PMM_INFORME_EJEMPLOS_H
#define PMM_INFORME_EJEMPLOS_H

#include <jansson.h>
#include <libpq-fe.h>

#include "error.h"

/* Examples per objective: the default of [informe] ejemplos_por_objetivo,
 * and its largest value. The dataset records the number it was built with
 * ("ejemplos_por_objetivo"; absent in closes made before, meaning 2). */
#define INFORME_EJEMPLOS_N 2
#define INFORME_EJEMPLOS_MAX 5

/* Chooses up to n of candidatos (an array of objects with "emisor",
 * "clave", "ambito", "con_resultados" (bool), "acciones", "personas" (int
 * or null)) by the rule above; returns a new array of references to the
 * chosen objects, in the order chosen, or NULL when out of memory. */
json_t *informe_ejemplos_elegir(const json_t *candidatos, size_t n);

/* Adds "ejemplos": {"<objetivo>": {"fijados": bool, "fichas": [ … ]}} to
 * the dataset doc of year (inside its transaction). Each ficha: id,
 * emisor, clave, ambito, programa, acciones, personas, mujeres, hombres,
 * con_resultados, resultado (the first sentence of its results text). */
int informe_ejemplos_add(PGconn *db, json_t *doc, const char *year, int n, pmm_error *err);

#endif
