#include "daemon.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "conf.h"
#include "db.h"
#include "log.h"
#include "signals.h"

int daemon_init(int argc, char **argv, const char *name, const char **conf_path)
{
    *conf_path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--config") && i + 1 < argc) {
            *conf_path = argv[++i];
        } else {
            fprintf(stderr, "uso: %s [--config ARCHIVO]\n", name);
            return 2;
        }
    }
    log_init(name, LOG_INFO);
    if (signals_install() != 0) {
        log_error("no se pudieron instalar los manejadores de señales");
        return 1;
    }
    return 0;
}

long daemon_reload(const pmm_conf *current, const char *name, const char *section,
                   long fallback, long max)
{
    pmm_error err;
    pmm_conf *c = conf_load(conf_path(current), &err);
    if (!c) {
        log_warn("SIGHUP: no se pudo releer la configuración (sigue la anterior): %s",
                 err.mensaje);
        return -1;
    }
    const char *level = conf_get(c, "general", "log", "info");
    log_init(name, log_level_parse(level, LOG_INFO));
    long lote = conf_get_long(c, section, "lote", fallback);
    if (lote < 1 || lote > max)
        lote = fallback;
    log_info("SIGHUP: configuración releída: log %s, lote %ld (lo demás, al reiniciar)",
             level, lote);
    conf_destroy(&c);
    return lote;
}

int daemon_db_start(PGconn **db, const char *conninfo, const char *app, pmm_error *err)
{
    long wait_ms = 500;
    for (;;) {
        pmm_error_clear(err);
        if (db_reconnect(db, conninfo, app, err) == 0 && db_migrate(*db, err) == 0)
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

void daemon_trim_memory(void)
{
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}
