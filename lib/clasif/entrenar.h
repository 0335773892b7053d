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
} clasif_ejemplo;

/* Trains a model from labelled fichas with the lexicon and text pipeline of
 * self (self's own model is not used). */
clasif_modelo *clasif_modelo_entrenar(clasificador *self,
                                      const clasif_ejemplo *ejemplos,
                                      size_t n, pmm_error *err);

#endif
