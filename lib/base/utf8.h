/* utf8.h -- the UTF-8 checks done at every edge, and ASCII folding.
 *
 * Validation uses libunistring. Folding (lower case, accents removed, ñ -> n)
 * is a table for the Latin range because it runs on every token the
 * classifier sees and libunistring's normalise-then-filter route allocates
 * per call; characters outside the table are lower-cased by libunistring.
 */
#ifndef PMM_UTF8_H
#define PMM_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..n) is valid UTF-8 (no overlongs, no surrogates). */
bool utf8_valid(const char *s, size_t n);
/* Offset of the first byte of s[0..n) that does not start a valid UTF-8
 * sequence, or n when all of it is valid. */
size_t utf8_first_invalid(const char *s, size_t n);
/* What the validation of a text field needs, in one pass over it. */
typedef struct {
    bool invalid;    /* not valid UTF-8: utf8_valid would refuse it */
    bool control;    /* a control character other than \n and \t (NUL,
                        C1 controls U+0080..U+009F included) */
    bool nul;
    bool newline;
    size_t words;    /* maximal runs of characters that are not white
                        space (nor control) */
} utf8_perfil;

/* Profiles s[0..n) in one pass, UTF-8 validity included. */
void utf8_profile(const char *s, size_t n, utf8_perfil *out);
/* Number of words, as utf8_profile counts them. */
size_t utf8_count_words(const char *s, size_t n);
/* Length of the longest prefix of s[0..n) of at most max bytes that does
 * not end inside a multi-byte character (s must be valid UTF-8): for
 * shortening text to quote it without producing invalid UTF-8. */
size_t utf8_cut(const char *s, size_t n, size_t max);
/* Number of code points (s must be valid UTF-8). */
size_t utf8_length(const char *s, size_t n);
/* Code points of the longest run of s without a space (s NUL-terminated,
 * valid UTF-8; NULL gives 0): the narrowest a column can be when its text
 * is wrapped only between words. */
size_t utf8_longest_word(const char *s);
/* Writes a lower-case, accent-free copy of s into out (at most cap-1 bytes,
 * NUL-terminated) and returns its length. Invalid bytes are dropped. */
size_t utf8_fold(const char *s, size_t n, char *out, size_t cap);

#endif
