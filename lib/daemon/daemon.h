/* daemon.h -- the start-up every pmm daemon does the same way: parse
 * `--config FILE`, set up logging under the daemon's name, install the
 * signal handlers. */
#ifndef PMM_DAEMON_H
#define PMM_DAEMON_H

/* Returns 0 with *conf_path set (NULL: the default lookup), or the exit
 * code to return from main() after printing why (2 usage, 1 failure). */
int daemon_init(int argc, char **argv, const char *name, const char **conf_path);

struct pmm_conf;

/* SIGHUP: re-reads the configuration file `current` came from, applies
 * [general] log, and returns [section] lote when it lies in 1..max (else
 * fallback). On a read error it logs, keeps everything and returns -1. The
 * rest of the configuration (endpoints, keys, conninfo, schedule) takes a
 * restart. */
long daemon_reload(const struct pmm_conf *current, const char *name,
                   const char *section, long fallback, long max);

#include <libpq-fe.h>

#include "error.h"

/* Connects *db and applies the migrations, waiting for PostgreSQL as long
 * as it takes: a daemon started before its database (at boot, or while it
 * restarts) waits instead of exiting. Retries failures to connect (a
 * refused login too: the roles may not exist yet) after 0.5 s, doubling up
 * to 10 s, logging each; returns -1 with err on any other failure (a
 * migration that fails) or when a stop is requested. */
int daemon_db_start(PGconn **db, const char *conninfo, const char *app, pmm_error *err);

/* Gives the memory freed by a finished unit of work back to the system.
 * A batch of thousands of fichas frees megabytes in many small blocks,
 * which glibc keeps in the heap: without this a daemon's resident size is
 * the high-water mark of its largest batch, not what it holds. */
void daemon_trim_memory(void);

#endif
