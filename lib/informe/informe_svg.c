/* informe_svg.c -- the charts of the HTML report, inline SVG
 * (informe_svg.h). */
#include "informe_svg.h"

#include <stdio.h>
#include <string.h>

#include "informe.h"
#include "informe_escape.h"
#include "informe_formato.h"

#define NENT REF_ENTIDADES

void barra_set(barra *b, const char *completa, size_t max_etiqueta, long long valor)
{
    strbuf s;
    strbuf_init(&s);
    if (max_etiqueta)
        informe_recortar(&s, completa, max_etiqueta);
    else
        strbuf_puts(&s, completa);
    snprintf(b->etiqueta, sizeof b->etiqueta, "%s", s.data ? s.data : "");
    snprintf(b->completa, sizeof b->completa, "%s", completa);
    b->valor = valor;
    strbuf_free(&s);
}

#define G_ANCHO 800
#define G_ETIQ 440
#define G_VALOR 96
#define G_FILA 20
#define G_LINEA 13      /* height of a further line of a wrapped label */
#define G_BARRA 14
#define G_MARGEN 6
#define G_CARACTERES 64 /* characters per line of a label (12px, 440px) */

/* Splits label into lines of at most G_CARACTERES code points at spaces
 * (a longer word gets a line of its own); returns the count and stores
 * where each line starts and its length in bytes. */
static size_t partir(const char *s, size_t ini[8], size_t len[8])
{
    size_t n = 0, i = 0, total = strlen(s);
    while (i < total && n < 8) {
        size_t chars = 0, j = i, corte = 0;
        while (j < total) {
            unsigned char c = (unsigned char)s[j];
            size_t l = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
            if (c == ' ') {
                if (chars > G_CARACTERES)
                    break;
                corte = j;
            }
            chars++;
            j += l;
        }
        if (j >= total && chars <= G_CARACTERES)
            corte = total;
        else if (!corte)
            corte = j;     /* one long word */
        if (n == 7)
            corte = total; /* the last line takes the rest */
        ini[n] = i;
        len[n] = corte - i;
        n++;
        i = corte;
        while (i < total && s[i] == ' ')
            i++;
    }
    return n ? n : 1;
}

void informe_svg_barras(strbuf *o, int g, const char *titulo, const barra *b,
                        size_t n, long long total, const char *color)
{
    char num[48], pct[32];
    long long max = 0;
    int alto = 2 * G_MARGEN;
    for (size_t i = 0; i < n; i++) {
        if (b[i].valor > max)
            max = b[i].valor;
        size_t ini[8], len[8];
        alto += G_FILA + ((int)partir(b[i].etiqueta, ini, len) - 1) * G_LINEA;
    }
    int ancho_barra = G_ANCHO - G_ETIQ - G_VALOR;
    strbuf_printf(o, "<figure class=\"grafica\" id=\"grafica-%d\">\n"
                     "<svg class=\"grafica\" role=\"img\" viewBox=\"0 0 %d %d\""
                     " width=\"%d\" height=\"%d\" aria-labelledby=\"g%d-t g%d-d\""
                     " xmlns=\"http://www.w3.org/2000/svg\">\n<title id=\"g%d-t\">",
                  g, G_ANCHO, alto, G_ANCHO, alto, g, g, g);
    informe_html_escape(o, titulo);
    strbuf_printf(o, "</title>\n<desc id=\"g%d-d\">", g);
    for (size_t i = 0; i < n; i++) {
        informe_html_escape(o, b[i].completa);
        strbuf_printf(o, ": %s%s", informe_numero(b[i].valor, num, sizeof num),
                      i + 1 < n ? "; " : ".");
    }
    strbuf_puts(o, "</desc>\n");
    strbuf_printf(o, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"eje\"/>\n",
                  G_ETIQ, G_MARGEN - 2, G_ETIQ, alto - G_MARGEN + 2);
    int y = G_MARGEN;
    for (size_t i = 0; i < n; i++) {
        size_t ini[8], len[8];
        size_t nl = partir(b[i].etiqueta, ini, len);
        int alto_fila = G_FILA + ((int)nl - 1) * G_LINEA;
        int w = max > 0 ? (int)((b[i].valor * ancho_barra + max / 2) / max) : 0;
        if (b[i].valor > 0 && w < 2)
            w = 2;
        /* the bar and its value on the label's last line */
        int yb = y + alto_fila - G_FILA;
        strbuf_puts(o, "<g><title>");
        informe_html_escape(o, b[i].completa);
        strbuf_printf(o, ": %s</title>", informe_numero(b[i].valor, num, sizeof num));
        strbuf_printf(o, "<text x=\"%d\" y=\"%d\" class=\"et\" text-anchor=\"end\">",
                      G_ETIQ - 8, y + G_FILA / 2 + 4);
        for (size_t k = 0; k < nl; k++) {
            strbuf lin;
            strbuf_init(&lin);
            strbuf_append(&lin, b[i].etiqueta + ini[k], len[k]);
            if (nl == 1) {
                informe_html_escape(o, lin.data ? lin.data : "");
            } else {
                strbuf_printf(o, "<tspan x=\"%d\" dy=\"%d\">", G_ETIQ - 8,
                              k == 0 ? 0 : G_LINEA);
                informe_html_escape(o, lin.data ? lin.data : "");
                strbuf_puts(o, "</tspan>");
            }
            strbuf_free(&lin);
        }
        strbuf_puts(o, "</text>");
        if (w > 0)
            strbuf_printf(o, "<rect class=\"barra\" x=\"%d\" y=\"%d\" width=\"%d\""
                             " height=\"%d\" fill=\"%s\"/>",
                          G_ETIQ, yb + (G_FILA - G_BARRA) / 2, w, G_BARRA, color);
        strbuf_printf(o, "<text x=\"%d\" y=\"%d\" class=\"val\">%s", G_ETIQ + w + 6,
                      yb + G_FILA / 2 + 4, num);
        if (total > 0)
            strbuf_printf(o, " (%s%s%%)", informe_pct(informe_decimas(b[i].valor, total), false,
                                                   pct, sizeof pct), INFORME_NBSP);
        strbuf_puts(o, "</text></g>\n");
        y += alto_fila;
    }
    strbuf_printf(o, "</svg>\n<figcaption>Gráfica %d. ", g);
    informe_html_escape(o, titulo);
    strbuf_puts(o, "</figcaption>\n</figure>\n");
}

/* The tile map: every state a square at a fixed place that keeps the rough
 * shape of the country (9 columns x 5 rows). */
static const struct {
    int clave, col, fila;
    const char *abrev;
} TESELAS[NENT] = {
    {1, 2, 2, "AGS"},  {2, 0, 0, "BC"},   {3, 0, 1, "BCS"},  {4, 7, 3, "CAMP"},
    {5, 3, 0, "COAH"}, {6, 1, 4, "COL"},  {7, 6, 4, "CHIS"}, {8, 2, 0, "CHIH"},
    {9, 4, 3, "CDMX"}, {10, 2, 1, "DGO"}, {11, 3, 2, "GTO"}, {12, 2, 4, "GRO"},
    {13, 5, 2, "HGO"}, {14, 1, 3, "JAL"}, {15, 3, 3, "MEX"}, {16, 2, 3, "MICH"},
    {17, 3, 4, "MOR"}, {18, 1, 2, "NAY"}, {19, 4, 0, "NL"},  {20, 5, 4, "OAX"},
    {21, 4, 4, "PUE"}, {22, 4, 2, "QRO"}, {23, 8, 3, "QROO"}, {24, 4, 1, "SLP"},
    {25, 1, 1, "SIN"}, {26, 1, 0, "SON"}, {27, 6, 3, "TAB"}, {28, 5, 1, "TAMPS"},
    {29, 5, 3, "TLAX"}, {30, 6, 2, "VER"}, {31, 8, 2, "YUC"}, {32, 3, 1, "ZAC"},
};

static const struct {
    const char *rotulo, *relleno, *texto;
} CLASES[4] = {
    {"Sin acciones", "#eef0f3", "#3e4c59"},
    {"1 a 3 acciones", "#c5d5e6", "#1f2933"},
    {"4 a 10 acciones", "#7b9bbf", "#10202f"},
    {"Más de 10 acciones", "#2e5883", "#ffffff"},
};

static int clase_de(long long n)
{
    return n <= 0 ? 0 : n <= 3 ? 1 : n <= 10 ? 2 : 3;
}

#define M_LADO 58
#define M_PASO 64

void informe_svg_mapa(strbuf *o, int g, const char *titulo,
                      const char *const nombres[NENT + 1],
                      const long long por_entidad[NENT + 1])
{
    char num[48];
    int ancho = 9 * M_PASO + 8, alto_mapa = 5 * M_PASO + 4, alto = alto_mapa + 56;
    strbuf_printf(o, "<figure class=\"mapa\" id=\"grafica-%d\">\n"
                     "<svg class=\"mapa\" role=\"img\" viewBox=\"0 0 %d %d\" width=\"%d\""
                     " height=\"%d\" aria-labelledby=\"g%d-t g%d-d\""
                     " xmlns=\"http://www.w3.org/2000/svg\">\n<title id=\"g%d-t\">",
                  g, ancho, alto, ancho, alto, g, g, g);
    informe_html_escape(o, titulo);
    strbuf_printf(o, "</title>\n<desc id=\"g%d-d\">Mapa de mosaicos: cada cuadro es una "
                     "entidad federativa en una posición aproximada a su ubicación. ", g);
    for (int c = 3; c >= 0; c--) {
        bool any = false;
        for (int k = 1; k <= NENT; k++) {
            if (clase_de(por_entidad[k]) != c)
                continue;
            if (!any)
                strbuf_printf(o, "%s: ", CLASES[c].rotulo);
            strbuf_printf(o, "%s%s", any ? ", " : "", nombres[k]);
            if (c > 0)
                strbuf_printf(o, " (%s)", informe_numero(por_entidad[k], num, sizeof num));
            any = true;
        }
        if (any)
            strbuf_puts(o, ". ");
    }
    strbuf_puts(o, "</desc>\n");
    for (int i = 0; i < NENT; i++) {
        int k = TESELAS[i].clave;
        int c = clase_de(por_entidad[k]);
        int x = 4 + TESELAS[i].col * M_PASO, y = 4 + TESELAS[i].fila * M_PASO;
        strbuf_puts(o, "<g><title>");
        informe_html_escape(o, nombres[k]);
        strbuf_printf(o, ": %s</title>", informe_numero(por_entidad[k], num, sizeof num));
        strbuf_printf(o, "<rect class=\"tesela\" data-entidad=\"%02d\" x=\"%d\" y=\"%d\""
                         " width=\"%d\" height=\"%d\" rx=\"4\" fill=\"%s\"/>",
                      k, x, y, M_LADO, M_LADO, CLASES[c].relleno);
        strbuf_printf(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" class=\"ab\""
                         " fill=\"%s\">%s</text>",
                      x + M_LADO / 2, y + 24, CLASES[c].texto, TESELAS[i].abrev);
        strbuf_printf(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" class=\"nm\""
                         " fill=\"%s\">%s</text></g>\n",
                      x + M_LADO / 2, y + 44, CLASES[c].texto, num);
    }
    /* legend */
    int lx = 4, ly = alto_mapa + 18;
    static const int ancho_clase[4] = {128, 120, 128, 150};
    for (int c = 0; c < 4; c++) {
        strbuf_printf(o, "<rect class=\"leyenda\" x=\"%d\" y=\"%d\" width=\"16\" height=\"16\""
                         " rx=\"2\" fill=\"%s\" stroke=\"#7b8794\" stroke-width=\"0.6\"/>"
                         "<text x=\"%d\" y=\"%d\" class=\"ley\">%s</text>\n",
                      lx, ly, CLASES[c].relleno, lx + 22, ly + 13, CLASES[c].rotulo);
        lx += ancho_clase[c];
    }
    strbuf_printf(o, "</svg>\n<figcaption>Gráfica %d. ", g);
    informe_html_escape(o, titulo);
    strbuf_puts(o, "</figcaption>\n</figure>\n");
}
