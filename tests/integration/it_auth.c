/* Authentication and authorisation on the stack's CURVE endpoint (the
 * `remoto` TCP endpoint of ingestd) and least privilege in PostgreSQL. */
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "cert.h"
#include "db.h"
#include "ficha.h"
#include "itlib.h"
#include "zap.h"

static it_env env;
static char prefix[64];
static char keydir[64] = "/tmp/pmm-auth-XXXXXX";
static const char *remote;
static char server_public[CERT_KEY_Z85];
static int counter;

/* Issues a key with `pmm claves emitir ARGS -o keydir`; returns its id and
 * loads the secret certificate written under base. */
static long long issue(const char *args, const char *base, pmm_cert *out)
{
    char cmd[512], *text = NULL;
    snprintf(cmd, sizeof cmd, "\"%s/pmm\" claves emitir %s -o %s", getenv("PMM_BIN"), args,
             keydir);
    assert_int_equal(it_run(cmd, &text), 0);
    long long id = atoll(text + strlen("Clave "));
    free(text);
    char path[256];
    snprintf(path, sizeof path, "%s/%s.key_secret", keydir, base);
    pmm_error err;
    if (cert_load(out, path, &err) != 0)
        fail_msg("%s", err.mensaje);
    return id;
}

typedef struct {
    Pmm__Ficha *f;
    int given;
    sender_result r;
} one_ficha;

static int pull_one(void *u, Pmm__Ficha **out, uint64_t *seq)
{
    one_ficha *c = u;
    if (c->given)
        return 0;
    c->given = 1;
    *out = c->f;
    *seq = 0;
    return 1;
}

static void push_one(void *u, const sender_result *r)
{
    ((one_ficha *)u)->r = *r;
}

/* Sends one ficha of body `dep` over CURVE as `who` (NULL: plaintext). */
static sender_result send_as(const pmm_cert *who, const char *dep)
{
    Pmm__Ficha *f = it_ficha(prefix, counter++, 0);
    ficha_bytes_set(&f->ambito, &f->has_ambito, "federal", 7);
    ficha_bytes_set(&f->dependencia, &f->has_dependencia, dep, strlen(dep));
    zap_client curve = {.enabled = who != NULL};
    if (who) {
        curve.client = *who;
        snprintf(curve.server_public, sizeof curve.server_public, "%s", server_public);
    }
    sender_opts o = {.endpoint = remote, .window = 4, .timeout_ms = 700,
                     .max_attempts = 2, .curve = &curve};
    one_ficha ctx = {.f = f};
    pmm_error err;
    assert_int_equal(sender_run(&o, pull_one, push_one, &ctx, &err), 0);
    return ctx.r;
}

static long long stored(void)
{
    char like[80];
    snprintf(like, sizeof like, "%s-%%", prefix);
    return it_query_ll(env.db, "SELECT count(*) FROM fichas WHERE clave LIKE $1", like);
}

static void remitente_submits_for_itself_only(void **state)
{
    (void)state;
    pmm_cert sre;
    issue("--dependencia SRE", "dependencia-sre", &sre);
    long long before = stored();
    sender_result r = send_as(&sre, "SRE");
    assert_int_equal(r.estado, PMM__ESTADO__ESTADO_ACEPTADA);
    r = send_as(&sre, "INM");
    assert_int_equal(r.estado, PMM__ESTADO__ESTADO_RECHAZADA);
    assert_string_equal(r.err.regla, "no_autorizado");
    assert_string_equal(r.err.campo, "dependencia");
    assert_int_equal(stored(), before + 1);
    /* and the attempt is in the audit trail, with the key's identity */
    assert_true(it_query_ll(env.db,
                            "SELECT count(*) FROM auditoria WHERE resultado = 'denegada'"
                            " AND identidad LIKE 'remitente|D:SRE|%' AND emisor IS NULL",
                            NULL) >= 1);
}

static void unknown_key_gets_no_answer(void **state)
{
    (void)state;
    pmm_cert stranger;
    pmm_error err;
    assert_int_equal(cert_generate(&stranger, "desconocido", &err), 0);
    long long before = stored();
    sender_result r = send_as(&stranger, "SRE");
    assert_int_equal(r.estado, PMM__ESTADO__ESTADO_DESCONOCIDO);
    assert_int_equal(stored(), before);
}

static void plaintext_client_is_refused(void **state)
{
    (void)state;
    long long before = stored();
    sender_result r = send_as(NULL, "SRE");
    assert_int_equal(r.estado, PMM__ESTADO__ESTADO_DESCONOCIDO);
    assert_int_equal(stored(), before);
}

static void revoked_key_is_refused_at_once(void **state)
{
    (void)state;
    pmm_cert inm;
    long long id = issue("--dependencia INM", "dependencia-inm", &inm);
    assert_int_equal(send_as(&inm, "INM").estado, PMM__ESTADO__ESTADO_ACEPTADA);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "\"%s/pmm\" claves revocar %lld >/dev/null", getenv("PMM_BIN"),
             id);
    assert_int_equal(it_run(cmd, NULL), 0);
    long long before = stored();
    assert_int_equal(send_as(&inm, "INM").estado, PMM__ESTADO__ESTADO_DESCONOCIDO);
    assert_int_equal(stored(), before);
}

static void analyst_and_admin_submit_for_anyone_services_never(void **state)
{
    (void)state;
    pmm_cert analista, admin, svc;
    issue("--rol analista --nombre prueba", "analista-prueba", &analista);
    issue("--rol admin --nombre jefa", "admin-jefa", &admin);
    issue("--servicio trabajador", "servicio-trabajador", &svc);
    assert_int_equal(send_as(&analista, "SEGOB").estado, PMM__ESTADO__ESTADO_ACEPTADA);
    assert_int_equal(send_as(&admin, "STPS").estado, PMM__ESTADO__ESTADO_ACEPTADA);
    sender_result r = send_as(&svc, "SEP");
    assert_int_equal(r.estado, PMM__ESTADO__ESTADO_RECHAZADA);
    assert_string_equal(r.err.regla, "no_autorizado");
}

/* Runs sql as `user` (NULL: the schema owner of the test conninfo) and
 * checks that it fails with SQLSTATE `want`. */
static void expect_state(const char *user, const char *sql, const char *want)
{
    char conninfo[512];
    snprintf(conninfo, sizeof conninfo, "%s%s%s",
             conf_get(env.conf, "postgresql", "conninfo", ""), user ? " user=" : "",
             user ? user : "");
    pmm_error err;
    PGconn *db = db_connect(conninfo, "it_auth", &err);
    if (!db)
        fail_msg("%s", err.mensaje);
    PGresult *res = PQexec(db, sql);
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    if (!state || strcmp(state, want))
        fail_msg("%s: %s dio SQLSTATE %s, se esperaba %s", user ? user : "propietario", sql,
                 state ? state : "(ninguno)", want);
    PQclear(res);
    PQfinish(db);
}

static void expect_denied(const char *user, const char *sql)
{
    expect_state(user, sql, "42501");
}

static void database_roles_have_least_privilege(void **state)
{
    (void)state;
    expect_denied("pmm_consulta", "SELECT * FROM contactos");
    expect_denied("pmm_consulta", "DELETE FROM totales");
    expect_denied("pmm_consulta", "INSERT INTO claves (clave_publica, rol, nombre, creada_por)"
                                  " VALUES (repeat('a', 40), 'admin', 'x', 'x')");
    expect_denied("pmm_ingestd", "SELECT * FROM contactos");
    expect_denied("pmm_ingestd", "UPDATE fichas SET programa = 'x'");
    expect_denied("pmm_ingestd", "DELETE FROM fichas");
    expect_denied("pmm_clasificd", "SELECT * FROM contactos");
    expect_denied("pmm_clasificd", "DELETE FROM clasificaciones");
    expect_denied("pmm_aggregd", "SELECT * FROM contactos");
    expect_denied("pmm_aggregd", "INSERT INTO fichas (id) VALUES (1)");
    /* not even the owner: fichas are append-only (010_fichas_solo_anexar) */
    expect_state(NULL, "BEGIN; UPDATE fichas SET programa = programa; ROLLBACK", "23001");
    expect_state(NULL, "BEGIN; DELETE FROM fichas; ROLLBACK", "23001");
}

static int setup(void **state)
{
    (void)state;
    it_env_open(&env);
    snprintf(prefix, sizeof prefix, "auth%s", it_run_id());
    remote = conf_get(env.conf, "ingestd", "remoto", NULL);
    assert_non_null(remote);
    pmm_cert server;
    pmm_error err;
    if (cert_load(&server, conf_get(env.conf, "ingestd", "clave_servidor", ""), &err) != 0)
        fail_msg("%s", err.mensaje);
    snprintf(server_public, sizeof server_public, "%s", server.public_key);
    assert_non_null(mkdtemp(keydir));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", keydir);
    it_run(cmd, NULL);
    it_env_close(&env);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(remitente_submits_for_itself_only),
        cmocka_unit_test(unknown_key_gets_no_answer),
        cmocka_unit_test(plaintext_client_is_refused),
        cmocka_unit_test(revoked_key_is_refused_at_once),
        cmocka_unit_test(analyst_and_admin_submit_for_anyone_services_never),
        cmocka_unit_test(database_roles_have_least_privilege),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
