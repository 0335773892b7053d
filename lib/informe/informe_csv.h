/* informe_csv.h -- a report table as CSV: a header row with the column names,
 * then one row per table row. Numbers are plain (1065, 12.5). */
#ifndef PMM_INFORME_CSV_H
#define PMM_INFORME_CSV_H

#include <stdbool.h>

#include "informe_tabla.h"
#include "strbuf.h"

/* With con_id every row starts with the table's id (and the header with
 * "tabla"), so every table of a report can share one file. */
void informe_csv_tabla(const tabla *t, strbuf *b, bool con_id);

#endif
