#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Set once at start-up by main() and only read afterwards. */
static char log_component[32] = "pmm";
static log_level log_min = LOG_INFO;

void log_init(const char *component, log_level min_level)
{
    snprintf(log_component, sizeof log_component, "%s", component);
    log_min = min_level;
}

log_level log_level_parse(const char *name, log_level fallback)
{
    if (!name || !*name)
        return fallback;
    if (!strcmp(name, "error"))
        return LOG_ERR;
    if (!strcmp(name, "warn") || !strcmp(name, "aviso"))
        return LOG_WARN;
    if (!strcmp(name, "info"))
        return LOG_INFO;
    if (!strcmp(name, "debug"))
        return LOG_DEBUG;
    return fallback;
}

static const char *level_name(log_level l)
{
    switch (l) {
    case LOG_ERR: return "error";
    case LOG_WARN: return "warn";
    case LOG_INFO: return "info";
    default: return "debug";
    }
}

void log_msg(log_level level, const char *fmt, ...)
{
    if (level > log_min)
        return;
    char line[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    /* One fprintf so concurrent writers do not interleave within a line. */
    fprintf(stderr, "<%d>%s %s: %s\n", (int)level, log_component,
            level_name(level), line);
}
