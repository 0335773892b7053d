/* consulta_opciones.c -- the options of the query commands (see
 * consulta_opciones.h). */
#include "consulta_opciones.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "opciones.h"
#include "refdata.h"

#define ERR_USO 1        /* Pmm__ErrorCode ERR_INVALID */

/* A year of 4 digits in s[0..n), or -1. */
static int parse_anio(const char *s, size_t n)
{
    if (n != 4)
        return -1;
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int consulta_rango_parse(const char *opcion, const char *text,
                         consulta_rango *out, pmm_error *err)
{
    if (!text || !*text)
        return pmm_error_set(err, ERR_USO, opcion, "requerido",
                             "%s es obligatoria: un año (p. ej. 2022) o un "
                             "rango (p. ej. 2018-2022)", opcion);
    const char *dash = strchr(text, '-');
    size_t n1 = dash ? (size_t)(dash - text) : strlen(text);
    int a = parse_anio(text, n1);
    int b = dash ? parse_anio(dash + 1, strlen(dash + 1)) : a;
    if (a < 0 || b < 0)
        return pmm_error_set(err, ERR_USO, opcion, "formato",
                             "%s: «%.40s» no es un año de cuatro cifras (p. ej. "
                             "2022) ni un rango de años (p. ej. 2018-2022)",
                             opcion, text);
    int malo = a < CONSULTA_ANIO_MIN || a > CONSULTA_ANIO_MAX ? a
             : b < CONSULTA_ANIO_MIN || b > CONSULTA_ANIO_MAX ? b : 0;
    if (malo)
        return pmm_error_set(err, ERR_USO, opcion, "rango",
                             "%s: el año %d está fuera de rango; los ejercicios "
                             "van de %d a %d", opcion, malo, CONSULTA_ANIO_MIN,
                             CONSULTA_ANIO_MAX);
    if (a > b)
        return pmm_error_set(err, ERR_USO, opcion, "orden",
                             "%s: en el rango «%.40s» el primer año debe ser "
                             "menor o igual que el segundo", opcion, text);
    out->desde = a;
    out->hasta = b;
    return 0;
}

size_t consulta_rango_anios(const consulta_rango *r)
{
    return (size_t)(r->hasta - r->desde + 1);
}

const char *consulta_rango_texto(const consulta_rango *r, char *buf, size_t cap)
{
    if (r->desde == r->hasta)
        snprintf(buf, cap, "%d", r->desde);
    else
        snprintf(buf, cap, "%d-%d", r->desde, r->hasta);
    return buf;
}

int consulta_formato_parse(const char *text, consulta_formato *out,
                           pmm_error *err)
{
    if (!strcmp(text, "tabla"))
        *out = CONSULTA_TABLA;
    else if (!strcmp(text, "csv"))
        *out = CONSULTA_CSV;
    else if (!strcmp(text, "json"))
        *out = CONSULTA_JSON;
    else
        return pmm_error_set(err, ERR_USO, "--formato", "valor",
                             "--formato: «%.40s» no es un formato; use tabla, "
                             "csv o json", text);
    return 0;
}

static const struct {
    const char *clave;
    const char *titulo;
} dims[] = {
    [DIM_OBJETIVO] = {"objetivo", "Objetivo"},
    [DIM_EJE] = {"eje", "Eje"},
    [DIM_SUBTEMA] = {"subtema", "Subtema"},
    [DIM_ODS] = {"ods", "ODS"},
    [DIM_DEPENDENCIA] = {"dependencia", "Dependencia"},
    [DIM_ENTIDAD] = {"entidad", "Entidad"},
    [DIM_AMBITO] = {"ambito", "Ámbito"},
    [DIM_EMISOR] = {"emisor", "Emisor"},
    [DIM_ODS_TOTAL] = {"ods_total", "Fichas con ODS"},
};

int consulta_dim_parse(const char *text, consulta_dim *out, pmm_error *err)
{
    for (int d = DIM_OBJETIVO; d <= DIM_AMBITO; d++)
        if (!strcmp(text, dims[d].clave)) {
            *out = (consulta_dim)d;
            return 0;
        }
    return pmm_error_set(err, ERR_USO, "--por", "valor",
                         "--por: «%.40s» no es una dimensión; use objetivo, eje, "
                         "subtema, ods, dependencia, entidad o ambito", text);
}

const char *consulta_dim_clave(consulta_dim d)
{
    return dims[d].clave;
}

const char *consulta_dim_titulo(consulta_dim d)
{
    return dims[d].titulo;
}

int consulta_n_parse(const char *text, size_t *out, pmm_error *err)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || end == text || *end || v < 1 || v > REF_OBJETIVOS)
        return pmm_error_set(err, ERR_USO, "--n", "rango",
                             "--n: «%.40s» no es válido; debe ser un número de "
                             "objetivos entre 1 y %d", text, REF_OBJETIVOS);
    *out = (size_t)v;
    return 0;
}

/* ---- the shared parser -------------------------------------------------- */

static int orden_parse(const char *text, bool *desc, pmm_error *err)
{
    bool d = !strcmp(text, "desc");
    if (!d && strcmp(text, "natural"))
        return pmm_error_set(err, ERR_USO, "--orden", "valor",
                             "--orden: «%.40s» no es válido; use desc (de más a menos "
                             "fichas) o natural", text);
    *desc = d;
    return 0;
}

/* An integer lo..hi for option `opcion`, or -1 with err. */
static int entero(const char *opcion, const char *arg, long lo, long hi, const char *que,
                  int *out, pmm_error *err)
{
    char *end;
    errno = 0;
    long v = strtol(arg, &end, 10);
    if (errno || end == arg || *end || v < lo || v > hi)
        return pmm_error_set(err, ERR_USO, opcion, "rango",
                             "%s: «%.40s» no es válido; debe ser %s, un número del %ld "
                             "al %ld", opcion, arg, que, lo, hi);
    *out = (int)v;
    return 0;
}

static int fichas_orden_parse(const char *text, bool *relevancia, pmm_error *err)
{
    bool r = !strcmp(text, "relevancia");
    if (!r && strcmp(text, "natural"))
        return pmm_error_set(err, ERR_USO, "--orden", "valor",
                             "--orden: «%.40s» no es válido; use natural (año, emisor, "
                             "clave) o relevancia (con --buscar)", text);
    *relevancia = r;
    return 0;
}

static int estado_parse(const char *text, pmm_error *err)
{
    static const char *const estados[] = {"sin_revisar", "revisada", "aprobada",
                                          "con_observaciones"};
    for (size_t i = 0; i < sizeof estados / sizeof estados[0]; i++)
        if (!strcmp(text, estados[i]))
            return 0;
    return pmm_error_set(err, ERR_USO, "--estado-revision", "valor",
                         "--estado-revision: «%.40s» no es un estado de revisión; use "
                         CONSULTA_ESTADOS_REVISION, text);
}

/* The value of one option into o; -1 with err when it is not valid. */
static int opcion(int opt, const char *arg, consulta_opciones *o, const char **ejercicio,
                  unsigned acepta, pmm_error *err)
{
    int v = 0;
    switch (opt) {
    case 'O':
        return entero("--objetivo", arg, 1, REF_OBJETIVOS, "un objetivo del PMM",
                      &o->objetivo, err);
    case 'J':
        return entero("--eje", arg, 1, 9, "un eje temático", &o->eje, err);
    case 'S':
        if (!*arg)
            return pmm_error_set(err, ERR_USO, "--subtema", "valor",
                                 "--subtema necesita el código de un subtema (p. ej. salud)");
        o->subtema = arg;
        return 0;
    case 'D':
        return entero("--ods", arg, 1, 17, "un Objetivo de Desarrollo Sostenible",
                      &o->ods, err);
    case 'A':
        if (strcmp(arg, "federal") && strcmp(arg, "estatal"))
            return pmm_error_set(err, ERR_USO, "--ambito", "valor",
                                 "--ambito: «%.40s» no es válido; use federal o estatal", arg);
        o->ambito = arg;
        return 0;
    case 'R':
        o->estado_revision = arg;
        return estado_parse(arg, err);
    case 'B':
        if (!*arg)
            return pmm_error_set(err, ERR_USO, "--buscar", "valor",
                                 "--buscar necesita un texto (p. ej. \"repatriación de "
                                 "niñas\")");
        o->buscar = arg;
        return 0;
    case 'P':
        if (entero("--pagina", arg, 1, 1000000, "una página", &v, err))
            return -1;
        o->pagina = (size_t)v;
        return 0;
    case 'e':
        *ejercicio = arg;
        return 0;
    case 'p':
        return consulta_dim_parse(arg, &o->por, err);
    case 'd':
        o->dependencia = arg;
        return 0;
    case 'n':
        o->entidad = arg;
        return 0;
    case 'N':
        return consulta_n_parse(arg, &o->n, err);
    case 'f':
        return consulta_formato_parse(arg, &o->formato, err);
    case 'o':
        o->orden_dado = true;
        if (acepta & CONSULTA_OPC_FICHAS)
            return fichas_orden_parse(arg, &o->relevancia, err);
        return orden_parse(arg, &o->desc, err);
    default:
        return -1;
    }
}

int consulta_opciones_leer(const char *cmd, int argc, char **argv, unsigned acepta,
                           void (*ayuda)(FILE *out), consulta_opciones *o, int *salida)
{
    /* in the order of the commands' --help */
    static const struct {
        unsigned si;     /* accepted with this flag; 0: always */
        struct option op;
    } todas[] = {
        {0, {"ejercicio", required_argument, NULL, 'e'}},
        {CONSULTA_OPC_POR, {"por", required_argument, NULL, 'p'}},
        {CONSULTA_OPC_FILTRO, {"dependencia", required_argument, NULL, 'd'}},
        {CONSULTA_OPC_FILTRO, {"entidad", required_argument, NULL, 'n'}},
        {CONSULTA_OPC_N, {"n", required_argument, NULL, 'N'}},
        {0, {"formato", required_argument, NULL, 'f'}},
        {CONSULTA_OPC_FICHAS, {"objetivo", required_argument, NULL, 'O'}},
        {CONSULTA_OPC_FICHAS, {"eje", required_argument, NULL, 'J'}},
        {CONSULTA_OPC_FICHAS, {"subtema", required_argument, NULL, 'S'}},
        {CONSULTA_OPC_FICHAS, {"ods", required_argument, NULL, 'D'}},
        {CONSULTA_OPC_FICHAS, {"ambito", required_argument, NULL, 'A'}},
        {CONSULTA_OPC_FICHAS, {"estado-revision", required_argument, NULL, 'R'}},
        {CONSULTA_OPC_FICHAS, {"buscar", required_argument, NULL, 'B'}},
        {CONSULTA_OPC_FICHAS, {"pagina", required_argument, NULL, 'P'}},
        {CONSULTA_OPC_ORDEN | CONSULTA_OPC_FICHAS, {"orden", required_argument, NULL, 'o'}},
        {0, {"help", no_argument, NULL, 'h'}},
    };
    struct option opts[sizeof todas / sizeof todas[0] + 1];
    size_t k = 0;
    for (size_t i = 0; i < sizeof todas / sizeof todas[0]; i++)
        if (!todas[i].si || (acepta & todas[i].si))
            opts[k++] = todas[i].op;
    opts[k] = (struct option){NULL, 0, NULL, 0};

    *o = (consulta_opciones){.formato = CONSULTA_TABLA, .por = DIM_OBJETIVO, .n = 5};
    const char *ejercicio = NULL;
    pmm_error err;
    pmm_error_clear(&err);
    int opt;
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        if (opt == 'h') {
            ayuda(stdout);
            *salida = 0;
            return -1;
        }
        if (opt == ':' || opt == '?') {
            *salida = cli_opcion_mala(cmd, opt, argv);
            return -1;
        }
        if (opcion(opt, optarg, o, &ejercicio, acepta, &err))
            goto uso;
    }
    if (optind != argc) {
        *salida = cli_argumento_sobrante(cmd, argv[optind]);
        return -1;
    }
    if (consulta_rango_parse("--ejercicio", ejercicio, &o->rango, &err))
        goto uso;
    if (o->dependencia && o->entidad) {
        pmm_error_set(&err, ERR_USO, "--dependencia", "exclusion",
                      "--dependencia y --entidad no se pueden usar juntas: los "
                      "totales se guardan por dependencia o por entidad");
        goto uso;
    }
    if (o->relevancia && !o->buscar) {
        pmm_error_set(&err, ERR_USO, "--orden", "requiere",
                      "--orden relevancia solo tiene sentido con --buscar");
        goto uso;
    }
    if (o->buscar && !o->orden_dado)
        o->relevancia = true;
    return 0;
uso:
    *salida = consulta_uso(cmd, &err);
    return -1;
}

void consulta_error(const char *cmd, const pmm_error *err)
{
    fprintf(stderr, "pmm %s: %s\n", cmd, err->mensaje);
}

int consulta_uso(const char *cmd, const pmm_error *err)
{
    fprintf(stderr, "pmm %s: %s; vea pmm %s --help\n", cmd, err->mensaje, cmd);
    return EXIT_USO;
}
