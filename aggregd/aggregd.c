/* aggregd -- the aggregator and scheduler.
 *
 * Keeps `totales` up to date from the cola_agregar queue (filled by the
 * classifier workers and by analyst decisions), woken by MSG_CLASSIFIED
 * hints on its PULL socket or by a short poll. Once a day (or as
 * configured) and on demand (`pmm agregar --ahora`, a MSG_CONTROL on its
 * ROUTER) it recomputes every total from the fichas and repairs drift.
 *
 * Configuration ([aggregd]): endpoint (control ROUTER, bind), eventos (PULL,
 * bind), lote (fichas per transaction), espera_lote_ms (how long hints may
 * gather before the queue is applied), recalculo (daily time HH:MM, or
 * "no"), recalculo_intervalo (seconds; overrides the daily time).
 *
 * Why gather: the fichas of one batch share most of their totals cells
 * (the same year, objective, axis, SDG...), and each distinct cell costs
 * one row update per batch. Applying every classifier commit (~250 fichas)
 * at once wrote ~17 cells per ficha; gathering a second and a half
 * of work writes a few. The queue is applied sooner when the hints stop (the
 * work has paused or ended) or a full batch may be waiting.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cert.h"
#include "clave_vigencia.h"
#include "conf.h"
#include "daemon.h"
#include "db.h"
#include "log.h"
#include "log_limite.h"
#include "notify.h"
#include "signals.h"
#include "totales.h"
#include "wire.h"
#include "wire_monitor.h"
#include "zap.h"

/* fichas per transaction: large enough that a backlog's fichas share cells
 * (one update of a cell per batch), small enough (under a second) to keep
 * pings answered. A batch holds at most 1,024 advisory locks (008_franjas.sql)
 * whatever its size. */
#define DEFAULT_BATCH 8000
/* A busy pipeline's totals lag by up to this much; for yearly reports
 * that is nothing, and 1.5 s of work shares cells three times as much as
 * 0.5 s did (aggregd's PostgreSQL time per ficha 105 -> 77 us at
 * ~3,500 fichas/s). */
#define DEFAULT_LINGER_MS 1500
/* hints stop for this long: the work paused or ended, apply it now */
#define QUIET_MS 100
/* without hints (one lost, an event queued by hand) look every POLL_MS */
#define POLL_MS 2000

typedef struct {
    pmm_conf *conf;
    const char *conninfo;
    PGconn *db;
    void *zctx;
    void *control;
    void *events;
    zap_handler *zap;           /* authenticates tcp:// connections */
    clave_vigencia *claves;     /* keys that may no longer act (re-read each second) */
    wire_monitor *control_mon, *events_mon;   /* tcp:// endpoints only */
    log_limite refused;         /* lines about refused messages, per minute */
    pmm_cert cert;
    int has_cert;
    int batch;
    int linger_ms;
    long interval_s;        /* > 0: recompute every interval_s seconds */
    int daily_minute;       /* minute of the day (UTC) or -1 */
    time_t next_recompute;
    long long applied_total;
} aggregd;

static int db_ensure(aggregd *self, pmm_error *err)
{
    return db_reconnect(&self->db, self->conninfo, "pmm-aggregd", err);
}

static time_t plan_next(const aggregd *self, time_t now)
{
    if (self->interval_s > 0)
        return now + self->interval_s;
    if (self->daily_minute < 0)
        return 0;
    struct tm tm;
    gmtime_r(&now, &tm);
    int minute = tm.tm_hour * 60 + tm.tm_min;
    time_t start_of_day = now - (minute * 60 + tm.tm_sec);
    time_t t = start_of_day + self->daily_minute * 60;
    return t > now ? t : t + 86400;
}

/* Applies queued fichas for at most a slice of time, so that pings and
 * operator commands are answered while a large backlog drains. Returns 1
 * when work may remain (the last batch was full). */
static int drain_slice(aggregd *self, int64_t budget_us)
{
    int64_t until = wire_now_us() + budget_us;
    for (;;) {
        notify_watchdog();
        pmm_error err;
        pmm_error_clear(&err);
        if (db_ensure(self, &err) != 0) {
            log_warn("PostgreSQL no disponible: %s", err.mensaje);
            return 0;
        }
        long long changed = 0;
        int n = totales_drain(self->db, self->batch, &changed, &err);
        if (n < 0) {
            log_warn("agregación interrumpida (SQLSTATE %s): %s", err.regla,
                     err.mensaje);
            return 0;
        }
        self->applied_total += n;
        if (n > 0)
            log_debug("%d fichas agregadas (%lld cambiaron los totales)", n, changed);
        /* a short batch emptied the queue; what arrived since waits for
         * the next round, to gather with what follows */
        if (n < self->batch)
            return 0;
        if (wire_now_us() >= until)
            return 1;
    }
}

/* How long the main loop may wait before applying the queue: 0 with a
 * backlog; with hints pending, until espera_lote_ms after the last drain or
 * QUIET_MS after the last hint, whichever comes first; without hints,
 * POLL_MS after the last drain. */
static long drain_wait_ms(const aggregd *self, int backlog, int hinted,
                          int64_t last_drain, int64_t last_hint)
{
    if (backlog)
        return 0;
    int64_t now = wire_now_us();
    int64_t due = last_drain + (int64_t)(hinted ? self->linger_ms : POLL_MS) * 1000;
    if (hinted && last_hint + QUIET_MS * 1000 < due)
        due = last_hint + QUIET_MS * 1000;
    return due <= now ? 0 : (long)((due - now + 999) / 1000);
}

/* Applies everything queued (before a recompute, at start-up). */
static void drain(aggregd *self)
{
    while (drain_slice(self, 1000000) && !signals_stop_requested())
        ;
}

static int recompute(aggregd *self, totales_informe *inf, pmm_error *err)
{
    drain(self);   /* the queue first, so drift means real drift */
    if (db_ensure(self, err) != 0)
        return -1;
    if (totales_recompute(self->db, inf, err) != 0) {
        log_error("recálculo fallido: %s", err->mensaje);
        return -1;
    }
    if (inf->diferencias > 0)
        log_warn("recálculo: %lld fichas, %lld celdas, %lld diferencias reparadas "
                 "en %.2f s: %s",
                 inf->fichas, inf->celdas, inf->diferencias, inf->segundos,
                 inf->detalle);
    else
        log_info("recálculo: %lld fichas, %lld celdas, sin diferencias (%.2f s)",
                 inf->fichas, inf->celdas, inf->segundos);
    return 0;
}

static void reply_control(aggregd *self, const wire_identity *to,
                          const Pmm__Envelope *req, int ok, const char *msg)
{
    Pmm__Envelope out;
    Pmm__ControlReply r;
    wire_envelope_init(&out, PMM__MSG_TYPE__MSG_CONTROL_REPLY, req->request_id.data,
                       req->request_id.len);
    pmm__control_reply__init(&r);
    r.has_ok = r.has_message = 1;
    r.ok = ok;
    r.message.data = (uint8_t *)msg;
    r.message.len = strlen(msg);
    out.body_case = PMM__ENVELOPE__BODY_CONTROL_REPLY;
    out.control_reply = &r;
    pmm_error err;
    if (wire_send(self->control, to, &out, &err) != 0)
        log_debug("respuesta no entregada: %s", err.mensaje);
}

static void send_pong(aggregd *self, const wire_identity *to,
                      const Pmm__Envelope *req)
{
    Pmm__Envelope out;
    Pmm__Pong p;
    pmm_error err;
    wire_envelope_init(&out, PMM__MSG_TYPE__MSG_PONG, req->request_id.data,
                       req->request_id.len);
    pmm__pong__init(&p);
    p.has_component = p.has_server_time_us = p.has_database_ok = 1;
    p.component.data = (uint8_t *)"aggregd";
    p.component.len = 7;
    p.server_time_us = wire_now_us();
    p.database_ok = db_ensure(self, &err) == 0;
    out.body_case = PMM__ENVELOPE__BODY_PONG;
    out.pong = &p;
    if (wire_send(self->control, to, &out, &err) != 0)
        log_debug("pong no entregado: %s", err.mensaje);
}

static int may_control(const wire_identity *from)
{
    zap_identity who;
    zap_identity_parse(from->user, &who);
    return !strcmp(who.rol, "local") || !strcmp(who.rol, "analista") ||
           !strcmp(who.rol, "admin");
}

/* Is the key of this connection still valid? The handshake checked it
 * once; a revocation or expiry since then counts too. `force` reads the
 * table now instead of trusting the last second's copy. */
static int key_still_valid(aggregd *self, const wire_identity *from, int force,
                           pmm_error *why)
{
    zap_identity who;
    zap_identity_parse(from->user, &who);
    if (who.clave_id <= 0)
        return 1;
    pmm_error ignored;
    const char *motivo;
    PGconn *db = db_ensure(self, &ignored) == 0 ? self->db : NULL;
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

/* Reads the waiting hints. They only say "look at the queue"; one from a
 * key that may no longer act is dropped. Returns whether any counted. */
static int take_hints(aggregd *self)
{
    int counted = 0;
    for (;;) {
        zmq_msg_t m;
        zmq_msg_init(&m);
        if (zmq_msg_recv(&m, self->events, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&m);
            return counted;
        }
        wire_identity from = {.fd = zmq_msg_get(&m, ZMQ_SRCFD)};
        const char *user = zmq_msg_gets(&m, "User-Id");
        snprintf(from.user, sizeof from.user, "%s", user ? user : "");
        zmq_msg_close(&m);
        pmm_error why;
        if (from.user[0] && !key_still_valid(self, &from, 0, &why))
            continue;
        wire_monitor_frame(self->events_mon, from.fd);
        counted = 1;
    }
}

static void handle_control(aggregd *self)
{
    for (;;) {
        wire_identity from;
        pmm_error err;
        pmm_error_clear(&err);
        Pmm__Envelope *env = wire_recv(self->control, &from, ZMQ_DONTWAIT, &err);
        if (!env) {
            if (err.code == 0)
                return;
            pmm_error ignored;
            wire_send_refusal(self->control, &from, &err, &ignored);
            continue;
        }
        wire_monitor_frame(self->control_mon, from.fd);
        if (!key_still_valid(self, &from, env->type == PMM__MSG_TYPE__MSG_CONTROL, &err)) {
            pmm_error ignored;
            wire_send_error(self->control, &from, env->request_id.data,
                            env->request_id.len, &err, &ignored);
        } else if (env->type == PMM__MSG_TYPE__MSG_PING) {
            send_pong(self, &from, env);
        } else if (env->type == PMM__MSG_TYPE__MSG_CONTROL && !may_control(&from)) {
            pmm_error_set(&err, PMM__ERROR_CODE__ERR_DENIED, "", "no_autorizado",
                          "solo analistas y administradores pueden ordenar un recálculo");
            pmm_error ignored;
            wire_send_error(self->control, &from, env->request_id.data,
                            env->request_id.len, &err, &ignored);
        } else if (env->type == PMM__MSG_TYPE__MSG_CONTROL &&
                   env->control->has_command &&
                   env->control->command.len == 7 &&
                   !memcmp(env->control->command.data, "agregar", 7)) {
            totales_informe inf;
            char msg[1400];
            int ok = recompute(self, &inf, &err) == 0;
            if (ok)
                snprintf(msg, sizeof msg,
                         "recálculo completo: %lld fichas, %lld celdas comparadas, "
                         "%lld diferencias reparadas (%.2f s)%s%s",
                         inf.fichas, inf.celdas, inf.diferencias, inf.segundos,
                         inf.diferencias ? ": " : "", inf.detalle);
            else
                snprintf(msg, sizeof msg, "recálculo fallido: %s", err.mensaje);
            reply_control(self, &from, env, ok, msg);
        } else {
            pmm_error_set(&err, PMM__ERROR_CODE__ERR_TYPE, "type", "tipo_mensaje",
                          "mensaje no admitido por aggregd");
            pmm_error ignored;
            wire_send_error(self->control, &from, env->request_id.data,
                            env->request_id.len, &err, &ignored);
        }
        pmm__envelope__free_unpacked(env, NULL);
    }
}

static int bind_socket(aggregd *self, void **sock, int type, const char *key,
                       wire_monitor **mon, pmm_error *err)
{
    const char *endpoint = conf_get(self->conf, "aggregd", key, NULL);
    if (!endpoint || !*endpoint)
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, key, "requerido",
                             "falta [aggregd] %s en la configuración", key);
    int tcp = !strncmp(endpoint, "tcp://", 6);
    if (tcp && !self->has_cert)
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, key, "curve_requerido",
                             "el endpoint %s es TCP y exige CURVE: indique [aggregd] "
                             "certificado", endpoint);
    *sock = wire_socket_new(self->zctx, type, err);
    if (!*sock)
        return -1;
    if (tcp && zap_curve_server(*sock, &self->cert, err) != 0)
        return -1;
    if (tcp && !(*mon = wire_monitor_new(self->zctx, *sock, key, err)))
        return -1;
    if (zmq_bind(*sock, endpoint) != 0)
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, key, "zeromq",
                             "no se pudo escuchar en %s: %s", endpoint,
                             zmq_strerror(errno));
    log_info("%s en %s", key, endpoint);
    return 0;
}

static int aggregd_setup(aggregd *self, const char *conf_path, pmm_error *err)
{
    self->conf = conf_load(conf_path, err);
    if (!self->conf)
        return -1;
    log_init("aggregd", log_level_parse(conf_get(self->conf, "general", "log",
                                                 "info"), LOG_INFO));
    self->conninfo = conf_conninfo(self->conf, "aggregd");
    self->batch = (int)conf_get_long(self->conf, "aggregd", "lote", DEFAULT_BATCH);
    if (self->batch < 1 || self->batch > 100000)
        self->batch = DEFAULT_BATCH;
    long linger = conf_get_long(self->conf, "aggregd", "espera_lote_ms", DEFAULT_LINGER_MS);
    self->linger_ms = linger >= 0 && linger <= 60000 ? (int)linger : DEFAULT_LINGER_MS;
    self->interval_s = conf_get_long(self->conf, "aggregd", "recalculo_intervalo", 0);
    const char *daily = conf_get(self->conf, "aggregd", "recalculo", "03:00");
    int hh, mm;
    self->daily_minute = -1;
    if (strcmp(daily, "no") && sscanf(daily, "%d:%d", &hh, &mm) == 2 && hh >= 0 &&
        hh < 24 && mm >= 0 && mm < 60)
        self->daily_minute = hh * 60 + mm;
    self->next_recompute = plan_next(self, time(NULL));

    if (daemon_db_start(&self->db, self->conninfo, "pmm-aggregd", err) != 0)
        return -1;
    const char *cert = conf_get(self->conf, "aggregd", "certificado", NULL);
    if (cert && *cert) {
        if (cert_load(&self->cert, cert, err) != 0)
            return -1;
        self->has_cert = self->cert.secret_key[0] != '\0';
    }
    self->zctx = zmq_ctx_new();
    if (!self->zctx)
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "zeromq",
                             "no se pudo crear el contexto ZeroMQ");
    if (self->has_cert && !(self->zap = zap_handler_new(self->zctx, err)))
        return -1;
    if (!(self->claves = clave_vigencia_new(1000)))
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "memoria",
                             "sin memoria");
    log_limite_init(&self->refused, 30);
    if (bind_socket(self, &self->control, ZMQ_ROUTER, "endpoint", &self->control_mon,
                    err) != 0 ||
        bind_socket(self, &self->events, ZMQ_PULL, "eventos", &self->events_mon, err) != 0)
        return -1;
    return 0;
}

/* SIGHUP: re-reads the configuration file and applies [general] log and
 * [aggregd] lote from the next batch on; the rest (endpoints, schedule,
 * conninfo) takes a restart. */
static void aggregd_reload(aggregd *self)
{
    long lote = daemon_reload(self->conf, "aggregd", "aggregd", DEFAULT_BATCH, 100000);
    if (lote > 0)
        self->batch = (int)lote;
}

static void aggregd_teardown(aggregd *self)
{
    if (self->control)
        zmq_close(self->control);
    if (self->events)
        zmq_close(self->events);
    zap_handler_destroy(&self->zap);
    wire_monitor_destroy(&self->control_mon);
    wire_monitor_destroy(&self->events_mon);
    clave_vigencia_destroy(&self->claves);
    if (self->zctx)
        zmq_ctx_term(self->zctx);
    if (self->db)
        PQfinish(self->db);
    conf_destroy(&self->conf);
}

int main(int argc, char **argv)
{
    const char *conf_path;
    int rc0 = daemon_init(argc, argv, "aggregd", &conf_path);
    if (rc0 != 0)
        return rc0;
    aggregd self;
    memset(&self, 0, sizeof self);
    pmm_error err;
    pmm_error_clear(&err);
    if (aggregd_setup(&self, conf_path, &err) != 0) {
        log_error("%s", err.mensaje);
        aggregd_teardown(&self);
        return 1;
    }
    notify_ready("agregando");
    int backlog = 1;       /* whatever was queued while we were down */
    int hinted = 0;        /* hints arrived since the last drain */
    int64_t last_drain = 0, last_hint = 0;
    while (!signals_stop_requested()) {
        notify_watchdog();
        if (signals_take_reload())
            aggregd_reload(&self);
        zmq_pollitem_t items[5] = {{self.control, 0, ZMQ_POLLIN, 0},
                                   {self.events, 0, ZMQ_POLLIN, 0}};
        int np = 2, i_zap = -1, i_cmon = -1, i_emon = -1;
        if (self.zap) {
            i_zap = np;
            items[np++] = (zmq_pollitem_t){zap_handler_socket(self.zap), 0, ZMQ_POLLIN, 0};
        }
        if (self.control_mon) {
            i_cmon = np;
            items[np++] =
                (zmq_pollitem_t){wire_monitor_socket(self.control_mon), 0, ZMQ_POLLIN, 0};
        }
        if (self.events_mon) {
            i_emon = np;
            items[np++] =
                (zmq_pollitem_t){wire_monitor_socket(self.events_mon), 0, ZMQ_POLLIN, 0};
        }
        long timeout = drain_wait_ms(&self, backlog, hinted, last_drain, last_hint);
        int rc = zmq_poll(items, np, timeout);
        if (rc < 0) {
            if (errno == EINTR)
                continue;
            log_error("zmq_poll: %s", zmq_strerror(errno));
            break;
        }
        if (i_zap >= 0 && (items[i_zap].revents & ZMQ_POLLIN))
            zap_handler_serve(self.zap, db_ensure(&self, &err) == 0 ? self.db : NULL);
        if (i_cmon >= 0 && (items[i_cmon].revents & ZMQ_POLLIN))
            wire_monitor_serve(self.control_mon);
        if (i_emon >= 0 && (items[i_emon].revents & ZMQ_POLLIN))
            wire_monitor_serve(self.events_mon);
        if (items[0].revents & ZMQ_POLLIN)
            handle_control(&self);
        /* hints only say "look at the queue": discard them, then look */
        if ((items[1].revents & ZMQ_POLLIN) && take_hints(&self)) {
            hinted = 1;
            last_hint = wire_now_us();
        }
        if (drain_wait_ms(&self, backlog, hinted, last_drain, last_hint) == 0) {
            long long before = self.applied_total;
            backlog = drain_slice(&self, 500000);
            hinted = 0;
            last_drain = wire_now_us();
            if (self.applied_total != before)
                daemon_trim_memory();
        }
        if (self.next_recompute && time(NULL) >= self.next_recompute) {
            totales_informe inf;
            recompute(&self, &inf, &err);
            self.next_recompute = plan_next(&self, time(NULL));
        }
    }
    notify_stopping();
    log_info("detenido; %lld fichas agregadas en esta ejecución", self.applied_total);
    aggregd_teardown(&self);
    return 0;
}
