/* consulta_salida.c -- what the query commands print: CSV fields, names
 * cut for a terminal, aligned text tables (consulta_salida.h). */
#include "consulta_salida.h"

#include <stdlib.h>
#include <string.h>

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

const char *consulta_recortar(const char *s, size_t max, char *buf, size_t cap)
{
    size_t chars = 0, i = 0, cut = 0;
    for (; s[i]; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (chars == max - 1)
                cut = i;    /* where "…" would go */
            chars++;
        }
    if (chars <= max || max == 0 || cut + 4 > cap) {
        snprintf(buf, cap, "%s", s);
        return buf;
    }
    memcpy(buf, s, cut);
    memcpy(buf + cut, "\xE2\x80\xA6", 4);   /* "…" and NUL */
    return buf;
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

void consulta_grilla_imprimir(const consulta_grilla *g, FILE *out)
{
    if (g->failed || !g->ncols) {
        fputs("(sin memoria para la tabla)\n", out);
        return;
    }
    size_t *w = calloc(g->ncols, sizeof *w);
    if (!w)
        return;
    for (size_t r = 0; r < g->nfilas; r++)
        for (size_t c = 0; c < g->ncols && !g->linea[r]; c++) {
            size_t a = ancho(g->celdas[r * g->ncols + c]);
            if (a > w[c])
                w[c] = a;
        }
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
        /* trailing empty left-aligned cells print nothing */
        size_t last = g->ncols;
        while (last > 0 && !g->derecha[last - 1] &&
               !*g->celdas[r * g->ncols + last - 1])
            last--;
        for (size_t c = 0; c < last; c++) {
            const char *s = g->celdas[r * g->ncols + c];
            size_t pad = w[c] - ancho(s);
            if (c)
                fputs("  ", out);
            if (g->derecha[c])
                fprintf(out, "%*s%s", (int)pad, "", s);
            else if (c + 1 == last)
                fputs(s, out);
            else
                fprintf(out, "%s%*s", s, (int)pad, "");
        }
        fputc('\n', out);
    }
    free(w);
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
