#include "sender_reply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sender_request_id(uint8_t id[SENDER_REQUEST_ID_LEN], int slot_index, uint64_t seq)
{
    uint32_t s = (uint32_t)slot_index;
    memcpy(id, &s, 4);
    memcpy(id + 4, &seq, 8);
}

void sender_table_finish(sender_table *t, sender_slot *s, const sender_result *r)
{
    t->push(t->user, r);
    if (s->unsent)
        t->nunsent--;
    free(s->packed);
    memset(s, 0, sizeof *s);
    t->inflight--;
}

/* The error fields of a reply, as they came (bytes, not NUL-terminated). */
static void copy_error(pmm_error *out, Pmm__ErrorCode code, const ProtobufCBinaryData *campo,
                       const ProtobufCBinaryData *regla, const ProtobufCBinaryData *mensaje)
{
    out->code = code;
    snprintf(out->campo, sizeof out->campo, "%.*s", (int)campo->len,
             (const char *)campo->data);
    snprintf(out->regla, sizeof out->regla, "%.*s", (int)regla->len,
             (const char *)regla->data);
    snprintf(out->mensaje, sizeof out->mensaje, "%.*s", (int)mensaje->len,
             (const char *)mensaje->data);
}

void sender_table_reply(sender_table *t, const Pmm__Envelope *env, int64_t now_us)
{
    if (!env->has_request_id || env->request_id.len != SENDER_REQUEST_ID_LEN)
        return;
    uint32_t idx;
    uint64_t seq;
    memcpy(&idx, env->request_id.data, 4);
    memcpy(&seq, env->request_id.data + 4, 8);
    if (idx >= (uint32_t)t->nslots)
        return;
    sender_slot *s = &t->slots[idx];
    if (!s->in_use || s->seq != seq)
        return;   /* a duplicate reply after a resend: already handled */
    sender_result r = {.seq = seq};
    if (env->type == PMM__MSG_TYPE__MSG_RECEIPT) {
        const Pmm__Receipt *rc = env->receipt;
        r.estado = rc->estado;
        r.id = rc->id;
        r.version = rc->version;
        r.server_time_us = rc->server_time_us;
        if (rc->error)
            copy_error(&r.err, rc->error->code, &rc->error->campo, &rc->error->regla,
                       &rc->error->mensaje);
        sender_table_finish(t, s, &r);
        return;
    }
    if (env->type == PMM__MSG_TYPE__MSG_ERROR) {
        const Pmm__Error *e = env->error;
        if (e->code == PMM__ERROR_CODE__ERR_BUSY ||
            e->code == PMM__ERROR_CODE__ERR_INTERNAL) {
            if (s->unsent) {   /* answered after all: no longer waiting for room */
                s->unsent = 0;
                t->nunsent--;
            }
            s->resend_at_us = now_us + SENDER_BUSY_PAUSE_US;
            return;
        }
        r.estado = PMM__ESTADO__ESTADO_RECHAZADA;
        copy_error(&r.err, e->code, &e->campo, &e->regla, &e->mensaje);
        sender_table_finish(t, s, &r);
    }
}
