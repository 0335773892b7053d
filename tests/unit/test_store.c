/* test_store.c -- ingestd's batch items (ingestd/store.c) without a
 * database: what store_item_init and store_item_refused put in an item
 * (emisor, content hash, who sent it, the refusal), and that an empty
 * batch needs no connection. The batch itself (decisions, key checks,
 * COPY, audit, rollback) needs PostgreSQL: tests/integration/it_store.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ficha.h"
#include "ficha_json.h"
#include "store.h"
#include "testutil.h"

static refdata *ref;

static int setup(void **state)
{
    (void)state;
    pmm_error err;
    ref = refdata_load(test_data_dir(), &err);
    if (!ref)
        print_error("%s\n", err.mensaje);
    return ref ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    refdata_destroy(&ref);
    return 0;
}

static Pmm__Ficha *valid_ficha(const char *json)
{
    pmm_error err;
    Pmm__Ficha *f = ficha_from_json_text(json, strlen(json), &err);
    if (!f)
        fail_msg("%s", err.mensaje);
    ficha_rules rules = {.current_year = 2025};
    if (ficha_validate(f, ref, &rules, &err) != 0)
        fail_msg("%s (%s)", err.mensaje, err.regla);
    return f;
}

static void test_item_init(void **state)
{
    (void)state;
    Pmm__Ficha *f = valid_ficha(TEST_FICHA_JSON);
    store_item it;
    memset(&it, 0xa5, sizeof it);   /* every field is set, none left over */
    pmm_error err;
    assert_int_equal(store_item_init(&it, f, &err), 0);
    assert_ptr_equal(it.ficha, f);
    /* the body, normalised by validation to its canonical acronym */
    assert_string_equal(it.emisor, "D:SEGOB");
    uint8_t h[32];
    assert_int_equal(ficha_hash(f, h), 0);
    assert_memory_equal(it.hash, h, 32);
    assert_string_equal(it.identidad, "");
    assert_int_equal(it.clave_id, 0);
    assert_false(it.predecided);
    assert_false(it.denied);
    assert_int_equal(it.estado, PMM__ESTADO__ESTADO_DESCONOCIDO);
    assert_int_equal(it.id, 0);
    assert_int_equal(it.version, 0);
    assert_int_equal(it.err.code, 0);

    /* a state's ficha: E:<two-digit INEGI code> */
    const char *estatal =
        "{\"clave\":\"chis-2022-1\",\"ejercicio\":2022,\"ambito\":\"estatal\","
        "\"entidad\":\"7\",\"programa\":\"Programa estatal\",\"objetivo_pmm\":3,"
        "\"descripcion\":{\"objetivo\":\"Atender a personas migrantes en la "
        "frontera sur.\"},\"resultados\":{\"acciones\":2}}";
    Pmm__Ficha *g = valid_ficha(estatal);
    store_item it2;
    assert_int_equal(store_item_init(&it2, g, &err), 0);
    assert_string_equal(it2.emisor, "E:07");
    /* other content, other hash; reemplaza is not content */
    assert_memory_not_equal(it2.hash, it.hash, 32);
    g->has_reemplaza = 1;
    g->reemplaza = 4;
    store_item it3;
    assert_int_equal(store_item_init(&it3, g, &err), 0);
    assert_memory_equal(it3.hash, it2.hash, 32);
    pmm__ficha__free_unpacked(f, NULL);
    pmm__ficha__free_unpacked(g, NULL);
}

static void test_item_refused(void **state)
{
    (void)state;
    Pmm__Ficha *f = valid_ficha(TEST_FICHA_JSON);
    pmm_error why;
    pmm_error_set(&why, PMM__ERROR_CODE__ERR_INVALID, "resultados.mujeres", "suma_sexo",
                  "mujeres + hombres excede personas");

    /* who sent it survives; everything else is the refusal */
    store_item it;
    pmm_error err;
    assert_int_equal(store_item_init(&it, f, &err), 0);
    snprintf(it.identidad, sizeof it.identidad, "remitente|D:SEGOB|12");
    it.clave_id = 12;
    it.estado = PMM__ESTADO__ESTADO_ACEPTADA;
    it.id = 99;
    store_item_refused(&it, f, 0, &why);
    assert_string_equal(it.identidad, "remitente|D:SEGOB|12");
    assert_int_equal(it.clave_id, 12);
    assert_ptr_equal(it.ficha, f);
    assert_true(it.predecided);
    assert_false(it.denied);
    assert_int_equal(it.estado, PMM__ESTADO__ESTADO_RECHAZADA);
    assert_int_equal(it.id, 0);
    assert_int_equal(it.err.code, PMM__ERROR_CODE__ERR_INVALID);
    assert_string_equal(it.err.campo, "resultados.mujeres");
    assert_string_equal(it.err.regla, "suma_sexo");
    /* an invalid ficha's emisor is not trusted: not audited */
    assert_string_equal(it.emisor, "");
    for (int i = 0; i < 32; i++)
        assert_int_equal(it.hash[i], 0);

    /* denied: the ficha was valid, so the body it claimed is kept */
    pmm_error deny;
    pmm_error_set(&deny, PMM__ERROR_CODE__ERR_DENIED, "dependencia", "no_autorizado",
                  "su clave solo permite enviar fichas de D:SRE, no de D:SEGOB");
    store_item d;
    memset(&d, 0, sizeof d);
    snprintf(d.identidad, sizeof d.identidad, "remitente|D:SRE|3");
    store_item_refused(&d, f, 1, &deny);
    assert_true(d.predecided);
    assert_true(d.denied);
    assert_string_equal(d.emisor, "D:SEGOB");
    assert_string_equal(d.identidad, "remitente|D:SRE|3");
    assert_string_equal(d.err.regla, "no_autorizado");
    pmm__ficha__free_unpacked(f, NULL);
}

static void test_lote_vacio(void **state)
{
    (void)state;
    pmm_error err;
    pmm_error_clear(&err);
    /* nothing to store: no transaction, no connection needed */
    assert_int_equal(store_batch(NULL, NULL, 0, &err), 0);
    assert_int_equal(err.code, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_item_init),
        cmocka_unit_test(test_item_refused),
        cmocka_unit_test(test_lote_vacio),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
