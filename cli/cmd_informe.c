/* pmm informe -- the Informe Ejecutivo of a year (lib/informe.h), from the
 * live tables, from the year's frozen snapshot (--desde-cierre) or from an
 * exported dataset file (--datos), in HTML, Markdown or CSV. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "informe_conclusiones.h"
#include "informe_ejemplos_cmd.h"
#include "opciones.h"
#include "db.h"
#include "informe.h"
#include "informe_datos.h"

#define CMD "pmm informe"

static void usage(FILE *out)
{
    fprintf(out,
            "Uso: pmm informe --ejercicio AÑO [--formato html|md|csv|docx] [-o ARCHIVO|DIRECTORIO]\n"
            "                 [--desde-cierre | --datos ARCHIVO] [--exportar-datos ARCHIVO]\n"
            "     pmm informe conclusiones --ejercicio AÑO --texto ARCHIVO.md\n"
            "     pmm informe ejemplos --ejercicio AÑO\n\n"
            "Genera el Informe Ejecutivo del ejercicio: resumen y comparación con años\n"
            "anteriores, acciones por objetivo (con los cinco objetivos con más y con menos\n"
            "acciones, y ejemplos por objetivo: pmm informe ejemplos --help), ámbito\n"
            "federal y estatal, acciones por institución, mapa de entidades, ejes y\n"
            "subtemas, alineación con los ODS, retos, notas\n"
            "metodológicas, conclusiones (cifras que las sustentan y el texto de la unidad,\n"
            "pmm informe conclusiones --help) y anexos (categorías de retos e instituciones\n"
            "participantes). En html, cada número de acciones por objetivo lleva a sus\n"
            "fichas en el Compendio del mismo año: escríbalo junto al informe como\n"
            "compendio-AÑO.html (pmm compendio --ejercicio AÑO -o compendio-AÑO.html).\n\n"
            "Opciones:\n"
            "  --ejercicio AÑO         año del informe (periodo de junio del año anterior a\n"
            "                          junio de ese año)\n"
            "  --formato F             html (predeterminado: una página autocontenida con\n"
            "                          gráficas, lista para imprimir en A4), md (Markdown\n"
            "                          para importar en un procesador de textos), csv (todas\n"
            "                          las tablas) o docx (documento de Word, A4, con estilos\n"
            "                          de título, tablas de Word, gráficas como imágenes y\n"
            "                          números de página; necesita -o)\n"
            "  -o, --salida RUTA       archivo de salida (si no, la salida estándar). Con\n"
            "                          csv, si RUTA es un directorio o termina en «/», se\n"
            "                          escribe un archivo por tabla\n"
            "  --desde-cierre          usa la copia congelada del ejercicio (pmm cierre): el\n"
            "                          resultado es idéntico, byte por byte, cada vez\n"
            "  --datos ARCHIVO         genera el informe desde un conjunto de datos exportado\n"
            "                          (no necesita la base de datos)\n"
            "  --exportar-datos ARCHIVO  guarda el conjunto de datos del informe (JSON) y\n"
            "                          termina sin generar el informe\n"
            "  -h, --help              muestra esta ayuda\n\n"
            "Ejemplos:\n"
            "  pmm informe --ejercicio 2022 --formato html -o informe-2022.html\n"
            "  pmm informe --ejercicio 2022 --desde-cierre --formato csv -o tablas/\n"
            "  pmm informe --datos datos-2022.json --formato md -o informe-2022.md\n"
            "  pmm informe --ejercicio 2022 --desde-cierre --formato docx -o informe-2022.docx\n");
}

static int parse_year(const char *text, int *out)
{
    char *end;
    errno = 0;
    long y = strtol(text, &end, 10);
    if (errno || end == text || *end || y < 2018 || y > 2100)
        return -1;
    *out = (int)y;
    return 0;
}

/* Writes data to path through a temporary file and a rename, so a reader
 * never sees half a report. */
static int write_file(const char *path, const char *data, size_t len, pmm_error *err)
{
    size_t n = strlen(path) + 16;
    char *tmp = malloc(n);
    if (!tmp)
        return pmm_error_set(err, 7, "", "memoria", "sin memoria");
    snprintf(tmp, n, "%s.tmp%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    int rc = 0;
    if (!f) {
        rc = pmm_error_set(err, 7, "-o", "escritura", "no se pudo crear %s: %s", path,
                           strerror(errno));
    } else {
        if (fwrite(data, 1, len, f) != len)
            rc = -1;
        if (fclose(f) != 0)
            rc = -1;
        if (rc || rename(tmp, path) != 0) {
            rc = pmm_error_set(err, 7, "-o", "escritura", "no se pudo escribir %s: %s",
                               path, strerror(errno));
            unlink(tmp);
        }
    }
    free(tmp);
    return rc;
}

static int write_table(void *user, const char *id, const char *csv, size_t len,
                       pmm_error *err)
{
    const char *dir = user;
    size_t n = strlen(dir) + strlen(id) + 8;
    char *path = malloc(n);
    if (!path)
        return pmm_error_set(err, 7, "", "memoria", "sin memoria");
    snprintf(path, n, "%s/%s.csv", dir, id);
    int rc = write_file(path, csv, len, err);
    if (rc == 0)
        printf("%s\n", path);
    free(path);
    return rc;
}

static bool is_dir_target(const char *path)
{
    struct stat st;
    size_t n = strlen(path);
    if (n && path[n - 1] == '/')
        return true;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A few lines on the terminal once the report is written to a file. */
static void print_summary(const json_t *datos, const char *path, const char *formato,
                          const char *hash, informe_origen origen)
{
    char a[48];
    int year = (int)json_integer_value(json_object_get(datos, "ejercicio"));
    long long total = informe_datos_celda(datos, "", "total", "", "fichas");
    int dep = 0, est = 0;
    const char *k;
    json_t *cell;
    json_t *em = json_object_get(json_object_get(json_object_get(datos, "totales"), ""),
                                 "emisor");
    json_object_foreach(em, k, cell) {
        if (json_integer_value(json_object_get(cell, "fichas")) <= 0)
            continue;
        if (k[0] == 'D')
            dep++;
        else if (k[0] == 'E')
            est++;
    }
    int best = 0;
    long long bestn = -1;
    for (int o = 1; o <= 23; o++) {
        char v[8];
        snprintf(v, sizeof v, "%d", o);
        long long n = informe_datos_celda(datos, "", "objetivo", v, "fichas");
        if (n > bestn) {
            bestn = n;
            best = o;
        }
    }
    printf("Informe Ejecutivo %d (%s) escrito en %s\n", year, formato, path);
    printf("  acciones: %s\n", informe_numero(total, a, sizeof a));
    printf("  dependencias y organismos federales: %d\n", dep);
    printf("  gobiernos estatales: %d de 32\n", est);
    printf("  objetivo con más acciones: %d (%s)\n", best, informe_numero(bestn, a, sizeof a));
    printf("  datos: %s\n", origen == INFORME_CIERRE   ? "cierre del ejercicio"
                        : origen == INFORME_ARCHIVO ? "archivo exportado"
                                                    : "en vivo");
    printf("  huella SHA-256: %s\n", hash);
}

int cmd_informe(int argc, char **argv, pmm_conf *conf)
{
    if (argc > 1 && !strcmp(argv[1], "conclusiones"))
        return informe_conclusiones(argc - 1, argv + 1, conf);
    if (argc > 1 && !strcmp(argv[1], "ejemplos"))
        return informe_ejemplos_cmd(argc - 1, argv + 1, conf);
    static const struct option opts[] = {{"ejercicio", required_argument, NULL, 'e'},
                                         {"formato", required_argument, NULL, 'f'},
                                         {"salida", required_argument, NULL, 'o'},
                                         {"desde-cierre", no_argument, NULL, 'c'},
                                         {"datos", required_argument, NULL, 'd'},
                                         {"exportar-datos", required_argument, NULL, 'x'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int year = 0, desde_cierre = 0, opt;
    informe_formato formato = INFORME_HTML;
    const char *formato_txt = "html", *salida = NULL, *datos_path = NULL, *exportar = NULL;
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
        switch (opt) {
        case 'e':
            if (parse_year(optarg, &year)) {
                fprintf(stderr, CMD ": --ejercicio debe ser un año (2018 o posterior), "
                                "no «%s»\n", optarg);
                return EXIT_USO;
            }
            break;
        case 'f':
            if (informe_formato_parse(optarg, &formato)) {
                fprintf(stderr, CMD ": --formato debe ser html, md, csv o docx, no «%s»\n", optarg);
                return EXIT_USO;
            }
            formato_txt = optarg;
            break;
        case 'o': salida = optarg; break;
        case 'c': desde_cierre = 1; break;
        case 'd': datos_path = optarg; break;
        case 'x': exportar = optarg; break;
        case 'h': usage(stdout); return 0;
        default: return cli_opcion_mala("informe", opt, argv);
        }
    }
    if (optind != argc) {
        return cli_argumento_sobrante("informe", argv[optind]);
    }
    if (!year && !datos_path) {
        fprintf(stderr, CMD ": indique --ejercicio AÑO (o --datos ARCHIVO)\n");
        return EXIT_USO;
    }
    if (formato == INFORME_DOCX && !salida) {
        fprintf(stderr, CMD ": --formato docx necesita -o ARCHIVO.docx (un documento de Word "
                        "no se escribe en la terminal)\n");
        return EXIT_USO;
    }
    if (datos_path && desde_cierre) {
        fprintf(stderr, CMD ": --datos y --desde-cierre no se pueden usar juntas\n");
        return EXIT_USO;
    }

    pmm_error err;
    pmm_error_clear(&err);
    json_t *datos = NULL;
    char hash[65] = "";
    informe_origen origen = INFORME_VIVO;
    PGconn *db = NULL;
    refdata *rd = NULL;
    informe_ref *ref = NULL;
    char *canon = NULL;
    strbuf out;
    strbuf_init(&out);
    int rc = EXIT_USO;

    if (datos_path) {
        json_error_t jerr;
        datos = json_load_file(datos_path, 0, &jerr);
        if (!datos) {
            fprintf(stderr, CMD ": %s no es un conjunto de datos JSON válido (línea %d: %s)\n",
                    datos_path, jerr.line, jerr.text);
            goto out;
        }
        origen = INFORME_ARCHIVO;
        int dy = (int)json_integer_value(json_object_get(datos, "ejercicio"));
        if (year && dy != year) {
            fprintf(stderr, CMD ": %s es del ejercicio %d, no del %d\n", datos_path, dy, year);
            rc = EXIT_RECHAZO;
            goto out;
        }
        canon = informe_datos_canonical(datos, hash);
    } else {
        db = db_connect(conf_conninfo(conf, NULL), "pmm-informe", &err);
        if (!db) {
            fprintf(stderr, CMD ": %s\n", err.mensaje);
            goto out;
        }
        if (desde_cierre) {
            datos = informe_datos_cierre(db, year, hash, &err);
            origen = INFORME_CIERRE;
            if (!datos) {
                fprintf(stderr, CMD ": %s\n", err.mensaje);
                rc = !strcmp(err.regla, "sin_cierre") ? EXIT_RECHAZO : EXIT_USO;
                goto out;
            }
        } else {
            datos = informe_datos_build(db, year, cli_ejemplos_por_objetivo(conf), &err);
            if (!datos) {
                fprintf(stderr, CMD ": %s\n", err.mensaje);
                goto out;
            }
            canon = informe_datos_canonical(datos, hash);
        }
        PQfinish(db);
        db = NULL;
    }
    if (exportar) {
        if (!canon)
            canon = informe_datos_canonical(datos, hash);
        if (!canon || write_file(exportar, canon, strlen(canon), &err)) {
            fprintf(stderr, CMD ": %s\n", canon ? err.mensaje : "sin memoria");
            goto out;
        }
        printf("Conjunto de datos del ejercicio %lld escrito en %s\n  huella SHA-256: %s\n",
               (long long)json_integer_value(json_object_get(datos, "ejercicio")), exportar,
               hash);
        rc = 0;
        goto out;
    }
    if (informe_datos_celda(datos, "", "total", "", "fichas") == 0)
        fprintf(stderr, CMD ": aviso: el ejercicio no tiene fichas agregadas; el informe "
                        "saldrá en ceros\n");

    rd = refdata_load(cli_data_dir(conf), &err);
    if (rd)
        ref = informe_ref_new(rd, json_string_value(json_object_get(datos, "taxonomia")),
                              &err);
    if (!ref) {
        fprintf(stderr, CMD ": datos de referencia: %s\n", err.mensaje);
        goto out;
    }
    informe_ref_zona(ref, conf_zona_horaria(conf));
    informe_fuente fuente = {origen, hash};
    if (formato == INFORME_CSV && salida && is_dir_target(salida)) {
        if (mkdir(salida, 0777) != 0 && errno != EEXIST) {
            fprintf(stderr, CMD ": no se pudo crear el directorio %s: %s\n", salida,
                    strerror(errno));
            goto out;
        }
        if (informe_csv_tablas(datos, ref, &fuente, write_table, (void *)salida, &err)) {
            fprintf(stderr, CMD ": %s\n", err.mensaje);
            goto out;
        }
        rc = 0;
        goto out;
    }
    if (informe_render(datos, ref, formato, &fuente, &out, &err)) {
        fprintf(stderr, CMD ": %s\n", err.mensaje);
        goto out;
    }
    if (salida) {
        if (write_file(salida, out.data, out.len, &err)) {
            fprintf(stderr, CMD ": %s\n", err.mensaje);
            goto out;
        }
        print_summary(datos, salida, formato_txt, hash, origen);
    } else if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
        fprintf(stderr, CMD ": no se pudo escribir la salida\n");
        goto out;
    }
    rc = 0;
out:
    strbuf_free(&out);
    informe_ref_destroy(&ref);
    refdata_destroy(&rd);
    free(canon);
    json_decref(datos);
    if (db)
        PQfinish(db);
    return rc;
}
