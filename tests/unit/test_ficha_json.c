/* JSON <-> protobuf: round trip of every field, and the strict reader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include "ficha_json.h"
#include "ficha_reader.h"
#include "testutil.h"

/* JSON -> protobuf -> wire bytes -> protobuf -> JSON gives the same object
 * (contacto included), for a ficha that sets every field of the contract. */
static void round_trip_every_field(void **state)
{
    (void)state;
    json_error_t jerr;
    json_t *in = json_loads(TEST_FICHA_JSON, 0, &jerr);
    json_object_del(in, "entidad");   /* null = absent: not written back */
    json_object_set_new(in, "entidad", json_string("09"));
    json_object_set_new(in, "reemplaza", json_integer(2));
    pmm_error err;
    Pmm__Ficha *f = ficha_from_json(in, &err);
    assert_non_null(f);
    size_t n = pmm__ficha__get_packed_size(f);
    uint8_t *buf = malloc(n);
    pmm__ficha__pack(f, buf);
    Pmm__Ficha *g = pmm__ficha__unpack(NULL, n, buf);
    assert_non_null(g);
    json_t *out = ficha_to_json(g, 1);
    if (!json_equal(in, out)) {
        char *a = json_dumps(in, JSON_SORT_KEYS), *b = json_dumps(out, JSON_SORT_KEYS);
        fail_msg("round trip differs:\n%s\n%s", a, b);
    }
    /* without contacto: private data left out */
    json_t *pub = ficha_to_json(g, 0);
    assert_null(json_object_get(pub, "contacto"));
    assert_non_null(json_object_get(pub, "descripcion"));
    json_decref(pub);
    json_decref(out);
    json_decref(in);
    free(buf);
    pmm__ficha__free_unpacked(f, NULL);
    pmm__ficha__free_unpacked(g, NULL);
}

static void null_means_absent(void **state)
{
    (void)state;
    const char *t = "{\"clave\":\"a\",\"entidad\":null,\"resultados\":{\"mujeres\":null}}";
    pmm_error err;
    Pmm__Ficha *f = ficha_from_json_text(t, strlen(t), &err);
    assert_non_null(f);
    assert_false(f->has_entidad);
    assert_non_null(f->resultados);
    assert_false(f->resultados->has_mujeres);
    pmm__ficha__free_unpacked(f, NULL);
}

static void expect_refusal(const char *text, size_t len, const char *campo,
                           const char *regla)
{
    pmm_error err;
    pmm_error_clear(&err);
    Pmm__Ficha *f = ficha_from_json_text(text, len, &err);
    if (f)
        fail_msg("accepted: %s", text);
    assert_string_equal(err.campo, campo);
    assert_string_equal(err.regla, regla);
}
#define REFUSE(text, campo, regla) expect_refusal(text, strlen(text), campo, regla)

static void strict_reader(void **state)
{
    (void)state;
    REFUSE("{\"clave\":\"a\",\"programma\":\"typo\"}", "programma", "campo_desconocido");
    REFUSE("{\"descripcion\":{\"objetivos\":\"x\"}}", "descripcion.objetivos",
           "campo_desconocido");
    REFUSE("{\"ejercicio\":\"2022\"}", "ejercicio", "tipo");
    REFUSE("{\"ejercicio\":2022.5}", "ejercicio", "entero");
    REFUSE("{\"resultados\":{\"personas\":1e3}}", "resultados.personas", "entero");
    REFUSE("{\"clave\":5}", "clave", "tipo");
    REFUSE("{\"programa\":true}", "programa", "tipo");
    REFUSE("{\"descripcion\":\"texto\"}", "descripcion", "tipo");
    REFUSE("{\"descripcion\":{\"objetivo\":{\"a\":1}}}", "descripcion.objetivo", "tipo");
    REFUSE("{\"retos\":[\"a\"]}", "retos", "tipo");
    REFUSE("{\"clave\":\"a\",\"clave\":\"b\"}", "", "json");
    REFUSE("{\"resultados\":{\"personas\":99999999999999999999999}}", "", "json");
    REFUSE("[1,2]", "", "tipo");
    REFUSE("{\"clave\":", "", "json");
    /* the field around a bad byte is named */
    expect_refusal("{\"clave\":\"\xc3\x28\"}", 12, "clave", "utf8");
}

static void reader_json_lines_and_single(void **state)
{
    (void)state;
    const char *lines = "{\"clave\":\"a\"}\n\n{\"clave\":\n{\"clave\":\"c\"}\n";
    FILE *in = fmemopen((void *)lines, strlen(lines), "r");
    ficha_reader *r = ficha_reader_new(in);
    Pmm__Ficha *f;
    size_t line;
    pmm_error err;
    assert_int_equal(ficha_reader_next(r, &f, &line, &err), 1);
    assert_non_null(f);
    assert_int_equal(line, 1);
    pmm__ficha__free_unpacked(f, NULL);
    assert_int_equal(ficha_reader_next(r, &f, &line, &err), 1);
    assert_null(f);   /* broken line 3 is refused on its own */
    assert_int_equal(line, 3);
    assert_int_equal(ficha_reader_next(r, &f, &line, &err), 1);
    assert_non_null(f);
    assert_int_equal(line, 4);
    pmm__ficha__free_unpacked(f, NULL);
    assert_int_equal(ficha_reader_next(r, &f, &line, &err), 0);
    ficha_reader_destroy(&r);
    fclose(in);

    /* one object pretty-printed over many lines */
    const char *single = "{\n  \"clave\": \"x\",\n  \"descripcion\": {\n"
                         "    \"objetivo\": \"y\"\n  }\n}\n";
    in = fmemopen((void *)single, strlen(single), "r");
    r = ficha_reader_new(in);
    assert_int_equal(ficha_reader_next(r, &f, &line, &err), 1);
    assert_non_null(f);
    assert_non_null(f->descripcion);
    pmm__ficha__free_unpacked(f, NULL);
    assert_int_equal(ficha_reader_next(r, &f, &line, &err), 0);
    ficha_reader_destroy(&r);
    fclose(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip_every_field),
        cmocka_unit_test(null_means_absent),
        cmocka_unit_test(strict_reader),
        cmocka_unit_test(reader_json_lines_and_single),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
