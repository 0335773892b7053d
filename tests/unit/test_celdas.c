/* Unit tests for celdas.c: the cells of a contribution and their sums, and
 * the array-literal reader. The equivalence with pmm_filas() in SQL is
 * checked against PostgreSQL by tests/integration/it_agregacion.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "celdas.h"

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
    /* a repeated SDG and target count once, as in pmm_filas' DISTINCT */
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
        cmocka_unit_test(many_cells_grow_the_table),
        cmocka_unit_test(array_literals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
