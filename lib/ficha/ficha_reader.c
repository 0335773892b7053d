#include "ficha_reader.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "ficha_json.h"
#include "strbuf.h"

/* An element of a JSON list waiting to be returned: text[off, off+len)
 * of the list's buffer, starting on line `line`. */
typedef struct {
    size_t off, len, line;
} element;

struct ficha_reader {
    FILE *in;
    char *line;
    size_t cap;
    size_t lineno;
    iconv_t conv;          /* (iconv_t)-1: the input is UTF-8 */
    strbuf converted;      /* the current line in UTF-8 */
    char *pending;         /* a line read ahead that starts the next record */
    size_t pending_len, pending_lineno;
    /* a JSON list being returned element by element */
    strbuf list;
    element *elems;
    size_t nelems, next_elem;
    size_t records;        /* records returned so far (lists count once) */
};

ficha_reader *ficha_reader_new(FILE *in)
{
    ficha_reader *self = calloc(1, sizeof *self);
    if (self) {
        self->in = in;
        self->conv = (iconv_t)-1;
        strbuf_init(&self->converted);
        strbuf_init(&self->list);
    }
    return self;
}

void ficha_reader_destroy(ficha_reader **self_p)
{
    if (!self_p || !*self_p)
        return;
    ficha_reader *self = *self_p;
    if (self->conv != (iconv_t)-1)
        iconv_close(self->conv);
    strbuf_free(&self->converted);
    strbuf_free(&self->list);
    free(self->pending);
    free(self->elems);
    free(self->line);
    free(self);
    *self_p = NULL;
}

int ficha_reader_set_codificacion(ficha_reader *self, const char *name, pmm_error *err)
{
    if (!strcmp(name, "utf8") || !strcmp(name, "utf-8"))
        return 0;
    if (strcmp(name, "latin1") && strcmp(name, "latin-1") && strcmp(name, "windows-1252") &&
        strcmp(name, "cp1252"))
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INVALID, "--codificacion", "valor",
                             "--codificacion admite utf8, latin1 o windows-1252, no «%s»",
                             name);
    self->conv = iconv_open("UTF-8", "WINDOWS-1252");
    if (self->conv == (iconv_t)-1)
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "--codificacion", "iconv",
                             "este sistema no convierte Windows-1252 a UTF-8");
    return 0;
}

static int blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return 0;
    return 1;
}

static const char *first_char(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return s + i;
    return NULL;
}

/* Where a JSON text stands after scanning s[0..n): nesting depth of
 * objects and lists outside strings, and whether a string is open. A
 * record is complete when the depth is back to 0 (or below: then jansson
 * names the fault). A string cannot span lines, so one still open at the
 * end of a line is a fault too: the record ends there. */
typedef struct {
    int depth;
    int in_string, escape;
    int started;
} json_scan;

static void scan(json_scan *st, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (st->in_string) {
            if (st->escape)
                st->escape = 0;
            else if (c == '\\')
                st->escape = 1;
            else if (c == '"')
                st->in_string = 0;
            continue;
        }
        switch (c) {
        case '"': st->in_string = 1; st->started = 1; break;
        case '{': case '[': st->depth++; st->started = 1; break;
        case '}': case ']': st->depth--; break;
        case ' ': case '\t': case '\r': case '\n': break;
        default: st->started = 1;
        }
    }
}

static int complete(const json_scan *st)
{
    return st->started && (st->depth <= 0 || st->in_string);
}

/* Reads the next line (after a pending one), in UTF-8. 1, 0 at the end,
 * -1 on a read error. The text is in *text, *len. */
static int read_line(ficha_reader *self, const char **text, size_t *len, size_t *lineno,
                     pmm_error *err)
{
    if (self->pending) {
        free(self->line);
        self->line = self->pending;
        self->cap = self->pending_len + 1;
        self->pending = NULL;
        *text = self->line;
        *len = self->pending_len;
        *lineno = self->pending_lineno;
        return 1;
    }
    errno = 0;
    ssize_t n = getline(&self->line, &self->cap, self->in);
    if (n < 0) {
        if (ferror(self->in))
            return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "lectura",
                                 "error de lectura: %s", pmm_strerror(errno));
        return 0;
    }
    *lineno = ++self->lineno;
    char *s = self->line;
    /* a byte-order mark, as Windows Notepad writes it, is no part of the
     * ficha */
    if (*lineno == 1 && n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) {
        s += 3;
        n -= 3;
    }
    if (self->conv != (iconv_t)-1) {
        strbuf_reset(&self->converted);
        char *in = s;
        size_t left = (size_t)n;
        while (left > 0) {
            char buf[4096], *out = buf;
            size_t room = sizeof buf;
            size_t rc = iconv(self->conv, &in, &left, &out, &room);
            strbuf_append(&self->converted, buf, sizeof buf - room);
            if (rc == (size_t)-1 && errno != E2BIG)
                return pmm_error_set(err, PMM__ERROR_CODE__ERR_MALFORMED, "", "codificacion",
                                     "línea %zu: el byte 0x%02X no es un carácter de "
                                     "Windows-1252; revise la codificación del archivo",
                                     *lineno, (unsigned char)*in);
        }
        if (strbuf_failed(&self->converted))
            return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "memoria",
                                 "sin memoria");
        s = self->converted.data;
        n = (ssize_t)self->converted.len;
    }
    *text = s;
    *len = (size_t)n;
    return 1;
}

/* A line holding nothing but «{» or «[»: the start of a spread-out record. */
static int bare_opening(const char *s, size_t n)
{
    const char *c = first_char(s, n);
    if (!c || (*c != '{' && *c != '['))
        return 0;
    return blank(c + 1, n - (size_t)(c + 1 - s));
}

/* Whether the open text is a JSON list (whose elements may start at the
 * first column). */
static int in_list(const strbuf *doc)
{
    const char *c = first_char(doc->data, doc->len);
    return c && *c == '[';
}

static void keep_pending(ficha_reader *self, const char *text, size_t len, size_t lineno)
{
    self->pending = malloc(len + 1);
    if (!self->pending)
        return;   /* the line is lost to the record it would start: it is
                     reported as part of the broken one */
    memcpy(self->pending, text, len);
    self->pending[len] = '\0';
    self->pending_len = len;
    self->pending_lineno = lineno;
}

/* Splits the JSON list in self->list into its top-level elements. */
static int split_list(ficha_reader *self, size_t first_line)
{
    free(self->elems);
    self->elems = NULL;
    self->nelems = self->next_elem = 0;
    size_t cap = 0, line = first_line, start = 0, start_line = 0;
    json_scan st = {0};
    const char *s = self->list.data;
    for (size_t i = 0; i < self->list.len; i++) {
        char c = s[i];
        if (c == '\n')
            line++;
        int was = st.depth;
        scan(&st, s + i, 1);
        if (st.in_string || st.escape)
            continue;
        if (was == 1 && st.depth == 2) {
            start = i;
            start_line = line;
        } else if (was == 2 && st.depth == 1) {
            if (self->nelems == cap) {
                cap = cap ? cap * 2 : 16;
                element *e = realloc(self->elems, cap * sizeof *e);
                if (!e)
                    return -1;
                self->elems = e;
            }
            self->elems[self->nelems++] = (element){start, i + 1 - start, start_line};
        }
    }
    return 0;
}

static void parse_record(const char *text, size_t len, size_t line, ficha_registro *rec)
{
    ficha_json_report rep = {.errs = rec->errs, .cap = FICHA_MAX_ERRORES};
    rec->f = ficha_from_json_text_report(text, len, line, &rep);
    rec->nerrs = rep.n;
    rec->line = line;
    snprintf(rec->clave, sizeof rec->clave, "%s", rep.clave);
}

int ficha_reader_next_registro(ficha_reader *self, ficha_registro *rec, pmm_error *err)
{
    memset(rec, 0, sizeof *rec);
    if (self->next_elem < self->nelems) {
        const element *e = &self->elems[self->next_elem++];
        parse_record(self->list.data + e->off, e->len, e->line, rec);
        return 1;
    }
    strbuf doc;
    strbuf_init(&doc);
    json_scan st = {0};
    size_t start_line = 0;
    int rc;
    for (;;) {
        const char *text;
        size_t len, lineno;
        rc = read_line(self, &text, &len, &lineno, err);
        if (rc < 0)
            goto out;
        if (rc == 0) {
            if (doc.len)
                break;   /* the input ended inside a record: jansson says so */
            goto out;
        }
        if (!doc.len && blank(text, len))
            continue;
        if (doc.len && text[0] == '{' && !st.in_string && !in_list(&doc)) {
            /* an object starting at the first column while the previous
             * record (not a list) is still open: that record lost its
             * closing brace or was cut short; this line starts the next
             * one, as in JSON Lines */
            keep_pending(self, text, len, lineno);
            break;
        }
        int first_line_of_record = !doc.len;
        if (first_line_of_record)
            start_line = lineno;
        strbuf_append(&doc, text, len);
        scan(&st, text, len);
        if (complete(&st) || doc.len > FICHA_JSON_MAX_LINE)
            break;
        /* A record goes on over the next lines only where a person would
         * have spread it: the file's first record (a single object over
         * the whole file, as before), or a record whose first line is a
         * bare «{» or «[» (as editors and pretty-printers write it). A JSON
         * Lines record left open is refused on its own line and never
         * swallows the records after it. */
        if (first_line_of_record && self->records > 0 && !bare_opening(text, len))
            break;
    }
    if (strbuf_failed(&doc)) {
        rc = pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "memoria", "sin memoria");
        goto out;
    }
    const char *c0 = first_char(doc.data, doc.len);
    if (c0 && *c0 == '[' && st.depth == 0 && !st.in_string && self->records == 0) {
        /* a file that is a JSON list of fichas: each element is a record
         * of its own, with the line where it starts (a list on a later
         * line of a JSON Lines file is one record, refused: each line
         * must be one ficha) */
        strbuf_reset(&self->list);
        strbuf_append(&self->list, doc.data, doc.len);
        if (strbuf_failed(&self->list) || split_list(self, start_line) != 0) {
            rc = pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "memoria",
                               "sin memoria");
            goto out;
        }
        strbuf_free(&doc);
        self->records++;
        /* (an empty list holds no record: go on with the input) */
        return ficha_reader_next_registro(self, rec, err);
    }
    parse_record(doc.data, doc.len, start_line, rec);
    self->records++;
    rc = 1;
out:
    strbuf_free(&doc);
    return rc;
}

int ficha_reader_next(ficha_reader *self, Pmm__Ficha **f, size_t *line, pmm_error *err)
{
    ficha_registro *rec = malloc(sizeof *rec);
    if (!rec)
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "memoria",
                             "sin memoria");
    int rc = ficha_reader_next_registro(self, rec, err);
    if (rc == 1) {
        *f = rec->f;
        *line = rec->line;
        if (!rec->f)
            *err = rec->errs[0];
    }
    free(rec);
    return rc;
}
