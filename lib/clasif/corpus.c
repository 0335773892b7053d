#include "corpus.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

static char *dup_str(json_t *v)
{
    return json_is_string(v) ? strdup(json_string_value(v)) : NULL;
}

static void registro_liberar(corpus_registro *r)
{
    free(r->id);
    free(r->subtema);
    free(r->programa);
    free(r->texto);
    free(r->zona);
    free(r->dependencia);
    free(r->ambito);
}

int corpus_leer(const char *path, corpus *out, pmm_error *err)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "r");
    if (!f)
        return pmm_error_set(err, 7, "", "archivo", "no se puede abrir %s: %s",
                             path, strerror(errno));
    char *line = NULL;
    size_t cap = 0, lineno = 0, rcap = 0;
    ssize_t len;
    int rc = 0;
    while (rc == 0 && (len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        size_t i = 0;
        while (i < (size_t)len && (line[i] == ' ' || line[i] == '\t' ||
                                   line[i] == '\n' || line[i] == '\r'))
            i++;
        if (i == (size_t)len)
            continue;
        json_error_t je;
        json_t *o = json_loadb(line, (size_t)len, 0, &je);
        if (!o || !json_is_object(o)) {
            json_decref(o);
            rc = pmm_error_set(err, 1, "", "json",
                               "%s, línea %zu: JSON no válido (%s)", path,
                               lineno, o ? "no es un objeto" : je.text);
            break;
        }
        json_t *sub = json_object_get(o, "subtema");
        json_t *year = json_object_get(o, "year");
        json_t *texto = json_object_get(o, "texto");
        if (!json_is_string(sub) || !json_is_integer(year) ||
            !json_is_string(texto)) {
            json_decref(o);
            rc = pmm_error_set(err, 1,
                               !json_is_string(sub)    ? "subtema"
                               : !json_is_integer(year) ? "year"
                                                        : "texto",
                               "requerido",
                               "%s, línea %zu: faltan year, subtema o texto",
                               path, lineno);
            break;
        }
        if (out->n == rcap) {
            size_t ncap = rcap ? rcap * 2 : 256;
            corpus_registro *nr = realloc(out->r, ncap * sizeof *nr);
            if (!nr) {
                json_decref(o);
                rc = pmm_error_set(err, 7, "", "memoria", "sin memoria");
                break;
            }
            out->r = nr;
            rcap = ncap;
        }
        corpus_registro *r = &out->r[out->n++];
        memset(r, 0, sizeof *r);
        r->year = (int)json_integer_value(year);
        r->eje = (int)json_integer_value(json_object_get(o, "eje"));
        r->id = dup_str(json_object_get(o, "id"));
        r->subtema = dup_str(sub);
        r->programa = dup_str(json_object_get(o, "programa"));
        r->texto = dup_str(texto);
        r->zona = dup_str(json_object_get(o, "zona"));
        r->ambito = dup_str(json_object_get(o, "ambito"));
        json_t *act = json_object_get(o, "actores");
        if (json_is_array(act) && json_array_size(act) > 0)
            r->dependencia = dup_str(json_array_get(act, 0));
        json_t *scope = json_object_get(o, "ods_scope");
        r->ods_eje = json_is_string(scope) &&
                     !strcmp(json_string_value(scope), "eje");
        json_t *ods = json_object_get(o, "ods_grupo");
        size_t k;
        json_t *v;
        json_array_foreach(ods, k, v)
        {
            if (json_is_integer(v) && r->nods < 17)
                r->ods[r->nods++] = (int)json_integer_value(v);
        }
        json_decref(o);
        if (!r->subtema || !r->texto)
            rc = pmm_error_set(err, 7, "", "memoria", "sin memoria");
    }
    free(line);
    fclose(f);
    if (rc != 0)
        corpus_liberar(out);
    return rc;
}

void corpus_liberar(corpus *c)
{
    for (size_t i = 0; i < c->n; i++)
        registro_liberar(&c->r[i]);
    free(c->r);
    memset(c, 0, sizeof *c);
}

void corpus_ejemplo(const corpus_registro *r, clasif_ejemplo *ej)
{
    memset(ej, 0, sizeof *ej);
    ej->entrada.programa = r->programa;
    ej->entrada.resultados = r->texto;
    ej->entrada.zona = r->zona;
    ej->entrada.dependencia = r->dependencia;
    ej->entrada.ambito = r->ambito;
    ej->subtema = r->subtema;
    ej->ods = r->ods;
    ej->nods = r->nods;
    ej->grupo = r->year;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The programme's name as a key: its folded words of four letters or more,
 * sorted and without repeats, joined by spaces ("" when it has none). */
static char *nombre_clave(const char *programa)
{
    size_t n = programa ? strlen(programa) : 0;
    char *f = malloc(n * 2 + 1);
    if (!f)
        return NULL;
    size_t fl = utf8_fold(programa ? programa : "", n, f, n * 2 + 1);
    /* split in place into words of [a-z0-9] */
    char **w = malloc((fl / 2 + 1) * sizeof *w);
    if (!w) {
        free(f);
        return NULL;
    }
    size_t nw = 0;
    for (size_t i = 0; i < fl;) {
        while (i < fl && !((f[i] >= 'a' && f[i] <= 'z') || (f[i] >= '0' && f[i] <= '9')))
            f[i++] = '\0';
        size_t a = i;
        while (i < fl && ((f[i] >= 'a' && f[i] <= 'z') || (f[i] >= '0' && f[i] <= '9')))
            i++;
        if (i - a >= 4)
            w[nw++] = f + a;
        if (i < fl)
            f[i++] = '\0';
    }
    qsort(w, nw, sizeof *w, cmp_str);
    char *key = malloc(fl + 1);
    if (key) {
        size_t o = 0;
        for (size_t i = 0; i < nw; i++) {
            if (i && !strcmp(w[i], w[i - 1]))
                continue;
            size_t l = strlen(w[i]);
            if (o)
                key[o++] = ' ';
            memcpy(key + o, w[i], l);
            o += l;
        }
        key[o] = '\0';
    }
    free(w);
    free(f);
    return key;
}

static bool mismos_ods(const corpus_registro *a, const corpus_registro *b)
{
    if (a->nods != b->nods)
        return false;
    for (size_t i = 0; i < a->nods; i++) {
        bool found = false;
        for (size_t j = 0; j < b->nods && !found; j++)
            found = a->ods[i] == b->ods[j];
        if (!found)
            return false;
    }
    return true;
}

int corpus_medir_consistencia(const corpus *c, corpus_consistencia *out)
{
    memset(out, 0, sizeof *out);
    char **keys = calloc(c->n ? c->n : 1, sizeof *keys);
    if (!keys)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < c->n; i++)
        if (!(keys[i] = nombre_clave(c->r[i].programa)))
            rc = -1;
    /* a few hundred records: every pair is cheap enough */
    for (size_t i = 0; rc == 0 && i < c->n; i++) {
        if (!keys[i][0])
            continue;
        for (size_t j = i + 1; j < c->n; j++) {
            const corpus_registro *a = &c->r[i], *b = &c->r[j];
            if (a->year == b->year || strcmp(keys[i], keys[j]))
                continue;
            out->pares++;
            out->mismo_eje += a->eje == b->eje;
            out->mismo_subtema += !strcmp(a->subtema, b->subtema);
            out->mismos_ods += mismos_ods(a, b);
        }
    }
    for (size_t i = 0; i < c->n; i++)
        free(keys[i]);
    free(keys);
    return rc;
}
