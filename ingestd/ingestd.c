/* ingestd -- the collector.
 *
 * A ROUTER socket takes submissions from any number of clients, which may
 * pipeline. The main loop drains what is waiting (up to a batch), validates
 * each ficha, stores the valid ones in one transaction (group commit) and
 * only after COMMIT sends the receipts. If PostgreSQL fails, the batch is
 * retried on a fresh connection; if it still fails, every ficha of the batch
 * gets an ERR_BUSY error, never a receipt, and the client resends.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf.h"
#include "daemon.h"
#include "db.h"
#include "ficha.h"
#include "log.h"
#include "refdata.h"
#include "store.h"
#include "wire.h"
#include "zap.h"

#define STORE_ATTEMPTS 5

typedef struct {
    Pmm__Envelope *env;        /* owns the ficha */
    wire_identity from;
    void *sock;                /* the socket to answer on */
} pending;

typedef struct {
    pmm_daemon *d;
    refdata *ref;
    ficha_rules rules;
    void *router;              /* local ipc:// endpoint, no CURVE */
    void *remote;              /* CURVE endpoint (tcp://), or NULL */
    void *work_push;           /* wakes classifier workers; may be NULL */
    size_t batch_max;          /* [ingestd] lote */
    pending *batch;            /* batch_max slots */
    store_item *items;         /* batch_max slots */
    size_t gathered;           /* submissions read in this turn of the loop */
} ingestd;

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
        PGconn *db = daemon_db(self->d, err);
        if (!db) {
            log_warn("PostgreSQL no disponible (intento %d): %s", attempt + 1,
                     err->mensaje);
            continue;
        }
        if (store_batch(db, self->items, n, err) == 0)
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
            daemon_count(self->d, 1);
            nfresh++;
        }
        send_receipt(self->batch[i].sock, &self->batch[i].from, self->batch[i].env,
                     it->ficha, it->estado, it->id, it->version, it->stored_us,
                     &it->err);
    }
    if (nfresh)
        wake_classifiers(self);
    PGconn *db = daemon_db(self->d, &err);
    if (!db || store_touch_keys(db, self->items, n, &err) != 0)
        log_warn("%s", err.mensaje);
}

/* A key's emisor as fichas name it today: a key issued to a body under an
 * acronym it has since changed ("D:BANSEFI", data/alias_dependencias.csv)
 * speaks for the body's current acronym, which its validated fichas carry. */
static void emisor_vigente(const refdata *ref, const char *emisor, char *out, size_t cap)
{
    const ref_dependencia *d =
        !strncmp(emisor, "D:", 2) ? refdata_dependencia(ref, emisor + 2, strlen(emisor + 2))
                                  : NULL;
    if (d)
        snprintf(out, cap, "D:%s", d->sigla);
    else
        snprintf(out, cap, "%s", emisor);
}

/* May this identity submit this (validated) ficha? A remitente only for
 * itself; analysts and administrators for anyone; local ipc clients are
 * trusted (the socket sits in a 0700 directory); services never. */
static int authorised(const refdata *ref, const zap_identity *who, const Pmm__Ficha *f,
                      pmm_error *err)
{
    if (!strcmp(who->rol, "local") || !strcmp(who->rol, "analista") ||
        !strcmp(who->rol, "admin"))
        return 1;
    char emisor[80], suyo[FICHA_EMISOR_MAX];
    ficha_emisor(f, emisor, sizeof emisor);
    emisor_vigente(ref, who->emisor, suyo, sizeof suyo);
    if (!strcmp(who->rol, "remitente") && !strcmp(suyo, emisor))
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
static void collect(pmm_daemon *d, void *sock, void *arg)
{
    ingestd *self = arg;
    size_t n = self->gathered;
    wire_identity from;
    Pmm__Envelope *env;
    while (n < self->batch_max && (env = daemon_recv(d, sock, &from))) {
        pmm_error err;
        pmm_error_clear(&err);
        if (env->type == PMM__MSG_TYPE__MSG_PING) {
            daemon_send_pong(d, sock, &from, env);
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
        } else if (!authorised(self->ref, &who, f, &err)) {
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
    self->gathered = n;
}

/* After the handlers of a turn: what they gathered from both sockets is
 * stored in one transaction, then acknowledged. */
static void store_gathered(pmm_daemon *d, void *arg)
{
    (void)d;
    ingestd *self = arg;
    flush_batch(self, self->gathered);
    for (size_t i = 0; i < self->gathered; i++)
        pmm__envelope__free_unpacked(self->batch[i].env, NULL);
    self->gathered = 0;
}

static int alloc_batch(ingestd *self, size_t lote, pmm_error *err)
{
    pending *b = calloc(lote, sizeof *b);
    store_item *it = calloc(lote, sizeof *it);
    if (!b || !it) {
        free(b);
        free(it);
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "ingestd.lote", "memoria",
                             "sin memoria para lotes de %zu fichas", lote);
    }
    free(self->batch);
    free(self->items);
    self->batch = b;
    self->items = it;
    self->batch_max = lote;
    return 0;
}

/* SIGHUP, between batches: [ingestd] lote. The rest (endpoints, keys,
 * conninfo, rules) takes a restart. */
static int apply_reload(pmm_daemon *d, const pmm_conf *next, void *arg, pmm_error *err)
{
    (void)d;
    ingestd *self = arg;
    size_t lote = (size_t)conf_long(next, "ingestd", "lote");
    return lote == self->batch_max ? 0 : alloc_batch(self, lote, err);
}

static int ingestd_setup(pmm_daemon *d, void *arg, pmm_error *err)
{
    ingestd *self = arg;
    self->d = d;
    const pmm_conf *conf = daemon_conf(d);
    if (!conf_str(conf, "ingestd", "endpoint") && !conf_str(conf, "ingestd", "remoto"))
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "ingestd.endpoint",
                             "requerido",
                             "falta [ingestd] endpoint o remoto en la configuración");
    self->ref = refdata_load(conf_data_dir(conf), err);
    if (!self->ref)
        return -1;
    self->rules = ficha_rules_default();
    self->rules.accept_new_bodies =
        conf_long(conf, "ingestd", "aceptar_dependencias_nuevas") != 0;
    if (alloc_batch(self, (size_t)conf_long(conf, "ingestd", "lote"), err) != 0 ||
        daemon_db_start(self->d, err) != 0 ||
        daemon_bind(self->d, "ingestd", "endpoint", ZMQ_ROUTER, &self->router, err) != 0 ||
        daemon_bind(self->d, "ingestd", "remoto", ZMQ_ROUTER, &self->remote, err) != 0 ||
        daemon_bind(self->d, "ingestd", "trabajo", ZMQ_PUSH, &self->work_push, err) != 0)
        return -1;
    if (self->router)
        daemon_on_readable(self->d, self->router, collect, self);
    if (self->remote)
        daemon_on_readable(self->d, self->remote, collect, self);
    daemon_after_events(self->d, store_gathered, self);
    daemon_on_reload(self->d, apply_reload, self);
    log_info("lote máximo %zu", self->batch_max);
    return 0;
}

static void ingestd_cleanup(void *arg)
{
    ingestd *self = arg;
    free(self->batch);
    free(self->items);
    refdata_destroy(&self->ref);
}

/* SIGTERM: what already arrived is finished (stored and acknowledged, or
 * answered "ocupado") rather than left to the clients' timeouts; the
 * sockets then linger WIRE_LINGER_MS so that the answers go out. */
static void ingestd_stop(pmm_daemon *d, void *arg)
{
    ingestd *self = arg;
    if (self->router)
        collect(d, self->router, self);
    if (self->remote)
        collect(d, self->remote, self);
    store_gathered(d, self);
}

int main(int argc, char **argv)
{
    /* name, what it reads, its section; systemd status, summary; hooks */
    static const daemon_desc desc = {"ingestd", CONF_INGESTD, "ingestd", "recibiendo fichas",
                                     "guardadas", ingestd_setup, ingestd_stop, ingestd_cleanup};
    ingestd self = {0};
    return daemon_main(argc, argv, &desc, &self);
}
