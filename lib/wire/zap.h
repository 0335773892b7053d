/* zap.h -- the ZeroMQ authentication handler (ZAP, RFC 27) of a daemon.
 *
 * A CURVE server socket proves that a client holds the secret key of the
 * public key it presents, but libzmq accepts ANY key unless a ZAP handler
 * says otherwise. This handler answers libzmq's requests on
 * inproc://zeromq.zap.01 from the daemon's own main loop: it looks the
 * client's public key up in the `claves` table (not revoked, on every new
 * connection, so a revocation takes effect at once) and answers 200 with a
 * user id "<rol>|<emisor>|<id>", or 400. Anything unexpected, including a
 * database failure, is a refusal.
 */
#ifndef PMM_ZAP_H
#define PMM_ZAP_H

#include <libpq-fe.h>

#include "cert.h"
#include "error.h"

#define ZAP_DOMAIN "pmm"

typedef struct zap_handler zap_handler;

/* Binds the handler in ctx. Must be done before any CURVE server binds. */
zap_handler *zap_handler_new(void *ctx, pmm_error *err);
void zap_handler_destroy(zap_handler **self_p);
/* The REP socket to poll for ZMQ_POLLIN. */
void *zap_handler_socket(zap_handler *self);
/* Answers every waiting request; db may be NULL (then all are refused). */
void zap_handler_serve(zap_handler *self, PGconn *db);

/* Makes sock a CURVE server with cert, in the ZAP domain, refusing
 * connections when no handler answers (where libzmq supports it). */
int zap_curve_server(void *sock, const pmm_cert *cert, pmm_error *err);
/* Makes sock a CURVE client of the server whose public key is given. */
int zap_curve_client(void *sock, const pmm_cert *client, const char *server_public,
                     pmm_error *err);

/* What a client needs to reach a CURVE endpoint. */
typedef struct zap_client_s {
    int enabled;
    pmm_cert client;
    char server_public[CERT_KEY_Z85];
} zap_client;

/* Loads the client's certificate from [client_section] clave and the
 * server's public key from [server_section] clave_servidor (a certificate
 * file or the Z85 key itself). Needed only for tcp:// endpoints: for any
 * other endpoint `out` stays disabled and nothing is read. `endpoint` may
 * be a comma-separated list (several collectors): CURVE is loaded when any
 * of them is tcp://, and every server of the list must then hold the same
 * key pair (one service key, copied to each collector host). */
struct pmm_conf;
int zap_client_from_conf(const struct pmm_conf *conf, const char *endpoint,
                         const char *server_section, const char *client_section,
                         zap_client *out, pmm_error *err);
/* Applies it to a socket before connect (no-op when disabled). */
int zap_client_apply(void *sock, const zap_client *c, pmm_error *err);

/* Parsed ZAP user id. */
typedef struct {
    char rol[16];       /* remitente, analista, admin, servicio; "local" on ipc */
    char emisor[80];    /* D:SIGLA or E:NN for a remitente, else "" */
    long long clave_id; /* row of `claves`, 0 for local */
} zap_identity;

/* From the "User-Id" of a message; "" (no ZAP: a local ipc socket) gives
 * rol "local". */
void zap_identity_parse(const char *user_id, zap_identity *out);

#endif
