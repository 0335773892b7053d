/* referencias.c -- the classifier's reference lists in its data
 * directory: taxonomias/<name>.csv, ods.csv, ods_metas.csv, retos.csv. */
#include "clasif_ref.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvfile.h"

/* -- taxonomies -- */

typedef struct {
    clasificador *c;
    tax_def *t;
    const char *file;
} tax_ctx;

static int on_tax(void *user, size_t row, char **f, size_t n, pmm_error *err)
{
    tax_ctx *x = user;
    if (row == 1 || (n > 0 && f[0][0] == '#'))
        return 0;
    if (n < 6 || !*f[0] || !*f[3])
        return pmm_error_set(err, 7, "subtema", "csv",
                             "%s, fila %zu: se esperan taxonomia,eje,eje_nombre,"
                             "subtema,subtema_nombre,origen", x->file, row);
    tax_def *t = x->t;
    if (!t->nombre[0])
        copy_str(t->nombre, sizeof t->nombre, f[0]);
    if (t->n == MAX_CLASES)
        return pmm_error_set(err, 7, "subtema", "csv",
                             "%s: más de %d subtemas", x->file, MAX_CLASES);
    int eje = atoi(f[1]);
    if (eje < 1 || eje > 9)
        return pmm_error_set(err, 7, "eje", "csv",
                             "%s, fila %zu: eje «%s» no válido", x->file, row,
                             f[1]);
    copy_str(t->codigo[t->n], CLASIF_COD, f[3]);
    copy_str(t->origen[t->n], CLASIF_COD, *f[5] ? f[5] : f[3]);
    t->eje[t->n] = eje;
    t->n++;
    return 0;
}

static int load_taxonomias(clasificador *c, pmm_error *err)
{
    char *dir = path_join(c->data_dir, "taxonomias");
    if (!dir)
        return pmm_error_set(err, 7, "", "memoria", "sin memoria");
    DIR *d = opendir(dir);
    if (!d) {
        pmm_error_set(err, 7, "", "archivo", "no se puede abrir %s: %s", dir,
                      strerror(errno));
        free(dir);
        return -1;
    }
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".csv"))
            continue;
        if (c->ntax == MAX_TAXONOMIAS)
            break;
        char *p = path_join(dir, e->d_name);
        if (!p) {
            rc = pmm_error_set(err, 7, "", "memoria", "sin memoria");
            break;
        }
        tax_def *t = &c->tax[c->ntax];
        memset(t, 0, sizeof *t);
        tax_ctx x = {c, t, p};
        rc = csvfile_read(p, on_tax, &x, err);
        if (rc == 0 && t->n > 0)
            c->ntax++;
        free(p);
    }
    closedir(d);
    free(dir);
    if (rc == 0 && c->ntax == 0)
        rc = pmm_error_set(err, 7, "", "archivo",
                           "no hay taxonomías en %s/taxonomias", c->data_dir);
    return rc;
}

const tax_def *clasif_ref_taxonomia(const clasificador *c, const char *nombre)
{
    if (!nombre)
        nombre = CLASIF_TAXONOMIA_DEF;
    for (size_t i = 0; i < c->ntax; i++)
        if (!strcmp(c->tax[i].nombre, nombre))
            return &c->tax[i];
    return NULL;
}

int clasif_ref_subtema(const tax_def *t, const char *code)
{
    for (size_t i = 0; i < t->n; i++)
        if (!strcmp(t->codigo[i], code))
            return (int)i;
    return -1;
}

/* -- SDGs, targets, challenges -- */

static int on_ods(void *user, size_t row, char **f, size_t n, pmm_error *err)
{
    clasificador *c = user;
    if (row == 1)
        return 0;
    int k = n >= 2 ? atoi(f[0]) : 0;
    if (k < 1 || k > NODS)
        return pmm_error_set(err, 7, "numero", "csv",
                             "ods.csv, fila %zu: número de ODS no válido", row);
    copy_str(c->ods_nombre[k], sizeof c->ods_nombre[k], f[1]);
    return 0;
}

static int on_meta(void *user, size_t row, char **f, size_t n, pmm_error *err)
{
    clasificador *c = user;
    if (row == 1)
        return 0;
    int k = n >= 3 ? atoi(f[0]) : 0;
    if (k < 1 || k > NODS || strlen(f[1]) >= CLASIF_META ||
        atoi(f[1]) != k)
        return pmm_error_set(err, 7, "meta", "csv",
                             "ods_metas.csv, fila %zu: se espera ods,meta,"
                             "predeterminada,nombre con la meta del mismo ODS",
                             row);
    meta_ref *m = realloc(c->metas, (c->nmetas + 1) * sizeof *m);
    if (!m)
        return pmm_error_set(err, 7, "", "memoria", "sin memoria");
    c->metas = m;
    m = &c->metas[c->nmetas++];
    copy_str(m->meta, sizeof m->meta, f[1]);
    m->ods = k;
    m->predeterminada = atoi(f[2]) == 1;
    return 0;
}

static int on_reto(void *user, size_t row, char **f, size_t n, pmm_error *err)
{
    clasificador *c = user;
    if (row == 1)
        return 0;
    if (n < 2 || !*f[0] || strlen(f[0]) >= CLASIF_COD)
        return pmm_error_set(err, 7, "codigo", "csv",
                             "retos.csv, fila %zu: código no válido", row);
    char (*r)[CLASIF_COD] = realloc(c->retos, (c->nretos + 1) * sizeof *r);
    if (!r)
        return pmm_error_set(err, 7, "", "memoria", "sin memoria");
    c->retos = r;
    copy_str(c->retos[c->nretos++], CLASIF_COD, f[0]);
    return 0;
}

const meta_ref *clasif_ref_meta(const clasificador *c, const char *meta)
{
    for (size_t i = 0; i < c->nmetas; i++)
        if (!strcmp(c->metas[i].meta, meta))
            return &c->metas[i];
    return NULL;
}

bool clasif_ref_reto(const clasificador *c, const char *code)
{
    for (size_t i = 0; i < c->nretos; i++)
        if (!strcmp(c->retos[i], code))
            return true;
    return false;
}

bool clasif_ref_en_taxonomias(const clasificador *c, const char *code)
{
    for (size_t i = 0; i < c->ntax; i++)
        if (clasif_ref_subtema(&c->tax[i], code) >= 0)
            return true;
    return false;
}


int clasif_ref_cargar(clasificador *c, pmm_error *err)
{
    char *p_ods = path_join(c->data_dir, "ods.csv");
    char *p_metas = path_join(c->data_dir, "ods_metas.csv");
    char *p_retos = path_join(c->data_dir, "retos.csv");
    int rc = 0;
    if (!p_ods || !p_metas || !p_retos)
        rc = pmm_error_set(err, 7, "", "memoria", "sin memoria");
    if (rc == 0)
        rc = load_taxonomias(c, err);
    if (rc == 0)
        rc = csvfile_read(p_ods, on_ods, c, err);
    if (rc == 0)
        rc = csvfile_read(p_metas, on_meta, c, err);
    if (rc == 0)
        rc = csvfile_read(p_retos, on_reto, c, err);
    free(p_ods);
    free(p_metas);
    free(p_retos);
    return rc;
}
