/* csvfile.h -- read a small CSV data file (RFC 4180, via libcsv) row by row.
 *
 * Data files in data/ are edited by analysts, so errors name the file and the
 * row. The first row is the header and is passed like any other row (row 1).
 */
#ifndef PMM_CSVFILE_H
#define PMM_CSVFILE_H

#include <stddef.h>

#include "error.h"

/* Called once per row; fields are NUL-terminated and valid until return.
 * Return 0 to go on, -1 to stop with err set. */
typedef int (*csvfile_row_fn)(void *user, size_t row, char **fields,
                              size_t nfields, pmm_error *err);

int csvfile_read(const char *path, csvfile_row_fn fn, void *user,
                 pmm_error *err);

#endif
