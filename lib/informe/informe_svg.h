/* informe_svg.h -- the charts of the HTML report as inline SVG (no script,
 * no external resource): horizontal bars and the tile map of the states.
 * Each is a <figure> numbered g ("Gráfica g") whose text alternative
 * (<title>, <desc>) carries every value. */
#ifndef PMM_INFORME_SVG_H
#define PMM_INFORME_SVG_H

#include <stddef.h>

#include "refdata.h"
#include "strbuf.h"

typedef struct {
    char etiqueta[400];    /* printed next to the bar, wrapped on words */
    char completa[400];    /* full label, for the text alternative */
    long long valor;
} barra;

/* A bar labelled with completa, cut to max_etiqueta characters when
 * max_etiqueta is not 0 (0: the whole label, wrapped over as many lines as
 * it needs; published names are never cut). */
void barra_set(barra *b, const char *completa, size_t max_etiqueta, long long valor);

/* A horizontal bar chart; with total > 0 each value also shows its share. */
void informe_svg_barras(strbuf *o, int g, const char *titulo, const barra *b,
                        size_t n, long long total, const char *color);

/* The tile map: every state a square at a fixed place that keeps the rough
 * shape of the country, coloured by its value (nombres and por_entidad are
 * indexed by INEGI code 1..32). */
void informe_svg_mapa(strbuf *o, int g, const char *titulo,
                      const char *const nombres[REF_ENTIDADES + 1],
                      const long long por_entidad[REF_ENTIDADES + 1]);

#endif
