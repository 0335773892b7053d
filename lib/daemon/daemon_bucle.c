/* daemon_bucle.c -- the skeleton's main loop: handlers per socket, the
 * before-sleep and after-events hooks, SIGHUP, systemd (daemon.h). */
#include "daemon_int.h"

#include <errno.h>

#include "log.h"
#include "notify.h"
#include "signals.h"

#define DEFAULT_TIMEOUT_MS 1000

int daemon_on_readable(pmm_daemon *self, void *sock, daemon_handler fn, void *arg)
{
    daemon_socket *entry = daemon_socket_of(self, sock);
    if (!entry)
        return -1;
    entry->fn = fn;
    entry->arg = arg;
    return 0;
}

void daemon_before_sleep(pmm_daemon *self, daemon_sleep_fn fn, void *arg)
{
    self->before_sleep = fn;
    self->before_sleep_arg = arg;
}

void daemon_after_events(pmm_daemon *self, daemon_hook fn, void *arg)
{
    self->after_events = fn;
    self->after_events_arg = arg;
}

void daemon_on_reload(pmm_daemon *self, daemon_reload_fn fn, void *arg)
{
    self->reload = fn;
    self->reload_arg = arg;
}

/* What one poll watches: the ZAP handler, the monitors, then the sockets
 * with a handler, in the order they were bound. */
typedef struct {
    zmq_pollitem_t items[1 + 2 * DAEMON_MAX_SOCKETS];
    void *owner[1 + 2 * DAEMON_MAX_SOCKETS];   /* wire_monitor or daemon_socket */
    int kind[1 + 2 * DAEMON_MAX_SOCKETS];
    int n;
} poll_set;

enum { ITEM_ZAP, ITEM_MONITOR, ITEM_HANDLER };

static void add_item(poll_set *ps, void *sock, int kind, void *owner)
{
    ps->items[ps->n] = (zmq_pollitem_t){sock, 0, ZMQ_POLLIN, 0};
    ps->kind[ps->n] = kind;
    ps->owner[ps->n] = owner;
    ps->n++;
}

static void build_poll_set(pmm_daemon *self, poll_set *ps)
{
    ps->n = 0;
    if (self->zap)
        add_item(ps, zap_handler_socket(self->zap), ITEM_ZAP, NULL);
    for (int i = 0; i < self->nsocks; i++)
        if (self->socks[i].mon)
            add_item(ps, wire_monitor_socket(self->socks[i].mon), ITEM_MONITOR,
                     self->socks[i].mon);
    for (int i = 0; i < self->nsocks; i++)
        if (self->socks[i].fn)
            add_item(ps, self->socks[i].sock, ITEM_HANDLER, &self->socks[i]);
}

int daemon_run(pmm_daemon *self, const char *status)
{
    poll_set ps;
    build_poll_set(self, &ps);
    notify_ready(status);
    int rc = 0;
    while (!signals_stop_requested()) {
        notify_watchdog();
        if (signals_take_reload())
            daemon_reload_now(self);
        long timeout = self->before_sleep
                           ? self->before_sleep(self, self->before_sleep_arg)
                           : DEFAULT_TIMEOUT_MS;
        if (signals_stop_requested())
            break;
        if (zmq_poll(ps.items, ps.n, timeout) < 0) {
            if (errno == EINTR)
                continue;
            log_error("zmq_poll: %s", zmq_strerror(errno));
            rc = -1;
            break;
        }
        int events = 0;
        for (int i = 0; i < ps.n; i++) {
            if (!(ps.items[i].revents & ZMQ_POLLIN))
                continue;
            if (ps.kind[i] == ITEM_ZAP) {
                pmm_error ignored;
                zap_handler_serve(self->zap, daemon_db(self, &ignored));
            } else if (ps.kind[i] == ITEM_MONITOR) {
                wire_monitor_serve(ps.owner[i]);
            } else {
                daemon_socket *entry = ps.owner[i];
                entry->fn(self, entry->sock, entry->arg);
                events = 1;
            }
        }
        if (events && self->after_events)
            self->after_events(self, self->after_events_arg);
    }
    notify_stopping();
    return rc;
}
