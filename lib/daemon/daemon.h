/* daemon.h -- the skeleton every pmm daemon fills in.
 *
 * A pmm_daemon owns what the three daemons used to set up each for
 * itself: the checked configuration (conf.h, the program's table), the
 * PostgreSQL connection (reconnected on demand), the ZeroMQ context, every
 * socket it binds or connects (tcp:// ones with CURVE, the ZAP handler that
 * checks the keys, and a wire_monitor that logs what libzmq refuses), the
 * signals, systemd's readiness and watchdog, and the main loop. It is
 * shaped like a CZMQ actor or Redis' `ae` loop:
 *
 *     main: daemon_main(argc, argv, &desc, &self)    args, signals, config, log;
 *     desc.setup(d, &self, &err):                     then the daemon's own set-up:
 *         daemon_db_start(d, &err);                   wait for PostgreSQL, migrate
 *         daemon_bind(d, "aggregd", "endpoint", ZMQ_ROUTER, &sock, &err);
 *         daemon_on_readable(d, sock, handle_control, self);
 *         daemon_before_sleep(d, due_work, self);     returns the poll timeout
 *         daemon_on_reload(d, apply_reloadable, self);
 *     daemon_run(d, desc.status);                     until SIGTERM
 *     desc.stop(d, &self); summary; daemon_destroy(&d); desc.cleanup(&self);
 *
 * One turn of the loop: systemd's watchdog; a pending SIGHUP (the file is
 * read and checked again: on any error the running configuration stays and
 * the reason is logged; else the reload hook applies the reloadable keys and
 * each change is logged, "[ingestd] lote: 512 -> 1000"); the before-sleep
 * hook (work that is due; it returns how long the poll may wait); zmq_poll;
 * the ZAP handler and the monitors; the readable sockets' handlers, in the
 * order they were registered; then the after-events hook (ingestd stores
 * and acknowledges there what its handlers gathered from both sockets, in
 * one transaction). SIGTERM ends the loop between two turns.
 */
#ifndef PMM_DAEMON_H
#define PMM_DAEMON_H

#include <libpq-fe.h>

#include "conf.h"
#include "error.h"
#include "wire.h"

typedef struct pmm_daemon pmm_daemon;

typedef struct pmm_daemon_desc daemon_desc;

/* A daemon's whole life: daemon_new, desc->setup (its data, the database,
 * its sockets and handlers), daemon_run, desc->stop (finish what arrived),
 * the summary ("detenido; N fichas guardadas en esta ejecución"),
 * daemon_destroy, desc->cleanup. arg is the daemon's own state, handed to
 * the hooks. Returns main()'s exit code: 0 after an orderly stop, 1 when the
 * set-up or the loop failed (logged), 2 on a usage error. */
int daemon_main(int argc, char **argv, const daemon_desc *desc, void *arg);

/* Parses `--config FILE`, installs the signal handlers, loads and checks
 * the configuration and sets the log level from it. NULL with *exit_code
 * (2 usage, 1 anything else) after writing why on stderr. */
pmm_daemon *daemon_new(int argc, char **argv, const daemon_desc *desc, int *exit_code);
/* Closes every socket, the monitors, the ZAP handler, the context, the
 * database connection and the configuration. */
void daemon_destroy(pmm_daemon **self_p);

const pmm_conf *daemon_conf(const pmm_daemon *self);
const char *daemon_name(const pmm_daemon *self);

/* Connects to PostgreSQL and applies the migrations, waiting for it as
 * long as it takes: a daemon started before its database (at boot, or
 * while it restarts) waits instead of exiting. Retries failures to connect
 * (a refused login too: the roles may not exist yet) after 0.5 s, doubling
 * up to 10 s, logging each; returns -1 with err on any other failure (a
 * migration that fails) or when a stop is requested. */
int daemon_db_start(pmm_daemon *self, pmm_error *err);
/* The connection, reconnected first when it was lost; NULL with err when
 * PostgreSQL cannot be reached now (the daemons call this before each unit
 * of work, so a lost connection is retried, never fatal). */
PGconn *daemon_db(pmm_daemon *self, pmm_error *err);

/* Binds a socket of `type` on [section] key. Sets *sock to NULL and
 * returns 0 when the key is unset. A tcp:// endpoint only with CURVE: the
 * key pair of [section] certificado (loaded with the first bind that needs
 * it, or that finds it configured; the ZAP handler starts then, before any
 * CURVE socket binds), and a wire_monitor when the socket receives. The
 * socket belongs to the daemon. -1 with err on any failure. */
int daemon_bind(pmm_daemon *self, const char *section, const char *key, int type,
                void **sock, pmm_error *err);
/* Connects a socket of `type` to every endpoint of the list in [section]
 * key; tcp:// ones with CURVE, as a client: this daemon's key from
 * [<own section>] clave, the server's public key from [section]
 * clave_servidor. *sock NULL and 0 when the key is unset. */
int daemon_connect(pmm_daemon *self, const char *section, const char *key, int type,
                   void **sock, pmm_error *err);

/* The next valid envelope waiting on a socket the daemon bound, or NULL
 * when nothing more is waiting. A frame that is not a valid envelope is
 * answered with a refusal and logged (at most 30 lines a minute) here; a
 * valid one is counted for the socket's monitor. */
Pmm__Envelope *daemon_recv(pmm_daemon *self, void *sock, wire_identity *from);
/* A valid frame arrived on sock from the connection fd (for messages read
 * without daemon_recv, such as wake-up hints). */
void daemon_frame(pmm_daemon *self, void *sock, int fd);
/* Is the key of this connection still allowed to act? The handshake
 * checked it once; a revocation or expiry since then counts too, through a
 * copy of the keys that may not act re-read at most every second (`force`
 * reads the table now: for rare, weighty commands). Local clients (no key)
 * may. 0 with why (ERR_DENIED, regla clave_revocada, clave_vencida or
 * sin_base_de_datos) when not, logged at most 30 times a minute.
 * (ingestd checks its keys inside the storing transaction instead.) */
int daemon_key_valid(pmm_daemon *self, const wire_identity *from, int force,
                     pmm_error *why);
/* Answers a PING: component, server time and whether the database
 * answers. */
void daemon_send_pong(pmm_daemon *self, void *sock, const wire_identity *to,
                      const Pmm__Envelope *req);

/* Handlers and hooks (arg is handed back as given). */
typedef int (*daemon_setup_fn)(pmm_daemon *d, void *arg, pmm_error *err);
typedef void (*daemon_handler)(pmm_daemon *d, void *sock, void *arg);
typedef long (*daemon_sleep_fn)(pmm_daemon *d, void *arg);
typedef void (*daemon_hook)(pmm_daemon *d, void *arg);
/* Reads the reloadable keys from `next` (the file just read and checked)
 * and applies them; -1 with err keeps the whole running configuration. */
typedef int (*daemon_reload_fn)(pmm_daemon *d, const pmm_conf *next, void *arg,
                                pmm_error *err);

struct pmm_daemon_desc {
    const char *name;        /* "ingestd": log component, Pong.component */
    unsigned program;        /* CONF_INGESTD...: the keys of pmm.conf it reads */
    const char *section;     /* its own section: conninfo, certificado, clave */
    const char *status;      /* systemd's STATUS= once it is ready */
    const char *done;        /* "guardadas": "detenido; N fichas guardadas ..." */
    daemon_setup_fn setup;   /* daemon_main: everything before the loop */
    daemon_hook stop;        /* daemon_main: after the loop; may be NULL */
    void (*cleanup)(void *arg);   /* daemon_main: frees the daemon's state; may be NULL */
};

/* Counts fichas done (stored, classified, aggregated) for the summary
 * daemon_main logs when the daemon stops. */
void daemon_count(pmm_daemon *self, long long fichas);

/* fn runs when sock is readable; it should read everything waiting. */
int daemon_on_readable(pmm_daemon *self, void *sock, daemon_handler fn, void *arg);
/* Before each poll: does what is due and returns the poll's timeout in ms
 * (without this hook: 1,000 ms). */
void daemon_before_sleep(pmm_daemon *self, daemon_sleep_fn fn, void *arg);
/* After the handlers of a turn in which any socket was readable. */
void daemon_after_events(pmm_daemon *self, daemon_hook fn, void *arg);
/* On SIGHUP, with the new configuration. [general] log is applied by the
 * skeleton itself. */
void daemon_on_reload(pmm_daemon *self, daemon_reload_fn fn, void *arg);

/* Tells systemd the daemon is ready (STATUS=status) and runs the loop until
 * SIGTERM/SIGINT, then tells systemd it is stopping. Returns 0, or -1 when
 * the poll itself failed. */
int daemon_run(pmm_daemon *self, const char *status);

/* Gives the memory freed by a finished unit of work back to the system.
 * A batch of thousands of fichas frees megabytes in many small blocks,
 * which glibc keeps in the heap: without this a daemon's resident size is
 * the high-water mark of its largest batch, not what it holds. */
void daemon_trim_memory(void);

#endif
