/* pmm retirar ID --motivo "…" -- an analyst takes a ficha out of every
 * count and report; --deshacer puts it back.
 *
 * A withdrawal is a new version of the ficha (docs/contrato-ficha.md,
 * section 8), the same that its sender can send with "retirada": true.
 * This command writes it directly in PostgreSQL with the administration
 * connection, as `pmm revision fijar` writes decisions, rather than through
 * ingestd: an analyst's withdrawal needs no CURVE key, ingestd would only
 * add a round trip to the same INSERT, and here the version, its queueing
 * for aggregation (pmm_encolar_agregacion) and the audit row (who and why)
 * are one transaction. The version number comes from the stored versions,
 * and (emisor, ejercicio, clave, version) is unique, so a concurrent
 * version from the collector makes one of the two fail instead of both
 * storing the same number.
 *
 * --deshacer stores a new version with the content (and contact data) of
 * the last version before the withdrawal and a copy of that version's
 * latest classification, so the ficha counts again exactly as before
 * (analyst decisions belong to the ficha and still apply); without a
 * classification it is queued for the classifiers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analista.h"
#include "commands.h"
#include "db.h"
#include "ficha.h"
#include "ficha_json.h"
#include "opciones.h"
#include "refdata.h"

#define CMD "retirar"

static void usage(FILE *out)
{
    fprintf(out,
            "Uso: pmm retirar ID --motivo TEXTO [--analista NOMBRE]\n"
            "     pmm retirar ID --deshacer --motivo TEXTO [--analista NOMBRE]\n\n"
            "Retira la ficha ID (cualquiera de sus versiones) de los totales y los\n"
            "informes: guarda una versión nueva de la ficha que la retira, con el motivo\n"
            "y el analista, y queda en la auditoría (pmm auditoria --resultado retirada).\n"
            "Nada se borra: --deshacer guarda otra versión con el contenido anterior al\n"
            "retiro y la ficha vuelve a contar como antes. Quien envió la ficha también\n"
            "puede retirarla con pmm enviar (\"retirada\": true, docs/contrato-ficha.md,\n"
            "sección 8).\n\n"
            "Opciones:\n"
            "  --motivo TEXTO      por qué se retira o se restaura (obligatorio; hasta\n"
            "                      180 palabras)\n"
            "  --deshacer          restaura una ficha retirada\n"
            "  --analista NOMBRE   quién lo decide (si no, $PMM_ANALISTA, el nombre de la clave\n"
            "                      de [cliente] clave o $USER; con exigir_analista = 1 es\n"
            "                      obligatorio)\n"
            "  -h, --help          muestra esta ayuda\n\n"
            "Ejemplos:\n"
            "  pmm retirar 4182 --motivo \"ficha de prueba enviada por error\"\n"
            "  pmm retirar 4182 --deshacer --motivo \"era una ficha real\"\n\n"
            "Salida: 0 si se guardó, 1 si la ficha no existe o ya estaba en ese estado,\n"
            "2 por error de uso o de conexión.\n");
}

/* The ficha's current version, read by the id of any of its versions. */
typedef struct {
    char id[24], version[16], emisor[FICHA_EMISOR_MAX], ejercicio[16],
        clave[FICHA_MAX_CLAVE + 1], ambito[16], dependencia[260], entidad[4];
    int retirada, has_dependencia, has_entidad;
} vigente;

static int leer_vigente(PGconn *db, const char *id, vigente *v, pmm_error *err)
{
    const char *params[] = {id};
    PGresult *res = PQexecParams(
        db,
        "SELECT c.id, c.version, c.emisor, c.ejercicio, c.clave, c.ambito,"
        "       c.dependencia, lpad(c.entidad::text, 2, '0'), c.retirada"
        "  FROM fichas f CROSS JOIN LATERAL"
        "       (SELECT * FROM fichas x WHERE x.emisor = f.emisor"
        "           AND x.ejercicio = f.ejercicio AND x.clave = f.clave"
        "         ORDER BY x.version DESC LIMIT 1) c"
        " WHERE f.id = $1::bigint",
        1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(db, res, "no se pudo leer la ficha", err);
        PQclear(res);
        return -1;
    }
    if (PQntuples(res) == 0) {
        PQclear(res);
        return 0;
    }
    char *const dst[] = {v->id, v->version, v->emisor, v->ejercicio, v->clave, v->ambito,
                         v->dependencia, v->entidad};
    const size_t cap[] = {sizeof v->id, sizeof v->version, sizeof v->emisor,
                          sizeof v->ejercicio, sizeof v->clave, sizeof v->ambito,
                          sizeof v->dependencia, sizeof v->entidad};
    for (int c = 0; c < 8; c++)
        snprintf(dst[c], cap[c], "%s", PQgetvalue(res, 0, c));
    v->has_dependencia = !PQgetisnull(res, 0, 6);
    v->has_entidad = !PQgetisnull(res, 0, 7);
    v->retirada = PQgetvalue(res, 0, 8)[0] == 't';
    PQclear(res);
    return 1;
}

/* The withdrawal as a ficha: the identity of the current version and the
 * reason. NULL when out of memory. */
static Pmm__Ficha *ficha_retiro(const vigente *v, const char *motivo)
{
    Pmm__Ficha *f = ficha_new_empty();
    if (!f)
        return NULL;
    f->has_ejercicio = 1;
    f->ejercicio = atoi(v->ejercicio);
    f->has_reemplaza = 1;
    f->reemplaza = atoll(v->version);
    f->has_retirada = 1;
    f->retirada = 1;
    if (ficha_bytes_set(&f->clave, &f->has_clave, v->clave, strlen(v->clave)) ||
        ficha_bytes_set(&f->ambito, &f->has_ambito, v->ambito, strlen(v->ambito)) ||
        (v->has_dependencia && ficha_bytes_set(&f->dependencia, &f->has_dependencia,
                                               v->dependencia, strlen(v->dependencia))) ||
        (v->has_entidad &&
         ficha_bytes_set(&f->entidad, &f->has_entidad, v->entidad, strlen(v->entidad))) ||
        ficha_bytes_set(&f->motivo_retiro, &f->has_motivo_retiro, motivo, strlen(motivo))) {
        pmm__ficha__free_unpacked(f, NULL);
        return NULL;
    }
    return f;
}

/* The reason obeys the contract's rules for motivo_retiro (the validator
 * checks the whole withdrawal; the stored identity is already valid). */
static int validar_motivo(const vigente *v, const char *motivo, const pmm_conf *conf,
                          uint8_t hash[32], pmm_error *err)
{
    refdata *ref = refdata_load(conf_data_dir(conf), err);
    if (!ref)
        return -1;
    Pmm__Ficha *f = ficha_retiro(v, motivo), *g = ficha_retiro(v, motivo);
    int rc = -1;
    if (!f || !g) {
        pmm_error_set(err, 7, "", "memoria", "sin memoria");
    } else {
        /* bodies the collector accepted without being in the list stay
         * valid; the hash is of the identity as stored */
        ficha_rules rules = ficha_rules_default();
        rules.accept_new_bodies = true;
        rc = ficha_validate(g, ref, &rules, err);
        if (rc == 0 && ficha_hash(f, hash) != 0)
            rc = pmm_error_set(err, 7, "", "memoria", "sin memoria");
    }
    if (f)
        pmm__ficha__free_unpacked(f, NULL);
    if (g)
        pmm__ficha__free_unpacked(g, NULL);
    refdata_destroy(&ref);
    return rc;
}

static const char sql_retirar[] =
    "WITH n AS (INSERT INTO fichas (id, emisor, ejercicio, clave, version, hash, recibida,"
    "             ambito, dependencia, entidad, retirada, motivo_retiro)"
    "           SELECT nextval('fichas_id_seq'), emisor, ejercicio, clave, version + 1,"
    "                  decode($2, 'hex'), now(), ambito, dependencia, entidad, true, $3"
    "             FROM fichas WHERE id = $1::bigint"
    "           RETURNING id, version, emisor, ejercicio, clave),"
    " q AS (SELECT pmm_encolar_agregacion(array_agg(id)) FROM n),"
    " a AS (INSERT INTO auditoria (identidad, emisor, ejercicio, clave, resultado,"
    "                              ficha_id, motivo)"
    "       SELECT 'analista:' || $4, emisor, ejercicio, clave, 'retirada', id, $3 FROM n)"
    " SELECT n.id, n.version FROM n, q";

/* The last version before the withdrawal comes back as a new version, with
 * its contact row and its latest classification. */
static const char sql_restaurar[] =
    "WITH p AS (SELECT * FROM fichas x"
    "            WHERE (x.emisor, x.ejercicio, x.clave)"
    "                = (SELECT emisor, ejercicio, clave FROM fichas WHERE id = $1::bigint)"
    "              AND NOT x.retirada ORDER BY x.version DESC LIMIT 1),"
    " n AS (INSERT INTO fichas (id, emisor, ejercicio, clave, version, hash, recibida,"
    "         ambito, dependencia, entidad, unidad, programa, objetivo_pmm, objetivo,"
    "         poblacion_objetivo, inicio, temporalidad, fin, acciones, personas, mujeres,"
    "         hombres, zona, resultados_texto, retos)"
    "       SELECT nextval('fichas_id_seq'), emisor, ejercicio, clave, $2::int + 1, hash,"
    "              now(), ambito, dependencia, entidad, unidad, programa, objetivo_pmm,"
    "              objetivo, poblacion_objetivo, inicio, temporalidad, fin, acciones,"
    "              personas, mujeres, hombres, zona, resultados_texto, retos FROM p"
    "       RETURNING id, version, emisor, ejercicio, clave),"
    " ct AS (INSERT INTO contactos (ficha_id, nombre, cargo, telefono, correo)"
    "        SELECT n.id, c.nombre, c.cargo, c.telefono, c.correo"
    "          FROM n, p JOIN contactos c ON c.ficha_id = p.id),"
    " cl AS (INSERT INTO clasificaciones (ficha_id, version_clasificador, taxonomia, eje,"
    "          subtema, subtemas, ods, metas, retos, con_resultados, confianza, evidencia)"
    "        SELECT n.id, c.version_clasificador, c.taxonomia, c.eje, c.subtema, c.subtemas,"
    "               c.ods, c.metas, c.retos, c.con_resultados, c.confianza, c.evidencia"
    "          FROM n, p CROSS JOIN LATERAL (SELECT * FROM clasificaciones c"
    "                    WHERE c.ficha_id = p.id ORDER BY c.id DESC LIMIT 1) c"
    "        RETURNING ficha_id),"
    " cola AS (INSERT INTO cola_clasificar (ficha_id)"
    "          SELECT id FROM n WHERE NOT EXISTS (SELECT 1 FROM cl) RETURNING ficha_id),"
    " q AS (SELECT pmm_encolar_agregacion(array_agg(ficha_id)) FROM cl),"
    " a AS (INSERT INTO auditoria (identidad, emisor, ejercicio, clave, resultado,"
    "                              ficha_id, motivo)"
    "       SELECT 'analista:' || $4, emisor, ejercicio, clave, 'restaurada', id, $3 FROM n)"
    " SELECT n.id, n.version, p.version, (SELECT count(*) FROM cola) FROM n, p, q";

/* Runs one of the two statements in a transaction. Returns 0, 1 when the
 * ficha changed meanwhile (a concurrent version), -1 with err. */
static int guardar(PGconn *db, const char *sql, const char *const params[4],
                   PGresult **out, pmm_error *err)
{
    if (db_exec(db, "BEGIN", err) != 0)
        return -1;
    PGresult *res = PQexecParams(db, sql, 4, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
        const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
        int carrera = state && !strcmp(state, "23505");
        if (!carrera)
            db_error(db, res, "no se pudo guardar la versión nueva", err);
        PQclear(res);
        pmm_error ignored;
        db_exec(db, "ROLLBACK", &ignored);
        return carrera ? 1 : -1;
    }
    if (db_exec(db, "COMMIT", err) != 0) {
        PQclear(res);
        return -1;
    }
    *out = res;
    return 0;
}

int cmd_retirar(int argc, char **argv, pmm_conf *conf)
{
    static const struct option opts[] = {{"motivo", required_argument, NULL, 'm'},
                                         {"deshacer", no_argument, NULL, 'd'},
                                         {"analista", required_argument, NULL, 'a'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *motivo = NULL, *analista_opc = NULL;
    int deshacer = 0, opt;
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (opt) {
        case 'm': motivo = optarg; break;
        case 'd': deshacer = 1; break;
        case 'a': analista_opc = optarg; break;
        case 'h': usage(stdout); return 0;
        default: return cli_opcion_mala(CMD, opt, argv);
        }
    }
    char *end = NULL;
    long long id = optind < argc ? strtoll(argv[optind], &end, 10) : 0;
    if (optind >= argc || !*argv[optind] || *end || id < 1) {
        fprintf(stderr, "pmm retirar: indique el ID numérico de la ficha (el de pmm revision "
                        "o el recibo de pmm enviar); vea pmm retirar --help\n");
        return EXIT_USO;
    }
    if (optind + 1 < argc)
        return cli_argumento_sobrante(CMD, argv[optind + 1]);
    if (!motivo) {
        fprintf(stderr, "pmm retirar: --motivo es obligatorio: diga por qué se %s la ficha\n",
                deshacer ? "restaura" : "retira");
        return EXIT_USO;
    }
    pmm_error err;
    pmm_error_clear(&err);
    char analista[160];
    if (analista_nombre(conf, analista_opc, analista, sizeof analista, &err)) {
        fprintf(stderr, "pmm retirar: %s\n", err.mensaje);
        return EXIT_USO;
    }
    PGconn *db = db_connect(conf_conninfo(conf, "admin"), "pmm-retirar", &err);
    if (!db) {
        fprintf(stderr, "pmm retirar: %s\n", err.mensaje);
        return EXIT_USO;
    }
    char idbuf[24];
    snprintf(idbuf, sizeof idbuf, "%lld", id);
    vigente v;
    int rc = EXIT_USO;
    int found = leer_vigente(db, idbuf, &v, &err);
    if (found < 0) {
        fprintf(stderr, "pmm retirar: %s\n", err.mensaje);
        goto out;
    }
    if (!found) {
        fprintf(stderr, "pmm retirar: no existe la ficha %lld\n", id);
        rc = EXIT_RECHAZO;
        goto out;
    }
    if (deshacer != v.retirada) {
        if (deshacer)
            fprintf(stderr, "pmm retirar: la ficha %lld (clave %s, %s, %s) no está retirada: "
                            "su versión vigente es la %s\n",
                    id, v.clave, v.emisor, v.ejercicio, v.version);
        else
            fprintf(stderr, "pmm retirar: la ficha %lld (clave %s, %s, %s) ya está retirada "
                            "(versión %s); para restaurarla: pmm retirar %lld --deshacer "
                            "--motivo \"…\"\n",
                    id, v.clave, v.emisor, v.ejercicio, v.version, id);
        rc = EXIT_RECHAZO;
        goto out;
    }
    uint8_t hash[32];
    char hex[65] = "";
    if (validar_motivo(&v, motivo, conf, hash, &err) != 0) {
        fprintf(stderr, "pmm retirar: --motivo: %s\n", err.mensaje);
        goto out;
    }
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", hash[i]);
    const char *params[] = {v.id, deshacer ? v.version : hex, motivo, analista};
    PGresult *res = NULL;
    int g = guardar(db, deshacer ? sql_restaurar : sql_retirar, params, &res, &err);
    if (g != 0) {
        if (g > 0)
            fprintf(stderr, "pmm retirar: la ficha %lld recibió otra versión mientras tanto; "
                            "vuelva a intentarlo\n", id);
        else
            fprintf(stderr, "pmm retirar: %s\n", err.mensaje);
        goto out;
    }
    if (deshacer)
        printf("Ficha %s (%s, %s) restaurada por %s: versión %s (id %s), con el contenido "
               "de la versión %s.%s\n",
               v.clave, v.emisor, v.ejercicio, analista, PQgetvalue(res, 0, 1),
               PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 2),
               strcmp(PQgetvalue(res, 0, 3), "0")
                   ? " Se clasificará y contará en unos segundos."
                   : " Vuelve a contar en los totales en unos segundos.");
    else
        printf("Ficha %s (%s, %s) retirada por %s: versión %s (id %s). Deja de contar en "
               "los totales en unos segundos; para deshacerlo: pmm retirar %s --deshacer "
               "--motivo \"…\"\n",
               v.clave, v.emisor, v.ejercicio, analista, PQgetvalue(res, 0, 1),
               PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 0));
    PQclear(res);
    analista_aviso_cierre(db, "pmm retirar", 0, id, conf_zona_horaria(conf));
    rc = 0;
out:
    PQfinish(db);
    return rc;
}
