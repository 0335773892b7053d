/* conf_valor.c -- is a value of pmm.conf what its row of the table
 * accepts? One checker per type; the reason is Spanish and names what is
 * accepted. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_tabla.h"

const char *conf_tipo_nombre(conf_tipo type)
{
    switch (type) {
    case CONF_TEXTO: return "texto";
    case CONF_ENTERO: return "entero";
    case CONF_RUTA: return "ruta";
    case CONF_ENDPOINT: return "endpoint";
    case CONF_ENDPOINTS: return "endpoints";
    case CONF_CONNINFO: return "conninfo";
    case CONF_HORA: return "hora";
    case CONF_MS: return "duración (ms)";
    case CONF_SEGUNDOS: return "duración (s)";
    case CONF_OPCION: return "opción";
    }
    return "?";
}

/* "a|b|c" as "a, b o c", with each word in «». */
static void list_words(const char *valores, char *out, size_t n)
{
    size_t len = 0;
    out[0] = '\0';
    const char *p = valores;
    while (*p && len < n) {
        const char *bar = strchr(p, '|');
        size_t w = bar ? (size_t)(bar - p) : strlen(p);
        const char *sep = len == 0 ? "" : bar ? ", " : " o ";
        int k = snprintf(out + len, n - len, "%s«%.*s»", sep, (int)w, p);
        if (k < 0)
            break;
        len += (size_t)k;
        p += w + (bar ? 1 : 0);
        if (!bar)
            break;
    }
}

void conf_rango(const conf_clave *row, char *out, size_t n)
{
    char words[160];
    switch (row->type) {
    case CONF_ENTERO:
        snprintf(out, n, "de %ld a %ld", row->min, row->max);
        break;
    case CONF_MS:
        snprintf(out, n, "de %ld a %ld ms", row->min, row->max);
        break;
    case CONF_SEGUNDOS:
        snprintf(out, n, "de %ld a %ld s", row->min, row->max);
        break;
    case CONF_HORA:
        if (row->valores) {
            list_words(row->valores, words, sizeof words);
            snprintf(out, n, "HH:MM (de 00:00 a 23:59) o %s", words);
        } else {
            snprintf(out, n, "HH:MM (de 00:00 a 23:59)");
        }
        break;
    case CONF_OPCION:
        list_words(row->valores, out, n);
        break;
    case CONF_ENDPOINT:
        snprintf(out, n, "un endpoint tcp://EQUIPO:PUERTO o ipc://RUTA");
        break;
    case CONF_ENDPOINTS:
        snprintf(out, n, "uno o más endpoints tcp://EQUIPO:PUERTO o ipc://RUTA, "
                         "separados por comas");
        break;
    case CONF_CONNINFO:
        snprintf(out, n, "una cadena de conexión de libpq (host=... dbname=... "
                         "user=...) o una URI postgresql://");
        break;
    case CONF_RUTA:
        snprintf(out, n, "la ruta de un archivo o directorio");
        break;
    case CONF_TEXTO:
        snprintf(out, n, "un texto");
        break;
    }
}

/* A whole decimal integer (leading blanks allowed, nothing after). */
static int parse_long(const char *s, long *out, const char **rest)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || errno == ERANGE)
        return -1;
    *out = v;
    *rest = end;
    return 0;
}

/* A duration: an integer in the row's unit, or with one of ms, s, min, h.
 * Stored in the row's unit; a value that does not convert exactly (1500ms
 * for seconds) is refused. */
static int parse_duration(const conf_clave *row, const char *s, long *out)
{
    long v;
    const char *u;
    if (parse_long(s, &v, &u) != 0)
        return -1;
    while (*u == ' ')
        u++;
    long ms_per_unit;   /* of the value as written */
    if (!*u)
        ms_per_unit = row->type == CONF_MS ? 1 : 1000;
    else if (!strcmp(u, "ms"))
        ms_per_unit = 1;
    else if (!strcmp(u, "s"))
        ms_per_unit = 1000;
    else if (!strcmp(u, "min"))
        ms_per_unit = 60000;
    else if (!strcmp(u, "h"))
        ms_per_unit = 3600000;
    else
        return -1;
    long row_ms = row->type == CONF_MS ? 1 : 1000;
    if (v > LONG_MAX / ms_per_unit || v < LONG_MIN / ms_per_unit)
        return -1;
    long ms = v * ms_per_unit;
    if (ms % row_ms != 0)
        return -1;
    *out = ms / row_ms;
    return 0;
}

static int word_index(const char *valores, const char *value)
{
    if (!valores)
        return -1;
    size_t len = strlen(value);
    int i = 0;
    for (const char *p = valores; *p; i++) {
        const char *bar = strchr(p, '|');
        size_t w = bar ? (size_t)(bar - p) : strlen(p);
        if (w == len && !strncmp(p, value, w))
            return i;
        if (!bar)
            break;
        p = bar + 1;
    }
    return -1;
}

/* H:MM or HH:MM, 00:00 to 23:59: the minute of the day, or -1. */
static long parse_time_of_day(const char *s)
{
    if (!isdigit((unsigned char)s[0]))
        return -1;
    int h = s[0] - '0', i = 1;
    if (isdigit((unsigned char)s[1]))
        h = h * 10 + (s[i++] - '0');
    if (s[i] != ':' || !isdigit((unsigned char)s[i + 1]) ||
        !isdigit((unsigned char)s[i + 2]) || s[i + 3])
        return -1;
    int m = (s[i + 1] - '0') * 10 + (s[i + 2] - '0');
    if (h > 23 || m > 59)
        return -1;
    return h * 60 + m;
}

/* One ZeroMQ endpoint: tcp://HOST:PORT (PORT a number or *), ipc://PATH or
 * inproc://NAME. */
static int endpoint_ok(const char *s, size_t len)
{
    if (len > 6 && !strncmp(s, "tcp://", 6)) {
        const char *colon = NULL;
        for (const char *p = s + 6; p < s + len; p++)
            if (*p == ':')
                colon = p;
        if (!colon || colon == s + 6 || colon + 1 == s + len)
            return 0;
        if (colon + 2 == s + len && colon[1] == '*')
            return 1;
        long port = 0;
        for (const char *p = colon + 1; p < s + len; p++) {
            if (!isdigit((unsigned char)*p))
                return 0;
            port = port * 10 + (*p - '0');
            if (port > 65535)
                return 0;
        }
        return port > 0;
    }
    if (len > 6 && !strncmp(s, "ipc://", 6))
        return 1;
    return len > 9 && !strncmp(s, "inproc://", 9);
}

/* Endpoints separated by commas and blanks (at most one when !list).
 * Returns 0, or -1 with the reason in why. */
static int endpoints_ok(const char *s, int list, const char *range, char *why, size_t n)
{
    int count = 0;
    const char *p = s;
    for (;;) {
        while (*p == ' ' || *p == ',' || *p == '\t')
            p++;
        if (!*p)
            break;
        size_t len = strcspn(p, ", \t");
        if (!endpoint_ok(p, len)) {
            snprintf(why, n, "«%.*s» no es un endpoint de ZeroMQ; se admite %s", (int)len, p,
                     range);
            return -1;
        }
        count++;
        p += len;
    }
    if (count == 0) {
        snprintf(why, n, "falta el endpoint; se admite %s", range);
        return -1;
    }
    if (!list && count > 1) {
        snprintf(why, n, "«%s» es una lista; se admite uno solo: tcp://EQUIPO:PUERTO o "
                 "ipc://RUTA", s);
        return -1;
    }
    return 0;
}

int conf_valor_valido(const conf_clave *row, const char *value, long *num, char *why,
                      size_t n)
{
    char range[200];
    conf_rango(row, range, sizeof range);
    *num = 0;
    switch (row->type) {
    case CONF_ENTERO: {
        const char *rest;
        if (parse_long(value, num, &rest) != 0 || *rest) {
            snprintf(why, n, "«%s» no es un número entero; se admite %s", value, range);
            return -1;
        }
        break;
    }
    case CONF_MS:
    case CONF_SEGUNDOS:
        if (parse_duration(row, value, num) != 0) {
            snprintf(why, n,
                     "«%s» no es una duración; se admite %s (un número entero%s, o con "
                     "unidad: 500ms, 2s, 5min, 1h)",
                     value, range, row->type == CONF_MS ? " de milisegundos" : " de segundos");
            return -1;
        }
        break;
    case CONF_HORA: {
        int w = word_index(row->valores, value);
        if (w >= 0) {
            *num = -1;
            return 0;
        }
        *num = parse_time_of_day(value);
        if (*num < 0) {
            snprintf(why, n, "«%s» no es una hora; se admite %s", value, range);
            return -1;
        }
        return 0;
    }
    case CONF_OPCION: {
        int w = word_index(row->valores, value);
        if (w < 0) {
            snprintf(why, n, "«%s» no es un valor admitido; se admite %s", value, range);
            return -1;
        }
        *num = w;
        return 0;
    }
    case CONF_ENDPOINT:
    case CONF_ENDPOINTS:
        return endpoints_ok(value, row->type == CONF_ENDPOINTS, range, why, n);
    case CONF_TEXTO:
    case CONF_RUTA:
    case CONF_CONNINFO:
        return 0;
    }
    if (*num < row->min || *num > row->max) {
        snprintf(why, n, "«%s» está fuera del rango; se admite %s", value, range);
        return -1;
    }
    return 0;
}
