/* informe_conclusiones.h -- pmm informe conclusiones: stores the unit's own
 * conclusions for a year's Informe Ejecutivo (issue 26). */
#ifndef PMM_CLI_INFORME_CONCLUSIONES_H
#define PMM_CLI_INFORME_CONCLUSIONES_H

#include "conf.h"

/* argv[0] is "conclusiones". */
int informe_conclusiones(int argc, char **argv, pmm_conf *conf);

#endif
