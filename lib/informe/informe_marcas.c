/* informe_marcas.c -- the markup of each block, HTML and Markdown side by
 * side (informe_marcas.h). */
#include "informe_marcas.h"

static const char *const MARCA[M_NMARCAS][2] = {
    /*                   HTML                                  Markdown */
    [M_P] =             {"<p>",                                ""},
    [M_NOTA] =          {"<p class=\"nota\">",                 "_Nota:_ "},
    [M_P_FIN] =         {"</p>\n",                             "\n\n"},
    [M_H2_FIN] =        {"</h2>\n",                            "\n\n"},
    [M_SECCION_FIN] =   {"</section>\n",                       ""},
    [M_H3] =            {"<h3>",                               "### "},
    [M_H3_FIN] =        {"</h3>\n",                            "\n\n"},
    [M_INDICE] =        {"<nav class=\"indice\" aria-labelledby=\"indice-t\">"
                         "<h2 id=\"indice-t\">Contenido</h2>\n<ol>\n",
                                                               "**Contenido**\n\n"},
    [M_INDICE_ENTRADA_FIN] = {"</a></li>\n",                   "\n"},
    [M_INDICE_FIN] =    {"</ol>\n</nav>\n",                    "\n"},
    [M_CIFRAS] =        {"<ul class=\"cifras\">\n",            ""},
    [M_CIFRA] =         {"<li class=\"cifra\"><b>",            "- **"},
    [M_CIFRA_ROTULO] =  {"</b> <span>",                        "** "},
    [M_CIFRA_FIN] =     {"</span></li>\n",                     "\n"},
    [M_CIFRAS_FIN] =    {"</ul>\n",                            "\n"},
    [M_TABLA_CABECERA] = {"</caption>\n<thead><tr>",           "**\n\n|"},
    [M_TH_NUM] =        {"<th scope=\"col\" class=\"num\">",   " "},
    [M_TH] =            {"<th scope=\"col\">",                 " "},
    [M_TH_FIN] =        {"</th>",                              " |"},
    [M_CABECERA_FIN] =  {"</tr></thead>\n<tbody>\n",           "\n|"},
    [M_REGLA_NUM] =     {"",                                   " ---: |"},
    [M_REGLA] =         {"",                                   " --- |"},
    [M_REGLA_FIN] =     {"",                                   "\n"},
    [M_FILA] =          {"<tr>",                               "|"},
    [M_FILA_TOTAL] =    {"<tr class=\"total\">",               "|"},
    [M_TD_NUM] =        {"<td class=\"num\">",                 " "},
    [M_TD] =            {"<td>",                               " "},
    [M_TD_FIN] =        {"</td>",                              " |"},
    [M_FILA_FIN] =      {"</tr>\n",                            "\n"},
    [M_TABLA_FIN] =     {"</tbody>\n</table>\n",               "\n"},
    [M_LISTA] =         {"<dl class=\"metodo\">\n",            ""},
    [M_CAMPO] =         {"<dt>",                               "- **"},
    [M_CAMPO_TEXTO] =   {"</dt><dd>",                          ":** "},
    [M_CAMPO_FIN] =     {"</dd>\n",                            "\n"},
    [M_LISTA_FIN] =     {"</dl>\n",                            "\n"},
    [M_FICHA] =         {"<article class=\"ficha\">\n<h4>",    "#### "},
    [M_FICHA_CAMPOS] =  {"</h4>\n",                            "\n\n"},
    [M_FICHA_FIN] =     {"</article>\n",                       "\n"},
    [M_FICHA_ID] =      {"<p class=\"fid\">",                  "_"},
    [M_FICHA_ID_FIN] =  {"</p>\n",                             "_\n\n"},
    [M_FCAMPO] =        {"<p><b>",                             "- **"},
    [M_FCAMPO_TEXTO] =  {":</b> ",                             ":** "},
    [M_FCAMPO_FIN] =    {"</p>\n",                             "\n"},
    [M_GRUPO] =         {"<div class=\"retos-cat\"><h4>",      "**"},
    [M_GRUPO_CUENTA] =  {" <span class=\"n\">(",               "** ("},
    [M_GRUPO_CUENTA_FIN] = {")</span></h4>\n",                 ")\n\n"},
    [M_GRUPO_FIN] =     {"</div>\n",                           ""},
    [M_CITA] =          {"<blockquote><p>«",                   "> «"},
    [M_CITA_FIN] =      {"»</p></blockquote>\n",               "»\n\n"},
    [M_COLUMNAS] =      {"<div class=\"mapa-tabla\">\n<div>\n", ""},
    [M_COLUMNA] =       {"</div>\n<div>\n",                    ""},
    [M_COLUMNAS_FIN] =  {"</div>\n</div>\n",                   ""},
    [M_PIE] =           {"",                                   "_"},
    [M_PIE_FIN] =       {"",                                   "_\n"},
};

const char *informe_marca(informe_formato f, informe_marca_id m)
{
    if (m >= M_NMARCAS || (f != INFORME_HTML && f != INFORME_MD))
        return "";
    return MARCA[m][f == INFORME_HTML ? 0 : 1];
}
