/* revision_propuesta.h -- the SDG proposal that goes with an analyst's
 * sub-topic decision (issue 23): the classifier's own rule applied to the
 * decided sub-topic, stored as decisiones.ods_propuesta and
 * metas_propuesta. Shared by pmm revision fijar and pmm revision importar. */
#ifndef PMM_CLI_REVISION_PROPUESTA_H
#define PMM_CLI_REVISION_PROPUESTA_H

#include <libpq-fe.h>

#include "clasificador.h"
#include "error.h"
#include "strbuf.h"

/* For row `row` of res (a query selecting CLASIF_DB_COLUMNS first, table
 * alias f): the SDGs ("{3,10}") into ods and the targets ("{\"3.8\"}") into
 * metas that the sub-topic gives the ficha of year ejercicio under
 * taxonomia. -1 with err when the taxonomy has no such sub-topic. */
int revision_propuesta(clasificador *clf, const PGresult *res, int row, int ejercicio,
                       const char *taxonomia, const char *subtema, strbuf *ods,
                       strbuf *metas, pmm_error *err);

#endif
