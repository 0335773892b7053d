/* informe_formato.h -- how the documents write numbers, percentages, dates
 * and lists, in Spanish. Numbers follow NOM-008-SCFI (see informe.h). */
#ifndef PMM_INFORME_FORMATO_H
#define PMM_INFORME_FORMATO_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

/* U+202F narrow no-break space (between groups of digits) and U+00A0
 * no-break space (before "%"). */
#define INFORME_NNBSP "\xe2\x80\xaf"
#define INFORME_NBSP "\xc2\xa0"

/* informe_numero (NOM-008 grouping) is declared in informe.h. */

/* Tenths of a percent of part in whole, rounded half up; 0 when whole <= 0. */
long long informe_decimas(long long part, long long whole);
/* Tenths as "12.3", with a "+" for positive values when signo. */
const char *informe_pct(long long decimas, bool signo, char *buf, size_t cap);
/* uno when n == 1, else varios. */
const char *informe_plural(long long n, const char *uno, const char *varios);
/* "junio de 2021 a junio de 2022": the period a year reports. */
void informe_periodo(int anio, char *buf, size_t cap);
/* "2022-07-15 10:20:30.123+00" -> "15 de julio de 2022, 10:20:30 (UTC+00)";
 * anything else as given, "sin dato" when NULL or empty. Appended to b. */
void informe_fecha(strbuf *b, const char *ts);
/* The same instant in time zone zona (an IANA name; NULL or "" keeps the
 * offset of ts): "15 de julio de 2022, 05:20:30, hora de la Ciudad de México
 * (UTC−05:00)". Sets and restores TZ around localtime_r, so it is not for
 * threaded callers. */
void informe_fecha_zona(strbuf *b, const char *ts, const char *zona);
/* At most max code points of s, cut at a word boundary when possible, with
 * "…" when cut. Appended to b. */
void informe_recortar(strbuf *b, const char *s, size_t max);
/* s with runs of white space folded into one space and trimmed at the
 * start. Appended to b. */
void informe_colapsar(strbuf *b, const char *s);
/* The caveat printed wherever sums of reported figures are published. */
extern const char INFORME_NOTA_SUMAS[];

/* A list joined in Spanish: "a, b y c". Appended to b. */
void informe_lista_y(strbuf *b, const char *const *v, size_t n);

#endif
