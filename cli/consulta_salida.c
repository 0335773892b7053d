/* consulta_salida.c -- what the query commands print: CSV fields, names
 * aligned text tables wrapped to the terminal's width
 * (consulta_salida.h). */
#include "consulta_salida.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "commands.h"
#include "informe_escape.h"
#include "strbuf.h"
#include "utf8.h"

int consulta_fin_salida(const char *cmd)
{
    if (fflush(stdout) == 0 && !ferror(stdout))
        return 0;
    fprintf(stderr, "pmm %s: no se pudo escribir la salida\n", cmd);
    return EXIT_USO;
}

void consulta_json(FILE *out, json_t *j)
{
    char *s = json_dumps(j, JSON_INDENT(2));
    if (s) {
        fputs(s, out);
        fputc('\n', out);
    }
    free(s);
    json_decref(j);
}

void consulta_csv_campo(FILE *out, const char *s)
{
    strbuf b;
    strbuf_init(&b);
    informe_csv_campo(&b, s);
    if (b.len)
        fwrite(b.data, 1, b.len, out);
    strbuf_free(&b);
}

void consulta_grilla_init(consulta_grilla *g, size_t ncols)
{
    memset(g, 0, sizeof *g);
    g->ncols = ncols;
    g->derecha = calloc(ncols, sizeof *g->derecha);
    if (!g->derecha)
        g->failed = true;
}

void consulta_grilla_derecha(consulta_grilla *g, size_t c)
{
    if (g->derecha && c < g->ncols)
        g->derecha[c] = true;
}

static bool grilla_crecer(consulta_grilla *g)
{
    if (g->failed)
        return false;
    if (g->nfilas == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 32;
        char **c = realloc(g->celdas, cap * g->ncols * sizeof *c);
        if (!c) {
            g->failed = true;
            return false;
        }
        g->celdas = c;
        bool *l = realloc(g->linea, cap * sizeof *l);
        if (!l) {
            g->failed = true;
            return false;
        }
        g->linea = l;
        g->cap = cap;
    }
    return true;
}

void consulta_grilla_fila(consulta_grilla *g, const char *const *celdas)
{
    if (!grilla_crecer(g))
        return;
    char **row = &g->celdas[g->nfilas * g->ncols];
    for (size_t c = 0; c < g->ncols; c++) {
        row[c] = strdup(celdas[c] ? celdas[c] : "");
        if (!row[c])
            g->failed = true;
    }
    g->linea[g->nfilas++] = false;
}

void consulta_grilla_linea(consulta_grilla *g)
{
    if (!grilla_crecer(g))
        return;
    char **row = &g->celdas[g->nfilas * g->ncols];
    for (size_t c = 0; c < g->ncols; c++)
        row[c] = NULL;
    g->linea[g->nfilas++] = true;
}

static size_t ancho(const char *s)
{
    return s ? utf8_length(s, strlen(s)) : 0;
}

size_t consulta_ancho_terminal(FILE *out)
{
    struct winsize ws;
    if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    const char *c = getenv("COLUMNS");
    char *end;
    long v = c ? strtol(c, &end, 10) : 0;
    return c && *c && !*end && v > 0 && v < 10000 ? (size_t)v : 0;
}

/* The bytes of the first line of s when wrapped to `width` characters:
 * up to the last space that fits (a word longer than the width is cut, as
 * it cannot be helped); *next is where the following line starts. */
static size_t linea(const char *s, size_t width, const char **next)
{
    size_t chars = 0, i = 0, corte = 0;
    while (s[i] && chars < width) {
        if (s[i] == ' ')
            corte = i;
        i++;
        while (((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        chars++;
    }
    if (!s[i] || s[i] == ' ' || !corte)
        corte = i;   /* all of it fits, ends at a space, or one long word */
    const char *n = s + corte;
    while (*n == ' ')
        n++;
    *next = n;
    size_t len = corte;
    while (len > 0 && s[len - 1] == ' ')
        len--;
    return len;
}

/* Shrinks the widest left-aligned columns until the table fits `limite`
 * characters, never below the longest word of a column (so that names are
 * wrapped between words, not cut inside one) nor below 10. */
static void ajustar(const consulta_grilla *g, size_t *w, size_t limite)
{
    size_t total = 0;
    for (size_t c = 0; c < g->ncols; c++)
        total += w[c] + (c ? 2 : 0);
    if (!limite || total <= limite)
        return;
    size_t *min = calloc(g->ncols, sizeof *min);
    if (!min)
        return;
    for (size_t c = 0; c < g->ncols; c++) {
        min[c] = w[c];
        if (g->derecha[c])
            continue;
        size_t m = 10;
        for (size_t r = 0; r < g->nfilas; r++)
            if (!g->linea[r]) {
                size_t p = utf8_longest_word(g->celdas[r * g->ncols + c]);
                if (p > m)
                    m = p;
            }
        min[c] = m < w[c] ? m : w[c];
    }
    while (total > limite) {
        size_t best = g->ncols;
        for (size_t c = 0; c < g->ncols; c++)
            if (w[c] > min[c] && (best == g->ncols || w[c] > w[best]))
                best = c;
        if (best == g->ncols)
            break;   /* as narrow as it goes: the terminal wraps the rest */
        w[best]--;
        total--;
    }
    free(min);
}

void consulta_grilla_imprimir(const consulta_grilla *g, FILE *out)
{
    if (g->failed || !g->ncols) {
        fputs("(sin memoria para la tabla)\n", out);
        return;
    }
    size_t *w = calloc(g->ncols, sizeof *w);
    const char **resto = calloc(g->ncols, sizeof *resto);
    if (!w || !resto) {
        free(w);
        free(resto);
        return;
    }
    for (size_t r = 0; r < g->nfilas; r++)
        for (size_t c = 0; c < g->ncols && !g->linea[r]; c++) {
            size_t a = ancho(g->celdas[r * g->ncols + c]);
            if (a > w[c])
                w[c] = a;
        }
    ajustar(g, w, consulta_ancho_terminal(out));
    size_t total = 0;
    for (size_t c = 0; c < g->ncols; c++)
        total += w[c] + (c ? 2 : 0);
    for (size_t r = 0; r < g->nfilas; r++) {
        if (g->linea[r]) {
            for (size_t i = 0; i < total; i++)
                fputc('-', out);
            fputc('\n', out);
            continue;
        }
        for (size_t c = 0; c < g->ncols; c++)
            resto[c] = g->celdas[r * g->ncols + c];
        /* one printed line per wrapped line of the tallest cell */
        for (int primera = 1;; primera = 0) {
            int queda = 0;
            for (size_t c = 0; c < g->ncols; c++)
                queda |= *resto[c] != '\0';
            if (!queda && !primera)
                break;
            size_t need = 0;
            for (size_t c = 0; c < g->ncols; c++)
                need += strlen(resto[c]) + 1;
            char *buf = malloc(need);
            const char **cel = calloc(g->ncols, sizeof *cel);
            if (!buf || !cel) {
                free(buf);
                free(cel);
                break;
            }
            size_t last = 0, off = 0;
            for (size_t c = 0; c < g->ncols; c++) {
                const char *next;
                size_t len = linea(resto[c], w[c], &next);
                memcpy(buf + off, resto[c], len);
                buf[off + len] = '\0';
                cel[c] = buf + off;
                off += len + 1;
                resto[c] = next;
                if (*cel[c] || (g->derecha[c] && primera))
                    last = c + 1;
            }
            /* trailing empty left-aligned cells print nothing */
            for (size_t c = 0; c < last; c++) {
                size_t pad = w[c] > ancho(cel[c]) ? w[c] - ancho(cel[c]) : 0;
                if (c)
                    fputs("  ", out);
                if (g->derecha[c])
                    fprintf(out, "%*s%s", (int)pad, "", cel[c]);
                else if (c + 1 == last)
                    fputs(cel[c], out);
                else
                    fprintf(out, "%s%*s", cel[c], (int)pad, "");
            }
            fputc('\n', out);
            free(buf);
            free(cel);
        }
    }
    free(w);
    free(resto);
}

void consulta_grilla_free(consulta_grilla *g)
{
    if (g->celdas)
        for (size_t i = 0; i < g->nfilas * g->ncols; i++)
            free(g->celdas[i]);
    free(g->celdas);
    free(g->linea);
    free(g->derecha);
    memset(g, 0, sizeof *g);
}
