/* informe_formato.c -- numbers, percentages, dates and lists (see
 * informe_formato.h). */
#include "informe_formato.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>

#include "informe.h"

const char INFORME_NOTA_SUMAS[] =
    "Son sumas de lo que reportó cada institución, no personas únicas: quien "
    "recibió atención de varios programas cuenta una vez en cada uno, y las "
    "actividades reúnen unidades distintas (una campaña, un trámite, un "
    "documento). Las «acciones» de este documento son fichas: cada programa o "
    "acción reportado cuenta una vez.";

const char *informe_numero(long long n, char *buf, size_t cap)
{
    char digits[32];
    unsigned long long u = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
    int nd = snprintf(digits, sizeof digits, "%llu", u);
    size_t w = 0;
    if (n < 0 && w + 1 < cap)
        buf[w++] = '-';
    for (int i = 0; i < nd; i++) {
        if (i > 0 && (nd - i) % 3 == 0) {
            for (const char *s = INFORME_NNBSP; *s; s++)
                if (w + 1 < cap)
                    buf[w++] = *s;
        }
        if (w + 1 < cap)
            buf[w++] = digits[i];
    }
    if (cap)
        buf[w < cap ? w : cap - 1] = '\0';
    return buf;
}

long long informe_decimas(long long part, long long whole)
{
    if (whole <= 0)
        return 0;
    long long v = part * 1000;
    return v >= 0 ? (v + whole / 2) / whole : -((-v + whole / 2) / whole);
}

const char *informe_pct(long long d, bool signo, char *buf, size_t cap)
{
    unsigned long long a = d < 0 ? 0ULL - (unsigned long long)d : (unsigned long long)d;
    snprintf(buf, cap, "%s%llu.%llu", d < 0 ? "-" : (signo && d > 0 ? "+" : ""),
             a / 10, a % 10);
    return buf;
}

const char *informe_plural(long long n, const char *uno, const char *varios)
{
    return n == 1 ? uno : varios;
}

void informe_periodo(int anio, char *buf, size_t cap)
{
    snprintf(buf, cap, "junio de %d a junio de %d", anio - 1, anio);
}

static const char *const MESES[] = {"enero", "febrero", "marzo", "abril", "mayo",
                                    "junio", "julio", "agosto", "septiembre",
                                    "octubre", "noviembre", "diciembre"};

void informe_fecha(strbuf *b, const char *ts)
{
    int y, m, d, hh, mi, ss;
    if (ts && sscanf(ts, "%4d-%2d-%2d %2d:%2d:%2d", &y, &m, &d, &hh, &mi, &ss) == 6 &&
        m >= 1 && m <= 12) {
        strbuf_printf(b, "%d de %s de %d, %02d:%02d:%02d", d, MESES[m - 1], y, hh, mi, ss);
        const char *tz = strpbrk(ts + 19, "+-");
        if (tz)
            strbuf_printf(b, " (UTC%s)", tz);
        return;
    }
    strbuf_puts(b, ts && *ts ? ts : "sin dato");
}

/* "…+00", "…-06", "…+05:30" at the end of ts: seconds east of UTC. */
static bool desfase(const char *ts, long *out)
{
    const char *tz = strpbrk(ts + 19, "+-");
    if (!tz)
        return false;
    int h = 0, m = 0;
    if (sscanf(tz + 1, "%2d:%2d", &h, &m) < 1)
        return false;
    *out = (tz[0] == '-' ? -1 : 1) * (h * 3600L + m * 60L);
    return true;
}

void informe_fecha_zona(strbuf *b, const char *ts, const char *zona)
{
    struct tm t = {0};
    long off;
    if (!zona || !*zona || !ts ||
        sscanf(ts, "%4d-%2d-%2d %2d:%2d:%2d", &t.tm_year, &t.tm_mon, &t.tm_mday,
               &t.tm_hour, &t.tm_min, &t.tm_sec) != 6 ||
        t.tm_mon < 1 || t.tm_mon > 12 || !desfase(ts, &off)) {
        informe_fecha(b, ts);
        return;
    }
    t.tm_year -= 1900;
    t.tm_mon -= 1;
    time_t when = timegm(&t) - off;
    const char *antes = getenv("TZ");
    char *guardada = antes ? strdup(antes) : NULL;
    setenv("TZ", zona, 1);
    tzset();
    struct tm l;
    bool ok = localtime_r(&when, &l) != NULL;
    if (guardada) {
        setenv("TZ", guardada, 1);
        free(guardada);
    } else {
        unsetenv("TZ");
    }
    tzset();
    if (!ok) {
        informe_fecha(b, ts);
        return;
    }
    long g = l.tm_gmtoff;
    long ag = g < 0 ? -g : g;
    strbuf_printf(b, "%d de %s de %d, %02d:%02d:%02d, ", l.tm_mday, MESES[l.tm_mon],
                  l.tm_year + 1900, l.tm_hour, l.tm_min, l.tm_sec);
    if (!strcmp(zona, "America/Mexico_City"))
        strbuf_puts(b, "hora de la Ciudad de México");
    else
        strbuf_printf(b, "hora de %s", zona);
    strbuf_printf(b, " (UTC%s%02ld:%02ld)", g < 0 ? "\xe2\x88\x92" : "+", ag / 3600,
                  (ag % 3600) / 60);
}

void informe_recortar(strbuf *b, const char *s, size_t max)
{
    size_t bytes = 0, chars = 0, last_space = 0;
    while (s[bytes] && chars < max) {
        unsigned char c = (unsigned char)s[bytes];
        size_t l = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
        for (size_t k = 1; k < l; k++)
            if (!s[bytes + k]) {
                l = k;
                break;
            }
        if (c == ' ')
            last_space = bytes;
        bytes += l;
        chars++;
    }
    if (!s[bytes]) {
        strbuf_puts(b, s);
        return;
    }
    size_t cut = last_space > bytes / 2 ? last_space : bytes;
    while (cut && strchr(" ,;:.", s[cut - 1]))
        cut--;
    strbuf_append(b, s, cut);
    strbuf_puts(b, "…");
}

void informe_colapsar(strbuf *b, const char *s)
{
    bool space = false;
    while (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t')
        s++;
    for (; *s; s++) {
        if (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t') {
            space = true;
            continue;
        }
        if (space)
            strbuf_append(b, " ", 1);
        space = false;
        strbuf_append(b, s, 1);
    }
}

void informe_lista_y(strbuf *b, const char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            strbuf_puts(b, i + 1 == n ? " y " : ", ");
        strbuf_puts(b, v[i]);
    }
}
