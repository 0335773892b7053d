/* fuzz_common.h -- shared by the libFuzzer harnesses: reference data loaded
 * once, fixed rules, and the invariants every refusal must keep. */
#ifndef PMM_FUZZ_COMMON_H
#define PMM_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "ficha.h"
#include "ficha_json.h"
#include "refdata.h"
#include "utf8.h"

#ifndef FUZZ_DATA_DIR
#define FUZZ_DATA_DIR "data"
#endif

/* Reference data from $PMM_DATOS or the source tree's data/. */
static const refdata *fuzz_ref(void)
{
    static refdata *ref;
    if (!ref) {
        const char *dir = getenv("PMM_DATOS");
        pmm_error err;
        pmm_error_clear(&err);
        ref = refdata_load(dir && *dir ? dir : FUZZ_DATA_DIR, &err);
        if (!ref) {
            fprintf(stderr, "fuzz: no se pudieron cargar los datos de "
                            "referencia: %s\n", err.mensaje);
            abort();
        }
    }
    return ref;
}

/* Fixed year so a crash reproduces on any date. */
static ficha_rules fuzz_rules(int accept_new_bodies)
{
    ficha_rules r = {.current_year = 2025,
                     .accept_new_bodies = accept_new_bodies != 0};
    return r;
}

/* s is a string within its buffer of cap bytes (NUL-terminated). */
static void fuzz_check_len(const char *what, const char *s, size_t cap)
{
    if (strnlen(s, cap) == cap) {
        fprintf(stderr, "fuzz: %s sin terminar\n", what);
        abort();
    }
}

static void fuzz_check_str(const char *what, const char *s, size_t cap)
{
    fuzz_check_len(what, s, cap);
    size_t n = strlen(s);
    if (!utf8_valid(s, n)) {
        fprintf(stderr, "fuzz: %s no es UTF-8 válido: «%s»\n", what, s);
        abort();
    }
}

/* Every refusal names a rule and is valid UTF-8 throughout: it is shown to
 * people and written into JSON (jansson refuses invalid UTF-8). */
static void fuzz_check_error(const pmm_error *err)
{
    fuzz_check_str("campo", err->campo, sizeof err->campo);
    fuzz_check_str("regla", err->regla, sizeof err->regla);
    fuzz_check_str("mensaje", err->mensaje, sizeof err->mensaje);
    if (!err->regla[0] || !err->mensaje[0]) {
        fprintf(stderr, "fuzz: error sin regla o sin mensaje\n");
        abort();
    }
    if (err->code == 0) {
        fprintf(stderr, "fuzz: error sin código\n");
        abort();
    }
}

/* Packs f without the fields this build does not know (ficha_pack_known).
 * protobuf-c 1.4 accepts some unknown fields it cannot read back (field
 * number 0 in an overlong tag): they are not content (neither stored nor
 * hashed), so the round trips below compare known fields. */
static uint8_t *fuzz_pack_known(const Pmm__Ficha *f, size_t *n)
{
    uint8_t *buf = ficha_pack_known(f, n);
    if (!buf)
        abort();
    return buf;
}

/* A ficha that passed ficha_validate must survive both encodings with the
 * same content, and validate again unchanged (normalisation is idempotent). */
static void fuzz_check_valid_ficha(const Pmm__Ficha *f, const ficha_rules *rules)
{
    uint8_t h1[32], h2[32], h3[32];
    if (ficha_hash(f, h1) != 0)
        abort();
    char emisor[FICHA_EMISOR_MAX + 1];
    ficha_emisor(f, emisor, sizeof emisor);
    if (strlen(emisor) >= FICHA_EMISOR_MAX) {
        fprintf(stderr, "fuzz: emisor truncado\n");
        abort();
    }
    fuzz_check_str("emisor", emisor, sizeof emisor);

    /* protobuf round trip */
    size_t n;
    uint8_t *buf = fuzz_pack_known(f, &n);
    Pmm__Ficha *g = pmm__ficha__unpack(NULL, n, buf);
    free(buf);
    if (!g) {
        fprintf(stderr, "fuzz: una ficha válida empaquetada no se desempaqueta\n");
        abort();
    }
    pmm_error err;
    pmm_error_clear(&err);
    if (ficha_validate(g, fuzz_ref(), rules, &err) != 0) {
        fprintf(stderr, "fuzz: ficha válida rechazada tras pack/unpack: %s (%s)\n",
                err.mensaje, err.regla);
        abort();
    }
    if (ficha_hash(g, h2) != 0 || memcmp(h1, h2, 32) != 0) {
        fprintf(stderr, "fuzz: la validación no es idempotente (hash)\n");
        abort();
    }
    pmm__ficha__free_unpacked(g, NULL);

    /* JSON round trip */
    json_t *j = ficha_to_json(f, 1);
    if (!j) {
        fprintf(stderr, "fuzz: ficha válida no convertible a JSON\n");
        abort();
    }
    char *text = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (!text)
        abort();
    Pmm__Ficha *k = ficha_from_json_text(text, strlen(text), &err);
    if (!k) {
        fprintf(stderr, "fuzz: JSON de una ficha válida rechazado: %s\n",
                err.mensaje);
        abort();
    }
    free(text);
    if (ficha_validate(k, fuzz_ref(), rules, &err) != 0) {
        fprintf(stderr, "fuzz: ficha válida rechazada tras JSON: %s (%s)\n",
                err.mensaje, err.regla);
        abort();
    }
    if (ficha_hash(k, h3) != 0 || memcmp(h1, h3, 32) != 0) {
        fprintf(stderr, "fuzz: el JSON cambia el contenido de la ficha\n");
        abort();
    }
    pmm__ficha__free_unpacked(k, NULL);
}

/* Validates f (owned by the caller) and checks the outcome's invariants. */
static void fuzz_validate(Pmm__Ficha *f, int accept_new_bodies)
{
    ficha_rules rules = fuzz_rules(accept_new_bodies);
    pmm_error err;
    pmm_error_clear(&err);
    if (ficha_validate(f, fuzz_ref(), &rules, &err) != 0)
        fuzz_check_error(&err);
    else
        fuzz_check_valid_ficha(f, &rules);
}

#endif
