/* informe_escape.h -- text made safe for each output format, in one place:
 * HTML text and attributes, Markdown text, CSV fields (RFC 4180). Each
 * appends to b; NULL appends nothing. */
#ifndef PMM_INFORME_ESCAPE_H
#define PMM_INFORME_ESCAPE_H

#include "strbuf.h"

/* informe_html_escape (& < > " ') is declared in informe.h. */

/* Markdown text: punctuation with a meaning is backslash-escaped, line
 * breaks and tabs become one space (a block stays one paragraph or cell). */
void informe_md_escape(strbuf *b, const char *s);
/* One CSV field, quoted (with inner quotes doubled) when it holds a comma, a
 * quote or a line break. */
void informe_csv_campo(strbuf *b, const char *s);

#endif
