/* consulta_db.h -- the query commands read the `totales` table, and nothing
 * else, over a read-only connection. */
#ifndef PMM_CLI_CONSULTA_DB_H
#define PMM_CLI_CONSULTA_DB_H

#include <libpq-fe.h>

#include "conf.h"
#include "consulta_tabla.h"
#include "error.h"

/* Connects with [postgresql] lectura when set (a read-only role), else
 * conninfo, and opens a READ ONLY REPEATABLE READ transaction so every
 * query of the command sees the same totals. */
PGconn *consulta_conectar(const pmm_conf *conf, const char *app,
                          pmm_error *err);
/* Ends the transaction and the connection. */
void consulta_desconectar(PGconn *db);
/* Adds the rows of totales (range, filtro, dimension) to t. */
int consulta_leer(PGconn *db, consulta_tabla *t, const char *filtro,
                  const char *dimension, pmm_error *err);

/* What every query command reads: completes the domain of each of the n
 * tables (consulta_tabla_dominio) and adds their rows of totales for
 * filtro (each its own dimension) over one read-only connection named app.
 * On failure prints "pmm <cmd>: <mensaje>" and returns -1. */
int consulta_cargar(const char *cmd, const pmm_conf *conf, const char *app,
                    const char *filtro, consulta_tabla *const *tablas, size_t n);

#endif
