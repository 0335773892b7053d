/* muestra_int.h -- what the two files of the sample generator share
 * (muestra_carga.c loads the data, muestra.c writes the fichas). Not for
 * use outside them. */
#ifndef PMM_MUESTRA_INT_H
#define PMM_MUESTRA_INT_H

#include <jansson.h>
#include <stdint.h>

#include "muestra.h"

#define NOBJ 23
#define MAX_TABLA_ANIOS 32

/* ---- loaded data ------------------------------------------------------- */

typedef struct {
    const char **v;
    size_t n;
} strv;

typedef struct {
    int objetivo;
    char dep[32];             /* canonical acronym (refdata) */
    char dep_slug[32];        /* the same, lower-case ASCII, for claves */
    const char *unidad;
    const char *programa;
    const char *subtema;      /* the 2018-2022 sub-topic it belongs to */
    int sector;               /* index into muestra.sectores, -1: federal only */
    const char *conteo[2];    /* singular, plural */
    long long acc[2];
    long long per[2];         /* {0, 0}: no count of people */
    strv zona, prop, res, retos;
    const char *pob;
    int temp;                 /* 0 either, 1 permanente, 2 temporal */
} plantilla;

typedef struct {
    const char *nombre;
    strv unidades;
} sector;

typedef struct {
    int code;
    char nombre[96];          /* official name (mail domain) */
    char texto[96];           /* as written in a sentence: "la Ciudad de México" */
} estado;

struct muestra {
    uint64_t rng;
    unsigned long seq;
    json_t *j_plantillas;     /* own every template string */
    json_t *j_comunes;        /* own every shared string */
    plantilla *pl;
    size_t npl;
    size_t *por_obj[NOBJ + 1];       /* template indices per objective */
    size_t nobj[NOBJ + 1];
    size_t *por_obj_est[NOBJ + 1];   /* those a state could run */
    size_t nobj_est[NOBJ + 1];
    sector *sectores;
    size_t nsect;
    strv zonas_est, prop_extra, pob_extra, res_total, res_sexo, res_sin_sexo,
        res_sexo_parcial, res_extra, res_sin_cifras, res_sin_resultados, retos_extra,
        retos_pandemia, nom_m, nom_h, apellidos, cargo_m, cargo_h,
        zonas_minuscula;
    const json_t *zonas_texto;       /* zone -> its form inside a sentence */
    estado estados[32];
    size_t nestados;          /* states with participo_2022 = 1 */
    size_t next_estado;       /* states take turns, so every one reports */
    int tabla_desde;
    int tabla_n;
    int tabla[MAX_TABLA_ANIOS][NOBJ + 1];
    /* fichas with results per table year (data/tabla_ods.csv,
     * total_acciones); -1 where that table has no row */
    int con_resultados[MAX_TABLA_ANIOS];
    int anio_max;             /* current year + 1 */
    muestra_meta ultima;      /* of the last ficha written */
};

void strv_free(strv *v);
/* Lower-case ASCII slug of s (accents folded, other characters dropped). */
void muestra_slug(const char *s, char *out, size_t cap);

#endif
