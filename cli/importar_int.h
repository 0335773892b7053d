/* importar_int.h -- the parts of importar.c's work done in other files
 * (internal to the importer). */
#ifndef PMM_IMPORTAR_INT_H
#define PMM_IMPORTAR_INT_H

#include "importar.h"
#include "importar_ficha.h"
#include "ooxml.h"

/* Appends one ficha built from v at unidad/posicion (hoja may be NULL). */
int imp_lista_agregar(imp_lista *l, const imp_valores *v, const imp_opciones *o,
                      const char *unidad, size_t posicion, const char *hoja, pmm_error *err);

/* The fichas of a Word/OpenDocument text's tables. */
int importar_documento(const ooxml_documento *doc, const imp_opciones *o, imp_lista *out,
                       pmm_error *err);

/* Spreadsheet rows: one reader state per file; imp_hoja_fila is an
 * ooxml_fila_fn (CSV rows come through it too, with hoja NULL). */
typedef struct imp_hoja imp_hoja;
imp_hoja *imp_hoja_new(const imp_opciones *o, imp_lista *out);
int imp_hoja_fila(void *user, const char *hoja, size_t fila, char *const *celdas, size_t n,
                  pmm_error *err);
/* Ends the file: -1 with err when no header row was found. */
int imp_hoja_fin(imp_hoja *h, pmm_error *err);
void imp_hoja_destroy(imp_hoja **h_p);

/* A CSV file's rows through fn (UTF-8, optional BOM, ',' or ';'). */
int importar_csv(const char *path, ooxml_fila_fn fn, void *user, pmm_error *err);

#endif
