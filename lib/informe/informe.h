/* informe.h -- rendering of the two yearly documents: the Informe Ejecutivo
 * (from the report dataset of informe_datos.h; informe.c,
 * informe_secciones.c) and the Compendio General (from the year's counted
 * fichas; compendio.c). No database access here: the callers fetch the
 * input, this library only writes text, through the document model of
 * informe_doc.h (see CMakeLists.txt for the file of each part).
 *
 * Informe Ejecutivo, nine sections in this order: summary with the yearly
 * comparison, actions per objective (all 23, top and bottom five with ties),
 * federal versus state, per reporting body, state tile map, axes and
 * sub-topics, SDG alignment, challenges, notes on method.
 *
 * Output formats:
 *   html  one self-contained page: inline CSS, inline SVG charts (no
 *         JavaScript, no external resources), A4 print styles
 *   md    Markdown with pipe tables, no HTML (word-processor import)
 *   csv   every table as rows: a header row whose first field is "tabla"
 *         followed by the column names, then one row per table row whose
 *         first field is the table's id; or one file per table (header row
 *         with the column names only) through informe_csv_tablas()
 *
 * Determinism: the output depends only on the dataset, the reference files
 * and the source description; every ordering has a tie-breaker, and nothing
 * reads the clock, so a frozen snapshot renders byte-identical every time.
 *
 * Numbers in html and md follow NOM-008-SCFI: groups of three digits
 * separated by a narrow no-break space (U+202F), decimal point. CSV numbers
 * are plain (1065, 12.5).
 */
#ifndef PMM_INFORME_H
#define PMM_INFORME_H

#include <jansson.h>
#include <stdbool.h>

#include "error.h"
#include "refdata.h"
#include "strbuf.h"

typedef enum { INFORME_HTML, INFORME_MD, INFORME_CSV, INFORME_DOCX } informe_formato;

/* "html" | "md" | "csv" | "docx"; -1 when unknown. A DOCX rendering is the
 * bytes of the Word package (informe_docx.h). */
int informe_formato_parse(const char *text, informe_formato *out);

/* Names the documents print, from the reference data (refdata.h, which
 * must outlive it): bodies, states, objectives, SDGs, SDG targets, challenge
 * categories and the axes and sub-topics of the listed taxonomies
 * (`taxonomias` is the dataset's comma-separated list, "" or NULL for
 * 2018-2022; an unknown name is refused naming "taxonomia"). */
typedef struct informe_ref informe_ref;

informe_ref *informe_ref_new(const refdata *rd, const char *taxonomias,
                             pmm_error *err);
void informe_ref_destroy(informe_ref **self_p);
/* The time zone (IANA name, e.g. conf_zona_horaria) dates are printed in;
 * the string must outlive ref. Without it dates keep their stored offset. */
void informe_ref_zona(informe_ref *ref, const char *zona);

/* Where the dataset came from, printed in the notes on method. */
typedef enum {
    INFORME_VIVO,      /* built now from the live tables */
    INFORME_CIERRE,    /* the year's frozen snapshot (pmm cierre) */
    INFORME_ARCHIVO    /* a dataset file given with --datos */
} informe_origen;

typedef struct {
    informe_origen origen;
    const char *hash;      /* SHA-256 hex of the canonical dataset */
} informe_fuente;

/* Renders the Informe Ejecutivo of `datos` (format version 1) into out.
 * Returns 0, or -1 with err set (dataset malformed, out of memory). */
int informe_render(const json_t *datos, const informe_ref *ref,
                   informe_formato formato, const informe_fuente *fuente,
                   strbuf *out, pmm_error *err);

/* CSV, one document per table: fn receives the table id (a file name
 * without extension: "objetivos", "ods", ...) and its CSV text. */
typedef int (*informe_tabla_fn)(void *user, const char *id, const char *csv,
                                size_t len, pmm_error *err);
int informe_csv_tablas(const json_t *datos, const informe_ref *ref,
                       const informe_fuente *fuente, informe_tabla_fn fn,
                       void *user, pmm_error *err);

/* Compendio General. `fichas` is an array of objects, one per counted
 * ficha of the year, with the keys
 *   id and version (printed with the clave under the title), emisor, clave, ambito, dependencia, entidad (int or null), objetivo
 *   (the counted PMM objective), unidad, programa, proposito (the aim),
 *   poblacion_objetivo, inicio, temporalidad, fin, acciones, personas,
 *   mujeres, hombres, zona, resultados_texto, retos (text), retos_cat
 *   (array of category codes), eje, subtema, ods (array of ints)
 * (absent or null = not reported). Never contact data. From 2022 on, or
 * whenever state fichas are present, state governments get a part of their
 * own after the federal one. `corte` is the data cut-off ("" = unknown).
 * formato is INFORME_HTML or INFORME_MD. */
int informe_compendio(const json_t *fichas, int ejercicio, const char *corte,
                      const informe_ref *ref, informe_formato formato,
                      strbuf *out, pmm_error *err);

/* HTML text escape (& < > " ') appended to b. */
void informe_html_escape(strbuf *b, const char *s);
/* A number with NOM-008 grouping (U+202F between groups of three). */
const char *informe_numero(long long n, char *buf, size_t cap);

#endif
