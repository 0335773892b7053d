/* hash.h -- the hash of short strings used by the classifier's tables
 * (dictionary of features, stem cache, stop words).
 *
 * Eight bytes per multiply, and the last partial word read with one
 * overlapping load instead of byte by byte: the classifier hashes every
 * word and feature of every ficha, and a byte loop was a fifth of its
 * dictionary look-ups. Never stored: tables are rebuilt at load time, so
 * the function may change between versions.
 */
#ifndef PMM_HASH_H
#define PMM_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline uint64_t hash_mix(uint64_t h, uint64_t v)
{
    h = (h ^ v) * 0xff51afd7ed558ccdull;
    return h ^ (h >> 32);
}

static inline uint64_t hash_str(const char *s, size_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15ull ^ n, v = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        memcpy(&v, s + i, 8);
        h = hash_mix(h, v);
    }
    if (i < n) {
        if (n >= 8) {
            memcpy(&v, s + n - 8, 8);    /* overlaps bytes already mixed */
        } else if (n >= 4) {
            uint32_t a, b;
            memcpy(&a, s, 4);
            memcpy(&b, s + n - 4, 4);
            v = (uint64_t)a | (uint64_t)b << 32;
        } else {
            v = (uint64_t)(unsigned char)s[0] | (uint64_t)(unsigned char)s[n / 2] << 8 |
                (uint64_t)(unsigned char)s[n - 1] << 16;
        }
        h = hash_mix(h, v);
    }
    h *= 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 29);
}

#endif
