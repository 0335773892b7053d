#include "error.h"

#include <stdio.h>
#include <string.h>

void pmm_error_clear(pmm_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

int pmm_error_vset(pmm_error *err, int code, const char *campo,
                   const char *regla, const char *fmt, va_list ap)
{
    if (!err)
        return -1;
    err->code = code;
    snprintf(err->campo, sizeof err->campo, "%s", campo ? campo : "");
    snprintf(err->regla, sizeof err->regla, "%s", regla ? regla : "");
    vsnprintf(err->mensaje, sizeof err->mensaje, fmt, ap);
    return -1;
}

int pmm_error_set(pmm_error *err, int code, const char *campo,
                  const char *regla, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pmm_error_vset(err, code, campo, regla, fmt, ap);
    va_end(ap);
    return -1;
}

void pmm_error_prefix(pmm_error *err, const char *prefix)
{
    if (!err)
        return;
    char old[PMM_ERR_MENSAJE];
    memcpy(old, err->mensaje, sizeof old);
    old[sizeof old - 1] = '\0';
    size_t p = strlen(prefix);
    if (p + 2 >= sizeof err->mensaje)
        p = sizeof err->mensaje - 3;
    memcpy(err->mensaje, prefix, p);
    memcpy(err->mensaje + p, ": ", 2);
    size_t room = sizeof err->mensaje - p - 3;
    size_t n = strnlen(old, room);
    memcpy(err->mensaje + p + 2, old, n);
    err->mensaje[p + 2 + n] = '\0';
}
