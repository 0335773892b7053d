/* test_sender.c -- the client's submission loop (lib/wire/sender.c) and its
 * reply handling (sender_reply.c).
 *
 * First the reply table on its own: receipts, refusals with and without a
 * request id, unknown and stale ids, duplicates, a busy collector. Then
 * sender_run end to end against a fake collector: a thread with a real
 * ZeroMQ ROUTER on an inproc:// endpoint of the same context, answering
 * the way each test asks (every receipt twice, busy once, silent the first
 * time, silent forever, refusals, noise), so that timeouts, Lazy Pirate
 * resends and duplicates go through the real sockets and timers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sender.h"
#include "sender_reply.h"
#include "wire.h"

#define NMAX 64

/* ---- the reply table on its own --------------------------------------- */

typedef struct {
    int pushes[NMAX];
    sender_result last[NMAX];
    int total;
} results;

static void collect(void *user, const sender_result *r)
{
    results *rs = user;
    assert_true(r->seq < NMAX);
    rs->pushes[r->seq]++;
    rs->last[r->seq] = *r;
    rs->total++;
}

typedef struct {
    sender_slot slots[4];
    sender_table t;
    results rs;
} table_fixture;

static void table_init(table_fixture *f)
{
    memset(f, 0, sizeof *f);
    f->t.slots = f->slots;
    f->t.nslots = 4;
    f->t.push = collect;
    f->t.user = &f->rs;
}

static void table_add(table_fixture *f, int i, uint64_t seq, int unsent)
{
    f->slots[i].in_use = 1;
    f->slots[i].seq = seq;
    f->slots[i].packed = malloc(8);
    assert_non_null(f->slots[i].packed);
    f->slots[i].packed_len = 8;
    f->slots[i].unsent = unsent;
    f->t.inflight++;
    f->t.nunsent += unsent;
}

static void table_free(table_fixture *f)
{
    for (int i = 0; i < 4; i++)
        free(f->slots[i].packed);
}

static void set_bytes(ProtobufCBinaryData *b, protobuf_c_boolean *has, const char *s)
{
    b->data = (uint8_t *)s;
    b->len = strlen(s);
    *has = 1;
}

/* A receipt envelope for (slot, seq); the id buffer must outlive it. */
static void receipt_env(Pmm__Envelope *env, Pmm__Receipt *r, uint8_t id[12], int slot,
                        uint64_t seq, Pmm__Estado estado)
{
    sender_request_id(id, slot, seq);
    wire_envelope_init(env, PMM__MSG_TYPE__MSG_RECEIPT, id, SENDER_REQUEST_ID_LEN);
    pmm__receipt__init(r);
    r->has_estado = r->has_id = r->has_version = r->has_server_time_us = 1;
    r->estado = estado;
    r->id = 1000 + (int64_t)seq;
    r->version = 2;
    r->server_time_us = 1700000000000000LL;
    env->body_case = PMM__ENVELOPE__BODY_RECEIPT;
    env->receipt = r;
}

static void error_env(Pmm__Envelope *env, Pmm__Error *e, const uint8_t *id,
                      Pmm__ErrorCode code)
{
    wire_envelope_init(env, PMM__MSG_TYPE__MSG_ERROR, id, id ? SENDER_REQUEST_ID_LEN : 0);
    pmm__error__init(e);
    e->has_code = 1;
    e->code = code;
    set_bytes(&e->campo, &e->has_campo, "resultados.mujeres");
    set_bytes(&e->regla, &e->has_regla, "suma_sexo");
    set_bytes(&e->mensaje, &e->has_mensaje, "mujeres + hombres excede personas");
    env->body_case = PMM__ENVELOPE__BODY_ERROR;
    env->error = e;
}

static void test_recibos(void **state)
{
    (void)state;
    table_fixture f;
    table_init(&f);
    table_add(&f, 0, 10, 0);
    table_add(&f, 1, 11, 1);
    table_add(&f, 2, 12, 0);
    Pmm__Envelope env;
    Pmm__Receipt r;
    uint8_t id[12];

    receipt_env(&env, &r, id, 0, 10, PMM__ESTADO__ESTADO_ACEPTADA);
    sender_table_reply(&f.t, &env, 5);
    assert_int_equal(f.rs.pushes[10], 1);
    assert_int_equal(f.rs.last[10].estado, PMM__ESTADO__ESTADO_ACEPTADA);
    assert_int_equal(f.rs.last[10].id, 1010);
    assert_int_equal(f.rs.last[10].version, 2);
    assert_int_equal(f.rs.last[10].server_time_us, 1700000000000000LL);
    assert_int_equal(f.rs.last[10].err.code, 0);
    assert_false(f.slots[0].in_use);
    assert_null(f.slots[0].packed);
    assert_int_equal(f.t.inflight, 2);

    /* repeated, for a slot whose last send found no room */
    receipt_env(&env, &r, id, 1, 11, PMM__ESTADO__ESTADO_REPETIDA);
    sender_table_reply(&f.t, &env, 5);
    assert_int_equal(f.rs.last[11].estado, PMM__ESTADO__ESTADO_REPETIDA);
    assert_int_equal(f.t.nunsent, 0);
    assert_int_equal(f.t.inflight, 1);

    /* a refused receipt carries its error, field by field */
    Pmm__Error e;
    error_env(&env, &e, NULL, PMM__ERROR_CODE__ERR_INVALID);
    receipt_env(&env, &r, id, 2, 12, PMM__ESTADO__ESTADO_RECHAZADA);
    r.error = &e;
    sender_table_reply(&f.t, &env, 5);
    assert_int_equal(f.rs.last[12].estado, PMM__ESTADO__ESTADO_RECHAZADA);
    assert_int_equal(f.rs.last[12].err.code, PMM__ERROR_CODE__ERR_INVALID);
    assert_string_equal(f.rs.last[12].err.campo, "resultados.mujeres");
    assert_string_equal(f.rs.last[12].err.regla, "suma_sexo");
    assert_string_equal(f.rs.last[12].err.mensaje, "mujeres + hombres excede personas");
    assert_int_equal(f.t.inflight, 0);
    assert_int_equal(f.rs.total, 3);
    table_free(&f);
}

static void test_errores(void **state)
{
    (void)state;
    table_fixture f;
    table_init(&f);
    table_add(&f, 3, 7, 0);
    Pmm__Envelope env;
    Pmm__Error e;
    uint8_t id[12];

    /* without a request id: nothing to match, nothing happens */
    error_env(&env, &e, NULL, PMM__ERROR_CODE__ERR_MALFORMED);
    sender_table_reply(&f.t, &env, 5);
    assert_int_equal(f.rs.total, 0);
    assert_true(f.slots[3].in_use);

    /* a request id of another length */
    error_env(&env, &e, (const uint8_t *)"0123456789abcdef", PMM__ERROR_CODE__ERR_MALFORMED);
    env.request_id.len = 16;
    sender_table_reply(&f.t, &env, 5);
    assert_int_equal(f.rs.total, 0);

    /* with its request id: the ficha is refused, code and text kept */
    sender_request_id(id, 3, 7);
    error_env(&env, &e, id, PMM__ERROR_CODE__ERR_DENIED);
    sender_table_reply(&f.t, &env, 5);
    assert_int_equal(f.rs.pushes[7], 1);
    assert_int_equal(f.rs.last[7].estado, PMM__ESTADO__ESTADO_RECHAZADA);
    assert_int_equal(f.rs.last[7].err.code, PMM__ERROR_CODE__ERR_DENIED);
    assert_string_equal(f.rs.last[7].err.regla, "suma_sexo");
    assert_false(f.slots[3].in_use);
    assert_int_equal(f.t.inflight, 0);
    table_free(&f);
}

static void test_ids_desconocidos_y_duplicados(void **state)
{
    (void)state;
    table_fixture f;
    table_init(&f);
    table_add(&f, 1, 5, 0);
    Pmm__Envelope env;
    Pmm__Receipt r;
    uint8_t id[12];

    receipt_env(&env, &r, id, 4, 5, PMM__ESTADO__ESTADO_ACEPTADA);   /* out of range */
    sender_table_reply(&f.t, &env, 5);
    receipt_env(&env, &r, id, -1, 5, PMM__ESTADO__ESTADO_ACEPTADA);  /* 0xffffffff */
    sender_table_reply(&f.t, &env, 5);
    receipt_env(&env, &r, id, 0, 5, PMM__ESTADO__ESTADO_ACEPTADA);   /* free slot */
    sender_table_reply(&f.t, &env, 5);
    receipt_env(&env, &r, id, 1, 4, PMM__ESTADO__ESTADO_ACEPTADA);   /* reused slot */
    sender_table_reply(&f.t, &env, 5);
    assert_int_equal(f.rs.total, 0);
    assert_true(f.slots[1].in_use);
    assert_int_equal(f.t.inflight, 1);

    /* the right one, then the same reply again after a resend */
    receipt_env(&env, &r, id, 1, 5, PMM__ESTADO__ESTADO_ACEPTADA);
    sender_table_reply(&f.t, &env, 5);
    sender_table_reply(&f.t, &env, 5);
    assert_int_equal(f.rs.pushes[5], 1);
    assert_int_equal(f.t.inflight, 0);

    /* a type that is not a reply to a SUBMIT */
    table_add(&f, 2, 6, 0);
    Pmm__Pong pong;
    pmm__pong__init(&pong);
    sender_request_id(id, 2, 6);
    wire_envelope_init(&env, PMM__MSG_TYPE__MSG_PONG, id, 12);
    env.body_case = PMM__ENVELOPE__BODY_PONG;
    env.pong = &pong;
    sender_table_reply(&f.t, &env, 5);
    assert_int_equal(f.rs.total, 1);
    assert_true(f.slots[2].in_use);
    table_free(&f);
}

static void test_ocupado(void **state)
{
    (void)state;
    table_fixture f;
    table_init(&f);
    table_add(&f, 0, 1, 1);
    table_add(&f, 1, 2, 0);
    Pmm__Envelope env;
    Pmm__Error e;
    uint8_t id[12];
    sender_request_id(id, 0, 1);
    error_env(&env, &e, id, PMM__ERROR_CODE__ERR_BUSY);
    sender_table_reply(&f.t, &env, 1000);
    assert_int_equal(f.rs.total, 0);
    assert_true(f.slots[0].in_use);
    assert_int_equal(f.slots[0].resend_at_us, 1000 + SENDER_BUSY_PAUSE_US);
    assert_false(f.slots[0].unsent);   /* answered: no longer waiting for room */
    assert_int_equal(f.t.nunsent, 0);
    sender_request_id(id, 1, 2);
    error_env(&env, &e, id, PMM__ERROR_CODE__ERR_INTERNAL);
    sender_table_reply(&f.t, &env, 2000);
    assert_int_equal(f.slots[1].resend_at_us, 2000 + SENDER_BUSY_PAUSE_US);
    assert_int_equal(f.t.inflight, 2);
    assert_int_equal(f.rs.total, 0);
    table_free(&f);
}

/* ---- sender_run against a fake collector ------------------------------ */

typedef enum {
    ANSWER,        /* one receipt per SUBMIT */
    DUPLICATE,     /* every receipt twice, and a stale one */
    BUSY_ONCE,     /* ERR_BUSY the first time a clave comes, then a receipt */
    SILENT_ONCE,   /* no answer the first time a clave comes */
    SILENT,        /* never answers */
    REFUSE,        /* odd claves refused with an ERROR, even ones accepted */
    NOISE,         /* before each receipt: errors without or with unknown ids */
    DIES,          /* takes the first SUBMIT and dies without answering */
} mode;

typedef struct {
    void *sock;
    mode mode;
    atomic_int stop;
    atomic_int seen[NMAX];   /* SUBMITs received per clave number */
    atomic_int identities;   /* connections seen (a new one per Lazy Pirate round) */
    atomic_int dropped;      /* replies to a client socket already closed */
    atomic_int gone;         /* DIES: the socket is closed */
    atomic_int bad;          /* SUBMITs this test never sent */
    uint8_t last_id[WIRE_ID_MAX];
    size_t last_id_len;
} collector;

/* The N of clave "c-N", or -1 (the collector's thread may not fail a
 * cmocka assertion: it counts the oddity in `bad` instead). */
static int clave_number(const Pmm__Ficha *f)
{
    char buf[32];
    if (!f->has_clave || f->clave.len < 3 || f->clave.len >= sizeof buf)
        return -1;
    snprintf(buf, sizeof buf, "%.*s", (int)f->clave.len, (const char *)f->clave.data);
    int n = atoi(buf + 2);
    return strncmp(buf, "c-", 2) == 0 && n >= 0 && n < NMAX ? n : -1;
}

/* A reply to a client socket that is gone (closed by a Lazy Pirate round)
 * is dropped, as ingestd drops it (EHOSTUNREACH): the client asks again.
 * Runs in the collector's thread, so it records instead of failing. */
static void reply(collector *c, const wire_identity *to, const Pmm__Envelope *env)
{
    pmm_error err;
    if (wire_send(c->sock, to, env, &err) != 0)
        c->dropped++;
}

static void answer(collector *c, const wire_identity *from, const Pmm__Envelope *req)
{
    int n = clave_number(req->submit->ficha);
    if (n < 0) {
        c->bad++;
        return;
    }
    int first = c->seen[n]++ == 0;
    const uint8_t *rid = req->request_id.data;
    Pmm__Envelope env;
    Pmm__Receipt r;
    Pmm__Error e;
    uint8_t id[12];
    pmm__receipt__init(&r);
    wire_envelope_init(&env, PMM__MSG_TYPE__MSG_RECEIPT, rid, req->request_id.len);
    env.body_case = PMM__ENVELOPE__BODY_RECEIPT;
    env.receipt = &r;
    r.has_estado = r.has_id = r.has_version = 1;
    r.estado = first ? PMM__ESTADO__ESTADO_ACEPTADA : PMM__ESTADO__ESTADO_REPETIDA;
    r.id = 100 + n;
    r.version = 1;
    switch (c->mode) {
    case SILENT:
        return;
    case DIES:
        atomic_store(&c->stop, 1);
        return;
    case SILENT_ONCE:
        if (first)
            return;
        break;
    case BUSY_ONCE:
        if (first) {
            error_env(&env, &e, rid, PMM__ERROR_CODE__ERR_BUSY);
            reply(c, from, &env);
            return;
        }
        break;
    case REFUSE:
        if (n % 2) {
            error_env(&env, &e, rid, PMM__ERROR_CODE__ERR_INVALID);
            reply(c, from, &env);
            return;
        }
        break;
    case NOISE: {
        Pmm__Envelope noise;
        error_env(&noise, &e, NULL, PMM__ERROR_CODE__ERR_MALFORMED);
        reply(c, from, &noise);
        sender_request_id(id, 9999, 1);
        error_env(&noise, &e, id, PMM__ERROR_CODE__ERR_INVALID);
        reply(c, from, &noise);
        memcpy(id, rid, 12);
        id[4] ^= 0x55;   /* the right slot, another sequence number */
        error_env(&noise, &e, id, PMM__ERROR_CODE__ERR_INVALID);
        reply(c, from, &noise);
        break;
    }
    case DUPLICATE:
    case ANSWER:
        break;
    }
    reply(c, from, &env);
    if (c->mode == DUPLICATE) {
        reply(c, from, &env);
        r.estado = PMM__ESTADO__ESTADO_RECHAZADA;   /* late and wrong: must be ignored */
        reply(c, from, &env);
    }
}

static void *collector_main(void *arg)
{
    collector *c = arg;
    while (!atomic_load(&c->stop)) {
        zmq_pollitem_t it = {c->sock, 0, ZMQ_POLLIN, 0};
        if (zmq_poll(&it, 1, 20) <= 0)
            continue;
        wire_identity from;
        pmm_error err;
        Pmm__Envelope *req = wire_recv(c->sock, &from, ZMQ_DONTWAIT, &err);
        if (!req)
            continue;
        if (from.len != c->last_id_len || memcmp(from.data, c->last_id, from.len)) {
            c->identities++;
            memcpy(c->last_id, from.data, from.len);
            c->last_id_len = from.len;
        }
        if (req->type == PMM__MSG_TYPE__MSG_SUBMIT && req->submit->ficha)
            answer(c, &from, req);
        else if (req->type == PMM__MSG_TYPE__MSG_PING && c->mode != SILENT) {
            Pmm__Envelope env;
            Pmm__Pong pong;
            pmm__pong__init(&pong);
            wire_envelope_init(&env, PMM__MSG_TYPE__MSG_PONG, req->request_id.data,
                               req->request_id.len);
            env.body_case = PMM__ENVELOPE__BODY_PONG;
            env.pong = &pong;
            reply(c, &from, &env);
        }
        pmm__envelope__free_unpacked(req, NULL);
    }
    if (c->mode == DIES) {   /* a collector that died: its connections go */
        int zero = 0;
        zmq_setsockopt(c->sock, ZMQ_LINGER, &zero, sizeof zero);
        zmq_close(c->sock);
        atomic_store(&c->gone, 1);
    }
    return NULL;
}

typedef struct {
    void *zctx;
    collector col;        /* the first collector */
    collector col2;       /* a second one, after bench_add */
    pthread_t thread, thread2;
    int two;
    char endpoint[160];   /* both, separated by a comma, after bench_add */
} bench;

static void collector_start(void *zctx, collector *c, pthread_t *t, mode m,
                            const char *endpoint)
{
    pmm_error err;
    c->sock = wire_socket_new(zctx, ZMQ_ROUTER, &err);
    assert_non_null(c->sock);
    c->mode = m;
    assert_int_equal(zmq_bind(c->sock, endpoint), 0);
    assert_int_equal(pthread_create(t, NULL, collector_main, c), 0);
}

static void collector_stop(collector *c, pthread_t t)
{
    atomic_store(&c->stop, 1);
    pthread_join(t, NULL);
    if (atomic_load(&c->gone))
        return;
    int zero = 0;
    zmq_setsockopt(c->sock, ZMQ_LINGER, &zero, sizeof zero);
    zmq_close(c->sock);
}

static void bench_start(bench *b, mode m, const char *name)
{
    memset(b, 0, sizeof *b);
    b->zctx = zmq_ctx_new();
    assert_non_null(b->zctx);
    if (strstr(name, "://"))
        snprintf(b->endpoint, sizeof b->endpoint, "%s", name);
    else
        snprintf(b->endpoint, sizeof b->endpoint, "inproc://colector-%s", name);
    collector_start(b->zctx, &b->col, &b->thread, m, b->endpoint);
}

/* A second collector: the sender then gets both endpoints. */
static void bench_add(bench *b, mode m, const char *name)
{
    char ep[128];
    if (strstr(name, "://"))
        snprintf(ep, sizeof ep, "%s", name);
    else
        snprintf(ep, sizeof ep, "inproc://colector-%s", name);
    collector_start(b->zctx, &b->col2, &b->thread2, m, ep);
    size_t n = strlen(b->endpoint);
    snprintf(b->endpoint + n, sizeof b->endpoint - n, ", %s", ep);
    b->two = 1;
}

static void bench_stop(bench *b)
{
    collector_stop(&b->col, b->thread);
    if (b->two)
        collector_stop(&b->col2, b->thread2);
    zmq_ctx_term(b->zctx);
    assert_int_equal(b->col.bad + b->col2.bad, 0);
}

typedef struct {
    int n, next;
    int huge_at;   /* > 0: that ficha is larger than the protocol allows */
    results rs;
} source;

/* Owned bytes, as pmm__ficha__free_unpacked frees them. */
static void set_owned(ProtobufCBinaryData *b, protobuf_c_boolean *has, const char *s,
                      size_t n)
{
    b->data = malloc(n);
    assert_non_null(b->data);
    memcpy(b->data, s, n);
    b->len = n;
    *has = 1;
}

static int pull(void *user, Pmm__Ficha **ficha, uint64_t *seq)
{
    source *s = user;
    if (s->next == s->n)
        return 0;
    Pmm__Ficha *f = malloc(sizeof *f);
    assert_non_null(f);
    pmm__ficha__init(f);
    char clave[16];
    snprintf(clave, sizeof clave, "c-%d", s->next);
    set_owned(&f->clave, &f->has_clave, clave, strlen(clave));
    f->has_ejercicio = 1;
    f->ejercicio = 2022;
    if (s->huge_at > 0 && s->next == s->huge_at) {
        size_t n = WIRE_MAX_MSG + 16;
        char *big = malloc(n);
        assert_non_null(big);
        memset(big, 'a', n);
        set_owned(&f->programa, &f->has_programa, big, n);
        free(big);
    }
    *ficha = f;
    *seq = (uint64_t)s->next++;
    return 1;
}

static void push(void *user, const sender_result *r)
{
    source *s = user;
    collect(&s->rs, r);
}

/* Sends n fichas through a window of `window` with the collector in mode m. */
static void run(bench *b, source *src, int n, int window, int timeout_ms, int attempts)
{
    memset(src, 0, sizeof *src);
    src->n = n;
    sender_opts o = {.endpoint = b->endpoint, .window = window, .timeout_ms = timeout_ms,
                     .max_attempts = attempts, .zctx = b->zctx};
    pmm_error err;
    pmm_error_clear(&err);
    if (sender_run(&o, pull, push, src, &err) != 0)
        fail_msg("sender_run: %s", err.mensaje);
    /* every ficha has exactly one result */
    assert_int_equal(src->rs.total, n);
    for (int i = 0; i < n; i++)
        assert_int_equal(src->rs.pushes[i], 1);
}

static void test_run_recibos_duplicados(void **state)
{
    (void)state;
    bench b;
    source s;
    bench_start(&b, DUPLICATE, "dup");
    run(&b, &s, 40, 8, 2000, 3);   /* the window is reused five times */
    for (int i = 0; i < 40; i++) {
        assert_int_equal(s.rs.last[i].estado, PMM__ESTADO__ESTADO_ACEPTADA);
        assert_int_equal(s.rs.last[i].id, 100 + i);
        assert_int_equal(b.col.seen[i], 1);
    }
    bench_stop(&b);
}

static void test_run_ocupado(void **state)
{
    (void)state;
    bench b;
    source s;
    bench_start(&b, BUSY_ONCE, "ocupado");
    int64_t t0 = wire_now_us();
    run(&b, &s, 10, 16, 5000, 3);
    for (int i = 0; i < 10; i++) {
        /* resent after the pause on the same socket: the second copy is
         * the one answered (REPETIDA is how this fake says "second") */
        assert_int_equal(b.col.seen[i], 2);
        assert_int_equal(s.rs.last[i].estado, PMM__ESTADO__ESTADO_REPETIDA);
    }
    assert_true(wire_now_us() - t0 >= SENDER_BUSY_PAUSE_US);
    assert_int_equal(b.col.identities, 1);
    bench_stop(&b);
}

static void test_run_reintento_tras_silencio(void **state)
{
    (void)state;
    bench b;
    source s;
    bench_start(&b, SILENT_ONCE, "silencio");
    run(&b, &s, 5, 8, 300, 4);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(b.col.seen[i], 2);
        assert_int_equal(s.rs.last[i].estado, PMM__ESTADO__ESTADO_REPETIDA);
    }
    /* Lazy Pirate: the resend went out on a fresh socket */
    assert_int_equal(b.col.identities, 2);
    bench_stop(&b);
}

static void test_run_sin_respuesta(void **state)
{
    (void)state;
    bench b;
    source s;
    bench_start(&b, SILENT, "mudo");
    int64_t t0 = wire_now_us();
    run(&b, &s, 3, 8, 100, 3);
    assert_true(wire_now_us() - t0 >= 3 * 100000);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(s.rs.last[i].estado, PMM__ESTADO__ESTADO_DESCONOCIDO);
        assert_string_equal(s.rs.last[i].err.regla, "sin_respuesta");
        assert_non_null(strstr(s.rs.last[i].err.mensaje, "tras 3 intentos"));
    }
    /* the first send and two resends, each on a fresh socket (the last
     * copies may still be on their way to the collector) */
    for (int k = 0; k < 200 && (b.col.seen[0] < 3 || b.col.seen[2] < 3); k++)
        usleep(10000);
    for (int i = 0; i < 3; i++)
        assert_int_equal(b.col.seen[i], 3);
    assert_int_equal(b.col.identities, 3);
    bench_stop(&b);
}

/* Two collectors, one of which dies with fichas it never answered: they
 * are resent on their own after the timeout, while the other collector
 * keeps answering, and ZeroMQ deals them to the one still connected.
 * ipc://, as between real processes: an inproc:// endpoint whose socket
 * is gone still takes a connection (connect before bind), which no
 * collector on another process would do. */
static void test_run_colector_que_muere(void **state)
{
    (void)state;
    char dir[] = "/tmp/pmm-test-sender-XXXXXX", a[96], v[96];
    assert_non_null(mkdtemp(dir));
    snprintf(a, sizeof a, "ipc://%s/muere.sock", dir);
    snprintf(v, sizeof v, "ipc://%s/vive.sock", dir);
    bench b;
    source s;
    bench_start(&b, DIES, a);
    bench_add(&b, ANSWER, v);
    run(&b, &s, 20, 8, 200, 3);
    int lost = -1;
    for (int i = 0; i < 20; i++) {
        /* REPETIDA only if a slow machine let the whole socket fall silent
         * (then everything in flight goes again, on a fresh socket) */
        assert_true(s.rs.last[i].estado == PMM__ESTADO__ESTADO_ACEPTADA ||
                    s.rs.last[i].estado == PMM__ESTADO__ESTADO_REPETIDA);
        assert_true(b.col2.seen[i] >= 1);
        if (b.col.seen[i])
            lost = i;
    }
    assert_true(lost >= 0);   /* the dying one was dealt a ficha */
    assert_true(atomic_load(&b.col.gone));
    bench_stop(&b);
    snprintf(a, sizeof a, "%s/muere.sock", dir);
    unlink(a);
    snprintf(v, sizeof v, "%s/vive.sock", dir);
    unlink(v);
    assert_int_equal(rmdir(dir), 0);
}

static void test_run_rechazos_y_ruido(void **state)
{
    (void)state;
    bench b;
    source s;
    bench_start(&b, REFUSE, "rechazo");
    run(&b, &s, 12, 4, 2000, 3);
    for (int i = 0; i < 12; i++) {
        if (i % 2) {
            assert_int_equal(s.rs.last[i].estado, PMM__ESTADO__ESTADO_RECHAZADA);
            assert_int_equal(s.rs.last[i].err.code, PMM__ERROR_CODE__ERR_INVALID);
            assert_string_equal(s.rs.last[i].err.campo, "resultados.mujeres");
        } else {
            assert_int_equal(s.rs.last[i].estado, PMM__ESTADO__ESTADO_ACEPTADA);
        }
    }
    bench_stop(&b);

    bench_start(&b, NOISE, "ruido");
    run(&b, &s, 12, 4, 2000, 3);
    for (int i = 0; i < 12; i++) {
        assert_int_equal(s.rs.last[i].estado, PMM__ESTADO__ESTADO_ACEPTADA);
        assert_int_equal(b.col.seen[i], 1);
    }
    bench_stop(&b);
}

static void test_run_demasiado_grande(void **state)
{
    (void)state;
    bench b;
    bench_start(&b, ANSWER, "grande");
    source s = {.n = 3, .huge_at = 1};
    sender_opts o = {.endpoint = b.endpoint, .zctx = b.zctx, .timeout_ms = 2000};
    pmm_error err;
    if (sender_run(&o, pull, push, &s, &err) != 0)
        fail_msg("sender_run: %s", err.mensaje);
    assert_int_equal(s.rs.total, 3);
    /* over the protocol's limit: refused by the client, never sent */
    assert_int_equal(s.rs.last[1].estado, PMM__ESTADO__ESTADO_RECHAZADA);
    assert_string_equal(s.rs.last[1].err.regla, "max_tamano");
    assert_int_equal(b.col.seen[1], 0);
    assert_int_equal(s.rs.last[0].estado, PMM__ESTADO__ESTADO_ACEPTADA);
    assert_int_equal(s.rs.last[2].estado, PMM__ESTADO__ESTADO_ACEPTADA);
    bench_stop(&b);
}

static void test_llamada(void **state)
{
    (void)state;
    bench b;
    bench_start(&b, ANSWER, "ping");
    Pmm__Envelope req;
    Pmm__Ping ping;
    pmm__ping__init(&ping);
    wire_envelope_init(&req, PMM__MSG_TYPE__MSG_PING, (const uint8_t *)"p1", 2);
    req.body_case = PMM__ENVELOPE__BODY_PING;
    req.ping = &ping;
    pmm_error err;
    Pmm__Envelope *rep = sender_call(b.zctx, b.endpoint, NULL, &req, 2000, &err);
    if (!rep)
        fail_msg("%s", err.mensaje);
    assert_int_equal(rep->type, PMM__MSG_TYPE__MSG_PONG);
    assert_int_equal(rep->request_id.len, 2);
    pmm__envelope__free_unpacked(rep, NULL);
    bench_stop(&b);

    /* nobody listening: NULL after the timeout, saying so */
    bench_start(&b, SILENT, "ping-mudo");
    pmm_error_clear(&err);
    assert_null(sender_call(b.zctx, b.endpoint, NULL, &req, 100, &err));
    assert_string_equal(err.regla, "sin_respuesta");
    bench_stop(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_recibos),
        cmocka_unit_test(test_errores),
        cmocka_unit_test(test_ids_desconocidos_y_duplicados),
        cmocka_unit_test(test_ocupado),
        cmocka_unit_test(test_run_recibos_duplicados),
        cmocka_unit_test(test_run_ocupado),
        cmocka_unit_test(test_run_reintento_tras_silencio),
        cmocka_unit_test(test_run_sin_respuesta),
        cmocka_unit_test(test_run_colector_que_muere),
        cmocka_unit_test(test_run_rechazos_y_ruido),
        cmocka_unit_test(test_run_demasiado_grande),
        cmocka_unit_test(test_llamada),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
