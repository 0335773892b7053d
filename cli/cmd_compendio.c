/* pmm compendio -- the Compendio General of a year: every counted ficha
 * (latest version, as aggregated) grouped by PMM objective 1..23, rendered
 * by lib/informe.h, from the live tables or from the year's close
 * (--desde-cierre). Reads agregados and fichas only: never the contact
 * table. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "opciones.h"
#include "db.h"
#include "informe.h"
#include "informe_datos.h"

#define CMD "pmm compendio"

static void usage(FILE *out)
{
    fprintf(out,
            "Uso: pmm compendio --ejercicio AÑO [--formato html|md|docx] [-o ARCHIVO]\n"
            "                   [--desde-cierre]\n\n"
            "Genera el Compendio General del ejercicio: todas las acciones registradas,\n"
            "agrupadas por objetivo del Pacto (del 1 al 23), con la institución, la unidad\n"
            "responsable, el objetivo del programa, la población objetivo, el periodo, los\n"
            "resultados, los retos, el eje y subtema y los ODS. Desde 2022 los gobiernos\n"
            "estatales tienen una parte propia. Nunca incluye datos de contacto.\n\n"
            "Opciones:\n"
            "  --ejercicio AÑO    año del compendio\n"
            "  --formato F        html (predeterminado), md o docx (documento de Word, A4,\n"
            "                     con números de página; necesita -o)\n"
            "  -o, --salida RUTA  archivo de salida (si no, la salida estándar)\n"
            "  --desde-cierre     usa la copia congelada del ejercicio (pmm cierre): el\n"
            "                     resultado es idéntico, byte por byte, cada vez\n"
            "  -h, --help         muestra esta ayuda\n\n"
            "Ejemplos:\n"
            "  pmm compendio --ejercicio 2022 --formato md -o compendio-2022.md\n"
            "  pmm compendio --ejercicio 2022 --desde-cierre -o compendio-2022.html\n");
}

int cmd_compendio(int argc, char **argv, pmm_conf *conf)
{
    static const struct option opts[] = {{"ejercicio", required_argument, NULL, 'e'},
                                         {"formato", required_argument, NULL, 'f'},
                                         {"salida", required_argument, NULL, 'o'},
                                         {"desde-cierre", no_argument, NULL, 'c'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int year = 0, opt, desde_cierre = 0;
    informe_formato formato = INFORME_HTML;
    const char *salida = NULL;
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
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
                fprintf(stderr, CMD ": --formato debe ser html, md o docx, no «%s»\n", optarg);
                return EXIT_USO;
            }
            break;
        case 'o': salida = optarg; break;
        case 'c': desde_cierre = 1; break;
        case 'h': usage(stdout); return 0;
        default: return cli_opcion_mala("compendio", opt, argv);
        }
    }
    if (optind != argc)
        return cli_argumento_sobrante("compendio", argv[optind]);
    if (!year) {
        fprintf(stderr, CMD ": indique --ejercicio AÑO; vea pmm compendio --help\n");
        return EXIT_USO;
    }
    if (formato == INFORME_DOCX && !salida) {
        fprintf(stderr, CMD ": --formato docx necesita -o ARCHIVO.docx (un documento de Word "
                        "no se escribe en la terminal)\n");
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
    json_t *comp = NULL;
    refdata *rd = NULL;
    informe_ref *ref = NULL;
    strbuf out;
    strbuf_init(&out);
    char hash[65] = "";
    informe_cierre_info info = {0};
    comp = desde_cierre ? informe_compendio_cierre(db, year, hash, &info, &err)
                        : informe_compendio_build(db, year, &err);
    PQfinish(db);
    db = NULL;
    if (!comp) {
        if (!strcmp(err.regla, "sin_cierre") || !strcmp(err.regla, "cierre_antiguo"))
            rc = EXIT_RECHAZO;
        goto fail;
    }
    json_t *fichas = json_object_get(comp, "fichas");
    const char *corte = json_string_value(json_object_get(comp, "corte"));
    const char *tax = json_string_value(json_object_get(comp, "taxonomia"));
    if (json_array_size(fichas) == 0)
        fprintf(stderr, CMD ": aviso: el ejercicio %d no tiene fichas agregadas\n", year);
    rd = refdata_load(cli_data_dir(conf), &err);
    ref = rd ? informe_ref_new(rd, tax ? tax : "", &err) : NULL;
    if (!ref)
        goto fail;
    informe_ref_zona(ref, conf_zona_horaria(conf));
    if (informe_compendio(fichas, year, corte ? corte : "", ref, formato, &out, &err))
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
    if (salida) {
        size_t n = json_array_size(fichas);
        printf("Compendio General %d escrito en %s (%zu %s)\n", year, salida, n,
               n == 1 ? "ficha" : "fichas");
        if (desde_cierre)
            printf("  datos: cierre %lld del ejercicio\n  huella SHA-256: %s\n", info.id,
                   hash);
        else
            printf("  datos: en vivo (sin cierre)\n");
    }
    rc = 0;
    goto out;
fail:
    fprintf(stderr, CMD ": %s\n", err.mensaje);
out:
    if (db)
        PQfinish(db);
    strbuf_free(&out);
    informe_ref_destroy(&ref);
    refdata_destroy(&rd);
    json_decref(comp);
    return rc;
}
