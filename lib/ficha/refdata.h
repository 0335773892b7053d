/* refdata.h -- reference lists the validator needs: reporting bodies
 * (data/dependencias.csv), the 32 states (data/entidades.csv) and the 23 PMM
 * objectives (data/objetivos.csv). Loaded once at start-up; read-only after.
 */
#ifndef PMM_REFDATA_H
#define PMM_REFDATA_H

#include <stddef.h>

#include "error.h"

#define REF_ENTIDADES 32
#define REF_OBJETIVOS 23

typedef struct refdata refdata;

typedef struct {
    char *sigla;     /* canonical acronym, as in the data file */
    char *nombre;
    char *tipo;      /* secretaria, desconcentrado, autonomo, otro, internacional */
} ref_dependencia;

refdata *refdata_load(const char *data_dir, pmm_error *err);
void refdata_destroy(refdata **self_p);

/* Canonical acronym for text (case and accent insensitive), or NULL. */
const ref_dependencia *refdata_dependencia(const refdata *self,
                                           const char *text, size_t len);
size_t refdata_dependencia_count(const refdata *self);
const ref_dependencia *refdata_dependencia_at(const refdata *self, size_t i);

/* INEGI code 1..32 for "07", "7", a name or an abbreviation; 0 if none. */
int refdata_entidad(const refdata *self, const char *text, size_t len);
const char *refdata_entidad_nombre(const refdata *self, int code);

const char *refdata_objetivo_titulo(const refdata *self, int numero);

#endif
