/* importar_ficha.h -- the values found for one ficha (raw texts by field,
 * and the older form's free-text cells) turned into an imp_ficha: parsed,
 * completed from the options, figures proposed, clave derived, read by the
 * contract's JSON reader and validated. */
#ifndef PMM_IMPORTAR_FICHA_H
#define PMM_IMPORTAR_FICHA_H

#include "importar.h"
#include "importar_campos.h"

#define IMP_MAX_CAMPOS 32

typedef struct {
    char *valor[IMP_MAX_CAMPOS];   /* raw text by field index (imp_campo_at) */
    char *descripcion_libre;       /* older form: one cell each */
    char *resultados_libre;
    char *contacto_libre;
    int periodo;                   /* year of the results heading, or 0 */
} imp_valores;

/* Sets a raw value (a copy; joined with a newline to what was there). */
int imp_valores_poner(imp_valores *v, char **slot, const char *texto);
void imp_valores_liberar(imp_valores *v);
int imp_valores_vacio(const imp_valores *v);

/* Fills out (unidad, posicion and hoja are the caller's). 0, or -1 when
 * out of memory. */
int importar_ficha(const imp_valores *v, const imp_opciones *o, imp_ficha *out);

#endif
