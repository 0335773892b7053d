#include "muestra.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csvfile.h"
#include "json_errores.h"
#include "refdata.h"
#include "utf8.h"

#define NOBJ 23
#define MAX_TABLA_ANIOS 32
#define MAX_PALABRAS 180
#define PROB_ESTATAL 27          /* percent of fichas from 2022 on */
#define PROB_SIN_CIFRAS 7        /* percent of fichas without figures */
#define ANIO_ESTATALES 2022

/* ---- random numbers: splitmix64 ---------------------------------------- */

static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform in [0, n), n > 0, without modulo bias. */
static uint64_t rng_below(uint64_t *s, uint64_t n)
{
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t r;
    do
        r = rng_next(s);
    while (r >= limit);
    return r % n;
}

static long long rng_range(uint64_t *s, long long lo, long long hi)
{
    if (hi <= lo)
        return lo;
    return lo + (long long)rng_below(s, (uint64_t)(hi - lo) + 1);
}

/* Percent chance. */
static int rng_pct(uint64_t *s, unsigned pct)
{
    return rng_below(s, 100) < pct;
}

/* A count in [lo, hi] leaning to the lower part of wide ranges: half of the
 * draws fall in the lowest eighth. Integer-only so output is portable. */
static long long rng_count(uint64_t *s, long long lo, long long hi)
{
    if (hi > lo && rng_pct(s, 50))
        hi = lo + (hi - lo) / 8;
    return rng_range(s, lo, hi);
}

/* ---- loaded data ------------------------------------------------------- */

typedef struct {
    const char **v;
    size_t n;
} strv;

typedef struct {
    int objetivo;
    char dep[32];             /* canonical acronym (refdata) */
    char dep_slug[32];        /* the same, lower-case ASCII, for claves */
    const char *unidad;
    const char *programa;
    int sector;               /* index into muestra.sectores, -1: federal only */
    const char *conteo[2];    /* singular, plural */
    long long acc[2];
    long long per[2];         /* {0, 0}: no count of people */
    strv zona, prop, res, retos;
    const char *pob;
    int temp;                 /* 0 either, 1 permanente, 2 temporal */
} plantilla;

typedef struct {
    const char *nombre;
    strv unidades;
} sector;

typedef struct {
    int code;
    char nombre[96];          /* official name (mail domain) */
    char texto[96];           /* as written in a sentence: "la Ciudad de México" */
} estado;

struct muestra {
    uint64_t rng;
    unsigned long seq;
    json_t *j_plantillas;     /* own every template string */
    json_t *j_comunes;        /* own every shared string */
    plantilla *pl;
    size_t npl;
    size_t *por_obj[NOBJ + 1];       /* template indices per objective */
    size_t nobj[NOBJ + 1];
    size_t *por_obj_est[NOBJ + 1];   /* those a state could run */
    size_t nobj_est[NOBJ + 1];
    sector *sectores;
    size_t nsect;
    strv zonas_est, prop_extra, pob_extra, res_total, res_sexo, res_sin_sexo,
        res_sexo_parcial, res_extra, res_sin_cifras, retos_extra,
        retos_pandemia, nom_m, nom_h, apellidos, cargo_m, cargo_h,
        zonas_minuscula;
    const json_t *zonas_texto;       /* zone -> its form inside a sentence */
    estado estados[32];
    size_t nestados;          /* states with participo_2022 = 1 */
    size_t next_estado;       /* states take turns, so every one reports */
    int tabla_desde;
    int tabla_n;
    int tabla[MAX_TABLA_ANIOS][NOBJ + 1];
    int anio_max;             /* current year + 1 */
};

static void strv_free(strv *v)
{
    free(v->v);
    v->v = NULL;
    v->n = 0;
}

static void slug(const char *s, char *out, size_t cap);

/* ---- loading ----------------------------------------------------------- */

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
        snprintf(p->dep, sizeof p->dep, "%s", d->sigla);
        slug(p->dep, p->dep_slug, sizeof p->dep_slug);
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

/* ---- text building ----------------------------------------------------- */

typedef struct {
    char *s;
    size_t len, cap;
    size_t words;
    int oom;
} texto;

static void texto_free(texto *t)
{
    free(t->s);
    memset(t, 0, sizeof *t);
}

static void texto_add(texto *t, const char *s, size_t n)
{
    /* the overflow check also keeps GCC -O3 from warning about a bound
     * it cannot exclude (-Wstringop-overflow in Release builds) */
    if (t->oom || n >= SIZE_MAX / 2 - t->len) {
        t->oom = 1;
        return;
    }
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 256;
        while (cap < t->len + n + 1)
            cap *= 2;
        char *p = realloc(t->s, cap);
        if (!p) {
            t->oom = 1;
            return;
        }
        t->s = p;
        t->cap = cap;
    }
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = '\0';
}

static void texto_cat(texto *t, const char *s)
{
    texto_add(t, s, strlen(s));
}

/* Values a sentence may refer to; NULL when not available. */
typedef struct {
    const char *n, *u, *p, *m, *h, *zona, *anio, *anio0, *entidad, *unidad;
} valores;

static const char *valor(const valores *v, const char *name, size_t len)
{
#define V(key)                                                   \
    if (len == sizeof #key - 1 && !memcmp(name, #key, len))     \
        return v->key;
    V(n) V(u) V(p) V(m) V(h) V(zona) V(anio) V(anio0) V(entidad) V(unidad)
#undef V
    return NULL;
}

/* Expands the placeholders of tpl into out (cleared first). Returns 0, or
 * -1 when some placeholder has no value (the sentence is then skipped). */
static int render(const char *tpl, const valores *v, texto *out)
{
    out->len = 0;
    out->oom = 0;
    texto_add(out, "", 0);
    const char *s = tpl;
    for (;;) {
        const char *b = strchr(s, '{');
        if (!b) {
            texto_cat(out, s);
            break;
        }
        const char *e = strchr(b, '}');
        if (!e) {
            texto_cat(out, s);
            break;
        }
        texto_add(out, s, (size_t)(b - s));
        const char *val = valor(v, b + 1, (size_t)(e - b - 1));
        if (!val)
            return -1;
        /* "de" + "el Estado de México" -> "del Estado de México" */
        if (!strncmp(val, "el ", 3) && out->len >= 3 &&
            !strcmp(out->s + out->len - 3, "de ") &&
            (out->len == 3 || out->s[out->len - 4] == ' ')) {
            out->len -= 1;
            out->s[out->len] = '\0';
            texto_cat(out, "l");
            val += 2;
        }
        texto_cat(out, val);
        s = e + 1;
    }
    return out->oom ? -1 : 0;
}

/* Appends a rendered sentence to field t when it keeps t within max words. */
static int field_try(texto *t, const char *tpl, const valores *v, size_t max,
                     texto *tmp)
{
    if (render(tpl, v, tmp) != 0)
        return 0;
    size_t w = utf8_count_words(tmp->s, tmp->len);
    if (t->words + w > max)
        return 0;
    if (t->len)
        texto_add(t, " ", 1);
    texto_add(t, tmp->s, tmp->len);
    t->words += w;
    return 1;
}

/* Adds sentences from pool, in a random order, until the field has at least
 * target words (never more than max). */
static void field_fill(muestra *m, texto *t, const strv *pool,
                       const valores *v, size_t target, size_t max,
                       texto *tmp)
{
    if (t->words >= target || pool->n == 0)
        return;
    size_t order[64];
    size_t n = pool->n < 64 ? pool->n : 64;
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)rng_below(&m->rng, i);
        size_t x = order[i - 1];
        order[i - 1] = order[j];
        order[j] = x;
    }
    for (size_t i = 0; i < n && t->words < target; i++)
        field_try(t, pool->v[order[i]], v, max, tmp);
}

static const char *pick(muestra *m, const strv *v)
{
    return v->v[rng_below(&m->rng, v->n)];
}

/* How zone z reads inside a sentence ("Frontera sur" -> "la frontera
 * sur", "Municipios de Oaxaca" -> "municipios de Oaxaca"), into out. */
static void zona_en_texto(const muestra *m, const char *z, texto *out)
{
    out->len = 0;
    texto_add(out, "", 0);
    const char *mapped = json_string_value(json_object_get(m->zonas_texto, z));
    if (mapped) {
        texto_cat(out, mapped);
        return;
    }
    texto_cat(out, z);
    size_t w = strcspn(z, " ");
    for (size_t i = 0; i < m->zonas_minuscula.n; i++)
        if (strlen(m->zonas_minuscula.v[i]) == w &&
            !strncmp(m->zonas_minuscula.v[i], z, w) && out->s &&
            out->s[0] >= 'A' && out->s[0] <= 'Z')
            out->s[0] = (char)(out->s[0] - 'A' + 'a');
}

/* 1234567 -> "1,234,567" (Mexican thousands separator). */
static void fmt_count(long long x, char *out, size_t cap)
{
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%lld", x);
    size_t w = 0;
    for (int i = 0; i < n && w + 2 < cap; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            out[w++] = ',';
        out[w++] = digits[i];
    }
    out[w] = '\0';
}

/* Lower-case ASCII slug of s (accents folded, other characters dropped). */
static void slug(const char *s, char *out, size_t cap)
{
    char folded[256];
    utf8_fold(s, strlen(s), folded, sizeof folded);
    size_t w = 0;
    for (const char *r = folded; *r && w + 1 < cap; r++)
        if ((*r >= 'a' && *r <= 'z') || (*r >= '0' && *r <= '9'))
            out[w++] = *r;
    out[w] = '\0';
}

/* ---- dates ------------------------------------------------------------- */

typedef struct {
    int y, mo, d;
} fecha;

static void fecha_fmt(fecha f, int parts, char *out, size_t cap)
{
    if (parts == 1)
        snprintf(out, cap, "%04d", f.y);
    else if (parts == 2)
        snprintf(out, cap, "%04d-%02d", f.y, f.mo);
    else
        snprintf(out, cap, "%04d-%02d-%02d", f.y, f.mo, f.d);
}

static fecha fecha_add_months(fecha f, int months)
{
    int idx = f.y * 12 + (f.mo - 1) + months;
    f.y = idx / 12;
    f.mo = idx % 12 + 1;
    return f;
}

/* ---- the ficha --------------------------------------------------------- */

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *int_or_null(long long x, int present)
{
    return present ? json_integer(x) : json_null();
}

json_t *muestra_ficha(muestra *self, int ejercicio, int objetivo,
                      muestra_tamano tam)
{
    muestra *m = self;
    if (!m || objetivo < 1 || objetivo > NOBJ ||
        ejercicio < MUESTRA_PRIMER_EJERCICIO || ejercicio > m->anio_max)
        return NULL;
    int grande = tam == MUESTRA_GRANDE;

    /* Who reports: a state from 2022 on (about a quarter), else federal. */
    int estatal = ejercicio >= ANIO_ESTATALES && m->nobj_est[objetivo] > 0 &&
                  rng_pct(&m->rng, PROB_ESTATAL);
    const plantilla *p;
    const estado *ent = NULL;
    if (estatal) {
        p = &m->pl[m->por_obj_est[objetivo]
                       [rng_below(&m->rng, m->nobj_est[objetivo])]];
        ent = &m->estados[m->next_estado++ % m->nestados];
    } else {
        p = &m->pl[m->por_obj[objetivo][rng_below(&m->rng, m->nobj[objetivo])]];
    }

    texto tmp = {0}, unidad = {0}, programa = {0}, zona = {0}, zona_txt = {0},
          obj = {0}, pob = {0}, res = {0}, retos = {0};
    json_t *f = NULL;
    valores v = {0};
    char anio[16], anio0[16], n_txt[32], p_txt[32], m_txt[32], h_txt[32];
    snprintf(anio, sizeof anio, "%d", ejercicio);
    snprintf(anio0, sizeof anio0, "%d", ejercicio - 1);
    v.anio = anio;
    v.anio0 = anio0;
    v.entidad = ent ? ent->texto : NULL;

    /* Unit, program name and zone. */
    if (estatal) {
        render(pick(m, &m->sectores[p->sector].unidades), &v, &tmp);
        texto_add(&unidad, tmp.s, tmp.len);
        texto_cat(&programa, p->programa);
        texto_cat(&programa, " en ");
        texto_cat(&programa, ent->texto);
        render(pick(m, &m->zonas_est), &v, &tmp);
        zona_en_texto(m, tmp.s ? tmp.s : "", &zona_txt);
        texto_add(&zona, tmp.s, tmp.len);
        if (zona.s && zona.s[0] >= 'a' && zona.s[0] <= 'z')
            zona.s[0] = (char)(zona.s[0] - 'a' + 'A');   /* "El Estado de ..." */
    } else {
        texto_cat(&unidad, p->unidad);
        texto_cat(&programa, p->programa);
        texto_cat(&zona, pick(m, &p->zona));
        zona_en_texto(m, zona.s ? zona.s : "", &zona_txt);
    }
    v.unidad = unidad.s;
    v.zona = zona_txt.s;

    /* Figures. */
    int sin_cifras = rng_pct(&m->rng, PROB_SIN_CIFRAS);
    long long acciones = 0, personas = 0, mujeres = 0, hombres = 0;
    int has_per = 0, has_sexo = 0;
    if (!sin_cifras) {
        acciones = rng_count(&m->rng, p->acc[0], p->acc[1]);
        if (p->per[1] > 0) {
            has_per = 1;
            if (p->per[0] == p->acc[0] && p->per[1] == p->acc[1])
                personas = acciones;
            else
                personas = rng_count(&m->rng, p->per[0], p->per[1]);
            /* Ranges where each action reaches at least one person. */
            if (p->per[0] >= p->acc[0] && personas < acciones)
                personas = acciones + rng_range(&m->rng, 0, acciones);
        }
        if (has_per && rng_pct(&m->rng, 65)) {
            has_sexo = 1;
            mujeres = personas * rng_range(&m->rng, 28, 68) / 100;
            long long resto = personas - mujeres;
            /* Sometimes part of the people have no recorded sex. */
            long long sin_dato =
                rng_pct(&m->rng, 25) ? resto * rng_range(&m->rng, 1, 8) / 100 : 0;
            hombres = resto - sin_dato;
        }
        fmt_count(acciones, n_txt, sizeof n_txt);
        v.n = n_txt;
        v.u = p->conteo[acciones == 1 ? 0 : 1];
        if (has_per) {
            fmt_count(personas, p_txt, sizeof p_txt);
            v.p = p_txt;
        }
        if (has_sexo) {
            fmt_count(mujeres, m_txt, sizeof m_txt);
            fmt_count(hombres, h_txt, sizeof h_txt);
            v.m = m_txt;
            v.h = h_txt;
        }
    }

    /* descripcion.objetivo */
    size_t t_obj = grande ? (size_t)rng_range(&m->rng, 115, 150) : 0;
    field_try(&obj, p->prop.v[0], &v, MAX_PALABRAS, &tmp);
    if (grande) {
        for (size_t i = 1; i < p->prop.n; i++)
            field_try(&obj, p->prop.v[i], &v, MAX_PALABRAS, &tmp);
        field_fill(m, &obj, &m->prop_extra, &v, t_obj, MAX_PALABRAS, &tmp);
    } else if (p->prop.n > 1 && rng_pct(&m->rng, 40)) {
        field_try(&obj, p->prop.v[1 + rng_below(&m->rng, p->prop.n - 1)], &v,
                  MAX_PALABRAS, &tmp);
    }

    /* descripcion.poblacion_objetivo */
    field_try(&pob, p->pob, &v, MAX_PALABRAS, &tmp);
    if (grande)
        field_fill(m, &pob, &m->pob_extra, &v,
                   (size_t)rng_range(&m->rng, 40, 70), MAX_PALABRAS, &tmp);

    /* resultados.texto */
    if (sin_cifras) {
        field_try(&res, pick(m, &m->res_sin_cifras), &v, MAX_PALABRAS, &tmp);
        for (size_t i = 0; i < p->res.n; i++)   /* qualitative ones only */
            if (grande || i == 1)
                field_try(&res, p->res.v[i], &v, MAX_PALABRAS, &tmp);
    } else {
        field_try(&res, p->res.v[0], &v, MAX_PALABRAS, &tmp);
        /* A total of people, unless the count already is one. */
        if (has_per && !strstr(p->res.v[0], "{p}") && personas != acciones)
            field_try(&res, pick(m, &m->res_total), &v, MAX_PALABRAS, &tmp);
        if (has_sexo)
            field_try(&res,
                      pick(m, hombres + mujeres < personas ? &m->res_sexo_parcial
                                                           : &m->res_sexo),
                      &v, MAX_PALABRAS, &tmp);
        if (has_sexo && hombres + mujeres < personas)
            field_try(&res, pick(m, &m->res_sexo), &v, MAX_PALABRAS, &tmp);
        if (has_per && !has_sexo && rng_pct(&m->rng, 50))
            field_try(&res, pick(m, &m->res_sin_sexo), &v, MAX_PALABRAS, &tmp);
        for (size_t i = 1; i < p->res.n; i++)
            if (grande || rng_pct(&m->rng, 50))
                field_try(&res, p->res.v[i], &v, MAX_PALABRAS, &tmp);
    }
    if (grande)
        field_fill(m, &res, &m->res_extra, &v,
                   (size_t)rng_range(&m->rng, 100, 140), MAX_PALABRAS, &tmp);

    /* retos */
    int pandemia = ejercicio == 2020 || ejercicio == 2021;
    if (grande) {
        for (size_t i = 0; i < p->retos.n; i++)
            field_try(&retos, p->retos.v[i], &v, MAX_PALABRAS, &tmp);
        if (pandemia)
            field_try(&retos, pick(m, &m->retos_pandemia), &v, MAX_PALABRAS,
                      &tmp);
        field_fill(m, &retos, &m->retos_extra, &v,
                   (size_t)rng_range(&m->rng, 80, 120), MAX_PALABRAS, &tmp);
    } else {
        field_try(&retos, pick(m, &p->retos), &v, MAX_PALABRAS, &tmp);
        if (pandemia && rng_pct(&m->rng, 40))
            field_try(&retos, pick(m, &m->retos_pandemia), &v, MAX_PALABRAS,
                      &tmp);
        else if (rng_pct(&m->rng, 30))
            field_try(&retos, pick(m, &m->retos_extra), &v, MAX_PALABRAS, &tmp);
    }

    /* Dates. Ejercicio Y covers June Y-1 to June Y. */
    int permanente = p->temp == 1 || (p->temp == 0 && rng_pct(&m->rng, 65));
    char inicio[24], fin[24];
    int parts;
    if (permanente) {
        fecha fi = {(int)rng_range(&m->rng, ejercicio - 14, ejercicio - 1),
                    (int)rng_range(&m->rng, 1, 12),
                    (int)rng_range(&m->rng, 1, 28)};
        parts = (int)rng_range(&m->rng, 1, 3);
        fecha_fmt(fi, parts, inicio, sizeof inicio);
    } else {
        fecha base = {ejercicio - 1, 6, 1};
        fecha fi = fecha_add_months(base, (int)rng_range(&m->rng, 0, 10));
        fi.d = (int)rng_range(&m->rng, 1, 28);
        fecha ff = fecha_add_months(fi, (int)rng_range(&m->rng, 1, 12));
        ff.d = (int)rng_range(&m->rng, 1, 28);
        parts = rng_pct(&m->rng, 70) ? 3 : 2;
        fecha_fmt(fi, parts, inicio, sizeof inicio);
        fecha_fmt(ff, parts, fin, sizeof fin);
    }

    /* Fictitious contact. */
    int mujer = rng_pct(&m->rng, 55);
    const char *nombre = pick(m, mujer ? &m->nom_m : &m->nom_h);
    const char *ap1 = pick(m, &m->apellidos);
    const char *ap2 = pick(m, &m->apellidos);
    char contacto_nombre[160], telefono[40], correo[160], s1[64], s2[64],
        dominio[64];
    snprintf(contacto_nombre, sizeof contacto_nombre, "%s %s %s", nombre, ap1,
             ap2);
    snprintf(telefono, sizeof telefono, "55 0000 %04d ext. %d",
             (int)rng_range(&m->rng, 0, 9999), (int)rng_range(&m->rng, 100, 9999));
    slug(nombre, s1, sizeof s1);
    slug(ap1, s2, sizeof s2);
    if (estatal) {
        char e[48];
        slug(ent->nombre, e, sizeof e);
        snprintf(dominio, sizeof dominio, "gob-%s.example", e);
    } else {
        snprintf(dominio, sizeof dominio, "%s.example", p->dep_slug);
    }
    snprintf(correo, sizeof correo, "%.1s.%s@%s", s1, s2, dominio);

    /* Clave: unique within this generator. */
    char clave[65], quien[40];
    if (estatal)
        snprintf(quien, sizeof quien, "e%02d", ent->code);
    else
        snprintf(quien, sizeof quien, "%s", p->dep_slug);
    m->seq++;
    snprintf(clave, sizeof clave, "%s-%d-o%02d-%06lu", quien, ejercicio,
             objetivo, m->seq);

    if (tmp.oom || unidad.oom || programa.oom || zona.oom || zona_txt.oom ||
        obj.oom ||
        pob.oom || res.oom || retos.oom)
        goto out;

    char ent_code[4];
    if (estatal)
        snprintf(ent_code, sizeof ent_code, "%02d", ent->code);
    f = json_object();
    json_t *desc = json_object();
    json_t *resu = json_object();
    json_t *cont = json_object();
    if (!f || !desc || !resu || !cont) {
        json_decref(desc);
        json_decref(resu);
        json_decref(cont);
        json_decref(f);
        f = NULL;
        goto out;
    }
    int rc = 0;
    rc |= json_object_set_new(f, "clave", json_string(clave));
    rc |= json_object_set_new(f, "ejercicio", json_integer(ejercicio));
    rc |= json_object_set_new(f, "ambito",
                              json_string(estatal ? "estatal" : "federal"));
    rc |= json_object_set_new(f, "dependencia",
                              str_or_null(estatal ? NULL : p->dep));
    rc |= json_object_set_new(f, "entidad", str_or_null(estatal ? ent_code : NULL));
    rc |= json_object_set_new(f, "unidad", json_string(unidad.s));
    rc |= json_object_set_new(f, "programa", json_string(programa.s));
    rc |= json_object_set_new(f, "objetivo_pmm", json_integer(objetivo));
    rc |= json_object_set_new(desc, "objetivo", json_string(obj.s));
    rc |= json_object_set_new(desc, "poblacion_objetivo", json_string(pob.s));
    rc |= json_object_set_new(desc, "inicio", json_string(inicio));
    rc |= json_object_set_new(desc, "temporalidad",
                              json_string(permanente ? "permanente" : "temporal"));
    rc |= json_object_set_new(desc, "fin", str_or_null(permanente ? NULL : fin));
    rc |= json_object_set_new(f, "descripcion", desc);
    rc |= json_object_set_new(resu, "acciones", int_or_null(acciones, !sin_cifras));
    rc |= json_object_set_new(resu, "personas", int_or_null(personas, has_per));
    rc |= json_object_set_new(resu, "mujeres", int_or_null(mujeres, has_sexo));
    rc |= json_object_set_new(resu, "hombres", int_or_null(hombres, has_sexo));
    rc |= json_object_set_new(resu, "zona", json_string(zona.s));
    rc |= json_object_set_new(resu, "texto", json_string(res.s));
    rc |= json_object_set_new(f, "resultados", resu);
    rc |= json_object_set_new(f, "retos", retos.len ? json_string(retos.s)
                                                    : json_null());
    rc |= json_object_set_new(cont, "nombre", json_string(contacto_nombre));
    rc |= json_object_set_new(cont, "cargo",
                              json_string(pick(m, mujer ? &m->cargo_m
                                                        : &m->cargo_h)));
    rc |= json_object_set_new(cont, "telefono", json_string(telefono));
    rc |= json_object_set_new(cont, "correo", json_string(correo));
    rc |= json_object_set_new(f, "contacto", cont);
    if (rc != 0) {
        json_decref(f);
        f = NULL;
    }
out:
    texto_free(&tmp);
    texto_free(&unidad);
    texto_free(&programa);
    texto_free(&zona);
    texto_free(&zona_txt);
    texto_free(&obj);
    texto_free(&pob);
    texto_free(&res);
    texto_free(&retos);
    return f;
}

/* ---- table and batches ------------------------------------------------- */

void muestra_tabla_rango(const muestra *self, int *desde, int *hasta)
{
    if (desde)
        *desde = self->tabla_desde;
    if (hasta)
        *hasta = self->tabla_desde + self->tabla_n - 1;
}

int muestra_tabla_conteo(const muestra *self, int ejercicio, int objetivo)
{
    int i = ejercicio - self->tabla_desde;
    if (i < 0 || i >= self->tabla_n || objetivo < 1 || objetivo > NOBJ)
        return -1;
    return self->tabla[i][objetivo];
}

static int emit(muestra *m, int ejercicio, int objetivo, muestra_tamano tam,
                muestra_fn fn, void *user, pmm_error *err)
{
    json_t *f = muestra_ficha(m, ejercicio, objetivo, tam);
    if (!f)
        return pmm_error_set(err, 7, "", "memoria",
                             "no se pudo generar la ficha (sin memoria)");
    int rc = fn(user, f, err);
    json_decref(f);
    return rc;
}

static int check_args(const muestra *m, int desde, int hasta, int objetivo,
                      pmm_error *err)
{
    if (desde < MUESTRA_PRIMER_EJERCICIO || hasta > m->anio_max || desde > hasta)
        return pmm_error_set(err, 1, "ejercicio", "rango",
                             "el ejercicio debe estar entre %d y %d, con el "
                             "inicio antes del fin",
                             MUESTRA_PRIMER_EJERCICIO, m->anio_max);
    if (objetivo < 0 || objetivo > NOBJ)
        return pmm_error_set(err, 1, "objetivo", "rango",
                             "el objetivo debe estar entre 1 y %d", NOBJ);
    return 0;
}

int muestra_tabla(muestra *self, int desde, int hasta, int objetivo,
                  muestra_tamano tam, muestra_fn fn, void *user,
                  pmm_error *err)
{
    if (check_args(self, desde, hasta, objetivo, err) != 0)
        return -1;
    int t0, t1;
    muestra_tabla_rango(self, &t0, &t1);
    if (desde < t0 || hasta > t1)
        return pmm_error_set(err, 1, "ejercicio", "tabla",
                             "la tabla publicada solo cubre %d-%d", t0, t1);
    for (int y = desde; y <= hasta; y++)
        for (int o = 1; o <= NOBJ; o++) {
            if (objetivo && o != objetivo)
                continue;
            int n = muestra_tabla_conteo(self, y, o);
            for (int i = 0; i < n; i++)
                if (emit(self, y, o, tam, fn, user, err) != 0)
                    return -1;
        }
    return 0;
}

int muestra_lote(muestra *self, int desde, int hasta, int objetivo, size_t n,
                 muestra_tamano tam, muestra_fn fn, void *user,
                 pmm_error *err)
{
    if (check_args(self, desde, hasta, objetivo, err) != 0)
        return -1;
    int nanios = hasta - desde + 1;
    for (size_t i = 0; i < n; i++) {
        int y = desde + (int)(i % (size_t)nanios);
        int o = objetivo;
        if (!o) {
            int row = y - self->tabla_desde;
            if (row < 0)
                row = 0;
            if (row >= self->tabla_n)
                row = self->tabla_n - 1;
            uint64_t total = 0;
            for (int k = 1; k <= NOBJ; k++)
                total += (uint64_t)self->tabla[row][k] + 1;
            uint64_t r = rng_below(&self->rng, total);
            for (o = 1; o < NOBJ; o++) {
                uint64_t w = (uint64_t)self->tabla[row][o] + 1;
                if (r < w)
                    break;
                r -= w;
            }
        }
        if (emit(self, y, o, tam, fn, user, err) != 0)
            return -1;
    }
    return 0;
}

size_t muestra_texto_bytes(const json_t *f)
{
    static const char *const top[] = {"unidad", "programa", "retos"};
    static const char *const desc[] = {"objetivo", "poblacion_objetivo"};
    static const char *const res[] = {"zona", "texto"};
    size_t total = 0;
    for (size_t i = 0; i < 3; i++)
        total += json_string_length(json_object_get(f, top[i]));
    const json_t *d = json_object_get(f, "descripcion");
    for (size_t i = 0; i < 2; i++)
        total += json_string_length(json_object_get(d, desc[i]));
    const json_t *r = json_object_get(f, "resultados");
    for (size_t i = 0; i < 2; i++)
        total += json_string_length(json_object_get(r, res[i]));
    return total;
}
