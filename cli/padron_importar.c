/* padron_importar.c -- pmm padron importar ARCHIVO.csv: a unit's own
 * roster, all or nothing.
 *
 * The file (UTF-8, RFC 4180, a header row) has the columns
 *   tipo, clave, nombre, activo_desde            required
 *   sector, activo_hasta, sucesor, relacion      optional
 * in any order; clave is a body's acronym or a state's INEGI code (or
 * name); sucesor names another body (of the file or already in the
 * roster) and needs activo_hasta and relacion (renombrada | fusionada).
 * Every row is checked first and every error is listed (file, row,
 * column, rule); then, in one transaction, each body is added or, when
 * the roster has it, updated with the file's values (the file is
 * authoritative for its rows; bodies it does not name stay as they are),
 * and the links are set. One audit row names the file and the bodies.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <getopt.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analista.h"
#include "commands.h"
#include "csvfile.h"
#include "db.h"
#include "opciones.h"
#include "padron.h"
#include "utf8.h"

#define MAX_ERRORES 50

enum { C_TIPO, C_CLAVE, C_NOMBRE, C_SECTOR, C_DESDE, C_HASTA, C_SUCESOR, C_RELACION, NCOLS };
static const char *const COLUMNAS[NCOLS] = {"tipo", "clave", "nombre", "sector",
                                            "activo_desde", "activo_hasta", "sucesor",
                                            "relacion"};

typedef struct {
    size_t fila;
    char emisor[CUERPO_MAX], sucesor[CUERPO_MAX];
    char *v[NCOLS];     /* as read ("" when absent) */
} registro;

typedef struct {
    const char *path;
    const refdata *ref;
    int col[NCOLS];     /* column index of each field, -1 absent */
    registro *r;
    size_t n, cap;
    int errores;
} lectura;

static void fallo(lectura *l, size_t fila, const char *columna, const char *regla,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void fallo(lectura *l, size_t fila, const char *columna, const char *regla,
                  const char *fmt, ...)
{
    if (++l->errores > MAX_ERRORES)
        return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (columna)
        fprintf(stderr, "pmm padron importar: %s, fila %zu, columna %s: %s (regla %s)\n",
                l->path, fila, columna, msg, regla);
    else
        fprintf(stderr, "pmm padron importar: %s, fila %zu: %s (regla %s)\n", l->path, fila,
                msg, regla);
}

static int cabecera(lectura *l, char **f, size_t nf, pmm_error *err)
{
    for (int c = 0; c < NCOLS; c++)
        l->col[c] = -1;
    for (size_t i = 0; i < nf; i++) {
        int c = 0;
        while (c < NCOLS && strcmp(f[i], COLUMNAS[c]))
            c++;
        if (c == NCOLS)
            fallo(l, 1, f[i], "columna_desconocida",
                  "columna desconocida; las columnas son tipo, clave, nombre, sector, "
                  "activo_desde, activo_hasta, sucesor y relacion");
        else if (l->col[c] >= 0)
            fallo(l, 1, f[i], "columna_repetida", "la columna aparece dos veces");
        else
            l->col[c] = (int)i;
    }
    static const int req[] = {C_TIPO, C_CLAVE, C_NOMBRE, C_DESDE};
    for (size_t k = 0; k < sizeof req / sizeof req[0]; k++)
        if (l->col[req[k]] < 0)
            fallo(l, 1, COLUMNAS[req[k]], "columna_requerida", "falta la columna");
    (void)err;
    return 0;
}

static void comprobar(lectura *l, registro *r)
{
    size_t fila = r->fila;
    for (int c = 0; c < NCOLS; c++)
        if (!utf8_valid(r->v[c], strlen(r->v[c]))) {
            fallo(l, fila, COLUMNAS[c], "utf8", "no es texto UTF-8 válido");
            return;
        }
    const char *tipo = r->v[C_TIPO];
    bool tipo_ok = cuerpos_tipo_valido(tipo);
    if (!tipo_ok)
        fallo(l, fila, "tipo", "tipo",
              "«%s» no es un tipo (federal, estatal, autonomo, legislativo, judicial, "
              "sociedad_civil)", tipo);
    pmm_error err;
    pmm_error_clear(&err);
    bool estatal = tipo_ok && !strcmp(tipo, "estatal");
    if (!*r->v[C_CLAVE])
        fallo(l, fila, "clave", "requerido", "falta la clave del cuerpo");
    else if (cuerpo_emisor(l->ref, estatal ? NULL : r->v[C_CLAVE],
                           estatal ? r->v[C_CLAVE] : NULL, r->emisor, sizeof r->emisor, &err))
        fallo(l, fila, "clave", estatal ? "entidad" : "sigla", "«%s»: %s", r->v[C_CLAVE],
              estatal ? "no es una clave INEGI ni el nombre de una entidad"
                      : "debe ser una sigla de hasta 64 caracteres, sin «:»");
    const char *nom = r->v[C_NOMBRE];
    while (isspace((unsigned char)*nom))
        nom++;
    if (!*nom)
        fallo(l, fila, "nombre", "requerido", "falta el nombre del cuerpo");
    if (!cuerpos_fecha_valida(r->v[C_DESDE]))
        fallo(l, fila, "activo_desde", "fecha", "«%s» no es una fecha AAAA-MM-DD válida",
              r->v[C_DESDE]);
    const char *hasta = r->v[C_HASTA];
    if (*hasta && !cuerpos_fecha_valida(hasta))
        fallo(l, fila, "activo_hasta", "fecha", "«%s» no es una fecha AAAA-MM-DD válida", hasta);
    else if (*hasta && cuerpos_fecha_valida(r->v[C_DESDE]) && strcmp(hasta, r->v[C_DESDE]) < 0)
        fallo(l, fila, "activo_hasta", "vigencia", "%s es anterior a activo_desde (%s)", hasta,
              r->v[C_DESDE]);
    const char *suc = r->v[C_SUCESOR], *rel = r->v[C_RELACION];
    if (*suc) {
        bool suc_estatal = estatal;
        if (cuerpo_emisor(l->ref, suc_estatal ? NULL : suc, suc_estatal ? suc : NULL,
                          r->sucesor, sizeof r->sucesor, &err))
            fallo(l, fila, "sucesor", "sigla", "«%s» no nombra un cuerpo", suc);
        else if (!strcmp(r->sucesor, r->emisor))
            fallo(l, fila, "sucesor", "ciclo", "un cuerpo no puede ser su propio sucesor");
        if (!*hasta)
            fallo(l, fila, "activo_hasta", "sucesor_sin_cierre",
                  "un cuerpo con sucesor está cerrado: indique su último día");
        if (strcmp(rel, "renombrada") && strcmp(rel, "fusionada"))
            fallo(l, fila, "relacion", "relacion",
                  "con sucesor, relacion debe ser «renombrada» o «fusionada» (vale «%s»)", rel);
    } else if (*rel) {
        fallo(l, fila, "relacion", "relacion_sin_sucesor", "relacion sin sucesor");
    }
    for (size_t i = 0; i < l->n; i++)
        if (&l->r[i] != r && l->r[i].emisor[0] && !strcmp(l->r[i].emisor, r->emisor))
            fallo(l, fila, "clave", "repetida", "%s ya aparece en la fila %zu", r->emisor,
                  l->r[i].fila);
}

static int fila_csv(void *user, size_t row, char **f, size_t nf, pmm_error *err)
{
    lectura *l = user;
    if (row == 1)
        return cabecera(l, f, nf, err);
    if (nf == 1 && !*f[0])
        return 0;   /* blank line */
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        registro *r = realloc(l->r, cap * sizeof *r);
        if (!r)
            return pmm_error_set(err, 7, "", "memoria", "sin memoria");
        l->r = r;
        l->cap = cap;
    }
    registro *r = &l->r[l->n];
    memset(r, 0, sizeof *r);
    r->fila = row;
    for (int c = 0; c < NCOLS; c++) {
        const char *v = l->col[c] >= 0 && (size_t)l->col[c] < nf ? f[l->col[c]] : "";
        r->v[c] = strdup(v);
        if (!r->v[c])
            return pmm_error_set(err, 7, "", "memoria", "sin memoria");
    }
    l->n++;
    comprobar(l, r);
    return 0;
}

static void liberar(lectura *l)
{
    for (size_t i = 0; i < l->n; i++)
        for (int c = 0; c < NCOLS; c++)
            free(l->r[i].v[c]);
    free(l->r);
}

/* The transaction: bodies, then links, then the audit row. */
static int guardar(PGconn *db, lectura *l, const char *analista, long long *altas,
                   pmm_error *err)
{
    *altas = 0;
    json_t *lista = json_array();
    for (size_t i = 0; i < l->n; i++) {
        registro *r = &l->r[i];
        const char *params[] = {r->emisor, r->v[C_TIPO], r->v[C_NOMBRE],
                                *r->v[C_SECTOR] ? r->v[C_SECTOR] : NULL, r->v[C_DESDE],
                                *r->v[C_HASTA] ? r->v[C_HASTA] : NULL};
        PGresult *res = PQexecParams(
            db,
            "INSERT INTO padron AS p (emisor, tipo, nombre, sector, activo_desde, activo_hasta)"
            " VALUES ($1, $2, $3, $4, $5::date, $6::date)"
            " ON CONFLICT (emisor) DO UPDATE SET tipo = excluded.tipo,"
            "   nombre = excluded.nombre, sector = excluded.sector,"
            "   activo_desde = excluded.activo_desde, activo_hasta = excluded.activo_hasta,"
            "   sucesor = NULL, relacion = NULL"
            " RETURNING xmax = 0",
            6, NULL, params, NULL, NULL, 0);
        if (PQresultStatus(res) != PGRES_TUPLES_OK) {
            cuerpos_db_error(db, res, "guardar el padrón", err);
            PQclear(res);
            fallo(l, r->fila, NULL, err->regla, "%s", err->mensaje);
            json_decref(lista);
            return -1;
        }
        *altas += PQgetvalue(res, 0, 0)[0] == 't';
        PQclear(res);
        json_array_append_new(lista, json_string(r->emisor));
    }
    for (size_t i = 0; i < l->n; i++) {
        registro *r = &l->r[i];
        if (!r->sucesor[0])
            continue;
        const char *params[] = {r->emisor, r->sucesor, r->v[C_RELACION]};
        PGresult *res = PQexecParams(db,
                                     "UPDATE padron SET sucesor = $2, relacion = $3"
                                     " WHERE emisor = $1 AND EXISTS"
                                     " (SELECT 1 FROM padron s WHERE s.emisor = $2)",
                                     3, NULL, params, NULL, NULL, 0);
        if (PQresultStatus(res) != PGRES_COMMAND_OK) {
            cuerpos_db_error(db, res, "ligar el cuerpo a su sucesor", err);
            fallo(l, r->fila, "sucesor", err->regla, "%s", err->mensaje);
            PQclear(res);
            json_decref(lista);
            return -1;
        }
        bool hecho = !strcmp(PQcmdTuples(res), "1");
        PQclear(res);
        if (!hecho) {
            fallo(l, r->fila, "sucesor", "sucesor_desconocido",
                  "%s no está en el padrón ni en el archivo", r->sucesor);
            json_decref(lista);
            return pmm_error_set(err, 1, "sucesor", "sucesor_desconocido", "sucesor desconocido");
        }
    }
    json_t *d = json_pack("{s:s,s:I,s:I,s:o}", "archivo", l->path, "filas", (json_int_t)l->n,
                          "altas", (json_int_t)*altas, "cuerpos", lista);
    char *txt = d ? json_dumps(d, JSON_COMPACT) : NULL;
    json_decref(d);
    int rc = txt ? cuerpos_bitacora(db, analista, "padron_importar", 0, NULL, txt, err)
                 : pmm_error_set(err, 7, "", "memoria", "sin memoria");
    free(txt);
    return rc;
}

int padron_importar(int argc, char **argv, pmm_conf *conf)
{
    static const struct option opts[] = {{"analista", required_argument, NULL, 'a'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *analista_opc = NULL;
    int opt;
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (opt) {
        case 'a': analista_opc = optarg; break;
        case 'h':
            printf("Uso: pmm padron importar ARCHIVO.csv [--analista NOMBRE]\n\n"
                   "Carga el padrón propio de la unidad desde un CSV (UTF-8, con cabecera), "
                   "todo o\nnada en una transacción (administrador). Columnas, en cualquier "
                   "orden:\n"
                   "  tipo          federal, estatal, autonomo, legislativo, judicial o\n"
                   "                sociedad_civil (obligatoria)\n"
                   "  clave         sigla del cuerpo, o clave INEGI de la entidad "
                   "(obligatoria)\n"
                   "  nombre        nombre del cuerpo (obligatoria)\n"
                   "  activo_desde  primer día en que informa, AAAA-MM-DD (obligatoria)\n"
                   "  sector        su sector, para las tasas por sector\n"
                   "  activo_hasta  último día, si ya no informa\n"
                   "  sucesor       sigla del cuerpo que lo sucede (con activo_hasta y "
                   "relacion)\n"
                   "  relacion      renombrada o fusionada\n\n"
                   "Un cuerpo que ya está en el padrón toma los valores del archivo; los que "
                   "el\narchivo no nombra no cambian. Cada error dice archivo, fila, columna "
                   "y regla,\ny si hay alguno no se guarda nada.\n\n"
                   "  --analista NOMBRE  quién hace el cambio (si no, $PMM_ANALISTA o su "
                   "clave)\n\n"
                   "Ejemplo:\n  pmm padron importar padron-2024.csv\n");
            return 0;
        default: return cli_opcion_mala("padron importar", opt, argv);
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "pmm padron importar: indique un archivo CSV (pmm padron importar "
                        "--help)\n");
        return EXIT_USO;
    }
    const char *path = argv[optind];
    FILE *probe = fopen(path, "r");
    if (!probe) {
        fprintf(stderr, "pmm padron importar: no se puede leer %s: %s\n", path,
                errno == ENOENT   ? "no existe"
                : errno == EACCES ? "sin permiso de lectura"
                                  : "error al abrirlo");
        return EXIT_USO;
    }
    fclose(probe);
    pmm_error err;
    pmm_error_clear(&err);
    char analista[160];
    if (analista_nombre(conf, analista_opc, analista, sizeof analista, &err)) {
        fprintf(stderr, "pmm padron importar: %s\n", err.mensaje);
        return EXIT_USO;
    }
    refdata *ref = refdata_load(conf_data_dir(conf), &err);
    if (!ref) {
        fprintf(stderr, "pmm padron importar: %s\n", err.mensaje);
        return EXIT_USO;
    }
    lectura l = {.path = path, .ref = ref};
    int rc = EXIT_RECHAZO;
    if (csvfile_read(path, fila_csv, &l, &err) != 0) {
        if (!strcmp(err.regla, "csv"))
            fprintf(stderr, "pmm padron importar: %s no es un CSV válido (comillas sin cerrar "
                            "o un carácter fuera de lugar); revise la fila que sigue a la "
                            "última leída (%zu)\n",
                    path, l.n + 1);
        else
            fprintf(stderr, "pmm padron importar: %s\n", err.mensaje);
        goto out;
    }
    if (l.n == 0 && !l.errores) {
        fprintf(stderr, "pmm padron importar: %s no tiene filas de datos\n", path);
        goto out;
    }
    if (l.errores) {
        if (l.errores > MAX_ERRORES)
            fprintf(stderr, "pmm padron importar: … y %d errores más\n",
                    l.errores - MAX_ERRORES);
        fprintf(stderr, "pmm padron importar: %d %s; no se guardó nada\n", l.errores,
                l.errores == 1 ? "error" : "errores");
        goto out;
    }
    PGconn *db = cuerpos_admin(conf, "pmm-padron", &err);
    if (!db) {
        fprintf(stderr, "pmm padron importar: %s\n", err.mensaje);
        rc = EXIT_USO;
        goto out;
    }
    long long altas = 0;
    pmm_error ignored;
    if (db_exec(db, "BEGIN", &err) != 0 || guardar(db, &l, analista, &altas, &err) != 0) {
        db_exec(db, "ROLLBACK", &ignored);
        if (!l.errores)
            fprintf(stderr, "pmm padron importar: %s\n", err.mensaje);
        fprintf(stderr, "pmm padron importar: no se guardó nada\n");
        rc = err.code == 1 ? EXIT_RECHAZO : EXIT_USO;
    } else if (db_exec(db, "COMMIT", &err) != 0) {
        fprintf(stderr, "pmm padron importar: %s\n", err.mensaje);
        rc = EXIT_USO;
    } else {
        long long cambios = (long long)l.n - altas;
        printf("Padrón importado de %s: %lld %s, %lld %s.\n", path, altas,
               altas == 1 ? "alta" : "altas", cambios,
               cambios == 1 ? "cuerpo actualizado" : "cuerpos actualizados");
        rc = 0;
    }
    PQfinish(db);
out:
    liberar(&l);
    refdata_destroy(&ref);
    return rc;
}
