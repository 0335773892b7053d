/* flujo.c -- see flujo.h. */
#include "flujo.h"

#include <limits.h>
#include <stdlib.h>

typedef struct {
    size_t a;
    long cap, costo, flujo;
} arista;

struct flujo {
    size_t n;
    arista *e;        /* edge 2k forward, 2k+1 its residual */
    size_t ne, cap;
    size_t **ady;     /* edges leaving each node */
    size_t *nady, *capady;
};

flujo *flujo_new(size_t nodos)
{
    flujo *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->n = nodos;
    f->ady = calloc(nodos, sizeof *f->ady);
    f->nady = calloc(nodos, sizeof *f->nady);
    f->capady = calloc(nodos, sizeof *f->capady);
    if (!f->ady || !f->nady || !f->capady)
        flujo_destroy(&f);
    return f;
}

void flujo_destroy(flujo **self_p)
{
    if (!self_p || !*self_p)
        return;
    flujo *f = *self_p;
    for (size_t i = 0; f->ady && i < f->n; i++)
        free(f->ady[i]);
    free(f->ady);
    free(f->nady);
    free(f->capady);
    free(f->e);
    free(f);
    *self_p = NULL;
}

static int ady_add(flujo *f, size_t nodo, size_t e)
{
    if (f->nady[nodo] == f->capady[nodo]) {
        size_t c = f->capady[nodo] ? f->capady[nodo] * 2 : 4;
        size_t *p = realloc(f->ady[nodo], c * sizeof *p);
        if (!p)
            return -1;
        f->ady[nodo] = p;
        f->capady[nodo] = c;
    }
    f->ady[nodo][f->nady[nodo]++] = e;
    return 0;
}

int flujo_arista(flujo *self, size_t de, size_t a, long cap, long costo)
{
    if (de >= self->n || a >= self->n || cap < 0 || costo < 0)
        return -1;
    if (self->ne + 2 > self->cap) {
        size_t c = self->cap ? self->cap * 2 : 64;
        arista *p = realloc(self->e, c * sizeof *p);
        if (!p)
            return -1;
        self->e = p;
        self->cap = c;
    }
    size_t k = self->ne;
    if (ady_add(self, de, k) || ady_add(self, a, k + 1))
        return -1;
    self->e[k] = (arista){a, cap, costo, 0};
    self->e[k + 1] = (arista){de, 0, -costo, 0};
    self->ne += 2;
    return (int)(k / 2);
}

static long residual(const flujo *f, size_t k)
{
    return f->e[k].cap - f->e[k].flujo;
}

long flujo_enviar(flujo *self, size_t s, size_t t, long max)
{
    flujo *f = self;
    long *dist = malloc(f->n * sizeof *dist);
    size_t *prev = malloc(f->n * sizeof *prev);
    size_t *cola = malloc((f->n + 1) * sizeof *cola);
    char *en_cola = malloc(f->n);
    if (!dist || !prev || !cola || !en_cola) {
        free(dist);
        free(prev);
        free(cola);
        free(en_cola);
        return -1;
    }
    long enviado = 0;
    while (enviado < max) {
        /* Bellman-Ford with a FIFO queue: residual edges carry negative
         * costs, and the graph has no negative cycle (a cheapest path is
         * used each time) */
        for (size_t i = 0; i < f->n; i++) {
            dist[i] = LONG_MAX;
            en_cola[i] = 0;
        }
        size_t cab = 0, col = 0;
        dist[s] = 0;
        cola[col++] = s;
        en_cola[s] = 1;
        while (cab != col) {
            size_t u = cola[cab];
            cab = (cab + 1) % (f->n + 1);
            en_cola[u] = 0;
            for (size_t j = 0; j < f->nady[u]; j++) {
                size_t k = f->ady[u][j];
                if (residual(f, k) <= 0)
                    continue;
                size_t v = f->e[k].a;
                long d = dist[u] + f->e[k].costo;
                if (d < dist[v]) {
                    dist[v] = d;
                    prev[v] = k;
                    if (!en_cola[v]) {
                        cola[col] = v;
                        col = (col + 1) % (f->n + 1);
                        en_cola[v] = 1;
                    }
                }
            }
        }
        if (dist[t] == LONG_MAX)
            break;
        long b = max - enviado;
        for (size_t v = t; v != s; v = f->e[prev[v] ^ 1].a)
            if (residual(f, prev[v]) < b)
                b = residual(f, prev[v]);
        for (size_t v = t; v != s; v = f->e[prev[v] ^ 1].a) {
            f->e[prev[v]].flujo += b;
            f->e[prev[v] ^ 1].flujo -= b;
        }
        enviado += b;
    }
    free(dist);
    free(prev);
    free(cola);
    free(en_cola);
    return enviado;
}

long flujo_en(const flujo *self, int e)
{
    return e >= 0 && (size_t)e * 2 < self->ne ? self->e[(size_t)e * 2].flujo : 0;
}
