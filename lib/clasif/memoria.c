/* memoria.c -- programme memory: earlier years' analyst decisions looked up
 * by a name-and-body match (see clasif_memoria.h). */
#include "clasif_memoria.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clasif_evidencia.h"
#include "clasif_interno.h"
#include "clasif_ref.h"
#include "utf8.h"

typedef struct {
    int ejercicio;
    char *texto;
    char *subtema;
    char *referencia;
    int siguiente;          /* next entry with the same key, -1 */
} recuerdo;

struct clasif_memoria {
    recuerdo *r;
    size_t n, cap;
    hashmap idx;            /* body + name key -> first entry (int) */
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The folded words of four letters or more of s, sorted and unique, in
 * *words (pointers into the returned buffer, which the caller frees). */
static char *palabras(const char *s, char ***words, size_t *nw)
{
    size_t n = s ? strlen(s) : 0;
    char *f = malloc(n * 2 + 1);
    char **w = malloc((n / 2 + 2) * sizeof *w);
    *words = NULL;
    *nw = 0;
    if (!f || !w) {
        free(f);
        free(w);
        return NULL;
    }
    size_t fl = utf8_fold(s ? s : "", n, f, n * 2 + 1), k = 0;
    for (size_t i = 0; i < fl;) {
        while (i < fl && !((f[i] >= 'a' && f[i] <= 'z') ||
                           (f[i] >= '0' && f[i] <= '9')))
            f[i++] = '\0';
        size_t a = i;
        while (i < fl && ((f[i] >= 'a' && f[i] <= 'z') ||
                          (f[i] >= '0' && f[i] <= '9')))
            i++;
        if (i - a >= 4)
            w[k++] = f + a;
        if (i < fl)
            f[i++] = '\0';
    }
    qsort(w, k, sizeof *w, cmp_str);
    size_t u = 0;
    for (size_t i = 0; i < k; i++)
        if (u == 0 || strcmp(w[u - 1], w[i]))
            w[u++] = w[i];
    *words = w;
    *nw = u;
    return f;
}

char *clasif_programa_clave(const char *programa)
{
    char **w;
    size_t nw;
    char *buf = palabras(programa, &w, &nw);
    if (!buf)
        return NULL;
    size_t len = 1;
    for (size_t i = 0; i < nw; i++)
        len += strlen(w[i]) + 1;
    char *key = malloc(len);
    if (key) {
        size_t o = 0;
        for (size_t i = 0; i < nw; i++) {
            size_t l = strlen(w[i]);
            if (o)
                key[o++] = ' ';
            memcpy(key + o, w[i], l);
            o += l;
        }
        key[o] = '\0';
    }
    free(w);
    free(buf);
    return key;
}

double clasif_texto_similitud(const char *a, const char *b)
{
    char **wa, **wb;
    size_t na, nb;
    char *ba = palabras(a, &wa, &na), *bb = palabras(b, &wb, &nb);
    double sim = 0;
    if (ba && bb && na && nb) {
        size_t i = 0, j = 0, comun = 0;
        while (i < na && j < nb) {
            int c = strcmp(wa[i], wb[j]);
            comun += c == 0;
            i += c <= 0;
            j += c >= 0;
        }
        sim = (double)comun / (double)(na + nb - comun);
    }
    free(wa);
    free(wb);
    free(ba);
    free(bb);
    return sim;
}

/* "<folded body>\x1f<name key>" into buf; 0 when the name has no key. */
static size_t clave(const char *cuerpo, const char *programa, char *buf,
                    size_t cap)
{
    char *k = clasif_programa_clave(programa);
    if (!k || !*k) {
        free(k);
        return 0;
    }
    size_t n = utf8_fold(cuerpo ? cuerpo : "", cuerpo ? strlen(cuerpo) : 0,
                         buf, cap);
    n += (size_t)snprintf(buf + n, cap - n, "\x1f%s", k);
    free(k);
    return n < cap ? n : cap - 1;
}

clasif_memoria *clasif_memoria_nueva(void)
{
    clasif_memoria *m = calloc(1, sizeof *m);
    if (m)
        hashmap_init(&m->idx, sizeof(int));
    return m;
}

void clasif_memoria_destroy(clasif_memoria **mem_p)
{
    if (!mem_p || !*mem_p)
        return;
    clasif_memoria *m = *mem_p;
    for (size_t i = 0; i < m->n; i++) {
        free(m->r[i].texto);
        free(m->r[i].subtema);
        free(m->r[i].referencia);
    }
    free(m->r);
    hashmap_free(&m->idx);
    free(m);
    *mem_p = NULL;
}

size_t clasif_memoria_tamano(const clasif_memoria *mem)
{
    return mem ? mem->n : 0;
}

int clasif_memoria_agregar(clasif_memoria *mem, int ejercicio,
                           const char *cuerpo, const char *programa,
                           const char *texto, const char *subtema,
                           const char *referencia)
{
    char k[1024];
    size_t kn = clave(cuerpo, programa, k, sizeof k);
    if (kn == 0 || !subtema || !*subtema)
        return 0;
    if (mem->n == mem->cap) {
        size_t ncap = mem->cap ? mem->cap * 2 : 64;
        recuerdo *nr = realloc(mem->r, ncap * sizeof *nr);
        if (!nr)
            return -1;
        mem->r = nr;
        mem->cap = ncap;
    }
    recuerdo *r = &mem->r[mem->n];
    r->ejercicio = ejercicio;
    r->texto = strdup(texto ? texto : "");
    r->subtema = strdup(subtema);
    r->referencia = strdup(referencia ? referencia : "");
    if (!r->texto || !r->subtema || !r->referencia) {
        free(r->texto);
        free(r->subtema);
        free(r->referencia);
        return -1;
    }
    /* the new entry heads its key's chain */
    void *slot;
    int put = hashmap_put(&mem->idx, k, kn, &slot);
    if (put < 0) {
        free(r->texto);
        free(r->subtema);
        free(r->referencia);
        return -1;
    }
    r->siguiente = put == 1 ? -1 : *(int *)slot;
    *(int *)slot = (int)mem->n++;
    return 0;
}

bool clasif_memoria_buscar(const clasif_memoria *mem, int ejercicio,
                           const char *cuerpo, const char *programa,
                           const char *texto, clasif_recuerdo *out)
{
    if (!mem || mem->n == 0)
        return false;
    char k[1024];
    size_t kn = clave(cuerpo, programa, k, sizeof k);
    if (kn == 0)
        return false;
    int best = -1;
    /* the chain runs newest-added first: the first of the latest year wins */
    for (int i = dict_get(&mem->idx, k, kn); i >= 0; i = mem->r[i].siguiente)
        if (mem->r[i].ejercicio < ejercicio &&
            (best < 0 || mem->r[i].ejercicio > mem->r[best].ejercicio))
            best = i;
    if (best < 0)
        return false;
    const recuerdo *r = &mem->r[best];
    out->ejercicio = r->ejercicio;
    out->subtema = r->subtema;
    out->referencia = r->referencia;
    out->similitud = clasif_texto_similitud(r->texto, texto);
    return true;
}

bool clasif_memoria_aplicar(const clasificador *c, const clasif_recuerdo *r,
                            clasif_resultado *out)
{
    if (r->similitud < MEMORIA_SIMILITUD_MIN)
        return false;
    const tax_def *t = clasif_ref_taxonomia(c, out->taxonomia);
    int k = t ? clasif_ref_subtema(t, r->subtema) : -1;
    if (k < 0)
        return false;
    const clasif_modelo *m = c->modelo;
    double acuerdo = m && m->memoria_pares >= 5 ? m->memoria_acuerdo
                                                : MEMORIA_ACUERDO_DEF;
    if (strcmp(out->subtema.codigo, r->subtema)) {
        /* the classifier's choice becomes the first alternative */
        clasif_subtema antes = out->subtema;
        size_t ns = 0;
        clasif_subtema sec[CLASIF_MAX_SEC];
        sec[ns++] = antes;
        for (size_t i = 0; i < out->nsecundarios && ns < CLASIF_MAX_SEC; i++)
            if (strcmp(out->secundarios[i].codigo, r->subtema))
                sec[ns++] = out->secundarios[i];
        memcpy(out->secundarios, sec, ns * sizeof *sec);
        out->nsecundarios = ns;
        copy_str(out->subtema.codigo, CLASIF_COD, r->subtema);
        out->subtema.eje = t->eje[k];
        out->subtema.confianza = acuerdo;
        if (out->eje != t->eje[k])
            out->confianza_eje = acuerdo;
        else if (out->confianza_eje < acuerdo)
            out->confianza_eje = acuerdo;
        out->eje = t->eje[k];
    } else if (out->subtema.confianza < acuerdo) {
        out->subtema.confianza = acuerdo;
        if (out->confianza_eje < acuerdo)
            out->confianza_eje = acuerdo;
    }
    /* first evidence: the strongest */
    size_t keep = out->nevidencia < CLASIF_MAX_EVID ? out->nevidencia
                                                    : CLASIF_MAX_EVID - 1;
    memmove(out->evidencia[1], out->evidencia[0], keep * CLASIF_EVID_LEN);
    out->nevidencia = keep + 1;
    /* in an analyst's words: the year, which ficha, the sub-topic's name */
    clasif_evid_en(out->evidencia[0],
                   "programa similar en %d (%s): un analista lo clasificó en «%s»",
                   r->ejercicio, r->referencia, clasif_evid_subtema(c, t, r->subtema));
    return true;
}
