/* refdata.c -- loading the reference data; reporting bodies, states,
 * objectives and challenge categories (see refdata.h; their names and
 * aliases: refdata_nombres.c). */
#include "refdata.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refdata_int.h"

int refdata_oom(pmm_error *err)
{
    return pmm_error_set(err, REF_ERR, "", "memoria", "sin memoria");
}

char *refdata_dup(const char *s)
{
    return strdup(s ? s : "");
}

int refdata_leer(const refdata *self, const char *name, csvfile_row_fn fn,
                 void *user, pmm_error *err)
{
    size_t n = strlen(self->dir) + strlen(name) + 2;
    char *path = malloc(n);
    if (!path)
        return refdata_oom(err);
    snprintf(path, n, "%s/%s", self->dir, name);
    int rc = csvfile_read(path, fn, user, err);
    free(path);
    return rc;
}

static int on_dep(void *user, size_t row, char **f, size_t n, pmm_error *err)
{
    refdata *self = user;
    if (row == 1)
        return 0;
    if (n < 3 || !*f[0])
        return pmm_error_set(err, REF_ERR, "sigla", "csv",
                             "fila %zu: se esperan sigla,nombre,tipo", row);
    ref_dependencia *d = realloc(self->deps, (self->ndeps + 1) * sizeof *d);
    if (!d)
        return refdata_oom(err);
    self->deps = d;
    d = &self->deps[self->ndeps];
    d->sigla = strdup(f[0]);
    d->nombre = strdup(f[1]);
    d->tipo = strdup(f[2]);
    self->ndeps++;
    if (!d->sigla || !d->nombre || !d->tipo)
        return refdata_oom(err);
    return 0;
}

static int on_ent(void *user, size_t row, char **f, size_t n, pmm_error *err)
{
    refdata *self = user;
    if (row == 1)
        return 0;
    int code = n >= 3 ? atoi(f[0]) : 0;
    if (code < 1 || code > REF_ENTIDADES || self->ent_nombre[code])
        return pmm_error_set(err, REF_ERR, "clave", "csv",
                             "fila %zu: clave INEGI inválida o repetida", row);
    self->ent_nombre[code] = strdup(f[1]);
    self->ent_abrev[code] = strdup(f[2]);
    if (!self->ent_nombre[code] || !self->ent_abrev[code])
        return refdata_oom(err);
    return 0;
}

static int on_obj(void *user, size_t row, char **f, size_t n, pmm_error *err)
{
    refdata *self = user;
    if (row == 1)
        return 0;
    int num = n >= 2 ? atoi(f[0]) : 0;
    if (num < 1 || num > REF_OBJETIVOS || self->objetivo[num])
        return pmm_error_set(err, REF_ERR, "numero", "csv",
                             "fila %zu: objetivo inválido o repetido", row);
    self->objetivo[num] = strdup(f[1]);
    if (!self->objetivo[num])
        return refdata_oom(err);
    return 0;
}

static int on_reto(void *user, size_t row, char **f, size_t n, pmm_error *err)
{
    refdata *self = user;
    if (row == 1)
        return 0;
    if (n < 2 || !*f[0])
        return pmm_error_set(err, REF_ERR, "codigo", "csv",
                             "fila %zu: se esperan codigo,nombre,definicion", row);
    if (refdata_reto(self, f[0]))
        return pmm_error_set(err, REF_ERR, "codigo", "csv",
                             "fila %zu: la categoría «%s» está repetida", row, f[0]);
    ref_reto *r = realloc(self->retos, (self->nretos + 1) * sizeof *r);
    if (!r)
        return refdata_oom(err);
    self->retos = r;
    r = &self->retos[self->nretos++];
    r->codigo = refdata_dup(f[0]);
    r->nombre = refdata_dup(f[1]);
    r->definicion = refdata_dup(n >= 3 ? f[2] : "");
    if (!r->codigo || !r->nombre || !r->definicion)
        return refdata_oom(err);
    return 0;
}

refdata *refdata_load(const char *data_dir, pmm_error *err)
{
    refdata *self = calloc(1, sizeof *self);
    if (!self || !(self->dir = strdup(data_dir))) {
        refdata_oom(err);
        free(self);
        return NULL;
    }
    if (refdata_leer(self, "dependencias.csv", on_dep, self, err) != 0 ||
        refdata_leer(self, "entidades.csv", on_ent, self, err) != 0 ||
        refdata_leer(self, "objetivos.csv", on_obj, self, err) != 0)
        goto fail;
    for (int i = 1; i <= REF_ENTIDADES; i++)
        if (!self->ent_nombre[i]) {
            pmm_error_set(err, REF_ERR, "", "datos",
                          "entidades.csv: falta la entidad %02d", i);
            goto fail;
        }
    for (int i = 1; i <= REF_OBJETIVOS; i++)
        if (!self->objetivo[i]) {
            pmm_error_set(err, REF_ERR, "", "datos",
                          "objetivos.csv: falta el objetivo %d", i);
            goto fail;
        }
    if (refdata_nombres_load(self, err) != 0 ||
        refdata_leer(self, "retos.csv", on_reto, self, err) != 0 ||
        refdata_ods_load(self, err) != 0 || refdata_taxonomias_load(self, err) != 0)
        goto fail;
    return self;
fail:
    refdata_destroy(&self);
    return NULL;
}

void refdata_destroy(refdata **self_p)
{
    if (!self_p || !*self_p)
        return;
    refdata *self = *self_p;
    for (size_t i = 0; i < self->ndeps; i++) {
        free(self->deps[i].sigla);
        free(self->deps[i].nombre);
        free(self->deps[i].tipo);
    }
    free(self->deps);
    for (int i = 0; i <= REF_ENTIDADES; i++) {
        free(self->ent_nombre[i]);
        free(self->ent_abrev[i]);
    }
    refdata_nombres_free(self);
    for (int i = 0; i <= REF_OBJETIVOS; i++)
        free(self->objetivo[i]);
    for (size_t i = 0; i < self->nretos; i++) {
        free(self->retos[i].codigo);
        free(self->retos[i].nombre);
        free(self->retos[i].definicion);
    }
    free(self->retos);
    refdata_ods_free(self);
    refdata_taxonomias_free(self);
    free(self->dir);
    free(self);
    *self_p = NULL;
}

size_t refdata_dependencia_count(const refdata *self)
{
    return self->ndeps;
}

const ref_dependencia *refdata_dependencia_at(const refdata *self, size_t i)
{
    return i < self->ndeps ? &self->deps[i] : NULL;
}

const char *refdata_entidad_nombre(const refdata *self, int code)
{
    return code >= 1 && code <= REF_ENTIDADES ? self->ent_nombre[code] : NULL;
}

const char *refdata_objetivo_titulo(const refdata *self, int numero)
{
    return numero >= 1 && numero <= REF_OBJETIVOS ? self->objetivo[numero] : NULL;
}

size_t refdata_reto_count(const refdata *self)
{
    return self->nretos;
}

const ref_reto *refdata_reto_at(const refdata *self, size_t i)
{
    return i < self->nretos ? &self->retos[i] : NULL;
}

int refdata_reto_indice(const refdata *self, const char *codigo)
{
    for (size_t i = 0; i < self->nretos; i++)
        if (!strcmp(self->retos[i].codigo, codigo))
            return (int)i;
    return -1;
}

const ref_reto *refdata_reto(const refdata *self, const char *codigo)
{
    int i = refdata_reto_indice(self, codigo);
    return i >= 0 ? &self->retos[i] : NULL;
}
