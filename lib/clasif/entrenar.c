/* entrenar.c -- training the classifier's model from labelled fichas
 * (pmm entrenar, pmm evaluar, the benchmark): in pmmentrenar, never linked
 * into clasificd. */
#include "entrenar.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clasif_interno.h"
#include "clasif_lexico.h"
#include "clasif_memoria.h"
#include "clasif_modelo.h"
#include "clasif_rasgos.h"
#include "clasif_ref.h"

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
    double *peso;           /* per example (mean 1), NULL: all 1 */
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
            double s[MAX_CLASES], g[MAX_CLASES];
            valores(d, i, p->idf, v);
            puntuar(d, i, p, v, s);
            softmax(s, K);
            const double *lx = &d->lx[i * K];
            double wt = cw[d->y[i]] * (d->peso ? d->peso[i] : 1.0);
            for (size_t k = 0; k < K; k++) {
                g[k] = wt * (s[k] - ((int)k == d->y[i] ? 1.0 : 0.0));
                gb2[k] += g[k] * g[k];
                p->b[k] -= LR_TASA * g[k] / (sqrt(gb2[k]) + 1e-8);
            }
            /* each weight is updated once per example, from the scores
             * computed before any update: row by row, contiguous */
            for (size_t f = 0; f < d->ndoc[i]; f++) {
                float *w = &p->w[(size_t)d->docs[i][f] * K];
                float *a = &g2[(size_t)d->docs[i][f] * K];
                for (size_t k = 0; k < K; k++) {
                    double gf = g[k] * v[f] + h->l2 * w[k];
                    a[k] += (float)(gf * gf);
                    w[k] -= (float)(LR_TASA * gf /
                                    (sqrt((double)a[k]) + 1e-8));
                }
            }
            for (size_t j = 0; j < K; j++) {
                if (lx[j] <= 0)
                    continue;
                for (size_t k = 0; k < K; k++) {
                    double gf = g[k] * h->escala_lexico * lx[j] +
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
            double pw = d->peso ? d->peso[i] : 1.0;
            valores(d, i, p->idf, v);
            for (size_t f = 0; f < d->ndoc[i]; f++)
                for (size_t k = 0; k < K; k++)
                    if ((int)k != d->y[i]) {
                        tot[(size_t)d->docs[i][f] * K + k] += pw * v[f];
                        T[k] += pw * v[f];
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

/* Isotonic calibration of the confidence: over the held-out rows of prob
 * (grupo != 0), the probability of the likeliest class against whether it
 * was the true one, fitted by pool-adjacent-violators; the blocks' (mean
 * probability, share right) become the model's calibration points, which
 * clasificador_classify interpolates. So a confidence of 0.8 is right
 * about 80 % of the time on years the model did not see. */
typedef struct {
    double x, y, w;
} bloque;

static int cmp_bloque(const void *a, const void *b)
{
    const bloque *p = a, *q = b;
    return (p->x > q->x) - (p->x < q->x);
}

static void elegir_calibracion(const datos_ent *d, const double *prob,
                               clasif_modelo *m)
{
    bloque *b = malloc((d->n + 1) * sizeof *b);
    size_t nb = 0;
    m->ncal = 0;
    if (!b)
        return;
    for (size_t i = 0; i < d->n; i++) {
        if (d->grupo[i] == 0)
            continue;
        const double *pi = &prob[i * d->K];
        size_t best = 0;
        for (size_t k = 1; k < d->K; k++)
            if (pi[k] > pi[best])
                best = k;
        b[nb++] = (bloque){pi[best], (int)best == d->y[i], 1};
    }
    qsort(b, nb, sizeof *b, cmp_bloque);
    size_t top = 0;             /* pool adjacent violators, in place */
    for (size_t i = 0; i < nb; i++) {
        b[top++] = b[i];
        while (top > 1 && b[top - 2].y >= b[top - 1].y) {
            bloque *u = &b[top - 2], *v = &b[top - 1];
            double w = u->w + v->w;
            u->x = (u->x * u->w + v->x * v->w) / w;
            u->y = (u->y * u->w + v->y * v->w) / w;
            u->w = w;
            top--;
        }
    }
    /* at most CLASIF_MAX_CAL points: evenly spaced blocks when more */
    for (size_t j = 0; j < CLASIF_MAX_CAL && j < top; j++) {
        size_t i = top <= CLASIF_MAX_CAL
                       ? j
                       : j * (top - 1) / (CLASIF_MAX_CAL - 1);
        m->cal_x[j] = b[i].x;
        m->cal_y[j] = b[i].y;
        m->ncal = j + 1;
    }
    free(b);
}

/* The grid searched, one configuration per cell. */
#define NGRID 12

typedef struct {
    const datos_ent *d;
    hiper h[NGRID];
    double *prob[NGRID];
    double score[NGRID];
    int rc[NGRID];
    int nhilos;
} grid_trabajo;

typedef struct {
    grid_trabajo *g;
    int hilo;
} grid_parte;

static void *grid_parte_run(void *arg)
{
    grid_parte *p = arg;
    grid_trabajo *g = p->g;
    for (int i = p->hilo; i < NGRID; i += g->nhilos)
        g->rc[i] = cv_grupos(g->d, &g->h[i], g->prob[i], &g->score[i]);
    return NULL;
}

/* Chooses the hyper-parameters, the confidence's calibration and the SDG
 * thresholds by leave-one-group-out over the training examples (the
 * caller's outer evaluation never sees its test year here); the grid's
 * cells are shared between two threads, and the choice does not depend on
 * which finishes first. With fewer than three groups the defaults, fixed a
 * priori, are used (no calibration). */
static hiper elegir_hiper(const datos_ent *d, const clasif_ejemplo *ej,
                          double *u1, double *u2, clasif_modelo *m)
{
    hiper best = HIPER_DEF;
    *u1 = ODS_UMBRAL_UNO;
    *u2 = ODS_UMBRAL;
    m->ncal = 0;
    if (contar_grupos(d) < 3)
        return best;
    static const double l2s[] = {1e-5, 1e-4, 1e-3};
    static const double nbs[] = {0.0, 0.1};
    static const double extra[] = {1.0, 2.0};
    grid_trabajo g = {.d = d, .nhilos = 2};
    int c = 0, ok = 1;
    for (size_t a = 0; a < sizeof l2s / sizeof *l2s; a++)
        for (size_t b = 0; b < sizeof nbs / sizeof *nbs; b++)
            for (size_t e = 0; e < sizeof extra / sizeof *extra; e++) {
                g.h[c] = HIPER_DEF;
                g.h[c].l2 = l2s[a];
                g.h[c].nb = nbs[b];
                g.h[c].lexico_extra = extra[e];
                g.prob[c] = calloc(d->n * d->K + 1, sizeof *g.prob[c]);
                ok &= g.prob[c] != NULL;
                c++;
            }
    if (ok) {
        pthread_t th;
        grid_parte partes[2] = {{&g, 0}, {&g, 1}};
        bool hilo = pthread_create(&th, NULL, grid_parte_run, &partes[1]) == 0;
        if (!hilo)
            g.nhilos = 1;
        grid_parte_run(&partes[0]);
        if (hilo)
            pthread_join(th, NULL);
        double best_s = -1;
        int bi = -1;
        for (int i = 0; i < NGRID; i++)
            if (g.rc[i] == 0 && g.score[i] > best_s + 1e-9) {
                best_s = g.score[i];
                bi = i;
            }
        if (bi >= 0) {
            best = g.h[bi];
            elegir_calibracion(d, g.prob[bi], m);
            elegir_umbrales(d, ej, g.prob[bi], u1, u2);
        }
    }
    for (int i = 0; i < NGRID; i++)
        free(g.prob[i]);
    return best;
}

/* How often an earlier year's label on the same programme (name and body,
 * see clasif_memoria.h) held in a later year of the examples: the
 * confidence of a remembered decision. Smoothed (one agreement and one
 * disagreement added) so that a handful of pairs does not claim 1.0. */
static void clasif_memoria_medir(const clasif_ejemplo *ej, size_t n,
                                 double *acuerdo, size_t *pares)
{
    *acuerdo = MEMORIA_ACUERDO_DEF;
    *pares = 0;
    clasif_memoria *mem = clasif_memoria_nueva();
    if (!mem)
        return;
    for (size_t i = 0; i < n; i++)
        if (ej[i].grupo > 0 &&
            clasif_memoria_agregar(mem, ej[i].grupo, ej[i].entrada.dependencia,
                                   ej[i].entrada.programa,
                                   ej[i].entrada.resultados, ej[i].subtema,
                                   "") != 0) {
            clasif_memoria_destroy(&mem);
            return;
        }
    size_t si = 0, total = 0;
    for (size_t i = 0; i < n; i++) {
        clasif_recuerdo r;
        if (ej[i].grupo <= 0 ||
            !clasif_memoria_buscar(mem, ej[i].grupo, ej[i].entrada.dependencia,
                                   ej[i].entrada.programa,
                                   ej[i].entrada.resultados, &r) ||
            r.similitud < MEMORIA_SIMILITUD_MIN)
            continue;
        total++;
        si += !strcmp(r.subtema, ej[i].subtema);
    }
    clasif_memoria_destroy(&mem);
    *pares = total;
    if (total >= 5)
        *acuerdo = ((double)si + 1.0) / ((double)total + 2.0);
}

/* Training: with base == NULL and buscar, the search of elegir_hiper;
 * otherwise base's hyper-parameters (or the defaults). */
static clasif_modelo *entrenar_con(clasificador *self,
                                   const clasif_ejemplo *ej, size_t n,
                                   const clasif_modelo *base, bool buscar,
                                   pmm_error *err)
{
    const tax_def *t = clasif_ref_taxonomia(self, CLASIF_TAXONOMIA_DEF);
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
    clasif_modelo *m = clasif_modelo_nuevo();
    datos_ent d = {.n = n, .K = t->n};
    d.docs = calloc(n, sizeof *d.docs);
    d.ndoc = calloc(n, sizeof *d.ndoc);
    d.lx = calloc(n * t->n, sizeof *d.lx);
    d.y = calloc(n, sizeof *d.y);
    d.grupo = calloc(n, sizeof *d.grupo);
    d.peso = calloc(n, sizeof *d.peso);
    pesos p = {0};
    worker *w = NULL;
    int rc = 0;
    if (!m || !d.docs || !d.ndoc || !d.lx || !d.y || !d.grupo || !d.peso) {
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
    if (!(w = clasif_worker_tomar(self, err))) {
        rc = -1;
        goto done;
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        d.y[i] = ej[i].subtema ? clasif_ref_subtema(t, ej[i].subtema) : -1;
        d.grupo[i] = ej[i].grupo;
        d.peso[i] = ej[i].peso > 0 ? ej[i].peso : 1.0;
        if (d.y[i] < 0) {
            rc = pmm_error_set(err, 1, "subtema", "taxonomia",
                               "ejemplo %zu: subtema «%s» fuera de la "
                               "taxonomía %s", i + 1,
                               ej[i].subtema ? ej[i].subtema : "",
                               CLASIF_TAXONOMIA_DEF);
            break;
        }
        rasgos_ctx x = {.w = w, .entreno = m};
        if (clasif_rasgos_ficha(self, w, &ej[i].entrada, &x, err) != 0 ||
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
        clasif_lexico_por_clase(self, w, &ej[i].entrada, m->cls, m->ncls,
                                &d.lx[i * t->n]);
    }
    if (rc != 0)
        goto done;
    d.F = m->nfeat;
    ods_cuotas(ej, d.y, n, t->n, 0, m->ods);
    double u1, u2;
    hiper h;
    if (buscar) {
        h = elegir_hiper(&d, ej, &u1, &u2, m);
    } else {
        h = HIPER_DEF;
        u1 = ODS_UMBRAL_UNO;
        u2 = ODS_UMBRAL;
        if (base && base->con_hiper) {
            h.l2 = base->h_l2;
            h.nb = base->h_nb;
            h.lexico_extra = base->h_extra;
            u1 = base->ods_umbral;
            u2 = base->ods_umbral_otros;
            m->ncal = base->ncal;
            memcpy(m->cal_x, base->cal_x, sizeof m->cal_x);
            memcpy(m->cal_y, base->cal_y, sizeof m->cal_y);
        }
        if (base)
            clasif_modelo_anotar_pesos(m, base->peso_reciente,
                                       base->peso_decisiones,
                                       base->pesos_como);
    }
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
    m->con_hiper = true;
    m->h_l2 = h.l2;
    m->h_nb = h.nb;
    m->h_extra = h.lexico_extra;
    clasif_memoria_medir(ej, n, &m->memoria_acuerdo, &m->memoria_pares);
    snprintf(m->hiper, sizeof m->hiper,
             "l2=%g nb=%g lexico_extra=%g ods=%g/%g calibración=%zu puntos (%s)",
             h.l2, h.nb, h.lexico_extra, u1, u2, m->ncal,
             !buscar ? (base ? "los del modelo base" : "por omisión")
             : contar_grupos(&d) >= 3 ? "elegidos dejando un grupo fuera"
                                      : "por omisión");
    for (size_t j = 0; h.escala_lexico > 0 && j < K; j++) {
        char name[CLASIF_COD + 2];
        name[0] = '~';
        copy_str(name + 1, sizeof name - 1, m->cls[j]);
        int row = clasif_modelo_rasgo(m, name, strlen(name));
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
    clasif_modelo_centrar(m);
    m->huella = 2166136261u;
    for (size_t r = 0; r < m->nfeat; r++)
        m->huella = fnv32((const char *)&m->w[r * MAX_CLASES],
                          m->ncls * sizeof(float), m->huella);
done:
    if (w)
        clasif_worker_devolver(self, w);
    pesos_free(&p);
    for (size_t i = 0; d.docs && i < n; i++)
        free(d.docs[i]);
    free(d.docs);
    free(d.ndoc);
    free(d.lx);
    free(d.y);
    free(d.grupo);
    free(d.peso);
    if (rc != 0)
        clasif_modelo_destroy(&m);
    return m;
}

clasif_modelo *clasif_modelo_entrenar(clasificador *self,
                                      const clasif_ejemplo *ej, size_t n,
                                      pmm_error *err)
{
    return entrenar_con(self, ej, n, NULL, true, err);
}

clasif_modelo *clasif_modelo_reentrenar(clasificador *self,
                                        const clasif_ejemplo *ej, size_t n,
                                        const clasif_modelo *base,
                                        pmm_error *err)
{
    return entrenar_con(self, ej, n, base, false, err);
}

clasif_modelo *clasif_modelo_ajustes(const clasif_modelo *m)
{
    clasif_modelo *a = clasif_modelo_nuevo();
    if (!a)
        return NULL;
    a->con_hiper = m->con_hiper;
    a->h_l2 = m->h_l2;
    a->h_nb = m->h_nb;
    a->h_extra = m->h_extra;
    a->ods_umbral = m->ods_umbral;
    a->ods_umbral_otros = m->ods_umbral_otros;
    a->ncal = m->ncal;
    memcpy(a->cal_x, m->cal_x, sizeof a->cal_x);
    memcpy(a->cal_y, m->cal_y, sizeof a->cal_y);
    a->peso_reciente = m->peso_reciente;
    a->peso_decisiones = m->peso_decisiones;
    copy_str(a->pesos_como, sizeof a->pesos_como, m->pesos_como);
    return a;
}

int clasif_modelo_anotar_fuente(clasif_modelo *m, const char *linea)
{
    if (m->nfuentes >= CLASIF_MAX_FUENTES)
        return -1;
    copy_str(m->fuentes[m->nfuentes++], CLASIF_FUENTE_LEN, linea);
    return 0;
}

void clasif_modelo_anotar_pesos(clasif_modelo *m, double reciente,
                                double decisiones, const char *como)
{
    m->peso_reciente = reciente;
    m->peso_decisiones = decisiones;
    copy_str(m->pesos_como, sizeof m->pesos_como, como ? como : "");
}
