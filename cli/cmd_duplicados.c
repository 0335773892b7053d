/* pmm duplicados -- possible duplicates within a year and the analysts'
 * decisions on them.
 *
 *   pmm duplicados --ejercicio AÑO [--todos] [--formato tabla|csv|json]
 *   pmm duplicados decidir PAR --distintas | --misma-accion [--cuenta ID]
 *                  | --vincular [--nota TEXTO] [--analista NOMBRE]
 *
 * Pairs are proposed by aggregd when a ficha is indexed (pmm_indexar,
 * 016_fichas.sql); nothing is refused or merged on its own. A decision is
 * a new row of duplicados_decisiones (the latest holds), written with its
 * audit row and the aggregation events of both fichas in one transaction:
 * "misma acción" makes the other ficha absorbed (fichas_absorbidas), which
 * v_contribuciones and the cells rule count in no cell.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analista.h"
#include "commands.h"
#include "opciones.h"
#include "consulta.h"
#include "db.h"
#include "envolver.h"
#include "strbuf.h"

#define CMD "duplicados"
#define ANCHO 78

static void usage(FILE *out)
{
    fputs("Uso: pmm duplicados --ejercicio AÑO [--todos] [--formato tabla|csv|json]\n"
          "     pmm duplicados decidir PAR --distintas | --misma-accion [--cuenta ID]\n"
          "                    | --vincular [--nota TEXTO] [--analista NOMBRE]\n\n"
          "Posibles duplicados de un ejercicio, de más a menos parecidos: la misma "
          "ficha\nenviada con dos claves por una dependencia (nombre o descripción "
          "parecidos) o\nuna acción reportada por dos emisores (descripción muy "
          "parecida). El sistema\nsolo los propone; nada se rechaza ni se une sin "
          "la decisión de un analista.\n\n"
          "  --ejercicio     el año\n"
          "  --todos         también los pares ya decididos (si no, solo los "
          "pendientes)\n"
          "  --formato       tabla (predeterminado), csv o json (un objeto por línea)\n\n"
          "decidir PAR (el número del par en la lista):\n"
          "  --distintas     son dos acciones distintas: ambas cuentan y el par no se\n"
          "                  vuelve a proponer\n"
          "  --misma-accion  son la misma acción: cuenta una sola vez, en la ficha de\n"
          "                  --cuenta (predeterminado: la recibida primero); la otra "
          "se\n"
          "                  muestra como participante y no suma en ningún total\n"
          "  --cuenta ID     la ficha (ID de una de las dos) en la que cuenta la "
          "acción\n"
          "  --vincular      acciones relacionadas pero distintas: ambas cuentan y se\n"
          "                  muestran vinculadas en pmm ficha\n"
          "  --nota TEXTO    el motivo, que queda registrado\n"
          "  --analista      quién decide (si no: $PMM_ANALISTA, la clave o $USER); en la "
          "auditoría\n"
          "  -h, --help      muestra esta ayuda\n\n"
          "Ejemplos:\n"
          "  pmm duplicados --ejercicio 2022\n"
          "  pmm duplicados decidir 17 --misma-accion --cuenta 1041 --nota \"la reportan "
          "INM y Yucatán\"\n"
          "  pmm duplicados decidir 18 --distintas\n",
          out);
}

static const char LISTA_SQL[] =
    "SELECT d.id, d.similitud, d.sim_nombre, d.sim_texto, d.tipo,"
    "  d.ficha_a, d.emisor_a, d.clave_a, fa.programa,"
    "  d.ficha_b, d.emisor_b, d.clave_b, fb.programa,"
    "  x.decision, x.cuenta_emisor || '/' || x.cuenta_clave, x.analista"
    " FROM duplicados d"
    " JOIN fichas fa ON fa.id = d.ficha_a JOIN fichas fb ON fb.id = d.ficha_b"
    " LEFT JOIN LATERAL (SELECT * FROM duplicados_decisiones x WHERE x.par = d.id"
    "                     ORDER BY x.id DESC LIMIT 1) x ON true"
    " WHERE d.ejercicio = $1::int AND ($2::bool OR x.id IS NULL)"
    " ORDER BY d.similitud DESC, d.id";

static int listar(int argc, char **argv, pmm_conf *conf)
{
    static const struct option opts[] = {{"ejercicio", required_argument, NULL, 'e'},
                                         {"todos", no_argument, NULL, 't'},
                                         {"formato", required_argument, NULL, 'f'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *ejercicio = NULL;
    int todos = 0, opt;
    consulta_formato formato = CONSULTA_TABLA;
    pmm_error err;
    pmm_error_clear(&err);
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (opt) {
        case 'e': ejercicio = optarg; break;
        case 't': todos = 1; break;
        case 'f':
            if (consulta_formato_parse(optarg, &formato, &err))
                return consulta_uso(CMD, &err);
            break;
        case 'h': usage(stdout); return 0;
        default:
            return cli_opcion_mala(CMD, opt, argv);
        }
    }
    consulta_rango r;
    if (optind != argc) {
        pmm_error_set(&err, 1, "", "argumento", "argumento inesperado: %s", argv[optind]);
        return consulta_uso(CMD, &err);
    }
    if (consulta_rango_parse("--ejercicio", ejercicio, &r, &err))
        return consulta_uso(CMD, &err);
    if (r.desde != r.hasta) {
        pmm_error_set(&err, 1, "--ejercicio", "un_anio",
                      "--ejercicio: los duplicados se buscan dentro de un año; indique uno");
        return consulta_uso(CMD, &err);
    }
    PGconn *db = consulta_conectar(conf, "pmm-duplicados", &err);
    if (!db) {
        consulta_error(CMD, &err);
        return EXIT_USO;
    }
    char anio[16];
    snprintf(anio, sizeof anio, "%d", r.desde);
    const char *p[] = {anio, todos ? "t" : "f"};
    PGresult *res = PQexecParams(db, LISTA_SQL, 2, NULL, p, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(db, res, "no se pudieron leer los duplicados", &err);
        consulta_error(CMD, &err);
        PQclear(res);
        consulta_desconectar(db);
        return EXIT_USO;
    }
    consulta_desconectar(db);
    int n = PQntuples(res);
    static const char *const cols[] = {"par",       "similitud", "sim_nombre", "sim_texto",
                                       "tipo",      "ficha_a",   "emisor_a",   "clave_a",
                                       "programa_a", "ficha_b",  "emisor_b",   "clave_b",
                                       "programa_b", "decision", "cuenta",     "analista"};
    if (formato == CONSULTA_CSV) {
        for (int c = 0; c < 16; c++)
            printf("%s%s", c ? "," : "", cols[c]);
        putchar('\n');
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 16; c++) {
                if (c)
                    putchar(',');
                consulta_csv_campo(stdout, PQgetvalue(res, i, c));
            }
            putchar('\n');
        }
    } else if (formato == CONSULTA_JSON) {
        for (int i = 0; i < n; i++) {
            json_t *o = json_object();
            for (int c = 0; c < 16; c++) {
                json_t *v;
                if (PQgetisnull(res, i, c))
                    v = json_null();
                else if (c == 0 || c == 5 || c == 9)
                    v = json_integer(strtoll(PQgetvalue(res, i, c), NULL, 10));
                else if (c >= 1 && c <= 3)
                    v = json_real(atof(PQgetvalue(res, i, c)));
                else
                    v = json_string(PQgetvalue(res, i, c));
                json_object_set_new(o, cols[c], v);
            }
            char *t = json_dumps(o, JSON_COMPACT);
            if (t)
                puts(t);
            free(t);
            json_decref(o);
        }
    } else {
        printf("Posibles duplicados del ejercicio %d%s: %d %s\n\n", r.desde,
               todos ? "" : " sin decidir", n, n == 1 ? "par" : "pares");
        for (int i = 0; i < n; i++) {
            printf("par %s · similitud %.2f (nombre %.2f, descripción %.2f) · %s%s%s\n",
                   PQgetvalue(res, i, 0), atof(PQgetvalue(res, i, 1)),
                   atof(PQgetvalue(res, i, 2)), atof(PQgetvalue(res, i, 3)),
                   !strcmp(PQgetvalue(res, i, 4), "misma_dependencia") ? "misma dependencia"
                                                                        : "otro emisor",
                   PQgetisnull(res, i, 13) ? "" : " · decidido: ",
                   PQgetisnull(res, i, 13) ? "" : PQgetvalue(res, i, 13));
            for (int k = 0; k < 2; k++) {
                strbuf b;
                strbuf_init(&b);
                strbuf_printf(&b, "%s %s %s: %s", PQgetvalue(res, i, 5 + 4 * k),
                              PQgetvalue(res, i, 6 + 4 * k), PQgetvalue(res, i, 7 + 4 * k),
                              PQgetvalue(res, i, 8 + 4 * k));
                fputs("  ", stdout);
                envolver(stdout, b.data ? b.data : "", 4, ANCHO);
                strbuf_free(&b);
            }
        }
        if (n)
            printf("\nDecida con: pmm duplicados decidir PAR --distintas | --misma-accion "
                   "[--cuenta ID] | --vincular\n");
    }
    PQclear(res);
    return consulta_fin_salida(CMD);
}

/* One transaction: the decision, the absorbed ficha (misma acción), the
 * audit row and both fichas queued for aggregation. $1 par, $2 decision,
 * $3 ficha id that counts (or NULL: the first received), $4 nota,
 * $5 analista. Returns one row: found, cuenta valid, cuenta absorbed
 * elsewhere, the absorbed key, the events queued. */
static const char DECIDIR_SQL[] =
    "WITH p AS (SELECT * FROM duplicados WHERE id = $1::bigint FOR UPDATE),"
    " ka AS (SELECT min(f.id) AS primera FROM fichas f, p"
    "        WHERE (f.emisor, f.ejercicio, f.clave) = (p.emisor_a, p.ejercicio, p.clave_a)),"
    " kb AS (SELECT min(f.id) AS primera FROM fichas f, p"
    "        WHERE (f.emisor, f.ejercicio, f.clave) = (p.emisor_b, p.ejercicio, p.clave_b)),"
    " c AS (SELECT f.emisor, f.clave FROM fichas f, p WHERE $2 = 'misma_accion'"
    "        AND f.id = coalesce($3::bigint,"
    "            CASE WHEN (SELECT primera FROM ka) < (SELECT primera FROM kb)"
    "                 THEN p.ficha_a ELSE p.ficha_b END)"
    "        AND f.ejercicio = p.ejercicio"
    "        AND ((f.emisor, f.clave) = (p.emisor_a, p.clave_a)"
    "          OR (f.emisor, f.clave) = (p.emisor_b, p.clave_b))),"
    " ya AS (SELECT 1 FROM fichas_absorbidas x, c, p WHERE x.emisor = c.emisor"
    "        AND x.clave = c.clave AND x.ejercicio = p.ejercicio AND x.par <> p.id),"
    " ok AS (SELECT p.* FROM p WHERE ($2 <> 'misma_accion' OR EXISTS (SELECT 1 FROM c))"
    "        AND NOT EXISTS (SELECT 1 FROM ya)),"
    " d AS (INSERT INTO duplicados_decisiones (par, decision, cuenta_emisor, cuenta_clave,"
    "        nota, analista)"
    "       SELECT ok.id, $2, c.emisor, c.clave, $4, $5 FROM ok LEFT JOIN c ON true"
    "       RETURNING *),"
    " aud AS (INSERT INTO auditoria (identidad, emisor, ejercicio, clave, resultado, campo,"
    "          regla, ficha_id)"
    "        SELECT 'analista|' || $5, x.e, ok.ejercicio, x.c, 'duplicado_decidido',"
    "               'par ' || ok.id, $2, x.f"
    "          FROM ok, d, LATERAL (VALUES (ok.emisor_a, ok.clave_a, ok.ficha_a),"
    "                                      (ok.emisor_b, ok.clave_b, ok.ficha_b)) x(e, c, f)"
    "        RETURNING 1),"
    " ev AS (SELECT pmm_encolar_agregacion(array_agg(g.id)) AS n FROM ok, d,"
    "          LATERAL (SELECT max(f.id) AS id FROM fichas f WHERE f.ejercicio = ok.ejercicio"
    "                    AND ((f.emisor, f.clave) = (ok.emisor_a, ok.clave_a)"
    "                      OR (f.emisor, f.clave) = (ok.emisor_b, ok.clave_b))"
    "                    GROUP BY f.emisor, f.clave) g)"
    " SELECT EXISTS (SELECT 1 FROM p), EXISTS (SELECT 1 FROM c), EXISTS (SELECT 1 FROM ya),"
    "        (SELECT n FROM ev), (SELECT count(*) FROM aud)";

/* Then, in the same transaction: the fichas absorbed by the pair's latest
 * decision ($1 par). */
static const char ABSORBIDAS_SQL[] =
    "WITH b AS (DELETE FROM fichas_absorbidas WHERE par = $1::bigint RETURNING 1),"
    " d AS (SELECT * FROM duplicados_decisiones WHERE par = $1::bigint"
    "       AND (SELECT count(*) FROM b) >= 0 ORDER BY id DESC LIMIT 1)"
    " INSERT INTO fichas_absorbidas (emisor, ejercicio, clave, par, cuenta_emisor, cuenta_clave)"
    " SELECT CASE WHEN (d.cuenta_emisor, d.cuenta_clave) = (p.emisor_a, p.clave_a)"
    "             THEN p.emisor_b ELSE p.emisor_a END, p.ejercicio,"
    "        CASE WHEN (d.cuenta_emisor, d.cuenta_clave) = (p.emisor_a, p.clave_a)"
    "             THEN p.clave_b ELSE p.clave_a END, p.id, d.cuenta_emisor, d.cuenta_clave"
    "   FROM d JOIN duplicados p ON p.id = d.par WHERE d.decision = 'misma_accion'";

static int decidir(int argc, char **argv, pmm_conf *conf)
{
    static const struct option opts[] = {{"distintas", no_argument, NULL, 'd'},
                                         {"misma-accion", no_argument, NULL, 'm'},
                                         {"vincular", no_argument, NULL, 'v'},
                                         {"cuenta", required_argument, NULL, 'c'},
                                         {"nota", required_argument, NULL, 'n'},
                                         {"analista", required_argument, NULL, 'a'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *decision = NULL, *cuenta = NULL, *nota = NULL;
    const char *analista_opc = NULL;
    int elegidas = 0, opt;
    pmm_error err;
    pmm_error_clear(&err);
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (opt) {
        case 'd': decision = "distintas"; elegidas++; break;
        case 'm': decision = "misma_accion"; elegidas++; break;
        case 'v': decision = "vinculadas"; elegidas++; break;
        case 'c': cuenta = optarg; break;
        case 'n': nota = optarg; break;
        case 'a': analista_opc = optarg; break;
        case 'h': usage(stdout); return 0;
        default:
            return cli_opcion_mala("duplicados decidir", opt, argv);
        }
    }
    char *end = NULL;
    long long par = optind == argc - 1 ? strtoll(argv[optind], &end, 10) : 0;
    if (par <= 0 || !end || *end) {
        pmm_error_set(&err, 1, "PAR", "requerido",
                      "indique el número del par (la columna «par» de pmm duplicados)");
        return consulta_uso(CMD, &err);
    }
    if (elegidas != 1) {
        pmm_error_set(&err, 1, "--misma-accion", "exclusion",
                      "indique una sola decisión: --distintas, --misma-accion o --vincular");
        return consulta_uso(CMD, &err);
    }
    long long cuenta_id = 0;
    if (cuenta && (strcmp(decision, "misma_accion") ||
                   (cuenta_id = strtoll(cuenta, &end, 10)) <= 0 || *end)) {
        pmm_error_set(&err, 1, "--cuenta", "valor",
                      "--cuenta va con --misma-accion y es el ID de una de las dos fichas");
        return consulta_uso(CMD, &err);
    }
    char analista[160];
    if (analista_nombre(conf, analista_opc, analista, sizeof analista, &err))
        return consulta_uso(CMD, &err);
    PGconn *db = db_connect(conf_conninfo(conf, NULL), "pmm-duplicados", &err);
    if (!db) {
        consulta_error(CMD, &err);
        return EXIT_USO;
    }
    char pbuf[24], cbuf[24];
    snprintf(pbuf, sizeof pbuf, "%lld", par);
    snprintf(cbuf, sizeof cbuf, "%lld", cuenta_id);
    const char *p[] = {pbuf, decision, cuenta_id ? cbuf : NULL, nota, analista};
    int rc = EXIT_USO;
    if (db_exec(db, "BEGIN", &err) != 0) {
        consulta_error(CMD, &err);
        PQfinish(db);
        return rc;
    }
    PGresult *res = PQexecParams(db, DECIDIR_SQL, 5, NULL, p, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(db, res, "no se pudo guardar la decisión", &err);
        consulta_error(CMD, &err);
    } else if (PQgetvalue(res, 0, 0)[0] != 't') {
        fprintf(stderr, "pmm duplicados: no existe el par %lld\n", par);
        rc = EXIT_RECHAZO;
    } else if (!strcmp(decision, "misma_accion") && PQgetvalue(res, 0, 1)[0] != 't') {
        fprintf(stderr, "pmm duplicados: --cuenta %lld no es una de las dos fichas del par "
                        "%lld\n", cuenta_id, par);
        rc = EXIT_USO;
    } else if (PQgetvalue(res, 0, 2)[0] == 't') {
        fprintf(stderr, "pmm duplicados: la ficha en la que contaría la acción ya cuenta "
                        "dentro de otra (otro par «misma acción»); indique con --cuenta la "
                        "ficha que cuenta en ese grupo\n");
        rc = EXIT_RECHAZO;
    } else {
        rc = 0;
    }
    PQclear(res);
    if (rc == 0) {
        const char *q[] = {pbuf};
        res = PQexecParams(db, ABSORBIDAS_SQL, 1, NULL, q, NULL, NULL, 0);
        if (PQresultStatus(res) != PGRES_COMMAND_OK) {
            db_error(db, res, "no se pudo guardar la decisión", &err);
            consulta_error(CMD, &err);
            rc = EXIT_USO;
        }
        PQclear(res);
    }
    if (rc == 0 && db_exec(db, "COMMIT", &err) != 0) {
        consulta_error(CMD, &err);
        rc = EXIT_USO;
    }
    if (rc != 0) {
        pmm_error ignored;
        db_exec(db, "ROLLBACK", &ignored);
    } else {
        printf("Decisión registrada para el par %lld (%s) por %s; los totales se "
               "actualizan en segundos.\n", par,
               !strcmp(decision, "misma_accion") ? "misma acción"
               : !strcmp(decision, "distintas")  ? "acciones distintas"
                                                 : "acciones vinculadas",
               analista);
    }
    PQfinish(db);
    return rc;
}

int cmd_duplicados(int argc, char **argv, pmm_conf *conf)
{
    if (argc > 1 && !strcmp(argv[1], "decidir"))
        return decidir(argc - 1, argv + 1, conf);
    return listar(argc, argv, conf);
}
