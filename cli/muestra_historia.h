/* muestra_historia.h -- the analysts' historical decisions of the sample
 * (issue 20): for the years of the published SDG table, which sample
 * fichas had results, their sub-topic and their SDGs, decided so that the
 * sample reproduces the Diagnóstico's two tables once the decisions are
 * loaded (`pmm muestra --tabla --decisiones FILE`, then `pmm revision
 * importar FILE`): per year and objective data/tabla_pmm.csv (the fichas
 * themselves) and per year and SDG data/tabla_ods.csv, total_acciones
 * included (the fichas with results, each once).
 *
 * The rule, per year (deterministic, from the data files):
 *   - the fichas with results are the ones the generator wrote with
 *     figures; the others (the published total less total_acciones) get
 *     con_resultados = no and no sub-topic;
 *   - sub-topics: data/muestra/ods_grupos.csv gives, per year and
 *     sub-topic, how many actions with results the year's chapter groups
 *     there and the SDGs its list names (alcance "subtema": the chapter's
 *     list for the sub-topic; "eje": given only for the whole axis;
 *     "supuesto": 2021, whose chapter the corpus lacks, the project's own
 *     assumption). Each ficha keeps its template's sub-topic while that
 *     sub-topic has room (fichas taken in an order fixed by a hash of the
 *     clave); the rest go to the sub-topic of the same axis with most room
 *     left, else to any with room;
 *   - SDGs: a minimum-cost flow (flujo.h) gives each ficha with results
 *     at least one SDG and each SDG exactly its published count. An SDG of
 *     the ficha's sub-topic list costs nothing, one of another list of the
 *     same axis that year costs more, any other SDG of the year's table
 *     most (the published table sometimes counts more actions under an SDG
 *     than its lists allow: 2020's SDGs 8 and 11); a second, third and
 *     fourth SDG on one ficha cost increasingly, so SDGs spread over fichas.
 *     A decision outside its sub-topic's list says so in its nota.
 */
#ifndef PMM_MUESTRA_HISTORIA_H
#define PMM_MUESTRA_HISTORIA_H

#include <jansson.h>
#include <stdio.h>

#include "error.h"
#include "muestra.h"

/* The provenance every decision of the sample carries. */
#define MUESTRA_PROCEDENCIA "Diagnóstico 2018-2022"

typedef struct muestra_historia muestra_historia;

/* Loads data/tabla_ods.csv, data/muestra/ods_grupos.csv and the 2018-2022
 * taxonomy; errors name the file and row. */
muestra_historia *muestra_historia_new(const char *data_dir, pmm_error *err);
void muestra_historia_destroy(muestra_historia **self_p);

/* Adds a sample ficha, in the order written, with what the generator says
 * of it (muestra_ultima). */
int muestra_historia_agregar(muestra_historia *self, const json_t *ficha,
                             const muestra_meta *meta, pmm_error *err);

/* Decides every year added that the SDG table covers and writes the
 * decisions as the CSV pmm revision importar reads (ejercicio, dependencia,
 * entidad, clave, subtema, ods, con_resultados, nota, procedencia), in the
 * order the fichas were added. Returns the number of rows, or -1 with err
 * (a year whose fichas with results do not match its published count:
 * only `pmm muestra --tabla` without --objetivo writes such a sample). */
long muestra_historia_escribir(muestra_historia *self, FILE *out, pmm_error *err);

#endif
