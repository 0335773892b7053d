/* ficha_json.h -- the JSON exchange format <-> protobuf (the ficha as
 * docs/contrato-ficha.md describes it).
 *
 * The reader is strict: unknown fields, wrong types, non-integers where
 * integers are required, numbers out of range, nesting deeper than the
 * contract and duplicate keys are refused, each with the field and the rule.
 * JSON null means "absent". Contract rules on values (lengths, ranges of
 * business meaning, ...) are left to ficha_validate().
 */
#ifndef PMM_FICHA_JSON_H
#define PMM_FICHA_JSON_H

#include <jansson.h>
#include <stddef.h>

#include "error.h"
#include "pmm.pb-c.h"

#define FICHA_JSON_MAX_LINE (256 * 1024)

/* A heap Ficha (free with pmm__ficha__free_unpacked(f, NULL)) or NULL
 * with err (the first fault). */
Pmm__Ficha *ficha_from_json(const json_t *obj, pmm_error *err);
/* Parses one JSON text (a line or a whole file) into a Ficha. */
Pmm__Ficha *ficha_from_json_text(const char *text, size_t len, pmm_error *err);

/* Everything wrong with one JSON text, for people who write fichas by
 * hand: the caller gives room for `cap` faults; `n` is how many were found
 * (may exceed cap); `clave` is the ficha's clave whenever it could be read,
 * even from a text that does not parse. */
typedef struct {
    pmm_error *errs;
    size_t cap;
    size_t n;
    char clave[65];
} ficha_json_report;

/* Like ficha_from_json_text, recording every fault of the JSON mapping
 * (unknown fields, wrong types) and, for syntax and encoding faults, the
 * line and column counted from `first_line`, the line of the file where
 * the text starts. NULL when any fault was found. */
Pmm__Ficha *ficha_from_json_text_report(const char *text, size_t len, size_t first_line,
                                        ficha_json_report *rep);
/* New reference; contacto included only when with_contacto is true. */
json_t *ficha_to_json(const Pmm__Ficha *f, int with_contacto);

/* Allocates an empty heap Ficha with its sub-messages absent. */
Pmm__Ficha *ficha_new_empty(void);

#endif
