/* A mixed stream: 10,000 hostile frames interleaved with 10,000 valid
 * fichas, pipelined on one DEALER to the running ingestd. Exactly the valid
 * fichas are stored, each acknowledged once as ACEPTADA; every hostile frame
 * gets its refusal; ingestd is the same process at the end (no crash, no
 * restart) and still answers a PING.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>
#include <cmocka.h>

#include <zmq.h>

#include "ficha.h"
#include "itlib.h"
#include "wire.h"

#define N_VALID 10000
#define N_HOSTILE 10000
#define WINDOW 400            /* frames in flight */
#define SILENCE_MS 15000      /* no reply for this long: fail */

static it_env env;
static char prefix[64];       /* valid claves: <prefix>-m-NNNNN */
static char xprefix[64];      /* hostile fichas: <prefix>-x-NNNNN */

/* ------------------------------------------------------------ helpers */

static uint8_t *pack_env(const Pmm__Envelope *e, size_t *n)
{
    *n = pmm__envelope__get_packed_size(e);
    uint8_t *buf = malloc(*n ? *n : 1);
    pmm__envelope__pack(e, buf);
    return buf;
}

/* request ids: 'V' or 'H', then the index (4 bytes, little endian) */
static void make_rid(uint8_t rid[5], char kind, uint32_t i)
{
    rid[0] = (uint8_t)kind;
    memcpy(rid + 1, &i, 4);
}

static uint8_t *pack_submit(const Pmm__Ficha *f, const uint8_t *rid, size_t rlen,
                            size_t *n)
{
    Pmm__Envelope e;
    Pmm__SubmitRequest s;
    pmm__submit_request__init(&s);
    s.ficha = (Pmm__Ficha *)f;
    wire_envelope_init(&e, PMM__MSG_TYPE__MSG_SUBMIT, rid, rlen);
    e.body_case = PMM__ENVELOPE__BODY_SUBMIT;
    e.submit = &s;
    return pack_env(&e, n);
}

static void setb(ProtobufCBinaryData *b, protobuf_c_boolean *has, const char *s,
                 size_t n)
{
    assert_int_equal(ficha_bytes_set(b, has, s, n), 0);
}

/* A literal, embedded NULs included (sizeof, not strlen). */
#define SETLIT(field, lit) setb(&f->field, &f->has_##field, lit, sizeof lit - 1)

static long long count_like(const char *p)
{
    char like[96];
    snprintf(like, sizeof like, "%s-%%", p);
    return it_query_ll(env.db, "SELECT count(*) FROM fichas WHERE clave LIKE $1",
                       like);
}

/* ingestd's pid from the stack's run directory, or 0 if not found. */
static pid_t ingestd_pid(void)
{
    const char *home = getenv("PMM_HOME");
    char path[4096];
    if (!home)
        return 0;
    snprintf(path, sizeof path, "%s/run/ingestd.pid", home);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    long pid = 0;
    if (fscanf(f, "%ld", &pid) != 1)
        pid = 0;
    fclose(f);
    return (pid_t)pid;
}

/* ------------------------------------------------------------ frames */

typedef struct {
    uint8_t *part[2];
    size_t len[2];
    int nparts;
} frame;

static void frame_free(frame *fr)
{
    for (int i = 0; i < fr->nparts; i++)
        free(fr->part[i]);
}

static uint8_t *dup_bytes(const void *p, size_t n)
{
    uint8_t *b = malloc(n ? n : 1);
    memcpy(b, p, n);
    return b;
}

#define HOSTILE_KINDS 18

/* Hostile frame number i. Fichas in it use the hostile prefix, so any that
 * got stored would show up. */
static frame hostile(uint32_t i)
{
    frame fr = {.nparts = 1};
    uint8_t rid[5];
    make_rid(rid, 'H', i);
    Pmm__Envelope e;
    Pmm__Ping ping;
    pmm__ping__init(&ping);
    Pmm__Ficha *f = it_ficha(xprefix, (int)i, 0);
    int kind = (int)(i % HOSTILE_KINDS);
    switch (kind) {
    case 0: {   /* random bytes */
        size_t n = 1 + (size_t)rand() % 300;
        fr.part[0] = malloc(n);
        for (size_t k = 0; k < n; k++)
            fr.part[0][k] = (uint8_t)rand();
        fr.len[0] = n;
        break;
    }
    case 1: {   /* a valid SUBMIT cut short */
        size_t n;
        uint8_t *b = pack_submit(f, rid, 5, &n);
        fr.part[0] = b;
        fr.len[0] = 1 + (size_t)rand() % (n - 1);
        break;
    }
    case 2:     /* another protocol version */
    case 3:     /* an unknown message type */
    case 4:     /* type and body disagree */
    case 5: {   /* SUBMIT without a ficha */
        Pmm__SubmitRequest s;
        pmm__submit_request__init(&s);
        s.ficha = kind == 5 ? NULL : f;
        wire_envelope_init(&e, PMM__MSG_TYPE__MSG_SUBMIT, rid, 5);
        e.body_case = PMM__ENVELOPE__BODY_SUBMIT;
        e.submit = &s;
        if (kind == 2)
            e.version = 2 + i;
        if (kind == 3)
            e.type = (Pmm__MsgType)(10 + i % 1000);
        if (kind == 4) {
            e.body_case = PMM__ENVELOPE__BODY_PING;
            e.ping = &ping;
        }
        fr.part[0] = pack_env(&e, &fr.len[0]);
        break;
    }
    case 6:     /* invalid UTF-8 */
        SETLIT(programa, "mal \xc3\x28 formado");
        break;
    case 7:     /* embedded NUL in the clave */
        SETLIT(clave, "k\0x");
        break;
    case 8:     /* a negative count */
        f->resultados->personas = -1 - (int64_t)i;
        break;
    case 9:     /* a huge integer */
        f->ejercicio = INT64_MAX - i;
        break;
    case 10: {  /* more than 180 words */
        char words[181 * 3 + 1];
        for (int w = 0; w < 181; w++)
            memcpy(words + 3 * w, "ab ", 3);
        setb(&f->retos, &f->has_retos, words, 181 * 3);
        break;
    }
    case 11: {  /* a valid ficha followed by a second frame */
        fr.part[0] = pack_submit(f, rid, 5, &fr.len[0]);
        fr.part[1] = dup_bytes("sobrante", 8);
        fr.len[1] = 8;
        fr.nparts = 2;
        break;
    }
    case 12:    /* an empty frame */
        fr.part[0] = dup_bytes("", 0);
        fr.len[0] = 0;
        break;
    case 13: {  /* a request id too long to echo */
        uint8_t big[200];
        memset(big, 'H', sizeof big);
        fr.part[0] = pack_submit(f, big, sizeof big, &fr.len[0]);
        break;
    }
    case 14:    /* control characters */
        SETLIT(retos, "ctl \x1b[2J \x07");
        break;
    case 15:    /* out of range objective */
        f->objetivo_pmm = 24 + i;
        break;
    case 16:    /* a clave with SQL in it */
        SETLIT(clave, "x'); DELETE FROM fichas;--");
        break;
    case 17:    /* a message type ingestd does not take */
        wire_envelope_init(&e, PMM__MSG_TYPE__MSG_WORK, rid, 5);
        Pmm__Work w;
        pmm__work__init(&w);
        e.body_case = PMM__ENVELOPE__BODY_WORK;
        e.work = &w;
        fr.part[0] = pack_env(&e, &fr.len[0]);
        break;
    }
    if (!fr.part[0])
        fr.part[0] = pack_submit(f, rid, 5, &fr.len[0]);
    pmm__ficha__free_unpacked(f, NULL);
    return fr;
}

static frame valid(uint32_t i)
{
    frame fr = {.nparts = 1};
    uint8_t rid[5];
    make_rid(rid, 'V', i);
    Pmm__Ficha *f = it_ficha(prefix, (int)i, 0);
    fr.part[0] = pack_submit(f, rid, 5, &fr.len[0]);
    pmm__ficha__free_unpacked(f, NULL);
    return fr;
}

/* ------------------------------------------------------------ the test */

typedef struct {
    uint8_t *acked;          /* per valid ficha: receipts seen */
    long replies_valid, replies_hostile, stray;
    long hostile_error, hostile_rejected;
} tally;

static void on_reply(tally *t, const uint8_t *buf, size_t len)
{
    pmm_error err;
    Pmm__Envelope *r = wire_decode(buf, len, &err);
    if (!r)
        fail_msg("respuesta indescifrable: %s", err.mensaje);
    int is_valid = r->has_request_id && r->request_id.len == 5 &&
                   r->request_id.data[0] == 'V';
    if (is_valid) {
        uint32_t i;
        memcpy(&i, r->request_id.data + 1, 4);
        assert_true(i < N_VALID);
        if (r->type != PMM__MSG_TYPE__MSG_RECEIPT)
            fail_msg("ficha válida %u: respuesta de tipo %d", i, r->type);
        if (r->receipt->estado != PMM__ESTADO__ESTADO_ACEPTADA)
            fail_msg("ficha válida %u: estado %d (%.*s)", i, r->receipt->estado,
                     r->receipt->error ? (int)r->receipt->error->mensaje.len : 0,
                     r->receipt->error ? (const char *)r->receipt->error->mensaje.data
                                       : "");
        assert_true(r->receipt->id > 0);
        assert_int_equal(r->receipt->version, 1);
        t->acked[i]++;
        t->replies_valid++;
    } else {
        /* a hostile frame: refused, whatever the form of the refusal */
        if (r->type == PMM__MSG_TYPE__MSG_ERROR) {
            t->hostile_error++;
        } else if (r->type == PMM__MSG_TYPE__MSG_RECEIPT &&
                   r->receipt->estado == PMM__ESTADO__ESTADO_RECHAZADA) {
            t->hostile_rejected++;
        } else {
            fail_msg("trama hostil aceptada (tipo %d, estado %d)", r->type,
                     r->type == PMM__MSG_TYPE__MSG_RECEIPT ? (int)r->receipt->estado : -1);
        }
        t->replies_hostile++;
    }
    pmm__envelope__free_unpacked(r, NULL);
}

static void mixed_stream(void **state)
{
    (void)state;
    pid_t pid_before = ingestd_pid();
    long long total_before = it_query_ll(env.db, "SELECT count(*) FROM fichas", NULL);

    void *zctx = zmq_ctx_new();
    pmm_error err;
    void *s = wire_socket_new(zctx, ZMQ_DEALER, &err);
    assert_non_null(s);
    assert_int_equal(zmq_connect(s, env.endpoint), 0);

    tally t = {.acked = calloc(N_VALID, 1)};
    srand(20240601);
    const long total = N_VALID + N_HOSTILE;
    long sent = 0, received = 0;
    while (received < total) {
        /* keep the window full, alternating hostile and valid */
        while (sent < total && sent - received < WINDOW) {
            uint32_t i = (uint32_t)(sent / 2);
            frame fr = sent % 2 == 0 ? hostile(i) : valid(i);
            for (int p = 0; p < fr.nparts; p++)
                if (zmq_send(s, fr.part[p], fr.len[p],
                             p + 1 < fr.nparts ? ZMQ_SNDMORE : 0) < 0)
                    fail_msg("envío fallido: %s", zmq_strerror(errno));
            frame_free(&fr);
            sent++;
        }
        zmq_pollitem_t items[] = {{s, 0, ZMQ_POLLIN, 0}};
        int rc = zmq_poll(items, 1, SILENCE_MS);
        if (rc <= 0)
            fail_msg("sin respuesta durante %d ms: %ld enviadas, %ld respuestas "
                     "(%ld válidas, %ld hostiles)", SILENCE_MS, sent, received,
                     t.replies_valid, t.replies_hostile);
        zmq_msg_t msg;
        zmq_msg_init(&msg);
        while (zmq_msg_recv(&msg, s, ZMQ_DONTWAIT) >= 0) {
            on_reply(&t, zmq_msg_data(&msg), zmq_msg_size(&msg));
            received++;
        }
        zmq_msg_close(&msg);
    }
    print_message("%ld respuestas: %ld recibos válidos, %ld rechazos hostiles "
                  "(%ld ERROR, %ld RECHAZADA)\n", received, t.replies_valid,
                  t.replies_hostile, t.hostile_error, t.hostile_rejected);

    /* every valid ficha acknowledged exactly once; every hostile one refused */
    for (int i = 0; i < N_VALID; i++)
        if (t.acked[i] != 1)
            fail_msg("ficha válida %d: %d recibos", i, t.acked[i]);
    assert_int_equal(t.replies_valid, N_VALID);
    assert_int_equal(t.replies_hostile, N_HOSTILE);
    free(t.acked);

    /* exactly the valid fichas were stored, and nothing hostile */
    assert_int_equal(count_like(prefix), N_VALID);
    assert_int_equal(count_like(xprefix), 0);
    assert_int_equal(it_query_ll(env.db, "SELECT count(*) FROM fichas WHERE"
                                 " clave LIKE 'k%' OR clave LIKE 'x''%'", NULL), 0);
    assert_int_equal(it_query_ll(env.db, "SELECT count(*) FROM fichas", NULL),
                     total_before + N_VALID);

    /* the daemon is alive, the same process, and answers */
    Pmm__Envelope e;
    Pmm__Ping ping;
    pmm__ping__init(&ping);
    wire_envelope_init(&e, PMM__MSG_TYPE__MSG_PING, (const uint8_t *)"fin", 3);
    e.body_case = PMM__ENVELOPE__BODY_PING;
    e.ping = &ping;
    assert_int_equal(wire_send(s, NULL, &e, &err), 0);
    zmq_pollitem_t items[] = {{s, 0, ZMQ_POLLIN, 0}};
    assert_int_equal(zmq_poll(items, 1, 5000), 1);
    Pmm__Envelope *pong = wire_recv(s, NULL, 0, &err);
    assert_non_null(pong);
    assert_int_equal(pong->type, PMM__MSG_TYPE__MSG_PONG);
    assert_true(pong->pong->database_ok);
    pmm__envelope__free_unpacked(pong, NULL);
    pid_t pid_after = ingestd_pid();
    if (pid_before) {
        assert_int_equal(pid_after, pid_before);
        assert_int_equal(kill(pid_after, 0), 0);
    } else {
        print_message("sin archivo de pid de ingestd: solo se comprueba el PING\n");
    }
    zmq_close(s);
    zmq_ctx_term(zctx);
}

static int setup(void **state)
{
    (void)state;
    it_env_open(&env);
    snprintf(prefix, sizeof prefix, "%s-m", it_run_id());
    snprintf(xprefix, sizeof xprefix, "%s-x", it_run_id());
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    it_env_close(&env);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mixed_stream),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
