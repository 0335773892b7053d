/* ooxml.h -- reading the tables of Word and OpenDocument text files and the
 * rows of Excel and OpenDocument spreadsheets, for the ficha importer.
 *
 * A package (ooxml_zip.h) is identified by its content, not its name:
 * [Content_Types].xml for Office files, the `mimetype` entry for
 * OpenDocument. Macro-enabled files (.docm, .xlsm, a vbaProject part, ODF
 * Basic scripts) are refused (rule `macros`), as is anything else (rule
 * `formato`).
 *
 * Text documents (.docx, .odt) become a list of tables, each a list of rows
 * of cells; a cell's text is its paragraphs joined with '\n' (runs merged,
 * line breaks as '\n', tabs as '\t'). Tracked changes count as accepted:
 * insertions are text, deletions are not; comments, field codes, drawings
 * and text boxes are left out. A cell spanning columns appears once with its
 * span; a cell merged vertically with the one above repeats that cell's
 * text, so that every row carries its own label. Paragraphs outside tables
 * are kept too.
 *
 * Spreadsheets (.xlsx, .ods) are read as a stream, row by row, whatever
 * their length: text (shared or inline strings, rich text merged), numbers
 * (as the shortest decimal that reads back the same: "51", "2.5"), dates
 * (cells with a date format, as AAAA-MM-DD) and booleans ("VERDADERO",
 * "FALSO").
 */
#ifndef PMM_OOXML_H
#define PMM_OOXML_H

#include <stddef.h>

#include "error.h"
#include "ooxml_zip.h"

typedef enum {
    OOXML_DOCX = 1,
    OOXML_XLSX,
    OOXML_ODT,
    OOXML_ODS
} ooxml_tipo;

/* What the package is. -1 with err (`formato`, `macros`, or the part's
 * fault). */
int ooxml_tipo_de(ooxml_zip *z, ooxml_tipo *tipo, pmm_error *err);
/* "Word (.docx)", "Excel (.xlsx)"... */
const char *ooxml_tipo_nombre(ooxml_tipo tipo);

/* ---- text documents ----------------------------------------------------- */

#define OOXML_MAX_CELDAS 200000   /* cells of all tables of one document */

typedef struct {
    char *texto;        /* UTF-8, never NULL */
    size_t columnas;    /* grid columns it spans, >= 1 */
} ooxml_celda;

typedef struct {
    ooxml_celda *celdas;
    size_t n;
} ooxml_fila;

typedef struct {
    ooxml_fila *filas;
    size_t n;
} ooxml_tabla;

typedef struct {
    ooxml_tabla *tablas;     /* in document order */
    size_t ntablas;
    char **parrafos;         /* non-empty paragraphs outside tables */
    size_t nparrafos;
} ooxml_documento;

/* The tables of a .docx or .odt. NULL with err. */
ooxml_documento *ooxml_documento_leer(ooxml_zip *z, ooxml_tipo tipo, pmm_error *err);
void ooxml_documento_liberar(ooxml_documento **doc_p);

/* ---- spreadsheets --------------------------------------------------------- */

#define OOXML_MAX_COLUMNAS 256   /* columns read per row; cells past it are refused */
#define OOXML_MAX_TEXTO_CELDA (256u * 1024)

/* One row with something in it: hoja is the sheet's name, fila its number
 * (1-based, as the program shows it), celdas[0..n) the columns A... ("" when
 * empty; n = the last non-empty column + 1). Return 0 to go on, 1 to skip
 * the rest of this sheet, -1 to stop with err. */
typedef int (*ooxml_fila_fn)(void *user, const char *hoja, size_t fila, char *const *celdas,
                             size_t n, pmm_error *err);

/* Every sheet of an .xlsx or .ods, in workbook order. */
int ooxml_hoja_leer(ooxml_zip *z, ooxml_tipo tipo, ooxml_fila_fn fn, void *user,
                    pmm_error *err);

#endif
