/* informe_datos.h -- the dataset a year's reports are built from.
 *
 * One JSON document (format version 1) holding the year's totals (every
 * filter, dimension and value of `totales`), the per-year summary up to that
 * year, example challenges quoted from the fichas per category, and the
 * provenance (data cut-off, taxonomy, classifier versions). `pmm cierre`
 * freezes it; `pmm informe` renders it, live or from the frozen copy, so both
 * paths render exactly the same kind of input.
 *
 *   {"formato":1, "ejercicio":Y, "corte":"…", "taxonomia":"…",
 *    "clasificador":"…", "pendientes": N,
 *    "totales": {"<filtro>": {"<dimension>": {"<valor>":
 *                 {"fichas":n,"acciones":n,"personas":n,"mujeres":n,"hombres":n}}}},
 *    "anual": [{"ejercicio":y,"fichas":n,"dependencias":n,"entidades":n}, …],
 *    "retos_ejemplos": {"<categoria>": ["texto", …]}}
 */
#ifndef PMM_INFORME_DATOS_H
#define PMM_INFORME_DATOS_H

#include <jansson.h>
#include <libpq-fe.h>

#include "error.h"

#define INFORME_DATOS_FORMATO 1
#define INFORME_EJEMPLOS_RETO 3

/* Builds the dataset from the live tables, in one REPEATABLE READ
 * transaction so every part is from the same instant. */
json_t *informe_datos_build(PGconn *db, int ejercicio, pmm_error *err);

/* Canonical text (sorted keys, compact) and its SHA-256 in hex. The text
 * is malloc'd; free it. */
char *informe_datos_canonical(const json_t *datos, char hash_hex[65]);

/* The latest frozen dataset of a year (pmm cierre), or NULL with err (regla
 * "sin_cierre" when the year was never closed). */
json_t *informe_datos_cierre(PGconn *db, int ejercicio, char hash_hex[65],
                             pmm_error *err);

/* Accessors: the totals cell, or 0 when absent. */
long long informe_datos_celda(const json_t *datos, const char *filtro,
                              const char *dimension, const char *valor,
                              const char *medida);

#endif
