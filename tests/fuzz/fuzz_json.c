/* fuzz_json -- libFuzzer harness for the JSON exchange format.
 *
 * The input is a file a reporting body might send. It is read two ways:
 * as one JSON text (ficha_from_json_text, then ficha_validate) and through
 * ficha_reader on an in-memory stream, which covers the multi-line single
 * object and the JSON Lines paths with their line numbers. Invariants: no
 * crash, leak or undefined behaviour; every refusal has a code, a rule and
 * valid UTF-8 text; line numbers only grow and stay within the input; a
 * ficha that validates survives protobuf and JSON round trips unchanged.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "ficha_reader.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t count_lines(const uint8_t *data, size_t size)
{
    size_t n = 1;
    for (size_t i = 0; i < size; i++)
        if (data[i] == '\n')
            n++;
    return n;
}

static void reader_path(const uint8_t *data, size_t size)
{
    if (size == 0)
        return;   /* fmemopen refuses a zero-sized buffer */
    /* fmemopen may not be handed the caller's read-only buffer */
    char *copy = malloc(size);
    if (!copy)
        return;
    memcpy(copy, data, size);
    FILE *in = fmemopen(copy, size, "r");
    if (!in) {
        free(copy);
        return;
    }
    ficha_reader *r = ficha_reader_new(in);
    if (!r)
        abort();
    size_t max_line = count_lines(data, size), last = 0, records = 0;
    for (;;) {
        Pmm__Ficha *f = NULL;
        size_t line = 0;
        pmm_error err;
        pmm_error_clear(&err);
        int rc = ficha_reader_next(r, &f, &line, &err);
        if (rc == 0)
            break;
        if (rc < 0) {
            fuzz_check_error(&err);
            break;
        }
        /* non-decreasing: the elements of a JSON list written on one line
         * share it; every other record starts on a later line */
        if (line < last || line == 0 || line > max_line) {
            fprintf(stderr, "fuzz: número de línea %zu fuera de orden "
                            "(anterior %zu, líneas %zu)\n", line, last, max_line);
            abort();
        }
        last = line;
        if (f) {
            fuzz_validate(f, (int)(size & 1));
            pmm__ficha__free_unpacked(f, NULL);
        } else {
            fuzz_check_error(&err);
        }
        if (++records > size + 1)
            abort();   /* more records than bytes: a loop */
    }
    ficha_reader_destroy(&r);
    fclose(in);
    free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pmm_error err;
    pmm_error_clear(&err);
    Pmm__Ficha *f = ficha_from_json_text((const char *)data, size, &err);
    if (f) {
        fuzz_validate(f, (int)(size & 1));
        pmm__ficha__free_unpacked(f, NULL);
    } else {
        fuzz_check_error(&err);
    }
    reader_path(data, size);
    return 0;
}
