/* cobertura_objetivo.c -- pmm cobertura --por objetivo --ejercicio AÑO: the
 * coverage of the Compact (issue 18). Per objective, the actions (counted
 * fichas) and the bodies that reported them; the objectives with none; and
 * for the weakest objectives (fewest actions; ties kept) the bodies that
 * reported on them in earlier years but not this one: the Diagnóstico's
 * "áreas de oportunidad", computed. Bodies are taken as they are named in
 * the year (pmm_responsable on its reference date: the call's deadline, or
 * 31 December), so a renamed body's earlier fichas are its own. Read-only.
 */
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "consulta_db.h"
#include "consulta_opciones.h"
#include "consulta_salida.h"
#include "cuerpos.h"
#include "refdata.h"
#include "strbuf.h"

#define NOBJ REF_OBJETIVOS
#define CMD "cobertura"

int cobertura_objetivo(const pmm_conf *conf, int anio, size_t n, consulta_formato f);

typedef struct {
    long long acciones, cuerpos;
    bool debil;
    json_t *antes;      /* [{"emisor","nombre","ultimo_ejercicio"}] */
} objetivo;

static int leer(PGconn *db, int anio, objetivo *o, pmm_error *err)
{
    char y[16];
    snprintf(y, sizeof y, "%d", anio);
    const char *p[] = {y};
    PGresult *res = PQexecParams(
        db,
        "WITH d AS (SELECT coalesce((SELECT limite FROM convocatorias WHERE ejercicio = $1::int),"
        "                           make_date($1::int, 12, 31)) AS d),"
        " e AS (SELECT a.objetivo, a.emisor, count(*) AS n FROM agregados a"
        "        WHERE a.ejercicio = $1::int GROUP BY a.objetivo, a.emisor)"
        " SELECT e.objetivo, sum(e.n), count(DISTINCT pmm_responsable(e.emisor, d.d))"
        "   FROM e, d GROUP BY e.objetivo",
        1, NULL, p, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        cuerpos_db_error(db, res, "contar las acciones por objetivo", err);
        PQclear(res);
        return -1;
    }
    for (int r = 0; r < PQntuples(res); r++) {
        int k = atoi(PQgetvalue(res, r, 0));
        if (k >= 1 && k <= NOBJ) {
            o[k].acciones = atoll(PQgetvalue(res, r, 1));
            o[k].cuerpos = atoll(PQgetvalue(res, r, 2));
        }
    }
    PQclear(res);
    return 0;
}

/* The weakest: the objectives whose place (1, 2, 2, 4...) from the fewest
 * actions is at most n. */
static void debiles(objetivo *o, size_t n)
{
    for (int k = 1; k <= NOBJ; k++) {
        size_t menos = 0;
        for (int j = 1; j <= NOBJ; j++)
            menos += o[j].acciones < o[k].acciones;
        o[k].debil = menos < n;
    }
}

static int antes(PGconn *db, int anio, objetivo *o, pmm_error *err)
{
    char y[16];
    snprintf(y, sizeof y, "%d", anio);
    strbuf arr;
    strbuf_init(&arr);
    strbuf_puts(&arr, "{");
    int k0 = 0;
    for (int k = 1; k <= NOBJ; k++)
        if (o[k].debil)
            strbuf_printf(&arr, "%s%d", k0++ ? "," : "", k);
    strbuf_puts(&arr, "}");
    const char *p[] = {y, arr.data};
    PGresult *res = PQexecParams(
        db,
        "WITH d AS (SELECT coalesce((SELECT limite FROM convocatorias WHERE ejercicio = $1::int),"
        "                           make_date($1::int, 12, 31)) AS d),"
        " ahora AS (SELECT DISTINCT a.objetivo, pmm_responsable(a.emisor, d.d) AS cuerpo"
        "             FROM (SELECT DISTINCT objetivo, emisor FROM agregados"
        "                    WHERE ejercicio = $1::int AND objetivo = ANY ($2::int[])) a, d),"
        " antes AS (SELECT a.objetivo, pmm_responsable(a.emisor, d.d) AS cuerpo,"
        "                  max(a.ejercicio) AS ultimo"
        "             FROM (SELECT DISTINCT objetivo, emisor, ejercicio FROM agregados"
        "                    WHERE ejercicio < $1::int AND objetivo = ANY ($2::int[])) a, d"
        "            GROUP BY 1, 2)"
        " SELECT x.objetivo, x.cuerpo, coalesce(p.nombre, ''), max(x.ultimo)"
        "   FROM antes x LEFT JOIN padron p ON p.emisor = x.cuerpo"
        "  WHERE NOT EXISTS (SELECT 1 FROM ahora h WHERE h.objetivo = x.objetivo"
        "                     AND h.cuerpo = x.cuerpo)"
        "  GROUP BY 1, 2, 3 ORDER BY 1, 4 DESC, 2",
        2, NULL, p, NULL, NULL, 0);
    strbuf_free(&arr);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        cuerpos_db_error(db, res, "leer los años anteriores", err);
        PQclear(res);
        return -1;
    }
    for (int r = 0; r < PQntuples(res); r++) {
        int k = atoi(PQgetvalue(res, r, 0));
        if (k < 1 || k > NOBJ)
            continue;
        json_array_append_new(o[k].antes,
                              json_pack("{s:s,s:s,s:i}", "emisor", PQgetvalue(res, r, 1),
                                        "nombre", PQgetvalue(res, r, 2), "ultimo_ejercicio",
                                        atoi(PQgetvalue(res, r, 3))));
    }
    PQclear(res);
    return 0;
}

static void escribir(int anio, const objetivo *o, const refdata *ref, consulta_formato f)
{
    if (f == CONSULTA_JSON) {
        json_t *objs = json_array(), *sin = json_array(), *deb = json_array();
        for (int k = 1; k <= NOBJ; k++) {
            const char *t = refdata_objetivo_titulo(ref, k);
            json_array_append_new(objs, json_pack("{s:i,s:s,s:I,s:I}", "objetivo", k, "titulo",
                                                  t ? t : "", "acciones",
                                                  (json_int_t)o[k].acciones, "cuerpos",
                                                  (json_int_t)o[k].cuerpos));
            if (!o[k].acciones)
                json_array_append_new(sin, json_integer(k));
            if (o[k].debil)
                json_array_append_new(deb, json_pack("{s:i,s:s,s:I,s:O}", "objetivo", k,
                                                     "titulo", t ? t : "", "acciones",
                                                     (json_int_t)o[k].acciones,
                                                     "cuerpos_antes", o[k].antes));
        }
        consulta_json(stdout, json_pack("{s:i,s:o,s:o,s:o}", "ejercicio", anio, "objetivos",
                                        objs, "sin_acciones", sin, "debiles", deb));
        return;
    }
    if (f == CONSULTA_CSV) {
        printf("objetivo,titulo,acciones,cuerpos,debil,cuerpos_antes\n");
        for (int k = 1; k <= NOBJ; k++) {
            printf("%d,", k);
            consulta_csv_campo(stdout, refdata_objetivo_titulo(ref, k));
            printf(",%lld,%lld,%s,", o[k].acciones, o[k].cuerpos, o[k].debil ? "si" : "no");
            strbuf b;
            strbuf_init(&b);
            size_t i;
            json_t *x;
            json_array_foreach(o[k].antes, i, x)
                strbuf_printf(&b, "%s%s", i ? ";" : "",
                              json_string_value(json_object_get(x, "emisor")));
            consulta_csv_campo(stdout, b.data ? b.data : "");
            strbuf_free(&b);
            putchar('\n');
        }
        return;
    }
    printf("Cobertura del Pacto, ejercicio %d: acciones y cuerpos por objetivo\n\n", anio);
    consulta_grilla g;
    consulta_grilla_init(&g, 4);
    consulta_grilla_derecha(&g, 2);
    consulta_grilla_derecha(&g, 3);
    const char *head[] = {"Objetivo", "Título", "Acciones", "Cuerpos"};
    consulta_grilla_fila(&g, head);
    consulta_grilla_linea(&g);
    for (int k = 1; k <= NOBJ; k++) {
        char num[8], a[24], c[24];
        snprintf(num, sizeof num, "%d%s", k, o[k].debil ? " *" : "");
        snprintf(a, sizeof a, "%lld", o[k].acciones);
        snprintf(c, sizeof c, "%lld", o[k].cuerpos);
        const char *row[] = {num, refdata_objetivo_titulo(ref, k), a, c};
        consulta_grilla_fila(&g, row);
    }
    consulta_grilla_imprimir(&g, stdout);
    consulta_grilla_free(&g);
    int nsin = 0;
    for (int k = 1; k <= NOBJ; k++)
        nsin += !o[k].acciones;
    printf("\nObjetivos sin acciones: ");
    for (int k = 1, i = 0; k <= NOBJ; k++)
        if (!o[k].acciones)
            printf("%s%d", i++ ? ", " : "", k);
    printf("%s\n", nsin ? "." : "ninguno.");
    printf("\n* Objetivos más débiles (menos acciones) y los cuerpos que informaron sobre "
           "ellos\n  en años anteriores pero no en %d (áreas de oportunidad):\n", anio);
    for (int k = 1; k <= NOBJ; k++) {
        if (!o[k].debil)
            continue;
        printf("\nObjetivo %d, %s (%lld %s):\n", k, refdata_objetivo_titulo(ref, k),
               o[k].acciones, o[k].acciones == 1 ? "acción" : "acciones");
        if (!json_array_size(o[k].antes)) {
            printf("  ningún cuerpo lo atendió en años anteriores sin atenderlo este año\n");
            continue;
        }
        size_t i;
        json_t *x;
        json_array_foreach(o[k].antes, i, x)
            printf("  %s  %s (último: %d)\n", json_string_value(json_object_get(x, "emisor")),
                   json_string_value(json_object_get(x, "nombre")),
                   (int)json_integer_value(json_object_get(x, "ultimo_ejercicio")));
    }
}

int cobertura_objetivo(const pmm_conf *conf, int anio, size_t n, consulta_formato f)
{
    pmm_error err;
    pmm_error_clear(&err);
    refdata *ref = refdata_load(conf_data_dir(conf), &err);
    if (!ref) {
        fprintf(stderr, "pmm cobertura: %s\n", err.mensaje);
        return EXIT_USO;
    }
    objetivo o[NOBJ + 1];
    memset(o, 0, sizeof o);
    for (int k = 1; k <= NOBJ; k++)
        o[k].antes = json_array();
    PGconn *db = consulta_conectar(conf, "pmm-cobertura", &err);
    int rc = !db || leer(db, anio, o, &err) ? -1 : 0;
    if (rc == 0) {
        debiles(o, n);
        rc = antes(db, anio, o, &err);
    }
    consulta_desconectar(db);
    if (rc == 0) {
        escribir(anio, o, ref, f);
        rc = consulta_fin_salida(CMD);
    } else {
        fprintf(stderr, "pmm cobertura: %s\n", err.mensaje);
        rc = EXIT_USO;
    }
    for (int k = 1; k <= NOBJ; k++)
        json_decref(o[k].antes);
    refdata_destroy(&ref);
    return rc;
}
