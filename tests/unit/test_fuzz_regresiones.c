/* Reproducers of what the libFuzzer harnesses (tests/fuzz/) and the hostile
 * input suite found, one test each, so the fixes stay fixed without a
 * fuzzer: run them in the ASan/UBSan build to see the undefined behaviour
 * the first one was about. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "error.h"
#include "ficha.h"
#include "testutil.h"
#include "utf8.h"
#include "wire.h"

static refdata *ref;
static const ficha_rules rules = {.current_year = 2025, .accept_new_bodies = false};

static int setup(void **state)
{
    (void)state;
    pmm_error err;
    ref = refdata_load(test_data_dir(), &err);
    return ref ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    refdata_destroy(&ref);
    return 0;
}

static Pmm__Ficha *base_ficha(void)
{
    pmm_error err;
    Pmm__Ficha *f = ficha_from_json_text(TEST_FICHA_JSON, strlen(TEST_FICHA_JSON),
                                         &err);
    assert_non_null(f);
    return f;
}

static void assert_error_utf8(const pmm_error *err)
{
    assert_true(utf8_valid(err->campo, strlen(err->campo)));
    assert_true(utf8_valid(err->regla, strlen(err->regla)));
    assert_true(utf8_valid(err->mensaje, strlen(err->mensaje)));
}

/* fuzz_wire: a present but empty bytes field comes from protobuf-c with
 * data == NULL; check_text passed it to memchr (UBSan: null pointer passed
 * as argument 1, which is declared to never be null). */
static void empty_bytes_field_with_null_data(void **state)
{
    (void)state;
    Pmm__Ficha *f = base_ficha();
    free(f->programa.data);
    f->programa.data = NULL;
    f->programa.len = 0;
    f->has_programa = 1;
    pmm_error err;
    assert_int_equal(ficha_validate(f, ref, &rules, &err), -1);
    assert_string_equal(err.campo, "programa");
    assert_string_equal(err.regla, "vacio");
    pmm__ficha__free_unpacked(f, NULL);

    /* the same from the wire: field 7 (programa), length 0 */
    static const uint8_t wire[] = {0x3a, 0x00};
    Pmm__Ficha *g = pmm__ficha__unpack(NULL, sizeof wire, wire);
    assert_non_null(g);
    assert_true(g->has_programa);
    assert_int_equal(g->programa.len, 0);
    pmm__ficha__free_unpacked(g, NULL);
}

/* fuzz_wire: protobuf-c keeps unknown fields and ficha_hash packed them, so
 * the same stored content hashed differently (a resend with an extra field
 * was a conflict) and a JSON round trip changed the hash. */
static void unknown_fields_are_not_content(void **state)
{
    (void)state;
    Pmm__Ficha *f = base_ficha();
    pmm_error err;
    assert_int_equal(ficha_validate(f, ref, &rules, &err), 0);
    uint8_t h1[32], h2[32];
    assert_int_equal(ficha_hash(f, h1), 0);
    size_t n = pmm__ficha__get_packed_size(f);
    uint8_t *buf = malloc(n + 16);
    pmm__ficha__pack(f, buf);
    /* an unknown top-level field 99 (varint 1), and one inside resultados
     * is the same code path: append the first */
    buf[n] = 0x98;
    buf[n + 1] = 0x06;
    buf[n + 2] = 0x01;
    Pmm__Ficha *g = pmm__ficha__unpack(NULL, n + 3, buf);
    free(buf);
    assert_non_null(g);
    assert_int_equal(g->base.n_unknown_fields, 1);
    assert_int_equal(ficha_validate(g, ref, &rules, &err), 0);
    assert_int_equal(ficha_hash(g, h2), 0);
    assert_memory_equal(h1, h2, 32);
    pmm__ficha__free_unpacked(g, NULL);
    pmm__ficha__free_unpacked(f, NULL);
}

/* fuzz_json: an unknown field name cut at 60 bytes (the message) and at
 * PMM_ERR_CAMPO (the campo) split a multi-byte character, and `pmm enviar
 * --json` then dropped the field from its output (jansson refuses invalid
 * UTF-8). */
static void long_unknown_field_name_stays_utf8(void **state)
{
    (void)state;
    char json[512] = "{\"";
    for (int i = 0; i < 70; i++)
        strcat(json, "ñ");
    strcat(json, "\":1}");
    pmm_error err;
    assert_null(ficha_from_json_text(json, strlen(json), &err));
    assert_string_equal(err.regla, "campo_desconocido");
    assert_error_utf8(&err);
    assert_true(strlen(err.campo) > 0);
}

/* The unknown entidad was quoted cut at 64 bytes, splitting a character. */
static void unknown_entidad_quote_stays_utf8(void **state)
{
    (void)state;
    Pmm__Ficha *f = base_ficha();
    char ent[128] = "x";   /* then 2-byte characters: byte 64 is inside one */
    for (int i = 0; i < 33; i++)
        strcat(ent, "é");
    ficha_bytes_set(&f->entidad, &f->has_entidad, ent, strlen(ent));
    pmm_error err;
    assert_int_equal(ficha_validate(f, ref, &rules, &err), -1);
    assert_string_equal(err.regla, "desconocida");
    assert_error_utf8(&err);
    pmm__ficha__free_unpacked(f, NULL);
}

/* With aceptar_dependencias_nuevas, a dependencia of 64 characters (up to
 * 256 bytes) was cut into an 80-byte emisor: two bodies could share one
 * emisor, and a split character made PostgreSQL refuse the whole batch. */
static void emisor_is_never_truncated(void **state)
{
    (void)state;
    Pmm__Ficha *f = base_ficha();
    char dep[300] = "";
    for (int i = 0; i < 64; i++)
        strcat(dep, "ñ");
    ficha_bytes_set(&f->dependencia, &f->has_dependencia, dep, strlen(dep));
    ficha_rules open = rules;
    open.accept_new_bodies = true;
    pmm_error err;
    assert_int_equal(ficha_validate(f, ref, &open, &err), 0);
    char emisor[FICHA_EMISOR_MAX];
    ficha_emisor(f, emisor, sizeof emisor);
    assert_int_equal(strlen(emisor), 2 + strlen(dep));
    assert_true(utf8_valid(emisor, strlen(emisor)));
    pmm__ficha__free_unpacked(f, NULL);
}

/* Any error text is valid UTF-8, whatever was formatted into it. */
static void error_text_is_always_utf8(void **state)
{
    (void)state;
    pmm_error err;
    char big[PMM_ERR_MENSAJE + 8] = "";
    for (size_t i = 0; i + 2 < sizeof big; i += 2)
        strcat(big, "ñ");
    pmm_error_set(&err, 1, big, "regla", "x%s", big);   /* cut everywhere */
    assert_error_utf8(&err);
    pmm_error_set(&err, 1, "c", "r", "bytes \xff malos \xc3( y \xe2\x82");
    assert_error_utf8(&err);
    assert_string_equal(err.mensaje, "bytes ? malos ?( y ");
    pmm_error_prefix(&err, big);
    assert_error_utf8(&err);
}

static void utf8_cut_keeps_characters_whole(void **state)
{
    (void)state;
    const char *s = "añb";   /* a, C3 B1, b */
    assert_int_equal(utf8_cut(s, 4, 10), 4);
    assert_int_equal(utf8_cut(s, 4, 3), 3);
    assert_int_equal(utf8_cut(s, 4, 2), 1);
    assert_int_equal(utf8_cut(s, 4, 1), 1);
    assert_int_equal(utf8_cut(s, 4, 0), 0);
}

static uint8_t *pack_ping(Pmm__Envelope *e, size_t *n)
{
    *n = pmm__envelope__get_packed_size(e);
    uint8_t *buf = malloc(*n + 1);
    pmm__envelope__pack(e, buf);
    return buf;
}

/* wire_decode: the checks wire_recv makes, each with its rule. */
static void wire_decode_refusals(void **state)
{
    (void)state;
    pmm_error err;
    Pmm__Envelope e;
    Pmm__Ping p;
    pmm__ping__init(&p);
    wire_envelope_init(&e, PMM__MSG_TYPE__MSG_PING, (const uint8_t *)"id", 2);
    e.body_case = PMM__ENVELOPE__BODY_PING;
    e.ping = &p;
    size_t n;
    uint8_t *buf = pack_ping(&e, &n);
    Pmm__Envelope *ok = wire_decode(buf, n, &err);
    assert_non_null(ok);
    pmm__envelope__free_unpacked(ok, NULL);
    free(buf);

    static const uint8_t garbage[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    assert_null(wire_decode(garbage, sizeof garbage, &err));
    assert_int_equal(err.code, PMM__ERROR_CODE__ERR_MALFORMED);
    assert_string_equal(err.regla, "protobuf");

    uint8_t *huge = calloc(1, WIRE_MAX_MSG + 1);
    assert_null(wire_decode(huge, WIRE_MAX_MSG + 1, &err));
    assert_string_equal(err.regla, "max_tamano");
    free(huge);

    e.version = 2;
    buf = pack_ping(&e, &n);
    assert_null(wire_decode(buf, n, &err));
    assert_int_equal(err.code, PMM__ERROR_CODE__ERR_VERSION);
    free(buf);
    e.version = 1;

    e.type = PMM__MSG_TYPE__MSG_SUBMIT;   /* with a PING body */
    buf = pack_ping(&e, &n);
    assert_null(wire_decode(buf, n, &err));
    assert_int_equal(err.code, PMM__ERROR_CODE__ERR_TYPE);
    free(buf);
    e.type = PMM__MSG_TYPE__MSG_PING;

    /* a request_id too long to echo in a reply */
    uint8_t rid[WIRE_REQUEST_ID_MAX + 1];
    memset(rid, 'r', sizeof rid);
    e.request_id.data = rid;
    e.request_id.len = sizeof rid;
    buf = pack_ping(&e, &n);
    assert_null(wire_decode(buf, n, &err));
    assert_int_equal(err.code, PMM__ERROR_CODE__ERR_MALFORMED);
    assert_string_equal(err.campo, "request_id");
    assert_string_equal(err.regla, "max_tamano");
    free(buf);
    e.request_id.len = WIRE_REQUEST_ID_MAX;
    buf = pack_ping(&e, &n);
    ok = wire_decode(buf, n, &err);
    assert_non_null(ok);
    pmm__envelope__free_unpacked(ok, NULL);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(empty_bytes_field_with_null_data),
        cmocka_unit_test(unknown_fields_are_not_content),
        cmocka_unit_test(long_unknown_field_name_stays_utf8),
        cmocka_unit_test(unknown_entidad_quote_stays_utf8),
        cmocka_unit_test(emisor_is_never_truncated),
        cmocka_unit_test(error_text_is_always_utf8),
        cmocka_unit_test(utf8_cut_keeps_characters_whole),
        cmocka_unit_test(wire_decode_refusals),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
