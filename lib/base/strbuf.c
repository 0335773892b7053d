#include "strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void strbuf_init(strbuf *b)
{
    memset(b, 0, sizeof *b);
}

void strbuf_free(strbuf *b)
{
    free(b->data);
    strbuf_init(b);
}

void strbuf_reset(strbuf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

static bool grow(strbuf *b, size_t extra)
{
    if (b->failed)
        return false;
    if (b->len + extra + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *n = realloc(b->data, cap);
    if (!n) {
        b->failed = true;
        return false;
    }
    b->data = n;
    b->cap = cap;
    return true;
}

void strbuf_append(strbuf *b, const char *s, size_t n)
{
    if (!grow(b, n))
        return;
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void strbuf_puts(strbuf *b, const char *s)
{
    strbuf_append(b, s, strlen(s));
}

void strbuf_printf(strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !grow(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

static inline bool needs_copy_escape(unsigned char c)
{
    return c == '\\' || (c < 14 && (c == '\n' || c == '\r' || c == '\t'));
}

void strbuf_copy_field(strbuf *b, const char *s, size_t n)
{
    if (!s) {
        strbuf_append(b, "\\N", 2);
        return;
    }
    if (!grow(b, n * 2))
        return;
    char *o = b->data + b->len;
    for (size_t i = 0; i < n; i++) {
        /* copy the run up to the next byte that needs an escape at once */
        size_t run = 0;
        while (i + run < n && !needs_copy_escape((unsigned char)s[i + run]))
            run++;
        memcpy(o, s + i, run);
        o += run;
        i += run;
        if (i == n)
            break;
        char c = s[i];
        switch (c) {
        case '\\': *o++ = '\\'; *o++ = '\\'; break;
        case '\n': *o++ = '\\'; *o++ = 'n'; break;
        case '\r': *o++ = '\\'; *o++ = 'r'; break;
        case '\t': *o++ = '\\'; *o++ = 't'; break;
        default: *o++ = c;
        }
    }
    b->len = (size_t)(o - b->data);
    b->data[b->len] = '\0';
}

void strbuf_array_elem(strbuf *b, const char *s, size_t n)
{
    if (!grow(b, n * 2 + 2))
        return;
    char *o = b->data + b->len;
    *o++ = '"';
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"' || s[i] == '\\')
            *o++ = '\\';
        *o++ = s[i];
    }
    *o++ = '"';
    b->len = (size_t)(o - b->data);
    b->data[b->len] = '\0';
}

bool strbuf_failed(const strbuf *b)
{
    return b->failed;
}
