#include "indice.h"

#include <stdio.h>
#include <stdlib.h>

#include "db.h"

int indice_ocioso(PGconn *db, pmm_error *err)
{
    long long busy = 0;
    if (db_query_ll(db,
                    "SELECT (EXISTS (SELECT 1 FROM cola_clasificar)"
                    "     OR EXISTS (SELECT 1 FROM cola_agregar))::int",
                    &busy, err) != 0)
        return -1;
    return busy ? 0 : 1;
}

/* The claim is a materialized CTE (as in totales_drain) so that the LIMIT
 * cannot be re-run; the claimed rows are deleted in the transaction that
 * indexes them. */
static const char lote_sql[] =
    "WITH p AS MATERIALIZED (SELECT ficha_id FROM cola_indexar ORDER BY ficha_id"
    "   LIMIT $1::int FOR UPDATE SKIP LOCKED),"
    " d AS (DELETE FROM cola_indexar q USING p WHERE q.ficha_id = p.ficha_id"
    "   RETURNING q.ficha_id)"
    " SELECT count(*), pmm_indexar(array_agg(ficha_id)) FROM d";

int indice_lote(PGconn *db, int lote, long long *indexadas, pmm_error *err)
{
    char lim[16];
    snprintf(lim, sizeof lim, "%d", lote);
    const char *params[] = {lim};
    /* asynchronous commit, as for the totals: a crash loses the batch only
     * together with the deletion of its claim */
    if (db_exec(db, "BEGIN; SET LOCAL synchronous_commit = off; SET LOCAL jit = off", err) != 0)
        return -1;
    PGresult *res = PQexecParams(db, lote_sql, 1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(db, res, "no se pudo indexar", err);
        PQclear(res);
        pmm_error ignored;
        db_exec(db, "ROLLBACK", &ignored);
        return -1;
    }
    int n = atoi(PQgetvalue(res, 0, 0));
    *indexadas = PQgetisnull(res, 0, 1) ? 0 : strtoll(PQgetvalue(res, 0, 1), NULL, 10);
    PQclear(res);
    if (db_exec(db, "COMMIT", err) != 0)
        return -1;
    return n;
}
