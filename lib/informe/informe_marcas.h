/* informe_marcas.h -- the markup around each kind of block of a document,
 * in HTML and in Markdown, kept side by side in one table (informe_marcas.c)
 * so the two formats describe the same blocks. Text between the marks is
 * escaped for its format; CSV has no marks (it holds tables only). */
#ifndef PMM_INFORME_MARCAS_H
#define PMM_INFORME_MARCAS_H

#include "informe.h"

typedef enum {
    M_P, M_NOTA, M_P_FIN,                        /* paragraph, note */
    M_H2_FIN, M_SECCION_FIN,                     /* after a section title; end */
    M_H3, M_H3_FIN,
    M_INDICE, M_INDICE_ENTRADA_FIN, M_INDICE_FIN,
    M_CIFRAS, M_CIFRA, M_CIFRA_ROTULO, M_CIFRA_FIN, M_CIFRAS_FIN,
    M_TABLA_CABECERA,                            /* after the table title */
    M_TH_NUM, M_TH, M_TH_FIN, M_CABECERA_FIN,
    M_REGLA_NUM, M_REGLA, M_REGLA_FIN,           /* Markdown's |---| row */
    M_FILA, M_FILA_TOTAL, M_TD_NUM, M_TD, M_TD_FIN, M_FILA_FIN, M_TABLA_FIN,
    M_LISTA, M_CAMPO, M_CAMPO_TEXTO, M_CAMPO_FIN, M_LISTA_FIN,
    M_FICHA, M_FICHA_CAMPOS, M_FICHA_FIN,        /* a ficha of the Compendio */
    M_FICHA_ID, M_FICHA_ID_FIN,                  /* its identifier line */
    M_FCAMPO, M_FCAMPO_TEXTO, M_FCAMPO_FIN,      /* a field of a ficha */
    M_GRUPO, M_GRUPO_CUENTA, M_GRUPO_CUENTA_FIN, M_GRUPO_FIN,
    M_CITA, M_CITA_FIN,
    M_COLUMNAS, M_COLUMNA, M_COLUMNAS_FIN,       /* blocks side by side */
    M_PIE, M_PIE_FIN,
    M_NMARCAS,
    M_NINGUNA = M_NMARCAS                        /* no mark */
} informe_marca_id;

/* The mark in format f (INFORME_HTML or INFORME_MD); "" when the format
 * has none there, for M_NINGUNA, and always for INFORME_CSV. */
const char *informe_marca(informe_formato f, informe_marca_id m);

#endif
