/* ingestd -- the collector.
 *
 * A ROUTER socket takes submissions from any number of clients, which may
 * pipeline. The main loop drains what is waiting (up to a batch), validates
 * each ficha, stores the valid ones in one transaction (group commit) and
 * only after COMMIT sends the receipts. If PostgreSQL fails, the batch is
 * retried on a fresh connection; if it still fails, every ficha of the batch
 * gets an ERR_BUSY error, never a receipt, and the client resends.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cert.h"
#include "conf.h"
#include "daemon.h"
#include "db.h"
#include "ficha.h"
#include "log.h"
#include "log_limite.h"
#include "notify.h"
#include "refdata.h"
#include "signals.h"
#include "store.h"
#include "wire.h"
#include "wire_monitor.h"
#include "zap.h"

#define DEFAULT_BATCH 512
#define STORE_ATTEMPTS 5

typedef struct {
    Pmm__Envelope *env;        /* owns the ficha */
    wire_identity from;
    void *sock;                /* the socket to answer on */
} pending;

typedef struct {
    pmm_conf *conf;
    refdata *ref;
    ficha_rules rules;
    const char *conninfo;
    PGconn *db;
    void *zctx;
    void *router;              /* local ipc:// endpoint, no CURVE */
    void *remote;              /* CURVE endpoint (tcp://), or NULL */
    zap_handler *zap;          /* authenticates `remote` connections */
    wire_monitor *router_mon;  /* log what libzmq refuses or drops on a tcp:// */
    wire_monitor *remote_mon;  /* router or remote endpoint (NULL otherwise) */
    log_limite bad_frames;     /* "trama rechazada" lines per minute */
    pmm_cert cert;             /* the server's key pair, for CURVE */
    int has_cert;
    void *work_push;           /* wakes classifier workers; may be NULL */
    size_t batch_max;
    pending *batch;            /* batch_max slots */
    store_item *items;         /* batch_max slots */
    long long stored_total;
} ingestd;

static int db_ensure(ingestd *self, pmm_error *err)
{
    return db_reconnect(&self->db, self->conninfo, "pmm-ingestd", err);
}

static void send_receipt(void *sock, const wire_identity *to,
                         const Pmm__Envelope *req, const Pmm__Ficha *f,
                         Pmm__Estado estado, int64_t id, int64_t version,
                         int64_t stored_us, const pmm_error *why)
{
    Pmm__Envelope env;
    Pmm__Receipt r;
    Pmm__Error e;
    wire_envelope_init(&env, PMM__MSG_TYPE__MSG_RECEIPT, req->request_id.data,
                       req->request_id.len);
    pmm__receipt__init(&r);
    /* echo the clave only when it is short: a refused ficha's clave may be
     * most of the frame, and the receipt must fit in WIRE_MAX_MSG */
    if (f && f->has_clave && f->clave.len <= FICHA_MAX_CLAVE) {
        r.has_clave = 1;
        r.clave = f->clave;
    }
    r.has_estado = 1;
    r.estado = estado;
    if (estado != PMM__ESTADO__ESTADO_RECHAZADA) {
        r.has_id = r.has_version = r.has_server_time_us = 1;
        r.id = id;
        r.version = version;
        r.server_time_us = stored_us;
    } else if (why) {
        pmm__error__init(&e);
        e.has_code = e.has_campo = e.has_regla = e.has_mensaje = 1;
        e.code = (Pmm__ErrorCode)why->code;
        e.campo.data = (uint8_t *)why->campo;
        e.campo.len = strlen(why->campo);
        e.regla.data = (uint8_t *)why->regla;
        e.regla.len = strlen(why->regla);
        e.mensaje.data = (uint8_t *)why->mensaje;
        e.mensaje.len = strlen(why->mensaje);
        r.error = &e;
    }
    env.body_case = PMM__ENVELOPE__BODY_RECEIPT;
    env.receipt = &r;
    pmm_error err;
    if (wire_send(sock, to, &env, &err) != 0)
        log_warn("recibo no entregado (el cliente se desconectó): %s",
                 err.mensaje);
}

static void send_pong(ingestd *self, void *sock, const wire_identity *to,
                      const Pmm__Envelope *req)
{
    Pmm__Envelope env;
    Pmm__Pong p;
    wire_envelope_init(&env, PMM__MSG_TYPE__MSG_PONG, req->request_id.data,
                       req->request_id.len);
    pmm__pong__init(&p);
    p.has_component = p.has_server_time_us = p.has_database_ok = 1;
    p.component.data = (uint8_t *)"ingestd";
    p.component.len = 7;
    p.server_time_us = wire_now_us();
    pmm_error err;
    p.database_ok = db_ensure(self, &err) == 0;
    env.body_case = PMM__ENVELOPE__BODY_PONG;
    env.pong = &p;
    if (wire_send(sock, to, &env, &err) != 0)
        log_debug("pong no entregado: %s", err.mensaje);
}

/* Tells the classifier workers there is new work. Only a hint: the work
 * itself is the cola_clasificar rows committed with the fichas, which a
 * worker also polls, so a dropped message (no worker connected, queue
 * full) loses nothing. */
static void wake_classifiers(ingestd *self)
{
    if (self->work_push)
        wire_send_hint(self->work_push, PMM__MSG_TYPE__MSG_WORK);
}

/* Stores the batch, reconnecting and retrying on transient failures. */
static int store_with_retry(ingestd *self, size_t n, pmm_error *err)
{
    for (int attempt = 0; attempt < STORE_ATTEMPTS; attempt++) {
        if (attempt) {
            struct timespec ts = {0, 100000000L << (attempt - 1)};   /* 0.1..0.8 s */
            nanosleep(&ts, NULL);
        }
        if (db_ensure(self, err) != 0) {
            log_warn("PostgreSQL no disponible (intento %d): %s", attempt + 1,
                     err->mensaje);
            continue;
        }
        if (store_batch(self->db, self->items, n, err) == 0)
            return 0;
        log_warn("lote de %zu fichas no guardado (SQLSTATE %s, intento %d): %s",
                 n, err->regla, attempt + 1, err->mensaje);
        if (!db_retryable(err->regla))
            return -1;
    }
    return -1;
}

static void flush_batch(ingestd *self, size_t n)
{
    if (n == 0)
        return;
    pmm_error err;
    pmm_error_clear(&err);
    if (store_with_retry(self, n, &err) != 0) {
        /* Nothing acknowledged: the client must resend. */
        pmm_error busy;
        pmm_error_set(&busy, PMM__ERROR_CODE__ERR_BUSY, "", "ocupado",
                      "el colector no pudo guardar la ficha; reintente más tarde");
        for (size_t i = 0; i < n; i++) {
            pmm_error ignored;
            const Pmm__Envelope *req = self->batch[i].env;
            wire_send_error(self->batch[i].sock, &self->batch[i].from,
                            req->request_id.data, req->request_id.len, &busy,
                            &ignored);
        }
        return;
    }
    size_t nfresh = 0;
    for (size_t i = 0; i < n; i++) {
        const store_item *it = &self->items[i];
        if (it->denied && it->clave_id > 0 && strncmp(it->err.regla, "clave_", 6) == 0)
            log_warn("ficha rechazada: %s de %s (%s)", it->err.regla, it->identidad,
                     it->err.mensaje);
        if (it->estado == PMM__ESTADO__ESTADO_ACEPTADA) {
            self->stored_total++;
            nfresh++;
        }
        send_receipt(self->batch[i].sock, &self->batch[i].from, self->batch[i].env,
                     it->ficha, it->estado, it->id, it->version, it->stored_us,
                     &it->err);
    }
    if (nfresh)
        wake_classifiers(self);
    if (store_touch_keys(self->db, self->items, n, &err) != 0)
        log_warn("%s", err.mensaje);
}

/* May this identity submit this (validated) ficha? A remitente only for
 * itself; analysts and administrators for anyone; local ipc clients are
 * trusted (the socket sits in a 0700 directory); services never. */
static int authorised(const zap_identity *who, const Pmm__Ficha *f, pmm_error *err)
{
    if (!strcmp(who->rol, "local") || !strcmp(who->rol, "analista") ||
        !strcmp(who->rol, "admin"))
        return 1;
    char emisor[80];
    ficha_emisor(f, emisor, sizeof emisor);
    if (!strcmp(who->rol, "remitente") && !strcmp(who->emisor, emisor))
        return 1;
    const char *campo = emisor[0] == 'E' ? "entidad" : "dependencia";
    if (!strcmp(who->rol, "remitente"))
        pmm_error_set(err, PMM__ERROR_CODE__ERR_DENIED, campo, "no_autorizado",
                      "su clave solo permite enviar fichas de %s, no de %s",
                      who->emisor, emisor);
    else
        pmm_error_set(err, PMM__ERROR_CODE__ERR_DENIED, "", "no_autorizado",
                      "el rol «%s» no puede enviar fichas", who->rol);
    return 0;
}

/* Reads everything waiting on sock (up to what is left of the batch) and
 * adds the submissions to it; answers pings and bad frames at once. */
static size_t collect(ingestd *self, void *sock, size_t n)
{
    while (n < self->batch_max) {
        wire_identity from;
        pmm_error err;
        pmm_error_clear(&err);
        Pmm__Envelope *env = wire_recv(sock, &from, ZMQ_DONTWAIT, &err);
        if (!env) {
            if (err.code == 0)
                break;   /* EAGAIN: nothing more waiting */
            long held;
            if (log_limite_take(&self->bad_frames, time(NULL), &held))
                log_warn("trama rechazada de %s: %s%s", from.user[0] ? from.user : "local",
                         err.mensaje, held ? " (y otras no escritas en el último minuto)" : "");
            pmm_error ignored;
            wire_send_refusal(sock, &from, &err, &ignored);
            continue;
        }
        wire_monitor_frame(sock == self->remote ? self->remote_mon : self->router_mon,
                           from.fd);
        if (env->type == PMM__MSG_TYPE__MSG_PING) {
            send_pong(self, sock, &from, env);
            pmm__envelope__free_unpacked(env, NULL);
            continue;
        }
        if (env->type != PMM__MSG_TYPE__MSG_SUBMIT || !env->submit->ficha) {
            pmm_error_set(&err, PMM__ERROR_CODE__ERR_TYPE, "type", "tipo_mensaje",
                          "el colector solo acepta fichas (SUBMIT) y PING");
            pmm_error ignored;
            wire_send_error(sock, &from, env->request_id.data,
                            env->request_id.len, &err, &ignored);
            pmm__envelope__free_unpacked(env, NULL);
            continue;
        }
        Pmm__Ficha *f = env->submit->ficha;
        store_item *it = &self->items[n];
        memset(it, 0, sizeof *it);
        zap_identity who;
        zap_identity_parse(from.user, &who);
        if (ficha_validate(f, self->ref, &self->rules, &err) != 0) {
            log_info("ficha rechazada: %s (%s)", err.campo, err.regla);
            store_item_refused(it, f, 0, &err);
        } else if (!authorised(&who, f, &err)) {
            log_warn("envío denegado a %s: %s", from.user[0] ? from.user : "local",
                     err.mensaje);
            store_item_refused(it, f, 1, &err);
        } else if (store_item_init(it, f, &err) != 0) {
            store_item_refused(it, f, 0, &err);
        }
        /* who sent it: audited, and its key re-checked in the batch's
         * transaction (a revocation after the handshake still counts) */
        snprintf(it->identidad, sizeof it->identidad, "%s",
                 from.user[0] ? from.user : "local");
        it->clave_id = who.clave_id;
        self->batch[n].env = env;
        self->batch[n].from = from;
        self->batch[n].sock = sock;
        n++;
    }
    return n;
}

static void handle_readable(ingestd *self, int local_ready, int remote_ready)
{
    size_t n = 0;
    if (local_ready)
        n = collect(self, self->router, n);
    if (remote_ready)
        n = collect(self, self->remote, n);
    flush_batch(self, n);
    for (size_t i = 0; i < n; i++)
        pmm__envelope__free_unpacked(self->batch[i].env, NULL);
}

/* Binds a socket; a tcp:// endpoint only with CURVE (and its ZAP handler). */
static void *bind_endpoint(ingestd *self, int type, const char *key, const char *endpoint,
                           wire_monitor **mon, pmm_error *err)
{
    int tcp = !strncmp(endpoint, "tcp://", 6);
    if (tcp && !self->has_cert) {
        pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, key, "curve_requerido",
                      "el endpoint %s es TCP y exige CURVE: indique [ingestd] "
                      "certificado (pmm claves emitir --servicio ingestd)", endpoint);
        return NULL;
    }
    void *sock = wire_socket_new(self->zctx, type, err);
    if (!sock)
        return NULL;
    if (tcp && zap_curve_server(sock, &self->cert, err) != 0) {
        zmq_close(sock);
        return NULL;
    }
    /* what libzmq refuses or drops there gets a log line */
    if (tcp && mon && !(*mon = wire_monitor_new(self->zctx, sock, key, err))) {
        zmq_close(sock);
        return NULL;
    }
    if (zmq_bind(sock, endpoint) != 0) {
        pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, key, "zeromq",
                      "no se pudo escuchar en %s: %s", endpoint, zmq_strerror(errno));
        zmq_close(sock);
        return NULL;
    }
    log_info("%s en %s%s", key, endpoint, tcp ? " (CURVE)" : "");
    return sock;
}

static int ingestd_setup(ingestd *self, const char *conf_path, pmm_error *err)
{
    self->conf = conf_load(conf_path, err);
    if (!self->conf)
        return -1;
    log_init("ingestd", log_level_parse(conf_get(self->conf, "general", "log",
                                                 "info"), LOG_INFO));
    self->ref = refdata_load(conf_data_dir(self->conf), err);
    if (!self->ref)
        return -1;
    self->rules = ficha_rules_default();
    log_limite_init(&self->bad_frames, 30);
    self->rules.accept_new_bodies =
        conf_get_long(self->conf, "ingestd", "aceptar_dependencias_nuevas", 0) != 0;
    self->conninfo = conf_conninfo(self->conf, "ingestd");
    self->batch_max = (size_t)conf_get_long(self->conf, "ingestd", "lote",
                                            DEFAULT_BATCH);
    if (self->batch_max < 1 || self->batch_max > 10000)
        self->batch_max = DEFAULT_BATCH;
    self->batch = calloc(self->batch_max, sizeof *self->batch);
    self->items = calloc(self->batch_max, sizeof *self->items);
    if (!self->batch || !self->items)
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "memoria",
                             "sin memoria");

    if (daemon_db_start(&self->db, self->conninfo, "pmm-ingestd", err) != 0)
        return -1;

    const char *endpoint = conf_get(self->conf, "ingestd", "endpoint", NULL);
    const char *remote = conf_get(self->conf, "ingestd", "remoto", NULL);
    const char *work = conf_get(self->conf, "ingestd", "trabajo", NULL);
    const char *cert = conf_get(self->conf, "ingestd", "certificado", NULL);
    if (!endpoint && !remote)
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL,
                             "ingestd.endpoint", "requerido",
                             "falta [ingestd] endpoint o remoto en la configuración");
    if (cert && *cert) {
        if (cert_load(&self->cert, cert, err) != 0)
            return -1;
        if (!self->cert.secret_key[0])
            return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "ingestd.certificado",
                                 "formato", "%s no tiene clave secreta", cert);
        self->has_cert = 1;
    }
    self->zctx = zmq_ctx_new();
    if (!self->zctx)
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "zeromq",
                             "no se pudo crear el contexto ZeroMQ");
    /* the ZAP handler exists before any CURVE socket binds */
    if (self->has_cert && !(self->zap = zap_handler_new(self->zctx, err)))
        return -1;
    if (endpoint && *endpoint &&
        !(self->router =
              bind_endpoint(self, ZMQ_ROUTER, "endpoint", endpoint, &self->router_mon, err)))
        return -1;
    if (remote && *remote &&
        !(self->remote =
              bind_endpoint(self, ZMQ_ROUTER, "remoto", remote, &self->remote_mon, err)))
        return -1;
    if (work && *work &&
        !(self->work_push = bind_endpoint(self, ZMQ_PUSH, "trabajo", work, NULL, err)))
        return -1;
    log_info("lote máximo %zu", self->batch_max);
    return 0;
}

/* SIGHUP: re-reads the configuration file and applies, between batches,
 * [general] log and [ingestd] lote; the rest (endpoints, keys, conninfo,
 * rules) takes a restart. */
static void ingestd_reload(ingestd *self)
{
    long lote = daemon_reload(self->conf, "ingestd", "ingestd", DEFAULT_BATCH, 10000);
    if (lote < 0 || (size_t)lote == self->batch_max)
        return;
    pending *b = calloc((size_t)lote, sizeof *b);
    store_item *it = calloc((size_t)lote, sizeof *it);
    if (b && it) {
        free(self->batch);
        free(self->items);
        self->batch = b;
        self->items = it;
        self->batch_max = (size_t)lote;
    } else {
        free(b);
        free(it);
        log_warn("SIGHUP: sin memoria para lotes de %ld; siguen de %zu", lote,
                 self->batch_max);
    }
}

static void ingestd_teardown(ingestd *self)
{
    if (self->router)
        zmq_close(self->router);
    if (self->remote)
        zmq_close(self->remote);
    if (self->work_push)
        zmq_close(self->work_push);
    zap_handler_destroy(&self->zap);
    wire_monitor_destroy(&self->router_mon);
    wire_monitor_destroy(&self->remote_mon);
    if (self->zctx)
        zmq_ctx_term(self->zctx);
    if (self->db)
        PQfinish(self->db);
    free(self->batch);
    free(self->items);
    refdata_destroy(&self->ref);
    conf_destroy(&self->conf);
}

int main(int argc, char **argv)
{
    const char *conf_path;
    int rc0 = daemon_init(argc, argv, "ingestd", &conf_path);
    if (rc0 != 0)
        return rc0;
    ingestd self;
    memset(&self, 0, sizeof self);
    pmm_error err;
    pmm_error_clear(&err);
    if (ingestd_setup(&self, conf_path, &err) != 0) {
        log_error("%s", err.mensaje);
        ingestd_teardown(&self);
        return 1;
    }
    notify_ready("recibiendo fichas");
    while (!signals_stop_requested()) {
        notify_watchdog();
        if (signals_take_reload())
            ingestd_reload(&self);
        zmq_pollitem_t items[5];
        int np = 0, i_local = -1, i_remote = -1, i_zap = -1, i_mon = -1, i_rmon = -1;
        if (self.router) {
            i_local = np;
            items[np++] = (zmq_pollitem_t){self.router, 0, ZMQ_POLLIN, 0};
        }
        if (self.remote) {
            i_remote = np;
            items[np++] = (zmq_pollitem_t){self.remote, 0, ZMQ_POLLIN, 0};
        }
        if (self.zap) {
            i_zap = np;
            items[np++] = (zmq_pollitem_t){zap_handler_socket(self.zap), 0, ZMQ_POLLIN, 0};
        }
        if (self.remote_mon) {
            i_mon = np;
            items[np++] =
                (zmq_pollitem_t){wire_monitor_socket(self.remote_mon), 0, ZMQ_POLLIN, 0};
        }
        if (self.router_mon) {
            i_rmon = np;
            items[np++] =
                (zmq_pollitem_t){wire_monitor_socket(self.router_mon), 0, ZMQ_POLLIN, 0};
        }
        int rc = zmq_poll(items, np, 1000);
        if (rc < 0) {
            if (errno == EINTR)
                continue;
            log_error("zmq_poll: %s", zmq_strerror(errno));
            break;
        }
        if (i_zap >= 0 && (items[i_zap].revents & ZMQ_POLLIN)) {
            pmm_error ignored;
            zap_handler_serve(self.zap, db_ensure(&self, &ignored) == 0 ? self.db : NULL);
        }
        if (i_mon >= 0 && (items[i_mon].revents & ZMQ_POLLIN))
            wire_monitor_serve(self.remote_mon);
        if (i_rmon >= 0 && (items[i_rmon].revents & ZMQ_POLLIN))
            wire_monitor_serve(self.router_mon);
        int local = i_local >= 0 && (items[i_local].revents & ZMQ_POLLIN);
        int remote = i_remote >= 0 && (items[i_remote].revents & ZMQ_POLLIN);
        if (local || remote)
            handle_readable(&self, local, remote);
    }
    notify_stopping();
    /* SIGTERM: what already arrived is finished (stored and acknowledged,
     * or answered "ocupado") rather than left to the clients' timeouts; the
     * sockets then linger WIRE_LINGER_MS so that the answers go out. */
    handle_readable(&self, self.router != NULL, self.remote != NULL);
    log_info("detenido; %lld fichas guardadas en esta ejecución",
             self.stored_total);
    ingestd_teardown(&self);
    return 0;
}
