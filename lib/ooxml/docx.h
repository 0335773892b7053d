/* docx.h -- writes Word documents (WordprocessingML, .docx).
 *
 * One writer for everything the project hands out as Word: the ficha form
 * (`pmm plantilla --formato docx`) and the reports. The document is A4 with
 * 2.5 cm margins, language es-MX, the styles Title, Heading1-3, Normal,
 * Caption and a table style with borders, and a footer "Página N de M".
 * Text is UTF-8; characters XML 1.0 cannot carry (controls other than tab
 * and newline) are dropped, and invalid UTF-8 is refused.
 *
 * The document is built in memory and written by docx_guardar through
 * libzip into a temporary file beside the target, renamed over it when
 * complete, so a reader never sees half a document. Every call returns 0,
 * or -1 with err (Spanish) and leaves the document unchanged.
 */
#ifndef PMM_DOCX_H
#define PMM_DOCX_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef struct docx docx;

docx *docx_new(pmm_error *err);
void docx_destroy(docx **self_p);

int docx_titulo(docx *d, const char *texto, pmm_error *err);
/* nivel 1..3 */
int docx_encabezado(docx *d, int nivel, const char *texto, pmm_error *err);
/* estilo: NULL = Normal, or "Caption", "Heading1"...; '\n' = line break */
int docx_parrafo(docx *d, const char *estilo, const char *texto, pmm_error *err);

/* One cell. texto: '\n' starts a new paragraph of the cell; ayuda: an
 * optional smaller, italic paragraph under it (NULL = none); columnas:
 * how many grid columns it spans (0 = 1). */
typedef struct {
    const char *texto;
    const char *ayuda;
    int negrita;
    int sombreado;
    int columnas;
} docx_celda;

/* anchos_cm: ncols widths (NULL = the text width in equal parts). */
int docx_tabla_inicio(docx *d, size_t ncols, const double *anchos_cm, pmm_error *err);
/* encabezado: the row repeats at the top of every page the table crosses.
 * The cells' spans must add up to the table's columns. */
int docx_tabla_fila(docx *d, const docx_celda *celdas, size_t n, int encabezado,
                    pmm_error *err);
int docx_tabla_fin(docx *d, pmm_error *err);

/* A PNG picture in its own paragraph, ancho_cm x alto_cm, with
 * descripcion as its alternative text. */
int docx_imagen_png(docx *d, const uint8_t *png, size_t len, double ancho_cm,
                    double alto_cm, const char *descripcion, pmm_error *err);
int docx_salto_pagina(docx *d, pmm_error *err);

/* Writes the document to path atomically (temporary file + rename). The
 * document stays usable: more content may be added and saved again. */
int docx_guardar(docx *d, const char *path, pmm_error *err);

/* The same bytes docx_guardar writes, in memory (malloc'd, *len bytes), or
 * NULL with err. */
uint8_t *docx_bytes(docx *d, size_t *len, pmm_error *err);

#endif
