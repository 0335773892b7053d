/* pmm compendio -- the Compendio General of a year: every counted ficha
 * (latest version, as aggregated) grouped by PMM objective 1..23, rendered
 * by lib/informe.h. Reads agregados and fichas only: never the contact
 * table. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "db.h"
#include "informe.h"

#define CMD "pmm compendio"

static void usage(FILE *out)
{
    fprintf(out,
            "Uso: pmm compendio --ejercicio AÑO [--formato html|md] [-o ARCHIVO]\n\n"
            "Genera el Compendio General del ejercicio: todas las acciones registradas,\n"
            "agrupadas por objetivo del Pacto (del 1 al 23), con la institución, la unidad\n"
            "responsable, el objetivo del programa, la población objetivo, el periodo, los\n"
            "resultados, los retos, el eje y subtema y los ODS. Desde 2022 los gobiernos\n"
            "estatales tienen una parte propia. Nunca incluye datos de contacto.\n\n"
            "Opciones:\n"
            "  --ejercicio AÑO    año del compendio\n"
            "  --formato F        html (predeterminado) o md\n"
            "  -o, --salida RUTA  archivo de salida (si no, la salida estándar)\n"
            "  -h, --help         muestra esta ayuda\n");
}

/* Only the columns the compendio prints; the contact table is not named. */
static const char SQL[] =
    "SELECT coalesce(json_agg(x ORDER BY x.emisor, x.clave), '[]')::text,"
    "       coalesce((SELECT max(f2.recibida)::text FROM agregados a2"
    "                   JOIN fichas f2 ON f2.id = a2.ficha_id"
    "                  WHERE a2.ejercicio = $1::int), ''),"
    "       coalesce((SELECT string_agg(DISTINCT c.taxonomia, ', ')"
    "                   FROM agregados a3"
    "                   JOIN clasificaciones c ON c.id = a3.clasificacion_id"
    "                  WHERE a3.ejercicio = $1::int), '')"
    "  FROM (SELECT a.ficha_id AS id, f.emisor, f.clave, a.ambito, a.dependencia, a.entidad,"
    "               a.objetivo, f.unidad, f.programa, f.objetivo AS proposito,"
    "               f.poblacion_objetivo, f.inicio, f.temporalidad, f.fin,"
    "               f.acciones, f.personas, f.mujeres, f.hombres, f.zona,"
    "               f.resultados_texto, f.retos, a.retos AS retos_cat,"
    "               a.eje, a.subtema, a.ods,"
    /* the other senders of the same action ("misma acción", 016) */
    "               (SELECT json_agg(DISTINCT x.emisor) FROM fichas_absorbidas x"
    "                 WHERE x.cuenta_emisor = a.emisor AND x.ejercicio = a.ejercicio"
    "                   AND x.cuenta_clave = a.clave AND x.emisor <> a.emisor)"
    "               AS participantes"
    "          FROM agregados a JOIN fichas f ON f.id = a.ficha_id"
    "         WHERE a.ejercicio = $1::int AND NOT a.absorbida) x";

int cmd_compendio(int argc, char **argv, pmm_conf *conf)
{
    static const struct option opts[] = {{"ejercicio", required_argument, NULL, 'e'},
                                         {"formato", required_argument, NULL, 'f'},
                                         {"salida", required_argument, NULL, 'o'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int year = 0, opt;
    informe_formato formato = INFORME_HTML;
    const char *salida = NULL;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        switch (opt) {
        case 'e': {
            char *end;
            errno = 0;
            long y = strtol(optarg, &end, 10);
            if (errno || end == optarg || *end || y < 2018 || y > 2100) {
                fprintf(stderr, CMD ": --ejercicio debe ser un año (2018 o posterior), "
                                "no «%s»\n", optarg);
                return EXIT_USO;
            }
            year = (int)y;
            break;
        }
        case 'f':
            if (informe_formato_parse(optarg, &formato) || formato == INFORME_CSV) {
                fprintf(stderr, CMD ": --formato debe ser html o md, no «%s»\n", optarg);
                return EXIT_USO;
            }
            break;
        case 'o': salida = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return EXIT_USO;
        }
    }
    if (!year || optind != argc) {
        fprintf(stderr, CMD ": indique --ejercicio AÑO\n");
        return EXIT_USO;
    }
    pmm_error err;
    pmm_error_clear(&err);
    PGconn *db = db_connect(conf_conninfo(conf, NULL), "pmm-compendio",
                            &err);
    if (!db) {
        fprintf(stderr, CMD ": %s\n", err.mensaje);
        return EXIT_USO;
    }
    int rc = EXIT_USO;
    json_t *fichas = NULL;
    refdata *rd = NULL;
    informe_ref *ref = NULL;
    strbuf out;
    strbuf_init(&out);
    char ybuf[16];
    snprintf(ybuf, sizeof ybuf, "%d", year);
    const char *params[] = {ybuf};
    PGresult *res = NULL;
    if (db_exec(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", &err))
        goto fail;
    res = PQexecParams(db, SQL, 1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(db, res, "no se pudieron leer las fichas del ejercicio", &err);
        goto fail;
    }
    json_error_t jerr;
    fichas = json_loads(PQgetvalue(res, 0, 0), 0, &jerr);
    if (!fichas) {
        pmm_error_set(&err, 7, "", "json", "respuesta inválida de la base de datos: %s",
                      jerr.text);
        goto fail;
    }
    if (json_array_size(fichas) == 0)
        fprintf(stderr, CMD ": aviso: el ejercicio %d no tiene fichas agregadas\n", year);
    rd = refdata_load(cli_data_dir(conf), &err);
    ref = rd ? informe_ref_new(rd, PQgetvalue(res, 0, 2), &err) : NULL;
    if (!ref)
        goto fail;
    if (informe_compendio(fichas, year, PQgetvalue(res, 0, 1), ref, formato, &out, &err))
        goto fail;
    FILE *f = salida ? fopen(salida, "wb") : stdout;
    if (!f) {
        pmm_error_set(&err, 7, "-o", "escritura", "no se pudo crear %s: %s", salida,
                      strerror(errno));
        goto fail;
    }
    bool ok = fwrite(out.data, 1, out.len, f) == out.len;
    ok = (salida ? fclose(f) : fflush(f)) == 0 && ok;
    if (!ok) {
        pmm_error_set(&err, 7, "-o", "escritura", "no se pudo escribir la salida");
        goto fail;
    }
    if (salida)
        printf("Compendio General %d escrito en %s (%zu fichas)\n", year, salida,
               json_array_size(fichas));
    rc = 0;
    goto out;
fail:
    fprintf(stderr, CMD ": %s\n", err.mensaje);
out:
    PQclear(res);
    PQfinish(db);
    strbuf_free(&out);
    informe_ref_destroy(&ref);
    refdata_destroy(&rd);
    json_decref(fichas);
    return rc;
}
