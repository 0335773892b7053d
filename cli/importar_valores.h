/* importar_valores.h -- values as people write them in Word and Excel:
 * Mexican numbers, dates in words, objectives by number or title, bodies by
 * acronym or name, states by name or code, figures inside a free text. */
#ifndef PMM_IMPORTAR_VALORES_H
#define PMM_IMPORTAR_VALORES_H

#include <stddef.h>
#include <stdint.h>

#include "refdata.h"

/* Results of the parsers. */
typedef enum {
    VAL_VACIO = 0,     /* nothing there ("", "N/A", "no aplica", "-") */
    VAL_OK,            /* the value, exactly as written */
    VAL_PROPUESTO,     /* a value taken out of a longer text: report it */
    VAL_ERROR          /* not a value of this kind: *motivo says why */
} val_estado;

/* Trims white space (and non-breaking spaces) at both ends, in place. */
char *val_recortar(char *s);
/* True for the texts that mean "nothing" in a form. */
int val_es_vacio(const char *s);

/* An integer: "51", "1 915 403", "1,915,403", "1.915.403", "2 500"; a text
 * with exactly one number ("51 acciones", "aprox. 2,500") gives it as
 * VAL_PROPUESTO. */
val_estado val_entero(const char *s, int64_t *out, const char **motivo);

/* A date into out (AAAA-MM-DD, AAAA-MM or AAAA): those forms, DD/MM/AAAA,
 * MM/AAAA, "julio de 2022", "1 de julio de 2022". *permanente is set for
 * "permanente", "indefinido", "vigente", "a la fecha". VAL_ERROR leaves the
 * text for the validator to refuse. */
val_estado val_fecha(const char *s, char *out, size_t cap, int *permanente);

/* "permanente" or "temporal" (any case, accents, more words after). */
const char *val_temporalidad(const char *s);
/* "federal" or "estatal". */
const char *val_ambito(const char *s);

/* The objective: "7", "7. Abordar...", "Objetivo 7", or the title's text.
 * *otro gets a second objective when the text names two or more (then
 * VAL_ERROR with *motivo "un_objetivo"). */
val_estado val_objetivo(const refdata *ref, const char *s, int *num, int *otro);

/* The body: acronym, full name, "Nombre (SIGLA)", "SIGLA - Nombre", or a
 * text that begins with a full name ("Secretaría de Salud, Dirección...").
 * exacto: only the acronym or the full name (a state's own body,
 * "Secretaría de Salud de Chiapas", is not the federal one). NULL when
 * unknown; then sugerencias gets up to three "SIGLA (Nombre)" of the
 * closest names, separated by "; ". */
const ref_dependencia *val_dependencia(const refdata *ref, const char *s, int exacto,
                                       char *sugerencias, size_t cap);
/* The state's INEGI code for a name, abbreviation, code or "Estado de ...",
 * "Gobierno del Estado de ..."; 0 when unknown. */
int val_entidad(const refdata *ref, const char *s);

/* Figures in a free results text: "se realizaron 51 acciones", "1 915 403
 * personas", "2,500 mujeres". A count is found only when one number stands
 * right before its word and no other number does so. -1 = not found. */
typedef struct {
    int64_t acciones, personas, mujeres, hombres;
    char cita[4][96];   /* the words each came from */
} val_cifras;
void val_cifras_texto(const char *s, val_cifras *out);

/* The reporting year named in "... periodo de junio de 2021 a junio de
 * 2022": the second year, or 0. */
int val_periodo(const char *s);

#endif
