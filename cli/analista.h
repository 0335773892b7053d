/* analista.h -- who makes an analyst's decision, and the warning a decision
 * gets when its year has a close.
 *
 * The name, in this order: the command's --analista, $PMM_ANALISTA, the
 * "nombre" of the certificate at [cliente] clave (the analyst's CURVE key,
 * issued by pmm claves emitir --rol analista). With [general]
 * exigir_analista = 1 (production) there is no other source: a decision
 * without a name is refused. Otherwise $USER, and "sin identificar" last. */
#ifndef PMM_CLI_ANALISTA_H
#define PMM_CLI_ANALISTA_H

#include <libpq-fe.h>
#include <stddef.h>

#include "conf.h"
#include "error.h"

/* The analyst's name into out; -1 with err (campo "--analista", regla
 * "anonimo") when none is found and the configuration requires one. */
int analista_nombre(const pmm_conf *conf, const char *opcion, char *out, size_t cap,
                    pmm_error *err);

/* After a decision on fichas of year ejercicio (0: the year of ficha_id):
 * when the year has a close, says on stderr that the published edition
 * (--desde-cierre) does not change unless a new close is made. cmd is the
 * command's name for the message. Silent when nothing can be read. */
void analista_aviso_cierre(PGconn *db, const char *cmd, int ejercicio, long long ficha_id,
                           const char *zona);

#endif
