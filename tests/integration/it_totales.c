/* The queries of pmm totales, ranking and participacion against the real
 * `totales` table of the running stack. Rows are written straight into
 * `totales` for years no real data uses (2091-2093), so the test does not
 * depend on the pipeline, and are deleted afterwards. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "itlib.h"

#define ANIO 2091
#define ANIO2 2092
#define ANIO_FUERA 2093

static it_env env;

typedef struct {
    int ejercicio;
    const char *filtro, *dimension, *valor;
    long long fichas, acciones, personas, mujeres, hombres;
} fila;

/* Expected fichas per objective in ANIO (index = objective). */
static const long long obj_2091[24] = {[7] = 9, [3] = 5, [1] = 4, [15] = 4, [10] = 1};

static const fila datos[] = {
    {ANIO, "", "objetivo", "7", 9, 90, 900, 500, 400},
    {ANIO, "", "objetivo", "3", 5, 10, 100, 60, 40},
    {ANIO, "", "objetivo", "1", 4, 4, 40, 20, 20},
    {ANIO, "", "objetivo", "15", 4, 8, 80, 40, 40},
    {ANIO, "", "objetivo", "10", 1, 1, 10, 5, 5},
    {ANIO2, "", "objetivo", "7", 2, 2, 20, 10, 10},
    {ANIO2, "", "objetivo", "22", 1, 1, 10, 5, 5},
    {ANIO_FUERA, "", "objetivo", "23", 50, 50, 500, 250, 250},
    {ANIO, "", "total", "", 23, 113, 1130, 625, 505},
    {ANIO, "", "ods", "1", 3, 3, 30, 15, 15},
    {ANIO, "", "ods", "5", 2, 2, 20, 10, 10},
    {ANIO, "", "ods", "10", 4, 4, 40, 20, 20},
    {ANIO, "", "ods_total", "", 6, 6, 60, 30, 30},
    {ANIO, "", "entidad", "07", 3, 3, 30, 15, 15},
    {ANIO, "", "entidad", "14", 2, 2, 20, 10, 10},
    {ANIO, "", "emisor", "D:SEGOB", 12, 12, 120, 60, 60},
    {ANIO, "", "emisor", "D:SRE", 8, 8, 80, 40, 40},
    {ANIO, "", "emisor", "E:07", 3, 3, 30, 15, 15},
    {ANIO, "", "dependencia", "SRE", 8, 8, 80, 40, 40},
    {ANIO, "", "dependencia", "SEGOB", 12, 12, 120, 60, 60},
    {ANIO, "", "ambito", "federal", 20, 20, 200, 100, 100},
    {ANIO, "", "ambito", "estatal", 3, 3, 30, 15, 15},
    {ANIO, "", "eje", "1", 15, 15, 150, 75, 75},
    {ANIO, "", "eje", "3", 8, 8, 80, 40, 40},
    {ANIO, "", "subtema", "salud", 10, 10, 100, 50, 50},
    {ANIO, "", "subtema", "capacitacion", 8, 8, 80, 40, 40},
    {ANIO, "", "subtema", "educacion", 5, 5, 50, 25, 25},
    {ANIO, "D:SEGOB", "objetivo", "7", 6, 6, 60, 30, 30},
    {ANIO, "D:SEGOB", "objetivo", "1", 4, 4, 40, 20, 20},
    {ANIO, "D:SEGOB", "objetivo", "3", 2, 2, 20, 10, 10},
    {ANIO, "E:07", "objetivo", "3", 3, 3, 30, 15, 15},
};

static void exec_ok(const char *sql, int n, const char *const *params)
{
    PGresult *res = PQexecParams(env.db, sql, n, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        fail_msg("%s: %s", sql, PQerrorMessage(env.db));
    PQclear(res);
}

static void borrar(void)
{
    char a[16], b[16];
    snprintf(a, sizeof a, "%d", ANIO);
    snprintf(b, sizeof b, "%d", ANIO_FUERA + 1);
    const char *p[] = {a, b};
    exec_ok("DELETE FROM totales WHERE ejercicio BETWEEN $1::int AND $2::int", 2, p);
}

static int setup(void **state)
{
    (void)state;
    it_env_open(&env);
    exec_ok("BEGIN", 0, NULL);
    borrar();
    for (size_t i = 0; i < sizeof datos / sizeof datos[0]; i++) {
        const fila *f = &datos[i];
        char n[6][24];
        snprintf(n[0], sizeof n[0], "%d", f->ejercicio);
        snprintf(n[1], sizeof n[1], "%lld", f->fichas);
        snprintf(n[2], sizeof n[2], "%lld", f->acciones);
        snprintf(n[3], sizeof n[3], "%lld", f->personas);
        snprintf(n[4], sizeof n[4], "%lld", f->mujeres);
        snprintf(n[5], sizeof n[5], "%lld", f->hombres);
        const char *p[] = {n[0], f->filtro, f->dimension, f->valor,
                           n[1], n[2], n[3], n[4], n[5]};
        exec_ok("INSERT INTO totales (ejercicio, filtro, dimension, valor, fichas,"
                " acciones, personas, mujeres, hombres)"
                " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                9, p);
    }
    exec_ok("COMMIT", 0, NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    borrar();
    it_env_close(&env);
    return 0;
}

/* ---- helpers ----------------------------------------------------------- */

/* Runs `pmm <args>` and returns stdout (stderr too when with_err). */
static char *pmm(const char *args, int expect_rc, int with_err)
{
    const char *bin = getenv("PMM_BIN");
    assert_non_null(bin);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s/pmm' %s %s", bin, args,
             with_err ? "2>&1" : "2>/dev/null");
    char *out = NULL;
    int rc = it_run(cmd, &out);
    if (rc != expect_rc)
        fail_msg("pmm %s: salida %d (se esperaba %d)\n%s", args, rc, expect_rc, out);
    return out;
}

typedef struct {
    char *lines[128];
    size_t n;
} csv;

/* Splits text into lines (in place). */
static void csv_split(char *text, csv *c)
{
    c->n = 0;
    for (char *s = strtok(text, "\n"); s && c->n < 128; s = strtok(NULL, "\n"))
        c->lines[c->n++] = s;
}

static const char *last_field(const char *line)
{
    const char *c = strrchr(line, ',');
    return c ? c + 1 : line;
}

/* The first field (codes have no commas) into buf. */
static const char *first_field(const char *line, char *buf, size_t cap)
{
    size_t n = strcspn(line, ",");
    snprintf(buf, cap, "%.*s", (int)n, line);
    return buf;
}

static const char *ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix) ? s + a - b : NULL;
}

static json_t *pmm_json(const char *args)
{
    char *out = pmm(args, 0, 0);
    json_error_t je;
    json_t *j = json_loads(out, 0, &je);
    if (!j)
        fail_msg("pmm %s: JSON inválido (%s): %s", args, je.text, out);
    free(out);
    return j;
}

static long long jint(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_integer(v))
        fail_msg("falta el entero «%s»", key);
    return (long long)json_integer_value(v);
}

static const char *jstr(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_string(v))
        fail_msg("falta la cadena «%s»", key);
    return json_string_value(v);
}

/* ---- totales ----------------------------------------------------------- */

static void objetivo_csv_every_objective_in_order(void **state)
{
    (void)state;
    char *out = pmm("totales --ejercicio 2091 --por objetivo --formato csv", 0, 0);
    csv c;
    csv_split(out, &c);
    assert_int_equal(c.n, 24);
    assert_string_equal(c.lines[0], "objetivo,nombre,actividades_reportadas,personas_reportadas,"
                        "mujeres_reportadas,hombres_reportadas,fichas");
    char buf[16], want[16];
    for (int o = 1; o <= 23; o++) {
        snprintf(want, sizeof want, "%d", o);
        assert_string_equal(first_field(c.lines[o], buf, sizeof buf), want);
        snprintf(want, sizeof want, "%lld", obj_2091[o]);
        assert_string_equal(last_field(c.lines[o]), want);
    }
    assert_non_null(ends_with(c.lines[7], ",90,900,500,400,9"));
    /* names come from data/objetivos.csv, quoted when they have commas */
    assert_non_null(strstr(c.lines[7], "Abordar y reducir las vulnerabilidades"));
    free(out);

    /* --por objetivo is the default */
    char *out2 = pmm("totales --ejercicio 2091 --formato csv", 0, 0);
    char *out3 = pmm("totales --ejercicio 2091 --por objetivo --formato csv", 0, 0);
    assert_string_equal(out2, out3);
    free(out2);
    free(out3);
}

static void orden_desc_by_count_then_natural(void **state)
{
    (void)state;
    char *out = pmm("totales --ejercicio 2091 --formato csv --orden desc", 0, 0);
    csv c;
    csv_split(out, &c);
    assert_int_equal(c.n, 24);
    static const char *order[] = {"7", "3", "1", "15", "10", "2", "4", "5"};
    char buf[16];
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        assert_string_equal(first_field(c.lines[1 + i], buf, sizeof buf), order[i]);
    assert_string_equal(first_field(c.lines[23], buf, sizeof buf), "23");
    free(out);
}

static void range_has_one_column_per_year(void **state)
{
    (void)state;
    char *out = pmm("totales --ejercicio 2091-2092 --formato csv", 0, 0);
    csv c;
    csv_split(out, &c);
    assert_int_equal(c.n, 24);
    assert_string_equal(c.lines[0], "objetivo,nombre,2091,2092");
    assert_non_null(ends_with(c.lines[7], ",9,2"));
    assert_non_null(ends_with(c.lines[22], ",0,1"));
    assert_non_null(ends_with(c.lines[23], ",0,0"));   /* 2093 is outside */
    assert_non_null(ends_with(c.lines[3], ",5,0"));
    free(out);

    json_t *j = pmm_json("totales --ejercicio 2091-2092 --formato json");
    assert_string_equal(jstr(j, "ejercicio"), "2091-2092");
    assert_int_equal(json_array_size(json_object_get(j, "ejercicios")), 2);
    json_t *f7 = json_array_get(json_object_get(j, "filas"), 6);
    assert_string_equal(jstr(f7, "valor"), "7");
    assert_int_equal(jint(f7, "fichas"), 11);
    json_t *pe = json_object_get(f7, "por_ejercicio");
    assert_int_equal(jint(json_array_get(pe, 0), "ejercicio"), 2091);
    assert_int_equal(jint(json_array_get(pe, 0), "fichas"), 9);
    assert_int_equal(jint(json_array_get(pe, 1), "fichas"), 2);
    assert_int_equal(jint(json_object_get(j, "total"), "fichas"), 26);
    json_decref(j);
}

static void ods_json_states_the_unique_total(void **state)
{
    (void)state;
    json_t *j = pmm_json("totales --ejercicio 2091 --por ods --formato json");
    assert_int_equal(jint(j, "ejercicio"), 2091);
    assert_string_equal(jstr(j, "por"), "ods");
    assert_string_equal(jstr(j, "filtro"), "");
    json_t *filas = json_object_get(j, "filas");
    assert_int_equal(json_array_size(filas), 17);
    for (size_t i = 0; i < 17; i++) {
        json_t *f = json_array_get(filas, i);
        char want[8];
        snprintf(want, sizeof want, "%zu", i + 1);
        assert_string_equal(jstr(f, "valor"), want);
        assert_true(strlen(jstr(f, "nombre")) > 0);
        long long exp = i == 0 ? 3 : i == 4 ? 2 : i == 9 ? 4 : 0;
        assert_int_equal(jint(f, "fichas"), exp);
    }
    assert_int_equal(jint(json_array_get(filas, 0), "personas_reportadas"), 30);
    /* one meaning per name (issue 23): the sums no longer use the names of
     * the published "acciones" */
    assert_null(json_object_get(json_array_get(filas, 0), "acciones"));
    assert_null(json_object_get(json_array_get(filas, 0), "personas"));
    assert_int_equal(jint(j, "ods_total"), 6);
    assert_int_equal(jint(json_object_get(j, "total"), "fichas"), 9);
    assert_non_null(strstr(jstr(j, "nota"), "varios ODS"));
    json_decref(j);

    /* csv: 17 SDGs plus the unique total, count last */
    char *out = pmm("totales --ejercicio 2091 --por ods --formato csv", 0, 0);
    csv c;
    csv_split(out, &c);
    assert_int_equal(c.n, 19);
    char buf[16];
    assert_string_equal(first_field(c.lines[18], buf, sizeof buf), "ods_total");
    assert_string_equal(last_field(c.lines[18]), "6");
    assert_string_equal(last_field(c.lines[10]), "4");
    free(out);
}

static void filters_by_body_and_state(void **state)
{
    (void)state;
    json_t *j = pmm_json("totales --ejercicio 2091 --dependencia segob --formato json");
    assert_string_equal(jstr(j, "filtro"), "D:SEGOB");
    json_t *filas = json_object_get(j, "filas");
    assert_int_equal(json_array_size(filas), 23);
    assert_int_equal(jint(json_array_get(filas, 6), "fichas"), 6);
    assert_int_equal(jint(json_array_get(filas, 0), "fichas"), 4);
    assert_int_equal(jint(json_array_get(filas, 14), "fichas"), 0);
    assert_int_equal(jint(json_object_get(j, "total"), "fichas"), 12);
    json_decref(j);

    static const char *forms[] = {"Chiapas", "07", "7", "chiapas"};
    for (size_t i = 0; i < 4; i++) {
        char args[128];
        snprintf(args, sizeof args,
                 "totales --ejercicio 2091 --entidad %s --formato csv", forms[i]);
        char *out = pmm(args, 0, 0);
        csv c;
        csv_split(out, &c);
        assert_int_equal(c.n, 24);
        assert_string_equal(last_field(c.lines[3]), "3");
        assert_string_equal(last_field(c.lines[7]), "0");
        free(out);
    }
    j = pmm_json("totales --ejercicio 2091 --entidad Chiapas --formato json");
    assert_string_equal(jstr(j, "filtro"), "E:07");
    json_decref(j);
}

static void states_bodies_axes_subtopics_ambito(void **state)
{
    (void)state;
    char buf[32];
    char *out = pmm("totales --ejercicio 2091 --por entidad --formato csv", 0, 0);
    csv c;
    csv_split(out, &c);
    assert_int_equal(c.n, 33);
    assert_string_equal(c.lines[0], "entidad,nombre,actividades_reportadas,personas_reportadas,"
                        "mujeres_reportadas,hombres_reportadas,fichas");
    for (int e = 1; e <= 32; e++) {
        char want[8];
        snprintf(want, sizeof want, "%02d", e);
        assert_string_equal(first_field(c.lines[e], buf, sizeof buf), want);
        assert_string_equal(last_field(c.lines[e]), e == 7 ? "3" : e == 14 ? "2" : "0");
    }
    free(out);

    out = pmm("totales --ejercicio 2091 --por entidad --formato csv --orden desc", 0, 0);
    csv_split(out, &c);
    assert_string_equal(first_field(c.lines[1], buf, sizeof buf), "07");
    assert_string_equal(first_field(c.lines[2], buf, sizeof buf), "14");
    assert_string_equal(first_field(c.lines[3], buf, sizeof buf), "01");
    free(out);

    out = pmm("totales --ejercicio 2091 --por dependencia --formato csv", 0, 0);
    csv_split(out, &c);
    assert_int_equal(c.n, 3);
    assert_string_equal(first_field(c.lines[1], buf, sizeof buf), "SEGOB");
    assert_string_equal(last_field(c.lines[1]), "12");
    assert_string_equal(first_field(c.lines[2], buf, sizeof buf), "SRE");
    assert_string_equal(last_field(c.lines[2]), "8");
    free(out);

    out = pmm("totales --ejercicio 2091 --por eje --formato csv", 0, 0);
    csv_split(out, &c);
    assert_int_equal(c.n, 5);   /* axes 1..4 of the taxonomy */
    assert_string_equal(last_field(c.lines[1]), "15");
    assert_string_equal(last_field(c.lines[2]), "0");
    assert_string_equal(last_field(c.lines[3]), "8");
    assert_string_equal(first_field(c.lines[4], buf, sizeof buf), "4");
    free(out);

    out = pmm("totales --ejercicio 2091 --por subtema --formato csv", 0, 0);
    csv_split(out, &c);
    /* 2091 is classified with the taxonomy of its year: 2023 (from 2023,
     * column "desde" of data/taxonomias), whose 15 sub-topics add
     * "integracion" */
    assert_int_equal(c.n, 16);
    assert_string_equal(first_field(c.lines[1], buf, sizeof buf), "educacion");
    assert_string_equal(last_field(c.lines[1]), "5");
    assert_string_equal(first_field(c.lines[2], buf, sizeof buf), "salud");
    assert_string_equal(last_field(c.lines[2]), "10");
    assert_string_equal(first_field(c.lines[7], buf, sizeof buf), "integracion");
    assert_string_equal(first_field(c.lines[15], buf, sizeof buf), "otros");
    assert_string_equal(last_field(c.lines[15]), "0");
    free(out);

    out = pmm("totales --ejercicio 2091 --por ambito --formato csv", 0, 0);
    csv_split(out, &c);
    assert_int_equal(c.n, 3);
    assert_non_null(ends_with(c.lines[1], ",20") );
    assert_string_equal(first_field(c.lines[1], buf, sizeof buf), "federal");
    assert_string_equal(first_field(c.lines[2], buf, sizeof buf), "estatal");
    free(out);
}

static void tabla_has_headers_and_total(void **state)
{
    (void)state;
    char *out = pmm("totales --ejercicio 2091", 0, 0);
    assert_non_null(strstr(out, "Objetivo"));
    assert_non_null(strstr(out, "Fichas"));
    assert_non_null(strstr(out, "Total"));
    /* the total line ends with the count */
    char *t = strstr(out, "\nTotal");
    assert_non_null(t);
    char *eol = strchr(t + 1, '\n');
    assert_non_null(eol);
    *eol = '\0';
    assert_non_null(ends_with(t, " 23"));
    free(out);
    out = pmm("totales --ejercicio 2091 --por ods", 0, 0);
    assert_non_null(strstr(out, "varios ODS"));
    free(out);
}

static void empty_year_is_all_zeros(void **state)
{
    (void)state;
    char *out = pmm("totales --ejercicio 2094 --formato csv", 0, 0);
    csv c;
    csv_split(out, &c);
    assert_int_equal(c.n, 24);
    for (int o = 1; o <= 23; o++)
        assert_string_equal(last_field(c.lines[o]), "0");
    free(out);
}

static void bad_input_is_refused_in_spanish(void **state)
{
    (void)state;
    static const struct {
        const char *args, *needle;
    } cases[] = {
        {"totales --ejercicio 1999", "--ejercicio"},
        {"totales --ejercicio 2091-2090", "--ejercicio"},
        {"totales --ejercicio dos", "--ejercicio"},
        {"totales", "--ejercicio"},
        {"totales --ejercicio 2091 --por region", "--por"},
        {"totales --ejercicio 2091 --dependencia XYZQ", "--dependencia"},
        {"totales --ejercicio 2091 --entidad Atlantida", "--entidad"},
        {"totales --ejercicio 2091 --formato xml", "--formato"},
        {"totales --ejercicio 2091 --orden asc", "--orden"},
        {"totales --ejercicio 2091 --dependencia SRE --entidad 07", "juntas"},
        {"ranking --ejercicio 2091 --n 0", "--n"},
        {"ranking --ejercicio 2091 --n 24", "--n"},
        {"participacion --ejercicio 3000", "--ejercicio"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out = pmm(cases[i].args, 2, 1);
        if (!strstr(out, cases[i].needle))
            fail_msg("pmm %s: el mensaje no nombra %s: %s", cases[i].args,
                     cases[i].needle, out);
        free(out);
    }
}

/* ---- ranking ----------------------------------------------------------- */

static void ranking_lists_ties_at_the_cut(void **state)
{
    (void)state;
    json_t *j = pmm_json("ranking --ejercicio 2091 --n 3 --formato json");
    json_t *mas = json_object_get(j, "mas");
    assert_int_equal(json_array_size(mas), 4);
    static const int obj[] = {7, 3, 1, 15}, lugar[] = {1, 2, 3, 3};
    static const int fichas[] = {9, 5, 4, 4}, empate[] = {0, 0, 1, 1};
    for (size_t i = 0; i < 4; i++) {
        json_t *p = json_array_get(mas, i);
        assert_int_equal(jint(p, "objetivo"), obj[i]);
        assert_int_equal(jint(p, "lugar"), lugar[i]);
        assert_int_equal(jint(p, "fichas"), fichas[i]);
        assert_int_equal(json_is_true(json_object_get(p, "empate")), empate[i]);
    }
    /* fewest: the 18 objectives at zero, all tied in first place */
    json_t *menos = json_object_get(j, "menos");
    assert_int_equal(json_array_size(menos), 18);
    assert_int_equal(jint(json_array_get(menos, 0), "objetivo"), 2);
    assert_int_equal(jint(json_array_get(menos, 17), "objetivo"), 23);
    for (size_t i = 0; i < 18; i++) {
        assert_int_equal(jint(json_array_get(menos, i), "lugar"), 1);
        assert_int_equal(jint(json_array_get(menos, i), "fichas"), 0);
    }
    json_t *emp = json_object_get(j, "empates");
    assert_int_equal(json_array_size(emp), 2);
    json_t *e0 = json_array_get(emp, 0);
    assert_string_equal(jstr(e0, "lista"), "mas");
    assert_int_equal(jint(e0, "lugar"), 3);
    assert_int_equal(json_array_size(json_object_get(e0, "objetivos")), 2);
    json_decref(j);

    /* no tie at the cut: exactly n */
    j = pmm_json("ranking --ejercicio 2091 --n 2 --formato json");
    assert_int_equal(json_array_size(json_object_get(j, "mas")), 2);
    json_decref(j);

    char *out = pmm("ranking --ejercicio 2091 --n 3 --formato csv", 0, 0);
    csv c;
    csv_split(out, &c);
    assert_string_equal(c.lines[0], "lista,lugar,objetivo,nombre,empate,fichas");
    assert_int_equal(c.n, 1 + 4 + 18);
    assert_true(!strncmp(c.lines[1], "mas,1,7,", 8));
    assert_non_null(ends_with(c.lines[4], ",si,4"));
    free(out);

    out = pmm("ranking --ejercicio 2091 --n 3", 0, 0);
    assert_non_null(strstr(out, "Empate en el lugar 3"));
    assert_non_null(strstr(out, "empate"));
    free(out);
}

/* ---- participacion ----------------------------------------------------- */

static void participacion_bodies_and_states(void **state)
{
    (void)state;
    json_t *j = pmm_json("participacion --ejercicio 2091 --formato json");
    json_t *deps = json_object_get(j, "dependencias");
    assert_int_equal(json_array_size(deps), 2);
    assert_string_equal(jstr(json_array_get(deps, 0), "sigla"), "SEGOB");
    assert_int_equal(jint(json_array_get(deps, 0), "fichas"), 12);
    assert_string_equal(jstr(json_array_get(deps, 1), "sigla"), "SRE");
    assert_int_equal(jint(json_array_get(deps, 1), "fichas"), 8);
    json_t *si = json_object_get(j, "entidades_reportaron");
    assert_int_equal(json_array_size(si), 1);
    assert_string_equal(jstr(json_array_get(si, 0), "clave"), "07");
    assert_string_equal(jstr(json_array_get(si, 0), "nombre"), "Chiapas");
    assert_int_equal(jint(json_array_get(si, 0), "fichas"), 3);
    json_t *no = json_object_get(j, "entidades_no_reportaron");
    assert_int_equal(json_array_size(no), 31);
    json_t *jal = json_array_get(no, 12);   /* 01..06, 08..14 */
    assert_string_equal(jstr(jal, "clave"), "14");
    assert_int_equal(jint(jal, "fichas_en_entidad"), 2);
    json_t *res = json_object_get(j, "resumen");
    assert_int_equal(jint(res, "fichas"), 23);
    assert_int_equal(jint(res, "entidades_no_reportaron"), 31);
    json_decref(j);

    char *out = pmm("participacion --ejercicio 2091 --formato csv", 0, 0);
    csv c;
    csv_split(out, &c);
    assert_string_equal(c.lines[0], "tipo,clave,nombre,reporto,fichas_en_entidad,fichas");
    assert_int_equal(c.n, 1 + 2 + 32);
    assert_true(!strncmp(c.lines[1], "dependencia,SEGOB,", 18));
    assert_true(!strncmp(c.lines[3 + 6], "entidad,07,Chiapas,si,3,3", 25));
    assert_true(!strncmp(c.lines[3 + 13], "entidad,14,Jalisco,no,2,0", 25));
    free(out);

    out = pmm("participacion --ejercicio 2091", 0, 0);
    assert_non_null(strstr(out, "no reportaron: 31 de 32"));
    free(out);

    /* a year nobody reported */
    j = pmm_json("participacion --ejercicio 2094 --formato json");
    assert_int_equal(json_array_size(json_object_get(j, "dependencias")), 0);
    assert_int_equal(json_array_size(json_object_get(j, "entidades_no_reportaron")), 32);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(objetivo_csv_every_objective_in_order),
        cmocka_unit_test(orden_desc_by_count_then_natural),
        cmocka_unit_test(range_has_one_column_per_year),
        cmocka_unit_test(ods_json_states_the_unique_total),
        cmocka_unit_test(filters_by_body_and_state),
        cmocka_unit_test(states_bodies_axes_subtopics_ambito),
        cmocka_unit_test(tabla_has_headers_and_total),
        cmocka_unit_test(empty_year_is_all_zeros),
        cmocka_unit_test(bad_input_is_refused_in_spanish),
        cmocka_unit_test(ranking_lists_ties_at_the_cut),
        cmocka_unit_test(participacion_bodies_and_states),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
