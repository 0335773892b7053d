/* clasif_memoria.h -- programme memory (memoria.c): when a ficha continues
 * a programme on which an analyst decided the sub-topic in an earlier
 * year, that decision is the strongest evidence.
 *
 * Until fichas carry explicit programme links, "the same programme" is a
 * strong name-and-body match: the same reporting body (acronym or sender)
 * and the same programme name once folded (accents and case aside) and
 * reduced to its set of words of four letters or more. The earlier
 * decision is not applied when the text changed materially: when the two
 * descriptions share less than MEMORIA_SIMILITUD_MIN of their words
 * (Jaccard over the same word sets). Its confidence is the share of
 * continued programmes of the training years whose earlier decision held
 * (recorded in the model file), or the classifier's own when it agrees
 * and is surer.
 */
#ifndef PMM_CLASIF_MEMORIA_H
#define PMM_CLASIF_MEMORIA_H

#include <stdbool.h>
#include <stddef.h>

#include "clasificador.h"

#define MEMORIA_SIMILITUD_MIN 0.1
/* confidence of a remembered decision when the model measured too few
 * continued programmes to say (fewer than 5) */
#define MEMORIA_ACUERDO_DEF 0.8

typedef struct clasif_memoria clasif_memoria;

typedef struct {
    int ejercicio;              /* year of the earlier decision */
    const char *subtema;
    const char *referencia;     /* shown to analysts: "ficha 123" */
    double similitud;           /* of the two descriptions, 0..1 */
} clasif_recuerdo;

/* NULL when memory ran out. */
clasif_memoria *clasif_memoria_nueva(void);
void clasif_memoria_destroy(clasif_memoria **mem_p);
size_t clasif_memoria_tamano(const clasif_memoria *mem);

/* Records an analyst's decision: year, reporting body, programme name,
 * description, decided sub-topic and how analysts find it again. Returns
 * 0, or -1 when memory ran out. A decision without programme name words is
 * ignored. */
int clasif_memoria_agregar(clasif_memoria *mem, int ejercicio,
                           const char *cuerpo, const char *programa,
                           const char *texto, const char *subtema,
                           const char *referencia);

/* The latest decision of a year before `ejercicio` on the same programme
 * (the last recorded wins within a year); false when there is none. */
bool clasif_memoria_buscar(const clasif_memoria *mem, int ejercicio,
                           const char *cuerpo, const char *programa,
                           const char *texto, clasif_recuerdo *out);

/* Applies a remembered decision to a classification made by c: unless the
 * text changed materially or the sub-topic is not in out's taxonomy, the
 * sub-topic (and axis) become the remembered ones and the first evidence
 * says "programa continuado: decisión de 2021, ficha N". Returns true when
 * it was applied. */
bool clasif_memoria_aplicar(const clasificador *c, const clasif_recuerdo *r,
                            clasif_resultado *out);

/* The programme's name as a key: its folded words of four letters or more,
 * sorted and without repeats, joined by spaces ("" when it has none);
 * NULL when memory ran out. The caller frees it. */
char *clasif_programa_clave(const char *programa);

/* Jaccard similarity of the sets of folded words of four letters or more
 * of a and b (0 when either has none). */
double clasif_texto_similitud(const char *a, const char *b);

#endif
