/* informe_items.c -- counts from the report dataset as ordered lists
 * (informe_items.h). */
#include "informe_items.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "informe_datos.h"
#include "informe_ref.h"

const json_t *informe_dimension(const json_t *datos, const char *filtro,
                                const char *dim)
{
    return json_object_get(json_object_get(json_object_get(datos, "totales"), filtro), dim);
}

long long informe_fichas(const json_t *datos, const char *filtro, const char *dim,
                         const char *valor)
{
    return informe_datos_celda(datos, filtro, dim, valor, "fichas");
}

long long informe_medida(const json_t *datos, const char *m)
{
    return informe_datos_celda(datos, "", "total", "", m);
}

static int orden_meta(const char *m)
{
    char *end;
    long major = strtol(m, &end, 10);
    int minor = 0;
    if (*end == '.') {
        if (isdigit((unsigned char)end[1]))
            minor = atoi(end + 1);
        else
            minor = 500 + (unsigned char)end[1];
    }
    return (int)major * 1000 + minor;
}

int items_orden(const informe_ref *ref, const char *dim, const char *valor)
{
    if (!strcmp(dim, "objetivo") || !strcmp(dim, "ods") || !strcmp(dim, "entidad") ||
        !strcmp(dim, "eje"))
        return atoi(valor);
    if (!strcmp(dim, "meta"))
        return orden_meta(valor);
    if (!strcmp(dim, "subtema")) {
        int i = informe_ref_subtema_orden(ref, valor);
        return i >= 0 ? i : 100000;
    }
    if (!strcmp(dim, "reto")) {
        int i = informe_ref_reto_orden(ref, valor);
        return i >= 0 ? i : 100000;
    }
    if (!strcmp(dim, "emisor"))
        return valor[0] == 'D' ? 0 : 1000 + atoi(valor + 2);
    return 0;
}

int items_add(items *it, const char *valor, long long n, int orden)
{
    item *v = realloc(it->v, (it->n + 1) * sizeof *v);
    if (!v)
        return -1;
    it->v = v;
    item *x = &v[it->n++];
    memset(x, 0, sizeof *x);
    snprintf(x->valor, sizeof x->valor, "%s", valor);
    x->n = n;
    x->orden = orden;
    return 0;
}

int items_de(const json_t *datos, const informe_ref *ref, const char *filtro,
             const char *dim, items *out)
{
    const char *k;
    json_t *cell;
    json_t *obj = (json_t *)informe_dimension(datos, filtro, dim);
    json_object_foreach(obj, k, cell) {
        long long n = json_integer_value(json_object_get(cell, "fichas"));
        if (n <= 0 || strlen(k) >= sizeof ((item *)0)->valor)
            continue;
        if (items_add(out, k, n, items_orden(ref, dim, k)))
            return -1;
    }
    return 0;
}

item *items_buscar(items *it, const char *valor)
{
    for (size_t i = 0; i < it->n; i++)
        if (!strcmp(it->v[i].valor, valor))
            return &it->v[i];
    return NULL;
}

int items_cmp_natural(const void *a, const void *b)
{
    const item *x = a, *y = b;
    if (x->orden != y->orden)
        return x->orden < y->orden ? -1 : 1;
    return strcmp(x->valor, y->valor);
}

int items_cmp_desc(const void *a, const void *b)
{
    const item *x = a, *y = b;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return items_cmp_natural(a, b);
}

int items_cmp_asc(const void *a, const void *b)
{
    const item *x = a, *y = b;
    if (x->n != y->n)
        return x->n < y->n ? -1 : 1;
    return items_cmp_natural(a, b);
}

void items_ordenar(items *it, int (*cmp)(const void *, const void *))
{
    if (it->n > 1)
        qsort(it->v, it->n, sizeof *it->v, cmp);
}

long long items_suma(const items *it)
{
    long long s = 0;
    for (size_t i = 0; i < it->n; i++)
        s += it->v[i].n;
    return s;
}

int items_lugar(const items *it, size_t i)
{
    size_t j = i;
    while (j > 0 && it->v[j - 1].n == it->v[i].n)
        j--;
    return (int)j + 1;
}
