/* red_seguimiento.h -- what pmm entregar and pmm observaciones share (both
 * in pmm-red): one request to the collector and its answer, and times for
 * people.
 *
 * Both talk to ingestd at [ingestd] endpoint (the first of a list) or
 * --servidor: over ipc:// as the unit's own host (identity "local"), or
 * over tcp:// with the CURVE key of [cliente] clave (pmm --clave), whose
 * role and body ingestd checks (lib/wire/zap.h).
 */
#ifndef PMM_CLI_RED_SEGUIMIENTO_H
#define PMM_CLI_RED_SEGUIMIENTO_H

#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "error.h"
#include "pmm.pb-c.h"

/* Sends req to the collector and returns its reply (free with
 * pmm__envelope__free_unpacked) of type `want`, or NULL with err: the
 * collector's refusal (its code, campo, regla and Spanish message: ERR_DENIED,
 * ERR_INVALID...), or no answer (ERR_BUSY, regla sin_respuesta). A reply
 * ERR_BUSY (the collector could not reach its database) is retried up to
 * [cliente] intentos times. servidor: --servidor, or NULL for [ingestd]
 * endpoint. */
Pmm__Envelope *red_pedir(const pmm_conf *conf, const char *servidor, const Pmm__Envelope *req,
                         Pmm__MsgType want, pmm_error *err);

/* µs since the epoch as "DD/MM/AAAA HH:MM" in the unit's zone
 * (conf_zona_horaria). */
const char *red_hora(const pmm_conf *conf, int64_t us, char *buf, size_t cap);

/* A bytes field of a reply as text (its length bounded). */
#define RED_TXT(b) (int)(b).len, (const char *)(b).data

#endif
