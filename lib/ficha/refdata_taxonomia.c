/* refdata_taxonomia.c -- the taxonomies of axes and sub-topics, one file per
 * taxonomy in <datos>/taxonomias (see refdata.h). Columns are found by their
 * header, so a file may add columns; rows whose first field starts with '#'
 * are comments. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refdata.h"
#include "refdata_int.h"
#include "strbuf.h"

enum { C_TAXONOMIA, C_EJE, C_EJE_NOMBRE, C_SUBTEMA, C_SUBTEMA_NOMBRE, C_ORIGEN,
       C_DEFINICION, C_DESDE, NCOLS };

static const char *const COLUMNA[NCOLS] = {
    "taxonomia", "eje", "eje_nombre", "subtema", "subtema_nombre", "origen",
    "definicion", "desde"};

typedef struct {
    ref_taxonomia *t;
    int col[NCOLS];       /* position of each column, -1 when absent */
} lector;

static const char *campo(const lector *x, char **f, size_t n, int c)
{
    return x->col[c] >= 0 && (size_t)x->col[c] < n ? f[x->col[c]] : "";
}

static int cabecera(lector *x, char **f, size_t n, pmm_error *err)
{
    for (int c = 0; c < NCOLS; c++) {
        x->col[c] = -1;
        for (size_t i = 0; i < n; i++)
            if (!strcmp(f[i], COLUMNA[c]))
                x->col[c] = (int)i;
    }
    for (int c = C_EJE; c <= C_SUBTEMA_NOMBRE; c++)
        if (x->col[c] < 0)
            return pmm_error_set(err, REF_ERR, "", "csv",
                                 "faltan columnas (se esperan eje, eje_nombre, "
                                 "subtema, subtema_nombre)");
    return 0;
}

static int agregar_eje(ref_taxonomia *t, int numero, const char *nombre,
                       pmm_error *err)
{
    if (ref_taxonomia_eje_nombre(t, numero))
        return 0;   /* the first row of an axis names it */
    ref_eje *e = realloc(t->ejes, (t->nejes + 1) * sizeof *e);
    if (!e)
        return refdata_oom(err);
    t->ejes = e;
    e[t->nejes].numero = numero;
    e[t->nejes].nombre = refdata_dup(nombre);
    return e[t->nejes++].nombre ? 0 : refdata_oom(err);
}

static int on_fila(void *user, size_t row, char **f, size_t n, pmm_error *err)
{
    lector *x = user;
    ref_taxonomia *t = x->t;
    if (row == 1)
        return cabecera(x, f, n, err);
    if (n > 0 && f[0][0] == '#')
        return 0;
    const char *tax = campo(x, f, n, C_TAXONOMIA);
    const char *eje = campo(x, f, n, C_EJE), *cod = campo(x, f, n, C_SUBTEMA);
    if (*tax && strcmp(tax, t->nombre))
        return pmm_error_set(err, REF_ERR, "taxonomia", "csv",
                             "fila %zu: la taxonomía «%s» no es la del archivo (%s)",
                             row, tax, t->nombre);
    if (!*cod)
        return pmm_error_set(err, REF_ERR, "subtema", "csv",
                             "fila %zu: falta el subtema", row);
    if (eje[0] < '1' || eje[0] > '9' || eje[1])
        return pmm_error_set(err, REF_ERR, "eje", "csv",
                             "fila %zu: eje «%s» no válido (de 1 a 9)", row, eje);
    const char *desde = campo(x, f, n, C_DESDE);
    if (*desde) {
        char *end;
        long y = strtol(desde, &end, 10);
        if (*end || y < 2000 || y > 2100 || (t->desde && t->desde != y))
            return pmm_error_set(err, REF_ERR, "desde", "csv",
                                 "fila %zu: «desde» debe ser el mismo año (2000 a 2100) en "
                                 "todas las filas, no «%s»", row, desde);
        t->desde = (int)y;
    }
    if (ref_taxonomia_subtema(t, cod))
        return pmm_error_set(err, REF_ERR, "subtema", "csv",
                             "fila %zu: el subtema «%s» está repetido", row, cod);
    if (agregar_eje(t, eje[0] - '0', campo(x, f, n, C_EJE_NOMBRE), err))
        return -1;
    ref_subtema *s = realloc(t->subtemas, (t->nsubtemas + 1) * sizeof *s);
    if (!s)
        return refdata_oom(err);
    t->subtemas = s;
    s = &t->subtemas[t->nsubtemas++];
    const char *origen = campo(x, f, n, C_ORIGEN);
    s->eje = eje[0] - '0';
    s->codigo = refdata_dup(cod);
    s->nombre = refdata_dup(campo(x, f, n, C_SUBTEMA_NOMBRE));
    s->origen = refdata_dup(*origen ? origen : cod);
    s->definicion = refdata_dup(campo(x, f, n, C_DEFINICION));
    if (!s->codigo || !s->nombre || !s->origen || !s->definicion)
        return refdata_oom(err);
    return 0;
}

static int cmp_nombre(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of the *.csv files of <dir>/taxonomias, sorted, without
 * ".csv", into *out (malloc'd, as each name). */
static int listar(const refdata *self, char ***out, size_t *n, pmm_error *err)
{
    strbuf path;
    strbuf_init(&path);
    strbuf_printf(&path, "%s/taxonomias", self->dir);
    DIR *d = strbuf_failed(&path) ? NULL : opendir(path.data);
    if (!d) {
        pmm_error_set(err, REF_ERR, "", "archivo",
                      "no se puede abrir el directorio %s", path.data ? path.data : "");
        strbuf_free(&path);
        return -1;
    }
    strbuf_free(&path);
    char **v = NULL;
    size_t cap = 0;
    *n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (e->d_name[0] == '.' || l < 5 || strcmp(e->d_name + l - 4, ".csv"))
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            char **nv = realloc(v, cap * sizeof *nv);
            if (!nv)
                break;
            v = nv;
        }
        if (!(v[*n] = strndup(e->d_name, l - 4)))
            break;
        (*n)++;
    }
    bool incompleto = e != NULL;
    closedir(d);
    if (incompleto) {
        for (size_t i = 0; i < *n; i++)
            free(v[i]);
        free(v);
        *n = 0;
        return refdata_oom(err);
    }
    if (*n > 1)
        qsort(v, *n, sizeof *v, cmp_nombre);
    *out = v;
    return 0;
}

int refdata_taxonomias_load(refdata *self, pmm_error *err)
{
    size_t n = 0;
    char **nombres = NULL;
    if (listar(self, &nombres, &n, err))
        return -1;
    int rc = 0;
    if (n == 0)
        rc = pmm_error_set(err, REF_ERR, "", "datos",
                           "no hay taxonomías en %s/taxonomias", self->dir);
    else if (!(self->tax = calloc(n, sizeof *self->tax)))
        rc = refdata_oom(err);
    for (size_t i = 0; i < n; i++) {
        if (rc == 0) {
            ref_taxonomia *t = &self->tax[self->ntax++];
            t->nombre = nombres[i];
            nombres[i] = NULL;
            char file[300];
            snprintf(file, sizeof file, "taxonomias/%s.csv", t->nombre);
            lector x = {.t = t};
            rc = refdata_leer(self, file, on_fila, &x, err);
            if (rc == 0 && t->nsubtemas == 0)
                rc = pmm_error_set(err, REF_ERR, "", "datos",
                                   "%s/%s: no tiene subtemas", self->dir, file);
        }
        free(nombres[i]);
    }
    free(nombres);
    return rc;
}

void refdata_taxonomias_free(refdata *self)
{
    for (size_t i = 0; i < self->ntax; i++) {
        ref_taxonomia *t = &self->tax[i];
        for (size_t k = 0; k < t->nejes; k++)
            free(t->ejes[k].nombre);
        free(t->ejes);
        for (size_t k = 0; k < t->nsubtemas; k++) {
            free(t->subtemas[k].codigo);
            free(t->subtemas[k].nombre);
            free(t->subtemas[k].origen);
            free(t->subtemas[k].definicion);
        }
        free(t->subtemas);
        free(t->nombre);
    }
    free(self->tax);
}

size_t refdata_taxonomia_count(const refdata *self)
{
    return self->ntax;
}

const ref_taxonomia *refdata_taxonomia_at(const refdata *self, size_t i)
{
    return i < self->ntax ? &self->tax[i] : NULL;
}

const ref_taxonomia *refdata_taxonomia(const refdata *self, const char *nombre)
{
    for (size_t i = 0; nombre && i < self->ntax; i++)
        if (!strcmp(self->tax[i].nombre, nombre))
            return &self->tax[i];
    return NULL;
}

const ref_taxonomia *refdata_taxonomia_ejercicio(const refdata *self, int ejercicio)
{
    const ref_taxonomia *best = NULL;
    for (size_t i = 0; i < self->ntax; i++) {
        const ref_taxonomia *t = &self->tax[i];
        if (t->desde && t->desde <= ejercicio && (!best || t->desde > best->desde))
            best = t;
    }
    return best;
}

const ref_taxonomia *refdata_taxonomia_pedir(const refdata *self,
                                             const char *nombre,
                                             const char *campo_,
                                             pmm_error *err)
{
    const ref_taxonomia *t = refdata_taxonomia(self, nombre);
    if (t)
        return t;
    strbuf hay;
    strbuf_init(&hay);
    for (size_t i = 0; i < self->ntax; i++)
        strbuf_printf(&hay, "%s%s", i == 0 ? "" : i + 1 == self->ntax ? " y " : ", ",
                      self->tax[i].nombre);
    pmm_error_set(err, 1, campo_, "desconocida",
                  "%s: no hay una taxonomía «%.60s»; las de %s/taxonomias son %s",
                  campo_, nombre ? nombre : "", self->dir, hay.data ? hay.data : "");
    strbuf_free(&hay);
    return NULL;
}

const ref_subtema *ref_taxonomia_subtema(const ref_taxonomia *t,
                                         const char *codigo)
{
    int i = ref_taxonomia_subtema_indice(t, codigo);
    return i >= 0 ? &t->subtemas[i] : NULL;
}

int ref_taxonomia_subtema_indice(const ref_taxonomia *t, const char *codigo)
{
    for (size_t i = 0; i < t->nsubtemas; i++)
        if (!strcmp(t->subtemas[i].codigo, codigo))
            return (int)i;
    return -1;
}

const char *ref_taxonomia_eje_nombre(const ref_taxonomia *t, int numero)
{
    for (size_t i = 0; i < t->nejes; i++)
        if (t->ejes[i].numero == numero)
            return t->ejes[i].nombre;
    return NULL;
}
