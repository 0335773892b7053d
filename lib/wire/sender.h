/* sender.h -- pipelined submission of fichas with Lazy Pirate retries.
 *
 * Keeps up to `window` fichas in flight on one DEALER socket. When no reply
 * arrives for `timeout_ms`, it closes the socket, opens a new one and sends
 * every outstanding ficha again: resending the same clave is safe because
 * ingestd answers a repeat with the original receipt. An ERR_BUSY reply
 * (the collector could not commit) is resent after a pause. After
 * `max_attempts` silent rounds the outstanding fichas are reported with
 * estado DESCONOCIDO: their fate is unknown to the client.
 *
 * With several endpoints a ficha unanswered for `timeout_ms` is also
 * resent on its own, while the others keep answering: see opts.endpoint.
 *
 * Fichas come from a pull callback and results go to a push callback, so
 * memory stays proportional to the window, not to the input.
 */
#ifndef PMM_SENDER_H
#define PMM_SENDER_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "pmm.pb-c.h"

typedef struct {
    /* one collector, or several separated by commas: the DEALER connects
     * to all of them, ZeroMQ deals the fichas round-robin among those that
     * are up, and a ficha sent to one that dies is resent after timeout_ms
     * to the others (tcp:// ones share one server key) */
    const char *endpoint;
    int window;          /* fichas in flight (default 256) */
    int timeout_ms;      /* silence before a resend round (default 5000) */
    int max_attempts;    /* resend rounds before giving up (default 5) */
    void *zctx;          /* ZeroMQ context to use; NULL: sender makes one */
    const struct zap_client_s *curve;   /* CURVE keys for tcp://, or NULL */
} sender_opts;

typedef struct {
    uint64_t seq;        /* order of the ficha in the input (0-based) */
    Pmm__Estado estado;  /* ACEPTADA, REPETIDA, RECHAZADA or DESCONOCIDO */
    int64_t id;
    int64_t version;
    int64_t server_time_us;
    pmm_error err;       /* RECHAZADA / DESCONOCIDO: why */
} sender_result;

/* Returns 1 with *ficha set (ownership passes to the sender), 0 at the end,
 * -1 to abort. Sequence numbers are the source's and need not be
 * consecutive: an input the source refuses itself (one that fails
 * validation, say) gets a number the sender never sees, and the source
 * records that outcome on its own (cli/cmd_enviar.c does). */
typedef int (*sender_pull_fn)(void *user, Pmm__Ficha **ficha, uint64_t *seq);
typedef void (*sender_push_fn)(void *user, const sender_result *result);

/* Runs until the source is exhausted and every ficha has a result.
 * Returns 0, or -1 when the socket could not be set up (err). */
int sender_run(const sender_opts *opts, sender_pull_fn pull, sender_push_fn push,
               void *user, pmm_error *err);

/* One request, one reply (PING and the like), with a timeout.
 * Returns the reply (free with pmm__envelope__free_unpacked) or NULL. */
Pmm__Envelope *sender_call(void *zctx, const char *endpoint,
                           const struct zap_client_s *curve,
                           const Pmm__Envelope *req, int timeout_ms,
                           pmm_error *err);

#endif
