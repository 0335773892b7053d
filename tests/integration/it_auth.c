/* Authentication and authorisation on the stack's CURVE endpoint (the
 * `remoto` TCP endpoint of ingestd) and least privilege in PostgreSQL. */
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "cert.h"
#include "db.h"
#include "ficha.h"
#include "itlib.h"
#include "wire.h"
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
                            " AND identidad LIKE 'remitente|D:SRE|%' AND emisor = 'D:INM'",
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

/* ------------------------------------------------ long-lived connections */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A DEALER connected over CURVE with `who` (NULL: plaintext), kept open
 * across the whole test like a client that never hangs up. */
static void *open_connection(void *ctx, const pmm_cert *who)
{
    pmm_error err;
    void *sock = wire_socket_new(ctx, ZMQ_DEALER, &err);
    assert_non_null(sock);
    if (who && zap_curve_client(sock, who, server_public, &err) != 0)
        fail_msg("%s", err.mensaje);
    assert_int_equal(zmq_connect(sock, remote), 0);
    return sock;
}

/* Sends ficha i of `dep` with request id "r<i>" on an open connection. */
static void submit_on(void *sock, const char *dep, int i)
{
    Pmm__Ficha *f = it_ficha(prefix, 1000 + i, 0);
    ficha_bytes_set(&f->ambito, &f->has_ambito, "federal", 7);
    ficha_bytes_set(&f->dependencia, &f->has_dependencia, dep, strlen(dep));
    Pmm__Envelope env;
    Pmm__SubmitRequest sub;
    char rid[16];
    snprintf(rid, sizeof rid, "r%d", i);
    wire_envelope_init(&env, PMM__MSG_TYPE__MSG_SUBMIT, (const uint8_t *)rid, strlen(rid));
    pmm__submit_request__init(&sub);
    sub.ficha = f;
    env.body_case = PMM__ENVELOPE__BODY_SUBMIT;
    env.submit = &sub;
    pmm_error err;
    assert_int_equal(wire_send(sock, NULL, &env, &err), 0);
    pmm__ficha__free_unpacked(f, NULL);
}

/* The next reply on sock within 5 s (NULL on timeout). */
static Pmm__Envelope *reply_on(void *sock)
{
    zmq_pollitem_t it = {sock, 0, ZMQ_POLLIN, 0};
    if (zmq_poll(&it, 1, 5000) <= 0)
        return NULL;
    pmm_error err;
    return wire_recv(sock, NULL, 0, &err);
}

static Pmm__Estado receipt_state(Pmm__Envelope *env, char *regla, size_t cap)
{
    assert_non_null(env);
    assert_int_equal(env->type, PMM__MSG_TYPE__MSG_RECEIPT);
    Pmm__Estado e = env->receipt->estado;
    regla[0] = '\0';
    if (env->receipt->error && env->receipt->error->has_regla)
        snprintf(regla, cap, "%.*s", (int)env->receipt->error->regla.len,
                 (const char *)env->receipt->error->regla.data);
    pmm__envelope__free_unpacked(env, NULL);
    return e;
}

static long long stored_from(const char *dep)
{
    char like[80];
    snprintf(like, sizeof like, "%s-%%", prefix);
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM fichas WHERE clave LIKE $1 AND dependencia = '%s'", dep);
    return it_query_ll(env.db, sql, like);
}

/* issue 24: send, revoke, send again on the same connection. */
static void revocation_stops_an_open_connection(void **state)
{
    (void)state;
    pmm_cert sep;
    long long id = issue("--dependencia SEP", "dependencia-sep", &sep);
    void *ctx = zmq_ctx_new();
    void *sock = open_connection(ctx, &sep);
    char regla[64];
    for (int i = 0; i < 3; i++)
        submit_on(sock, "SEP", i);
    for (int i = 0; i < 3; i++)
        assert_int_equal(receipt_state(reply_on(sock), regla, sizeof regla),
                         PMM__ESTADO__ESTADO_ACEPTADA);
    long long before = stored_from("SEP");

    char cmd[256];
    snprintf(cmd, sizeof cmd, "\"%s/pmm\" claves revocar %lld >/dev/null", getenv("PMM_BIN"),
             id);
    assert_int_equal(it_run(cmd, NULL), 0);
    double revoked_at = now_s();
    /* the same connection, still open: every ficha refused, none stored */
    submit_on(sock, "SEP", 3);
    Pmm__Estado e = receipt_state(reply_on(sock), regla, sizeof regla);
    double delay = now_s() - revoked_at;
    assert_int_equal(e, PMM__ESTADO__ESTADO_RECHAZADA);
    assert_string_equal(regla, "clave_revocada");
    for (int i = 4; i < 6; i++)
        submit_on(sock, "SEP", i);
    for (int i = 4; i < 6; i++) {
        assert_int_equal(receipt_state(reply_on(sock), regla, sizeof regla),
                         PMM__ESTADO__ESTADO_RECHAZADA);
        assert_string_equal(regla, "clave_revocada");
    }
    assert_int_equal(stored_from("SEP"), before);
    char ident[64];
    snprintf(ident, sizeof ident, "remitente|D:SEP|%lld", id);
    assert_int_equal(it_query_ll(env.db,
                                 "SELECT count(*) FROM auditoria WHERE identidad = $1"
                                 " AND resultado = 'denegada' AND regla = 'clave_revocada'"
                                 " AND emisor = 'D:SEP'",
                                 ident),
                     3);
    printf("revocación: primera ficha rechazada %.1f ms después de pmm claves revocar\n",
           delay * 1000);
    assert_true(delay < 1.0);
    zmq_close(sock);
    zmq_ctx_term(ctx);
}

/* An expiry one second ahead, on an open connection. */
static void expiry_stops_an_open_connection(void **state)
{
    (void)state;
    pmm_cert sader;
    long long id = issue("--dependencia SADER --vence 2999-12-31", "dependencia-sader", &sader);
    void *ctx = zmq_ctx_new();
    void *sock = open_connection(ctx, &sader);
    char regla[64], ids[32];
    submit_on(sock, "SADER", 0);
    assert_int_equal(receipt_state(reply_on(sock), regla, sizeof regla),
                     PMM__ESTADO__ESTADO_ACEPTADA);
    snprintf(ids, sizeof ids, "%lld", id);
    it_query_ll(env.db,
                "WITH u AS (UPDATE claves SET vence = now() + interval '1 second'"
                " WHERE id = $1::bigint RETURNING 1) SELECT count(*) FROM u",
                ids);
    usleep(1300 * 1000);
    long long before = stored_from("SADER");
    submit_on(sock, "SADER", 1);
    assert_int_equal(receipt_state(reply_on(sock), regla, sizeof regla),
                     PMM__ESTADO__ESTADO_RECHAZADA);
    assert_string_equal(regla, "clave_vencida");
    assert_int_equal(stored_from("SADER"), before);
    /* and a new connection is refused at the handshake */
    zmq_close(sock);
    sock = open_connection(ctx, &sader);
    submit_on(sock, "SADER", 2);
    assert_null(reply_on(sock));
    assert_int_equal(stored_from("SADER"), before);
    zmq_close(sock);
    zmq_ctx_term(ctx);
}

/* Error replies echo the request id whenever the frame could be read that
 * far: another protocol version, a type without its body, a frame that
 * does not unpack after the request id. */
static void errors_echo_the_request_id(void **state)
{
    (void)state;
    pmm_cert analista;
    issue("--rol analista --nombre eco", "analista-eco", &analista);
    void *ctx = zmq_ctx_new();
    void *sock = open_connection(ctx, &analista);
    /* version 2 */
    const uint8_t v2[] = {0x08, 0x02, 0x10, 0x04, 0x1a, 0x03, 'v', '-', '2', 0x6a, 0x00};
    /* PING type carrying no ping body */
    const uint8_t ty[] = {0x08, 0x01, 0x10, 0x04, 0x1a, 0x03, 't', '-', '1'};
    /* a valid header, then a length that runs past the end */
    const uint8_t mal[] = {0x08, 0x01, 0x10, 0x01, 0x1a, 0x03, 'm', '-', '1', 0x52, 0x40, 0x01};
    const struct {
        const uint8_t *b;
        size_t n;
        const char *rid;
        Pmm__ErrorCode code;
    } cases[] = {{v2, sizeof v2, "v-2", PMM__ERROR_CODE__ERR_VERSION},
                 {ty, sizeof ty, "t-1", PMM__ERROR_CODE__ERR_TYPE},
                 {mal, sizeof mal, "m-1", PMM__ERROR_CODE__ERR_MALFORMED}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(zmq_send(sock, cases[i].b, cases[i].n, 0), (int)cases[i].n);
        Pmm__Envelope *r = reply_on(sock);
        assert_non_null(r);
        assert_int_equal(r->type, PMM__MSG_TYPE__MSG_ERROR);
        assert_int_equal(r->error->code, cases[i].code);
        assert_true(r->has_request_id);
        assert_int_equal(r->request_id.len, strlen(cases[i].rid));
        assert_memory_equal(r->request_id.data, cases[i].rid, strlen(cases[i].rid));
        pmm__envelope__free_unpacked(r, NULL);
    }
    zmq_close(sock);
    zmq_ctx_term(ctx);
}

/* Lines of ingestd's log from byte `from` on contain `needle` within 3 s. */
static int log_has(long from, const char *needle)
{
    char path[512];
    snprintf(path, sizeof path, "%s/log/ingestd.log", getenv("PMM_HOME"));
    for (int tries = 0; tries < 30; tries++) {
        FILE *f = fopen(path, "r");
        if (f) {
            fseek(f, from, SEEK_SET);
            char line[2048];
            while (fgets(line, sizeof line, f))
                if (strstr(line, needle)) {
                    fclose(f);
                    return 1;
                }
            fclose(f);
        }
        usleep(100 * 1000);
    }
    return 0;
}

static long log_size(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/log/ingestd.log", getenv("PMM_HOME"));
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : 0;
}

/* What libzmq refuses or drops leaves a line in ingestd's log. */
static void refused_connections_are_logged(void **state)
{
    (void)state;
    void *ctx = zmq_ctx_new();
    long mark = log_size();
    void *plain = open_connection(ctx, NULL);
    zmq_send(plain, "hola", 4, ZMQ_DONTWAIT);
    /* which side notices the mismatch first is a race: either line names
     * the refusal and the peer */
    assert_true(log_has(mark, "conexión rechazada desde "));
    zmq_close(plain);

    pmm_cert analista;
    issue("--rol analista --nombre grande", "analista-grande", &analista);
    mark = log_size();
    void *big = open_connection(ctx, &analista);
    size_t n = 2 * 1024 * 1024;
    char *frame = calloc(1, n);
    assert_non_null(frame);
    zmq_send(big, frame, n, 0);
    free(frame);
    assert_true(log_has(mark, "sin ninguna trama válida"));
    zmq_close(big);

    pmm_cert stranger;
    pmm_error err;
    assert_int_equal(cert_generate(&stranger, "desconocido", &err), 0);
    mark = log_size();
    void *unknown = open_connection(ctx, &stranger);
    zmq_send(unknown, "x", 1, ZMQ_DONTWAIT);
    assert_true(log_has(mark, "clave desconocida"));
    zmq_close(unknown);
    zmq_ctx_term(ctx);
}

/* Runs sql as `user` (NULL: the schema owner of the test conninfo) and
 * checks that it fails with SQLSTATE `want`. */
static void expect_state(const char *user, const char *sql, const char *want)
{
    char conninfo[512];
    snprintf(conninfo, sizeof conninfo, "%s%s%s",
             conf_conninfo(env.conf, NULL), user ? " user=" : "",
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
    remote = conf_str(env.conf, "ingestd", "remoto");
    assert_non_null(remote);
    pmm_cert server;
    pmm_error err;
    const char *pub = conf_str(env.conf, "ingestd", "clave_servidor");
    if (cert_load(&server, pub ? pub : "", &err) != 0)
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
        cmocka_unit_test(revocation_stops_an_open_connection),
        cmocka_unit_test(expiry_stops_an_open_connection),
        cmocka_unit_test(errors_echo_the_request_id),
        cmocka_unit_test(refused_connections_are_logged),
        cmocka_unit_test(database_roles_have_least_privilege),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
