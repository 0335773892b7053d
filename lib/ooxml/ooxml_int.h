/* ooxml_int.h -- helpers shared by the readers of lib/ooxml (internal). */
#ifndef PMM_OOXML_INT_H
#define PMM_OOXML_INT_H

#include "ooxml.h"
#include "ooxml_xml.h"
#include "strbuf.h"

#define OOXML_NS_REL_PKG "http://schemas.openxmlformats.org/package/2006/relationships"
#define OOXML_NS_REL_DOC "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define OOXML_NS_REL_DOC_STRICT "http://purl.oclc.org/ooxml/officeDocument/relationships"

int ooxml_oom(pmm_error *err);

/* The document being built: ooxml_doc_* append to its last table/row. */
typedef struct {
    ooxml_documento *doc;
    size_t celdas;           /* cells so far, against OOXML_MAX_CELDAS */
} ooxml_constructor;

int ooxml_doc_tabla(ooxml_constructor *c, pmm_error *err);
int ooxml_doc_fila(ooxml_constructor *c, pmm_error *err);
/* Appends a cell with a copy of texto (trailing newlines dropped). */
int ooxml_doc_celda(ooxml_constructor *c, const char *texto, size_t len, size_t columnas,
                    pmm_error *err);
int ooxml_doc_parrafo(ooxml_constructor *c, const char *texto, size_t len, pmm_error *err);

/* The target of the relationship of type ending in `tipo` ("/officeDocument")
 * or with id `id`, from the .rels part of `parte` ("" for the package),
 * resolved to a package path (malloc'd), or NULL (err set only on a fault
 * other than absence: *falta tells). */
char *ooxml_relacion(ooxml_zip *z, const char *parte, const char *tipo, const char *id,
                     pmm_error *err);

/* Appends a cell value from an xlsx/ods number: shortest form that reads
 * back the same, no exponent for integers up to 1e15. */
void ooxml_numero(strbuf *b, double v);
/* A spreadsheet serial day (1900 system; 1904 when set) as AAAA-MM-DD. */
void ooxml_fecha_serial(strbuf *b, double serial, int sistema_1904);

int ooxml_docx_leer(ooxml_zip *z, ooxml_constructor *c, pmm_error *err);
int ooxml_odt_leer(ooxml_zip *z, ooxml_constructor *c, pmm_error *err);
int ooxml_xlsx_leer(ooxml_zip *z, ooxml_fila_fn fn, void *user, pmm_error *err);
int ooxml_ods_leer(ooxml_zip *z, ooxml_fila_fn fn, void *user, pmm_error *err);

/* Row assembly for the spreadsheet readers: cells by column, emitted with
 * the row when it has something in it. */
typedef struct {
    char **celdas;          /* OOXML_MAX_COLUMNAS slots, NULL = empty */
    size_t n;               /* last non-empty column + 1 */
} ooxml_fila_buf;

int ooxml_fila_poner(ooxml_fila_buf *f, size_t col, const char *texto, size_t len,
                     pmm_error *err);
/* Calls fn for the row when it is not empty and clears it. */
int ooxml_fila_emitir(ooxml_fila_buf *f, ooxml_fila_fn fn, void *user, const char *hoja,
                      size_t fila, pmm_error *err);
void ooxml_fila_liberar(ooxml_fila_buf *f);

#endif
