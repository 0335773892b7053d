/* aggregd -- the aggregator and scheduler.
 *
 * Keeps `totales` up to date from the cola_agregar queue (filled by the
 * classifier workers and by analyst decisions), woken by MSG_CLASSIFIED
 * hints on its PULL socket or by a short poll. Once a day (or as
 * configured) and on demand (`pmm agregar --ahora`, a MSG_CONTROL on its
 * ROUTER) it recomputes every total from the fichas and repairs drift.
 *
 * Configuration ([aggregd], lib/base/conf_tabla.c): endpoint (control
 * ROUTER, bind), eventos (PULL, bind), lote (fichas per transaction),
 * espera_lote_ms (how long hints may gather before the queue is applied),
 * recalculo (daily time HH:MM, or "no"), recalculo_intervalo (seconds;
 * overrides the daily time). SIGHUP applies the last four.
 *
 * lote (8,000 by default) is large enough that a backlog's fichas share
 * cells (one update of a cell per batch), small enough (under a second) to
 * keep pings answered; a batch holds at most 1,024 advisory locks
 * (008_franjas.sql) whatever its size. espera_lote_ms (1,500 by default):
 * a busy pipeline's totals lag by up to this much; for yearly reports that
 * is nothing, and 1.5 s of work shares cells three times as much as 0.5 s
 * did (aggregd's PostgreSQL time per ficha 105 -> 77 us at ~3,500
 * fichas/s).
 *
 * Why gather: the fichas of one batch share most of their totals cells
 * (the same year, objective, axis, SDG...), and each distinct cell costs
 * one row update per batch. Applying every classifier commit (~250 fichas)
 * at once wrote ~17 cells per ficha; gathering a second and a half
 * of work writes a few. The queue is applied sooner when the hints stop (the
 * work has paused or ended) or a full batch may be waiting.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf.h"
#include "daemon.h"
#include "db.h"
#include "indice.h"
#include "log.h"
#include "notify.h"
#include "signals.h"
#include "totales.h"
#include "wire.h"
#include "zap.h"

/* hints stop for this long: the work paused or ended, apply it now */
#define QUIET_MS 100
/* without hints (one lost, an event queued by hand) look every POLL_MS */
#define POLL_MS 2000
/* fichas indexed per transaction while the pipeline is idle (indice.h):
 * about a tenth of a second of work on 3 KB fichas */
#define INDEX_BATCH 400

typedef struct {
    pmm_daemon *d;
    void *control;
    void *events;
    int batch;              /* [aggregd] lote */
    int linger_ms;          /* [aggregd] espera_lote_ms */
    long interval_s;        /* > 0: recompute every interval_s seconds */
    int daily_minute;       /* minute of the day (UTC) or -1 */
    time_t next_recompute;
    int backlog;            /* work may be waiting (at start-up: whatever was queued) */
    int hinted;             /* hints arrived since the last drain */
    int64_t last_drain, last_hint;
    long long applied_total;
    int index_more;         /* the index queue may hold more */
    int64_t index_due;      /* next look at the index queue */
} aggregd;

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
        PGconn *db = daemon_db(self->d, &err);
        if (!db) {
            log_warn("PostgreSQL no disponible: %s", err.mensaje);
            return 0;
        }
        long long changed = 0;
        int n = totales_drain(db, self->batch, &changed, &err);
        if (n < 0) {
            log_warn("agregación interrumpida (SQLSTATE %s): %s", err.regla,
                     err.mensaje);
            return 0;
        }
        self->applied_total += n;
        daemon_count(self->d, n);
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
static long drain_wait_ms(const aggregd *self)
{
    if (self->backlog)
        return 0;
    int64_t now = wire_now_us();
    int64_t due = self->last_drain + (int64_t)(self->hinted ? self->linger_ms : POLL_MS) * 1000;
    if (self->hinted && self->last_hint + QUIET_MS * 1000 < due)
        due = self->last_hint + QUIET_MS * 1000;
    return due <= now ? 0 : (long)((due - now + 999) / 1000);
}

/* Indexes queued fichas (search, duplicates, programme links) for at most
 * a slice of time, only while nothing waits to be classified or
 * aggregated: the index never slows the receipt -> totals path. Returns 1
 * when work may remain. */
static int index_slice(aggregd *self, int64_t budget_us)
{
    int64_t until = wire_now_us() + budget_us;
    for (;;) {
        pmm_error err;
        pmm_error_clear(&err);
        PGconn *db = daemon_db(self->d, &err);
        if (!db)
            return 0;
        int idle = indice_ocioso(db, &err);
        if (idle <= 0) {
            if (idle < 0)
                log_warn("índice: %s", err.mensaje);
            return 0;
        }
        long long indexed = 0;
        int n = indice_lote(db, INDEX_BATCH, &indexed, &err);
        if (n < 0) {
            log_warn("indexación interrumpida (SQLSTATE %s): %s", err.regla, err.mensaje);
            return 0;
        }
        if (n > 0)
            log_debug("%d fichas tomadas para el índice (%lld indexadas)", n, indexed);
        if (n < INDEX_BATCH)
            return 0;
        if (wire_now_us() >= until)
            return 1;
    }
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
    PGconn *db = daemon_db(self->d, err);
    if (!db)
        return -1;
    if (totales_recompute(db, inf, err) != 0) {
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

static int may_control(const wire_identity *from)
{
    zap_identity who;
    zap_identity_parse(from->user, &who);
    return !strcmp(who.rol, "local") || !strcmp(who.rol, "analista") ||
           !strcmp(who.rol, "admin");
}

/* Reads the waiting hints. They only say "look at the queue"; one from a
 * key that may no longer act is dropped. */
static void take_hints(pmm_daemon *d, void *sock, void *arg)
{
    aggregd *self = arg;
    for (;;) {
        zmq_msg_t m;
        zmq_msg_init(&m);
        if (zmq_msg_recv(&m, sock, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&m);
            return;
        }
        wire_identity from = {.fd = zmq_msg_get(&m, ZMQ_SRCFD)};
        const char *user = zmq_msg_gets(&m, "User-Id");
        snprintf(from.user, sizeof from.user, "%s", user ? user : "");
        zmq_msg_close(&m);
        pmm_error why;
        if (from.user[0] && !daemon_key_valid(d, &from, 0, &why))
            continue;
        daemon_frame(d, sock, from.fd);
        self->hinted = 1;
        self->last_hint = wire_now_us();
    }
}

static void handle_control(pmm_daemon *d, void *sock, void *arg)
{
    aggregd *self = arg;
    wire_identity from;
    Pmm__Envelope *env;
    while ((env = daemon_recv(d, sock, &from))) {
        pmm_error err;
        pmm_error_clear(&err);
        if (!daemon_key_valid(d, &from, env->type == PMM__MSG_TYPE__MSG_CONTROL, &err)) {
            pmm_error ignored;
            wire_send_error(self->control, &from, env->request_id.data,
                            env->request_id.len, &err, &ignored);
        } else if (env->type == PMM__MSG_TYPE__MSG_PING) {
            daemon_send_pong(d, sock, &from, env);
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

/* Before each poll: applies the queue when it is due (a backlog, hints
 * that have gathered long enough or stopped, or the poll interval), runs
 * the recompute when it is due, and says how long the poll may wait. */
static long due_work(pmm_daemon *d, void *arg)
{
    (void)d;
    aggregd *self = arg;
    if (drain_wait_ms(self) == 0) {
        long long before = self->applied_total;
        self->backlog = drain_slice(self, 500000);
        self->hinted = 0;
        self->last_drain = wire_now_us();
        if (self->applied_total != before)
            daemon_trim_memory();
    }
    if (self->next_recompute && time(NULL) >= self->next_recompute) {
        totales_informe inf;
        pmm_error err;
        recompute(self, &inf, &err);
        self->next_recompute = plan_next(self, time(NULL));
    }
    long wait = drain_wait_ms(self);
    int64_t now = wire_now_us();
    if (!self->backlog && !self->hinted && (self->index_more || now >= self->index_due)) {
        self->index_more = index_slice(self, 300000);
        self->index_due = wire_now_us() + (int64_t)POLL_MS * 1000;
    }
    if (self->index_more && !self->hinted)
        wait = 0;
    return drain_wait_ms(self) < wait ? drain_wait_ms(self) : wait;
}

/* The batching and schedule keys, at start-up and on SIGHUP. */
static void apply_settings(aggregd *self, const pmm_conf *conf, int plan)
{
    self->batch = (int)conf_long(conf, "aggregd", "lote");
    self->linger_ms = (int)conf_long(conf, "aggregd", "espera_lote_ms");
    long interval = conf_long(conf, "aggregd", "recalculo_intervalo");
    int daily = (int)conf_long(conf, "aggregd", "recalculo");
    if (plan || interval != self->interval_s || daily != self->daily_minute) {
        self->interval_s = interval;
        self->daily_minute = daily;
        self->next_recompute = plan_next(self, time(NULL));
    }
}

/* SIGHUP, between batches: [aggregd] lote, espera_lote_ms, recalculo and
 * recalculo_intervalo (the next recompute is planned again when they
 * change); endpoints, keys and conninfo take a restart. */
static int apply_reload(pmm_daemon *d, const pmm_conf *next, void *arg, pmm_error *err)
{
    (void)d;
    (void)err;
    apply_settings(arg, next, 0);
    return 0;
}

static int aggregd_setup(pmm_daemon *d, void *arg, pmm_error *err)
{
    aggregd *self = arg;
    self->d = d;
    const pmm_conf *conf = daemon_conf(d);
    const char *missing = !conf_str(conf, "aggregd", "endpoint") ? "endpoint"
                          : !conf_str(conf, "aggregd", "eventos") ? "eventos"
                                                                  : NULL;
    if (missing)
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, missing, "requerido",
                             "falta [aggregd] %s en la configuración", missing);
    apply_settings(self, conf, 1);
    self->backlog = 1;         /* whatever was queued while we were down */
    if (daemon_db_start(self->d, err) != 0 ||
        daemon_bind(self->d, "aggregd", "endpoint", ZMQ_ROUTER, &self->control, err) != 0 ||
        daemon_bind(self->d, "aggregd", "eventos", ZMQ_PULL, &self->events, err) != 0)
        return -1;
    daemon_on_readable(self->d, self->control, handle_control, self);
    daemon_on_readable(self->d, self->events, take_hints, self);
    daemon_before_sleep(self->d, due_work, self);
    daemon_on_reload(self->d, apply_reload, self);
    return 0;
}

int main(int argc, char **argv)
{
    /* name, what it reads, its section; systemd status, summary; hooks */
    static const daemon_desc desc = {"aggregd", CONF_AGGREGD, "aggregd", "agregando",
                                     "agregadas", aggregd_setup, NULL, NULL};
    aggregd self = {0};
    return daemon_main(argc, argv, &desc, &self);
}
