#include "log_limite.h"

void log_limite_init(log_limite *self, int per_minute)
{
    self->per_minute = per_minute > 0 ? per_minute : 1;
    self->window = 0;
    self->written = 0;
    self->suppressed = 0;
}

int log_limite_take(log_limite *self, time_t now, long *held)
{
    *held = 0;
    if (now - self->window >= 60) {
        self->window = now;
        self->written = 0;
    }
    if (self->written >= self->per_minute) {
        self->suppressed++;
        return 0;
    }
    self->written++;
    *held = self->suppressed;
    self->suppressed = 0;
    return 1;
}
