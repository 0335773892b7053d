/* store.h -- group commit of validated fichas.
 *
 * One transaction per batch: read the current version of every clave in the
 * batch, decide each ficha (idem.h), COPY the new versions and their contact
 * rows, COMMIT. Outcomes are filled only when the commit succeeded; a failed
 * batch leaves every item undecided and the caller retries it whole (a
 * unique violation means a concurrent collector stored the same clave first;
 * re-reading turns it into a repeat or a conflict).
 */
#ifndef PMM_INGESTD_STORE_H
#define PMM_INGESTD_STORE_H

#include <libpq-fe.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "pmm.pb-c.h"

typedef struct {
    /* input */
    const Pmm__Ficha *ficha;   /* validated and normalised; borrowed */
    char emisor[80];
    uint8_t hash[32];
    /* outcome */
    Pmm__Estado estado;
    int64_t id;
    int64_t version;
    int64_t stored_us;
    pmm_error err;             /* when estado is RECHAZADA */
} store_item;

/* Prepares item from a validated ficha (emisor, hash). */
int store_item_init(store_item *item, const Pmm__Ficha *f, pmm_error *err);

/* Stores the batch. 0: every item has its outcome. -1: nothing was stored;
 * err->regla holds the SQLSTATE (see db_retryable). */
int store_batch(PGconn *conn, store_item *items, size_t n, pmm_error *err);

#endif
