/* pmm cierre --ejercicio Y -- freezes the year's report dataset (totals,
 * per-year summary, challenge examples, provenance) and the Compendio's
 * fichas, with a content hash of each, so that pmm informe and pmm
 * compendio --desde-cierre render the same documents every time.
 *   pmm cierre --listar [--ejercicio Y] [--formato tabla|json]
 * lists the closes. A close whose content equals the year's latest close
 * is not stored again. Times in the unit's time zone ([general]
 * zona_horaria); JSON times ISO 8601 with their offset. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analista.h"
#include "commands.h"
#include "opciones.h"
#include "db.h"
#include "informe_datos.h"

#define CMD "pmm cierre"

static void usage(FILE *out)
{
    fprintf(out, "Uso: pmm cierre --ejercicio AÑO [--analista NOMBRE] [--forzar]\n"
                 "       pmm cierre --listar [--ejercicio AÑO] [--formato tabla|json]\n\n"
                 "Congela los totales del ejercicio y las fichas del Compendio (con la "
                 "hora de\ncorte, la taxonomía, las versiones del clasificador y un "
                 "hash del contenido)\npara que los informes puedan regenerarse "
                 "idénticos con pmm informe\n--desde-cierre y pmm compendio "
                 "--desde-cierre, aunque después lleguen\ncorrecciones. Con fichas aún "
                 "sin clasificar o agregar, pide --forzar. Si nada\ncambió desde el "
                 "último cierre del ejercicio, lo dice y no guarda otro.\n\n"
                 "Opciones:\n"
                 "  --ejercicio AÑO    año que se cierra (con --listar, solo sus cierres)\n"
                 "  --analista NOMBRE  quién cierra (si no, $PMM_ANALISTA o el nombre de la\n"
                 "                     clave de analista; véase [general] exigir_analista)\n"
                 "  --forzar           cierra aunque haya fichas pendientes\n"
                 "  --listar           lista los cierres guardados, del más reciente al "
                 "más antiguo\n"
                 "  --formato F        con --listar: tabla (predeterminado) o json\n"
                 "  -h, --help         muestra esta ayuda\n\n"
                 "Ejemplos:\n"
                 "  pmm cierre --ejercicio 2022\n"
                 "  pmm cierre --listar --ejercicio 2022\n");
}

/* Sets the session's time zone so that times print in the unit's zone. */
static int zona(PGconn *db, const pmm_conf *conf, pmm_error *err)
{
    const char *params[] = {conf_zona_horaria(conf)};
    PGresult *res = PQexecParams(db, "SELECT set_config('TimeZone', $1, false)", 1, NULL,
                                 params, NULL, NULL, 0);
    int rc = 0;
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        rc = pmm_error_set(err, 1, "zona_horaria", "valor",
                           "[general] zona_horaria: «%s» no es una zona horaria que "
                           "PostgreSQL conozca (p. ej. America/Mexico_City)",
                           params[0]);
    PQclear(res);
    return rc;
}

static int listar(PGconn *db, const char *year, bool json, pmm_error *err)
{
    const char *params[] = {year};
    PGresult *res = PQexecParams(
        db,
        "SELECT id, ejercicio,"
        "  to_char(creado, 'DD/MM/YYYY HH24:MI:SS'),"
        "  to_char(creado, 'YYYY-MM-DD\"T\"HH24:MI:SSTZH:TZM'),"
        "  to_char(corte, 'DD/MM/YYYY HH24:MI:SS'),"
        "  to_char(corte, 'YYYY-MM-DD\"T\"HH24:MI:SSTZH:TZM'),"
        "  analista, hash, compendio_hash IS NOT NULL, taxonomia,"
        "  (datos::jsonb #>> '{totales,\"\",total,\"\",fichas}')::bigint"
        " FROM cierres WHERE $1::int IS NULL OR ejercicio = $1::int"
        " ORDER BY ejercicio DESC, id DESC",
        1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(db, res, "no se pudieron leer los cierres", err);
        PQclear(res);
        return -1;
    }
    int n = PQntuples(res);
    if (json) {
        json_t *a = json_array();
        for (int r = 0; r < n; r++)
            json_array_append_new(
                a, json_pack("{s:I,s:i,s:s,s:s,s:s,s:s,s:b,s:s,s:I}", "cierre",
                             (json_int_t)strtoll(PQgetvalue(res, r, 0), NULL, 10),
                             "ejercicio", atoi(PQgetvalue(res, r, 1)), "creado",
                             PQgetvalue(res, r, 3), "corte", PQgetvalue(res, r, 5),
                             "analista", PQgetvalue(res, r, 6), "hash",
                             PQgetvalue(res, r, 7), "con_compendio",
                             PQgetvalue(res, r, 8)[0] == 't', "taxonomia",
                             PQgetvalue(res, r, 9), "fichas",
                             (json_int_t)strtoll(PQgetvalue(res, r, 10), NULL, 10)));
        char *s = json_dumps(a, JSON_INDENT(2));
        if (s)
            printf("%s\n", s);
        free(s);
        json_decref(a);
    } else if (n == 0) {
        printf(year ? "El ejercicio %s no tiene cierres.\n" : "No hay cierres%s.\n",
               year ? year : "");
    } else {
        printf("%-7s %-9s %-19s %-19s %7s  %-12s %s\n", "Cierre", "Ejercicio", "Hecho",
               "Corte de los datos", "Fichas", "Huella", "Analista");
        for (int r = 0; r < n; r++)
            printf("%-7s %-9s %-19s %-19s %7s  %.12s %s%s\n", PQgetvalue(res, r, 0),
                   PQgetvalue(res, r, 1), PQgetvalue(res, r, 2), PQgetvalue(res, r, 4),
                   PQgetvalue(res, r, 10), PQgetvalue(res, r, 7), PQgetvalue(res, r, 6),
                   PQgetvalue(res, r, 8)[0] == 't' ? "" : " (sin Compendio)");
        printf("\nHoras en la zona %s. El más reciente de cada ejercicio es el que usan "
               "--desde-cierre.\n", PQparameterStatus(db, "TimeZone"));
    }
    PQclear(res);
    return 0;
}

int cmd_cierre(int argc, char **argv, pmm_conf *conf)
{
    static const struct option opts[] = {{"ejercicio", required_argument, NULL, 'e'},
                                         {"analista", required_argument, NULL, 'a'},
                                         {"forzar", no_argument, NULL, 'f'},
                                         {"listar", no_argument, NULL, 'l'},
                                         {"formato", required_argument, NULL, 'F'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int year = 0, force = 0, lista = 0, json = 0, opt;
    const char *analista_opc = NULL;
    char analista[160];
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (opt) {
        case 'e': {
            char *end;
            long y = strtol(optarg, &end, 10);
            if (*end || y < 2018 || y > 2100) {
                fprintf(stderr, CMD ": --ejercicio debe ser un año (2018 o "
                                "posterior), no «%s»\n", optarg);
                return EXIT_USO;
            }
            year = (int)y;
            break;
        }
        case 'a': analista_opc = optarg; break;
        case 'f': force = 1; break;
        case 'l': lista = 1; break;
        case 'F':
            if (strcmp(optarg, "tabla") && strcmp(optarg, "json")) {
                fprintf(stderr, CMD ": --formato debe ser tabla o json, no «%s»\n", optarg);
                return EXIT_USO;
            }
            json = !strcmp(optarg, "json");
            break;
        case 'h': usage(stdout); return 0;
        default: return cli_opcion_mala("cierre", opt, argv);
        }
    }
    if (optind != argc)
        return cli_argumento_sobrante("cierre", argv[optind]);
    if (!year && !lista) {
        fprintf(stderr, CMD ": indique --ejercicio AÑO (o --listar); vea pmm cierre --help\n");
        return EXIT_USO;
    }
    if (json && !lista) {
        fprintf(stderr, CMD ": --formato solo se usa con --listar\n");
        return EXIT_USO;
    }
    pmm_error err;
    pmm_error_clear(&err);
    if (!lista && analista_nombre(conf, analista_opc, analista, sizeof analista, &err)) {
        fprintf(stderr, CMD ": %s\n", err.mensaje);
        return EXIT_USO;
    }
    PGconn *db = db_connect(conf_conninfo(conf, NULL), "pmm-cierre", &err);
    if (!db) {
        fprintf(stderr, CMD ": %s\n", err.mensaje);
        return EXIT_USO;
    }
    int rc = EXIT_USO;
    char hash[65], chash[65], ybuf[16];
    char *text = NULL, *ctext = NULL;
    json_t *doc = NULL, *comp = NULL;
    snprintf(ybuf, sizeof ybuf, "%d", year);
    if (zona(db, conf, &err)) {
        fprintf(stderr, CMD ": %s\n", err.mensaje);
        goto out;
    }
    if (lista) {
        if (listar(db, year ? ybuf : NULL, json, &err))
            fprintf(stderr, CMD ": %s\n", err.mensaje);
        else
            rc = 0;
        goto out;
    }
    if (informe_cierre_build(db, year, cli_ejemplos_por_objetivo(conf), &doc,
                             &comp, &err)) {
        fprintf(stderr, CMD ": %s\n", err.mensaje);
        goto out;
    }
    long long pend = json_integer_value(json_object_get(doc, "pendientes"));
    if (pend > 0 && !force) {
        fprintf(stderr, CMD ": %lld %s de %d aún no %s clasificada%s o agregada%s; "
                        "espere a que la cadena termine o use --forzar\n",
                pend, pend == 1 ? "ficha" : "fichas", year, pend == 1 ? "está" : "están",
                pend == 1 ? "" : "s", pend == 1 ? "" : "s");
        rc = EXIT_RECHAZO;
        goto out;
    }
    long long nf = informe_datos_celda(doc, "", "total", "", "fichas");
    if (nf == 0) {
        fprintf(stderr, CMD ": el ejercicio %d no tiene fichas agregadas\n", year);
        rc = EXIT_RECHAZO;
        goto out;
    }
    text = informe_datos_canonical(doc, hash);
    ctext = informe_datos_canonical(comp, chash);
    if (!text || !ctext) {
        fprintf(stderr, CMD ": sin memoria\n");
        goto out;
    }
    /* nothing changed since the year's latest close: say so, store nothing */
    const char *pp[] = {ybuf, hash, chash};
    PGresult *res = PQexecParams(db,
                                 "SELECT id, to_char(creado, 'DD/MM/YYYY HH24:MI:SS')"
                                 " FROM cierres WHERE ejercicio = $1::int"
                                 "   AND id = (SELECT max(id) FROM cierres"
                                 "              WHERE ejercicio = $1::int)"
                                 "   AND hash = $2 AND compendio_hash = $3",
                                 3, NULL, pp, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(db, res, "no se pudieron leer los cierres", &err);
        fprintf(stderr, CMD ": %s\n", err.mensaje);
        PQclear(res);
        goto out;
    }
    if (PQntuples(res) == 1) {
        printf("Sin cambios desde el cierre %s del ejercicio %d (%s, hora de %s): no se "
               "guardó un cierre nuevo.\n  huella SHA-256: %s\n",
               PQgetvalue(res, 0, 0), year, PQgetvalue(res, 0, 1),
               conf_zona_horaria(conf), hash);
        PQclear(res);
        rc = 0;
        goto out;
    }
    PQclear(res);
    const char *corte = json_string_value(json_object_get(doc, "corte"));
    const char *params[] = {ybuf, corte, json_string_value(json_object_get(doc, "taxonomia")),
                            json_string_value(json_object_get(doc, "clasificador")), hash,
                            text, analista, ctext, chash};
    res = PQexecParams(db,
                       "INSERT INTO cierres (ejercicio, corte, taxonomia,"
                       " clasificador, hash, datos, analista, compendio, compendio_hash)"
                       " VALUES ($1::int, $2::timestamptz, $3, $4, $5, $6, $7, $8, $9)"
                       " RETURNING id, to_char(creado, 'DD/MM/YYYY HH24:MI:SS'),"
                       "   to_char(corte, 'DD/MM/YYYY HH24:MI:SS')",
                       9, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(db, res, "no se pudo guardar el cierre", &err);
        fprintf(stderr, CMD ": %s\n", err.mensaje);
    } else {
        printf("Cierre %s del ejercicio %d guardado (%s, hora de %s)\n",
               PQgetvalue(res, 0, 0), year, PQgetvalue(res, 0, 1), conf_zona_horaria(conf));
        printf("  fichas: %lld\n  corte de los datos: %s\n  taxonomía: %s\n"
               "  clasificador: %s\n  huella SHA-256: %s\n  analista: %s\n",
               nf, PQgetvalue(res, 0, 2), params[2], params[3], hash, analista);
        rc = 0;
    }
    PQclear(res);
out:
    free(text);
    free(ctext);
    json_decref(doc);
    json_decref(comp);
    PQfinish(db);
    return rc;
}
