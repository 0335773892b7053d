/* clasificador.c -- loading the classifier (reference lists, lexicon,
 * model) and the pool of per-call scratch; classification itself is in
 * clasificar.c. */
#include "clasificador.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clasif_interno.h"
#include "clasif_lexico.h"
#include "clasif_ref.h"
#include "refdata.h"

#define CLASIF_VERSION "pmm-clasif/2"

/* Maps every taxonomy class onto the model's classes (by `origen`). */
static void mapear_taxonomias(clasificador *c)
{
    const clasif_modelo *m = c->modelo;
    for (size_t t = 0; t < c->ntax; t++) {
        tax_def *x = &c->tax[t];
        for (size_t k = 0; k < x->n; k++) {
            x->morig[k] = -1;
            for (size_t j = 0; m && j < m->ncls; j++)
                if (!strcmp(m->cls[j], x->origen[k]))
                    x->morig[k] = (int)j;
            int sib = 0;
            for (size_t j = 0; j < x->n; j++)
                if (!strcmp(x->origen[j], x->origen[k]))
                    sib++;
            /* siblings split their origin's probability; the class named
             * like its origin keeps ties */
            x->lsib[k] = sib > 1 ? log((double)sib) +
                                       (strcmp(x->codigo[k], x->origen[k])
                                            ? 1e-6
                                            : 0)
                                 : 0;
        }
    }
}

static void update_version(clasificador *c)
{
    mapear_taxonomias(c);
    if (c->modelo)
        snprintf(c->version, sizeof c->version, "%s modelo:%08x lexico:%08x",
                 CLASIF_VERSION, c->modelo->huella, c->lex_huella);
    else
        snprintf(c->version, sizeof c->version, "%s sin-modelo lexico:%08x",
                 CLASIF_VERSION, c->lex_huella);
}

clasificador *clasificador_new(const char *data_dir, pmm_error *err)
{
    clasificador *c = calloc(1, sizeof *c);
    if (!c) {
        pmm_error_set(err, 7, "", "memoria", "sin memoria");
        return NULL;
    }
    pthread_mutex_init(&c->pool_lock, NULL);
    hashmap_init(&c->lex_idx, sizeof(int));
    hashmap_init(&c->lex_pref, 0);
    c->data_dir = strdup(data_dir);
    c->stopwords = path_join(data_dir, "stopwords_es.txt");
    char *p_mod = path_join(data_dir, "modelo.txt");
    int rc = 0;
    if (!c->data_dir || !c->stopwords || !p_mod)
        rc = pmm_error_set(err, 7, "", "memoria", "sin memoria");
    if (rc == 0)
        rc = clasif_ref_cargar(c, err);
    if (rc == 0)
        rc = clasif_lexico_cargar(c, err);
    if (rc == 0) {
        FILE *probe = fopen(p_mod, "r");
        if (probe) {
            fclose(probe);
            c->modelo = clasif_modelo_cargar(p_mod, err);
            if (!c->modelo)
                rc = -1;
        }
    }
    free(p_mod);
    if (rc != 0) {
        clasificador_destroy(&c);
        return NULL;
    }
    update_version(c);
    return c;
}

static void worker_free(worker *w)
{
    texto_destroy(&w->tx);
    free(w->filas);
    free(w->vals);
    free(w->marca);
    free(w->lex_hit);
    free(w->hits);
    free(w->fold);
    free(w);
}

void clasificador_destroy(clasificador **self_p)
{
    if (!self_p || !*self_p)
        return;
    clasificador *c = *self_p;
    while (c->pool) {
        worker *w = c->pool;
        c->pool = w->next;
        worker_free(w);
    }
    pthread_mutex_destroy(&c->pool_lock);
    clasif_lexico_liberar(c);
    refdata_destroy(&c->rd);
    free(c->metas);
    free(c->retos);
    clasif_modelo_destroy(&c->modelo);
    free(c->stopwords);
    free(c->data_dir);
    free(c);
    *self_p = NULL;
}

bool clasificador_tiene_modelo(const clasificador *self)
{
    return self->modelo != NULL;
}

const char *clasificador_version(const clasificador *self)
{
    return self->version;
}

bool clasificador_tiene_taxonomia(const clasificador *self, const char *nombre)
{
    return clasif_ref_taxonomia(self, nombre) != NULL;
}

size_t clasificador_subtemas(const clasificador *self, const char *taxonomia,
                             const char **codigos, int *ejes, size_t cap)
{
    const tax_def *t = clasif_ref_taxonomia(self, taxonomia);
    if (!t)
        return 0;
    for (size_t i = 0; i < t->n && i < cap; i++) {
        if (codigos)
            codigos[i] = t->codigo[i];
        if (ejes)
            ejes[i] = t->eje[i];
    }
    return t->n;
}

void clasificador_usar_modelo(clasificador *self, clasif_modelo *m)
{
    clasif_modelo_destroy(&self->modelo);
    self->modelo = m;
    /* rows may have changed: stamps sized for the old model are reset */
    for (worker *w = self->pool; w; w = w->next) {
        free(w->marca);
        w->marca = NULL;
        w->marca_cap = 0;
    }
    update_version(self);
}

worker *clasif_worker_tomar(clasificador *c, pmm_error *err)
{
    pthread_mutex_lock(&c->pool_lock);
    worker *w = c->pool;
    if (w)
        c->pool = w->next;
    pthread_mutex_unlock(&c->pool_lock);
    if (!w) {
        w = calloc(1, sizeof *w);
        if (!w) {
            pmm_error_set(err, 7, "", "memoria", "sin memoria");
            return NULL;
        }
        w->tx = texto_new(c->stopwords, err);
        w->lex_hit = calloc(c->nlex + 1, 1);
        w->hits = calloc(c->nlex + 1, sizeof *w->hits);
        if (!w->tx || !w->lex_hit || !w->hits) {
            worker_free(w);
            pmm_error_set(err, 7, "", "memoria", "sin memoria");
            return NULL;
        }
    }
    size_t nfeat = c->modelo ? c->modelo->nfeat : 0;
    if (w->marca_cap < nfeat) {
        free(w->marca);
        w->marca = calloc(nfeat, sizeof *w->marca);
        if (!w->marca) {
            worker_free(w);
            pmm_error_set(err, 7, "", "memoria", "sin memoria");
            return NULL;
        }
        w->marca_cap = nfeat;
        w->llamada = 0;
    }
    return w;
}

void clasif_worker_devolver(clasificador *c, worker *w)
{
    pthread_mutex_lock(&c->pool_lock);
    w->next = c->pool;
    c->pool = w;
    pthread_mutex_unlock(&c->pool_lock);
}

int clasificador_cargar_modelo(clasificador *self, const char *path,
                               pmm_error *err)
{
    if (!path || !*path)
        return 0;
    clasif_modelo *m = clasif_modelo_cargar(path, err);
    if (!m)
        return -1;
    clasificador_usar_modelo(self, m);
    return 0;
}
