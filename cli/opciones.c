/* opciones.c -- see opciones.h. */
#include "opciones.h"

#include <stdio.h>
#include <string.h>

#include "commands.h"

void cli_opciones_inicio(void)
{
    optind = 1;
    opterr = 0;
}

int cli_opcion_mala(const char *cmd, int opt, char *const argv[])
{
    const char *texto = optind > 0 ? argv[optind - 1] : "";
    int larga = !strncmp(texto, "--", 2);
    /* "--opcion=valor": the option is what comes before '=' */
    int n = larga ? (int)strcspn(texto, "=") : (int)strlen(texto);
    if (opt == ':')
        fprintf(stderr, "pmm %s: %.*s necesita un valor", cmd, n, texto);
    else if (larga && optopt && texto[n] == '=')
        fprintf(stderr, "pmm %s: %.*s no admite un valor", cmd, n, texto);
    else if (!larga && optopt)
        fprintf(stderr, "pmm %s: opción desconocida «-%c»", cmd, optopt);
    else
        fprintf(stderr, "pmm %s: opción desconocida «%.*s»", cmd, n, texto);
    fprintf(stderr, "; vea pmm %s --help\n", cmd);
    return EXIT_USO;
}

int cli_opcion_ajena(const char *cmd, char *const argv[])
{
    /* "--limite 2022-06-30": getopt has moved past the value too */
    const char *texto = optind > 0 ? argv[optind - 1] : "";
    if (texto[0] != '-' && optind > 1 && argv[optind - 2][0] == '-')
        texto = argv[optind - 2];
    int n = (int)strcspn(texto, "=");
    fprintf(stderr, "pmm %s: la opción %.*s no se usa aquí (pmm %s --help)\n", cmd, n, texto,
            cmd);
    return EXIT_USO;
}

int cli_argumento_sobrante(const char *cmd, const char *arg)
{
    fprintf(stderr, "pmm %s: argumento inesperado «%s»; vea pmm %s --help\n", cmd, arg, cmd);
    return EXIT_USO;
}
