/* refdata_int.h -- what the files of the reference data share (refdata.c,
 * refdata_nombres.c, refdata_ods.c, refdata_taxonomia.c). Not for use outside lib/ficha. */
#ifndef PMM_REFDATA_INT_H
#define PMM_REFDATA_INT_H

#include "csvfile.h"
#include "hashmap.h"
#include "refdata.h"

#define REF_ERR 7   /* Pmm__ErrorCode ERR_INTERNAL: the data files are ours */

/* One accepted form of a name (refdata_nombres.c). */
typedef struct {
    char *texto;       /* as written in the data file */
    char *palabras;    /* folded words, one space between them */
    int destino;       /* index in deps, or INEGI code */
} ref_nombre;

/* Every accepted form of the names of one kind. */
typedef struct {
    hashmap mapa;      /* key (folded letters and digits) -> int destino */
    ref_nombre *lista; /* each form once, for the suggestions */
    size_t n;
} ref_nombres;

struct refdata {
    char *dir;                              /* the data directory */
    ref_dependencia *deps;
    size_t ndeps;
    char *ent_nombre[REF_ENTIDADES + 1];
    char *ent_abrev[REF_ENTIDADES + 1];     /* abbreviation, as in the file */
    ref_nombres dep_nombres;                /* acronyms, names, aliases */
    ref_nombres ent_nombres;                /* names, abbreviations, aliases */
    char **ent_prefijos;                    /* folded words, longest first */
    size_t nprefijos;
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
/* After bodies and states: their names and aliases (refdata_nombres.c). */
int refdata_nombres_load(refdata *self, pmm_error *err);
void refdata_nombres_free(refdata *self);

#endif
