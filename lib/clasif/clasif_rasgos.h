/* clasif_rasgos.h -- a ficha's features and lexicon hits (rasgos.c).
 * Internal to lib/clasif. */
#ifndef PMM_CLASIF_RASGOS_H
#define PMM_CLASIF_RASGOS_H

#include <stdbool.h>

#include "clasif_interno.h"
#include "error.h"

/* Where the features go: classification looks them up in m (unknown ones
 * are dropped), training adds them to entreno. */
typedef struct {
    worker *w;
    const clasif_modelo *m;     /* classify: look features up here */
    clasif_modelo *entreno;     /* train: add features here */
    const char *prefijo;        /* prepended to every feature when set */
    bool fallo;                 /* memory ran out in a callback */
} rasgos_ctx;

/* Runs the text pipeline over the ficha's fields: model rows and values
 * into w->filas / w->vals (when x is given) and lexicon hits into w. Binary
 * features get 1/sqrt(n) when the model normalises; the lexicon's
 * per-class sums become features "~<class>" whose value is the sum times
 * the model's lexicon scale. */
int clasif_rasgos_ficha(clasificador *c, worker *w, const clasif_entrada *in,
                        rasgos_ctx *x, pmm_error *err);

#endif
