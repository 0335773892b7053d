/* wire.h -- protobuf envelopes over ZeroMQ.
 *
 * Framing: a DEALER peer sends one frame, the packed Envelope; a ROUTER sees
 * [identity][envelope] and replies the same way. Every socket gets explicit
 * limits from wire_socket_new(): libzmq's defaults are unlimited message
 * size, infinite linger and silent drops on a ROUTER.
 */
#ifndef PMM_WIRE_H
#define PMM_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <zmq.h>

#include "error.h"
#include "pmm.pb-c.h"

#define WIRE_MAX_MSG (64 * 1024)   /* ZMQ_MAXMSGSIZE on every socket */
#define WIRE_HWM 10000             /* send/receive high-water marks */
#define WIRE_LINGER_MS 1000
#define WIRE_ID_MAX 255            /* ZeroMQ routing ids are at most 255 bytes */
#define WIRE_REQUEST_ID_MAX 64     /* request ids are echoed: keep them small */

typedef struct {
    uint8_t data[WIRE_ID_MAX];
    size_t len;
    char user[128];   /* ZAP user id of the connection; "" without CURVE */
    int fd;           /* the connection's descriptor (ZMQ_SRCFD), -1 unknown */
    /* the request id of a frame wire_recv refused, when the frame could be
     * read that far (so the error reply can echo it); len 0 otherwise */
    uint8_t request_id[WIRE_REQUEST_ID_MAX];
    size_t request_id_len;
} wire_identity;

/* A socket of `type` with the project's limits set. NULL on failure. */
void *wire_socket_new(void *ctx, int type, pmm_error *err);

/* Packs env and sends it; on a ROUTER `to` names the peer (else NULL).
 * A reply to a peer (`to` set) never blocks: a peer that does not read its
 * replies must not stall a daemon, so when its queue is full the reply is
 * dropped (errno EAGAIN) and the peer, after its timeout, asks again.
 * Returns 0, or -1 with err (errno EHOSTUNREACH: the peer is gone). */
int wire_send(void *sock, const wire_identity *to, const Pmm__Envelope *env,
              pmm_error *err);

/* Receives one envelope (non-blocking when flags has ZMQ_DONTWAIT). On a
 * ROUTER `from` receives the sender's identity. Returns the unpacked
 * envelope (free with pmm__envelope__free_unpacked) or NULL with err:
 * code 0 and errno EAGAIN when nothing is waiting, ERR_MALFORMED /
 * ERR_VERSION / ERR_TYPE when the frame is not a valid envelope (the
 * caller should answer with wire_send_refusal and carry on). */
Pmm__Envelope *wire_recv(void *sock, wire_identity *from, int flags,
                         pmm_error *err);

/* The checks wire_recv applies to one received frame, without a socket:
 * unpacks buf[0..len) and checks size, protocol version, that the type
 * carries its body and the request_id length. Returns the envelope (free with
 * pmm__envelope__free_unpacked) or NULL with err (ERR_MALFORMED,
 * ERR_VERSION or ERR_TYPE). Body contents are not validated here: a
 * SUBMIT's ficha still goes through ficha_validate. */
Pmm__Envelope *wire_decode(const uint8_t *buf, size_t len, pmm_error *err);

/* Answers a frame wire_recv refused (err), echoing its request id when
 * the frame could be read that far. */
int wire_send_refusal(void *sock, const wire_identity *to, const pmm_error *what,
                      pmm_error *err);

/* The request id of a frame that may not decode as a whole: the top-level
 * field 3 (Envelope.request_id) when the bytes before it are well formed
 * protobuf. Returns its length (0 when not found or longer than cap). */
size_t wire_peek_request_id(const uint8_t *buf, size_t len, uint8_t *out, size_t cap);

/* Fills an envelope header. */
void wire_envelope_init(Pmm__Envelope *env, Pmm__MsgType type,
                        const uint8_t *request_id, size_t request_id_len);

/* Sends an ERROR envelope built from err, echoing request_id. */
int wire_send_error(void *sock, const wire_identity *to,
                    const uint8_t *request_id, size_t request_id_len,
                    const pmm_error *what, pmm_error *err);

/* Sends a wake-up hint (MSG_WORK or MSG_CLASSIFIED) without blocking. A
 * hint says only "look at the queue" and carries nothing else (a few
 * bytes); it may be dropped: the durable work is always in PostgreSQL.
 * Returns 0 when queued, -1 otherwise. */
int wire_send_hint(void *sock, Pmm__MsgType type);

/* Reads and drops every message waiting on sock (wake-up hints, whose
 * only meaning is "look at the queue"). */
void wire_drain_hints(void *sock);

/* Microseconds since the epoch (UTC). */
int64_t wire_now_us(void);

#endif
