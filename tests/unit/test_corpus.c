/* The labelled-corpus reader (lib/corpus.c): the fields the classifier and
 * `pmm evaluar` use, including whether a record's SDG list was given for
 * its sub-topic or only for its whole axis (ods_scope), and the agreement
 * of the labels between years that `pmm evaluar` reports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "corpus.h"

static char path[64];

static void write_corpus(const char *text)
{
    snprintf(path, sizeof path, "/tmp/pmm-test-corpus-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void lee_campos_y_alcance(void **state)
{
    (void)state;
    write_corpus(
        "{\"id\":\"a\",\"year\":2019,\"eje\":1,\"subtema\":\"salud\","
        "\"ods_grupo\":[3,10],\"ods_scope\":\"subtema\",\"actores\":"
        "[\"SSA\",\"IMSS\"],\"programa\":\"Ferias\",\"texto\":\"Ferias de "
        "salud\"}\n"
        "\n"
        "{\"id\":\"b\",\"year\":2022,\"eje\":4,\"subtema\":\"otros\","
        "\"ods_grupo\":[3,8,10],\"ods_scope\":\"eje\",\"actores\":[],"
        "\"programa\":null,\"texto\":\"Torneo\"}\n"
        "{\"id\":\"c\",\"year\":2020,\"eje\":2,\"subtema\":\"materiales\","
        "\"ods_grupo\":[5,10],\"texto\":\"Guía\"}\n");
    corpus cp;
    pmm_error err;
    assert_int_equal(corpus_leer(path, &cp, &err), 0);
    assert_int_equal(cp.n, 3);
    assert_string_equal(cp.r[0].dependencia, "SSA");
    assert_false(cp.r[0].ods_eje);
    assert_int_equal(cp.r[0].nods, 2);
    assert_true(cp.r[1].ods_eje);
    assert_null(cp.r[1].dependencia);
    assert_null(cp.r[1].programa);
    assert_false(cp.r[2].ods_eje);     /* no scope: per sub-topic */
    clasif_ejemplo e;
    corpus_ejemplo(&cp.r[0], &e);
    assert_string_equal(e.entrada.resultados, "Ferias de salud");
    assert_int_equal(e.grupo, 2019);
    corpus_liberar(&cp);
    unlink(path);
}

static void linea_mala_es_error(void **state)
{
    (void)state;
    write_corpus("{\"year\":2019,\"subtema\":\"salud\",\"texto\":\"x\"}\n"
                 "{\"year\":2019,\"texto\":\"sin subtema\"}\n");
    corpus cp;
    pmm_error err;
    assert_int_equal(corpus_leer(path, &cp, &err), -1);
    assert_string_equal(err.campo, "subtema");
    assert_non_null(strstr(err.mensaje, "línea 2"));
    assert_int_equal(cp.n, 0);
    unlink(path);
}

/* Pairs across years with the same programme name (accents, case, short
 * words and word order aside), and what their labels share. */
static void consistencia_entre_anios(void **state)
{
    (void)state;
    write_corpus(
        "{\"year\":2019,\"eje\":1,\"subtema\":\"salud\",\"ods_grupo\":[3,10],"
        "\"programa\":\"Jornadas de Salud Migrante\",\"texto\":\"x\"}\n"
        /* same name, other year: same axis and sub-topic, SDGs in another order */
        "{\"year\":2020,\"eje\":1,\"subtema\":\"salud\",\"ods_grupo\":[10,3],"
        "\"programa\":\"JORNADAS  salud   migrante, de la\",\"texto\":\"x\"}\n"
        /* same name, third year: another axis and sub-topic */
        "{\"year\":2022,\"eje\":2,\"subtema\":\"materiales\",\"ods_grupo\":[10],"
        "\"programa\":\"migrante salud jornadas\",\"texto\":\"x\"}\n"
        /* same name, same year as the first: not a pair */
        "{\"year\":2019,\"eje\":1,\"subtema\":\"salud\",\"ods_grupo\":[3,10],"
        "\"programa\":\"Jornadas de salud migrante\",\"texto\":\"x\"}\n"
        /* no word of four letters: never a pair */
        "{\"year\":2018,\"eje\":1,\"subtema\":\"salud\",\"ods_grupo\":[3],"
        "\"programa\":\"Sí\",\"texto\":\"x\"}\n"
        "{\"year\":2020,\"eje\":1,\"subtema\":\"salud\",\"ods_grupo\":[3],"
        "\"programa\":\"Sí\",\"texto\":\"x\"}\n"
        "{\"year\":2021,\"eje\":3,\"subtema\":\"otros\",\"ods_grupo\":[],"
        "\"programa\":null,\"texto\":\"x\"}\n");
    corpus cp;
    pmm_error err;
    assert_int_equal(corpus_leer(path, &cp, &err), 0);
    corpus_consistencia c;
    assert_int_equal(corpus_medir_consistencia(&cp, &c), 0);
    /* 2019a-2020, 2019a-2022, 2020-2022, 2019b-2020, 2019b-2022 */
    assert_int_equal(c.pares, 5);
    assert_int_equal(c.mismo_eje, 2);
    assert_int_equal(c.mismo_subtema, 2);
    assert_int_equal(c.mismos_ods, 2);
    corpus_liberar(&cp);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lee_campos_y_alcance),
        cmocka_unit_test(linea_mala_es_error),
        cmocka_unit_test(consistencia_entre_anios),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
