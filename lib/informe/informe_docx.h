/* informe_docx.h -- the Word form of the document model (informe_doc.h):
 * each block written through the Word writer (lib/ooxml/docx.h): sections
 * and headings as Word heading styles, tables as Word tables with their
 * header row repeated on every page, key figures as a two-column table,
 * notes in the Caption style, and charts as PNG pictures rendered with
 * librsvg from the same SVG the HTML edition carries (the chart's values
 * also go in its alternative text). The finished package is appended to
 * the document's output buffer by doc_pie; its bytes depend only on the
 * content (fixed ZIP times), so a close gives the same file every time.
 * Called by informe_doc.c only. Every failure sets d->rc = -1 with d->err
 * (Spanish). */
#ifndef PMM_INFORME_DOCX_H
#define PMM_INFORME_DOCX_H

#include "informe_doc.h"

void dx_portada(doc *d, const char *titulo, const char *datos);
void dx_pie(doc *d, const char *pie);
void dx_encabezado(doc *d, int nivel, const char *texto);
/* estilo NULL: Normal; "Caption" for notes */
void dx_parrafo(doc *d, const char *estilo, const char *texto);
void dx_cifras(doc *d, const doc_cifra *c, size_t n);
void dx_tabla(doc *d, const tabla *t, int num);
/* svg: an HTML <figure> holding one <svg> (informe_svg.c); alt: its text */
void dx_grafica(doc *d, const char *figura, int num, const char *titulo);
void dx_destroy(doc *d);

#endif
