/* celdas.h -- the totals cells a ficha's contribution counts in, summed per
 * cell over a batch: the one definition of that rule.
 *
 * Filters '' (everything), 'D:<sigla>' (a federal body's fichas),
 * 'E:<inegi>' (fichas of or in a state), each crossed with the cells
 * total, ambito, objetivo, eje, subtema, ods (one per SDG), ods_total,
 * meta, reto, dependencia, entidad, emisor; a cell counts once per
 * contribution. Both ways of keeping `totales` use it (aggregd/totales.c):
 * the incremental path expands a batch's deltas here, in aggregd's own
 * process, and sends PostgreSQL only the distinct cells (doing it in SQL
 * cost its backend more than the upsert itself); the full recompute sums
 * every current contribution here too. There is no second copy in SQL
 * (012_costuras.sql dropped pmm_filas); tests/unit/test_celdas.c checks the
 * rule against the published table.
 */
#ifndef PMM_CELDAS_H
#define PMM_CELDAS_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "strbuf.h"

/* One contribution. Lists are consecutive NUL-terminated strings (the
 * output of pgarray_split); NULL dependencia / entidad mean none. */
typedef struct {
    const char *emisor;
    const char *ambito;        /* federal | estatal */
    const char *dependencia;   /* NULL or sigla */
    const char *entidad;       /* NULL or the INEGI code as text ("5") */
    const char *objetivo;
    const char *eje;
    const char *subtema;
    const char *ods;           /* n_ods strings */
    int n_ods;
    const char *metas;
    int n_metas;
    const char *retos;
    int n_retos;
    long long cuenta[4];       /* acciones, personas, mujeres, hombres (NULL = 0) */
    bool absorbida;            /* counts under another ficha ("misma acción",
                                  016_fichas.sql): in no cell at all */
} contribucion;

typedef struct celdas celdas;

celdas *celdas_new(void);
void celdas_destroy(celdas **self);

/* Adds sign * the contribution to every cell it counts in, for `ejercicio`
 * (none when it is absorbed). Returns 0, or -1 when memory ran out. */
int celdas_add(celdas *self, int ejercicio, const contribucion *c, int sign);

/* The columns of an `agregados` row that celdas_add_result reads after
 * the sign, in its order; p prefixes each column (a row expression such as
 * "(x.a)." or ""). */
#define CELDAS_COLUMNAS(p)                                                    \
    p "ejercicio, " p "emisor, " p "ambito, " p "dependencia, " p "entidad, " \
    p "objetivo, " p "eje, " p "subtema, " p "ods, " p "metas, " p "retos, "  \
    p "acciones, " p "personas, " p "mujeres, " p "hombres, " p "absorbida"

/* Adds every row of a result whose columns are: sign (1 or -1),
 * ejercicio, emisor, ambito, dependencia, entidad, objetivo, eje, subtema,
 * ods, metas, retos (array literals), acciones, personas, mujeres, hombres
 * (NULL counts 0), absorbida (t/f), i.e. the sign then CELDAS_COLUMNAS. Returns the number
 * of rows with sign 1, or -1 with err when a row cannot be read or memory
 * ran out. */
long long celdas_add_result(celdas *self, const PGresult *res, pmm_error *err);

/* Distinct cells held (including those whose sums cancelled out). */
size_t celdas_count(const celdas *self);

/* Writes the non-zero cells as nine array literals, in unnest() column
 * order: ejercicio int[], filtro, dimension, valor text[], fichas,
 * acciones, personas, mujeres, hombres bigint[]. Returns the number of
 * cells written, or -1 when memory ran out. */
long celdas_arrays(const celdas *self, strbuf out[9]);

/* Splits a one-dimensional array literal as PostgreSQL prints it
 * ({a,"b c",""}) into its elements, appended to out as NUL-terminated
 * strings. Returns the number of elements, or -1 when the literal is
 * malformed or holds a NULL element (no contribution has one). */
int pgarray_split(const char *literal, strbuf *out);

#endif
