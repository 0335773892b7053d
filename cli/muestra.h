/* muestra.h -- deterministic generator of sample fichas (demos, tests,
 * benchmarks).
 *
 * Fichas follow docs/contrato-ficha.md and are built from the project's own
 * Spanish templates:
 *   data/muestra/plantillas.json  program templates, several per objective
 *   data/muestra/comunes.json     shared sentences, state units, names
 *   data/muestra/entidades.csv    states, with the participo_2022 flag
 *   data/tabla_pmm.csv            published actions per year and objective
 *   data/tabla_ods.csv            published actions with results per year
 *   data/dependencias.csv         (via refdata) to check template acronyms
 *
 * Everything random comes from a splitmix64 stream seeded by the caller and
 * held in the generator: the same seed and the same sequence of calls give
 * byte-identical fichas. Claves are unique within one generator.
 * Federal fichas name a body of tipo secretaria, desconcentrado or
 * autonomo. From 2022 on about a quarter of the fichas are estatal, from the
 * states flagged participo_2022. Contact data are fictitious (phones
 * 55 0000 xxxx, mail domains under the reserved TLD .example).
 *
 * Results: in muestra_tabla, for a year of data/tabla_ods.csv exactly
 * total_acciones fichas report figures and the others say they had no
 * results in the period (randomly chosen among the year's fichas); elsewhere
 * about 7 % of the fichas come without figures. muestra_ultima says which
 * (and the template's sub-topic): the analysts' historical decisions of the
 * sample (muestra_historia.h) follow them.
 */
#ifndef PMM_MUESTRA_H
#define PMM_MUESTRA_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define MUESTRA_PRIMER_EJERCICIO 2018

typedef struct muestra muestra;

typedef enum {
    MUESTRA_NORMAL = 0,   /* about 0.4-0.8 KB of text, 1-1.5 KB as JSON */
    MUESTRA_GRANDE = 1    /* 2-4 KB of text (several sentences per field) */
} muestra_tamano;

/* What the generator knows of a ficha beyond its JSON. */
typedef struct {
    const char *subtema;      /* its template's 2018-2022 sub-topic */
    bool con_resultados;      /* it reports results (figures) */
    bool sin_resultados;      /* it says it had no results in the period */
} muestra_meta;

/* Receives each generated ficha (a borrowed reference: json_incref it to
 * keep it). Return 0 to go on, -1 with err set to stop. */
typedef int (*muestra_fn)(void *user, json_t *ficha, pmm_error *err);

muestra *muestra_new(const char *data_dir, uint64_t seed, pmm_error *err);
void muestra_destroy(muestra **self_p);

/* One ficha for ejercicio (2018 .. current year + 1) and objective 1..23, as
 * a new reference. NULL when an argument is out of range or on OOM. */
json_t *muestra_ficha(muestra *self, int ejercicio, int objetivo,
                      muestra_tamano tam);

/* Years covered by data/tabla_pmm.csv. */
void muestra_tabla_rango(const muestra *self, int *desde, int *hasta);
/* Published count for (ejercicio, objetivo), or -1 when not in the table. */
int muestra_tabla_conteo(const muestra *self, int ejercicio, int objetivo);

/* For each year desde..hasta (all in the table) and each objective (or only
 * `objetivo` when it is 1..23; 0 = all), exactly the published number of
 * fichas, in year then objective order. */
int muestra_tabla(muestra *self, int desde, int hasta, int objetivo,
                  muestra_tamano tam, muestra_fn fn, void *user,
                  pmm_error *err);

/* n fichas: years cycle over desde..hasta; the objective is `objetivo` when
 * 1..23, otherwise drawn with weights following the published table (the
 * last table year for years past it), every objective possible. */
int muestra_lote(muestra *self, int desde, int hasta, int objetivo, size_t n,
                 muestra_tamano tam, muestra_fn fn, void *user,
                 pmm_error *err);

/* The meta of the last ficha generated (valid until the next one or
 * muestra_destroy). */
const muestra_meta *muestra_ultima(const muestra *self);

/* Bytes of free Spanish text in a ficha (programa, unidad, the description
 * texts, zona, resultados.texto, retos): what the size option controls. */
size_t muestra_texto_bytes(const json_t *ficha);

#endif
