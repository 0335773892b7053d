/* test_zap.c -- lib/wire/zap.c without a database: the user id a daemon
 * reads back (zap_identity_parse), and the handler's side of the ZAP
 * protocol (RFC 27) driven by a REQ socket on inproc://zeromq.zap.01, as
 * libzmq drives it: every malformed request and, with no database, every
 * key is refused with status 400, echoing the request id. The handler
 * against real CURVE connections and rows of `claves` is the integration
 * test it_zap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <zmq.h>

#include "cert.h"
#include "zap.h"

static void test_identidad(void **state)
{
    (void)state;
    zap_identity id;
    zap_identity_parse("remitente|D:SRE|42", &id);
    assert_string_equal(id.rol, "remitente");
    assert_string_equal(id.emisor, "D:SRE");
    assert_int_equal(id.clave_id, 42);

    zap_identity_parse("analista||7", &id);
    assert_string_equal(id.rol, "analista");
    assert_string_equal(id.emisor, "");
    assert_int_equal(id.clave_id, 7);

    zap_identity_parse("remitente|E:09|123456789012", &id);
    assert_string_equal(id.emisor, "E:09");
    assert_int_equal(id.clave_id, 123456789012LL);

    /* no ZAP at all: a local ipc socket */
    zap_identity_parse("", &id);
    assert_string_equal(id.rol, "local");
    assert_string_equal(id.emisor, "");
    assert_int_equal(id.clave_id, 0);
    zap_identity_parse(NULL, &id);
    assert_string_equal(id.rol, "local");

    /* not the handler's format: never mistaken for a role */
    static const char *const malos[] = {"admin", "admin|", "remitente|D:SRE", "|"};
    for (size_t i = 0; i < sizeof malos / sizeof *malos; i++) {
        zap_identity_parse(malos[i], &id);
        assert_string_equal(id.rol, "desconocido");
        assert_string_equal(id.emisor, "");
        assert_int_equal(id.clave_id, 0);
    }

    /* over-long parts are cut to their buffers, still terminated */
    char largo[400];
    memset(largo, 'r', 40);
    snprintf(largo + 40, sizeof largo - 40, "|");
    memset(largo + 41, 'e', 200);
    snprintf(largo + 241, sizeof largo - 241, "|9");
    zap_identity_parse(largo, &id);
    assert_int_equal(strlen(id.rol), sizeof id.rol - 1);
    assert_int_equal(strlen(id.emisor), sizeof id.emisor - 1);
    assert_int_equal(id.clave_id, 9);

    /* a row id that is not a number reads as 0 (no such row) */
    zap_identity_parse("admin||x", &id);
    assert_string_equal(id.rol, "admin");
    assert_int_equal(id.clave_id, 0);
}

typedef struct {
    void *ctx;
    zap_handler *h;
    void *req;
} zap_fixture;

static int setup(void **state)
{
    static zap_fixture f;
    memset(&f, 0, sizeof f);
    f.ctx = zmq_ctx_new();
    pmm_error err;
    f.h = zap_handler_new(f.ctx, &err);
    if (!f.h) {
        print_error("%s\n", err.mensaje);
        return -1;
    }
    f.req = zmq_socket(f.ctx, ZMQ_REQ);
    int linger = 0, timeout = 2000;
    zmq_setsockopt(f.req, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(f.req, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    if (zmq_connect(f.req, "inproc://zeromq.zap.01") != 0)
        return -1;
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    zap_fixture *f = *state;
    zmq_close(f->req);
    zap_handler_destroy(&f->h);
    assert_null(f->h);
    zap_handler_destroy(&f->h);   /* NULL-safe */
    zmq_ctx_term(f->ctx);
    return 0;
}

/* Sends the frames (n of them), lets the handler serve them, and reads
 * the reply into reply[0..6) (each up to 63 bytes, NUL-terminated).
 * Returns how many frames the reply had. */
static int exchange(zap_fixture *f, const char *const *frames, const size_t *lens, int n,
                    char reply[6][64])
{
    for (int i = 0; i < n; i++)
        assert_true(zmq_send(f->req, frames[i], lens[i], i + 1 < n ? ZMQ_SNDMORE : 0) >= 0);
    zmq_pollitem_t it = {zap_handler_socket(f->h), 0, ZMQ_POLLIN, 0};
    assert_int_equal(zmq_poll(&it, 1, 2000), 1);
    zap_handler_serve(f->h, NULL);
    int got = 0, more = 1;
    while (more) {
        char buf[64];
        int len = zmq_recv(f->req, buf, sizeof buf - 1, 0);
        assert_true(len >= 0);
        if (len > (int)sizeof buf - 1)
            len = (int)sizeof buf - 1;
        buf[len] = '\0';
        if (got < 6)
            memcpy(reply[got], buf, (size_t)len + 1);
        got++;
        int m = 0;
        size_t ms = sizeof m;
        zmq_getsockopt(f->req, ZMQ_RCVMORE, &m, &ms);
        more = m;
    }
    return got;
}

static void test_manejador_sin_base(void **state)
{
    zap_fixture *f = *state;
    pmm_cert c;
    pmm_error err;
    assert_int_equal(cert_generate(&c, "prueba", &err), 0);
    uint8_t key[32];
    assert_non_null(zmq_z85_decode(key, c.public_key));
    const char *frames[] = {"1.0", "req-1", ZAP_DOMAIN, "127.0.0.1", "", "CURVE",
                            (const char *)key};
    size_t lens[] = {3, 5, strlen(ZAP_DOMAIN), 9, 0, 5, 32};
    char reply[6][64];

    /* well formed, but no database to look the key up in: refused */
    assert_int_equal(exchange(f, frames, lens, 7, reply), 6);
    assert_string_equal(reply[0], "1.0");
    assert_string_equal(reply[1], "req-1");   /* the request id, echoed */
    assert_string_equal(reply[2], "400");
    assert_string_equal(reply[3], "denegado");
    assert_string_equal(reply[4], "");        /* no user id */

    /* malformed requests: refused, the request id still echoed */
    lens[6] = 31;   /* a key of the wrong size */
    assert_int_equal(exchange(f, frames, lens, 7, reply), 6);
    assert_string_equal(reply[1], "req-1");
    assert_string_equal(reply[2], "400");
    lens[6] = 32;
    frames[5] = "PLAIN";   /* another mechanism */
    assert_int_equal(exchange(f, frames, lens, 7, reply), 6);
    assert_string_equal(reply[2], "400");
    frames[5] = "CURVE";
    frames[0] = "2.0";     /* another protocol version */
    assert_int_equal(exchange(f, frames, lens, 7, reply), 6);
    assert_string_equal(reply[2], "400");
    frames[0] = "1.0";
    assert_int_equal(exchange(f, frames, lens, 5, reply), 6);   /* frames missing */
    assert_string_equal(reply[1], "req-1");
    assert_string_equal(reply[2], "400");
    assert_string_equal(reply[4], "");

    /* more frames than a request has: read to the end, refused */
    const char *many[10];
    size_t mlens[10];
    for (int i = 0; i < 10; i++) {
        many[i] = i < 7 ? frames[i] : "extra";
        mlens[i] = i < 7 ? lens[i] : 5;
    }
    assert_int_equal(exchange(f, many, mlens, 10, reply), 6);
    assert_string_equal(reply[2], "400");

    /* nothing waiting: serve returns at once */
    zap_handler_serve(f->h, NULL);
}

static void test_un_solo_manejador(void **state)
{
    zap_fixture *f = *state;
    pmm_error err;
    pmm_error_clear(&err);
    /* the ZAP endpoint is taken: a second handler in the context fails */
    zap_handler *second = zap_handler_new(f->ctx, &err);
    assert_null(second);
    assert_string_equal(err.regla, "zeromq");
    assert_non_null(strstr(err.mensaje, "manejador ZAP"));
}

static void test_cliente_curve(void **state)
{
    zap_fixture *f = *state;
    pmm_cert c;
    pmm_error err;
    assert_int_equal(cert_generate(&c, "cliente", &err), 0);
    void *s = zmq_socket(f->ctx, ZMQ_DEALER);
    assert_non_null(s);
    pmm_error_clear(&err);
    assert_int_equal(zap_curve_client(s, &c, "no es una clave", &err), -1);
    assert_string_equal(err.campo, "clave_servidor");
    assert_string_equal(err.regla, "formato");
    pmm_cert srv;
    assert_int_equal(cert_generate(&srv, "servidor", &err), 0);
    assert_int_equal(zap_curve_client(s, &c, srv.public_key, &err), 0);
    /* a disabled client configuration changes nothing */
    zap_client off = {0};
    assert_int_equal(zap_client_apply(s, &off, &err), 0);
    assert_int_equal(zap_client_apply(s, NULL, &err), 0);
    zmq_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identidad),
        cmocka_unit_test(test_manejador_sin_base),
        cmocka_unit_test(test_un_solo_manejador),
        cmocka_unit_test(test_cliente_curve),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
