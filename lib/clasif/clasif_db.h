/* clasif_db.h -- classifications in and out of PostgreSQL: a ficha row as
 * classifier input, a result as a COPY row of `clasificaciones`. Shared by
 * the classifier workers and `pmm reclasificar`. */
#ifndef PMM_CLASIF_DB_H
#define PMM_CLASIF_DB_H

#include <libpq-fe.h>
#include <stdint.h>

#include "clasificador.h"
#include "error.h"
#include "strbuf.h"

/* The columns clasif_db_entrada() expects, in order (table alias f). */
#define CLASIF_DB_COLUMNS                                                   \
    "f.id, f.programa, f.objetivo, f.poblacion_objetivo, f.resultados_texto," \
    " f.zona, f.retos, f.dependencia, f.acciones, f.personas, f.mujeres,"   \
    " f.hombres, f.objetivo_pmm"

/* Fills in from row `row` of a result selecting CLASIF_DB_COLUMNS first;
 * strings point into res. Returns the ficha id. */
int64_t clasif_db_entrada(const PGresult *res, int row, clasif_entrada *in);

/* Appends one COPY text row for `clasificaciones`, columns as in
 * CLASIF_DB_COPY. */
void clasif_db_copy_row(strbuf *b, int64_t ficha_id, const clasif_resultado *r);

#define CLASIF_DB_COPY                                                      \
    "COPY clasificaciones (ficha_id, version_clasificador, taxonomia, eje,"  \
    " subtema, subtemas, ods, metas, retos, con_resultados, confianza,"     \
    " evidencia) FROM STDIN"

#endif
