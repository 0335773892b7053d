/* clasif_ref.h -- the classifier's reference lists (referencias.c):
 * taxonomies, SDG names, SDG targets and challenge categories, read from
 * the data directory by clasificador_new. Internal to lib/clasif. */
#ifndef PMM_CLASIF_REF_H
#define PMM_CLASIF_REF_H

#include <stdbool.h>

#include "clasif_interno.h"
#include "error.h"

/* Loads the reference data of c->data_dir (refdata_load: every reference
 * CSV, checked there) into c->rd and copies the taxonomies, SDG names,
 * targets and challenge categories into c's tables. */
int clasif_ref_cargar(clasificador *c, pmm_error *err);

/* The taxonomy called nombre (NULL: CLASIF_TAXONOMIA_DEF), or NULL. */
const tax_def *clasif_ref_taxonomia(const clasificador *c, const char *nombre);
/* The name of the taxonomy of a year (the "desde" rule of the taxonomy
 * files; CLASIF_TAXONOMIA_DEF when none applies). */
const char *clasif_ref_taxonomia_ejercicio(const clasificador *c, int ejercicio);
/* Index of sub-topic code in t, or -1. */
int clasif_ref_subtema(const tax_def *t, const char *code);
/* The SDG target "16.10", or NULL. */
const meta_ref *clasif_ref_meta(const clasificador *c, const char *meta);
/* True when code is a challenge category. */
bool clasif_ref_reto(const clasificador *c, const char *code);
/* True when some taxonomy has the sub-topic code. */
bool clasif_ref_en_taxonomias(const clasificador *c, const char *code);

#endif
