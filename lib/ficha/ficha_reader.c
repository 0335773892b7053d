#include "ficha_reader.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ficha_json.h"
#include "strbuf.h"

struct ficha_reader {
    FILE *in;
    char *line;
    size_t cap;
    size_t lineno;
    int first;      /* no record returned yet */
};

ficha_reader *ficha_reader_new(FILE *in)
{
    ficha_reader *self = calloc(1, sizeof *self);
    if (self) {
        self->in = in;
        self->first = 1;
    }
    return self;
}

void ficha_reader_destroy(ficha_reader **self_p)
{
    if (!self_p || !*self_p)
        return;
    free((*self_p)->line);
    free(*self_p);
    *self_p = NULL;
}

static int blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return 0;
    return 1;
}

/* True when text is an unfinished JSON object: the start of a multi-line
 * single-object file rather than a broken JSON Lines record. */
static int unfinished_object(const char *s, size_t n)
{
    json_error_t jerr;
    json_t *v = json_loadb(s, n, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
    if (v) {
        json_decref(v);
        return 0;
    }
    return json_error_code(&jerr) == json_error_premature_end_of_input;
}

int ficha_reader_next(ficha_reader *self, Pmm__Ficha **f, size_t *line,
                      pmm_error *err)
{
    *f = NULL;
    for (;;) {
        errno = 0;
        ssize_t n = getline(&self->line, &self->cap, self->in);
        if (n < 0) {
            if (ferror(self->in))
                return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "",
                                     "lectura", "error de lectura: %s",
                                     strerror(errno));
            return 0;
        }
        self->lineno++;
        if (blank(self->line, (size_t)n))
            continue;
        *line = self->lineno;
        if (self->first && unfinished_object(self->line, (size_t)n)) {
            /* One JSON document over many lines: read it all. */
            strbuf doc;
            strbuf_init(&doc);
            strbuf_append(&doc, self->line, (size_t)n);
            while ((n = getline(&self->line, &self->cap, self->in)) > 0) {
                self->lineno++;
                strbuf_append(&doc, self->line, (size_t)n);
                if (doc.len > FICHA_JSON_MAX_LINE)
                    break;
            }
            self->first = 0;
            if (strbuf_failed(&doc)) {
                strbuf_free(&doc);
                return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "",
                                     "memoria", "sin memoria");
            }
            *f = ficha_from_json_text(doc.data, doc.len, err);
            strbuf_free(&doc);
            return 1;
        }
        self->first = 0;
        *f = ficha_from_json_text(self->line, (size_t)n, err);
        return 1;
    }
}
