#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "muestra_int.h"
#include "utf8.h"

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

void muestra_slug(const char *s, char *out, size_t cap)
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

/* Whether a ficha reports results: drawn (about 7 % without figures), or
 * fixed by the published count of fichas with results (muestra_tabla). */
typedef enum { RES_AZAR, RES_CON, RES_SIN } modo_resultados;

static json_t *generar(muestra *self, int ejercicio, int objetivo, muestra_tamano tam,
                       modo_resultados modo)
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
    int sin_cifras = modo == RES_SIN ? 1
                     : modo == RES_CON ? 0 : rng_pct(&m->rng, PROB_SIN_CIFRAS);
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
    if (modo == RES_SIN) {
        /* no results in the period: only the reason */
        field_try(&res, pick(m, &m->res_sin_resultados), &v, MAX_PALABRAS, &tmp);
    } else if (sin_cifras) {
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
    if (grande && modo != RES_SIN)
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
        /* a ficha without results explains more of what held it back */
        long extra = modo == RES_SIN ? 60 : 0;
        field_fill(m, &retos, &m->retos_extra, &v,
                   (size_t)rng_range(&m->rng, 80 + extra, 120 + extra), MAX_PALABRAS, &tmp);
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
    muestra_slug(nombre, s1, sizeof s1);
    muestra_slug(ap1, s2, sizeof s2);
    if (estatal) {
        char e[48];
        muestra_slug(ent->nombre, e, sizeof e);
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
    m->ultima.subtema = p->subtema;
    m->ultima.con_resultados = !sin_cifras;
    m->ultima.sin_resultados = modo == RES_SIN;
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

json_t *muestra_ficha(muestra *self, int ejercicio, int objetivo, muestra_tamano tam)
{
    return generar(self, ejercicio, objetivo, tam, RES_AZAR);
}

const muestra_meta *muestra_ultima(const muestra *self)
{
    return &self->ultima;
}

static int emit(muestra *m, int ejercicio, int objetivo, muestra_tamano tam,
                modo_resultados modo, muestra_fn fn, void *user, pmm_error *err)
{
    json_t *f = generar(m, ejercicio, objetivo, tam, modo);
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
    for (int y = desde; y <= hasta; y++) {
        /* the year's fichas without results, when its count is published
         * (the whole year only: with one objective they are drawn) */
        int fila = y - self->tabla_desde, total = 0;
        for (int o = 1; o <= NOBJ; o++)
            total += self->tabla[fila][o];
        int con = objetivo ? -1 : self->con_resultados[fila];
        bool *sin = NULL;
        if (con >= 0 && total > 0) {
            size_t *orden = malloc((size_t)total * sizeof *orden);
            sin = calloc((size_t)total, sizeof *sin);
            if (!orden || !sin) {
                free(orden);
                free(sin);
                return pmm_error_set(err, 7, "", "memoria", "sin memoria");
            }
            for (int i = 0; i < total; i++)
                orden[i] = (size_t)i;
            for (int i = 0; i < total - con; i++) {   /* a partial shuffle */
                size_t j = (size_t)i + rng_below(&self->rng, (uint64_t)(total - i));
                size_t x = orden[i];
                orden[i] = orden[j];
                orden[j] = x;
                sin[orden[i]] = true;
            }
            free(orden);
        }
        int k = 0;
        for (int o = 1; o <= NOBJ; o++) {
            int n = muestra_tabla_conteo(self, y, o);
            for (int i = 0; i < n; i++, k++) {
                if (objetivo && o != objetivo)
                    continue;
                modo_resultados modo = !sin ? RES_AZAR : sin[k] ? RES_SIN : RES_CON;
                if (emit(self, y, o, tam, modo, fn, user, err) != 0) {
                    free(sin);
                    return -1;
                }
            }
        }
        free(sin);
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
        if (emit(self, y, o, tam, RES_AZAR, fn, user, err) != 0)
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
