/* refdata.h -- the reference data, the one owner of the reference CSVs in
 * the data directory. refdata_load reads each of them once; everything is
 * read-only afterwards, so one refdata may be shared by every thread.
 *
 *   dependencias.csv      sigla,nombre,tipo           reporting bodies
 *   alias_dependencias.csv  alias,sigla,nota          other names of a body:
 *                         former acronyms and names (renamed bodies resolve
 *                         to today's acronym), short names
 *   entidades.csv         clave,nombre,abreviatura    the 32 states (INEGI)
 *   alias_entidades.csv   tipo,texto,clave,nota       other names of a state
 *                         (tipo "alias", with its INEGI code) and prefixes
 *                         dropped before looking a name up (tipo "prefijo":
 *                         "Gobierno del Estado de", "Edo.")
 *   objetivos.csv         numero,titulo               the 23 PMM objectives
 *   retos.csv             codigo,nombre,definicion    challenge categories
 *   ods.csv               numero,nombre               the 17 SDGs
 *   ods_metas.csv         ods,meta,predeterminada,nombre   SDG targets
 *   taxonomias/<n>.csv    taxonomia,eje,eje_nombre,subtema,subtema_nombre,
 *                         origen,definicion,desde     axes and sub-topics
 *
 * The first row of each file is its header. Every taxonomy file in
 * taxonomias/ is loaded; a taxonomy is named after its file (<n>).
 * Implemented in refdata.c (load, bodies, states, objectives, challenges),
 * refdata_nombres.c (names and aliases of bodies and states),
 * refdata_ods.c (SDGs and targets) and refdata_taxonomia.c.
 *
 * Names of bodies and states are compared folded (case, accents, ñ) and by
 * their letters and digits only (dots, spaces, hyphens and other signs are
 * ignored): "Edo. Méx.", "EDOMEX" and "edomex" are one name. A name that
 * would stand for two different bodies or states stops the load.
 */
#ifndef PMM_REFDATA_H
#define PMM_REFDATA_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define REF_ENTIDADES 32
#define REF_OBJETIVOS 23
#define REF_ODS 17

typedef struct refdata refdata;

refdata *refdata_load(const char *data_dir, pmm_error *err);
void refdata_destroy(refdata **self_p);

/* ---- reporting bodies ------------------------------------------------- */

typedef struct {
    char *sigla;     /* canonical acronym, as in the data file */
    char *nombre;
    char *tipo;      /* secretaria, desconcentrado, autonomo, otro, internacional */
} ref_dependencia;

/* The body text names (its acronym, its name or an alias; see above), or
 * NULL. One hash look-up. */
const ref_dependencia *refdata_dependencia(const refdata *self,
                                           const char *text, size_t len);
/* For a text that names no body: up to cap bodies whose names are most
 * like it (best first; none when nothing is close). */
size_t refdata_dependencia_parecidas(const refdata *self, const char *text, size_t len,
                                     const ref_dependencia **out, size_t cap);
/* The same as a Spanish question for a message: "¿quiso decir SSA
 * (Secretaría de Salud)?" (up to three), or "" when nothing is close.
 * Returns its length. */
size_t refdata_dependencia_sugerencia(const refdata *self, const char *text, size_t len,
                                      char *out, size_t cap);
size_t refdata_dependencia_count(const refdata *self);
const ref_dependencia *refdata_dependencia_at(const refdata *self, size_t i);

/* ---- states and objectives -------------------------------------------- */

/* INEGI code 1..32 for "07", "7", a name, an abbreviation or an alias,
 * also after the prefixes of alias_entidades.csv ("Gobierno del Estado de
 * Jalisco"); 0 if none. */
int refdata_entidad(const refdata *self, const char *text, size_t len);
/* For a text that names no state: up to cap INEGI codes of the states
 * whose names are most like it (best first). */
size_t refdata_entidad_parecidas(const refdata *self, const char *text, size_t len,
                                 int *out, size_t cap);
/* As refdata_dependencia_sugerencia: "¿quiso decir 14 (Jalisco)?" or "". */
size_t refdata_entidad_sugerencia(const refdata *self, const char *text, size_t len,
                                  char *out, size_t cap);
/* Name of state 1..32; NULL outside. */
const char *refdata_entidad_nombre(const refdata *self, int code);

/* A command-line option naming a body (--dependencia SIGLA|NOMBRE) or a
 * state (--entidad CLAVE|NOMBRE): as refdata_dependencia and
 * refdata_entidad, but an unknown name gives NULL / 0 with err (campo
 * `opcion`, regla "desconocida") saying where the accepted names are and
 * which are closest. */
const ref_dependencia *refdata_pedir_dependencia(const refdata *self, const char *opcion,
                                                 const char *valor, pmm_error *err);
int refdata_pedir_entidad(const refdata *self, const char *opcion, const char *valor,
                          pmm_error *err);

/* Title of objective 1..23; NULL outside. */
const char *refdata_objetivo_titulo(const refdata *self, int numero);

/* ---- challenge categories (retos.csv, file order) --------------------- */

typedef struct {
    char *codigo;
    char *nombre;
    char *definicion;   /* "" when the file has no such column */
} ref_reto;

size_t refdata_reto_count(const refdata *self);
const ref_reto *refdata_reto_at(const refdata *self, size_t i);
/* Position of the category in the file, or -1. */
int refdata_reto_indice(const refdata *self, const char *codigo);
/* The category of codigo, or NULL. */
const ref_reto *refdata_reto(const refdata *self, const char *codigo);

/* ---- SDGs and their targets (refdata_ods.c) --------------------------- */

/* Name of SDG 1..17; NULL outside. */
const char *refdata_ods_nombre(const refdata *self, int numero);

typedef struct {
    char *meta;            /* "8.8", "10.7", "16.b" */
    int ods;               /* the SDG it belongs to, 1..17 */
    bool predeterminada;   /* the SDG's default target */
    char *nombre;
} ref_meta;

/* The targets in file order. */
size_t refdata_meta_count(const refdata *self);
const ref_meta *refdata_meta_at(const refdata *self, size_t i);
/* The target of code meta ("8.8"), or NULL. */
const ref_meta *refdata_meta(const refdata *self, const char *meta);

/* ---- taxonomies of axes and sub-topics (refdata_taxonomia.c) ---------- */

typedef struct {
    int numero;            /* 1..9 */
    char *nombre;
} ref_eje;

typedef struct {
    char *codigo;          /* "salud" */
    char *nombre;          /* "Salud" */
    int eje;               /* the axis it belongs to */
    char *origen;          /* the 2018-2022 sub-topic it derives from (the
                              classifier's model class); its own code when
                              the file leaves it empty */
    char *definicion;      /* "" when absent */
} ref_subtema;

typedef struct {
    char *nombre;          /* file name without ".csv": "2018-2022" */
    ref_eje *ejes;         /* in order of first appearance in the file */
    size_t nejes;
    ref_subtema *subtemas; /* file order; codes are unique */
    size_t nsubtemas;
    int desde;             /* first year it classifies (column "desde", the
                              same on every row); 0 when the file gives none */
} ref_taxonomia;

/* Every taxonomy, ordered by name. */
size_t refdata_taxonomia_count(const refdata *self);
const ref_taxonomia *refdata_taxonomia_at(const refdata *self, size_t i);
/* The taxonomy called nombre, or NULL. */
const ref_taxonomia *refdata_taxonomia(const refdata *self, const char *nombre);
/* The taxonomy of a year: of those with a "desde" year up to ejercicio, the
 * latest (2018-2022 for 2018..2022, 2023 from 2023 with the shipped data);
 * NULL when none applies. The rule is data: each file's "desde". */
const ref_taxonomia *refdata_taxonomia_ejercicio(const refdata *self, int ejercicio);
/* The taxonomy called nombre, or NULL with err naming `campo` (the option or
 * key the name came from) and the taxonomies there are. */
const ref_taxonomia *refdata_taxonomia_pedir(const refdata *self,
                                             const char *nombre,
                                             const char *campo,
                                             pmm_error *err);

/* Sub-topic of a taxonomy by code, or NULL. */
const ref_subtema *ref_taxonomia_subtema(const ref_taxonomia *t,
                                         const char *codigo);
/* Position of the sub-topic in the taxonomy, or -1. */
int ref_taxonomia_subtema_indice(const ref_taxonomia *t, const char *codigo);
/* Name of axis numero, or NULL. */
const char *ref_taxonomia_eje_nombre(const ref_taxonomia *t, int numero);

#endif
