/* log_limite.h -- at most N log lines of one kind per minute.
 *
 * A hostile or misconfigured peer can make a daemon refuse thousands of
 * connections or frames a second; each refusal deserves a line, but the
 * log must not become the attack. A limiter lets `per_minute` lines of its
 * kind through in each one-minute window and counts the rest, which the
 * first line of the next window reports ("y N más en el último minuto").
 */
#ifndef PMM_LOG_LIMITE_H
#define PMM_LOG_LIMITE_H

#include <time.h>

typedef struct {
    int per_minute;
    time_t window;     /* start of the current window */
    int written;       /* lines written in it */
    long suppressed;   /* lines held back in the previous windows */
} log_limite;

void log_limite_init(log_limite *self, int per_minute);

/* Whether a line may be written now (`now` in seconds). When it may and
 * lines were held back before, *held gets their number (else 0). */
int log_limite_take(log_limite *self, time_t now, long *held);

#endif
