#include "refdata.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvfile.h"
#include "utf8.h"

struct refdata {
    ref_dependencia *deps;
    char **deps_folded;        /* folded acronyms, parallel to deps */
    size_t ndeps;
    char *ent_nombre[REF_ENTIDADES + 1];
    char *ent_folded[REF_ENTIDADES + 1];   /* folded name */
    char *ent_abrev[REF_ENTIDADES + 1];    /* folded abbreviation, no dots */
    char *objetivo[REF_OBJETIVOS + 1];
};

static char *fold_dup(const char *s, int drop_dots)
{
    size_t n = strlen(s);
    char *out = malloc(n * 2 + 1);
    if (!out)
        return NULL;
    utf8_fold(s, n, out, n * 2 + 1);
    if (drop_dots) {
        char *w = out;
        for (char *r = out; *r; r++)
            if (*r != '.' && *r != ' ')
                *w++ = *r;
        *w = '\0';
    }
    return out;
}

static int on_dep(void *user, size_t row, char **f, size_t n, pmm_error *err)
{
    refdata *self = user;
    if (row == 1)
        return 0;
    if (n < 3 || !*f[0])
        return pmm_error_set(err, 7, "sigla", "csv",
                             "fila %zu: se esperan sigla,nombre,tipo", row);
    ref_dependencia *d = realloc(self->deps, (self->ndeps + 1) * sizeof *d);
    if (!d)
        return pmm_error_set(err, 7, "", "memoria", "sin memoria");
    self->deps = d;
    char **fd = realloc(self->deps_folded, (self->ndeps + 1) * sizeof *fd);
    if (!fd)
        return pmm_error_set(err, 7, "", "memoria", "sin memoria");
    self->deps_folded = fd;
    d = &self->deps[self->ndeps];
    d->sigla = strdup(f[0]);
    d->nombre = strdup(f[1]);
    d->tipo = strdup(f[2]);
    fd[self->ndeps] = fold_dup(f[0], 0);
    self->ndeps++;
    if (!d->sigla || !d->nombre || !d->tipo || !fd[self->ndeps - 1])
        return pmm_error_set(err, 7, "", "memoria", "sin memoria");
    return 0;
}

static int on_ent(void *user, size_t row, char **f, size_t n, pmm_error *err)
{
    refdata *self = user;
    if (row == 1)
        return 0;
    int code = n >= 3 ? atoi(f[0]) : 0;
    if (code < 1 || code > REF_ENTIDADES || self->ent_nombre[code])
        return pmm_error_set(err, 7, "clave", "csv",
                             "fila %zu: clave INEGI inválida o repetida", row);
    self->ent_nombre[code] = strdup(f[1]);
    self->ent_folded[code] = fold_dup(f[1], 0);
    self->ent_abrev[code] = fold_dup(f[2], 1);
    if (!self->ent_nombre[code] || !self->ent_folded[code] ||
        !self->ent_abrev[code])
        return pmm_error_set(err, 7, "", "memoria", "sin memoria");
    return 0;
}

static int on_obj(void *user, size_t row, char **f, size_t n, pmm_error *err)
{
    refdata *self = user;
    if (row == 1)
        return 0;
    int num = n >= 2 ? atoi(f[0]) : 0;
    if (num < 1 || num > REF_OBJETIVOS || self->objetivo[num])
        return pmm_error_set(err, 7, "numero", "csv",
                             "fila %zu: objetivo inválido o repetido", row);
    self->objetivo[num] = strdup(f[1]);
    if (!self->objetivo[num])
        return pmm_error_set(err, 7, "", "memoria", "sin memoria");
    return 0;
}

refdata *refdata_load(const char *data_dir, pmm_error *err)
{
    refdata *self = calloc(1, sizeof *self);
    if (!self) {
        pmm_error_set(err, 7, "", "memoria", "sin memoria");
        return NULL;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/dependencias.csv", data_dir);
    if (csvfile_read(path, on_dep, self, err) != 0)
        goto fail;
    snprintf(path, sizeof path, "%s/entidades.csv", data_dir);
    if (csvfile_read(path, on_ent, self, err) != 0)
        goto fail;
    snprintf(path, sizeof path, "%s/objetivos.csv", data_dir);
    if (csvfile_read(path, on_obj, self, err) != 0)
        goto fail;
    for (int i = 1; i <= REF_ENTIDADES; i++)
        if (!self->ent_nombre[i]) {
            pmm_error_set(err, 7, "", "datos",
                          "entidades.csv: falta la entidad %02d", i);
            goto fail;
        }
    for (int i = 1; i <= REF_OBJETIVOS; i++)
        if (!self->objetivo[i]) {
            pmm_error_set(err, 7, "", "datos",
                          "objetivos.csv: falta el objetivo %d", i);
            goto fail;
        }
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
        free(self->deps_folded[i]);
    }
    free(self->deps);
    free(self->deps_folded);
    for (int i = 0; i <= REF_ENTIDADES; i++) {
        free(self->ent_nombre[i]);
        free(self->ent_folded[i]);
        free(self->ent_abrev[i]);
    }
    for (int i = 0; i <= REF_OBJETIVOS; i++)
        free(self->objetivo[i]);
    free(self);
    *self_p = NULL;
}

const ref_dependencia *refdata_dependencia(const refdata *self,
                                           const char *text, size_t len)
{
    char folded[128];
    if (len == 0 || len > 64)
        return NULL;
    utf8_fold(text, len, folded, sizeof folded);
    for (size_t i = 0; i < self->ndeps; i++)
        if (!strcmp(folded, self->deps_folded[i]))
            return &self->deps[i];
    return NULL;
}

size_t refdata_dependencia_count(const refdata *self)
{
    return self->ndeps;
}

const ref_dependencia *refdata_dependencia_at(const refdata *self, size_t i)
{
    return i < self->ndeps ? &self->deps[i] : NULL;
}

int refdata_entidad(const refdata *self, const char *text, size_t len)
{
    if (len == 0 || len > 128)
        return 0;
    if (len <= 2 && text[0] >= '0' && text[0] <= '9' &&
        (len == 1 || (text[1] >= '0' && text[1] <= '9'))) {
        int code = len == 1 ? text[0] - '0' : (text[0] - '0') * 10 + text[1] - '0';
        return code >= 1 && code <= REF_ENTIDADES ? code : 0;
    }
    char folded[256], compact[256];
    utf8_fold(text, len, folded, sizeof folded);
    size_t w = 0;
    for (const char *r = folded; *r; r++)
        if (*r != '.' && *r != ' ')
            compact[w++] = *r;
    compact[w] = '\0';
    for (int i = 1; i <= REF_ENTIDADES; i++)
        if (!strcmp(folded, self->ent_folded[i]) ||
            !strcmp(compact, self->ent_abrev[i]))
            return i;
    return 0;
}

const char *refdata_entidad_nombre(const refdata *self, int code)
{
    return code >= 1 && code <= REF_ENTIDADES ? self->ent_nombre[code] : NULL;
}

const char *refdata_objetivo_titulo(const refdata *self, int numero)
{
    return numero >= 1 && numero <= REF_OBJETIVOS ? self->objetivo[numero] : NULL;
}
