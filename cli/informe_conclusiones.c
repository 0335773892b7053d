/* pmm informe conclusiones --ejercicio AÑO --texto ARCHIVO.md [--analista N]
 *
 * Stores the unit's conclusions for a year's Informe Ejecutivo as a new
 * version in informe_conclusiones (017): every version kept, with its text,
 * its SHA-256, the file it came from, who stored it and when, which is the
 * audit record of this write. The Informe prints the latest version (the
 * dataset carries it, so a close freezes it); without one it prints a
 * marked blank. Writes through the owner's connection, as pmm revision
 * fijar does. */
#include "informe_conclusiones.h"

#include <errno.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analista.h"
#include "commands.h"
#include "db.h"
#include "opciones.h"
#include "strbuf.h"
#include "utf8.h"

#define CMD "pmm informe conclusiones"
#define MAX_TEXTO (64 * 1024)

static void ayuda(FILE *out)
{
    fprintf(out,
            "Uso: pmm informe conclusiones --ejercicio AÑO --texto ARCHIVO.md\n"
            "                              [--analista NOMBRE]\n\n"
            "Guarda las conclusiones que la unidad escribió para el Informe Ejecutivo del\n"
            "ejercicio, como una versión nueva (las anteriores se conservan, con quién y\n"
            "cuándo las guardó). El informe imprime la última, después de las cifras que\n"
            "las sustentan; sin ninguna, deja el espacio marcado como pendiente. Para que\n"
            "la edición publicada la incluya, haga un cierre nuevo (pmm cierre).\n\n"
            "Opciones:\n"
            "  --ejercicio AÑO    el ejercicio del informe\n"
            "  --texto ARCHIVO    texto UTF-8 de hasta 64 KB; cada bloque separado por una\n"
            "                     línea en blanco es un párrafo\n"
            "  --analista NOMBRE  quién lo guarda (si no, $PMM_ANALISTA o el nombre de su\n"
            "                     clave en [cliente] clave)\n"
            "  -h, --help         muestra esta ayuda\n\n"
            "Ejemplo:\n"
            "  pmm informe conclusiones --ejercicio 2022 --texto conclusiones-2022.md\n");
}

static char *leer(const char *path, size_t *len, pmm_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        pmm_error_set(err, 2, "--texto", "archivo", "--texto: no se puede abrir %s: %s", path,
                      strerror(errno));
        return NULL;
    }
    strbuf b;
    strbuf_init(&b);
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len <= MAX_TEXTO)
        strbuf_append(&b, chunk, n);
    bool mal = ferror(f);
    fclose(f);
    if (mal || strbuf_failed(&b)) {
        strbuf_free(&b);
        pmm_error_set(err, 2, "--texto", "archivo", "--texto: no se pudo leer %s", path);
        return NULL;
    }
    if (b.len > MAX_TEXTO || b.len == 0 || !utf8_valid(b.data, b.len) ||
        memchr(b.data, '\0', b.len)) {
        pmm_error_set(err, 2, "--texto", "contenido",
                      "--texto: %s debe ser texto UTF-8 no vacío de hasta 64 KB", path);
        strbuf_free(&b);
        return NULL;
    }
    *len = b.len;
    return b.data;
}

int informe_conclusiones(int argc, char **argv, pmm_conf *conf)
{
    static const struct option opts[] = {{"ejercicio", required_argument, NULL, 'e'},
                                         {"texto", required_argument, NULL, 't'},
                                         {"analista", required_argument, NULL, 'a'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *texto_path = NULL, *analista_opc = NULL;
    long anio = 0;
    int opt;
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (opt) {
        case 'e': {
            char *end;
            errno = 0;
            anio = strtol(optarg, &end, 10);
            if (errno || end == optarg || *end || anio < 2018 || anio > 2100) {
                fprintf(stderr, CMD ": --ejercicio debe ser un año (2018 o posterior), no "
                                "«%s»\n", optarg);
                return EXIT_USO;
            }
            break;
        }
        case 't': texto_path = optarg; break;
        case 'a': analista_opc = optarg; break;
        case 'h': ayuda(stdout); return 0;
        default: return cli_opcion_mala("informe conclusiones", opt, argv);
        }
    }
    if (optind != argc)
        return cli_argumento_sobrante("informe conclusiones", argv[optind]);
    if (!anio || !texto_path) {
        fprintf(stderr, CMD ": indique --ejercicio AÑO y --texto ARCHIVO.md\n");
        return EXIT_USO;
    }
    pmm_error err;
    pmm_error_clear(&err);
    char analista[160];
    if (analista_nombre(conf, analista_opc, analista, sizeof analista, &err)) {
        fprintf(stderr, CMD ": %s\n", err.mensaje);
        return EXIT_USO;
    }
    size_t len = 0;
    char *texto = leer(texto_path, &len, &err);
    if (!texto) {
        fprintf(stderr, CMD ": %s\n", err.mensaje);
        return EXIT_USO;
    }
    uint8_t h[crypto_hash_sha256_BYTES];
    char hash[2 * crypto_hash_sha256_BYTES + 1];
    crypto_hash_sha256(h, (const uint8_t *)texto, len);
    sodium_bin2hex(hash, sizeof hash, h, sizeof h);
    int rc = EXIT_USO;
    PGconn *db = db_connect(conf_conninfo(conf, NULL), "pmm-informe", &err);
    if (!db) {
        fprintf(stderr, CMD ": %s\n", err.mensaje);
        free(texto);
        return EXIT_USO;
    }
    char y[16];
    snprintf(y, sizeof y, "%ld", anio);
    const char *params[] = {y, texto, hash, texto_path, analista};
    /* the next version; the UNIQUE (ejercicio, version) refuses a race */
    PGresult *res = PQexecParams(
        db,
        "INSERT INTO informe_conclusiones (ejercicio, version, texto, hash, archivo, analista)"
        " SELECT $1::int, coalesce(max(version), 0) + 1, $2, $3, $4, $5"
        "   FROM informe_conclusiones WHERE ejercicio = $1::int"
        " RETURNING version",
        5, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
        db_error(db, res, "no se guardaron las conclusiones", &err);
        fprintf(stderr, CMD ": %s\n", err.mensaje);
    } else {
        printf("Conclusiones del ejercicio %ld guardadas (versión %s, %s, SHA-256 %.12s…).\n"
               "Para que la edición publicada las incluya: pmm cierre --ejercicio %ld\n",
               anio, PQgetvalue(res, 0, 0), analista, hash, anio);
        rc = 0;
    }
    PQclear(res);
    PQfinish(db);
    free(texto);
    return rc;
}
