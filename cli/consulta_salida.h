/* consulta_salida.h -- what the query commands print besides JSON: CSV
 * fields (RFC 4180), names cut for a terminal, and aligned text tables. */
#ifndef PMM_CLI_CONSULTA_SALIDA_H
#define PMM_CLI_CONSULTA_SALIDA_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include <stdio.h>

/* Names are cut to this many characters in text tables (not in CSV/JSON). */
#define CONSULTA_NOMBRE_TABLA 56

/* After writing the output of command cmd to stdout: 0, or EXIT_USO after
 * saying on stderr that it could not be written. */
int consulta_fin_salida(const char *cmd);
/* j as indented JSON (2 spaces) and a newline; releases j. */
void consulta_json(FILE *out, json_t *j);
/* One CSV field, quoted when it needs to be (informe_escape.h). */
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

#endif
