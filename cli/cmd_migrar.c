/* pmm migrar -- applies pending schema migrations with the owner's
 * connection (daemons with least-privilege roles cannot). */
#include <getopt.h>
#include <stdio.h>

#include "commands.h"
#include "db.h"
#include "opciones.h"

static void usage(FILE *out)
{
    fprintf(out, "Uso: pmm migrar\n\n"
                 "Aplica las migraciones pendientes del esquema con la conexión de\n"
                 "administración ([admin] conninfo o [postgresql] conninfo). Los servicios\n"
                 "también las aplican al arrancar cuando su rol lo permite.\n\n"
                 "Opciones:\n"
                 "  -h, --help   muestra esta ayuda\n\n"
                 "Ejemplo:\n"
                 "  pmm migrar\n");
}

int cmd_migrar(int argc, char **argv, pmm_conf *conf)
{
    static const struct option opts[] = {{"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int opt;
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        if (opt != 'h')
            return cli_opcion_mala("migrar", opt, argv);
        usage(stdout);
        return 0;
    }
    if (optind != argc)
        return cli_argumento_sobrante("migrar", argv[optind]);
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
