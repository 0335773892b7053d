/* pmm auditoria -- who sent what, when, and what came of it; who withdrew
 * or restored a ficha and why.
 *   pmm auditoria [--desde FECHA] [--dependencia SIGLA|NOMBRE | --entidad
 *                 CLAVE|NOMBRE] [--resultado R] [--n 100] [--formato tabla|json]
 * Times are shown in the unit's time zone (conf_zona_horaria); --desde is
 * read in it too. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "consulta_salida.h"
#include "db.h"
#include "opciones.h"
#include "refdata.h"

#define CMD "auditoria"

static void usage(FILE *out)
{
    fprintf(out,
            "Uso: pmm auditoria [--desde FECHA] [--dependencia SIGLA|NOMBRE |\n"
            "                   --entidad CLAVE|NOMBRE] [--resultado R] [--n N]\n"
            "                   [--formato tabla|json]\n\n"
            "Muestra los envíos registrados (aceptados, repetidos, rechazados y\n"
            "denegados) con la identidad autenticada, y los retiros y restauraciones\n"
            "de fichas con quién los hizo y su motivo, del más reciente al más antiguo,\n"
            "en la hora de la unidad ([general] zona_horaria o $TZ). Usa la conexión de\n"
            "administración ([admin] conninfo).\n\n"
            "Opciones:\n"
            "  --desde FECHA               desde ese momento: AAAA-MM-DD o\n"
            "                              \"AAAA-MM-DD HH:MM[:SS]\", hora de la unidad\n"
            "  --dependencia SIGLA|NOMBRE  solo lo de esa dependencia\n"
            "  --entidad CLAVE|NOMBRE      solo lo de esa entidad\n"
            "  --resultado R               aceptada, repetida, rechazada, denegada,\n"
            "                              retirada o restaurada\n"
            "  --n N                       cuántos registros, de 1 a 1000000 (100)\n"
            "  --formato F                 tabla (por omisión) o json (un objeto por\n"
            "                              línea; momento en ISO 8601 con su desfase)\n"
            "  -h, --help                  muestra esta ayuda\n\n"
            "Ejemplos:\n"
            "  pmm auditoria --desde 2026-06-01 --dependencia SRE\n"
            "  pmm auditoria --resultado retirada --formato json\n");
}

static int digitos(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return -1;
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* AAAA-MM-DD, optionally followed by " HH:MM" or " HH:MM:SS" (or 'T'
 * instead of the space), naming a real moment. Checked here, so that
 * PostgreSQL never has to refuse it (its message would be English). */
static int fecha_valida(const char *s)
{
    size_t n = strlen(s);
    if (n != 10 && n != 16 && n != 19)
        return 0;
    int y = digitos(s, 4), m = digitos(s + 5, 2), d = digitos(s + 8, 2);
    if (s[4] != '-' || s[7] != '-' || y < 2000 || m < 1 || m > 12 || d < 1)
        return 0;
    static const int dias[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int bisiesto = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > dias[m - 1] || (m == 2 && d == 29 && !bisiesto))
        return 0;
    if (n == 10)
        return 1;
    int h = digitos(s + 11, 2), mi = digitos(s + 14, 2);
    if ((s[10] != ' ' && s[10] != 'T') || s[13] != ':' || h < 0 || h > 23 || mi < 0 ||
        mi > 59)
        return 0;
    if (n == 16)
        return 1;
    int se = digitos(s + 17, 2);
    return s[16] == ':' && se >= 0 && se <= 59;
}

static const char *const RESULTADOS[] = {"aceptada", "repetida", "rechazada", "denegada",
                                         "retirada", "restaurada", NULL};

/* Everything the options say; 0, or the exit code of a usage error. */
typedef struct {
    const char *desde, *dep, *ent, *resultado;
    long n;
    int json;
} opciones;

static int leer_opciones(int argc, char **argv, opciones *o, int *ayuda)
{
    static const struct option opts[] = {{"desde", required_argument, NULL, 'd'},
                                         {"dependencia", required_argument, NULL, 'p'},
                                         {"entidad", required_argument, NULL, 'e'},
                                         {"resultado", required_argument, NULL, 'r'},
                                         {"n", required_argument, NULL, 'n'},
                                         {"formato", required_argument, NULL, 'f'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    *o = (opciones){.n = 100};
    *ayuda = 0;
    int opt;
    char *end;
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (opt) {
        case 'd':
            if (!fecha_valida(optarg)) {
                fprintf(stderr, "pmm auditoria: --desde «%s» no es una fecha AAAA-MM-DD ni "
                                "\"AAAA-MM-DD HH:MM[:SS]\" válida (p. ej. 2026-06-01)\n",
                        optarg);
                return EXIT_USO;
            }
            o->desde = optarg;
            break;
        case 'p': o->dep = optarg; break;
        case 'e': o->ent = optarg; break;
        case 'r': {
            size_t i = 0;
            while (RESULTADOS[i] && strcmp(RESULTADOS[i], optarg))
                i++;
            if (!RESULTADOS[i]) {
                fprintf(stderr, "pmm auditoria: --resultado admite aceptada, repetida, "
                                "rechazada, denegada, retirada o restaurada, no «%s»\n",
                        optarg);
                return EXIT_USO;
            }
            o->resultado = optarg;
            break;
        }
        case 'n':
            o->n = strtol(optarg, &end, 10);
            if (!*optarg || *end || o->n < 1 || o->n > 1000000) {
                fprintf(stderr, "pmm auditoria: --n debe ser un entero de 1 a 1000000, no "
                                "«%s»\n", optarg);
                return EXIT_USO;
            }
            break;
        case 'f':
            if (strcmp(optarg, "json") && strcmp(optarg, "tabla")) {
                fprintf(stderr, "pmm auditoria: --formato admite «tabla» o «json», no "
                                "«%s»\n", optarg);
                return EXIT_USO;
            }
            o->json = !strcmp(optarg, "json");
            break;
        case 'h': *ayuda = 1; return 0;
        default: return cli_opcion_mala(CMD, opt, argv);
        }
    }
    if (optind != argc)
        return cli_argumento_sobrante(CMD, argv[optind]);
    if (o->dep && o->ent) {
        fprintf(stderr, "pmm auditoria: --dependencia y --entidad no se pueden usar juntas\n");
        return EXIT_USO;
    }
    return 0;
}

/* The emisor of --dependencia / --entidad ("" without them), or -1. */
static int emisor_de(const opciones *o, const pmm_conf *conf, char *emisor, size_t cap)
{
    emisor[0] = '\0';
    if (!o->dep && !o->ent)
        return 0;
    pmm_error err;
    pmm_error_clear(&err);
    refdata *ref = refdata_load(conf_data_dir(conf), &err);
    if (!ref) {
        fprintf(stderr, "pmm auditoria: %s\n", err.mensaje);
        return -1;
    }
    const ref_dependencia *d =
        o->dep ? refdata_pedir_dependencia(ref, "--dependencia", o->dep, &err) : NULL;
    int code = o->ent ? refdata_pedir_entidad(ref, "--entidad", o->ent, &err) : 0;
    if (d)
        snprintf(emisor, cap, "D:%s", d->sigla);
    else if (code)
        snprintf(emisor, cap, "E:%02d", code);
    refdata_destroy(&ref);
    if (!emisor[0]) {
        fprintf(stderr, "pmm auditoria: %s\n", err.mensaje);
        return -1;
    }
    return 0;
}

static void imprimir_tabla(const PGresult *res)
{
    consulta_grilla g;
    consulta_grilla_init(&g, 7);
    const char *h[] = {"MOMENTO", "IDENTIDAD", "EMISOR", "AÑO", "CLAVE", "RESULTADO",
                       "MOTIVO"};
    consulta_grilla_fila(&g, h);
    for (int r = 0; r < PQntuples(res); r++) {
        char motivo[700];
        const char *campo = PQgetvalue(res, r, 6), *regla = PQgetvalue(res, r, 7);
        if (regla[0])
            snprintf(motivo, sizeof motivo, "%s%s%s", campo, campo[0] ? " " : "", regla);
        else
            snprintf(motivo, sizeof motivo, "%s", PQgetvalue(res, r, 9));
        const char *row[] = {PQgetvalue(res, r, 10), PQgetvalue(res, r, 1),
                             PQgetvalue(res, r, 2),  PQgetvalue(res, r, 3),
                             PQgetvalue(res, r, 4),  PQgetvalue(res, r, 5),
                             motivo};
        consulta_grilla_fila(&g, row);
    }
    consulta_grilla_imprimir(&g, stdout);
    consulta_grilla_free(&g);
}

static void imprimir_json(const PGresult *res)
{
    static const char *cols[] = {"momento", "identidad", "emisor", "ejercicio", "clave",
                                 "resultado", "campo", "regla", "ficha_id", "motivo"};
    for (int r = 0; r < PQntuples(res); r++) {
        json_t *o = json_object();
        for (int c = 0; c < 10; c++)
            json_object_set_new(o, cols[c], json_string(PQgetvalue(res, r, c)));
        char *s = json_dumps(o, JSON_COMPACT);
        if (s)
            puts(s);
        free(s);
        json_decref(o);
    }
}

int cmd_auditoria(int argc, char **argv, pmm_conf *conf)
{
    opciones o;
    int ayuda, rc = leer_opciones(argc, argv, &o, &ayuda);
    if (rc || ayuda) {
        if (ayuda)
            usage(stdout);
        return rc;
    }
    char emisor[80];
    if (emisor_de(&o, conf, emisor, sizeof emisor) != 0)
        return EXIT_USO;
    pmm_error err;
    pmm_error_clear(&err);
    PGconn *db = db_connect(conf_conninfo(conf, "admin"), "pmm-auditoria", &err);
    if (!db) {
        fprintf(stderr, "pmm auditoria: %s\n", err.mensaje);
        return EXIT_USO;
    }
    char lim[16];
    snprintf(lim, sizeof lim, "%ld", o.n);
    const char *params[] = {o.desde, emisor[0] ? emisor : NULL, o.resultado, lim,
                            conf_zona_horaria(conf)};
    /* the session's time zone is the unit's: to_json gives ISO 8601 with
     * its offset, to_char the local time; --desde is read in it */
    PGresult *res = PQexecParams(db, "SELECT set_config('TimeZone', $1, false)", 1, NULL,
                                 params + 4, NULL, NULL, 0);
    rc = EXIT_USO;
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(db, res, "zona horaria no válida ([general] zona_horaria o $TZ)", &err);
        fprintf(stderr, "pmm auditoria: %s\n", err.mensaje);
        goto out;
    }
    PQclear(res);
    res = PQexecParams(
        db,
        "SELECT to_json(momento)#>>'{}', identidad, coalesce(emisor, ''),"
        "       coalesce(ejercicio::text, ''), coalesce(clave, ''), resultado,"
        "       coalesce(campo, ''), coalesce(regla, ''), coalesce(ficha_id::text, ''),"
        "       coalesce(motivo, ''), to_char(momento, 'YYYY-MM-DD HH24:MI:SS')"
        "  FROM auditoria"
        " WHERE ($1::timestamp IS NULL OR momento >= $1::timestamp)"
        "   AND ($2::text IS NULL OR emisor = $2 OR identidad LIKE '%|' || $2 || '|%')"
        "   AND ($3::text IS NULL OR resultado = $3)"
        " ORDER BY id DESC LIMIT $4::int",
        4, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(db, res, "no se pudo leer la auditoría", &err);
        fprintf(stderr, "pmm auditoria: %s\n", err.mensaje);
        goto out;
    }
    if (o.json)
        imprimir_json(res);
    else
        imprimir_tabla(res);
    rc = 0;
out:
    PQclear(res);
    PQfinish(db);
    return rc;
}
