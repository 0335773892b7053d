/* clasif_lexico.h -- the classifier's editable lexicon (lexico.c).
 * Internal to lib/clasif.
 *
 * Terms of kind subtema, ods, meta and reto are phrases of 1 to 6 content
 * stems, matched in the ficha's tokens; objetivo matches the ficha's PMM
 * objective, dependencia its reporting body, sin_resultados a results text
 * that says there are none. A hit is recorded in the caller's worker
 * (lex_hit, hits). */
#ifndef PMM_CLASIF_LEXICO_H
#define PMM_CLASIF_LEXICO_H

#include <stdbool.h>
#include <stddef.h>

#include "clasif_interno.h"
#include "error.h"
#include "texto.h"

/* lex_hit mark of a lexicon hit at the head of the program name */
#define LEX_CABEZA 2
#define LEX_CABEZA_PESO 2.0

/* Reads data/lexico.csv (after the reference lists: destinations are
 * checked against them); an error names the row. */
int clasif_lexico_cargar(clasificador *c, pmm_error *err);
void clasif_lexico_liberar(clasificador *c);

/* Marks the lexicon entries found in toks: challenge entries when retos,
 * the others otherwise; cabeza marks a hit on the first content word with
 * LEX_CABEZA. */
void clasif_lexico_buscar(const clasificador *c, worker *w,
                          const texto_token *toks, size_t nt, bool retos,
                          bool cabeza);

/* Weight factor of a lexicon hit: the first words of the program name
 * name the kind of action ("Protocolo de ...", "Taller de ...") and count
 * more than the topic words that follow. */
static inline double lexico_peso_cabeza(unsigned char marca)
{
    return marca == LEX_CABEZA ? LEX_CABEZA_PESO : 1.0;
}

/* Sum of the lexicon's sub-topic weights found in the ficha, per class of
 * the given class list (a model's 2018-2022 codes). */
void clasif_lexico_por_clase(const clasificador *c, const worker *w,
                             const clasif_entrada *in,
                             char (*cls)[CLASIF_COD], size_t ncls,
                             double *out);

/* True when the results text says there are none. */
bool clasif_lexico_sin_resultados(const clasificador *c, worker *w,
                                  const char *texto);

#endif
