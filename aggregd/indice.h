/* indice.h -- the search index and the proposals (duplicates within a
 * year, programme links across years), built off the receipt path.
 *
 * Every ficha queued for aggregation is also queued in cola_indexar
 * (pmm_encolar_agregacion, 016_fichas.sql). aggregd takes that queue only
 * while the pipeline is idle (nothing to classify or aggregate), one batch
 * per transaction: pmm_indexar computes each ficha's search document and
 * trigram names, then proposes duplicates and programme links. Indexing
 * costs more than storing a ficha (the Spanish text search parser reads
 * every word), so doing it at ingest would slow every receipt; deferred,
 * a ficha is searchable a moment after the pipeline goes quiet.
 */
#ifndef PMM_AGGREGD_INDICE_H
#define PMM_AGGREGD_INDICE_H

#include <libpq-fe.h>

#include "error.h"

/* 1 when nothing waits to be classified or aggregated, 0 otherwise, -1
 * with err. */
int indice_ocioso(PGconn *db, pmm_error *err);

/* Takes up to `lote` queued fichas and indexes them in one transaction.
 * Returns how many were taken off the queue (0 when empty), *indexadas the
 * fichas whose index row was written, or -1 with err. */
int indice_lote(PGconn *db, int lote, long long *indexadas, pmm_error *err);

#endif
