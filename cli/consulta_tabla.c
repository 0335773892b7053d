/* consulta_tabla.c -- tables of counts per value and year, their order and
 * rankings (consulta_tabla.h). */
#include "consulta_tabla.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void consulta_tabla_init(consulta_tabla *t, consulta_dim d,
                         const consulta_rango *r, const consulta_ref *ref)
{
    memset(t, 0, sizeof *t);
    t->dim = d;
    t->rango = *r;
    t->nanios = consulta_rango_anios(r);
    t->ref = ref;
}

void consulta_tabla_free(consulta_tabla *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->filas[i].valor);
        free(t->filas[i].m);
    }
    free(t->filas);
    t->filas = NULL;
    t->n = t->cap = 0;
}

static consulta_fila *agregar_fila(consulta_tabla *t, const char *valor,
                                   int orden)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 32;
        consulta_fila *f = realloc(t->filas, cap * sizeof *f);
        if (!f)
            return NULL;
        t->filas = f;
        t->cap = cap;
    }
    consulta_fila *f = &t->filas[t->n];
    f->valor = strdup(valor);
    f->m = calloc(t->nanios, sizeof *f->m);
    if (!f->valor || !f->m) {
        free(f->valor);
        free(f->m);
        return NULL;
    }
    f->nombre = consulta_nombre(t->ref, t->dim, valor);
    f->orden = orden;
    t->n++;
    return f;
}

consulta_fila *consulta_tabla_buscar(const consulta_tabla *t, const char *valor)
{
    for (size_t i = 0; i < t->n; i++)
        if (!strcmp(t->filas[i].valor, valor))
            return &t->filas[i];
    return NULL;
}

int consulta_tabla_dominio(consulta_tabla *t)
{
    size_t ntax = t->ref ? consulta_ref_ntaxonomias(t->ref) : 0;
    char buf[16];
    int orden = 0;
    consulta_fila *f;
#define ADD(v)                                                                 \
    do {                                                                       \
        if ((f = consulta_tabla_buscar(t, (v))))                               \
            f->orden = orden;                                                  \
        else if (!agregar_fila(t, (v), orden))                                 \
            return -1;                                                         \
        orden++;                                                               \
    } while (0)
    switch (t->dim) {
    case DIM_OBJETIVO:
    case DIM_ODS:
    case DIM_ENTIDAD: {
        /* 1..23, 1..17, 01..32 */
        int hasta = t->dim == DIM_OBJETIVO ? REF_OBJETIVOS
                  : t->dim == DIM_ODS      ? REF_ODS
                                           : REF_ENTIDADES;
        for (int i = 1; i <= hasta; i++) {
            snprintf(buf, sizeof buf, t->dim == DIM_ENTIDAD ? "%02d" : "%d", i);
            ADD(buf);
        }
        break;
    }
    case DIM_AMBITO:
        ADD("federal");
        ADD("estatal");
        break;
    /* over several years: every taxonomy's values, each once, in the order
     * of the first that has it */
    case DIM_EJE:
        for (size_t x = 0; x < ntax; x++) {
            const ref_taxonomia *tax = consulta_ref_taxonomia_at(t->ref, x);
            for (size_t i = 0; i < tax->nejes; i++) {
                snprintf(buf, sizeof buf, "%d", tax->ejes[i].numero);
                if (!consulta_tabla_buscar(t, buf))
                    ADD(buf);
            }
        }
        break;
    case DIM_SUBTEMA:
        for (size_t x = 0; x < ntax; x++) {
            const ref_taxonomia *tax = consulta_ref_taxonomia_at(t->ref, x);
            for (size_t i = 0; i < tax->nsubtemas; i++)
                if (!consulta_tabla_buscar(t, tax->subtemas[i].codigo))
                    ADD(tax->subtemas[i].codigo);
        }
        break;
    case DIM_DEPENDENCIA:
    case DIM_EMISOR:
    case DIM_ODS_TOTAL:
        break;
    }
#undef ADD
    return 0;
}

int consulta_tabla_sumar(consulta_tabla *t, int anio, const char *valor,
                         const consulta_medidas *m)
{
    if (anio < t->rango.desde || anio > t->rango.hasta)
        return 0;
    consulta_fila *f = consulta_tabla_buscar(t, valor);
    if (!f && !(f = agregar_fila(t, valor, INT_MAX)))
        return -1;
    consulta_medidas *c = &f->m[anio - t->rango.desde];
    c->fichas += m->fichas;
    c->acciones += m->acciones;
    c->personas += m->personas;
    c->mujeres += m->mujeres;
    c->hombres += m->hombres;
    return 0;
}

static void sumar_medidas(consulta_medidas *a, const consulta_medidas *b)
{
    a->fichas += b->fichas;
    a->acciones += b->acciones;
    a->personas += b->personas;
    a->mujeres += b->mujeres;
    a->hombres += b->hombres;
}

consulta_medidas consulta_fila_suma(const consulta_tabla *t,
                                    const consulta_fila *f)
{
    consulta_medidas s = {0};
    for (size_t i = 0; i < t->nanios; i++)
        sumar_medidas(&s, &f->m[i]);
    return s;
}

consulta_medidas consulta_tabla_total(const consulta_tabla *t, size_t i)
{
    consulta_medidas s = {0};
    for (size_t r = 0; r < t->n; r++) {
        if (i == (size_t)-1) {
            consulta_medidas f = consulta_fila_suma(t, &t->filas[r]);
            sumar_medidas(&s, &f);
        } else if (i < t->nanios) {
            sumar_medidas(&s, &t->filas[r].m[i]);
        }
    }
    return s;
}

/* Values outside the domain: numbers by value, then text. */
static int cmp_valor(const char *a, const char *b)
{
    char *ea, *eb;
    long na = strtol(a, &ea, 10), nb = strtol(b, &eb, 10);
    bool numa = *a && !*ea, numb = *b && !*eb;
    if (numa && numb && na != nb)
        return na < nb ? -1 : 1;
    if (numa != numb)
        return numa ? -1 : 1;
    return strcmp(a, b);
}

static int cmp_natural(const consulta_fila *a, const consulta_fila *b)
{
    if (a->orden != b->orden)
        return a->orden < b->orden ? -1 : 1;
    return cmp_valor(a->valor, b->valor);
}

/* qsort has no context argument in C17: the table being sorted. */
static const consulta_tabla *orden_tabla;

static long long fichas_rango(const consulta_tabla *t, const consulta_fila *f)
{
    long long s = 0;
    for (size_t i = 0; i < t->nanios; i++)
        s += f->m[i].fichas;
    return s;
}

static int cmp_natural_q(const void *pa, const void *pb)
{
    return cmp_natural(pa, pb);
}

static int cmp_desc_q(const void *pa, const void *pb)
{
    const consulta_fila *a = pa, *b = pb;
    long long fa = fichas_rango(orden_tabla, a), fb = fichas_rango(orden_tabla, b);
    if (fa != fb)
        return fa > fb ? -1 : 1;
    return cmp_natural(a, b);
}

void consulta_tabla_ordenar(consulta_tabla *t, bool desc)
{
    if (t->n < 2)
        return;
    orden_tabla = t;
    qsort(t->filas, t->n, sizeof *t->filas, desc ? cmp_desc_q : cmp_natural_q);
    orden_tabla = NULL;
}

size_t consulta_ranking(const consulta_tabla *t, size_t n, bool mas,
                        consulta_puesto *out)
{
    size_t m = t->n;
    if (m == 0)
        return 0;
    /* all rows, ordered by count (ties: natural order); insertion sort
     * keeps this reentrant and the tables are small */
    size_t *idx = malloc(m * sizeof *idx);
    long long *cnt = malloc(m * sizeof *cnt);
    if (!idx || !cnt) {
        free(idx);
        free(cnt);
        return 0;
    }
    for (size_t i = 0; i < m; i++) {
        cnt[i] = fichas_rango(t, &t->filas[i]);
        size_t j = i;
        while (j > 0) {
            size_t p = idx[j - 1];
            bool antes = mas ? cnt[i] > cnt[p] : cnt[i] < cnt[p];
            if (!antes && !(cnt[i] == cnt[p] &&
                            cmp_natural(&t->filas[i], &t->filas[p]) < 0))
                break;
            idx[j] = p;
            j--;
        }
        idx[j] = i;
    }
    size_t k = 0;
    int lugar = 0;
    for (size_t j = 0; j < m; j++) {
        if (j == 0 || cnt[idx[j]] != cnt[idx[j - 1]])
            lugar = (int)j + 1;
        if ((size_t)lugar > n)
            break;
        bool empate = (j > 0 && cnt[idx[j - 1]] == cnt[idx[j]]) ||
                      (j + 1 < m && cnt[idx[j + 1]] == cnt[idx[j]]);
        out[k++] = (consulta_puesto){.fila = idx[j], .lugar = lugar,
                                     .fichas = cnt[idx[j]], .empate = empate};
    }
    free(idx);
    free(cnt);
    return k;
}
