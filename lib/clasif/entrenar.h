/* entrenar.h -- training the classifier's model from labelled fichas
 * (entrenar.c, library pmmentrenar: pmm entrenar, pmm evaluar and the
 * benchmark link it, clasificd does not).
 *
 * The model: multinomial logistic regression over idf-weighted,
 * L2-normalised binary features (AdaGrad, L2 regularisation, class
 * weights), optionally plus a complement naive Bayes; the lexicon's
 * per-class sums are features too and are added straight to the scores.
 * Hyper-parameters and SDG thresholds are chosen by leave-one-group-out
 * inside the examples when they span three groups or more. Training is
 * deterministic: the same examples give the same model file.
 */
#ifndef PMM_ENTRENAR_H
#define PMM_ENTRENAR_H

#include <stdbool.h>
#include <stddef.h>

#include "clasificador.h"
#include "error.h"

typedef struct {
    clasif_entrada entrada;
    const char *subtema;        /* 2018-2022 code */
    const int *ods;             /* the SDGs of the ficha's group */
    size_t nods;
    int grupo;                  /* fichas of one sub-topic with the same
                                   grupo (the report year) share one SDG
                                   list; 0: a group of its own */
    double peso;                /* weight in training (0 counts as 1) */
    bool del_ejercicio;         /* an analyst's decision on the year being
                                   classified (weighted apart) */
} clasif_ejemplo;

/* Trains a model from labelled fichas with the lexicon and text pipeline of
 * self (self's own model is not used): hyper-parameters, SDG thresholds
 * and the confidence's isotonic calibration are chosen by leave-one-group-out
 * inside the examples (two threads). */
clasif_modelo *clasif_modelo_entrenar(clasificador *self,
                                      const clasif_ejemplo *ejemplos,
                                      size_t n, pmm_error *err);

/* Trains with base's hyper-parameters, SDG thresholds and calibration
 * (NULL: the defaults, no calibration) and no search: the fast retraining
 * between review rounds. */
clasif_modelo *clasif_modelo_reentrenar(clasificador *self,
                                        const clasif_ejemplo *ejemplos,
                                        size_t n, const clasif_modelo *base,
                                        pmm_error *err);

/* A model without features that carries m's settings (hyper-parameters,
 * SDG thresholds, calibration, weights), as base for
 * clasif_modelo_reentrenar; NULL when memory ran out. */
clasif_modelo *clasif_modelo_ajustes(const clasif_modelo *m);

/* What a model records about its training (written in the model file):
 * free-text lines such as "corpus\tprogramas.jsonl\t659 registros\t2018-2022"
 * or "decisiones\t2023\t41". At most CLASIF_MAX_FUENTES; longer ones are
 * cut. */
int clasif_modelo_anotar_fuente(clasif_modelo *m, const char *linea);
void clasif_modelo_anotar_pesos(clasif_modelo *m, double reciente,
                                double decisiones, const char *como);

/* ---- weights of years and of the year's decisions (pesos.c) ---- */

typedef struct {
    double reciente;            /* weight r^|year - objetivo| */
    double decisiones;          /* extra factor of del_ejercicio examples */
    char como[160];             /* how they were chosen (Spanish) */
} clasif_pesos;

/* Chooses the two weights by measurement on the examples alone: each year
 * of them in turn is the "year being classified"; the recency weight that
 * classifies it best from the other years wins, then the decision weight
 * that, after its 30 % least confident records are reviewed and the model
 * retrained, classifies the other 70 % best. With fewer than three years
 * the defaults (1, 1). */
int clasif_pesos_elegir(clasificador *self, const clasif_ejemplo *ej,
                        size_t n, clasif_pesos *out, pmm_error *err);

/* Sets ej[i].peso = reciente^|grupo - objetivo| (times decisiones for
 * del_ejercicio examples), scaled to mean 1. */
void clasif_pesos_aplicar(clasif_ejemplo *ej, size_t n, int objetivo,
                          const clasif_pesos *p);

#endif
