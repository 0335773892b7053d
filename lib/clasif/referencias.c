/* referencias.c -- the classifier's reference lists, taken from the
 * reference data (lib/ficha/refdata.h, the one owner of the reference CSVs
 * in the data directory): taxonomies, SDG names, SDG targets and challenge
 * categories, copied into the fixed-size tables classification reads. */
#include "clasif_ref.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refdata.h"

static int copiar_taxonomia(tax_def *t, const ref_taxonomia *r, pmm_error *err)
{
    memset(t, 0, sizeof *t);
    copy_str(t->nombre, sizeof t->nombre, r->nombre);
    t->desde = r->desde;
    if (r->nsubtemas > MAX_CLASES)
        return pmm_error_set(err, 7, "subtema", "csv", "taxonomias/%s.csv: más de %d subtemas",
                             r->nombre, MAX_CLASES);
    for (size_t k = 0; k < r->nsubtemas; k++) {
        const ref_subtema *s = &r->subtemas[k];
        if (strlen(s->codigo) >= CLASIF_COD || strlen(s->origen) >= CLASIF_COD)
            return pmm_error_set(err, 7, "subtema", "csv",
                                 "taxonomias/%s.csv: el código «%s» es demasiado largo",
                                 r->nombre, s->codigo);
        copy_str(t->codigo[k], CLASIF_COD, s->codigo);
        copy_str(t->origen[k], CLASIF_COD, s->origen);
        t->eje[k] = s->eje;
    }
    t->n = r->nsubtemas;
    return 0;
}

int clasif_ref_cargar(clasificador *c, pmm_error *err)
{
    c->rd = refdata_load(c->data_dir, err);
    if (!c->rd)
        return -1;
    const refdata *rd = c->rd;
    size_t nt = refdata_taxonomia_count(rd);
    for (size_t i = 0; i < nt && c->ntax < MAX_TAXONOMIAS; i++)
        if (copiar_taxonomia(&c->tax[c->ntax++], refdata_taxonomia_at(rd, i), err))
            return -1;
    for (int k = 1; k <= NODS; k++)
        copy_str(c->ods_nombre[k], sizeof c->ods_nombre[k], refdata_ods_nombre(rd, k));
    size_t nm = refdata_meta_count(rd);
    c->metas = calloc(nm + 1, sizeof *c->metas);
    size_t nr = refdata_reto_count(rd);
    c->retos = calloc(nr + 1, sizeof *c->retos);
    if (!c->metas || !c->retos)
        return pmm_error_set(err, 7, "", "memoria", "sin memoria");
    for (size_t i = 0; i < nm; i++) {
        const ref_meta *m = refdata_meta_at(rd, i);
        if (strlen(m->meta) >= CLASIF_META)
            return pmm_error_set(err, 7, "meta", "csv",
                                 "ods_metas.csv: la meta «%s» es demasiado larga", m->meta);
        copy_str(c->metas[c->nmetas].meta, CLASIF_META, m->meta);
        c->metas[c->nmetas].ods = m->ods;
        c->metas[c->nmetas++].predeterminada = m->predeterminada;
    }
    for (size_t i = 0; i < nr; i++) {
        const ref_reto *r = refdata_reto_at(rd, i);
        if (strlen(r->codigo) >= CLASIF_COD)
            return pmm_error_set(err, 7, "codigo", "csv",
                                 "retos.csv: el código «%s» es demasiado largo", r->codigo);
        copy_str(c->retos[c->nretos++], CLASIF_COD, r->codigo);
    }
    return 0;
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

const char *clasif_ref_taxonomia_ejercicio(const clasificador *c, int ejercicio)
{
    const ref_taxonomia *t = c->rd ? refdata_taxonomia_ejercicio(c->rd, ejercicio) : NULL;
    return t ? t->nombre : CLASIF_TAXONOMIA_DEF;
}

int clasif_ref_subtema(const tax_def *t, const char *code)
{
    for (size_t i = 0; i < t->n; i++)
        if (!strcmp(t->codigo[i], code))
            return (int)i;
    return -1;
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
