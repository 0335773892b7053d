/* idem.h -- what a submission does to the stored versions of its clave.
 *
 * Pure decision (no I/O), so every case is unit-tested:
 *   no version yet          -> NEW version 1 (refused if it names reemplaza)
 *   same content as current -> REPEAT: the original receipt is sent again
 *   other content, no reemplaza          -> CONFLICT
 *   other content, reemplaza != current  -> STALE (names the current version)
 *   other content, reemplaza == current  -> NEW version current + 1
 *   a withdrawal of a version that is a withdrawal -> WITHDRAWN (refused:
 *                                 the ficha is already out of the counts)
 * Comparing against the current version only makes a retried replacement
 * (lost receipt) a REPEAT of the version it created.
 */
#ifndef PMM_IDEM_H
#define PMM_IDEM_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"

typedef struct {
    bool exists;
    int64_t id;
    int64_t version;
    uint8_t hash[32];
    int64_t stored_us;
    bool retirada;    /* the current version is a withdrawal */
} idem_current;

typedef enum {
    IDEM_NEW,
    IDEM_REPEAT,
    IDEM_CONFLICT,
    IDEM_STALE,       /* reemplaza does not name the current version */
    IDEM_NO_VERSION,  /* reemplaza given but nothing stored yet */
    IDEM_WITHDRAWN,   /* a withdrawal of a ficha already withdrawn */
} idem_decision;

/* Returns the decision for a submission with content hash `hash` (retiro:
 * it is a withdrawal); for IDEM_NEW sets *new_version; for refusals fills
 * err with field, rule and a Spanish message. */
idem_decision idem_decide(const idem_current *cur, const uint8_t hash[32],
                          bool has_reemplaza, int64_t reemplaza, bool retiro,
                          int64_t *new_version, pmm_error *err);

#endif
