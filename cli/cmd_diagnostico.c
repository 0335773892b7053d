/* pmm diagnostico -- the multi-year Diagnóstico PMM–ODS (issue 20): one
 * report dataset per year (lib/informe/informe_datos.h), live or from each
 * year's close (--desde-cierre), rendered by lib/informe/diagnostico.h in
 * HTML, Markdown, CSV or Word. Reads through the read-only role. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>

#include "commands.h"
#include "diagnostico.h"
#include "informe.h"
#include "informe_varios_anios.h"

static void usage(FILE *out)
{
    fprintf(out,
            "Uso: pmm diagnostico --ejercicio AÑO-AÑO [--formato html|md|csv|docx]\n"
            "                     [-o ARCHIVO] [--desde-cierre]\n\n"
            "Genera el Diagnóstico PMM–ODS de varios ejercicios: las acciones de cada año por\n"
            "objetivo del Pacto, por eje y subtema y por ODS (solo las acciones con\n"
            "resultados), los objetivos persistentemente más débiles y las dependencias y\n"
            "gobiernos estatales que reportaron cada año o una sola vez, con gráficas.\n\n"
            "Opciones:\n"
            "  --ejercicio AÑO-AÑO  los ejercicios, de %d como máximo (p. ej. 2018-2022; un\n"
            "                       solo año también vale)\n"
            "  --formato F          html (predeterminado: página autocontenida con gráficas),\n"
            "                       md (Markdown), csv (todas las tablas en un archivo, cada\n"
            "                       fila precedida por el nombre de su tabla) o docx (documento\n"
            "                       de Word, A4, con números de página; necesita -o)\n"
            "  -o, --salida ARCHIVO archivo de salida (si no, la salida estándar)\n"
            "  --desde-cierre       usa los cierres de cada ejercicio (pmm cierre): el\n"
            "                       documento es idéntico, byte por byte, cada vez\n"
            "  -h, --help           muestra esta ayuda\n\n"
            "Ejemplos:\n"
            "  pmm diagnostico --ejercicio 2018-2022 -o diagnostico.html\n"
            "  pmm diagnostico --ejercicio 2018-2022 --desde-cierre --formato docx "
            "-o diagnostico.docx\n",
            DIAGNOSTICO_MAX_ANIOS);
}

int cmd_diagnostico(int argc, char **argv, pmm_conf *conf)
{
    static const struct option opts[] = {{"ejercicio", required_argument, NULL, 'e'},
                                         {"formato", required_argument, NULL, 'f'},
                                         {"salida", required_argument, NULL, 'o'},
                                         {"desde-cierre", no_argument, NULL, 'c'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    static const informe_varios_anios m = {
        .cmd = "diagnostico",
        .opts = opts,
        .usage = usage,
        .predeterminado = INFORME_HTML,
        .admite_csv = true,
        .formatos = "html, md, csv o docx",
        .render = informe_diagnostico,
        .escrito = "Diagnóstico PMM–ODS %d-%d escrito en %s (%s)\n",
    };
    return informe_varios_anios_run(&m, argc, argv, conf);
}
