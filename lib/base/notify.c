#include "notify.h"

#include <stdio.h>

#ifdef PMM_HAVE_SYSTEMD
#include <stdint.h>
#include <systemd/sd-daemon.h>
#include <time.h>

/* Process-wide by nature, like the watchdog it feeds: set on first use. */
static int wd_checked;
static uint64_t wd_every_us;     /* 0: no watchdog */
static uint64_t wd_last_us;

static uint64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}
#endif

static void send_state(const char *state)
{
#ifdef PMM_HAVE_SYSTEMD
    /* sd_notify returns 0 when NOTIFY_SOCKET is unset and < 0 when the
     * socket is unusable: either way there is nothing more to do. */
    (void)sd_notify(0, state);
#else
    (void)state;
#endif
}

void notify_ready(const char *status)
{
    char buf[512];
    if (status && *status)
        snprintf(buf, sizeof buf, "READY=1\nSTATUS=%s", status);
    else
        snprintf(buf, sizeof buf, "READY=1");
    send_state(buf);
    notify_watchdog();
}

void notify_watchdog(void)
{
#ifdef PMM_HAVE_SYSTEMD
    if (!wd_checked) {
        uint64_t usec = 0;
        wd_checked = 1;
        if (sd_watchdog_enabled(0, &usec) > 0)
            wd_every_us = usec / 4;
    }
    if (!wd_every_us)
        return;
    uint64_t now = mono_us();
    if (wd_last_us && now - wd_last_us < wd_every_us)
        return;
    wd_last_us = now;
    send_state("WATCHDOG=1");
#endif
}

void notify_stopping(void)
{
    send_state("STOPPING=1");
}
