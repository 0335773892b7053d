/* ficha_doc.h -- one ficha whole (`pmm ficha`): every version with the
 * fields that changed between consecutive versions, the current
 * classification (confidence, evidence), what the ficha counts as now,
 * analyst decisions, review state (v_estado_revision: the hook for issue
 * 18's review tables), programme links and programa_id, duplicate
 * candidates with their decisions, and the audit trail. Built as one JSON
 * document by one query over the read-only connection. Contact data only
 * through ficha_contacto, on the administration connection, which leaves
 * an audit row in the same transaction. */
#ifndef PMM_CLI_FICHA_DOC_H
#define PMM_CLI_FICHA_DOC_H

#include <jansson.h>
#include <libpq-fe.h>

#include "error.h"

/* The document of the ficha `ref` (an id of any of its versions, or a
 * clave naming one ficha), times in time zone `zona`. NULL with err (regla
 * "no_existe" or "ambigua" when ref names no ficha or several). */
json_t *ficha_doc(PGconn *db, const char *ref, const char *zona, pmm_error *err);

/* Adds "contacto" (of version `id`) to doc, recording the read in
 * auditoria as `analista`. Returns 0 or -1 with err. */
int ficha_contacto(PGconn *admin, long long id, const char *analista, json_t *doc,
                   pmm_error *err);

#endif
