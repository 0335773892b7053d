/* it_store.c -- ingestd's group commit (ingestd/store.c) against
 * PostgreSQL, called directly, through the collector's own database role,
 * in a scratch database of the stack's cluster (no daemon consumes its
 * queues, so every row can be checked):
 *   - new fichas: version 1, ids taken, rows, contacts, the classifiers'
 *     queue and the audit written in one transaction, bytes kept as sent;
 *   - the same fichas again: the original receipts;
 *   - decisions inside one batch (repeat, conflict, replacement, a
 *     replacement of nothing) and against stored versions (stale
 *     replacement, a retried replacement);
 *   - refusals decided before storing, and keys revoked or expired by the
 *     time the batch runs: audited, nothing stored; last use of keys;
 *   - a failed batch stores nothing and leaves its items undecided;
 *   - a concurrent collector storing the same clave first: a unique
 *     violation (retryable), and the retry answers with its receipt. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "ficha.h"
#include "itlib.h"
#include "refdata.h"
#include "store.h"

static it_env env;
static char dbname[96];
static PGconn *owner;   /* schema owner: reads everything back */
static PGconn *ing;     /* pmm_ingestd, as the collector stores */
static refdata *ref;

/* A validated ficha, as ingestd stores it: clave "<tag>-<i>". */
static Pmm__Ficha *ficha(const char *tag, int i, int variant)
{
    Pmm__Ficha *f = it_ficha(tag, i, variant);
    ficha_rules rules = {.current_year = 2025};
    pmm_error err;
    if (ficha_validate(f, ref, &rules, &err) != 0)
        fail_msg("ficha %s-%d: %s (%s)", tag, i, err.mensaje, err.regla);
    return f;
}

static void item(store_item *it, const Pmm__Ficha *f)
{
    pmm_error err;
    if (store_item_init(it, f, &err) != 0)
        fail_msg("%s", err.mensaje);
}

static void store_ok(store_item *items, size_t n)
{
    pmm_error err;
    if (store_batch(ing, items, n, &err) != 0)
        fail_msg("store_batch: %s (%s)", err.mensaje, err.regla);
}

/* One value (text) of a query with up to two text parameters. */
static char *value(const char *sql, const char *p1, const char *p2)
{
    const char *params[] = {p1, p2};
    int np = p2 ? 2 : p1 ? 1 : 0;
    PGresult *res = PQexecParams(owner, sql, np, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1)
        fail_msg("%s: %s (%d filas)", sql, PQerrorMessage(owner),
                 PQresultStatus(res) == PGRES_TUPLES_OK ? PQntuples(res) : -1);
    char *v = strdup(PQgetisnull(res, 0, 0) ? "(null)" : PQgetvalue(res, 0, 0));
    PQclear(res);
    return v;
}

static long long count(const char *sql, const char *p1, const char *p2)
{
    char *v = value(sql, p1, p2);
    long long n = atoll(v);
    free(v);
    return n;
}

static void id_text(char *buf, size_t cap, long long id)
{
    snprintf(buf, cap, "%lld", id);
}

static void new_fichas_then_their_receipts_again(void **state)
{
    (void)state;
    enum { N = 5 };
    Pmm__Ficha *f[N];
    store_item a[N], b[N];
    for (int i = 0; i < N; i++) {
        f[i] = ficha("nueva", i, 0);
        item(&a[i], f[i]);
    }
    store_ok(a, N);
    for (int i = 0; i < N; i++) {
        assert_int_equal(a[i].estado, PMM__ESTADO__ESTADO_ACEPTADA);
        assert_int_equal(a[i].version, 1);
        assert_true(a[i].id > 0);
        assert_true(a[i].stored_us > 0);
        for (int j = 0; j < i; j++)
            assert_true(a[j].id != a[i].id);

        char id[32], hex[65];
        id_text(id, sizeof id, a[i].id);
        sodium_bin2hex(hex, sizeof hex, a[i].hash, 32);
        char *h = value("SELECT encode(hash, 'hex') FROM fichas WHERE id = $1", id, NULL);
        assert_string_equal(h, hex);
        free(h);
        char *e = value("SELECT emisor || '/' || ejercicio || '/' || clave || '/' || version"
                        " FROM fichas WHERE id = $1", id, NULL);
        char want[FICHA_EMISOR_MAX + 64 + FICHA_MAX_CLAVE + 8];
        snprintf(want, sizeof want, "%s/%lld/%.*s/1", a[i].emisor,
                 (long long)f[i]->ejercicio, (int)f[i]->clave.len,
                 (const char *)f[i]->clave.data);
        assert_string_equal(e, want);
        free(e);
        /* SQL metacharacters kept byte for byte through COPY */
        char *r = value("SELECT retos FROM fichas WHERE id = $1", id, NULL);
        assert_memory_equal(r, f[i]->retos.data, f[i]->retos.len);
        assert_int_equal(strlen(r), f[i]->retos.len);
        free(r);
        assert_int_equal(count("SELECT count(*) FROM contactos WHERE ficha_id = $1", id, NULL),
                         1);
        assert_int_equal(
            count("SELECT count(*) FROM cola_clasificar WHERE ficha_id = $1", id, NULL), 1);
        assert_int_equal(count("SELECT count(*) FROM auditoria WHERE ficha_id = $1"
                               " AND resultado = 'aceptada' AND identidad = 'local'",
                               id, NULL),
                         1);
    }
    /* the same fichas again: the original receipts, nothing stored */
    for (int i = 0; i < N; i++)
        item(&b[i], f[i]);
    store_ok(b, N);
    for (int i = 0; i < N; i++) {
        assert_int_equal(b[i].estado, PMM__ESTADO__ESTADO_REPETIDA);
        assert_int_equal(b[i].id, a[i].id);
        assert_int_equal(b[i].version, 1);
        /* microseconds through PostgreSQL's epoch: equal to the unit */
        assert_true(llabs((long long)(b[i].stored_us - a[i].stored_us)) <= 1);
    }
    assert_int_equal(count("SELECT count(*) FROM fichas WHERE clave LIKE 'nueva-%'", NULL, NULL),
                     N);
    assert_int_equal(count("SELECT count(*) FROM auditoria WHERE clave LIKE 'nueva-%'"
                           " AND resultado = 'repetida'",
                           NULL, NULL),
                     N);
    for (int i = 0; i < N; i++)
        pmm__ficha__free_unpacked(f[i], NULL);
}

static void decisions_in_a_batch_and_against_stored_versions(void **state)
{
    (void)state;
    Pmm__Ficha *a0 = ficha("lote", 1, 0), *a0b = ficha("lote", 1, 0);
    Pmm__Ficha *b0 = ficha("lote", 2, 0), *b1 = ficha("lote", 2, 1);
    Pmm__Ficha *c0 = ficha("lote", 3, 0), *c1 = ficha("lote", 3, 1);
    Pmm__Ficha *d1 = ficha("lote", 4, 1);
    c1->has_reemplaza = 1;
    c1->reemplaza = 1;
    d1->has_reemplaza = 1;
    d1->reemplaza = 1;
    store_item it[7];
    const Pmm__Ficha *order[7] = {a0, a0b, b0, b1, c0, c1, d1};
    for (int i = 0; i < 7; i++)
        item(&it[i], order[i]);
    store_ok(it, 7);
    /* the same content twice: one version, the second is its repeat */
    assert_int_equal(it[0].estado, PMM__ESTADO__ESTADO_ACEPTADA);
    assert_int_equal(it[1].estado, PMM__ESTADO__ESTADO_REPETIDA);
    assert_int_equal(it[1].id, it[0].id);
    assert_int_equal(it[1].version, 1);
    /* other content without reemplaza: a conflict naming the version */
    assert_int_equal(it[2].estado, PMM__ESTADO__ESTADO_ACEPTADA);
    assert_int_equal(it[3].estado, PMM__ESTADO__ESTADO_RECHAZADA);
    assert_int_equal(it[3].err.code, PMM__ERROR_CODE__ERR_CONFLICT);
    assert_string_equal(it[3].err.regla, "conflicto");
    assert_string_equal(it[3].err.campo, "clave");
    /* reemplaza 1 of the version made earlier in the batch: version 2 */
    assert_int_equal(it[4].estado, PMM__ESTADO__ESTADO_ACEPTADA);
    assert_int_equal(it[5].estado, PMM__ESTADO__ESTADO_ACEPTADA);
    assert_int_equal(it[5].version, 2);
    assert_true(it[5].id != it[4].id);
    /* reemplaza with nothing stored */
    assert_int_equal(it[6].estado, PMM__ESTADO__ESTADO_RECHAZADA);
    assert_string_equal(it[6].err.regla, "sin_version");
    assert_int_equal(count("SELECT count(*) FROM fichas WHERE clave LIKE 'lote-%'", NULL, NULL),
                     4);
    assert_int_equal(count("SELECT count(*) FROM auditoria WHERE clave LIKE 'lote-%'"
                           " AND resultado = 'rechazada' AND regla IN ('conflicto', 'sin_version')",
                           NULL, NULL),
                     2);

    /* against what is stored now */
    Pmm__Ficha *b1r = ficha("lote", 2, 1), *c1again = ficha("lote", 3, 1);
    Pmm__Ficha *c0again = ficha("lote", 3, 0);
    b1r->has_reemplaza = 1;
    b1r->reemplaza = 2;         /* the current version is 1 */
    c1again->has_reemplaza = 1;
    c1again->reemplaza = 1;     /* the replacement retried (receipt lost) */
    store_item s[3];
    item(&s[0], b1r);
    item(&s[1], c1again);
    item(&s[2], c0again);       /* version 1's content, now superseded */
    store_ok(s, 3);
    assert_int_equal(s[0].estado, PMM__ESTADO__ESTADO_RECHAZADA);
    assert_string_equal(s[0].err.regla, "version_vigente");
    assert_int_equal(s[1].estado, PMM__ESTADO__ESTADO_REPETIDA);
    assert_int_equal(s[1].version, 2);
    assert_int_equal(s[1].id, it[5].id);
    assert_int_equal(s[2].estado, PMM__ESTADO__ESTADO_RECHAZADA);
    assert_string_equal(s[2].err.regla, "conflicto");
    Pmm__Ficha *all[] = {a0, a0b, b0, b1, c0, c1, d1, b1r, c1again, c0again};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        pmm__ficha__free_unpacked(all[i], NULL);
}

static long long new_key(const char *rol, const char *emisor, const char *extra)
{
    static int n;
    /* any 40 characters: no ZAP handler reads these rows */
    char pk[96];
    snprintf(pk, sizeof pk, "it-store-%s-%03d%040d", it_run_id(), n++, 0);
    pk[40] = '\0';
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO claves (clave_publica, rol, emisor, nombre, creada_por%s)"
             " VALUES ($1, $2, $3, 'it_store', 'it_store'%s) RETURNING id",
             extra ? ", revocada, vence" : "", extra ? extra : "");
    const char *params[] = {pk, rol, emisor};
    PGresult *res = PQexecParams(owner, sql, 3, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        fail_msg("claves: %s", PQerrorMessage(owner));
    long long id = atoll(PQgetvalue(res, 0, 0));
    PQclear(res);
    return id;
}

static void refusals_and_keys_are_audited_not_stored(void **state)
{
    (void)state;
    long long vigente = new_key("remitente", "D:SRE", NULL);
    long long revocada = new_key("remitente", "D:SRE", ", now(), NULL");
    long long vencida = new_key("remitente", "D:SRE", ", NULL, now() - interval '1 second'");
    Pmm__Ficha *f[5];
    store_item it[5];
    for (int i = 0; i < 5; i++) {
        f[i] = ficha("claves", 6 * i, 0);   /* i * 6: federal, SRE */
        item(&it[i], f[i]);
        snprintf(it[i].identidad, sizeof it[i].identidad, "remitente|D:SRE|%lld",
                 i == 1 ? revocada : i == 2 ? vencida : vigente);
        it[i].clave_id = i == 1 ? revocada : i == 2 ? vencida : vigente;
    }
    pmm_error why;
    pmm_error_set(&why, PMM__ERROR_CODE__ERR_INVALID, "resultados.mujeres", "suma_sexo",
                  "mujeres + hombres excede personas");
    store_item_refused(&it[3], f[3], 0, &why);
    pmm_error_set(&why, PMM__ERROR_CODE__ERR_DENIED, "dependencia", "no_autorizado",
                  "el rol «analista» no puede enviar fichas");
    store_item_refused(&it[4], f[4], 1, &why);
    store_ok(it, 5);

    assert_int_equal(it[0].estado, PMM__ESTADO__ESTADO_ACEPTADA);
    assert_int_equal(it[1].estado, PMM__ESTADO__ESTADO_RECHAZADA);
    assert_int_equal(it[1].err.code, PMM__ERROR_CODE__ERR_DENIED);
    assert_string_equal(it[1].err.regla, "clave_revocada");
    assert_string_equal(it[1].err.campo, "clave");
    assert_int_equal(it[2].estado, PMM__ESTADO__ESTADO_RECHAZADA);
    assert_string_equal(it[2].err.regla, "clave_vencida");
    assert_int_equal(it[3].estado, PMM__ESTADO__ESTADO_RECHAZADA);
    assert_string_equal(it[3].err.regla, "suma_sexo");
    assert_int_equal(it[4].estado, PMM__ESTADO__ESTADO_RECHAZADA);
    assert_string_equal(it[4].err.regla, "no_autorizado");
    assert_int_equal(count("SELECT count(*) FROM fichas WHERE clave LIKE 'claves-%'", NULL, NULL),
                     1);

    /* one audit row each: who, what, why; an invalid ficha's emisor is
     * left out, a denied one's is kept */
    static const char *want[5] = {
        "aceptada|D:SRE|||t", "denegada|D:SRE|clave|clave_revocada|f",
        "denegada|D:SRE|clave|clave_vencida|f",
        "rechazada|(null)|resultados.mujeres|suma_sexo|f",
        "denegada|D:SRE|dependencia|no_autorizado|f"};
    for (int i = 0; i < 5; i++) {
        char clave[96];
        snprintf(clave, sizeof clave, "%.*s", (int)f[i]->clave.len,
                 (const char *)f[i]->clave.data);
        char *row = value("SELECT resultado || '|' || coalesce(emisor, '(null)') || '|'"
                          " || coalesce(campo, '') || '|' || coalesce(regla, '') || '|'"
                          " || CASE WHEN ficha_id IS NULL THEN 'f' ELSE 't' END"
                          " FROM auditoria WHERE clave = $1",
                          clave, NULL);
        assert_string_equal(row, want[i]);
        free(row);
        char *who = value("SELECT identidad FROM auditoria WHERE clave = $1", clave, NULL);
        assert_string_equal(who, it[i].identidad);
        free(who);
    }

    /* the keys' last use: recorded, then not rewritten within a minute */
    pmm_error err;
    char kid[32];
    id_text(kid, sizeof kid, vigente);
    char *t0 = value("SELECT coalesce(ultimo_uso::text, '-') FROM claves WHERE id = $1", kid,
                     NULL);
    assert_string_equal(t0, "-");
    free(t0);
    if (store_touch_keys(ing, it, 5, &err) != 0)
        fail_msg("store_touch_keys: %s", err.mensaje);
    char *t1 = value("SELECT ultimo_uso::text FROM claves WHERE id = $1", kid, NULL);
    assert_string_not_equal(t1, "(null)");
    usleep(20000);
    assert_int_equal(store_touch_keys(ing, it, 5, &err), 0);
    char *t2 = value("SELECT ultimo_uso::text FROM claves WHERE id = $1", kid, NULL);
    assert_string_equal(t1, t2);
    free(t1);
    free(t2);
    for (int i = 0; i < 5; i++)
        pmm__ficha__free_unpacked(f[i], NULL);
}

static void a_failed_batch_stores_nothing(void **state)
{
    (void)state;
    /* the read-only role may not write: the batch fails as a whole */
    PGconn *ro = it_scratch_connect(&env, dbname, "pmm_consulta");
    Pmm__Ficha *f0 = ficha("fallo", 0, 0), *f1 = ficha("fallo", 1, 0);
    store_item it[2];
    item(&it[0], f0);
    item(&it[1], f1);
    pmm_error why, err;
    pmm_error_set(&why, PMM__ERROR_CODE__ERR_INVALID, "programa", "requerido",
                  "falta programa");
    store_item_refused(&it[1], f1, 0, &why);
    pmm_error_clear(&err);
    assert_int_equal(store_batch(ro, it, 2, &err), -1);
    assert_string_equal(err.regla, "42501");   /* insufficient privilege */
    assert_false(db_retryable(err.regla));
    assert_int_equal(it[0].estado, PMM__ESTADO__ESTADO_DESCONOCIDO);
    assert_int_equal(it[1].estado, PMM__ESTADO__ESTADO_RECHAZADA);   /* still says why */
    assert_string_equal(it[1].err.regla, "requerido");
    assert_int_equal(PQtransactionStatus(ro), PQTRANS_IDLE);   /* rolled back */
    assert_int_equal(count("SELECT count(*) FROM auditoria WHERE clave LIKE 'fallo-%'",
                           NULL, NULL),
                     0);
    PQfinish(ro);
    /* the same items, retried where they may be stored */
    item(&it[0], f0);
    store_ok(it, 2);
    assert_int_equal(it[0].estado, PMM__ESTADO__ESTADO_ACEPTADA);
    assert_int_equal(it[1].estado, PMM__ESTADO__ESTADO_RECHAZADA);
    assert_int_equal(count("SELECT count(*) FROM auditoria WHERE clave LIKE 'fallo-%'",
                           NULL, NULL),
                     2);
    pmm__ficha__free_unpacked(f0, NULL);
    pmm__ficha__free_unpacked(f1, NULL);
}

typedef struct {
    store_item *items;
    int rc;
    pmm_error err;
} racer;

static void *race(void *arg)
{
    racer *r = arg;
    r->rc = store_batch(ing, r->items, 1, &r->err);
    return NULL;
}

static void a_concurrent_collector_first(void **state)
{
    (void)state;
    Pmm__Ficha *f = ficha("carrera", 0, 0);
    store_item it;
    item(&it, f);
    char hex[65], clave[96], ejercicio[16];
    sodium_bin2hex(hex, sizeof hex, it.hash, 32);
    snprintf(clave, sizeof clave, "%.*s", (int)f->clave.len, (const char *)f->clave.data);
    snprintf(ejercicio, sizeof ejercicio, "%lld", (long long)f->ejercicio);

    /* another collector's transaction holds version 1 of the same clave,
     * same content, not yet committed */
    PGconn *other = it_scratch_connect(&env, dbname, NULL);
    pmm_error err;
    assert_int_equal(db_exec(other, "BEGIN", &err), 0);
    const char *params[] = {it.emisor, ejercicio, clave, hex};
    PGresult *res = PQexecParams(
        other,
        "INSERT INTO fichas SELECT (jsonb_populate_record(NULL::fichas, to_jsonb(f)"
        "   || jsonb_build_object('id', nextval('fichas_id_seq'), 'emisor', $1::text,"
        "        'ejercicio', $2::int, 'clave', $3::text, 'version', 1,"
        "        'hash', '\\x' || $4::text))).*"
        "  FROM fichas f ORDER BY id LIMIT 1 RETURNING id",
        4, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1)
        fail_msg("la otra transacción: %s", PQerrorMessage(other));
    long long theirs = atoll(PQgetvalue(res, 0, 0));
    PQclear(res);

    racer r = {.items = &it};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, race, &r), 0);
    usleep(300000);   /* ours reads no version, and waits on the unique index */
    assert_int_equal(db_exec(other, "COMMIT", &err), 0);
    pthread_join(t, NULL);
    assert_int_equal(r.rc, -1);
    assert_string_equal(r.err.regla, "23505");
    assert_true(db_retryable(r.err.regla));
    assert_int_equal(it.estado, PMM__ESTADO__ESTADO_DESCONOCIDO);
    PQfinish(other);

    /* the collector's retry: the other one's version, as a repeat */
    store_ok(&it, 1);
    assert_int_equal(it.estado, PMM__ESTADO__ESTADO_REPETIDA);
    assert_int_equal(it.id, theirs);
    assert_int_equal(it.version, 1);
    pmm__ficha__free_unpacked(f, NULL);
}

static int setup(void **state)
{
    (void)state;
    it_env_open(&env);
    owner = it_scratch_create(&env, "store", dbname, sizeof dbname);
    ing = it_scratch_connect(&env, dbname, "pmm_ingestd");
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
    refdata_destroy(&ref);
    PQfinish(ing);
    PQfinish(owner);
    it_scratch_drop(&env, dbname);
    it_env_close(&env);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(new_fichas_then_their_receipts_again),
        cmocka_unit_test(decisions_in_a_batch_and_against_stored_versions),
        cmocka_unit_test(refusals_and_keys_are_audited_not_stored),
        cmocka_unit_test(a_failed_batch_stores_nothing),
        cmocka_unit_test(a_concurrent_collector_first),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
