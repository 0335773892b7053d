/* informe_ejemplos_cmd.h -- pmm informe ejemplos [fijar]: the examples per
 * objective of the Informe Ejecutivo (lib/informe/informe_ejemplos.h). */
#ifndef PMM_CLI_INFORME_EJEMPLOS_CMD_H
#define PMM_CLI_INFORME_EJEMPLOS_CMD_H

#include "conf.h"

/* argv[0] is "ejemplos". */
int informe_ejemplos_cmd(int argc, char **argv, pmm_conf *conf);

#endif
