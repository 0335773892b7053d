/* consulta.h -- what `pmm totales`, `pmm ranking` and `pmm participacion`
 * share, one module each:
 *   consulta_opciones   the options (years, dimensions, formats, filters)
 *                       and usage errors, parsed by one function
 *   consulta_ref        names and the taxonomy, over the reference data
 *   consulta_tabla      tables of counts per value and year; ranking
 *   consulta_db         reading `totales` over a read-only connection
 *   consulta_salida     CSV fields, cut names, aligned text tables
 */
#ifndef PMM_CLI_CONSULTA_H
#define PMM_CLI_CONSULTA_H

#include "consulta_db.h"
#include "consulta_opciones.h"
#include "consulta_ref.h"
#include "consulta_salida.h"
#include "consulta_tabla.h"

#endif
