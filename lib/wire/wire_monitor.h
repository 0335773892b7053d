/* wire_monitor.h -- a log line for every connection a CURVE endpoint
 * refuses or drops.
 *
 * libzmq refuses a plaintext client on a CURVE socket, and drops a peer
 * whose frame exceeds ZMQ_MAXMSGSIZE, without telling the application;
 * only its socket monitor sees them. A wire_monitor watches one socket
 * (zmq_socket_monitor over inproc) and logs, rate-limited (log_limite.h),
 * with the peer's address:
 *   - a handshake refused for its mechanism ("el cliente no usa CURVE") or
 *     another protocol error;
 *   - a handshake that never finished;
 *   - a connection closed: at warning level when it never carried a valid
 *     frame (an oversized or invalid first frame, or a peer that left
 *     without sending anything), at info level otherwise, with the number
 *     of valid frames -- libzmq reports an oversized frame after valid ones
 *     only as a disconnection, so the line says both possible causes.
 * Refusals by key (unknown, revoked, expired) are logged by the ZAP handler,
 * which knows the key; the monitor does not repeat them.
 */
#ifndef PMM_WIRE_MONITOR_H
#define PMM_WIRE_MONITOR_H

#include "error.h"

typedef struct wire_monitor wire_monitor;

/* Starts monitoring sock (before it binds), naming it `name` in the log. */
wire_monitor *wire_monitor_new(void *ctx, void *sock, const char *name, pmm_error *err);
void wire_monitor_destroy(wire_monitor **self_p);
/* The socket to poll for ZMQ_POLLIN. */
void *wire_monitor_socket(wire_monitor *self);
/* Reads and logs every waiting event. */
void wire_monitor_serve(wire_monitor *self);
/* A valid frame arrived from the connection on file descriptor fd
 * (wire_identity.fd); fd < 0 is ignored. */
void wire_monitor_frame(wire_monitor *self, int fd);

#endif
