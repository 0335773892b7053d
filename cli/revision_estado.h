/* revision_estado.h -- pmm revision aprobar|observar (the review state of
 * a ficha, 015's revisiones) and the states `pmm revision
 * --estado-revision` filters by. */
#ifndef PMM_CLI_REVISION_ESTADO_H
#define PMM_CLI_REVISION_ESTADO_H

#include <stdbool.h>

#include "conf.h"

/* argv[0] is "aprobar" or "observar"; returns the exit code. */
int revision_marcar(int argc, char **argv, pmm_conf *conf, bool aprobar);

/* "pendiente", "aprobada" or "con_observaciones" as given; NULL for any
 * other text. */
const char *revision_estado_sql(const char *estado);

#endif
