/* clasificador.h -- assigns a ficha its axis and sub-topic, its SDGs and
 * targets and its challenge categories, and says why.
 *
 * A transparent hybrid:
 *   - a linear model over text features (stems, stem bigrams, "number +
 *     unit" features, the program name's words, the reporting body),
 *     idf-weighted and L2-normalised, trained from a labelled corpus by
 *     `pmm entrenar` (multinomial logistic regression, optionally plus a
 *     complement naive Bayes) and stored as text in data/modelo.txt: one
 *     row per feature with its idf and its weight for every sub-topic;
 *   - an editable lexicon (data/lexico.csv) whose weights are added to the
 *     model's scores (and are features of the model), plus SDG, target,
 *     challenge and "no results" entries; a term at the head of the
 *     program name ("Protocolo ...", "Taller ...") counts double, since it
 *     names the kind of action;
 *   - reference lists in data/: taxonomias/<name>.csv, ods.csv,
 *     ods_metas.csv, retos.csv, stopwords_es.txt.
 * The training hyper-parameters (L2 strength, naive Bayes weight, extra
 * lexicon weight) and the SDG thresholds are chosen by leave-one-group-out
 * (one group = one report year) inside the training examples.
 *
 * SDGs: P(sdg) = sum over sub-topics of P(sub-topic | ficha) * share of the
 * training groups (sub-topic and year) of that sub-topic that list the SDG;
 * 10 is assigned when P >= 0.5, the likeliest other SDG when P reaches the
 * model's first threshold and any other one when it reaches the second
 * (lexicon evidence breaks ties). The method's rule applies first: no SDG
 * for a ficha that reports no results (no count and no results text, or a
 * results text that says there are none).
 *
 * Training is declared in entrenar.h (library pmmentrenar, which clasificd
 * does not link); lib/clasif/clasif_interno.h lists the modules.
 *
 * Everything is loaded by clasificador_new and read-only afterwards:
 * clasificador_classify may be called from any number of threads at once
 * (each call borrows a text pipeline from an internal pool).
 */
#ifndef PMM_CLASIFICADOR_H
#define PMM_CLASIFICADOR_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define CLASIF_COD 40           /* sub-topic / challenge code, with NUL */
#define CLASIF_META 8           /* "16.10" */
#define CLASIF_MAX_SEC 3
#define CLASIF_MAX_ODS 17
#define CLASIF_MAX_METAS 24
#define CLASIF_MAX_RETOS 16
#define CLASIF_MAX_EVID 12
#define CLASIF_EVID_LEN 240
#define CLASIF_TAXONOMIA_DEF "2018-2022"
#define CLASIF_MAX_FUENTES 16     /* lines on what a model was trained on */
#define CLASIF_FUENTE_LEN 160

typedef struct clasificador clasificador;
typedef struct clasif_modelo clasif_modelo;

/* One ficha. Every string may be NULL; counts only count when their hay_*
 * flag is set (the contract allows null). */
typedef struct {
    const char *programa;
    const char *objetivo;       /* descripcion.objetivo */
    const char *poblacion;      /* descripcion.poblacion_objetivo */
    const char *resultados;     /* resultados.texto */
    const char *zona;           /* resultados.zona */
    const char *retos;
    const char *dependencia;    /* acronym of the reporting body */
    const char *ambito;         /* "federal" or "estatal" */
    long acciones, personas, mujeres, hombres;
    bool hay_acciones, hay_personas, hay_mujeres, hay_hombres;
    int objetivo_pmm;           /* 1..23, 0 when unknown */
    int ejercicio;              /* the ficha's year: chooses the taxonomy
                                   when none is given; 0 when unknown */
} clasif_entrada;

typedef struct {
    char codigo[CLASIF_COD];
    int eje;
    double confianza;
} clasif_subtema;

typedef struct {
    int numero;
    double confianza;
} clasif_ods;

typedef struct {
    char meta[CLASIF_META];
    double confianza;
} clasif_meta;

typedef struct {
    char codigo[CLASIF_COD];
    double confianza;
} clasif_reto;

typedef struct {
    int eje;
    double confianza_eje;
    clasif_subtema subtema;
    clasif_subtema secundarios[CLASIF_MAX_SEC];    /* other likely ones */
    size_t nsecundarios;
    bool con_resultados;        /* SDGs are only assigned when true */
    clasif_ods ods[CLASIF_MAX_ODS];                 /* ascending number */
    size_t nods;
    clasif_meta metas[CLASIF_MAX_METAS];
    size_t nmetas;
    clasif_reto retos[CLASIF_MAX_RETOS];
    size_t nretos;
    char evidencia[CLASIF_MAX_EVID][CLASIF_EVID_LEN];   /* Spanish */
    size_t nevidencia;
    char taxonomia[16];
    char version[64];
} clasif_resultado;

/* Loads everything from data_dir. A missing modelo.txt is not an error
 * (the lexicon alone classifies; clasificador_tiene_modelo says so). */
clasificador *clasificador_new(const char *data_dir, pmm_error *err);
void clasificador_destroy(clasificador **self_p);

bool clasificador_tiene_modelo(const clasificador *self);
/* e.g. "pmm-clasif/1 modelo:3fa2c1d0 lexico:9b01de77" */
const char *clasificador_version(const clasificador *self);
/* True when data/taxonomias/<nombre>.csv was loaded. */
bool clasificador_tiene_taxonomia(const clasificador *self, const char *nombre);

/* The taxonomy of a year: the rule is data, the "desde" year of each file
 * of data/taxonomias (2018-2022 for 2018..2022, 2023 from 2023); "2018-2022"
 * when no file's rule applies. */
const char *clasificador_taxonomia_de(const clasificador *self, int ejercicio);

/* Classifies one ficha under taxonomy `taxonomia` (NULL: the taxonomy of
 * in->ejercicio, or "2018-2022" when the year is unknown). */
int clasificador_classify(clasificador *self, const clasif_entrada *in,
                          const char *taxonomia, clasif_resultado *out,
                          pmm_error *err);

/* What clasificador_classify gives the ficha if its sub-topic is `subtema`
 * (an analyst's decision): out->subtema is that sub-topic and out->ods,
 * out->metas and out->con_resultados the SDG proposal for it, by the same
 * rule the classifier applies to its own choice. -1 with err (campo
 * "--subtema") when the taxonomy has no such sub-topic. */
int clasificador_ods_para_subtema(clasificador *self, const clasif_entrada *in,
                                  const char *taxonomia, const char *subtema,
                                  clasif_resultado *out, pmm_error *err);

/* Sub-topics of a taxonomy, in file order (for tables and evaluation). */
size_t clasificador_subtemas(const clasificador *self, const char *taxonomia,
                             const char **codigos, int *ejes, size_t cap);

/* ---- the model file (data/modelo.txt; entrenar.h trains one) ---- */

int clasif_modelo_guardar(const clasif_modelo *m, const char *path,
                          pmm_error *err);
clasif_modelo *clasif_modelo_cargar(const char *path, pmm_error *err);
void clasif_modelo_destroy(clasif_modelo **m_p);
size_t clasif_modelo_rasgos(const clasif_modelo *m);
/* Replaces self's model (self takes ownership; NULL removes it). Not to be
 * called while other threads classify. */
void clasificador_usar_modelo(clasificador *self, clasif_modelo *m);
/* Loads the model file at path (NULL or "": keep the data directory's
 * modelo.txt) and uses it. */
int clasificador_cargar_modelo(clasificador *self, const char *path,
                               pmm_error *err);

#endif
