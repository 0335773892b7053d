/* clasif_interno.h -- what the classifier's modules share, and nothing
 * for other callers (they use clasificador.h and entrenar.h): the loaded
 * reference data and lexicon, the model, the per-call scratch and its
 * pool, and a few string helpers.
 *
 *   referencias.c  taxonomies, SDGs, targets, challenges (from refdata)
 *   lexico.c       the editable lexicon: loading and matching
 *   modelo.c       the model file: loading, saving, scoring
 *   rasgos.c       a ficha's features and lexicon hits
 *   clasificador.c loading everything, the pool of per-call scratch
 *   clasificar.c   clasificador_classify and its evidence
 *   entrenar.c     training (pmmentrenar: never linked into clasificd)
 */
#ifndef PMM_CLASIF_INTERNO_H
#define PMM_CLASIF_INTERNO_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clasificador.h"
#include "hashmap.h"
#include "texto.h"

#define MAX_TAXONOMIAS 8
#define MAX_CLASES 32
#define NODS 17
#define CLASIF_MAX_CAL 48
/* which trainer wrote a model file (recorded in it) */
#define CLASIF_ENTRENADOR "pmm-entrenar/2"

/* SDG decision thresholds (see clasificador.h) when the model does not
 * carry its own (formato 1, or trained on fewer than three groups). */
#define ODS_UMBRAL 0.75
#define ODS_UMBRAL_UNO 0.5

/* ---- reference data (referencias.c) ---- */

typedef struct {
    char nombre[16];
    int desde;              /* first year it classifies; 0: no rule */
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

/* ---- lexicon (lexico.c) ---- */

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

/* ---- model (modelo.c) ---- */

struct clasif_modelo {
    char algoritmo[24];
    bool normalizar;        /* feature values are L2-normalised */
    double escala_lexico;   /* value of "~class" = lexicon sum * this */
    double lexico_directo;  /* lexicon sums added straight to scores */
    double ods_umbral;      /* the likeliest SDG other than 10 from here */
    double ods_umbral_otros;    /* any other SDG from here */
    char hiper[192];        /* how training chose its hyper-parameters */
    /* isotonic calibration: the likeliest class' probability cal_x[i]
     * means agreement with the analysts cal_y[i] (interpolated; none when
     * ncal == 0) */
    double cal_x[CLASIF_MAX_CAL], cal_y[CLASIF_MAX_CAL];
    size_t ncal;
    bool con_hiper;         /* h_* hold the hyper-parameters (formato 3) */
    double h_l2, h_nb, h_extra;
    double memoria_acuerdo; /* share of continued programmes whose earlier
                               decision held in the training years */
    size_t memoria_pares;
    double peso_reciente, peso_decisiones;
    char pesos_como[CLASIF_FUENTE_LEN];
    char fuentes[CLASIF_MAX_FUENTES][CLASIF_FUENTE_LEN];
    size_t nfuentes;
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

/* ---- the classifier (clasificador.c) ---- */

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

struct refdata;

struct clasificador {
    char *data_dir;
    struct refdata *rd;     /* the reference data (lib/ficha/refdata.h) */
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


/* A scratch from the pool (or a new one), sized for the current model;
 * NULL with err when memory ran out. Give it back with
 * clasif_worker_devolver. */
worker *clasif_worker_tomar(clasificador *c, pmm_error *err);
void clasif_worker_devolver(clasificador *c, worker *w);

/* ---- string -> int maps (model vocabulary, lexicon index) ---- */

static inline int dict_get(const hashmap *d, const char *k, size_t n)
{
    const int *v = hashmap_get(d, k, n);
    return v ? *v : -1;
}

/* Inserts k with value v unless present; returns the stored value or -2
 * when out of memory. */
static inline int dict_put(hashmap *d, const char *k, size_t n, int v)
{
    void *p;
    int r = hashmap_put(d, k, n, &p);
    if (r < 0)
        return -2;
    if (r == 1)
        *(int *)p = v;
    return *(int *)p;
}

/* ---- helpers ---- */

static inline uint32_t fnv32(const char *s, size_t n, uint32_t h)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

static inline char *path_join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", a, b);
    return p;
}

static inline void copy_str(char *dst, size_t cap, const char *src)
{
    size_t n = src ? strnlen(src, cap - 1) : 0;
    if (n)
        memcpy(dst, src, n);
    dst[n] = '\0';
}

static inline bool blank(const char *s)
{
    if (!s)
        return true;
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return false;
    return true;
}

#endif
