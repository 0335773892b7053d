/* clasif_evidencia.h -- the evidence shown to analysts, in words an analyst
 * reads (issue 23): the ficha's own words for the model's strongest
 * features, names of sub-topics instead of codes, no weights. Internal to
 * lib/clasif; the model itself is unchanged. */
#ifndef PMM_CLASIF_EVIDENCIA_H
#define PMM_CLASIF_EVIDENCIA_H

#include <stddef.h>

#include "clasif_interno.h"

/* Appends one line of evidence (printf format), cut at a character
 * boundary to CLASIF_EVID_LEN; nothing when the list is full. */
void clasif_evid(clasif_resultado *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The same into dst (CLASIF_EVID_LEN bytes). */
void clasif_evid_en(char *dst, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The name of sub-topic code in taxonomy t ("Protección"), or code. */
const char *clasif_evid_subtema(const clasificador *c, const tax_def *t, const char *code);

/* "Términos que más pesaron: «vehículos», «acta de nacimiento», «10
 * talleres», «SRE» (institución)": the model's features rasgos[0..n), the
 * strongest first, found again in the ficha's text with w's pipeline and
 * quoted as written there (lower case). Features with no text of their own
 * (the lexicon's sums, the state scope) are left out; a feature not found
 * is left out too. */
void clasif_evid_terminos(worker *w, const clasif_entrada *in, const char *const *rasgos,
                          size_t n, clasif_resultado *out);

#endif
