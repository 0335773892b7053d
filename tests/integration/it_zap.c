/* it_zap.c -- the ZAP handler (lib/wire/zap.c) end to end: real CURVE
 * connections over ipc:// to a CURVE server socket in this process, whose
 * handler looks the client's key up in the stack's `claves` table through
 * the collector's own database role. A key in force connects and its
 * messages carry the user id "<rol>|<emisor>|<id>" of its row; an unknown,
 * revoked or expired key, no database, and a role that may not read
 * `claves` are refused (nothing reaches the server); a revocation takes
 * effect on the next connection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cert.h"
#include "db.h"
#include "itlib.h"
#include "wire.h"
#include "zap.h"

#define WAIT_MS 1500

static it_env env;
static void *zctx;
static zap_handler *zap;
static pmm_cert server;
static char dir[] = "/tmp/pmm-it-zap-XXXXXX";
static int attempts;

/* Stores a new key in `claves`; returns its row id. `extra` sets columns
 * after the insert (revocada, vence), or NULL. */
static long long store_key(const pmm_cert *c, const char *rol, const char *emisor,
                           const char *extra)
{
    char nombre[96];
    snprintf(nombre, sizeof nombre, "it_zap %s %s", it_run_id(), c->public_key);
    const char *params[] = {c->public_key, rol, emisor, nombre};
    PGresult *res = PQexecParams(env.db,
                                 "INSERT INTO claves (clave_publica, rol, emisor, nombre,"
                                 " creada_por) VALUES ($1, $2, $3, $4, 'it_zap') RETURNING id",
                                 4, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        fail_msg("INSERT claves: %s", PQerrorMessage(env.db));
    long long id = atoll(PQgetvalue(res, 0, 0));
    PQclear(res);
    if (extra) {
        char sql[256], idtxt[32];
        snprintf(sql, sizeof sql, "UPDATE claves SET %s WHERE id = $1", extra);
        snprintf(idtxt, sizeof idtxt, "%lld", id);
        const char *p[] = {idtxt};
        res = PQexecParams(env.db, sql, 1, NULL, p, NULL, NULL, 0);
        if (PQresultStatus(res) != PGRES_COMMAND_OK || strcmp(PQcmdTuples(res), "1"))
            fail_msg("%s: %s", sql, PQerrorMessage(env.db));
        PQclear(res);
    }
    return id;
}

/* One connection with `client`'s key to a fresh CURVE server socket whose
 * ZAP requests are answered with db. Returns 1 when a message got through
 * (its user id in user), 0 when nothing arrived within WAIT_MS. */
static int connect_as(const pmm_cert *client, PGconn *db, char *user, size_t cap)
{
    pmm_error err;
    char ep[160];
    snprintf(ep, sizeof ep, "ipc://%s/s%d.sock", dir, attempts++);
    void *srv = wire_socket_new(zctx, ZMQ_ROUTER, &err);
    assert_non_null(srv);
    if (zap_curve_server(srv, &server, &err) != 0)
        fail_msg("%s", err.mensaje);
    assert_int_equal(zmq_bind(srv, ep), 0);
    void *cli = wire_socket_new(zctx, ZMQ_DEALER, &err);
    assert_non_null(cli);
    if (zap_curve_client(cli, client, server.public_key, &err) != 0)
        fail_msg("%s", err.mensaje);
    assert_int_equal(zmq_connect(cli, ep), 0);

    Pmm__Envelope e;
    Pmm__Ping ping;
    pmm__ping__init(&ping);
    wire_envelope_init(&e, PMM__MSG_TYPE__MSG_PING, (const uint8_t *)"z", 1);
    e.body_case = PMM__ENVELOPE__BODY_PING;
    e.ping = &ping;
    if (wire_send(cli, NULL, &e, &err) != 0)
        fail_msg("%s", err.mensaje);

    int got = 0;
    int64_t end = wire_now_us() + WAIT_MS * 1000LL;
    while (!got && wire_now_us() < end) {
        zmq_pollitem_t items[] = {{zap_handler_socket(zap), 0, ZMQ_POLLIN, 0},
                                  {srv, 0, ZMQ_POLLIN, 0}};
        if (zmq_poll(items, 2, 50) <= 0)
            continue;
        if (items[0].revents & ZMQ_POLLIN)
            zap_handler_serve(zap, db);
        if (items[1].revents & ZMQ_POLLIN) {
            wire_identity from;
            Pmm__Envelope *m = wire_recv(srv, &from, ZMQ_DONTWAIT, &err);
            if (m) {
                assert_int_equal(m->type, PMM__MSG_TYPE__MSG_PING);
                snprintf(user, cap, "%s", from.user);
                pmm__envelope__free_unpacked(m, NULL);
                got = 1;
            }
        }
    }
    int zero = 0;
    zmq_setsockopt(cli, ZMQ_LINGER, &zero, sizeof zero);
    zmq_setsockopt(srv, ZMQ_LINGER, &zero, sizeof zero);
    zmq_close(cli);
    zmq_close(srv);
    return got;
}

static PGconn *connect_role(const char *section, const char *key)
{
    const char *ci = conf_str(env.conf, section, key);
    if (!ci || !*ci)
        fail_msg("la pila no configura [%s] %s", section, key);
    pmm_error err;
    PGconn *db = db_connect(ci, "it_zap", &err);
    if (!db)
        fail_msg("[%s] %s: %s", section, key, err.mensaje);
    return db;
}

static void key_in_force_connects_with_its_row(void **state)
{
    (void)state;
    PGconn *db = connect_role("ingestd", "conninfo");
    pmm_cert rem, ana;
    pmm_error err;
    assert_int_equal(cert_generate(&rem, "remitente", &err), 0);
    assert_int_equal(cert_generate(&ana, "analista", &err), 0);
    long long rid = store_key(&rem, "remitente", "D:SRE", NULL);
    long long aid = store_key(&ana, "analista", NULL, "vence = now() + interval '1 day'");

    char user[128] = "";
    assert_int_equal(connect_as(&rem, db, user, sizeof user), 1);
    zap_identity id;
    zap_identity_parse(user, &id);
    assert_string_equal(id.rol, "remitente");
    assert_string_equal(id.emisor, "D:SRE");
    assert_int_equal(id.clave_id, rid);

    assert_int_equal(connect_as(&ana, db, user, sizeof user), 1);
    zap_identity_parse(user, &id);
    assert_string_equal(id.rol, "analista");
    assert_string_equal(id.emisor, "");
    assert_int_equal(id.clave_id, aid);

    /* revoked now: the next connection is refused */
    char idtxt[32];
    snprintf(idtxt, sizeof idtxt, "%lld", rid);
    const char *p[] = {idtxt};
    PGresult *res = PQexecParams(env.db,
                                 "UPDATE claves SET revocada = now(), revocada_por = 'it_zap'"
                                 " WHERE id = $1",
                                 1, NULL, p, NULL, NULL, 0);
    assert_int_equal(PQresultStatus(res), PGRES_COMMAND_OK);
    assert_string_equal(PQcmdTuples(res), "1");
    PQclear(res);
    assert_int_equal(connect_as(&rem, db, user, sizeof user), 0);
    PQfinish(db);
}

static void other_keys_are_refused(void **state)
{
    (void)state;
    PGconn *db = connect_role("ingestd", "conninfo");
    pmm_cert unknown, revoked, expired;
    pmm_error err;
    assert_int_equal(cert_generate(&unknown, "desconocida", &err), 0);
    assert_int_equal(cert_generate(&revoked, "revocada", &err), 0);
    assert_int_equal(cert_generate(&expired, "vencida", &err), 0);
    store_key(&revoked, "remitente", "D:INM", "revocada = now(), revocada_por = 'it_zap'");
    store_key(&expired, "servicio", NULL, "vence = now() - interval '1 minute'");
    char user[128];
    assert_int_equal(connect_as(&unknown, db, user, sizeof user), 0);
    assert_int_equal(connect_as(&revoked, db, user, sizeof user), 0);
    assert_int_equal(connect_as(&expired, db, user, sizeof user), 0);
    PQfinish(db);
}

/* A key in force, but nothing to look it up with: refused, never let in. */
static void no_database_no_entry(void **state)
{
    (void)state;
    pmm_cert ok;
    pmm_error err;
    assert_int_equal(cert_generate(&ok, "vigente", &err), 0);
    store_key(&ok, "admin", NULL, NULL);
    char user[128];
    assert_int_equal(connect_as(&ok, NULL, user, sizeof user), 0);
    /* the read-only role may not read `claves`: a database error, refused */
    PGconn *ro = connect_role("postgresql", "lectura");
    assert_int_equal(connect_as(&ok, ro, user, sizeof user), 0);
    PQfinish(ro);
    /* and the same key with the collector's role gets in */
    PGconn *db = connect_role("ingestd", "conninfo");
    assert_int_equal(connect_as(&ok, db, user, sizeof user), 1);
    PQfinish(db);
}

static int setup(void **state)
{
    (void)state;
    it_env_open(&env);
    assert_non_null(mkdtemp(dir));
    zctx = zmq_ctx_new();
    pmm_error err;
    zap = zap_handler_new(zctx, &err);
    if (!zap)
        fail_msg("%s", err.mensaje);
    if (cert_generate(&server, "servidor it_zap", &err) != 0)
        fail_msg("%s", err.mensaje);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    zap_handler_destroy(&zap);
    zmq_ctx_term(zctx);
    char path[256];
    for (int i = 0; i < attempts; i++) {
        snprintf(path, sizeof path, "%s/s%d.sock", dir, i);
        unlink(path);
    }
    rmdir(dir);
    it_env_close(&env);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(key_in_force_connects_with_its_row),
        cmocka_unit_test(other_keys_are_refused),
        cmocka_unit_test(no_database_no_entry),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
