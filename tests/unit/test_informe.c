/* test_informe.c -- the report renderer (lib/informe.h) on a small fixed
 * dataset, tests/data/informe_min.json: Markdown and CSV output compared byte
 * for byte with the golden files next to it, determinism of the HTML page,
 * one-file-per-table CSV, the Compendio, and the number formatting.
 *
 * To regenerate the golden files after an intended change:
 *   PMM_REGENERAR=1 build/tests/test_informe
 * then review the diff (git diff tests/data/) before committing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "informe.h"
#include "informe_ejemplos.h"
#include "informe_datos.h"

static const char *data_dir(void)
{
    const char *d = getenv("PMM_DATOS");
    return d && *d ? d : PMM_DATA_DIR;
}

/* tests/data, found from the data directory (<repo>/data). */
static void test_path(char *buf, size_t cap, const char *name)
{
    const char *t = getenv("PMM_TEST_DATOS");
    if (t && *t)
        snprintf(buf, cap, "%s/%s", t, name);
    else
        snprintf(buf, cap, "%s/../tests/data/%s", data_dir(), name);
}

static json_t *datos;
static refdata *rd;
static informe_ref *ref;
static char hash[65];

static int setup(void **state)
{
    (void)state;
    char path[1024];
    test_path(path, sizeof path, "informe_min.json");
    json_error_t jerr;
    datos = json_load_file(path, 0, &jerr);
    if (!datos)
        fail_msg("%s: %s", path, jerr.text);
    free(informe_datos_canonical(datos, hash));
    pmm_error err;
    pmm_error_clear(&err);
    rd = refdata_load(data_dir(), &err);
    if (!rd)
        fail_msg("datos de referencia: %s", err.mensaje);
    ref = informe_ref_new(rd, json_string_value(json_object_get(datos, "taxonomia")), &err);
    if (!ref)
        fail_msg("datos de referencia: %s", err.mensaje);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    informe_ref_destroy(&ref);
    refdata_destroy(&rd);
    json_decref(datos);
    return 0;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    strbuf b;
    strbuf_init(&b);
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        strbuf_append(&b, chunk, n);
    fclose(f);
    *len = b.len;
    return b.data ? b.data : calloc(1, 1);
}

static void render(informe_formato f, strbuf *out)
{
    pmm_error err;
    pmm_error_clear(&err);
    informe_fuente fuente = {INFORME_ARCHIVO, hash};
    strbuf_init(out);
    if (informe_render(datos, ref, f, &fuente, out, &err) != 0)
        fail_msg("informe_render: %s", err.mensaje);
    assert_false(strbuf_failed(out));
}

/* Compares with the golden file, or rewrites it with PMM_REGENERAR=1. */
static void golden(const char *name, const strbuf *got)
{
    char path[1024];
    test_path(path, sizeof path, name);
    const char *regen = getenv("PMM_REGENERAR");
    if (regen && *regen && strcmp(regen, "0")) {
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(got->data, 1, got->len, f), got->len);
        assert_int_equal(fclose(f), 0);
        print_message("regenerado: %s\n", path);
        return;
    }
    size_t len = 0;
    char *want = read_all(path, &len);
    if (!want)
        fail_msg("falta el archivo de referencia %s (genérelo con PMM_REGENERAR=1)", path);
    if (len != got->len || memcmp(want, got->data, len) != 0) {
        size_t i = 0, line = 1;
        while (i < len && i < got->len && want[i] == got->data[i]) {
            if (want[i] == '\n')
                line++;
            i++;
        }
        char actual[1100];
        snprintf(actual, sizeof actual, "%s.actual", path);
        FILE *f = fopen(actual, "wb");
        if (f) {
            fwrite(got->data, 1, got->len, f);
            fclose(f);
        }
        free(want);
        fail_msg("%s difiere desde la línea %zu (byte %zu); salida en %s", name, line, i,
                 actual);
    }
    free(want);
}

static void golden_md(void **state)
{
    (void)state;
    strbuf out;
    render(INFORME_MD, &out);
    /* no HTML in the Markdown form */
    assert_null(strstr(out.data, "<svg"));
    assert_null(strstr(out.data, "<table"));
    golden("informe_min.md", &out);
    strbuf_free(&out);
}

static void golden_csv(void **state)
{
    (void)state;
    strbuf out;
    render(INFORME_CSV, &out);
    golden("informe_min.csv", &out);
    strbuf_free(&out);
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* Issue 26: the annex lists every body and state government that sent
 * fichas of the year exactly once (each sender of the dataset's "emisor"
 * dimension with fichas, with its count), and every challenge category of
 * the reference data with its definition. */
static void anexos(void **state)
{
    (void)state;
    strbuf out;
    render(INFORME_CSV, &out);
    const json_t *em = json_object_get(json_object_get(json_object_get(datos, "totales"), ""),
                                       "emisor");
    assert_non_null(em);
    size_t esperadas = 0;
    const char *k;
    const json_t *v;
    json_object_foreach((json_t *)em, k, v)
        esperadas += json_integer_value(json_object_get(v, "fichas")) > 0;
    assert_true(esperadas > 0);
    /* the rows of the annex, and no name twice */
    size_t filas = 0;
    long long suma = 0;
    char nombres[64][160];
    for (const char *p = strstr(out.data, "\nanexo_instituciones,"); p;
         p = strstr(p + 1, "\nanexo_instituciones,")) {
        const char *ini = p + strlen("\nanexo_instituciones,");
        const char *fin = strchr(ini, ',');
        assert_non_null(fin);
        assert_true(filas < 64);
        snprintf(nombres[filas], sizeof nombres[filas], "%.*s", (int)(fin - ini), ini);
        for (size_t i = 0; i < filas; i++)
            assert_string_not_equal(nombres[i], nombres[filas]);
        /* the count: the field before the last (empty) one */
        const char *eol = strchr(ini, '\n');
        assert_non_null(eol);
        const char *q = eol - 1;
        assert_int_equal(*q, ',');
        while (q > ini && q[-1] != ',')
            q--;
        suma += atoll(q);
        filas++;
    }
    assert_int_equal(filas, esperadas);
    assert_int_equal(suma, informe_datos_celda(datos, "", "total", "", "fichas"));
    /* every challenge category with its definition */
    assert_int_equal(count(out.data, "\nanexo_retos,"), refdata_reto_count(rd));
    strbuf_free(&out);
}

/* The examples' proposal rule (informe_ejemplos.h) on random candidate
 * sets: as many as asked or available; the best-ranked first; no body twice
 * while another body has a candidate; both spheres when both have
 * candidates and two or more are asked; deterministic. */
static void ejemplos_regla(void **state)
{
    (void)state;
    uint64_t x = 88172645463325252ull;
    for (int caso = 0; caso < 2000; caso++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t nc = (size_t)(x % 9), n = 1 + (size_t)((x >> 8) % 3);
        json_t *cand = json_array();
        int cuerpos_distintos = 0, fed = 0, est = 0;
        char vistos[16][8];
        for (size_t i = 0; i < nc; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            bool estatal = (x >> 3) % 3 == 0;
            char em[8];
            snprintf(em, sizeof em, "%s:%d", estatal ? "E" : "D", (int)((x >> 5) % 3));
            bool nuevo = true;
            for (int k = 0; k < cuerpos_distintos; k++)
                nuevo &= strcmp(vistos[k], em) != 0;
            if (nuevo)
                snprintf(vistos[cuerpos_distintos++], 8, "%s", em);
            fed += !estatal;
            est += estatal;
            char clave[16];
            snprintf(clave, sizeof clave, "c%zu", i);
            json_t *f = json_pack("{s:s,s:s,s:s,s:b,s:o,s:o}", "emisor", em, "clave", clave,
                                  "ambito", estatal ? "estatal" : "federal", "con_resultados",
                                  (int)((x >> 11) % 4 != 0), "acciones",
                                  (x >> 13) % 5 ? json_integer((json_int_t)((x >> 17) % 50))
                                                : json_null(),
                                  "personas",
                                  (x >> 23) % 3 ? json_integer((json_int_t)((x >> 27) % 900))
                                                : json_null());
            json_array_append_new(cand, f);
        }
        json_t *el = informe_ejemplos_elegir(cand, n), *el2 = informe_ejemplos_elegir(cand, n);
        assert_non_null(el);
        assert_true(json_equal(el, el2));
        size_t k = json_array_size(el);
        assert_int_equal(k, n < nc ? n : nc);
        /* distinct bodies while there are enough */
        for (size_t i = 0; i < k; i++)
            for (size_t j = i + 1; j < k; j++)
                if ((size_t)cuerpos_distintos >= k)
                    assert_string_not_equal(
                        json_string_value(json_object_get(json_array_get(el, i), "emisor")),
                        json_string_value(json_object_get(json_array_get(el, j), "emisor")));
        /* both spheres */
        if (k >= 2 && fed && est) {
            int f2 = 0, e2 = 0;
            for (size_t i = 0; i < k; i++) {
                const char *a =
                    json_string_value(json_object_get(json_array_get(el, i), "ambito"));
                f2 += !strcmp(a, "federal");
                e2 += !strcmp(a, "estatal");
            }
            assert_true(f2 > 0 && e2 > 0);
        }
        /* the first is the best ranked: no candidate with results if it has none */
        if (k > 0 && !json_is_true(json_object_get(json_array_get(el, 0), "con_resultados"))) {
            size_t i;
            const json_t *c;
            json_array_foreach(cand, i, c)
                assert_false(json_is_true(json_object_get(c, "con_resultados")));
        }
        json_decref(el);
        json_decref(el2);
        json_decref(cand);
    }
}

static void html_page(void **state)
{
    (void)state;
    strbuf a, b;
    render(INFORME_HTML, &a);
    render(INFORME_HTML, &b);
    /* byte-identical on every run */
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.data, b.data, a.len);
    /* self-contained: no script, no external resource */
    assert_null(strstr(a.data, "<script"));
    assert_null(strstr(a.data, "src="));
    assert_null(strstr(a.data, "<link"));
    assert_non_null(strstr(a.data, "<html lang=\"es\">"));
    assert_non_null(strstr(a.data, "Informe Ejecutivo 2022 — Seguimiento del Pacto Mundial "
                                   "para una Migración Segura, Ordenada y Regular"));
    /* the tile map: 32 tiles; two states with actions */
    assert_int_equal(count(a.data, "class=\"tesela\""), 32);
    assert_int_equal(count(a.data, "class=\"tesela\" data-entidad=\"07\""), 1);
    /* accessible charts */
    size_t svgs = count(a.data, "<svg ");
    assert_true(svgs >= 8);
    assert_int_equal(count(a.data, "role=\"img\""), svgs);
    assert_int_equal(count(a.data, "aria-labelledby=\"g"), svgs);
    assert_true(count(a.data, "class=\"barra\"") > 20);
    /* text from the fichas is escaped */
    assert_non_null(strstr(a.data, "acta de nacimiento &lt;y&gt; el trámite"));
    assert_null(strstr(a.data, "<y>"));
    /* the nine sections in order */
    static const char *ids[] = {"resumen", "objetivos", "ambito", "instituciones",
                                "entidades", "ejes", "ods", "retos", "metodo"};
    const char *prev = a.data;
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        char needle[64];
        snprintf(needle, sizeof needle, "<section id=\"%s\"", ids[i]);
        const char *p = strstr(a.data, needle);
        assert_non_null(p);
        assert_true(p > prev);
        prev = p;
    }
    strbuf_free(&a);
    strbuf_free(&b);
}

typedef struct {
    strbuf joined;
    size_t n;
} tablas;

static int on_tabla(void *user, const char *id, const char *csv, size_t len, pmm_error *err)
{
    (void)err;
    tablas *t = user;
    t->n++;
    /* rebuild the one-file form: "tabla" header, then id-prefixed rows */
    const char *p = csv, *end = csv + len;
    bool header = true;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
        strbuf_puts(&t->joined, header ? "tabla" : id);
        strbuf_puts(&t->joined, ",");
        strbuf_append(&t->joined, p, l);
        strbuf_puts(&t->joined, "\n");
        header = false;
        p += l + 1;
    }
    return 0;
}

static void csv_per_table(void **state)
{
    (void)state;
    tablas t;
    memset(&t, 0, sizeof t);
    strbuf_init(&t.joined);
    pmm_error err;
    pmm_error_clear(&err);
    informe_fuente fuente = {INFORME_ARCHIVO, hash};
    assert_int_equal(informe_csv_tablas(datos, ref, &fuente, on_tabla, &t, &err), 0);
    strbuf one;
    render(INFORME_CSV, &one);
    assert_int_equal(t.n, count(one.data, "\ntabla,") + 1);
    assert_int_equal(t.joined.len, one.len);
    assert_memory_equal(t.joined.data, one.data, one.len);
    strbuf_free(&one);
    strbuf_free(&t.joined);
}

static void compendio(void **state)
{
    (void)state;
    json_error_t jerr;
    json_t *fichas = json_loads(
        "[{\"id\":41,\"version\":2,\"emisor\":\"D:SRE\",\"clave\":\"a1\",\"ambito\":\"federal\",\"dependencia\":\"SRE\","
        "\"entidad\":null,\"objetivo\":7,\"unidad\":\"Dirección de prueba\","
        "\"programa\":\"Programa <uno> & más\",\"proposito\":\"Atender a personas.\","
        "\"poblacion_objetivo\":\"Personas migrantes\",\"inicio\":\"2020-01-01\","
        "\"temporalidad\":\"permanente\",\"fin\":null,\"acciones\":1500,\"personas\":null,"
        "\"mujeres\":null,\"hombres\":null,\"zona\":\"Nacional\",\"resultados_texto\":\"Se "
        "atendió a 1500 personas.\",\"retos\":\"Poco personal.\",\"retos_cat\":[\"personal\"],"
        "\"eje\":1,\"subtema\":\"proteccion\",\"ods\":[10,16],"
        "\"contacto\":{\"correo\":\"secreto@ejemplo.example\"}},"
        "{\"emisor\":\"E:07\",\"clave\":\"b1\",\"ambito\":\"estatal\",\"dependencia\":null,"
        "\"entidad\":7,\"objetivo\":3,\"programa\":\"Programa estatal\",\"eje\":2,"
        "\"subtema\":\"materiales\",\"ods\":[]}]",
        0, &jerr);
    assert_non_null(fichas);
    for (int f = 0; f < 2; f++) {
        strbuf out;
        strbuf_init(&out);
        pmm_error err;
        pmm_error_clear(&err);
        informe_formato fmt = f ? INFORME_HTML : INFORME_MD;
        assert_int_equal(informe_compendio(fichas, 2022, "2022-07-01 10:00:00+00", ref, fmt,
                                           &out, &err), 0);
        const char *s = out.data;
        assert_null(strstr(s, "secreto"));
        assert_non_null(strstr(s, "Objetivo 1. Recopilar"));
        assert_non_null(strstr(s, "Objetivo 23. "));
        assert_non_null(strstr(s, "No se registraron acciones para este objetivo"));
        assert_non_null(strstr(s, "Secretaría de Relaciones Exteriores (SRE)"));
        assert_non_null(strstr(s, "Gobierno del Estado de Chiapas"));
        assert_non_null(strstr(s, "1\xe2\x80\xaf" "500 actividades reportadas"));
        /* each ficha's identifier under its title */
        assert_non_null(strstr(s, "Ficha 41, versión 2 · clave a1"));
        /* names, never codes */
        assert_null(strstr(s, "proteccion"));
        assert_non_null(strstr(s, "Protección"));
        /* federal part first, then the states */
        const char *fed = strstr(s, "Dependencias y organismos federales");
        const char *est = strstr(s, "Gobiernos estatales");
        assert_non_null(fed);
        assert_non_null(est);
        assert_true(fed < est);
        assert_true(strstr(s, "Programa estatal") > est);
        if (fmt == INFORME_HTML)
            assert_non_null(strstr(s, "Programa &lt;uno&gt; &amp; más"));
        else
            assert_non_null(strstr(s, "Programa \\<uno\\> & más"));
        strbuf_free(&out);
    }
    /* before 2022 and without state fichas: one part only */
    json_array_remove(fichas, 1);
    strbuf out;
    strbuf_init(&out);
    pmm_error err;
    assert_int_equal(informe_compendio(fichas, 2019, "", ref, INFORME_MD, &out, &err), 0);
    assert_null(strstr(out.data, "Gobiernos estatales"));
    strbuf_free(&out);
    json_decref(fichas);
}

static void numbers(void **state)
{
    (void)state;
    char buf[64];
    assert_string_equal(informe_numero(0, buf, sizeof buf), "0");
    assert_string_equal(informe_numero(999, buf, sizeof buf), "999");
    assert_string_equal(informe_numero(1065, buf, sizeof buf), "1\xe2\x80\xaf" "065");
    assert_string_equal(informe_numero(-1234567, buf, sizeof buf),
                        "-1\xe2\x80\xaf" "234\xe2\x80\xaf" "567");
    strbuf b;
    strbuf_init(&b);
    informe_html_escape(&b, "a<b>&\"c'");
    assert_string_equal(b.data, "a&lt;b&gt;&amp;&quot;c&#39;");
    strbuf_free(&b);
    informe_formato f;
    assert_int_equal(informe_formato_parse("md", &f), 0);
    assert_int_equal(f, INFORME_MD);
    assert_int_equal(informe_formato_parse("pdf", &f), -1);
}

static void bad_dataset(void **state)
{
    (void)state;
    json_t *bad = json_pack("{s:i}", "formato", 1);
    strbuf out;
    strbuf_init(&out);
    pmm_error err;
    pmm_error_clear(&err);
    assert_int_equal(informe_render(bad, ref, INFORME_HTML, NULL, &out, &err), -1);
    assert_string_equal(err.regla, "formato");
    strbuf_free(&out);
    json_decref(bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(golden_md),     cmocka_unit_test(golden_csv),
        cmocka_unit_test(html_page),     cmocka_unit_test(csv_per_table),
        cmocka_unit_test(compendio),     cmocka_unit_test(numbers),
        cmocka_unit_test(bad_dataset),   cmocka_unit_test(anexos),
        cmocka_unit_test(ejemplos_regla),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
