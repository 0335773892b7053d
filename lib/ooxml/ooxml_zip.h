/* ooxml_zip.h -- the ZIP container of Word, Excel and OpenDocument files,
 * opened with libzip under limits, for files from people we do not control.
 *
 * The file is read into memory (at most OOXML_MAX_ARCHIVO bytes) and never
 * extracted to disk. Before anything is read, every entry is checked: a
 * name that climbs out of the package ("../", "/x", "C:", backslashes),
 * encryption, an unsupported compression method, more than
 * OOXML_MAX_ENTRADAS entries, declared sizes beyond OOXML_MAX_DESCOMPRIMIDO
 * (each and in total) or a compression ratio above OOXML_MAX_RAZON (each
 * entry and the whole file, once past OOXML_RAZON_DESDE bytes). Reads
 * count the bytes actually inflated against the same limits, since the
 * declared sizes may lie. An OLE compound file (D0 CF 11 E0: a
 * password-protected Office file, or .doc/.xls) is named as such.
 *
 * Messages are Spanish and name the entry; the caller adds the file name.
 * Rules: `archivo` (cannot be read), `max_tamano`, `formato` (not a ZIP),
 * `cifrado`, `zip` (damaged or truncated), `ruta`, `zip_bomba`.
 */
#ifndef PMM_OOXML_ZIP_H
#define PMM_OOXML_ZIP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"

#define OOXML_MAX_ARCHIVO (32u * 1024 * 1024)
#define OOXML_MAX_DESCOMPRIMIDO (64u * 1024 * 1024)
#define OOXML_MAX_RAZON 100
#define OOXML_RAZON_DESDE (1u * 1024 * 1024)
#define OOXML_MAX_ENTRADAS 4096

/* pmm_error codes (proto ErrorCode values; this layer does not link the
 * protocol) */
#define OOXML_ERR_INVALIDO 1
#define OOXML_ERR_MALFORMADO 3
#define OOXML_ERR_INTERNO 7

typedef struct ooxml_zip ooxml_zip;

/* Reads and checks the file at path. NULL with err. */
ooxml_zip *ooxml_zip_abrir(const char *path, pmm_error *err);
/* The same checks on bytes in memory (copied). */
ooxml_zip *ooxml_zip_de_memoria(const uint8_t *datos, size_t len, pmm_error *err);
void ooxml_zip_cerrar(ooxml_zip **self_p);

/* True when the package has the entry. */
int ooxml_zip_tiene(const ooxml_zip *z, const char *entrada);
/* Number of entries and the name of entry i (for checks such as a
 * vbaProject.bin anywhere). */
size_t ooxml_zip_entradas(const ooxml_zip *z);
const char *ooxml_zip_entrada(const ooxml_zip *z, size_t i);

/* The whole entry, NUL-terminated (malloc'd; *len without the NUL). NULL
 * with err, also when the entry is missing (rule `formato`). */
char *ooxml_zip_leer(ooxml_zip *z, const char *entrada, size_t *len, pmm_error *err);

/* An entry read piecewise (for XML too large to hold as a tree). */
typedef struct ooxml_flujo ooxml_flujo;
ooxml_flujo *ooxml_flujo_abrir(ooxml_zip *z, const char *entrada, pmm_error *err);
/* Up to n bytes; 0 at the end, -1 on error (see ooxml_flujo_error). */
ssize_t ooxml_flujo_leer(ooxml_flujo *f, char *buf, size_t n);
/* The error after a -1 (rule and message), or NULL. */
const pmm_error *ooxml_flujo_error(const ooxml_flujo *f);
void ooxml_flujo_cerrar(ooxml_flujo **f_p);

/* A Spanish text for an errno value (strerror speaks English). */
const char *ooxml_errno_texto(int e);

#endif
