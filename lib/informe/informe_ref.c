/* informe_ref.c -- the names the documents print (informe_ref.h). */
#include "informe_ref.h"

#include <stdlib.h>
#include <string.h>

#define ERR_INTERNO 7   /* Pmm__ErrorCode ERR_INTERNAL */

struct informe_ref {
    const refdata *rd;
    const ref_subtema **subs;        /* the union, in order */
    const ref_taxonomia **sub_tax;   /* the taxonomy of each */
    size_t nsubs;
    const char *zona;                /* time zone of the dates, not owned */
};

void informe_ref_zona(informe_ref *r, const char *zona)
{
    r->zona = zona;
}

const char *informe_ref_zona_de(const informe_ref *r)
{
    return r->zona;
}

static int agregar(informe_ref *r, const ref_taxonomia *t, pmm_error *err)
{
    size_t n = r->nsubs + t->nsubtemas;
    const ref_subtema **s = realloc(r->subs, (n ? n : 1) * sizeof *s);
    if (s)
        r->subs = s;
    const ref_taxonomia **st = realloc(r->sub_tax, (n ? n : 1) * sizeof *st);
    if (st)
        r->sub_tax = st;
    if (!s || !st)
        return pmm_error_set(err, ERR_INTERNO, "", "memoria", "sin memoria");
    for (size_t i = 0; i < t->nsubtemas; i++) {
        if (informe_ref_subtema(r, t->subtemas[i].codigo))
            continue;   /* the first taxonomy listed names it */
        r->subs[r->nsubs] = &t->subtemas[i];
        r->sub_tax[r->nsubs++] = t;
    }
    return 0;
}

informe_ref *informe_ref_new(const refdata *rd, const char *taxonomias,
                             pmm_error *err)
{
    informe_ref *r = calloc(1, sizeof *r);
    if (!r) {
        pmm_error_set(err, ERR_INTERNO, "", "memoria", "sin memoria");
        return NULL;
    }
    r->rd = rd;
    const char *list = taxonomias && *taxonomias ? taxonomias : "2018-2022";
    while (*list) {
        while (*list == ' ' || *list == ',')
            list++;
        size_t len = strcspn(list, ",");
        while (len && list[len - 1] == ' ')
            len--;
        if (!len)
            break;
        char nombre[101];
        if (len >= sizeof nombre) {
            pmm_error_set(err, ERR_INTERNO, "taxonomia", "nombre",
                          "nombre de taxonomía demasiado largo");
            goto fail;
        }
        memcpy(nombre, list, len);
        nombre[len] = '\0';
        const ref_taxonomia *t = refdata_taxonomia_pedir(rd, nombre, "taxonomia", err);
        if (!t || agregar(r, t, err))
            goto fail;
        list += len;
    }
    return r;
fail:
    informe_ref_destroy(&r);
    return NULL;
}

void informe_ref_destroy(informe_ref **self_p)
{
    informe_ref *r = *self_p;
    if (!r)
        return;
    free(r->subs);
    free(r->sub_tax);
    free(r);
    *self_p = NULL;
}

size_t informe_ref_subtemas(const informe_ref *r)
{
    return r->nsubs;
}

const ref_subtema *informe_ref_subtema_at(const informe_ref *r, size_t i)
{
    return i < r->nsubs ? r->subs[i] : NULL;
}

int informe_ref_subtema_orden(const informe_ref *r, const char *codigo)
{
    for (size_t i = 0; i < r->nsubs; i++)
        if (!strcmp(r->subs[i]->codigo, codigo))
            return (int)i;
    return -1;
}

const ref_subtema *informe_ref_subtema(const informe_ref *r, const char *codigo)
{
    int i = informe_ref_subtema_orden(r, codigo);
    return i >= 0 ? r->subs[i] : NULL;
}

const char *informe_ref_eje(const informe_ref *r, int eje)
{
    for (size_t i = 0; i < r->nsubs; i++)
        if (r->subs[i]->eje == eje)
            return ref_taxonomia_eje_nombre(r->sub_tax[i], eje);
    return NULL;
}

const char *informe_ref_ods(const informe_ref *r, int k)
{
    const char *t = refdata_ods_nombre(r->rd, k);
    return t ? t : "";
}

const char *informe_ref_objetivo(const informe_ref *r, int k)
{
    const char *t = refdata_objetivo_titulo(r->rd, k);
    return t ? t : "";
}

const char *informe_ref_entidad(const informe_ref *r, int k)
{
    const char *t = refdata_entidad_nombre(r->rd, k);
    return t ? t : "";
}

const char *informe_ref_dependencia(const informe_ref *r, const char *sigla)
{
    const ref_dependencia *d = refdata_dependencia(r->rd, sigla, strlen(sigla));
    return d ? d->nombre : NULL;
}

const char *informe_ref_meta(const informe_ref *r, const char *meta)
{
    const ref_meta *m = refdata_meta(r->rd, meta);
    return m ? m->nombre : NULL;
}

const char *informe_ref_reto(const informe_ref *r, const char *codigo)
{
    const ref_reto *x = refdata_reto(r->rd, codigo);
    return x ? x->nombre : NULL;
}

const char *informe_ref_reto_definicion(const informe_ref *r, const char *codigo)
{
    const ref_reto *x = refdata_reto(r->rd, codigo);
    return x && x->definicion && *x->definicion ? x->definicion : NULL;
}

size_t informe_ref_retos(const informe_ref *r)
{
    return refdata_reto_count(r->rd);
}

const char *informe_ref_reto_codigo(const informe_ref *r, size_t i)
{
    const ref_reto *x = refdata_reto_at(r->rd, i);
    return x ? x->codigo : NULL;
}

int informe_ref_reto_orden(const informe_ref *r, const char *codigo)
{
    return refdata_reto_indice(r->rd, codigo);
}

void informe_ref_gobierno(const informe_ref *r, int k, strbuf *b)
{
    if (k == 9)
        strbuf_puts(b, "Gobierno de la Ciudad de México");
    else
        strbuf_printf(b, "Gobierno del Estado de %s", informe_ref_entidad(r, k));
}
