/* it_totales_drain.c -- aggregd's totals code (aggregd/totales.c) called
 * directly, as aggregd's role, in a scratch database of the stack's
 * cluster where no aggregd competes for the queue. Fichas are stored with
 * ingestd's store_batch and classified by hand; after every step the
 * `totales` cells of the year are compared with a model kept here (what
 * each ficha counts as: latest version × latest classification × latest
 * decision):
 *   - draining takes at most `batch` events per call, a ficha queued twice
 *     counts once, and the queue empties;
 *   - replayed events change nothing;
 *   - a new classification moves the ficha (old cells out, new in); a new
 *     version counts only once classified; an analyst's decision wins;
 *   - the full recompute finds nothing to repair, then repairs drifted,
 *     missing and stray cells and records each run in `recalculos`;
 *   - a role that may not write fails the batch and leaves the queue. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "ficha.h"
#include "itlib.h"
#include "refdata.h"
#include "store.h"
#include "totales.h"

#define ANIO 2024
#define N 6

static it_env env;
static char dbname[96];
static PGconn *owner, *ing, *agg;
static refdata *ref;

/* What each ficha counts as, kept by hand alongside the database. */
typedef struct {
    long long id;                 /* its counted version's row */
    const char *dependencia;      /* NULL for a state's ficha */
    int entidad;                  /* 0: none */
    int objetivo;
    const char *subtema;
    int ods[2], nods;
    long long acciones, personas;
} model;

static model m[N];

static Pmm__Ficha *ficha(int i, int variant)
{
    Pmm__Ficha *f = it_ficha("tot", i, variant);
    f->ejercicio = ANIO;
    ficha_rules rules = {.current_year = 2025};
    pmm_error err;
    if (ficha_validate(f, ref, &rules, &err) != 0)
        fail_msg("ficha %d: %s (%s)", i, err.mensaje, err.regla);
    return f;
}

static long long store_one(Pmm__Ficha *f)
{
    store_item it;
    pmm_error err;
    if (store_item_init(&it, f, &err) != 0 || store_batch(ing, &it, 1, &err) != 0)
        fail_msg("store_batch: %s", err.mensaje);
    assert_int_equal(it.estado, PMM__ESTADO__ESTADO_ACEPTADA);
    return it.id;
}

static void exec_params(PGconn *db, const char *sql, int n, const char *const *params)
{
    PGresult *res = PQexecParams(db, sql, n, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK)
        fail_msg("%s: %s", sql, PQerrorMessage(db));
    PQclear(res);
}

/* A classification of row `id`, as clasificd would store it. */
static void classify(long long id, const char *subtema, const char *ods, const char *version)
{
    char idt[32];
    snprintf(idt, sizeof idt, "%lld", id);
    const char *p[] = {idt, subtema, ods, version};
    exec_params(owner,
                "INSERT INTO clasificaciones (ficha_id, version_clasificador, taxonomia, eje,"
                " subtema, ods, con_resultados, confianza)"
                " VALUES ($1, $4, '2023', 1, $2, $3::smallint[], true, 0.9)",
                4, p);
}

/* Queues a ficha for aggregation through the one enqueue function that
 * clasificd, pmm revision and pmm reclasificar use (migration 012). */
static void enqueue(long long id)
{
    char idt[32];
    snprintf(idt, sizeof idt, "{%lld}", id);
    const char *p[] = {idt};
    exec_params(owner, "SELECT pmm_encolar_agregacion($1::bigint[])", 1, p);
}

static long long queued(void)
{
    return it_query_ll(owner, "SELECT count(*) FROM cola_agregar", NULL);
}

/* Drains the queue in calls of `batch`; returns how many fichas changed
 * what they count as (totales_drain's *changed, summed). */
static long long drain_all(int batch, int *calls)
{
    long long changed_total = 0;
    int n;
    *calls = 0;
    do {
        long long changed = -1;
        pmm_error err;
        long long before = queued();
        n = totales_drain(agg, batch, &changed, &err);
        if (n < 0)
            fail_msg("totales_drain: %s (%s)", err.mensaje, err.regla);
        assert_true(n <= batch);
        assert_int_equal(queued(), before - n);
        assert_true(changed >= 0);
        changed_total += changed;
        (*calls)++;
    } while (n > 0);
    return changed_total;
}

/* ---- the model against `totales` ---------------------------------------- */

typedef struct {
    char key[96];
    long long fichas, acciones, personas;
} cell;

static void add_cell(cell *cells, int *n, const char *key, const model *c)
{
    for (int i = 0; i < *n; i++)
        if (!strcmp(cells[i].key, key)) {
            cells[i].fichas++;
            cells[i].acciones += c->acciones;
            cells[i].personas += c->personas;
            return;
        }
    snprintf(cells[*n].key, sizeof cells[*n].key, "%s", key);
    cells[*n].fichas = 1;
    cells[*n].acciones = c->acciones;
    cells[*n].personas = c->personas;
    (*n)++;
}

/* Every cell of the dimensions the model knows, all filters: the
 * database must hold exactly these (cells at zero count as absent). */
static void check_totals(const char *when)
{
    cell want[256];
    int nw = 0;
    for (int i = 0; i < N; i++) {
        const model *c = &m[i];
        char filters[3][16] = {""};
        int nf = 1;
        if (c->dependencia)
            snprintf(filters[nf++], sizeof filters[0], "D:%s", c->dependencia);
        if (c->entidad)
            snprintf(filters[nf++], sizeof filters[0], "E:%02d", c->entidad);
        for (int k = 0; k < nf; k++) {
            char key[96];
            snprintf(key, sizeof key, "%s|total|", filters[k]);
            add_cell(want, &nw, key, c);
            snprintf(key, sizeof key, "%s|objetivo|%d", filters[k], c->objetivo);
            add_cell(want, &nw, key, c);
            snprintf(key, sizeof key, "%s|subtema|%s", filters[k], c->subtema);
            add_cell(want, &nw, key, c);
            for (int o = 0; o < c->nods; o++) {
                snprintf(key, sizeof key, "%s|ods|%d", filters[k], c->ods[o]);
                add_cell(want, &nw, key, c);
            }
        }
    }
    char anio[8];
    snprintf(anio, sizeof anio, "%d", ANIO);
    const char *p[] = {anio};
    PGresult *res = PQexecParams(owner,
                                 "SELECT filtro || '|' || dimension || '|' || valor, fichas,"
                                 "       acciones, personas FROM totales"
                                 " WHERE ejercicio = $1::int AND fichas <> 0"
                                 "   AND dimension IN ('total', 'objetivo', 'subtema', 'ods')",
                                 1, NULL, p, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        fail_msg("totales: %s", PQerrorMessage(owner));
    if (PQntuples(res) != nw)
        fail_msg("%s: %d celdas en totales, el modelo tiene %d", when, PQntuples(res), nw);
    for (int r = 0; r < PQntuples(res); r++) {
        const char *key = PQgetvalue(res, r, 0);
        int found = 0;
        for (int i = 0; i < nw && !found; i++)
            if (!strcmp(want[i].key, key)) {
                found = 1;
                long long f = atoll(PQgetvalue(res, r, 1)), a = atoll(PQgetvalue(res, r, 2)),
                          pe = atoll(PQgetvalue(res, r, 3));
                if (f != want[i].fichas || a != want[i].acciones || pe != want[i].personas)
                    fail_msg("%s: celda %s = %lld/%lld/%lld, el modelo dice %lld/%lld/%lld",
                             when, key, f, a, pe, want[i].fichas, want[i].acciones,
                             want[i].personas);
            }
        if (!found)
            fail_msg("%s: celda %s en totales y no en el modelo", when, key);
    }
    PQclear(res);
}

static char *totals_digest(void)
{
    PGresult *res = PQexec(owner,
                           "SELECT coalesce(md5(string_agg(concat_ws('|', ejercicio, filtro,"
                           " dimension, valor, fichas, acciones, personas, mujeres, hombres), ','"
                           " ORDER BY ejercicio, filtro, dimension, valor)), '')"
                           " FROM totales WHERE fichas <> 0");
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        fail_msg("huella: %s", PQerrorMessage(owner));
    char *d = strdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    return d;
}

/* ---- tests -------------------------------------------------------------- */

static void drain_counts_each_ficha_once(void **state)
{
    (void)state;
    static const char *subs[] = {"salud", "identidad"};
    for (int i = 0; i < N; i++) {
        Pmm__Ficha *f = ficha(i, 0);
        m[i].id = store_one(f);
        m[i].dependencia = f->has_dependencia ? strndup((const char *)f->dependencia.data,
                                                        f->dependencia.len)
                                              : NULL;
        m[i].entidad = f->has_entidad ? atoi((const char *)f->entidad.data) : 0;
        m[i].objetivo = (int)f->objetivo_pmm;
        m[i].subtema = subs[i % 2];
        m[i].nods = i % 2 ? 2 : 1;
        m[i].ods[0] = i % 2 ? 10 : 3;
        m[i].ods[1] = 16;
        m[i].acciones = f->resultados->acciones;
        m[i].personas = f->resultados->personas;
        classify(m[i].id, m[i].subtema, i % 2 ? "{10,16}" : "{3}", "it-1");
        pmm__ficha__free_unpacked(f, NULL);
    }
    assert_int_equal(m[3].entidad, 4);   /* one state's ficha among them */
    assert_null(m[3].dependencia);

    /* nothing queued: nothing to do */
    int calls;
    assert_int_equal(drain_all(3, &calls), 0);
    assert_int_equal(calls, 1);

    for (int i = 0; i < N; i++)
        enqueue(m[i].id);
    enqueue(m[0].id);   /* two events of one ficha, in the same batch */
    enqueue(m[5].id);   /* and in a later one */
    assert_int_equal(queued(), N + 2);
    assert_int_equal(drain_all(3, &calls), N);   /* each ficha changed once */
    assert_int_equal(calls, 4);                  /* 3 + 3 + 2, then empty */
    check_totals("primera agregación");
}

static void replayed_events_change_nothing(void **state)
{
    (void)state;
    char *before = totals_digest();
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < N; i++)
            enqueue(m[i].id);
        int calls;
        assert_int_equal(drain_all(4, &calls), 0);
    }
    char *after = totals_digest();
    assert_string_equal(before, after);
    free(before);
    free(after);
    check_totals("eventos repetidos");
}

static void changes_move_the_ficha(void **state)
{
    (void)state;
    int calls;
    /* a new classification: the ficha changes (its old cells out, new in) */
    classify(m[0].id, "identidad", "{10}", "it-2");
    m[0].subtema = "identidad";
    m[0].ods[0] = 10;
    m[0].nods = 1;
    enqueue(m[0].id);
    assert_int_equal(drain_all(8, &calls), 1);
    check_totals("reclasificación");

    /* a new version counts only once it is classified */
    Pmm__Ficha *v2 = ficha(1, 1);
    v2->has_reemplaza = 1;
    v2->reemplaza = 1;
    v2->resultados->acciones = 100;
    long long id2 = store_one(v2);
    pmm__ficha__free_unpacked(v2, NULL);
    enqueue(id2);
    assert_int_equal(drain_all(8, &calls), 0);
    check_totals("versión nueva sin clasificar");
    classify(id2, "salud", "{}", "it-1");
    enqueue(id2);
    assert_int_equal(drain_all(8, &calls), 1);
    m[1].id = id2;
    m[1].acciones = 100;
    m[1].subtema = "salud";
    m[1].nods = 0;
    check_totals("versión nueva clasificada");

    /* the analyst's decision wins over the ficha and the classifier */
    char idt[32];
    snprintf(idt, sizeof idt, "%lld", m[2].id);
    const char *p[] = {idt};
    exec_params(owner,
                "INSERT INTO decisiones (emisor, ejercicio, clave, ficha_id, objetivo_pmm,"
                " eje, subtema, analista)"
                " SELECT emisor, ejercicio, clave, id, 23, 2, 'capacitacion', 'it'"
                "   FROM fichas WHERE id = $1",
                1, p);
    enqueue(m[2].id);
    assert_int_equal(drain_all(8, &calls), 1);
    m[2].objetivo = 23;
    m[2].subtema = "capacitacion";
    check_totals("decisión de analista");
}

static void recompute_repairs_drift(void **state)
{
    (void)state;
    totales_informe inf;
    pmm_error err;
    if (totales_recompute(agg, &inf, &err) != 0)
        fail_msg("totales_recompute: %s", err.mensaje);
    assert_int_equal(inf.fichas, N);
    assert_true(inf.celdas > 0);
    assert_int_equal(inf.diferencias, 0);
    assert_string_equal(inf.detalle, "");

    /* drift: a wrong count, a lost cell and a stray one */
    char anio[8];
    snprintf(anio, sizeof anio, "%d", ANIO);
    const char *p[] = {anio};
    exec_params(owner,
                "UPDATE totales SET fichas = fichas + 5 WHERE ejercicio = $1::int"
                " AND filtro = '' AND dimension = 'total'",
                1, p);
    exec_params(owner,
                "DELETE FROM totales WHERE ejercicio = $1::int AND filtro = 'D:SRE'"
                " AND dimension = 'total'",
                1, p);
    exec_params(owner,
                "INSERT INTO totales VALUES ($1::int, '', 'subtema', 'fantasma', 1, 0, 0, 0, 0)",
                1, p);
    long long celdas = inf.celdas;
    if (totales_recompute(agg, &inf, &err) != 0)
        fail_msg("totales_recompute: %s", err.mensaje);
    assert_int_equal(inf.diferencias, 3);
    assert_int_equal(inf.celdas, celdas);
    char want[64];
    snprintf(want, sizeof want, "%d//total=: %d -> %d", ANIO, N + 5, N);
    if (!strstr(inf.detalle, want) || !strstr(inf.detalle, "fantasma: 1 -> 0") ||
        !strstr(inf.detalle, "D:SRE/total=: 0 -> 1"))
        fail_msg("detalle: %s", inf.detalle);
    check_totals("recálculo");
    if (totales_recompute(agg, &inf, &err) != 0)
        fail_msg("totales_recompute: %s", err.mensaje);
    assert_int_equal(inf.diferencias, 0);
    assert_int_equal(it_query_ll(owner, "SELECT count(*) FROM recalculos", NULL), 3);
    assert_int_equal(it_query_ll(owner, "SELECT sum(diferencias) FROM recalculos", NULL), 3);
}

static void a_failed_batch_leaves_the_queue(void **state)
{
    (void)state;
    PGconn *ro = it_scratch_connect(&env, dbname, "pmm_consulta");
    enqueue(m[4].id);
    long long changed = -1;
    pmm_error err;
    pmm_error_clear(&err);
    assert_int_equal(totales_drain(ro, 10, &changed, &err), -1);
    assert_string_equal(err.regla, "42501");
    assert_int_equal(PQtransactionStatus(ro), PQTRANS_IDLE);
    assert_int_equal(queued(), 1);
    PQfinish(ro);
    int calls;
    assert_int_equal(drain_all(10, &calls), 0);
    assert_int_equal(queued(), 0);
    check_totals("tras un lote fallido");
}

static int setup(void **state)
{
    (void)state;
    it_env_open(&env);
    owner = it_scratch_create(&env, "totales", dbname, sizeof dbname);
    ing = it_scratch_connect(&env, dbname, "pmm_ingestd");
    agg = it_scratch_connect(&env, dbname, "pmm_aggregd");
    const char *datos = getenv("PMM_DATOS");
    pmm_error err;
    ref = refdata_load(datos && *datos ? datos : PMM_DATA_DIR, &err);
    if (!ref)
        fail_msg("%s", err.mensaje);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (int i = 0; i < N; i++)
        free((char *)m[i].dependencia);
    refdata_destroy(&ref);
    PQfinish(agg);
    PQfinish(ing);
    PQfinish(owner);
    it_scratch_drop(&env, dbname);
    it_env_close(&env);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(drain_counts_each_ficha_once),
        cmocka_unit_test(replayed_events_change_nothing),
        cmocka_unit_test(changes_move_the_ficha),
        cmocka_unit_test(recompute_repairs_drift),
        cmocka_unit_test(a_failed_batch_leaves_the_queue),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
