#include "sender.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sender_reply.h"
#include "wire.h"
#include "zap.h"

#define MAX_ENDPOINTS 32

typedef struct {
    const sender_opts *opts;
    void *zctx;
    void *sock;
    sender_table t;                  /* the fichas in flight (sender_reply.c) */
    char *eplist;                    /* copy of opts->endpoint, split in place */
    const char *eps[MAX_ENDPOINTS];
    int neps;
} sender;

/* opts->endpoint is one endpoint or a list separated by commas or spaces. */
static int split_endpoints(sender *self, pmm_error *err)
{
    self->eplist = strdup(self->opts->endpoint ? self->opts->endpoint : "");
    if (!self->eplist)
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "memoria",
                             "sin memoria");
    char *save = NULL;
    for (char *ep = strtok_r(self->eplist, ", \t", &save); ep;
         ep = strtok_r(NULL, ", \t", &save)) {
        if (self->neps == MAX_ENDPOINTS)
            return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "endpoint",
                                 "demasiados", "se admiten como máximo %d colectores",
                                 MAX_ENDPOINTS);
        self->eps[self->neps++] = ep;
    }
    if (self->neps == 0)
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "endpoint", "requerido",
                             "no se indicó ningún colector");
    return 0;
}

static int connect_one(sender *self, const char *ep, pmm_error *err)
{
    if (zmq_connect(self->sock, ep) != 0)
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "zeromq",
                             "no se pudo conectar con %s: %s", ep, pmm_strerror(errno));
    return 0;
}

/* One DEALER connected to every collector. With several, ZeroMQ deals the
 * requests round-robin among the connections that are up: ZMQ_IMMEDIATE
 * keeps a collector that is down (or not yet reached) from being given a
 * share, and short heartbeats drop a connection whose collector died
 * without closing it. Requests lost with a collector are resent by the
 * per-request timer (see sender_run), so the others take over. */
static int open_socket(sender *self, pmm_error *err)
{
    if (self->sock) {
        int zero = 0;
        zmq_setsockopt(self->sock, ZMQ_LINGER, &zero, sizeof zero);
        zmq_close(self->sock);
    }
    self->sock = wire_socket_new(self->zctx, ZMQ_DEALER, err);
    if (!self->sock)
        return -1;
    /* everything goes out again on this socket */
    for (int i = 0; i < self->t.nslots; i++)
        if (self->t.slots[i].in_use && !self->t.slots[i].unsent) {
            self->t.slots[i].unsent = 1;
            self->t.nunsent++;
        }
    if (self->neps == 1) {
        if (zap_client_apply(self->sock, self->opts->curve, err) != 0)
            return -1;
        return connect_one(self, self->eps[0], err);
    }
    int one = 1, ivl = 1000, ttl = 3000;
    if (zmq_setsockopt(self->sock, ZMQ_IMMEDIATE, &one, sizeof one) != 0 ||
        zmq_setsockopt(self->sock, ZMQ_HEARTBEAT_IVL, &ivl, sizeof ivl) != 0 ||
        zmq_setsockopt(self->sock, ZMQ_HEARTBEAT_TIMEOUT, &ttl, sizeof ttl) != 0)
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "zeromq",
                             "no se pudieron fijar las opciones del socket: %s",
                             pmm_strerror(errno));
    /* Security options are taken at connect time: local endpoints first,
     * without CURVE, then CURVE for the tcp:// ones. */
    for (int i = 0; i < self->neps; i++)
        if (strncmp(self->eps[i], "tcp://", 6) && connect_one(self, self->eps[i], err))
            return -1;
    if (zap_client_apply(self->sock, self->opts->curve, err) != 0)
        return -1;
    for (int i = 0; i < self->neps; i++)
        if (!strncmp(self->eps[i], "tcp://", 6) && connect_one(self, self->eps[i], err))
            return -1;
    return 0;
}

static void send_slot(sender *self, sender_slot *s)
{
    /* A failed send (high-water mark reached, or no collector connected
     * yet) is not an error: the slot goes out when the socket is writable
     * again, and the timers resend it anyway. */
    int sent = zmq_send(self->sock, s->packed, s->packed_len, ZMQ_DONTWAIT) >= 0;
    if (sent)
        s->sent_at_us = wire_now_us();
    if (sent && s->unsent)
        self->t.nunsent--;
    else if (!sent && !s->unsent)
        self->t.nunsent++;
    s->unsent = !sent;
}

/* Sends the slots that found no room, in order, while there is room. */
static void send_unsent(sender *self)
{
    for (int i = 0; i < self->t.nslots && self->t.nunsent > 0; i++) {
        sender_slot *s = &self->t.slots[i];
        if (!s->in_use || !s->unsent || s->resend_at_us)
            continue;
        send_slot(self, s);
        if (s->unsent)
            return;
    }
}

static int add_ficha(sender *self, Pmm__Ficha *f, uint64_t seq, pmm_error *err)
{
    int idx = -1;
    for (int i = 0; i < self->t.nslots; i++)
        if (!self->t.slots[i].in_use) {
            idx = i;
            break;
        }
    sender_slot *s = &self->t.slots[idx];
    uint8_t rid[SENDER_REQUEST_ID_LEN];
    sender_request_id(rid, idx, seq);
    Pmm__Envelope env;
    Pmm__SubmitRequest sub;
    wire_envelope_init(&env, PMM__MSG_TYPE__MSG_SUBMIT, rid, sizeof rid);
    pmm__submit_request__init(&sub);
    sub.ficha = f;
    env.body_case = PMM__ENVELOPE__BODY_SUBMIT;
    env.submit = &sub;
    size_t n = pmm__envelope__get_packed_size(&env);
    if (n > WIRE_MAX_MSG) {
        sender_result r = {.seq = seq, .estado = PMM__ESTADO__ESTADO_RECHAZADA};
        pmm_error_set(&r.err, PMM__ERROR_CODE__ERR_INVALID, "", "max_tamano",
                      "la ficha ocupa %zu bytes en el protocolo; el máximo es %d",
                      n, WIRE_MAX_MSG);
        self->t.push(self->t.user, &r);
        return 0;
    }
    s->packed = malloc(n);
    if (!s->packed)
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "memoria",
                             "sin memoria");
    pmm__envelope__pack(&env, s->packed);
    s->packed_len = n;
    s->seq = seq;
    s->in_use = 1;
    s->resend_at_us = 0;
    s->unsent = 0;
    self->t.inflight++;
    send_slot(self, s);
    return 0;
}

int sender_run(const sender_opts *opts, sender_pull_fn pull, sender_push_fn push,
               void *user, pmm_error *err)
{
    sender self = {.opts = opts, .t = {.push = push, .user = user}};
    self.t.nslots = opts->window > 0 ? opts->window : 256;
    int timeout_ms = opts->timeout_ms > 0 ? opts->timeout_ms : 5000;
    int max_attempts = opts->max_attempts > 0 ? opts->max_attempts : 5;
    int own_ctx = opts->zctx == NULL;
    self.zctx = own_ctx ? zmq_ctx_new() : opts->zctx;
    self.t.slots = calloc((size_t)self.t.nslots, sizeof *self.t.slots);
    int rc = -1;
    if (!self.zctx || !self.t.slots) {
        pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "memoria",
                      "sin memoria");
        goto out;
    }
    if (split_endpoints(&self, err) != 0 || open_socket(&self, err) != 0)
        goto out;

    int eof = 0, silent_rounds = 0;
    int64_t last_activity = wire_now_us();
    while (!eof || self.t.inflight > 0) {
        while (!eof && self.t.inflight < self.t.nslots) {
            Pmm__Ficha *f = NULL;
            uint64_t seq = 0;
            int got = pull(user, &f, &seq);
            if (got <= 0) {
                eof = 1;
                break;
            }
            int added = add_ficha(&self, f, seq, err);
            pmm__ficha__free_unpacked(f, NULL);
            if (added != 0)
                goto out;
        }
        if (self.t.inflight == 0)
            continue;

        int64_t now = wire_now_us();
        long wait_ms = (long)((last_activity + (int64_t)timeout_ms * 1000 - now) / 1000);
        for (int i = 0; i < self.t.nslots; i++) {
            const sender_slot *s = &self.t.slots[i];
            if (!s->in_use)
                continue;
            long w = wait_ms;
            if (s->resend_at_us)
                w = (long)((s->resend_at_us - now) / 1000);
            else if (self.neps > 1 && !s->unsent)
                w = (long)((s->sent_at_us + (int64_t)timeout_ms * 1000 - now) / 1000);
            if (w < wait_ms)
                wait_ms = w;
        }
        if (wait_ms < 0)
            wait_ms = 0;
        zmq_pollitem_t items[] = {
            {self.sock, 0, (short)(ZMQ_POLLIN | (self.t.nunsent ? ZMQ_POLLOUT : 0)), 0}};
        if (zmq_poll(items, 1, wait_ms) < 0 && errno != EINTR) {
            pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "zeromq",
                          "zmq_poll: %s", pmm_strerror(errno));
            goto out;
        }
        if (items[0].revents & ZMQ_POLLIN) {
            Pmm__Envelope *env;
            pmm_error rerr;
            while ((env = wire_recv(self.sock, NULL, ZMQ_DONTWAIT, &rerr)) != NULL ||
                   rerr.code != 0) {
                if (env) {
                    sender_table_reply(&self.t, env, wire_now_us());
                    pmm__envelope__free_unpacked(env, NULL);
                }
                last_activity = wire_now_us();
                silent_rounds = 0;
            }
        }
        if (items[0].revents & ZMQ_POLLOUT)
            send_unsent(&self);
        now = wire_now_us();
        for (int i = 0; i < self.t.nslots; i++) {
            sender_slot *s = &self.t.slots[i];
            if (s->in_use && s->resend_at_us && s->resend_at_us <= now) {
                s->resend_at_us = 0;
                send_slot(&self, s);
            }
        }
        if (self.t.inflight > 0 && now - last_activity >= (int64_t)timeout_ms * 1000) {
            if (++silent_rounds >= max_attempts) {
                for (int i = 0; i < self.t.nslots; i++)
                    if (self.t.slots[i].in_use) {
                        sender_result r = {.seq = self.t.slots[i].seq,
                                           .estado = PMM__ESTADO__ESTADO_DESCONOCIDO};
                        pmm_error_set(&r.err, PMM__ERROR_CODE__ERR_BUSY, "",
                                      "sin_respuesta",
                                      "el colector no respondió tras %d intentos; "
                                      "no se sabe si la ficha quedó guardada: "
                                      "vuelva a enviarla",
                                      max_attempts);
                        sender_table_finish(&self.t, &self.t.slots[i], &r);
                    }
                silent_rounds = 0;
            } else {
                /* Lazy Pirate: a fresh socket, then everything again. */
                if (open_socket(&self, err) != 0)
                    goto out;
                for (int i = 0; i < self.t.nslots; i++)
                    if (self.t.slots[i].in_use)
                        send_slot(&self, &self.t.slots[i]);
            }
            last_activity = wire_now_us();
        } else if (self.neps > 1) {
            /* Several collectors: replies from the others keep the socket
             * from falling silent, so a request lost with a collector that
             * died is resent on its own after timeout_ms; ZeroMQ deals it
             * to a collector that is still connected. A repeat is safe: the
             * collector that stored it answers with the original receipt. */
            for (int i = 0; i < self.t.nslots; i++) {
                sender_slot *s = &self.t.slots[i];
                if (s->in_use && !s->unsent && !s->resend_at_us &&
                    now - s->sent_at_us >= (int64_t)timeout_ms * 1000)
                    send_slot(&self, s);
            }
        }
    }
    rc = 0;
out:
    if (self.t.slots) {
        for (int i = 0; i < self.t.nslots; i++)
            free(self.t.slots[i].packed);
        free(self.t.slots);
    }
    if (self.sock) {
        int zero = 0;
        zmq_setsockopt(self.sock, ZMQ_LINGER, &zero, sizeof zero);
        zmq_close(self.sock);
    }
    if (own_ctx && self.zctx)
        zmq_ctx_term(self.zctx);
    free(self.eplist);
    return rc;
}

Pmm__Envelope *sender_call(void *zctx, const char *endpoint,
                           const struct zap_client_s *curve,
                           const Pmm__Envelope *req, int timeout_ms,
                           pmm_error *err)
{
    void *sock = wire_socket_new(zctx, ZMQ_DEALER, err);
    if (!sock)
        return NULL;
    int zero = 0;
    zmq_setsockopt(sock, ZMQ_LINGER, &zero, sizeof zero);
    Pmm__Envelope *reply = NULL;
    if (zap_client_apply(sock, curve, err) != 0)
        goto out;
    if (zmq_connect(sock, endpoint) != 0) {
        pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "zeromq",
                      "no se pudo conectar con %s: %s", endpoint,
                      pmm_strerror(errno));
        goto out;
    }
    if (wire_send(sock, NULL, req, err) != 0)
        goto out;
    zmq_pollitem_t items[] = {{sock, 0, ZMQ_POLLIN, 0}};
    if (zmq_poll(items, 1, timeout_ms) <= 0) {
        pmm_error_set(err, PMM__ERROR_CODE__ERR_BUSY, "", "sin_respuesta",
                      "%s no respondió en %d ms", endpoint, timeout_ms);
        goto out;
    }
    reply = wire_recv(sock, NULL, 0, err);
out:
    zmq_close(sock);
    return reply;
}
