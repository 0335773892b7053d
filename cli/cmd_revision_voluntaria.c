/* pmm revision-voluntaria -- the Compact's voluntary national review (issue
 * 20): one report dataset per year (lib/informe/informe_datos.h), live or
 * from each year's close (--desde-cierre), rendered by
 * lib/informe/revision_voluntaria.h in Markdown, HTML or Word. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>

#include "commands.h"
#include "revision_voluntaria.h"
#include "informe.h"
#include "informe_varios_anios.h"

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

int cmd_revision_voluntaria(int argc, char **argv, pmm_conf *conf)
{
    static const struct option opts[] = {{"ejercicio", required_argument, NULL, 'e'},
                                         {"formato", required_argument, NULL, 'f'},
                                         {"salida", required_argument, NULL, 'o'},
                                         {"desde-cierre", no_argument, NULL, 'c'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    static const informe_varios_anios m = {
        .cmd = "revision-voluntaria",
        .opts = opts,
        .usage = usage,
        .predeterminado = INFORME_MD,
        .admite_csv = false,
        .formatos = "md, html o docx",
        .render = informe_revision_voluntaria,
        .escrito = "Revisión nacional voluntaria %d-%d escrita en %s (%s)\n",
    };
    return informe_varios_anios_run(&m, argc, argv, conf);
}
