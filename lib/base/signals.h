/* signals.h -- SIGTERM/SIGINT ask a daemon's main loop to stop, SIGHUP to
 * reload its configuration. The handlers only set flags; the loop polls
 * them between batches, so no batch is cut in half. */
#ifndef PMM_SIGNALS_H
#define PMM_SIGNALS_H

#include <stdbool.h>

int signals_install(void);
bool signals_stop_requested(void);
/* True once per SIGHUP received. */
bool signals_take_reload(void);

#endif
