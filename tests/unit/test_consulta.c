/* test_consulta.c -- the pure helpers behind pmm totales, ranking and
 * participacion (cli/consulta_*.c, in the pmmcli library): year ranges,
 * options and the shared option parser, domain completion, ordering,
 * ranking with ties, and the CSV and text-table writers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "commands.h"
#include "consulta.h"
#include "envolver.h"
#include "fichas_consulta.h"
#include "utf8.h"

static const char *data_dir(void)
{
    const char *d = getenv("PMM_DATOS");
    return d && *d ? d : PMM_DATA_DIR;
}

static consulta_ref *ref;

static int setup(void **state)
{
    (void)state;
    pmm_error err;
    pmm_error_clear(&err);
    ref = consulta_ref_load(data_dir(), "2018-2022", &err);
    if (!ref)
        fail_msg("datos: %s", err.mensaje);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    consulta_ref_destroy(&ref);
    return 0;
}

/* ---- parsing ----------------------------------------------------------- */

static void range_parsing(void **state)
{
    (void)state;
    consulta_rango r;
    pmm_error err;
    assert_int_equal(consulta_rango_parse("--ejercicio", "2022", &r, &err), 0);
    assert_int_equal(r.desde, 2022);
    assert_int_equal(r.hasta, 2022);
    assert_int_equal(consulta_rango_anios(&r), 1);
    assert_int_equal(consulta_rango_parse("--ejercicio", "2018-2022", &r, &err), 0);
    assert_int_equal(r.desde, 2018);
    assert_int_equal(r.hasta, 2022);
    assert_int_equal(consulta_rango_anios(&r), 5);
    char buf[32];
    assert_string_equal(consulta_rango_texto(&r, buf, sizeof buf), "2018-2022");
    assert_int_equal(consulta_rango_parse("--ejercicio", "2020-2020", &r, &err), 0);
    assert_string_equal(consulta_rango_texto(&r, buf, sizeof buf), "2020");

    static const struct {
        const char *text, *regla;
    } bad[] = {
        {"2017", "rango"},        {"2101", "rango"},        {"2018-2101", "rango"},
        {"2022-2018", "orden"},   {"20x2", "formato"},      {"22", "formato"},
        {"2018-", "formato"},     {"-2018", "formato"},     {"2018-2019-2020", "formato"},
        {"", "requerido"},        {" 2018", "formato"},     {"2018 ", "formato"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        pmm_error_clear(&err);
        if (consulta_rango_parse("--ejercicio", bad[i].text, &r, &err) != -1)
            fail_msg("«%s» aceptado", bad[i].text);
        assert_string_equal(err.campo, "--ejercicio");
        assert_string_equal(err.regla, bad[i].regla);
        assert_non_null(strstr(err.mensaje, "--ejercicio"));
    }
    assert_int_equal(consulta_rango_parse("--ejercicio", NULL, &r, &err), -1);
    assert_string_equal(err.regla, "requerido");
}

static void option_parsing(void **state)
{
    (void)state;
    pmm_error err;
    consulta_formato f;
    assert_int_equal(consulta_formato_parse("csv", &f, &err), 0);
    assert_int_equal(f, CONSULTA_CSV);
    assert_int_equal(consulta_formato_parse("json", &f, &err), 0);
    assert_int_equal(f, CONSULTA_JSON);
    assert_int_equal(consulta_formato_parse("tabla", &f, &err), 0);
    assert_int_equal(f, CONSULTA_TABLA);
    assert_int_equal(consulta_formato_parse("CSV", &f, &err), -1);
    assert_string_equal(err.campo, "--formato");

    static const char *dims_ok[] = {"objetivo", "eje", "subtema", "ods",
                                    "dependencia", "entidad", "ambito"};
    for (size_t i = 0; i < 7; i++) {
        consulta_dim d = DIM_AMBITO;   /* gcc -O2 cannot see that the assert stops on failure */
        assert_int_equal(consulta_dim_parse(dims_ok[i], &d, &err), 0);
        assert_string_equal(consulta_dim_clave(d), dims_ok[i]);
    }
    consulta_dim d;
    assert_int_equal(consulta_dim_parse("emisor", &d, &err), -1);   /* internal */
    assert_int_equal(consulta_dim_parse("región", &d, &err), -1);
    assert_string_equal(err.campo, "--por");
    assert_non_null(strstr(err.mensaje, "objetivo, eje, subtema"));

    size_t n;
    assert_int_equal(consulta_n_parse("5", &n, &err), 0);
    assert_int_equal(n, 5);
    assert_int_equal(consulta_n_parse("23", &n, &err), 0);
    static const char *n_bad[] = {"0", "24", "-1", "5x", "", "99999999999999999999"};
    for (size_t i = 0; i < 6; i++) {
        pmm_error_clear(&err);
        assert_int_equal(consulta_n_parse(n_bad[i], &n, &err), -1);
        assert_string_equal(err.campo, "--n");
    }
}

/* ---- names and domains -------------------------------------------------- */

static void names_from_reference_data(void **state)
{
    (void)state;
    assert_non_null(strstr(consulta_nombre(ref, DIM_OBJETIVO, "7"), "vulnerabilidades"));
    assert_string_equal(consulta_nombre(ref, DIM_OBJETIVO, "07"), "");
    assert_string_equal(consulta_nombre(ref, DIM_OBJETIVO, "24"), "");
    assert_string_equal(consulta_nombre(ref, DIM_ODS, "1"), "Fin de la pobreza");
    assert_string_equal(consulta_nombre(ref, DIM_ODS, "18"), "");
    assert_string_equal(consulta_nombre(ref, DIM_ENTIDAD, "07"), "Chiapas");
    assert_string_equal(consulta_nombre(ref, DIM_ENTIDAD, "7"), "");
    assert_string_equal(consulta_nombre(ref, DIM_ENTIDAD, "33"), "");
    assert_string_equal(consulta_nombre(ref, DIM_EMISOR, "E:07"), "Chiapas");
    assert_true(strlen(consulta_nombre(ref, DIM_EMISOR, "D:SRE")) > 0);
    assert_string_equal(consulta_nombre(ref, DIM_EMISOR, "X:1"), "");
    assert_string_equal(consulta_nombre(ref, DIM_SUBTEMA, "salud"), "Salud");
    assert_string_equal(consulta_nombre(ref, DIM_EJE, "1"), "Atención y servicios");
    assert_string_equal(consulta_nombre(ref, DIM_AMBITO, "estatal"), "Estatal");
    assert_string_equal(consulta_nombre(NULL, DIM_OBJETIVO, "1"), "");
    assert_string_equal(consulta_ref_taxonomia(ref), "2018-2022");

    pmm_error err;
    assert_null(consulta_ref_load(data_dir(), "../etc", &err));
    assert_string_equal(err.campo, "clasificador.taxonomia");
    assert_null(consulta_ref_load(data_dir(), "no-existe", &err));
    assert_string_equal(err.campo, "clasificador.taxonomia");
    assert_non_null(strstr(err.mensaje, "2018-2022 y 2023"));
}

static void check_domain(consulta_dim d, size_t n, const char *first,
                         const char *last)
{
    consulta_rango r = {2022, 2022};
    consulta_tabla t;
    consulta_tabla_init(&t, d, &r, ref);
    assert_int_equal(consulta_tabla_dominio(&t), 0);
    assert_int_equal(t.n, n);
    if (n) {
        assert_string_equal(t.filas[0].valor, first);
        assert_string_equal(t.filas[n - 1].valor, last);
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(t.filas[i].orden, (int)i);
            assert_int_equal(t.filas[i].m[0].fichas, 0);
            assert_true(strlen(t.filas[i].nombre) > 0);
        }
    }
    /* idempotent */
    assert_int_equal(consulta_tabla_dominio(&t), 0);
    assert_int_equal(t.n, n);
    consulta_tabla_free(&t);
}

static void domains_are_complete(void **state)
{
    (void)state;
    check_domain(DIM_OBJETIVO, 23, "1", "23");
    check_domain(DIM_ODS, 17, "1", "17");
    check_domain(DIM_ENTIDAD, 32, "01", "32");
    check_domain(DIM_EJE, 4, "1", "4");
    check_domain(DIM_SUBTEMA, 14, "educacion", "otros");
    check_domain(DIM_AMBITO, 2, "federal", "estatal");
    check_domain(DIM_DEPENDENCIA, 0, NULL, NULL);
}

static consulta_medidas med(long long fichas)
{
    return (consulta_medidas){.fichas = fichas, .acciones = fichas * 2,
                              .personas = fichas * 10, .mujeres = fichas * 6,
                              .hombres = fichas * 4};
}

static void counts_then_domain_keep_natural_order(void **state)
{
    (void)state;
    consulta_rango r = {2021, 2022};
    consulta_tabla t;
    consulta_tabla_init(&t, DIM_OBJETIVO, &r, ref);
    consulta_medidas m7 = med(9), m3 = med(5), m99 = med(1), mx = med(2);
    /* read before the domain is added, as the commands do */
    assert_int_equal(consulta_tabla_sumar(&t, 2022, "7", &m7), 0);
    assert_int_equal(consulta_tabla_sumar(&t, 2021, "7", &m3), 0);
    assert_int_equal(consulta_tabla_sumar(&t, 2022, "3", &m3), 0);
    assert_int_equal(consulta_tabla_sumar(&t, 2022, "99", &m99), 0);
    assert_int_equal(consulta_tabla_sumar(&t, 2022, "abc", &mx), 0);
    assert_int_equal(consulta_tabla_sumar(&t, 2020, "5", &m7), 0);  /* outside */
    assert_int_equal(consulta_tabla_sumar(&t, 2022, "7", &m3), 0);  /* adds up */
    assert_int_equal(consulta_tabla_dominio(&t), 0);
    assert_int_equal(t.n, 25);
    consulta_tabla_ordenar(&t, false);
    for (int i = 0; i < 23; i++) {
        char want[8];
        snprintf(want, sizeof want, "%d", i + 1);
        assert_string_equal(t.filas[i].valor, want);
    }
    assert_string_equal(t.filas[23].valor, "99");   /* outside: numbers first */
    assert_string_equal(t.filas[24].valor, "abc");
    assert_string_equal(t.filas[24].nombre, "");
    const consulta_fila *f7 = consulta_tabla_buscar(&t, "7");
    assert_int_equal(f7->m[0].fichas, 5);
    assert_int_equal(f7->m[1].fichas, 14);
    assert_int_equal(f7->m[1].personas, 140);
    assert_int_equal(consulta_fila_suma(&t, f7).fichas, 19);
    assert_int_equal(consulta_tabla_buscar(&t, "5")->m[0].fichas, 0);
    assert_int_equal(consulta_tabla_total(&t, 0).fichas, 5);
    assert_int_equal(consulta_tabla_total(&t, 1).fichas, 14 + 5 + 1 + 2);
    assert_int_equal(consulta_tabla_total(&t, (size_t)-1).fichas, 27);
    assert_int_equal(consulta_tabla_total(&t, (size_t)-1).mujeres, 27 * 6);

    /* descending by count over the range, ties in natural order */
    consulta_tabla_ordenar(&t, true);
    assert_string_equal(t.filas[0].valor, "7");
    assert_string_equal(t.filas[1].valor, "3");
    assert_string_equal(t.filas[2].valor, "abc");
    assert_string_equal(t.filas[3].valor, "99");
    assert_string_equal(t.filas[4].valor, "1");
    assert_string_equal(t.filas[5].valor, "2");
    assert_string_equal(t.filas[24].valor, "23");
    consulta_tabla_ordenar(&t, false);
    assert_string_equal(t.filas[0].valor, "1");
    consulta_tabla_free(&t);
}

static void bodies_sort_by_acronym(void **state)
{
    (void)state;
    consulta_rango r = {2022, 2022};
    consulta_tabla t;
    consulta_tabla_init(&t, DIM_DEPENDENCIA, &r, ref);
    consulta_medidas m = med(1);
    consulta_tabla_sumar(&t, 2022, "SRE", &m);
    consulta_tabla_sumar(&t, 2022, "INM", &m);
    consulta_tabla_sumar(&t, 2022, "SEGOB", &m);
    consulta_tabla_dominio(&t);
    consulta_tabla_ordenar(&t, false);
    assert_int_equal(t.n, 3);
    assert_string_equal(t.filas[0].valor, "INM");
    assert_string_equal(t.filas[1].valor, "SEGOB");
    assert_string_equal(t.filas[2].valor, "SRE");
    assert_true(strlen(t.filas[0].nombre) > 0);
    consulta_tabla_free(&t);
}

/* ---- ranking ------------------------------------------------------------ */

static void fill_objectives(consulta_tabla *t, const long long *counts)
{
    consulta_rango r = {2022, 2022};
    consulta_tabla_init(t, DIM_OBJETIVO, &r, ref);
    for (int o = 1; o <= 23; o++)
        if (counts[o]) {
            char v[8];
            snprintf(v, sizeof v, "%d", o);
            consulta_medidas m = med(counts[o]);
            consulta_tabla_sumar(t, 2022, v, &m);
        }
    consulta_tabla_dominio(t);
    consulta_tabla_ordenar(t, false);
}

static void ranking_with_ties(void **state)
{
    (void)state;
    /* 2022 row of the published table */
    static const long long c[24] = {0, 23, 4, 27, 26, 10, 13, 46, 16, 4, 16, 8, 9,
                                    5, 9, 33, 19, 24, 10, 5, 10, 14, 6, 9};
    consulta_tabla t;
    fill_objectives(&t, c);
    consulta_puesto p[24];
    size_t n = consulta_ranking(&t, 5, true, p);
    assert_int_equal(n, 5);
    static const char *top[] = {"7", "15", "3", "4", "17"};
    static const int lug[] = {1, 2, 3, 4, 5};
    for (size_t i = 0; i < 5; i++) {
        assert_string_equal(t.filas[p[i].fila].valor, top[i]);
        assert_int_equal(p[i].lugar, lug[i]);
        assert_false(p[i].empate);
    }
    /* fewest: 2 and 9 tie at 4 (place 1), 13 and 19 at 5 (place 3), 22 at 6
     * (place 5) */
    n = consulta_ranking(&t, 5, false, p);
    assert_int_equal(n, 5);
    static const char *low[] = {"2", "9", "13", "19", "22"};
    static const int llug[] = {1, 1, 3, 3, 5};
    static const bool lemp[] = {true, true, true, true, false};
    for (size_t i = 0; i < 5; i++) {
        assert_string_equal(t.filas[p[i].fila].valor, low[i]);
        assert_int_equal(p[i].lugar, llug[i]);
        assert_int_equal(p[i].empate, lemp[i]);
    }
    /* a tie at the cut keeps every tied objective: 6th place is 11 (8),
     * then 12, 14 and 23 at 9 share place 7 */
    n = consulta_ranking(&t, 7, false, p);
    assert_int_equal(n, 9);
    assert_string_equal(t.filas[p[5].fila].valor, "11");
    assert_int_equal(p[5].lugar, 6);
    for (size_t i = 6; i < 9; i++) {
        assert_int_equal(p[i].lugar, 7);
        assert_true(p[i].empate);
        assert_int_equal(p[i].fichas, 9);
    }
    assert_string_equal(t.filas[p[6].fila].valor, "12");
    assert_string_equal(t.filas[p[8].fila].valor, "23");
    consulta_tabla_free(&t);

    /* zeros are counted: all zero means one tie at place 1 */
    static const long long z[24] = {0, [7] = 3};
    fill_objectives(&t, z);
    n = consulta_ranking(&t, 1, false, p);
    assert_int_equal(n, 22);
    assert_int_equal(p[0].fichas, 0);
    assert_int_equal(p[21].lugar, 1);
    n = consulta_ranking(&t, 1, true, p);
    assert_int_equal(n, 1);
    assert_string_equal(t.filas[p[0].fila].valor, "7");
    n = consulta_ranking(&t, 23, true, p);
    assert_int_equal(n, 23);
    assert_int_equal(p[22].lugar, 2);
    consulta_tabla_free(&t);
}

/* ---- output ------------------------------------------------------------- */

static void csv_quoting(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    consulta_csv_campo(f, "simple");
    fputc('|', f);
    consulta_csv_campo(f, "a, b");
    fputc('|', f);
    consulta_csv_campo(f, "di \"no\"");
    fputc('|', f);
    consulta_csv_campo(f, "línea\nnueva");
    fputc('|', f);
    consulta_csv_campo(f, "");
    fclose(f);
    assert_string_equal(buf, "simple|\"a, b\"|\"di \"\"no\"\"\"|\"línea\nnueva\"|");
    free(buf);
}

/* A table wider than the terminal wraps its names between words, never
 * inside one; numbers stay on the first line. */
static void names_wrap_to_the_terminal(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    setenv("COLUMNS", "34", 1);
    consulta_grilla g;
    consulta_grilla_init(&g, 3);
    consulta_grilla_derecha(&g, 2);
    const char *h[] = {"Obj", "Nombre", "Fichas"};
    const char *a[] = {"7", "Abordar y reducir las vulnerabilidades en la migración", "46"};
    const char *b[] = {"23", "Cooperación internacional", "5"};
    consulta_grilla_fila(&g, h);
    consulta_grilla_fila(&g, a);
    consulta_grilla_fila(&g, b);
    consulta_grilla_imprimir(&g, f);
    consulta_grilla_free(&g);
    fclose(f);
    unsetenv("COLUMNS");
    assert_string_equal(buf,
                        "Obj  Nombre                 Fichas\n"
                        "7    Abordar y reducir las      46\n"
                        "     vulnerabilidades en\n"
                        "     la migración\n"
                        "23   Cooperación                 5\n"
                        "     internacional\n");
    free(buf);
    /* without a terminal nor $COLUMNS (a pipe, a file): whole lines */
    assert_int_equal(consulta_ancho_terminal(stdin), isatty(0) ? consulta_ancho_terminal(stdin)
                                                                : 0);
}

/* The narrowest a wrapped column can be: characters, not bytes, of the
 * longest run without a space. */
static void longest_word_counts_characters(void **state)
{
    (void)state;
    assert_int_equal(utf8_longest_word(NULL), 0);
    assert_int_equal(utf8_longest_word(""), 0);
    assert_int_equal(utf8_longest_word("   "), 0);
    assert_int_equal(utf8_longest_word("Con resultados"), 10);
    assert_int_equal(utf8_longest_word("Vínculo confirmado"), 10);
    assert_int_equal(utf8_longest_word("Del año anterior sin continuación"), 12);
    assert_int_equal(utf8_longest_word("Michoacán de Ocampo"), 9);
}

static void text_table_aligns_utf8(void **state)
{
    (void)state;
    unsetenv("COLUMNS");
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    consulta_grilla g;
    consulta_grilla_init(&g, 3);
    consulta_grilla_derecha(&g, 2);
    const char *h[] = {"Ámbito", "Nombre", "Fichas"};
    const char *a[] = {"federal", "Federal", "7"};
    const char *b[] = {"estatal", "Estatal más largo", "123"};
    consulta_grilla_fila(&g, h);
    consulta_grilla_linea(&g);
    consulta_grilla_fila(&g, a);
    consulta_grilla_fila(&g, b);
    consulta_grilla_imprimir(&g, f);
    consulta_grilla_free(&g);
    fclose(f);
    assert_string_equal(buf,
                        "Ámbito   Nombre             Fichas\n"
                        "----------------------------------\n"
                        "federal  Federal                 7\n"
                        "estatal  Estatal más largo     123\n");
    free(buf);
}

static int ayudas;

static void ayuda(FILE *out)
{
    (void)out;
    ayudas++;
}

/* consulta_opciones_leer on a NULL-terminated argument list. */
static int leer(unsigned acepta, consulta_opciones *o, int *salida, ...)
{
    char *argv[16] = {"cmd"};
    int argc = 1;
    va_list ap;
    va_start(ap, salida);
    const char *a;
    while (argc < 15 && (a = va_arg(ap, const char *)))
        argv[argc++] = (char *)a;
    va_end(ap);
    argv[argc] = NULL;
    *salida = -99;
    return consulta_opciones_leer("prueba", argc, argv, acepta, ayuda, o, salida);
}

static void shared_option_parser(void **state)
{
    (void)state;
    const unsigned todas = CONSULTA_OPC_POR | CONSULTA_OPC_FILTRO | CONSULTA_OPC_N |
                           CONSULTA_OPC_ORDEN;
    consulta_opciones o;
    int salida;
    assert_int_equal(leer(0, &o, &salida, "--ejercicio", "2022", NULL), 0);
    assert_int_equal(o.rango.desde, 2022);
    assert_int_equal(o.formato, CONSULTA_TABLA);
    assert_int_equal(o.por, DIM_OBJETIVO);
    assert_int_equal(o.n, 5);
    assert_false(o.desc);
    assert_null(o.dependencia);

    assert_int_equal(leer(todas, &o, &salida, "--ejercicio=2018-2022", "--por", "ods",
                          "--dependencia", "SRE", "--n", "3", "--orden", "desc",
                          "--formato", "json", NULL), 0);
    assert_int_equal(o.rango.hasta, 2022);
    assert_int_equal(o.por, DIM_ODS);
    assert_string_equal(o.dependencia, "SRE");
    assert_int_equal(o.n, 3);
    assert_true(o.desc);
    assert_int_equal(o.formato, CONSULTA_JSON);

    /* --help stops with 0, before any check */
    ayudas = 0;
    assert_int_equal(leer(0, &o, &salida, "--formato", "xml", "--help", NULL), -1);
    assert_int_equal(salida, EXIT_USO);   /* --formato xml came first */
    assert_int_equal(leer(0, &o, &salida, "--help", "--formato", "xml", NULL), -1);
    assert_int_equal(salida, 0);
    assert_int_equal(ayudas, 1);

    /* what a command does not accept is an unknown option */
    static const struct {
        unsigned acepta;
        const char *opcion, *valor;
    } ajenas[] = {
        {0, "--por", "ods"},
        {CONSULTA_OPC_N, "--dependencia", "SRE"},
        {CONSULTA_OPC_POR, "--n", "3"},
        {CONSULTA_OPC_FILTRO, "--orden", "desc"},
    };
    for (size_t i = 0; i < sizeof ajenas / sizeof ajenas[0]; i++) {
        assert_int_equal(leer(ajenas[i].acepta, &o, &salida, "--ejercicio", "2022",
                              ajenas[i].opcion, ajenas[i].valor, NULL), -1);
        assert_int_equal(salida, EXIT_USO);
        assert_int_equal(leer(todas, &o, &salida, "--ejercicio", "2022",
                              ajenas[i].opcion, ajenas[i].valor, NULL), 0);
    }
    /* usage errors */
    assert_int_equal(leer(todas, &o, &salida, NULL), -1);              /* no year */
    assert_int_equal(salida, EXIT_USO);
    assert_int_equal(leer(todas, &o, &salida, "--ejercicio", NULL), -1);
    assert_int_equal(leer(todas, &o, &salida, "--ejercicio", "2022", "sobra", NULL), -1);
    assert_int_equal(leer(todas, &o, &salida, "--ejercicio", "2022", "--orden", "asc",
                          NULL), -1);
    assert_int_equal(leer(todas, &o, &salida, "--ejercicio", "2022", "--dependencia", "SRE",
                          "--entidad", "07", NULL), -1);
    assert_int_equal(salida, EXIT_USO);
}

/* pmm fichas: its filters in the shared parser, and the totals cell a
 * set of filters equals (the property test in it_fichas.sh compares the
 * two through the database). */
static void ficha_filters(void **state)
{
    (void)state;
    const unsigned f = CONSULTA_OPC_FILTRO | CONSULTA_OPC_FICHAS;
    consulta_opciones o;
    int salida;
    const char *dim;
    char valor[32];
    assert_int_equal(leer(f, &o, &salida, "--ejercicio", "2021", "--objetivo", "13",
                          "--entidad", "07", NULL), 0);
    assert_int_equal(o.objetivo, 13);
    assert_int_equal(fichas_celda(&o, &dim, valor, sizeof valor), 1);
    assert_string_equal(dim, "objetivo");
    assert_string_equal(valor, "13");
    assert_int_equal(leer(f, &o, &salida, "--ejercicio", "2021", NULL), 0);
    assert_int_equal(fichas_celda(&o, &dim, valor, sizeof valor), 1);
    assert_string_equal(dim, "total");
    assert_string_equal(valor, "");
    assert_int_equal(leer(f, &o, &salida, "--ejercicio", "2021", "--ods", "10", "--eje", "2",
                          NULL), 0);
    assert_int_equal(fichas_celda(&o, &dim, valor, sizeof valor), 0);   /* no single cell */
    assert_int_equal(leer(f, &o, &salida, "--ejercicio", "2021", "--buscar", "salud", NULL),
                     0);
    assert_true(o.relevancia);   /* the default order of a search */
    assert_int_equal(fichas_celda(&o, &dim, valor, sizeof valor), 0);
    assert_int_equal(leer(f, &o, &salida, "--ejercicio", "2021", "--buscar", "salud",
                          "--orden", "natural", "--pagina", "3", NULL), 0);
    assert_false(o.relevancia);
    assert_int_equal(o.pagina, 3);
    /* usage errors name the option */
    static const char *const malas[][2] = {
        {"--objetivo", "24"},       {"--eje", "0"},       {"--ods", "18"},
        {"--ambito", "municipal"},  {"--pagina", "0"},    {"--estado-revision", "lista"},
        {"--orden", "desc"},        {"--buscar", ""},
    };
    for (size_t i = 0; i < sizeof malas / sizeof malas[0]; i++) {
        assert_int_equal(leer(f, &o, &salida, "--ejercicio", "2021", malas[i][0], malas[i][1],
                              NULL), -1);
        assert_int_equal(salida, EXIT_USO);
    }
    assert_int_equal(leer(f, &o, &salida, "--ejercicio", "2021", "--orden", "relevancia",
                          NULL), -1);   /* relevance needs a search */
    /* the totals commands do not take them */
    assert_int_equal(leer(CONSULTA_OPC_FILTRO, &o, &salida, "--ejercicio", "2021",
                          "--objetivo", "3", NULL), -1);
}

/* Wrapped text never cuts a word. */
static void wrapping_keeps_words(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    envolver(f, "Sistema de registro de niñas, niños y adolescentes en contexto de movilidad",
             4, 30);
    fclose(f);
    /* the first line starts at column 4 too */
    assert_string_equal(buf, "Sistema de registro de\n    niñas, niños y\n"
                             "    adolescentes en contexto\n    de movilidad\n");
    free(buf);
    assert_int_equal(envolver_ancho("niñas", strlen("niñas")), 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(range_parsing),
        cmocka_unit_test(option_parsing),
        cmocka_unit_test(shared_option_parser),
        cmocka_unit_test(ficha_filters),
        cmocka_unit_test(wrapping_keeps_words),
        cmocka_unit_test(names_from_reference_data),
        cmocka_unit_test(domains_are_complete),
        cmocka_unit_test(counts_then_domain_keep_natural_order),
        cmocka_unit_test(bodies_sort_by_acronym),
        cmocka_unit_test(ranking_with_ties),
        cmocka_unit_test(csv_quoting),
        cmocka_unit_test(names_wrap_to_the_terminal),
        cmocka_unit_test(text_table_aligns_utf8),
        cmocka_unit_test(longest_word_counts_characters),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
