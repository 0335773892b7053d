/* pmm configuracion -- the configuration table (lib/base/conf_tabla.c):
 * every key of pmm.conf with its type, default, range, whether SIGHUP
 * applies it and who reads it; --comprobar checks a file for each program
 * as it would at start-up. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "opciones.h"
#include "conf_tabla.h"
#include "db.h"

static void usage(FILE *out)
{
    fprintf(out,
            "Uso: pmm configuracion [--programa PROGRAMA] [--formato texto|tsv]\n"
            "                       [--comprobar [ARCHIVO]]\n\n"
            "Sin opciones, lista cada clave de pmm.conf: sección, tipo, valor por\n"
            "omisión, valores admitidos, si SIGHUP la aplica sin reiniciar y qué\n"
            "programas la leen.\n\n"
            "Opciones:\n"
            "  --programa PROGRAMA   solo las claves de ese programa: ingestd, clasificd,\n"
            "                        aggregd o pmm\n"
            "  --formato F           texto (por omisión) o tsv: una clave por línea,\n"
            "                        separada por tabuladores: sección, clave, tipo, valor\n"
            "                        por omisión, valores admitidos, SIGHUP (1/0),\n"
            "                        programas y ayuda (para las páginas de manual)\n"
            "  --comprobar [ARCHIVO] lee el archivo (por omisión, el que usa pmm) como\n"
            "                        lo haría cada programa al arrancar, con las\n"
            "                        variables PMM_<SECCIÓN>_<CLAVE> del entorno, y dice\n"
            "                        si lo aceptaría o por qué no\n"
            "  -h, --help            muestra esta ayuda\n\n"
            "Ejemplos:\n"
            "  pmm configuracion --programa aggregd\n"
            "  pmm configuracion --comprobar /etc/pmm/pmm.conf\n\n"
            "Salida: 0, o 1 si --comprobar encuentra que algún programa rechazaría el\n"
            "archivo, 2 por error de uso.\n");
}

static void readers(unsigned mask, char *out, size_t n)
{
    size_t len = 0;
    out[0] = '\0';
    for (unsigned bit = 1; bit <= CONF_PMM; bit <<= 1)
        if (mask & bit) {
            int k = snprintf(out + len, n - len, "%s%s", len ? ", " : "",
                             conf_programa_nombre(bit));
            if (k > 0 && (size_t)k < n - len)
                len += (size_t)k;
        }
}

static void list(unsigned program)
{
    size_t n;
    const conf_clave *rows = conf_tabla(&n);
    const char *section = "";
    for (size_t i = 0; i < n; i++) {
        const conf_clave *r = &rows[i];
        if (!(r->readers & program))
            continue;
        if (strcmp(section, r->section)) {
            printf("%s[%s]\n", *section ? "\n" : "", r->section);
            section = r->section;
        }
        char range[200], who[80];
        conf_rango(r, range, sizeof range);
        readers(r->readers, who, sizeof who);
        printf("  %s (%s): %s\n", r->key, conf_tipo_nombre(r->type), r->help);
        printf("      admite %s; por omisión %s%s; la lee%s %s\n", range,
               r->def ? r->def : "ninguno", r->reloadable ? "; SIGHUP la aplica" : "",
               strchr(who, ',') ? "n" : "", who);
    }
}

/* One row per key, tab-separated, for the manual pages (docs/man): the
 * data directory's default is written @DATOS@, which the page generator
 * replaces with where the package puts it. */
static void list_tsv(unsigned program)
{
    size_t n;
    const conf_clave *rows = conf_tabla(&n);
    for (size_t i = 0; i < n; i++) {
        const conf_clave *r = &rows[i];
        if (!(r->readers & program))
            continue;
        char range[200], who[80];
        conf_rango(r, range, sizeof range);
        readers(r->readers, who, sizeof who);
        /* "a, b" -> "a,b": the generator splits on commas */
        char compact[80];
        size_t k = 0;
        for (const char *p = who; *p && k + 1 < sizeof compact; p++)
            if (*p != ' ')
                compact[k++] = *p;
        compact[k] = '\0';
        const char *def = !strcmp(r->section, "general") && !strcmp(r->key, "datos")
                              ? "@DATOS@" : r->def ? r->def : "";
        printf("%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", r->section, r->key,
               conf_tipo_nombre(r->type), def, range, r->reloadable ? 1 : 0, compact,
               r->help);
    }
}

static int check(const char *file, unsigned program)
{
    int bad = 0;
    for (unsigned bit = 1; bit <= CONF_PMM; bit <<= 1) {
        if (!(program & bit))
            continue;
        pmm_error err;
        pmm_error_clear(&err);
        pmm_conf *c = conf_load(file, bit, db_conninfo_check, &err);
        if (c) {
            if (conf_path(c))
                printf("%s: válida (%s)\n", conf_programa_nombre(bit), conf_path(c));
            else
                printf("%s: válida (sin archivo: el entorno y los valores por omisión)\n",
                       conf_programa_nombre(bit));
            conf_destroy(&c);
        } else {
            printf("%s: %s\n", conf_programa_nombre(bit), err.mensaje);
            bad = 1;
        }
    }
    return bad ? EXIT_RECHAZO : 0;
}

int cmd_configuracion(int argc, char **argv, pmm_conf *conf)
{
    static const struct option opts[] = {{"programa", required_argument, NULL, 'p'},
                                         {"comprobar", no_argument, NULL, 'c'},
                                         {"formato", required_argument, NULL, 'f'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    unsigned program = CONF_TODOS;
    int comprobar = 0, tsv = 0, opt;
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (opt) {
        case 'p':
            program = conf_programa(optarg);
            if (!program) {
                fprintf(stderr, "pmm configuracion: --programa admite ingestd, clasificd, "
                                "aggregd o pmm, no «%s»\n", optarg);
                return EXIT_USO;
            }
            break;
        case 'c': comprobar = 1; break;
        case 'f':
            if (!strcmp(optarg, "tsv"))
                tsv = 1;
            else if (strcmp(optarg, "texto")) {
                fprintf(stderr, "pmm configuracion: --formato admite texto o tsv, no «%s»\n",
                        optarg);
                return EXIT_USO;
            }
            break;
        case 'h': usage(stdout); return 0;
        default: return cli_opcion_mala("configuracion", opt, argv);
        }
    }
    if (optind < argc - (comprobar ? 1 : 0))
        return cli_argumento_sobrante("configuracion", argv[argc - 1]);
    if (!comprobar) {
        if (tsv)
            list_tsv(program);
        else
            list(program);
        return 0;
    }
    return check(optind < argc ? argv[optind] : conf_path(conf), program);
}
