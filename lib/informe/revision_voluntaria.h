/* revision_voluntaria.h -- the Compact's voluntary national review (issue
 * 20): the structure a State uses toward the International Migration
 * Review Forum, in Spanish, modelled on Mexico's Informe Ejecutivo outline,
 * built from one report dataset per year (informe_datos.h) in every format
 * of the document model: methodology and process (how data were collected,
 * the classification method, the analysts' review); progress per objective
 * for the 23 objectives (actions per year, people reported with the split
 * by sex, the areas served most often, the challenges most reported, the
 * bodies and state governments involved); the whole-of-government view
 * (bodies and states per objective); SDG linkage; the challenges reported;
 * and conclusions and next steps left as headed, marked blanks for the
 * unit to write. The methodology gives the reporting rates of the years
 * whose call (pmm convocatoria) is recorded, and says when none is. */
#ifndef PMM_INFORME_REVISION_VOLUNTARIA_H
#define PMM_INFORME_REVISION_VOLUNTARIA_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "diagnostico.h"
#include "informe.h"

/* datos[i]: the dataset of year desde + i, i < n <= DIAGNOSTICO_MAX_ANIOS. */
int informe_revision_voluntaria(json_t *const *datos, size_t n, const informe_ref *ref,
                                informe_formato formato, bool desde_cierre, strbuf *out,
                                pmm_error *err);

#endif
