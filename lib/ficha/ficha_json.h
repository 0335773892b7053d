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

/* A heap Ficha (free with pmm__ficha__free_unpacked(f, NULL)) or NULL. */
Pmm__Ficha *ficha_from_json(const json_t *obj, pmm_error *err);
/* Parses one JSON text (a line or a whole file) into a Ficha. */
Pmm__Ficha *ficha_from_json_text(const char *text, size_t len, pmm_error *err);
/* New reference; contacto included only when with_contacto is true. */
json_t *ficha_to_json(const Pmm__Ficha *f, int with_contacto);

/* Allocates an empty heap Ficha with its sub-messages absent. */
Pmm__Ficha *ficha_new_empty(void);

#endif
