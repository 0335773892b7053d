/* muestra_carga.c -- the sample generator's data (muestra.h): templates,
 * shared sentences, states and the published tables, loaded and checked
 * once by muestra_new. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csvfile.h"
#include "json_errores.h"
#include "muestra_int.h"
#include "refdata.h"
#include "utf8.h"

void strv_free(strv *v)
{
    free(v->v);
    v->v = NULL;
    v->n = 0;
}

typedef struct {
    const char *file;
    size_t index;             /* 1-based template number, 0 for comunes */
    pmm_error *err;
} load_ctx;

static int load_fail(load_ctx *c, const char *campo, const char *what)
{
    if (c->index)
        return pmm_error_set(c->err, 7, campo, "datos",
                             "%s, plantilla %zu: %s «%s»", c->file, c->index,
                             what, campo);
    return pmm_error_set(c->err, 7, campo, "datos", "%s: %s «%s»", c->file,
                         what, campo);
}

static const char *get_str(load_ctx *c, const json_t *obj, const char *key,
                           int allow_empty, int *failed)
{
    const json_t *v = json_object_get(obj, key);
    if (!json_is_string(v) || (!allow_empty && !*json_string_value(v))) {
        load_fail(c, key, "falta el texto o no es una cadena:");
        *failed = 1;
        return NULL;
    }
    return json_string_value(v);
}

static int get_strv(load_ctx *c, const json_t *obj, const char *key, strv *out)
{
    const json_t *a = json_object_get(obj, key);
    if (!json_is_array(a) || json_array_size(a) == 0)
        return load_fail(c, key, "se espera una lista no vacía de textos en");
    out->v = calloc(json_array_size(a), sizeof *out->v);
    if (!out->v)
        return pmm_error_set(c->err, 7, "", "memoria", "sin memoria");
    out->n = 0;
    size_t i;
    const json_t *s;
    json_array_foreach(a, i, s) {
        if (!json_is_string(s) || !*json_string_value(s))
            return load_fail(c, key, "elemento vacío o que no es texto en");
        out->v[out->n++] = json_string_value(s);
    }
    return 0;
}

static int get_range(load_ctx *c, const json_t *obj, const char *key,
                     long long out[2])
{
    const json_t *a = json_object_get(obj, key);
    if (!json_is_array(a) || json_array_size(a) != 2 ||
        !json_is_integer(json_array_get(a, 0)) ||
        !json_is_integer(json_array_get(a, 1)))
        return load_fail(c, key, "se espera [mínimo, máximo] en");
    out[0] = json_integer_value(json_array_get(a, 0));
    out[1] = json_integer_value(json_array_get(a, 1));
    if (out[0] < 0 || out[1] < out[0])
        return load_fail(c, key, "intervalo inválido en");
    return 0;
}

/* Placeholders a template or shared sentence may use. */
static int placeholder_known(const char *name, size_t len)
{
    static const char *const known[] = {"n", "u", "p", "m", "h", "zona",
                                        "anio", "anio0", "entidad", "unidad"};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strlen(known[i]) == len && !memcmp(known[i], name, len))
            return 1;
    return 0;
}

static int check_placeholders(load_ctx *c, const char *key, const strv *v)
{
    for (size_t i = 0; i < v->n; i++) {
        const char *s = v->v[i];
        while ((s = strchr(s, '{')) != NULL) {
            const char *e = strchr(s, '}');
            if (!e || !placeholder_known(s + 1, (size_t)(e - s - 1)))
                return load_fail(c, key, "marcador desconocido o sin cerrar en");
            s = e + 1;
        }
    }
    return 0;
}

static int sector_index(const muestra *m, const char *name)
{
    for (size_t i = 0; i < m->nsect; i++)
        if (!strcmp(m->sectores[i].nombre, name))
            return (int)i;
    return -1;
}

static int load_json(const char *path, json_t **out, pmm_error *err)
{
    json_error_t jerr;
    *out = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!*out) {
        pmm_error e;
        json_errores_sintaxis(&jerr, 1, &e);
        return pmm_error_set(err, 7, "", "datos", "%s: %s", path, e.mensaje);
    }
    if (!json_is_object(*out))
        return pmm_error_set(err, 7, "", "datos", "%s: se espera un objeto",
                             path);
    return 0;
}

static int load_comunes(muestra *m, const char *path, pmm_error *err)
{
    if (load_json(path, &m->j_comunes, err) != 0)
        return -1;
    load_ctx c = {.file = path, .index = 0, .err = err};
    const json_t *root = m->j_comunes;

    const json_t *ue = json_object_get(root, "unidades_estatales");
    if (!json_is_object(ue) || json_object_size(ue) == 0)
        return load_fail(&c, "unidades_estatales", "se espera un objeto en");
    m->sectores = calloc(json_object_size(ue), sizeof *m->sectores);
    if (!m->sectores)
        return pmm_error_set(err, 7, "", "memoria", "sin memoria");
    const char *key;
    const json_t *val;
    json_object_foreach((json_t *)ue, key, val) {
        sector *s = &m->sectores[m->nsect++];
        s->nombre = key;
        if (get_strv(&c, ue, key, &s->unidades) != 0 ||
            check_placeholders(&c, key, &s->unidades) != 0)
            return -1;
    }
    (void)val;

    const json_t *rp = json_object_get(root, "res_personas");
    if (!json_is_object(rp))
        return load_fail(&c, "res_personas", "se espera un objeto en");
    struct {
        const json_t *obj;
        const char *key;
        strv *dst;
    } lists[] = {
        {root, "zonas_estatales", &m->zonas_est},
        {root, "prop_extra", &m->prop_extra},
        {root, "pob_extra", &m->pob_extra},
        {rp, "total", &m->res_total},
        {rp, "sexo", &m->res_sexo},
        {rp, "sin_sexo", &m->res_sin_sexo},
        {rp, "sexo_parcial", &m->res_sexo_parcial},
        {root, "res_extra", &m->res_extra},
        {root, "res_sin_cifras", &m->res_sin_cifras},
        {root, "res_sin_resultados", &m->res_sin_resultados},
        {root, "retos_extra", &m->retos_extra},
        {root, "retos_pandemia", &m->retos_pandemia},
        {root, "nombres_mujer", &m->nom_m},
        {root, "nombres_hombre", &m->nom_h},
        {root, "apellidos", &m->apellidos},
        {root, "cargos_mujer", &m->cargo_m},
        {root, "cargos_hombre", &m->cargo_h},
        {root, "zonas_minuscula", &m->zonas_minuscula},
    };
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
        if (get_strv(&c, lists[i].obj, lists[i].key, lists[i].dst) != 0 ||
            check_placeholders(&c, lists[i].key, lists[i].dst) != 0)
            return -1;
    m->zonas_texto = json_object_get(root, "zonas_texto");
    if (!json_is_object(m->zonas_texto))
        return load_fail(&c, "zonas_texto", "se espera un objeto en");
    json_object_foreach((json_t *)m->zonas_texto, key, val)
        if (!json_is_string(val) || !*json_string_value(val))
            return load_fail(&c, key, "se espera un texto no vacío en");
    return 0;
}

static int load_plantillas(muestra *m, const char *path, const refdata *ref,
                           pmm_error *err)
{
    if (load_json(path, &m->j_plantillas, err) != 0)
        return -1;
    load_ctx c = {.file = path, .index = 0, .err = err};
    const json_t *arr = json_object_get(m->j_plantillas, "plantillas");
    if (!json_is_array(arr) || json_array_size(arr) == 0)
        return load_fail(&c, "plantillas", "se espera una lista no vacía en");
    m->npl = json_array_size(arr);
    m->pl = calloc(m->npl, sizeof *m->pl);
    if (!m->pl)
        return pmm_error_set(err, 7, "", "memoria", "sin memoria");
    for (int o = 1; o <= NOBJ; o++) {
        m->por_obj[o] = calloc(m->npl, sizeof(size_t));
        m->por_obj_est[o] = calloc(m->npl, sizeof(size_t));
        if (!m->por_obj[o] || !m->por_obj_est[o])
            return pmm_error_set(err, 7, "", "memoria", "sin memoria");
    }
    for (size_t i = 0; i < m->npl; i++) {
        const json_t *t = json_array_get(arr, i);
        plantilla *p = &m->pl[i];
        c.index = i + 1;
        if (!json_is_object(t))
            return load_fail(&c, "plantillas", "se espera un objeto en");
        json_int_t o = json_integer_value(json_object_get(t, "o"));
        if (o < 1 || o > NOBJ)
            return load_fail(&c, "o", "objetivo fuera de 1-23 en");
        p->objetivo = (int)o;
        int failed = 0;
        const char *dep = get_str(&c, t, "dep", 0, &failed);
        p->unidad = get_str(&c, t, "unidad", 0, &failed);
        p->programa = get_str(&c, t, "programa", 0, &failed);
        p->subtema = get_str(&c, t, "subtema", 0, &failed);
        const char *sect = get_str(&c, t, "sector", 1, &failed);
        p->pob = get_str(&c, t, "pob", 0, &failed);
        const char *temp = get_str(&c, t, "temp", 1, &failed);
        if (failed)
            return -1;
        const ref_dependencia *d = refdata_dependencia(ref, dep, strlen(dep));
        if (!d)
            return load_fail(&c, "dep", "sigla que no está en dependencias.csv:");
        if (strcmp(d->tipo, "secretaria") && strcmp(d->tipo, "desconcentrado") &&
            strcmp(d->tipo, "autonomo"))
            return load_fail(&c, "dep",
                             "la dependencia no es secretaría, órgano "
                             "desconcentrado ni organismo autónomo:");
        if (strlen(d->sigla) >= sizeof p->dep)
            return load_fail(&c, "dep", "sigla demasiado larga:");
        const ref_taxonomia *tax = refdata_taxonomia(ref, "2018-2022");
        if (tax && !ref_taxonomia_subtema(tax, p->subtema))
            return load_fail(&c, "subtema",
                             "subtema que no está en la taxonomía 2018-2022:");
        snprintf(p->dep, sizeof p->dep, "%s", d->sigla);
        muestra_slug(p->dep, p->dep_slug, sizeof p->dep_slug);
        p->sector = -1;
        if (*sect && (p->sector = sector_index(m, sect)) < 0)
            return load_fail(&c, "sector", "sector sin unidades estatales en");
        if (!strcmp(temp, "permanente"))
            p->temp = 1;
        else if (!strcmp(temp, "temporal"))
            p->temp = 2;
        else if (*temp)
            return load_fail(&c, "temp", "se espera permanente, temporal o vacío en");
        strv conteo = {0};
        int rc = get_strv(&c, t, "conteo", &conteo);
        if (rc == 0 && conteo.n != 2)
            rc = load_fail(&c, "conteo", "se espera [singular, plural] en");
        if (rc == 0) {
            p->conteo[0] = conteo.v[0];
            p->conteo[1] = conteo.v[1];
        }
        strv_free(&conteo);
        if (rc != 0 || get_range(&c, t, "acc", p->acc) != 0 ||
            get_range(&c, t, "per", p->per) != 0 ||
            get_strv(&c, t, "zona", &p->zona) != 0 ||
            get_strv(&c, t, "prop", &p->prop) != 0 ||
            get_strv(&c, t, "res", &p->res) != 0 ||
            get_strv(&c, t, "retos", &p->retos) != 0 ||
            check_placeholders(&c, "prop", &p->prop) != 0 ||
            check_placeholders(&c, "res", &p->res) != 0 ||
            check_placeholders(&c, "retos", &p->retos) != 0)
            return -1;
        if (p->acc[0] < 1)
            return load_fail(&c, "acc", "el mínimo de acciones debe ser 1 o más en");
        m->por_obj[o][m->nobj[o]++] = i;
        if (p->sector >= 0)
            m->por_obj_est[o][m->nobj_est[o]++] = i;
    }
    c.index = 0;
    for (int o = 1; o <= NOBJ; o++)
        if (m->nobj[o] == 0) {
            char campo[8];
            snprintf(campo, sizeof campo, "o%d", o);
            return load_fail(&c, campo, "no hay plantillas para el objetivo");
        }
    return 0;
}

static int on_estado(void *user, size_t row, char **f, size_t n,
                     pmm_error *err)
{
    muestra *m = user;
    if (row == 1) {
        if (n < 4 || strcmp(f[0], "clave") || strcmp(f[2], "participo_2022") ||
            strcmp(f[3], "nombre_texto"))
            return pmm_error_set(err, 7, "", "csv",
                                 "se espera el encabezado clave,nombre,"
                                 "participo_2022,nombre_texto");
        return 0;
    }
    int code = n >= 4 ? atoi(f[0]) : 0;
    if (code < 1 || code > 32 || strlen(f[0]) != 2 || !*f[1] || !*f[3] ||
        (strcmp(f[2], "0") && strcmp(f[2], "1")))
        return pmm_error_set(err, 7, "clave", "csv",
                             "fila %zu: clave INEGI, nombre o marca inválidos",
                             row);
    if (f[2][0] == '1') {
        if (m->nestados == 32)
            return pmm_error_set(err, 7, "clave", "csv",
                                 "fila %zu: demasiadas entidades", row);
        estado *e = &m->estados[m->nestados++];
        e->code = code;
        snprintf(e->nombre, sizeof e->nombre, "%s", f[1]);
        snprintf(e->texto, sizeof e->texto, "%s", f[3]);
    }
    return 0;
}

typedef struct {
    muestra *m;
    int col_obj[NOBJ + 1];    /* column of o1..o23 */
    int col_year;
    int col_total;            /* tabla_ods.csv: total_acciones */
} tabla_ctx;

static int on_tabla(void *user, size_t row, char **f, size_t n,
                    pmm_error *err)
{
    tabla_ctx *t = user;
    muestra *m = t->m;
    if (row == 1) {
        t->col_year = -1;
        for (size_t i = 0; i < n; i++) {
            if (!strcmp(f[i], "year"))
                t->col_year = (int)i;
            else if (f[i][0] == 'o') {
                int o = atoi(f[i] + 1);
                if (o >= 1 && o <= NOBJ)
                    t->col_obj[o] = (int)i;
            }
        }
        if (t->col_year < 0)
            return pmm_error_set(err, 7, "year", "csv", "falta la columna year");
        for (int o = 1; o <= NOBJ; o++)
            if (t->col_obj[o] <= 0)
                return pmm_error_set(err, 7, "", "csv",
                                     "falta la columna o%d", o);
        return 0;
    }
    int year = atoi(f[t->col_year]);
    if (m->tabla_n == 0)
        m->tabla_desde = year;
    if (year != m->tabla_desde + m->tabla_n || m->tabla_n == MAX_TABLA_ANIOS)
        return pmm_error_set(err, 7, "year", "csv",
                             "fila %zu: los años deben ser consecutivos", row);
    for (int o = 1; o <= NOBJ; o++) {
        if ((size_t)t->col_obj[o] >= n)
            return pmm_error_set(err, 7, "", "csv", "fila %zu: faltan columnas",
                                 row);
        char *end;
        long v = strtol(f[t->col_obj[o]], &end, 10);
        if (end == f[t->col_obj[o]] || *end || v < 0 || v > 100000)
            return pmm_error_set(err, 7, "", "csv",
                                 "fila %zu: conteo inválido en o%d", row, o);
        m->tabla[m->tabla_n][o] = (int)v;
    }
    m->tabla_n++;
    return 0;
}

/* data/tabla_ods.csv: year,ods1..ods17,total_acciones. Only the years of
 * tabla_pmm.csv and the count of fichas with results are kept. */
static int on_tabla_ods(void *user, size_t row, char **f, size_t n, pmm_error *err)
{
    tabla_ctx *t = user;
    muestra *m = t->m;
    if (row == 1) {
        t->col_year = t->col_total = -1;
        for (size_t i = 0; i < n; i++) {
            if (!strcmp(f[i], "year"))
                t->col_year = (int)i;
            else if (!strcmp(f[i], "total_acciones"))
                t->col_total = (int)i;
        }
        if (t->col_year < 0 || t->col_total < 0)
            return pmm_error_set(err, 7, "", "csv",
                                 "faltan las columnas year y total_acciones");
        return 0;
    }
    if ((size_t)t->col_year >= n || (size_t)t->col_total >= n)
        return pmm_error_set(err, 7, "", "csv", "fila %zu: faltan columnas", row);
    int i = atoi(f[t->col_year]) - m->tabla_desde;
    char *end;
    long v = strtol(f[t->col_total], &end, 10);
    if (end == f[t->col_total] || *end || v < 0)
        return pmm_error_set(err, 7, "total_acciones", "csv",
                             "fila %zu: conteo inválido en total_acciones", row);
    if (i < 0 || i >= m->tabla_n)
        return 0;
    int total = 0;
    for (int o = 1; o <= NOBJ; o++)
        total += m->tabla[i][o];
    if (v > total)
        return pmm_error_set(err, 7, "total_acciones", "csv",
                             "fila %zu: %ld acciones con resultados y solo %d acciones en "
                             "tabla_pmm.csv", row, v, total);
    m->con_resultados[i] = (int)v;
    return 0;
}

muestra *muestra_new(const char *data_dir, uint64_t seed, pmm_error *err)
{
    muestra *m = calloc(1, sizeof *m);
    if (!m) {
        pmm_error_set(err, 7, "", "memoria", "sin memoria");
        return NULL;
    }
    m->rng = seed;
    time_t now = time(NULL);
    struct tm tm;
    m->anio_max = gmtime_r(&now, &tm) ? tm.tm_year + 1900 + 1 : 2100;

    refdata *ref = refdata_load(data_dir, err);
    char path[4096];
    if (!ref)
        goto fail;
    snprintf(path, sizeof path, "%s/muestra/comunes.json", data_dir);
    if (load_comunes(m, path, err) != 0)
        goto fail;
    snprintf(path, sizeof path, "%s/muestra/plantillas.json", data_dir);
    if (load_plantillas(m, path, ref, err) != 0)
        goto fail;
    snprintf(path, sizeof path, "%s/muestra/entidades.csv", data_dir);
    if (csvfile_read(path, on_estado, m, err) != 0)
        goto fail;
    if (m->nestados == 0) {
        pmm_error_set(err, 7, "participo_2022", "datos",
                      "%s: ninguna entidad con participo_2022 = 1", path);
        goto fail;
    }
    snprintf(path, sizeof path, "%s/tabla_pmm.csv", data_dir);
    tabla_ctx tc = {.m = m};
    if (csvfile_read(path, on_tabla, &tc, err) != 0)
        goto fail;
    if (m->tabla_n == 0) {
        pmm_error_set(err, 7, "", "datos", "%s: la tabla está vacía", path);
        goto fail;
    }
    for (int i = 0; i < MAX_TABLA_ANIOS; i++)
        m->con_resultados[i] = -1;
    snprintf(path, sizeof path, "%s/tabla_ods.csv", data_dir);
    if (csvfile_read(path, on_tabla_ods, &tc, err) != 0)
        goto fail;
    refdata_destroy(&ref);
    return m;
fail:
    refdata_destroy(&ref);
    muestra_destroy(&m);
    return NULL;
}

void muestra_destroy(muestra **self_p)
{
    if (!self_p || !*self_p)
        return;
    muestra *m = *self_p;
    for (size_t i = 0; i < m->npl; i++) {
        strv_free(&m->pl[i].zona);
        strv_free(&m->pl[i].prop);
        strv_free(&m->pl[i].res);
        strv_free(&m->pl[i].retos);
    }
    free(m->pl);
    for (int o = 0; o <= NOBJ; o++) {
        free(m->por_obj[o]);
        free(m->por_obj_est[o]);
    }
    for (size_t i = 0; i < m->nsect; i++)
        strv_free(&m->sectores[i].unidades);
    free(m->sectores);
    strv *lists[] = {&m->zonas_est, &m->prop_extra, &m->pob_extra,
                     &m->res_total, &m->res_sexo, &m->res_sin_sexo,
                     &m->res_sexo_parcial, &m->res_extra, &m->res_sin_cifras,
                     &m->res_sin_resultados,
                     &m->retos_extra, &m->retos_pandemia, &m->nom_m, &m->nom_h,
                     &m->apellidos, &m->cargo_m, &m->cargo_h,
                     &m->zonas_minuscula};
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
        strv_free(lists[i]);
    json_decref(m->j_plantillas);
    json_decref(m->j_comunes);
    free(m);
    *self_p = NULL;
}