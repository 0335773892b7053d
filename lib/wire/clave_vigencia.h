/* clave_vigencia.h -- may a key still act?
 *
 * The ZAP handler checks a key once, at the handshake; a connection then
 * stays open for as long as its peer likes. Every message a daemon acts on
 * is therefore checked again: ingestd inside the transaction that stores a
 * batch (store.c, pmm_claves_no_vigentes), the other daemons through this
 * cache of the keys that may not act (revoked, or past their expiry),
 * re-read from `claves` when it is older than its refresh bound. With a
 * bound of 1,000 ms a revocation stops a daemon's work within a second;
 * clave_vigencia_check(..., force=1) reads the table first (for rare,
 * weighty commands such as a recompute).
 */
#ifndef PMM_CLAVE_VIGENCIA_H
#define PMM_CLAVE_VIGENCIA_H

#include <libpq-fe.h>

typedef struct clave_vigencia clave_vigencia;

clave_vigencia *clave_vigencia_new(int refresh_ms);
void clave_vigencia_destroy(clave_vigencia **self_p);

/* 1 when key `clave_id` may act; 0 when it may not, with *motivo set to
 * "clave_revocada", "clave_vencida" or "sin_base_de_datos" (the table could
 * not be read: refused on doubt). Keys <= 0 (local ipc clients) may act. */
int clave_vigencia_check(clave_vigencia *self, PGconn *db, long long clave_id, int force,
                         const char **motivo);

#endif
