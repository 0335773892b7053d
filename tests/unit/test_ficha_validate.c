/* Every rule of docs/contrato-ficha.md: one accepted and one refused case each. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdlib.h>

#include "ficha.h"
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

/* Applies a JSON patch (top-level or "a.b" keys) to the base ficha and
 * validates it. Returns 0 when accepted; fills err otherwise. */
static int check_patch(const char *path, json_t *value, pmm_error *err)
{
    json_error_t jerr;
    json_t *base = json_loads(TEST_FICHA_JSON, 0, &jerr);
    assert_non_null(base);
    if (path) {
        const char *dot = strchr(path, '.');
        if (dot) {
            char top[64];
            snprintf(top, sizeof top, "%.*s", (int)(dot - path), path);
            json_t *sub = json_object_get(base, top);
            if (!sub) {
                sub = json_object();
                json_object_set_new(base, top, sub);
            }
            if (value)
                json_object_set_new(sub, dot + 1, value);
            else
                json_object_del(sub, dot + 1);
        } else if (value) {
            json_object_set_new(base, path, value);
        } else {
            json_object_del(base, path);
        }
    }
    pmm_error_clear(err);
    Pmm__Ficha *f = ficha_from_json(base, err);
    json_decref(base);
    if (!f)
        return -1;
    ficha_rules rules = {.current_year = 2026, .accept_new_bodies = false};
    int rc = ficha_validate(f, ref, &rules, err);
    pmm__ficha__free_unpacked(f, NULL);
    return rc;
}

#define ACCEPT(path, value)                                                   \
    do {                                                                      \
        pmm_error e_;                                                         \
        int rc_ = check_patch(path, value, &e_);                              \
        if (rc_ != 0)                                                         \
            fail_msg("%s refused: %s (%s)", path ? path : "base", e_.mensaje, \
                     e_.regla);                                               \
    } while (0)

#define REFUSE(path, value, want_campo, want_regla)                           \
    do {                                                                      \
        pmm_error e_;                                                         \
        assert_int_equal(check_patch(path, value, &e_), -1);                  \
        assert_string_equal(e_.campo, want_campo);                            \
        assert_string_equal(e_.regla, want_regla);                            \
        assert_true(strlen(e_.mensaje) > 10);                                 \
    } while (0)

static void base_is_valid(void **state)
{
    (void)state;
    ACCEPT(NULL, NULL);
}

static void clave_rules(void **state)
{
    (void)state;
    ACCEPT("clave", json_string("A.b_c:d-9"));
    REFUSE("clave", NULL, "clave", "requerido");
    REFUSE("clave", json_string(""), "clave", "requerido");
    REFUSE("clave", json_string("con espacio"), "clave", "formato");
    REFUSE("clave", json_string("año"), "clave", "formato");
    char long_key[70];
    memset(long_key, 'k', 65);
    long_key[65] = '\0';
    REFUSE("clave", json_string(long_key), "clave", "max_caracteres");
    long_key[64] = '\0';
    ACCEPT("clave", json_string(long_key));
}

static void ejercicio_rules(void **state)
{
    (void)state;
    ACCEPT("ejercicio", json_integer(2018));
    ACCEPT("ejercicio", json_integer(2027));
    REFUSE("ejercicio", json_integer(2017), "ejercicio", "rango");
    REFUSE("ejercicio", json_integer(2028), "ejercicio", "rango");
    REFUSE("ejercicio", NULL, "ejercicio", "requerido");
}

static void ambito_rules(void **state)
{
    (void)state;
    REFUSE("ambito", json_string("municipal"), "ambito", "valor");
    REFUSE("ambito", NULL, "ambito", "requerido");
    ACCEPT("ambito", json_string("federal"));
}

static void dependencia_rules(void **state)
{
    (void)state;
    ACCEPT("dependencia", json_string("SeGoB"));
    ACCEPT("dependencia", json_string("economia"));   /* ECONOMÍA, folded */
    REFUSE("dependencia", json_string("NOEXISTE"), "dependencia", "desconocida");
    REFUSE("dependencia", NULL, "dependencia", "requerido");
}

static void entidad_rules(void **state)
{
    (void)state;
    json_error_t jerr;
    pmm_error err;
    const char *estatal[] = {"07", "Chiapas", "ciudad de mexico", "CDMX", "7"};
    for (size_t i = 0; i < sizeof estatal / sizeof *estatal; i++) {
        json_t *base = json_loads(TEST_FICHA_JSON, 0, &jerr);
        json_object_set_new(base, "ambito", json_string("estatal"));
        json_object_set_new(base, "entidad", json_string(estatal[i]));
        json_object_del(base, "dependencia");
        Pmm__Ficha *f = ficha_from_json(base, &err);
        json_decref(base);
        ficha_rules rules = {.current_year = 2026};
        assert_int_equal(ficha_validate(f, ref, &rules, &err), 0);
        assert_int_equal(f->entidad.len, 2);   /* normalised to the code */
        pmm__ficha__free_unpacked(f, NULL);
    }
    REFUSE("entidad", json_string("33"), "entidad", "desconocida");
    REFUSE("entidad", json_string("Atlantis"), "entidad", "desconocida");
    /* estatal without entidad */
    json_t *base = json_loads(TEST_FICHA_JSON, 0, &jerr);
    json_object_set_new(base, "ambito", json_string("estatal"));
    Pmm__Ficha *f = ficha_from_json(base, &err);
    json_decref(base);
    ficha_rules rules = {.current_year = 2026};
    assert_int_equal(ficha_validate(f, ref, &rules, &err), -1);
    assert_string_equal(err.campo, "entidad");
    assert_string_equal(err.regla, "requerido");
    pmm__ficha__free_unpacked(f, NULL);
}

static void text_length_rules(void **state)
{
    (void)state;
    char chars[400];
    memset(chars, 'a', 301);
    chars[301] = '\0';
    REFUSE("unidad", json_string(chars), "unidad", "max_caracteres");
    REFUSE("programa", json_string(chars), "programa", "max_caracteres");
    REFUSE("resultados.zona", json_string(chars), "resultados.zona", "max_caracteres");
    chars[300] = '\0';
    ACCEPT("programa", json_string(chars));
    REFUSE("programa", NULL, "programa", "requerido");
    REFUSE("programa", json_string("   "), "programa", "vacio");
    /* 300 two-byte characters are 300 characters, not 600 */
    char acc[700] = "";
    for (int i = 0; i < 300; i++)
        strcat(acc, "ñ");
    ACCEPT("unidad", json_string(acc));
}

static void word_rules(void **state)
{
    (void)state;
    char words[2000] = "";
    for (int i = 0; i < 180; i++)
        strcat(words, "palabra ");
    ACCEPT("descripcion.objetivo", json_string(words));
    ACCEPT("retos", json_string(words));
    strcat(words, "otra");
    REFUSE("descripcion.objetivo", json_string(words), "descripcion.objetivo", "max_palabras");
    REFUSE("descripcion.poblacion_objetivo", json_string(words),
           "descripcion.poblacion_objetivo", "max_palabras");
    REFUSE("resultados.texto", json_string(words), "resultados.texto", "max_palabras");
    REFUSE("retos", json_string(words), "retos", "max_palabras");
    REFUSE("descripcion.objetivo", NULL, "descripcion.objetivo", "requerido");
    /* white space only, a no-break space (U+00A0) and an ideographic one
     * (U+3000) included, is no text at all; one letter after it is */
    REFUSE("descripcion.objetivo", json_string(" \n\t\u00a0\u3000 "),
           "descripcion.objetivo", "vacio");
    ACCEPT("descripcion.objetivo", json_string(" \n\t\u00a0\u3000 \u00f1"));
    /* words split at a no-break space count as two */
    char nbsp[2400] = "";
    for (int i = 0; i < 180; i++)
        strcat(nbsp, "palabra\u00a0");
    ACCEPT("retos", json_string(nbsp));
    strcat(nbsp, "otra");
    REFUSE("retos", json_string(nbsp), "retos", "max_palabras");
}

static void objetivo_rules(void **state)
{
    (void)state;
    ACCEPT("objetivo_pmm", json_integer(23));
    ACCEPT("objetivo_pmm", json_integer(1));
    REFUSE("objetivo_pmm", json_integer(0), "objetivo_pmm", "rango");
    REFUSE("objetivo_pmm", json_integer(24), "objetivo_pmm", "rango");
    REFUSE("objetivo_pmm", NULL, "objetivo_pmm", "requerido");
}

static void date_rules(void **state)
{
    (void)state;
    ACCEPT("descripcion.inicio", json_string("2019"));
    ACCEPT("descripcion.inicio", json_string("2020-02-29"));
    REFUSE("descripcion.inicio", json_string("2021-02-29"), "descripcion.inicio", "fecha");
    REFUSE("descripcion.inicio", json_string("2021-13"), "descripcion.inicio", "fecha");
    REFUSE("descripcion.inicio", json_string("01/02/2021"), "descripcion.inicio", "fecha");
    REFUSE("descripcion.fin", json_string("2021-05"), "descripcion.fin", "orden_fechas");
    ACCEPT("descripcion.fin", json_string("2021-06"));
    ACCEPT("descripcion.fin", json_string("2021"));
    REFUSE("descripcion.temporalidad", json_string("anual"), "descripcion.temporalidad", "valor");
    ACCEPT("descripcion.temporalidad", json_string("permanente"));
}

static void count_rules(void **state)
{
    (void)state;
    REFUSE("resultados.acciones", json_integer(-1), "resultados.acciones", "no_negativo");
    REFUSE("resultados.personas", json_integer(-5), "resultados.personas", "no_negativo");
    REFUSE("resultados.hombres", json_integer(20000000000LL), "resultados.hombres", "rango");
    ACCEPT("resultados.acciones", json_integer(0));
    REFUSE("resultados.mujeres", json_integer(200), "resultados.mujeres", "suma_sexo");
    ACCEPT("resultados.mujeres", json_integer(160));
    ACCEPT("resultados.personas", NULL);   /* sum rule needs all three */
}

static void results_required(void **state)
{
    (void)state;
    json_error_t jerr;
    pmm_error err;
    ficha_rules rules = {.current_year = 2026};
    json_t *base = json_loads(TEST_FICHA_JSON, 0, &jerr);
    json_object_set_new(base, "resultados", json_object());
    Pmm__Ficha *f = ficha_from_json(base, &err);
    assert_int_equal(ficha_validate(f, ref, &rules, &err), -1);
    assert_string_equal(err.campo, "resultados.texto");
    assert_string_equal(err.regla, "requerido");
    pmm__ficha__free_unpacked(f, NULL);
    /* a text alone is enough */
    json_object_set_new(json_object_get(base, "resultados"), "texto",
                        json_string("Sin cifras: el programa inició en mayo."));
    f = ficha_from_json(base, &err);
    assert_int_equal(ficha_validate(f, ref, &rules, &err), 0);
    pmm__ficha__free_unpacked(f, NULL);
    json_decref(base);
}

static void text_hygiene(void **state)
{
    (void)state;
    ACCEPT("retos", json_string("línea uno\nlínea dos\tcon tabulador"));
    REFUSE("retos", json_string("campana\x07"), "retos", "caracter_control");
    REFUSE("programa", json_string("dos\nlíneas"), "programa", "una_linea");
    REFUSE("retos", json_stringn("a\0b", 3), "retos", "caracter_control");
    /* carriage return, DEL, and a C1 control (U+0085) are refused; a
     * no-break space (U+00A0) is ordinary white space */
    REFUSE("retos", json_string("fin de línea\r\n"), "retos", "caracter_control");
    REFUSE("retos", json_string("borrar\x7f"), "retos", "caracter_control");
    REFUSE("retos", json_string("siguiente\xc2\x85línea"), "retos", "caracter_control");
    ACCEPT("programa", json_string("\u00a0programa\u00a0nuevo"));
    /* invalid UTF-8 can only come over the wire: build it directly */
    pmm_error err;
    json_error_t jerr;
    json_t *base = json_loads(TEST_FICHA_JSON, 0, &jerr);
    Pmm__Ficha *f = ficha_from_json(base, &err);
    json_decref(base);
    ficha_rules rules = {.current_year = 2026};
    /* stray bytes, an overlong "/", a surrogate (U+D800), a code point past
     * U+10FFFF, a sequence cut short at the end and one cut by ASCII */
    static const char *const bad[] = {"\xff\xfe",         "Unidad \xc0\xaf",
                                      "Unidad \xed\xa0\x80", "Unidad \xf4\x90\x80\x80",
                                      "Unidad \xc3",        "Unidad \xe2\x82x"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ficha_bytes_set(&f->unidad, &f->has_unidad, bad[i], strlen(bad[i]));
        pmm_error_clear(&err);
        assert_int_equal(ficha_validate(f, ref, &rules, &err), -1);
        assert_string_equal(err.campo, "unidad");
        assert_string_equal(err.regla, "utf8");
    }
    /* the largest code point and a four-byte character are fine */
    const char *good = "Unidad \xf4\x8f\xbf\xbf \xf0\x9f\x8c\x8e";
    ficha_bytes_set(&f->unidad, &f->has_unidad, good, strlen(good));
    assert_int_equal(ficha_validate(f, ref, &rules, &err), 0);
    pmm__ficha__free_unpacked(f, NULL);
}

static void contacto_and_reemplaza(void **state)
{
    (void)state;
    REFUSE("contacto.correo", json_string("sin-arroba"), "contacto.correo", "formato");
    ACCEPT("contacto.correo", json_string("a@b.mx"));
    REFUSE("reemplaza", json_integer(0), "reemplaza", "rango");
    ACCEPT("reemplaza", json_integer(1));
}

static void hash_ignores_reemplaza(void **state)
{
    (void)state;
    pmm_error err;
    Pmm__Ficha *a = ficha_from_json_text(TEST_FICHA_JSON, strlen(TEST_FICHA_JSON), &err);
    Pmm__Ficha *b = ficha_from_json_text(TEST_FICHA_JSON, strlen(TEST_FICHA_JSON), &err);
    uint8_t ha[32], hb[32];
    b->has_reemplaza = 1;
    b->reemplaza = 3;
    assert_int_equal(ficha_hash(a, ha), 0);
    assert_int_equal(ficha_hash(b, hb), 0);
    assert_memory_equal(ha, hb, 32);
    /* the digest is plain SHA-256 of the packed ficha (stored hashes from
     * before the switch to OpenSSL must still match) */
    size_t n;
    uint8_t *packed = ficha_pack_known(a, &n), want[32];
    assert_non_null(packed);
    crypto_hash_sha256(want, packed, n);
    free(packed);
    assert_memory_equal(ha, want, 32);
    ficha_bytes_set(&b->programa, &b->has_programa, "Otro", 4);
    ficha_hash(b, hb);
    assert_memory_not_equal(ha, hb, 32);
    char emisor[80];
    ficha_emisor(a, emisor, sizeof emisor);
    assert_string_equal(emisor, "D:segob");   /* not validated: raw */
    pmm__ficha__free_unpacked(a, NULL);
    pmm__ficha__free_unpacked(b, NULL);
}

/* Validates a JSON text; returns the number of faults, the first ones in
 * errs. */
static size_t faults_of(const char *text, pmm_error errs[8], Pmm__Ficha **out)
{
    pmm_error err;
    Pmm__Ficha *f = ficha_from_json_text(text, strlen(text), &err);
    if (!f)
        fail_msg("no se leyó: %s", err.mensaje);
    ficha_rules rules = {.current_year = 2026, .accept_new_bodies = false};
    size_t n = ficha_validate_all(f, ref, &rules, errs, 8);
    if (out)
        *out = f;
    else
        pmm__ficha__free_unpacked(f, NULL);
    return n;
}

/* A withdrawal: identity, reemplaza and motivo_retiro, nothing else. */
static void withdrawal_rules(void **state)
{
    (void)state;
    pmm_error errs[8];
    Pmm__Ficha *f = NULL;
    assert_int_equal(faults_of("{\"clave\": \"x-1\", \"ejercicio\": 2022, \"ambito\": "
                               "\"estatal\", \"entidad\": \"Edo. de Jalisco\", "
                               "\"retirada\": true, \"motivo_retiro\": \"prueba\", "
                               "\"reemplaza\": 2}",
                               errs, &f),
                     0);
    assert_true(ficha_es_retiro(f));
    assert_int_equal(f->entidad.len, 2);   /* normalised like any ficha */
    assert_memory_equal(f->entidad.data, "14", 2);
    char emisor[80];
    ficha_emisor(f, emisor, sizeof emisor);
    assert_string_equal(emisor, "E:14");
    pmm__ficha__free_unpacked(f, NULL);

    /* content, no reason, no reemplaza: every fault listed */
    size_t n = faults_of("{\"clave\": \"x-1\", \"ejercicio\": 2022, \"ambito\": "
                         "\"federal\", \"dependencia\": \"SRE\", \"retirada\": true, "
                         "\"programa\": \"p\", \"retos\": \"r\", \"resultados\": "
                         "{\"acciones\": 1}}",
                         errs, NULL);
    assert_int_equal(n, 5);
    assert_string_equal(errs[0].campo, "programa");
    assert_string_equal(errs[0].regla, "solo_identidad");
    assert_non_null(strstr(errs[0].mensaje, "quite programa"));
    assert_string_equal(errs[1].campo, "resultados");
    assert_string_equal(errs[2].campo, "retos");
    assert_string_equal(errs[3].campo, "motivo_retiro");
    assert_string_equal(errs[3].regla, "requerido");
    assert_string_equal(errs[4].campo, "reemplaza");
    assert_string_equal(errs[4].regla, "requerido");

    /* the identity rules still hold */
    n = faults_of("{\"clave\": \"x 1\", \"ejercicio\": 2022, \"ambito\": \"federal\", "
                  "\"retirada\": true, \"motivo_retiro\": \"m\", \"reemplaza\": 1}",
                  errs, NULL);
    assert_int_equal(n, 2);
    assert_string_equal(errs[0].campo, "clave");
    assert_string_equal(errs[1].campo, "dependencia");

    /* a reason without a withdrawal */
    REFUSE("motivo_retiro", json_string("sin retiro"), "motivo_retiro", "motivo_sin_retiro");
    /* "retirada": false is no withdrawal, and hashes as if absent */
    ACCEPT("retirada", json_false());
    REFUSE("retirada", json_string("si"), "retirada", "tipo");
    pmm_error err;
    Pmm__Ficha *a = ficha_from_json_text(TEST_FICHA_JSON, strlen(TEST_FICHA_JSON), &err);
    Pmm__Ficha *b = ficha_from_json_text(TEST_FICHA_JSON, strlen(TEST_FICHA_JSON), &err);
    b->has_retirada = 1;
    b->retirada = 0;
    ficha_rules rules = {.current_year = 2026, .accept_new_bodies = false};
    assert_int_equal(ficha_validate(a, ref, &rules, &err), 0);
    assert_int_equal(ficha_validate(b, ref, &rules, &err), 0);
    uint8_t ha[32], hb[32];
    assert_int_equal(ficha_hash(a, ha), 0);
    assert_int_equal(ficha_hash(b, hb), 0);
    assert_memory_equal(ha, hb, 32);
    /* and back to JSON: the field round-trips */
    b->has_retirada = 1;
    b->retirada = 1;
    json_t *j = ficha_to_json(b, 0);
    assert_true(json_is_true(json_object_get(j, "retirada")));
    json_decref(j);
    pmm__ficha__free_unpacked(a, NULL);
    pmm__ficha__free_unpacked(b, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(base_is_valid),     cmocka_unit_test(clave_rules),
        cmocka_unit_test(ejercicio_rules),   cmocka_unit_test(ambito_rules),
        cmocka_unit_test(dependencia_rules), cmocka_unit_test(entidad_rules),
        cmocka_unit_test(text_length_rules), cmocka_unit_test(word_rules),
        cmocka_unit_test(objetivo_rules),    cmocka_unit_test(date_rules),
        cmocka_unit_test(count_rules),       cmocka_unit_test(results_required),
        cmocka_unit_test(text_hygiene),      cmocka_unit_test(contacto_and_reemplaza),
        cmocka_unit_test(hash_ignores_reemplaza), cmocka_unit_test(withdrawal_rules),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
