/* importar.h -- fichas from Word forms and spreadsheets (`pmm importar`).
 *
 * A file becomes a list of fichas, each built as the exchange contract's
 * JSON (docs/contrato-ficha.md) and then read and validated by the same
 * code as `pmm enviar` (ficha_from_json, ficha_validate_all). Where a value
 * comes from, what the importer proposed (figures found in a free text, a
 * year taken from the results period, a derived clave) and every problem
 * travel with the ficha, so that the dry run and the sent run print the
 * same things.
 *
 * Faults of the file itself (not a readable document, hostile content,
 * more than IMP_MAX_FICHAS fichas, bytes that are not UTF-8) refuse the
 * whole file: importar_archivo returns -1 and no ficha of it may be sent.
 *
 *   importar_campos.c    the form's fields: labels, help, contract paths
 *   importar_valores.c   numbers, dates, objectives, bodies, states as
 *                        people write them
 *   importar_ficha.c     the values of one ficha -> JSON -> Pmm__Ficha
 *   importar_documento.c Word/OpenDocument tables -> fichas
 *   importar_hoja.c      spreadsheet and CSV rows -> fichas
 *   importar.c           files and directories
 */
#ifndef PMM_IMPORTAR_H
#define PMM_IMPORTAR_H

#include <jansson.h>
#include <stddef.h>

#include "error.h"
#include "ficha.h"
#include "pmm.pb-c.h"
#include "refdata.h"

#define IMP_MAX_FICHAS 10000   /* per file */

typedef struct {
    const refdata *ref;
    ficha_rules reglas;
    int ejercicio;              /* --ejercicio, 0 = none */
    const char *dependencia;    /* --dependencia, NULL = none */
    const char *entidad;        /* --entidad, NULL = none */
} imp_opciones;

/* One ficha read from a file. */
typedef struct {
    const char *unidad;         /* "tabla" (documents) or "fila" (sheets) */
    size_t posicion;            /* the table or row number, 1-based */
    char *hoja;                 /* sheet name (multi-sheet workbooks), or NULL */
    Pmm__Ficha *f;              /* validated ficha, or NULL when refused */
    json_t *json;               /* a refused ficha as understood (contacto
                                   included); NULL for a valid one, whose
                                   fields are in f (see imp_ficha_json) */
    char clave[FICHA_MAX_CLAVE + 1];
    int clave_derivada;         /* the file had none: derived (importar_clave) */
    json_t *propuestos;         /* [{"campo","valor","origen"}]: values the
                                   importer inferred and reports */
    pmm_error *errs;            /* the first FICHA_MAX_ERRORES faults (heap;
                                   NULL when there are none) */
    size_t nerrs;               /* how many (may exceed what errs holds) */
} imp_ficha;

typedef struct {
    imp_ficha *v;
    size_t n, cap;
} imp_lista;

void imp_lista_liberar(imp_lista *l);

/* The ficha as understood, as contract JSON (a new reference; contacto
 * included), or NULL when out of memory. */
json_t *imp_ficha_json(const imp_ficha *f);

/* Reads every ficha of the file (.docx, .odt, .xlsx, .ods, .csv, told by
 * content). -1 with err (message naming what is wrong; the caller adds the
 * file name) when the file as a whole is refused; *out is then empty. */
int importar_archivo(const char *path, const imp_opciones *o, imp_lista *out, pmm_error *err);

/* True for names the directory walk imports (by extension, any case). */
int importar_extension_admitida(const char *nombre);

/* The clave of a ficha that has none: the emisor (siglas or "e" and the
 * INEGI code), the year, a readable head of the normalised programme name
 * and 10 hex digits of SHA-256 over "emisor|año|nombre normalizado" (see
 * docs/contrato-ficha.md). The same three data give the same clave. 0 or
 * -1 when something is missing. */
int importar_clave(const char *emisor, int ejercicio, const char *programa, char *out,
                   size_t cap);

#endif
