/* informe_tabla.c -- the table model (informe_tabla.h). */
#include "informe_tabla.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "informe.h"
#include "informe_formato.h"

void tabla_init(tabla *t, const char *id, const char *titulo, size_t ncols, ...)
{
    memset(t, 0, sizeof *t);
    t->id = id;
    snprintf(t->titulo, sizeof t->titulo, "%s", titulo);
    t->ncols = ncols;
    va_list ap;
    va_start(ap, ncols);
    for (size_t i = 0; i < ncols && i < TABLA_MAX_COLS; i++) {
        t->clave[i] = va_arg(ap, const char *);
        t->rotulo[i] = va_arg(ap, const char *);
        int k = va_arg(ap, int);
        t->tipo[i] = k == 'n' ? T_ENTERO : k == 'p' ? T_PCT : k == 'v' ? T_VAR : T_TEXTO;
    }
    va_end(ap);
    strbuf_init(&t->nota);
}

void tabla_free(tabla *t)
{
    for (size_t i = 0; i < t->nceldas; i++) {
        free(t->c[i].s);
        free(t->c[i].enlace);
    }
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

void tabla_txt(tabla *t, const char *s)
{
    celda *c = tabla_celda(t);
    if (c && !(c->s = strdup(s ? s : "")))
        t->failed = true;
}

void tabla_num(tabla *t, long long n)
{
    celda *c = tabla_celda(t);
    if (c)
        c->n = n;
}

void tabla_vacia(tabla *t)
{
    celda *c = tabla_celda(t);
    if (c)
        c->vacia = true;
}

void tabla_enlace(tabla *t, const char *url)
{
    if (t->nceldas && !(t->c[t->nceldas - 1].enlace = strdup(url)))
        t->failed = true;
}

size_t tabla_filas(const tabla *t)
{
    return t->ncols ? t->nceldas / t->ncols : 0;
}

const celda *tabla_celda_en(const tabla *t, size_t fila, size_t col)
{
    return &t->c[fila * t->ncols + col];
}

bool tabla_col_num(const tabla *t, size_t col)
{
    return t->tipo[col] != T_TEXTO;
}

const char *celda_texto(const celda *c, char *buf, size_t cap)
{
    if (c->vacia)
        return "–";
    if (c->s)
        return c->s;    /* text in a numeric column (a "Total" row) */
    switch (c->tipo) {
    case T_ENTERO: return informe_numero(c->n, buf, cap);
    case T_PCT: return informe_pct(c->n, false, buf, cap);
    case T_VAR: return informe_pct(c->n, true, buf, cap);
    default: return "";
    }
}
