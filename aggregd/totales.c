#include "totales.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db.h"

/* Claims up to `batch` queued events and takes, in one order for every
 * aggregator, the per-ficha advisory locks that pmm_aplicar also takes.
 * Returns the distinct fichas as three array literals (emisor, ejercicio,
 * clave) and the number of events claimed. The claim is a materialized
 * CTE so that PostgreSQL cannot re-run the LIMIT sub-select and take more
 * than `batch` events (see clasificd's classify_batch). */
static const char claim_sql[] =
    "WITH p AS MATERIALIZED (SELECT id FROM cola_agregar ORDER BY id"
    "   LIMIT $1::int FOR UPDATE SKIP LOCKED),"
    " c AS (DELETE FROM cola_agregar q USING p WHERE q.id = p.id"
    "   RETURNING q.emisor, q.ejercicio, q.clave),"
    " k AS (SELECT DISTINCT emisor, ejercicio, clave,"
    "              hashtextextended(emisor || '|' || ejercicio || '|' || clave, 0) AS h"
    "         FROM c),"
    " l AS (SELECT emisor, ejercicio, clave, pg_advisory_xact_lock(h) FROM k ORDER BY h)"
    " SELECT (SELECT count(*) FROM c), array_agg(emisor), array_agg(ejercicio),"
    "        array_agg(clave) FROM l";

/* Brings the claimed fichas' counted contributions up to date in one
 * statement, with the same meaning as pmm_aplicar applied to each: the new
 * contribution comes from v_contribuciones, an unchanged one is skipped, an
 * unclassified ficha keeps its old one. The deltas of every changed ficha
 * (-old, +new, through pmm_filas) are summed per cell first, so each cell
 * of `totales` is written once per batch, in one lock order. Runs after the
 * locks are held, so its snapshot sees every earlier aggregator's work. */
static const char apply_sql[] =
    "WITH k AS (SELECT * FROM unnest($1::text[], $2::int[], $3::text[])"
    "             AS k(emisor, ejercicio, clave)),"
    " nuevo AS (SELECT ROW(v.*)::agregados AS a FROM k"
    "   CROSS JOIN LATERAL (SELECT * FROM v_contribuciones v"
    "                        WHERE v.emisor = k.emisor AND v.ejercicio = k.ejercicio"
    "                          AND v.clave = k.clave"
    /* OFFSET 0 keeps the subquery apart, so the keys reach the view's
     * DISTINCT ON as index conditions instead of a join with a scan of
     * every ficha */
    "                        OFFSET 0) v),"
    " par AS (SELECT n.a AS nuevo, g AS viejo, g.emisor IS NOT NULL AS habia"
    "           FROM nuevo n LEFT JOIN agregados g"
    "             ON g.emisor = (n.a).emisor AND g.ejercicio = (n.a).ejercicio"
    "            AND g.clave = (n.a).clave"
    "          WHERE g.emisor IS NULL OR g IS DISTINCT FROM n.a),"
    " x AS (SELECT nuevo AS a, 1 AS s FROM par"
    "       UNION ALL SELECT viejo, -1 FROM par WHERE habia),"
    " d AS (SELECT (x.a).ejercicio AS ejercicio, f.filtro, f.dimension, f.valor,"
    "              sum(x.s)::bigint AS fichas,"
    "              sum(x.s * coalesce((x.a).acciones, 0))::bigint AS acciones,"
    "              sum(x.s * coalesce((x.a).personas, 0))::bigint AS personas,"
    "              sum(x.s * coalesce((x.a).mujeres, 0))::bigint AS mujeres,"
    "              sum(x.s * coalesce((x.a).hombres, 0))::bigint AS hombres"
    "         FROM x, LATERAL pmm_filas(x.a) f"
    "        GROUP BY 1, 2, 3, 4),"
    " sumar AS (INSERT INTO totales AS t (ejercicio, filtro, dimension, valor,"
    "                                 fichas, acciones, personas, mujeres, hombres)"
    "       SELECT * FROM d"
    "        WHERE (fichas, acciones, personas, mujeres, hombres) <> (0, 0, 0, 0, 0)"
    "        ORDER BY ejercicio, filtro, dimension, valor"
    "       ON CONFLICT (ejercicio, filtro, dimension, valor) DO UPDATE"
    "          SET fichas = t.fichas + excluded.fichas,"
    "              acciones = t.acciones + excluded.acciones,"
    "              personas = t.personas + excluded.personas,"
    "              mujeres = t.mujeres + excluded.mujeres,"
    "              hombres = t.hombres + excluded.hombres),"
    " guardar AS (INSERT INTO agregados SELECT (nuevo).* FROM par"
    "       ON CONFLICT (emisor, ejercicio, clave) DO UPDATE"
    "          SET ficha_id = excluded.ficha_id,"
    "              clasificacion_id = excluded.clasificacion_id,"
    "              decision_id = excluded.decision_id, ambito = excluded.ambito,"
    "              dependencia = excluded.dependencia, entidad = excluded.entidad,"
    "              objetivo = excluded.objetivo, eje = excluded.eje,"
    "              subtema = excluded.subtema, ods = excluded.ods,"
    "              metas = excluded.metas, retos = excluded.retos,"
    "              acciones = excluded.acciones, personas = excluded.personas,"
    "              mujeres = excluded.mujeres, hombres = excluded.hombres)"
    " SELECT count(*) FROM par";

int totales_drain(PGconn *db, int batch, long long *changed, pmm_error *err)
{
    char lim[16];
    snprintf(lim, sizeof lim, "%d", batch);
    const char *params[] = {lim};
    /* work_mem: the per-cell sums of a batch are sorted or hashed in
     * memory, not in temporary files. Asynchronous commit: a crash loses
     * the batch's totals only together with the deletion of its claim, so
     * the events are applied again (as in clasificd). No JIT: compiling
     * takes longer than a batch runs. */
    if (db_exec(db,
                "BEGIN; SET LOCAL work_mem = '64MB'; SET LOCAL synchronous_commit = off;"
                " SET LOCAL jit = off",
                err) != 0)
        return -1;
    PGresult *res = PQexecParams(db, claim_sql, 1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(db, res, "no se pudo tomar la cola de agregación", err);
        goto fail;
    }
    int n = atoi(PQgetvalue(res, 0, 0));
    *changed = 0;
    if (n > 0) {
        const char *keys[] = {PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2),
                              PQgetvalue(res, 0, 3)};
        PGresult *app = PQexecParams(db, apply_sql, 3, NULL, keys, NULL, NULL, 0);
        PQclear(res);
        res = app;
        if (PQresultStatus(res) != PGRES_TUPLES_OK) {
            db_error(db, res, "no se pudo agregar", err);
            goto fail;
        }
        *changed = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    }
    PQclear(res);
    if (db_exec(db, "COMMIT", err) != 0)
        return -1;
    return n;
fail:
    PQclear(res);
    pmm_error ignored;
    db_exec(db, "ROLLBACK", &ignored);
    return -1;
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
