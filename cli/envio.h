/* envio.h -- what `pmm enviar` and `pmm importar --enviar` share: fichas
 * registered in input order, refused before sending or handed to the
 * sender (lib/wire/sender.c), and one result printed per ficha in input
 * order, as text or JSON, with the summary and the exit code of
 * docs/contrato-ficha.md §6.
 *
 * Where a ficha came from is the caller's: `pmm enviar` gives its line
 * ("línea 3", JSON "linea"), `pmm importar` its file and table or row
 * ("ficha.docx, tabla 1", JSON "archivo" and "tabla"/"fila"). An importer's
 * extras (proposed values, derived clave) travel as a JSON object merged
 * into the JSON line and as text lines printed under the human one.
 */
#ifndef PMM_ENVIO_H
#define PMM_ENVIO_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "ficha.h"
#include "sender.h"

typedef struct envio envio;

envio *envio_new(int json, const char *programa);
void envio_destroy(envio **e_p);
/* A progress bar on standard error for `total` fichas (0: a counter). */
void envio_progreso(envio *e, size_t total);

typedef struct {
    const char *archivo;   /* NULL: located by line only */
    const char *unidad;    /* "linea", "tabla" or "fila" */
    size_t posicion;
    const char *hoja;      /* or NULL (copied) */
    const char *clave;     /* "" when unknown */
    json_t *extra;         /* members added to the JSON line (stolen), or NULL */
    char *nota;            /* lines printed under the human line (stolen), or NULL */
} envio_origen;

/* Registers the next ficha of the input; *seq is its number for the
 * sender. -1 when out of memory. */
int envio_registrar(envio *e, envio_origen *o, uint64_t *seq);
/* The ficha of seq was refused before sending, with n faults (errs[0] the
 * first; at most FICHA_MAX_ERRORES kept). */
void envio_rechazar(envio *e, uint64_t seq, const pmm_error *errs, size_t n);
/* A dry run's verdict for a valid ficha: printed as "válida". */
void envio_valida(envio *e, uint64_t seq);
/* The sender's push callback (user = the envio). */
void envio_resultado(void *user, const sender_result *r);

/* Prints what is left and the summary; returns the exit code (0, 1 or 2)
 * given the sender's return code and whether the input was aborted. */
int envio_terminar(envio *e, int rc_sender, int abortado, int simulacro);

#endif
