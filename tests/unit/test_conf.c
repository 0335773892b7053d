/* test_conf.c -- the configuration table and its loader (lib/base/conf.c,
 * conf_tabla.c, conf_valor.c): every error names the file, the line, the
 * key and what is accepted; nothing falls back silently; SIGHUP's
 * conf_adopt applies only the reloadable keys; deploy/pmm.conf.example and
 * the table of deploy/README.md list exactly the table's keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "conf_tabla.h"

static char path[64];

/* Writes text to a fresh temporary file (its name in `path`). */
static void write_conf(const char *text)
{
    snprintf(path, sizeof path, "/tmp/test_conf_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Loads text for program; returns the conf, or NULL with err. */
static pmm_conf *load(const char *text, unsigned program, pmm_error *err)
{
    write_conf(text);
    pmm_error_clear(err);
    pmm_conf *c = conf_load(path, program, NULL, err);
    unlink(path);
    return c;
}

/* The load must fail and the message hold every needle. */
static void refused(const char *text, unsigned program, ...)
{
    pmm_error err;
    pmm_conf *c = load(text, program, &err);
    if (c) {
        conf_destroy(&c);
        fail_msg("aceptado para %s: %s", conf_programa_nombre(program), text);
    }
    assert_string_equal(err.regla, "configuracion");
    va_list ap;
    va_start(ap, program);
    for (const char *needle; (needle = va_arg(ap, const char *));)
        if (!strstr(err.mensaje, needle))
            fail_msg("falta «%s» en: %s", needle, err.mensaje);
    va_end(ap);
}

static pmm_conf *accepted(const char *text, unsigned program)
{
    pmm_error err;
    pmm_conf *c = load(text, program, &err);
    if (!c)
        fail_msg("rechazado para %s: %s", conf_programa_nombre(program), err.mensaje);
    return c;
}

static void test_table_is_consistent(void **state)
{
    (void)state;
    size_t n;
    const conf_clave *rows = conf_tabla(&n);
    assert_true(n > 20);
    for (size_t i = 0; i < n; i++) {
        const conf_clave *r = &rows[i];
        char why[400];
        long num;
        assert_non_null(r->help);
        assert_true(r->readers != 0);
        if (r->def && conf_valor_valido(r, r->def, &num, why, sizeof why) != 0)
            fail_msg("[%s] %s: el valor por omisión no vale: %s", r->section, r->key, why);
        if (r->type == CONF_ENTERO || r->type == CONF_MS || r->type == CONF_SEGUNDOS)
            assert_true(r->min <= r->max);
        /* one row per key, sections contiguous */
        assert_ptr_equal(conf_tabla_buscar(r->section, r->key), r);
        for (size_t j = i + 2; j < n; j++)
            if (!strcmp(rows[j].section, r->section) &&
                strcmp(rows[j - 1].section, r->section))
                fail_msg("la sección [%s] está partida en la tabla", r->section);
    }
    const conf_clave *mine[64];
    assert_true(conf_tabla_programa(CONF_INGESTD, mine, 64) > 5);
    assert_int_equal(conf_programa("aggregd"), CONF_AGGREGD);
}

static const char *const daemon_keys[][3] = {
    /* program, section, an integer key with its range */
    {"ingestd", "ingestd", "lote"},
    {"clasificd", "clasificador", "lote"},
    {"aggregd", "aggregd", "lote"},
};

/* For each daemon: a typo'd key, a non-number and an out-of-range value
 * in its own section stop it, naming file, line, key and range. */
static void test_each_daemon_refuses(void **state)
{
    (void)state;
    for (size_t d = 0; d < 3; d++) {
        unsigned prog = conf_programa(daemon_keys[d][0]);
        const char *sec = daemon_keys[d][1];
        const conf_clave *row = conf_tabla_buscar(sec, daemon_keys[d][2]);
        assert_non_null(row);
        char text[512], range[64], key[64];
        snprintf(range, sizeof range, "de %ld a %ld", row->min, row->max);

        snprintf(text, sizeof text, "[general]\nlog = info\n\n[%s]\nlotte = 5\n", sec);
        snprintf(key, sizeof key, "[%s] lotte", sec);
        refused(text, prog, "línea 5", key, "clave desconocida", "¿quiso decir «lote»?",
                "se admiten:", NULL);
        snprintf(text, sizeof text, "[%s]\n# comment\nlote = mucho\n", sec);
        snprintf(key, sizeof key, "[%s] lote", sec);
        refused(text, prog, "línea 3", key, "«mucho» no es un número entero", range, NULL);
        snprintf(text, sizeof text, "[%s]\nlote = %ld\n", sec, row->max + 1);
        refused(text, prog, "línea 2", key, "fuera del rango", range, NULL);
        snprintf(text, sizeof text, "[%s]\nlote = 0\n", sec);
        refused(text, prog, "línea 2", key, "fuera del rango", range, NULL);
        snprintf(text, sizeof text, "[%s]\nlote = 12abc\n", sec);
        refused(text, prog, "no es un número entero", NULL);

        snprintf(text, sizeof text, "[%s]\nlote = %ld\n", sec, row->max);
        pmm_conf *c = accepted(text, prog);
        assert_int_equal(conf_long(c, sec, "lote"), row->max);
        conf_destroy(&c);
        /* the message starts with the file's name */
        write_conf("[general]\nlog = ruidoso\n");
        pmm_error err;
        assert_null(conf_load(path, prog, NULL, &err));
        assert_true(strncmp(err.mensaje, path, strlen(path)) == 0);
        assert_non_null(
            strstr(err.mensaje, "«error», «warn», «aviso», «info» o «debug»"));
        unlink(path);
    }
}

/* Sections: unknown ones stop every program; each program checks the
 * sections it reads and ignores the others. */
static void test_sections(void **state)
{
    (void)state;
    for (unsigned p = 1; p <= CONF_PMM; p <<= 1)
        refused("[general]\nlog = info\n[agregd]\nlote = 5\n", p, "línea 3",
                "sección desconocida [agregd]", "¿quiso decir [aggregd]?", NULL);
    /* [cliente] is pmm's: a daemon that does not read it ignores it */
    pmm_conf *c = accepted("[cliente]\nventanaa = 3\n", CONF_INGESTD);
    conf_destroy(&c);
    refused("[cliente]\nventanaa = 3\n", CONF_PMM, "[cliente] ventanaa", NULL);
    /* pmm reads [ingestd] (endpoint): a typo there stops it too, but a
     * key only ingestd uses is left to ingestd */
    refused("[ingestd]\nendpont = ipc:///x\n", CONF_PMM, "[ingestd] endpont",
            "¿quiso decir «endpoint»?", NULL);
    c = accepted("[ingestd]\nlote = mucho\n", CONF_PMM);
    conf_destroy(&c);
    c = accepted("[ingestd]\nlote = mucho\n", CONF_CLASIFICD);
    conf_destroy(&c);
    refused("[ingestd]\nlote = mucho\n", CONF_INGESTD, "[ingestd] lote", NULL);
    /* clasificd reads [aggregd] eventos */
    refused("[aggregd]\neventoss = ipc:///x\n", CONF_CLASIFICD, "[aggregd] eventoss", NULL);
    refused("lote = 5\n[ingestd]\n", CONF_INGESTD, "línea 1", "fuera de toda sección", NULL);
    refused("[ingestd]\nlote = 5\n\n[ingestd]\nlote = 6\n", CONF_INGESTD, "línea 5",
            "repetida (ya está en la línea 2)", NULL);
    refused("[ingestd]\nendpoint = ipc:///x\n  lote = 5\n", CONF_INGESTD, "línea 3",
            "empieza con espacios", NULL);
    refused("[ingestd]\nlote\n", CONF_INGESTD, "línea 2", "error de sintaxis", NULL);
    char longline[600];
    snprintf(longline, sizeof longline, "[ingestd]\nconninfo = host=%0400d\n", 0);
    refused(longline, CONF_INGESTD, "línea 2", "pasa de", NULL);
}

static void test_types(void **state)
{
    (void)state;
    pmm_conf *c = accepted("[aggregd]\nespera_lote_ms = 2s\nrecalculo = 3:05\n"
                           "recalculo_intervalo = 1h\nendpoint = tcp://*:7003\n"
                           "eventos = tcp://[::1]:7004\n",
                           CONF_AGGREGD);
    assert_int_equal(conf_long(c, "aggregd", "espera_lote_ms"), 2000);
    assert_int_equal(conf_long(c, "aggregd", "recalculo"), 3 * 60 + 5);
    assert_int_equal(conf_long(c, "aggregd", "recalculo_intervalo"), 3600);
    assert_int_equal(conf_long(c, "aggregd", "lote"), 8000);   /* the default */
    conf_destroy(&c);
    c = accepted("[aggregd]\nrecalculo = no\n", CONF_AGGREGD);
    assert_int_equal(conf_long(c, "aggregd", "recalculo"), -1);
    assert_null(conf_str(c, "aggregd", "endpoint"));
    conf_destroy(&c);
    refused("[aggregd]\nrecalculo = 24:00\n", CONF_AGGREGD, "«24:00» no es una hora",
            "HH:MM (de 00:00 a 23:59) o «no»", NULL);
    refused("[aggregd]\nrecalculo = 3am\n", CONF_AGGREGD, "no es una hora", NULL);
    refused("[aggregd]\nrecalculo_intervalo = 1500ms\n", CONF_AGGREGD, "no es una duración",
            "de 0 a 2592000 s", NULL);
    refused("[aggregd]\nespera_lote_ms = 1,5s\n", CONF_AGGREGD, "no es una duración", NULL);
    refused("[aggregd]\nespera_lote_ms = 2min\n", CONF_AGGREGD, "fuera del rango",
            "de 0 a 60000 ms", NULL);
    refused("[aggregd]\nendpoint = tcp://host\n", CONF_AGGREGD, "«tcp://host» no es un "
            "endpoint", NULL);
    refused("[aggregd]\nendpoint = http://x:1\n", CONF_AGGREGD, "no es un", NULL);
    /* a list where one endpoint is expected, and where a list is fine */
    refused("[ingestd]\nremoto = tcp://a:1, tcp://b:1\n", CONF_INGESTD, "[ingestd] remoto",
            "uno solo", NULL);
    c = accepted("[ingestd]\nendpoint = tcp://a:7001, tcp://b:7001\n", CONF_PMM);
    assert_string_equal(conf_str(c, "ingestd", "endpoint"), "tcp://a:7001, tcp://b:7001");
    conf_destroy(&c);
    refused("[ingestd]\naceptar_dependencias_nuevas = si\n", CONF_INGESTD, "de 0 a 1", NULL);
    /* an empty value is no value: the default applies */
    c = accepted("[ingestd]\nlote =\n", CONF_INGESTD);
    assert_int_equal(conf_long(c, "ingestd", "lote"), 512);
    conf_destroy(&c);
}

static int refuse_malo(const char *value, char *why, size_t n)
{
    if (strstr(value, "malo")) {
        snprintf(why, n, "conninfo mala");
        return -1;
    }
    return 0;
}

static void test_conninfo_checker(void **state)
{
    (void)state;
    write_conf("[postgresql]\nconninfo = host=malo\n");
    pmm_error err;
    assert_null(conf_load(path, CONF_AGGREGD, refuse_malo, &err));
    assert_non_null(strstr(err.mensaje, "línea 2: [postgresql] conninfo: conninfo mala"));
    pmm_conf *c = conf_load(path, CONF_AGGREGD, NULL, &err);   /* not checked */
    assert_non_null(c);
    assert_string_equal(conf_conninfo(c, "aggregd"), "host=malo");
    conf_destroy(&c);
    unlink(path);
}

static void test_environment(void **state)
{
    (void)state;
    const char *text = "[ingestd]\nendpoint = ipc:///tmp/a.sock\nlote = 100\n";
    setenv("PMM_INGESTD_LOTE", "1000", 1);
    pmm_conf *c = accepted(text, CONF_INGESTD);
    assert_int_equal(conf_long(c, "ingestd", "lote"), 1000);
    conf_destroy(&c);
    setenv("PMM_INGESTD_LOTE", "mil", 1);
    refused(text, CONF_INGESTD, "variable PMM_INGESTD_LOTE", "[ingestd] lote",
            "«mil» no es un número entero", "de 1 a 10000", NULL);
    setenv("PMM_INGESTD_LOTE", "0", 1);
    refused(text, CONF_INGESTD, "variable PMM_INGESTD_LOTE", "fuera del rango", NULL);
    unsetenv("PMM_INGESTD_LOTE");
    /* an empty variable unsets the file's value */
    setenv("PMM_INGESTD_ENDPOINT", "", 1);
    c = accepted(text, CONF_INGESTD);
    assert_null(conf_str(c, "ingestd", "endpoint"));
    conf_destroy(&c);
    unsetenv("PMM_INGESTD_ENDPOINT");
    /* a misspelt variable of a section the program reads */
    setenv("PMM_INGESTD_LOT", "5", 1);
    refused(text, CONF_INGESTD, "variable PMM_INGESTD_LOT", "clave desconocida",
            "¿quiso decir PMM_INGESTD_LOTE?", NULL);
    c = accepted(text, CONF_AGGREGD);   /* aggregd does not read [ingestd] */
    conf_destroy(&c);
    unsetenv("PMM_INGESTD_LOT");
}

static void test_missing_file(void **state)
{
    (void)state;
    pmm_error err;
    assert_null(conf_load("/nonexistent/pmm.conf", CONF_PMM, NULL, &err));
    assert_non_null(strstr(err.mensaje, "/nonexistent/pmm.conf"));
}

static void test_set(void **state)
{
    (void)state;
    pmm_conf *c = accepted("[cliente]\nventana = 10\n", CONF_PMM);
    pmm_error err;
    assert_int_equal(conf_set(c, "cliente", "clave", "/tmp/k.key_secret", &err), 0);
    assert_string_equal(conf_str(c, "cliente", "clave"), "/tmp/k.key_secret");
    assert_int_equal(conf_set(c, "cliente", "ventana", "muchas", &err), -1);
    assert_int_equal(conf_long(c, "cliente", "ventana"), 10);
    conf_destroy(&c);
}

typedef struct {
    char lines[8][200];
    int applied[8];
    int n;
} report_log;

static void collect(void *arg, int applied, const char *line)
{
    report_log *r = arg;
    assert_true(r->n < 8);
    snprintf(r->lines[r->n], sizeof r->lines[0], "%s", line);
    r->applied[r->n++] = applied;
}

/* SIGHUP: reloadable keys are applied and reported "old -> new"; the
 * others are reported and keep their running value. */
static void test_adopt(void **state)
{
    (void)state;
    pmm_conf *now = accepted("[general]\nlog = info\n[ingestd]\nlote = 512\n"
                             "endpoint = ipc:///tmp/a.sock\n",
                             CONF_INGESTD);
    pmm_conf *next = accepted("[general]\nlog = debug\n[ingestd]\nlote = 1000\n"
                              "endpoint = ipc:///tmp/b.sock\n[postgresql]\nconninfo = "
                              "host=/x password=secreto\n",
                              CONF_INGESTD);
    report_log r = {.n = 0};
    assert_int_equal(conf_adopt(now, next, collect, &r), 2);
    assert_int_equal(r.n, 4);
    assert_string_equal(r.lines[0], "[general] log: info -> debug");
    assert_true(r.applied[0]);
    assert_string_equal(r.lines[1], "[postgresql] conninfo cambió (se aplicará al reiniciar)");
    assert_false(r.applied[1]);
    assert_string_equal(r.lines[2],
                        "[ingestd] endpoint: ipc:///tmp/a.sock -> ipc:///tmp/b.sock "
                        "(se aplicará al reiniciar)");
    assert_string_equal(r.lines[3], "[ingestd] lote: 512 -> 1000");
    assert_int_equal(conf_long(now, "ingestd", "lote"), 1000);
    assert_string_equal(conf_str(now, "general", "log"), "debug");
    assert_string_equal(conf_str(now, "ingestd", "endpoint"), "ipc:///tmp/a.sock");
    /* nothing changed: nothing reported */
    r.n = 0;
    assert_int_equal(conf_adopt(now, now, collect, &r), 0);
    assert_int_equal(r.n, 0);
    conf_destroy(&now);
    conf_destroy(&next);
}

static char *slurp(const char *name)
{
    char file[1024];
    const char *src = getenv("PMM_SRC");
    snprintf(file, sizeof file, "%s/%s", src && *src ? src : PMM_SOURCE_DIR, name);
    FILE *f = fopen(file, "r");
    if (!f)
        fail_msg("no se puede abrir %s", file);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* deploy/pmm.conf.example names every key of the table, set or commented
 * out as "#key = value", with a value the table accepts, and no other
 * key; and it loads for every program. */
/* [clasificador] modelo: the model file of clasificd, pmm clasificar and
 * pmm reclasificar; unset by default (the data directory's modelo.txt),
 * not reloadable, unknown to the other daemons. */
static void test_clasificador_modelo(void **state)
{
    (void)state;
    const conf_clave *k = conf_tabla_buscar("clasificador", "modelo");
    assert_non_null(k);
    assert_int_equal(k->type, CONF_RUTA);
    assert_true(k->readers & CONF_CLASIFICD);
    assert_true(k->readers & CONF_PMM);
    assert_false(k->readers & CONF_INGESTD);
    assert_false(k->reloadable);
    pmm_conf *c = accepted("[clasificador]\ntaxonomia = 2018-2022\n", CONF_CLASIFICD);
    const char *v = conf_str(c, "clasificador", "modelo");
    assert_true(v == NULL || *v == '\0');
    conf_destroy(&c);
    c = accepted("[clasificador]\nmodelo = /etc/pmm/modelo-2023.txt\n", CONF_CLASIFICD);
    assert_string_equal(conf_str(c, "clasificador", "modelo"), "/etc/pmm/modelo-2023.txt");
    conf_destroy(&c);
    c = accepted("[clasificador]\nmodelo = modelo-2023.txt\n", CONF_PMM);
    assert_non_null(strstr(conf_str(c, "clasificador", "modelo"), "modelo-2023.txt"));
    conf_destroy(&c);
}

static void test_example_matches_table(void **state)
{
    (void)state;
    char *text = slurp("deploy/pmm.conf.example");
    size_t n;
    const conf_clave *rows = conf_tabla(&n);
    int *seen = calloc(n, sizeof *seen);
    char section[64] = "";
    int sighup = 0;   /* the comment above the key says "(SIGHUP)" */
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        char key[64], value[512];
        if (sscanf(line, "[%63[^]]]", section) == 1) {
            sighup = 0;
            continue;
        }
        if (sscanf(line, "#%63[a-z_] = %511[^\n]", key, value) != 2 &&
            sscanf(line, "%63[a-z_] = %511[^\n]", key, value) != 2) {
            sighup |= strstr(line, "(SIGHUP)") != NULL;
            continue;
        }
        const conf_clave *row = conf_tabla_buscar(section, key);
        if (!row)
            fail_msg("pmm.conf.example: [%s] %s no está en la tabla", section, key);
        char why[400];
        long num;
        if (conf_valor_valido(row, value, &num, why, sizeof why) != 0)
            fail_msg("pmm.conf.example: [%s] %s: %s", section, key, why);
        if (sighup != row->reloadable)
            fail_msg("pmm.conf.example: [%s] %s %s «(SIGHUP)» en su comentario", section,
                     key, row->reloadable ? "es recargable y no dice" : "no es recargable y dice");
        sighup = 0;
        seen[row - rows] = 1;
    }
    for (size_t i = 0; i < n; i++)
        if (!seen[i])
            fail_msg("pmm.conf.example no menciona [%s] %s", rows[i].section, rows[i].key);
    free(seen);
    free(text);
    char file[1024];
    const char *src = getenv("PMM_SRC");
    snprintf(file, sizeof file, "%s/deploy/pmm.conf.example",
             src && *src ? src : PMM_SOURCE_DIR);
    pmm_error err;
    pmm_conf *c = conf_load(file, CONF_TODOS, NULL, &err);
    if (!c)
        fail_msg("%s", err.mensaje);
    conf_destroy(&c);
}

/* The table of deploy/README.md ("| `[section]` | `key`, ... | ...")
 * lists each section's keys exactly. */
static void test_readme_matches_table(void **state)
{
    (void)state;
    char *text = slurp("deploy/README.md");
    size_t n;
    const conf_clave *rows = conf_tabla(&n);
    int sections = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        char section[64];
        if (sscanf(line, "| `[%63[^]]]` |", section) != 1)
            continue;
        sections++;
        char *keys = strchr(line + 2, '|') + 1;
        char *end = strchr(keys, '|');
        assert_non_null(end);
        *end = '\0';
        size_t listed = 0;
        for (char *p = strchr(keys, '`'); p; p = strchr(p, '`')) {
            char *close = strchr(p + 1, '`');
            assert_non_null(close);
            *close = '\0';
            if (strchr(p + 1, ' ')) {   /* a command named in passing */
                p = close + 1;
                continue;
            }
            if (!conf_tabla_buscar(section, p + 1))
                fail_msg("deploy/README.md: [%s] %s no está en la tabla", section, p + 1);
            listed++;
            p = close + 1;
        }
        size_t want = 0;
        for (size_t i = 0; i < n; i++)
            want += !strcmp(rows[i].section, section);
        if (listed != want)
            fail_msg("deploy/README.md: [%s] lista %zu claves; la tabla tiene %zu", section,
                     listed, want);
    }
    size_t want_sections = 0;
    for (size_t i = 0; i < n; i++)
        want_sections += i == 0 || strcmp(rows[i].section, rows[i - 1].section);
    assert_int_equal((size_t)sections, want_sections);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_is_consistent),
        cmocka_unit_test(test_each_daemon_refuses),
        cmocka_unit_test(test_sections),
        cmocka_unit_test(test_types),
        cmocka_unit_test(test_conninfo_checker),
        cmocka_unit_test(test_environment),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_set),
        cmocka_unit_test(test_adopt),
        cmocka_unit_test(test_clasificador_modelo),
        cmocka_unit_test(test_example_matches_table),
        cmocka_unit_test(test_readme_matches_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
