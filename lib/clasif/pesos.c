/* pesos.c -- how much recent years and the year's own analyst decisions
 * weigh in training, chosen by measurement on the training examples alone
 * (pmmentrenar). See entrenar.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entrenar.h"

/* Searched values; the first of each is "no weighting", which wins ties. */
static const double RECIENTES[] = {1.0, 0.7, 0.5};
static const double DECISIONES[] = {1.0, 3.0, 10.0};
#define NREC (sizeof RECIENTES / sizeof *RECIENTES)
#define NDEC (sizeof DECISIONES / sizeof *DECISIONES)
/* share of a year reviewed in the simulation that chooses the decisions'
 * weight */
#define REVISADO 0.3
#define MIN_ANIO 10

void clasif_pesos_aplicar(clasif_ejemplo *ej, size_t n, int objetivo,
                          const clasif_pesos *p)
{
    double suma = 0;
    for (size_t i = 0; i < n; i++) {
        int dist = ej[i].grupo > 0 ? abs(ej[i].grupo - objetivo) : 0;
        ej[i].peso = pow(p->reciente, dist) *
                     (ej[i].del_ejercicio ? p->decisiones : 1.0);
        suma += ej[i].peso;
    }
    for (size_t i = 0; suma > 0 && i < n; i++)
        ej[i].peso *= (double)n / suma;
}

typedef struct {
    double conf;
    size_t i;
} por_conf;

static int cmp_conf(const void *a, const void *b)
{
    const por_conf *x = a, *y = b;
    if (x->conf != y->conf)
        return x->conf < y->conf ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

/* Trains on t[0..nt) with default hyper-parameters and classifies the
 * examples idx[0..ni) of ej: how many agree with their label; their
 * confidences into conf (may be NULL). */
static int probar(clasificador *self, clasif_ejemplo *t, size_t nt,
                  const clasif_ejemplo *ej, const size_t *idx, size_t ni,
                  double *conf, long *aciertos, pmm_error *err)
{
    clasif_modelo *m = clasif_modelo_reentrenar(self, t, nt, NULL, err);
    if (!m)
        return -1;
    clasificador_usar_modelo(self, m);
    *aciertos = 0;
    for (size_t k = 0; k < ni; k++) {
        clasif_resultado r;
        if (clasificador_classify(self, &ej[idx[k]].entrada, NULL, &r, err) !=
            0)
            return -1;
        *aciertos += !strcmp(r.subtema.codigo, ej[idx[k]].subtema);
        if (conf)
            conf[k] = r.subtema.confianza;
    }
    return 0;
}

int clasif_pesos_elegir(clasificador *self, const clasif_ejemplo *ej,
                        size_t n, clasif_pesos *out, pmm_error *err)
{
    out->reciente = 1.0;
    out->decisiones = 1.0;
    snprintf(out->como, sizeof out->como,
             "por omisión (hacen falta tres años con %d registros o más)",
             MIN_ANIO);
    int anios[64];
    size_t nanios = 0;
    for (size_t i = 0; i < n; i++) {
        if (ej[i].grupo <= 0 || ej[i].del_ejercicio)
            continue;
        bool visto = false;
        for (size_t a = 0; a < nanios; a++)
            visto |= anios[a] == ej[i].grupo;
        if (visto || nanios == 64)
            continue;
        size_t c = 0;
        for (size_t j = 0; j < n; j++)
            c += ej[j].grupo == ej[i].grupo && !ej[j].del_ejercicio;
        if (c >= MIN_ANIO)
            anios[nanios++] = ej[i].grupo;
    }
    if (nanios < 3)
        return 0;
    clasif_ejemplo *t = malloc(n * sizeof *t);
    size_t *idx = malloc(n * sizeof *idx);
    double *conf = malloc(NREC * n * sizeof *conf);
    por_conf *orden = malloc(n * sizeof *orden);
    int rc = 0;
    if (!t || !idx || !conf || !orden) {
        rc = pmm_error_set(err, 7, "", "memoria", "sin memoria");
        goto out;
    }
    /* 1: recency, by the accuracy on each year from the others */
    long acierto_r[NREC] = {0}, total = 0;
    for (size_t r = 0; r < NREC && rc == 0; r++) {
        clasif_pesos p = {RECIENTES[r], 1.0, ""};
        size_t base = 0;
        for (size_t a = 0; a < nanios && rc == 0; a++) {
            size_t nt = 0, ni = 0;
            for (size_t i = 0; i < n; i++) {
                if (ej[i].del_ejercicio)
                    continue;
                if (ej[i].grupo == anios[a])
                    idx[ni++] = i;
                else
                    t[nt++] = ej[i];
            }
            clasif_pesos_aplicar(t, nt, anios[a], &p);
            long ok = 0;   /* probar may fail before setting it */
            rc = probar(self, t, nt, ej, idx, ni, &conf[r * n + base], &ok,
                        err);
            acierto_r[r] += ok;
            base += ni;
            if (r == 0)
                total += (long)ni;
        }
    }
    size_t br = 0;
    for (size_t r = 1; r < NREC; r++)
        if (acierto_r[r] > acierto_r[br])
            br = r;
    /* 2: the decisions' factor, by the accuracy on the 70 % least
     * reviewed after the 30 % least confident joined the training */
    long acierto_d[NDEC] = {0}, resto = 0;
    size_t base = 0;
    for (size_t a = 0; a < nanios && rc == 0; a++) {
        size_t nt = 0, ni = 0;
        for (size_t i = 0; i < n; i++) {
            if (ej[i].del_ejercicio)
                continue;
            if (ej[i].grupo == anios[a]) {
                orden[ni] = (por_conf){conf[br * n + base + ni], i};
                ni++;
            } else {
                t[nt++] = ej[i];
            }
        }
        base += ni;
        qsort(orden, ni, sizeof *orden, cmp_conf);
        size_t nrev = (size_t)ceil(REVISADO * (double)ni);
        for (size_t k = 0; k < nrev; k++) {
            t[nt] = ej[orden[k].i];
            t[nt++].del_ejercicio = true;
        }
        size_t nq = 0;
        for (size_t k = nrev; k < ni; k++)
            idx[nq++] = orden[k].i;
        resto += (long)nq;
        for (size_t d = 0; d < NDEC && rc == 0; d++) {
            clasif_pesos p = {RECIENTES[br], DECISIONES[d], ""};
            clasif_pesos_aplicar(t, nt, anios[a], &p);
            long ok;
            rc = probar(self, t, nt, ej, idx, nq, NULL, &ok, err);
            acierto_d[d] += ok;
        }
    }
    if (rc != 0)
        goto out;
    size_t bd = 0;
    for (size_t d = 1; d < NDEC; d++)
        if (acierto_d[d] > acierto_d[bd])
            bd = d;
    out->reciente = RECIENTES[br];
    out->decisiones = DECISIONES[bd];
    snprintf(out->como, sizeof out->como,
             "elegidos simulando cada uno de %zu años: exactitud %.3f sin "
             "revisión y %.3f en el 70 %% no revisado",
             nanios, total ? (double)acierto_r[br] / (double)total : 0,
             resto ? (double)acierto_d[bd] / (double)resto : 0);
out:
    clasificador_usar_modelo(self, NULL);
    free(t);
    free(idx);
    free(conf);
    free(orden);
    return rc;
}
