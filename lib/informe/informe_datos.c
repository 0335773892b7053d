#include "informe_datos.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "pmm.pb-c.h"

static PGresult *query(PGconn *db, const char *sql, const char *year,
                       pmm_error *err)
{
    const char *params[] = {year};
    PGresult *res = PQexecParams(db, sql, year ? 1 : 0, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(db, res, "no se pudieron leer los datos del informe", err);
        PQclear(res);
        return NULL;
    }
    return res;
}

static json_t *obj_child(json_t *parent, const char *key)
{
    json_t *c = json_object_get(parent, key);
    if (!c) {
        c = json_object();
        json_object_set_new(parent, key, c);
    }
    return c;
}

static int add_totales(PGconn *db, json_t *doc, const char *year, pmm_error *err)
{
    PGresult *res = query(db,
                          "SELECT filtro, dimension, valor, fichas, acciones, personas,"
                          "       mujeres, hombres FROM totales"
                          " WHERE ejercicio = $1::int AND fichas <> 0"
                          " ORDER BY filtro, dimension, valor",
                          year, err);
    if (!res)
        return -1;
    json_t *tot = obj_child(doc, "totales");
    static const char *medidas[] = {"fichas", "acciones", "personas", "mujeres", "hombres"};
    for (int r = 0; r < PQntuples(res); r++) {
        json_t *cell = json_object();
        for (int m = 0; m < 5; m++)
            json_object_set_new(cell, medidas[m],
                                json_integer(strtoll(PQgetvalue(res, r, 3 + m), NULL, 10)));
        json_t *dim = obj_child(obj_child(tot, PQgetvalue(res, r, 0)), PQgetvalue(res, r, 1));
        json_object_set_new(dim, PQgetvalue(res, r, 2), cell);
    }
    PQclear(res);
    return 0;
}

static int add_anual(PGconn *db, json_t *doc, const char *year, pmm_error *err)
{
    PGresult *res = query(db,
                          "SELECT ejercicio,"
                          "  sum(fichas) FILTER (WHERE dimension = 'total'),"
                          "  count(*) FILTER (WHERE dimension = 'emisor' AND valor LIKE 'D:%'),"
                          "  count(*) FILTER (WHERE dimension = 'emisor' AND valor LIKE 'E:%')"
                          " FROM totales WHERE filtro = '' AND fichas > 0"
                          "   AND ejercicio <= $1::int"
                          " GROUP BY ejercicio ORDER BY ejercicio",
                          year, err);
    if (!res)
        return -1;
    json_t *arr = json_array();
    for (int r = 0; r < PQntuples(res); r++) {
        json_t *o = json_object();
        json_object_set_new(o, "ejercicio", json_integer(atoi(PQgetvalue(res, r, 0))));
        json_object_set_new(o, "fichas", json_integer(strtoll(PQgetvalue(res, r, 1), NULL, 10)));
        json_object_set_new(o, "dependencias", json_integer(atoi(PQgetvalue(res, r, 2))));
        json_object_set_new(o, "entidades", json_integer(atoi(PQgetvalue(res, r, 3))));
        json_array_append_new(arr, o);
    }
    json_object_set_new(doc, "anual", arr);
    PQclear(res);
    return 0;
}

static int add_ejemplos(PGconn *db, json_t *doc, const char *year, pmm_error *err)
{
    /* The first fichas (by id) of each category, in a stable order. */
    PGresult *res = query(db,
                          "SELECT r, f.retos FROM agregados a"
                          "  JOIN fichas f ON f.id = a.ficha_id,"
                          "  LATERAL unnest(a.retos) r"
                          " WHERE a.ejercicio = $1::int AND f.retos IS NOT NULL"
                          "   AND NOT a.absorbida"
                          " ORDER BY r, f.id",
                          year, err);
    if (!res)
        return -1;
    json_t *ej = json_object();
    for (int r = 0; r < PQntuples(res); r++) {
        json_t *list = json_object_get(ej, PQgetvalue(res, r, 0));
        if (!list) {
            list = json_array();
            json_object_set_new(ej, PQgetvalue(res, r, 0), list);
        }
        if (json_array_size(list) < INFORME_EJEMPLOS_RETO)
            json_array_append_new(list, json_string(PQgetvalue(res, r, 1)));
    }
    json_object_set_new(doc, "retos_ejemplos", ej);
    PQclear(res);
    return 0;
}

static int add_procedencia(PGconn *db, json_t *doc, const char *year, pmm_error *err)
{
    PGresult *res = query(db,
                          "SELECT coalesce(max(f.recibida)::text, ''),"
                          "  coalesce(string_agg(DISTINCT c.taxonomia, ', '), ''),"
                          "  coalesce(string_agg(DISTINCT c.version_clasificador, ', '), ''),"
                          "  (SELECT count(*) FROM fichas_vigentes v WHERE v.ejercicio = $1::int)"
                          "   - count(*)"
                          " FROM agregados a JOIN fichas f ON f.id = a.ficha_id"
                          " JOIN clasificaciones c ON c.id = a.clasificacion_id"
                          " WHERE a.ejercicio = $1::int",
                          year, err);
    if (!res)
        return -1;
    json_object_set_new(doc, "corte", json_string(PQgetvalue(res, 0, 0)));
    json_object_set_new(doc, "taxonomia", json_string(PQgetvalue(res, 0, 1)));
    json_object_set_new(doc, "clasificador", json_string(PQgetvalue(res, 0, 2)));
    json_object_set_new(doc, "pendientes",
                        json_integer(strtoll(PQgetvalue(res, 0, 3), NULL, 10)));
    PQclear(res);
    return 0;
}

/* How many counted fichas carry an analyst's decision (the methodology
 * annex states it with the classifier version). */
static int add_revision(PGconn *db, json_t *doc, const char *year, pmm_error *err)
{
    PGresult *res = query(db,
                          "SELECT count(a.decision_id), count(*) FROM agregados a"
                          " WHERE a.ejercicio = $1::int AND NOT a.absorbida",
                          year, err);
    if (!res)
        return -1;
    json_object_set_new(doc, "revisadas",
                        json_integer(strtoll(PQgetvalue(res, 0, 0), NULL, 10)));
    json_object_set_new(doc, "contadas",
                        json_integer(strtoll(PQgetvalue(res, 0, 1), NULL, 10)));
    PQclear(res);
    return 0;
}

/* Programme continuity against the previous year (016_fichas.sql): the
 * year's counted fichas that continue one of the previous year's (link
 * confirmed, or proposed and not rejected), of which confirmed; the new
 * ones; the previous year's fichas that nothing continues. */
static int add_continuidad(PGconn *db, json_t *doc, const char *year, pmm_error *err)
{
    PGresult *res = query(
        db,
        "WITH cur AS (SELECT emisor, clave FROM agregados"
        "              WHERE ejercicio = $1::int AND NOT absorbida),"
        " prev AS (SELECT emisor, clave FROM agregados"
        "           WHERE ejercicio = $1::int - 1 AND NOT absorbida),"
        " l AS (SELECT DISTINCT ON (v.emisor, v.clave) v.* FROM v_vinculos v"
        "   JOIN prev p ON (p.emisor, p.clave) = (v.anterior_emisor, v.anterior_clave)"
        "   JOIN cur c ON (c.emisor, c.clave) = (v.emisor, v.clave)"
        "  WHERE v.ejercicio = $1::int AND v.anterior_ejercicio = $1::int - 1"
        "    AND v.estado <> 'rechazado'"
        "  ORDER BY v.emisor, v.clave, (v.estado = 'confirmado') DESC)"
        " SELECT (SELECT count(*) FROM cur), (SELECT count(*) FROM prev),"
        "        (SELECT count(*) FROM l), (SELECT count(*) FROM l WHERE estado = 'confirmado'),"
        "        (SELECT count(*) FROM prev p WHERE NOT EXISTS (SELECT 1 FROM l"
        "          WHERE (l.anterior_emisor, l.anterior_clave) = (p.emisor, p.clave)))",
        year, err);
    if (!res)
        return -1;
    long long v[5];
    for (int i = 0; i < 5; i++)
        v[i] = strtoll(PQgetvalue(res, 0, i), NULL, 10);
    PQclear(res);
    json_object_set_new(doc, "continuidad",
                        json_pack("{s:I,s:I,s:I,s:I,s:I,s:I}", "fichas", (json_int_t)v[0],
                                  "fichas_anterior", (json_int_t)v[1], "continuan",
                                  (json_int_t)v[2], "confirmadas", (json_int_t)v[3],
                                  "nuevas", (json_int_t)(v[0] - v[2]), "terminadas",
                                  (json_int_t)v[4]));
    return 0;
}

json_t *informe_datos_build(PGconn *db, int ejercicio, pmm_error *err)
{
    char year[16];
    snprintf(year, sizeof year, "%d", ejercicio);
    if (db_exec(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err) != 0)
        return NULL;
    json_t *doc = json_object();
    json_object_set_new(doc, "formato", json_integer(INFORME_DATOS_FORMATO));
    json_object_set_new(doc, "ejercicio", json_integer(ejercicio));
    json_object_set_new(doc, "totales", json_object());
    if (add_procedencia(db, doc, year, err) || add_revision(db, doc, year, err) ||
        add_totales(db, doc, year, err) ||
        add_anual(db, doc, year, err) || add_ejemplos(db, doc, year, err) ||
        add_continuidad(db, doc, year, err)) {
        json_decref(doc);
        doc = NULL;
    }
    pmm_error ignored;
    db_exec(db, "COMMIT", doc ? err : &ignored);
    return doc;
}

char *informe_datos_canonical(const json_t *datos, char hash_hex[65])
{
    char *text = json_dumps(datos, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENSURE_ASCII);
    if (!text)
        return NULL;
    uint8_t h[32];
    crypto_hash_sha256(h, (const uint8_t *)text, strlen(text));
    sodium_bin2hex(hash_hex, 65, h, sizeof h);
    return text;
}

json_t *informe_datos_cierre(PGconn *db, int ejercicio, char hash_hex[65],
                             pmm_error *err)
{
    char year[16];
    snprintf(year, sizeof year, "%d", ejercicio);
    PGresult *res = query(db,
                          "SELECT datos, hash FROM cierres WHERE ejercicio = $1::int"
                          " ORDER BY id DESC LIMIT 1",
                          year, err);
    if (!res)
        return NULL;
    if (PQntuples(res) == 0) {
        PQclear(res);
        pmm_error_set(err, PMM__ERROR_CODE__ERR_INVALID, "ejercicio", "sin_cierre",
                      "el ejercicio %d no tiene cierre: ejecute antes "
                      "pmm cierre --ejercicio %d",
                      ejercicio, ejercicio);
        return NULL;
    }
    json_error_t jerr;
    json_t *doc = json_loads(PQgetvalue(res, 0, 0), 0, &jerr);
    snprintf(hash_hex, 65, "%s", PQgetvalue(res, 0, 1));
    PQclear(res);
    if (!doc)
        pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "cierre",
                      "el cierre guardado no es JSON válido: %s", jerr.text);
    return doc;
}

long long informe_datos_celda(const json_t *datos, const char *filtro,
                              const char *dimension, const char *valor,
                              const char *medida)
{
    json_t *v = json_object_get(json_object_get(json_object_get(json_object_get(
                    json_object_get(datos, "totales"), filtro), dimension), valor),
                                medida);
    return v ? (long long)json_integer_value(v) : 0;
}
