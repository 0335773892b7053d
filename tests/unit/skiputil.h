/* skiputil.h -- skipping a cmocka test so that ctest sees it.
 *
 * cmocka's skip() marks one test as skipped, but cmocka_run_group_tests()
 * still returns 0, so ctest would report the program as "Passed". A test
 * that cannot run its checks calls TEST_SKIP(reason) instead, and main()
 * returns test_exit_code(cmocka_run_group_tests(...)): failures win, then
 * 77 when anything was skipped (the test's SKIP_RETURN_CODE, set for every
 * unit test in tests/CMakeLists.txt), else 0.
 *
 * Include after <cmocka.h>. Header-only: each test is one program. */
#ifndef PMM_SKIPUTIL_H
#define PMM_SKIPUTIL_H

/* How many tests of this program were skipped (tests run one at a time). */
static int test_skipped_count;

#define TEST_SKIP(...)                                                         \
    do {                                                                       \
        print_message("se omite: " __VA_ARGS__);                               \
        print_message("\n");                                                   \
        test_skipped_count++;                                                  \
        skip();                                                                \
    } while (0)

static inline int test_exit_code(int failed)
{
    if (failed)
        return failed;
    return test_skipped_count ? 77 : 0;
}

#endif
