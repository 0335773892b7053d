/* pmm auditoria -- who sent what, when, and what came of it.
 *   pmm auditoria [--desde FECHA] [--dependencia SIGLA | --entidad CLAVE]
 *                 [--resultado R] [--n 100] [--formato tabla|json]
 * Also: pmm migrar -- applies pending schema migrations with the owner's
 * connection (daemons with least-privilege roles cannot). */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "db.h"
#include "refdata.h"

int cmd_auditoria(int argc, char **argv, pmm_conf *conf)
{
    static const struct option opts[] = {{"desde", required_argument, NULL, 'd'},
                                         {"dependencia", required_argument, NULL, 'p'},
                                         {"entidad", required_argument, NULL, 'e'},
                                         {"resultado", required_argument, NULL, 'r'},
                                         {"n", required_argument, NULL, 'n'},
                                         {"formato", required_argument, NULL, 'f'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *desde = NULL, *dep = NULL, *ent = NULL, *resultado = NULL;
    long n = 100;
    int json = 0, opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        char *end;
        switch (opt) {
        case 'd': desde = optarg; break;
        case 'p': dep = optarg; break;
        case 'e': ent = optarg; break;
        case 'r':
            if (strcmp(optarg, "aceptada") && strcmp(optarg, "repetida") &&
                strcmp(optarg, "rechazada") && strcmp(optarg, "denegada") &&
                strcmp(optarg, "retirada") && strcmp(optarg, "restaurada")) {
                fprintf(stderr, "pmm auditoria: --resultado admite aceptada, repetida, "
                                "rechazada, denegada, retirada o restaurada\n");
                return EXIT_USO;
            }
            resultado = optarg;
            break;
        case 'n':
            n = strtol(optarg, &end, 10);
            if (*end || n < 1 || n > 1000000) {
                fprintf(stderr, "pmm auditoria: --n debe ser un entero de 1 a 1000000\n");
                return EXIT_USO;
            }
            break;
        case 'f':
            if (strcmp(optarg, "json") && strcmp(optarg, "tabla")) {
                fprintf(stderr, "pmm auditoria: --formato admite «tabla» o «json»\n");
                return EXIT_USO;
            }
            json = !strcmp(optarg, "json");
            break;
        case 'h':
            printf("Uso: pmm auditoria [--desde FECHA] [--dependencia SIGLA | --entidad "
                   "CLAVE] [--resultado R] [--n 100] [--formato tabla|json]\n\n"
                   "Muestra los envíos registrados (aceptados, repetidos, rechazados y "
                   "denegados)\ncon la identidad autenticada, del más reciente al más "
                   "antiguo.\n");
            return 0;
        default: return EXIT_USO;
        }
    }
    pmm_error err;
    pmm_error_clear(&err);
    char emisor[80] = "";
    if (dep || ent) {
        refdata *ref = refdata_load(conf_data_dir(conf), &err);
        if (!ref) {
            fprintf(stderr, "pmm auditoria: %s\n", err.mensaje);
            return EXIT_USO;
        }
        const ref_dependencia *d =
            dep ? refdata_pedir_dependencia(ref, "--dependencia", dep, &err) : NULL;
        int code = ent ? refdata_pedir_entidad(ref, "--entidad", ent, &err) : 0;
        if (d)
            snprintf(emisor, sizeof emisor, "D:%s", d->sigla);
        else if (code)
            snprintf(emisor, sizeof emisor, "E:%02d", code);
        refdata_destroy(&ref);
        if (!emisor[0]) {
            fprintf(stderr, "pmm auditoria: %s\n", err.mensaje);
            return EXIT_USO;
        }
    }
    PGconn *db = db_connect(conf_conninfo(conf, "admin"), "pmm-auditoria", &err);
    if (!db) {
        fprintf(stderr, "pmm auditoria: %s\n", err.mensaje);
        return EXIT_USO;
    }
    char lim[16];
    snprintf(lim, sizeof lim, "%ld", n);
    const char *params[] = {desde, emisor[0] ? emisor : NULL, resultado, lim};
    PGresult *res = PQexecParams(
        db,
        "SELECT momento, identidad, coalesce(emisor, ''), coalesce(ejercicio::text, ''),"
        "       coalesce(clave, ''), resultado, coalesce(campo, ''), coalesce(regla, ''),"
        "       coalesce(ficha_id::text, ''), coalesce(motivo, '')"
        "  FROM auditoria"
        " WHERE ($1::timestamptz IS NULL OR momento >= $1::timestamptz)"
        "   AND ($2::text IS NULL OR emisor = $2 OR identidad LIKE '%|' || $2 || '|%')"
        "   AND ($3::text IS NULL OR resultado = $3)"
        " ORDER BY id DESC LIMIT $4::int",
        4, NULL, params, NULL, NULL, 0);
    int rc = EXIT_USO;
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(db, res, "consulta fallida", &err);
        fprintf(stderr, "pmm auditoria: %s\n", err.mensaje);
        goto out;
    }
    static const char *cols[] = {"momento", "identidad", "emisor", "ejercicio", "clave",
                                 "resultado", "campo", "regla", "ficha_id", "motivo"};
    if (!json)
        printf("%-26s %-22s %-10s %-5s %-26s %-10s %s\n", "MOMENTO", "IDENTIDAD", "EMISOR",
               "AÑO", "CLAVE", "RESULTADO", "MOTIVO");
    for (int r = 0; r < PQntuples(res); r++) {
        if (json) {
            json_t *o = json_object();
            for (int c = 0; c < 10; c++)
                json_object_set_new(o, cols[c], json_string(PQgetvalue(res, r, c)));
            char *s = json_dumps(o, JSON_COMPACT);
            if (s)
                puts(s);
            free(s);
            json_decref(o);
        } else {
            printf("%-26.26s %-22.22s %-10.10s %-5s %-26.26s %-10s %s%s%s\n",
                   PQgetvalue(res, r, 0), PQgetvalue(res, r, 1), PQgetvalue(res, r, 2),
                   PQgetvalue(res, r, 3), PQgetvalue(res, r, 4), PQgetvalue(res, r, 5),
                   PQgetvalue(res, r, 6), PQgetvalue(res, r, 6)[0] ? " " : "",
                   PQgetvalue(res, r, 7)[0] ? PQgetvalue(res, r, 7) : PQgetvalue(res, r, 9));
        }
    }
    rc = 0;
out:
    PQclear(res);
    PQfinish(db);
    return rc;
}

int cmd_migrar(int argc, char **argv, pmm_conf *conf)
{
    if (argc > 1) {
        printf("Uso: pmm migrar\n\nAplica las migraciones pendientes del esquema con la "
               "conexión de administración\n([admin] conninfo o [postgresql] conninfo). "
               "Los servicios también las aplican\nal arrancar cuando su rol lo permite.\n");
        return strcmp(argv[1], "--help") ? EXIT_USO : 0;
    }
    pmm_error err;
    pmm_error_clear(&err);
    PGconn *db = db_connect(conf_conninfo(conf, "admin"), "pmm-migrar", &err);
    if (!db) {
        fprintf(stderr, "pmm migrar: %s\n", err.mensaje);
        return EXIT_USO;
    }
    int rc = db_migrate(db, &err);
    if (rc < 0)
        fprintf(stderr, "pmm migrar: %s\n", err.mensaje);
    else
        printf("Esquema al día.\n");
    PQfinish(db);
    return rc < 0 ? EXIT_USO : 0;
}
