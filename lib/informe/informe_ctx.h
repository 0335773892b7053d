/* informe_ctx.h -- what the two files of the Informe Ejecutivo share
 * (informe.c, informe_secciones.c). Not for use outside lib/informe. */
#ifndef PMM_INFORME_CTX_H
#define PMM_INFORME_CTX_H

#include <jansson.h>

#include "informe.h"
#include "informe_doc.h"

typedef struct {
    const json_t *datos;
    const informe_ref *ref;
    const informe_fuente *fuente;
    int anio;
    long long total;       /* fichas of the year */
    doc d;
} ctx;

/* Opens section num (1..12) with its title. */
void informe_seccion(ctx *c, int num);

static inline const char *num(long long n, char *buf, size_t cap)
{
    return informe_numero(n, buf, cap);
}

/* Sections 5 to 9 (informe_secciones.c); -1 when out of memory. */
void informe_sec_entidades(ctx *c);
int informe_sec_ejes(ctx *c);
int informe_sec_ods(ctx *c);
int informe_sec_retos(ctx *c);
void informe_sec_metodo(ctx *c);
/* The examples per objective, in section 2 (informe_ejemplos_doc.c). */
void informe_ejemplos_tabla(ctx *c);
/* Section 10, the conclusions (informe_conclusiones.c). */
void informe_sec_conclusiones(ctx *c);
/* Sections 11 and 12, the annexes (informe_anexos.c); -1 when out of memory. */
int informe_sec_anexos(ctx *c);
/* "Continuidad de los programas", within the summary (informe_continuidad.c):
 * nothing when the dataset has no "continuidad" (older closes). */
void informe_continuidad(ctx *c);
/* The link of objective k's count to its fichas in the Compendio
 * (HTML: compendio-<year>.html#o<k>, written beside the Informe). */
void informe_enlace_objetivo(const ctx *c, int k, char *buf, size_t cap);

#endif
