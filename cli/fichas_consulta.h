/* fichas_consulta.h -- the fichas behind a total: the SQL of `pmm fichas`.
 *
 * It reads `agregados`, the contribution each ficha counts with now, which
 * aggregd keeps in the same transaction as `totales` by the one cells rule
 * (aggregd/celdas.c): a filter here means what it means there, so the
 * number of fichas listed equals the totals cell of the same filter at
 * every instant:
 *   --objetivo/--eje/--subtema/--ambito  the contribution's value (analyst
 *                                        decisions included)
 *   --ods N        N among the counted SDGs (fichas with results only,
 *                  unless an analyst decided them)
 *   --dependencia  federal fichas of that body (filter D:<sigla>)
 *   --entidad      fichas of or in that state (filter E:<inegi>): state
 *                  governments' and federal fichas carried out there
 *   absorbed fichas ("misma acción") are not listed: they count nowhere
 * --estado-revision and --buscar narrow further (no totals cell has them).
 */
#ifndef PMM_CLI_FICHAS_CONSULTA_H
#define PMM_CLI_FICHAS_CONSULTA_H

#include <libpq-fe.h>
#include <stddef.h>

#include "consulta_opciones.h"
#include "error.h"

/* Rows per page of `pmm fichas`. */
#define FICHAS_POR_PAGINA 50
/* With --buscar, a page (the table form) is ranked among the first
 * FICHAS_CANDIDATOS matches, and they are counted up to one more. */
#define FICHAS_CANDIDATOS 1000

/* Columns of fichas_listar's result, in order. */
enum {
    FC_ID, FC_CLAVE, FC_EMISOR, FC_EJERCICIO, FC_VERSION, FC_PROGRAMA, FC_OBJETIVO,
    FC_EJE, FC_SUBTEMA, FC_ODS, FC_CON_RESULTADOS, FC_ESTADO, FC_PARTICIPANTES,
    FC_RANGO, FC_FRAGMENTO
};

/* The totals cell that the filters of o equal, as (dimension, valor), or
 * 0 when they match no single cell (two dimensions, a review state or a
 * search). filtro is the D:/E: filter of consulta_filtro. */
int fichas_celda(const consulta_opciones *o, const char **dimension, char *valor,
                 size_t cap);

/* Lists the page of fichas (o->pagina, 1 when 0; every row when `todas`)
 * matching o and filtro ("", "D:<sigla>", "E:<inegi>"). Returns the
 * result or NULL with err. */
PGresult *fichas_listar(PGconn *db, const consulta_opciones *o, const char *filtro,
                        int todas, pmm_error *err);

/* How many fichas match: the totals cell when the filters are one
 * (fichas_celda), else a count (with --buscar, at most
 * FICHAS_CANDIDATOS + 1). Returns 0 or -1 with err. */
int fichas_contar(PGconn *db, const consulta_opciones *o, const char *filtro,
                  long long *n, pmm_error *err);

#endif
