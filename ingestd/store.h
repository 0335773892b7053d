/* store.h -- group commit of validated fichas.
 *
 * One transaction per batch: read the current version of every clave in the
 * batch, decide each ficha (idem.h), COPY the new versions, their contact
 * rows, the classifiers' queue and one audit row per submission (refused
 * ones included), COMMIT. A withdrawal ("retirada": true) is not
 * classified: it is queued for aggregation (pmm_encolar_agregacion), which
 * takes the ficha out of the totals, and audited as `retirada` with its
 * reason; a version that replaces a withdrawal is audited as
 * `restaurada`. Outcomes are filled only when the commit succeeded; a failed
 * batch leaves every item undecided (except those refused before storing,
 * which stay refused) and the caller retries it whole (a
 * unique violation means a concurrent collector stored the same clave first;
 * re-reading turns it into a repeat or a conflict).
 */
#ifndef PMM_INGESTD_STORE_H
#define PMM_INGESTD_STORE_H

#include <libpq-fe.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "ficha.h"
#include "pmm.pb-c.h"

typedef struct {
    /* input */
    const Pmm__Ficha *ficha;   /* validated and normalised; borrowed */
    char emisor[FICHA_EMISOR_MAX];
    uint8_t hash[32];
    char identidad[128];       /* who sent it (ZAP user id or "local") */
    long long clave_id;        /* its key (claves.id), 0 for local clients */
    int predecided;            /* refused before storing: only audited */
    int denied;                /* refused for lack of permission */
    int restaura;              /* replaces a withdrawal (audited as such) */
    /* outcome */
    Pmm__Estado estado;
    int64_t id;
    int64_t version;
    int64_t stored_us;
    pmm_error err;             /* when estado is RECHAZADA */
} store_item;

/* Prepares item from a validated ficha (emisor, hash). */
int store_item_init(store_item *item, const Pmm__Ficha *f, pmm_error *err);
/* Prepares item for a ficha refused before storing (why), so that the
 * refusal is audited in the batch's transaction. */
void store_item_refused(store_item *item, const Pmm__Ficha *f, int denied,
                        const pmm_error *why);

/* Stores the batch. 0: every item has its outcome. -1: nothing was stored;
 * err->regla holds the SQLSTATE (see db_retryable). Inside the batch's
 * transaction, before anything is written, the keys of the items that came
 * with one are checked against `claves`: an item whose key was revoked or
 * has expired by then is refused (ERR_DENIED, regla clave_revocada or
 * clave_vencida) and only audited, whatever its connection's handshake
 * said. */
int store_batch(PGconn *conn, store_item *items, size_t n, pmm_error *err);

/* Records, after a stored batch, that the keys of its items were used
 * (claves.ultimo_uso, at most once a minute per key). */
int store_touch_keys(PGconn *conn, const store_item *items, size_t n, pmm_error *err);

#endif
