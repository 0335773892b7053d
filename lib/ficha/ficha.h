/* ficha.h -- the rules of docs/contrato-ficha.md, applied to the wire form.
 *
 * ficha_validate() is the single implementation of the contract: the CLI
 * runs it before sending (to report errors with line numbers) and ingestd
 * runs it again on everything it receives (the authoritative check). It also
 * normalises: dependencia becomes its canonical acronym and entidad its
 * two-digit INEGI code, so equal fichas hash equal.
 */
#ifndef PMM_FICHA_H
#define PMM_FICHA_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "pmm.pb-c.h"
#include "refdata.h"

#define FICHA_MAX_CLAVE 64
#define FICHA_MAX_CHARS 300      /* unidad, programa, zona, contacto fields */
#define FICHA_MAX_PALABRAS 180   /* free-text fields */
#define FICHA_MAX_CONTEO 10000000000LL   /* sanity bound on counts */
#define FICHA_PRIMER_EJERCICIO 2018

typedef struct {
    int current_year;            /* ejercicio may be at most this + 1 */
    bool accept_new_bodies;      /* server option: unknown acronyms allowed */
} ficha_rules;

/* Rules with current_year taken from the clock. */
ficha_rules ficha_rules_default(void);

/* Checks every rule; normalises dependencia/entidad in place (fields are
 * heap bytes owned by f), and "retirada": false to absent. Returns 0 or -1 with err naming field and rule
 * (the first fault, in the contract's order). */
int ficha_validate(Pmm__Ficha *f, const refdata *ref, const ficha_rules *rules,
                   pmm_error *err);

/* True for a withdrawal ("retirada": true, docs/contrato-ficha.md section
 * 8): a version that takes the ficha out of every count. */
bool ficha_es_retiro(const Pmm__Ficha *f);

/* Up to how many faults of one ficha are reported. */
#define FICHA_MAX_ERRORES 16

/* Checks every section of the ficha whatever the others gave and stores
 * the first `cap` faults in errs[], in the contract's order (errs[0] is
 * what ficha_validate reports). Returns the number of faults found (which
 * may exceed cap); 0 when the ficha is valid. */
size_t ficha_validate_all(Pmm__Ficha *f, const refdata *ref, const ficha_rules *rules,
                          pmm_error *errs, size_t cap);

/* Room for any emisor: "D:" and a dependencia of at most 64 characters of
 * up to 4 bytes each, so it is never truncated (a truncated emisor could
 * cut a character in two or make two bodies one). */
#define FICHA_EMISOR_MAX (2 + 64 * 4 + 1)

/* True when the clave alone obeys its rule (so it may be logged/audited
 * even when the rest of the ficha is refused). */
bool ficha_clave_ok(const Pmm__Ficha *f);

/* The identity of a validated ficha's sender: "D:SRE" or "E:07". */
void ficha_emisor(const Pmm__Ficha *f, char *out, size_t cap);

/* SHA-256 of the canonical content (everything but `reemplaza` and the
 * fields this build does not know). */
int ficha_hash(const Pmm__Ficha *f, uint8_t out[32]);

/* f packed without the fields this build does not know (malloc'd, *len
 * bytes; NULL when out of memory). */
uint8_t *ficha_pack_known(const Pmm__Ficha *f, size_t *len);

/* Deep copy helpers for heap-owned bytes fields. */
int ficha_bytes_set(ProtobufCBinaryData *b, protobuf_c_boolean *has,
                    const char *s, size_t n);

#endif
