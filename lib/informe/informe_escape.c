/* informe_escape.c -- HTML, Markdown and CSV escaping (informe_escape.h). */
#include "informe_escape.h"

#include <stdbool.h>
#include <string.h>

#include "informe.h"

void informe_html_escape(strbuf *b, const char *s)
{
    if (!s)
        return;
    const char *run = s;
    for (; *s; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: break;
        }
        if (rep) {
            strbuf_append(b, run, (size_t)(s - run));
            strbuf_puts(b, rep);
            run = s + 1;
        }
    }
    strbuf_append(b, run, (size_t)(s - run));
}

void informe_md_escape(strbuf *b, const char *s)
{
    if (!s)
        return;
    bool space = false;
    for (; *s; s++) {
        char c = *s;
        if (c == '\n' || c == '\r' || c == '\t') {
            if (!space)
                strbuf_append(b, " ", 1);
            space = true;
            continue;
        }
        space = c == ' ';
        if (strchr("\\`*_[]<>|#", c))
            strbuf_append(b, "\\", 1);
        strbuf_append(b, &c, 1);
    }
}

void informe_csv_campo(strbuf *b, const char *s)
{
    if (!s)
        return;
    if (!s[strcspn(s, ",\"\r\n")]) {
        strbuf_puts(b, s);
        return;
    }
    strbuf_append(b, "\"", 1);
    for (; *s; s++) {
        if (*s == '"')
            strbuf_append(b, "\"", 1);
        strbuf_append(b, s, 1);
    }
    strbuf_append(b, "\"", 1);
}
