/* The idempotency decisions of idem.h, case by case. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "idem.h"

static const uint8_t H1[32] = {1};
static const uint8_t H2[32] = {2};

static idem_current stored(int64_t version, const uint8_t *hash)
{
    idem_current c = {.exists = true, .id = 10, .version = version};
    memcpy(c.hash, hash, 32);
    return c;
}

static void first_submission_is_version_1(void **state)
{
    (void)state;
    idem_current none = {0};
    int64_t v = 0;
    pmm_error err;
    assert_int_equal(idem_decide(&none, H1, false, 0, false, &v, &err), IDEM_NEW);
    assert_int_equal(v, 1);
}

static void reemplaza_without_stored_version_is_refused(void **state)
{
    (void)state;
    idem_current none = {0};
    int64_t v = 0;
    pmm_error err;
    assert_int_equal(idem_decide(&none, H1, true, 1, false, &v, &err), IDEM_NO_VERSION);
    assert_string_equal(err.campo, "reemplaza");
}

static void same_content_is_a_repeat(void **state)
{
    (void)state;
    idem_current c = stored(1, H1);
    int64_t v = 0;
    pmm_error err;
    assert_int_equal(idem_decide(&c, H1, false, 0, false, &v, &err), IDEM_REPEAT);
    /* a retried replacement whose receipt was lost: also a repeat */
    c = stored(2, H2);
    assert_int_equal(idem_decide(&c, H2, true, 1, false, &v, &err), IDEM_REPEAT);
}

static void other_content_without_reemplaza_conflicts(void **state)
{
    (void)state;
    idem_current c = stored(1, H1);
    int64_t v = 0;
    pmm_error err;
    assert_int_equal(idem_decide(&c, H2, false, 0, false, &v, &err), IDEM_CONFLICT);
    assert_string_equal(err.campo, "clave");
    assert_string_equal(err.regla, "conflicto");
}

static void reemplaza_must_name_current(void **state)
{
    (void)state;
    idem_current c = stored(3, H1);
    int64_t v = 0;
    pmm_error err;
    assert_int_equal(idem_decide(&c, H2, true, 2, false, &v, &err), IDEM_STALE);
    assert_string_equal(err.regla, "version_vigente");
    assert_int_equal(idem_decide(&c, H2, true, 3, false, &v, &err), IDEM_NEW);
    assert_int_equal(v, 4);
}

static void withdrawals(void **state)
{
    (void)state;
    idem_current c = stored(3, H1);
    int64_t v = 0;
    pmm_error err;
    /* withdrawing the current version: version 4 */
    assert_int_equal(idem_decide(&c, H2, true, 3, true, &v, &err), IDEM_NEW);
    assert_int_equal(v, 4);
    /* withdrawing a withdrawn ficha is refused, whatever reemplaza says */
    c = stored(4, H2);
    c.retirada = true;
    assert_int_equal(idem_decide(&c, H1, true, 4, true, &v, &err), IDEM_WITHDRAWN);
    assert_string_equal(err.campo, "retirada");
    assert_string_equal(err.regla, "ya_retirada");
    assert_non_null(strstr(err.mensaje, "\"reemplaza\": 4"));
    /* the same withdrawal again (a lost receipt) is a repeat */
    assert_int_equal(idem_decide(&c, H2, true, 3, true, &v, &err), IDEM_REPEAT);
    /* restoring: a full ficha replacing the withdrawal */
    assert_int_equal(idem_decide(&c, H1, true, 4, false, &v, &err), IDEM_NEW);
    assert_int_equal(v, 5);
    /* a withdrawal needs a stored version */
    idem_current none = {0};
    assert_int_equal(idem_decide(&none, H1, true, 1, true, &v, &err), IDEM_NO_VERSION);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(first_submission_is_version_1),
        cmocka_unit_test(reemplaza_without_stored_version_is_refused),
        cmocka_unit_test(same_content_is_a_repeat),
        cmocka_unit_test(other_content_without_reemplaza_conflicts),
        cmocka_unit_test(reemplaza_must_name_current),
        cmocka_unit_test(withdrawals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
