/* pmm padron -- the roster of reporting bodies (issue 18).
 *
 *   pmm padron [--ejercicio AÑO] [--tipo T] [--formato tabla|csv|json]
 *   pmm padron alta (--dependencia SIGLA | --entidad CLAVE) [--nombre TEXTO]
 *                   [--tipo T] [--sector TEXTO] [--desde AAAA-MM-DD]
 *   pmm padron baja (--dependencia SIGLA | --entidad CLAVE) [--fecha AAAA-MM-DD]
 *   pmm padron renombrar --dependencia SIGLA --nueva SIGLA [--nombre TEXTO]
 *                   [--fecha AAAA-MM-DD]
 *   pmm padron fusionar --dependencia SIGLA --en SIGLA [--fecha AAAA-MM-DD]
 *   pmm padron importar ARCHIVO.csv           (padron_importar.c)
 *
 * Listing reads over the read-only connection; every change needs the
 * administrator's connection, runs in one transaction and leaves a row in
 * seguimiento_bitacora with who made it (--analista, $PMM_ANALISTA or the
 * name of the key in [cliente] clave, analista.h). Nothing is deleted: a
 * body that stops reporting is closed, and a renamed or merged one is
 * linked to its successor, so its fichas stay with it.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analista.h"
#include "commands.h"
#include "consulta_db.h"
#include "consulta_salida.h"
#include "cuerpos.h"
#include "opciones.h"
#include "padron.h"

#define CMD "padron"

static void ayuda(FILE *out)
{
    fprintf(out,
            "Uso: pmm padron [--ejercicio AÑO] [--tipo TIPO] [--formato tabla|csv|json]\n"
            "       pmm padron alta|baja|renombrar|fusionar|importar ... (pmm padron alta "
            "--help)\n\n"
            "El padrón: los cuerpos a los que la unidad pide informe (dependencias y\n"
            "organismos por sigla, gobiernos estatales por clave INEGI), con su tipo, "
            "sector\ny vigencia. Nada se borra: un cuerpo que deja de informar se cierra, "
            "y uno que\ncambia de nombre o se fusiona se liga a su sucesor; sus fichas "
            "siguen siendo\nsuyas y, después de cerrarse, lo que llegue a su nombre cuenta "
            "para el sucesor.\n\n"
            "  --ejercicio AÑO   solo los cuerpos vigentes ese año (en la fecha límite de su\n"
            "                    convocatoria, o el 31 de diciembre si no la hay)\n"
            "  --tipo TIPO       federal, estatal, autonomo, legislativo, judicial o\n"
            "                    sociedad_civil\n"
            "  --formato F       tabla (predeterminado), csv o json\n"
            "  -h, --help        muestra esta ayuda\n\n"
            "Cambios (administrador; quedan en la bitácora con quién los hizo):\n"
            "  alta       da de alta un cuerpo         baja       lo cierra\n"
            "  renombrar  nueva sigla o nombre         fusionar   lo integra en otro\n"
            "  importar   carga un padrón propio desde un CSV (todo o nada)\n\n"
            "Ejemplos:\n"
            "  pmm padron --ejercicio 2022 --tipo estatal\n"
            "  pmm padron renombrar --dependencia BANSEFI --nueva BANBIEN "
            "--nombre \"Banco del Bienestar\" --fecha 2020-01-01\n");
}

/* ---- listing ------------------------------------------------------------ */

static int listar(int argc, char **argv, pmm_conf *conf)
{
    static const struct option opts[] = {{"ejercicio", required_argument, NULL, 'e'},
                                         {"tipo", required_argument, NULL, 't'},
                                         {"formato", required_argument, NULL, 'f'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int anio = 0, opt;
    const char *tipo = NULL, *formato = "tabla";
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (opt) {
        case 'e':
            if (cuerpos_anio(optarg, &anio)) {
                fprintf(stderr, "pmm padron: --ejercicio debe ser un año de 2018 a 2100\n");
                return EXIT_USO;
            }
            break;
        case 't':
            if (!cuerpos_tipo_valido(optarg)) {
                fprintf(stderr, "pmm padron: --tipo admite federal, estatal, autonomo, "
                                "legislativo, judicial o sociedad_civil\n");
                return EXIT_USO;
            }
            tipo = optarg;
            break;
        case 'f':
            if (strcmp(optarg, "tabla") && strcmp(optarg, "csv") && strcmp(optarg, "json")) {
                fprintf(stderr, "pmm padron: --formato admite tabla, csv o json\n");
                return EXIT_USO;
            }
            formato = optarg;
            break;
        case 'h': ayuda(stdout); return 0;
        default: return cli_opcion_mala(CMD, opt, argv);
        }
    }
    if (optind != argc) {
        fprintf(stderr, "pmm padron: subcomando o argumento desconocido: %s (pmm padron "
                        "--help)\n", argv[optind]);
        return EXIT_USO;
    }
    pmm_error err;
    pmm_error_clear(&err);
    PGconn *db = consulta_conectar(conf, "pmm-padron", &err);
    if (!db) {
        fprintf(stderr, "pmm padron: %s\n", err.mensaje);
        return EXIT_USO;
    }
    char y[16];
    snprintf(y, sizeof y, "%d", anio);
    const char *params[] = {anio ? y : NULL, tipo};
    PGresult *res = PQexecParams(
        db,
        "WITH d AS (SELECT coalesce((SELECT limite FROM convocatorias"
        "                             WHERE ejercicio = $1::int),"
        "                           make_date($1::int, 12, 31)) AS d)"
        " SELECT p.emisor, p.tipo, p.nombre, coalesce(p.sector, ''), p.activo_desde::text,"
        "        coalesce(p.activo_hasta::text, ''), coalesce(p.sucesor, ''),"
        "        coalesce(p.relacion, ''),"
        "        CASE WHEN $1::int IS NULL THEN NULL"
        "             ELSE EXISTS (SELECT 1 FROM convocados c WHERE c.ejercicio = $1::int"
        "                           AND c.emisor = p.emisor) END"
        "   FROM padron p, d"
        "  WHERE ($1::int IS NULL OR (p.activo_desde <= d.d"
        "         AND (p.activo_hasta IS NULL OR p.activo_hasta >= d.d)))"
        "    AND ($2::text IS NULL OR p.tipo = $2)"
        "  ORDER BY p.tipo = 'estatal', p.emisor",
        2, NULL, params, NULL, NULL, 0);
    int rc = EXIT_USO;
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        cuerpos_db_error(db, res, "leer el padrón", &err);
        fprintf(stderr, "pmm padron: %s\n", err.mensaje);
        goto out;
    }
    int n = PQntuples(res);
    static const char *const claves[] = {"emisor", "tipo", "nombre", "sector",
                                         "activo_desde", "activo_hasta", "sucesor",
                                         "relacion"};
    if (!strcmp(formato, "json")) {
        json_t *arr = json_array();
        for (int r = 0; r < n; r++) {
            json_t *o = json_object();
            for (int c = 0; c < 8; c++) {
                const char *v = PQgetvalue(res, r, c);
                json_object_set_new(o, claves[c], *v || c < 3 ? json_string(v) : json_null());
            }
            if (anio)
                json_object_set_new(o, "convocado",
                                    json_boolean(PQgetvalue(res, r, 8)[0] == 't'));
            json_array_append_new(arr, o);
        }
        consulta_json(stdout, arr);
    } else if (!strcmp(formato, "csv")) {
        printf("emisor,tipo,nombre,sector,activo_desde,activo_hasta,sucesor,relacion%s\n",
               anio ? ",convocado" : "");
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < 8; c++) {
                if (c)
                    putchar(',');
                consulta_csv_campo(stdout, PQgetvalue(res, r, c));
            }
            if (anio)
                printf(",%s", PQgetvalue(res, r, 8)[0] == 't' ? "si" : "no");
            putchar('\n');
        }
    } else {
        if (anio)
            printf("Padrón vigente en %d: %d %s\n\n", anio, n, n == 1 ? "cuerpo" : "cuerpos");
        else
            printf("Padrón: %d %s\n\n", n, n == 1 ? "cuerpo" : "cuerpos");
        consulta_grilla g;
        consulta_grilla_init(&g, anio ? 6 : 5);
        const char *head[] = {"Clave", "Tipo", "Nombre", "Sector", "Vigencia", "Convocado"};
        consulta_grilla_fila(&g, head);
        consulta_grilla_linea(&g);
        for (int r = 0; r < n; r++) {
            char vig[160];
            const char *hasta = PQgetvalue(res, r, 5), *suc = PQgetvalue(res, r, 6);
            if (*suc)
                snprintf(vig, sizeof vig, "%s a %s (%s en %s)", PQgetvalue(res, r, 4), hasta,
                         !strcmp(PQgetvalue(res, r, 7), "fusionada") ? "fusionada"
                                                                    : "renombrada",
                         suc);
            else if (*hasta)
                snprintf(vig, sizeof vig, "%s a %s", PQgetvalue(res, r, 4), hasta);
            else
                snprintf(vig, sizeof vig, "desde %s", PQgetvalue(res, r, 4));
            const char *row[] = {PQgetvalue(res, r, 0),
                                 cuerpos_tipo_texto(PQgetvalue(res, r, 1)),
                                 PQgetvalue(res, r, 2), PQgetvalue(res, r, 3), vig,
                                 PQgetvalue(res, r, 8)[0] == 't' ? "sí" : "no"};
            consulta_grilla_fila(&g, row);
        }
        consulta_grilla_imprimir(&g, stdout);
        consulta_grilla_free(&g);
    }
    rc = consulta_fin_salida(CMD);
out:
    PQclear(res);
    consulta_desconectar(db);
    return rc;
}

/* ---- changes ------------------------------------------------------------ */

typedef struct {
    const char *sub;                 /* "alta" ... */
    const char *dep, *ent, *nombre, *tipo, *sector, *fecha, *nueva, *en, *analista;
} cambio;

static void ayuda_cambio(const char *sub)
{
    if (!strcmp(sub, "alta"))
        printf("Uso: pmm padron alta (--dependencia SIGLA | --entidad CLAVE) [--nombre TEXTO]\n"
               "                     [--tipo TIPO] [--sector TEXTO] [--desde AAAA-MM-DD]\n"
               "                     [--analista NOMBRE]\n\n"
               "Da de alta un cuerpo en el padrón (administrador).\n\n"
               "  --dependencia SIGLA  un cuerpo federal, autónomo, legislativo, judicial o de\n"
               "                       la sociedad civil, por su sigla\n"
               "  --entidad CLAVE      un gobierno estatal (clave INEGI o nombre)\n"
               "  --nombre TEXTO       su nombre (por omisión, el de la lista de dependencias)\n"
               "  --tipo TIPO          federal (predeterminado), autonomo, legislativo,\n"
               "                       judicial o sociedad_civil; estatal para --entidad\n"
               "  --sector TEXTO       su sector (p. ej. «Gobernación»), para las tasas por\n"
               "                       sector\n"
               "  --desde AAAA-MM-DD   primer día en que informa (por omisión, hoy)\n"
               "  --analista NOMBRE    quién hace el cambio (si no, $PMM_ANALISTA o su clave)\n\n"
               "Ejemplo:\n  pmm padron alta --dependencia SEDATU --nombre \"Secretaría de "
               "Desarrollo Agrario, Territorial y Urbano\" --sector \"Desarrollo Territorial\"\n");
    else if (!strcmp(sub, "baja"))
        printf("Uso: pmm padron baja (--dependencia SIGLA | --entidad CLAVE) "
               "[--fecha AAAA-MM-DD] [--analista NOMBRE]\n\n"
               "Cierra un cuerpo que deja de informar (administrador): --fecha es su último\n"
               "día (por omisión, hoy). No se borra: sus fichas siguen siendo suyas. Si "
               "cambió\nde nombre o se fusionó, use renombrar o fusionar.\n\n"
               "  --dependencia SIGLA | --entidad CLAVE   el cuerpo\n"
               "  --fecha AAAA-MM-DD   último día en que informa\n"
               "  --analista NOMBRE    quién hace el cambio\n\n"
               "Ejemplo:\n  pmm padron baja --dependencia PF --fecha 2019-12-31\n");
    else if (!strcmp(sub, "renombrar"))
        printf("Uso: pmm padron renombrar --dependencia SIGLA --nueva SIGLA [--nombre TEXTO]\n"
               "                          [--fecha AAAA-MM-DD] [--analista NOMBRE]\n\n"
               "Un cuerpo cambia de sigla o de nombre (administrador): el anterior se cierra "
               "el\ndía antes de --fecha y se liga al nuevo, que se da de alta ese día con el "
               "mismo\ntipo y sector si no existía. Las fichas anteriores siguen siendo del "
               "cuerpo\nanterior; lo que llegue después a su nombre cuenta para el nuevo.\n\n"
               "  --dependencia SIGLA  el cuerpo que cambia\n"
               "  --nueva SIGLA        su nueva sigla\n"
               "  --nombre TEXTO       su nuevo nombre (obligatorio si la sigla es nueva y no\n"
               "                       está en la lista de dependencias)\n"
               "  --fecha AAAA-MM-DD   primer día con el nombre nuevo (por omisión, hoy)\n"
               "  --analista NOMBRE    quién hace el cambio\n\n"
               "Ejemplo:\n  pmm padron renombrar --dependencia SCT --nueva SICT --nombre "
               "\"Secretaría de Infraestructura, Comunicaciones y Transportes\" --fecha "
               "2022-01-01\n");
    else
        printf("Uso: pmm padron fusionar --dependencia SIGLA --en SIGLA [--fecha AAAA-MM-DD]\n"
               "                         [--analista NOMBRE]\n\n"
               "Un cuerpo se integra en otro que ya está en el padrón (administrador): se "
               "cierra\nel día antes de --fecha y se liga a él. Sus fichas anteriores siguen "
               "siendo\nsuyas; lo que llegue después a su nombre cuenta para el otro.\n\n"
               "  --dependencia SIGLA  el cuerpo que se integra\n"
               "  --en SIGLA           el cuerpo que lo absorbe\n"
               "  --fecha AAAA-MM-DD   primer día de la fusión (por omisión, hoy)\n"
               "  --analista NOMBRE    quién hace el cambio\n\n"
               "Ejemplo:\n  pmm padron fusionar --dependencia INDESOL --en BIENESTAR --fecha "
               "2023-01-01\n");
}

static int leer_cambio(int argc, char **argv, cambio *c)
{
    static const struct option opts[] = {{"dependencia", required_argument, NULL, 'd'},
                                         {"entidad", required_argument, NULL, 'e'},
                                         {"nombre", required_argument, NULL, 'n'},
                                         {"tipo", required_argument, NULL, 't'},
                                         {"sector", required_argument, NULL, 's'},
                                         {"desde", required_argument, NULL, 'D'},
                                         {"fecha", required_argument, NULL, 'F'},
                                         {"nueva", required_argument, NULL, 'N'},
                                         {"en", required_argument, NULL, 'E'},
                                         {"analista", required_argument, NULL, 'a'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    /* which options each sub-command takes */
    const char *acepta = !strcmp(c->sub, "alta")   ? "dentsDa"
                         : !strcmp(c->sub, "baja") ? "deFa"
                         : !strcmp(c->sub, "renombrar") ? "dNnFa"
                                                        : "dEFa";
    char cmd[32];
    snprintf(cmd, sizeof cmd, "padron %s", c->sub);
    int opt;
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        if (opt == 'h') {
            ayuda_cambio(c->sub);
            return 0;
        }
        if (opt == ':' || opt == '?')
            return cli_opcion_mala(cmd, opt, argv);
        if (!strchr(acepta, opt)) {
            return cli_opcion_ajena(cmd, argv);
        }
        switch (opt) {
        case 'd': c->dep = optarg; break;
        case 'e': c->ent = optarg; break;
        case 'n': c->nombre = optarg; break;
        case 't': c->tipo = optarg; break;
        case 's': c->sector = optarg; break;
        case 'D': case 'F': c->fecha = optarg; break;
        case 'N': c->nueva = optarg; break;
        case 'E': c->en = optarg; break;
        case 'a': c->analista = optarg; break;
        }
    }
    if (optind != argc)
        return cli_argumento_sobrante(cmd, argv[optind]);
    if (!!c->dep + !!c->ent != 1) {
        fprintf(stderr, "pmm %s: indique el cuerpo con --dependencia SIGLA%s\n", cmd,
                strchr(acepta, 'e') ? " o --entidad CLAVE (una de las dos)" : "");
        return EXIT_USO;
    }
    if (c->fecha && !cuerpos_fecha_valida(c->fecha)) {
        fprintf(stderr, "pmm %s: %s «%s» no es una fecha AAAA-MM-DD válida\n", cmd,
                !strcmp(c->sub, "alta") ? "--desde" : "--fecha", c->fecha);
        return EXIT_USO;
    }
    if (c->tipo && (!cuerpos_tipo_valido(c->tipo) || !strcmp(c->tipo, "estatal"))) {
        fprintf(stderr, "pmm %s: --tipo admite federal, autonomo, legislativo, judicial o "
                        "sociedad_civil (un gobierno estatal se da de alta con --entidad)\n",
                cmd);
        return EXIT_USO;
    }
    if (!strcmp(c->sub, "renombrar") && !c->nueva) {
        fprintf(stderr, "pmm %s: indique la nueva sigla con --nueva SIGLA\n", cmd);
        return EXIT_USO;
    }
    if (!strcmp(c->sub, "fusionar") && !c->en) {
        fprintf(stderr, "pmm %s: indique con --en SIGLA el cuerpo que lo absorbe\n", cmd);
        return EXIT_USO;
    }
    return -1;   /* go on */
}

int cmd_padron(int argc, char **argv, pmm_conf *conf)
{
    static const char *const subs[] = {"alta", "baja", "renombrar", "fusionar"};
    if (argc > 1 && !strcmp(argv[1], "importar"))
        return padron_importar(argc - 1, argv + 1, conf);
    const char *sub = NULL;
    for (size_t i = 0; argc > 1 && i < sizeof subs / sizeof subs[0]; i++)
        if (!strcmp(argv[1], subs[i]))
            sub = subs[i];
    if (!sub)
        return listar(argc, argv, conf);
    cambio c = {.sub = sub};
    int rc = leer_cambio(argc - 1, argv + 1, &c);
    if (rc >= 0)
        return rc;
    char cmd[32];
    snprintf(cmd, sizeof cmd, "padron %s", sub);
    pmm_error err;
    pmm_error_clear(&err);
    char analista[160];
    if (analista_nombre(conf, c.analista, analista, sizeof analista, &err)) {
        fprintf(stderr, "pmm %s: %s\n", cmd, err.mensaje);
        return EXIT_USO;
    }
    refdata *ref = refdata_load(conf_data_dir(conf), &err);
    if (!ref) {
        fprintf(stderr, "pmm %s: %s\n", cmd, err.mensaje);
        return EXIT_USO;
    }
    padron_cambio pc = {.sub = sub, .nombre = c.nombre, .tipo = c.tipo, .sector = c.sector,
                        .fecha = c.fecha, .analista = analista};
    if (cuerpo_emisor(ref, c.dep, c.ent, pc.emisor, sizeof pc.emisor, &err) ||
        (c.nueva && cuerpo_emisor(ref, c.nueva, NULL, pc.otro, sizeof pc.otro, &err)) ||
        (c.en && cuerpo_emisor(ref, c.en, NULL, pc.otro, sizeof pc.otro, &err))) {
        fprintf(stderr, "pmm %s: %s\n", cmd, err.mensaje);
        refdata_destroy(&ref);
        return EXIT_USO;
    }
    /* a name from the reference data when none is given */
    const ref_dependencia *d =
        pc.otro[0] ? refdata_dependencia(ref, pc.otro + 2, strlen(pc.otro + 2))
        : c.dep    ? refdata_dependencia(ref, pc.emisor + 2, strlen(pc.emisor + 2))
                   : NULL;
    if (!pc.nombre && d && (!strcmp(sub, "alta") || !strcmp(sub, "renombrar")))
        pc.nombre = d->nombre;
    if (!pc.nombre && c.ent && !strcmp(sub, "alta"))
        pc.nombre = refdata_entidad_nombre(ref, atoi(pc.emisor + 2));
    PGconn *db = cuerpos_admin(conf, "pmm-padron", &err);
    rc = EXIT_USO;
    if (db) {
        char resumen[512];
        rc = padron_cambiar(db, &pc, resumen, sizeof resumen, &err);
        if (rc == 0)
            printf("%s\n", resumen);
        PQfinish(db);
    }
    if (rc != 0)
        fprintf(stderr, "pmm %s: %s\n", cmd, err.mensaje);
    refdata_destroy(&ref);
    return rc == 0 ? 0 : err.code == 1 ? EXIT_RECHAZO : EXIT_USO;
}
