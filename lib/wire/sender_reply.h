/* sender_reply.h -- internal to the sender (lib/wire): the table of fichas
 * in flight and the matching of a collector's reply to the ficha it
 * answers. No socket here: sender.c sends and times; this part decides
 * what a reply means. Split out so that the fuzz harness (tests/fuzz) and
 * the unit tests can drive reply handling with any envelope a peer can
 * send, without a network.
 */
#ifndef PMM_SENDER_REPLY_H
#define PMM_SENDER_REPLY_H

#include <stddef.h>
#include <stdint.h>

#include "pmm.pb-c.h"
#include "sender.h"

/* request id = slot index (4 bytes) + seq (8 bytes), host byte order: O(1)
 * lookup, and a late reply for a slot that was reused does not match. */
#define SENDER_REQUEST_ID_LEN 12

/* Pause before resending a ficha the collector answered ERR_BUSY or
 * ERR_INTERNAL (it could not commit). */
#define SENDER_BUSY_PAUSE_US 200000

typedef struct {
    int in_use;
    uint64_t seq;
    uint8_t *packed;        /* the SUBMIT envelope, kept for resends */
    size_t packed_len;
    int64_t resend_at_us;   /* > 0: waiting to resend after ERR_BUSY */
    int unsent;             /* the last send found no room: retry when writable */
    int64_t sent_at_us;     /* when it last went out */
} sender_slot;

/* The fichas in flight. push receives each ficha's result exactly once. */
typedef struct {
    sender_slot *slots;
    int nslots;
    int inflight;           /* slots in use */
    int nunsent;            /* slots in use with unsent set */
    sender_push_fn push;
    void *user;
} sender_table;

void sender_request_id(uint8_t id[SENDER_REQUEST_ID_LEN], int slot_index, uint64_t seq);

/* Reports r through push and frees the slot. */
void sender_table_finish(sender_table *t, sender_slot *s, const sender_result *r);

/* Handles one decoded reply (as wire_recv returns it: the type carries its
 * body). A RECEIPT, or an ERROR other than ERR_BUSY/ERR_INTERNAL, finishes
 * the ficha it names; ERR_BUSY/ERR_INTERNAL schedules a resend at now_us +
 * SENDER_BUSY_PAUSE_US. A reply whose request id is missing, malformed,
 * out of range or names a slot no longer waiting (a duplicate after a
 * resend) is ignored, as is any other type. */
void sender_table_reply(sender_table *t, const Pmm__Envelope *env, int64_t now_us);

#endif
