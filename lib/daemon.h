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

#endif
