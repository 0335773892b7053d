/* clasif_modelo.h -- building and using a model (modelo.c). Internal to
 * lib/clasif; clasificador.h declares the model file's public functions
 * (clasif_modelo_cargar, _guardar, _destroy, _rasgos). */
#ifndef PMM_CLASIF_MODELO_H
#define PMM_CLASIF_MODELO_H

#include <stddef.h>

#include "clasif_interno.h"

/* An empty model (no classes, no features); NULL when out of memory. */
clasif_modelo *clasif_modelo_nuevo(void);

/* Row of feature f[0..n), added (zero weights, idf 1) when new; -1 when
 * memory ran out. */
int clasif_modelo_rasgo(clasif_modelo *m, const char *f, size_t n);

/* Row of feature f[0..n), or -1 when the model does not know it. */
static inline int clasif_modelo_fila(const clasif_modelo *m, const char *f,
                                     size_t n)
{
    return dict_get(&m->vocab, f, n);
}

/* Subtracts each feature's mean weight: softmax does not change, and a
 * feature's weight for a class is then its pull towards that class. */
void clasif_modelo_centrar(clasif_modelo *m);

/* Score of every model class (bias plus value * weight over the rows
 * filas[0..n) with values vals); ms[k] past m->ncls is meaningless. */
void clasif_modelo_puntuar(const clasif_modelo *m, const int *filas,
                           const double *vals, size_t n,
                           double ms[MAX_CLASES]);

/* The calibrated confidence of a likeliest-class probability p: the
 * model's isotonic points interpolated (p itself when it has none). */
double clasif_modelo_calibrar(const clasif_modelo *m, double p);

#endif
