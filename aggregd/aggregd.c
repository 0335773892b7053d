/* aggregd -- the aggregator and scheduler.
 *
 * Control socket (ROUTER): answers PING with its status. Aggregation of
 * classified fichas into the totals tables is added on top of this loop.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "db.h"
#include "log.h"
#include "signals.h"
#include "wire.h"

typedef struct {
    pmm_conf *conf;
    const char *conninfo;
    PGconn *db;
    void *zctx;
    void *control;
} aggregd;

static int db_ensure(aggregd *self, pmm_error *err)
{
    if (self->db && PQstatus(self->db) == CONNECTION_OK)
        return 0;
    if (self->db)
        PQfinish(self->db);
    self->db = db_connect(self->conninfo, "pmm-aggregd", err);
    return self->db ? 0 : -1;
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
            wire_send_error(self->control, &from, NULL, 0, &err, &ignored);
            continue;
        }
        if (env->type == PMM__MSG_TYPE__MSG_PING) {
            Pmm__Envelope out;
            Pmm__Pong p;
            wire_envelope_init(&out, PMM__MSG_TYPE__MSG_PONG, env->request_id.data,
                               env->request_id.len);
            pmm__pong__init(&p);
            p.has_component = p.has_server_time_us = p.has_database_ok = 1;
            p.component.data = (uint8_t *)"aggregd";
            p.component.len = 7;
            p.server_time_us = wire_now_us();
            p.database_ok = db_ensure(self, &err) == 0;
            out.body_case = PMM__ENVELOPE__BODY_PONG;
            out.pong = &p;
            if (wire_send(self->control, &from, &out, &err) != 0)
                log_debug("pong no entregado: %s", err.mensaje);
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

static int aggregd_setup(aggregd *self, const char *conf_path, pmm_error *err)
{
    self->conf = conf_load(conf_path, err);
    if (!self->conf)
        return -1;
    log_init("aggregd", log_level_parse(conf_get(self->conf, "general", "log",
                                                 "info"), LOG_INFO));
    self->conninfo = conf_get(self->conf, "postgresql", "conninfo", "");
    if (db_ensure(self, err) != 0 || db_migrate(self->db, err) != 0)
        return -1;
    const char *endpoint = conf_get(self->conf, "aggregd", "endpoint", NULL);
    if (!endpoint)
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL,
                             "aggregd.endpoint", "requerido",
                             "falta [aggregd] endpoint en la configuración");
    self->zctx = zmq_ctx_new();
    if (!self->zctx)
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "zeromq",
                             "no se pudo crear el contexto ZeroMQ");
    self->control = wire_socket_new(self->zctx, ZMQ_ROUTER, err);
    if (!self->control)
        return -1;
    if (zmq_bind(self->control, endpoint) != 0)
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL,
                             "aggregd.endpoint", "zeromq",
                             "no se pudo escuchar en %s: %s", endpoint,
                             zmq_strerror(errno));
    log_info("escuchando en %s", endpoint);
    return 0;
}

static void aggregd_teardown(aggregd *self)
{
    if (self->control)
        zmq_close(self->control);
    if (self->zctx)
        zmq_ctx_term(self->zctx);
    if (self->db)
        PQfinish(self->db);
    conf_destroy(&self->conf);
}

int main(int argc, char **argv)
{
    const char *conf_path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--config") && i + 1 < argc)
            conf_path = argv[++i];
        else {
            fprintf(stderr, "uso: aggregd [--config ARCHIVO]\n");
            return 2;
        }
    }
    log_init("aggregd", LOG_INFO);
    if (signals_install() != 0) {
        log_error("no se pudieron instalar los manejadores de señales");
        return 1;
    }
    aggregd self;
    memset(&self, 0, sizeof self);
    pmm_error err;
    pmm_error_clear(&err);
    if (aggregd_setup(&self, conf_path, &err) != 0) {
        log_error("%s", err.mensaje);
        aggregd_teardown(&self);
        return 1;
    }
    while (!signals_stop_requested()) {
        zmq_pollitem_t items[] = {{self.control, 0, ZMQ_POLLIN, 0}};
        int rc = zmq_poll(items, 1, 1000);
        if (rc < 0) {
            if (errno == EINTR)
                continue;
            log_error("zmq_poll: %s", zmq_strerror(errno));
            break;
        }
        if (items[0].revents & ZMQ_POLLIN)
            handle_control(&self);
    }
    log_info("detenido");
    aggregd_teardown(&self);
    return 0;
}
