/* pmm respaldo -- backups of the database with pgBackRest (administrators).
 *
 *   pmm respaldo iniciar                       stanza-create + check
 *   pmm respaldo crear [--tipo completo|diferencial|incremental]
 *   pmm respaldo listar [--formato tabla|json]
 *   pmm respaldo verificar                     check + verify
 *
 * The repository, stanza, retention and compression come from pmm.conf
 * [respaldo] (see pgbackrest.h); PostgreSQL's archive_command pushes the
 * WAL to the same repository. Restores are deploy/restaurar.sh (the
 * embedded stack) or the procedure in deploy/README.md (a server).
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "opciones.h"
#include "db.h"
#include "pgbackrest.h"

/* The archiver's view from PostgreSQL (pg_stat_archiver, readable by any
 * role): when the last segment reached the repository, and failures. */
typedef struct {
    int ok;
    char ultimo[40];          /* last archived time, in the unit's zone */
    double hace_s;            /* seconds since then; -1 unknown */
    char ultimo_wal[64];
    long long fallidos;
    char ultimo_fallo[40];
} archiver_status;

static void archiver(pmm_conf *conf, archiver_status *a)
{
    memset(a, 0, sizeof *a);
    a->hace_s = -1;
    pmm_error err;
    pmm_error_clear(&err);
    PGconn *db = db_connect(conf_conninfo(conf, NULL), "pmm-respaldo",
                            &err);
    if (!db)
        return;
    const char *params[] = {conf_zona_horaria(conf)};
    PGresult *res = PQexecParams(
        db,
        "SELECT coalesce(to_char(last_archived_time AT TIME ZONE $1,"
        "                        'YYYY-MM-DD HH24:MI:SS'), ''),"
        "       coalesce(extract(epoch FROM now() - last_archived_time)::text, '-1'),"
        "       coalesce(last_archived_wal, ''), failed_count,"
        "       coalesce(to_char(last_failed_time AT TIME ZONE $1,"
        "                        'YYYY-MM-DD HH24:MI:SS'), '')"
        "  FROM pg_stat_archiver",
        1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
        a->ok = 1;
        snprintf(a->ultimo, sizeof a->ultimo, "%s", PQgetvalue(res, 0, 0));
        a->hace_s = strtod(PQgetvalue(res, 0, 1), NULL);
        snprintf(a->ultimo_wal, sizeof a->ultimo_wal, "%s", PQgetvalue(res, 0, 2));
        a->fallidos = strtoll(PQgetvalue(res, 0, 3), NULL, 10);
        snprintf(a->ultimo_fallo, sizeof a->ultimo_fallo, "%s", PQgetvalue(res, 0, 4));
    }
    PQclear(res);
    PQfinish(db);
}

/* An epoch time in the unit's time zone ([general] zona_horaria). */
static void local_time(pmm_conf *conf, json_int_t t, char *buf, size_t len)
{
    setenv("TZ", conf_zona_horaria(conf), 1);
    tzset();
    time_t tt = (time_t)t;
    struct tm tm;
    if (!localtime_r(&tt, &tm) || !strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm))
        snprintf(buf, len, "?");
}

static const char *tipo_es(const char *t)
{
    if (!strcmp(t, "full"))
        return "completo";
    if (!strcmp(t, "diff"))
        return "diferencial";
    if (!strcmp(t, "incr"))
        return "incremental";
    return t;
}

/* pgBackRest's stanza status codes (info command). */
static const char *estado_es(json_int_t code)
{
    switch (code) {
    case 0: return "correcto";
    case 1: return "el repositorio no tiene la stanza (pmm respaldo iniciar)";
    case 2: return "sin respaldos válidos (pmm respaldo crear)";
    case 3: return "faltan datos de la stanza en el repositorio";
    case 4: return "los repositorios no coinciden";
    case 5: return "la base de datos no coincide con la del repositorio";
    case 6: return "hay un respaldo o una caducidad en curso";
    default: return "error en el repositorio";
    }
}

/* Runs a command; on failure prints the Spanish explanation and returns
 * non-zero. With out, keeps the standard output (owned by the caller). */
static int run(const pgbr_opts *o, const char *cmd, const char *const *args, char **out)
{
    pgbr_result r;
    pmm_error err;
    pmm_error_clear(&err);
    if (pgbr_run(o, cmd, args, &r, &err) != 0) {
        fprintf(stderr, "pmm respaldo: %s\n", err.mensaje);
        return EXIT_USO;
    }
    if (r.status != 0) {
        char why[1024];
        pgbr_explain(o, cmd, r.status, why, sizeof why);
        fprintf(stderr, "pmm respaldo: %s\n", why);
        pgbr_result_free(&r);
        return EXIT_RECHAZO;
    }
    if (out)
        *out = r.out;
    else
        pgbr_result_free(&r);
    return 0;
}

/* pgBackRest's `info --output=json` for our stanza (an array of one). */
static json_t *info(const pgbr_opts *o, int *rc)
{
    static const char *const args[] = {"--output=json", NULL};
    char *out = NULL;
    *rc = run(o, "info", args, &out);
    if (*rc != 0)
        return NULL;
    json_error_t jerr;
    json_t *j = json_loads(out, 0, &jerr);
    free(out);
    json_t *stanza = json_is_array(j) ? json_array_get(j, 0) : NULL;
    if (!stanza) {
        fprintf(stderr, "pmm respaldo: pgBackRest dio una respuesta ilegible a «info»\n");
        json_decref(j);
        *rc = EXIT_USO;
        return NULL;
    }
    json_incref(stanza);
    json_decref(j);
    return stanza;
}

static double mb(json_t *v)
{
    return (double)json_integer_value(v) / (1024.0 * 1024.0);
}

static int iniciar(const pgbr_opts *o)
{
    int rc = run(o, "stanza-create", NULL, NULL);
    if (rc == 0)
        rc = run(o, "check", NULL, NULL);
    if (rc == 0)
        printf("stanza «%s» lista en el repositorio; el WAL llega a él. Cree el primer "
               "respaldo con: pmm respaldo crear\n", o->stanza);
    return rc;
}

static int crear(const pgbr_opts *o, const char *tipo)
{
    const char *type = !strcmp(tipo, "completo")      ? "full"
                       : !strcmp(tipo, "diferencial") ? "diff"
                       : !strcmp(tipo, "incremental") ? "incr"
                                                      : NULL;
    if (!type) {
        fprintf(stderr, "pmm respaldo crear: --tipo admite completo, diferencial o "
                        "incremental (es «%s»)\n", tipo);
        return EXIT_USO;
    }
    char a_type[32], a_ret[48], a_comp[48];
    snprintf(a_type, sizeof a_type, "--type=%s", type);
    snprintf(a_ret, sizeof a_ret, "--repo1-retention-full=%ld", o->retencion);
    snprintf(a_comp, sizeof a_comp, "--compress-type=%s", o->compresion);
    const char *const args[] = {a_type, a_ret, a_comp, NULL};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = run(o, "backup", args, NULL);
    if (rc != 0)
        return rc;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    json_t *st = info(o, &rc);
    json_t *bk = st ? json_object_get(st, "backup") : NULL;
    json_t *last = json_array_size(bk) ? json_array_get(bk, json_array_size(bk) - 1) : NULL;
    if (last) {
        json_t *inf = json_object_get(last, "info");
        printf("respaldo %s %s creado en %.1f s: base de datos %.1f MB, en el repositorio "
               "%.1f MB; se conservan los %ld respaldos completos más recientes\n",
               tipo_es(json_string_value(json_object_get(last, "type"))),
               json_string_value(json_object_get(last, "label")), s,
               mb(json_object_get(inf, "size")),
               mb(json_object_get(json_object_get(inf, "repository"), "delta")),
               o->retencion);
    } else {
        printf("respaldo %s creado en %.1f s\n", tipo, s);
    }
    json_decref(st);
    return 0;
}

static void listar_tabla(pmm_conf *conf, const pgbr_opts *o, json_t *st,
                         const archiver_status *a)
{
    json_int_t code = json_integer_value(json_object_get(json_object_get(st, "status"),
                                                         "code"));
    printf("Repositorio  %s (stanza %s)\n", o->repositorio ? o->repositorio
                                                          : "(el de pgBackRest)", o->stanza);
    printf("Estado       %s\n", estado_es(code));
    json_t *bk = json_object_get(st, "backup");
    if (json_array_size(bk)) {
        printf("\n%-26s %-12s %-19s  %-19s  %10s  %10s\n", "ETIQUETA", "TIPO", "INICIO",
               "FIN", "BASE (MB)", "REPO (MB)");
        size_t i;
        json_t *b;
        json_array_foreach(bk, i, b) {
            char t0[32], t1[32];
            json_t *ts = json_object_get(b, "timestamp");
            json_t *inf = json_object_get(b, "info");
            local_time(conf, json_integer_value(json_object_get(ts, "start")), t0, sizeof t0);
            local_time(conf, json_integer_value(json_object_get(ts, "stop")), t1, sizeof t1);
            printf("%-26s %-12s %-19s  %-19s  %10.1f  %10.1f\n",
                   json_string_value(json_object_get(b, "label")),
                   tipo_es(json_string_value(json_object_get(b, "type"))), t0, t1,
                   mb(json_object_get(inf, "size")),
                   mb(json_object_get(json_object_get(inf, "repository"), "delta")));
        }
        char oldest[32];
        local_time(conf,
                   json_integer_value(json_object_get(
                       json_object_get(json_array_get(bk, 0), "timestamp"), "stop")),
                   oldest, sizeof oldest);
        printf("\nSe puede restaurar a cualquier instante desde %s (fin del respaldo más "
               "antiguo)\nhasta el último WAL archivado (deploy/restaurar.sh).\n", oldest);
    }
    json_t *ar = json_array_get(json_object_get(st, "archive"), 0);
    if (ar)
        printf("WAL archivado        %s … %s\n",
               json_string_value(json_object_get(ar, "min")),
               json_string_value(json_object_get(ar, "max")));
    if (!a->ok)
        printf("Archivado continuo   (PostgreSQL no responde: sin datos del archivador)\n");
    else if (a->ultimo[0])
        printf("Último WAL archivado %s (hace %.0f s), %s; fallos: %lld%s%s\n", a->ultimo,
               a->hace_s, a->ultimo_wal, a->fallidos, a->ultimo_fallo[0] ? ", el último " : "",
               a->ultimo_fallo);
    else
        printf("Último WAL archivado ninguno todavía; fallos: %lld\n", a->fallidos);
}

static json_t *listar_json(pmm_conf *conf, const pgbr_opts *o, json_t *st,
                           const archiver_status *a)
{
    json_t *j = json_object();
    json_int_t code = json_integer_value(json_object_get(json_object_get(st, "status"),
                                                         "code"));
    json_object_set_new(j, "stanza", json_string(o->stanza));
    json_object_set_new(j, "repositorio", o->repositorio ? json_string(o->repositorio)
                                                         : json_null());
    json_object_set_new(j, "estado", json_pack("{s:I,s:s}", "codigo", code, "mensaje",
                                               estado_es(code)));
    json_t *arr = json_array();
    size_t i;
    json_t *b;
    json_array_foreach(json_object_get(st, "backup"), i, b) {
        char t0[32], t1[32];
        json_t *ts = json_object_get(b, "timestamp");
        json_t *inf = json_object_get(b, "info");
        json_t *ar = json_object_get(b, "archive");
        local_time(conf, json_integer_value(json_object_get(ts, "start")), t0, sizeof t0);
        local_time(conf, json_integer_value(json_object_get(ts, "stop")), t1, sizeof t1);
        json_array_append_new(
            arr, json_pack("{s:O?,s:s,s:s,s:s,s:O?,s:O?,s:O?,s:O?}", "etiqueta",
                           json_object_get(b, "label"), "tipo",
                           tipo_es(json_string_value(json_object_get(b, "type"))), "inicio",
                           t0, "fin", t1, "bytes", json_object_get(inf, "size"),
                           "bytes_repositorio",
                           json_object_get(json_object_get(inf, "repository"), "delta"),
                           "wal_inicio", json_object_get(ar, "start"), "wal_fin",
                           json_object_get(ar, "stop")));
    }
    json_object_set_new(j, "respaldos", arr);
    json_t *ar = json_array_get(json_object_get(st, "archive"), 0);
    json_object_set_new(j, "wal", ar ? json_pack("{s:O?,s:O?}", "min",
                                                 json_object_get(ar, "min"), "max",
                                                 json_object_get(ar, "max"))
                                     : json_null());
    if (a->ok)
        json_object_set_new(
            j, "archivado",
            json_pack("{s:s?,s:o,s:s?,s:I,s:s?}", "ultimo", a->ultimo[0] ? a->ultimo : NULL,
                      "hace_s", a->hace_s >= 0 ? json_real(a->hace_s) : json_null(),
                      "ultimo_wal", a->ultimo_wal[0] ? a->ultimo_wal : NULL, "fallidos",
                      (json_int_t)a->fallidos, "ultimo_fallo",
                      a->ultimo_fallo[0] ? a->ultimo_fallo : NULL));
    else
        json_object_set_new(j, "archivado", json_null());
    return j;
}

static int listar(pmm_conf *conf, const pgbr_opts *o, int as_json)
{
    int rc;
    json_t *st = info(o, &rc);
    if (!st)
        return rc;
    archiver_status a;
    archiver(conf, &a);
    if (as_json) {
        json_t *j = listar_json(conf, o, st, &a);
        char *s = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(6));
        if (s)
            puts(s);
        free(s);
        json_decref(j);
    } else {
        listar_tabla(conf, o, st, &a);
    }
    json_decref(st);
    return 0;
}

static int verificar(pmm_conf *conf, const pgbr_opts *o)
{
    int rc = run(o, "check", NULL, NULL);
    if (rc != 0)
        return rc;
    printf("archivado continuo: correcto (un segmento de WAL forzado llegó al "
           "repositorio)\n");
    rc = run(o, "verify", NULL, NULL);
    if (rc != 0)
        return rc;
    json_t *st = info(o, &rc);
    size_t n = st ? json_array_size(json_object_get(st, "backup")) : 0;
    json_decref(st);
    if (rc != 0)
        return rc;
    if (n == 0) {
        printf("repositorio: íntegro, pero SIN RESPALDOS: sin uno no hay nada que "
               "restaurar (pmm respaldo crear)\n");
        return EXIT_RECHAZO;
    }
    archiver_status a;
    archiver(conf, &a);
    printf("repositorio: %zu respaldo%s y su WAL verificados, sin errores\n", n,
           n == 1 ? "" : "s");
    if (a.ok && a.fallidos > 0)
        printf("aviso: PostgreSQL registró %lld fallos de archivado (el último %s); "
               "revise su registro\n", a.fallidos, a.ultimo_fallo);
    return 0;
}

static void usage(FILE *f)
{
    fprintf(f,
            "Uso: pmm respaldo iniciar\n"
            "     pmm respaldo crear [--tipo completo|diferencial|incremental]\n"
            "     pmm respaldo listar [--formato tabla|json]\n"
            "     pmm respaldo verificar\n\n"
            "Respaldos de la base de datos con pgBackRest (administradores: root o el\n"
            "usuario dueño del repositorio). PostgreSQL archiva su WAL en el repositorio\n"
            "de forma continua; con un respaldo completo y ese WAL se restaura la base a\n"
            "cualquier instante posterior al respaldo (deploy/restaurar.sh en la pila\n"
            "local; deploy/README.md en un servidor).\n\n"
            "  iniciar     crea la stanza en el repositorio y comprueba que el WAL llega\n"
            "  crear       hace un respaldo (completo por omisión) y caduca los antiguos\n"
            "              según [respaldo] retencion\n"
            "  listar      respaldos, WAL archivado y último archivado de PostgreSQL\n"
            "  verificar   comprueba el archivado (fuerza un segmento de WAL) y la\n"
            "              integridad del repositorio; salida 1 si algo falla o no hay\n"
            "              ningún respaldo\n\n"
            "Opciones:\n"
            "  --tipo T      completo (toda la base), diferencial (lo cambiado desde el\n"
            "                último completo) o incremental (desde el último respaldo)\n"
            "  --formato F   tabla (por omisión) o json, en listar\n"
            "  -h, --help    muestra esta ayuda (también pmm respaldo ACCIÓN --help)\n\n"
            "Configuración (pmm.conf, sección [respaldo]): stanza, repositorio,\n"
            "retencion (respaldos completos que se conservan), compresion (zst, lz4, gz,\n"
            "bz2 o ninguna), configuracion (archivo de pgBackRest), registros\n"
            "(directorio de sus registros, donde están los detalles de cada error) y\n"
            "usuario (quien ejecuta pgBackRest; como root, postgres por omisión).\n\n"
            "Ejemplos:\n"
            "  pmm respaldo crear && pmm respaldo listar\n"
            "  pmm respaldo crear --tipo diferencial\n");
}

int cmd_respaldo(int argc, char **argv, pmm_conf *conf)
{
    static const struct option opts[] = {{"tipo", required_argument, NULL, 't'},
                                         {"formato", required_argument, NULL, 'f'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *tipo = NULL, *formato = NULL;
    int opt;
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (opt) {
        case 't': tipo = optarg; break;
        case 'f': formato = optarg; break;
        case 'h': usage(stdout); return 0;
        default: return cli_opcion_mala("respaldo", opt, argv);
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "pmm respaldo: indique una acción: iniciar, crear, listar o "
                        "verificar; vea pmm respaldo --help\n");
        return EXIT_USO;
    }
    if (optind + 1 < argc)
        return cli_argumento_sobrante("respaldo", argv[optind + 1]);
    const char *accion = argv[optind];
    int as_json = 0;
    if (formato && !strcmp(formato, "json"))
        as_json = 1;
    else if (formato && strcmp(formato, "tabla")) {
        fprintf(stderr, "pmm respaldo: --formato admite «tabla» o «json», no «%s»\n",
                formato);
        return EXIT_USO;
    }
    if ((tipo && strcmp(accion, "crear")) || (formato && strcmp(accion, "listar"))) {
        fprintf(stderr, "pmm respaldo: --tipo es de «crear» y --formato de «listar»\n");
        return EXIT_USO;
    }
    pgbr_opts o;
    pmm_error err;
    pmm_error_clear(&err);
    if (pgbr_opts_from_conf(conf, &o, &err) != 0) {
        fprintf(stderr, "pmm respaldo: %s\n", err.mensaje);
        return EXIT_USO;
    }
    if (!strcmp(accion, "iniciar"))
        return iniciar(&o);
    if (!strcmp(accion, "crear"))
        return crear(&o, tipo ? tipo : "completo");
    if (!strcmp(accion, "listar"))
        return listar(conf, &o, as_json);
    if (!strcmp(accion, "verificar"))
        return verificar(conf, &o);
    fprintf(stderr, "pmm respaldo: acción desconocida «%s» (iniciar, crear, listar o "
                    "verificar)\n", accion);
    return EXIT_USO;
}
