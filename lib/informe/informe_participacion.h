/* informe_participacion.h -- the methodology annex's figures on the year's
 * call (issue 18): who was asked to report, who delivered, the rates. Read
 * only from the dataset's "convocatoria" object (informe_datos.c), so an
 * edition from a close shows what the close froze; nothing is printed for a
 * year without a call. */
#ifndef PMM_INFORME_PARTICIPACION_H
#define PMM_INFORME_PARTICIPACION_H

#include <stdbool.h>

#include "informe_ctx.h"
#include "strbuf.h"

/* Whether the dataset has the year's call. */
bool informe_participacion_hay(const ctx *c);
/* The note's text (the rule and the figures) into out. */
void informe_participacion_nota(const ctx *c, strbuf *out);
/* The status of body emisor ("D:SRE", "E:07") in the year's call, as the
 * reader sees it ("entregada a tiempo"...); NULL when the dataset has no
 * call or the body was not called. */
const char *informe_participacion_estado(const ctx *c, const char *emisor);
/* The tables: rates by type (with the total) and the expected bodies with
 * their status. */
void informe_participacion_tablas(ctx *c);

#endif
