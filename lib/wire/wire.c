#include "wire.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#define ERR_MALFORMED PMM__ERROR_CODE__ERR_MALFORMED

int64_t wire_now_us(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

static int set_int(void *sock, int opt, int value)
{
    return zmq_setsockopt(sock, opt, &value, sizeof value);
}

void *wire_socket_new(void *ctx, int type, pmm_error *err)
{
    void *sock = zmq_socket(ctx, type);
    if (!sock) {
        pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "zeromq",
                      "no se pudo crear el socket: %s", zmq_strerror(errno));
        return NULL;
    }
    int64_t maxmsg = WIRE_MAX_MSG;
    int rc = zmq_setsockopt(sock, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg);
    rc |= set_int(sock, ZMQ_SNDHWM, WIRE_HWM);
    rc |= set_int(sock, ZMQ_RCVHWM, WIRE_HWM);
    rc |= set_int(sock, ZMQ_LINGER, WIRE_LINGER_MS);
    /* ZMTP heartbeats detect dead peers on otherwise idle connections. */
    rc |= set_int(sock, ZMQ_HEARTBEAT_IVL, 5000);
    rc |= set_int(sock, ZMQ_HEARTBEAT_TIMEOUT, 15000);
    if (type == ZMQ_ROUTER)
        rc |= set_int(sock, ZMQ_ROUTER_MANDATORY, 1);
    if (type == ZMQ_DEALER || type == ZMQ_PUSH || type == ZMQ_PULL)
        rc |= set_int(sock, ZMQ_RECONNECT_IVL_MAX, 5000);
    if (rc != 0) {
        pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "zeromq",
                      "no se pudieron fijar los límites del socket: %s",
                      zmq_strerror(errno));
        zmq_close(sock);
        return NULL;
    }
    return sock;
}

void wire_envelope_init(Pmm__Envelope *env, Pmm__MsgType type,
                        const uint8_t *request_id, size_t request_id_len)
{
    pmm__envelope__init(env);
    env->has_version = 1;
    env->version = PMM__PROTOCOL_VERSION__PROTOCOL_VERSION_CURRENT;
    env->has_type = 1;
    env->type = type;
    if (request_id) {
        env->has_request_id = 1;
        env->request_id.data = (uint8_t *)request_id;
        env->request_id.len = request_id_len;
    }
}

int wire_send(void *sock, const wire_identity *to, const Pmm__Envelope *env,
              pmm_error *err)
{
    size_t n = pmm__envelope__get_packed_size(env);
    if (n > WIRE_MAX_MSG)
        return pmm_error_set(err, ERR_MALFORMED, "", "max_tamano",
                             "el mensaje ocupa %zu bytes; el máximo es %d", n,
                             WIRE_MAX_MSG);
    zmq_msg_t msg;
    if (zmq_msg_init_size(&msg, n) != 0)
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "memoria",
                             "sin memoria");
    pmm__envelope__pack(env, zmq_msg_data(&msg));
    int flags = to ? ZMQ_DONTWAIT : 0;
    if (to && zmq_send(sock, to->data, to->len, ZMQ_SNDMORE | flags) < 0) {
        int e = errno;
        zmq_msg_close(&msg);
        errno = e;
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "zeromq",
                             "envío fallido: %s", zmq_strerror(e));
    }
    if (zmq_msg_send(&msg, sock, flags) < 0) {
        int e = errno;
        zmq_msg_close(&msg);
        errno = e;
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "zeromq",
                             "envío fallido: %s", zmq_strerror(e));
    }
    return 0;
}

/* Which oneof body a message type must carry. */
static Pmm__Envelope__BodyCase body_for(Pmm__MsgType t)
{
    switch (t) {
    case PMM__MSG_TYPE__MSG_SUBMIT: return PMM__ENVELOPE__BODY_SUBMIT;
    case PMM__MSG_TYPE__MSG_RECEIPT: return PMM__ENVELOPE__BODY_RECEIPT;
    case PMM__MSG_TYPE__MSG_ERROR: return PMM__ENVELOPE__BODY_ERROR;
    case PMM__MSG_TYPE__MSG_PING: return PMM__ENVELOPE__BODY_PING;
    case PMM__MSG_TYPE__MSG_PONG: return PMM__ENVELOPE__BODY_PONG;
    case PMM__MSG_TYPE__MSG_WORK: return PMM__ENVELOPE__BODY_WORK;
    case PMM__MSG_TYPE__MSG_CLASSIFIED: return PMM__ENVELOPE__BODY_CLASSIFIED;
    case PMM__MSG_TYPE__MSG_CONTROL: return PMM__ENVELOPE__BODY_CONTROL;
    case PMM__MSG_TYPE__MSG_CONTROL_REPLY: return PMM__ENVELOPE__BODY_CONTROL_REPLY;
    case PMM__MSG_TYPE__MSG_DELIVER: return PMM__ENVELOPE__BODY_DELIVER;
    case PMM__MSG_TYPE__MSG_DELIVER_REPLY: return PMM__ENVELOPE__BODY_DELIVER_REPLY;
    case PMM__MSG_TYPE__MSG_QUERY: return PMM__ENVELOPE__BODY_QUERY;
    case PMM__MSG_TYPE__MSG_QUERY_REPLY: return PMM__ENVELOPE__BODY_QUERY_REPLY;
    default: return PMM__ENVELOPE__BODY__NOT_SET;
    }
}

static void drain_more(void *sock)
{
    int more = 1;
    size_t sz = sizeof more;
    while (zmq_getsockopt(sock, ZMQ_RCVMORE, &more, &sz) == 0 && more) {
        zmq_msg_t junk;
        zmq_msg_init(&junk);
        zmq_msg_recv(&junk, sock, 0);
        zmq_msg_close(&junk);
    }
}

Pmm__Envelope *wire_recv(void *sock, wire_identity *from, int flags,
                         pmm_error *err)
{
    if (from) {
        from->fd = -1;
        from->request_id_len = 0;
        zmq_msg_t id;
        zmq_msg_init(&id);
        if (zmq_msg_recv(&id, sock, flags) < 0) {
            int e = errno;
            zmq_msg_close(&id);
            errno = e;
            pmm_error_set(err, 0, "", "zeromq", "%s", zmq_strerror(e));
            return NULL;
        }
        from->len = zmq_msg_size(&id) <= WIRE_ID_MAX ? zmq_msg_size(&id) : 0;
        memcpy(from->data, zmq_msg_data(&id), from->len);
        zmq_msg_close(&id);
        flags = 0;   /* the rest of a message is already here */
    }
    zmq_msg_t msg;
    zmq_msg_init(&msg);
    if (zmq_msg_recv(&msg, sock, flags) < 0) {
        int e = errno;
        zmq_msg_close(&msg);
        errno = e;
        pmm_error_set(err, 0, "", "zeromq", "%s", zmq_strerror(e));
        return NULL;
    }
    if (from) {
        /* who the ZAP handler said this connection is */
        const char *user = zmq_msg_gets(&msg, "User-Id");
        snprintf(from->user, sizeof from->user, "%s", user ? user : "");
        from->fd = zmq_msg_get(&msg, ZMQ_SRCFD);
    }
    int more = 0;
    size_t sz = sizeof more;
    zmq_getsockopt(sock, ZMQ_RCVMORE, &more, &sz);
    if (more) {
        drain_more(sock);
        zmq_msg_close(&msg);
        pmm_error_set(err, ERR_MALFORMED, "", "trama",
                      "se esperaba una sola trama con el sobre protobuf");
        return NULL;
    }
    Pmm__Envelope *env = wire_decode(zmq_msg_data(&msg), zmq_msg_size(&msg),
                                     err);
    if (!env && from)
        from->request_id_len = wire_peek_request_id(zmq_msg_data(&msg), zmq_msg_size(&msg),
                                                     from->request_id,
                                                     sizeof from->request_id);
    zmq_msg_close(&msg);
    return env;
}

/* A protobuf varint at *p (< end); advances *p. -1 when malformed. */
static int read_varint(const uint8_t **p, const uint8_t *end, uint64_t *out)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (*p >= end)
            return -1;
        uint8_t b = *(*p)++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *out = v;
            return 0;
        }
    }
    return -1;
}

/* Hand-written because protobuf-c has no partial decoding: when a frame
 * fails to unpack as a whole, its request id may still be readable, and a
 * pipelining client needs it to tell which of its requests failed. Only
 * the top level is walked, with every length bounds-checked. */
size_t wire_peek_request_id(const uint8_t *buf, size_t len, uint8_t *out, size_t cap)
{
    const uint8_t *p = buf, *end = buf + len;
    while (p < end) {
        uint64_t key, n;
        if (read_varint(&p, end, &key) != 0)
            return 0;
        switch (key & 7) {
        case 0:
            if (read_varint(&p, end, &n) != 0)
                return 0;
            break;
        case 1:
            if (end - p < 8)
                return 0;
            p += 8;
            break;
        case 5:
            if (end - p < 4)
                return 0;
            p += 4;
            break;
        case 2:
            if (read_varint(&p, end, &n) != 0 || n > (uint64_t)(end - p))
                return 0;
            if ((key >> 3) == 3)
                return n <= cap ? (memcpy(out, p, n), (size_t)n) : 0;
            p += n;
            break;
        default:
            return 0;   /* groups or invalid wire types: stop */
        }
    }
    return 0;
}

int wire_send_refusal(void *sock, const wire_identity *to, const pmm_error *what,
                      pmm_error *err)
{
    return wire_send_error(sock, to, to && to->request_id_len ? to->request_id : NULL,
                           to ? to->request_id_len : 0, what, err);
}

Pmm__Envelope *wire_decode(const uint8_t *buf, size_t len, pmm_error *err)
{
    if (len > WIRE_MAX_MSG) {
        pmm_error_set(err, ERR_MALFORMED, "", "max_tamano",
                      "el mensaje ocupa %zu bytes; el máximo es %d", len,
                      WIRE_MAX_MSG);
        return NULL;
    }
    Pmm__Envelope *env = pmm__envelope__unpack(NULL, len, buf);
    if (!env) {
        pmm_error_set(err, ERR_MALFORMED, "", "protobuf",
                      "la trama no es un sobre protobuf válido");
        return NULL;
    }
    if (!env->has_version ||
        env->version != PMM__PROTOCOL_VERSION__PROTOCOL_VERSION_CURRENT) {
        pmm_error_set(err, PMM__ERROR_CODE__ERR_VERSION, "version", "version",
                      "versión de protocolo %u no admitida (se admite la %d)",
                      env->has_version ? env->version : 0,
                      PMM__PROTOCOL_VERSION__PROTOCOL_VERSION_CURRENT);
        pmm__envelope__free_unpacked(env, NULL);
        return NULL;
    }
    if (!env->has_type || body_for(env->type) == PMM__ENVELOPE__BODY__NOT_SET ||
        body_for(env->type) != env->body_case) {
        pmm_error_set(err, PMM__ERROR_CODE__ERR_TYPE, "type", "tipo_mensaje",
                      "tipo de mensaje desconocido o sin el cuerpo que le "
                      "corresponde");
        pmm__envelope__free_unpacked(env, NULL);
        return NULL;
    }
    if (env->has_request_id && env->request_id.len > WIRE_REQUEST_ID_MAX) {
        /* it would be echoed in the reply, which could then exceed
         * WIRE_MAX_MSG and never be sent */
        pmm_error_set(err, ERR_MALFORMED, "request_id", "max_tamano",
                      "request_id ocupa %zu bytes; el máximo es %d",
                      env->request_id.len, WIRE_REQUEST_ID_MAX);
        pmm__envelope__free_unpacked(env, NULL);
        return NULL;
    }
    return env;
}

int wire_send_error(void *sock, const wire_identity *to,
                    const uint8_t *request_id, size_t request_id_len,
                    const pmm_error *what, pmm_error *err)
{
    Pmm__Envelope env;
    Pmm__Error e;
    wire_envelope_init(&env, PMM__MSG_TYPE__MSG_ERROR, request_id,
                       request_id_len);
    pmm__error__init(&e);
    e.has_code = 1;
    e.code = what->code ? (Pmm__ErrorCode)what->code
                        : PMM__ERROR_CODE__ERR_INTERNAL;
    e.has_campo = 1;
    e.campo.data = (uint8_t *)what->campo;
    e.campo.len = strlen(what->campo);
    e.has_regla = 1;
    e.regla.data = (uint8_t *)what->regla;
    e.regla.len = strlen(what->regla);
    e.has_mensaje = 1;
    e.mensaje.data = (uint8_t *)what->mensaje;
    e.mensaje.len = strlen(what->mensaje);
    env.body_case = PMM__ENVELOPE__BODY_ERROR;
    env.error = &e;
    return wire_send(sock, to, &env, err);
}

int wire_send_hint(void *sock, Pmm__MsgType type)
{
    Pmm__Envelope env;
    Pmm__Work w;
    Pmm__Classified c;
    wire_envelope_init(&env, type, NULL, 0);
    if (type == PMM__MSG_TYPE__MSG_WORK) {
        pmm__work__init(&w);
        env.body_case = PMM__ENVELOPE__BODY_WORK;
        env.work = &w;
    } else {
        pmm__classified__init(&c);
        env.body_case = PMM__ENVELOPE__BODY_CLASSIFIED;
        env.classified = &c;
    }
    size_t len = pmm__envelope__get_packed_size(&env);
    zmq_msg_t msg;
    if (zmq_msg_init_size(&msg, len) != 0)
        return -1;
    pmm__envelope__pack(&env, zmq_msg_data(&msg));
    if (zmq_msg_send(&msg, sock, ZMQ_DONTWAIT) < 0) {
        zmq_msg_close(&msg);
        return -1;
    }
    return 0;
}

void wire_drain_hints(void *sock)
{
    for (;;) {
        zmq_msg_t m;
        zmq_msg_init(&m);
        int got = zmq_msg_recv(&m, sock, ZMQ_DONTWAIT);
        zmq_msg_close(&m);
        if (got < 0)
            return;
    }
}
