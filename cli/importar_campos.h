/* importar_campos.h -- the fields of the ficha form, shared by the templates
 * (`pmm plantilla`) and the importer: the contract path, the label printed
 * in the Word form and the spreadsheets, its help text, and the other
 * labels people write (the older form's wording, short forms).
 *
 * Labels are compared normalised (imp_normalizar): lower case, no accents,
 * punctuation as spaces, spaces collapsed. A cell matches a label when it
 * begins with it at a word boundary; the longest matching label wins, so
 * "Objetivo del PMM que atiende el programa" is never "Objetivo".
 */
#ifndef PMM_IMPORTAR_CAMPOS_H
#define PMM_IMPORTAR_CAMPOS_H

#include <stddef.h>

/* Sections of the Word form: a row carrying only a section's label opens
 * it; the short labels of its sub-fields ("Nombre", "Texto") count only
 * inside it. In the older form the section's label row carries one
 * free-text value. */
typedef enum {
    SEC_NINGUNA = 0,
    SEC_DESCRIPCION,
    SEC_RESULTADOS,
    SEC_CONTACTO
} imp_seccion;

typedef enum {
    TIPO_TEXTO,        /* words, several lines */
    TIPO_LINEA,        /* one line */
    TIPO_ENTERO,
    TIPO_FECHA,
    TIPO_OBJETIVO,
    TIPO_DEPENDENCIA,
    TIPO_ENTIDAD,
    TIPO_AMBITO,
    TIPO_TEMPORALIDAD,
    TIPO_CLAVE
} imp_tipo;

typedef struct {
    const char *ruta;           /* contract path: "descripcion.objetivo" */
    imp_tipo tipo;
    imp_seccion seccion;        /* the Word section it sits in */
    const char *etiqueta;       /* the label in the forms */
    const char *ayuda;          /* help text (Word form, instructions sheet) */
    const char *otras[6];       /* other labels accepted anywhere (NULL-ended) */
    const char *cortas[4];      /* labels accepted only inside its section */
} imp_campo;

/* The fields in form order (also the spreadsheets' column order). */
size_t imp_campos_n(void);
const imp_campo *imp_campo_at(size_t i);
/* The field of a contract path, or NULL. */
const imp_campo *imp_campo_ruta(const char *ruta);

/* The label of a section's header row ("DESCRIPCIÓN"...); for
 * SEC_RESULTADOS it names the reporting period of `ejercicio` (0: a
 * generic period). out gets at most cap bytes. */
void imp_seccion_etiqueta(imp_seccion s, int ejercicio, char *out, size_t cap);
/* The help text under a section's header. */
const char *imp_seccion_ayuda(imp_seccion s);

/* Lower case, accents removed, every run of other than letters and digits
 * one space, trimmed. Returns the length written. */
size_t imp_normalizar(const char *s, char *out, size_t cap);

/* What a normalised cell text names: a field (*campo set) or a section
 * (*seccion set, *campo NULL), taking section-only labels into account
 * when inside `actual`. Returns the length of the matched label in the
 * normalised text (0: no match). */
size_t imp_etiqueta(const char *norm, imp_seccion actual, const imp_campo **campo,
                    imp_seccion *seccion);

#endif
