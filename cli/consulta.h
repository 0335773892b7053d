/* consulta.h -- what `pmm totales`, `pmm ranking` and `pmm participacion`
 * share: parsing years, dimensions and formats; the domain of each dimension
 * (every objective, SDG and state is shown even at zero); reading the
 * `totales` table (and nothing else) over a read-only connection; ordering;
 * and writing aligned text tables, CSV (RFC 4180) and JSON.
 *
 * A consulta_tabla holds one row per value of a dimension and, per row, the
 * measures of each year of the requested range. Rows carry their position in
 * the dimension's natural order (objectives 1..23, SDGs 1..17, states by INEGI
 * code, axes and sub-topics in taxonomy order, ámbitos federal then estatal);
 * values outside the domain (a body, a sub-topic of another taxonomy) sort
 * after it, by value.
 */
#ifndef PMM_CLI_CONSULTA_H
#define PMM_CLI_CONSULTA_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "conf.h"
#include "error.h"
#include "refdata.h"

#define CONSULTA_ANIO_MIN 2018
#define CONSULTA_ANIO_MAX 2100
/* Names are cut to this many characters in text tables (not in CSV/JSON). */
#define CONSULTA_NOMBRE_TABLA 56

typedef enum { CONSULTA_TABLA, CONSULTA_CSV, CONSULTA_JSON } consulta_formato;

/* Years desde..hasta, both included (desde == hasta for a single year). */
typedef struct {
    int desde, hasta;
} consulta_rango;

typedef enum {
    DIM_OBJETIVO,
    DIM_EJE,
    DIM_SUBTEMA,
    DIM_ODS,
    DIM_DEPENDENCIA,
    DIM_ENTIDAD,
    DIM_AMBITO,
    DIM_EMISOR,      /* "D:<sigla>" or "E:<inegi>": who sent the fichas */
    DIM_ODS_TOTAL    /* one row, valor "": fichas with at least one SDG */
} consulta_dim;

/* "2022" or "2018-2022", each year within CONSULTA_ANIO_MIN..MAX. The error
 * names the option (`opcion`, e.g. "--ejercicio") and the rule. */
int consulta_rango_parse(const char *opcion, const char *text,
                         consulta_rango *out, pmm_error *err);
size_t consulta_rango_anios(const consulta_rango *r);
/* "2022" or "2018-2022" into buf. */
const char *consulta_rango_texto(const consulta_rango *r, char *buf, size_t cap);

/* tabla | csv | json */
int consulta_formato_parse(const char *text, consulta_formato *out,
                           pmm_error *err);
/* The values of --por: objetivo eje subtema ods dependencia entidad ambito. */
int consulta_dim_parse(const char *text, consulta_dim *out, pmm_error *err);
/* The dimension as stored in totales.dimension ("objetivo", ...). */
const char *consulta_dim_clave(consulta_dim d);
/* Spanish column header ("Objetivo", "Ámbito", ...). */
const char *consulta_dim_titulo(consulta_dim d);
/* --n of ranking: 1..23. */
int consulta_n_parse(const char *text, size_t *out, pmm_error *err);

/* ---- reference data: names and domains -------------------------------- */

typedef struct consulta_ref consulta_ref;

/* getopt_long ("with ":" first in optstring) returned ':' or '?': fills err
 * naming the option (missing value, unknown option). */
void consulta_opcion_mala(int opt, char **argv, pmm_error *err);
/* -1 with err when arguments are left after the options. */
int consulta_sobrantes(int argc, char **argv, pmm_error *err);
/* consulta_ref_load with the configuration's data dir and taxonomy. */
struct pmm_conf;
consulta_ref *consulta_ref_conf(const struct pmm_conf *conf, pmm_error *err);

/* The reference data (refdata.h) and the taxonomy named `taxonomia` in
 * it (the error names clasificador.taxonomia when there is none). */
consulta_ref *consulta_ref_load(const char *data_dir, const char *taxonomia,
                                pmm_error *err);
void consulta_ref_destroy(consulta_ref **self_p);
const refdata *consulta_ref_refdata(const consulta_ref *self);
const char *consulta_ref_taxonomia(const consulta_ref *self);
/* Spanish label of a value as stored in totales.valor; "" when unknown. */
const char *consulta_nombre(const consulta_ref *self, consulta_dim d,
                            const char *valor);

/* ---- tables of counts -------------------------------------------------- */

typedef struct {
    long long fichas, acciones, personas, mujeres, hombres;
} consulta_medidas;

typedef struct {
    char *valor;          /* as in totales.valor */
    const char *nombre;   /* owned by the reference data; never NULL */
    int orden;            /* position in the domain; INT_MAX outside it */
    consulta_medidas *m;  /* one per year: m[i] is year rango.desde + i */
} consulta_fila;

typedef struct {
    consulta_dim dim;
    consulta_rango rango;
    size_t nanios;
    const consulta_ref *ref;    /* may be NULL (no names) */
    consulta_fila *filas;
    size_t n, cap;
} consulta_tabla;

void consulta_tabla_init(consulta_tabla *t, consulta_dim d,
                         const consulta_rango *r, const consulta_ref *ref);
void consulta_tabla_free(consulta_tabla *t);
/* Adds, at zero, every value the dimension always shows: objectives 1..23,
 * SDGs 1..17, states 01..32, the axes and sub-topics of the taxonomy, both
 * ámbitos. Bodies have no fixed domain (those in the totals are shown).
 * Returns -1 only when out of memory. */
int consulta_tabla_dominio(consulta_tabla *t);
/* Adds m to the cell (valor, anio); a value not yet present gets a row.
 * Years outside the range are ignored. Returns -1 when out of memory. */
int consulta_tabla_sumar(consulta_tabla *t, int anio, const char *valor,
                         const consulta_medidas *m);
/* The row of valor, or NULL. */
consulta_fila *consulta_tabla_buscar(const consulta_tabla *t, const char *valor);
/* Sum of f's measures over the range. */
consulta_medidas consulta_fila_suma(const consulta_tabla *t,
                                    const consulta_fila *f);
/* Sum over the rows of year index i (0..nanios-1), or of the whole range
 * when i == (size_t)-1. */
consulta_medidas consulta_tabla_total(const consulta_tabla *t, size_t i);
/* Natural order, or fichas over the range descending (ties: natural). */
void consulta_tabla_ordenar(consulta_tabla *t, bool desc);

/* One place of a ranking. */
typedef struct {
    size_t fila;      /* index into t->filas */
    int lugar;        /* 1-based, standard competition ranking (1, 2, 2, 4) */
    long long fichas; /* over the range */
    bool empate;      /* another row of the table has the same count */
} consulta_puesto;

/* The rows with most (mas) or fewest fichas over the range whose place is at
 * most n, so a tie at the cut keeps every tied row. out needs t->n slots.
 * Ties are listed in natural order. Returns how many were written. */
size_t consulta_ranking(const consulta_tabla *t, size_t n, bool mas,
                        consulta_puesto *out);

/* ---- PostgreSQL -------------------------------------------------------- */

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

/* ---- output ------------------------------------------------------------ */

/* One CSV field, quoted when it needs to be. */
void consulta_csv_campo(FILE *out, const char *s);
/* s cut to at most max characters (UTF-8), with "…" when cut. */
const char *consulta_recortar(const char *s, size_t max, char *buf,
                              size_t cap);

/* An aligned text table: cells are copied; numbers right-aligned. */
typedef struct {
    size_t ncols;
    bool *derecha;
    char **celdas;     /* nfilas * ncols */
    bool *linea;       /* row i is a horizontal rule */
    size_t nfilas, cap;
    bool failed;
} consulta_grilla;

void consulta_grilla_init(consulta_grilla *g, size_t ncols);
/* Column c is right-aligned. */
void consulta_grilla_derecha(consulta_grilla *g, size_t c);
/* Adds a row of ncols cells (NULL cells print empty). */
void consulta_grilla_fila(consulta_grilla *g, const char *const *celdas);
/* Adds a horizontal rule. */
void consulta_grilla_linea(consulta_grilla *g);
void consulta_grilla_imprimir(const consulta_grilla *g, FILE *out);
void consulta_grilla_free(consulta_grilla *g);

/* Prints "pmm <cmd>: <mensaje>" to stderr. */
void consulta_error(const char *cmd, const pmm_error *err);

/* A usage error: the message, then where the options are described;
 * returns EXIT_USO for the command to return. */
int consulta_uso(const char *cmd, const pmm_error *err);

#endif
