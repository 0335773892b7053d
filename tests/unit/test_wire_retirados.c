/* test_wire_retirados.c -- fields retired from proto/pmm.proto (issue 16):
 * frames from peers built before, which still send them, are accepted and
 * read as before; the hints this build sends carry nothing but their type.
 *
 * The old frames are encoded here by hand: the generated code no longer
 * has the retired fields, which is the point (no build writes them). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wire.h"

typedef struct {
    uint8_t b[4096];
    size_t n;
} frame;

static void put_byte(frame *f, uint8_t x)
{
    assert_true(f->n < sizeof f->b);
    f->b[f->n++] = x;
}

static void put_varint(frame *f, uint64_t v)
{
    do {
        put_byte(f, (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0)));
        v >>= 7;
    } while (v);
}

static void put_varint_field(frame *f, unsigned field, uint64_t v)
{
    put_varint(f, (uint64_t)field << 3);
    put_varint(f, v);
}

static void put_bytes_field(frame *f, unsigned field, const void *p, size_t len)
{
    put_varint(f, (uint64_t)field << 3 | 2);
    put_varint(f, len);
    assert_true(f->n + len <= sizeof f->b);
    memcpy(f->b + f->n, p, len);
    f->n += len;
}

/* An envelope (version 1, type, request id "r1") whose body, field
 * body_field, is `body`. */
static frame envelope(Pmm__MsgType type, unsigned body_field, const frame *body)
{
    frame f = {.n = 0};
    put_varint_field(&f, 1, PMM__PROTOCOL_VERSION__PROTOCOL_VERSION_CURRENT);
    put_varint_field(&f, 2, (uint64_t)type);
    put_bytes_field(&f, 3, "r1", 2);
    put_bytes_field(&f, body_field, body->b, body->n);
    return f;
}

static Pmm__Envelope *decode_ok(const frame *f, Pmm__MsgType type)
{
    pmm_error err;
    pmm_error_clear(&err);
    Pmm__Envelope *env = wire_decode(f->b, f->n, &err);
    if (!env)
        fail_msg("trama de un par anterior rechazada: %s (%s)", err.mensaje, err.regla);
    assert_int_equal(env->type, type);
    assert_int_equal(env->request_id.len, 2);
    return env;
}

static void old_ping_is_accepted(void **state)
{
    (void)state;
    frame body = {.n = 0};
    put_varint_field(&body, 1, 1700000000000000ULL);   /* client_time_us */
    frame f = envelope(PMM__MSG_TYPE__MSG_PING, 13, &body);
    Pmm__Envelope *env = decode_ok(&f, PMM__MSG_TYPE__MSG_PING);
    assert_int_equal(env->body_case, PMM__ENVELOPE__BODY_PING);
    assert_non_null(env->ping);
    pmm__envelope__free_unpacked(env, NULL);
}

static void old_pong_is_read_as_before(void **state)
{
    (void)state;
    frame body = {.n = 0};
    put_bytes_field(&body, 1, "aggregd", 7);
    put_varint_field(&body, 2, 1700000000000001ULL);
    put_varint_field(&body, 3, 1);
    put_varint_field(&body, 4, 12345);   /* pending */
    frame f = envelope(PMM__MSG_TYPE__MSG_PONG, 14, &body);
    Pmm__Envelope *env = decode_ok(&f, PMM__MSG_TYPE__MSG_PONG);
    assert_int_equal(env->body_case, PMM__ENVELOPE__BODY_PONG);
    /* what `pmm estado` reads */
    assert_true(env->pong->has_database_ok && env->pong->database_ok);
    assert_int_equal(env->pong->component.len, 7);
    assert_memory_equal(env->pong->component.data, "aggregd", 7);
    assert_int_equal(env->pong->server_time_us, 1700000000000001LL);
    pmm__envelope__free_unpacked(env, NULL);
}

static void old_hints_are_accepted(void **state)
{
    (void)state;
    /* ficha_ids, unpacked (as protobuf-c wrote them) and packed */
    frame work = {.n = 0};
    for (uint64_t id = 1; id <= 100; id++)
        put_varint_field(&work, 1, id * 1000003);
    frame packed = {.n = 0};
    for (uint64_t id = 1; id <= 20; id++)
        put_varint(&packed, id);
    put_bytes_field(&work, 1, packed.b, packed.n);
    frame f = envelope(PMM__MSG_TYPE__MSG_WORK, 15, &work);
    Pmm__Envelope *env = decode_ok(&f, PMM__MSG_TYPE__MSG_WORK);
    assert_int_equal(env->body_case, PMM__ENVELOPE__BODY_WORK);
    pmm__envelope__free_unpacked(env, NULL);

    frame classified = {.n = 0};
    put_varint_field(&classified, 1, 7);
    put_varint_field(&classified, 1, 9223372036854775807ULL);
    put_bytes_field(&classified, 2, "lexico+logit-2018", 17);   /* classifier_version */
    f = envelope(PMM__MSG_TYPE__MSG_CLASSIFIED, 16, &classified);
    env = decode_ok(&f, PMM__MSG_TYPE__MSG_CLASSIFIED);
    assert_int_equal(env->body_case, PMM__ENVELOPE__BODY_CLASSIFIED);
    pmm__envelope__free_unpacked(env, NULL);
}

static void old_control_is_read_as_before(void **state)
{
    (void)state;
    frame body = {.n = 0};
    put_bytes_field(&body, 1, "agregar", 7);
    put_bytes_field(&body, 2, "2022", 4);    /* args */
    put_bytes_field(&body, 2, "--ya!", 5);
    frame f = envelope(PMM__MSG_TYPE__MSG_CONTROL, 17, &body);
    Pmm__Envelope *env = decode_ok(&f, PMM__MSG_TYPE__MSG_CONTROL);
    assert_int_equal(env->body_case, PMM__ENVELOPE__BODY_CONTROL);
    /* what aggregd reads */
    assert_true(env->control->has_command);
    assert_int_equal(env->control->command.len, 7);
    assert_memory_equal(env->control->command.data, "agregar", 7);
    pmm__envelope__free_unpacked(env, NULL);
}

/* The hints this build sends: a valid envelope of the right type with an
 * empty body: version and type (2 bytes each) and the empty body's tag and
 * length (2 bytes, 3 for CLASSIFIED: field 16 takes a two-byte tag). */
static void hints_carry_only_their_type(void **state)
{
    (void)state;
    void *ctx = zmq_ctx_new();
    pmm_error err;
    void *tx = wire_socket_new(ctx, ZMQ_PAIR, &err), *rx = wire_socket_new(ctx, ZMQ_PAIR, &err);
    assert_non_null(tx);
    assert_non_null(rx);
    assert_int_equal(zmq_bind(rx, "inproc://pistas"), 0);
    assert_int_equal(zmq_connect(tx, "inproc://pistas"), 0);
    const Pmm__MsgType types[] = {PMM__MSG_TYPE__MSG_WORK, PMM__MSG_TYPE__MSG_CLASSIFIED};
    const Pmm__Envelope__BodyCase bodies[] = {PMM__ENVELOPE__BODY_WORK,
                                              PMM__ENVELOPE__BODY_CLASSIFIED};
    const int sizes[] = {6, 7};
    for (int i = 0; i < 2; i++) {
        assert_int_equal(wire_send_hint(tx, types[i]), 0);
        uint8_t buf[64];
        int n = zmq_recv(rx, buf, sizeof buf, 0);
        assert_int_equal(n, sizes[i]);
        pmm_error_clear(&err);
        Pmm__Envelope *env = wire_decode(buf, (size_t)n, &err);
        assert_non_null(env);
        assert_int_equal(env->type, types[i]);
        assert_int_equal(env->body_case, bodies[i]);
        assert_false(env->has_request_id);
        pmm__envelope__free_unpacked(env, NULL);
    }
    zmq_close(tx);
    zmq_close(rx);
    zmq_ctx_term(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(old_ping_is_accepted),
        cmocka_unit_test(old_pong_is_read_as_before),
        cmocka_unit_test(old_hints_are_accepted),
        cmocka_unit_test(old_control_is_read_as_before),
        cmocka_unit_test(hints_carry_only_their_type),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
