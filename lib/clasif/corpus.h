/* corpus.h -- the labelled corpus (programas_etiquetados.jsonl format) that
 * `pmm entrenar` learns from and `pmm evaluar` measures on: one JSON object
 * a line with year, eje, subtema, ods_grupo, programa, texto, actores, zona.
 */
#ifndef PMM_CORPUS_H
#define PMM_CORPUS_H

#include <stdbool.h>
#include <stddef.h>

#include "clasificador.h"
#include "entrenar.h"
#include "error.h"

typedef struct {
    int year;
    int eje;
    char *id;
    char *subtema;
    int ods[17];
    size_t nods;
    char *programa;
    char *texto;
    char *zona;
    char *dependencia;      /* first of `actores`, or NULL */
    char *ambito;
    bool ods_eje;           /* ods_scope "eje": ods_grupo is the list the
                               analysts gave for the whole axis, not for
                               the sub-topic */
} corpus_registro;

typedef struct {
    corpus_registro *r;
    size_t n;
} corpus;

/* Reads every line of path; a malformed line is an error naming it. */
int corpus_leer(const char *path, corpus *out, pmm_error *err);
void corpus_liberar(corpus *c);
/* How far the analysts' own labels agree from one year to another: over
 * every pair of records from different years that name the same programme
 * (the same words of four letters or more in the name, accents and case
 * aside), how many pairs share the axis, the sub-topic, the SDG list. A
 * bound on what any classifier can score when one year is left out. */
typedef struct {
    long pares;
    long mismo_eje;
    long mismo_subtema;
    long mismos_ods;
} corpus_consistencia;

/* Returns 0, or -1 when memory ran out. */
int corpus_medir_consistencia(const corpus *c, corpus_consistencia *out);

/* The classifier's view of a record: program name, the text as results
 * text, the first reporting body. Pointers borrow from r. */
void corpus_ejemplo(const corpus_registro *r, clasif_ejemplo *ej);

#endif
