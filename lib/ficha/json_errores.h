/* json_errores.h -- what is wrong with a JSON text, said in Spanish.
 *
 * The people who fill in fichas edit JSON by hand, in Notepad or Word.
 * jansson reports syntax errors in English ("string or '}' expected near
 * '}'") with a line and column inside the text it was given; these
 * functions turn that into the line of the file, the column and what to
 * fix ("sobra una coma antes de «}»"), recognise text that is Latin-1 /
 * Windows-1252 rather than UTF-8, and find what can still be read from a
 * text that does not parse (the field around a bad byte, the clave).
 */
#ifndef PMM_JSON_ERRORES_H
#define PMM_JSON_ERRORES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* Sets err (rule "json") from a jansson parse error of a text whose first
 * line is line `first_line` of the file. */
void json_errores_sintaxis(const json_error_t *jerr, size_t first_line, pmm_error *err);

/* Sets err (rule "utf8", or "codificacion" when the text reads as
 * Windows-1252) for text s[0..n) whose first invalid byte is at `at`,
 * naming the line, the column and the JSON field around it. */
void json_errores_utf8(const char *s, size_t n, size_t at, size_t first_line,
                       pmm_error *err);

/* True when s[0..n), not valid UTF-8, reads as Spanish in Windows-1252
 * (accented vowels, ñ, ¿ ¡ where UTF-8 would have multi-byte sequences). */
bool json_errores_parece_latin1(const char *s, size_t n);

/* The value of a top-level "clave" string in a text that may not parse
 * (NUL-terminated into out; false when none could be read safely). */
bool json_errores_clave(const char *s, size_t n, char *out, size_t cap);

#endif
