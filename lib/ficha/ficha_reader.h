/* ficha_reader.h -- fichas from a file in the exchange format, as people
 * write it: JSON Lines (one object per line), one object spread over many
 * lines, several such objects one after another, or a JSON list of
 * objects. A UTF-8 byte-order mark (Windows Notepad) is skipped; a file in
 * Latin-1/Windows-1252 is converted when the caller says so
 * (ficha_reader_set_codificacion) and otherwise explained. Each record
 * comes with the line where it starts, every fault found in it, and its
 * clave whenever it could be read.
 */
#ifndef PMM_FICHA_READER_H
#define PMM_FICHA_READER_H

#include <stdio.h>

#include "error.h"
#include "ficha.h"
#include "pmm.pb-c.h"

typedef struct ficha_reader ficha_reader;

ficha_reader *ficha_reader_new(FILE *in);
void ficha_reader_destroy(ficha_reader **self_p);

/* The input's character set: "utf8" (the default), "latin1" or
 * "windows-1252" (both read as Windows-1252, a superset of Latin-1's
 * printable characters). -1 with err for any other name. */
int ficha_reader_set_codificacion(ficha_reader *self, const char *name, pmm_error *err);

/* One record of the input. */
typedef struct {
    Pmm__Ficha *f;                     /* heap Ficha, or NULL when refused */
    size_t line;                       /* line of the file where it starts */
    char clave[FICHA_MAX_CLAVE + 1];   /* "" when it could not be read */
    pmm_error errs[FICHA_MAX_ERRORES]; /* faults of the JSON text */
    size_t nerrs;                      /* how many (may exceed the array) */
} ficha_registro;

/* 1: a record in *rec (the caller owns rec->f). 0: end of input. -1: the
 * input cannot be read (err). */
int ficha_reader_next_registro(ficha_reader *self, ficha_registro *rec, pmm_error *err);

/* The same, with the first fault only: *f is a heap Ficha, or NULL with
 * err saying why the record was refused; *line is its first line. */
int ficha_reader_next(ficha_reader *self, Pmm__Ficha **f, size_t *line,
                      pmm_error *err);

#endif
