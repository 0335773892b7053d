/* ficha_reader.h -- fichas from a file in the exchange format: one JSON
 * object (possibly spread over many lines) or JSON Lines (one per line).
 * Each record comes with its line number so errors can name it.
 */
#ifndef PMM_FICHA_READER_H
#define PMM_FICHA_READER_H

#include <stdio.h>

#include "error.h"
#include "pmm.pb-c.h"

typedef struct ficha_reader ficha_reader;

ficha_reader *ficha_reader_new(FILE *in);
void ficha_reader_destroy(ficha_reader **self_p);

/* 1: a record: *f is a heap Ficha, or NULL with err saying why the line was
 * refused; *line is its (first) line number. 0: end of input. -1: read
 * error (err). */
int ficha_reader_next(ficha_reader *self, Pmm__Ficha **f, size_t *line,
                      pmm_error *err);

#endif
