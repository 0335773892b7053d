/* evaluar_anio.h -- one held-out year of `pmm evaluar`: everything the
 * classifier may know when that year's fichas arrive, built from the other
 * years only (weights chosen on them, a model trained on them with its
 * nested search, the memory of their earlier years' decisions), and the
 * review loop simulated on the held-out year (evaluar_revision.c). */
#ifndef PMM_CLI_EVALUAR_ANIO_H
#define PMM_CLI_EVALUAR_ANIO_H

#include <stdbool.h>
#include <stdio.h>

#include "clasif_memoria.h"
#include "clasificador.h"
#include "corpus.h"
#include "entrenar.h"

typedef struct {
    int anio;
    clasif_ejemplo *ej;         /* the other years (weighted), cp.n slots */
    size_t nej;
    clasif_pesos pesos;
    clasif_modelo *base;        /* copy of the trained model's settings:
                                   retraining reuses its hyper-parameters */
    clasif_memoria *mem;        /* labels of the years before anio */
} evaluar_anio;

/* Prepares c (its model is replaced) for held-out year `anio`. */
int evaluar_anio_preparar(clasificador *c, const corpus *cp, int anio,
                          evaluar_anio *st, pmm_error *err);
void evaluar_anio_liberar(evaluar_anio *st);

/* Classifies record r with c's model and the year's memory. *memoria says
 * whether a remembered decision was applied (may be NULL). */
int evaluar_anio_clasificar(clasificador *c, const evaluar_anio *st,
                            const corpus_registro *r, clasif_resultado *res,
                            bool *memoria, pmm_error *err);

/* The review loop: see `pmm evaluar --help`. */
typedef struct {
    double lote, hasta;
    bool json;
} evaluar_revision_op;

int evaluar_revision(clasificador *c, const corpus *cp, const int *anios,
                     size_t nanios, const evaluar_revision_op *op,
                     pmm_error *err);

#endif
