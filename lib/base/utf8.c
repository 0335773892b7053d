#include "utf8.h"

#include <stdint.h>
#include <string.h>
#include <unicase.h>
#include <unictype.h>
#include <unistr.h>

bool utf8_valid(const char *s, size_t n)
{
    return u8_check((const uint8_t *)s, n) == NULL;
}

size_t utf8_first_invalid(const char *s, size_t n)
{
    const uint8_t *bad = u8_check((const uint8_t *)s, n);
    return bad ? (size_t)(bad - (const uint8_t *)s) : n;
}

/* Byte classes for utf8_profile: most bytes of a Spanish text are ASCII
 * letters and punctuation (class 0) and need one table look-up. */
enum { B_WORD, B_SPACE, B_NEWLINE, B_CONTROL, B_NUL, B_HIGH };

static const unsigned char byte_class[256] = {
    [0] = B_NUL,
    [1 ... 8] = B_CONTROL,
    ['\t'] = B_SPACE,
    ['\n'] = B_NEWLINE,
    ['\v'] = B_CONTROL,   /* white space, but a control character here */
    ['\f'] = B_CONTROL,
    ['\r'] = B_CONTROL,
    [14 ... 31] = B_CONTROL,
    [' '] = B_SPACE,
    [127] = B_CONTROL,
    [128 ... 255] = B_HIGH,
};

void utf8_profile(const char *s, size_t n, utf8_perfil *out)
{
    const uint8_t *p = (const uint8_t *)s, *end = p + n;
    utf8_perfil r = {0};
    bool in_word = false;
    while (p < end) {
        unsigned cls = byte_class[*p];
        if (cls == B_WORD) {
            r.words += !in_word;
            in_word = true;
            p++;
            continue;
        }
        bool space = true;
        int len = 1;
        switch (cls) {
        case B_NEWLINE: r.newline = true; break;
        case B_NUL: r.nul = r.control = true; break;
        case B_CONTROL: r.control = true; break;
        case B_HIGH: {
            /* the strict decoder: overlongs, surrogates, code points past
             * U+10FFFF and truncated sequences are refused, as u8_check
             * refuses them, so validation needs no pass of its own */
            ucs4_t uc;
            len = u8_mbtoucr(&uc, p, (size_t)(end - p));
            if (len < 0) {
                r.invalid = true;
                len = 1;
                uc = 0xfffd;
            }
            if (uc >= 0x80 && uc <= 0x9f)      /* C1 controls */
                r.control = true;
            space = uc_is_property_white_space(uc);
            break;
        }
        default: break;
        }
        /* control characters end a word like white space does */
        if (!space) {
            r.words += !in_word;
            in_word = true;
        } else {
            in_word = false;
        }
        p += len;
    }
    *out = r;
}

size_t utf8_count_words(const char *s, size_t n)
{
    utf8_perfil r;
    utf8_profile(s, n, &r);
    return r.words;
}

size_t utf8_cut(const char *s, size_t n, size_t max)
{
    if (n <= max)
        return n;
    /* back up over continuation bytes to the start of the character */
    while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
        max--;
    return max;
}

size_t utf8_length(const char *s, size_t n)
{
    return u8_mbsnlen((const uint8_t *)s, n);
}

size_t utf8_longest_word(const char *s)
{
    size_t best = 0, cur = 0;
    for (; s && *s; s++) {
        if (*s == ' ') {
            cur = 0;
            continue;
        }
        if (((unsigned char)*s & 0xC0) != 0x80 && ++cur > best)
            best = cur;
    }
    return best;
}

/* Lower-case ASCII folding of U+00C0..U+017F; 0 means "not a letter here". */
static const char latin_fold[0x180 - 0xc0] = {
    /* C0 */ 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'c',
    /* C8 */ 'e', 'e', 'e', 'e', 'i', 'i', 'i', 'i',
    /* D0 */ 'd', 'n', 'o', 'o', 'o', 'o', 'o', 0,
    /* D8 */ 'o', 'u', 'u', 'u', 'u', 'y', 0, 's',
    /* E0 */ 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'c',
    /* E8 */ 'e', 'e', 'e', 'e', 'i', 'i', 'i', 'i',
    /* F0 */ 'd', 'n', 'o', 'o', 'o', 'o', 'o', 0,
    /* F8 */ 'o', 'u', 'u', 'u', 'u', 'y', 0, 'y',
    /* 100 */ 'a', 'a', 'a', 'a', 'a', 'a', 'c', 'c', 'c', 'c', 'c', 'c', 'c', 'c', 'd', 'd',
    /* 110 */ 'd', 'd', 'e', 'e', 'e', 'e', 'e', 'e', 'e', 'e', 'e', 'e', 'g', 'g', 'g', 'g',
    /* 120 */ 'g', 'g', 'g', 'g', 'h', 'h', 'h', 'h', 'i', 'i', 'i', 'i', 'i', 'i', 'i', 'i',
    /* 130 */ 'i', 'i', 0, 0, 'j', 'j', 'k', 'k', 0, 'l', 'l', 'l', 'l', 'l', 'l', 'l',
    /* 140 */ 'l', 'l', 'l', 'n', 'n', 'n', 'n', 'n', 'n', 'n', 0, 0, 'o', 'o', 'o', 'o',
    /* 150 */ 'o', 'o', 0, 0, 'r', 'r', 'r', 'r', 'r', 'r', 's', 's', 's', 's', 's', 's',
    /* 160 */ 's', 's', 't', 't', 't', 't', 't', 't', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',
    /* 170 */ 'u', 'u', 'u', 'u', 'w', 'w', 'y', 'y', 'y', 'z', 'z', 'z', 'z', 'z', 'z', 's',
};

size_t utf8_fold(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    if (cap == 0)
        return 0;
    const uint8_t *p = (const uint8_t *)s, *end = p + n;
    while (p < end && o + 1 < cap) {
        if (*p < 0x80) {
            unsigned char c = *p++;
            out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            continue;
        }
        ucs4_t uc;
        int len = u8_mbtouc_unsafe(&uc, p, (size_t)(end - p));
        if (len <= 0 || uc == 0xfffd) {   /* invalid byte: drop it */
            p += len > 0 ? len : 1;
            continue;
        }
        p += len;
        if (uc >= 0xc0 && uc < 0x180 && latin_fold[uc - 0xc0]) {
            out[o++] = latin_fold[uc - 0xc0];
            continue;
        }
        ucs4_t lower = uc_tolower(uc);
        uint8_t buf[6];
        int w = u8_uctomb(buf, lower, sizeof buf);
        if (w <= 0 || o + (size_t)w + 1 > cap)
            break;
        memcpy(out + o, buf, (size_t)w);
        o += (size_t)w;
    }
    out[o] = '\0';
    return o;
}
