#include "totales.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db.h"

int totales_drain(PGconn *db, int batch, long long *changed, pmm_error *err)
{
    char lim[16];
    snprintf(lim, sizeof lim, "%d", batch);
    const char *params[] = {lim};
    if (db_exec(db, "BEGIN", err) != 0)
        return -1;
    PGresult *res = PQexecParams(
        db,
        "WITH c AS (DELETE FROM cola_agregar WHERE id IN"
        "   (SELECT id FROM cola_agregar ORDER BY id LIMIT $1::int"
        "     FOR UPDATE SKIP LOCKED) RETURNING emisor, ejercicio, clave),"
        " k AS (SELECT DISTINCT emisor, ejercicio, clave FROM c)"
        " SELECT (SELECT count(*) FROM c),"
        "        coalesce(sum(pmm_aplicar(emisor, ejercicio, clave)), 0) FROM k",
        1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(db, res, "no se pudo agregar", err);
        PQclear(res);
        pmm_error ignored;
        db_exec(db, "ROLLBACK", &ignored);
        return -1;
    }
    int n = atoi(PQgetvalue(res, 0, 0));
    *changed = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
    PQclear(res);
    if (db_exec(db, "COMMIT", err) != 0)
        return -1;
    return n;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Statements of the recompute, run in one transaction. */
static const char *const recompute_sql[] = {
    "SET LOCAL work_mem = '64MB'",
    /* incremental writers wait; readers keep reading the old totals */
    "LOCK TABLE agregados, totales IN EXCLUSIVE MODE",
    "CREATE TEMP TABLE r_agregados (LIKE agregados) ON COMMIT DROP",
    "INSERT INTO r_agregados SELECT * FROM v_contribuciones",
    "CREATE TEMP TABLE r_totales ON COMMIT DROP AS"
    " SELECT a.ejercicio, f.filtro, f.dimension, f.valor, count(*)::bigint AS fichas,"
    "        sum(coalesce(a.acciones, 0))::bigint AS acciones,"
    "        sum(coalesce(a.personas, 0))::bigint AS personas,"
    "        sum(coalesce(a.mujeres, 0))::bigint AS mujeres,"
    "        sum(coalesce(a.hombres, 0))::bigint AS hombres"
    "   FROM r_agregados a, LATERAL pmm_filas(ROW(a.*)::agregados) f"
    "  GROUP BY 1, 2, 3, 4",
    /* cells that differ (a missing cell counts as zero) */
    "CREATE TEMP TABLE r_diff ON COMMIT DROP AS"
    " SELECT coalesce(n.ejercicio, t.ejercicio) AS ejercicio,"
    "        coalesce(n.filtro, t.filtro) AS filtro,"
    "        coalesce(n.dimension, t.dimension) AS dimension,"
    "        coalesce(n.valor, t.valor) AS valor,"
    "        coalesce(t.fichas, 0) AS mantenido, coalesce(n.fichas, 0) AS calculado"
    "   FROM r_totales n FULL JOIN totales t"
    "     ON (t.ejercicio, t.filtro, t.dimension, t.valor)"
    "      = (n.ejercicio, n.filtro, n.dimension, n.valor)"
    "  WHERE (coalesce(n.fichas, 0), coalesce(n.acciones, 0), coalesce(n.personas, 0),"
    "         coalesce(n.mujeres, 0), coalesce(n.hombres, 0))"
    "        IS DISTINCT FROM"
    "        (coalesce(t.fichas, 0), coalesce(t.acciones, 0), coalesce(t.personas, 0),"
    "         coalesce(t.mujeres, 0), coalesce(t.hombres, 0))",
    NULL};

int totales_recompute(PGconn *db, totales_informe *out, pmm_error *err)
{
    memset(out, 0, sizeof *out);
    double t0 = now_s();
    if (db_exec(db, "BEGIN", err) != 0)
        return -1;
    for (int i = 0; recompute_sql[i]; i++)
        if (db_exec(db, recompute_sql[i], err) != 0)
            goto fail;
    if (db_query_ll(db, "SELECT count(*) FROM r_agregados", &out->fichas, err) ||
        db_query_ll(db, "SELECT count(*) FROM r_totales", &out->celdas, err) ||
        db_query_ll(db, "SELECT count(*) FROM r_diff", &out->diferencias, err))
        goto fail;
    if (out->diferencias > 0) {
        PGresult *res = PQexec(db,
                               "SELECT ejercicio || '/' || filtro || '/' || dimension"
                               " || '=' || valor || ': ' || mantenido || ' -> ' || calculado"
                               " FROM r_diff ORDER BY 1 LIMIT 8");
        size_t off = 0;
        for (int r = 0; PQresultStatus(res) == PGRES_TUPLES_OK && r < PQntuples(res); r++)
            off += (size_t)snprintf(out->detalle + off,
                                    off < sizeof out->detalle ? sizeof out->detalle - off : 0,
                                    "%s%s", r ? "; " : "", PQgetvalue(res, r, 0));
        PQclear(res);
        /* repair: the recomputed state replaces the maintained one */
        if (db_exec(db, "DELETE FROM totales", err) ||
            db_exec(db, "INSERT INTO totales SELECT * FROM r_totales", err) ||
            db_exec(db, "DELETE FROM agregados", err) ||
            db_exec(db, "INSERT INTO agregados SELECT * FROM r_agregados", err))
            goto fail;
    }
    out->segundos = now_s() - t0;
    char params_buf[3][32];
    snprintf(params_buf[0], 32, "%lld", out->fichas);
    snprintf(params_buf[1], 32, "%lld", out->celdas);
    snprintf(params_buf[2], 32, "%lld", out->diferencias);
    const char *params[] = {params_buf[0], params_buf[1], params_buf[2], out->detalle};
    PGresult *res = PQexecParams(
        db,
        "INSERT INTO recalculos (inicio, fin, fichas, celdas, diferencias, detalle)"
        " VALUES (now(), clock_timestamp(), $1, $2, $3, to_jsonb($4::text))",
        4, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        db_error(db, res, "no se pudo registrar el recálculo", err);
        PQclear(res);
        goto fail;
    }
    PQclear(res);
    return db_exec(db, "COMMIT", err);
fail:;
    pmm_error ignored;
    db_exec(db, "ROLLBACK", &ignored);
    return -1;
}
