#include "totales.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "celdas.h"
#include "db.h"
#include "pmm.pb-c.h"

/* Claims up to `batch` queued events and locks, in stripe order, each
 * lock stripe of their fichas once (pmm_franja, 008_franjas.sql). Events
 * name a ficha by id (012_costuras.sql); what is applied is the key of
 * that ficha (emisor, ejercicio, clave), whose current contribution may be
 * another version's. Returns the distinct keys as three array literals
 * (emisor, ejercicio, clave) and the number of events claimed.
 * The claim is a materialized CTE so that PostgreSQL cannot re-run the
 * LIMIT sub-select and take more than `batch` events (see clasificd's
 * classify_batch); so are the locks, taken before the keys are read.
 * LATERAL and OFFSET 0: one primary-key probe of `fichas` per event, not a
 * join planned over the whole table. */
static const char claim_sql[] =
    "WITH p AS MATERIALIZED (SELECT id FROM cola_agregar ORDER BY id"
    "   LIMIT $1::int FOR UPDATE SKIP LOCKED),"
    " c AS (DELETE FROM cola_agregar q USING p WHERE q.id = p.id"
    "   RETURNING q.ficha_id),"
    " k AS MATERIALIZED (SELECT DISTINCT f.emisor, f.ejercicio, f.clave,"
    "          pmm_franja(f.emisor, f.ejercicio, f.clave) AS franja"
    "     FROM c CROSS JOIN LATERAL (SELECT emisor, ejercicio, clave FROM fichas"
    "                                 WHERE id = c.ficha_id OFFSET 0) f),"
    " l AS MATERIALIZED (SELECT franja, pg_advisory_xact_lock(x'504d4d02'::integer, franja)"
    "                      FROM (SELECT DISTINCT franja FROM k) f ORDER BY franja)"
    " SELECT (SELECT count(*) FROM c), array_agg(emisor), array_agg(ejercicio),"
    "        array_agg(clave) FROM k WHERE (SELECT count(*) FROM l) >= 0";

/* Brings the claimed fichas' counted contributions up to date: the new
 * contribution comes from v_contribuciones, an unchanged one is skipped,
 * an unclassified ficha keeps its old one, a ficha with no version in
 * force (fichas_vigentes: its latest version is a withdrawal, 013) loses
 * its old one, and applying a ficha twice changes nothing. Stores the new
 * contributions in `agregados` (and deletes the lost ones) and returns the
 * deltas (+1 new, -1 old) of every changed ficha; aggregd expands them
 * into cells (celdas_add_result, whose column order the final SELECT
 * follows; the last column marks a lost contribution) and adds them with
 * UPSERT_SQL. Runs after the locks are held, so its snapshot sees every
 * earlier aggregator's work. */
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
    /* LATERAL and OFFSET 0: one primary-key probe per ficha; a plain
     * join was planned as a hash of all of `agregados`, a cost per batch
     * that grew with the table */
    " par AS (SELECT n.a AS nuevo, g.viejo, g.habia IS NOT NULL AS habia"
    "           FROM nuevo n LEFT JOIN LATERAL"
    "                (SELECT g AS viejo, true AS habia FROM agregados g"
    "                  WHERE g.emisor = (n.a).emisor AND g.ejercicio = (n.a).ejercicio"
    "                    AND g.clave = (n.a).clave OFFSET 0) g ON true"
    "          WHERE g.habia IS NULL OR g.viejo IS DISTINCT FROM n.a),"
    /* keys without a new contribution: unclassified (the old one stays)
     * or without a version in force (the old one goes); one probe of
     * fichas_vigentes per such key, none for the others */
    " faltan AS MATERIALIZED (SELECT k.* FROM k WHERE NOT EXISTS"
    "   (SELECT 1 FROM nuevo n WHERE (n.a).emisor = k.emisor"
    "       AND (n.a).ejercicio = k.ejercicio AND (n.a).clave = k.clave)),"
    " sin AS (SELECT g.viejo FROM faltan f"
    "   CROSS JOIN LATERAL (SELECT g AS viejo FROM agregados g"
    "                        WHERE g.emisor = f.emisor AND g.ejercicio = f.ejercicio"
    "                          AND g.clave = f.clave OFFSET 0) g"
    "   LEFT JOIN LATERAL (SELECT true AS hay FROM fichas_vigentes v"
    "                       WHERE v.emisor = f.emisor AND v.ejercicio = f.ejercicio"
    "                         AND v.clave = f.clave OFFSET 0) v ON true"
    "  WHERE v.hay IS NULL),"
    " quitar AS (DELETE FROM agregados g USING sin"
    "   WHERE g.emisor = (sin.viejo).emisor AND g.ejercicio = (sin.viejo).ejercicio"
    "     AND g.clave = (sin.viejo).clave),"
    " x AS (SELECT nuevo AS a, 1 AS s, false AS quita FROM par"
    "       UNION ALL SELECT viejo, -1, false FROM par WHERE habia"
    "       UNION ALL SELECT viejo, -1, true FROM sin),"
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
    "              mujeres = excluded.mujeres, hombres = excluded.hombres,"
    "              absorbida = excluded.absorbida)"
    " SELECT x.s, " CELDAS_COLUMNAS("(x.a).") ", x.quita FROM x";

/* Adds per-cell sums to a totals table (`totales`, or the recompute's
 * r_totales), each cell written once, in one lock order for every
 * aggregator. */
#define UPSERT_SQL(table)                                                         \
    "INSERT INTO " table " AS t (ejercicio, filtro, dimension, valor,"            \
    "                          fichas, acciones, personas, mujeres, hombres)"     \
    " SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::bigint[]," \
    "                      $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[])" \
    "  ORDER BY 1, 2, 3, 4"                                                       \
    " ON CONFLICT (ejercicio, filtro, dimension, valor) DO UPDATE"                \
    "    SET fichas = t.fichas + excluded.fichas,"                                \
    "        acciones = t.acciones + excluded.acciones,"                          \
    "        personas = t.personas + excluded.personas,"                          \
    "        mujeres = t.mujeres + excluded.mujeres,"                             \
    "        hombres = t.hombres + excluded.hombres"

/* Writes the non-zero cells of sums with upsert (an UPSERT_SQL). Returns
 * 0 or -1 with err. */
static int write_cells(PGconn *db, const celdas *sums, const char *upsert, pmm_error *err)
{
    strbuf arrays[9];
    for (int i = 0; i < 9; i++)
        strbuf_init(&arrays[i]);
    int rc = 0;
    long cells = celdas_arrays(sums, arrays);
    if (cells < 0) {
        rc = pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "memoria",
                           "sin memoria para agregar");
    } else if (cells > 0) {
        const char *params[9];
        for (int i = 0; i < 9; i++)
            params[i] = arrays[i].data;
        PGresult *res = PQexecParams(db, upsert, 9, NULL, params, NULL, NULL, 0);
        if (PQresultStatus(res) != PGRES_COMMAND_OK)
            rc = db_error(db, res, "no se pudieron sumar los totales", err);
        PQclear(res);
    }
    for (int i = 0; i < 9; i++)
        strbuf_free(&arrays[i]);
    return rc;
}

/* Applies the claimed fichas (the three array literals of claim_sql). */
static long long apply_claimed(PGconn *db, const char *const keys[3], pmm_error *err)
{
    PGresult *res = PQexecParams(db, apply_sql, 3, NULL, keys, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(db, res, "no se pudo agregar", err);
        PQclear(res);
        return -1;
    }
    celdas *sums = celdas_new();
    long long changed = sums ? celdas_add_result(sums, res, err)
                             : pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "memoria",
                                             "sin memoria para agregar");
    /* lost contributions changed too (celdas_add_result counts the new) */
    int quita = PQnfields(res) - 1;
    for (int r = 0; changed >= 0 && r < PQntuples(res); r++)
        changed += PQgetvalue(res, r, quita)[0] == 't';
    PQclear(res);
    if (changed > 0 && write_cells(db, sums, UPSERT_SQL("totales"), err) != 0)
        changed = -1;
    celdas_destroy(&sums);
    return changed;
}

int totales_drain(PGconn *db, int batch, long long *changed, pmm_error *err)
{
    char lim[16];
    snprintf(lim, sizeof lim, "%d", batch);
    const char *params[] = {lim};
    /* work_mem: a batch's cells are sorted in memory, not in temporary
     * files. Asynchronous commit: a crash loses the batch's totals only
     * together with the deletion of its claim, so the events are applied
     * again (as in clasificd). No JIT: compiling takes longer than a batch
     * runs. No memoize: the planner caches the agregados probe keyed on
     * every column of the new contribution, and no two fichas of a batch
     * share a key, so the cache only costs (about a fifth of apply_sql). */
    if (db_exec(db,
                "BEGIN; SET LOCAL work_mem = '64MB'; SET LOCAL synchronous_commit = off;"
                " SET LOCAL jit = off; SET LOCAL enable_memoize = off",
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
        const char *const keys[] = {PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2),
                                    PQgetvalue(res, 0, 3)};
        *changed = apply_claimed(db, keys, err);
        if (*changed < 0)
            goto fail;
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

/* Statements of the recompute, run in one transaction: the current
 * contributions into r_agregados, then (recompute_cells) their cells into
 * r_totales, then the cells that differ from the maintained ones. */
static const char *const recompute_sql[] = {
    "SET LOCAL work_mem = '64MB'",
    /* incremental writers wait; readers keep reading the old totals */
    "LOCK TABLE agregados, totales IN EXCLUSIVE MODE",
    "CREATE TEMP TABLE r_agregados (LIKE agregados) ON COMMIT DROP",
    "INSERT INTO r_agregados SELECT * FROM v_contribuciones",
    "CREATE TEMP TABLE r_totales (LIKE totales,"
    "   PRIMARY KEY (ejercicio, filtro, dimension, valor)) ON COMMIT DROP",
    "DECLARE r_contribuciones NO SCROLL CURSOR FOR"
    " SELECT 1, " CELDAS_COLUMNAS("") " FROM r_agregados",
    NULL};

static const char *const recompute_diff_sql[] = {
    "CLOSE r_contribuciones",
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

/* Contributions read per FETCH, and cells summed in aggregd's memory
 * before they are added to r_totales (partial sums of a cell add up
 * there), so that aggregd's memory does not grow with the number of
 * fichas or cells. Holding every cell at once took aggregd's peak from 13
 * to 35 MB in bench/run.sh --quick; with these bounds it is 27 MB there
 * and 19 MB for 300,000 fichas, whose recompute took 5 s against 14 s
 * with the cells expanded in SQL (pmm_filas, 003). */
#define RECOMPUTE_FETCH "FETCH FORWARD 5000 FROM r_contribuciones"
#define RECOMPUTE_FLUSH_CELLS 20000

/* Sums the cells of every contribution of the r_contribuciones cursor
 * into r_totales with the one rule (celdas.c), the one the incremental
 * path uses. Returns 0 or -1 with err. */
static int recompute_cells(PGconn *db, pmm_error *err)
{
    celdas *sums = NULL;
    for (;;) {
        if (!sums && !(sums = celdas_new()))
            return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "memoria",
                                 "sin memoria para recalcular");
        PGresult *res = PQexec(db, RECOMPUTE_FETCH);
        if (PQresultStatus(res) != PGRES_TUPLES_OK) {
            db_error(db, res, "no se pudieron leer las contribuciones", err);
            PQclear(res);
            break;
        }
        int rows = PQntuples(res);
        long long added = rows ? celdas_add_result(sums, res, err) : 0;
        PQclear(res);
        if (added < 0)
            break;
        if (rows == 0 || celdas_count(sums) >= RECOMPUTE_FLUSH_CELLS) {
            if (write_cells(db, sums, UPSERT_SQL("r_totales"), err) != 0)
                break;
            celdas_destroy(&sums);
        }
        if (rows == 0)
            return 0;
    }
    celdas_destroy(&sums);
    return -1;
}

int totales_recompute(PGconn *db, totales_informe *out, pmm_error *err)
{
    memset(out, 0, sizeof *out);
    double t0 = now_s();
    if (db_exec(db, "BEGIN", err) != 0)
        return -1;
    for (int i = 0; recompute_sql[i]; i++)
        if (db_exec(db, recompute_sql[i], err) != 0)
            goto fail;
    if (recompute_cells(db, err) != 0)
        goto fail;
    for (int i = 0; recompute_diff_sql[i]; i++)
        if (db_exec(db, recompute_diff_sql[i], err) != 0)
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
