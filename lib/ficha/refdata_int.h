/* refdata_int.h -- what the files of the reference data share (refdata.c,
 * refdata_ods.c, refdata_taxonomia.c). Not for use outside lib/ficha. */
#ifndef PMM_REFDATA_INT_H
#define PMM_REFDATA_INT_H

#include "csvfile.h"
#include "refdata.h"

#define REF_ERR 7   /* Pmm__ErrorCode ERR_INTERNAL: the data files are ours */

struct refdata {
    char *dir;                              /* the data directory */
    ref_dependencia *deps;
    char **deps_folded;                     /* folded acronyms, parallel */
    size_t ndeps;
    char *ent_nombre[REF_ENTIDADES + 1];
    char *ent_folded[REF_ENTIDADES + 1];    /* folded name */
    char *ent_abrev[REF_ENTIDADES + 1];     /* folded abbreviation, no dots */
    char *objetivo[REF_OBJETIVOS + 1];
    ref_reto *retos;
    size_t nretos;
    char *ods[REF_ODS + 1];
    ref_meta *metas;
    size_t nmetas;
    ref_taxonomia *tax;                     /* ordered by name */
    size_t ntax;
};

/* "sin memoria"; returns -1. */
int refdata_oom(pmm_error *err);
/* strdup that takes NULL as "". */
char *refdata_dup(const char *s);
/* Reads <self->dir>/<name> row by row (csvfile_read). */
int refdata_leer(const refdata *self, const char *name, csvfile_row_fn fn,
                 void *user, pmm_error *err);

int refdata_ods_load(refdata *self, pmm_error *err);
void refdata_ods_free(refdata *self);
int refdata_taxonomias_load(refdata *self, pmm_error *err);
void refdata_taxonomias_free(refdata *self);

#endif
