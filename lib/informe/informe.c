/* informe.c -- Informe Ejecutivo and Compendio General (see informe.h).
 *
 * The report is built as a sequence of blocks (headings, paragraphs, key
 * figures, tables, charts) written through a small writer that knows the
 * output format; tables are built once as typed cells, so the HTML, Markdown
 * and CSV forms of a table cannot disagree.
 */
#include "informe.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "informe_datos.h"
#include "informe_ref.h"

#define NODS 17
#define NOBJ REF_OBJETIVOS
#define NENT REF_ENTIDADES
#define TOP_N 5
#define METAS_N 10
#define RETO_CITA_MAX 320      /* characters of a quoted challenge */
#define ERR_MEM 7              /* Pmm__ErrorCode ERR_INTERNAL-like */

static const char TITULO_PACTO[] =
    "Seguimiento del Pacto Mundial para una Migración Segura, Ordenada y Regular";
static const char NNBSP[] = "\xe2\x80\xaf";   /* U+202F narrow no-break space */
static const char NBSP[] = "\xc2\xa0";         /* U+00A0 */

static char *xstrdup(const char *s)
{
    size_t n = strlen(s ? s : "");
    char *d = malloc(n + 1);
    if (d)
        memcpy(d, s ? s : "", n + 1);
    return d;
}

static int oom(pmm_error *err)
{
    return pmm_error_set(err, ERR_MEM, "", "memoria", "sin memoria");
}

/* ======================================================================
 * Text helpers
 * ====================================================================== */

int informe_formato_parse(const char *text, informe_formato *out)
{
    if (!text)
        return -1;
    if (!strcmp(text, "html"))
        *out = INFORME_HTML;
    else if (!strcmp(text, "md"))
        *out = INFORME_MD;
    else if (!strcmp(text, "csv"))
        *out = INFORME_CSV;
    else
        return -1;
    return 0;
}

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
            for (const char *s = NNBSP; *s; s++)
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

/* Tenths of a percent of part in whole, rounded half up. */
static long long decimas(long long part, long long whole)
{
    if (whole <= 0)
        return 0;
    long long v = part * 1000;
    return v >= 0 ? (v + whole / 2) / whole : -((-v + whole / 2) / whole);
}

/* "12.3" (tenths), with a sign when asked. */
static const char *pct_texto(long long d, bool signo, char *buf, size_t cap)
{
    unsigned long long a = d < 0 ? 0ULL - (unsigned long long)d : (unsigned long long)d;
    snprintf(buf, cap, "%s%llu.%llu", d < 0 ? "-" : (signo && d > 0 ? "+" : ""),
             a / 10, a % 10);
    return buf;
}

void informe_html_escape(strbuf *b, const char *s)
{
    if (!s)
        return;
    const char *run = s;
    for (; *s; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: break;
        }
        if (rep) {
            strbuf_append(b, run, (size_t)(s - run));
            strbuf_puts(b, rep);
            run = s + 1;
        }
    }
    strbuf_append(b, run, (size_t)(s - run));
}

/* Markdown text: punctuation with a meaning is backslash-escaped, line
 * breaks become spaces (a block stays one paragraph or one cell). */
static void md_escape(strbuf *b, const char *s)
{
    if (!s)
        return;
    bool space = false;
    for (; *s; s++) {
        char c = *s;
        if (c == '\n' || c == '\r' || c == '\t') {
            if (!space)
                strbuf_append(b, " ", 1);
            space = true;
            continue;
        }
        space = c == ' ';
        if (strchr("\\`*_[]<>|#", c))
            strbuf_append(b, "\\", 1);
        strbuf_append(b, &c, 1);
    }
}

static void csv_campo(strbuf *b, const char *s)
{
    if (!s)
        s = "";
    if (!s[strcspn(s, ",\"\r\n")]) {
        strbuf_puts(b, s);
        return;
    }
    strbuf_append(b, "\"", 1);
    for (; *s; s++) {
        if (*s == '"')
            strbuf_append(b, "\"", 1);
        strbuf_append(b, s, 1);
    }
    strbuf_append(b, "\"", 1);
}

/* At most max code points of s, cut at a word boundary when possible,
 * with "…" when cut. Appended to b. */
static void recortar(strbuf *b, const char *s, size_t max)
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

static void collapse_ws(strbuf *b, const char *s)
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

static const char *const MESES[] = {"enero", "febrero", "marzo", "abril", "mayo",
                                    "junio", "julio", "agosto", "septiembre",
                                    "octubre", "noviembre", "diciembre"};

/* "2022-07-15 10:20:30.123+00" -> "15 de julio de 2022, 10:20:30 (UTC+00)";
 * anything else is returned as given. */
static void fecha_texto(strbuf *b, const char *ts)
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

/* ======================================================================
 * Dataset access
 * ====================================================================== */

static const json_t *dimension_de(const json_t *datos, const char *filtro,
                                  const char *dim)
{
    return json_object_get(json_object_get(json_object_get(datos, "totales"), filtro), dim);
}

static long long fichas(const json_t *datos, const char *filtro, const char *dim,
                        const char *valor)
{
    return informe_datos_celda(datos, filtro, dim, valor, "fichas");
}

static long long medida(const json_t *datos, const char *m)
{
    return informe_datos_celda(datos, "", "total", "", m);
}

typedef struct {
    char valor[64];
    long long n;
    long long n2;       /* a second count where a table needs one */
    int orden;          /* natural order of the dimension */
} item;

typedef struct {
    item *v;
    size_t n;
} items;

static int orden_meta(const char *m)
{
    char *end;
    long major = strtol(m, &end, 10);
    int minor = 0;
    if (*end == '.') {
        if (isdigit((unsigned char)end[1]))
            minor = atoi(end + 1);
        else
            minor = 500 + (unsigned char)end[1];
    }
    return (int)major * 1000 + minor;
}

static int orden_de(const informe_ref *ref, const char *dim, const char *valor)
{
    if (!strcmp(dim, "objetivo") || !strcmp(dim, "ods") || !strcmp(dim, "entidad") ||
        !strcmp(dim, "eje"))
        return atoi(valor);
    if (!strcmp(dim, "meta"))
        return orden_meta(valor);
    if (!strcmp(dim, "subtema")) {
        int i = informe_ref_subtema_orden(ref, valor);
        return i >= 0 ? i : 100000;
    }
    if (!strcmp(dim, "reto")) {
        int i = informe_ref_reto_orden(ref, valor);
        return i >= 0 ? i : 100000;
    }
    if (!strcmp(dim, "emisor"))
        return valor[0] == 'D' ? 0 : 1000 + atoi(valor + 2);
    return 0;
}

static int items_add(items *it, const char *valor, long long n, int orden)
{
    item *v = realloc(it->v, (it->n + 1) * sizeof *v);
    if (!v)
        return -1;
    it->v = v;
    item *x = &v[it->n++];
    memset(x, 0, sizeof *x);
    snprintf(x->valor, sizeof x->valor, "%s", valor);
    x->n = n;
    x->orden = orden;
    return 0;
}

/* Every value present in totales[filtro][dim] with at least one ficha. */
static int items_de(const json_t *datos, const informe_ref *ref, const char *filtro,
                    const char *dim, items *out)
{
    const char *k;
    json_t *cell;
    json_t *obj = (json_t *)dimension_de(datos, filtro, dim);
    json_object_foreach(obj, k, cell) {
        long long n = json_integer_value(json_object_get(cell, "fichas"));
        if (n <= 0 || strlen(k) >= sizeof ((item *)0)->valor)
            continue;
        if (items_add(out, k, n, orden_de(ref, dim, k)))
            return -1;
    }
    return 0;
}

static item *items_buscar(items *it, const char *valor)
{
    for (size_t i = 0; i < it->n; i++)
        if (!strcmp(it->v[i].valor, valor))
            return &it->v[i];
    return NULL;
}

static int cmp_natural(const void *a, const void *b)
{
    const item *x = a, *y = b;
    if (x->orden != y->orden)
        return x->orden < y->orden ? -1 : 1;
    return strcmp(x->valor, y->valor);
}

static int cmp_desc(const void *a, const void *b)
{
    const item *x = a, *y = b;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return cmp_natural(a, b);
}

static int cmp_asc(const void *a, const void *b)
{
    const item *x = a, *y = b;
    if (x->n != y->n)
        return x->n < y->n ? -1 : 1;
    return cmp_natural(a, b);
}

static void items_ordenar(items *it, int (*cmp)(const void *, const void *))
{
    if (it->n > 1)
        qsort(it->v, it->n, sizeof *it->v, cmp);
}

static long long items_suma(const items *it)
{
    long long s = 0;
    for (size_t i = 0; i < it->n; i++)
        s += it->v[i].n;
    return s;
}

/* Standard competition ranking of a list sorted by n (1, 2, 2, 4). */
static int lugar(const items *it, size_t i)
{
    size_t j = i;
    while (j > 0 && it->v[j - 1].n == it->v[i].n)
        j--;
    return (int)j + 1;
}

/* ======================================================================
 * Tables: typed cells, rendered as HTML, Markdown or CSV
 * ====================================================================== */

typedef enum { T_TEXTO, T_ENTERO, T_PCT, T_VAR } tipo_celda;

typedef struct {
    tipo_celda tipo;
    long long n;        /* integer, or tenths of a percent */
    bool vacia;         /* no value (printed as a dash, empty in CSV) */
    char *s;
} celda;

#define MAX_COLS 8

typedef struct {
    const char *id;                 /* CSV table id */
    char titulo[256];
    size_t ncols;
    const char *clave[MAX_COLS];    /* CSV column name */
    const char *rotulo[MAX_COLS];   /* printed header */
    tipo_celda tipo[MAX_COLS];
    celda *c;
    size_t nceldas, cap;
    strbuf nota;
    bool ultima_total;     /* the last row is a total (bold in HTML) */
    bool failed;
} tabla;

/* cols: "clave|Rótulo|t" triples, t = t(ext) n(umber) p(ercent) v(ariation) */
static void tabla_init(tabla *t, const char *id, const char *titulo, size_t ncols, ...)
{
    memset(t, 0, sizeof *t);
    t->id = id;
    snprintf(t->titulo, sizeof t->titulo, "%s", titulo);
    t->ncols = ncols;
    va_list ap;
    va_start(ap, ncols);
    for (size_t i = 0; i < ncols && i < MAX_COLS; i++) {
        t->clave[i] = va_arg(ap, const char *);
        t->rotulo[i] = va_arg(ap, const char *);
        int k = va_arg(ap, int);
        t->tipo[i] = k == 'n' ? T_ENTERO : k == 'p' ? T_PCT : k == 'v' ? T_VAR : T_TEXTO;
    }
    va_end(ap);
    strbuf_init(&t->nota);
}

static void tabla_free(tabla *t)
{
    for (size_t i = 0; i < t->nceldas; i++)
        free(t->c[i].s);
    free(t->c);
    strbuf_free(&t->nota);
    t->c = NULL;
    t->nceldas = 0;
}

static celda *tabla_celda(tabla *t)
{
    if (t->nceldas == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        celda *c = realloc(t->c, cap * sizeof *c);
        if (!c) {
            t->failed = true;
            return NULL;
        }
        t->c = c;
        t->cap = cap;
    }
    celda *c = &t->c[t->nceldas++];
    memset(c, 0, sizeof *c);
    c->tipo = t->tipo[(t->nceldas - 1) % t->ncols];
    return c;
}

static void tabla_txt(tabla *t, const char *s)
{
    celda *c = tabla_celda(t);
    if (c && !(c->s = xstrdup(s)))
        t->failed = true;
}

static void tabla_num(tabla *t, long long n)
{
    celda *c = tabla_celda(t);
    if (c)
        c->n = n;
}

static void tabla_vacia(tabla *t)
{
    celda *c = tabla_celda(t);
    if (c)
        c->vacia = true;
}

static size_t tabla_filas(const tabla *t)
{
    return t->ncols ? t->nceldas / t->ncols : 0;
}

/* The cell as printed in HTML/Markdown (before escaping). */
static const char *celda_texto(const celda *c, char *buf, size_t cap)
{
    if (c->vacia)
        return "–";
    if (c->s)
        return c->s;    /* text in a numeric column (a "Total" row) */
    switch (c->tipo) {
    case T_ENTERO: return informe_numero(c->n, buf, cap);
    case T_PCT: return pct_texto(c->n, false, buf, cap);
    case T_VAR: return pct_texto(c->n, true, buf, cap);
    default: return c->s ? c->s : "";
    }
}

/* The cell as CSV (plain numbers). */
static void celda_csv(strbuf *b, const celda *c)
{
    char buf[48];
    if (c->vacia)
        return;
    if (c->s) {
        csv_campo(b, c->s);
        return;
    }
    switch (c->tipo) {
    case T_ENTERO: strbuf_printf(b, "%lld", c->n); break;
    case T_PCT:
    case T_VAR: strbuf_puts(b, pct_texto(c->n, false, buf, sizeof buf)); break;
    default: csv_campo(b, c->s); break;
    }
}

/* ======================================================================
 * The writer
 * ====================================================================== */

typedef struct {
    informe_formato f;
    strbuf *out;
    /* CSV one-file-per-table mode */
    informe_tabla_fn fn;
    void *user;
    pmm_error *err;
    int rc;
    int ntabla, ngrafica;
    bool en_seccion;
} doc;

static void doc_puts(doc *d, const char *s)
{
    if (d->f != INFORME_CSV)
        strbuf_puts(d->out, s);
}

/* Escaped text in the document's format. */
static void doc_text(doc *d, const char *s)
{
    if (d->f == INFORME_HTML)
        informe_html_escape(d->out, s);
    else if (d->f == INFORME_MD)
        md_escape(d->out, s);
}

static void doc_vtext(doc *d, const char *fmt, va_list ap)
{
    char small[1024];
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap2);
    va_end(ap2);
    if (n >= 0 && (size_t)n < sizeof small) {
        doc_text(d, small);
    } else if (n >= 0) {
        char *big = malloc((size_t)n + 1);
        if (big) {
            vsnprintf(big, (size_t)n + 1, fmt, ap);
            doc_text(d, big);
            free(big);
        } else {
            d->out->failed = true;
        }
    }
}

static void doc_p(doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void doc_p(doc *d, const char *fmt, ...)
{
    if (d->f == INFORME_CSV)
        return;
    va_list ap;
    va_start(ap, fmt);
    doc_puts(d, d->f == INFORME_HTML ? "<p>" : "");
    doc_vtext(d, fmt, ap);
    doc_puts(d, d->f == INFORME_HTML ? "</p>\n" : "\n\n");
    va_end(ap);
}

static void doc_nota(doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void doc_nota(doc *d, const char *fmt, ...)
{
    if (d->f == INFORME_CSV)
        return;
    va_list ap;
    va_start(ap, fmt);
    doc_puts(d, d->f == INFORME_HTML ? "<p class=\"nota\">" : "_Nota:_ ");
    doc_vtext(d, fmt, ap);
    doc_puts(d, d->f == INFORME_HTML ? "</p>\n" : "\n\n");
    va_end(ap);
}

static void doc_h3(doc *d, const char *titulo)
{
    doc_puts(d, d->f == INFORME_HTML ? "<h3>" : "### ");
    doc_text(d, titulo);
    doc_puts(d, d->f == INFORME_HTML ? "</h3>\n" : "\n\n");
}

static void doc_fin_seccion(doc *d)
{
    if (d->en_seccion && d->f == INFORME_HTML)
        strbuf_puts(d->out, "</section>\n");
    d->en_seccion = false;
}

static void doc_seccion(doc *d, int num, const char *id, const char *titulo)
{
    doc_fin_seccion(d);
    if (d->f == INFORME_HTML) {
        strbuf_printf(d->out, "<section id=\"%s\" aria-labelledby=\"%s-t\">\n"
                              "<h2 id=\"%s-t\">%d. ", id, id, id, num);
        informe_html_escape(d->out, titulo);
        strbuf_puts(d->out, "</h2>\n");
        d->en_seccion = true;
    } else if (d->f == INFORME_MD) {
        strbuf_printf(d->out, "## %d. ", num);
        md_escape(d->out, titulo);
        strbuf_puts(d->out, "\n\n");
    }
}

/* Key figures: value and label pairs. */
typedef struct {
    char valor[64];
    char rotulo[160];
} cifra;

static void doc_cifras(doc *d, const cifra *c, size_t n)
{
    if (d->f == INFORME_HTML) {
        strbuf_puts(d->out, "<ul class=\"cifras\">\n");
        for (size_t i = 0; i < n; i++) {
            strbuf_puts(d->out, "<li class=\"cifra\"><b>");
            informe_html_escape(d->out, c[i].valor);
            strbuf_puts(d->out, "</b> <span>");
            informe_html_escape(d->out, c[i].rotulo);
            strbuf_puts(d->out, "</span></li>\n");
        }
        strbuf_puts(d->out, "</ul>\n");
    } else if (d->f == INFORME_MD) {
        for (size_t i = 0; i < n; i++) {
            strbuf_puts(d->out, "- **");
            md_escape(d->out, c[i].valor);
            strbuf_puts(d->out, "** ");
            md_escape(d->out, c[i].rotulo);
            strbuf_puts(d->out, "\n");
        }
        strbuf_puts(d->out, "\n");
    }
}

static bool es_num(tipo_celda t)
{
    return t != T_TEXTO;
}

static void tabla_csv(const tabla *t, strbuf *b, bool con_id)
{
    strbuf_puts(b, con_id ? "tabla" : "");
    for (size_t i = 0; i < t->ncols; i++) {
        if (con_id || i)
            strbuf_append(b, ",", 1);
        csv_campo(b, t->clave[i]);
    }
    strbuf_puts(b, "\n");
    for (size_t r = 0; r < tabla_filas(t); r++) {
        if (con_id)
            strbuf_puts(b, t->id);
        for (size_t i = 0; i < t->ncols; i++) {
            if (con_id || i)
                strbuf_append(b, ",", 1);
            celda_csv(b, &t->c[r * t->ncols + i]);
        }
        strbuf_puts(b, "\n");
    }
}

static void doc_tabla(doc *d, tabla *t)
{
    char buf[64];
    if (t->failed) {
        d->out->failed = true;
        return;
    }
    size_t nf = tabla_filas(t);
    if (d->f == INFORME_CSV) {
        if (d->fn) {
            strbuf b;
            strbuf_init(&b);
            tabla_csv(t, &b, false);
            if (strbuf_failed(&b))
                d->out->failed = true;
            else if (d->rc == 0 && d->fn(d->user, t->id, b.data, b.len, d->err))
                d->rc = -1;
            strbuf_free(&b);
        } else {
            tabla_csv(t, d->out, true);
        }
        return;
    }
    d->ntabla++;
    if (d->f == INFORME_HTML) {
        strbuf_printf(d->out, "<table id=\"tabla-%s\">\n<caption>Tabla %d. ", t->id, d->ntabla);
        informe_html_escape(d->out, t->titulo);
        strbuf_puts(d->out, "</caption>\n<thead><tr>");
        for (size_t i = 0; i < t->ncols; i++) {
            strbuf_puts(d->out, es_num(t->tipo[i]) ? "<th scope=\"col\" class=\"num\">"
                                                    : "<th scope=\"col\">");
            informe_html_escape(d->out, t->rotulo[i]);
            strbuf_puts(d->out, "</th>");
        }
        strbuf_puts(d->out, "</tr></thead>\n<tbody>\n");
        for (size_t r = 0; r < nf; r++) {
            strbuf_puts(d->out, t->ultima_total && r + 1 == nf ? "<tr class=\"total\">" : "<tr>");
            for (size_t i = 0; i < t->ncols; i++) {
                const celda *c = &t->c[r * t->ncols + i];
                strbuf_puts(d->out, es_num(t->tipo[i]) ? "<td class=\"num\">" : "<td>");
                informe_html_escape(d->out, celda_texto(c, buf, sizeof buf));
                strbuf_puts(d->out, "</td>");
            }
            strbuf_puts(d->out, "</tr>\n");
        }
        strbuf_puts(d->out, "</tbody>\n</table>\n");
    } else {
        strbuf_printf(d->out, "**Tabla %d. ", d->ntabla);
        md_escape(d->out, t->titulo);
        strbuf_puts(d->out, "**\n\n|");
        for (size_t i = 0; i < t->ncols; i++) {
            strbuf_puts(d->out, " ");
            md_escape(d->out, t->rotulo[i]);
            strbuf_puts(d->out, " |");
        }
        strbuf_puts(d->out, "\n|");
        for (size_t i = 0; i < t->ncols; i++)
            strbuf_puts(d->out, es_num(t->tipo[i]) ? " ---: |" : " --- |");
        strbuf_puts(d->out, "\n");
        for (size_t r = 0; r < nf; r++) {
            strbuf_puts(d->out, "|");
            for (size_t i = 0; i < t->ncols; i++) {
                strbuf_puts(d->out, " ");
                md_escape(d->out, celda_texto(&t->c[r * t->ncols + i], buf, sizeof buf));
                strbuf_puts(d->out, " |");
            }
            strbuf_puts(d->out, "\n");
        }
        strbuf_puts(d->out, "\n");
    }
    if (t->nota.len)
        doc_nota(d, "%s", t->nota.data);
}

/* ======================================================================
 * Charts (inline SVG, HTML only)
 * ====================================================================== */

typedef struct {
    char etiqueta[160];    /* printed next to the bar (already cut) */
    char completa[400];    /* full label, for the text alternative */
    long long valor;
} barra;

static void barra_set(barra *b, const char *completa, size_t max_etiqueta, long long valor)
{
    strbuf s;
    strbuf_init(&s);
    recortar(&s, completa, max_etiqueta);
    snprintf(b->etiqueta, sizeof b->etiqueta, "%s", s.data ? s.data : "");
    snprintf(b->completa, sizeof b->completa, "%s", completa);
    b->valor = valor;
    strbuf_free(&s);
}

#define G_ANCHO 800
#define G_ETIQ 330
#define G_VALOR 96
#define G_FILA 22
#define G_BARRA 14
#define G_MARGEN 6

/* A horizontal bar chart; with total > 0 each value also shows its share. */
static void doc_barras(doc *d, const char *titulo, const barra *b, size_t n,
                       long long total, const char *color)
{
    if (d->f != INFORME_HTML || n == 0)
        return;
    char num[48], pct[32];
    long long max = 0;
    for (size_t i = 0; i < n; i++)
        if (b[i].valor > max)
            max = b[i].valor;
    int g = ++d->ngrafica;
    int alto = 2 * G_MARGEN + (int)n * G_FILA;
    int ancho_barra = G_ANCHO - G_ETIQ - G_VALOR;
    strbuf *o = d->out;
    strbuf_printf(o, "<figure class=\"grafica\" id=\"grafica-%d\">\n"
                     "<svg class=\"grafica\" role=\"img\" viewBox=\"0 0 %d %d\""
                     " width=\"%d\" height=\"%d\" aria-labelledby=\"g%d-t g%d-d\""
                     " xmlns=\"http://www.w3.org/2000/svg\">\n<title id=\"g%d-t\">",
                  g, G_ANCHO, alto, G_ANCHO, alto, g, g, g);
    informe_html_escape(o, titulo);
    strbuf_printf(o, "</title>\n<desc id=\"g%d-d\">", g);
    for (size_t i = 0; i < n; i++) {
        informe_html_escape(o, b[i].completa);
        strbuf_printf(o, ": %s%s", informe_numero(b[i].valor, num, sizeof num),
                      i + 1 < n ? "; " : ".");
    }
    strbuf_puts(o, "</desc>\n");
    strbuf_printf(o, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"eje\"/>\n",
                  G_ETIQ, G_MARGEN - 2, G_ETIQ, alto - G_MARGEN + 2);
    for (size_t i = 0; i < n; i++) {
        int y = G_MARGEN + (int)i * G_FILA;
        int w = max > 0 ? (int)((b[i].valor * ancho_barra + max / 2) / max) : 0;
        if (b[i].valor > 0 && w < 2)
            w = 2;
        strbuf_puts(o, "<g><title>");
        informe_html_escape(o, b[i].completa);
        strbuf_printf(o, ": %s</title>", informe_numero(b[i].valor, num, sizeof num));
        strbuf_printf(o, "<text x=\"%d\" y=\"%d\" class=\"et\" text-anchor=\"end\">",
                      G_ETIQ - 8, y + G_FILA / 2 + 4);
        informe_html_escape(o, b[i].etiqueta);
        strbuf_puts(o, "</text>");
        if (w > 0)
            strbuf_printf(o, "<rect class=\"barra\" x=\"%d\" y=\"%d\" width=\"%d\""
                             " height=\"%d\" fill=\"%s\"/>",
                          G_ETIQ, y + (G_FILA - G_BARRA) / 2, w, G_BARRA, color);
        strbuf_printf(o, "<text x=\"%d\" y=\"%d\" class=\"val\">%s", G_ETIQ + w + 6,
                      y + G_FILA / 2 + 4, num);
        if (total > 0)
            strbuf_printf(o, " (%s%s%%)", pct_texto(decimas(b[i].valor, total), false,
                                                   pct, sizeof pct), NBSP);
        strbuf_puts(o, "</text></g>\n");
    }
    strbuf_printf(o, "</svg>\n<figcaption>Gráfica %d. ", g);
    informe_html_escape(o, titulo);
    strbuf_puts(o, "</figcaption>\n</figure>\n");
}

/* The tile map: every state a square at a fixed place that keeps the rough
 * shape of the country (9 columns x 5 rows). */
static const struct {
    int clave, col, fila;
    const char *abrev;
} TESELAS[NENT] = {
    {1, 2, 2, "AGS"},  {2, 0, 0, "BC"},   {3, 0, 1, "BCS"},  {4, 7, 3, "CAMP"},
    {5, 3, 0, "COAH"}, {6, 1, 4, "COL"},  {7, 6, 4, "CHIS"}, {8, 2, 0, "CHIH"},
    {9, 4, 3, "CDMX"}, {10, 2, 1, "DGO"}, {11, 3, 2, "GTO"}, {12, 2, 4, "GRO"},
    {13, 5, 2, "HGO"}, {14, 1, 3, "JAL"}, {15, 3, 3, "MEX"}, {16, 2, 3, "MICH"},
    {17, 3, 4, "MOR"}, {18, 1, 2, "NAY"}, {19, 4, 0, "NL"},  {20, 5, 4, "OAX"},
    {21, 4, 4, "PUE"}, {22, 4, 2, "QRO"}, {23, 8, 3, "QROO"}, {24, 4, 1, "SLP"},
    {25, 1, 1, "SIN"}, {26, 1, 0, "SON"}, {27, 6, 3, "TAB"}, {28, 5, 1, "TAMPS"},
    {29, 5, 3, "TLAX"}, {30, 6, 2, "VER"}, {31, 8, 2, "YUC"}, {32, 3, 1, "ZAC"},
};

static const struct {
    const char *rotulo, *relleno, *texto;
} CLASES[4] = {
    {"Sin acciones", "#eef0f3", "#3e4c59"},
    {"1 a 3 acciones", "#c5d5e6", "#1f2933"},
    {"4 a 10 acciones", "#7b9bbf", "#10202f"},
    {"Más de 10 acciones", "#2e5883", "#ffffff"},
};

static int clase_de(long long n)
{
    return n <= 0 ? 0 : n <= 3 ? 1 : n <= 10 ? 2 : 3;
}

#define M_LADO 58
#define M_PASO 64

static void doc_mapa(doc *d, const informe_ref *ref, const char *titulo,
                     const long long por_entidad[NENT + 1])
{
    if (d->f != INFORME_HTML)
        return;
    char num[48];
    int g = ++d->ngrafica;
    int ancho = 9 * M_PASO + 8, alto_mapa = 5 * M_PASO + 4, alto = alto_mapa + 56;
    strbuf *o = d->out;
    strbuf_printf(o, "<figure class=\"mapa\" id=\"grafica-%d\">\n"
                     "<svg class=\"mapa\" role=\"img\" viewBox=\"0 0 %d %d\" width=\"%d\""
                     " height=\"%d\" aria-labelledby=\"g%d-t g%d-d\""
                     " xmlns=\"http://www.w3.org/2000/svg\">\n<title id=\"g%d-t\">",
                  g, ancho, alto, ancho, alto, g, g, g);
    informe_html_escape(o, titulo);
    strbuf_printf(o, "</title>\n<desc id=\"g%d-d\">Mapa de mosaicos: cada cuadro es una "
                     "entidad federativa en una posición aproximada a su ubicación. ", g);
    for (int c = 3; c >= 0; c--) {
        bool any = false;
        for (int k = 1; k <= NENT; k++) {
            if (clase_de(por_entidad[k]) != c)
                continue;
            if (!any)
                strbuf_printf(o, "%s: ", CLASES[c].rotulo);
            strbuf_printf(o, "%s%s", any ? ", " : "", informe_ref_entidad(ref, k));
            if (c > 0)
                strbuf_printf(o, " (%s)", informe_numero(por_entidad[k], num, sizeof num));
            any = true;
        }
        if (any)
            strbuf_puts(o, ". ");
    }
    strbuf_puts(o, "</desc>\n");
    for (int i = 0; i < NENT; i++) {
        int k = TESELAS[i].clave;
        int c = clase_de(por_entidad[k]);
        int x = 4 + TESELAS[i].col * M_PASO, y = 4 + TESELAS[i].fila * M_PASO;
        strbuf_puts(o, "<g><title>");
        informe_html_escape(o, informe_ref_entidad(ref, k));
        strbuf_printf(o, ": %s</title>", informe_numero(por_entidad[k], num, sizeof num));
        strbuf_printf(o, "<rect class=\"tesela\" data-entidad=\"%02d\" x=\"%d\" y=\"%d\""
                         " width=\"%d\" height=\"%d\" rx=\"4\" fill=\"%s\"/>",
                      k, x, y, M_LADO, M_LADO, CLASES[c].relleno);
        strbuf_printf(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" class=\"ab\""
                         " fill=\"%s\">%s</text>",
                      x + M_LADO / 2, y + 24, CLASES[c].texto, TESELAS[i].abrev);
        strbuf_printf(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" class=\"nm\""
                         " fill=\"%s\">%s</text></g>\n",
                      x + M_LADO / 2, y + 44, CLASES[c].texto, num);
    }
    /* legend */
    int lx = 4, ly = alto_mapa + 18;
    static const int ancho_clase[4] = {128, 120, 128, 150};
    for (int c = 0; c < 4; c++) {
        strbuf_printf(o, "<rect class=\"leyenda\" x=\"%d\" y=\"%d\" width=\"16\" height=\"16\""
                         " rx=\"2\" fill=\"%s\" stroke=\"#7b8794\" stroke-width=\"0.6\"/>"
                         "<text x=\"%d\" y=\"%d\" class=\"ley\">%s</text>\n",
                      lx, ly, CLASES[c].relleno, lx + 22, ly + 13, CLASES[c].rotulo);
        lx += ancho_clase[c];
    }
    strbuf_printf(o, "</svg>\n<figcaption>Gráfica %d. ", g);
    informe_html_escape(o, titulo);
    strbuf_puts(o, "</figcaption>\n</figure>\n");
}

/* ======================================================================
 * The Informe Ejecutivo
 * ====================================================================== */

typedef struct {
    const json_t *datos;
    const informe_ref *ref;
    const informe_fuente *fuente;
    int anio;
    long long total;
    doc d;
} ctx;

static const struct {
    const char *id, *titulo;
} SECCIONES[] = {
    {"resumen", "Resumen"},
    {"objetivos", "Acciones por objetivo del Pacto"},
    {"ambito", "Ámbito federal y ámbito estatal"},
    {"instituciones", "Acciones por institución que reporta"},
    {"entidades", "Entidades federativas"},
    {"ejes", "Ejes temáticos y subtemas"},
    {"ods", "Alineación con los Objetivos de Desarrollo Sostenible"},
    {"retos", "Retos identificados"},
    {"metodo", "Notas metodológicas"},
};
#define NSECCIONES (sizeof SECCIONES / sizeof SECCIONES[0])

static void seccion(ctx *c, int num)
{
    doc_seccion(&c->d, num, SECCIONES[num - 1].id, SECCIONES[num - 1].titulo);
}

static const char *plural(long long n, const char *uno, const char *varios)
{
    return n == 1 ? uno : varios;
}

static const char *num(long long n, char *buf, size_t cap)
{
    return informe_numero(n, buf, cap);
}

/* Objectives as items (all 23, zeros included) from filtro. */
static int objetivos(const ctx *c, const char *filtro, items *it)
{
    for (int k = 1; k <= NOBJ; k++) {
        char v[8];
        snprintf(v, sizeof v, "%d", k);
        if (items_add(it, v, fichas(c->datos, filtro, "objetivo", v), k))
            return -1;
    }
    return 0;
}

/* The label of an objective: "7. Abordar y reducir…" (full title). */
static void objetivo_rotulo(const ctx *c, int k, strbuf *b)
{
    strbuf_printf(b, "%d. %s", k, informe_ref_objetivo(c->ref, k));
}

static void emisor_nombre(const ctx *c, const char *emisor, strbuf *b)
{
    if (!strncmp(emisor, "E:", 2)) {
        informe_ref_gobierno(c->ref, atoi(emisor + 2), b);
    } else {
        const char *sigla = !strncmp(emisor, "D:", 2) ? emisor + 2 : emisor;
        const char *n = informe_ref_dependencia(c->ref, sigla);
        strbuf_puts(b, n ? n : sigla);
    }
}

static void emisor_sigla(const ctx *c, const char *emisor, strbuf *b)
{
    if (!strncmp(emisor, "E:", 2)) {
        int k = atoi(emisor + 2);
        strbuf_printf(b, "Gob. %s", k >= 1 && k <= NENT ? informe_ref_entidad(c->ref, k) : emisor);
    } else {
        strbuf_puts(b, !strncmp(emisor, "D:", 2) ? emisor + 2 : emisor);
    }
}

/* A list joined in Spanish: "a, b y c". */
static void lista_y(strbuf *b, const char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            strbuf_puts(b, i + 1 == n ? " y " : ", ");
        strbuf_puts(b, v[i]);
    }
}

/* ---- 1. Summary -------------------------------------------------------- */

static int contar_emisores(const ctx *c, char tipo)
{
    int n = 0;
    const char *k;
    json_t *cell;
    json_t *obj = (json_t *)dimension_de(c->datos, "", "emisor");
    json_object_foreach(obj, k, cell)
        if (k[0] == tipo && json_integer_value(json_object_get(cell, "fichas")) > 0)
            n++;
    return n;
}

static int objetivos_con_acciones(const ctx *c)
{
    int n = 0;
    for (int k = 1; k <= NOBJ; k++) {
        char v[8];
        snprintf(v, sizeof v, "%d", k);
        if (fichas(c->datos, "", "objetivo", v) > 0)
            n++;
    }
    return n;
}

static void periodo_texto(int anio, char *buf, size_t cap)
{
    snprintf(buf, cap, "junio de %d a junio de %d", anio - 1, anio);
}

static void s_resumen(ctx *c)
{
    doc *d = &c->d;
    char a[48], b2[48], e[48], p[32];
    int ndep = contar_emisores(c, 'D'), nest = contar_emisores(c, 'E');
    int nobj = objetivos_con_acciones(c);
    long long ods_total = fichas(c->datos, "", "ods_total", "");
    char periodo[64];
    periodo_texto(c->anio, periodo, sizeof periodo);
    seccion(c, 1);
    if (nest > 0)
        doc_p(d, "En el ejercicio %d, que abarca de %s, se registraron %s %s alineadas a "
                 "los objetivos del Pacto Mundial. Las reportaron %d %s federales y "
                 "%d %s (%d de las 32 entidades federativas).",
              c->anio, periodo, num(c->total, a, sizeof a),
              plural(c->total, "acción", "acciones"), ndep,
              plural(ndep, "dependencia u organismo", "dependencias y organismos"), nest,
              plural(nest, "gobierno estatal", "gobiernos estatales"), nest);
    else
        doc_p(d, "En el ejercicio %d, que abarca de %s, se registraron %s %s alineadas a "
                 "los objetivos del Pacto Mundial, reportadas por %d %s federales; "
                 "ningún gobierno estatal reportó acciones en este ejercicio.",
              c->anio, periodo, num(c->total, a, sizeof a),
              plural(c->total, "acción", "acciones"), ndep,
              plural(ndep, "dependencia u organismo", "dependencias y organismos"));
    cifra cf[5];
    memset(cf, 0, sizeof cf);
    snprintf(cf[0].valor, sizeof cf[0].valor, "%s", num(c->total, a, sizeof a));
    snprintf(cf[0].rotulo, sizeof cf[0].rotulo, "acciones registradas");
    snprintf(cf[1].valor, sizeof cf[1].valor, "%d", ndep);
    snprintf(cf[1].rotulo, sizeof cf[1].rotulo, "dependencias y organismos federales");
    snprintf(cf[2].valor, sizeof cf[2].valor, "%d de 32", nest);
    snprintf(cf[2].rotulo, sizeof cf[2].rotulo, "gobiernos estatales");
    snprintf(cf[3].valor, sizeof cf[3].valor, "%d de 23", nobj);
    snprintf(cf[3].rotulo, sizeof cf[3].rotulo, "objetivos con al menos una acción");
    snprintf(cf[4].valor, sizeof cf[4].valor, "%s", num(ods_total, a, sizeof a));
    snprintf(cf[4].rotulo, sizeof cf[4].rotulo, "acciones con resultados alineados a los ODS");
    doc_cifras(d, cf, 5);

    long long acc = medida(c->datos, "acciones"), per = medida(c->datos, "personas");
    long long muj = medida(c->datos, "mujeres"), hom = medida(c->datos, "hombres");
    if (acc > 0 || per > 0) {
        if (muj > 0 || hom > 0)
            doc_p(d, "En sus resultados, las fichas suman %s actividades realizadas "
                     "(campañas, trámites, cursos, documentos y otras) y %s personas "
                     "atendidas o beneficiadas; donde se desglosó por sexo, %s fueron "
                     "mujeres y %s hombres.",
                  num(acc, a, sizeof a), num(per, b2, sizeof b2),
                  num(muj, e, sizeof e), num(hom, p, sizeof p));
        else
            doc_p(d, "En sus resultados, las fichas suman %s actividades realizadas "
                     "(campañas, trámites, cursos, documentos y otras) y %s personas "
                     "atendidas o beneficiadas.",
                  num(acc, a, sizeof a), num(per, b2, sizeof b2));
    }

    long long pend = json_integer_value(json_object_get(c->datos, "pendientes"));
    /* CSV: the summary as a table of its own */
    if (d->f == INFORME_CSV) {
        tabla r;
        tabla_init(&r, "resumen", "Resumen", 3, "indicador", "Indicador", 't',
                   "descripcion", "Descripción", 't', "valor", "Valor", 'n');
        static const char *ind[][2] = {
            {"acciones", "Acciones registradas (fichas)"},
            {"dependencias", "Dependencias y organismos federales que reportaron"},
            {"gobiernos_estatales", "Gobiernos estatales que reportaron (de 32)"},
            {"objetivos_con_acciones", "Objetivos del Pacto con al menos una acción (de 23)"},
            {"ods_total", "Acciones con resultados alineadas al menos a un ODS"},
            {"actividades", "Actividades realizadas según los resultados"},
            {"personas", "Personas atendidas o beneficiadas"},
            {"mujeres", "Mujeres atendidas (donde se desglosó)"},
            {"hombres", "Hombres atendidos (donde se desglosó)"},
            {"pendientes", "Fichas aún sin clasificar al corte"},
        };
        long long val[] = {c->total, ndep, nest, nobj, ods_total, acc, per, muj, hom, pend};
        for (size_t k = 0; k < sizeof val / sizeof val[0]; k++) {
            tabla_txt(&r, ind[k][0]);
            tabla_txt(&r, ind[k][1]);
            tabla_num(&r, val[k]);
        }
        doc_tabla(d, &r);
        tabla_free(&r);
    }

    /* comparison with the previous years */
    json_t *anual = json_object_get(c->datos, "anual");
    tabla t;
    tabla_init(&t, "anual", "Acciones e instituciones participantes por ejercicio", 6,
               "ejercicio", "Ejercicio", 't', "periodo", "Periodo", 't',
               "acciones", "Acciones", 'n', "variacion_pct", "Variación (%)", 'v',
               "dependencias", "Dependencias federales", 'n',
               "gobiernos_estatales", "Gobiernos estatales", 'n');
    barra *bs = calloc(json_array_size(anual) + 1, sizeof *bs);
    size_t nb = 0;
    long long prev = -1, prev_anio = 0;
    long long este = -1, anterior = -1;
    size_t i;
    json_t *fila;
    json_array_foreach(anual, i, fila) {
        int y = (int)json_integer_value(json_object_get(fila, "ejercicio"));
        long long n = json_integer_value(json_object_get(fila, "fichas"));
        char ys[16], per_t[64];
        snprintf(ys, sizeof ys, "%d", y);
        periodo_texto(y, per_t, sizeof per_t);
        tabla_txt(&t, ys);
        tabla_txt(&t, per_t);
        tabla_num(&t, n);
        if (prev > 0 && prev_anio == y - 1)
            tabla_num(&t, decimas(n - prev, prev));
        else
            tabla_vacia(&t);
        tabla_num(&t, json_integer_value(json_object_get(fila, "dependencias")));
        tabla_num(&t, json_integer_value(json_object_get(fila, "entidades")));
        if (bs)
            barra_set(&bs[nb++], ys, 10, n);
        if (y == c->anio) {
            este = n;
            anterior = prev_anio == y - 1 ? prev : -1;
        }
        prev = n;
        prev_anio = y;
    }
    if (json_array_size(anual) > 1) {
        doc_h3(d, "Comparación con ejercicios anteriores");
        if (este >= 0 && anterior > 0) {
            long long dif = este - anterior;
            if (dif == 0)
                doc_p(d, "El número de acciones fue igual al del ejercicio %d (%s).",
                      c->anio - 1, num(anterior, a, sizeof a));
            else
                doc_p(d, "Respecto del ejercicio %d (%s acciones), el número de acciones "
                         "%s en %s (%s%s%%).",
                      c->anio - 1, num(anterior, a, sizeof a),
                      dif > 0 ? "aumentó" : "disminuyó", num(dif > 0 ? dif : -dif, b2, sizeof b2),
                      pct_texto(decimas(dif, anterior), true, p, sizeof p), NBSP);
        }
        doc_barras(d, "Acciones registradas por ejercicio", bs, nb, 0, "#51677d");
    }
    if (json_array_size(anual) > 0) {
        strbuf_puts(&t.nota, "Gobiernos estatales: participan desde 2022. La variación "
                             "compara cada ejercicio con el anterior.");
        doc_tabla(d, &t);
    }
    tabla_free(&t);
    free(bs);

    if (pend > 0)
        doc_nota(d, "Al corte de los datos, %s %s del ejercicio aún no %s y no se %s "
                    "en las cifras.",
                 num(pend, a, sizeof a), plural(pend, "ficha", "fichas"),
                 plural(pend, "estaba clasificada", "estaban clasificadas"),
                 plural(pend, "incluye", "incluyen"));

}

/* ---- 2. Objectives ------------------------------------------------------ */

/* Ties and cut notes of a top/bottom table built from sorted items, the
 * first `shown` of them. */
static void nota_empates(const items *it, size_t shown, strbuf *nota)
{
    char a[48];
    size_t i = 0;
    bool first = true;
    while (i < shown) {
        size_t j = i;
        while (j + 1 < shown && it->v[j + 1].n == it->v[i].n)
            j++;
        if (j > i) {
            strbuf_puts(nota, first ? "Empates: " : "; ");
            first = false;
            strbuf_puts(nota, "los objetivos ");
            for (size_t k = i; k <= j; k++)
                strbuf_printf(nota, "%s%s", k == i ? "" : k == j ? " y " : ", ", it->v[k].valor);
            if (it->v[i].n == 0)
                strbuf_puts(nota, " no registraron acciones");
            else
                strbuf_printf(nota, " tienen %s %s cada uno", informe_numero(it->v[i].n, a, sizeof a),
                              plural(it->v[i].n, "acción", "acciones"));
        }
        i = j + 1;
    }
    if (!first)
        strbuf_puts(nota, ".");
    if (shown > TOP_N)
        strbuf_printf(nota, "%sPor los empates, la tabla incluye %zu objetivos en lugar de cinco.",
                      first ? "" : " ", shown);
}

static void tabla_ranking(ctx *c, const char *id, const char *titulo, const items *it)
{
    tabla t;
    tabla_init(&t, id, titulo, 4, "lugar", "Lugar", 'n', "objetivo", "Objetivo", 'n',
               "titulo", "Título del objetivo", 't', "acciones", "Acciones", 'n');
    size_t shown = 0;
    for (size_t i = 0; i < it->n && lugar(it, i) <= TOP_N; i++) {
        int k = atoi(it->v[i].valor);
        tabla_num(&t, lugar(it, i));
        tabla_num(&t, k);
        tabla_txt(&t, informe_ref_objetivo(c->ref, k));
        tabla_num(&t, it->v[i].n);
        shown++;
    }
    nota_empates(it, shown, &t.nota);
    doc_tabla(&c->d, &t);
    tabla_free(&t);
}

static int s_objetivos(ctx *c)
{
    doc *d = &c->d;
    char a[48], b2[48], p[32];
    items it = {0};
    if (objetivos(c, "", &it))
        return -1;
    items_ordenar(&it, cmp_desc);
    seccion(c, 2);
    int ceros = 0;
    for (size_t i = 0; i < it.n; i++)
        if (it.v[i].n == 0)
            ceros++;
    int k0 = atoi(it.v[0].valor);
    if (c->total > 0) {
        int empatados = 0;
        for (size_t i = 1; i < it.n; i++)
            if (it.v[i].n == it.v[0].n)
                empatados++;
        doc_p(d, "Cada ficha se alinea a un solo objetivo del Pacto, de modo que las %s "
                 "acciones se reparten entre los 23 objetivos sin contarse dos veces. "
                 "%s el objetivo %d, «%s», con %s acciones (%s%s%% del total). %s",
              num(c->total, a, sizeof a),
              empatados ? "Encabeza la lista, empatado con otros objetivos," : "Encabeza la lista",
              k0, informe_ref_objetivo(c->ref, k0), num(it.v[0].n, b2, sizeof b2),
              pct_texto(decimas(it.v[0].n, c->total), false, p, sizeof p), NBSP,
              ceros == 0 ? "Todos los objetivos registraron al menos una acción."
                  : ceros == 1 ? "Un objetivo no registró acciones."
                               : "Varios objetivos no registraron acciones.");
    }
    barra bs[NOBJ];
    for (size_t i = 0; i < it.n && i < NOBJ; i++) {
        strbuf s;
        strbuf_init(&s);
        objetivo_rotulo(c, atoi(it.v[i].valor), &s);
        barra_set(&bs[i], s.data ? s.data : "", 46, it.v[i].n);
        strbuf_free(&s);
    }
    doc_barras(d, "Acciones por objetivo del Pacto, de mayor a menor", bs, it.n, c->total,
               "#51677d");
    tabla t;
    tabla_init(&t, "objetivos", "Acciones por objetivo, de mayor a menor", 5, "lugar", "Lugar",
               'n', "objetivo", "Objetivo", 'n', "titulo", "Título del objetivo", 't',
               "acciones", "Acciones", 'n', "porcentaje", "%", 'p');
    for (size_t i = 0; i < it.n; i++) {
        int k = atoi(it.v[i].valor);
        tabla_num(&t, lugar(&it, i));
        tabla_num(&t, k);
        tabla_txt(&t, informe_ref_objetivo(c->ref, k));
        tabla_num(&t, it.v[i].n);
        tabla_num(&t, decimas(it.v[i].n, c->total));
    }
    strbuf_puts(&t.nota, "Objetivos con el mismo número de acciones comparten lugar; entre "
                         "ellos se listan por número de objetivo.");
    doc_tabla(d, &t);
    tabla_free(&t);

    doc_h3(d, "Los cinco objetivos con más acciones");
    tabla_ranking(c, "objetivos_mas", "Objetivos con más acciones", &it);
    doc_h3(d, "Los cinco objetivos con menos acciones");
    items_ordenar(&it, cmp_asc);
    tabla_ranking(c, "objetivos_menos",
                  "Objetivos con menos acciones (incluye los que no registraron)", &it);
    free(it.v);
    return 0;
}

/* ---- 3. Federal vs state ----------------------------------------------- */

static int s_ambito(ctx *c)
{
    doc *d = &c->d;
    char a[48], b2[48], e[48], p[32], q[32];
    long long fed[NOBJ + 1] = {0}, tot[NOBJ + 1] = {0};
    const char *k;
    json_t *filtro;
    json_object_foreach(json_object_get(c->datos, "totales"), k, filtro) {
        if (strncmp(k, "D:", 2))
            continue;
        for (int o = 1; o <= NOBJ; o++) {
            char v[8];
            snprintf(v, sizeof v, "%d", o);
            fed[o] += fichas(c->datos, k, "objetivo", v);
        }
    }
    long long sfed = 0, sest = 0;
    for (int o = 1; o <= NOBJ; o++) {
        char v[8];
        snprintf(v, sizeof v, "%d", o);
        tot[o] = fichas(c->datos, "", "objetivo", v);
        sfed += fed[o];
        sest += tot[o] - fed[o];
    }
    seccion(c, 3);
    if (sest > 0)
        doc_p(d, "De las %s acciones, %s (%s%s%%) corresponden a dependencias y organismos "
                 "federales y %s (%s%s%%) a gobiernos estatales. Las gráficas siguientes "
                 "muestran cómo se reparte cada ámbito entre los objetivos.",
              num(c->total, a, sizeof a), num(sfed, b2, sizeof b2),
              pct_texto(decimas(sfed, c->total), false, p, sizeof p), NBSP,
              num(sest, e, sizeof e), pct_texto(decimas(sest, c->total), false, q, sizeof q),
              NBSP);
    else
        doc_p(d, "Todas las acciones de este ejercicio corresponden al ámbito federal: "
                 "ningún gobierno estatal envió fichas.");
    long long amb_fed = fichas(c->datos, "", "ambito", "federal");
    for (int pass = 0; pass < 2; pass++) {
        long long *v = pass == 0 ? fed : NULL;
        long long suma = pass == 0 ? sfed : sest;
        if (suma == 0)
            continue;
        items it = {0};
        for (int o = 1; o <= NOBJ; o++) {
            char s[8];
            snprintf(s, sizeof s, "%d", o);
            if (items_add(&it, s, v ? v[o] : tot[o] - fed[o], o)) {
                free(it.v);
                return -1;
            }
        }
        items_ordenar(&it, cmp_desc);
        barra bs[NOBJ];
        size_t nb = 0;
        for (size_t i = 0; i < it.n && it.v[i].n > 0; i++) {
            strbuf s;
            strbuf_init(&s);
            objetivo_rotulo(c, atoi(it.v[i].valor), &s);
            barra_set(&bs[nb++], s.data ? s.data : "", 46, it.v[i].n);
            strbuf_free(&s);
        }
        doc_barras(d, pass == 0 ? "Acciones de dependencias y organismos federales por objetivo"
                                : "Acciones de gobiernos estatales por objetivo",
                   bs, nb, suma, pass == 0 ? "#3d5a80" : "#8c7a5b");
        if (nb < NOBJ)
            doc_nota(d, "La gráfica omite los %zu objetivos sin acciones de este ámbito; la "
                        "tabla de abajo los incluye.", NOBJ - nb);
        free(it.v);
    }
    tabla t;
    tabla_init(&t, "ambito_objetivo", "Acciones por objetivo y ámbito", 5, "objetivo",
               "Objetivo", 'n', "titulo", "Título del objetivo", 't', "federal", "Federal",
               'n', "estatal", "Estatal", 'n', "total", "Total", 'n');
    for (int o = 1; o <= NOBJ; o++) {
        tabla_num(&t, o);
        tabla_txt(&t, informe_ref_objetivo(c->ref, o));
        tabla_num(&t, fed[o]);
        tabla_num(&t, tot[o] - fed[o]);
        tabla_num(&t, tot[o]);
    }
    tabla_txt(&t, "");
    tabla_txt(&t, "Total");
    t.ultima_total = true;
    tabla_num(&t, sfed);
    tabla_num(&t, sest);
    tabla_num(&t, sfed + sest);
    if (amb_fed != sfed)
        strbuf_printf(&t.nota, "%s fichas federales no indican dependencia y aquí se "
                               "cuentan como estatales.",
                      num(amb_fed - sfed, a, sizeof a));
    doc_tabla(d, &t);
    tabla_free(&t);
    return 0;
}

/* ---- 4. Reporting bodies ----------------------------------------------- */

static int s_instituciones(ctx *c)
{
    doc *d = &c->d;
    char a[48], p[32];
    items it = {0};
    if (items_de(c->datos, c->ref, "", "emisor", &it))
        return -1;
    items_ordenar(&it, cmp_desc);
    seccion(c, 4);
    int ndep = contar_emisores(c, 'D'), nest = contar_emisores(c, 'E');
    long long top = 0;
    for (size_t i = 0; i < it.n && i < TOP_N; i++)
        top += it.v[i].n;
    doc_p(d, "Reportaron acciones %zu %s: %d del ámbito federal y %d gobiernos estatales. "
             "La tabla indica la participación de cada una en el total; las cinco con más "
             "acciones reúnen %s%s%% de ellas.",
          it.n, plural((long long)it.n, "institución", "instituciones"), ndep, nest,
          pct_texto(decimas(top, c->total), false, p, sizeof p), NBSP);
    barra *bs = calloc(it.n + 1, sizeof *bs);
    tabla t;
    tabla_init(&t, "instituciones", "Acciones por institución que reporta, de mayor a menor",
               6, "lugar", "Lugar", 'n', "clave", "Siglas o clave", 't', "institucion",
               "Institución", 't', "ambito", "Ámbito", 't', "acciones", "Acciones", 'n',
               "porcentaje", "%", 'p');
    for (size_t i = 0; i < it.n; i++) {
        strbuf nom, sig;
        strbuf_init(&nom);
        strbuf_init(&sig);
        emisor_nombre(c, it.v[i].valor, &nom);
        emisor_sigla(c, it.v[i].valor, &sig);
        bool est = it.v[i].valor[0] == 'E';
        tabla_num(&t, lugar(&it, i));
        tabla_txt(&t, est ? it.v[i].valor + 2 : it.v[i].valor + (it.v[i].valor[1] == ':' ? 2 : 0));
        tabla_txt(&t, nom.data ? nom.data : "");
        tabla_txt(&t, est ? "Estatal" : "Federal");
        tabla_num(&t, it.v[i].n);
        tabla_num(&t, decimas(it.v[i].n, c->total));
        if (bs) {
            strbuf full;
            strbuf_init(&full);
            if (est)
                strbuf_puts(&full, nom.data ? nom.data : "");
            else
                strbuf_printf(&full, "%s (%s)", sig.data ? sig.data : "", nom.data ? nom.data : "");
            barra_set(&bs[i], sig.data ? sig.data : "", 40, it.v[i].n);
            snprintf(bs[i].completa, sizeof bs[i].completa, "%s", full.data ? full.data : "");
            strbuf_free(&full);
        }
        strbuf_free(&nom);
        strbuf_free(&sig);
    }
    if (bs)
        doc_barras(d, "Acciones por institución que reporta y su participación en el total",
                   bs, it.n, c->total, "#51677d");
    strbuf_printf(&t.nota, "Total: %s acciones. Las dependencias se identifican por sus "
                           "siglas y los gobiernos estatales por la clave INEGI de la entidad.",
                  num(c->total, a, sizeof a));
    doc_tabla(d, &t);
    tabla_free(&t);
    free(bs);
    free(it.v);
    return 0;
}

/* ---- 5. States ----------------------------------------------------------- */

static void s_entidades(ctx *c)
{
    doc *d = &c->d;
    char a[48];
    long long propias[NENT + 1] = {0}, federales[NENT + 1] = {0};
    int participan = 0;
    for (int k = 1; k <= NENT; k++) {
        char e[8], v[8];
        snprintf(e, sizeof e, "E:%02d", k);
        snprintf(v, sizeof v, "%02d", k);
        propias[k] = fichas(c->datos, "", "emisor", e);
        long long en = fichas(c->datos, "", "entidad", v);
        federales[k] = en > propias[k] ? en - propias[k] : 0;
        if (propias[k] > 0)
            participan++;
    }
    seccion(c, 5);
    if (participan > 0) {
        doc_p(d, "Enviaron fichas %d de las 32 entidades federativas. El mapa colorea cada "
                 "entidad según el número de acciones que reportó su gobierno; la tabla da "
                 "las cifras exactas y, aparte, las acciones federales realizadas en cada "
                 "entidad.", participan);
    } else {
        doc_p(d, "Ningún gobierno estatal envió fichas en este ejercicio, por lo que el mapa "
                 "aparece sin acciones estatales. La tabla muestra, aparte, las acciones "
                 "federales que indican haberse realizado en cada entidad.");
    }
    if (d->f == INFORME_HTML)
        strbuf_puts(d->out, "<div class=\"mapa-tabla\">\n<div>\n");
    doc_mapa(d, c->ref, "Acciones reportadas por los gobiernos estatales, por entidad federativa",
             propias);
    if (d->f == INFORME_HTML)
        strbuf_puts(d->out, "<p class=\"nota\">Cuentan solo las fichas propias de cada "
                            "gobierno estatal; no se incluyen las acciones federales "
                            "realizadas en la entidad. Posiciones aproximadas, sin escala."
                            "</p>\n</div>\n<div>\n");
    tabla t;
    tabla_init(&t, "entidades", "Acciones por entidad federativa", 4, "clave", "Clave", 't',
               "entidad", "Entidad federativa", 't', "estatales", "Gobierno estatal", 'n',
               "federales_en_entidad", "Federales en la entidad", 'n');
    for (int k = 1; k <= NENT; k++) {
        char v[8];
        snprintf(v, sizeof v, "%02d", k);
        tabla_txt(&t, v);
        tabla_txt(&t, informe_ref_entidad(c->ref, k));
        tabla_num(&t, propias[k]);
        tabla_num(&t, federales[k]);
    }
    strbuf_puts(&t.nota, "Gobierno estatal: acciones de las fichas enviadas por el gobierno "
                         "de la entidad (las que colorean el mapa). Federales en la entidad: "
                         "acciones de fichas federales que señalan la entidad como lugar de "
                         "ejecución.");
    doc_tabla(d, &t);
    tabla_free(&t);
    if (d->f == INFORME_HTML)
        strbuf_puts(d->out, "</div>\n</div>\n");
    if (participan > 0 && participan < NENT) {
        strbuf s;
        strbuf_init(&s);
        const char *nombres[NENT];
        size_t n = 0;
        for (int k = 1; k <= NENT; k++)
            if (propias[k] == 0)
                nombres[n++] = informe_ref_entidad(c->ref, k);
        lista_y(&s, nombres, n);
        doc_p(d, "No enviaron fichas en este ejercicio (%s): %s.",
              num((long long)n, a, sizeof a), s.data ? s.data : "");
        strbuf_free(&s);
    }
}

/* ---- 6. Axes and sub-topics -------------------------------------------- */

static int s_ejes(ctx *c)
{
    doc *d = &c->d;
    char a[48];
    items ejes = {0}, subs = {0};
    if (items_de(c->datos, c->ref, "", "eje", &ejes) ||
        items_de(c->datos, c->ref, "", "subtema", &subs)) {
        free(ejes.v);
        free(subs.v);
        return -1;
    }
    /* every axis and sub-topic of the taxonomy, zeros included */
    for (size_t i = 0; i < informe_ref_subtemas(c->ref); i++) {
        const ref_subtema *sr = informe_ref_subtema_at(c->ref, i);
        char e[8];
        snprintf(e, sizeof e, "%d", sr->eje);
        if (!items_buscar(&ejes, e) && items_add(&ejes, e, 0, sr->eje))
            return -1;
        if (!items_buscar(&subs, sr->codigo) && items_add(&subs, sr->codigo, 0, (int)i))
            return -1;
    }
    items_ordenar(&ejes, cmp_natural);
    items_ordenar(&subs, cmp_natural);
    seccion(c, 6);
    size_t imax = 0;
    for (size_t i = 1; i < ejes.n; i++)
        if (ejes.v[i].n > ejes.v[imax].n)
            imax = i;
    if (ejes.n > 0 && c->total > 0) {
        const char *en = informe_ref_eje(c->ref, atoi(ejes.v[imax].valor));
        doc_p(d, "Cada acción se clasifica en un eje temático y, dentro de él, en un subtema. "
                 "El eje con más acciones fue «%s», con %s.",
              en ? en : ejes.v[imax].valor, num(ejes.v[imax].n, a, sizeof a));
    }
    tabla te;
    tabla_init(&te, "ejes", "Acciones por eje temático", 4, "eje", "Eje", 'n', "nombre",
               "Nombre del eje", 't', "acciones", "Acciones", 'n', "porcentaje", "%", 'p');
    for (size_t i = 0; i < ejes.n; i++) {
        const char *en = informe_ref_eje(c->ref, atoi(ejes.v[i].valor));
        tabla_num(&te, atoi(ejes.v[i].valor));
        tabla_txt(&te, en ? en : "");
        tabla_num(&te, ejes.v[i].n);
        tabla_num(&te, decimas(ejes.v[i].n, c->total));
    }
    doc_tabla(d, &te);
    tabla_free(&te);

    barra *bs = calloc(subs.n + 1, sizeof *bs);
    tabla ts;
    tabla_init(&ts, "subtemas", "Acciones por subtema", 5, "eje", "Eje", 'n', "subtema",
               "Clave", 't', "nombre", "Subtema", 't', "acciones", "Acciones", 'n',
               "porcentaje", "%", 'p');
    for (size_t i = 0; i < subs.n; i++) {
        const ref_subtema *sr = informe_ref_subtema(c->ref, subs.v[i].valor);
        const char *nm = sr ? sr->nombre : subs.v[i].valor;
        if (sr)
            tabla_num(&ts, sr->eje);
        else
            tabla_vacia(&ts);
        tabla_txt(&ts, subs.v[i].valor);
        tabla_txt(&ts, nm);
        tabla_num(&ts, subs.v[i].n);
        tabla_num(&ts, decimas(subs.v[i].n, c->total));
        if (bs) {
            strbuf s;
            strbuf_init(&s);
            if (sr)
                strbuf_printf(&s, "%d · %s", sr->eje, nm);
            else
                strbuf_puts(&s, nm);
            barra_set(&bs[i], s.data ? s.data : "", 46, subs.v[i].n);
            strbuf_free(&s);
        }
    }
    if (bs)
        doc_barras(d, "Acciones por subtema, agrupadas por eje (el número indica el eje)",
                   bs, subs.n, c->total, "#51677d");
    doc_tabla(d, &ts);
    tabla_free(&ts);
    free(bs);
    free(ejes.v);
    free(subs.v);
    return 0;
}

/* ---- 7. SDGs ------------------------------------------------------------- */

static int s_ods(ctx *c)
{
    doc *d = &c->d;
    char a[48], b2[48];
    long long unico = fichas(c->datos, "", "ods_total", "");
    items it = {0};
    for (int k = 1; k <= NODS; k++) {
        char v[8];
        snprintf(v, sizeof v, "%d", k);
        if (items_add(&it, v, fichas(c->datos, "", "ods", v), k))
            return -1;
    }
    items_ordenar(&it, cmp_desc);
    long long suma = items_suma(&it);
    seccion(c, 7);
    doc_p(d, "Se alinean a los ODS solo las acciones que reportaron resultados en el periodo. "
             "En este ejercicio, %s %s con resultados se %s al menos a un ODS. Una misma "
             "acción puede contribuir a varios ODS y cuenta en cada uno de ellos, por lo que "
             "la suma por ODS (%s) es mayor que ese total único.",
          num(unico, a, sizeof a), plural(unico, "acción", "acciones"),
          plural(unico, "alineó", "alinearon"), num(suma, b2, sizeof b2));
    cifra cf[2];
    memset(cf, 0, sizeof cf);
    snprintf(cf[0].valor, sizeof cf[0].valor, "%s", num(unico, a, sizeof a));
    snprintf(cf[0].rotulo, sizeof cf[0].rotulo, "acciones alineadas a algún ODS (total único)");
    snprintf(cf[1].valor, sizeof cf[1].valor, "%s", num(suma, a, sizeof a));
    snprintf(cf[1].rotulo, sizeof cf[1].rotulo, "alineaciones acción-ODS (suma por ODS)");
    doc_cifras(d, cf, 2);
    barra bs[NODS];
    for (size_t i = 0; i < it.n; i++) {
        int k = atoi(it.v[i].valor);
        strbuf s;
        strbuf_init(&s);
        strbuf_printf(&s, "ODS %d. %s", k, informe_ref_ods(c->ref, k));
        barra_set(&bs[i], s.data ? s.data : "", 46, it.v[i].n);
        strbuf_free(&s);
    }
    doc_barras(d, "Acciones con resultados por ODS (una acción puede contar en varios)", bs,
               it.n, 0, "#51677d");
    tabla t;
    tabla_init(&t, "ods", "Acciones con resultados alineadas a cada ODS", 4, "ods", "ODS",
               'n', "nombre", "Objetivo de Desarrollo Sostenible", 't', "acciones",
               "Acciones", 'n', "porcentaje", "% del total único", 'p');
    for (size_t i = 0; i < it.n; i++) {
        int k = atoi(it.v[i].valor);
        tabla_num(&t, k);
        tabla_txt(&t, informe_ref_ods(c->ref, k));
        tabla_num(&t, it.v[i].n);
        tabla_num(&t, decimas(it.v[i].n, unico));
    }
    tabla_txt(&t, "");
    tabla_txt(&t, "Total único (cada acción una vez)");
    t.ultima_total = true;
    tabla_num(&t, unico);
    tabla_vacia(&t);
    strbuf_puts(&t.nota, "Los porcentajes se calculan sobre el total único y suman más de "
                         "100 porque una acción puede contar en varios ODS.");
    doc_tabla(d, &t);
    tabla_free(&t);
    free(it.v);

    /* targets */
    items metas = {0};
    if (items_de(c->datos, c->ref, "", "meta", &metas))
        return -1;
    items_ordenar(&metas, cmp_desc);
    doc_h3(d, "Metas de los ODS alcanzadas con más frecuencia");
    if (metas.n == 0) {
        doc_p(d, "Ninguna acción se asoció a una meta específica de los ODS.");
    } else {
        tabla tm;
        tabla_init(&tm, "ods_metas", "Metas de los ODS con más acciones", 5, "lugar", "Lugar",
                   'n', "meta", "Meta", 't', "ods", "ODS", 'n', "descripcion", "Descripción",
                   't', "acciones", "Acciones", 'n');
        size_t shown = 0;
        for (size_t i = 0; i < metas.n && lugar(&metas, i) <= METAS_N; i++) {
            const char *nm = informe_ref_meta(c->ref, metas.v[i].valor);
            tabla_num(&tm, lugar(&metas, i));
            tabla_txt(&tm, metas.v[i].valor);
            tabla_num(&tm, atoi(metas.v[i].valor));
            tabla_txt(&tm, nm ? nm : "");
            tabla_num(&tm, metas.v[i].n);
            shown++;
        }
        if (shown > METAS_N)
            strbuf_printf(&tm.nota, "Por empates en el último lugar, la tabla incluye %zu metas.",
                          shown);
        else if (metas.n > shown)
            strbuf_printf(&tm.nota, "Se muestran las %zu metas con más acciones de %zu "
                                    "registradas.", shown, metas.n);
        doc_tabla(d, &tm);
        tabla_free(&tm);
    }
    free(metas.v);
    return 0;
}

/* ---- 8. Challenges -------------------------------------------------------- */

static int s_retos(ctx *c)
{
    doc *d = &c->d;
    char a[48];
    items it = {0};
    if (items_de(c->datos, c->ref, "", "reto", &it))
        return -1;
    items_ordenar(&it, cmp_desc);
    seccion(c, 8);
    long long suma = items_suma(&it);
    if (it.n == 0) {
        doc_p(d, "Ninguna ficha del ejercicio describe retos clasificables.");
        free(it.v);
        return 0;
    }
    const char *top = informe_ref_reto(c->ref, it.v[0].valor);
    doc_p(d, "Los retos que describen las fichas se agrupan en categorías predefinidas. Una "
             "ficha puede mencionar retos de más de una categoría, y cuenta en cada una; en "
             "total hubo %s menciones. La categoría más señalada fue «%s».",
          num(suma, a, sizeof a), top ? top : it.v[0].valor);
    barra *bs = calloc(it.n + 1, sizeof *bs);
    tabla t;
    tabla_init(&t, "retos", "Retos por categoría", 4, "categoria", "Clave", 't', "nombre",
               "Categoría", 't', "acciones", "Acciones que lo mencionan", 'n', "porcentaje",
               "% de las acciones", 'p');
    for (size_t i = 0; i < it.n; i++) {
        const char *nm = informe_ref_reto(c->ref, it.v[i].valor);
        tabla_txt(&t, it.v[i].valor);
        tabla_txt(&t, nm ? nm : it.v[i].valor);
        tabla_num(&t, it.v[i].n);
        tabla_num(&t, decimas(it.v[i].n, c->total));
        if (bs)
            barra_set(&bs[i], nm ? nm : it.v[i].valor, 46, it.v[i].n);
    }
    if (bs)
        doc_barras(d, "Acciones que mencionan cada categoría de retos", bs, it.n, 0, "#8c7a5b");
    doc_tabla(d, &t);
    tabla_free(&t);
    free(bs);

    json_t *ej = json_object_get(c->datos, "retos_ejemplos");
    tabla tx;
    tabla_init(&tx, "retos_ejemplos", "Ejemplos de retos por categoría", 3, "categoria",
               "Categoría", 't', "numero", "Núm.", 'n', "texto", "Texto", 't');
    doc_h3(d, "Ejemplos de retos citados de las fichas");
    for (size_t i = 0; i < it.n; i++) {
        json_t *lista = json_object_get(ej, it.v[i].valor);
        if (json_array_size(lista) == 0)
            continue;
        const char *nm = informe_ref_reto(c->ref, it.v[i].valor);
        if (d->f == INFORME_HTML) {
            strbuf_puts(d->out, "<div class=\"retos-cat\"><h4>");
            informe_html_escape(d->out, nm ? nm : it.v[i].valor);
            strbuf_printf(d->out, " <span class=\"n\">(%s)</span></h4>\n",
                          num(it.v[i].n, a, sizeof a));
        } else if (d->f == INFORME_MD) {
            strbuf_puts(d->out, "**");
            md_escape(d->out, nm ? nm : it.v[i].valor);
            strbuf_printf(d->out, "** (%s)\n\n", num(it.v[i].n, a, sizeof a));
        }
        size_t j;
        json_t *txt;
        json_array_foreach(lista, j, txt) {
            strbuf s, r;
            strbuf_init(&s);
            strbuf_init(&r);
            collapse_ws(&s, json_string_value(txt) ? json_string_value(txt) : "");
            recortar(&r, s.data ? s.data : "", RETO_CITA_MAX);
            tabla_txt(&tx, it.v[i].valor);
            tabla_num(&tx, (long long)j + 1);
            tabla_txt(&tx, s.data ? s.data : "");
            if (d->f == INFORME_HTML) {
                strbuf_puts(d->out, "<blockquote><p>«");
                informe_html_escape(d->out, r.data ? r.data : "");
                strbuf_puts(d->out, "»</p></blockquote>\n");
            } else if (d->f == INFORME_MD) {
                strbuf_puts(d->out, "> «");
                md_escape(d->out, r.data ? r.data : "");
                strbuf_puts(d->out, "»\n\n");
            }
            strbuf_free(&s);
            strbuf_free(&r);
        }
        if (d->f == INFORME_HTML)
            strbuf_puts(d->out, "</div>\n");
    }
    if (d->f == INFORME_CSV)
        doc_tabla(d, &tx);
    else
        doc_nota(d, "Citas textuales de las fichas, recortadas a %d caracteres cuando son "
                    "más largas; se eligen las primeras fichas recibidas de cada categoría.",
                 RETO_CITA_MAX);
    tabla_free(&tx);
    free(it.v);
    return 0;
}

/* ---- 9. Method ------------------------------------------------------------ */

static void s_metodo(ctx *c)
{
    doc *d = &c->d;
    char periodo[64], a[48];
    periodo_texto(c->anio, periodo, sizeof periodo);
    const char *tax = json_string_value(json_object_get(c->datos, "taxonomia"));
    const char *cla = json_string_value(json_object_get(c->datos, "clasificador"));
    const char *corte = json_string_value(json_object_get(c->datos, "corte"));
    long long pend = json_integer_value(json_object_get(c->datos, "pendientes"));
    strbuf fecha, origen, pend_t;
    strbuf_init(&fecha);
    strbuf_init(&origen);
    strbuf_init(&pend_t);
    fecha_texto(&fecha, corte);
    const char *hash = c->fuente && c->fuente->hash ? c->fuente->hash : "";
    switch (c->fuente ? c->fuente->origen : INFORME_VIVO) {
    case INFORME_CIERRE:
        strbuf_printf(&origen, "Cierre del ejercicio (copia congelada de los datos). Huella "
                               "SHA-256 del cierre: %s.", hash);
        break;
    case INFORME_ARCHIVO:
        strbuf_printf(&origen, "Conjunto de datos exportado, leído de un archivo. Huella "
                               "SHA-256 del conjunto: %s.", hash);
        break;
    default:
        strbuf_printf(&origen, "Datos en vivo, sin cierre: las cifras pueden cambiar si "
                               "llegan correcciones. Huella SHA-256 del conjunto usado: %s.",
                      hash);
        break;
    }
    if (pend > 0)
        strbuf_printf(&pend_t, "%s %s aún sin clasificar al corte, no %s en las cifras.",
                      num(pend, a, sizeof a), plural(pend, "ficha recibida", "fichas recibidas"),
                      plural(pend, "incluida", "incluidas"));
    else
        strbuf_puts(&pend_t, "Ninguna: todas las fichas recibidas están clasificadas y "
                             "contadas.");
    struct {
        const char *clave, *rotulo;
        const char *texto;
    } notas[] = {
        {"periodo", "Periodo que se informa",
         NULL},
        {"unidad", "Unidad de conteo",
         "Cada ficha técnica describe un programa, acción o buena práctica y se alinea a un "
         "solo objetivo del Pacto; «acciones» es el número de fichas. Cuenta la versión más "
         "reciente de cada ficha, con la decisión de los analistas cuando la hay."},
        {"ambito", "Ámbito",
         "Federal: secretarías, órganos desconcentrados y organismos autónomos. Estatal: "
         "gobiernos de las entidades federativas, que participan desde 2022."},
        {"entidades", "Mapa de entidades",
         "El mapa y la columna de acciones estatales cuentan las fichas de cada gobierno "
         "estatal. Las fichas federales realizadas en una entidad se informan en columna "
         "aparte y no cambian el color del mapa. Rangos: sin acciones, 1 a 3, 4 a 10 y más "
         "de 10."},
        {"ejes", "Ejes temáticos",
         "Cada acción se clasifica en un eje y un subtema de la taxonomía indicada abajo; "
         "la clasificación automática puede ser corregida por los analistas y su decisión "
         "prevalece."},
        {"ods", "Alineación con los ODS",
         "Solo cuentan las acciones que reportaron resultados en el periodo. Una acción "
         "puede contribuir a varios ODS y a varias metas; el total único cuenta cada acción "
         "una sola vez."},
        {"retos", "Retos",
         "Las categorías de retos son configurables (archivo retos.csv). Una ficha puede "
         "mencionar retos de varias categorías."},
        {"corte", "Corte de los datos", NULL},
        {"pendientes", "Fichas pendientes", NULL},
        {"taxonomia", "Taxonomía de ejes y subtemas", NULL},
        {"clasificador", "Versión del clasificador", NULL},
        {"origen", "Origen de los datos", NULL},
        {"cifras", "Formato de las cifras",
         "Los millares se separan con un espacio fino y los decimales con punto; los "
         "porcentajes se redondean a un decimal."},
    };
    char per_txt[160];
    snprintf(per_txt, sizeof per_txt, "Ejercicio %d: de %s.", c->anio, periodo);
    strbuf tax_t, cla_t;
    strbuf_init(&tax_t);
    strbuf_init(&cla_t);
    strbuf_puts(&tax_t, tax && *tax ? tax : "sin dato");
    strbuf_puts(&cla_t, cla && *cla ? cla : "sin dato");
    for (size_t i = 0; i < sizeof notas / sizeof notas[0]; i++) {
        if (!strcmp(notas[i].clave, "periodo"))
            notas[i].texto = per_txt;
        else if (!strcmp(notas[i].clave, "corte"))
            notas[i].texto = fecha.data ? fecha.data : "";
        else if (!strcmp(notas[i].clave, "pendientes"))
            notas[i].texto = pend_t.data ? pend_t.data : "";
        else if (!strcmp(notas[i].clave, "taxonomia"))
            notas[i].texto = tax_t.data ? tax_t.data : "";
        else if (!strcmp(notas[i].clave, "clasificador"))
            notas[i].texto = cla_t.data ? cla_t.data : "";
        else if (!strcmp(notas[i].clave, "origen"))
            notas[i].texto = origen.data ? origen.data : "";
    }
    seccion(c, 9);
    size_t nn = sizeof notas / sizeof notas[0];
    if (d->f == INFORME_HTML) {
        strbuf_puts(d->out, "<dl class=\"metodo\">\n");
        for (size_t i = 0; i < nn; i++) {
            strbuf_puts(d->out, "<dt>");
            informe_html_escape(d->out, notas[i].rotulo);
            strbuf_puts(d->out, "</dt><dd>");
            informe_html_escape(d->out, notas[i].texto);
            strbuf_puts(d->out, "</dd>\n");
        }
        strbuf_puts(d->out, "</dl>\n");
    } else if (d->f == INFORME_MD) {
        for (size_t i = 0; i < nn; i++) {
            strbuf_puts(d->out, "- **");
            md_escape(d->out, notas[i].rotulo);
            strbuf_puts(d->out, ":** ");
            md_escape(d->out, notas[i].texto);
            strbuf_puts(d->out, "\n");
        }
        strbuf_puts(d->out, "\n");
    } else {
        tabla t;
        tabla_init(&t, "metodo", "Notas metodológicas", 3, "clave", "Clave", 't', "nota",
                   "Nota", 't', "texto", "Texto", 't');
        for (size_t i = 0; i < nn; i++) {
            tabla_txt(&t, notas[i].clave);
            tabla_txt(&t, notas[i].rotulo);
            tabla_txt(&t, notas[i].texto);
        }
        tabla_txt(&t, "hash");
        tabla_txt(&t, "Huella SHA-256 del conjunto de datos");
        tabla_txt(&t, hash);
        tabla_txt(&t, "corte_iso");
        tabla_txt(&t, "Corte de los datos (marca de tiempo)");
        tabla_txt(&t, corte ? corte : "");
        doc_tabla(d, &t);
        tabla_free(&t);
    }
    doc_fin_seccion(d);
    strbuf_free(&fecha);
    strbuf_free(&origen);
    strbuf_free(&pend_t);
    strbuf_free(&tax_t);
    strbuf_free(&cla_t);
}

/* ---- page frame ----------------------------------------------------------- */

static const char CSS[] =
    ":root{--tinta:#1f2933;--gris:#52606d;--linea:#d9dee4;--acento:#5c1f33;"
    "--fondo:#f5f6f8}\n"
    "*{box-sizing:border-box}\n"
    "html{-webkit-text-size-adjust:100%}\n"
    "body{margin:0;font-family:\"Source Sans 3\",\"Noto Sans\",\"Segoe UI\",\"Helvetica Neue\","
    "Arial,sans-serif;color:var(--tinta);background:#fff;font-size:16px;line-height:1.55}\n"
    "header.portada{background:var(--acento);color:#fff;padding:2.4rem 0 2rem}\n"
    "header.portada .marco,main,footer{max-width:62rem;margin:0 auto;padding:0 2rem}\n"
    "header.portada .dependencia{font-size:.8rem;letter-spacing:.12em;text-transform:uppercase;"
    "opacity:.85;margin:0}\n"
    "header.portada h1{font-size:2rem;line-height:1.2;font-weight:600;margin:.5rem 0 .7rem}\n"
    "header.portada h1 span{display:block;font-size:1.15rem;font-weight:400;margin-top:.4rem}\n"
    "header.portada .datos{font-size:.95rem;margin:0;opacity:.92}\n"
    "nav.indice{background:var(--fondo);border:1px solid var(--linea);padding:1rem 1.5rem;"
    "margin:2rem 0 1rem}\n"
    "nav.indice h2{border:0;margin:0 0 .4rem;font-size:1.1rem;color:var(--tinta)}\n"
    "nav.indice ol{margin:0;padding-left:1.4rem;columns:2;column-gap:2.5rem}\n"
    "nav.indice a{color:var(--tinta);text-decoration:none}\n"
    "nav.indice a:hover{text-decoration:underline}\n"
    "h2{font-size:1.45rem;color:var(--acento);border-bottom:2px solid var(--acento);"
    "padding-bottom:.3rem;margin:2.6rem 0 1rem}\n"
    "h3{font-size:1.12rem;margin:1.8rem 0 .5rem}\n"
    "h4{font-size:1rem;margin:1.2rem 0 .3rem}\n"
    "h4 .n{font-weight:400;color:var(--gris)}\n"
    "p{margin:.5rem 0 .9rem}\n"
    "table{border-collapse:collapse;width:100%;margin:.8rem 0 .4rem;font-size:.9rem}\n"
    "caption{caption-side:top;text-align:left;font-weight:600;padding:.3rem 0 .5rem}\n"
    "th{text-align:left;vertical-align:bottom;background:var(--fondo);"
    "border-bottom:2px solid #9aa5b1;padding:.4rem .55rem;font-weight:600}\n"
    "td{border-bottom:1px solid var(--linea);padding:.32rem .55rem;vertical-align:top}\n"
    "th.num,td.num{text-align:right;font-variant-numeric:tabular-nums}\n"
    "td.num{white-space:nowrap}\n"
    "tbody tr:last-child td{border-bottom:1px solid #9aa5b1}\n"
    "tr.total td{font-weight:600;border-top:2px solid #9aa5b1}\n"
    ".nota{font-size:.85rem;color:var(--gris);margin:.3rem 0 1.2rem}\n"
    "ul.cifras{list-style:none;padding:0;margin:1.2rem 0;display:grid;"
    "grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:.8rem}\n"
    "li.cifra{background:var(--fondo);border:1px solid var(--linea);"
    "border-top:4px solid var(--acento);padding:.7rem .9rem}\n"
    "li.cifra b{display:block;font-size:1.7rem;line-height:1.2;font-weight:600;"
    "font-variant-numeric:tabular-nums}\n"
    "li.cifra span{font-size:.88rem;color:var(--gris)}\n"
    "figure{margin:1.2rem 0 1.6rem}\n"
    "figcaption{font-size:.85rem;color:var(--gris);margin-top:.4rem}\n"
    "svg.grafica,svg.mapa{display:block;width:100%;height:auto;max-width:100%}\n"
    "svg text{font-family:inherit}\n"
    "svg .et{font-size:12px;fill:#1f2933}\n"
    "svg .val{font-size:12px;fill:#3e4c59;font-variant-numeric:tabular-nums}\n"
    "svg .eje{stroke:#9aa5b1;stroke-width:1}\n"
    "svg .ab{font-size:13px;font-weight:600}\n"
    "svg .nm{font-size:14px}\n"
    "svg .ley{font-size:13px;fill:#1f2933}\n"
    "svg rect.tesela{stroke:#7b8794;stroke-width:.6}\n"
    ".mapa-tabla{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);"
    "gap:1.5rem;align-items:start}\n"
    ".mapa-tabla table{font-size:.82rem}\n"
    "blockquote{margin:.4rem 0 .8rem;padding:.1rem 1rem;border-left:3px solid #9aa5b1;"
    "color:#323f4b;font-style:italic}\n"
    "dl.metodo dt{font-weight:600;margin-top:.7rem}\n"
    "dl.metodo dd{margin:.1rem 0 0}\n"
    "article.ficha{border-top:1px solid var(--linea);padding:.6rem 0 .4rem}\n"
    "article.ficha h4{margin:.2rem 0 .4rem;font-size:1.02rem}\n"
    "article.ficha dl{display:grid;grid-template-columns:13rem 1fr;gap:.2rem 1rem;margin:0;"
    "font-size:.92rem}\n"
    "article.ficha dt{color:var(--gris)}\n"
    "article.ficha dd{margin:0;white-space:pre-line}\n"
    "footer{color:var(--gris);font-size:.85rem;border-top:1px solid var(--linea);"
    "margin-top:3rem;padding-top:1rem;padding-bottom:2rem}\n"
    "@media (max-width:52rem){.mapa-tabla{grid-template-columns:1fr}"
    "nav.indice ol{columns:1}article.ficha dl{grid-template-columns:1fr}}\n"
    "@page{size:A4;margin:16mm 15mm 18mm}\n"
    "@media print{body{font-size:10pt;line-height:1.4}"
    "header.portada{background:none;color:var(--tinta);border-bottom:3px solid var(--acento);"
    "padding:0 0 5mm}"
    "header.portada .marco,main,footer{max-width:none;padding:0}"
    "nav.indice{break-after:page}"
    "h2,h3,h4{break-after:avoid}"
    "figure,blockquote,ul.cifras,article.ficha,tr{break-inside:avoid}"
    "table{break-inside:auto}thead{display:table-header-group}"
    "a{color:inherit;text-decoration:none}"
    "svg,li.cifra{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    ".mapa-tabla{grid-template-columns:1fr 1fr}}\n";

static void html_inicio(strbuf *o, const char *titulo, const char *subtitulo,
                        const char *datos)
{
    strbuf_puts(o, "<!DOCTYPE html>\n<html lang=\"es\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<title>");
    informe_html_escape(o, titulo);
    strbuf_puts(o, " — ");
    informe_html_escape(o, TITULO_PACTO);
    strbuf_puts(o, "</title>\n<style>\n");
    strbuf_puts(o, CSS);
    strbuf_puts(o, "</style>\n</head>\n<body>\n<header class=\"portada\"><div class=\"marco\">\n"
                   "<p class=\"dependencia\">Secretaría de Gobernación · Unidad de Política "
                   "Migratoria, Registro e Identidad de Personas</p>\n<h1>");
    informe_html_escape(o, titulo);
    strbuf_puts(o, " — ");
    informe_html_escape(o, TITULO_PACTO);
    if (subtitulo) {
        strbuf_puts(o, "<span>");
        informe_html_escape(o, subtitulo);
        strbuf_puts(o, "</span>");
    }
    strbuf_puts(o, "</h1>\n<p class=\"datos\">");
    informe_html_escape(o, datos);
    strbuf_puts(o, "</p>\n</div></header>\n<main>\n");
}

static void html_fin(strbuf *o, const char *pie)
{
    strbuf_puts(o, "</main>\n<footer><p>");
    informe_html_escape(o, pie);
    strbuf_puts(o, "</p></footer>\n</body>\n</html>\n");
}

static int validar(const json_t *datos, pmm_error *err)
{
    if (!json_is_object(datos) || !json_is_object(json_object_get(datos, "totales")) ||
        !json_is_integer(json_object_get(datos, "ejercicio")))
        return pmm_error_set(err, 3, "datos", "formato",
                             "el conjunto de datos del informe no tiene el formato esperado "
                             "(faltan «ejercicio» o «totales»)");
    json_t *f = json_object_get(datos, "formato");
    if (f && json_integer_value(f) != INFORME_DATOS_FORMATO)
        return pmm_error_set(err, 3, "datos", "version",
                             "el conjunto de datos tiene el formato %lld y este programa lee "
                             "el formato %d",
                             (long long)json_integer_value(f), INFORME_DATOS_FORMATO);
    return 0;
}

static int render(const json_t *datos, const informe_ref *ref, informe_formato formato,
                  const informe_fuente *fuente, strbuf *out, informe_tabla_fn fn, void *user,
                  pmm_error *err)
{
    if (validar(datos, err))
        return -1;
    ctx c;
    memset(&c, 0, sizeof c);
    c.datos = datos;
    c.ref = ref;
    c.fuente = fuente;
    c.anio = (int)json_integer_value(json_object_get(datos, "ejercicio"));
    c.total = fichas(datos, "", "total", "");
    c.d.f = formato;
    c.d.out = out;
    c.d.fn = fn;
    c.d.user = user;
    c.d.err = err;

    char titulo[64], periodo[64];
    snprintf(titulo, sizeof titulo, "Informe Ejecutivo %d", c.anio);
    periodo_texto(c.anio, periodo, sizeof periodo);
    strbuf datos_t;
    strbuf_init(&datos_t);
    strbuf_printf(&datos_t, "Periodo que se informa: %s. Corte de los datos: ", periodo);
    fecha_texto(&datos_t, json_string_value(json_object_get(datos, "corte")));
    strbuf_puts(&datos_t, ".");
    if (formato == INFORME_HTML) {
        html_inicio(out, titulo, NULL, datos_t.data ? datos_t.data : "");
        strbuf_puts(out, "<nav class=\"indice\" aria-labelledby=\"indice-t\">"
                         "<h2 id=\"indice-t\">Contenido</h2>\n<ol>\n");
        for (size_t i = 0; i < NSECCIONES; i++) {
            strbuf_printf(out, "<li><a href=\"#%s\">", SECCIONES[i].id);
            informe_html_escape(out, SECCIONES[i].titulo);
            strbuf_puts(out, "</a></li>\n");
        }
        strbuf_puts(out, "</ol>\n</nav>\n");
    } else if (formato == INFORME_MD) {
        strbuf_printf(out, "# %s — ", titulo);
        md_escape(out, TITULO_PACTO);
        strbuf_puts(out, "\n\n");
        md_escape(out, datos_t.data ? datos_t.data : "");
        strbuf_puts(out, "\n\n**Contenido**\n\n");
        for (size_t i = 0; i < NSECCIONES; i++)
            strbuf_printf(out, "%zu. %s\n", i + 1, SECCIONES[i].titulo);
        strbuf_puts(out, "\n");
    }
    strbuf_free(&datos_t);

    int rc = 0;
    s_resumen(&c);
    if (s_objetivos(&c) || s_ambito(&c) || s_instituciones(&c))
        rc = -1;
    if (!rc) {
        s_entidades(&c);
        if (s_ejes(&c) || s_ods(&c) || s_retos(&c))
            rc = -1;
    }
    if (!rc)
        s_metodo(&c);
    if (formato == INFORME_HTML) {
        char pie[256];
        snprintf(pie, sizeof pie, "%s — %s. Documento generado por pmm-seguimiento a partir "
                                  "de las fichas técnicas del ejercicio %d.",
                 titulo, TITULO_PACTO, c.anio);
        html_fin(out, pie);
    }
    if (rc)
        return oom(err);
    if (c.d.rc)
        return -1;
    if (strbuf_failed(out))
        return oom(err);
    return 0;
}

int informe_render(const json_t *datos, const informe_ref *ref, informe_formato formato,
                   const informe_fuente *fuente, strbuf *out, pmm_error *err)
{
    return render(datos, ref, formato, fuente, out, NULL, NULL, err);
}

int informe_csv_tablas(const json_t *datos, const informe_ref *ref,
                       const informe_fuente *fuente, informe_tabla_fn fn, void *user,
                       pmm_error *err)
{
    strbuf sink;
    strbuf_init(&sink);
    int rc = render(datos, ref, INFORME_CSV, fuente, &sink, fn, user, err);
    strbuf_free(&sink);
    return rc;
}

/* ======================================================================
 * The Compendio General
 * ====================================================================== */

static const char *jstr(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s && *s ? s : NULL;
}

static bool jnum(const json_t *o, const char *k, long long *v)
{
    json_t *x = json_object_get(o, k);
    if (!json_is_integer(x))
        return false;
    *v = json_integer_value(x);
    return true;
}

typedef struct {
    const json_t *f;
    int objetivo;
    bool estatal;
    char orden[160];    /* body or state, then clave */
} ficha_ref;

static int cmp_ficha(const void *a, const void *b)
{
    const ficha_ref *x = a, *y = b;
    if (x->estatal != y->estatal)
        return x->estatal ? 1 : -1;
    if (x->objetivo != y->objetivo)
        return x->objetivo < y->objetivo ? -1 : 1;
    int c = strcmp(x->orden, y->orden);
    if (c)
        return c;
    const char *px = jstr(x->f, "programa"), *py = jstr(y->f, "programa");
    c = strcmp(px ? px : "", py ? py : "");
    if (c)
        return c;
    const char *cx = jstr(x->f, "clave"), *cy = jstr(y->f, "clave");
    return strcmp(cx ? cx : "", cy ? cy : "");
}

/* One field of a ficha: label and text (skipped when text is NULL). */
static void campo(doc *d, const char *rotulo, const char *texto)
{
    if (!texto)
        return;
    if (d->f == INFORME_HTML) {
        strbuf_puts(d->out, "<dt>");
        informe_html_escape(d->out, rotulo);
        strbuf_puts(d->out, "</dt><dd>");
        informe_html_escape(d->out, texto);
        strbuf_puts(d->out, "</dd>\n");
    } else {
        strbuf_puts(d->out, "- **");
        md_escape(d->out, rotulo);
        strbuf_puts(d->out, ":** ");
        md_escape(d->out, texto);
        strbuf_puts(d->out, "\n");
    }
}

static void compendio_ficha(doc *d, const informe_ref *ref, const json_t *f)
{
    strbuf s;
    strbuf_init(&s);
    char a[48];
    const char *programa = jstr(f, "programa");
    if (d->f == INFORME_HTML) {
        strbuf_puts(d->out, "<article class=\"ficha\">\n<h4>");
        informe_html_escape(d->out, programa ? programa : "(sin nombre)");
        strbuf_puts(d->out, "</h4>\n<dl>\n");
    } else {
        strbuf_puts(d->out, "#### ");
        md_escape(d->out, programa ? programa : "(sin nombre)");
        strbuf_puts(d->out, "\n\n");
    }
    /* who */
    const char *amb = jstr(f, "ambito");
    long long ent = 0;
    bool hay_ent = jnum(f, "entidad", &ent) && ent >= 1 && ent <= NENT;
    if (amb && !strcmp(amb, "estatal")) {
        if (hay_ent)
            informe_ref_gobierno(ref, (int)ent, &s);
        else
            strbuf_puts(&s, "Gobierno estatal");
    } else {
        const char *sig = jstr(f, "dependencia");
        const char *nm = sig ? informe_ref_dependencia(ref, sig) : NULL;
        if (sig && nm)
            strbuf_printf(&s, "%s (%s)", nm, sig);
        else
            strbuf_puts(&s, sig ? sig : "Sin dependencia");
    }
    campo(d, "Institución", s.data);
    campo(d, "Unidad responsable", jstr(f, "unidad"));
    if (hay_ent && !(amb && !strcmp(amb, "estatal")))
        campo(d, "Entidad donde se realizó", informe_ref_entidad(ref, (int)ent));
    campo(d, "Objetivo del programa", jstr(f, "proposito"));
    campo(d, "Población objetivo", jstr(f, "poblacion_objetivo"));
    /* period */
    strbuf_reset(&s);
    const char *ini = jstr(f, "inicio"), *fin = jstr(f, "fin"), *tmp = jstr(f, "temporalidad");
    if (ini)
        strbuf_printf(&s, "Inicio: %s", ini);
    if (fin)
        strbuf_printf(&s, "%sFin: %s", s.len ? "; " : "", fin);
    if (tmp)
        strbuf_printf(&s, "%s%s", s.len ? "; " : "",
                      !strcmp(tmp, "permanente") ? "permanente" : "temporal");
    campo(d, "Periodo", s.len ? s.data : "Sin dato");
    /* results */
    strbuf_reset(&s);
    long long v;
    if (jnum(f, "acciones", &v))
        strbuf_printf(&s, "%s %s", informe_numero(v, a, sizeof a),
                      plural(v, "acción realizada", "acciones realizadas"));
    if (jnum(f, "personas", &v))
        strbuf_printf(&s, "%s%s %s", s.len ? "; " : "", informe_numero(v, a, sizeof a),
                      plural(v, "persona atendida", "personas atendidas"));
    long long m, h;
    bool hm = jnum(f, "mujeres", &m), hh = jnum(f, "hombres", &h);
    if (hm)
        strbuf_printf(&s, "%s%s %s", s.len ? "; " : "", informe_numero(m, a, sizeof a),
                      plural(m, "mujer", "mujeres"));
    if (hh)
        strbuf_printf(&s, "%s%s %s", s.len ? "; " : "", informe_numero(h, a, sizeof a),
                      plural(h, "hombre", "hombres"));
    if (s.len)
        campo(d, "Resultados (cifras)", s.data);
    campo(d, "Zona de atención", jstr(f, "zona"));
    const char *rt = jstr(f, "resultados_texto");
    campo(d, "Resultados", rt ? rt : (s.len ? NULL : "No se reportaron resultados."));
    campo(d, "Retos", jstr(f, "retos"));
    strbuf_reset(&s);
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(f, "retos_cat"), i, x) {
        const char *cod = json_string_value(x);
        const char *nm = cod ? informe_ref_reto(ref, cod) : NULL;
        strbuf_printf(&s, "%s%s", i ? "; " : "", nm ? nm : cod ? cod : "");
    }
    if (s.len)
        campo(d, "Categorías de retos", s.data);
    /* classification */
    strbuf_reset(&s);
    long long eje;
    const char *sub = jstr(f, "subtema");
    if (jnum(f, "eje", &eje)) {
        const char *en = informe_ref_eje(ref, (int)eje);
        strbuf_printf(&s, "%lld. %s", eje, en ? en : "");
    }
    if (sub) {
        const ref_subtema *sr = informe_ref_subtema(ref, sub);
        strbuf_printf(&s, "%s%s", s.len ? " — " : "", sr ? sr->nombre : sub);
    }
    if (s.len)
        campo(d, "Eje y subtema", s.data);
    strbuf_reset(&s);
    json_array_foreach(json_object_get(f, "ods"), i, x) {
        int k = (int)json_integer_value(x);
        strbuf_printf(&s, "%s%d. %s", i ? "; " : "", k, informe_ref_ods(ref, k));
    }
    campo(d, "ODS", s.len ? s.data : "Sin alineación (la acción no reportó resultados "
                                     "o no se asoció a un ODS)");
    if (d->f == INFORME_HTML)
        strbuf_puts(d->out, "</dl>\n</article>\n");
    else
        strbuf_puts(d->out, "\n");
    strbuf_free(&s);
}

int informe_compendio(const json_t *fichas_arr, int ejercicio, const char *corte,
                      const informe_ref *ref, informe_formato formato, strbuf *out,
                      pmm_error *err)
{
    if (formato == INFORME_CSV)
        return pmm_error_set(err, 3, "--formato", "valor",
                             "el compendio se genera en html o md");
    if (!json_is_array(fichas_arr))
        return pmm_error_set(err, 3, "fichas", "formato", "se esperaba una lista de fichas");
    size_t n = json_array_size(fichas_arr);
    ficha_ref *fr = calloc(n + 1, sizeof *fr);
    if (!fr)
        return oom(err);
    size_t nest = 0;
    long long por_obj[2][NOBJ + 1];
    memset(por_obj, 0, sizeof por_obj);
    for (size_t i = 0; i < n; i++) {
        const json_t *f = json_array_get(fichas_arr, i);
        long long o = 0, e = 0;
        jnum(f, "objetivo", &o);
        fr[i].f = f;
        fr[i].objetivo = o >= 1 && o <= NOBJ ? (int)o : NOBJ + 1;
        const char *amb = jstr(f, "ambito");
        fr[i].estatal = amb && !strcmp(amb, "estatal");
        if (fr[i].estatal) {
            jnum(f, "entidad", &e);
            snprintf(fr[i].orden, sizeof fr[i].orden, "E%02lld", e);
            nest++;
        } else {
            const char *sig = jstr(f, "dependencia");
            snprintf(fr[i].orden, sizeof fr[i].orden, "D%s", sig ? sig : "");
        }
        if (fr[i].objetivo <= NOBJ)
            por_obj[fr[i].estatal][fr[i].objetivo]++;
    }
    if (n > 1)
        qsort(fr, n, sizeof *fr, cmp_ficha);
    bool partes = ejercicio >= 2022 || nest > 0;

    doc dd;
    memset(&dd, 0, sizeof dd);
    dd.f = formato;
    dd.out = out;
    dd.err = err;
    doc *d = &dd;
    char titulo[64], periodo[64], a[48];
    snprintf(titulo, sizeof titulo, "Compendio General %d", ejercicio);
    periodo_texto(ejercicio, periodo, sizeof periodo);
    strbuf datos_t;
    strbuf_init(&datos_t);
    strbuf_printf(&datos_t, "Periodo que se informa: %s. Corte de los datos: ", periodo);
    fecha_texto(&datos_t, corte && *corte ? corte : NULL);
    strbuf_printf(&datos_t, ". %s %s.", informe_numero((long long)n, a, sizeof a),
                  plural((long long)n, "ficha", "fichas"));
    static const char *const parte_titulo[2] = {"Dependencias y organismos federales",
                                                "Gobiernos estatales"};
    static const char *const parte_id[2] = {"federal", "estatal"};
    if (formato == INFORME_HTML) {
        html_inicio(out, titulo, NULL, datos_t.data ? datos_t.data : "");
        strbuf_puts(out, "<nav class=\"indice\" aria-labelledby=\"indice-t\">"
                         "<h2 id=\"indice-t\">Contenido</h2>\n<ol>\n");
        for (int p = 0; p < (partes ? 2 : 1); p++) {
            strbuf_printf(out, "<li><a href=\"#%s\">", parte_id[p]);
            informe_html_escape(out, partes ? parte_titulo[p] : "Acciones por objetivo");
            strbuf_puts(out, "</a></li>\n");
        }
        strbuf_puts(out, "</ol>\n</nav>\n");
    } else {
        strbuf_printf(out, "# %s — ", titulo);
        md_escape(out, TITULO_PACTO);
        strbuf_puts(out, "\n\n");
        md_escape(out, datos_t.data ? datos_t.data : "");
        strbuf_puts(out, "\n\n");
    }
    strbuf_free(&datos_t);
    doc_p(d, "Este compendio reúne todas las acciones registradas en el ejercicio, ordenadas "
             "por objetivo del Pacto, del 1 al 23. Cada acción aparece una sola vez, bajo el "
             "objetivo al que se alineó. Para cada una se presentan, tal como se reportaron "
             "en la ficha técnica, la institución y la unidad responsables, el objetivo del "
             "programa, la población a la que se dirige, su periodo, los resultados del año y "
             "los retos, junto con su clasificación por eje temático y ODS.%s",
          partes ? " Desde 2022 las acciones de los gobiernos estatales se presentan en una "
                   "parte propia, después de las federales." : "");

    size_t i = 0;
    for (int p = 0; p < (partes ? 2 : 1); p++) {
        if (partes) {
            doc_seccion(d, p + 1, parte_id[p], parte_titulo[p]);
        } else {
            doc_seccion(d, 1, parte_id[0], "Acciones por objetivo");
        }
        for (int o = 1; o <= NOBJ + 1; o++) {
            size_t cnt = 0;
            size_t j = i;
            while (j < n && (partes ? fr[j].estatal == (p == 1) : true) && fr[j].objetivo == o) {
                j++;
                cnt++;
            }
            if (o > NOBJ && cnt == 0)
                continue;
            strbuf h;
            strbuf_init(&h);
            if (o <= NOBJ)
                strbuf_printf(&h, "Objetivo %d. %s", o, informe_ref_objetivo(ref, o));
            else
                strbuf_puts(&h, "Sin objetivo válido");
            if (formato == INFORME_HTML)
                strbuf_printf(out, "<h3 id=\"%s-o%d\">", parte_id[p], o);
            else
                strbuf_puts(out, "### ");
            doc_text(d, h.data ? h.data : "");
            strbuf_puts(out, formato == INFORME_HTML ? "</h3>\n" : "\n\n");
            strbuf_free(&h);
            if (cnt == 0)
                doc_p(d, "No se registraron acciones para este objetivo en el ejercicio.");
            else
                doc_p(d, "%zu %s.", cnt, plural((long long)cnt, "acción", "acciones"));
            for (; i < j; i++)
                compendio_ficha(d, ref, fr[i].f);
        }
    }
    doc_fin_seccion(d);
    if (formato == INFORME_HTML) {
        char pie[200];
        snprintf(pie, sizeof pie, "%s. Los datos de contacto de las fichas son de uso interno "
                                  "y no se publican.", titulo);
        html_fin(out, pie);
    } else {
        strbuf_puts(out, "_Los datos de contacto de las fichas son de uso interno y no se "
                         "publican._\n");
    }
    free(fr);
    (void)por_obj;
    return strbuf_failed(out) ? oom(err) : 0;
}
