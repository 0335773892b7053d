/* fuzz_wire -- libFuzzer harness for everything a peer can put in a frame.
 *
 * The input is one frame as a socket would deliver it. It goes through
 * wire_decode (the checks wire_recv does: size, protobuf, version, type and
 * body) and, for a SUBMIT, through ficha_validate as ingestd does. The same
 * bytes are also decoded as each body message on its own (a Ficha directly
 * reaches the validator's deep paths faster than through an envelope), and
 * every decoded message is packed again and freed. Invariants: no crash, no
 * leak, no undefined behaviour; every refusal has a code, a rule and valid
 * UTF-8 text; a ficha that validates survives protobuf and JSON round
 * trips with the same content hash.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_common.h"
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Packs any decoded message again: the sizes must agree. */
#define REPACK(type, msg)                                                     \
    do {                                                                      \
        size_t n_ = pmm__##type##__get_packed_size(msg);                     \
        uint8_t *b_ = malloc(n_ ? n_ : 1);                                    \
        if (!b_ || pmm__##type##__pack(msg, b_) != n_)                        \
            abort();                                                          \
        free(b_);                                                             \
    } while (0)

static void envelope_path(const uint8_t *data, size_t size)
{
    pmm_error err;
    pmm_error_clear(&err);
    Pmm__Envelope *env = wire_decode(data, size, &err);
    if (!env) {
        fuzz_check_error(&err);
        return;
    }
    REPACK(envelope, env);
    switch (env->body_case) {
    case PMM__ENVELOPE__BODY_SUBMIT:
        /* ingestd answers a SUBMIT without a ficha with ERR_TYPE */
        if (env->submit->ficha)
            fuzz_validate(env->submit->ficha, (int)(size & 1));
        break;
    case PMM__ENVELOPE__BODY_RECEIPT: {
        const Pmm__Receipt *r = env->receipt;
        /* what sender.c reads from a receipt */
        if (r->error)
            (void)(r->error->campo.len + r->error->regla.len +
                   r->error->mensaje.len);
        break;
    }
    default:   /* WORK and CLASSIFIED are hints: nobody reads their body */
        break;
    }
    pmm__envelope__free_unpacked(env, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    envelope_path(data, size);

    /* The same bytes as each message on its own. */
    Pmm__Ficha *f = pmm__ficha__unpack(NULL, size, data);
    if (f) {
        REPACK(ficha, f);
        fuzz_validate(f, (int)(size & 1));
        pmm__ficha__free_unpacked(f, NULL);
    }
    Pmm__Receipt *r = pmm__receipt__unpack(NULL, size, data);
    if (r) {
        REPACK(receipt, r);
        pmm__receipt__free_unpacked(r, NULL);
    }
    Pmm__Work *w = pmm__work__unpack(NULL, size, data);
    if (w) {
        REPACK(work, w);
        pmm__work__free_unpacked(w, NULL);
    }
    Pmm__Classified *c = pmm__classified__unpack(NULL, size, data);
    if (c) {
        REPACK(classified, c);
        pmm__classified__free_unpacked(c, NULL);
    }
    Pmm__Control *k = pmm__control__unpack(NULL, size, data);
    if (k) {
        REPACK(control, k);
        pmm__control__free_unpacked(k, NULL);
    }
    Pmm__ControlReply *kr = pmm__control_reply__unpack(NULL, size, data);
    if (kr) {
        REPACK(control_reply, kr);
        pmm__control_reply__free_unpacked(kr, NULL);
    }
    Pmm__Error *e = pmm__error__unpack(NULL, size, data);
    if (e) {
        REPACK(error, e);
        pmm__error__free_unpacked(e, NULL);
    }
    Pmm__Pong *p = pmm__pong__unpack(NULL, size, data);
    if (p) {
        REPACK(pong, p);
        pmm__pong__free_unpacked(p, NULL);
    }
    return 0;
}
