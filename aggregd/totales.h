/* totales.h -- keeping the totals tables right.
 *
 * totales_drain(): applies queued fichas (cola_agregar, one row per event
 * naming a ficha by id) one batch per transaction, each ficha's counted
 * contribution (`agregados`) brought to its current one (v_contribuciones,
 * 003_totales.sql): one statement stores the new contributions and returns
 * the deltas, aggregd sums them per cell (celdas.c), and one more statement
 * writes each cell once per batch. The queue rows are deleted in the same
 * transaction that updates the totals, and applying is idempotent, so a
 * replayed or lost hint never miscounts.
 * totales_recompute(): recomputes every total from the stored fichas (the
 * current contributions, expanded into cells by the same celdas.c rule),
 * compares with the maintained ones, repairs all differences and records
 * them in `recalculos`.
 */
#ifndef PMM_AGGREGD_TOTALES_H
#define PMM_AGGREGD_TOTALES_H

#include <libpq-fe.h>

#include "error.h"

/* Applies up to `batch` queued fichas. Returns how many were taken off the
 * queue (0 when empty) or -1 with err (SQLSTATE in err->regla). */
int totales_drain(PGconn *db, int batch, long long *changed, pmm_error *err);

typedef struct {
    long long fichas;        /* contributions recomputed */
    long long celdas;        /* totals cells compared */
    long long diferencias;   /* cells that differed and were repaired */
    double segundos;
    char detalle[1024];      /* a few differing cells, for the log */
} totales_informe;

int totales_recompute(PGconn *db, totales_informe *out, pmm_error *err);

#endif
