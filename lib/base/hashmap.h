/* hashmap.h -- a hash map from byte strings to fixed-size values: the
 * classifier's tables (feature dictionary, lexicon index, stop words) and
 * aggregd's cells of a batch.
 *
 * Open addressing with linear probing, at most 70 % full (aggregd's cells,
 * 56-byte slots, lost a fifth of their speed at 50 %: a larger table that
 * no longer fits the caches). Each slot holds the key's hash, where the
 * key sits in the map's key arena, and then the value itself (val_size
 * bytes, 8-byte aligned, zeroed when the key is added). The map owns copies of its keys, each followed by a NUL, so keys
 * may hold NULs of their own. A one-hash filter of HASHMAP_FILTER_BITS bits
 * per slot answers most look-ups of absent keys without touching the slots:
 * the classifier looks up every word and bigram of a ficha and most are not
 * in the model (its 16 KiB filter stays in L1; its 384 KiB of slots do
 * not). At most 0.7 keys per 8 bits, the filter lets through fewer than one
 * absent key in eleven.
 *
 * No general-purpose library was worth its dependency here: glib's
 * GHashTable boxes every value, <search.h>'s hsearch is one table per
 * process, and the hot paths (a dictionary look-up per feature, a cell
 * update per contribution and cell) want the values stored inline and the
 * look-up inlined.
 *
 * Value pointers are valid until the next hashmap_put or hashmap_free. The
 * hash is never stored outside the process, so it may change between
 * versions.
 */
#ifndef PMM_HASHMAP_H
#define PMM_HASHMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define HASHMAP_FILTER_BITS 8

/* Every field is private; the struct is public only so that the map can be
 * embedded and hashmap_get inlined. */
typedef struct {
    unsigned char *slots;   /* cap * stride bytes */
    uint64_t *filter;       /* filter_mask + 1 bits (an empty map: one
                               zero word that is never written) */
    size_t filter_mask;
    char *keys;             /* arena: each key followed by a NUL */
    size_t keys_len, keys_cap;
    size_t cap, count;      /* cap: 0 or a power of two */
    size_t val_size, stride;
} hashmap;

/* Slot header; the value follows it. */
typedef struct {
    uint64_t hash;
    uint32_t key;           /* 1 + offset in keys; 0: an empty slot */
    uint32_t len;           /* key length, without the NUL */
} hashmap_slot;

static inline uint64_t hashmap_mix(uint64_t h, uint64_t v)
{
    h = (h ^ v) * 0xff51afd7ed558ccdull;
    return h ^ (h >> 32);
}

/* The hash of a short string: eight bytes per multiply, and the last
 * partial word read with one overlapping load instead of byte by byte (a
 * byte loop was a fifth of the classifier's dictionary look-ups). Also
 * the index of texto.c's stem cache. */
static inline uint64_t hashmap_hash(const char *s, size_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15ull ^ n, v = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        memcpy(&v, s + i, 8);
        h = hashmap_mix(h, v);
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
        h = hashmap_mix(h, v);
    }
    h *= 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 29);
}

/* An empty map whose values are val_size bytes (0: a set). Allocates
 * nothing until the first hashmap_put. */
void hashmap_init(hashmap *m, size_t val_size);
/* Frees everything and leaves m empty (as after hashmap_init). */
void hashmap_free(hashmap *m);

static inline size_t hashmap_count(const hashmap *m)
{
    return m->count;
}

static inline size_t hashmap_filter_bit(const hashmap *m, uint64_t h)
{
    /* the high half of the hash: the slot index uses the low bits */
    return (size_t)(h >> 32) & m->filter_mask;
}

/* The value of key[0..n), or NULL when absent (for a set, any non-NULL
 * pointer means present). */
static inline void *hashmap_get(const hashmap *m, const char *key, size_t n)
{
    uint64_t h = hashmap_hash(key, n);
    size_t b = hashmap_filter_bit(m, h);
    if (!(m->filter[b / 64] >> (b % 64) & 1))
        return NULL;            /* also every key of an empty map */
    size_t mask = m->cap - 1;
    for (size_t j = h & mask;; j = (j + 1) & mask) {
        hashmap_slot *s = (hashmap_slot *)(void *)(m->slots + j * m->stride);
        if (!s->key)
            return NULL;
        if (s->hash == h && s->len == n && !memcmp(m->keys + s->key - 1, key, n))
            return s + 1;
    }
}

/* Finds key[0..n), adding it (with a zeroed value) when absent; *val
 * points to its value. Returns 1 when added, 0 when already present, -1
 * when memory ran out (or the keys would pass 4 GiB); m is unchanged then. */
int hashmap_put(hashmap *m, const char *key, size_t n, void **val)
    __attribute__((warn_unused_result));

/* Iteration in slot order: start with *pos = 0; each call returns the next
 * value and sets *key (NUL-terminated, in the map) and *n, or returns NULL
 * at the end. The map must not change meanwhile. */
void *hashmap_next(const hashmap *m, size_t *pos, const char **key, size_t *n);

#endif
