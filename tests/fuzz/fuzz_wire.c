/* fuzz_wire -- libFuzzer harness for everything a peer can put in a frame.
 *
 * The input is one frame as a socket would deliver it. It goes through
 * wire_decode (the checks wire_recv does: size, protobuf, version, type and
 * body); a SUBMIT's ficha then goes through ficha_validate as ingestd does,
 * and every decoded envelope goes through the client's reply handling
 * (sender_table_reply, what `pmm enviar` does with a collector's answer),
 * against a table of fichas in flight in which the slot the reply names is
 * waiting, or not, as chosen by the input. The same bytes are also decoded
 * as each body message on its own (a Ficha directly reaches the
 * validator's deep paths faster than through an envelope), and every
 * decoded message is packed again and freed.
 *
 * Invariants: no crash, no leak, no undefined behaviour; every refusal has
 * a code, a rule and valid UTF-8 text; a ficha that validates survives
 * protobuf and JSON round trips with the same content hash; a reply
 * finishes at most the one ficha it names, exactly once, with the estado
 * and error the collector sent (RECHAZADA for an ERROR), a busy collector
 * only delays it, and nothing else in the table changes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_common.h"
#include "sender_reply.h"
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

static void reply_fail(const char *why)
{
    fprintf(stderr, "fuzz: manejo de respuestas: %s\n", why);
    abort();
}

#define REPLY_SLOTS 8
#define REPLY_NOW_US 1700000000000000LL

typedef struct {
    int pushes;
    sender_result last;
} reply_sink;

static void reply_push(void *user, const sender_result *r)
{
    reply_sink *k = user;
    k->pushes++;
    k->last = *r;
}

/* Fills slot i as a ficha in flight with sequence number seq. */
static void reply_slot_fill(sender_table *t, int i, uint64_t seq, int unsent)
{
    sender_slot *s = &t->slots[i];
    s->in_use = 1;
    s->seq = seq;
    s->packed = malloc(1);
    if (!s->packed)
        abort();
    s->packed_len = 1;
    s->sent_at_us = REPLY_NOW_US - 1000;
    s->unsent = unsent;
    t->inflight++;
    t->nunsent += unsent;
}

static void reply_error_checks(const pmm_error *e)
{
    fuzz_check_len("campo", e->campo, sizeof e->campo);
    fuzz_check_len("regla", e->regla, sizeof e->regla);
    fuzz_check_len("mensaje", e->mensaje, sizeof e->mensaje);
}

/* The client's reply handling with env, which wire_decode accepted. flags
 * (input bits) choose whether the slot the reply names is waiting for it,
 * and whether that slot's last send found no room. */
static void reply_path(const Pmm__Envelope *env, unsigned flags)
{
    sender_slot slots[REPLY_SLOTS] = {0};
    reply_sink sink = {0};
    sender_table t = {.slots = slots, .nslots = REPLY_SLOTS, .push = reply_push,
                      .user = &sink};
    /* a bystander that no reply may touch: slot 0 or 1, whichever the
     * reply does not name */
    uint32_t idx = UINT32_MAX;
    uint64_t seq = 0;
    if (env->has_request_id && env->request_id.len == SENDER_REQUEST_ID_LEN) {
        memcpy(&idx, env->request_id.data, 4);
        memcpy(&seq, env->request_id.data + 4, 8);
    }
    int named = idx < REPLY_SLOTS;
    int bystander = idx == 0 ? 1 : 0;
    reply_slot_fill(&t, bystander, 99, 1);
    int waiting = named && (flags & 1);
    if (waiting)
        reply_slot_fill(&t, (int)idx, seq, (flags & 2) != 0);
    else if (named && (flags & 4) && idx != (uint32_t)bystander)
        reply_slot_fill(&t, (int)idx, seq + 1, 0);   /* reused by another ficha */
    sender_table before = t;
    sender_slot saved[REPLY_SLOTS];
    memcpy(saved, slots, sizeof saved);

    sender_table_reply(&t, env, REPLY_NOW_US);

    int is_receipt = env->type == PMM__MSG_TYPE__MSG_RECEIPT;
    int is_error = env->type == PMM__MSG_TYPE__MSG_ERROR;
    int busy = is_error && (env->error->code == PMM__ERROR_CODE__ERR_BUSY ||
                            env->error->code == PMM__ERROR_CODE__ERR_INTERNAL);
    if (!waiting || !(is_receipt || is_error)) {
        if (sink.pushes != 0 || memcmp(saved, slots, sizeof saved) != 0 ||
            t.inflight != before.inflight || t.nunsent != before.nunsent)
            reply_fail("una respuesta que no corresponde a nada cambió la tabla");
    } else if (busy) {
        sender_slot *s = &slots[idx];
        if (sink.pushes != 0)
            reply_fail("un colector ocupado terminó la ficha");
        if (!s->in_use || s->seq != seq || s->unsent ||
            s->resend_at_us != REPLY_NOW_US + SENDER_BUSY_PAUSE_US)
            reply_fail("un colector ocupado no programó el reenvío");
        if (t.inflight != before.inflight ||
            t.nunsent != before.nunsent - ((flags & 2) != 0))
            reply_fail("cuentas de la tabla tras ERR_BUSY");
    } else {
        if (sink.pushes != 1 || sink.last.seq != seq)
            reply_fail("la respuesta no terminó exactamente su ficha");
        if (slots[idx].in_use || slots[idx].packed)
            reply_fail("la ficha terminada sigue en la tabla");
        if (t.inflight != before.inflight - 1 ||
            t.nunsent != before.nunsent - ((flags & 2) != 0))
            reply_fail("cuentas de la tabla tras terminar una ficha");
        reply_error_checks(&sink.last.err);
        if (is_receipt) {
            const Pmm__Receipt *r = env->receipt;
            if (sink.last.estado != r->estado || sink.last.id != r->id ||
                sink.last.version != r->version ||
                sink.last.server_time_us != r->server_time_us)
                reply_fail("el resultado no es el recibo");
            if (r->error && sink.last.err.code != (int)r->error->code)
                reply_fail("el código de error no es el del recibo");
        } else {
            if (sink.last.estado != PMM__ESTADO__ESTADO_RECHAZADA ||
                sink.last.err.code != (int)env->error->code)
                reply_fail("un ERROR no dio RECHAZADA con su código");
        }
        /* the same reply again (a duplicate after a resend): ignored */
        memcpy(saved, slots, sizeof saved);
        before = t;
        sender_table_reply(&t, env, REPLY_NOW_US);
        if (sink.pushes != 1 || memcmp(saved, slots, sizeof saved) != 0 ||
            t.inflight != before.inflight || t.nunsent != before.nunsent)
            reply_fail("una respuesta repetida volvió a contar");
    }
    if (!slots[bystander].in_use || slots[bystander].seq != 99 ||
        !slots[bystander].unsent)
        reply_fail("la respuesta tocó otra ficha");
    for (int i = 0; i < REPLY_SLOTS; i++)
        free(slots[i].packed);
}

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
    /* ingestd answers a SUBMIT without a ficha with ERR_TYPE */
    if (env->body_case == PMM__ENVELOPE__BODY_SUBMIT && env->submit->ficha)
        fuzz_validate(env->submit->ficha, (int)(size & 1));
    /* the frame's last byte chooses the table's state, so that the fuzzer
     * explores a reply that is awaited, stale or unexpected */
    reply_path(env, size ? data[size - 1] : 0);
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
