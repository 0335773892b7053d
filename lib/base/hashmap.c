#include "hashmap.h"

#include <stdlib.h>

#define INITIAL_CAP 1024

/* The filter of every empty map: no bit set, never written. */
static uint64_t empty_filter[1];

void hashmap_init(hashmap *m, size_t val_size)
{
    memset(m, 0, sizeof *m);
    m->filter = empty_filter;
    m->val_size = val_size;
    /* values start 8-byte aligned after the 16-byte header */
    m->stride = sizeof(hashmap_slot) + (val_size + 7) / 8 * 8;
}

void hashmap_free(hashmap *m)
{
    size_t val_size = m->val_size;
    free(m->slots);
    if (m->filter != empty_filter)
        free(m->filter);
    free(m->keys);
    hashmap_init(m, val_size);
}

static hashmap_slot *slot_at(unsigned char *slots, size_t stride, size_t j)
{
    return (hashmap_slot *)(void *)(slots + j * stride);
}

static void filter_set(hashmap *m, uint64_t h)
{
    size_t b = hashmap_filter_bit(m, h);
    m->filter[b / 64] |= 1ull << (b % 64);
}

static int grow(hashmap *m)
{
    size_t ncap = m->cap ? m->cap * 2 : INITIAL_CAP;
    unsigned char *ns = calloc(ncap, m->stride);
    uint64_t *filter = calloc(ncap * HASHMAP_FILTER_BITS / 64, sizeof *filter);
    if (!ns || !filter) {
        free(ns);
        free(filter);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++) {
        const hashmap_slot *s = slot_at(m->slots, m->stride, i);
        if (!s->key)
            continue;
        size_t j = s->hash & (ncap - 1);
        while (slot_at(ns, m->stride, j)->key)
            j = (j + 1) & (ncap - 1);
        memcpy(slot_at(ns, m->stride, j), s, m->stride);
    }
    free(m->slots);
    if (m->filter != empty_filter)
        free(m->filter);
    m->slots = ns;
    m->filter = filter;
    m->filter_mask = ncap * HASHMAP_FILTER_BITS - 1;
    m->cap = ncap;
    for (size_t i = 0; i < m->cap; i++) {
        const hashmap_slot *s = slot_at(m->slots, m->stride, i);
        if (s->key)
            filter_set(m, s->hash);
    }
    return 0;
}

/* Copies key[0..n) and a NUL into the arena; returns its offset or -1. */
static int64_t store_key(hashmap *m, const char *key, size_t n)
{
    /* slots hold 1 + the offset in 32 bits */
    if (n >= UINT32_MAX || m->keys_len + n + 1 >= UINT32_MAX)
        return -1;
    if (m->keys_len + n + 1 > m->keys_cap) {
        size_t ncap = m->keys_cap ? m->keys_cap : 4096;
        while (ncap < m->keys_len + n + 1)
            ncap *= 2;
        char *nk = realloc(m->keys, ncap);
        if (!nk)
            return -1;
        m->keys = nk;
        m->keys_cap = ncap;
    }
    size_t off = m->keys_len;
    memcpy(m->keys + off, key, n);
    m->keys[off + n] = '\0';
    m->keys_len += n + 1;
    return (int64_t)off;
}

int hashmap_put(hashmap *m, const char *key, size_t n, void **val)
{
    if ((m->count + 1) * 10 > m->cap * 7 && grow(m) != 0)
        return -1;
    uint64_t h = hashmap_hash(key, n);
    size_t mask = m->cap - 1;
    hashmap_slot *s;
    for (size_t j = h & mask;; j = (j + 1) & mask) {
        s = slot_at(m->slots, m->stride, j);
        if (!s->key)
            break;
        if (s->hash == h && s->len == n && !memcmp(m->keys + s->key - 1, key, n)) {
            *val = s + 1;
            return 0;
        }
    }
    int64_t off = store_key(m, key, n);
    if (off < 0)
        return -1;
    s->hash = h;
    s->key = (uint32_t)off + 1;
    s->len = (uint32_t)n;
    filter_set(m, h);
    m->count++;
    *val = s + 1;       /* zeroed by calloc, never reused */
    return 1;
}

void *hashmap_next(const hashmap *m, size_t *pos, const char **key, size_t *n)
{
    for (; *pos < m->cap; (*pos)++) {
        hashmap_slot *s = slot_at(m->slots, m->stride, *pos);
        if (!s->key)
            continue;
        (*pos)++;
        *key = m->keys + s->key - 1;
        *n = s->len;
        return s + 1;
    }
    return NULL;
}
