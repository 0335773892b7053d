/* pmm programas -- programmes across years.
 *
 *   pmm programas --ejercicio AÑO [--dependencia SIGLA] [--formato tabla|csv|json]
 *       continuing, new and ended programmes per body and objective against
 *       the previous year, with both years' figures side by side
 *   pmm programas proponer --ejercicio AÑO [--formato …]
 *       proposes links for the year's fichas again and lists the pending ones
 *   pmm programas vincular ID --con ID [--nota TEXTO] [--analista NOMBRE]
 *   pmm programas rechazar ID --con ID [--nota TEXTO] [--analista NOMBRE]
 *
 * A ficha continues the programme of an earlier ficha when a link is
 * confirmed (vinculos_programa, 016_fichas.sql); aggregd proposes links
 * when it indexes a ficha. The continuity view counts confirmed links and,
 * marked apart, pending proposals; rejected ones never.
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

#define CMD "programas"
#define ANCHO 78

static void usage(FILE *out)
{
    fputs("Uso: pmm programas --ejercicio AÑO [--dependencia SIGLA] "
          "[--formato tabla|csv|json]\n"
          "     pmm programas proponer --ejercicio AÑO [--formato tabla|csv|json]\n"
          "     pmm programas vincular ID --con ID [--nota TEXTO] [--analista NOMBRE]\n"
          "     pmm programas rechazar ID --con ID [--nota TEXTO] [--analista NOMBRE]\n\n"
          "Programas a lo largo de los años. Sin subcomando: por dependencia y objetivo,\n"
          "los programas que continúan, los nuevos y los que terminaron frente al año\n"
          "anterior, con las acciones realizadas y las personas de ambos años lado a "
          "lado.\nCuentan los vínculos confirmados y, aparte, los propuestos sin "
          "decidir.\n\n"
          "  --ejercicio    el año (se compara con el anterior)\n"
          "  --dependencia  solo esa dependencia (y la que la precedió)\n"
          "  --formato      tabla (predeterminado), csv o json\n"
          "  proponer       vuelve a proponer vínculos para las fichas del año y lista\n"
          "                 los pendientes (el sistema ya los propone al recibir cada "
          "ficha)\n"
          "  vincular ID --con ID   confirma que la ficha ID continúa el programa de la\n"
          "                 ficha --con (de un año anterior); no se vuelve a adivinar\n"
          "  rechazar ID --con ID   rechaza ese vínculo; no se vuelve a proponer\n"
          "  --nota         el motivo, que queda registrado\n"
          "  --analista     quién decide (si no: $PMM_ANALISTA, la clave o $USER); en la "
          "auditoría\n"
          "  --entidad      no se admite: los programas se siguen por dependencia\n"
          "  -h, --help     muestra esta ayuda\n\n"
          "Ejemplos:\n"
          "  pmm programas --ejercicio 2022 --dependencia SRE\n"
          "  pmm programas proponer --ejercicio 2022\n"
          "  pmm programas vincular 1041 --con 703 --nota \"mismo programa, otro nombre\"\n",
          out);
}

/* ---- continuity view ---------------------------------------------------- */

/* $1 year, $2 emisor filter ('' all; else 'D:SIGLA', predecessors included).
 * One row per programme: estado (continua|nuevo|terminado), vinculo
 * (confirmado|propuesto|NULL), emisor, objetivo, programa, the earlier and
 * current ficha ids and figures. */
static const char CONTINUIDAD_SQL[] =
    "WITH emisores AS (SELECT $2::text AS e UNION SELECT 'D:' || p.predecesora"
    "    FROM dependencias_predecesoras p WHERE 'D:' || p.sigla = $2),"
    " cur AS (SELECT a.*, f.programa FROM agregados a JOIN fichas f ON f.id = a.ficha_id"
    "   WHERE a.ejercicio = $1::int AND NOT a.absorbida"
    "     AND ($2 = '' OR a.emisor IN (SELECT e FROM emisores))),"
    " prev AS (SELECT a.*, f.programa FROM agregados a JOIN fichas f ON f.id = a.ficha_id"
    "   WHERE a.ejercicio = $1::int - 1 AND NOT a.absorbida"
    "     AND ($2 = '' OR a.emisor IN (SELECT e FROM emisores))),"
    " l AS (SELECT DISTINCT ON (v.emisor, v.clave) v.* FROM v_vinculos v"
    "   JOIN prev p ON (p.emisor, p.clave) = (v.anterior_emisor, v.anterior_clave)"
    "  WHERE v.ejercicio = $1::int AND v.anterior_ejercicio = $1::int - 1"
    "    AND v.estado <> 'rechazado'"
    "  ORDER BY v.emisor, v.clave, (v.estado = 'confirmado') DESC, v.similitud DESC NULLS LAST)"
    " SELECT 'continua', l.estado, c.emisor, c.objetivo, c.programa, p.ficha_id, c.ficha_id,"
    "        p.acciones, c.acciones, p.personas, c.personas"
    "   FROM cur c JOIN l ON (l.emisor, l.clave) = (c.emisor, c.clave)"
    "   JOIN prev p ON (p.emisor, p.clave) = (l.anterior_emisor, l.anterior_clave)"
    " UNION ALL"
    " SELECT 'nuevo', NULL, c.emisor, c.objetivo, c.programa, NULL, c.ficha_id,"
    "        NULL, c.acciones, NULL, c.personas"
    "   FROM cur c WHERE NOT EXISTS (SELECT 1 FROM l WHERE (l.emisor, l.clave)"
    "                                 = (c.emisor, c.clave))"
    " UNION ALL"
    " SELECT 'terminado', NULL, p.emisor, p.objetivo, p.programa, p.ficha_id, NULL,"
    "        p.acciones, NULL, p.personas, NULL"
    "   FROM prev p WHERE NOT EXISTS (SELECT 1 FROM l JOIN cur c ON (c.emisor, c.clave)"
    "        = (l.emisor, l.clave) WHERE (l.anterior_emisor, l.anterior_clave)"
    "        = (p.emisor, p.clave))"
    " ORDER BY 3, 4, 1, 5";

enum { K_ESTADO, K_VINCULO, K_EMISOR, K_OBJETIVO, K_PROGRAMA, K_ANT, K_ACT, K_A0, K_A1, K_P0,
       K_P1 };

typedef struct {
    const char *emisor;
    int objetivo;
    long continuan, propuestos, nuevos, terminados;
    long long acciones[2], personas[2];
} grupo;

static long long ll(const PGresult *res, int r, int c)
{
    return PQgetisnull(res, r, c) ? 0 : strtoll(PQgetvalue(res, r, c), NULL, 10);
}

/* Groups the rows (ordered by emisor, objetivo) per body and objective. */
static grupo *agrupar(const PGresult *res, size_t *n)
{
    int nt = PQntuples(res);
    grupo *g = calloc((size_t)nt + 1, sizeof *g);
    size_t k = 0;
    for (int r = 0; g && r < nt; r++) {
        const char *e = PQgetvalue(res, r, K_EMISOR);
        int o = atoi(PQgetvalue(res, r, K_OBJETIVO));
        if (!k || strcmp(g[k - 1].emisor, e) || g[k - 1].objetivo != o)
            g[k++] = (grupo){.emisor = e, .objetivo = o};
        grupo *x = &g[k - 1];
        const char *estado = PQgetvalue(res, r, K_ESTADO);
        if (!strcmp(estado, "continua")) {
            x->continuan++;
            x->propuestos += !strcmp(PQgetvalue(res, r, K_VINCULO), "propuesto");
        } else if (!strcmp(estado, "nuevo")) {
            x->nuevos++;
        } else {
            x->terminados++;
        }
        x->acciones[0] += ll(res, r, K_A0);
        x->acciones[1] += ll(res, r, K_A1);
        x->personas[0] += ll(res, r, K_P0);
        x->personas[1] += ll(res, r, K_P1);
    }
    *n = k;
    return g;
}

static void escribir_tabla(const PGresult *res, const grupo *g, size_t ng, int anio)
{
    printf("Continuidad de los programas, %d frente a %d\n\n", anio, anio - 1);
    consulta_grilla t;
    consulta_grilla_init(&t, 10);
    for (size_t c = 2; c < 10; c++)
        consulta_grilla_derecha(&t, c);
    char a0[24], a1[24], h0[24], h1[24];
    snprintf(a0, sizeof a0, "Acc. %d", anio - 1);
    snprintf(a1, sizeof a1, "Acc. %d", anio);
    snprintf(h0, sizeof h0, "Pers. %d", anio - 1);
    snprintf(h1, sizeof h1, "Pers. %d", anio);
    const char *cab[] = {"Emisor", "Obj.", "Siguen", "(prop.)", "Nuevos",
                         "Fin", a0, a1, h0, h1};
    consulta_grilla_fila(&t, cab);
    consulta_grilla_linea(&t);
    grupo tot = {0};
    for (size_t i = 0; i < ng; i++) {
        char num[9][24];
        const grupo *x = &g[i];
        snprintf(num[0], 24, "%d", x->objetivo);
        snprintf(num[1], 24, "%ld", x->continuan);
        snprintf(num[2], 24, "%ld", x->propuestos);
        snprintf(num[3], 24, "%ld", x->nuevos);
        snprintf(num[4], 24, "%ld", x->terminados);
        snprintf(num[5], 24, "%lld", x->acciones[0]);
        snprintf(num[6], 24, "%lld", x->acciones[1]);
        snprintf(num[7], 24, "%lld", x->personas[0]);
        snprintf(num[8], 24, "%lld", x->personas[1]);
        const char *fila[] = {x->emisor, num[0], num[1], num[2], num[3],
                              num[4],    num[5], num[6], num[7], num[8]};
        consulta_grilla_fila(&t, fila);
        tot.continuan += x->continuan;
        tot.propuestos += x->propuestos;
        tot.nuevos += x->nuevos;
        tot.terminados += x->terminados;
        for (int k = 0; k < 2; k++) {
            tot.acciones[k] += x->acciones[k];
            tot.personas[k] += x->personas[k];
        }
    }
    consulta_grilla_linea(&t);
    char num[8][24];
    snprintf(num[0], 24, "%ld", tot.continuan);
    snprintf(num[1], 24, "%ld", tot.propuestos);
    snprintf(num[2], 24, "%ld", tot.nuevos);
    snprintf(num[3], 24, "%ld", tot.terminados);
    snprintf(num[4], 24, "%lld", tot.acciones[0]);
    snprintf(num[5], 24, "%lld", tot.acciones[1]);
    snprintf(num[6], 24, "%lld", tot.personas[0]);
    snprintf(num[7], 24, "%lld", tot.personas[1]);
    const char *fila[] = {"Total", "", num[0], num[1], num[2], num[3],
                          num[4],  num[5], num[6], num[7]};
    consulta_grilla_fila(&t, fila);
    consulta_grilla_imprimir(&t, stdout);
    consulta_grilla_free(&t);

    printf("\nProgramas que continúan (acciones y personas, %d → %d):\n", anio - 1, anio);
    int alguno = 0;
    for (int r = 0; r < PQntuples(res); r++) {
        if (strcmp(PQgetvalue(res, r, K_ESTADO), "continua"))
            continue;
        alguno = 1;
        strbuf b;
        strbuf_init(&b);
        strbuf_printf(&b, "%s ficha %s → %s%s: %s; acciones %s → %s; personas %s → %s",
                      PQgetvalue(res, r, K_EMISOR), PQgetvalue(res, r, K_ANT),
                      PQgetvalue(res, r, K_ACT),
                      !strcmp(PQgetvalue(res, r, K_VINCULO), "propuesto") ? " (propuesto)"
                                                                           : "",
                      PQgetvalue(res, r, K_PROGRAMA),
                      PQgetisnull(res, r, K_A0) ? "—" : PQgetvalue(res, r, K_A0),
                      PQgetisnull(res, r, K_A1) ? "—" : PQgetvalue(res, r, K_A1),
                      PQgetisnull(res, r, K_P0) ? "—" : PQgetvalue(res, r, K_P0),
                      PQgetisnull(res, r, K_P1) ? "—" : PQgetvalue(res, r, K_P1));
        fputs("  ", stdout);
        envolver(stdout, b.data ? b.data : "", 4, ANCHO);
        strbuf_free(&b);
    }
    if (!alguno)
        puts("  (ninguno)");
    puts("\nSiguen: programas con vínculo confirmado o propuesto con el año anterior "
         "((prop.):\nde ellos, propuestos sin decidir; confírmelos con pmm programas "
         "vincular). Nuevos:\nsin programa anterior. Fin: programas del año anterior "
         "sin continuación. Acc.:\nacciones realizadas; Pers.: personas.");
}

static void escribir_csv(const PGresult *res)
{
    puts("estado,vinculo,emisor,objetivo,programa,ficha_anterior,ficha,acciones_anterior,"
         "acciones,personas_anterior,personas");
    for (int r = 0; r < PQntuples(res); r++) {
        for (int c = 0; c <= K_P1; c++) {
            if (c)
                putchar(',');
            consulta_csv_campo(stdout, PQgetvalue(res, r, c));
        }
        putchar('\n');
    }
}

static json_t *num_o_null(const PGresult *res, int r, int c)
{
    return PQgetisnull(res, r, c) ? json_null() : json_integer(ll(res, r, c));
}

static void escribir_json(const PGresult *res, const grupo *g, size_t ng, int anio)
{
    json_t *j = json_pack("{s:i,s:i}", "ejercicio", anio, "anterior", anio - 1);
    json_t *ga = json_array();
    for (size_t i = 0; i < ng; i++)
        json_array_append_new(
            ga, json_pack("{s:s,s:i,s:i,s:i,s:i,s:i,s:{s:I,s:I},s:{s:I,s:I}}", "emisor",
                          g[i].emisor, "objetivo", g[i].objetivo, "continuan",
                          (int)g[i].continuan, "propuestos", (int)g[i].propuestos, "nuevos",
                          (int)g[i].nuevos, "terminados", (int)g[i].terminados, "acciones",
                          "anterior", (json_int_t)g[i].acciones[0], "actual",
                          (json_int_t)g[i].acciones[1], "personas", "anterior",
                          (json_int_t)g[i].personas[0], "actual",
                          (json_int_t)g[i].personas[1]));
    json_object_set_new(j, "grupos", ga);
    json_t *pa = json_array();
    for (int r = 0; r < PQntuples(res); r++)
        json_array_append_new(
            pa, json_pack("{s:s,s:o,s:s,s:i,s:s,s:o,s:o,s:o,s:o,s:o,s:o}", "estado",
                          PQgetvalue(res, r, K_ESTADO), "vinculo",
                          PQgetisnull(res, r, K_VINCULO)
                              ? json_null()
                              : json_string(PQgetvalue(res, r, K_VINCULO)),
                          "emisor", PQgetvalue(res, r, K_EMISOR), "objetivo",
                          atoi(PQgetvalue(res, r, K_OBJETIVO)), "programa",
                          PQgetvalue(res, r, K_PROGRAMA), "ficha_anterior",
                          num_o_null(res, r, K_ANT), "ficha", num_o_null(res, r, K_ACT),
                          "acciones_anterior", num_o_null(res, r, K_A0), "acciones",
                          num_o_null(res, r, K_A1), "personas_anterior",
                          num_o_null(res, r, K_P0), "personas", num_o_null(res, r, K_P1)));
    json_object_set_new(j, "programas", pa);
    consulta_json(stdout, j);
}

static int continuidad(int argc, char **argv, pmm_conf *conf)
{
    consulta_opciones op;
    int rc;
    consulta_ref *ref = consulta_preparar(CMD, argc, argv, CONSULTA_OPC_FILTRO, usage, conf,
                                          &op, &rc);
    if (!ref)
        return rc;
    pmm_error err;
    pmm_error_clear(&err);
    char filtro[80], nombre[300];
    if (op.entidad) {
        pmm_error_set(&err, 1, "--entidad", "no_admitida",
                      "--entidad no se admite aquí: los programas se siguen por dependencia");
        consulta_ref_destroy(&ref);
        return consulta_uso(CMD, &err);
    }
    if (op.rango.desde != op.rango.hasta || op.rango.desde <= CONSULTA_ANIO_MIN) {
        pmm_error_set(&err, 1, "--ejercicio", "un_anio",
                      "--ejercicio: indique un año posterior a %d (se compara con el anterior)",
                      CONSULTA_ANIO_MIN);
        consulta_ref_destroy(&ref);
        return consulta_uso(CMD, &err);
    }
    if (consulta_filtro(ref, &op, filtro, sizeof filtro, nombre, sizeof nombre, &err)) {
        consulta_ref_destroy(&ref);
        return consulta_uso(CMD, &err);
    }
    consulta_ref_destroy(&ref);
    PGconn *db = consulta_conectar(conf, "pmm-programas", &err);
    if (!db) {
        consulta_error(CMD, &err);
        return EXIT_USO;
    }
    char anio[16];
    snprintf(anio, sizeof anio, "%d", op.rango.desde);
    const char *p[] = {anio, filtro};
    PGresult *res = PQexecParams(db, CONTINUIDAD_SQL, 2, NULL, p, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(db, res, "no se pudieron leer los programas", &err);
        consulta_error(CMD, &err);
        PQclear(res);
        consulta_desconectar(db);
        return EXIT_USO;
    }
    consulta_desconectar(db);
    size_t ng = 0;
    grupo *g = agrupar(res, &ng);
    if (op.formato == CONSULTA_CSV)
        escribir_csv(res);
    else if (op.formato == CONSULTA_JSON)
        escribir_json(res, g, ng, op.rango.desde);
    else
        escribir_tabla(res, g, ng, op.rango.desde);
    free(g);
    PQclear(res);
    return consulta_fin_salida(CMD);
}

/* ---- proponer ----------------------------------------------------------- */

static const char PENDIENTES_SQL[] =
    "SELECT v.emisor, v.clave, (SELECT max(id) FROM fichas f WHERE (f.emisor, f.ejercicio,"
    "   f.clave) = (v.emisor, v.ejercicio, v.clave)),"
    "  v.anterior_emisor, v.anterior_ejercicio, (SELECT max(id) FROM fichas f"
    "   WHERE (f.emisor, f.ejercicio, f.clave) = (v.anterior_emisor, v.anterior_ejercicio,"
    "   v.anterior_clave)), round(v.similitud::numeric, 2),"
    "  (SELECT f.programa FROM fichas f WHERE (f.emisor, f.ejercicio, f.clave)"
    "   = (v.emisor, v.ejercicio, v.clave) ORDER BY f.version DESC LIMIT 1),"
    "  (SELECT f.programa FROM fichas f WHERE (f.emisor, f.ejercicio, f.clave)"
    "   = (v.anterior_emisor, v.anterior_ejercicio, v.anterior_clave)"
    "   ORDER BY f.version DESC LIMIT 1)"
    " FROM v_vinculos v WHERE v.ejercicio = $1::int AND v.estado = 'propuesto'"
    "  AND NOT EXISTS (SELECT 1 FROM v_vinculos c WHERE (c.emisor, c.ejercicio, c.clave)"
    "       = (v.emisor, v.ejercicio, v.clave) AND c.estado = 'confirmado')"
    " ORDER BY v.similitud DESC, v.emisor, v.clave";

static int proponer(int argc, char **argv, pmm_conf *conf)
{
    consulta_opciones op;
    int rc;
    if (consulta_opciones_leer(CMD, argc, argv, 0, usage, &op, &rc))
        return rc;
    pmm_error err;
    pmm_error_clear(&err);
    if (op.rango.desde != op.rango.hasta) {
        pmm_error_set(&err, 1, "--ejercicio", "un_anio", "--ejercicio: indique un solo año");
        return consulta_uso(CMD, &err);
    }
    PGconn *db = db_connect(conf_conninfo(conf, NULL), "pmm-programas", &err);
    if (!db) {
        consulta_error(CMD, &err);
        return EXIT_USO;
    }
    char anio[16];
    snprintf(anio, sizeof anio, "%d", op.rango.desde);
    const char *p[] = {anio};
    PGresult *res = PQexecParams(db,
                                 "SELECT pmm_proponer_vinculos(array_agg(ficha_id))"
                                 " FROM busqueda WHERE ejercicio = $1::int",
                                 1, NULL, p, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(db, res, "no se pudieron proponer vínculos", &err);
        consulta_error(CMD, &err);
        PQclear(res);
        PQfinish(db);
        return EXIT_USO;
    }
    long nuevos = atol(PQgetvalue(res, 0, 0));
    PQclear(res);
    res = PQexecParams(db, PENDIENTES_SQL, 1, NULL, p, NULL, NULL, 0);
    PQfinish(db);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        pmm_error_set(&err, 7, "", "consulta", "no se pudieron leer las propuestas");
        consulta_error(CMD, &err);
        PQclear(res);
        return EXIT_USO;
    }
    int n = PQntuples(res);
    static const char *const cols[] = {"emisor", "clave", "ficha", "anterior_emisor",
                                       "anterior_ejercicio", "ficha_anterior", "similitud",
                                       "programa", "programa_anterior"};
    if (op.formato == CONSULTA_CSV) {
        for (int c = 0; c < 9; c++)
            printf("%s%s", c ? "," : "", cols[c]);
        putchar('\n');
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < 9; c++) {
                if (c)
                    putchar(',');
                consulta_csv_campo(stdout, PQgetvalue(res, r, c));
            }
            putchar('\n');
        }
    } else if (op.formato == CONSULTA_JSON) {
        for (int r = 0; r < n; r++) {
            json_t *o = json_object();
            for (int c = 0; c < 9; c++)
                json_object_set_new(o, cols[c],
                                    c == 2 || c == 4 || c == 5
                                        ? json_integer(ll(res, r, c))
                                    : c == 6 ? json_real(atof(PQgetvalue(res, r, c)))
                                             : json_string(PQgetvalue(res, r, c)));
            char *t = json_dumps(o, JSON_COMPACT);
            if (t)
                puts(t);
            free(t);
            json_decref(o);
        }
    } else {
        printf("%ld %s; %d %s de %d por decidir:\n\n", nuevos,
               nuevos == 1 ? "vínculo nuevo propuesto" : "vínculos nuevos propuestos", n,
               n == 1 ? "propuesta" : "propuestas", op.rango.desde);
        for (int r = 0; r < n; r++) {
            strbuf b;
            strbuf_init(&b);
            strbuf_printf(&b, "ficha %s (%s) continúa la ficha %s de %s (%s)? similitud %s: "
                              "«%s» ← «%s»",
                          PQgetvalue(res, r, 2), PQgetvalue(res, r, 0), PQgetvalue(res, r, 5),
                          PQgetvalue(res, r, 4), PQgetvalue(res, r, 3), PQgetvalue(res, r, 6),
                          PQgetvalue(res, r, 7), PQgetvalue(res, r, 8));
            fputs("  ", stdout);
            envolver(stdout, b.data ? b.data : "", 4, ANCHO);
            strbuf_free(&b);
        }
        if (n)
            puts("\nConfirme con: pmm programas vincular ID --con ID (o rechazar ID --con ID)");
    }
    PQclear(res);
    return consulta_fin_salida(CMD);
}

/* ---- vincular / rechazar ------------------------------------------------ */

/* $1 later ficha id, $2 earlier ficha id, $3 estado, $4 analista, $5 nota.
 * Returns: both exist, the earlier is of an earlier year, rows written. */
static const char DECIDIR_SQL[] =
    "WITH a AS (SELECT * FROM fichas WHERE id = $1::bigint),"
    " b AS (SELECT * FROM fichas WHERE id = $2::bigint),"
    " ok AS (SELECT a.emisor, a.ejercicio, a.clave, b.emisor AS be, b.ejercicio AS bj,"
    "               b.clave AS bc, a.id FROM a, b WHERE b.ejercicio < a.ejercicio),"
    " v AS (INSERT INTO vinculos_programa (emisor, ejercicio, clave, anterior_emisor,"
    "        anterior_ejercicio, anterior_clave, estado, analista, nota)"
    "       SELECT emisor, ejercicio, clave, be, bj, bc, $3, $4, $5 FROM ok RETURNING 1),"
    " aud AS (INSERT INTO auditoria (identidad, emisor, ejercicio, clave, resultado, campo,"
    "          regla, ficha_id)"
    "        SELECT 'analista|' || $4, emisor, ejercicio, clave, 'programa_vinculado',"
    "               'con ' || $2, $3, id FROM ok RETURNING 1)"
    " SELECT EXISTS (SELECT 1 FROM a) AND EXISTS (SELECT 1 FROM b), EXISTS (SELECT 1 FROM ok),"
    "        (SELECT count(*) FROM v) + (SELECT count(*) FROM aud)";

static int decidir(int argc, char **argv, pmm_conf *conf, const char *estado)
{
    static const struct option opts[] = {{"con", required_argument, NULL, 'c'},
                                         {"nota", required_argument, NULL, 'n'},
                                         {"analista", required_argument, NULL, 'a'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *con = NULL, *nota = NULL;
    const char *analista_opc = NULL;
    pmm_error err;
    pmm_error_clear(&err);
    int opt;
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (opt) {
        case 'c': con = optarg; break;
        case 'n': nota = optarg; break;
        case 'a': analista_opc = optarg; break;
        case 'h': usage(stdout); return 0;
        default:
            return cli_opcion_mala(CMD, opt, argv);
        }
    }
    char *e1 = NULL, *e2 = NULL;
    long long id = optind == argc - 1 ? strtoll(argv[optind], &e1, 10) : 0;
    long long ant = con ? strtoll(con, &e2, 10) : 0;
    if (id <= 0 || *e1) {
        pmm_error_set(&err, 1, "ID", "requerido", "indique el ID de la ficha que continúa");
        return consulta_uso(CMD, &err);
    }
    if (ant <= 0 || *e2) {
        pmm_error_set(&err, 1, "--con", "requerido",
                      "--con es obligatoria: el ID de la ficha del año anterior");
        return consulta_uso(CMD, &err);
    }
    char analista[160];
    if (analista_nombre(conf, analista_opc, analista, sizeof analista, &err))
        return consulta_uso(CMD, &err);
    PGconn *db = db_connect(conf_conninfo(conf, NULL), "pmm-programas", &err);
    if (!db) {
        consulta_error(CMD, &err);
        return EXIT_USO;
    }
    char b1[24], b2[24];
    snprintf(b1, sizeof b1, "%lld", id);
    snprintf(b2, sizeof b2, "%lld", ant);
    const char *p[] = {b1, b2, estado, analista, nota};
    PGresult *res = PQexecParams(db, DECIDIR_SQL, 5, NULL, p, NULL, NULL, 0);
    int rc = 0;
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(db, res, "no se pudo guardar el vínculo", &err);
        consulta_error(CMD, &err);
        rc = EXIT_USO;
    } else if (PQgetvalue(res, 0, 0)[0] != 't') {
        fprintf(stderr, "pmm programas: no existe la ficha %lld o la ficha %lld\n", id, ant);
        rc = EXIT_RECHAZO;
    } else if (PQgetvalue(res, 0, 1)[0] != 't') {
        fprintf(stderr, "pmm programas: --con %lld debe ser una ficha de un año anterior al "
                        "de la ficha %lld\n", ant, id);
        rc = EXIT_USO;
    } else {
        printf("%s: la ficha %lld %s el programa de la ficha %lld (%s).\n",
               !strcmp(estado, "confirmado") ? "Vínculo confirmado" : "Vínculo rechazado", id,
               !strcmp(estado, "confirmado") ? "continúa" : "no continúa", ant, analista);
    }
    PQclear(res);
    PQfinish(db);
    return rc;
}

int cmd_programas(int argc, char **argv, pmm_conf *conf)
{
    if (argc > 1 && !strcmp(argv[1], "proponer"))
        return proponer(argc - 1, argv + 1, conf);
    if (argc > 1 && !strcmp(argv[1], "vincular"))
        return decidir(argc - 1, argv + 1, conf, "confirmado");
    if (argc > 1 && !strcmp(argv[1], "rechazar"))
        return decidir(argc - 1, argv + 1, conf, "rechazado");
    return continuidad(argc, argv, conf);
}
