/* evaluar_revision.c -- `pmm evaluar --revision-activa`: the analysts'
 * review of a year simulated under leave-one-year-out. For each held-out
 * year the classifier knows only the other years (evaluar_anio.h); it
 * classifies the year, the analysts "review" the least confident `lote` of
 * it (their true labels join the training data as the year's decisions),
 * the model is retrained and the rest reclassified, until `hasta` of the
 * year is reviewed. Also: accuracy of the most confident 30/50/70 % before
 * any review, and the calibration table of that first classification. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evaluar_anio.h"

#define MAX_RONDAS 64
#define NBINS 10

typedef struct {
    long revisadas;         /* records reviewed so far */
    long con_analista;      /* records carrying the analysts' sub-topic */
    long bien_resto;        /* correct among the unreviewed */
    long sin_reentrenar;    /* same reviews, first model kept */
} ronda;

typedef struct {
    int anio;
    long n;
    ronda r[MAX_RONDAS];
    size_t nr;
    clasif_pesos pesos;
} anio_res;

typedef struct {
    double conf;
    size_t i;               /* record */
    int ok;
} conf_reg;

static int cmp_conf_asc(const void *a, const void *b)
{
    const conf_reg *x = a, *y = b;
    if (x->conf != y->conf)
        return x->conf < y->conf ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

static double div0(double a, double b)
{
    return b > 0 ? a / b : 0;
}

/* One held-out year: fills ar and appends its first classification's
 * (confidence, correct) pairs to cal[*ncal]. */
static int simular_anio(clasificador *c, const corpus *cp, int anio,
                        const evaluar_revision_op *op, anio_res *ar,
                        conf_reg *cal, size_t *ncal, pmm_error *err)
{
    evaluar_anio st;
    int rc = evaluar_anio_preparar(c, cp, anio, &st, err);
    size_t N = 0;
    for (size_t i = 0; i < cp->n; i++)
        N += cp->r[i].year == anio;
    conf_reg *q = calloc(N + 1, sizeof *q);
    unsigned char *rev = calloc(cp->n + 1, 1);
    int *ok0 = calloc(cp->n + 1, sizeof *ok0);
    clasif_ejemplo *t = calloc(st.nej + N + 1, sizeof *t);
    if (rc == 0 && (!q || !rev || !ok0 || !t))
        rc = pmm_error_set(err, 7, "", "memoria", "sin memoria");
    ar->anio = anio;
    ar->n = (long)N;
    ar->pesos = st.pesos;
    ar->nr = 0;
    /* round 0 */
    size_t k = 0;
    for (size_t i = 0; rc == 0 && i < cp->n; i++) {
        if (cp->r[i].year != anio)
            continue;
        clasif_resultado res;
        if (evaluar_anio_clasificar(c, &st, &cp->r[i], &res, NULL, err) != 0) {
            rc = -1;
            break;
        }
        int ok = !strcmp(res.subtema.codigo, cp->r[i].subtema);
        ok0[i] = ok;
        q[k++] = (conf_reg){res.subtema.confianza, i, ok};
        cal[(*ncal)++] = (conf_reg){res.subtema.confianza, i, ok};
    }
    /* the first model's order, for the "without retraining" column */
    conf_reg *q0 = calloc(N + 1, sizeof *q0);
    if (rc == 0 && !q0)
        rc = pmm_error_set(err, 7, "", "memoria", "sin memoria");
    if (rc == 0) {
        memcpy(q0, q, N * sizeof *q);
        qsort(q0, N, sizeof *q0, cmp_conf_asc);
    }
    long nrev = 0;
    while (rc == 0 && ar->nr < MAX_RONDAS) {
        ronda *r = &ar->r[ar->nr++];
        long bien = 0;
        for (size_t j = 0; j < N; j++)
            bien += !rev[q[j].i] && q[j].ok;
        r->revisadas = nrev;
        r->bien_resto = bien;
        r->con_analista = nrev + bien;
        long sin = 0;
        for (size_t j = 0; j < N; j++)
            sin += j < (size_t)nrev ? 1 : q0[j].ok;
        r->sin_reentrenar = sin;
        if ((double)nrev >= op->hasta * (double)N - 1e-9 || nrev >= (long)N)
            break;
        /* review the least confident lote of the unreviewed */
        long objetivo = (long)ceil(fmin(op->hasta, (double)ar->nr * op->lote) *
                                   (double)N - 1e-9);
        qsort(q, N, sizeof *q, cmp_conf_asc);
        for (size_t j = 0; j < N && nrev < objetivo; j++)
            if (!rev[q[j].i]) {
                rev[q[j].i] = 1;
                nrev++;
            }
        /* retrain: the other years plus the year's decisions */
        size_t nt = 0;
        for (size_t j = 0; j < st.nej; j++) {
            t[nt] = st.ej[j];
            t[nt++].del_ejercicio = false;
        }
        for (size_t i = 0; i < cp->n; i++)
            if (rev[i]) {
                corpus_ejemplo(&cp->r[i], &t[nt]);
                t[nt++].del_ejercicio = true;
            }
        clasif_pesos_aplicar(t, nt, anio, &st.pesos);
        clasif_modelo *m = clasif_modelo_reentrenar(c, t, nt, st.base, err);
        if (!m) {
            rc = -1;
            break;
        }
        clasificador_usar_modelo(c, m);
        for (size_t j = 0; j < N && rc == 0; j++) {
            size_t i = q[j].i;
            if (rev[i])
                continue;
            clasif_resultado res;
            if (evaluar_anio_clasificar(c, &st, &cp->r[i], &res, NULL, err)) {
                rc = -1;
                break;
            }
            q[j].conf = res.subtema.confianza;
            q[j].ok = !strcmp(res.subtema.codigo, cp->r[i].subtema);
        }
    }
    (void)ok0;
    free(q);
    free(q0);
    free(rev);
    free(ok0);
    free(t);
    evaluar_anio_liberar(&st);
    return rc;
}

/* Accuracy of the share `cob` most confident of cal[0..n). */
static double exactitud_cobertura(const conf_reg *cal, size_t n, double cob)
{
    size_t k = (size_t)llround(cob * (double)n);
    long ok = 0;
    for (size_t j = 0; j < k; j++)
        ok += cal[n - 1 - j].ok;
    return div0((double)ok, (double)k);
}

int evaluar_revision(clasificador *c, const corpus *cp, const int *anios,
                     size_t nanios, const evaluar_revision_op *op,
                     pmm_error *err)
{
    anio_res *ar = calloc(nanios, sizeof *ar);
    conf_reg *cal = calloc(cp->n + 1, sizeof *cal);
    size_t ncal = 0;
    int rc = 0;
    if (!ar || !cal)
        rc = pmm_error_set(err, 7, "", "memoria", "sin memoria");
    for (size_t y = 0; y < nanios && rc == 0; y++)
        rc = simular_anio(c, cp, anios[y], op, &ar[y], cal, &ncal, err);
    if (rc != 0) {
        free(ar);
        free(cal);
        return rc;
    }
    /* pooled curve: round j of every year */
    size_t nr = 0;
    long total = 0;
    for (size_t y = 0; y < nanios; y++) {
        if (ar[y].nr > nr)
            nr = ar[y].nr;
        total += ar[y].n;
    }
    ronda pool[MAX_RONDAS];
    memset(pool, 0, sizeof pool);
    for (size_t j = 0; j < nr; j++)
        for (size_t y = 0; y < nanios; y++) {
            const ronda *r = &ar[y].r[j < ar[y].nr ? j : ar[y].nr - 1];
            pool[j].revisadas += r->revisadas;
            pool[j].con_analista += r->con_analista;
            pool[j].bien_resto += r->bien_resto;
            pool[j].sin_reentrenar += r->sin_reentrenar;
        }
    /* calibration of the first classification, pooled over the years */
    qsort(cal, ncal, sizeof *cal, cmp_conf_asc);
    long bn[NBINS] = {0}, bok[NBINS] = {0};
    double bconf[NBINS] = {0}, ece = 0;
    for (size_t j = 0; j < ncal; j++) {
        int b = (int)(cal[j].conf * NBINS);
        if (b >= NBINS)
            b = NBINS - 1;
        if (b < 0)
            b = 0;
        bn[b]++;
        bok[b] += cal[j].ok;
        bconf[b] += cal[j].conf;
    }
    for (int b = 0; b < NBINS; b++)
        ece += fabs(bconf[b] - (double)bok[b]) / (double)(ncal ? ncal : 1);
    static const double cobs[] = {0.3, 0.5, 0.7, 1.0};
    double acob[4];
    for (size_t i = 0; i < 4; i++)
        acob[i] = exactitud_cobertura(cal, ncal, cobs[i]);

    if (op->json) {
        json_t *o = json_object();
        json_object_set_new(o, "validacion", json_string("dejar un año fuera"));
        json_object_set_new(o, "registros", json_integer(total));
        json_object_set_new(o, "lote", json_real(op->lote));
        json_object_set_new(o, "hasta", json_real(op->hasta));
        json_t *py = json_object();
        for (size_t y = 0; y < nanios; y++) {
            json_t *rs = json_array();
            for (size_t j = 0; j < ar[y].nr; j++) {
                const ronda *r = &ar[y].r[j];
                long resto = ar[y].n - r->revisadas;
                json_array_append_new(
                    rs, json_pack("{s:I,s:I,s:f,s:f,s:f,s:f}", "ronda",
                                  (json_int_t)j, "revisadas",
                                  (json_int_t)r->revisadas, "revisado",
                                  div0((double)r->revisadas, (double)ar[y].n),
                                  "con_subtema_analista",
                                  div0((double)r->con_analista, (double)ar[y].n),
                                  "exactitud_no_revisadas",
                                  div0((double)r->bien_resto, (double)resto),
                                  "sin_reentrenar",
                                  div0((double)r->sin_reentrenar,
                                       (double)ar[y].n)));
            }
            char yk[16];
            snprintf(yk, sizeof yk, "%d", ar[y].anio);
            json_object_set_new(
                py, yk,
                json_pack("{s:I,s:o,s:{s:f,s:f,s:s}}", "registros",
                          (json_int_t)ar[y].n, "rondas", rs, "pesos",
                          "reciente", ar[y].pesos.reciente, "decisiones",
                          ar[y].pesos.decisiones, "como", ar[y].pesos.como));
        }
        json_object_set_new(o, "por_anio", py);
        json_t *rs = json_array();
        for (size_t j = 0; j < nr; j++) {
            long resto = total - pool[j].revisadas;
            json_array_append_new(
                rs, json_pack("{s:I,s:I,s:f,s:f,s:f,s:f}", "ronda",
                              (json_int_t)j, "revisadas",
                              (json_int_t)pool[j].revisadas, "revisado",
                              div0((double)pool[j].revisadas, (double)total),
                              "con_subtema_analista",
                              div0((double)pool[j].con_analista, (double)total),
                              "exactitud_no_revisadas",
                              div0((double)pool[j].bien_resto, (double)resto),
                              "sin_reentrenar",
                              div0((double)pool[j].sin_reentrenar,
                                   (double)total)));
        }
        json_object_set_new(o, "rondas", rs);
        json_object_set_new(
            o, "exactitud_por_cobertura",
            json_pack("{s:f,s:f,s:f,s:f}", "0.3", acob[0], "0.5", acob[1],
                      "0.7", acob[2], "1.0", acob[3]));
        json_t *tab = json_array();
        for (int b = 0; b < NBINS; b++)
            json_array_append_new(
                tab, json_pack("{s:f,s:f,s:I,s:f,s:f}", "desde",
                               (double)b / NBINS, "hasta",
                               (double)(b + 1) / NBINS, "registros",
                               (json_int_t)bn[b], "confianza_media",
                               div0(bconf[b], (double)bn[b]), "exactitud",
                               div0((double)bok[b], (double)bn[b])));
        json_object_set_new(o, "calibracion",
                            json_pack("{s:f,s:o}", "ece", ece, "tabla", tab));
        char *s = json_dumps(o, JSON_INDENT(2) | JSON_REAL_PRECISION(4));
        if (s)
            printf("%s\n", s);
        free(s);
        json_decref(o);
    } else {
        printf("Revisión activa simulada dejando un año fuera (%ld registros, "
               "%zu años):\nen cada ronda los analistas revisan el %.0f %% "
               "menos seguro de lo que falta\n(sus subtemas se suman al "
               "entrenamiento) y se reentrena, hasta el %.0f %%.\n\n",
               total, nanios, op->lote * 100, op->hasta * 100);
        printf("Columnas: revisado (parte del año revisada), con subtema "
               "del analista (revisadas\nmás acertadas), exactitud en las no "
               "revisadas, y lo mismo sin reentrenar.\n");
        for (size_t y = 0; y <= nanios; y++) {
            const ronda *rr = y < nanios ? ar[y].r : pool;
            size_t n_r = y < nanios ? ar[y].nr : nr;
            long n = y < nanios ? ar[y].n : total;
            if (y < nanios)
                printf("\n%d (%ld registros; pesos: año %g, decisiones %g)\n",
                       ar[y].anio, n, ar[y].pesos.reciente,
                       ar[y].pesos.decisiones);
            else
                printf("\nTodos los años (%ld registros)\n", n);
            printf("  %-7s %9s %22s %24s %15s\n", "ronda", "revisado",
                   "con subtema analista", "exactitud no revisadas",
                   "sin reentrenar");
            for (size_t j = 0; j < n_r; j++)
                printf("  %-7zu %8.0f%% %22.3f %24.3f %15.3f\n", j,
                       100 * div0((double)rr[j].revisadas, (double)n),
                       div0((double)rr[j].con_analista, (double)n),
                       div0((double)rr[j].bien_resto,
                            (double)(n - rr[j].revisadas)),
                       div0((double)rr[j].sin_reentrenar, (double)n));
        }
        printf("\nAntes de revisar, exactitud por subtema de las fichas más "
               "seguras:\n");
        for (size_t i = 0; i < 4; i++)
            printf("  el %3.0f %% más seguro  %.3f\n", cobs[i] * 100, acob[i]);
        printf("\nCalibración (confianza frente a acierto, antes de revisar; "
               "ECE %.3f):\n", ece);
        printf("  %-11s %9s %16s %10s\n", "confianza", "registros",
               "confianza media", "exactitud");
        for (int b = 0; b < NBINS; b++)
            if (bn[b])
                printf("  %.1f–%.1f   %9ld %16.3f %10.3f\n", (double)b / NBINS,
                       (double)(b + 1) / NBINS, bn[b],
                       div0(bconf[b], (double)bn[b]),
                       div0((double)bok[b], (double)bn[b]));
    }
    free(ar);
    free(cal);
    return 0;
}
