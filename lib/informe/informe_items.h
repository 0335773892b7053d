/* informe_items.h -- reading the report dataset (informe_datos.h): counts of
 * fichas per value of a dimension as lists of items, with the orderings the
 * report uses (natural order of the dimension, most or fewest fichas first)
 * and the standard competition ranking (1, 2, 2, 4). */
#ifndef PMM_INFORME_ITEMS_H
#define PMM_INFORME_ITEMS_H

#include <jansson.h>
#include <stddef.h>

#include "informe.h"

/* totales[filtro][dim] of the dataset, or NULL. */
const json_t *informe_dimension(const json_t *datos, const char *filtro,
                                const char *dim);
/* Fichas of one cell; 0 when absent. */
long long informe_fichas(const json_t *datos, const char *filtro, const char *dim,
                         const char *valor);
/* A measure (fichas, acciones, personas, mujeres, hombres) over everything. */
long long informe_medida(const json_t *datos, const char *medida);

typedef struct {
    char valor[64];
    long long n;
    int orden;          /* natural order of the dimension */
} item;

typedef struct {
    item *v;
    size_t n;
} items;

/* Position of a value in its dimension's natural order: objectives, SDGs,
 * states and axes by number, targets by SDG then target, sub-topics and
 * challenges by their reference file, bodies before states. */
int items_orden(const informe_ref *ref, const char *dim, const char *valor);
/* Appends a value; -1 when out of memory. */
int items_add(items *it, const char *valor, long long n, int orden);
/* Appends every value of totales[filtro][dim] with at least one ficha. */
int items_de(const json_t *datos, const informe_ref *ref, const char *filtro,
             const char *dim, items *out);
item *items_buscar(items *it, const char *valor);
long long items_suma(const items *it);

/* qsort comparisons: natural order; most fichas first; fewest first (ties
 * in natural order). */
int items_cmp_natural(const void *a, const void *b);
int items_cmp_desc(const void *a, const void *b);
int items_cmp_asc(const void *a, const void *b);
void items_ordenar(items *it, int (*cmp)(const void *, const void *));

/* Place of item i of a list sorted by n (1, 2, 2, 4). */
int items_lugar(const items *it, size_t i);

#endif
