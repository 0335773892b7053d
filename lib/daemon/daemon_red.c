/* daemon_red.c -- the skeleton's sockets: binding (CURVE, ZAP, monitor),
 * connecting as a CURVE client, receiving envelopes, answering PING. */
#include "daemon_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"

daemon_socket *daemon_socket_of(pmm_daemon *self, void *sock)
{
    for (int i = 0; i < self->nsocks; i++)
        if (self->socks[i].sock == sock)
            return &self->socks[i];
    return NULL;
}

/* A new socket the daemon owns from now on (closed by daemon_destroy). */
static void *own_socket(pmm_daemon *self, int type, pmm_error *err)
{
    if (self->nsocks == DAEMON_MAX_SOCKETS) {
        pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "zeromq",
                      "demasiados sockets en %s", self->name);
        return NULL;
    }
    void *sock = wire_socket_new(self->zctx, type, err);
    if (sock)
        self->socks[self->nsocks++] = (daemon_socket){.sock = sock};
    return sock;
}

/* Loads [section] certificado and starts the ZAP handler, once: when a
 * tcp:// endpoint needs them (`needed`), or when the key pair is configured
 * at all, so that the handler exists before the first socket binds. */
static int curve_ready(pmm_daemon *self, const char *section, int needed, pmm_error *err)
{
    if (self->cert_section[0])
        return 0;
    const char *path = conf_str(self->conf, section, "certificado");
    if (!path && !needed)
        return 0;
    if (!path)
        return -1;   /* the caller says which endpoint needs it */
    if (cert_load(&self->cert, path, err) != 0)
        return -1;
    if (!self->cert.secret_key[0]) {
        char campo[PMM_ERR_CAMPO];
        snprintf(campo, sizeof campo, "%s.certificado", section);
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, campo, "formato",
                             "[%s] certificado: %s no tiene clave secreta (.key_secret)",
                             section, path);
    }
    if (!(self->zap = zap_handler_new(self->zctx, err)))
        return -1;
    snprintf(self->cert_section, sizeof self->cert_section, "%s", section);
    return 0;
}

/* Binds one endpoint (see daemon_bind); the socket, or NULL with err. */
static void *bind_one(pmm_daemon *self, const char *section, const char *key, int type,
                      const char *endpoint, pmm_error *err)
{
    if (strpbrk(endpoint, ", \t")) {
        pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, key, "endpoint",
                      "[%s] %s: %s escucha en un solo endpoint, no en una lista («%s»)",
                      section, key, self->name, endpoint);
        return NULL;
    }
    int tcp = !strncmp(endpoint, "tcp://", 6);
    if (curve_ready(self, section, tcp, err) != 0) {
        if (tcp && !conf_str(self->conf, section, "certificado"))
            pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, key, "curve_requerido",
                          "el endpoint %s es TCP y exige CURVE: indique [%s] certificado "
                          "(pmm claves emitir --servicio %s)", endpoint, section, self->name);
        return NULL;
    }
    void *s = own_socket(self, type, err);
    if (!s)
        return NULL;
    daemon_socket *entry = &self->socks[self->nsocks - 1];
    if (tcp && zap_curve_server(s, &self->cert, err) != 0)
        return NULL;
    /* what libzmq refuses or drops there gets a log line; a socket that
     * only sends (PUSH) has no frames to count */
    if (tcp && type != ZMQ_PUSH && !(entry->mon = wire_monitor_new(self->zctx, s, key, err)))
        return NULL;
    if (zmq_bind(s, endpoint) != 0) {
        pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, key, "zeromq",
                      "no se pudo escuchar en %s: %s", endpoint, zmq_strerror(errno));
        return NULL;
    }
    log_info("%s en %s%s", key, endpoint, tcp ? " (CURVE)" : "");
    return s;
}

/* Connects to every endpoint of a list (see daemon_connect). */
static void *connect_all(pmm_daemon *self, const char *section, const char *key, int type,
                         const char *list, pmm_error *err)
{
    zap_client curve;
    if (zap_client_from_conf(self->conf, list, section, self->section, &curve, err) != 0)
        return NULL;
    void *s = own_socket(self, type, err);
    if (!s || zap_client_apply(s, &curve, err) != 0)
        return NULL;
    char *copy = strdup(list), *save = NULL;
    if (!copy) {
        pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "memoria", "sin memoria");
        return NULL;
    }
    int rc = 0;
    for (char *ep = strtok_r(copy, ", \t", &save); ep && rc == 0;
         ep = strtok_r(NULL, ", \t", &save))
        if (zmq_connect(s, ep) != 0)
            rc = pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, key, "zeromq",
                               "no se pudo conectar con %s: %s", ep, zmq_strerror(errno));
    free(copy);
    return rc == 0 ? s : NULL;
}

/* Binds or connects the socket of [section] key, when it is set. */
static int attach(pmm_daemon *self, const char *section, const char *key, int type,
                  int bind, void **sock, pmm_error *err)
{
    *sock = NULL;
    const char *endpoints = conf_str(self->conf, section, key);
    if (!endpoints)
        return 0;
    *sock = bind ? bind_one(self, section, key, type, endpoints, err)
                 : connect_all(self, section, key, type, endpoints, err);
    return *sock ? 0 : -1;
}

int daemon_bind(pmm_daemon *self, const char *section, const char *key, int type,
                void **sock, pmm_error *err)
{
    return attach(self, section, key, type, 1, sock, err);
}

int daemon_connect(pmm_daemon *self, const char *section, const char *key, int type,
                   void **sock, pmm_error *err)
{
    return attach(self, section, key, type, 0, sock, err);
}

void daemon_frame(pmm_daemon *self, void *sock, int fd)
{
    daemon_socket *entry = daemon_socket_of(self, sock);
    if (entry && entry->mon)
        wire_monitor_frame(entry->mon, fd);
}

Pmm__Envelope *daemon_recv(pmm_daemon *self, void *sock, wire_identity *from)
{
    for (;;) {
        pmm_error err;
        pmm_error_clear(&err);
        Pmm__Envelope *env = wire_recv(sock, from, ZMQ_DONTWAIT, &err);
        if (env) {
            daemon_frame(self, sock, from->fd);
            return env;
        }
        if (err.code == 0)
            return NULL;   /* EAGAIN: nothing more waiting */
        long held;
        if (log_limite_take(&self->bad_frames, time(NULL), &held))
            log_warn("trama rechazada de %s: %s%s", from->user[0] ? from->user : "local",
                     err.mensaje, held ? " (y otras no escritas en el último minuto)" : "");
        pmm_error ignored;
        wire_send_refusal(sock, from, &err, &ignored);
    }
}

int daemon_key_valid(pmm_daemon *self, const wire_identity *from, int force,
                     pmm_error *why)
{
    zap_identity who;
    zap_identity_parse(from->user, &who);
    if (who.clave_id <= 0)
        return 1;
    pmm_error ignored;
    const char *motivo;
    PGconn *db = daemon_db(self, &ignored);
    if (clave_vigencia_check(self->claves, db, who.clave_id, force, &motivo))
        return 1;
    pmm_error_set(why, PMM__ERROR_CODE__ERR_DENIED, "clave", motivo,
                  !strcmp(motivo, "clave_revocada") ? "la clave %lld fue revocada"
                  : !strcmp(motivo, "clave_vencida") ? "la clave %lld venció"
                  : "no se pudo comprobar la vigencia de la clave %lld; reintente",
                  who.clave_id);
    long held;
    if (log_limite_take(&self->refused, time(NULL), &held))
        log_warn("mensaje rechazado de %s: %s%s", from->user, why->mensaje,
                 held ? " (y otros no escritos en el último minuto)" : "");
    return 0;
}

void daemon_send_pong(pmm_daemon *self, void *sock, const wire_identity *to,
                      const Pmm__Envelope *req)
{
    pmm_error err;
    Pmm__Pong p = PMM__PONG__INIT;
    p.has_component = p.has_server_time_us = p.has_database_ok = 1;
    p.component.data = (uint8_t *)self->name;
    p.component.len = strlen(self->name);
    p.server_time_us = wire_now_us();
    p.database_ok = daemon_db(self, &err) != NULL;
    Pmm__Envelope env;
    wire_envelope_init(&env, PMM__MSG_TYPE__MSG_PONG, req->request_id.data,
                       req->request_id.len);
    env.body_case = PMM__ENVELOPE__BODY_PONG;
    env.pong = &p;
    if (wire_send(sock, to, &env, &err) != 0)
        log_debug("pong no entregado: %s", err.mensaje);
}
