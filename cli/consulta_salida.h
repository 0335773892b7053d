/* consulta_salida.h -- what the query commands print besides JSON: CSV
 * fields (RFC 4180) and aligned text tables that wrap names to the
 * terminal's width. */
#ifndef PMM_CLI_CONSULTA_SALIDA_H
#define PMM_CLI_CONSULTA_SALIDA_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include <stdio.h>

/* After writing the output of command cmd to stdout: 0, or EXIT_USO after
 * saying on stderr that it could not be written. */
int consulta_fin_salida(const char *cmd);
/* j as indented JSON (2 spaces) and a newline; releases j. */
void consulta_json(FILE *out, json_t *j);
/* One CSV field, quoted when it needs to be (informe_escape.h). */
void consulta_csv_campo(FILE *out, const char *s);

/* Characters per line of out's terminal (TIOCGWINSZ), else $COLUMNS, else
 * 0: no limit (a file or a pipe gets whole lines). */
size_t consulta_ancho_terminal(FILE *out);

/* An aligned text table: cells are copied; numbers right-aligned. When it
 * is wider than the terminal (consulta_ancho_terminal), the widest
 * left-aligned columns are narrowed and their cells wrapped between words
 * (never below a column's longest word): names are never cut. */
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

#endif
