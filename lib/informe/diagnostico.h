/* diagnostico.h -- the multi-year Diagnóstico PMM–ODS (issue 20), built from
 * one report dataset per year (informe_datos.h: live, or each year's frozen
 * close) in every format of the document model (informe_doc.h): HTML with
 * SVG charts, Markdown, CSV (every table, each row led by its table id) and
 * DOCX.
 *
 * Sections: summary per year (actions, actions with results, bodies,
 * states) with a chart; actions per PMM objective and year (the published
 * tabla_pmm) and the objectives persistently weakest (among the five with
 * fewest actions in every year, ties included, or without actions in any);
 * actions per axis and sub-topic and year, and each year's chapter table
 * (per sub-topic: actions, actions with results, the SDGs they align with);
 * SDG alignment per year (only
 * actions with results; one action may serve several SDGs and counts once
 * among the actions with results: the published tabla_ods) with the shares
 * of the whole period; bodies and states that reported every year and
 * those that reported once; programme continuity per year (where the
 * year's programmes are linked to the previous year's); a note on method. Everything printed comes from
 * the datasets, so the same closes give the same bytes. */
#ifndef PMM_INFORME_DIAGNOSTICO_H
#define PMM_INFORME_DIAGNOSTICO_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "informe.h"

/* At most this many years (the tables have a column per year). */
#define DIAGNOSTICO_MAX_ANIOS 6

/* datos[i]: the dataset of year desde + i, i < n; desde_cierre says they
 * are the years' closes (printed in the note on method). */
int informe_diagnostico(json_t *const *datos, size_t n, const informe_ref *ref,
                        informe_formato formato, bool desde_cierre, strbuf *out,
                        pmm_error *err);

#endif
