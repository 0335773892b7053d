#include "csvfile.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CSVFILE_MAX_FIELDS 32

typedef struct {
    char *fields[CSVFILE_MAX_FIELDS];
    size_t nfields;
    size_t row;
    int failed;
    int too_many;
    csvfile_row_fn fn;
    void *user;
    pmm_error *err;
} csv_state;

static void on_field(void *data, size_t len, void *priv)
{
    csv_state *st = priv;
    if (st->failed)
        return;
    if (st->nfields == CSVFILE_MAX_FIELDS) {
        st->too_many = 1;
        return;
    }
    char *f = malloc(len + 1);
    if (!f) {
        st->failed = 1;
        pmm_error_set(st->err, 7, "", "memoria", "sin memoria");
        return;
    }
    if (len)
        memcpy(f, data, len);
    f[len] = '\0';
    st->fields[st->nfields++] = f;
}

static void free_fields(csv_state *st)
{
    for (size_t i = 0; i < st->nfields; i++)
        free(st->fields[i]);
    st->nfields = 0;
}

static void on_row(int term, void *priv)
{
    (void)term;
    csv_state *st = priv;
    st->row++;
    if (!st->failed && st->too_many) {
        pmm_error_set(st->err, 7, "", "csv", "fila %zu: más de %d columnas",
                      st->row, CSVFILE_MAX_FIELDS);
        st->failed = 1;
    }
    if (!st->failed && st->fn(st->user, st->row, st->fields, st->nfields,
                              st->err) != 0)
        st->failed = 1;
    free_fields(st);
    st->too_many = 0;
}

int csvfile_read(const char *path, csvfile_row_fn fn, void *user,
                 pmm_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return pmm_error_set(err, 7, "", "archivo", "no se puede abrir %s: %s",
                             path, pmm_strerror(errno));
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_APPEND_NULL) != 0) {
        fclose(f);
        return pmm_error_set(err, 7, "", "memoria", "sin memoria");
    }
    csv_state st = {.fn = fn, .user = user, .err = err};
    char buf[8192];
    size_t n;
    int rc = 0;
    while (!st.failed && (n = fread(buf, 1, sizeof buf, f)) > 0) {
        if (csv_parse(&p, buf, n, on_field, on_row, &st) != n) {
            pmm_error_set(err, 7, "", "csv", "%s, fila %zu: %s", path,
                          st.row + 1, csv_strerror(csv_error(&p)));
            st.failed = 1;
        }
    }
    if (!st.failed)
        csv_fini(&p, on_field, on_row, &st);
    if (st.failed) {
        /* Prefix the file name to row-level errors raised by the callback. */
        if (err && !strstr(err->mensaje, path))
            pmm_error_prefix(err, path);
        rc = -1;
    }
    free_fields(&st);
    csv_free(&p);
    fclose(f);
    return rc;
}
