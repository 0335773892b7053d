/* informe_ref.h -- the names the documents print, looked up in the
 * reference data (refdata.h) through the taxonomies a dataset lists.
 * informe_ref_new and informe_ref_destroy are declared in informe.h. */
#ifndef PMM_INFORME_REF_H
#define PMM_INFORME_REF_H

#include "informe.h"
#include "refdata.h"
#include "strbuf.h"

/* The sub-topics of the listed taxonomies, the first listed naming a code
 * that several share, in that order. */
size_t informe_ref_subtemas(const informe_ref *r);
const ref_subtema *informe_ref_subtema_at(const informe_ref *r, size_t i);
const ref_subtema *informe_ref_subtema(const informe_ref *r, const char *codigo);
/* Position of a sub-topic in that order, or -1. */
int informe_ref_subtema_orden(const informe_ref *r, const char *codigo);
/* The name of an axis: that of the first taxonomy listed that has it; NULL
 * when none has it. */
const char *informe_ref_eje(const informe_ref *r, int eje);

/* The zone set with informe_ref_zona, or NULL. */
const char *informe_ref_zona_de(const informe_ref *r);

/* "" when unknown. */
const char *informe_ref_ods(const informe_ref *r, int k);
const char *informe_ref_objetivo(const informe_ref *r, int k);
const char *informe_ref_entidad(const informe_ref *r, int k);
/* NULL when unknown. */
const char *informe_ref_dependencia(const informe_ref *r, const char *sigla);
const char *informe_ref_meta(const informe_ref *r, const char *meta);
const char *informe_ref_reto(const informe_ref *r, const char *codigo);
/* Its definition, or NULL when the file gives none. */
const char *informe_ref_reto_definicion(const informe_ref *r, const char *codigo);
/* The categories in file order. */
size_t informe_ref_retos(const informe_ref *r);
const char *informe_ref_reto_codigo(const informe_ref *r, size_t i);
/* Position of a challenge category in retos.csv, or -1. */
int informe_ref_reto_orden(const informe_ref *r, const char *codigo);

/* "Gobierno del Estado de Chiapas" and the exception of Mexico City,
 * appended to b. */
void informe_ref_gobierno(const informe_ref *r, int k, strbuf *b);

#endif
