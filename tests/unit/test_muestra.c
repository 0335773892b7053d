/* test_muestra.c -- the sample-ficha generator: determinism, the published
 * table reproduced cell by cell, every ficha within the contract rules, and
 * the two sizes. Two checks compare data/ with the shared reference
 * ($PMM_SHARED/reference): without it they report a skip (exit 77), they
 * never pass silently. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include "muestra.h"
#include "muestra_historia.h"
#include "refdata.h"
#include "skiputil.h"
#include "utf8.h"

#define NOBJ 23
#define MAX_ANIOS 32

static const char *data_dir(void)
{
    const char *d = getenv("PMM_DATOS");
    return d && *d ? d : PMM_DATA_DIR;
}

/* $PMM_SHARED/reference/<name> into path, or a skip when the shared tree is
 * not at hand (PMM_SHARED unset or not a directory). When the tree is
 * there, the file must be too: the test then fails on reading it. */
static void shared_reference(const char *name, char *path, size_t size)
{
    const char *shared = getenv("PMM_SHARED");
    struct stat st;
    if (!shared || !*shared || stat(shared, &st) != 0 || !S_ISDIR(st.st_mode))
        TEST_SKIP("sin la referencia compartida (PMM_SHARED=%s)", shared ? shared : "");
    snprintf(path, size, "%s/reference/%s", shared, name);
}

/* ---- helpers ----------------------------------------------------------- */

typedef struct {
    char *buf;
    size_t len, cap;
} dump;

static int collect(void *user, json_t *f, pmm_error *err)
{
    (void)err;
    dump *d = user;
    char *s = json_dumps(f, JSON_COMPACT | JSON_PRESERVE_ORDER);
    assert_non_null(s);
    size_t n = strlen(s);
    if (d->len + n + 2 > d->cap) {
        d->cap = (d->len + n + 2) * 2;
        d->buf = realloc(d->buf, d->cap);
        assert_non_null(d->buf);
    }
    memcpy(d->buf + d->len, s, n);
    d->len += n;
    d->buf[d->len++] = '\n';
    d->buf[d->len] = '\0';
    free(s);
    return 0;
}

/* Reads year,o1..o23 from a tabla_pmm.csv (plain, unquoted numbers). */
static int read_tabla(const char *path, int *desde, int counts[][NOBJ + 1])
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[1024];
    int col[NOBJ + 1] = {0}, ycol = -1, n = 0;
    if (!fgets(line, sizeof line, f)) {
        fclose(f);
        return -1;
    }
    int c = 0;
    for (char *tok = strtok(line, ",\r\n"); tok; tok = strtok(NULL, ",\r\n"), c++) {
        if (!strcmp(tok, "year"))
            ycol = c;
        else if (tok[0] == 'o' && atoi(tok + 1) >= 1 && atoi(tok + 1) <= NOBJ)
            col[atoi(tok + 1)] = c;
    }
    while (ycol >= 0 && n < MAX_ANIOS && fgets(line, sizeof line, f)) {
        int vals[64] = {0}, k = 0;
        for (char *tok = strtok(line, ",\r\n"); tok && k < 64;
             tok = strtok(NULL, ",\r\n"))
            vals[k++] = atoi(tok);
        if (k == 0)
            continue;
        if (n == 0)
            *desde = vals[ycol];
        for (int o = 1; o <= NOBJ; o++)
            counts[n][o] = vals[col[o]];
        n++;
    }
    fclose(f);
    return n;
}

/* Participating states (flag participo_2022) from an entidades file with
 * columns clave,nombre,...,participo_2022 at index flag_col. */
static int read_participantes(const char *path, int flag_col, int out[33])
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[512];
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        if (!strncmp(line, "clave", 5))
            continue;
        int code = atoi(line);
        /* Names may be quoted with commas; count fields from the start only
         * where names have none (all participating ones). */
        char *p = line;
        for (int k = 0; k < flag_col && p; k++) {
            p = strchr(p, ',');
            if (p)
                p++;
        }
        if (code >= 1 && code <= 32 && p && *p == '1') {
            out[code] = 1;
            n++;
        }
    }
    fclose(f);
    return n;
}

static size_t words(const char *s)
{
    return s ? utf8_count_words(s, strlen(s)) : 0;
}

static int clave_ok(const char *c)
{
    size_t n = strlen(c);
    if (n < 1 || n > 64)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = c[i];
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
              (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == ':' ||
              ch == '-'))
            return 0;
    }
    return 1;
}

/* YYYY, YYYY-MM or YYYY-MM-DD -> comparable key; -1 if malformed. */
static long fecha_key(const char *s, int *parts)
{
    int y = 0, m = 1, d = 1;
    size_t n = strlen(s);
    if (n == 4 && sscanf(s, "%4d", &y) == 1)
        *parts = 1;
    else if (n == 7 && sscanf(s, "%4d-%2d", &y, &m) == 2 && s[4] == '-')
        *parts = 2;
    else if (n == 10 && sscanf(s, "%4d-%2d-%2d", &y, &m, &d) == 3 &&
             s[4] == '-' && s[7] == '-')
        *parts = 3;
    else
        return -1;
    if (m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    return (long)y * 10000 + m * 100 + d;
}

static int only_keys(const json_t *obj, const char *const *keys, size_t n)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)obj, k, v) {
        int found = 0;
        for (size_t i = 0; i < n; i++)
            if (!strcmp(k, keys[i]))
                found = 1;
        if (!found) {
            print_error("campo desconocido: %s\n", k);
            return 0;
        }
    }
    (void)v;
    return 1;
}

static int is_count(const json_t *v)
{
    return json_is_null(v) || (json_is_integer(v) && json_integer_value(v) >= 0);
}

static size_t chars(const char *s)
{
    return s ? utf8_length(s, strlen(s)) : 0;
}

/* ---- the contract checker ---------------------------------------------- */

typedef struct {
    refdata *ref;
    int participa[33];
    char **claves;
    size_t n, cap;
    size_t estatal_por_anio[2100 - 2018 + 1];
    size_t total_por_anio[2100 - 2018 + 1];
    size_t min_bytes, max_bytes;
} checker;

static void check_ficha(checker *c, const json_t *f)
{
    static const char *const top[] = {"clave", "ejercicio", "ambito",
                                      "dependencia", "entidad", "unidad",
                                      "programa", "objetivo_pmm",
                                      "descripcion", "resultados", "retos",
                                      "contacto"};
    static const char *const desc_k[] = {"objetivo", "poblacion_objetivo",
                                         "inicio", "temporalidad", "fin"};
    static const char *const res_k[] = {"acciones", "personas", "mujeres",
                                        "hombres", "zona", "texto"};
    static const char *const con_k[] = {"nombre", "cargo", "telefono", "correo"};

    assert_true(json_is_object(f));
    assert_true(only_keys(f, top, sizeof top / sizeof top[0]));

    /* clave */
    const char *clave = json_string_value(json_object_get(f, "clave"));
    assert_non_null(clave);
    assert_true(clave_ok(clave));
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 1024;
        c->claves = realloc(c->claves, c->cap * sizeof *c->claves);
        assert_non_null(c->claves);
    }
    c->claves[c->n] = strdup(clave);
    assert_non_null(c->claves[c->n]);
    c->n++;

    /* ejercicio, objetivo */
    json_int_t y = json_integer_value(json_object_get(f, "ejercicio"));
    assert_true(json_is_integer(json_object_get(f, "ejercicio")));
    assert_in_range(y, 2018, 2100);
    json_int_t o = json_integer_value(json_object_get(f, "objetivo_pmm"));
    assert_true(json_is_integer(json_object_get(f, "objetivo_pmm")));
    assert_in_range(o, 1, NOBJ);

    /* ambito, dependencia, entidad */
    const char *ambito = json_string_value(json_object_get(f, "ambito"));
    assert_non_null(ambito);
    c->total_por_anio[y - 2018]++;
    if (!strcmp(ambito, "federal")) {
        const char *dep = json_string_value(json_object_get(f, "dependencia"));
        assert_non_null(dep);
        const ref_dependencia *d = refdata_dependencia(c->ref, dep, strlen(dep));
        assert_non_null(d);
        assert_true(!strcmp(d->tipo, "secretaria") ||
                    !strcmp(d->tipo, "desconcentrado") ||
                    !strcmp(d->tipo, "autonomo"));
        assert_true(json_is_null(json_object_get(f, "entidad")));
    } else {
        assert_string_equal(ambito, "estatal");
        c->estatal_por_anio[y - 2018]++;
        assert_true(y >= 2022);
        const char *ent = json_string_value(json_object_get(f, "entidad"));
        assert_non_null(ent);
        assert_int_equal(strlen(ent), 2);
        assert_true(ent[0] >= '0' && ent[0] <= '3' && ent[1] >= '0' &&
                    ent[1] <= '9');
        int code = atoi(ent);
        assert_in_range(code, 1, 32);
        assert_true(c->participa[code]);
        assert_true(json_is_null(json_object_get(f, "dependencia")));
    }

    /* unidad, programa */
    const char *unidad = json_string_value(json_object_get(f, "unidad"));
    const char *programa = json_string_value(json_object_get(f, "programa"));
    assert_non_null(unidad);
    assert_non_null(programa);
    assert_true(*programa);
    assert_true(chars(unidad) <= 300);
    assert_true(chars(programa) <= 300);

    /* descripcion */
    const json_t *d = json_object_get(f, "descripcion");
    assert_true(json_is_object(d));
    assert_true(only_keys(d, desc_k, sizeof desc_k / sizeof desc_k[0]));
    const char *objetivo = json_string_value(json_object_get(d, "objetivo"));
    assert_non_null(objetivo);
    assert_true(words(objetivo) >= 5);
    assert_true(words(objetivo) <= 180);
    const json_t *pob = json_object_get(d, "poblacion_objetivo");
    assert_true(json_is_null(pob) || json_is_string(pob));
    assert_true(words(json_string_value(pob)) <= 180);
    const char *temp = json_string_value(json_object_get(d, "temporalidad"));
    assert_true(!temp || !strcmp(temp, "permanente") || !strcmp(temp, "temporal"));
    const char *ini = json_string_value(json_object_get(d, "inicio"));
    const char *fin = json_string_value(json_object_get(d, "fin"));
    int pi = 0, pf = 0;
    long ki = ini ? fecha_key(ini, &pi) : 0, kf = fin ? fecha_key(fin, &pf) : 0;
    assert_true(ki >= 0);
    assert_true(kf >= 0);
    if (ini && fin) {
        /* Compare at the coarser precision of the two. */
        long div = (pi < pf ? pi : pf) == 1 ? 10000 : (pi < pf ? pi : pf) == 2 ? 100 : 1;
        assert_true(kf / div >= ki / div);
    }
    if (temp && !strcmp(temp, "permanente"))
        assert_null(fin);

    /* resultados */
    const json_t *r = json_object_get(f, "resultados");
    assert_true(json_is_object(r));
    assert_true(only_keys(r, res_k, sizeof res_k / sizeof res_k[0]));
    const json_t *acc = json_object_get(r, "acciones");
    const json_t *per = json_object_get(r, "personas");
    const json_t *muj = json_object_get(r, "mujeres");
    const json_t *hom = json_object_get(r, "hombres");
    assert_true(is_count(acc) && is_count(per) && is_count(muj) && is_count(hom));
    if (json_is_integer(per) && json_is_integer(muj) && json_is_integer(hom))
        assert_true(json_integer_value(muj) + json_integer_value(hom) <=
                    json_integer_value(per));
    const char *texto = json_string_value(json_object_get(r, "texto"));
    int some_count = json_is_integer(acc) || json_is_integer(per) ||
                     json_is_integer(muj) || json_is_integer(hom);
    assert_true(some_count || (texto && *texto));
    assert_true(words(texto) <= 180);
    assert_true(chars(json_string_value(json_object_get(r, "zona"))) <= 300);

    /* retos, contacto */
    const json_t *retos = json_object_get(f, "retos");
    assert_true(json_is_null(retos) || json_is_string(retos));
    assert_true(words(json_string_value(retos)) <= 180);
    const json_t *con = json_object_get(f, "contacto");
    assert_true(json_is_object(con));
    assert_true(only_keys(con, con_k, sizeof con_k / sizeof con_k[0]));
    const char *tel = json_string_value(json_object_get(con, "telefono"));
    const char *correo = json_string_value(json_object_get(con, "correo"));
    assert_non_null(json_string_value(json_object_get(con, "nombre")));
    assert_non_null(json_string_value(json_object_get(con, "cargo")));
    assert_non_null(tel);
    assert_non_null(correo);
    /* Obviously fictitious: reserved-looking number, reserved TLD. */
    assert_true(!strncmp(tel, "55 0000 ", 8));
    assert_true(strlen(correo) > 8 &&
                !strcmp(correo + strlen(correo) - 8, ".example"));
    assert_non_null(strchr(correo, '@'));

    /* No unexpanded placeholders anywhere. */
    char *all = json_dumps(f, JSON_COMPACT);
    assert_non_null(all);
    static const char *const marks[] = {"{n}", "{u}", "{p}", "{m}", "{h}",
                                        "{zona}", "{anio}", "{anio0}",
                                        "{entidad}", "{unidad}"};
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
        assert_null(strstr(all, marks[i]));
    free(all);

    size_t b = muestra_texto_bytes(f);
    if (c->min_bytes == 0 || b < c->min_bytes)
        c->min_bytes = b;
    if (b > c->max_bytes)
        c->max_bytes = b;
}

static int check_cb(void *user, json_t *f, pmm_error *err)
{
    (void)err;
    check_ficha(user, f);
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void checker_init(checker *c)
{
    memset(c, 0, sizeof *c);
    pmm_error err;
    pmm_error_clear(&err);
    c->ref = refdata_load(data_dir(), &err);
    if (!c->ref)
        print_error("%s\n", err.mensaje);
    assert_non_null(c->ref);
    char path[4096];
    snprintf(path, sizeof path, "%s/muestra/entidades.csv", data_dir());
    assert_int_equal(read_participantes(path, 2, c->participa), 20);
}

static void checker_finish(checker *c)
{
    /* Claves are unique within a generator run. */
    qsort(c->claves, c->n, sizeof *c->claves, cmp_str);
    for (size_t i = 1; i < c->n; i++)
        if (!strcmp(c->claves[i - 1], c->claves[i])) {
            print_error("clave repetida: %s\n", c->claves[i]);
            fail();
        }
    for (size_t i = 0; i < c->n; i++)
        free(c->claves[i]);
    free(c->claves);
    refdata_destroy(&c->ref);
}

static muestra *nuevo(uint64_t seed)
{
    pmm_error err;
    pmm_error_clear(&err);
    muestra *m = muestra_new(data_dir(), seed, &err);
    if (!m)
        print_error("%s\n", err.mensaje);
    assert_non_null(m);
    return m;
}

/* ---- tests ------------------------------------------------------------- */

static void test_determinismo(void **state)
{
    (void)state;
    pmm_error err;
    dump a = {0}, b = {0}, c = {0};
    muestra *m1 = nuevo(42), *m2 = nuevo(42), *m3 = nuevo(43);
    assert_int_equal(muestra_tabla(m1, 2018, 2022, 0, MUESTRA_NORMAL, collect,
                                   &a, &err), 0);
    assert_int_equal(muestra_tabla(m2, 2018, 2022, 0, MUESTRA_NORMAL, collect,
                                   &b, &err), 0);
    assert_int_equal(muestra_tabla(m3, 2018, 2022, 0, MUESTRA_NORMAL, collect,
                                   &c, &err), 0);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.buf, b.buf, a.len);
    assert_true(a.len != c.len || memcmp(a.buf, c.buf, a.len) != 0);

    /* The same holds for batches and large fichas, after earlier calls. */
    dump d = {0}, e = {0};
    assert_int_equal(muestra_lote(m1, 2019, 2023, 0, 300, MUESTRA_GRANDE,
                                  collect, &d, &err), 0);
    assert_int_equal(muestra_lote(m2, 2019, 2023, 0, 300, MUESTRA_GRANDE,
                                  collect, &e, &err), 0);
    assert_int_equal(d.len, e.len);
    assert_memory_equal(d.buf, e.buf, d.len);

    free(a.buf);
    free(b.buf);
    free(c.buf);
    free(d.buf);
    free(e.buf);
    muestra_destroy(&m1);
    muestra_destroy(&m2);
    muestra_destroy(&m3);
    assert_null(m1);
}

typedef struct {
    int desde;
    int counts[MAX_ANIOS][NOBJ + 1];
    size_t total;
} contador;

static int count_cb(void *user, json_t *f, pmm_error *err)
{
    (void)err;
    contador *c = user;
    int y = (int)json_integer_value(json_object_get(f, "ejercicio"));
    int o = (int)json_integer_value(json_object_get(f, "objetivo_pmm"));
    assert_in_range(y - c->desde, 0, MAX_ANIOS - 1);
    assert_in_range(o, 1, NOBJ);
    c->counts[y - c->desde][o]++;
    c->total++;
    return 0;
}

static void test_tabla(void **state)
{
    (void)state;
    char path[4096];
    int desde = 0, tabla[MAX_ANIOS][NOBJ + 1];
    memset(tabla, 0, sizeof tabla);
    snprintf(path, sizeof path, "%s/tabla_pmm.csv", data_dir());
    int n = read_tabla(path, &desde, tabla);
    assert_true(n >= 5);
    assert_int_equal(desde, 2018);

    muestra *m = nuevo(1);
    int t0, t1;
    muestra_tabla_rango(m, &t0, &t1);
    assert_int_equal(t0, 2018);
    assert_int_equal(t1, 2018 + n - 1);
    for (int i = 0; i < n; i++)
        for (int o = 1; o <= NOBJ; o++)
            assert_int_equal(muestra_tabla_conteo(m, desde + i, o), tabla[i][o]);
    assert_int_equal(muestra_tabla_conteo(m, 2017, 1), -1);
    assert_int_equal(muestra_tabla_conteo(m, 2018, 24), -1);

    pmm_error err;
    contador *c = calloc(1, sizeof *c);
    assert_non_null(c);
    c->desde = desde;
    assert_int_equal(muestra_tabla(m, 2018, 2022, 0, MUESTRA_NORMAL, count_cb, c,
                                   &err), 0);
    assert_int_equal(c->total, 1065);
    for (int i = 0; i < 5; i++)
        for (int o = 1; o <= NOBJ; o++)
            assert_int_equal(c->counts[i][o], tabla[i][o]);

    /* One year, one objective. */
    memset(c, 0, sizeof *c);
    c->desde = desde;
    assert_int_equal(muestra_tabla(m, 2022, 2022, 7, MUESTRA_NORMAL, count_cb, c,
                                   &err), 0);
    assert_int_equal(c->total, (size_t)tabla[4][7]);
    assert_int_equal(c->counts[4][7], tabla[4][7]);
    free(c);

    /* Years outside the table are refused, naming the field. */
    pmm_error_clear(&err);
    assert_int_equal(muestra_tabla(m, 2017, 2022, 0, MUESTRA_NORMAL, count_cb,
                                   NULL, &err), -1);
    assert_string_equal(err.campo, "ejercicio");
    muestra_destroy(&m);
}

static void test_contrato(void **state)
{
    (void)state;
    checker *c = malloc(sizeof *c);
    assert_non_null(c);
    checker_init(c);
    pmm_error err;
    muestra *m = nuevo(2022);
    /* The whole table, then batches in both sizes, in one run: all claves
     * must stay unique. */
    assert_int_equal(muestra_tabla(m, 2018, 2022, 0, MUESTRA_NORMAL, check_cb,
                                   c, &err), 0);
    assert_int_equal(muestra_lote(m, 2018, 2024, 0, 700, MUESTRA_NORMAL,
                                  check_cb, c, &err), 0);
    assert_int_equal(muestra_lote(m, 2018, 2022, 0, 300, MUESTRA_GRANDE,
                                  check_cb, c, &err), 0);
    for (int o = 1; o <= NOBJ; o++)
        assert_int_equal(muestra_lote(m, 2022, 2022, o, 20, MUESTRA_NORMAL,
                                      check_cb, c, &err), 0);
    assert_int_equal(c->n, 1065 + 700 + 300 + 23 * 20);

    /* No state fichas before 2022; roughly a quarter from 2022 on. */
    for (int y = 2018; y <= 2021; y++)
        assert_int_equal(c->estatal_por_anio[y - 2018], 0);
    size_t est = 0, tot = 0;
    for (int y = 2022; y <= 2024; y++) {
        est += c->estatal_por_anio[y - 2018];
        tot += c->total_por_anio[y - 2018];
    }
    assert_true(tot > 0);
    double share = (double)est / (double)tot;
    if (share < 0.15 || share > 0.35)
        print_error("proporción estatal fuera de rango: %.3f\n", share);
    assert_true(share >= 0.15 && share <= 0.35);
    checker_finish(c);
    free(c);
    muestra_destroy(&m);
}

static void test_tamanos(void **state)
{
    (void)state;
    pmm_error err;
    for (uint64_t seed = 1; seed <= 3; seed++) {
        checker *g = malloc(sizeof *g), *n = malloc(sizeof *n);
        assert_non_null(g);
        assert_non_null(n);
        checker_init(g);
        checker_init(n);
        muestra *m = nuevo(seed);
        assert_int_equal(muestra_tabla(m, 2018, 2022, 0, MUESTRA_GRANDE, check_cb,
                                       g, &err), 0);
        assert_int_equal(muestra_tabla(m, 2018, 2022, 0, MUESTRA_NORMAL, check_cb,
                                       n, &err), 0);
        if (g->min_bytes < 2048 || g->max_bytes > 4096)
            print_error("grande: %zu-%zu bytes\n", g->min_bytes, g->max_bytes);
        assert_true(g->min_bytes >= 2048);
        assert_true(g->max_bytes <= 4096);
        if (n->min_bytes < 250 || n->max_bytes > 1400)
            print_error("normal: %zu-%zu bytes\n", n->min_bytes, n->max_bytes);
        assert_true(n->min_bytes >= 250);
        assert_true(n->max_bytes <= 1400);
        checker_finish(g);
        checker_finish(n);
        free(g);
        free(n);
        muestra_destroy(&m);
    }
}

/* data/tabla_pmm.csv carries the published cells unchanged. */
static void test_tabla_publicada(void **state)
{
    (void)state;
    char path[4096], spath[4096];
    int desde = 0, tabla[MAX_ANIOS][NOBJ + 1];
    int sdesde = 0, st[MAX_ANIOS][NOBJ + 1];
    memset(tabla, 0, sizeof tabla);
    memset(st, 0, sizeof st);
    shared_reference("tabla_pmm.csv", spath, sizeof spath);
    snprintf(path, sizeof path, "%s/tabla_pmm.csv", data_dir());
    int n = read_tabla(path, &desde, tabla);
    assert_true(n >= 5);
    int sn = read_tabla(spath, &sdesde, st);
    if (sn < 0)
        fail_msg("no se pudo leer %s", spath);
    assert_int_equal(sn, n);
    assert_int_equal(sdesde, desde);
    assert_memory_equal(st, tabla, sizeof tabla);
}

/* The participation flag of data/muestra/entidades.csv is the shared one. */
static void test_participantes_publicados(void **state)
{
    (void)state;
    char path[4096], spath[4096];
    int ours[33] = {0}, ref[33] = {0};
    shared_reference("entidades.csv", spath, sizeof spath);
    snprintf(path, sizeof path, "%s/muestra/entidades.csv", data_dir());
    assert_int_equal(read_participantes(path, 2, ours), 20);
    if (read_participantes(spath, 3, ref) < 0)
        fail_msg("no se pudo leer %s", spath);
    for (int i = 1; i <= 32; i++)
        assert_int_equal(ref[i], ours[i]);
}

static void test_argumentos(void **state)
{
    (void)state;
    pmm_error err;
    pmm_error_clear(&err);
    assert_null(muestra_new("/nonexistent/pmm-datos", 1, &err));
    assert_true(err.mensaje[0] != '\0');

    muestra *m = nuevo(5);
    assert_null(muestra_ficha(m, 2017, 1, MUESTRA_NORMAL));
    assert_null(muestra_ficha(m, 2022, 0, MUESTRA_NORMAL));
    assert_null(muestra_ficha(m, 2022, 24, MUESTRA_NORMAL));
    assert_null(muestra_ficha(m, 3000, 1, MUESTRA_NORMAL));
    json_t *f = muestra_ficha(m, 2020, 22, MUESTRA_NORMAL);
    assert_non_null(f);
    assert_int_equal(json_integer_value(json_object_get(f, "objetivo_pmm")), 22);
    assert_int_equal(json_integer_value(json_object_get(f, "ejercicio")), 2020);
    json_decref(f);

    pmm_error_clear(&err);
    assert_int_equal(muestra_lote(m, 2022, 2018, 0, 1, MUESTRA_NORMAL, check_cb,
                                  NULL, &err), -1);
    assert_string_equal(err.campo, "ejercicio");
    pmm_error_clear(&err);
    assert_int_equal(muestra_lote(m, 2018, 2022, 30, 1, MUESTRA_NORMAL, check_cb,
                                  NULL, &err), -1);
    assert_string_equal(err.campo, "objetivo");
    muestra_destroy(&m);
    muestra_destroy(&m);   /* NULL-safe */
}

/* ---- the historical decisions (issue 20) -------------------------------- */

#define NODS 17

/* year,ods1..ods17,total_acciones of a tabla_ods.csv into t[year-2018]. */
static int read_tabla_ods(const char *path, int t[MAX_ANIOS][NODS + 2])
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[512];
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        if (!strncmp(line, "year", 4))
            continue;
        int v[NODS + 2], k = 0;
        for (char *tok = strtok(line, ",\r\n"); tok && k < NODS + 2; tok = strtok(NULL, ",\r\n"))
            v[k++] = atoi(tok);
        if (k != NODS + 2 || v[0] < 2018 || v[0] - 2018 >= MAX_ANIOS)
            continue;
        for (int j = 1; j <= NODS + 1; j++)
            t[v[0] - 2018][j] = v[j];
        n++;
    }
    fclose(f);
    return n;
}

/* Splits one CSV line (quotes allowed) into at most max fields, in place. */
static int csv_campos(char *line, char **out, int max)
{
    int n = 0;
    char *p = line;
    while (n < max) {
        char *w = p;
        out[n++] = w;
        if (*p == '"') {
            p++;
            for (;;) {
                if (*p == '"' && p[1] == '"') {
                    *w++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else if (!*p) {
                    break;
                } else {
                    *w++ = *p++;
                }
            }
        } else {
            while (*p && *p != ',' && *p != '\n')
                *w++ = *p++;
        }
        char c = *p;
        *w = '\0';
        if (c != ',')
            break;
        p++;
    }
    return n;
}

typedef struct {
    muestra *m;
    muestra_historia *h;
    dump fichas;
} hist_ctx;

static int hist_cb(void *user, json_t *f, pmm_error *err)
{
    hist_ctx *c = user;
    collect(&c->fichas, f, err);
    return muestra_historia_agregar(c->h, f, muestra_ultima(c->m), err);
}

static char *decisiones(uint64_t semilla, dump *fichas)
{
    pmm_error err;
    hist_ctx c = {.m = nuevo(semilla)};
    c.h = muestra_historia_new(data_dir(), &err);
    if (!c.h)
        fail_msg("muestra_historia_new: %s", err.mensaje);
    assert_int_equal(muestra_tabla(c.m, 2018, 2022, 0, MUESTRA_NORMAL, hist_cb, &c, &err), 0);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    long n = muestra_historia_escribir(c.h, f, &err);
    fclose(f);
    if (n < 0)
        fail_msg("muestra_historia_escribir: %s", err.mensaje);
    assert_int_equal(n, 1065);
    muestra_historia_destroy(&c.h);
    muestra_destroy(&c.m);
    if (fichas)
        *fichas = c.fichas;
    else
        free(c.fichas.buf);
    return buf;
}

/* The decisions, counted as v_contribuciones counts them, give the SDG
 * table of data/tabla_ods.csv for every year; the fichas with results are
 * the ones with figures; the output is deterministic. */
static void test_historia(void **state)
{
    (void)state;
    char path[4096];
    int tabla[MAX_ANIOS][NODS + 2];
    memset(tabla, 0, sizeof tabla);
    snprintf(path, sizeof path, "%s/tabla_ods.csv", data_dir());
    assert_int_equal(read_tabla_ods(path, tabla), 5);

    dump fichas = {0};
    char *a = decisiones(1, &fichas), *b = decisiones(1, NULL), *c = decisiones(2, NULL);
    assert_string_equal(a, b);
    assert_true(strcmp(a, c) != 0);

    int cuenta[MAX_ANIOS][NODS + 2];
    memset(cuenta, 0, sizeof cuenta);
    int sin[MAX_ANIOS] = {0};
    char *save = NULL, *fsave = NULL;
    char *line = strtok_r(a, "\n", &save);
    assert_string_equal(line, "ejercicio,dependencia,entidad,clave,subtema,ods,con_resultados,"
                              "nota,procedencia");
    char *fl = strtok_r(fichas.buf, "\n", &fsave);
    for (line = strtok_r(NULL, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *f[9];
        assert_int_equal(csv_campos(line, f, 9), 9);
        int y = atoi(f[0]) - 2018;
        assert_in_range(y, 0, 4);
        assert_string_equal(f[8], MUESTRA_PROCEDENCIA);
        /* rows follow the fichas, in order */
        assert_non_null(fl);
        json_error_t jerr;
        json_t *ficha = json_loads(fl, 0, &jerr);
        assert_non_null(ficha);
        assert_string_equal(json_string_value(json_object_get(ficha, "clave")), f[3]);
        bool cifras = !json_is_null(json_object_get(json_object_get(ficha, "resultados"),
                                                    "acciones"));
        json_decref(ficha);
        fl = strtok_r(NULL, "\n", &fsave);
        if (!strcmp(f[6], "no")) {
            assert_false(cifras);
            assert_string_equal(f[4], "");
            assert_string_equal(f[5], "");
            sin[y]++;
            continue;
        }
        assert_string_equal(f[6], "si");
        assert_true(cifras);
        assert_true(f[4][0] != '\0');
        assert_true(f[5][0] != '\0');
        cuenta[y][NODS + 1]++;
        for (char *t = strtok(f[5], ","); t; t = strtok(NULL, ","))
            cuenta[y][atoi(t)]++;
    }
    assert_null(fl);
    for (int y = 0; y < 5; y++) {
        for (int k = 1; k <= NODS + 1; k++)
            assert_int_equal(cuenta[y][k], tabla[y][k]);
        /* every ficha of the year has a row: the published objective
         * total (tabla_pmm.csv) */
        int pmm[MAX_ANIOS][NOBJ + 1], desde = 0;
        memset(pmm, 0, sizeof pmm);
        snprintf(path, sizeof path, "%s/tabla_pmm.csv", data_dir());
        assert_true(read_tabla(path, &desde, pmm) >= 5);
        int total = 0;
        for (int o = 1; o <= NOBJ; o++)
            total += pmm[y][o];
        assert_int_equal(sin[y] + cuenta[y][NODS + 1], total);
    }
    free(a);
    free(b);
    free(c);
    free(fichas.buf);
}

/* data/tabla_ods.csv carries the published cells unchanged. */
static void test_tabla_ods_publicada(void **state)
{
    (void)state;
    char path[4096], spath[4096];
    int ours[MAX_ANIOS][NODS + 2], ref[MAX_ANIOS][NODS + 2];
    memset(ours, 0, sizeof ours);
    memset(ref, 0, sizeof ref);
    shared_reference("tabla_ods.csv", spath, sizeof spath);
    snprintf(path, sizeof path, "%s/tabla_ods.csv", data_dir());
    assert_int_equal(read_tabla_ods(path, ours), 5);
    if (read_tabla_ods(spath, ref) < 0)
        fail_msg("no se pudo leer %s", spath);
    assert_memory_equal(ours, ref, sizeof ours);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_determinismo),
        cmocka_unit_test(test_tabla),
        cmocka_unit_test(test_contrato),
        cmocka_unit_test(test_tamanos),
        cmocka_unit_test(test_argumentos),
        cmocka_unit_test(test_tabla_publicada),
        cmocka_unit_test(test_participantes_publicados),
        cmocka_unit_test(test_historia),
        cmocka_unit_test(test_tabla_ods_publicada),
    };
    return test_exit_code(cmocka_run_group_tests(tests, NULL, NULL));
}
