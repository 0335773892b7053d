/* refdata_ods.c -- the 17 SDGs (ods.csv) and their targets (ods_metas.csv);
 * see refdata.h. */
#include <stdlib.h>
#include <string.h>

#include "refdata.h"
#include "refdata_int.h"

/* 1..17 for a plain decimal number, else 0. */
static int numero_ods(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);
    return end != s && !*end && v >= 1 && v <= REF_ODS ? (int)v : 0;
}

static int on_ods(void *user, size_t row, char **f, size_t n, pmm_error *err)
{
    refdata *self = user;
    if (row == 1)
        return 0;
    int k = n >= 2 ? numero_ods(f[0]) : 0;
    if (!k || self->ods[k])
        return pmm_error_set(err, REF_ERR, "numero", "csv",
                             "fila %zu: ODS inválido o repetido", row);
    self->ods[k] = refdata_dup(f[1]);
    return self->ods[k] ? 0 : refdata_oom(err);
}

static int on_meta(void *user, size_t row, char **f, size_t n, pmm_error *err)
{
    refdata *self = user;
    if (row == 1)
        return 0;
    int k = n >= 4 ? numero_ods(f[0]) : 0;
    /* the target's code starts with its SDG's number: "8.8" of SDG 8 */
    if (!k || atoi(f[1]) != k || !strchr(f[1], '.'))
        return pmm_error_set(err, REF_ERR, "meta", "csv",
                             "fila %zu: se espera ods,meta,predeterminada,nombre "
                             "con la meta del mismo ODS", row);
    if (refdata_meta(self, f[1]))
        return pmm_error_set(err, REF_ERR, "meta", "csv",
                             "fila %zu: la meta %s está repetida", row, f[1]);
    ref_meta *m = realloc(self->metas, (self->nmetas + 1) * sizeof *m);
    if (!m)
        return refdata_oom(err);
    self->metas = m;
    m = &self->metas[self->nmetas++];
    m->meta = refdata_dup(f[1]);
    m->nombre = refdata_dup(f[3]);
    m->ods = k;
    m->predeterminada = !strcmp(f[2], "1");
    return m->meta && m->nombre ? 0 : refdata_oom(err);
}

int refdata_ods_load(refdata *self, pmm_error *err)
{
    if (refdata_leer(self, "ods.csv", on_ods, self, err) != 0)
        return -1;
    for (int i = 1; i <= REF_ODS; i++)
        if (!self->ods[i])
            return pmm_error_set(err, REF_ERR, "", "datos",
                                 "ods.csv: falta el ODS %d", i);
    return refdata_leer(self, "ods_metas.csv", on_meta, self, err);
}

void refdata_ods_free(refdata *self)
{
    for (int i = 0; i <= REF_ODS; i++)
        free(self->ods[i]);
    for (size_t i = 0; i < self->nmetas; i++) {
        free(self->metas[i].meta);
        free(self->metas[i].nombre);
    }
    free(self->metas);
}

const char *refdata_ods_nombre(const refdata *self, int numero)
{
    return numero >= 1 && numero <= REF_ODS ? self->ods[numero] : NULL;
}

size_t refdata_meta_count(const refdata *self)
{
    return self->nmetas;
}

const ref_meta *refdata_meta_at(const refdata *self, size_t i)
{
    return i < self->nmetas ? &self->metas[i] : NULL;
}

const ref_meta *refdata_meta(const refdata *self, const char *meta)
{
    for (size_t i = 0; i < self->nmetas; i++)
        if (!strcmp(self->metas[i].meta, meta))
            return &self->metas[i];
    return NULL;
}
