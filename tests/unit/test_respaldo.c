/* test_respaldo.c -- the pure parts of `pmm respaldo` and of the free-space
 * lines of `pmm estado`: [respaldo] read and checked from pmm.conf, the
 * Spanish explanation of pgBackRest's exit codes, and the volumes measured
 * against [estado] thresholds. (Running pgBackRest itself is tested by
 * tests/respaldo against a real stack.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "espacio.h"
#include "pgbackrest.h"

static pmm_conf *conf_from(const char *text)
{
    char path[] = "/tmp/test_respaldo_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    pmm_error err;
    pmm_error_clear(&err);
    pmm_conf *c = conf_load(path, CONF_PMM, NULL, &err);
    unlink(path);
    if (!c)
        fail_msg("conf_load: %s", err.mensaje);
    return c;
}

static void test_opts_defaults_and_values(void **state)
{
    (void)state;
    pmm_conf *c = conf_from("[respaldo]\nstanza = pila_1\nrepositorio = /srv/respaldo\n"
                            "retencion = 7\ncompresion = ninguna\nusuario = postgres\n");
    pgbr_opts o;
    pmm_error err;
    pmm_error_clear(&err);
    assert_int_equal(pgbr_opts_from_conf(c, &o, &err), 0);
    assert_string_equal(o.stanza, "pila_1");
    assert_string_equal(o.repositorio, "/srv/respaldo");
    assert_int_equal(o.retencion, 7);
    assert_string_equal(o.compresion, "none");   /* pgBackRest's name */
    assert_string_equal(o.usuario, "postgres");
    assert_string_equal(o.registros, "/var/log/pgbackrest");
    conf_destroy(&c);

    c = conf_from("[general]\nlog = info\n");
    assert_int_equal(pgbr_opts_from_conf(c, &o, &err), 0);
    assert_string_equal(o.stanza, "pmm");
    assert_null(o.repositorio);   /* pgBackRest's own configuration then */
    assert_string_equal(o.compresion, "zst");
    assert_int_equal(o.retencion, 2);
    conf_destroy(&c);
}

static void expect_refused(const char *text, const char *campo, const char *words)
{
    pmm_conf *c = conf_from(text);
    pgbr_opts o;
    pmm_error err;
    pmm_error_clear(&err);
    assert_int_equal(pgbr_opts_from_conf(c, &o, &err), -1);
    assert_string_equal(err.campo, campo);
    if (!strstr(err.mensaje, words))
        fail_msg("«%s» no dice «%s»", err.mensaje, words);
    conf_destroy(&c);
}

static void expect_load_refused(const char *text, const char *key, const char *words)
{
    char path[] = "/tmp/test_respaldo_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    pmm_error err;
    pmm_error_clear(&err);
    pmm_conf *c = conf_load(path, CONF_PMM, NULL, &err);
    unlink(path);
    assert_null(c);
    if (!strstr(err.mensaje, key) || !strstr(err.mensaje, words))
        fail_msg("«%s» no dice «%s» ni «%s»", err.mensaje, key, words);
}

static void test_opts_refused(void **state)
{
    (void)state;
    expect_refused("[respaldo]\nstanza = mi pila\n", "respaldo.stanza", "[respaldo] stanza");
    expect_refused("[respaldo]\nrepositorio = respaldo\n", "respaldo.repositorio",
                   "ruta absoluta");
    /* the typed configuration table refuses these when the file is read */
    expect_load_refused("[respaldo]\ncompresion = rar\n", "[respaldo] compresion",
                        "«zst», «lz4», «gz», «bz2» o «ninguna»");
    expect_load_refused("[respaldo]\nretencion = 0\n", "[respaldo] retencion",
                        "de 1 a 9999");
}

static void test_explain(void **state)
{
    (void)state;
    pgbr_opts o = {.stanza = "pmm", .registros = "/var/log/pgbackrest",
                   .config = "/etc/pgbackrest/x.conf", .usuario = "postgres"};
    char buf[1024];
    /* logged errors name pgBackRest's log file of that command */
    pgbr_explain(&o, "backup", 55, buf, sizeof buf);
    assert_non_null(strstr(buf, "falta la stanza"));
    assert_non_null(strstr(buf, "código 55"));
    assert_non_null(strstr(buf, "/var/log/pgbackrest/pmm-backup.log"));
    pgbr_explain(&o, "check", 82, buf, sizeof buf);
    assert_non_null(strstr(buf, "archive_command"));
    assert_non_null(strstr(buf, "pmm-check.log"));
    /* a configuration error stops pgBackRest before its log exists */
    pgbr_explain(&o, "backup", 37, buf, sizeof buf);
    assert_null(strstr(buf, ".log"));
    assert_non_null(strstr(buf, "--config=/etc/pgbackrest/x.conf --stanza=pmm check"));
    /* an unknown code still says which */
    pgbr_explain(&o, "backup", 200, buf, sizeof buf);
    assert_non_null(strstr(buf, "código 200"));
}

static void test_espacio(void **state)
{
    (void)state;
    /* /tmp exists: measured; a missing path says why; thresholds flag */
    pmm_conf *c = conf_from("[postgresql]\ndirectorio_datos = /tmp\n"
                            "[respaldo]\nrepositorio = /nonexistent/pmm-respaldo\n"
                            "[estado]\nespacio_minimo_pct = 100\nespacio_minimo_mb = 0\n");
    espacio e;
    espacio_medir(NULL, c, &e);
    assert_int_equal(e.n, 3);
    assert_string_equal(e.v[0].nombre, "datos");
    assert_true(e.v[0].ok);
    assert_true(e.v[0].total > 0);
    assert_true(e.v[0].aviso);   /* nothing has 100 % free */
    assert_string_equal(e.v[1].nombre, "wal");
    assert_false(e.v[1].ok);     /* /tmp/pg_wal does not exist */
    assert_string_equal(e.v[2].nombre, "respaldos");
    assert_false(e.v[2].ok);
    assert_non_null(strstr(e.v[2].error, "/nonexistent/pmm-respaldo"));
    assert_true(e.aviso);
    json_t *j = espacio_json(&e);
    assert_true(json_is_true(json_object_get(j, "aviso")));
    assert_int_equal(json_array_size(json_object_get(j, "volumenes")), 3);
    json_decref(j);
    conf_destroy(&c);

    c = conf_from("[postgresql]\ndirectorio_datos = /tmp\n"
                  "[estado]\nespacio_minimo_pct = 0\nespacio_minimo_mb = 0\n");
    espacio_medir(NULL, c, &e);
    assert_false(e.v[0].aviso);
    assert_false(e.v[2].ok);     /* no repository configured */
    assert_non_null(strstr(e.v[2].error, "[respaldo] repositorio"));
    conf_destroy(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_opts_defaults_and_values),
        cmocka_unit_test(test_opts_refused),
        cmocka_unit_test(test_explain),
        cmocka_unit_test(test_espacio),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
