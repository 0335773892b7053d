/* pmm plantilla -- writes the ficha form for the reporting bodies: the Word
 * form (one ficha per document), a workbook (one ficha per row) or a CSV
 * with the same header (see plantilla.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "opciones.h"
#include "ficha.h"
#include "plantilla.h"
#include "refdata.h"

static void usage(FILE *out)
{
    fprintf(out,
            "Uso: pmm plantilla --formato docx|xlsx|csv -o ARCHIVO [--ejercicio AÑO]\n"
            "                   [--ambito federal|estatal]\n\n"
            "Escribe el formulario de la ficha técnica para enviarlo a las dependencias y\n"
            "entidades; pmm importar lee lo que devuelvan.\n\n"
            "  --formato docx|xlsx|csv  docx: el formulario de Word (una ficha por\n"
            "                        documento, con ayuda en cada rubro y el anexo de los 23\n"
            "                        objetivos); xlsx: un libro con una ficha por fila,\n"
            "                        listas desplegables e instrucciones; csv: los\n"
            "                        encabezados de los campos\n"
            "  -o, --salida ARCHIVO  dónde escribirlo (se reemplaza completo o no se toca)\n"
            "  --ejercicio AÑO       ejercicio que se informa (por omisión, el año en curso):\n"
            "                        fija el periodo de los resultados, junio de AÑO-1 a\n"
            "                        junio de AÑO\n"
            "  --ambito federal|estatal  formulario para dependencias federales (por\n"
            "                        omisión) o para gobiernos estatales\n"
            "  -h, --help            muestra esta ayuda\n\n"
            "Ejemplos:\n"
            "  pmm plantilla --formato docx -o ficha_2023.docx --ejercicio 2023\n"
            "  pmm plantilla --formato xlsx -o fichas_estatales.xlsx --ambito estatal\n");
}

int cmd_plantilla(int argc, char **argv, pmm_conf *conf)
{
    static const struct option opts[] = {
        {"formato", required_argument, NULL, 'f'},
        {"salida", required_argument, NULL, 'o'},
        {"ejercicio", required_argument, NULL, 'e'},
        {"ambito", required_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *formato = NULL, *salida = NULL, *ambito = "federal", *ejercicio = NULL;
    int opt;
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
        switch (opt) {
        case 'f': formato = optarg; break;
        case 'o': salida = optarg; break;
        case 'e': ejercicio = optarg; break;
        case 'a': ambito = optarg; break;
        case 'h': usage(stdout); return 0;
        default: return cli_opcion_mala("plantilla", opt, argv);
        }
    }
    if (optind < argc) {
        fprintf(stderr, "pmm plantilla: sobra «%s»; el archivo se indica con -o\n", argv[optind]);
        return EXIT_USO;
    }
    if (!formato || (strcmp(formato, "docx") && strcmp(formato, "xlsx") &&
                     strcmp(formato, "csv"))) {
        fprintf(stderr, "pmm plantilla: --formato admite docx, xlsx o csv%s%s%s\n",
                formato ? ", no «" : " (falta la opción)", formato ? formato : "",
                formato ? "»" : "");
        return EXIT_USO;
    }
    if (!salida) {
        fprintf(stderr, "pmm plantilla: falta -o ARCHIVO (dónde escribir la plantilla)\n");
        return EXIT_USO;
    }
    if (strcmp(ambito, "federal") && strcmp(ambito, "estatal")) {
        fprintf(stderr, "pmm plantilla: --ambito admite federal o estatal, no «%s»\n", ambito);
        return EXIT_USO;
    }
    ficha_rules reglas = ficha_rules_default();
    int anio = reglas.current_year;
    if (ejercicio) {
        char *end;
        long y = strtol(ejercicio, &end, 10);
        if (*end || y < FICHA_PRIMER_EJERCICIO || y > reglas.current_year + 1) {
            fprintf(stderr, "pmm plantilla: --ejercicio debe ser un año de %d a %d, no «%s»\n",
                    FICHA_PRIMER_EJERCICIO, reglas.current_year + 1, ejercicio);
            return EXIT_USO;
        }
        anio = (int)y;
    }
    pmm_error err;
    pmm_error_clear(&err);
    refdata *ref = refdata_load(conf_data_dir(conf), &err);
    if (!ref) {
        fprintf(stderr, "pmm plantilla: %s\n", err.mensaje);
        return EXIT_USO;
    }
    int rc;
    if (!strcmp(formato, "docx"))
        rc = plantilla_docx(ref, anio, ambito, NULL, salida, &err);
    else if (!strcmp(formato, "xlsx"))
        rc = plantilla_xlsx(ref, anio, ambito, NULL, 0, 0, salida, &err);
    else
        rc = plantilla_csv(NULL, 0, salida, &err);
    refdata_destroy(&ref);
    if (rc) {
        fprintf(stderr, "pmm plantilla: %s\n", err.mensaje);
        return EXIT_USO;
    }
    fprintf(stderr, "pmm plantilla: escrito %s (ejercicio %d, ámbito %s)\n", salida, anio, ambito);
    return 0;
}
