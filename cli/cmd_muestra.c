/* pmm muestra -- sample fichas as JSON Lines on stdout (lib/muestra.h). */
#include <errno.h>
#include <stdarg.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "opciones.h"
#include "muestra.h"
#include "muestra_historia.h"

#define DEFAULT_N 100

static void usage(FILE *out)
{
    fprintf(out,
            "Uso: pmm muestra [--ejercicio AÑO|AÑO-AÑO] [--tabla] [--n N]\n"
            "                 [--tamano normal|grande] [--semilla S] "
            "[--objetivo K]\n"
            "                 [--decisiones ARCHIVO.csv]\n\n"
            "Genera fichas de ejemplo, ficticias pero realistas, en formato JSON "
            "Lines\n(una ficha por línea) por la salida estándar. Sirven para "
            "demostraciones,\npruebas y mediciones de rendimiento; los datos de "
            "contacto son inventados.\n\n"
            "Opciones:\n"
            "  --ejercicio AÑO|AÑO-AÑO  año o rango de años (por omisión, los de la\n"
            "                       tabla publicada: 2018-2022)\n"
            "  --tabla              genera, para cada año y objetivo, exactamente "
            "el número de\n"
            "                       acciones publicado en tabla_pmm.csv (1,065 "
            "en 2018-2022);\n"
            "                       en cada año, tantas fichas reportan resultados "
            "como acciones\n"
            "                       con resultados publica tabla_ods.csv y las "
            "demás dicen que\n"
            "                       no los tuvieron\n"
            "  --n N                número de fichas sin --tabla (por omisión "
            "%d), repartidas\n"
            "                       entre los años y los objetivos\n"
            "  --tamano T           normal (alrededor de 1 KB) o grande (2-4 KB "
            "de texto por\n"
            "                       ficha, para mediciones de rendimiento)\n"
            "  --semilla S          semilla del generador (entero); la misma "
            "semilla produce\n"
            "                       exactamente las mismas fichas (por omisión 1)\n"
            "  --objetivo K         solo el objetivo K del PMM (1-23)\n"
            "  --decisiones ARCHIVO con --tabla: escribe además las decisiones "
            "históricas de los\n"
            "                       analistas (subtema, ODS y si hubo resultados, "
            "procedencia\n"
            "                       «Diagnóstico 2018-2022») en el CSV que lee pmm "
            "revision\n"
            "                       importar; con ellas, pmm totales --por ods "
            "reproduce\n"
            "                       tabla_ods.csv\n"
            "  -h, --help           muestra esta ayuda\n\n"
            "Ejemplos:\n"
            "  pmm muestra --ejercicio 2018-2022 --tabla > fichas.jsonl\n"
            "  pmm muestra --tabla --decisiones decisiones.csv > fichas.jsonl\n"
            "  pmm muestra --n 500 --tamano grande --semilla 7\n",
            DEFAULT_N);
}

static int fail_opt(const char *opt, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int fail_opt(const char *opt, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "pmm muestra: %s: ", opt);
    vfprintf(stderr, fmt, ap);
    fputs("; vea pmm muestra --help\n", stderr);
    va_end(ap);
    return EXIT_USO;
}

/* Parses a decimal integer filling the whole string. */
static int parse_ll(const char *s, long long *out)
{
    if (!s || !*s)
        return -1;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

static int parse_years(const char *s, int *desde, int *hasta)
{
    char buf[32];
    if (!s || strlen(s) >= sizeof buf)
        return -1;
    snprintf(buf, sizeof buf, "%s", s);
    char *dash = strchr(buf, '-');
    long long a, b;
    if (dash) {
        *dash = '\0';
        if (parse_ll(buf, &a) != 0 || parse_ll(dash + 1, &b) != 0)
            return -1;
    } else {
        if (parse_ll(buf, &a) != 0)
            return -1;
        b = a;
    }
    if (a < 1000 || a > 9999 || b < 1000 || b > 9999)
        return -1;
    *desde = (int)a;
    *hasta = (int)b;
    return 0;
}

typedef struct {
    FILE *out;
    muestra *m;
    muestra_historia *h;      /* NULL without --decisiones */
} salida;

static int write_line(void *user, json_t *ficha, pmm_error *err)
{
    salida *s = user;
    if (json_dumpf(ficha, s->out, JSON_COMPACT | JSON_PRESERVE_ORDER) != 0 ||
        fputc('\n', s->out) == EOF)
        return pmm_error_set(err, 7, "", "salida",
                             "no se pudo escribir en la salida estándar");
    if (s->h)
        return muestra_historia_agregar(s->h, ficha, muestra_ultima(s->m), err);
    return 0;
}

/* The decisions into path, through a temporary file renamed when whole. */
static int write_decisiones(muestra_historia *h, const char *path, pmm_error *err)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f)
        return pmm_error_set(err, 7, "--decisiones", "escritura",
                             "--decisiones: no se puede crear %s: %s", path, strerror(errno));
    long n = muestra_historia_escribir(h, f, err);
    if (fclose(f) != 0 && n >= 0)
        n = pmm_error_set(err, 7, "--decisiones", "escritura",
                          "--decisiones: no se pudo escribir %s", path);
    if (n < 0 || rename(tmp, path) != 0) {
        if (n >= 0)
            pmm_error_set(err, 7, "--decisiones", "escritura",
                          "--decisiones: no se pudo escribir %s: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    fprintf(stderr, "%ld decisiones históricas escritas en %s\n", n, path);
    return 0;
}

int cmd_muestra(int argc, char **argv, pmm_conf *conf)
{
    int tabla = 0, objetivo = 0, desde = 0, hasta = 0, have_years = 0;
    int have_n = 0;
    const char *decisiones = NULL;
    long long n = DEFAULT_N;
    unsigned long long semilla = 1;
    muestra_tamano tam = MUESTRA_NORMAL;

    static const struct option opts[] = {{"ejercicio", required_argument, NULL, 'e'},
                                         {"tabla", no_argument, NULL, 't'},
                                         {"n", required_argument, NULL, 'n'},
                                         {"tamano", required_argument, NULL, 'z'},
                                         {"semilla", required_argument, NULL, 's'},
                                         {"objetivo", required_argument, NULL, 'o'},
                                         {"decisiones", required_argument, NULL, 'd'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int o;
    cli_opciones_inicio();
    while ((o = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        if (o == 'h') {
            usage(stdout);
            return 0;
        }
        if (o == 't') {
            tabla = 1;
            continue;
        }
        const char *opt = o == 'e' ? "--ejercicio" : o == 'n' ? "--n"
                        : o == 'z' ? "--tamano" : o == 's' ? "--semilla"
                        : o == 'o' ? "--objetivo" : o == 'd' ? "--decisiones" : NULL;
        if (!opt)
            return cli_opcion_mala("muestra", o, argv);
        const char *val = optarg;
        long long x;
        if (!strcmp(opt, "--ejercicio")) {
            if (parse_years(val, &desde, &hasta) != 0)
                return fail_opt(opt,
                                "se espera un año (2020) o un rango de años "
                                "(2018-2022), no «%s»",
                                val);
            if (desde > hasta)
                return fail_opt(opt,
                                "el primer año del rango es posterior al "
                                "último («%s»)",
                                val);
            have_years = 1;
        } else if (!strcmp(opt, "--n")) {
            if (parse_ll(val, &x) != 0 || x < 0 || x > 100000000)
                return fail_opt(opt,
                                "se espera un número de fichas entre 0 y "
                                "100000000, no «%s»",
                                val);
            n = x;
            have_n = 1;
        } else if (!strcmp(opt, "--tamano")) {
            if (!strcmp(val, "normal"))
                tam = MUESTRA_NORMAL;
            else if (!strcmp(val, "grande"))
                tam = MUESTRA_GRANDE;
            else
                return fail_opt(opt, "se espera «normal» o «grande», no «%s»",
                                val);
        } else if (!strcmp(opt, "--semilla")) {
            char *end;
            errno = 0;
            if (!*val || *val == '-')
                return fail_opt(opt, "se espera un entero no negativo, no «%s»",
                                val);
            semilla = strtoull(val, &end, 0);
            if (errno || *end)
                return fail_opt(opt, "se espera un entero no negativo, no «%s»",
                                val);
        } else if (!strcmp(opt, "--decisiones")) {
            if (!*val)
                return fail_opt(opt, "falta el nombre del archivo");
            decisiones = val;
        } else {   /* --objetivo */
            if (parse_ll(val, &x) != 0 || x < 1 || x > 23)
                return fail_opt(opt,
                                "se espera un objetivo del PMM entre 1 y 23, "
                                "no «%s»",
                                val);
            objetivo = (int)x;
        }
    }
    if (optind != argc)
        return cli_argumento_sobrante("muestra", argv[optind]);
    if (tabla && have_n)
        return fail_opt("--n", "no se combina con --tabla, que fija el número "
                               "de fichas");
    if (decisiones && (!tabla || objetivo))
        return fail_opt("--decisiones", "solo con --tabla y sin --objetivo: las "
                                        "decisiones reproducen la tabla de años completos");

    pmm_error err;
    pmm_error_clear(&err);
    muestra *m = muestra_new(cli_data_dir(conf), (uint64_t)semilla, &err);
    if (!m) {
        fprintf(stderr, "pmm muestra: no se pudieron leer los datos: %s\n",
                err.mensaje);
        return EXIT_USO;
    }
    int t0, t1;
    muestra_tabla_rango(m, &t0, &t1);
    if (!have_years) {
        desde = t0;
        hasta = t1;
    }
    int rc;
    if (tabla) {
        if (desde < t0 || hasta > t1) {
            fprintf(stderr,
                    "pmm muestra: --ejercicio: la tabla publicada solo cubre "
                    "%d-%d\n",
                    t0, t1);
            muestra_destroy(&m);
            return EXIT_USO;
        }
        salida sal = {.out = stdout, .m = m};
        if (decisiones && !(sal.h = muestra_historia_new(cli_data_dir(conf), &err))) {
            fprintf(stderr, "pmm muestra: no se pudieron leer los datos: %s\n", err.mensaje);
            muestra_destroy(&m);
            return EXIT_USO;
        }
        rc = muestra_tabla(m, desde, hasta, objetivo, tam, write_line, &sal, &err);
        if (rc == 0 && sal.h)
            rc = write_decisiones(sal.h, decisiones, &err);
        muestra_historia_destroy(&sal.h);
    } else {
        salida sal = {.out = stdout, .m = m};
        rc = muestra_lote(m, desde, hasta, objetivo, (size_t)n, tam, write_line,
                          &sal, &err);
    }
    muestra_destroy(&m);
    if (rc == 0 && fflush(stdout) != 0) {
        pmm_error_set(&err, 7, "", "salida",
                      "no se pudo escribir en la salida estándar");
        rc = -1;
    }
    if (rc != 0) {
        if (*err.campo && strcmp(err.campo, "ejercicio") == 0)
            fprintf(stderr, "pmm muestra: --ejercicio: %s\n", err.mensaje);
        else
            fprintf(stderr, "pmm muestra: %s\n", err.mensaje);
        return EXIT_USO;
    }
    return 0;
}
