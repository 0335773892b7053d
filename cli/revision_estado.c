/* pmm revision aprobar|observar -- the review state of a ficha (issue 18).
 *
 *   pmm revision aprobar ID [--nota "…"] [--analista NOMBRE]
 *   pmm revision observar ID --nota "…" [--analista NOMBRE]
 *
 * Appends a row to `revisiones` (015: append-only, with who and when) for
 * the version in force of ficha ID (ID may name any of its versions). A
 * later version (reemplaza) has no row, so it is pending review again.
 * Whether a state changes what counts is the year's setting (convocatoria
 * ajustar --contar): the ficha is queued for aggregation so the totals
 * follow it either way.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analista.h"
#include "commands.h"
#include "db.h"
#include "opciones.h"
#include "revision_estado.h"

static void ayuda(bool aprobar)
{
    if (aprobar)
        printf("Uso: pmm revision aprobar ID [--nota TEXTO] [--analista NOMBRE]\n\n"
               "Aprueba la ficha ID tras revisarla: la versión vigente de la ficha queda\n"
               "«aprobada», con quién y cuándo. Una versión nueva de la ficha (reemplaza)\n"
               "vuelve a quedar pendiente de revisión.\n\n"
               "Opciones:\n"
               "  --nota TEXTO       comentario opcional (queda con la revisión)\n"
               "  --analista NOMBRE  quién revisa (si no, $PMM_ANALISTA o su clave)\n"
               "  -h, --help         muestra esta ayuda\n\n"
               "Ejemplo:\n  pmm revision aprobar 123 --analista \"A. Pérez\"\n");
    else
        printf("Uso: pmm revision observar ID --nota TEXTO [--analista NOMBRE]\n\n"
               "Deja la ficha ID «con observaciones»: la nota explica qué debe corregir el\n"
               "cuerpo, que la lee con pmm observaciones. Cuando el cuerpo envía una versión\n"
               "nueva, la ficha vuelve a quedar pendiente de revisión.\n\n"
               "Opciones:\n"
               "  --nota TEXTO       la observación (obligatoria)\n"
               "  --analista NOMBRE  quién revisa (si no, $PMM_ANALISTA o su clave)\n"
               "  -h, --help         muestra esta ayuda\n\n"
               "Ejemplo:\n  pmm revision observar 123 --nota \"Falta el número de personas "
               "atendidas\"\n");
}

static bool hay_texto(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return true;
    return false;
}

int revision_marcar(int argc, char **argv, pmm_conf *conf, bool aprobar)
{
    const char *cmd = aprobar ? "revision aprobar" : "revision observar";
    static const struct option opts[] = {{"nota", required_argument, NULL, 'n'},
                                         {"analista", required_argument, NULL, 'a'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *nota = NULL, *analista_opc = NULL;
    int opt;
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (opt) {
        case 'n': nota = optarg; break;
        case 'a': analista_opc = optarg; break;
        case 'h': ayuda(aprobar); return 0;
        default: return cli_opcion_mala(cmd, opt, argv);
        }
    }
    char *end = NULL;
    long long id = optind == argc - 1 ? strtoll(argv[optind], &end, 10) : 0;
    if (optind != argc - 1 || !end || *end || id <= 0) {
        if (optind < argc - 1)
            return cli_argumento_sobrante(cmd, argv[optind + 1]);
        fprintf(stderr, "pmm %s: indique el ID numérico de la ficha; vea pmm %s --help\n",
                cmd, cmd);
        return EXIT_USO;
    }
    if (!aprobar && !hay_texto(nota)) {
        fprintf(stderr, "pmm %s: --nota es obligatoria: diga qué debe corregir el cuerpo; "
                        "vea pmm %s --help\n", cmd, cmd);
        return EXIT_USO;
    }
    if (nota && strlen(nota) > 2000) {
        fprintf(stderr, "pmm %s: --nota admite hasta 2000 caracteres\n", cmd);
        return EXIT_USO;
    }
    if (nota && !hay_texto(nota))
        nota = NULL;
    pmm_error err;
    pmm_error_clear(&err);
    char analista[160];
    if (analista_nombre(conf, analista_opc, analista, sizeof analista, &err)) {
        fprintf(stderr, "pmm %s: %s\n", cmd, err.mensaje);
        return EXIT_USO;
    }
    PGconn *db = db_connect(conf_conninfo(conf, NULL), "pmm-revision", &err);
    if (!db) {
        fprintf(stderr, "pmm %s: %s\n", cmd, err.mensaje);
        return EXIT_USO;
    }
    char idbuf[32];
    snprintf(idbuf, sizeof idbuf, "%lld", id);
    const char *params[] = {idbuf, aprobar ? "aprobada" : "con_observaciones", nota, analista};
    int rc = EXIT_USO;
    if (db_exec(db, "BEGIN", &err) != 0) {
        fprintf(stderr, "pmm %s: %s\n", cmd, err.mensaje);
        PQfinish(db);
        return EXIT_USO;
    }
    /* the version in force of the ficha ID belongs to; none when it does
     * not exist (n = 0) or is withdrawn (retirada = true) */
    PGresult *res = PQexecParams(
        db,
        "WITH f AS (SELECT emisor, ejercicio, clave FROM fichas WHERE id = $1::bigint),"
        " v AS (SELECT v.id, v.emisor, v.ejercicio, v.clave FROM fichas_vigentes v"
        "        JOIN f USING (emisor, ejercicio, clave)),"
        " r AS (INSERT INTO revisiones (ficha_id, emisor, ejercicio, clave, estado, nota,"
        "                               analista)"
        "       SELECT v.id, v.emisor, v.ejercicio, v.clave, $2, $3, $4 FROM v"
        "       RETURNING ficha_id, ejercicio)"
        " SELECT (SELECT count(*) FROM f), r.ficha_id, r.ejercicio,"
        "        CASE WHEN r.ficha_id IS NOT NULL"
        "             THEN pmm_encolar_agregacion(ARRAY[r.ficha_id]) END"
        "   FROM (SELECT 1) one LEFT JOIN r ON true",
        4, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
        db_error(db, res, "no se pudo guardar la revisión", &err);
        fprintf(stderr, "pmm %s: %s\n", cmd, err.mensaje);
        PQclear(res);
        db_exec(db, "ROLLBACK", &err);
        PQfinish(db);
        return EXIT_USO;
    }
    bool existe = strcmp(PQgetvalue(res, 0, 0), "0") != 0;
    bool guardada = !PQgetisnull(res, 0, 1);
    long long vigente = guardada ? strtoll(PQgetvalue(res, 0, 1), NULL, 10) : 0;
    int ejercicio = guardada ? atoi(PQgetvalue(res, 0, 2)) : 0;
    PQclear(res);
    if (!guardada) {
        if (existe)
            fprintf(stderr, "pmm %s: la ficha %lld está retirada (pmm retirar); no hay "
                            "versión vigente que revisar\n", cmd, id);
        else
            fprintf(stderr, "pmm %s: no existe la ficha %lld\n", cmd, id);
        db_exec(db, "ROLLBACK", &err);
        PQfinish(db);
        return EXIT_RECHAZO;
    }
    if (db_exec(db, "COMMIT", &err) != 0) {
        fprintf(stderr, "pmm %s: %s\n", cmd, err.mensaje);
        PQfinish(db);
        return EXIT_USO;
    }
    char version[64] = "";
    if (vigente != id)
        snprintf(version, sizeof version, " (versión vigente %lld)", vigente);
    if (aprobar)
        printf("Ficha %lld%s aprobada por %s.\n", id, version, analista);
    else
        printf("Ficha %lld%s con observaciones, por %s: el cuerpo las lee con "
               "pmm observaciones.\n", id, version, analista);
    analista_aviso_cierre(db, "pmm revision", ejercicio, 0, conf_zona_horaria(conf));
    rc = 0;
    PQfinish(db);
    return rc;
}

const char *revision_estado_sql(const char *estado)
{
    if (!strcmp(estado, "pendiente"))
        return "pendiente";
    if (!strcmp(estado, "aprobada"))
        return "aprobada";
    if (!strcmp(estado, "con_observaciones"))
        return "con_observaciones";
    return NULL;
}
