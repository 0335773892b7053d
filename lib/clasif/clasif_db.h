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

#define CLASIF_DB_NCOLS 13

/* Fills in from row `row` of a result selecting CLASIF_DB_COLUMNS first;
 * strings point into res. Returns the ficha id. */
int64_t clasif_db_entrada(const PGresult *res, int row, clasif_entrada *in);

/* Appends one COPY text row for `clasificaciones`, columns as in
 * CLASIF_DB_COPY. */
void clasif_db_copy_row(strbuf *b, int64_t ficha_id, const clasif_resultado *r);

/* Programme memory for a batch: the analysts' decisions with a sub-topic
 * of years before the batch's newest, on fichas of the batch's senders
 * (res: the batch, whose columns col_emisor and col_ejercicio hold each
 * ficha's sender and year), added to mem. Needs SELECT on decisiones and
 * fichas. Returns 0 or -1 with err. */
struct clasif_memoria;
int clasif_db_memoria(PGconn *db, const PGresult *res, int col_emisor,
                      int col_ejercicio, struct clasif_memoria *mem,
                      pmm_error *err);

/* Classifies row `row` of a batch as clasificador_classify does, then
 * applies the programme memory (the ficha's sender and year in columns
 * col_emisor and col_ejercicio). taxonomia NULL: the taxonomy of the
 * ficha's year (clasificador_taxonomia_de). */
int clasif_db_clasificar(clasificador *clf, const struct clasif_memoria *mem,
                         const PGresult *res, int row, int col_emisor,
                         int col_ejercicio, const char *taxonomia,
                         int64_t *ficha_id, clasif_resultado *out,
                         pmm_error *err);

#define CLASIF_DB_COPY                                                      \
    "COPY clasificaciones (ficha_id, version_clasificador, taxonomia, eje,"  \
    " subtema, subtemas, ods, metas, retos, con_resultados, confianza,"     \
    " evidencia) FROM STDIN"

#endif
