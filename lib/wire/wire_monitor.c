#include "wire_monitor.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <zmq.h>

#include "log.h"
#include "log_limite.h"
#include "pmm.pb-c.h"
#include "wire.h"

#define MAX_TRACKED_FD 65536

typedef struct {
    char addr[64];     /* "ip:port", "" when unknown */
    long frames;       /* valid frames seen on this connection */
    int open;
} conn_info;

/* why the last handshake failed, waiting for its disconnection */
typedef enum { FAIL_NONE, FAIL_MECHANISM, FAIL_PROTOCOL, FAIL_NO_DETAIL, FAIL_AUTH } fail_kind;

struct wire_monitor {
    void *pair;
    char name[32];
    conn_info *conns;
    size_t nconns;
    fail_kind pending;
    uint32_t pending_value;
    log_limite refused, dropped, closed;
};

wire_monitor *wire_monitor_new(void *ctx, void *sock, const char *name, pmm_error *err)
{
    wire_monitor *self = calloc(1, sizeof *self);
    if (!self) {
        pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "memoria", "sin memoria");
        return NULL;
    }
    snprintf(self->name, sizeof self->name, "%s", name);
    log_limite_init(&self->refused, 20);
    log_limite_init(&self->dropped, 20);
    log_limite_init(&self->closed, 30);
    char inproc[64];
    /* unique per socket within the context */
    snprintf(inproc, sizeof inproc, "inproc://pmm-monitor-%p", sock);
    int events = ZMQ_EVENT_ACCEPTED | ZMQ_EVENT_DISCONNECTED |
                 ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL |
                 ZMQ_EVENT_HANDSHAKE_FAILED_AUTH;
    if (zmq_socket_monitor(sock, inproc, events) != 0 ||
        !(self->pair = zmq_socket(ctx, ZMQ_PAIR)) || zmq_connect(self->pair, inproc) != 0) {
        pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "zeromq",
                      "no se pudo vigilar el socket %s: %s", name, zmq_strerror(errno));
        wire_monitor_destroy(&self);
        return NULL;
    }
    int linger = 0;
    zmq_setsockopt(self->pair, ZMQ_LINGER, &linger, sizeof linger);
    return self;
}

void wire_monitor_destroy(wire_monitor **self_p)
{
    if (!self_p || !*self_p)
        return;
    if ((*self_p)->pair)
        zmq_close((*self_p)->pair);
    free((*self_p)->conns);
    free(*self_p);
    *self_p = NULL;
}

void *wire_monitor_socket(wire_monitor *self)
{
    return self->pair;
}

static conn_info *conn(wire_monitor *self, int fd)
{
    if (fd < 0 || fd >= MAX_TRACKED_FD)
        return NULL;
    if ((size_t)fd >= self->nconns) {
        size_t n = self->nconns ? self->nconns : 64;
        while (n <= (size_t)fd)
            n *= 2;
        conn_info *c = realloc(self->conns, n * sizeof *c);
        if (!c)
            return NULL;
        memset(c + self->nconns, 0, (n - self->nconns) * sizeof *c);
        self->conns = c;
        self->nconns = n;
    }
    return &self->conns[fd];
}

void wire_monitor_frame(wire_monitor *self, int fd)
{
    conn_info *c = self ? conn(self, fd) : NULL;
    if (c)
        c->frames++;
}

static void peer_address(int fd, char *out, size_t cap)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    out[0] = '\0';
    if (getpeername(fd, (struct sockaddr *)&ss, &len) != 0)
        return;
    char ip[INET6_ADDRSTRLEN] = "";
    int port = 0;
    if (ss.ss_family == AF_INET) {
        const struct sockaddr_in *a = (const struct sockaddr_in *)&ss;
        inet_ntop(AF_INET, &a->sin_addr, ip, sizeof ip);
        port = ntohs(a->sin_port);
        snprintf(out, cap, "%s:%d", ip, port);
    } else if (ss.ss_family == AF_INET6) {
        const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)&ss;
        inet_ntop(AF_INET6, &a->sin6_addr, ip, sizeof ip);
        port = ntohs(a->sin6_port);
        snprintf(out, cap, "[%s]:%d", ip, port);
    }
}

static void say(wire_monitor *self, log_limite *lim, log_level level, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void say(wire_monitor *self, log_limite *lim, log_level level, const char *fmt, ...)
{
    long held;
    if (!log_limite_take(lim, time(NULL), &held))
        return;
    char line[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (held)
        log_msg(level, "%s: %s (y %ld más como esta en el último minuto, no escritas)",
                self->name, line, held);
    else
        log_msg(level, "%s: %s", self->name, line);
}

static const char *addr_or_unknown(const conn_info *c)
{
    return c && c->addr[0] ? c->addr : "dirección desconocida";
}

static void on_disconnected(wire_monitor *self, int fd)
{
    conn_info *c = conn(self, fd);
    const char *addr = addr_or_unknown(c);
    fail_kind why = self->pending;
    self->pending = FAIL_NONE;
    switch (why) {
    case FAIL_MECHANISM:
        say(self, &self->refused, LOG_WARN,
            "conexión rechazada desde %s: el cliente no usa CURVE (mecanismo distinto; "
            "este punto exige una clave de pmm claves emitir)", addr);
        break;
    case FAIL_PROTOCOL:
        say(self, &self->refused, LOG_WARN,
            "conexión rechazada desde %s: error de protocolo en el saludo ZMTP (código 0x%x)",
            addr, (unsigned)self->pending_value);
        break;
    case FAIL_NO_DETAIL:
        /* a plaintext client often notices the mismatch first and hangs
         * up, which this side sees as a broken greeting */
        say(self, &self->refused, LOG_WARN,
            "conexión rechazada desde %s: el saludo ZMTP no terminó (el cliente colgó: "
            "¿un cliente sin CURVE, o de otra versión de ZeroMQ?)", addr);
        break;
    case FAIL_AUTH:
        break;   /* the ZAP handler logged it, with the key */
    case FAIL_NONE:
        if (c && c->open && c->frames == 0)
            say(self, &self->dropped, LOG_WARN,
                "conexión cerrada desde %s sin ninguna trama válida: una trama mayor que "
                "el límite de %d bytes o no válida, o el cliente se fue sin enviar nada",
                addr, WIRE_MAX_MSG);
        else if (c && c->open)
            say(self, &self->closed, LOG_INFO,
                "conexión cerrada desde %s tras %ld tramas válidas (la cerró el cliente, "
                "o llegó una trama mayor que %d bytes o no válida)",
                addr, c->frames, WIRE_MAX_MSG);
        break;
    }
    if (c)
        memset(c, 0, sizeof *c);
}

void wire_monitor_serve(wire_monitor *self)
{
    for (;;) {
        zmq_msg_t ev, addr;
        zmq_msg_init(&ev);
        if (zmq_msg_recv(&ev, self->pair, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&ev);
            return;
        }
        zmq_msg_init(&addr);
        if (zmq_msg_more(&ev))
            zmq_msg_recv(&addr, self->pair, 0);
        if (zmq_msg_size(&ev) >= 6) {
            uint16_t event;
            uint32_t value;
            memcpy(&event, zmq_msg_data(&ev), 2);
            memcpy(&value, (const uint8_t *)zmq_msg_data(&ev) + 2, 4);
            conn_info *c;
            switch (event) {
            case ZMQ_EVENT_ACCEPTED:
                if ((c = conn(self, (int)value))) {
                    /* frames may have been counted before this event was
                     * read: they belong to this connection */
                    long frames = c->frames;
                    memset(c, 0, sizeof *c);
                    c->frames = frames;
                    c->open = 1;
                    peer_address((int)value, c->addr, sizeof c->addr);
                }
                break;
            case ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL:
                self->pending = value == ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH
                                    ? FAIL_MECHANISM : FAIL_PROTOCOL;
                self->pending_value = value;
                break;
            case ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL:
                self->pending = FAIL_NO_DETAIL;
                self->pending_value = value;
                break;
            case ZMQ_EVENT_HANDSHAKE_FAILED_AUTH:
                self->pending = FAIL_AUTH;
                break;
            case ZMQ_EVENT_DISCONNECTED:
                on_disconnected(self, (int)value);
                break;
            default:
                break;
            }
        }
        zmq_msg_close(&ev);
        zmq_msg_close(&addr);
    }
}
