/* Unit tests for the Spanish text pipeline (lib/texto.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "texto.h"

typedef struct {
    char items[256][TEXTO_MAX_RASGO];
    size_t n;
} rasgos;

static int collect(void *user, const char *r, size_t len)
{
    rasgos *rs = user;
    if (rs->n < 256) {
        memcpy(rs->items[rs->n], r, len);
        rs->items[rs->n][len] = '\0';
        rs->n++;
    }
    return 0;
}

static bool has(const rasgos *rs, const char *r)
{
    for (size_t i = 0; i < rs->n; i++)
        if (!strcmp(rs->items[i], r))
            return true;
    return false;
}

static texto *nuevo(void)
{
    const char *d = getenv("PMM_DATOS");
    char path[1024];
    snprintf(path, sizeof path, "%s/stopwords_es.txt", d ? d : "data");
    pmm_error err;
    texto *t = texto_new(path, &err);
    assert_non_null(t);
    return t;
}

/* Stems of s joined by spaces (content words only). */
static void stems(texto *t, const char *s, char *out, size_t cap)
{
    const texto_token *toks;
    size_t n;
    pmm_error err;
    assert_int_equal(texto_analizar(t, s, strlen(s), &toks, &n, &err), 0);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (toks[i].parada)
            continue;
        if (out[0])
            strncat(out, " ", cap - strlen(out) - 1);
        strncat(out, toks[i].s, cap - strlen(out) - 1);
    }
}

static void test_acentos_y_mayusculas(void **state)
{
    (void)state;
    texto *t = nuevo();
    char a[256], b[256], c[256];
    stems(t, "EDUCACIÓN Médica", a, sizeof a);
    stems(t, "educación médica", b, sizeof b);
    stems(t, "Educacion medica", c, sizeof c);     /* typed without accents */
    assert_string_equal(a, b);
    assert_string_equal(b, c);
    assert_string_equal(a, "educ medic");
    texto_destroy(&t);
    assert_null(t);
}

static void test_enie_y_dieresis(void **state)
{
    (void)state;
    texto *t = nuevo();
    char a[256], b[256];
    stems(t, "NIÑAS y niños", a, sizeof a);
    assert_null(strchr(a, (char)0xc3));           /* folded to ASCII */
    stems(t, "ninas y ninos", b, sizeof b);
    assert_string_equal(a, b);
    stems(t, "Pingüino bilingüe", a, sizeof a);
    stems(t, "pinguino bilingue", b, sizeof b);
    assert_string_equal(a, b);
    char *n = texto_normalizar("Año PINGÜINO", strlen("Año PINGÜINO"));
    assert_string_equal(n, "ano pinguino");
    free(n);
    texto_destroy(&t);
}

static void test_paradas_y_puntuacion(void **state)
{
    (void)state;
    texto *t = nuevo();
    rasgos rs = {0};
    pmm_error err;
    const char *s = "Atención de la salud; vacunas, (consultas) «taller».";
    assert_int_equal(texto_rasgos(t, s, strlen(s), TEXTO_TODO, collect, &rs,
                                  &err), 0);
    assert_true(has(&rs, "atencion_salud"));   /* stop words skipped */
    assert_false(has(&rs, "la"));
    assert_false(has(&rs, "de"));
    assert_false(has(&rs, "salud_vacun"));     /* ';' ends the clause */
    assert_false(has(&rs, "vacun_consult"));
    assert_true(has(&rs, "vacun"));
    assert_true(has(&rs, "consult"));
    texto_destroy(&t);
}

static void test_numeros_con_unidad(void **state)
{
    (void)state;
    texto *t = nuevo();
    rasgos rs = {0};
    pmm_error err;
    const char *s = "Se dieron 2 500 consultas, 10 talleres y 1,047 acciones; "
                    "en 2019 se atendió a más de 3 mil personas.";
    assert_int_equal(texto_rasgos(t, s, strlen(s), TEXTO_UNIDADES, collect,
                                  &rs, &err), 0);
    assert_true(has(&rs, "#consult"));
    assert_true(has(&rs, "#taller"));
    assert_true(has(&rs, "#accion"));
    assert_true(has(&rs, "#person"));        /* "mil" is skipped */
    const texto_token *toks;
    size_t n;
    assert_int_equal(texto_analizar(t, s, strlen(s), &toks, &n, &err), 0);
    bool found = false;
    for (size_t i = 0; i < n; i++)
        if (toks[i].tipo == TEXTO_NUMERO && !strcmp(toks[i].s, "2500"))
            found = true;
    assert_true(found);
    texto_destroy(&t);
}

static void test_vacio(void **state)
{
    (void)state;
    texto *t = nuevo();
    const texto_token *toks;
    size_t n = 99;
    pmm_error err;
    assert_int_equal(texto_analizar(t, "", 0, &toks, &n, &err), 0);
    assert_int_equal(n, 0);
    assert_int_equal(texto_analizar(t, " ,;. ¿? ", 8, &toks, &n, &err), 0);
    assert_int_equal(n, 0);
    rasgos rs = {0};
    assert_int_equal(texto_rasgos(t, NULL, 0, TEXTO_TODO, collect, &rs, &err),
                     0);
    assert_int_equal(rs.n, 0);
    texto_destroy(&t);
    texto_destroy(&t);                          /* idempotent */
}

static int count(void *user, const char *r, size_t len)
{
    (void)r;
    (void)len;
    (*(size_t *)user)++;
    return 0;
}

static void test_muy_largo(void **state)
{
    (void)state;
    texto *t = nuevo();
    /* 2 MB of text, and one 100 000-byte "word" */
    const char *frase = "Capacitación a personas servidoras públicas en "
                        "derechos humanos. ";
    size_t fl = strlen(frase), reps = (2u << 20) / fl;
    char *big = malloc(fl * reps + 1);
    assert_non_null(big);
    for (size_t i = 0; i < reps; i++)
        memcpy(big + i * fl, frase, fl);
    big[fl * reps] = '\0';
    size_t nr = 0;
    pmm_error err;
    assert_int_equal(texto_rasgos(t, big, fl * reps, TEXTO_TODO, count, &nr,
                                  &err), 0);
    assert_true(nr > reps * 5);
    memset(big, 'a', 100000);
    big[100000] = '\0';
    const texto_token *toks;
    size_t n;
    assert_int_equal(texto_analizar(t, big, 100000, &toks, &n, &err), 0);
    assert_int_equal(n, 1);
    rasgos rs = {0};
    assert_int_equal(texto_rasgos(t, big, 100000, TEXTO_TODO, collect, &rs,
                                  &err), 0);
    assert_int_equal(rs.n, 1);
    assert_true(strlen(rs.items[0]) < TEXTO_MAX_RASGO);
    /* invalid UTF-8 is dropped, not fatal */
    const char bad[] = "salud \xff\xfe vacunas \xc3";
    assert_int_equal(texto_analizar(t, bad, sizeof bad - 1, &toks, &n, &err),
                     0);
    assert_int_equal(n, 2);
    free(big);
    texto_destroy(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_acentos_y_mayusculas),
        cmocka_unit_test(test_enie_y_dieresis),
        cmocka_unit_test(test_paradas_y_puntuacion),
        cmocka_unit_test(test_numeros_con_unidad),
        cmocka_unit_test(test_vacio),
        cmocka_unit_test(test_muy_largo),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
