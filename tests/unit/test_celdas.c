/* Unit tests for celdas.c, the one rule for the totals cells of a
 * contribution (the incremental path and the full recompute both use it):
 * the cells of a contribution and their sums, the published table
 * (../shared/reference/tabla_pmm.csv, else data/tabla_pmm.csv) given back
 * by the rule from the sample fichas that reproduce it, and the
 * array-literal reader. Awkward values through PostgreSQL and back:
 * tests/integration/it_agregacion.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "celdas.h"
#include "muestra.h"

/* Finds the sums of cell (filtro, dimension, valor) in the arrays written
 * by celdas_arrays; returns 0 when the cell is absent. */
typedef struct {
    strbuf a[9];
    long n;
} written;

static void write_all(const celdas *c, written *w)
{
    for (int i = 0; i < 9; i++)
        strbuf_init(&w->a[i]);
    w->n = celdas_arrays(c, w->a);
    assert_true(w->n >= 0);
}

static void written_free(written *w)
{
    for (int i = 0; i < 9; i++)
        strbuf_free(&w->a[i]);
}

/* The i-th element of array literal k, split once per call. */
static char *elem(const written *w, int k, long i)
{
    strbuf b;
    strbuf_init(&b);
    int n = pgarray_split(w->a[k].data, &b);
    assert_int_equal(n, w->n);
    const char *s = b.data;
    for (long j = 0; j < i; j++)
        s += strlen(s) + 1;
    char *out = strdup(s);
    strbuf_free(&b);
    return out;
}

static long long cell(const written *w, const char *filtro, const char *dimension,
                      const char *valor, int sum)
{
    for (long i = 0; i < w->n; i++) {
        char *f = elem(w, 1, i), *d = elem(w, 2, i), *v = elem(w, 3, i);
        int match = !strcmp(f, filtro) && !strcmp(d, dimension) && !strcmp(v, valor);
        free(f);
        free(d);
        free(v);
        if (match) {
            char *s = elem(w, 4 + sum, i);
            long long x = strtoll(s, NULL, 10);
            free(s);
            return x;
        }
    }
    return 0;
}

static const contribucion federal = {
    .emisor = "SRE", .ambito = "federal", .dependencia = "SRE", .entidad = "5",
    .objetivo = "7", .eje = "2", .subtema = "2.1",
    /* a repeated SDG and target count once */
    .ods = "10\0" "16\0" "10", .n_ods = 3,
    .metas = "10.7\0" "10.7", .n_metas = 2,
    .retos = "presupuesto\0" "coordinacion", .n_retos = 2,
    .cuenta = {4, 100, 60, 40},
};

static void cells_of_a_federal_ficha(void **state)
{
    (void)state;
    celdas *c = celdas_new();
    assert_non_null(c);
    assert_int_equal(celdas_add(c, 2022, &federal, 1), 0);
    /* 6 fixed + 2 SDGs + ods_total + 1 meta + 2 retos + dependencia + entidad
     * = 14 cells, under 3 filters */
    assert_int_equal(celdas_count(c), 42);
    written w;
    write_all(c, &w);
    assert_int_equal(w.n, 42);
    assert_int_equal(cell(&w, "", "ods", "10", 0), 1);
    assert_int_equal(cell(&w, "", "meta", "10.7", 0), 1);
    assert_int_equal(cell(&w, "D:SRE", "reto", "presupuesto", 1), 4);
    assert_int_equal(cell(&w, "E:05", "entidad", "05", 2), 100);
    assert_int_equal(cell(&w, "E:05", "ods_total", "", 3), 60);
    assert_int_equal(cell(&w, "", "total", "", 4), 40);
    written_free(&w);
    celdas_destroy(&c);
    assert_null(c);
}

static void a_state_ficha_has_no_body_filter(void **state)
{
    (void)state;
    contribucion e = federal;
    e.ambito = "estatal";
    e.emisor = "E:14";
    e.entidad = "14";
    e.n_ods = 0;
    celdas *c = celdas_new();
    assert_int_equal(celdas_add(c, 2021, &e, 1), 0);
    written w;
    write_all(c, &w);
    assert_int_equal(cell(&w, "D:SRE", "total", "", 0), 0);
    assert_int_equal(cell(&w, "", "dependencia", "SRE", 0), 0);
    assert_int_equal(cell(&w, "E:14", "emisor", "E:14", 0), 1);
    assert_int_equal(cell(&w, "", "ods_total", "", 0), 0);
    written_free(&w);
    celdas_destroy(&c);
}

/* "misma acción" (016_fichas.sql): the absorbed ficha counts in no cell,
 * and turning a counted ficha into an absorbed one takes it out of every
 * cell it counted in. */
static void an_absorbed_ficha_counts_nowhere(void **state)
{
    (void)state;
    contribucion a = federal;
    a.absorbida = true;
    celdas *c = celdas_new();
    assert_int_equal(celdas_add(c, 2022, &a, 1), 0);
    assert_int_equal(celdas_count(c), 0);
    assert_int_equal(celdas_add(c, 2022, &federal, 1), 0);
    assert_int_equal(celdas_add(c, 2022, &federal, -1), 0);
    assert_int_equal(celdas_add(c, 2022, &a, 1), 0);
    written w;
    write_all(c, &w);
    assert_int_equal(cell(&w, "", "total", "", 0), 0);
    assert_int_equal(cell(&w, "D:SRE", "total", "", 0), 0);
    written_free(&w);
    celdas_destroy(&c);
}

static void opposite_deltas_cancel_and_are_not_written(void **state)
{
    (void)state;
    celdas *c = celdas_new();
    contribucion later = federal;
    later.subtema = "2.2";
    assert_int_equal(celdas_add(c, 2022, &federal, -1), 0);
    assert_int_equal(celdas_add(c, 2022, &later, 1), 0);
    written w;
    write_all(c, &w);
    /* only the two subtema cells per filter changed */
    assert_int_equal(w.n, 6);
    assert_int_equal(cell(&w, "", "subtema", "2.1", 0), -1);
    assert_int_equal(cell(&w, "E:05", "subtema", "2.2", 1), 4);
    written_free(&w);
    celdas_destroy(&c);
}

static void many_cells_grow_the_table(void **state)
{
    (void)state;
    celdas *c = celdas_new();
    for (int y = 0; y < 2000; y++)
        assert_int_equal(celdas_add(c, y, &federal, 1), 0);
    for (int y = 0; y < 2000; y++)
        assert_int_equal(celdas_add(c, y, &federal, 1), 0);
    assert_int_equal(celdas_count(c), 2000 * 42);
    written w;
    write_all(c, &w);
    assert_int_equal(w.n, 2000 * 42);
    /* every cell counted twice: the fichas array holds only 2s */
    strbuf b;
    strbuf_init(&b);
    assert_int_equal(pgarray_split(w.a[4].data, &b), w.n);
    for (const char *s = b.data; s < b.data + b.len; s += strlen(s) + 1)
        assert_string_equal(s, "2");
    strbuf_free(&b);
    written_free(&w);
    celdas_destroy(&c);
}

/* ---- the published table ------------------------------------------------ */

#define NOBJ 23
#define FIRST_YEAR 2018
#define MAX_YEARS 16

/* Every cell celdas_arrays wrote, split once: v[k][i] is element i of
 * array k (ejercicio, filtro, dimension, valor, fichas, ...). */
typedef struct {
    strbuf raw[9], split[9];
    const char **v[9];
    long n;
} all_cells;

static void all_cells_read(const celdas *c, all_cells *t)
{
    for (int k = 0; k < 9; k++) {
        strbuf_init(&t->raw[k]);
        strbuf_init(&t->split[k]);
    }
    t->n = celdas_arrays(c, t->raw);
    assert_true(t->n > 0);
    for (int k = 0; k < 9; k++) {
        assert_int_equal(pgarray_split(t->raw[k].data, &t->split[k]), t->n);
        t->v[k] = calloc((size_t)t->n, sizeof *t->v[k]);
        const char *s = t->split[k].data;
        for (long i = 0; i < t->n; i++, s += strlen(s) + 1)
            t->v[k][i] = s;
    }
}

static void all_cells_free(all_cells *t)
{
    for (int k = 0; k < 9; k++) {
        strbuf_free(&t->raw[k]);
        strbuf_free(&t->split[k]);
        free(t->v[k]);
    }
}

/* fichas of one cell; 0 when absent */
static long long fichas_of(const all_cells *t, int year, const char *filtro,
                           const char *dimension, const char *valor)
{
    for (long i = 0; i < t->n; i++)
        if (atoi(t->v[0][i]) == year && !strcmp(t->v[1][i], filtro) &&
            !strcmp(t->v[2][i], dimension) && !strcmp(t->v[3][i], valor))
            return strtoll(t->v[4][i], NULL, 10);
    return 0;
}

/* Sum of fichas over every cell of (year, filtro, dimension). */
static long long fichas_over(const all_cells *t, int year, const char *filtro,
                             const char *dimension)
{
    long long sum = 0;
    for (long i = 0; i < t->n; i++)
        if (atoi(t->v[0][i]) == year && !strcmp(t->v[1][i], filtro) &&
            !strcmp(t->v[2][i], dimension))
            sum += strtoll(t->v[4][i], NULL, 10);
    return sum;
}

/* The published table: per year, fichas per objective and the total. */
typedef struct {
    int years;
    long long count[MAX_YEARS][NOBJ + 1];   /* [year][0]: total */
} published;

static void published_read(published *p)
{
    char path[4096];
    const char *shared = getenv("PMM_SHARED"), *data = getenv("PMM_DATOS");
    FILE *f = NULL;
    if (shared && *shared) {
        snprintf(path, sizeof path, "%s/reference/tabla_pmm.csv", shared);
        f = fopen(path, "r");
    }
    if (!f) {
        snprintf(path, sizeof path, "%s/tabla_pmm.csv", data && *data ? data : PMM_DATA_DIR);
        f = fopen(path, "r");
    }
    if (!f)
        fail_msg("no se pudo abrir %s", path);
    char line[1024];
    memset(p, 0, sizeof *p);
    /* year,o1..o23,total,total_impreso */
    assert_non_null(fgets(line, sizeof line, f));
    assert_int_equal(strncmp(line, "year,o1,", 8), 0);
    while (fgets(line, sizeof line, f)) {
        char *save = NULL, *tok = strtok_r(line, ",\n", &save);
        int y = atoi(tok) - FIRST_YEAR;
        assert_true(y == p->years && y < MAX_YEARS);
        for (int o = 1; o <= NOBJ + 2; o++) {
            tok = strtok_r(NULL, ",\n", &save);
            assert_non_null(tok);
            /* total_impreso, the total as printed, is not the sum of the
             * cells in every year (2021: 174 printed, 178 counted) */
            if (o <= NOBJ + 1)
                p->count[y][o <= NOBJ ? o : 0] = strtoll(tok, NULL, 10);
        }
        p->years++;
    }
    fclose(f);
    assert_true(p->years >= 5);
}

/* A sample ficha, counted as aggregd counts its contribution: keys as the
 * collector stores them (emisor D:<sigla> or E:<inegi>, entidad as a
 * number), the objective the sender gave (no analyst decision), a
 * placeholder classification. */
typedef struct {
    celdas *cells;
    long fichas;
    char deps[64][32];
    int ndeps;
} sample_sink;

static int add_sample(void *user, json_t *f, pmm_error *err)
{
    (void)err;
    sample_sink *s = user;
    const char *ambito = json_string_value(json_object_get(f, "ambito"));
    const char *dep = json_string_value(json_object_get(f, "dependencia"));
    const char *ent = json_string_value(json_object_get(f, "entidad"));
    assert_non_null(ambito);
    char emisor[48], entidad[8], objetivo[8];
    int estatal = !strcmp(ambito, "estatal");
    assert_non_null(estatal ? ent : dep);
    snprintf(emisor, sizeof emisor, "%s:%s", estatal ? "E" : "D", estatal ? ent : dep);
    if (ent)
        snprintf(entidad, sizeof entidad, "%d", atoi(ent));
    snprintf(objetivo, sizeof objetivo, "%lld",
             (long long)json_integer_value(json_object_get(f, "objetivo_pmm")));
    contribucion c = {.emisor = emisor, .ambito = ambito, .dependencia = dep,
                      .entidad = ent ? entidad : NULL, .objetivo = objetivo,
                      .eje = "1", .subtema = "1.1", .ods = "", .metas = "", .retos = ""};
    if (dep && !estatal) {
        int known = 0;
        for (int i = 0; i < s->ndeps; i++)
            known |= !strcmp(s->deps[i], dep);
        if (!known && s->ndeps < 64)
            snprintf(s->deps[s->ndeps++], sizeof s->deps[0], "%s", dep);
    }
    int year = (int)json_integer_value(json_object_get(f, "ejercicio"));
    assert_int_equal(celdas_add(s->cells, year, &c, 1), 0);
    s->fichas++;
    return 0;
}

static void the_rule_gives_the_published_table(void **state)
{
    (void)state;
    published p;
    published_read(&p);
    const char *data = getenv("PMM_DATOS");
    pmm_error err;
    muestra *m = muestra_new(data && *data ? data : PMM_DATA_DIR, 1, &err);
    if (!m)
        fail_msg("muestra: %s", err.mensaje);
    sample_sink sink = {.cells = celdas_new()};
    int last = FIRST_YEAR + p.years - 1;
    assert_int_equal(muestra_tabla(m, FIRST_YEAR, last, 0, MUESTRA_NORMAL, add_sample, &sink,
                                   &err), 0);
    muestra_destroy(&m);
    all_cells t;
    all_cells_read(sink.cells, &t);
    long long all = 0;
    for (int y = 0; y < p.years; y++) {
        int year = FIRST_YEAR + y;
        long long sum = 0;
        for (int o = 1; o <= NOBJ; o++) {
            char k[8];
            snprintf(k, sizeof k, "%d", o);
            if (fichas_of(&t, year, "", "objetivo", k) != p.count[y][o])
                fail_msg("%d, objetivo %d: %lld fichas; la tabla publicada dice %lld", year,
                         o, fichas_of(&t, year, "", "objetivo", k), p.count[y][o]);
            sum += p.count[y][o];
        }
        /* the table's total, and every ficha once in each dimension */
        assert_int_equal(fichas_of(&t, year, "", "total", ""), p.count[y][0]);
        assert_int_equal(sum, p.count[y][0]);
        assert_int_equal(fichas_over(&t, year, "", "ambito"), sum);
        assert_int_equal(fichas_over(&t, year, "", "emisor"), sum);
        assert_int_equal(fichas_over(&t, year, "", "eje"), sum);
        /* a body's view: its objectives add up to its total, which is its
         * dependencia cell in the whole country's view */
        for (int d = 0; d < sink.ndeps; d++) {
            char filtro[40];
            snprintf(filtro, sizeof filtro, "D:%s", sink.deps[d]);
            long long own = fichas_of(&t, year, filtro, "total", "");
            assert_int_equal(fichas_over(&t, year, filtro, "objetivo"), own);
            assert_int_equal(fichas_of(&t, year, "", "dependencia", sink.deps[d]), own);
        }
        all += sum;
    }
    assert_int_equal(all, sink.fichas);
    printf("tabla publicada: %d ejercicios, %lld fichas, %ld celdas\n", p.years, all, t.n);
    all_cells_free(&t);
    celdas_destroy(&sink.cells);
}

static void array_literals(void **state)
{
    (void)state;
    strbuf b;
    strbuf_init(&b);
    assert_int_equal(pgarray_split("{}", &b), 0);
    assert_int_equal(pgarray_split("{1,10,16}", &b), 3);
    assert_memory_equal(b.data, "1\0" "10\0" "16", 8);
    strbuf_reset(&b);
    assert_int_equal(pgarray_split("{\"a b\",\"\",\"x\\\"y\\\\z\",plain}", &b), 4);
    assert_memory_equal(b.data, "a b\0\0x\"y\\z\0plain", 17);
    strbuf_reset(&b);
    assert_int_equal(pgarray_split("{a,NULL}", &b), -1);
    strbuf_reset(&b);
    assert_int_equal(pgarray_split("{a,\"NULL\"}", &b), 2);
    assert_int_equal(pgarray_split("{a", &b), -1);
    assert_int_equal(pgarray_split("{\"a}", &b), -1);
    assert_int_equal(pgarray_split("a}", &b), -1);
    assert_int_equal(pgarray_split("{a,}", &b), -1);
    assert_int_equal(pgarray_split("{a}x", &b), -1);
    strbuf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cells_of_a_federal_ficha),
        cmocka_unit_test(a_state_ficha_has_no_body_filter),
        cmocka_unit_test(opposite_deltas_cancel_and_are_not_written),
        cmocka_unit_test(an_absorbed_ficha_counts_nowhere),
        cmocka_unit_test(many_cells_grow_the_table),
        cmocka_unit_test(the_rule_gives_the_published_table),
        cmocka_unit_test(array_literals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
