/* daemon_int.h -- the skeleton's state, shared by its three files
 * (daemon.c: life cycle, configuration, database; daemon_red.c: sockets;
 * daemon_bucle.c: the loop). Not for the daemons themselves. */
#ifndef PMM_DAEMON_INT_H
#define PMM_DAEMON_INT_H

#include "cert.h"
#include "clave_vigencia.h"
#include "daemon.h"
#include "log_limite.h"
#include "wire_monitor.h"
#include "zap.h"

#define DAEMON_MAX_SOCKETS 8

typedef struct {
    void *sock;
    wire_monitor *mon;      /* tcp:// sockets that receive; NULL otherwise */
    daemon_handler fn;      /* NULL: not polled by the loop */
    void *arg;
} daemon_socket;

struct pmm_daemon {
    char name[32];
    char section[32];
    char app[48];                /* PostgreSQL application_name */
    unsigned program;
    pmm_conf *conf;
    PGconn *db;
    void *zctx;
    zap_handler *zap;            /* authenticates the tcp:// connections */
    pmm_cert cert;               /* [cert_section] certificado */
    char cert_section[32];       /* "" until loaded */
    daemon_socket socks[DAEMON_MAX_SOCKETS];
    int nsocks;
    log_limite bad_frames;       /* "trama rechazada" lines per minute */
    clave_vigencia *claves;      /* keys that may no longer act (re-read each second) */
    log_limite refused;          /* "mensaje rechazado" lines per minute */
    long long done;              /* fichas done in this run (daemon_count) */
    daemon_sleep_fn before_sleep;
    void *before_sleep_arg;
    daemon_hook after_events;
    void *after_events_arg;
    daemon_reload_fn reload;
    void *reload_arg;
};

/* SIGHUP: re-reads, checks and applies the configuration (daemon.c). */
void daemon_reload_now(pmm_daemon *self);
/* The entry of a socket the daemon owns, or NULL (daemon_red.c). */
daemon_socket *daemon_socket_of(pmm_daemon *self, void *sock);

#endif
