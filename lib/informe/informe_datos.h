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
 *    "anual": [{"ejercicio":y,"fichas":n,"dependencias":n,"entidades":n,
 *               "estatales":n,"ods_total":n,"ods":{"<ods>":n,…}}, …],
 *
 * In the cells, "fichas" is the count of fichas (the "acciones" of the
 * published tables) and "acciones", "personas", "mujeres", "hombres" are
 * the sums of the figures the fichas report (published as
 * actividades_reportadas, personas_reportadas...): the keys keep the names
 * of format 1 so that every stored close still reads. "estatales" (fichas
 * of state governments) is absent from closes made before issue 23.
 *    "retos_ejemplos": {"<categoria>": ["texto", …]},
 *    "conclusiones": {"version": n, "texto": "…"}}
 *    "continuidad": {"fichas":n,"fichas_anterior":n,"continuan":n,
 *                    "confirmadas":n,"nuevas":n,"terminadas":n},
 *    "subtemas_ods": {"<subtema>": {"fichas":n,"con_resultados":n,
 *                                   "ods": {"<ods>": n, …}}}
 *    "objetivos_detalle": {"<objetivo>": {"retos": {"<categoria>": n, …},
 *                                         "zonas": {"<zona>": n, …}}}
 * "continuidad" (programmes against the previous year) is absent from
 * closes made before issue 19, "subtemas_ods" and "objetivos_detalle"
 * (the five areas served most often per objective) from those made before
 * the Diagnóstico's chapter tables.
 * "ejemplos" (informe_ejemplos.h) holds the examples per objective.
 * "conclusiones" (the unit's own text, pmm informe conclusiones) is absent
 * when the unit wrote none, and in closes made before issue 26.
 */
#ifndef PMM_INFORME_DATOS_H
#define PMM_INFORME_DATOS_H

#include <jansson.h>
#include <libpq-fe.h>

#include "error.h"

#define INFORME_DATOS_FORMATO 1
/* Distinct quotes kept per challenge category; the report prints up to
 * INFORME_CITAS_RETO of them that no earlier category printed. */
#define INFORME_EJEMPLOS_RETO 6
#define INFORME_CITAS_RETO 3

/* Builds the dataset from the live tables, in one REPEATABLE READ
 * transaction so every part is from the same instant; ejemplos: how many
 * examples per objective the proposal takes ([informe]
 * ejemplos_por_objetivo, 1 to INFORME_EJEMPLOS_MAX). */
json_t *informe_datos_build(PGconn *db, int ejercicio, int ejemplos, pmm_error *err);

/* The Compendio's input: {"formato":1, "ejercicio":Y, "corte":"…",
 * "taxonomia":"…", "fichas":[…]} with one object per counted ficha (the
 * keys informe_compendio reads, plus "id" and "version"), in one REPEATABLE
 * READ transaction. Never contact data. */
json_t *informe_compendio_build(PGconn *db, int ejercicio, pmm_error *err);

/* Both, from the same snapshot (pmm cierre freezes the two). */
int informe_cierre_build(PGconn *db, int ejercicio, int ejemplos, json_t **datos,
                         json_t **compendio,
                         pmm_error *err);

typedef struct {
    long long id;
    char creado[64];     /* as PostgreSQL prints it */
} informe_cierre_info;

/* The Compendio of the latest close, or NULL with err (regla "sin_cierre",
 * or "cierre_antiguo" for a close made before closes kept the Compendio). */
json_t *informe_compendio_cierre(PGconn *db, int ejercicio, char hash_hex[65],
                                 informe_cierre_info *info, pmm_error *err);

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
