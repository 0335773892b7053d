/* pmm cierre --ejercicio Y -- freezes the year's report dataset (totals,
 * per-year summary, challenge examples, provenance) with a content hash. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "opciones.h"
#include "db.h"
#include "informe_datos.h"

static void usage(FILE *out)
{
    fprintf(out, "Uso: pmm cierre --ejercicio AÑO [--analista NOMBRE] [--forzar]\n\n"
                 "Congela los totales del ejercicio (con la hora de corte, la taxonomía,\n"
                 "las versiones del clasificador y un hash del contenido) para que los\n"
                 "informes puedan regenerarse idénticos con pmm informe --desde-cierre,\n"
                 "aunque después lleguen correcciones.\n\n"
                 "Opciones:\n"
                 "  --ejercicio AÑO     el ejercicio que se cierra (obligatorio)\n"
                 "  --analista NOMBRE   quién cierra (por omisión $USER)\n"
                 "  --forzar            cierra aunque haya fichas aún sin clasificar o\n"
                 "                      agregar\n"
                 "  -h, --help          muestra esta ayuda\n\n"
                 "Ejemplo:\n"
                 "  pmm cierre --ejercicio 2022\n");
}

int cmd_cierre(int argc, char **argv, pmm_conf *conf)
{
    static const struct option opts[] = {{"ejercicio", required_argument, NULL, 'e'},
                                         {"analista", required_argument, NULL, 'a'},
                                         {"forzar", no_argument, NULL, 'f'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int year = 0, force = 0, opt;
    const char *analista = getenv("USER") ? getenv("USER") : "desconocido";
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (opt) {
        case 'e': {
            char *end;
            long y = strtol(optarg, &end, 10);
            if (*end || y < 2018 || y > 2100) {
                fprintf(stderr, "pmm cierre: --ejercicio debe ser un año (2018 o "
                                "posterior), no «%s»\n", optarg);
                return EXIT_USO;
            }
            year = (int)y;
            break;
        }
        case 'a': analista = optarg; break;
        case 'f': force = 1; break;
        case 'h': usage(stdout); return 0;
        default: return cli_opcion_mala("cierre", opt, argv);
        }
    }
    if (optind != argc)
        return cli_argumento_sobrante("cierre", argv[optind]);
    if (!year) {
        fprintf(stderr, "pmm cierre: indique --ejercicio AÑO; vea pmm cierre --help\n");
        return EXIT_USO;
    }
    pmm_error err;
    pmm_error_clear(&err);
    PGconn *db = db_connect(conf_conninfo(conf, NULL), "pmm-cierre", &err);
    if (!db) {
        fprintf(stderr, "pmm cierre: %s\n", err.mensaje);
        return EXIT_USO;
    }
    int rc = EXIT_USO;
    char hash[65];
    char *text = NULL;
    json_t *doc = informe_datos_build(db, year, &err);
    if (!doc) {
        fprintf(stderr, "pmm cierre: %s\n", err.mensaje);
        goto out;
    }
    long long pend = json_integer_value(json_object_get(doc, "pendientes"));
    if (pend > 0 && !force) {
        fprintf(stderr, "pmm cierre: %lld fichas de %d aún no están clasificadas o "
                        "agregadas; espere a que la cadena termine o use --forzar\n",
                pend, year);
        rc = EXIT_RECHAZO;
        goto out;
    }
    if (informe_datos_celda(doc, "", "total", "", "fichas") == 0) {
        fprintf(stderr, "pmm cierre: el ejercicio %d no tiene fichas agregadas\n", year);
        rc = EXIT_RECHAZO;
        goto out;
    }
    text = informe_datos_canonical(doc, hash);
    char ybuf[16];
    snprintf(ybuf, sizeof ybuf, "%d", year);
    const char *corte = json_string_value(json_object_get(doc, "corte"));
    const char *params[] = {ybuf, corte, json_string_value(json_object_get(doc, "taxonomia")),
                            json_string_value(json_object_get(doc, "clasificador")), hash,
                            text, analista};
    PGresult *res = PQexecParams(db,
                                 "INSERT INTO cierres (ejercicio, corte, taxonomia,"
                                 " clasificador, hash, datos, analista)"
                                 " VALUES ($1::int, $2::timestamptz, $3, $4, $5, $6, $7)"
                                 " RETURNING id, creado",
                                 7, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(db, res, "no se pudo guardar el cierre", &err);
        fprintf(stderr, "pmm cierre: %s\n", err.mensaje);
    } else {
        printf("Cierre %s del ejercicio %d guardado (%s)\n", PQgetvalue(res, 0, 0), year,
               PQgetvalue(res, 0, 1));
        printf("  fichas: %lld\n  corte de datos: %s\n  taxonomía: %s\n"
               "  clasificador: %s\n  hash: %s\n",
               informe_datos_celda(doc, "", "total", "", "fichas"), corte,
               params[2], params[3], hash);
        rc = 0;
    }
    PQclear(res);
out:
    free(text);
    json_decref(doc);
    PQfinish(db);
    return rc;
}
