/* consulta_tabla.h -- the tables of counts of the query commands: one row
 * per value of a dimension and, per row, the measures of each year of the
 * requested range.
 *
 * Rows carry their position in the dimension's natural order (objectives
 * 1..23, SDGs 1..17, states by INEGI code, axes and sub-topics in taxonomy
 * order, ámbitos federal then estatal); values outside the domain (a body, a
 * sub-topic of another taxonomy) sort after it, by value.
 */
#ifndef PMM_CLI_CONSULTA_TABLA_H
#define PMM_CLI_CONSULTA_TABLA_H

#include <stdbool.h>
#include <stddef.h>

#include "consulta_opciones.h"
#include "consulta_ref.h"

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

#endif
