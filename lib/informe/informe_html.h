/* informe_html.h -- the frame of an HTML document: the head with its inline
 * style sheet (screen and A4 print), the cover and the footer. The blocks
 * between them are written by informe_doc.h. */
#ifndef PMM_INFORME_HTML_H
#define PMM_INFORME_HTML_H

#include "strbuf.h"

/* From <!DOCTYPE html> to the opening <main>: titulo names the page and
 * heads the cover, datos is the line under it. */
void informe_html_inicio(strbuf *o, const char *titulo, const char *datos);
/* From </main> to the end, with pie as the footer. */
void informe_html_fin(strbuf *o, const char *pie);

#endif
