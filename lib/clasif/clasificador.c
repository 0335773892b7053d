#include "clasificador.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvfile.h"
#include "hashmap.h"
#include "texto.h"
#include "utf8.h"

#define CLASIF_VERSION "pmm-clasif/1"
#define MAX_TAXONOMIAS 8
#define MAX_CLASES 32
#define NODS 17
#define MAX_FRASE 6                 /* stems in a lexicon phrase */

/* SDG decision thresholds (see clasificador.h) when the model does not
 * carry its own (formato 1, or trained on fewer than three groups). */
#define ODS_UMBRAL 0.75
#define ODS_UMBRAL_UNO 0.5
/* lexicon evidence for an SDG that breaks ties between equally likely ones */
#define ODS_LEXICO_MIN 1.0
/* A sub-topic other than the first is reported from this probability. */
#define SECUNDARIO_MIN 0.2
/* Features: what the model and the lexicon see. */
#define RASGOS TEXTO_TODO
/* lex_hit mark of a lexicon hit at the head of the program name */
#define LEX_CABEZA 2
#define LEX_CABEZA_PESO 2.0

/* ------------------------------------------------------------------ */
/* string -> int maps (model vocabulary, lexicon index) */

static int dict_get(const hashmap *d, const char *k, size_t n)
{
    const int *v = hashmap_get(d, k, n);
    return v ? *v : -1;
}

/* Inserts k with value v unless present; returns the stored value or -2
 * when out of memory. */
static int dict_put(hashmap *d, const char *k, size_t n, int v)
{
    void *p;
    int r = hashmap_put(d, k, n, &p);
    if (r < 0)
        return -2;
    if (r == 1)
        *(int *)p = v;
    return *(int *)p;
}

/* ------------------------------------------------------------------ */
/* reference data */

typedef struct {
    char nombre[16];
    size_t n;
    char codigo[MAX_CLASES][CLASIF_COD];
    char origen[MAX_CLASES][CLASIF_COD];
    int eje[MAX_CLASES];
    /* for the loaded model: model class of each class' origin (-1 none)
     * and the log of how many classes share that origin */
    int morig[MAX_CLASES];
    double lsib[MAX_CLASES];
} tax_def;

typedef struct {
    char meta[CLASIF_META];
    int ods;
    bool predeterminada;
} meta_ref;

typedef enum {
    LEX_SUBTEMA,
    LEX_ODS,
    LEX_META,
    LEX_RETO,
    LEX_OBJETIVO,
    LEX_DEPENDENCIA,
    LEX_SIN_RESULTADOS
} lex_tipo;

typedef struct {
    lex_tipo tipo;
    char *termino;          /* as written, for evidence */
    char *clave;            /* stems joined by '_' (folded text for
                               sin_resultados) */
    char destino[CLASIF_COD];
    int numero;             /* SDG or PMM objective */
    double peso;
    int siguiente;          /* next entry with the same clave, -1 */
} lex_entry;

struct clasif_modelo {
    char algoritmo[24];
    bool normalizar;        /* feature values are L2-normalised */
    double escala_lexico;   /* value of "~class" = lexicon sum * this */
    double lexico_directo;  /* lexicon sums added straight to scores */
    double ods_umbral;      /* the likeliest SDG other than 10 from here */
    double ods_umbral_otros;    /* any other SDG from here */
    char hiper[128];        /* how training chose its hyper-parameters */
    size_t ejemplos;
    size_t ncls;
    char cls[MAX_CLASES][CLASIF_COD];
    double sesgo[MAX_CLASES];
    double ods[MAX_CLASES][NODS + 1];   /* share of the group with SDG k */
    hashmap vocab;          /* feature -> row (int) */
    char **rasgos;          /* row -> feature */
    float *w;               /* nfeat x MAX_CLASES */
    float *idf;             /* per row: weight of the feature before
                               normalisation (1 for plain binary) */
    size_t nfeat, feat_cap;
    uint32_t huella;        /* hash of the model, for the version string */
};

/* Per-call scratch: one per concurrent caller, kept in a pool. */
typedef struct worker {
    texto *tx;
    int *filas;             /* model rows seen in this ficha */
    double *vals;           /* their values */
    size_t nfilas, filas_cap;
    uint32_t *marca;        /* per row: call stamp, to dedupe */
    size_t marca_cap;
    uint32_t llamada;
    unsigned char *lex_hit; /* per lexicon entry */
    int *hits;              /* entries hit in this ficha */
    size_t nhits;
    char *fold;             /* folded results text */
    size_t fold_cap;
    char dep[64];           /* folded acronym of the reporting body */
    struct worker *next;
} worker;

struct clasificador {
    char *data_dir;
    char *stopwords;
    tax_def tax[MAX_TAXONOMIAS];
    size_t ntax;
    char ods_nombre[NODS + 1][64];
    meta_ref *metas;
    size_t nmetas;
    char (*retos)[CLASIF_COD];
    size_t nretos;
    lex_entry *lex;
    size_t nlex;
    hashmap lex_idx;        /* clave -> first entry (int) */
    hashmap lex_pref;       /* set: proper prefixes of multi-stem claves */
    int *especiales;        /* objetivo and dependencia entries */
    size_t nespeciales;
    int *sinres;            /* sin_resultados entries */
    size_t nsinres;
    size_t lex_max_stems;
    uint32_t lex_huella;
    clasif_modelo *modelo;
    char version[64];
    pthread_mutex_t pool_lock;
    worker *pool;
};

static uint32_t fnv32(const char *s, size_t n, uint32_t h)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

static uint32_t file_hash(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint32_t h = 2166136261u;
    if (!f)
        return 0;
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        h = fnv32(buf, n, h);
    fclose(f);
    return h;
}

static char *path_join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", a, b);
    return p;
}

static void copy_str(char *dst, size_t cap, const char *src)
{
    size_t n = src ? strnlen(src, cap - 1) : 0;
    if (n)
        memcpy(dst, src, n);
    dst[n] = '\0';
}

static bool blank(const char *s)
{
    if (!s)
        return true;
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return false;
    return true;
}

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

static const tax_def *find_tax(const clasificador *c, const char *nombre)
{
    if (!nombre)
        nombre = CLASIF_TAXONOMIA_DEF;
    for (size_t i = 0; i < c->ntax; i++)
        if (!strcmp(c->tax[i].nombre, nombre))
            return &c->tax[i];
    return NULL;
}

static int tax_index(const tax_def *t, const char *code)
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

static const meta_ref *find_meta(const clasificador *c, const char *meta)
{
    for (size_t i = 0; i < c->nmetas; i++)
        if (!strcmp(c->metas[i].meta, meta))
            return &c->metas[i];
    return NULL;
}

static bool has_reto(const clasificador *c, const char *code)
{
    for (size_t i = 0; i < c->nretos; i++)
        if (!strcmp(c->retos[i], code))
            return true;
    return false;
}

static bool any_tax_has(const clasificador *c, const char *code)
{
    for (size_t i = 0; i < c->ntax; i++)
        if (tax_index(&c->tax[i], code) >= 0)
            return true;
    return false;
}

/* -- lexicon -- */

/* Content stems of a phrase joined by '_' (the key the matcher builds). */
static char *phrase_key(texto *tx, const char *s, size_t *nstems)
{
    const texto_token *toks;
    size_t nt;
    pmm_error e;
    *nstems = 0;
    if (texto_analizar(tx, s, strlen(s), &toks, &nt, &e) != 0)
        return NULL;
    size_t cap = strlen(s) * 2 + 8, len = 0;
    char *key = malloc(cap);
    if (!key)
        return NULL;
    key[0] = '\0';
    for (size_t i = 0; i < nt; i++) {
        if (toks[i].parada || toks[i].tipo != TEXTO_PALABRA)
            continue;
        if (len + toks[i].len + 2 > cap)
            break;
        if (len)
            key[len++] = '_';
        memcpy(key + len, toks[i].s, toks[i].len);
        len += toks[i].len;
        key[len] = '\0';
        (*nstems)++;
    }
    return key;
}

typedef struct {
    clasificador *c;
    texto *tx;
} lex_ctx;

static int on_lex(void *user, size_t row, char **f, size_t n, pmm_error *err)
{
    lex_ctx *x = user;
    clasificador *c = x->c;
    if (row == 1 || n == 0 || f[0][0] == '#' || (n == 1 && !*f[0]))
        return 0;
    if (n < 4)
        return pmm_error_set(err, 7, "tipo", "csv",
                             "lexico.csv, fila %zu: se esperan tipo,termino,"
                             "destino,peso", row);
    lex_entry e = {.siguiente = -1};
    const char *tipo = f[0], *dest = f[2];
    if (!strcmp(tipo, "subtema"))
        e.tipo = LEX_SUBTEMA;
    else if (!strcmp(tipo, "ods"))
        e.tipo = LEX_ODS;
    else if (!strcmp(tipo, "meta"))
        e.tipo = LEX_META;
    else if (!strcmp(tipo, "reto"))
        e.tipo = LEX_RETO;
    else if (!strcmp(tipo, "objetivo"))
        e.tipo = LEX_OBJETIVO;
    else if (!strcmp(tipo, "dependencia"))
        e.tipo = LEX_DEPENDENCIA;
    else if (!strcmp(tipo, "sin_resultados"))
        e.tipo = LEX_SIN_RESULTADOS;
    else
        return pmm_error_set(err, 7, "tipo", "csv",
                             "lexico.csv, fila %zu: tipo «%s» desconocido",
                             row, tipo);
    char *end;
    e.peso = strtod(f[3], &end);
    if (end == f[3] || !isfinite(e.peso))
        return pmm_error_set(err, 7, "peso", "csv",
                             "lexico.csv, fila %zu: peso «%s» no es un número",
                             row, f[3]);
    if (!*f[1])
        return pmm_error_set(err, 7, "termino", "csv",
                             "lexico.csv, fila %zu: término vacío", row);
    bool ok = true;
    switch (e.tipo) {
    case LEX_SUBTEMA:
        ok = any_tax_has(c, dest);
        break;
    case LEX_OBJETIVO:
        e.numero = atoi(f[1]);
        ok = e.numero >= 1 && e.numero <= 23 && any_tax_has(c, dest);
        break;
    case LEX_DEPENDENCIA:
        ok = any_tax_has(c, dest);
        break;
    case LEX_ODS:
        e.numero = atoi(dest);
        ok = e.numero >= 1 && e.numero <= NODS;
        break;
    case LEX_META: {
        const meta_ref *m = find_meta(c, dest);
        ok = m != NULL;
        e.numero = m ? m->ods : 0;
        break;
    }
    case LEX_RETO:
        ok = has_reto(c, dest);
        break;
    case LEX_SIN_RESULTADOS:
        break;
    }
    if (!ok)
        return pmm_error_set(err, 7, "destino", "csv",
                             "lexico.csv, fila %zu: destino «%s» no existe "
                             "para el tipo %s", row, dest, tipo);
    copy_str(e.destino, sizeof e.destino, dest);
    e.termino = strdup(f[1]);
    size_t nst = 0;
    if (e.tipo == LEX_SIN_RESULTADOS || e.tipo == LEX_DEPENDENCIA)
        e.clave = texto_normalizar(f[1], strlen(f[1]));
    else if (e.tipo != LEX_OBJETIVO)
        e.clave = phrase_key(x->tx, f[1], &nst);
    else
        e.clave = strdup(f[1]);
    if (!e.termino || !e.clave) {
        free(e.termino);
        free(e.clave);
        return pmm_error_set(err, 7, "", "memoria", "sin memoria");
    }
    bool frase = e.tipo != LEX_SIN_RESULTADOS && e.tipo != LEX_OBJETIVO &&
                 e.tipo != LEX_DEPENDENCIA;
    if (frase && (nst == 0 || nst > MAX_FRASE)) {
        free(e.termino);
        free(e.clave);
        return pmm_error_set(err, 7, "termino", "csv",
                             "lexico.csv, fila %zu: el término «%s» debe tener "
                             "de 1 a %d palabras con contenido", row, f[1],
                             MAX_FRASE);
    }
    if (frase) {
        /* "taller" and "talleres" share a stem: one entry, the larger
         * weight, so spelling variants do not add up */
        for (int k = dict_get(&c->lex_idx, e.clave, strlen(e.clave)); k >= 0;
             k = c->lex[k].siguiente) {
            lex_entry *o = &c->lex[k];
            if (o->tipo == e.tipo && !strcmp(o->destino, e.destino)) {
                if (e.peso > o->peso)
                    o->peso = e.peso;
                free(e.termino);
                free(e.clave);
                return 0;
            }
        }
    }
    lex_entry *ne = realloc(c->lex, (c->nlex + 1) * sizeof *ne);
    if (!ne) {
        free(e.termino);
        free(e.clave);
        return pmm_error_set(err, 7, "", "memoria", "sin memoria");
    }
    c->lex = ne;
    int idx = (int)c->nlex;
    c->lex[c->nlex++] = e;
    if (nst > c->lex_max_stems)
        c->lex_max_stems = nst;
    if (frase) {
        int first = dict_put(&c->lex_idx, e.clave, strlen(e.clave), idx);
        if (first == -2)
            return pmm_error_set(err, 7, "", "memoria", "sin memoria");
        for (const char *u = strchr(e.clave, '_'); u; u = strchr(u + 1, '_')) {
            void *v;
            if (hashmap_put(&c->lex_pref, e.clave, (size_t)(u - e.clave), &v) < 0)
                return pmm_error_set(err, 7, "", "memoria", "sin memoria");
        }
        if (first != idx) {          /* chain behind the existing entries */
            int k = first;
            while (c->lex[k].siguiente >= 0)
                k = c->lex[k].siguiente;
            c->lex[k].siguiente = idx;
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* model */

static clasif_modelo *modelo_nuevo(void)
{
    clasif_modelo *m = calloc(1, sizeof(clasif_modelo));
    if (m)
        hashmap_init(&m->vocab, sizeof(int));
    return m;
}

void clasif_modelo_destroy(clasif_modelo **m_p)
{
    if (!m_p || !*m_p)
        return;
    clasif_modelo *m = *m_p;
    hashmap_free(&m->vocab);
    for (size_t i = 0; i < m->nfeat; i++)
        free(m->rasgos[i]);
    free(m->rasgos);
    free(m->w);
    free(m->idf);
    free(m);
    *m_p = NULL;
}

size_t clasif_modelo_rasgos(const clasif_modelo *m)
{
    return m ? m->nfeat : 0;
}

static int modelo_add_rasgo(clasif_modelo *m, const char *f, size_t n)
{
    if (m->nfeat == m->feat_cap) {
        size_t ncap = m->feat_cap ? m->feat_cap * 2 : 4096;
        char **nr = realloc(m->rasgos, ncap * sizeof *nr);
        if (!nr)
            return -1;
        m->rasgos = nr;
        float *nw = realloc(m->w, ncap * MAX_CLASES * sizeof *nw);
        if (!nw)
            return -1;
        m->w = nw;
        float *ni = realloc(m->idf, ncap * sizeof *ni);
        if (!ni)
            return -1;
        m->idf = ni;
        m->feat_cap = ncap;
    }
    int row = dict_put(&m->vocab, f, n, (int)m->nfeat);
    if (row == -2)
        return -1;
    if ((size_t)row != m->nfeat)
        return row;
    m->rasgos[m->nfeat] = strndup(f, n);
    if (!m->rasgos[m->nfeat])
        return -1;
    memset(&m->w[m->nfeat * MAX_CLASES], 0, MAX_CLASES * sizeof(float));
    m->idf[m->nfeat] = 1.0f;
    return (int)m->nfeat++;
}

/* Subtracts each feature's mean weight: softmax does not change, and a
 * feature's weight for a class is then its pull towards that class. */
static void centrar(clasif_modelo *m)
{
    for (size_t r = 0; r < m->nfeat; r++) {
        float *row = &m->w[r * MAX_CLASES];
        double mean = 0;
        for (size_t k = 0; k < m->ncls; k++)
            mean += row[k];
        mean /= (double)m->ncls;
        for (size_t k = 0; k < m->ncls; k++)
            row[k] -= (float)mean;
    }
}

/* Splits a tab-separated line in place. */
static size_t split_tabs(char *line, char **out, size_t cap)
{
    size_t n = 0;
    char *p = line;
    while (n < cap) {
        out[n++] = p;
        char *t = strchr(p, '\t');
        if (!t)
            break;
        *t = '\0';
        p = t + 1;
    }
    return n;
}

clasif_modelo *clasif_modelo_cargar(const char *path, pmm_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        pmm_error_set(err, 7, "", "archivo", "no se puede abrir %s: %s", path,
                      strerror(errno));
        return NULL;
    }
    clasif_modelo *m = modelo_nuevo();
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    size_t lineno = 0;
    int rc = 0;
    if (!m) {
        fclose(f);
        pmm_error_set(err, 7, "", "memoria", "sin memoria");
        return NULL;
    }
    m->huella = 2166136261u;
    m->lexico_directo = 1.0;        /* formato 1 */
    m->ods_umbral = ODS_UMBRAL_UNO;
    m->ods_umbral_otros = ODS_UMBRAL;
    int formato = 1;
    while (rc == 0 && (len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        m->huella = fnv32(line, (size_t)len, m->huella);
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0 || line[0] == '#')
            continue;
        char *col[MAX_CLASES + 3];
        size_t nc = split_tabs(line, col, MAX_CLASES + 3);
        if (!strcmp(col[0], "formato")) {
            formato = nc >= 2 ? atoi(col[1]) : 0;
            if (formato != 1 && formato != 2)
                rc = pmm_error_set(err, 7, "formato", "modelo",
                                   "%s: formato de modelo no soportado", path);
        } else if (!strcmp(col[0], "algoritmo") && nc >= 2) {
            copy_str(m->algoritmo, sizeof m->algoritmo, col[1]);
        } else if (!strcmp(col[0], "normalizacion") && nc >= 2) {
            m->normalizar = !strcmp(col[1], "raiz") || !strcmp(col[1], "l2");
        } else if (!strcmp(col[0], "escala_lexico") && nc >= 2) {
            m->escala_lexico = strtod(col[1], NULL);
        } else if (!strcmp(col[0], "lexico_directo") && nc >= 2) {
            m->lexico_directo = strtod(col[1], NULL);
        } else if (!strcmp(col[0], "hiperparametros") && nc >= 2) {
            copy_str(m->hiper, sizeof m->hiper, col[1]);
        } else if (!strcmp(col[0], "ods_umbral") && nc >= 3) {
            m->ods_umbral = strtod(col[1], NULL);
            m->ods_umbral_otros = strtod(col[2], NULL);
        } else if (!strcmp(col[0], "ejemplos") && nc >= 2) {
            m->ejemplos = (size_t)strtoul(col[1], NULL, 10);
        } else if (!strcmp(col[0], "clases")) {
            m->ncls = nc - 1;
            if (m->ncls == 0 || m->ncls > MAX_CLASES)
                rc = pmm_error_set(err, 7, "clases", "modelo",
                                   "%s, línea %zu: número de clases no válido",
                                   path, lineno);
            for (size_t i = 1; rc == 0 && i < nc; i++)
                copy_str(m->cls[i - 1], CLASIF_COD, col[i]);
        } else if (!strcmp(col[0], "sesgo")) {
            if (nc != m->ncls + 1)
                rc = pmm_error_set(err, 7, "sesgo", "modelo",
                                   "%s, línea %zu: se esperan %zu valores",
                                   path, lineno, m->ncls);
            for (size_t i = 1; rc == 0 && i < nc; i++)
                m->sesgo[i - 1] = strtod(col[i], NULL);
        } else if (!strcmp(col[0], "ods")) {
            int k = -1;
            for (size_t i = 0; nc > 1 && i < m->ncls; i++)
                if (!strcmp(m->cls[i], col[1]))
                    k = (int)i;
            if (k < 0 || nc != NODS + 2) {
                rc = pmm_error_set(err, 7, "ods", "modelo",
                                   "%s, línea %zu: fila de ODS no válida",
                                   path, lineno);
                break;
            }
            for (size_t s = 1; s <= NODS; s++)
                m->ods[k][s] = strtod(col[s + 1], NULL);
        } else if (!strcmp(col[0], "rasgo")) {
            /* formato 2: rasgo, idf, one weight per class */
            size_t pre = formato >= 2 ? 3 : 2;
            if (nc != m->ncls + pre || !*col[1]) {
                rc = pmm_error_set(err, 7, "rasgo", "modelo",
                                   "%s, línea %zu: se esperan el rasgo%s y "
                                   "%zu pesos", path, lineno,
                                   pre == 3 ? ", su idf" : "", m->ncls);
                break;
            }
            int row = modelo_add_rasgo(m, col[1], strlen(col[1]));
            if (row < 0) {
                rc = pmm_error_set(err, 7, "", "memoria", "sin memoria");
                break;
            }
            if (pre == 3)
                m->idf[row] = (float)strtod(col[2], NULL);
            for (size_t i = 0; i < m->ncls; i++)
                m->w[(size_t)row * MAX_CLASES + i] =
                    (float)strtod(col[i + pre], NULL);
        } else {
            rc = pmm_error_set(err, 7, "", "modelo",
                               "%s, línea %zu: fila «%s» desconocida", path,
                               lineno, col[0]);
        }
    }
    free(line);
    fclose(f);
    if (rc == 0 && m->ncls == 0)
        rc = pmm_error_set(err, 7, "clases", "modelo",
                           "%s: el modelo no declara clases", path);
    if (rc != 0) {
        clasif_modelo_destroy(&m);
        return NULL;
    }
    centrar(m);
    return m;
}

int clasif_modelo_guardar(const clasif_modelo *m, const char *path,
                          pmm_error *err)
{
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 8);
    if (!tmp)
        return pmm_error_set(err, 7, "", "memoria", "sin memoria");
    snprintf(tmp, plen + 8, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        pmm_error_set(err, 7, "", "archivo", "no se puede escribir %s: %s",
                      tmp, strerror(errno));
        free(tmp);
        return -1;
    }
    fprintf(f, "# Modelo del clasificador de pmm-seguimiento, generado por "
               "`pmm entrenar`.\n"
               "# Filas: clases (subtemas), sesgo por clase, ods (proporción "
               "de fichas del subtema cuyo grupo incluye cada ODS 1-17) y un\n"
               "# rasgo por fila con su idf y su peso para cada clase. Un peso "
               "positivo acerca la ficha a la clase.\n");
    fprintf(f, "formato\t2\nalgoritmo\t%s\nnormalizacion\t%s\n"
               "escala_lexico\t%g\nlexico_directo\t%g\nods_umbral\t%g\t%g\n"
               "ejemplos\t%zu\n",
            m->algoritmo, m->normalizar ? "l2" : "ninguna",
            m->escala_lexico, m->lexico_directo, m->ods_umbral,
            m->ods_umbral_otros, m->ejemplos);
    if (m->hiper[0])
        fprintf(f, "hiperparametros\t%s\n", m->hiper);
    fprintf(f, "clases");
    for (size_t i = 0; i < m->ncls; i++)
        fprintf(f, "\t%s", m->cls[i]);
    fprintf(f, "\nsesgo");
    for (size_t i = 0; i < m->ncls; i++)
        fprintf(f, "\t%.5g", m->sesgo[i]);
    fprintf(f, "\n");
    for (size_t i = 0; i < m->ncls; i++) {
        fprintf(f, "ods\t%s", m->cls[i]);
        for (size_t s = 1; s <= NODS; s++)
            fprintf(f, "\t%.3g", m->ods[i][s]);
        fprintf(f, "\n");
    }
    for (size_t r = 0; r < m->nfeat; r++) {
        fprintf(f, "rasgo\t%s\t%.4g", m->rasgos[r], (double)m->idf[r]);
        for (size_t i = 0; i < m->ncls; i++)
            fprintf(f, "\t%.4g", (double)m->w[r * MAX_CLASES + i]);
        fprintf(f, "\n");
    }
    int bad = ferror(f);
    if (fclose(f) != 0 || bad || rename(tmp, path) != 0) {
        pmm_error_set(err, 7, "", "archivo", "no se pudo escribir %s", path);
        remove(tmp);
        free(tmp);
        return -1;
    }
    free(tmp);
    return 0;
}

/* ------------------------------------------------------------------ */
/* lifecycle */

/* Maps every taxonomy class onto the model's classes (by `origen`). */
static void mapear_taxonomias(clasificador *c)
{
    const clasif_modelo *m = c->modelo;
    for (size_t t = 0; t < c->ntax; t++) {
        tax_def *x = &c->tax[t];
        for (size_t k = 0; k < x->n; k++) {
            x->morig[k] = -1;
            for (size_t j = 0; m && j < m->ncls; j++)
                if (!strcmp(m->cls[j], x->origen[k]))
                    x->morig[k] = (int)j;
            int sib = 0;
            for (size_t j = 0; j < x->n; j++)
                if (!strcmp(x->origen[j], x->origen[k]))
                    sib++;
            /* siblings split their origin's probability; the class named
             * like its origin keeps ties */
            x->lsib[k] = sib > 1 ? log((double)sib) +
                                       (strcmp(x->codigo[k], x->origen[k])
                                            ? 1e-6
                                            : 0)
                                 : 0;
        }
    }
}

static void update_version(clasificador *c)
{
    mapear_taxonomias(c);
    if (c->modelo)
        snprintf(c->version, sizeof c->version, "%s modelo:%08x lexico:%08x",
                 CLASIF_VERSION, c->modelo->huella, c->lex_huella);
    else
        snprintf(c->version, sizeof c->version, "%s sin-modelo lexico:%08x",
                 CLASIF_VERSION, c->lex_huella);
}

clasificador *clasificador_new(const char *data_dir, pmm_error *err)
{
    clasificador *c = calloc(1, sizeof *c);
    if (!c) {
        pmm_error_set(err, 7, "", "memoria", "sin memoria");
        return NULL;
    }
    pthread_mutex_init(&c->pool_lock, NULL);
    hashmap_init(&c->lex_idx, sizeof(int));
    hashmap_init(&c->lex_pref, 0);
    c->data_dir = strdup(data_dir);
    c->stopwords = path_join(data_dir, "stopwords_es.txt");
    char *p_ods = path_join(data_dir, "ods.csv");
    char *p_metas = path_join(data_dir, "ods_metas.csv");
    char *p_retos = path_join(data_dir, "retos.csv");
    char *p_lex = path_join(data_dir, "lexico.csv");
    char *p_mod = path_join(data_dir, "modelo.txt");
    texto *tx = NULL;
    int rc = 0;
    if (!c->data_dir || !c->stopwords || !p_ods || !p_metas || !p_retos ||
        !p_lex || !p_mod)
        rc = pmm_error_set(err, 7, "", "memoria", "sin memoria");
    if (rc == 0)
        rc = load_taxonomias(c, err);
    if (rc == 0)
        rc = csvfile_read(p_ods, on_ods, c, err);
    if (rc == 0)
        rc = csvfile_read(p_metas, on_meta, c, err);
    if (rc == 0)
        rc = csvfile_read(p_retos, on_reto, c, err);
    if (rc == 0 && !(tx = texto_new(c->stopwords, err)))
        rc = -1;
    if (rc == 0) {
        lex_ctx x = {c, tx};
        rc = csvfile_read(p_lex, on_lex, &x, err);
        c->lex_huella = file_hash(p_lex);
    }
    if (rc == 0) {
        c->especiales = calloc(c->nlex + 1, sizeof *c->especiales);
        c->sinres = calloc(c->nlex + 1, sizeof *c->sinres);
        if (!c->especiales || !c->sinres)
            rc = pmm_error_set(err, 7, "", "memoria", "sin memoria");
        for (size_t i = 0; rc == 0 && i < c->nlex; i++) {
            if (c->lex[i].tipo == LEX_OBJETIVO ||
                c->lex[i].tipo == LEX_DEPENDENCIA)
                c->especiales[c->nespeciales++] = (int)i;
            else if (c->lex[i].tipo == LEX_SIN_RESULTADOS)
                c->sinres[c->nsinres++] = (int)i;
        }
    }
    if (rc == 0) {
        FILE *probe = fopen(p_mod, "r");
        if (probe) {
            fclose(probe);
            c->modelo = clasif_modelo_cargar(p_mod, err);
            if (!c->modelo)
                rc = -1;
        }
    }
    texto_destroy(&tx);
    free(p_ods);
    free(p_metas);
    free(p_retos);
    free(p_lex);
    free(p_mod);
    if (rc != 0) {
        clasificador_destroy(&c);
        return NULL;
    }
    update_version(c);
    return c;
}

static void worker_free(worker *w)
{
    texto_destroy(&w->tx);
    free(w->filas);
    free(w->vals);
    free(w->marca);
    free(w->lex_hit);
    free(w->hits);
    free(w->fold);
    free(w);
}

void clasificador_destroy(clasificador **self_p)
{
    if (!self_p || !*self_p)
        return;
    clasificador *c = *self_p;
    while (c->pool) {
        worker *w = c->pool;
        c->pool = w->next;
        worker_free(w);
    }
    pthread_mutex_destroy(&c->pool_lock);
    for (size_t i = 0; i < c->nlex; i++) {
        free(c->lex[i].termino);
        free(c->lex[i].clave);
    }
    free(c->lex);
    hashmap_free(&c->lex_idx);
    hashmap_free(&c->lex_pref);
    free(c->especiales);
    free(c->sinres);
    free(c->metas);
    free(c->retos);
    clasif_modelo_destroy(&c->modelo);
    free(c->stopwords);
    free(c->data_dir);
    free(c);
    *self_p = NULL;
}

bool clasificador_tiene_modelo(const clasificador *self)
{
    return self->modelo != NULL;
}

const char *clasificador_version(const clasificador *self)
{
    return self->version;
}

bool clasificador_tiene_taxonomia(const clasificador *self, const char *nombre)
{
    return find_tax(self, nombre) != NULL;
}

size_t clasificador_subtemas(const clasificador *self, const char *taxonomia,
                             const char **codigos, int *ejes, size_t cap)
{
    const tax_def *t = find_tax(self, taxonomia);
    if (!t)
        return 0;
    for (size_t i = 0; i < t->n && i < cap; i++) {
        if (codigos)
            codigos[i] = t->codigo[i];
        if (ejes)
            ejes[i] = t->eje[i];
    }
    return t->n;
}

void clasificador_usar_modelo(clasificador *self, clasif_modelo *m)
{
    clasif_modelo_destroy(&self->modelo);
    self->modelo = m;
    /* rows may have changed: stamps sized for the old model are reset */
    for (worker *w = self->pool; w; w = w->next) {
        free(w->marca);
        w->marca = NULL;
        w->marca_cap = 0;
    }
    update_version(self);
}

static worker *worker_get(clasificador *c, pmm_error *err)
{
    pthread_mutex_lock(&c->pool_lock);
    worker *w = c->pool;
    if (w)
        c->pool = w->next;
    pthread_mutex_unlock(&c->pool_lock);
    if (!w) {
        w = calloc(1, sizeof *w);
        if (!w) {
            pmm_error_set(err, 7, "", "memoria", "sin memoria");
            return NULL;
        }
        w->tx = texto_new(c->stopwords, err);
        w->lex_hit = calloc(c->nlex + 1, 1);
        w->hits = calloc(c->nlex + 1, sizeof *w->hits);
        if (!w->tx || !w->lex_hit || !w->hits) {
            worker_free(w);
            pmm_error_set(err, 7, "", "memoria", "sin memoria");
            return NULL;
        }
    }
    size_t nfeat = c->modelo ? c->modelo->nfeat : 0;
    if (w->marca_cap < nfeat) {
        free(w->marca);
        w->marca = calloc(nfeat, sizeof *w->marca);
        if (!w->marca) {
            worker_free(w);
            pmm_error_set(err, 7, "", "memoria", "sin memoria");
            return NULL;
        }
        w->marca_cap = nfeat;
        w->llamada = 0;
    }
    return w;
}

static void worker_put(clasificador *c, worker *w)
{
    pthread_mutex_lock(&c->pool_lock);
    w->next = c->pool;
    c->pool = w;
    pthread_mutex_unlock(&c->pool_lock);
}

/* ------------------------------------------------------------------ */
/* feature extraction shared by training and classification */

typedef struct {
    worker *w;
    const clasif_modelo *m;     /* classify: look features up here */
    clasif_modelo *entreno;     /* train: add features here */
    const char *prefijo;        /* prepended to every feature when set */
    bool fallo;
} feat_ctx;

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int push_fila(worker *w, int row, double v)
{
    if (w->nfilas == w->filas_cap) {
        size_t ncap = w->filas_cap ? w->filas_cap * 2 : 256;
        int *nf = realloc(w->filas, ncap * sizeof *nf);
        if (!nf)
            return -1;
        w->filas = nf;
        double *nv = realloc(w->vals, ncap * sizeof *nv);
        if (!nv)
            return -1;
        w->vals = nv;
        w->filas_cap = ncap;
    }
    w->filas[w->nfilas] = row;
    w->vals[w->nfilas++] = v;
    return 0;
}

static int on_feat(void *user, const char *f, size_t n)
{
    feat_ctx *x = user;
    worker *w = x->w;
    char buf[TEXTO_MAX_RASGO + 8];
    if (x->prefijo) {
        size_t pl = strlen(x->prefijo);
        if (n > sizeof buf - pl - 1)
            n = sizeof buf - pl - 1;
        memcpy(buf, x->prefijo, pl);
        memcpy(buf + pl, f, n);
        n += pl;
        buf[n] = '\0';
        f = buf;
    }
    if (x->entreno) {
        int row = modelo_add_rasgo(x->entreno, f, n);
        if (row < 0 || push_fila(w, row, 1.0)) {
            x->fallo = true;
            return -1;
        }
        return 0;
    }
    int row = dict_get(&x->m->vocab, f, n);
    if (row < 0 || w->marca[row] == w->llamada)
        return 0;
    w->marca[row] = w->llamada;
    if (push_fila(w, row, 1.0)) {
        x->fallo = true;
        return -1;
    }
    return 0;
}

/* Marks the lexicon entries (of the wanted kinds) found in toks. */
static void match_lexicon(const clasificador *c, worker *w,
                          const texto_token *toks, size_t nt, bool retos,
                          bool cabeza)
{
    bool primera = cabeza;          /* at the first content word */
    char key[TEXTO_MAX_RASGO * 2];
    for (size_t i = 0; i < nt; i++) {
        if (toks[i].parada || toks[i].tipo != TEXTO_PALABRA)
            continue;
        unsigned char marca = primera ? LEX_CABEZA : 1;
        primera = false;
        size_t len = 0, nst = 0;
        for (size_t j = i; j < nt && nst < c->lex_max_stems; j++) {
            const texto_token *t = &toks[j];
            if (j > i && t->corte)
                break;
            if (t->tipo != TEXTO_PALABRA)
                break;
            if (t->parada)
                continue;
            if (len + t->len + 2 > sizeof key)
                break;
            if (len)
                key[len++] = '_';
            memcpy(key + len, t->s, t->len);
            len += t->len;
            nst++;
            int k = dict_get(&c->lex_idx, key, len);
            for (; k >= 0; k = c->lex[k].siguiente) {
                bool is_reto = c->lex[k].tipo == LEX_RETO;
                if (is_reto == retos && !w->lex_hit[k])
                    w->hits[w->nhits++] = k;
                if (is_reto == retos && w->lex_hit[k] < marca)
                    w->lex_hit[k] = marca;
            }
            if (!hashmap_get(&c->lex_pref, key, len))
                break;              /* no longer phrase starts like this */
        }
    }
}

/* Weight factor of a lexicon hit: the first words of the program name
 * name the kind of action ("Protocolo de ...", "Taller de ...") and count
 * more than the topic words that follow. */
static double peso_cabeza(unsigned char marca)
{
    return marca == LEX_CABEZA ? LEX_CABEZA_PESO : 1.0;
}

/* Sum of the lexicon's sub-topic weights found in the ficha, per class of
 * the given class list (a model's 2018-2022 codes). */
static void lexico_por_clase(const clasificador *c, const worker *w,
                             const clasif_entrada *in,
                             char (*cls)[CLASIF_COD], size_t ncls,
                             double *out)
{
    for (size_t k = 0; k < ncls; k++)
        out[k] = 0;
    (void)in;
    for (size_t h = 0; h < w->nhits; h++) {
        const lex_entry *e = &c->lex[w->hits[h]];
        if (e->tipo != LEX_SUBTEMA && e->tipo != LEX_OBJETIVO &&
            e->tipo != LEX_DEPENDENCIA)
            continue;
        for (size_t k = 0; k < ncls; k++)
            if (!strcmp(cls[k], e->destino))
                out[k] += e->peso * peso_cabeza(w->lex_hit[w->hits[h]]);
    }
}

/* Runs the pipeline over the ficha's text fields: model features (when x is
 * given) and lexicon hits. Binary features get 1/sqrt(n) when the model
 * normalises; the lexicon's per-class sums become features "~<class>" whose
 * value is the sum times the model's lexicon scale. */
static int analizar_entrada(clasificador *c, worker *w,
                            const clasif_entrada *in, feat_ctx *x,
                            pmm_error *err)
{
    const char *campos[] = {in->programa, in->objetivo, in->poblacion,
                            in->resultados};
    w->nfilas = 0;
    for (size_t h = 0; h < w->nhits; h++)
        w->lex_hit[w->hits[h]] = 0;
    w->nhits = 0;
    w->dep[0] = '\0';
    if (in->dependencia)
        utf8_fold(in->dependencia, strlen(in->dependencia), w->dep,
                  sizeof w->dep);
    for (size_t j = 0; j < c->nespeciales; j++) {
        size_t i = (size_t)c->especiales[j];
        const lex_entry *e = &c->lex[i];
        if ((e->tipo == LEX_OBJETIVO && in->objetivo_pmm == e->numero) ||
            (e->tipo == LEX_DEPENDENCIA && w->dep[0] &&
             !strcmp(w->dep, e->clave))) {
            w->lex_hit[i] = 1;
            w->hits[w->nhits++] = (int)i;
        }
    }
    for (size_t i = 0; i < sizeof campos / sizeof campos[0]; i++) {
        if (!campos[i] || !*campos[i])
            continue;
        const texto_token *toks;
        size_t nt;
        if (texto_analizar(w->tx, campos[i], strlen(campos[i]), &toks, &nt,
                           err) != 0)
            return -1;
        if (x && texto_rasgos_tokens(toks, nt, RASGOS, on_feat, x) != 0)
            return pmm_error_set(err, 7, "", "memoria", "sin memoria");
        if (x && i == 0) {
            /* the program name names the kind of action: its words also
             * count as features of their own */
            x->prefijo = "p:";
            int r = texto_rasgos_tokens(toks, nt, TEXTO_UNIGRAMAS, on_feat, x);
            x->prefijo = NULL;
            if (r != 0)
                return pmm_error_set(err, 7, "", "memoria", "sin memoria");
        }
        match_lexicon(c, w, toks, nt, false, i == 0);
    }
    if (x && in->dependencia && *in->dependencia) {
        char buf[64];
        buf[0] = '@';
        size_t n = utf8_fold(in->dependencia, strlen(in->dependencia),
                             buf + 1, sizeof buf - 1);
        if (on_feat(x, buf, n + 1) != 0)
            return pmm_error_set(err, 7, "", "memoria", "sin memoria");
    }
    if (x && in->ambito && !strcmp(in->ambito, "estatal") &&
        on_feat(x, "@ambito_estatal", 15) != 0)
        return pmm_error_set(err, 7, "", "memoria", "sin memoria");
    if (in->retos && *in->retos) {
        const texto_token *toks;
        size_t nt;
        if (texto_analizar(w->tx, in->retos, strlen(in->retos), &toks, &nt,
                           err) != 0)
            return -1;
        match_lexicon(c, w, toks, nt, true, false);
    }
    if (!x)
        return 0;
    clasif_modelo *m = x->entreno ? x->entreno : (clasif_modelo *)x->m;
    if (x->entreno) {               /* training: duplicates are possible */
        qsort(w->filas, w->nfilas, sizeof *w->filas, cmp_int);
        size_t u = 0;
        for (size_t k = 0; k < w->nfilas; k++)
            if (u == 0 || w->filas[u - 1] != w->filas[k])
                w->filas[u++] = w->filas[k];
        w->nfilas = u;
    }
    /* idf-weighted binary values, L2-normalised (plain binary features
     * have idf 1, which gives 1/sqrt(n)) */
    double norm = 0;
    for (size_t k = 0; k < w->nfilas; k++) {
        double v = m->idf[w->filas[k]];
        w->vals[k] = v;
        norm += v * v;
    }
    if (m->normalizar && norm > 0) {
        double inv = 1.0 / sqrt(norm);
        for (size_t k = 0; k < w->nfilas; k++)
            w->vals[k] *= inv;
    }
    if (m->escala_lexico > 0) {
        double lx[MAX_CLASES];
        lexico_por_clase(c, w, in, m->cls, m->ncls, lx);
        for (size_t k = 0; k < m->ncls; k++) {
            if (lx[k] <= 0)
                continue;
            char name[CLASIF_COD + 2];
            name[0] = '~';
            copy_str(name + 1, sizeof name - 1, m->cls[k]);
            int row = x->entreno ? modelo_add_rasgo(x->entreno, name,
                                                    strlen(name))
                                 : dict_get(&m->vocab, name, strlen(name));
            if (row == -1 && !x->entreno)
                continue;
            if (row < 0 || push_fila(w, row, lx[k] * m->escala_lexico))
                return pmm_error_set(err, 7, "", "memoria", "sin memoria");
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* training */

/* xorshift64*, deterministic so training is reproducible. */
static uint64_t rnd_next(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}

/* The model: multinomial logistic regression (softmax) over idf-weighted,
 * L2-normalised binary features, trained by AdaGrad with L2
 * regularisation and class weights that soften the imbalance between large
 * and small sub-topics, plus (optionally) a complement naive Bayes whose
 * log-weights are added to the same rows. The lexicon enters twice: its
 * per-class sums are features ("~class") and, after training, are also
 * added straight to the class scores (lexico_directo + lexico_extra), so an
 * analyst's entry acts even before the model is retrained and the model
 * cannot learn to cancel it. */
#define LR_EPOCAS 60
#define LR_TASA 0.5
#define NB_ALFA 0.1

typedef struct {
    double l2;              /* L2 strength */
    double peso_clase;      /* class weight (n / (K n_k)) ^ this */
    double escala_lexico;   /* value of "~class" per unit of lexicon */
    double lexico_directo;  /* offset of lexicon sums while training */
    double nb;              /* weight of the complement naive Bayes */
    bool idf;
    double lexico_extra;    /* added to lexico_directo after training */
} hiper;

/* Fixed before looking at any data; the grid below is searched by nested
 * leave-one-group-out when the examples span three groups or more. */
static const hiper HIPER_DEF = {1e-4, 0.5, 0.5, 0.0, 0.0, true, 1.0};

typedef struct {
    size_t n, F, K;
    int **docs;             /* text feature rows, unique */
    size_t *ndoc;
    double *lx;             /* n x K: lexicon sums per class */
    int *y;
    int *grupo;
} datos_ent;

typedef struct {
    size_t F, K;
    float *w;               /* F x K */
    float *idf;             /* F; 0: feature never seen in training */
    double L[MAX_CLASES][MAX_CLASES];   /* "~j" -> class k */
    double b[MAX_CLASES];
    hiper h;
} pesos;

static void pesos_free(pesos *p)
{
    free(p->w);
    free(p->idf);
    memset(p, 0, sizeof *p);
}

/* Values of doc i's rows under p's idf (unseen features weigh 0). */
static void valores(const datos_ent *d, size_t i, const float *idf,
                    double *v)
{
    double norm = 0;
    for (size_t f = 0; f < d->ndoc[i]; f++) {
        v[f] = idf[d->docs[i][f]];
        norm += v[f] * v[f];
    }
    if (norm > 0) {
        double inv = 1.0 / sqrt(norm);
        for (size_t f = 0; f < d->ndoc[i]; f++)
            v[f] *= inv;
    }
}

static void puntuar(const datos_ent *d, size_t i, const pesos *p,
                    const double *v, double *s)
{
    size_t K = d->K;
    const double *lx = &d->lx[i * K];
    for (size_t k = 0; k < K; k++)
        s[k] = p->b[k] + p->h.lexico_directo * lx[k];
    for (size_t f = 0; f < d->ndoc[i]; f++) {
        const float *row = &p->w[(size_t)d->docs[i][f] * K];
        for (size_t k = 0; k < K; k++)
            s[k] += v[f] * row[k];
    }
    for (size_t j = 0; j < K; j++)
        if (lx[j] > 0)
            for (size_t k = 0; k < K; k++)
                s[k] += p->h.escala_lexico * lx[j] * p->L[j][k];
}

static void softmax(double *s, size_t K)
{
    double mx = -1e300, z = 0;
    for (size_t k = 0; k < K; k++)
        if (s[k] > mx)
            mx = s[k];
    for (size_t k = 0; k < K; k++) {
        s[k] = exp(s[k] - mx);
        z += s[k];
    }
    for (size_t k = 0; k < K; k++)
        s[k] /= z;
}

/* Trains p on the docs with usar[i] set. */
static int entrenar_pesos(const datos_ent *d, const unsigned char *usar,
                          const hiper *h, pesos *p)
{
    size_t K = d->K, F = d->F, n = 0, maxd = 1;
    memset(p, 0, sizeof *p);
    p->F = F;
    p->K = K;
    p->h = *h;
    p->w = calloc(F * K + 1, sizeof *p->w);
    p->idf = calloc(F + 1, sizeof *p->idf);
    float *g2 = calloc(F * K + 1, sizeof *g2);
    size_t *ord = malloc((d->n + 1) * sizeof *ord);
    double *v = NULL;
    if (!p->w || !p->idf || !g2 || !ord)
        goto oom;
    for (size_t i = 0; i < d->n; i++) {
        if (!usar[i])
            continue;
        ord[n++] = i;
        if (d->ndoc[i] > maxd)
            maxd = d->ndoc[i];
        for (size_t f = 0; f < d->ndoc[i]; f++)
            p->idf[d->docs[i][f]] += 1;     /* document frequency */
    }
    for (size_t f = 0; f < F; f++) {
        double df = p->idf[f];
        p->idf[f] = df <= 0 ? 0.0f
                    : h->idf ? (float)(log((1.0 + (double)n) / (1.0 + df)) + 1.0)
                             : 1.0f;
    }
    v = malloc(maxd * sizeof *v);
    if (!v)
        goto oom;
    double cnt[MAX_CLASES] = {0}, cw[MAX_CLASES];
    for (size_t o = 0; o < n; o++)
        cnt[d->y[ord[o]]]++;
    for (size_t k = 0; k < K; k++)
        cw[k] = cnt[k] > 0 ? pow((double)n / ((double)K * cnt[k]),
                                 h->peso_clase)
                           : 0;
    double gb2[MAX_CLASES] = {0}, gl2[MAX_CLASES][MAX_CLASES];
    memset(gl2, 0, sizeof gl2);
    uint64_t seed = 88172645463325252ull;
    for (int ep = 0; ep < LR_EPOCAS; ep++) {
        for (size_t i = n; i > 1; i--) {
            size_t j = rnd_next(&seed) % i;
            size_t t = ord[i - 1];
            ord[i - 1] = ord[j];
            ord[j] = t;
        }
        for (size_t o = 0; o < n; o++) {
            size_t i = ord[o];
            double s[MAX_CLASES];
            valores(d, i, p->idf, v);
            puntuar(d, i, p, v, s);
            softmax(s, K);
            const double *lx = &d->lx[i * K];
            double wt = cw[d->y[i]];
            for (size_t k = 0; k < K; k++) {
                double g = wt * (s[k] - ((int)k == d->y[i] ? 1.0 : 0.0));
                gb2[k] += g * g;
                p->b[k] -= LR_TASA * g / (sqrt(gb2[k]) + 1e-8);
                for (size_t f = 0; f < d->ndoc[i]; f++) {
                    size_t idx = (size_t)d->docs[i][f] * K + k;
                    double gf = g * v[f] + h->l2 * p->w[idx];
                    g2[idx] += (float)(gf * gf);
                    p->w[idx] -= (float)(LR_TASA * gf /
                                         (sqrt((double)g2[idx]) + 1e-8));
                }
                for (size_t j = 0; j < K; j++) {
                    if (lx[j] <= 0)
                        continue;
                    double gf = g * h->escala_lexico * lx[j] +
                                h->l2 * p->L[j][k];
                    gl2[j][k] += gf * gf;
                    p->L[j][k] -= LR_TASA * gf / (sqrt(gl2[j][k]) + 1e-8);
                }
            }
        }
    }
    if (h->nb > 0) {
        /* complement naive Bayes: a feature pulls away from the classes
         * whose complement uses it often */
        double *tot = calloc(F * K + 1, sizeof *tot), T[MAX_CLASES] = {0};
        size_t Fv = 0;
        if (!tot)
            goto oom;
        for (size_t o = 0; o < n; o++) {
            size_t i = ord[o];
            valores(d, i, p->idf, v);
            for (size_t f = 0; f < d->ndoc[i]; f++)
                for (size_t k = 0; k < K; k++)
                    if ((int)k != d->y[i]) {
                        tot[(size_t)d->docs[i][f] * K + k] += v[f];
                        T[k] += v[f];
                    }
        }
        for (size_t f = 0; f < F; f++)
            Fv += p->idf[f] > 0;
        for (size_t f = 0; f < F; f++) {
            if (p->idf[f] <= 0)
                continue;
            double row[MAX_CLASES], mean = 0;
            for (size_t k = 0; k < K; k++) {
                row[k] = -log((tot[f * K + k] + NB_ALFA) /
                              (T[k] + NB_ALFA * (double)Fv));
                mean += row[k];
            }
            mean /= (double)K;
            for (size_t k = 0; k < K; k++)
                p->w[f * K + k] += (float)(h->nb * (row[k] - mean));
        }
        free(tot);
    }
    free(g2);
    free(ord);
    free(v);
    return 0;
oom:
    free(g2);
    free(ord);
    free(v);
    pesos_free(p);
    return -1;
}

/* Scores of a held-out run: accuracy and macro-F1 over the docs with
 * eval[i] set, whose predicted class is pred[i]. */
static double puntuacion_cv(const datos_ent *d, const int *pred,
                            const unsigned char *eval)
{
    long tp[MAX_CLASES] = {0}, np[MAX_CLASES] = {0}, ng[MAX_CLASES] = {0};
    long ok = 0, tot = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (!eval[i])
            continue;
        tot++;
        ng[d->y[i]]++;
        np[pred[i]]++;
        if (pred[i] == d->y[i]) {
            tp[d->y[i]]++;
            ok++;
        }
    }
    double f1 = 0;
    int nk = 0;
    for (size_t k = 0; k < d->K; k++) {
        if (!ng[k] && !np[k])
            continue;
        double pr = np[k] ? (double)tp[k] / (double)np[k] : 0;
        double re = ng[k] ? (double)tp[k] / (double)ng[k] : 0;
        f1 += pr + re > 0 ? 2 * pr * re / (pr + re) : 0;
        nk++;
    }
    double acc = tot ? (double)ok / (double)tot : 0;
    return 0.5 * acc + 0.5 * (nk ? f1 / nk : 0);
}

/* Leave-one-group-out over d with hyper-parameters h: out-of-fold class
 * probabilities into prob (n x K, may be NULL) and the score. */
static int cv_grupos(const datos_ent *d, const hiper *h, double *prob,
                     double *score)
{
    unsigned char *usar = malloc(d->n + 1), *eval = malloc(d->n + 1);
    int *pred = malloc((d->n + 1) * sizeof *pred);
    double *v = NULL;
    size_t maxd = 1;
    for (size_t i = 0; i < d->n; i++)
        if (d->ndoc[i] > maxd)
            maxd = d->ndoc[i];
    v = malloc(maxd * sizeof *v);
    int rc = 0;
    if (!usar || !eval || !pred || !v) {
        rc = -1;
        goto out;
    }
    memset(eval, 0, d->n);
    for (size_t i = 0; i < d->n && rc == 0; i++) {
        if (eval[i] || d->grupo[i] == 0)
            continue;
        int g = d->grupo[i];
        for (size_t j = 0; j < d->n; j++)
            usar[j] = d->grupo[j] != g;
        pesos p;
        if (entrenar_pesos(d, usar, h, &p) != 0) {
            rc = -1;
            break;
        }
        for (size_t j = 0; j < d->n; j++) {
            if (usar[j])
                continue;
            double s[MAX_CLASES];
            valores(d, j, p.idf, v);
            p.h.lexico_directo = h->lexico_directo + h->lexico_extra;
            puntuar(d, j, &p, v, s);
            softmax(s, d->K);
            size_t best = 0;
            for (size_t k = 0; k < d->K; k++)
                if (s[k] > s[best])
                    best = k;
            pred[j] = (int)best;
            eval[j] = 1;
            if (prob)
                memcpy(&prob[j * d->K], s, d->K * sizeof *s);
        }
        pesos_free(&p);
    }
    if (rc == 0)
        *score = puntuacion_cv(d, pred, eval);
out:
    free(usar);
    free(eval);
    free(pred);
    free(v);
    return rc;
}

static size_t contar_grupos(const datos_ent *d)
{
    size_t ng = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (d->grupo[i] == 0)
            continue;
        bool visto = false;
        for (size_t j = 0; j < i && !visto; j++)
            visto = d->grupo[j] == d->grupo[i];
        ng += !visto;
    }
    return ng;
}

/* Chooses the hyper-parameters by leave-one-group-out over the training
 * examples (the caller's outer evaluation never sees its test year here).
 */
/* SDG shares per class over the groups (sub-topic, year) of the examples
 * outside group `fuera` (0: all): every ficha of a group carries the same
 * list, so a large year must not outvote the others. */
static void ods_cuotas(const clasif_ejemplo *ej, const int *y, size_t n,
                       size_t K, int fuera, double (*out)[NODS + 1])
{
    for (size_t k = 0; k < K; k++) {
        int grupos[256];
        bool tiene[256][NODS + 1];
        size_t ng = 0;
        memset(tiene, 0, sizeof tiene);
        for (size_t i = 0; i < n; i++) {
            if ((size_t)y[i] != k || (fuera != 0 && ej[i].grupo == fuera))
                continue;
            size_t g = 0;
            if (ej[i].grupo != 0)
                while (g < ng && grupos[g] != ej[i].grupo)
                    g++;
            else
                g = ng;
            if (g == ng) {
                if (ng == 256)
                    continue;
                grupos[ng++] = ej[i].grupo;
            }
            for (size_t s = 0; s < ej[i].nods; s++)
                if (ej[i].ods[s] >= 1 && ej[i].ods[s] <= NODS)
                    tiene[g][ej[i].ods[s]] = true;
        }
        for (size_t s = 1; s <= NODS; s++) {
            size_t si = 0;
            for (size_t g = 0; g < ng; g++)
                si += tiene[g][s];
            out[k][s] = ng ? (double)si / (double)ng : 0;
        }
    }
}

/* The SDG rule of clasificador_classify on probabilities ps (1..NODS):
 * 10 when P >= 0.5; the likeliest other SDG when P >= u1; any other one
 * when P >= u2. */
static bool ods_asigna(const double *ps, int s, int mejor, double u1,
                       double u2)
{
    if (s == 10)
        return ps[s] >= 0.5;
    return ps[s] > 0 && ps[s] >= (s == mejor ? u1 : u2);
}

/* SDG thresholds, chosen on out-of-fold predictions of the training
 * examples (probabilities prob, n x K; shares without each example's own
 * group): the pair that comes closest to the method's targets, i.e. that
 * maximises the smallest of precision / 0.93, precision of SDGs other than
 * 10 / 0.85 and share of fichas with a right SDG other than 10 / 0.80.
 * Ties go to the higher thresholds (fewer, surer SDGs). */
#define ODS_META_PREC 0.93
#define ODS_META_PREC10 0.85
#define ODS_META_COB 0.80

static void elegir_umbrales(const datos_ent *d, const clasif_ejemplo *ej,
                            const double *prob, double *u1_out,
                            double *u2_out)
{
    size_t n = d->n, K = d->K;
    double (*ps)[NODS + 1] = calloc(n, sizeof *ps);
    double (*cuota)[NODS + 1] = calloc(K, sizeof *cuota);
    int *mejor = calloc(n, sizeof *mejor);
    if (!ps || !cuota || !mejor)
        goto out;
    for (size_t i = 0; i < n; i++) {
        if (d->grupo[i] == 0)
            continue;
        bool hecho = false;
        for (size_t j = 0; j < i && !hecho; j++)
            hecho = d->grupo[j] == d->grupo[i];
        if (hecho)
            continue;
        ods_cuotas(ej, d->y, n, K, d->grupo[i], cuota);
        for (size_t j = i; j < n; j++) {
            if (d->grupo[j] != d->grupo[i])
                continue;
            for (size_t k = 0; k < K; k++)
                for (int s = 1; s <= NODS; s++)
                    ps[j][s] += prob[j * K + k] * cuota[k][s];
            for (int s = 1; s <= NODS; s++)
                if (s != 10 && ps[j][s] > 0 &&
                    (!mejor[j] || ps[j][s] > ps[j][mejor[j]]))
                    mejor[j] = s;
        }
    }
    static const double u1s[] = {0.3,  0.35, 0.4,  0.45, 0.5, 0.55,
                                 0.6,  0.65, 0.7,  0.75, 0.8, 0.85,
                                 0.9,  0.95};
    static const double u2s[] = {0.8, 0.9, 1.01};
    double best = -1;
    for (size_t a = 0; a < sizeof u1s / sizeof *u1s; a++)
        for (size_t b = 0; b < sizeof u2s / sizeof *u2s; b++) {
            if (u2s[b] < u1s[a])
                continue;
            long ok = 0, nn = 0, ok10 = 0, n10 = 0, con = 0, cubre = 0;
            for (size_t i = 0; i < n; i++) {
                if (d->grupo[i] == 0)
                    continue;
                bool tiene_otro = false, acierto = false;
                for (size_t g = 0; g < ej[i].nods; g++)
                    tiene_otro |= ej[i].ods[g] != 10;
                for (int s = 1; s <= NODS; s++) {
                    if (!ods_asigna(ps[i], s, mejor[i], u1s[a], u2s[b]))
                        continue;
                    bool bien = false;
                    for (size_t g = 0; g < ej[i].nods; g++)
                        bien |= ej[i].ods[g] == s;
                    nn++;
                    ok += bien;
                    if (s != 10) {
                        n10++;
                        ok10 += bien;
                        acierto |= bien;
                    }
                }
                con += tiene_otro;
                cubre += tiene_otro && acierto;
            }
            double p = nn ? (double)ok / (double)nn : 0;
            double p10 = n10 ? (double)ok10 / (double)n10 : 0;
            double cob = con ? (double)cubre / (double)con : 0;
            double v = fmin(p / ODS_META_PREC,
                            fmin(p10 / ODS_META_PREC10, cob / ODS_META_COB));
            if (v >= best - 1e-12) {
                best = v;
                *u1_out = u1s[a];
                *u2_out = u2s[b];
            }
        }
out:
    free(ps);
    free(cuota);
    free(mejor);
}

/* Chooses the hyper-parameters and then the SDG thresholds by
 * leave-one-group-out over the training examples (the caller's outer
 * evaluation never sees its test year here). With fewer than three groups
 * the defaults, fixed a priori, are used. */
static hiper elegir_hiper(const datos_ent *d, const clasif_ejemplo *ej,
                          double *u1, double *u2)
{
    hiper best = HIPER_DEF;
    *u1 = ODS_UMBRAL_UNO;
    *u2 = ODS_UMBRAL;
    if (contar_grupos(d) < 3)
        return best;
    static const double l2s[] = {1e-5, 1e-4, 1e-3};
    static const double nbs[] = {0.0, 0.1};
    static const double extra[] = {1.0, 2.0};
    double *prob = malloc((d->n * d->K + 1) * sizeof *prob);
    double *mejor_prob = malloc((d->n * d->K + 1) * sizeof *prob);
    if (!prob || !mejor_prob) {
        free(prob);
        free(mejor_prob);
        return best;
    }
    double best_s = -1;
    for (size_t a = 0; a < sizeof l2s / sizeof *l2s; a++)
        for (size_t b = 0; b < sizeof nbs / sizeof *nbs; b++)
            for (size_t c = 0; c < sizeof extra / sizeof *extra; c++) {
                hiper h = HIPER_DEF;
                h.l2 = l2s[a];
                h.nb = nbs[b];
                h.lexico_extra = extra[c];
                double s;
                if (cv_grupos(d, &h, prob, &s) != 0)
                    continue;
                if (s > best_s + 1e-9) {
                    best_s = s;
                    best = h;
                    memcpy(mejor_prob, prob, d->n * d->K * sizeof *prob);
                }
            }
    if (best_s >= 0)
        elegir_umbrales(d, ej, mejor_prob, u1, u2);
    free(prob);
    free(mejor_prob);
    return best;
}

clasif_modelo *clasif_modelo_entrenar(clasificador *self,
                                      const clasif_ejemplo *ej, size_t n,
                                      pmm_error *err)
{
    const tax_def *t = find_tax(self, CLASIF_TAXONOMIA_DEF);
    if (!t) {
        pmm_error_set(err, 7, "taxonomia", "datos",
                      "falta la taxonomía %s", CLASIF_TAXONOMIA_DEF);
        return NULL;
    }
    if (n == 0) {
        pmm_error_set(err, 1, "corpus", "vacio",
                      "el corpus no tiene ejemplos");
        return NULL;
    }
    clasif_modelo *m = modelo_nuevo();
    datos_ent d = {.n = n, .K = t->n};
    d.docs = calloc(n, sizeof *d.docs);
    d.ndoc = calloc(n, sizeof *d.ndoc);
    d.lx = calloc(n * t->n, sizeof *d.lx);
    d.y = calloc(n, sizeof *d.y);
    d.grupo = calloc(n, sizeof *d.grupo);
    pesos p = {0};
    worker *w = NULL;
    int rc = 0;
    if (!m || !d.docs || !d.ndoc || !d.lx || !d.y || !d.grupo) {
        rc = pmm_error_set(err, 7, "", "memoria", "sin memoria");
        goto done;
    }
    copy_str(m->algoritmo, sizeof m->algoritmo, "logistica");
    m->normalizar = true;
    m->escala_lexico = 0;           /* no "~class" rows while extracting */
    m->ejemplos = n;
    m->ncls = t->n;
    for (size_t k = 0; k < t->n; k++)
        copy_str(m->cls[k], CLASIF_COD, t->codigo[k]);
    if (!(w = worker_get(self, err))) {
        rc = -1;
        goto done;
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        d.y[i] = ej[i].subtema ? tax_index(t, ej[i].subtema) : -1;
        d.grupo[i] = ej[i].grupo;
        if (d.y[i] < 0) {
            rc = pmm_error_set(err, 1, "subtema", "taxonomia",
                               "ejemplo %zu: subtema «%s» fuera de la "
                               "taxonomía %s", i + 1,
                               ej[i].subtema ? ej[i].subtema : "",
                               CLASIF_TAXONOMIA_DEF);
            break;
        }
        feat_ctx x = {.w = w, .entreno = m};
        if (analizar_entrada(self, w, &ej[i].entrada, &x, err) != 0 ||
            x.fallo) {
            rc = x.fallo ? pmm_error_set(err, 7, "", "memoria", "sin memoria")
                         : -1;
            break;
        }
        size_t u = w->nfilas;
        d.docs[i] = malloc((u ? u : 1) * sizeof **d.docs);
        if (!d.docs[i]) {
            rc = pmm_error_set(err, 7, "", "memoria", "sin memoria");
            break;
        }
        memcpy(d.docs[i], w->filas, u * sizeof **d.docs);
        d.ndoc[i] = u;
        lexico_por_clase(self, w, &ej[i].entrada, m->cls, m->ncls,
                         &d.lx[i * t->n]);
    }
    if (rc != 0)
        goto done;
    d.F = m->nfeat;
    ods_cuotas(ej, d.y, n, t->n, 0, m->ods);
    double u1, u2;
    hiper h = elegir_hiper(&d, ej, &u1, &u2);
    unsigned char *todos = malloc(n);
    if (!todos) {
        rc = pmm_error_set(err, 7, "", "memoria", "sin memoria");
        goto done;
    }
    memset(todos, 1, n);
    rc = entrenar_pesos(&d, todos, &h, &p);
    free(todos);
    if (rc != 0) {
        rc = pmm_error_set(err, 7, "", "memoria", "sin memoria");
        goto done;
    }
    /* into the model: text rows, then one "~class" row per class */
    size_t K = t->n;
    for (size_t f = 0; f < d.F; f++) {
        m->idf[f] = p.idf[f];
        for (size_t k = 0; k < K; k++)
            m->w[f * MAX_CLASES + k] = p.w[f * K + k];
    }
    m->escala_lexico = h.escala_lexico;
    m->lexico_directo = h.lexico_directo + h.lexico_extra;
    m->ods_umbral = u1;
    m->ods_umbral_otros = u2;
    snprintf(m->hiper, sizeof m->hiper,
             "l2=%g nb=%g lexico_extra=%g ods=%g/%g (%s)", h.l2, h.nb,
             h.lexico_extra, u1, u2,
             contar_grupos(&d) >= 3 ? "elegidos dejando un grupo fuera"
                                    : "por omisión");
    for (size_t j = 0; h.escala_lexico > 0 && j < K; j++) {
        char name[CLASIF_COD + 2];
        name[0] = '~';
        copy_str(name + 1, sizeof name - 1, m->cls[j]);
        int row = modelo_add_rasgo(m, name, strlen(name));
        if (row < 0) {
            rc = pmm_error_set(err, 7, "", "memoria", "sin memoria");
            goto done;
        }
        m->idf[row] = 1.0f;
        for (size_t k = 0; k < K; k++)
            m->w[(size_t)row * MAX_CLASES + k] = (float)p.L[j][k];
    }
    for (size_t k = 0; k < K; k++)
        m->sesgo[k] = p.b[k];
    centrar(m);
    m->huella = 2166136261u;
    for (size_t r = 0; r < m->nfeat; r++)
        m->huella = fnv32((const char *)&m->w[r * MAX_CLASES],
                          m->ncls * sizeof(float), m->huella);
done:
    if (w)
        worker_put(self, w);
    pesos_free(&p);
    for (size_t i = 0; d.docs && i < n; i++)
        free(d.docs[i]);
    free(d.docs);
    free(d.ndoc);
    free(d.lx);
    free(d.y);
    free(d.grupo);
    if (rc != 0)
        clasif_modelo_destroy(&m);
    return m;
}

/* ------------------------------------------------------------------ */
/* classification */

static void add_evid(clasif_resultado *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void add_evid(clasif_resultado *out, const char *fmt, ...)
{
    if (out->nevidencia >= CLASIF_MAX_EVID)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->evidencia[out->nevidencia++], CLASIF_EVID_LEN, fmt, ap);
    va_end(ap);
}

/* Appends "<a><b><c><d> (+1.25)" as evidence without printf (this runs
 * for every ficha). dec is 1 or 2 decimals. */
static void add_evid_peso(clasif_resultado *out, const char *a, const char *b,
                          const char *c, const char *d, double v, int dec)
{
    if (out->nevidencia >= CLASIF_MAX_EVID)
        return;
    char *o = out->evidencia[out->nevidencia++];
    size_t n = 0, cap = CLASIF_EVID_LEN - 16;
    const char *parts[] = {a, b, c, d};
    for (size_t i = 0; i < 4; i++) {
        if (!parts[i])
            continue;
        size_t l = strlen(parts[i]);
        if (l > cap - n)
            l = cap - n;
        memcpy(o + n, parts[i], l);
        n += l;
    }
    int scale = dec == 2 ? 100 : 10;
    long q = lround(fabs(v) * scale);
    if (q > 99999999)
        q = 99999999;
    char num[24];
    int k = 0;
    for (int i = 0; i < dec; i++) {
        num[k++] = (char)('0' + q % 10);
        q /= 10;
    }
    num[k++] = '.';
    do {
        num[k++] = (char)('0' + q % 10);
        q /= 10;
    } while (q);
    num[k++] = v < 0 ? '-' : '+';
    o[n++] = ' ';
    o[n++] = '(';
    while (k > 0)
        o[n++] = num[--k];
    o[n++] = ')';
    o[n] = '\0';
}

static bool sin_resultados_texto(const clasificador *c, worker *w,
                                 const char *texto)
{
    if (c->nsinres == 0)
        return false;
    size_t n = strlen(texto);
    if (n * 2 + 16 > w->fold_cap) {
        char *nf = realloc(w->fold, n * 2 + 16);
        if (!nf)
            return false;
        w->fold = nf;
        w->fold_cap = n * 2 + 16;
    }
    utf8_fold(texto, n, w->fold, w->fold_cap);
    for (size_t j = 0; j < c->nsinres; j++)
        if (strstr(w->fold, c->lex[c->sinres[j]].clave))
            return true;
    return false;
}

typedef struct {
    int row;
    double v;
} contrib;


int clasificador_classify(clasificador *self, const clasif_entrada *in,
                          const char *taxonomia_nombre, clasif_resultado *out,
                          pmm_error *err)
{
    memset(out, 0, sizeof *out);
    const tax_def *t = find_tax(self, taxonomia_nombre);
    if (!t)
        return pmm_error_set(err, 1, "taxonomia", "desconocida",
                             "taxonomía «%s» desconocida",
                             taxonomia_nombre ? taxonomia_nombre : "");
    copy_str(out->taxonomia, sizeof out->taxonomia, t->nombre);
    copy_str(out->version, sizeof out->version, self->version);
    worker *w = worker_get(self, err);
    if (!w)
        return -1;
    const clasif_modelo *m = self->modelo;
    w->llamada++;
    if (w->llamada == 0) {          /* stamp wrapped: clear */
        memset(w->marca, 0, w->marca_cap * sizeof *w->marca);
        w->llamada = 1;
    }
    feat_ctx x = {.w = w, .m = m};
    if (analizar_entrada(self, w, in, m ? &x : NULL, err) != 0 || x.fallo) {
        worker_put(self, w);
        return x.fallo ? pmm_error_set(err, 7, "", "memoria", "sin memoria")
                       : -1;
    }

    /* model scores per model class */
    double ms[MAX_CLASES] = {0};
    int morig[MAX_CLASES];              /* taxonomy class -> model class */
    size_t K = t->n;
    if (m) {
        for (size_t k = 0; k < m->ncls; k++)
            ms[k] = m->sesgo[k];
        for (size_t f = 0; f < w->nfilas; f++) {
            const float *row = &m->w[(size_t)w->filas[f] * MAX_CLASES];
            double v = w->vals[f];
            /* every column, not just ncls: a fixed trip count that the
             * compiler vectorises (the columns past ncls are zero, and
             * their sums are never read) */
            for (size_t k = 0; k < MAX_CLASES; k++)
                ms[k] += v * row[k];
        }
    }
    for (size_t k = 0; k < K; k++)
        morig[k] = m ? t->morig[k] : -1;
    /* taxonomy class scores: model (through `origen`) + lexicon */
    double sc[MAX_CLASES], lexs[MAX_CLASES] = {0}, lex_ods[NODS + 1] = {0};
    for (size_t h = 0; h < w->nhits; h++) {
        size_t i = (size_t)w->hits[h];
        const lex_entry *e = &self->lex[i];
        bool hit = w->lex_hit[i] ||
                   (e->tipo == LEX_OBJETIVO && in->objetivo_pmm == e->numero) ||
                   (e->tipo == LEX_DEPENDENCIA && !strcmp(w->dep, e->clave));
        if (!hit)
            continue;
        if (e->tipo == LEX_SUBTEMA || e->tipo == LEX_OBJETIVO ||
            e->tipo == LEX_DEPENDENCIA) {
            int k = tax_index(t, e->destino);
            if (k >= 0)
                lexs[k] += e->peso * peso_cabeza(w->lex_hit[i]) *
                           (m ? m->lexico_directo : 1.0);
        } else if (e->tipo == LEX_ODS) {
            lex_ods[e->numero] += e->peso;
        }
    }
    for (size_t k = 0; k < K; k++) {
        double base = 0;
        if (m)
            base = (morig[k] >= 0 ? ms[morig[k]] : -30.0) - t->lsib[k];
        sc[k] = base + lexs[k];
    }
    double p[MAX_CLASES] = {0}, mx = -1e300, z = 0;
    for (size_t k = 0; k < K; k++)
        if (sc[k] > mx)
            mx = sc[k];
    for (size_t k = 0; k < K; k++) {
        p[k] = exp(sc[k] - mx);
        z += p[k];
    }
    size_t best = 0;
    for (size_t k = 0; k < K; k++) {
        p[k] /= z;
        if (p[k] > p[best])
            best = k;
    }
    if (!m && lexs[best] <= 0) {        /* nothing at all: "otros" */
        int o = tax_index(t, "otros");
        if (o >= 0)
            best = (size_t)o;
    }
    copy_str(out->subtema.codigo, CLASIF_COD, t->codigo[best]);
    out->subtema.eje = t->eje[best];
    out->subtema.confianza = p[best];
    out->eje = t->eje[best];
    for (size_t k = 0; k < K; k++)
        if (t->eje[k] == out->eje)
            out->confianza_eje += p[k];
    /* secondary sub-topics, most likely first */
    for (size_t r = 0; r < CLASIF_MAX_SEC; r++) {
        int pick = -1;
        for (size_t k = 0; k < K; k++) {
            if (k == best || p[k] < SECUNDARIO_MIN)
                continue;
            bool taken = false;
            for (size_t q = 0; q < out->nsecundarios; q++)
                if (!strcmp(out->secundarios[q].codigo, t->codigo[k]))
                    taken = true;
            if (!taken && (pick < 0 || p[k] > p[pick]))
                pick = (int)k;
        }
        if (pick < 0)
            break;
        clasif_subtema *s = &out->secundarios[out->nsecundarios++];
        copy_str(s->codigo, CLASIF_COD, t->codigo[pick]);
        s->eje = t->eje[pick];
        s->confianza = p[pick];
    }

    /* evidence: lexicon hits for the chosen class, then model features */
    for (size_t h = 0; h < w->nhits; h++) {
        size_t i = (size_t)w->hits[h];
        const lex_entry *e = &self->lex[i];
        if (e->tipo == LEX_SUBTEMA && w->lex_hit[i] &&
            !strcmp(e->destino, t->codigo[best]))
            add_evid_peso(out, "léxico «", e->termino, "» → ", e->destino,
                          e->peso, 1);
        if (e->tipo == LEX_OBJETIVO && in->objetivo_pmm == e->numero &&
            !strcmp(e->destino, t->codigo[best]))
            add_evid(out, "objetivo PMM %d → %s (%+.1f)", e->numero,
                     e->destino, e->peso);
        if (e->tipo == LEX_DEPENDENCIA && !strcmp(w->dep, e->clave) &&
            !strcmp(e->destino, t->codigo[best]))
            add_evid(out, "dependencia %s → %s (%+.1f)", e->termino,
                     e->destino, e->peso);
    }
    if (m && morig[best] >= 0 && w->nfilas) {
        /* the five largest pulls towards the chosen class (rows are
         * centred, so the weight itself is the pull) */
        contrib top[5];
        size_t ntop = 0;
        size_t bk = (size_t)morig[best];
        for (size_t f = 0; f < w->nfilas; f++) {
            double v = w->vals[f] * m->w[(size_t)w->filas[f] * MAX_CLASES + bk];
            if (v <= 0.02 || (ntop == 5 && v <= top[4].v))
                continue;
            size_t pos = ntop < 5 ? ntop++ : 4;
            while (pos > 0 && top[pos - 1].v < v) {
                top[pos] = top[pos - 1];
                pos--;
            }
            top[pos] = (contrib){w->filas[f], v};
        }
        for (size_t q = 0; q < ntop; q++)
            add_evid_peso(out, "rasgo «", m->rasgos[top[q].row], "»", NULL,
                          top[q].v, 2);
    }

    /* SDGs, only for fichas with results */
    bool hay_cifras = (in->hay_acciones && in->acciones > 0) ||
                      (in->hay_personas && in->personas > 0) ||
                      (in->hay_mujeres && in->mujeres > 0) ||
                      (in->hay_hombres && in->hombres > 0);
    /* the text is folded and searched only when the figures do not
     * settle it: that scan was a tenth of the classifier's time */
    out->con_resultados = hay_cifras || (!blank(in->resultados) &&
                                         !sin_resultados_texto(self, w, in->resultados));
    if (!out->con_resultados) {
        add_evid(out, "regla: la ficha no reporta resultados, no se "
                      "asignan ODS");
    } else {
        double ps[NODS + 1] = {0};
        for (int s = 1; s <= NODS; s++)
            for (size_t k = 0; m && k < K; k++)
                if (morig[k] >= 0)
                    ps[s] += p[k] * m->ods[morig[k]][s];
        /* the likeliest SDG other than 10 (lexicon evidence breaks ties)
         * when it is sure enough; others only when nearly certain; 10
         * when more likely than not */
        int mejor = 0;
        for (int s = 1; s <= NODS; s++) {
            if (s == 10 || ps[s] <= 0)
                continue;
            double a = ps[s] + 0.01 * (lex_ods[s] >= ODS_LEXICO_MIN);
            double b = mejor ? ps[mejor] + 0.01 * (lex_ods[mejor] >=
                                                  ODS_LEXICO_MIN)
                             : -1;
            if (a > b)
                mejor = s;
        }
        double u1 = m ? m->ods_umbral : 1, u2 = m ? m->ods_umbral_otros : 1;
        for (int s = 1; s <= NODS; s++) {
            bool lex = lex_ods[s] >= ODS_LEXICO_MIN;
            bool asignar;
            if (!m)
                asignar = lex;
            else if (s == 10)
                asignar = ps[s] >= 0.5;
            else
                asignar = ps[s] >= (s == mejor ? u1 : u2);
            if (asignar) {
                clasif_ods *o = &out->ods[out->nods++];
                o->numero = s;
                o->confianza = m ? ps[s] : 0.5;
            }
        }
        /* targets: lexicon hits whose SDG was assigned, else the default */
        for (size_t o = 0; o < out->nods; o++) {
            int s = out->ods[o].numero;
            size_t before = out->nmetas;
            for (size_t h = 0; h < w->nhits; h++) {
                const lex_entry *e = &self->lex[w->hits[h]];
                if (e->tipo != LEX_META || e->numero != s ||
                    e->peso < 1.0)
                    continue;
                bool dup = false;
                for (size_t q = before; q < out->nmetas; q++)
                    if (!strcmp(out->metas[q].meta, e->destino))
                        dup = true;
                if (dup || out->nmetas >= CLASIF_MAX_METAS)
                    continue;
                clasif_meta *mt = &out->metas[out->nmetas++];
                copy_str(mt->meta, sizeof mt->meta, e->destino);
                mt->confianza = out->ods[o].confianza * 0.9;
            }
            if (out->nmetas == before) {
                for (size_t i = 0; i < self->nmetas; i++)
                    if (self->metas[i].ods == s &&
                        self->metas[i].predeterminada &&
                        out->nmetas < CLASIF_MAX_METAS) {
                        clasif_meta *mt = &out->metas[out->nmetas++];
                        copy_str(mt->meta, sizeof mt->meta,
                                 self->metas[i].meta);
                        mt->confianza = out->ods[o].confianza * 0.6;
                        break;
                    }
            }
        }
    }

    /* challenge categories from the retos text */
    if (!blank(in->retos)) {
        double rs[64] = {0};
        for (size_t h = 0; h < w->nhits; h++) {
            const lex_entry *e = &self->lex[w->hits[h]];
            if (e->tipo != LEX_RETO)
                continue;
            for (size_t r = 0; r < self->nretos && r < 64; r++)
                if (!strcmp(self->retos[r], e->destino))
                    rs[r] += e->peso;
        }
        for (size_t r = 0; r < self->nretos && r < 64; r++) {
            if (rs[r] >= 1.0 && out->nretos < CLASIF_MAX_RETOS) {
                clasif_reto *cr = &out->retos[out->nretos++];
                copy_str(cr->codigo, CLASIF_COD, self->retos[r]);
                cr->confianza = 1.0 - exp(-rs[r]);
            }
        }
        if (out->nretos == 0 && has_reto(self, "otro")) {
            copy_str(out->retos[0].codigo, CLASIF_COD, "otro");
            out->retos[0].confianza = 0.3;
            out->nretos = 1;
        }
    }
    worker_put(self, w);
    return 0;
}
