/* lexico.c -- the classifier's editable lexicon (data/lexico.csv): one
 * row per term (tipo,termino,destino,peso), loaded and checked against the
 * reference lists, and matched against a ficha's tokens. */
#include "clasif_lexico.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clasif_ref.h"
#include "csvfile.h"
#include "utf8.h"

#define MAX_FRASE 6                 /* stems in a lexicon phrase */

static uint32_t file_hash(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint32_t h = 2166136261u;
    if (!f)
        return 0;
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        h = fnv32(buf, n, h);
    fclose(f);
    return h;
}

/* Content stems of a phrase joined by '_' (the key the matcher builds). */
static char *phrase_key(texto *tx, const char *s, size_t *nstems)
{
    const texto_token *toks;
    size_t nt;
    pmm_error e;
    *nstems = 0;
    if (texto_analizar(tx, s, strlen(s), &toks, &nt, &e) != 0)
        return NULL;
    size_t cap = strlen(s) * 2 + 8, len = 0;
    char *key = malloc(cap);
    if (!key)
        return NULL;
    key[0] = '\0';
    for (size_t i = 0; i < nt; i++) {
        if (toks[i].parada || toks[i].tipo != TEXTO_PALABRA)
            continue;
        if (len + toks[i].len + 2 > cap)
            break;
        if (len)
            key[len++] = '_';
        memcpy(key + len, toks[i].s, toks[i].len);
        len += toks[i].len;
        key[len] = '\0';
        (*nstems)++;
    }
    return key;
}

typedef struct {
    clasificador *c;
    texto *tx;
} lex_ctx;

static int on_lex(void *user, size_t row, char **f, size_t n, pmm_error *err)
{
    lex_ctx *x = user;
    clasificador *c = x->c;
    if (row == 1 || n == 0 || f[0][0] == '#' || (n == 1 && !*f[0]))
        return 0;
    if (n < 4)
        return pmm_error_set(err, 7, "tipo", "csv",
                             "lexico.csv, fila %zu: se esperan tipo,termino,"
                             "destino,peso", row);
    lex_entry e = {.siguiente = -1};
    const char *tipo = f[0], *dest = f[2];
    if (!strcmp(tipo, "subtema"))
        e.tipo = LEX_SUBTEMA;
    else if (!strcmp(tipo, "ods"))
        e.tipo = LEX_ODS;
    else if (!strcmp(tipo, "meta"))
        e.tipo = LEX_META;
    else if (!strcmp(tipo, "reto"))
        e.tipo = LEX_RETO;
    else if (!strcmp(tipo, "objetivo"))
        e.tipo = LEX_OBJETIVO;
    else if (!strcmp(tipo, "dependencia"))
        e.tipo = LEX_DEPENDENCIA;
    else if (!strcmp(tipo, "sin_resultados"))
        e.tipo = LEX_SIN_RESULTADOS;
    else
        return pmm_error_set(err, 7, "tipo", "csv",
                             "lexico.csv, fila %zu: tipo «%s» desconocido",
                             row, tipo);
    char *end;
    e.peso = strtod(f[3], &end);
    if (end == f[3] || !isfinite(e.peso))
        return pmm_error_set(err, 7, "peso", "csv",
                             "lexico.csv, fila %zu: peso «%s» no es un número",
                             row, f[3]);
    if (!*f[1])
        return pmm_error_set(err, 7, "termino", "csv",
                             "lexico.csv, fila %zu: término vacío", row);
    bool ok = true;
    switch (e.tipo) {
    case LEX_SUBTEMA:
        ok = clasif_ref_en_taxonomias(c, dest);
        break;
    case LEX_OBJETIVO:
        e.numero = atoi(f[1]);
        ok = e.numero >= 1 && e.numero <= 23 &&
             clasif_ref_en_taxonomias(c, dest);
        break;
    case LEX_DEPENDENCIA:
        ok = clasif_ref_en_taxonomias(c, dest);
        break;
    case LEX_ODS:
        e.numero = atoi(dest);
        ok = e.numero >= 1 && e.numero <= NODS;
        break;
    case LEX_META: {
        const meta_ref *m = clasif_ref_meta(c, dest);
        ok = m != NULL;
        e.numero = m ? m->ods : 0;
        break;
    }
    case LEX_RETO:
        ok = clasif_ref_reto(c, dest);
        break;
    case LEX_SIN_RESULTADOS:
        break;
    }
    if (!ok)
        return pmm_error_set(err, 7, "destino", "csv",
                             "lexico.csv, fila %zu: destino «%s» no existe "
                             "para el tipo %s", row, dest, tipo);
    copy_str(e.destino, sizeof e.destino, dest);
    e.termino = strdup(f[1]);
    size_t nst = 0;
    if (e.tipo == LEX_SIN_RESULTADOS || e.tipo == LEX_DEPENDENCIA)
        e.clave = texto_normalizar(f[1], strlen(f[1]));
    else if (e.tipo != LEX_OBJETIVO)
        e.clave = phrase_key(x->tx, f[1], &nst);
    else
        e.clave = strdup(f[1]);
    if (!e.termino || !e.clave) {
        free(e.termino);
        free(e.clave);
        return pmm_error_set(err, 7, "", "memoria", "sin memoria");
    }
    bool frase = e.tipo != LEX_SIN_RESULTADOS && e.tipo != LEX_OBJETIVO &&
                 e.tipo != LEX_DEPENDENCIA;
    if (frase && (nst == 0 || nst > MAX_FRASE)) {
        free(e.termino);
        free(e.clave);
        return pmm_error_set(err, 7, "termino", "csv",
                             "lexico.csv, fila %zu: el término «%s» debe tener "
                             "de 1 a %d palabras con contenido", row, f[1],
                             MAX_FRASE);
    }
    if (frase) {
        /* "taller" and "talleres" share a stem: one entry, the larger
         * weight, so spelling variants do not add up */
        for (int k = dict_get(&c->lex_idx, e.clave, strlen(e.clave)); k >= 0;
             k = c->lex[k].siguiente) {
            lex_entry *o = &c->lex[k];
            if (o->tipo == e.tipo && !strcmp(o->destino, e.destino)) {
                if (e.peso > o->peso)
                    o->peso = e.peso;
                free(e.termino);
                free(e.clave);
                return 0;
            }
        }
    }
    lex_entry *ne = realloc(c->lex, (c->nlex + 1) * sizeof *ne);
    if (!ne) {
        free(e.termino);
        free(e.clave);
        return pmm_error_set(err, 7, "", "memoria", "sin memoria");
    }
    c->lex = ne;
    int idx = (int)c->nlex;
    c->lex[c->nlex++] = e;
    if (nst > c->lex_max_stems)
        c->lex_max_stems = nst;
    if (frase) {
        int first = dict_put(&c->lex_idx, e.clave, strlen(e.clave), idx);
        if (first == -2)
            return pmm_error_set(err, 7, "", "memoria", "sin memoria");
        for (const char *u = strchr(e.clave, '_'); u; u = strchr(u + 1, '_')) {
            void *v;
            size_t plen = (size_t)(u - e.clave);
            if (hashmap_put(&c->lex_pref, e.clave, plen, &v) < 0)
                return pmm_error_set(err, 7, "", "memoria", "sin memoria");
        }
        if (first != idx) {          /* chain behind the existing entries */
            int k = first;
            while (c->lex[k].siguiente >= 0)
                k = c->lex[k].siguiente;
            c->lex[k].siguiente = idx;
        }
    }
    return 0;
}

int clasif_lexico_cargar(clasificador *c, pmm_error *err)
{
    char *p_lex = path_join(c->data_dir, "lexico.csv");
    texto *tx = NULL;
    int rc = 0;
    if (!p_lex)
        rc = pmm_error_set(err, 7, "", "memoria", "sin memoria");
    if (rc == 0 && !(tx = texto_new(c->stopwords, err)))
        rc = -1;
    if (rc == 0) {
        lex_ctx x = {c, tx};
        rc = csvfile_read(p_lex, on_lex, &x, err);
        c->lex_huella = file_hash(p_lex);
    }
    if (rc == 0) {
        c->especiales = calloc(c->nlex + 1, sizeof *c->especiales);
        c->sinres = calloc(c->nlex + 1, sizeof *c->sinres);
        if (!c->especiales || !c->sinres)
            rc = pmm_error_set(err, 7, "", "memoria", "sin memoria");
        for (size_t i = 0; rc == 0 && i < c->nlex; i++) {
            if (c->lex[i].tipo == LEX_OBJETIVO ||
                c->lex[i].tipo == LEX_DEPENDENCIA)
                c->especiales[c->nespeciales++] = (int)i;
            else if (c->lex[i].tipo == LEX_SIN_RESULTADOS)
                c->sinres[c->nsinres++] = (int)i;
        }
    }
    texto_destroy(&tx);
    free(p_lex);
    return rc;
}

void clasif_lexico_liberar(clasificador *c)
{
    for (size_t i = 0; i < c->nlex; i++) {
        free(c->lex[i].termino);
        free(c->lex[i].clave);
    }
    free(c->lex);
    c->lex = NULL;
    c->nlex = 0;
    hashmap_free(&c->lex_idx);
    hashmap_free(&c->lex_pref);
    free(c->especiales);
    free(c->sinres);
    c->especiales = c->sinres = NULL;
    c->nespeciales = c->nsinres = 0;
}

void clasif_lexico_buscar(const clasificador *c, worker *w,
                          const texto_token *toks, size_t nt, bool retos,
                          bool cabeza)
{
    bool primera = cabeza;          /* at the first content word */
    char key[TEXTO_MAX_RASGO * 2];
    for (size_t i = 0; i < nt; i++) {
        if (toks[i].parada || toks[i].tipo != TEXTO_PALABRA)
            continue;
        unsigned char marca = primera ? LEX_CABEZA : 1;
        primera = false;
        size_t len = 0, nst = 0;
        for (size_t j = i; j < nt && nst < c->lex_max_stems; j++) {
            const texto_token *t = &toks[j];
            if (j > i && t->corte)
                break;
            if (t->tipo != TEXTO_PALABRA)
                break;
            if (t->parada)
                continue;
            if (len + t->len + 2 > sizeof key)
                break;
            if (len)
                key[len++] = '_';
            memcpy(key + len, t->s, t->len);
            len += t->len;
            nst++;
            int k = dict_get(&c->lex_idx, key, len);
            for (; k >= 0; k = c->lex[k].siguiente) {
                bool is_reto = c->lex[k].tipo == LEX_RETO;
                if (is_reto == retos && !w->lex_hit[k])
                    w->hits[w->nhits++] = k;
                if (is_reto == retos && w->lex_hit[k] < marca)
                    w->lex_hit[k] = marca;
            }
            if (!hashmap_get(&c->lex_pref, key, len))
                break;              /* no longer phrase starts like this */
        }
    }
}

/* Sum of the lexicon's sub-topic weights found in the ficha, per class of
 * the given class list (a model's 2018-2022 codes). */
void clasif_lexico_por_clase(const clasificador *c, const worker *w,
                             const clasif_entrada *in,
                             char (*cls)[CLASIF_COD], size_t ncls,
                             double *out)
{
    for (size_t k = 0; k < ncls; k++)
        out[k] = 0;
    (void)in;
    for (size_t h = 0; h < w->nhits; h++) {
        const lex_entry *e = &c->lex[w->hits[h]];
        if (e->tipo != LEX_SUBTEMA && e->tipo != LEX_OBJETIVO &&
            e->tipo != LEX_DEPENDENCIA)
            continue;
        for (size_t k = 0; k < ncls; k++)
            if (!strcmp(cls[k], e->destino))
                out[k] += e->peso * lexico_peso_cabeza(w->lex_hit[w->hits[h]]);
    }
}

/* True when the results text says there are none (a sin_resultados
 * entry appears in it, accents and case aside). */
bool clasif_lexico_sin_resultados(const clasificador *c, worker *w,
                                  const char *texto)
{
    if (c->nsinres == 0)
        return false;
    size_t n = strlen(texto);
    if (n * 2 + 16 > w->fold_cap) {
        char *nf = realloc(w->fold, n * 2 + 16);
        if (!nf)
            return false;
        w->fold = nf;
        w->fold_cap = n * 2 + 16;
    }
    utf8_fold(texto, n, w->fold, w->fold_cap);
    for (size_t j = 0; j < c->nsinres; j++)
        if (strstr(w->fold, c->lex[c->sinres[j]].clave))
            return true;
    return false;
}
