/* consulta.c -- shared by pmm totales, ranking and participacion. */
#include "consulta.h"


#include <ctype.h>
#include <getopt.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "conf.h"
#include "csvfile.h"
#include "db.h"
#include "utf8.h"

#define ERR_USO 1        /* Pmm__ErrorCode ERR_INVALID */
#define ERR_INTERNO 7    /* Pmm__ErrorCode ERR_INTERNAL */

/* ---- parsing ----------------------------------------------------------- */

/* A year of 4 digits in s[0..n), or -1. */
static int parse_anio(const char *s, size_t n)
{
    if (n != 4)
        return -1;
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int consulta_rango_parse(const char *opcion, const char *text,
                         consulta_rango *out, pmm_error *err)
{
    if (!text || !*text)
        return pmm_error_set(err, ERR_USO, opcion, "requerido",
                             "%s es obligatoria: un año (p. ej. 2022) o un "
                             "rango (p. ej. 2018-2022)", opcion);
    const char *dash = strchr(text, '-');
    size_t n1 = dash ? (size_t)(dash - text) : strlen(text);
    int a = parse_anio(text, n1);
    int b = dash ? parse_anio(dash + 1, strlen(dash + 1)) : a;
    if (a < 0 || b < 0)
        return pmm_error_set(err, ERR_USO, opcion, "formato",
                             "%s: «%.40s» no es un año de cuatro cifras (p. ej. "
                             "2022) ni un rango de años (p. ej. 2018-2022)",
                             opcion, text);
    int malo = a < CONSULTA_ANIO_MIN || a > CONSULTA_ANIO_MAX ? a
             : b < CONSULTA_ANIO_MIN || b > CONSULTA_ANIO_MAX ? b : 0;
    if (malo)
        return pmm_error_set(err, ERR_USO, opcion, "rango",
                             "%s: el año %d está fuera de rango; los ejercicios "
                             "van de %d a %d", opcion, malo, CONSULTA_ANIO_MIN,
                             CONSULTA_ANIO_MAX);
    if (a > b)
        return pmm_error_set(err, ERR_USO, opcion, "orden",
                             "%s: en el rango «%.40s» el primer año debe ser "
                             "menor o igual que el segundo", opcion, text);
    out->desde = a;
    out->hasta = b;
    return 0;
}

size_t consulta_rango_anios(const consulta_rango *r)
{
    return (size_t)(r->hasta - r->desde + 1);
}

const char *consulta_rango_texto(const consulta_rango *r, char *buf, size_t cap)
{
    if (r->desde == r->hasta)
        snprintf(buf, cap, "%d", r->desde);
    else
        snprintf(buf, cap, "%d-%d", r->desde, r->hasta);
    return buf;
}

int consulta_formato_parse(const char *text, consulta_formato *out,
                           pmm_error *err)
{
    if (!strcmp(text, "tabla"))
        *out = CONSULTA_TABLA;
    else if (!strcmp(text, "csv"))
        *out = CONSULTA_CSV;
    else if (!strcmp(text, "json"))
        *out = CONSULTA_JSON;
    else
        return pmm_error_set(err, ERR_USO, "--formato", "valor",
                             "--formato: «%.40s» no es un formato; use tabla, "
                             "csv o json", text);
    return 0;
}

static const struct {
    const char *clave;
    const char *titulo;
} dims[] = {
    [DIM_OBJETIVO] = {"objetivo", "Objetivo"},
    [DIM_EJE] = {"eje", "Eje"},
    [DIM_SUBTEMA] = {"subtema", "Subtema"},
    [DIM_ODS] = {"ods", "ODS"},
    [DIM_DEPENDENCIA] = {"dependencia", "Dependencia"},
    [DIM_ENTIDAD] = {"entidad", "Entidad"},
    [DIM_AMBITO] = {"ambito", "Ámbito"},
    [DIM_EMISOR] = {"emisor", "Emisor"},
    [DIM_ODS_TOTAL] = {"ods_total", "Fichas con ODS"},
};

int consulta_dim_parse(const char *text, consulta_dim *out, pmm_error *err)
{
    for (int d = DIM_OBJETIVO; d <= DIM_AMBITO; d++)
        if (!strcmp(text, dims[d].clave)) {
            *out = (consulta_dim)d;
            return 0;
        }
    return pmm_error_set(err, ERR_USO, "--por", "valor",
                         "--por: «%.40s» no es una dimensión; use objetivo, eje, "
                         "subtema, ods, dependencia, entidad o ambito", text);
}

const char *consulta_dim_clave(consulta_dim d)
{
    return dims[d].clave;
}

const char *consulta_dim_titulo(consulta_dim d)
{
    return dims[d].titulo;
}

int consulta_n_parse(const char *text, size_t *out, pmm_error *err)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || end == text || *end || v < 1 || v > REF_OBJETIVOS)
        return pmm_error_set(err, ERR_USO, "--n", "rango",
                             "--n: «%.40s» no es válido; debe ser un número de "
                             "objetivos entre 1 y %d", text, REF_OBJETIVOS);
    *out = (size_t)v;
    return 0;
}

/* ---- reference data ---------------------------------------------------- */

typedef struct {
    char *codigo;
    char *nombre;
} par;

struct consulta_ref {
    refdata *ref;
    char taxonomia[64];
    char *ods[CONSULTA_ODS + 1];
    par *ejes;          /* code "1".."9" and axis name, taxonomy order */
    size_t nejes;
    par *subtemas;      /* taxonomy order */
    size_t nsubtemas;
    /* column positions while reading the taxonomy */
    int c_eje, c_eje_nombre, c_subtema, c_subtema_nombre;
};

static int nomem(pmm_error *err)
{
    return pmm_error_set(err, ERR_INTERNO, "", "memoria", "sin memoria");
}

static int on_ods(void *user, size_t row, char **f, size_t n, pmm_error *err)
{
    consulta_ref *self = user;
    if (row == 1)
        return 0;
    int num = n >= 2 ? atoi(f[0]) : 0;
    if (num < 1 || num > CONSULTA_ODS || self->ods[num])
        return pmm_error_set(err, ERR_INTERNO, "numero", "csv",
                             "ods.csv, fila %zu: ODS inválido o repetido", row);
    self->ods[num] = strdup(f[1]);
    return self->ods[num] ? 0 : nomem(err);
}

static int add_par(par **v, size_t *n, const char *codigo, const char *nombre)
{
    par *p = realloc(*v, (*n + 1) * sizeof *p);
    if (!p)
        return -1;
    *v = p;
    p[*n].codigo = strdup(codigo);
    p[*n].nombre = strdup(nombre);
    (*n)++;
    return p[*n - 1].codigo && p[*n - 1].nombre ? 0 : -1;
}

static int on_tax(void *user, size_t row, char **f, size_t n, pmm_error *err)
{
    consulta_ref *self = user;
    if (row == 1) {
        self->c_eje = self->c_eje_nombre = self->c_subtema =
            self->c_subtema_nombre = -1;
        for (size_t i = 0; i < n; i++) {
            if (!strcmp(f[i], "eje"))
                self->c_eje = (int)i;
            else if (!strcmp(f[i], "eje_nombre"))
                self->c_eje_nombre = (int)i;
            else if (!strcmp(f[i], "subtema"))
                self->c_subtema = (int)i;
            else if (!strcmp(f[i], "subtema_nombre"))
                self->c_subtema_nombre = (int)i;
        }
        if (self->c_eje < 0 || self->c_eje_nombre < 0 || self->c_subtema < 0 ||
            self->c_subtema_nombre < 0)
            return pmm_error_set(err, ERR_INTERNO, "", "csv",
                                 "taxonomía %s: faltan columnas (se esperan "
                                 "eje, eje_nombre, subtema, subtema_nombre)",
                                 self->taxonomia);
        return 0;
    }
    int hi = self->c_eje;
    if (self->c_eje_nombre > hi)
        hi = self->c_eje_nombre;
    if (self->c_subtema > hi)
        hi = self->c_subtema;
    if (self->c_subtema_nombre > hi)
        hi = self->c_subtema_nombre;
    if ((size_t)hi >= n || !*f[self->c_eje] || !*f[self->c_subtema])
        return pmm_error_set(err, ERR_INTERNO, "", "csv",
                             "taxonomía %s, fila %zu: faltan campos",
                             self->taxonomia, row);
    const char *eje = f[self->c_eje];
    bool visto = false;
    for (size_t i = 0; i < self->nejes; i++)
        if (!strcmp(self->ejes[i].codigo, eje))
            visto = true;
    if (!visto && add_par(&self->ejes, &self->nejes, eje, f[self->c_eje_nombre]))
        return nomem(err);
    if (add_par(&self->subtemas, &self->nsubtemas, f[self->c_subtema],
                f[self->c_subtema_nombre]))
        return nomem(err);
    return 0;
}

static bool nombre_seguro(const char *s)
{
    if (!*s || strlen(s) >= 64 || s[0] == '.')
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' && *s != '.')
            return false;
    return true;
}

consulta_ref *consulta_ref_load(const char *data_dir, const char *taxonomia,
                                pmm_error *err)
{
    consulta_ref *self = calloc(1, sizeof *self);
    if (!self) {
        nomem(err);
        return NULL;
    }
    char path[4096];
    if (!nombre_seguro(taxonomia)) {
        pmm_error_set(err, ERR_USO, "clasificador.taxonomia", "valor",
                      "clasificador.taxonomia: «%.40s» no es un nombre de "
                      "taxonomía válido", taxonomia);
        goto fail;
    }
    snprintf(self->taxonomia, sizeof self->taxonomia, "%s", taxonomia);
    self->ref = refdata_load(data_dir, err);
    if (!self->ref)
        goto fail;
    snprintf(path, sizeof path, "%s/ods.csv", data_dir);
    if (csvfile_read(path, on_ods, self, err) != 0)
        goto fail;
    for (int i = 1; i <= CONSULTA_ODS; i++)
        if (!self->ods[i]) {
            pmm_error_set(err, ERR_INTERNO, "", "datos",
                          "ods.csv: falta el ODS %d", i);
            goto fail;
        }
    snprintf(path, sizeof path, "%s/taxonomias/%s.csv", data_dir, taxonomia);
    if (csvfile_read(path, on_tax, self, err) != 0)
        goto fail;
    return self;
fail:
    consulta_ref_destroy(&self);
    return NULL;
}

void consulta_ref_destroy(consulta_ref **self_p)
{
    if (!self_p || !*self_p)
        return;
    consulta_ref *self = *self_p;
    refdata_destroy(&self->ref);
    for (int i = 0; i <= CONSULTA_ODS; i++)
        free(self->ods[i]);
    for (size_t i = 0; i < self->nejes; i++) {
        free(self->ejes[i].codigo);
        free(self->ejes[i].nombre);
    }
    free(self->ejes);
    for (size_t i = 0; i < self->nsubtemas; i++) {
        free(self->subtemas[i].codigo);
        free(self->subtemas[i].nombre);
    }
    free(self->subtemas);
    free(self);
    *self_p = NULL;
}

const refdata *consulta_ref_refdata(const consulta_ref *self)
{
    return self->ref;
}

const char *consulta_ref_taxonomia(const consulta_ref *self)
{
    return self->taxonomia;
}

/* 1..max for a canonical decimal ("7", not "07"), else 0. */
static int numero(const char *s, int max)
{
    if (!*s || *s == '0' || strlen(s) > 2)
        return 0;
    int v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return 0;
        v = v * 10 + (*s - '0');
    }
    return v <= max ? v : 0;
}

/* 1..32 for "01".."32", else 0. */
static int clave_entidad(const char *s)
{
    if (strlen(s) != 2 || s[0] < '0' || s[0] > '3' || s[1] < '0' || s[1] > '9')
        return 0;
    int v = (s[0] - '0') * 10 + (s[1] - '0');
    return v >= 1 && v <= REF_ENTIDADES ? v : 0;
}

const char *consulta_nombre(const consulta_ref *self, consulta_dim d,
                            const char *valor)
{
    const char *r = NULL;
    int k;
    if (!self || !valor)
        return "";
    switch (d) {
    case DIM_OBJETIVO:
        if ((k = numero(valor, REF_OBJETIVOS)))
            r = refdata_objetivo_titulo(self->ref, k);
        break;
    case DIM_ODS:
        if ((k = numero(valor, CONSULTA_ODS)))
            r = self->ods[k];
        break;
    case DIM_ENTIDAD:
        if ((k = clave_entidad(valor)))
            r = refdata_entidad_nombre(self->ref, k);
        break;
    case DIM_EJE:
        for (size_t i = 0; i < self->nejes; i++)
            if (!strcmp(self->ejes[i].codigo, valor))
                r = self->ejes[i].nombre;
        break;
    case DIM_SUBTEMA:
        for (size_t i = 0; i < self->nsubtemas; i++)
            if (!strcmp(self->subtemas[i].codigo, valor))
                r = self->subtemas[i].nombre;
        break;
    case DIM_DEPENDENCIA: {
        const ref_dependencia *dep =
            refdata_dependencia(self->ref, valor, strlen(valor));
        r = dep ? dep->nombre : NULL;
        break;
    }
    case DIM_AMBITO:
        r = !strcmp(valor, "federal") ? "Federal"
          : !strcmp(valor, "estatal") ? "Estatal" : NULL;
        break;
    case DIM_EMISOR:
        if (!strncmp(valor, "D:", 2))
            return consulta_nombre(self, DIM_DEPENDENCIA, valor + 2);
        if (!strncmp(valor, "E:", 2))
            return consulta_nombre(self, DIM_ENTIDAD, valor + 2);
        break;
    case DIM_ODS_TOTAL:
        r = "Fichas con al menos un ODS";
        break;
    }
    return r ? r : "";
}

/* ---- tables ------------------------------------------------------------ */

void consulta_tabla_init(consulta_tabla *t, consulta_dim d,
                         const consulta_rango *r, const consulta_ref *ref)
{
    memset(t, 0, sizeof *t);
    t->dim = d;
    t->rango = *r;
    t->nanios = consulta_rango_anios(r);
    t->ref = ref;
}

void consulta_tabla_free(consulta_tabla *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->filas[i].valor);
        free(t->filas[i].m);
    }
    free(t->filas);
    t->filas = NULL;
    t->n = t->cap = 0;
}

static consulta_fila *agregar_fila(consulta_tabla *t, const char *valor,
                                   int orden)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 32;
        consulta_fila *f = realloc(t->filas, cap * sizeof *f);
        if (!f)
            return NULL;
        t->filas = f;
        t->cap = cap;
    }
    consulta_fila *f = &t->filas[t->n];
    f->valor = strdup(valor);
    f->m = calloc(t->nanios, sizeof *f->m);
    if (!f->valor || !f->m) {
        free(f->valor);
        free(f->m);
        return NULL;
    }
    f->nombre = consulta_nombre(t->ref, t->dim, valor);
    f->orden = orden;
    t->n++;
    return f;
}

consulta_fila *consulta_tabla_buscar(const consulta_tabla *t, const char *valor)
{
    for (size_t i = 0; i < t->n; i++)
        if (!strcmp(t->filas[i].valor, valor))
            return &t->filas[i];
    return NULL;
}

int consulta_tabla_dominio(consulta_tabla *t)
{
    char buf[16];
    int orden = 0;
    consulta_fila *f;
#define ADD(v)                                                                 \
    do {                                                                       \
        if ((f = consulta_tabla_buscar(t, (v))))                               \
            f->orden = orden;                                                  \
        else if (!agregar_fila(t, (v), orden))                                 \
            return -1;                                                         \
        orden++;                                                               \
    } while (0)
    switch (t->dim) {
    case DIM_OBJETIVO:
        for (int i = 1; i <= REF_OBJETIVOS; i++) {
            snprintf(buf, sizeof buf, "%d", i);
            ADD(buf);
        }
        break;
    case DIM_ODS:
        for (int i = 1; i <= CONSULTA_ODS; i++) {
            snprintf(buf, sizeof buf, "%d", i);
            ADD(buf);
        }
        break;
    case DIM_ENTIDAD:
        for (int i = 1; i <= REF_ENTIDADES; i++) {
            snprintf(buf, sizeof buf, "%02d", i);
            ADD(buf);
        }
        break;
    case DIM_AMBITO:
        ADD("federal");
        ADD("estatal");
        break;
    case DIM_EJE:
        if (t->ref)
            for (size_t i = 0; i < t->ref->nejes; i++)
                ADD(t->ref->ejes[i].codigo);
        break;
    case DIM_SUBTEMA:
        if (t->ref)
            for (size_t i = 0; i < t->ref->nsubtemas; i++)
                ADD(t->ref->subtemas[i].codigo);
        break;
    case DIM_DEPENDENCIA:
    case DIM_EMISOR:
    case DIM_ODS_TOTAL:
        break;
    }
#undef ADD
    return 0;
}

int consulta_tabla_sumar(consulta_tabla *t, int anio, const char *valor,
                         const consulta_medidas *m)
{
    if (anio < t->rango.desde || anio > t->rango.hasta)
        return 0;
    consulta_fila *f = consulta_tabla_buscar(t, valor);
    if (!f && !(f = agregar_fila(t, valor, INT_MAX)))
        return -1;
    consulta_medidas *c = &f->m[anio - t->rango.desde];
    c->fichas += m->fichas;
    c->acciones += m->acciones;
    c->personas += m->personas;
    c->mujeres += m->mujeres;
    c->hombres += m->hombres;
    return 0;
}

static void sumar_medidas(consulta_medidas *a, const consulta_medidas *b)
{
    a->fichas += b->fichas;
    a->acciones += b->acciones;
    a->personas += b->personas;
    a->mujeres += b->mujeres;
    a->hombres += b->hombres;
}

consulta_medidas consulta_fila_suma(const consulta_tabla *t,
                                    const consulta_fila *f)
{
    consulta_medidas s = {0};
    for (size_t i = 0; i < t->nanios; i++)
        sumar_medidas(&s, &f->m[i]);
    return s;
}

consulta_medidas consulta_tabla_total(const consulta_tabla *t, size_t i)
{
    consulta_medidas s = {0};
    for (size_t r = 0; r < t->n; r++) {
        if (i == (size_t)-1) {
            consulta_medidas f = consulta_fila_suma(t, &t->filas[r]);
            sumar_medidas(&s, &f);
        } else if (i < t->nanios) {
            sumar_medidas(&s, &t->filas[r].m[i]);
        }
    }
    return s;
}

/* Values outside the domain: numbers by value, then text. */
static int cmp_valor(const char *a, const char *b)
{
    char *ea, *eb;
    long na = strtol(a, &ea, 10), nb = strtol(b, &eb, 10);
    bool numa = *a && !*ea, numb = *b && !*eb;
    if (numa && numb && na != nb)
        return na < nb ? -1 : 1;
    if (numa != numb)
        return numa ? -1 : 1;
    return strcmp(a, b);
}

static int cmp_natural(const consulta_fila *a, const consulta_fila *b)
{
    if (a->orden != b->orden)
        return a->orden < b->orden ? -1 : 1;
    return cmp_valor(a->valor, b->valor);
}

/* qsort has no context argument in C17: the table being sorted. */
static const consulta_tabla *orden_tabla;

static long long fichas_rango(const consulta_tabla *t, const consulta_fila *f)
{
    long long s = 0;
    for (size_t i = 0; i < t->nanios; i++)
        s += f->m[i].fichas;
    return s;
}

static int cmp_natural_q(const void *pa, const void *pb)
{
    return cmp_natural(pa, pb);
}

static int cmp_desc_q(const void *pa, const void *pb)
{
    const consulta_fila *a = pa, *b = pb;
    long long fa = fichas_rango(orden_tabla, a), fb = fichas_rango(orden_tabla, b);
    if (fa != fb)
        return fa > fb ? -1 : 1;
    return cmp_natural(a, b);
}

void consulta_tabla_ordenar(consulta_tabla *t, bool desc)
{
    if (t->n < 2)
        return;
    orden_tabla = t;
    qsort(t->filas, t->n, sizeof *t->filas, desc ? cmp_desc_q : cmp_natural_q);
    orden_tabla = NULL;
}

size_t consulta_ranking(const consulta_tabla *t, size_t n, bool mas,
                        consulta_puesto *out)
{
    size_t m = t->n;
    if (m == 0)
        return 0;
    /* all rows, ordered by count (ties: natural order); insertion sort
     * keeps this reentrant and the tables are small */
    size_t *idx = malloc(m * sizeof *idx);
    long long *cnt = malloc(m * sizeof *cnt);
    if (!idx || !cnt) {
        free(idx);
        free(cnt);
        return 0;
    }
    for (size_t i = 0; i < m; i++) {
        cnt[i] = fichas_rango(t, &t->filas[i]);
        size_t j = i;
        while (j > 0) {
            size_t p = idx[j - 1];
            bool antes = mas ? cnt[i] > cnt[p] : cnt[i] < cnt[p];
            if (!antes && !(cnt[i] == cnt[p] &&
                            cmp_natural(&t->filas[i], &t->filas[p]) < 0))
                break;
            idx[j] = p;
            j--;
        }
        idx[j] = i;
    }
    size_t k = 0;
    int lugar = 0;
    for (size_t j = 0; j < m; j++) {
        if (j == 0 || cnt[idx[j]] != cnt[idx[j - 1]])
            lugar = (int)j + 1;
        if ((size_t)lugar > n)
            break;
        bool empate = (j > 0 && cnt[idx[j - 1]] == cnt[idx[j]]) ||
                      (j + 1 < m && cnt[idx[j + 1]] == cnt[idx[j]]);
        out[k++] = (consulta_puesto){.fila = idx[j], .lugar = lugar,
                                     .fichas = cnt[idx[j]], .empate = empate};
    }
    free(idx);
    free(cnt);
    return k;
}

/* ---- PostgreSQL -------------------------------------------------------- */

static int exec_simple(PGconn *db, const char *sql, pmm_error *err)
{
    PGresult *res = PQexecParams(db, sql, 0, NULL, NULL, NULL, NULL, 0);
    int rc = PQresultStatus(res) == PGRES_COMMAND_OK ? 0
                                                     : db_error(db, res, sql, err);
    PQclear(res);
    return rc;
}

PGconn *consulta_conectar(const pmm_conf *conf, const char *app,
                          pmm_error *err)
{
    const char *info = conf_str(conf, "postgresql", "lectura");
    if (!info || !*info)
        info = conf_conninfo(conf, NULL);
    PGconn *db = db_connect(info, app, err);
    if (!db)
        return NULL;
    if (exec_simple(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err)) {
        PQfinish(db);
        return NULL;
    }
    return db;
}

void consulta_desconectar(PGconn *db)
{
    if (!db)
        return;
    pmm_error ignored;
    exec_simple(db, "COMMIT", &ignored);
    PQfinish(db);
}

static long long ll(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? 0
                                      : strtoll(PQgetvalue(res, row, col), NULL, 10);
}

int consulta_leer(PGconn *db, consulta_tabla *t, const char *filtro,
                  const char *dimension, pmm_error *err)
{
    static const char sql[] =
        "SELECT ejercicio, valor, fichas, acciones, personas, mujeres, hombres"
        "  FROM totales"
        " WHERE ejercicio BETWEEN $1::integer AND $2::integer"
        "   AND filtro = $3 AND dimension = $4";
    char desde[16], hasta[16];
    snprintf(desde, sizeof desde, "%d", t->rango.desde);
    snprintf(hasta, sizeof hasta, "%d", t->rango.hasta);
    const char *params[] = {desde, hasta, filtro, dimension};
    PGresult *res = PQexecParams(db, sql, 4, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(db, res, "lectura de totales", err);
        PQclear(res);
        return -1;
    }
    int rc = 0;
    for (int r = 0; r < PQntuples(res) && rc == 0; r++) {
        consulta_medidas m = {.fichas = ll(res, r, 2), .acciones = ll(res, r, 3),
                              .personas = ll(res, r, 4), .mujeres = ll(res, r, 5),
                              .hombres = ll(res, r, 6)};
        if (consulta_tabla_sumar(t, (int)ll(res, r, 0), PQgetvalue(res, r, 1), &m))
            rc = nomem(err);
    }
    PQclear(res);
    return rc;
}

/* ---- output ------------------------------------------------------------ */

void consulta_csv_campo(FILE *out, const char *s)
{
    if (!s)
        return;
    if (!s[strcspn(s, ",\"\r\n")]) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

const char *consulta_recortar(const char *s, size_t max, char *buf, size_t cap)
{
    size_t chars = 0, i = 0, cut = 0;
    for (; s[i]; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (chars == max - 1)
                cut = i;    /* where "…" would go */
            chars++;
        }
    if (chars <= max || max == 0 || cut + 4 > cap) {
        snprintf(buf, cap, "%s", s);
        return buf;
    }
    memcpy(buf, s, cut);
    memcpy(buf + cut, "\xE2\x80\xA6", 4);   /* "…" and NUL */
    return buf;
}

void consulta_grilla_init(consulta_grilla *g, size_t ncols)
{
    memset(g, 0, sizeof *g);
    g->ncols = ncols;
    g->derecha = calloc(ncols, sizeof *g->derecha);
    if (!g->derecha)
        g->failed = true;
}

void consulta_grilla_derecha(consulta_grilla *g, size_t c)
{
    if (g->derecha && c < g->ncols)
        g->derecha[c] = true;
}

static bool grilla_crecer(consulta_grilla *g)
{
    if (g->failed)
        return false;
    if (g->nfilas == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 32;
        char **c = realloc(g->celdas, cap * g->ncols * sizeof *c);
        if (!c) {
            g->failed = true;
            return false;
        }
        g->celdas = c;
        bool *l = realloc(g->linea, cap * sizeof *l);
        if (!l) {
            g->failed = true;
            return false;
        }
        g->linea = l;
        g->cap = cap;
    }
    return true;
}

void consulta_grilla_fila(consulta_grilla *g, const char *const *celdas)
{
    if (!grilla_crecer(g))
        return;
    char **row = &g->celdas[g->nfilas * g->ncols];
    for (size_t c = 0; c < g->ncols; c++) {
        row[c] = strdup(celdas[c] ? celdas[c] : "");
        if (!row[c])
            g->failed = true;
    }
    g->linea[g->nfilas++] = false;
}

void consulta_grilla_linea(consulta_grilla *g)
{
    if (!grilla_crecer(g))
        return;
    char **row = &g->celdas[g->nfilas * g->ncols];
    for (size_t c = 0; c < g->ncols; c++)
        row[c] = NULL;
    g->linea[g->nfilas++] = true;
}

static size_t ancho(const char *s)
{
    return s ? utf8_length(s, strlen(s)) : 0;
}

void consulta_grilla_imprimir(const consulta_grilla *g, FILE *out)
{
    if (g->failed || !g->ncols) {
        fputs("(sin memoria para la tabla)\n", out);
        return;
    }
    size_t *w = calloc(g->ncols, sizeof *w);
    if (!w)
        return;
    for (size_t r = 0; r < g->nfilas; r++)
        for (size_t c = 0; c < g->ncols && !g->linea[r]; c++) {
            size_t a = ancho(g->celdas[r * g->ncols + c]);
            if (a > w[c])
                w[c] = a;
        }
    size_t total = 0;
    for (size_t c = 0; c < g->ncols; c++)
        total += w[c] + (c ? 2 : 0);
    for (size_t r = 0; r < g->nfilas; r++) {
        if (g->linea[r]) {
            for (size_t i = 0; i < total; i++)
                fputc('-', out);
            fputc('\n', out);
            continue;
        }
        /* trailing empty left-aligned cells print nothing */
        size_t last = g->ncols;
        while (last > 0 && !g->derecha[last - 1] &&
               !*g->celdas[r * g->ncols + last - 1])
            last--;
        for (size_t c = 0; c < last; c++) {
            const char *s = g->celdas[r * g->ncols + c];
            size_t pad = w[c] - ancho(s);
            if (c)
                fputs("  ", out);
            if (g->derecha[c])
                fprintf(out, "%*s%s", (int)pad, "", s);
            else if (c + 1 == last)
                fputs(s, out);
            else
                fprintf(out, "%s%*s", s, (int)pad, "");
        }
        fputc('\n', out);
    }
    free(w);
}

void consulta_grilla_free(consulta_grilla *g)
{
    if (g->celdas)
        for (size_t i = 0; i < g->nfilas * g->ncols; i++)
            free(g->celdas[i]);
    free(g->celdas);
    free(g->linea);
    free(g->derecha);
    memset(g, 0, sizeof *g);
}

void consulta_error(const char *cmd, const pmm_error *err)
{
    fprintf(stderr, "pmm %s: %s\n", cmd, err->mensaje);
}

int consulta_uso(const char *cmd, const pmm_error *err)
{
    consulta_error(cmd, err);
    fprintf(stderr, "`pmm %s --help` describe las opciones.\n", cmd);
    return EXIT_USO;
}

void consulta_opcion_mala(int opt, char **argv, pmm_error *err)
{
    if (opt == ':')
        pmm_error_set(err, 1, argv[optind - 1], "requerido", "%s necesita un valor",
                      argv[optind - 1]);
    else
        pmm_error_set(err, 1, argv[optind - 1], "desconocida", "opción desconocida: %s",
                      argv[optind - 1]);
}

int consulta_sobrantes(int argc, char **argv, pmm_error *err)
{
    if (optind == argc)
        return 0;
    return pmm_error_set(err, 1, "", "argumento", "argumento inesperado: %s",
                         argv[optind]);
}

consulta_ref *consulta_ref_conf(const pmm_conf *conf, pmm_error *err)
{
    return consulta_ref_load(conf_data_dir(conf),
                             conf_str(conf, "clasificador", "taxonomia"),
                             err);
}
