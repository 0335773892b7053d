/* daemon.c -- the skeleton's life cycle: start-up (arguments, signals,
 * configuration, log), the database connection, SIGHUP, tear-down. */
#include "daemon_int.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db.h"
#include "log.h"
#include "signals.h"

static log_level level_of(const pmm_conf *conf)
{
    return log_level_parse(conf_str(conf, "general", "log"), LOG_INFO);
}

pmm_daemon *daemon_new(int argc, char **argv, const daemon_desc *desc, int *exit_code)
{
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--config") && i + 1 < argc) {
            path = argv[++i];
        } else {
            fprintf(stderr, "uso: %s [--config ARCHIVO]\n", desc->name);
            *exit_code = 2;
            return NULL;
        }
    }
    *exit_code = 1;
    log_init(desc->name, LOG_INFO);
    if (signals_install() != 0) {
        log_error("no se pudieron instalar los manejadores de señales");
        return NULL;
    }
    pmm_daemon *self = calloc(1, sizeof *self);
    if (!self) {
        log_error("sin memoria");
        return NULL;
    }
    snprintf(self->name, sizeof self->name, "%s", desc->name);
    snprintf(self->section, sizeof self->section, "%s", desc->section);
    snprintf(self->app, sizeof self->app, "pmm-%s", desc->name);
    self->program = desc->program;
    log_limite_init(&self->bad_frames, 30);
    log_limite_init(&self->refused, 30);
    if (!(self->claves = clave_vigencia_new(1000))) {
        log_error("sin memoria");
        daemon_destroy(&self);
        return NULL;
    }
    pmm_error err;
    pmm_error_clear(&err);
    self->conf = conf_load(path, desc->program, db_conninfo_check, &err);
    if (!self->conf) {
        log_error("configuración no válida: %s", err.mensaje);
        daemon_destroy(&self);
        return NULL;
    }
    log_init(desc->name, level_of(self->conf));
    self->zctx = zmq_ctx_new();
    if (!self->zctx) {
        log_error("no se pudo crear el contexto ZeroMQ");
        daemon_destroy(&self);
        return NULL;
    }
    return self;
}

void daemon_destroy(pmm_daemon **self_p)
{
    if (!self_p || !*self_p)
        return;
    pmm_daemon *self = *self_p;
    for (int i = 0; i < self->nsocks; i++) {
        zmq_close(self->socks[i].sock);
        wire_monitor_destroy(&self->socks[i].mon);
    }
    zap_handler_destroy(&self->zap);
    clave_vigencia_destroy(&self->claves);
    if (self->zctx)
        zmq_ctx_term(self->zctx);
    if (self->db)
        PQfinish(self->db);
    conf_destroy(&self->conf);
    free(self);
    *self_p = NULL;
}

const pmm_conf *daemon_conf(const pmm_daemon *self)
{
    return self->conf;
}

const char *daemon_name(const pmm_daemon *self)
{
    return self->name;
}

PGconn *daemon_db(pmm_daemon *self, pmm_error *err)
{
    return db_reconnect(&self->db, conf_conninfo(self->conf, self->section), self->app,
                        err) == 0
               ? self->db
               : NULL;
}

int daemon_db_start(pmm_daemon *self, pmm_error *err)
{
    long wait_ms = 500;
    for (;;) {
        pmm_error_clear(err);
        if (daemon_db(self, err) && db_migrate(self->db, err) == 0)
            return 0;
        if (!db_retryable(err->regla) || signals_stop_requested())
            return -1;
        log_warn("PostgreSQL no disponible al arrancar (reintento en %ld ms): %s",
                 wait_ms, err->mensaje);
        /* sleep in short steps so that a stop is not kept waiting */
        for (long slept = 0; slept < wait_ms && !signals_stop_requested(); slept += 100) {
            struct timespec ts = {0, 100 * 1000000L};
            nanosleep(&ts, NULL);
        }
        if (signals_stop_requested())
            return -1;
        wait_ms = wait_ms * 2 > 10000 ? 10000 : wait_ms * 2;
    }
}

static void report_change(void *arg, int applied, const char *line)
{
    (void)arg;
    (void)applied;   /* the line says "(se aplicará al reiniciar)" when not */
    log_info("SIGHUP: %s", line);
}

void daemon_reload_now(pmm_daemon *self)
{
    pmm_error err;
    pmm_error_clear(&err);
    pmm_conf *next = conf_load(conf_path(self->conf), self->program, db_conninfo_check,
                               &err);
    if (!next) {
        log_warn("SIGHUP: configuración no aplicada, sigue la anterior: %s", err.mensaje);
        return;
    }
    if (self->reload && self->reload(self, next, self->reload_arg, &err) != 0) {
        log_warn("SIGHUP: configuración no aplicada, sigue la anterior: %s", err.mensaje);
        conf_destroy(&next);
        return;
    }
    /* the new level first, so that the changes show at it */
    log_init(self->name, level_of(next));
    int applied = conf_adopt(self->conf, next, report_change, self);
    if (applied < 0) {
        log_init(self->name, level_of(self->conf));
        log_warn("SIGHUP: sin memoria; sigue la configuración anterior");
    } else {
        log_info("SIGHUP: configuración releída de %s: %d %s",
                 conf_path(next) ? conf_path(next) : "el entorno", applied,
                 applied == 1 ? "cambio aplicado" : "cambios aplicados");
    }
    conf_destroy(&next);
}

int daemon_main(int argc, char **argv, const daemon_desc *desc, void *arg)
{
    int rc;
    pmm_daemon *self = daemon_new(argc, argv, desc, &rc);
    if (!self)
        return rc;
    pmm_error err;
    pmm_error_clear(&err);
    if (desc->setup(self, arg, &err) != 0) {
        log_error("%s", err.mensaje);
        rc = 1;
    } else {
        rc = daemon_run(self, desc->status) != 0;
        if (desc->stop)
            desc->stop(self, arg);
        log_info("detenido; %lld fichas %s en esta ejecución", self->done, desc->done);
    }
    daemon_destroy(&self);
    if (desc->cleanup)
        desc->cleanup(arg);
    return rc;
}

void daemon_count(pmm_daemon *self, long long fichas)
{
    self->done += fichas;
}

void daemon_trim_memory(void)
{
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}
