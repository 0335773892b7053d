/* envolver.h -- text for people, wrapped at word boundaries: the record
 * listings of `pmm fichas`, `pmm ficha`, `pmm duplicados` and `pmm
 * programas` never cut a name mid-word. */
#ifndef PMM_CLI_ENVOLVER_H
#define PMM_CLI_ENVOLVER_H

#include <stddef.h>
#include <stdio.h>

/* Writes s wrapped at `ancho` characters (UTF-8), each line after the
 * first indented by `sangria` spaces (the first is assumed to start at
 * column `sangria` already), and a newline. A word longer than a line is
 * written whole on its own line. */
void envolver(FILE *out, const char *s, size_t sangria, size_t ancho);

/* Number of characters (not bytes) of s[0..n). */
size_t envolver_ancho(const char *s, size_t n);

#endif
