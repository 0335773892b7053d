/* informe_tabla.h -- the report's table model. A table is built once, as
 * typed cells, and every output format renders that one table, so the
 * HTML, Markdown and CSV forms of a table cannot disagree. */
#ifndef PMM_INFORME_TABLA_H
#define PMM_INFORME_TABLA_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

typedef enum { T_TEXTO, T_ENTERO, T_PCT, T_VAR } tipo_celda;

typedef struct {
    tipo_celda tipo;
    long long n;        /* integer, or tenths of a percent */
    bool vacia;         /* no value (printed as a dash, empty in CSV) */
    char *s;            /* text; in a numeric column, text instead of n */
    char *enlace;       /* HTML: the cell links there (tabla_enlace) */
} celda;

#define TABLA_MAX_COLS 8

typedef struct {
    const char *id;                        /* CSV table id and file name */
    char titulo[256];
    size_t ncols;
    const char *clave[TABLA_MAX_COLS];     /* CSV column name */
    const char *rotulo[TABLA_MAX_COLS];    /* printed header */
    tipo_celda tipo[TABLA_MAX_COLS];
    celda *c;                              /* row after row */
    size_t nceldas, cap;
    strbuf nota;                           /* printed after the table */
    bool ultima_total;     /* the last row is a total (bold in HTML) */
    bool failed;           /* out of memory while filling */
} tabla;

/* ncols columns, each given as three arguments: the CSV name, the printed
 * header and the kind as a char: 't' text, 'n' number, 'p' percent, 'v'
 * variation (a signed percent). */
void tabla_init(tabla *t, const char *id, const char *titulo, size_t ncols, ...);
void tabla_free(tabla *t);

/* The next cell, row after row. */
void tabla_txt(tabla *t, const char *s);
void tabla_num(tabla *t, long long n);
void tabla_vacia(tabla *t);
/* The last cell added links to url (HTML only: a count that opens the
 * list of its fichas in the Compendio). */
void tabla_enlace(tabla *t, const char *url);

size_t tabla_filas(const tabla *t);
const celda *tabla_celda_en(const tabla *t, size_t fila, size_t col);
/* The column holds numbers (right-aligned). */
bool tabla_col_num(const tabla *t, size_t col);
/* The cell as printed in HTML and Markdown, before escaping: grouped
 * numbers, "12.3" percents, "+1.5" variations, "–" for no value. */
const char *celda_texto(const celda *c, char *buf, size_t cap);

#endif
