/* Unit tests for hashmap.c: look-up, insertion, growth, keys that are
 * prefixes of each other or hold NULs, sets, values of any size and
 * iteration. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hashmap.h"

static void empty_map_finds_nothing(void **state)
{
    (void)state;
    hashmap m;
    hashmap_init(&m, sizeof(int));
    assert_null(hashmap_get(&m, "a", 1));
    assert_null(hashmap_get(&m, "", 0));
    assert_int_equal(hashmap_count(&m), 0);
    size_t pos = 0, n;
    const char *k;
    assert_null(hashmap_next(&m, &pos, &k, &n));
    hashmap_free(&m);
}

static void put_adds_once_and_keeps_the_value(void **state)
{
    (void)state;
    hashmap m;
    hashmap_init(&m, sizeof(int));
    void *v;
    assert_int_equal(hashmap_put(&m, "salud", 5, &v), 1);
    assert_int_equal(*(int *)v, 0);     /* a new value is zeroed */
    *(int *)v = 42;
    assert_int_equal(hashmap_put(&m, "salud", 5, &v), 0);
    assert_int_equal(*(int *)v, 42);
    assert_int_equal(hashmap_count(&m), 1);
    int *g = hashmap_get(&m, "salud", 5);
    assert_non_null(g);
    assert_int_equal(*g, 42);
    /* only the first n bytes are the key */
    assert_non_null(hashmap_get(&m, "saludable", 5));
    assert_null(hashmap_get(&m, "salu", 4));
    assert_null(hashmap_get(&m, "saludo", 6));
    hashmap_free(&m);
    assert_int_equal(hashmap_count(&m), 0);
    assert_null(hashmap_get(&m, "salud", 5));
    /* usable again after hashmap_free */
    assert_int_equal(hashmap_put(&m, "salud", 5, &v), 1);
    assert_int_equal(*(int *)v, 0);
    hashmap_free(&m);
}

static void prefixes_empty_keys_and_nuls_are_distinct(void **state)
{
    (void)state;
    hashmap m;
    hashmap_init(&m, sizeof(int));
    static const char *keys[] = {"", "a", "ab", "abc", "abcd", "abcdefg",
                                 "abcdefgh", "abcdefghi",
                                 "abcdefghijklmnopq"};
    size_t nk = sizeof keys / sizeof *keys;
    void *v;
    for (size_t i = 0; i < nk; i++) {
        assert_int_equal(hashmap_put(&m, keys[i], strlen(keys[i]), &v), 1);
        *(int *)v = (int)i + 1;
    }
    /* keys with NULs inside: aggregd's cells are filtro\0dimension\0valor */
    assert_int_equal(hashmap_put(&m, "a\0b", 3, &v), 1);
    *(int *)v = 100;
    assert_int_equal(hashmap_put(&m, "a\0c", 3, &v), 1);
    *(int *)v = 101;
    assert_int_equal(hashmap_count(&m), nk + 2);
    for (size_t i = 0; i < nk; i++) {
        int *g = hashmap_get(&m, keys[i], strlen(keys[i]));
        assert_non_null(g);
        assert_int_equal(*g, (int)i + 1);
    }
    assert_int_equal(*(int *)hashmap_get(&m, "a\0b", 3), 100);
    assert_int_equal(*(int *)hashmap_get(&m, "a\0c", 3), 101);
    assert_null(hashmap_get(&m, "a\0d", 3));
    hashmap_free(&m);
}

/* Many keys: the table grows many times and every value survives. */
static void growth_keeps_every_value(void **state)
{
    (void)state;
    hashmap m;
    hashmap_init(&m, sizeof(long));
    enum { N = 200000 };
    char key[32];
    void *v;
    for (long i = 0; i < N; i++) {
        int n = snprintf(key, sizeof key, "rasgo_%ld", i);
        assert_int_equal(hashmap_put(&m, key, (size_t)n, &v), 1);
        *(long *)v = i * 3;
    }
    assert_int_equal(hashmap_count(&m), N);
    for (long i = 0; i < N; i++) {
        int n = snprintf(key, sizeof key, "rasgo_%ld", i);
        long *g = hashmap_get(&m, key, (size_t)n);
        assert_non_null(g);
        assert_int_equal(*g, i * 3);
        assert_int_equal(hashmap_put(&m, key, (size_t)n, &v), 0);
    }
    for (long i = N; i < N + 1000; i++) {
        int n = snprintf(key, sizeof key, "rasgo_%ld", i);
        assert_null(hashmap_get(&m, key, (size_t)n));
    }
    assert_int_equal(hashmap_count(&m), N);
    hashmap_free(&m);
}

static void a_set_has_no_values(void **state)
{
    (void)state;
    hashmap s;
    hashmap_init(&s, 0);
    void *v;
    assert_int_equal(hashmap_put(&s, "de", 2, &v), 1);
    assert_int_equal(hashmap_put(&s, "la", 2, &v), 1);
    assert_int_equal(hashmap_put(&s, "de", 2, &v), 0);
    assert_int_equal(hashmap_count(&s), 2);
    assert_non_null(hashmap_get(&s, "de", 2));
    assert_non_null(hashmap_get(&s, "la", 2));
    assert_null(hashmap_get(&s, "el", 2));
    hashmap_free(&s);
}

/* Values larger than a word, aligned for long long and double. */
typedef struct {
    long long suma[5];
    double d;
} big;

static void large_values_are_aligned_and_kept(void **state)
{
    (void)state;
    hashmap m;
    hashmap_init(&m, sizeof(big));
    char key[16];
    void *v;
    for (int i = 0; i < 5000; i++) {
        int n = snprintf(key, sizeof key, "%d", i);
        assert_int_equal(hashmap_put(&m, key, (size_t)n, &v), 1);
        assert_int_equal((uintptr_t)v % _Alignof(big), 0);
        big *b = v;
        for (int k = 0; k < 5; k++) {
            assert_int_equal(b->suma[k], 0);
            b->suma[k] = (long long)i * k;
        }
        b->d = i / 2.0;
    }
    for (int i = 0; i < 5000; i++) {
        int n = snprintf(key, sizeof key, "%d", i);
        big *b = hashmap_get(&m, key, (size_t)n);
        assert_non_null(b);
        assert_int_equal(b->suma[4], (long long)i * 4);
        assert_true(b->d == i / 2.0);
    }
    hashmap_free(&m);
}

/* Iteration visits every key once, with its value, NUL-terminated. */
static void iteration_visits_every_key_once(void **state)
{
    (void)state;
    hashmap m;
    hashmap_init(&m, sizeof(int));
    enum { N = 3000 };
    char key[16];
    void *v;
    for (int i = 0; i < N; i++) {
        int n = snprintf(key, sizeof key, "k%d", i);
        assert_int_equal(hashmap_put(&m, key, (size_t)n, &v), 1);
        *(int *)v = i;
    }
    unsigned char *seen = calloc(N, 1);
    assert_non_null(seen);
    size_t pos = 0, n, total = 0;
    const char *k;
    int *val;
    while ((val = hashmap_next(&m, &pos, &k, &n))) {
        assert_int_equal(k[n], '\0');
        assert_int_equal(atoi(k + 1), *val);
        assert_int_equal(seen[*val], 0);
        seen[*val] = 1;
        total++;
    }
    assert_int_equal(total, N);
    free(seen);
    hashmap_free(&m);
}

static void hash_depends_on_length_and_the_n_bytes(void **state)
{
    (void)state;
    assert_true(hashmap_hash("", 0) != hashmap_hash("\0", 1));
    assert_true(hashmap_hash("a", 1) != hashmap_hash("a\0", 2));
    assert_true(hashmap_hash("abcdefgh", 8) != hashmap_hash("abcdefghi", 9));
    /* only the n bytes count */
    assert_true(hashmap_hash("abcdefghijk", 10) == hashmap_hash("abcdefghijX", 10));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(empty_map_finds_nothing),
        cmocka_unit_test(put_adds_once_and_keeps_the_value),
        cmocka_unit_test(prefixes_empty_keys_and_nuls_are_distinct),
        cmocka_unit_test(growth_keeps_every_value),
        cmocka_unit_test(a_set_has_no_values),
        cmocka_unit_test(large_values_are_aligned_and_kept),
        cmocka_unit_test(iteration_visits_every_key_once),
        cmocka_unit_test(hash_depends_on_length_and_the_n_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
