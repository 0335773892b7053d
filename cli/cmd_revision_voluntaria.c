/* pmm revision-voluntaria -- the Compact's voluntary national review (issue
 * 20): one report dataset per year (lib/informe/informe_datos.h), live or
 * from each year's close (--desde-cierre), rendered by
 * lib/informe/revision_voluntaria.h in Markdown, HTML or Word. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "db.h"
#include "revision_voluntaria.h"
#include "informe.h"
#include "informe_datos.h"
#include "opciones.h"
#include "refdata.h"

#define CMD "pmm revision-voluntaria"

static void usage(FILE *out)
{
    fprintf(out,
            "Uso: pmm revision-voluntaria --ejercicio AÑO-AÑO [--formato md|html|docx]\n"
            "                             [-o ARCHIVO] [--desde-cierre]\n\n"
            "Genera la revisión nacional voluntaria del Pacto Mundial (hacia el Foro de\n"
            "Examen de la Migración Internacional) de varios ejercicios: metodología y\n"
            "proceso, avance en cada uno de los 23 objetivos (acciones por año, personas\n"
            "atendidas con su desglose por sexo, instituciones participantes), el enfoque\n"
            "pangubernamental, el vínculo con los ODS, los retos y, como espacios marcados\n"
            "para la unidad, las conclusiones y los próximos pasos.\n\n"
            "Opciones:\n"
            "  --ejercicio AÑO-AÑO  los ejercicios, de %d como máximo (p. ej. 2019-2022)\n"
            "  --formato F          md (predeterminado), html o docx (documento de Word, A4,\n"
            "                       con números de página; necesita -o)\n"
            "  -o, --salida ARCHIVO archivo de salida (si no, la salida estándar)\n"
            "  --desde-cierre       usa los cierres de cada ejercicio (pmm cierre): el\n"
            "                       documento es idéntico, byte por byte, cada vez\n"
            "  -h, --help           muestra esta ayuda\n\n"
            "Ejemplos:\n"
            "  pmm revision-voluntaria --ejercicio 2019-2022 -o revision.md\n"
            "  pmm revision-voluntaria --ejercicio 2019-2022 --desde-cierre --formato docx "
            "-o revision.docx\n",
            DIAGNOSTICO_MAX_ANIOS);
}

static int parse_years(const char *s, int *desde, int *hasta)
{
    char *end;
    errno = 0;
    long a = strtol(s, &end, 10), b = a;
    if (errno || end == s)
        return -1;
    if (*end == '-') {
        const char *s2 = end + 1;
        b = strtol(s2, &end, 10);
        if (errno || end == s2)
            return -1;
    }
    if (*end || a < 2018 || b > 2100 || b < a)
        return -1;
    *desde = (int)a;
    *hasta = (int)b;
    return 0;
}

static int write_file(const char *path, const char *data, size_t len, pmm_error *err)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return pmm_error_set(err, 7, "-o", "escritura", "no se pudo crear %s: %s", path,
                             strerror(errno));
    int rc = fwrite(data, 1, len, f) != len;
    rc |= fclose(f) != 0;
    if (rc || rename(tmp, path) != 0) {
        unlink(tmp);
        return pmm_error_set(err, 7, "-o", "escritura", "no se pudo escribir %s", path);
    }
    return 0;
}

int cmd_revision_voluntaria(int argc, char **argv, pmm_conf *conf)
{
    static const struct option opts[] = {{"ejercicio", required_argument, NULL, 'e'},
                                         {"formato", required_argument, NULL, 'f'},
                                         {"salida", required_argument, NULL, 'o'},
                                         {"desde-cierre", no_argument, NULL, 'c'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int desde = 0, hasta = 0, desde_cierre = 0, opt;
    informe_formato formato = INFORME_MD;
    const char *salida = NULL;
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
        switch (opt) {
        case 'e':
            if (parse_years(optarg, &desde, &hasta)) {
                fprintf(stderr, CMD ": --ejercicio debe ser un año o un rango AÑO-AÑO desde "
                                "2018, no «%s»\n", optarg);
                return EXIT_USO;
            }
            if (hasta - desde + 1 > DIAGNOSTICO_MAX_ANIOS) {
                fprintf(stderr, CMD ": --ejercicio abarca como máximo %d ejercicios, no %d\n",
                        DIAGNOSTICO_MAX_ANIOS, hasta - desde + 1);
                return EXIT_USO;
            }
            break;
        case 'f':
            if (informe_formato_parse(optarg, &formato) || formato == INFORME_CSV) {
                fprintf(stderr, CMD ": --formato debe ser md, html o docx, no «%s»\n",
                        optarg);
                return EXIT_USO;
            }
            break;
        case 'o': salida = optarg; break;
        case 'c': desde_cierre = 1; break;
        case 'h': usage(stdout); return 0;
        default: return cli_opcion_mala("revision-voluntaria", opt, argv);
        }
    }
    if (optind != argc)
        return cli_argumento_sobrante("revision-voluntaria", argv[optind]);
    if (!desde) {
        fprintf(stderr, CMD ": indique --ejercicio AÑO-AÑO; vea pmm revision-voluntaria --help\n");
        return EXIT_USO;
    }
    if (formato == INFORME_DOCX && !salida) {
        fprintf(stderr, CMD ": --formato docx necesita -o ARCHIVO.docx (un documento de Word "
                        "no se escribe en la terminal)\n");
        return EXIT_USO;
    }

    pmm_error err;
    pmm_error_clear(&err);
    size_t n = (size_t)(hasta - desde + 1);
    json_t *datos[DIAGNOSTICO_MAX_ANIOS] = {0};
    refdata *rd = NULL;
    informe_ref *ref = NULL;
    strbuf out, tax;
    strbuf_init(&out);
    strbuf_init(&tax);
    int rc = EXIT_USO;
    PGconn *db = db_connect(conf_conninfo(conf, NULL), "pmm-revision-voluntaria", &err);
    if (!db) {
        fprintf(stderr, CMD ": %s\n", err.mensaje);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        int y = desde + (int)i;
        char hash[65];
        datos[i] = desde_cierre ? informe_datos_cierre(db, y, hash, &err)
                                : informe_datos_build(db, y, &err);
        if (!datos[i]) {
            fprintf(stderr, CMD ": ejercicio %d: %s\n", y, err.mensaje);
            if (!strcmp(err.regla, "sin_cierre"))
                rc = EXIT_RECHAZO;
            goto out;
        }
        /* the taxonomies of the years, each once, in order */
        const char *t = json_string_value(json_object_get(datos[i], "taxonomia"));
        if (t && *t && !(tax.data && strstr(tax.data, t)))
            strbuf_printf(&tax, "%s%s", tax.len ? "," : "", t);
    }
    PQfinish(db);
    db = NULL;
    rd = refdata_load(cli_data_dir(conf), &err);
    if (rd)
        ref = informe_ref_new(rd, tax.data ? tax.data : "", &err);
    if (!ref) {
        fprintf(stderr, CMD ": datos de referencia: %s\n", err.mensaje);
        goto out;
    }
    informe_ref_zona(ref, conf_zona_horaria(conf));
    if (informe_revision_voluntaria(datos, n, ref, formato, desde_cierre, &out, &err)) {
        fprintf(stderr, CMD ": %s\n", err.mensaje);
        goto out;
    }
    if (salida) {
        if (write_file(salida, out.data, out.len, &err)) {
            fprintf(stderr, CMD ": %s\n", err.mensaje);
            goto out;
        }
        printf("Revisión nacional voluntaria %d-%d escrita en %s (%s)\n", desde, hasta, salida,
               desde_cierre ? "desde los cierres" : "datos en vivo");
    } else if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
        fprintf(stderr, CMD ": no se pudo escribir la salida\n");
        goto out;
    }
    rc = 0;
out:
    if (db)
        PQfinish(db);
    for (size_t i = 0; i < n; i++)
        json_decref(datos[i]);
    informe_ref_destroy(&ref);
    refdata_destroy(&rd);
    strbuf_free(&out);
    strbuf_free(&tax);
    return rc;
}
