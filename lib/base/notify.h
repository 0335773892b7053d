/* notify.h -- readiness, watchdog and shutdown reports to systemd.
 *
 * The daemons run as Type=notify units: notify_ready() once set-up is done
 * (sockets bound, database reachable), notify_watchdog() from every turn of
 * the main loop and of long drains, notify_stopping() when a stop was
 * asked. Each is a no-op when the process was not started by systemd
 * (NOTIFY_SOCKET unset) or when built without libsystemd, so the daemons
 * run the same by hand, under deploy/stack.sh or in tests.
 */
#ifndef PMM_NOTIFY_H
#define PMM_NOTIFY_H

/* READY=1, with an optional STATUS= line (NULL for none). */
void notify_ready(const char *status);
/* WATCHDOG=1 when systemd asked for a watchdog (WATCHDOG_USEC), at most
 * every WatchdogSec/4 however often it is called. Cheap: call it freely. */
void notify_watchdog(void);
/* STOPPING=1. */
void notify_stopping(void);

#endif
