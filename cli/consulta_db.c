/* consulta_db.c -- the query commands' reading of `totales` over a
 * read-only connection (consulta_db.h). */
#include "consulta_db.h"

#include <stdio.h>
#include <stdlib.h>

#include "db.h"

static int exec_simple(PGconn *db, const char *sql, pmm_error *err)
{
    PGresult *res = PQexecParams(db, sql, 0, NULL, NULL, NULL, NULL, 0);
    int rc = PQresultStatus(res) == PGRES_COMMAND_OK ? 0
                                                     : db_error(db, res, sql, err);
    PQclear(res);
    return rc;
}

PGconn *consulta_conectar(const pmm_conf *conf, const char *app,
                          pmm_error *err)
{
    const char *info = conf_str(conf, "postgresql", "lectura");
    if (!info || !*info)
        info = conf_conninfo(conf, NULL);
    PGconn *db = db_connect(info, app, err);
    if (!db)
        return NULL;
    if (exec_simple(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err)) {
        PQfinish(db);
        return NULL;
    }
    return db;
}

void consulta_desconectar(PGconn *db)
{
    if (!db)
        return;
    pmm_error ignored;
    exec_simple(db, "COMMIT", &ignored);
    PQfinish(db);
}

static long long ll(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? 0
                                      : strtoll(PQgetvalue(res, row, col), NULL, 10);
}

int consulta_leer(PGconn *db, consulta_tabla *t, const char *filtro,
                  const char *dimension, pmm_error *err)
{
    static const char sql[] =
        "SELECT ejercicio, valor, fichas, acciones, personas, mujeres, hombres"
        "  FROM totales"
        " WHERE ejercicio BETWEEN $1::integer AND $2::integer"
        "   AND filtro = $3 AND dimension = $4";
    char desde[16], hasta[16];
    snprintf(desde, sizeof desde, "%d", t->rango.desde);
    snprintf(hasta, sizeof hasta, "%d", t->rango.hasta);
    const char *params[] = {desde, hasta, filtro, dimension};
    PGresult *res = PQexecParams(db, sql, 4, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(db, res, "lectura de totales", err);
        PQclear(res);
        return -1;
    }
    int rc = 0;
    for (int r = 0; r < PQntuples(res) && rc == 0; r++) {
        consulta_medidas m = {.fichas = ll(res, r, 2), .acciones = ll(res, r, 3),
                              .personas = ll(res, r, 4), .mujeres = ll(res, r, 5),
                              .hombres = ll(res, r, 6)};
        if (consulta_tabla_sumar(t, (int)ll(res, r, 0), PQgetvalue(res, r, 1), &m))
            rc = pmm_error_set(err, 7, "", "memoria", "sin memoria");
    }
    PQclear(res);
    return rc;
}

int consulta_cargar(const char *cmd, const pmm_conf *conf, const char *app,
                    const char *filtro, consulta_tabla *const *tablas, size_t n)
{
    pmm_error err;
    pmm_error_clear(&err);
    /* the domain first: its rows come first, in the dimension's order */
    for (size_t i = 0; i < n; i++)
        if (consulta_tabla_dominio(tablas[i])) {
            pmm_error_set(&err, 7, "", "memoria", "sin memoria");
            consulta_error(cmd, &err);
            return -1;
        }
    PGconn *db = consulta_conectar(conf, app, &err);
    int rc = db ? 0 : -1;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = consulta_leer(db, tablas[i], filtro, consulta_dim_clave(tablas[i]->dim), &err);
    consulta_desconectar(db);
    if (rc)
        consulta_error(cmd, &err);
    return rc;
}
