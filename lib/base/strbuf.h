/* strbuf.h -- a growable byte buffer, with the escapes PostgreSQL needs for
 * COPY text format and array literals. Allocation failure is sticky: check
 * strbuf_failed() once after building. */
#ifndef PMM_STRBUF_H
#define PMM_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char *data;     /* NUL-terminated when non-NULL */
    size_t len;
    size_t cap;
    bool failed;
} strbuf;

void strbuf_init(strbuf *b);
void strbuf_free(strbuf *b);
void strbuf_reset(strbuf *b);
void strbuf_append(strbuf *b, const char *s, size_t n);
void strbuf_puts(strbuf *b, const char *s);
void strbuf_printf(strbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A COPY text-format field: backslash escapes; s == NULL writes \N. */
void strbuf_copy_field(strbuf *b, const char *s, size_t n);
/* A double-quoted element of an array literal ("a\"b"). */
void strbuf_array_elem(strbuf *b, const char *s, size_t n);
bool strbuf_failed(const strbuf *b);

#endif
