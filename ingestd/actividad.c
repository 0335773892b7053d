/* actividad.c -- see actividad.h. */
#include "actividad.h"

#include <string.h>

#include "db.h"
#include "strbuf.h"

int actividad_anotar(PGconn *conn, store_item *const *fresh, size_t n, pmm_error *err)
{
    if (n == 0)
        return 0;
    /* one element per version; PostgreSQL groups them */
    strbuf e, y;
    strbuf_init(&e);
    strbuf_init(&y);
    strbuf_puts(&e, "{");
    strbuf_puts(&y, "{");
    for (size_t i = 0; i < n; i++) {
        if (i) {
            strbuf_puts(&e, ",");
            strbuf_puts(&y, ",");
        }
        strbuf_array_elem(&e, fresh[i]->emisor, strlen(fresh[i]->emisor));
        strbuf_printf(&y, "%lld", (long long)fresh[i]->ficha->ejercicio);
    }
    strbuf_puts(&e, "}");
    strbuf_puts(&y, "}");
    int rc = 0;
    if (strbuf_failed(&e) || strbuf_failed(&y)) {
        rc = pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "memoria", "sin memoria");
    } else {
        const char *params[] = {e.data, y.data};
        /* now(): the transaction's time, the `recibida` of its fichas */
        PGresult *res = PQexecParams(
            conn,
            "INSERT INTO actividad AS a (ejercicio, emisor, versiones, ultima)"
            " SELECT k.ejercicio, k.emisor, count(*), now()"
            "   FROM unnest($1::text[], $2::int[]) AS k(emisor, ejercicio)"
            "  GROUP BY k.ejercicio, k.emisor ORDER BY k.ejercicio, k.emisor"
            " ON CONFLICT (ejercicio, emisor) DO UPDATE"
            "    SET versiones = a.versiones + excluded.versiones,"
            "        ultima = greatest(a.ultima, excluded.ultima)",
            2, NULL, params, NULL, NULL, 0);
        if (PQresultStatus(res) != PGRES_COMMAND_OK)
            rc = db_error(conn, res, "no se pudo anotar la actividad de los remitentes", err);
        PQclear(res);
    }
    strbuf_free(&e);
    strbuf_free(&y);
    return rc;
}
