/* consulta_opciones.h -- the options of `pmm totales`, `pmm ranking` and
 * `pmm participacion`, parsed in one place: years, dimensions, formats,
 * filters, --n and --orden, and the usage errors, which name the option and
 * the rule and point to the command's --help.
 */
#ifndef PMM_CLI_CONSULTA_OPCIONES_H
#define PMM_CLI_CONSULTA_OPCIONES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "error.h"

#define CONSULTA_ANIO_MIN 2018
#define CONSULTA_ANIO_MAX 2100

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

/* What a command accepts besides --ejercicio (required), --formato and
 * --help. */
enum {
    CONSULTA_OPC_POR = 1 << 0,      /* --por DIMENSIÓN */
    CONSULTA_OPC_FILTRO = 1 << 1,   /* --dependencia SIGLA | --entidad CLAVE */
    CONSULTA_OPC_N = 1 << 2,        /* --n N */
    CONSULTA_OPC_ORDEN = 1 << 3,    /* --orden desc|natural */
    /* pmm fichas: --objetivo --eje --subtema --ods --ambito
     * --estado-revision --buscar --pagina, and --orden natural|relevancia */
    CONSULTA_OPC_FICHAS = 1 << 4,
};

/* Review states accepted by --estado-revision (v_estado_revision,
 * 016_fichas.sql; aprobada and con_observaciones come with the review
 * tables of issue 18). */
#define CONSULTA_ESTADOS_REVISION "sin_revisar, revisada, aprobada o con_observaciones"

typedef struct {
    consulta_rango rango;
    consulta_formato formato;     /* default tabla */
    consulta_dim por;             /* default objetivo */
    const char *dependencia;      /* as given (argv), NULL when absent */
    const char *entidad;          /* as given, NULL when absent */
    size_t n;                     /* default 5 */
    bool desc;                    /* --orden desc */
    /* CONSULTA_OPC_FICHAS; 0 or NULL when absent */
    int objetivo, eje, ods;
    const char *subtema, *ambito, *estado_revision, *buscar;
    size_t pagina;
    bool relevancia;              /* --orden relevancia (default with --buscar) */
    bool orden_dado;
} consulta_opciones;

/* Parses the options of command `cmd` ("totales"). Returns 0 when the
 * command goes on with o filled; -1 when it must return *salida at once:
 * 0 after printing ayuda to stdout (--help), EXIT_USO after a usage error
 * on stderr (consulta_uso). --dependencia and --entidad are exclusive. */
int consulta_opciones_leer(const char *cmd, int argc, char **argv, unsigned acepta,
                           void (*ayuda)(FILE *out), consulta_opciones *o,
                           int *salida);

/* Prints "pmm <cmd>: <mensaje>" to stderr. */
void consulta_error(const char *cmd, const pmm_error *err);
/* A usage error: the message, then where the options are described;
 * returns EXIT_USO for the command to return. */
int consulta_uso(const char *cmd, const pmm_error *err);

#endif
