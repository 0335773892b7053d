/* opciones.h -- what every command does with getopt_long's failures:
 * getopt's own messages are English ("unrecognized option"), so every
 * command sets opterr = 0, starts its optstring with ':' (a missing value
 * then returns ':'), and reports ':' and '?' here, in Spanish, naming the
 * option and pointing to the command's --help. */
#ifndef PMM_CLI_OPCIONES_H
#define PMM_CLI_OPCIONES_H

#include <getopt.h>

/* Before a getopt_long loop: optind = 1, opterr = 0. */
void cli_opciones_inicio(void);

/* getopt_long returned opt (':' or '?', anything else counts as '?') for
 * argv[optind - 1]; prints one of
 *   pmm CMD: opción desconocida «--x»; vea pmm CMD --help
 *   pmm CMD: --ejercicio necesita un valor; vea pmm CMD --help
 *   pmm CMD: --forzar no admite un valor; vea pmm CMD --help
 * to stderr (cmd is "revision fijar" for a sub-command) and returns the
 * usage exit code (2). */
int cli_opcion_mala(const char *cmd, int opt, char *const argv[]);

/* An option the command accepts but this sub-command does not take
 * (argv[optind - 1]): prints "pmm CMD: la opción X no se usa aquí (pmm CMD
 * --help)"; returns 2. */
int cli_opcion_ajena(const char *cmd, char *const argv[]);

/* An argument that is not an option where none is expected: prints
 * "pmm CMD: argumento inesperado «X»; vea pmm CMD --help"; returns 2. */
int cli_argumento_sobrante(const char *cmd, const char *arg);

#endif
