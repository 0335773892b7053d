#include "celdas.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hashmap.h"
#include "pmm.pb-c.h"

/* A cell's key in the map: the ejercicio's four bytes, then
 * filtro\0dimension\0valor\0. Its value: the five sums. */
#define EJERCICIO_LEN sizeof(int)

typedef struct {
    long long suma[5];    /* fichas, acciones, personas, mujeres, hombres */
} sumas;

typedef struct {
    const char *dimension;
    const char *valor;
} dim_valor;

struct celdas {
    hashmap map;          /* key -> sumas */
    /* scratch of celdas_add, kept between calls */
    dim_valor *cells;
    size_t cells_cap;
    strbuf key, prefix;
};

celdas *celdas_new(void)
{
    celdas *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    hashmap_init(&self->map, sizeof(sumas));
    strbuf_init(&self->key);
    strbuf_init(&self->prefix);
    return self;
}

void celdas_destroy(celdas **self)
{
    if (!*self)
        return;
    hashmap_free(&(*self)->map);
    free((*self)->cells);
    strbuf_free(&(*self)->key);
    strbuf_free(&(*self)->prefix);
    free(*self);
    *self = NULL;
}

size_t celdas_count(const celdas *self)
{
    return hashmap_count(&self->map);
}

/* The cell's key is built in `k` (see above). */
static int add_cell(celdas *self, const char *k, size_t n, const long long delta[5])
{
    void *v;
    if (hashmap_put(&self->map, k, n, &v) < 0)
        return -1;
    sumas *s = v;
    for (int i = 0; i < 5; i++)
        s->suma[i] += delta[i];
    return 0;
}

/* True when value v appears among the first i strings of list. */
static int seen_before(const char *list, int i, const char *v)
{
    for (const char *s = list; i > 0; i--, s += strlen(s) + 1)
        if (!strcmp(s, v))
            return 1;
    return 0;
}

/* Appends one element per distinct value of a list (a cell counts once);
 * cells has room for count more. */
static int push_list(dim_valor *cells, int n, const char *dimension, const char *list,
                     int count)
{
    const char *s = list;
    for (int i = 0; i < count; i++, s += strlen(s) + 1)
        if (!seen_before(list, i, s))
            cells[n++] = (dim_valor){dimension, s};
    return n;
}

int celdas_add(celdas *self, int ejercicio, const contribucion *c, int sign)
{
    if (c->absorbida)
        return 0;   /* counted once, under the ficha the analyst named */
    /* lpad(entidad::text, 2, '0'): pads, and like lpad cuts to two */
    char entidad[3] = {0};
    if (c->entidad) {
        size_t n = strlen(c->entidad);
        if (n >= 2)
            memcpy(entidad, c->entidad, 2);
        else {
            entidad[0] = '0';
            entidad[1] = n ? c->entidad[0] : '0';
        }
    }
    int federal = !strcmp(c->ambito, "federal") && c->dependencia;

    /* 6 fixed cells, the lists, ods_total, dependencia, entidad */
    size_t need = 9 + (size_t)c->n_ods + (size_t)c->n_metas + (size_t)c->n_retos;
    if (need > self->cells_cap) {
        dim_valor *g = realloc(self->cells, need * sizeof *g);
        if (!g)
            return -1;
        self->cells = g;
        self->cells_cap = need;
    }
    dim_valor *cells = self->cells;
    const dim_valor fixed[] = {{"total", ""},          {"ambito", c->ambito},
                               {"objetivo", c->objetivo}, {"eje", c->eje},
                               {"subtema", c->subtema}, {"emisor", c->emisor}};
    int n = 0;
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        cells[n++] = fixed[i];
    n = push_list(cells, n, "ods", c->ods, c->n_ods);
    n = push_list(cells, n, "meta", c->metas, c->n_metas);
    n = push_list(cells, n, "reto", c->retos, c->n_retos);
    if (c->n_ods > 0)
        cells[n++] = (dim_valor){"ods_total", ""};
    if (federal)
        cells[n++] = (dim_valor){"dependencia", c->dependencia};
    if (c->entidad)
        cells[n++] = (dim_valor){"entidad", entidad};

    /* filters as prefix + value: '', 'D:<sigla>', 'E:<inegi>' */
    const char *filtros[3][2] = {{"", ""}};
    int nf = 1;
    if (federal) {
        filtros[nf][0] = "D:";
        filtros[nf++][1] = c->dependencia;
    }
    if (c->entidad) {
        filtros[nf][0] = "E:";
        filtros[nf++][1] = entidad;
    }

    const long long delta[5] = {sign, sign * c->cuenta[0], sign * c->cuenta[1],
                                sign * c->cuenta[2], sign * c->cuenta[3]};
    strbuf *key = &self->key, *prefix = &self->prefix;
    for (int f = 0; f < nf; f++) {
        /* ejercicio, filtro\0 once per filter; then dimension\0valor\0 */
        strbuf_reset(prefix);
        strbuf_append(prefix, (const char *)&ejercicio, EJERCICIO_LEN);
        strbuf_puts(prefix, filtros[f][0]);
        strbuf_puts(prefix, filtros[f][1]);
        strbuf_append(prefix, "", 1);
        if (strbuf_failed(prefix))
            return -1;
        for (int i = 0; i < n; i++) {
            strbuf_reset(key);
            strbuf_append(key, prefix->data, prefix->len);
            strbuf_puts(key, cells[i].dimension);
            strbuf_append(key, "", 1);
            strbuf_puts(key, cells[i].valor);
            strbuf_append(key, "", 1);
            if (strbuf_failed(key) || add_cell(self, key->data, key->len, delta))
                return -1;
        }
    }
    return 0;
}

long celdas_arrays(const celdas *self, strbuf out[9])
{
    for (int i = 0; i < 9; i++) {
        strbuf_reset(&out[i]);
        strbuf_append(&out[i], "{", 1);
    }
    long written = 0;
    size_t pos = 0, n;
    const char *k;
    const sumas *c;
    while ((c = hashmap_next(&self->map, &pos, &k, &n))) {
        if (!(c->suma[0] | c->suma[1] | c->suma[2] | c->suma[3] | c->suma[4]))
            continue;
        const char *sep = written ? "," : "";
        int ejercicio;
        memcpy(&ejercicio, k, EJERCICIO_LEN);
        const char *filtro = k + EJERCICIO_LEN;
        const char *dimension = filtro + strlen(filtro) + 1;
        const char *valor = dimension + strlen(dimension) + 1;
        strbuf_printf(&out[0], "%s%d", sep, ejercicio);
        const char *text[3] = {filtro, dimension, valor};
        for (int t = 0; t < 3; t++) {
            strbuf_puts(&out[1 + t], sep);
            strbuf_array_elem(&out[1 + t], text[t], strlen(text[t]));
        }
        for (int s = 0; s < 5; s++)
            strbuf_printf(&out[4 + s], "%s%lld", sep, c->suma[s]);
        written++;
    }
    for (int i = 0; i < 9; i++) {
        strbuf_append(&out[i], "}", 1);
        if (strbuf_failed(&out[i]))
            return -1;
    }
    return written;
}

long long celdas_add_result(celdas *self, const PGresult *res, pmm_error *err)
{
    strbuf lists[3];
    for (int i = 0; i < 3; i++)
        strbuf_init(&lists[i]);
    long long changed = 0;
    int rows = PQntuples(res), r;
    for (r = 0; r < rows; r++) {
        int sign = atoi(PQgetvalue(res, r, 0));
        int counts[3];
        for (int i = 0; i < 3; i++) {
            strbuf_reset(&lists[i]);
            counts[i] = pgarray_split(PQgetvalue(res, r, 9 + i), &lists[i]);
        }
        if (counts[0] < 0 || counts[1] < 0 || counts[2] < 0)
            break;
        contribucion c = {
            .emisor = PQgetvalue(res, r, 2),
            .ambito = PQgetvalue(res, r, 3),
            .dependencia = PQgetisnull(res, r, 4) ? NULL : PQgetvalue(res, r, 4),
            .entidad = PQgetisnull(res, r, 5) ? NULL : PQgetvalue(res, r, 5),
            .objetivo = PQgetvalue(res, r, 6),
            .eje = PQgetvalue(res, r, 7),
            .subtema = PQgetvalue(res, r, 8),
            .ods = lists[0].data, .n_ods = counts[0],
            .metas = lists[1].data, .n_metas = counts[1],
            .retos = lists[2].data, .n_retos = counts[2],
        };
        for (int i = 0; i < 4; i++)
            c.cuenta[i] = strtoll(PQgetvalue(res, r, 12 + i), NULL, 10);   /* NULL: "" -> 0 */
        c.absorbida = PQnfields(res) > 16 && PQgetvalue(res, r, 16)[0] == 't';
        if (celdas_add(self, atoi(PQgetvalue(res, r, 1)), &c, sign) != 0)
            break;
        if (sign > 0)
            changed++;
    }
    for (int i = 0; i < 3; i++)
        strbuf_free(&lists[i]);
    if (r < rows)
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "agregados", "contribucion",
                             "contribución ilegible o sin memoria al agregar (fila %d)", r);
    return changed;
}

int pgarray_split(const char *p, strbuf *out)
{
    if (*p++ != '{')
        return -1;
    if (*p == '}')
        return p[1] ? -1 : 0;
    int count = 0;
    for (;;) {
        if (*p == '"') {
            for (p++; *p != '"'; p++) {
                if (*p == '\\')
                    p++;
                if (!*p)
                    return -1;
                strbuf_append(out, p, 1);
            }
            p++;
        } else {
            const char *start = p;
            while (*p && *p != ',' && *p != '}')
                p++;
            size_t n = (size_t)(p - start);
            if (n == 0 || (n == 4 && !strncmp(start, "NULL", 4)))
                return -1;
            strbuf_append(out, start, n);
        }
        strbuf_append(out, "", 1);
        count++;
        if (*p == ',') {
            p++;
            continue;
        }
        if (*p == '}' && !p[1])
            break;
        return -1;
    }
    return strbuf_failed(out) ? -1 : count;
}
