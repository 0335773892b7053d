/* error.h -- the error every fallible function hands back to its caller.
 *
 * A refusal of user input names the field (`campo`), the rule (`regla`) and
 * says it in Spanish (`mensaje`), because it ends up in front of the staff of
 * a reporting body. Internal failures use campo "" and a rule such as
 * "postgresql" or "zeromq".
 */
#ifndef PMM_ERROR_H
#define PMM_ERROR_H

#include <stdarg.h>

#define PMM_ERR_CAMPO 96
#define PMM_ERR_REGLA 48
#define PMM_ERR_MENSAJE 512

typedef struct {
    int code;                       /* Pmm__ErrorCode value, 0 when none */
    char campo[PMM_ERR_CAMPO];
    char regla[PMM_ERR_REGLA];
    char mensaje[PMM_ERR_MENSAJE];
} pmm_error;

void pmm_error_clear(pmm_error *err);
/* Sets err and returns -1, so callers can `return pmm_error_set(...)`. */
int pmm_error_set(pmm_error *err, int code, const char *campo,
                  const char *regla, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
int pmm_error_vset(pmm_error *err, int code, const char *campo,
                   const char *regla, const char *fmt, va_list ap);

/* A Spanish description of an errno value, for messages people read
 * (strerror's is English: no program sets a locale). */
const char *pmm_strerror(int errnum);

/* Prepends "<prefix>: " to err->mensaje (truncating the end if needed). */
void pmm_error_prefix(pmm_error *err, const char *prefix);

#endif
