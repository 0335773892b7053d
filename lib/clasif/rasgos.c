/* rasgos.c -- a ficha's features (the model's rows it has, with their
 * values) and lexicon hits: the extraction shared by training and
 * classification. */
#include "clasif_rasgos.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "clasif_lexico.h"
#include "clasif_modelo.h"
#include "utf8.h"

/* Features: what the model and the lexicon see. */
#define RASGOS TEXTO_TODO

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int push_fila(worker *w, int row, double v)
{
    if (w->nfilas == w->filas_cap) {
        size_t ncap = w->filas_cap ? w->filas_cap * 2 : 256;
        int *nf = realloc(w->filas, ncap * sizeof *nf);
        if (!nf)
            return -1;
        w->filas = nf;
        double *nv = realloc(w->vals, ncap * sizeof *nv);
        if (!nv)
            return -1;
        w->vals = nv;
        w->filas_cap = ncap;
    }
    w->filas[w->nfilas] = row;
    w->vals[w->nfilas++] = v;
    return 0;
}

static int on_feat(void *user, const char *f, size_t n)
{
    rasgos_ctx *x = user;
    worker *w = x->w;
    char buf[TEXTO_MAX_RASGO + 8];
    if (x->prefijo) {
        size_t pl = strlen(x->prefijo);
        if (n > sizeof buf - pl - 1)
            n = sizeof buf - pl - 1;
        memcpy(buf, x->prefijo, pl);
        memcpy(buf + pl, f, n);
        n += pl;
        buf[n] = '\0';
        f = buf;
    }
    if (x->entreno) {
        int row = clasif_modelo_rasgo(x->entreno, f, n);
        if (row < 0 || push_fila(w, row, 1.0)) {
            x->fallo = true;
            return -1;
        }
        return 0;
    }
    int row = clasif_modelo_fila(x->m, f, n);
    if (row < 0 || w->marca[row] == w->llamada)
        return 0;
    w->marca[row] = w->llamada;
    if (push_fila(w, row, 1.0)) {
        x->fallo = true;
        return -1;
    }
    return 0;
}

/* Runs the pipeline over the ficha's text fields: model features (when x is
 * given) and lexicon hits. Binary features get 1/sqrt(n) when the model
 * normalises; the lexicon's per-class sums become features "~<class>" whose
 * value is the sum times the model's lexicon scale. */
int clasif_rasgos_ficha(clasificador *c, worker *w, const clasif_entrada *in,
                        rasgos_ctx *x, pmm_error *err)
{
    const char *campos[] = {in->programa, in->objetivo, in->poblacion,
                            in->resultados};
    w->nfilas = 0;
    for (size_t h = 0; h < w->nhits; h++)
        w->lex_hit[w->hits[h]] = 0;
    w->nhits = 0;
    w->dep[0] = '\0';
    if (in->dependencia)
        utf8_fold(in->dependencia, strlen(in->dependencia), w->dep,
                  sizeof w->dep);
    for (size_t j = 0; j < c->nespeciales; j++) {
        size_t i = (size_t)c->especiales[j];
        const lex_entry *e = &c->lex[i];
        if ((e->tipo == LEX_OBJETIVO && in->objetivo_pmm == e->numero) ||
            (e->tipo == LEX_DEPENDENCIA && w->dep[0] &&
             !strcmp(w->dep, e->clave))) {
            w->lex_hit[i] = 1;
            w->hits[w->nhits++] = (int)i;
        }
    }
    for (size_t i = 0; i < sizeof campos / sizeof campos[0]; i++) {
        if (!campos[i] || !*campos[i])
            continue;
        const texto_token *toks;
        size_t nt;
        if (texto_analizar(w->tx, campos[i], strlen(campos[i]), &toks, &nt,
                           err) != 0)
            return -1;
        if (x && texto_rasgos_tokens(toks, nt, RASGOS, on_feat, x) != 0)
            return pmm_error_set(err, 7, "", "memoria", "sin memoria");
        if (x && i == 0) {
            /* the program name names the kind of action: its words also
             * count as features of their own */
            x->prefijo = "p:";
            int r = texto_rasgos_tokens(toks, nt, TEXTO_UNIGRAMAS, on_feat, x);
            x->prefijo = NULL;
            if (r != 0)
                return pmm_error_set(err, 7, "", "memoria", "sin memoria");
        }
        clasif_lexico_buscar(c, w, toks, nt, false, i == 0);
    }
    if (x && in->dependencia && *in->dependencia) {
        char buf[64];
        buf[0] = '@';
        size_t n = utf8_fold(in->dependencia, strlen(in->dependencia),
                             buf + 1, sizeof buf - 1);
        if (on_feat(x, buf, n + 1) != 0)
            return pmm_error_set(err, 7, "", "memoria", "sin memoria");
    }
    if (x && in->ambito && !strcmp(in->ambito, "estatal") &&
        on_feat(x, "@ambito_estatal", 15) != 0)
        return pmm_error_set(err, 7, "", "memoria", "sin memoria");
    if (in->retos && *in->retos) {
        const texto_token *toks;
        size_t nt;
        if (texto_analizar(w->tx, in->retos, strlen(in->retos), &toks, &nt,
                           err) != 0)
            return -1;
        clasif_lexico_buscar(c, w, toks, nt, true, false);
    }
    if (!x)
        return 0;
    clasif_modelo *m = x->entreno ? x->entreno : (clasif_modelo *)x->m;
    if (x->entreno) {               /* training: duplicates are possible */
        qsort(w->filas, w->nfilas, sizeof *w->filas, cmp_int);
        size_t u = 0;
        for (size_t k = 0; k < w->nfilas; k++)
            if (u == 0 || w->filas[u - 1] != w->filas[k])
                w->filas[u++] = w->filas[k];
        w->nfilas = u;
    }
    /* idf-weighted binary values, L2-normalised (plain binary features
     * have idf 1, which gives 1/sqrt(n)) */
    double norm = 0;
    for (size_t k = 0; k < w->nfilas; k++) {
        double v = m->idf[w->filas[k]];
        w->vals[k] = v;
        norm += v * v;
    }
    if (m->normalizar && norm > 0) {
        double inv = 1.0 / sqrt(norm);
        for (size_t k = 0; k < w->nfilas; k++)
            w->vals[k] *= inv;
    }
    if (m->escala_lexico > 0) {
        double lx[MAX_CLASES];
        clasif_lexico_por_clase(c, w, in, m->cls, m->ncls, lx);
        for (size_t k = 0; k < m->ncls; k++) {
            if (lx[k] <= 0)
                continue;
            char name[CLASIF_COD + 2];
            name[0] = '~';
            copy_str(name + 1, sizeof name - 1, m->cls[k]);
            int row = x->entreno
                          ? clasif_modelo_rasgo(x->entreno, name, strlen(name))
                          : clasif_modelo_fila(m, name, strlen(name));
            if (row == -1 && !x->entreno)
                continue;
            if (row < 0 || push_fila(w, row, lx[k] * m->escala_lexico))
                return pmm_error_set(err, 7, "", "memoria", "sin memoria");
        }
    }
    return 0;
}
