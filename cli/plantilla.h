/* plantilla.h -- the forms `pmm plantilla` hands out, empty or filled with
 * fichas (the round-trip tests and the benchmark fill them). Labels, help
 * texts and columns come from importar_campos.h, so what is written is what
 * the importer reads.
 *
 *   docx  the Word form: title, instructions, one table of label + value
 *         rows (sections for the description, the results of the
 *         reporting period of `ejercicio`, and the private contact), and an
 *         annex with the 23 objectives.
 *   xlsx  sheet "fichas": a Spanish label row, the contract's paths as
 *         header, one row per ficha, drop-down lists for ambito,
 *         objetivo_pmm, entidad and temporalidad; sheet "instrucciones";
 *         sheet "listas" (the lists' values).
 *   csv   the paths as header (UTF-8 with BOM), one row per ficha.
 */
#ifndef PMM_PLANTILLA_H
#define PMM_PLANTILLA_H

#include <jansson.h>
#include <stddef.h>

#include "error.h"
#include "refdata.h"

/* ambito: "federal" or "estatal"; ficha: a ficha in the contract's JSON to
 * fill the form with, or NULL. Written atomically. */
int plantilla_docx(const refdata *ref, int ejercicio, const char *ambito, const json_t *ficha,
                   const char *path, pmm_error *err);

/* fichas[0..n): rows to fill in (n may be 0). constante: libxlsxwriter's
 * constant-memory mode (rows streamed to disk, inline strings), for very
 * long sheets. */
int plantilla_xlsx(const refdata *ref, int ejercicio, const char *ambito,
                   json_t *const *fichas, size_t n, int constante, const char *path,
                   pmm_error *err);

int plantilla_csv(json_t *const *fichas, size_t n, const char *path, pmm_error *err);

#endif
