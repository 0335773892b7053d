/* Fichas as people write them by hand (issue 23): a byte-order mark, a
 * pretty-printed object, a trailing comma, a Latin-1 file, several faults
 * in one ficha, a JSON list, the clave of a ficha that does not parse. The
 * messages are what a person reads, so they are checked too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "ficha.h"
#include "ficha_reader.h"
#include "testutil.h"

static refdata *ref;

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

/* Reads every record of text (encoding: NULL for UTF-8) into recs[]. */
static size_t read_all(const char *text, size_t len, const char *encoding,
                       ficha_registro *recs, size_t cap)
{
    FILE *in = fmemopen((void *)text, len, "r");
    assert_non_null(in);
    ficha_reader *r = ficha_reader_new(in);
    pmm_error err;
    if (encoding)
        assert_int_equal(ficha_reader_set_codificacion(r, encoding, &err), 0);
    size_t n = 0;
    for (;;) {
        assert_true(n < cap);
        int rc = ficha_reader_next_registro(r, &recs[n], &err);
        assert_true(rc >= 0);
        if (rc == 0)
            break;
        n++;
    }
    ficha_reader_destroy(&r);
    fclose(in);
    return n;
}

static void free_all(ficha_registro *recs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (recs[i].f)
            pmm__ficha__free_unpacked(recs[i].f, NULL);
}

static void bom_and_pretty_print_are_one_ficha(void **state)
{
    (void)state;
    const char text[] = "\xEF\xBB\xBF{\n  \"clave\": \"a-1\",\n  \"ejercicio\": 2022\n}\n";
    ficha_registro recs[4];
    size_t n = read_all(text, sizeof text - 1, NULL, recs, 4);
    assert_int_equal(n, 1);
    assert_non_null(recs[0].f);
    assert_int_equal(recs[0].line, 1);
    assert_string_equal(recs[0].clave, "a-1");
    free_all(recs, n);
}

static void trailing_comma_names_line_column_and_fix(void **state)
{
    (void)state;
    const char text[] = "{\n  \"clave\": \"coma-1\",\n  \"ejercicio\": 2022,\n}\n";
    ficha_registro recs[4];
    size_t n = read_all(text, sizeof text - 1, NULL, recs, 4);
    assert_int_equal(n, 1);
    assert_null(recs[0].f);
    assert_string_equal(recs[0].errs[0].regla, "json");
    assert_non_null(strstr(recs[0].errs[0].mensaje, "línea 4, columna 1"));
    assert_non_null(strstr(recs[0].errs[0].mensaje, "sobra una coma antes de «}»"));
    /* the clave is still named */
    assert_string_equal(recs[0].clave, "coma-1");
    free_all(recs, n);
}

static void missing_comma_and_single_quotes(void **state)
{
    (void)state;
    const char a[] = "{\"clave\": \"x\" \"ejercicio\": 2022}\n";
    const char b[] = "{\"clave\": 'x'}\n";
    ficha_registro recs[2];
    read_all(a, sizeof a - 1, NULL, recs, 2);
    assert_non_null(strstr(recs[0].errs[0].mensaje, "falta una coma antes de"));
    read_all(b, sizeof b - 1, NULL, recs, 2);
    assert_non_null(strstr(recs[0].errs[0].mensaje, "comillas dobles"));
}

static void latin1_is_explained_and_converted(void **state)
{
    (void)state;
    /* "programa": "Atención" in Windows-1252 */
    const char text[] = "{\"clave\": \"l-1\", \"programa\": \"Atenci\xF3n\"}\n";
    ficha_registro recs[2];
    size_t n = read_all(text, sizeof text - 1, NULL, recs, 2);
    assert_int_equal(n, 1);
    assert_null(recs[0].f);
    assert_string_equal(recs[0].errs[0].regla, "codificacion");
    assert_string_equal(recs[0].errs[0].campo, "programa");
    assert_non_null(strstr(recs[0].errs[0].mensaje, "--codificacion latin1"));
    assert_non_null(strstr(recs[0].errs[0].mensaje, "«ó»"));
    assert_string_equal(recs[0].clave, "l-1");

    n = read_all(text, sizeof text - 1, "latin1", recs, 2);
    assert_int_equal(n, 1);
    assert_non_null(recs[0].f);
    assert_int_equal(recs[0].f->programa.len, strlen("Atención"));
    assert_memory_equal(recs[0].f->programa.data, "Atención", strlen("Atención"));
    free_all(recs, n);
}

static void invalid_utf8_names_field_and_position(void **state)
{
    (void)state;
    const char text[] = "{\"clave\": \"u-1\",\n \"unidad\": \"ab\xC3\x28\"}\n";
    ficha_registro recs[2];
    read_all(text, sizeof text - 1, NULL, recs, 2);
    assert_string_equal(recs[0].errs[0].regla, "utf8");
    assert_string_equal(recs[0].errs[0].campo, "unidad");
    assert_non_null(strstr(recs[0].errs[0].mensaje, "línea 2, columna 15"));
}

static void every_fault_of_a_ficha_is_listed(void **state)
{
    (void)state;
    json_error_t jerr;
    json_t *j = json_loads(TEST_FICHA_JSON, 0, &jerr);
    json_object_set_new(j, "ejercicio", json_integer(1990));
    json_object_set_new(j, "objetivo_pmm", json_integer(40));
    json_object_set_new(json_object_get(j, "resultados"), "mujeres", json_integer(900));
    pmm_error err;
    Pmm__Ficha *f = ficha_from_json(j, &err);
    json_decref(j);
    assert_non_null(f);
    pmm_error errs[FICHA_MAX_ERRORES];
    ficha_rules rules = ficha_rules_default();
    size_t n = ficha_validate_all(f, ref, &rules, errs, FICHA_MAX_ERRORES);
    assert_int_equal(n, 3);
    assert_string_equal(errs[0].campo, "ejercicio");
    assert_string_equal(errs[1].campo, "objetivo_pmm");
    assert_string_equal(errs[2].campo, "resultados.mujeres");
    /* ficha_validate reports the first, as the collector does */
    pmm_error first;
    assert_int_equal(ficha_validate(f, ref, &rules, &first), -1);
    assert_string_equal(first.campo, "ejercicio");
    pmm__ficha__free_unpacked(f, NULL);

    /* mapping faults are listed together too, with a suggestion */
    const char text[] = "{\"clave\": \"t-1\", \"ejercicio\": \"2022\", \"progama\": \"x\"}\n";
    ficha_registro recs[2];
    read_all(text, sizeof text - 1, NULL, recs, 2);
    assert_int_equal(recs[0].nerrs, 2);
    assert_string_equal(recs[0].errs[0].campo, "ejercicio");
    assert_string_equal(recs[0].errs[1].campo, "progama");
    assert_non_null(strstr(recs[0].errs[1].mensaje, "¿quiso decir «programa»?"));
    assert_string_equal(recs[0].clave, "t-1");
}

/* States and bodies written as people write them: accepted and stored
 * under their code and today's acronym; an unknown one names the closest. */
static void state_and_body_aliases(void **state)
{
    (void)state;
    static const struct {
        const char *ambito, *campo, *valor, *guardado;
    } ok[] = {
        {"estatal", "entidad", "Estado de México", "15"},
        {"estatal", "entidad", "Michoacan", "16"},
        {"estatal", "entidad", "Edo. de Jalisco", "14"},
        {"estatal", "entidad", "CDMX", "09"},
        {"estatal", "entidad", "jalisco", "14"},
        {"federal", "dependencia", "Secretaría de Salud", "SSA"},
        {"federal", "dependencia", "BANSEFI", "BANBIEN"},
        {"federal", "dependencia", "INDESOL", "BIENESTAR"},
        {"federal", "dependencia", "ECONOMÍA", "SE"},
    };
    ficha_rules rules = ficha_rules_default();
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        json_error_t jerr;
        json_t *j = json_loads(TEST_FICHA_JSON, 0, &jerr);
        json_object_del(j, "dependencia");
        json_object_del(j, "entidad");
        json_object_set_new(j, "ambito", json_string(ok[i].ambito));
        json_object_set_new(j, ok[i].campo, json_string(ok[i].valor));
        pmm_error err;
        Pmm__Ficha *f = ficha_from_json(j, &err);
        json_decref(j);
        assert_non_null(f);
        if (ficha_validate(f, ref, &rules, &err) != 0)
            fail_msg("«%s» rechazado: %s", ok[i].valor, err.mensaje);
        const ProtobufCBinaryData *b =
            !strcmp(ok[i].campo, "entidad") ? &f->entidad : &f->dependencia;
        assert_int_equal(b->len, strlen(ok[i].guardado));
        assert_memory_equal(b->data, ok[i].guardado, b->len);
        pmm__ficha__free_unpacked(f, NULL);
    }

    static const struct {
        const char *ambito, *campo, *valor, *mensaje;
    } no[] = {
        {"estatal", "entidad", "Jalisko",
         "entidad «Jalisko» no es una clave INEGI 01-32 ni el nombre de una entidad "
         "federativa; ¿quiso decir 14 (Jalisco)? (nombres aceptados: data/entidades.csv y "
         "data/alias_entidades.csv)"},
        {"federal", "dependencia", "Secretaria de Salud Publica",
         "la dependencia «Secretaria de Salud Publica» no está en la lista de dependencias "
         "registradas; ¿quiso decir SSA (Secretaría de Salud)"},
        {"federal", "dependencia", "Texas Rangers",
         "la dependencia «Texas Rangers» no está en la lista de dependencias registradas "
         "(siglas y nombres aceptados: data/dependencias.csv y data/alias_dependencias.csv)"},
    };
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        json_error_t jerr;
        json_t *j = json_loads(TEST_FICHA_JSON, 0, &jerr);
        json_object_del(j, "dependencia");
        json_object_del(j, "entidad");
        json_object_set_new(j, "ambito", json_string(no[i].ambito));
        json_object_set_new(j, no[i].campo, json_string(no[i].valor));
        pmm_error err;
        Pmm__Ficha *f = ficha_from_json(j, &err);
        json_decref(j);
        assert_non_null(f);
        assert_int_equal(ficha_validate(f, ref, &rules, &err), -1);
        assert_string_equal(err.campo, no[i].campo);
        assert_string_equal(err.regla, "desconocida");
        if (strncmp(err.mensaje, no[i].mensaje, strlen(no[i].mensaje)))
            fail_msg("se esperaba «%s…», se obtuvo «%s»", no[i].mensaje, err.mensaje);
        pmm__ficha__free_unpacked(f, NULL);
    }
}

static void lists_and_concatenated_objects(void **state)
{
    (void)state;
    const char list[] = "[\n{\"clave\": \"l-1\"},\n{\n  \"clave\": \"l-2\"\n}\n]\n";
    ficha_registro recs[4];
    size_t n = read_all(list, sizeof list - 1, NULL, recs, 4);
    assert_int_equal(n, 2);
    assert_string_equal(recs[0].clave, "l-1");
    assert_int_equal(recs[0].line, 2);
    assert_string_equal(recs[1].clave, "l-2");
    assert_int_equal(recs[1].line, 3);
    free_all(recs, n);

    const char two[] = "{\n  \"clave\": \"c-1\"\n}\n{\n  \"clave\": \"c-2\"\n}\n";
    n = read_all(two, sizeof two - 1, NULL, recs, 4);
    assert_int_equal(n, 2);
    assert_int_equal(recs[1].line, 4);
    assert_string_equal(recs[1].clave, "c-2");
    free_all(recs, n);

    /* a record cut short does not swallow the next JSON Lines record */
    const char cut[] = "{\"clave\": \"k-1\", \"ejercicio\":\n{\"clave\": \"k-2\"}\n";
    n = read_all(cut, sizeof cut - 1, NULL, recs, 4);
    assert_int_equal(n, 2);
    assert_null(recs[0].f);
    assert_string_equal(recs[0].clave, "k-1");
    assert_non_null(recs[1].f);
    free_all(recs, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bom_and_pretty_print_are_one_ficha),
        cmocka_unit_test(trailing_comma_names_line_column_and_fix),
        cmocka_unit_test(missing_comma_and_single_quotes),
        cmocka_unit_test(latin1_is_explained_and_converted),
        cmocka_unit_test(invalid_utf8_names_field_and_position),
        cmocka_unit_test(every_fault_of_a_ficha_is_listed),
        cmocka_unit_test(lists_and_concatenated_objects),
        cmocka_unit_test(state_and_body_aliases),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
