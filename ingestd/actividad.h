/* actividad.h -- each body's activity per year, kept with its fichas.
 *
 * For every (ejercicio, emisor) of the fichas a batch stores, the table
 * `actividad` (015_convocatoria.sql) counts the versions stored and keeps
 * when the latest was stored. It is written in the batch's own
 * transaction, so it never disagrees with `fichas`: a delivery followed by
 * new fichas or versions is "reopened" (pmm_seguimiento), and reading that
 * is one row per body instead of a scan of its fichas.
 */
#ifndef PMM_INGESTD_ACTIVIDAD_H
#define PMM_INGESTD_ACTIVIDAD_H

#include <libpq-fe.h>
#include <stddef.h>

#include "error.h"
#include "store.h"

/* Adds the n fresh items (versions about to be stored, in the open
 * transaction) to `actividad`, one row per (ejercicio, emisor), in one lock
 * order for every collector. Returns 0 or -1 with err (SQLSTATE in
 * err->regla, as store_batch). */
int actividad_anotar(PGconn *conn, store_item *const *fresh, size_t n, pmm_error *err);

#endif
