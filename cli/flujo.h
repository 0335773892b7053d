/* flujo.h -- minimum-cost flow on a small graph (successive shortest
 * paths, Bellman-Ford on the residual graph), for the sample's historical
 * decisions (muestra_historia.c): which SDGs each ficha carries so that
 * every ficha with results has at least one and every SDG's published
 * count is met, preferring the SDGs of each ficha's sub-topic group. Small
 * graphs only (hundreds of nodes, thousands of edges). */
#ifndef PMM_CLI_FLUJO_H
#define PMM_CLI_FLUJO_H

#include <stddef.h>

typedef struct flujo flujo;

flujo *flujo_new(size_t nodos);
void flujo_destroy(flujo **self_p);

/* An edge de -> a of capacity cap and cost per unit costo (>= 0); its
 * number, or -1 when out of memory or a node is out of range. */
int flujo_arista(flujo *self, size_t de, size_t a, long cap, long costo);

/* Sends up to max units from s to t, each along a cheapest path of the
 * residual graph; returns the units sent (less than max when no path
 * remains), or -1 when out of memory. Can be called again after adding
 * edges: what was sent stays sent. */
long flujo_enviar(flujo *self, size_t s, size_t t, long max);

/* Units on edge e. */
long flujo_en(const flujo *self, int e);

#endif
