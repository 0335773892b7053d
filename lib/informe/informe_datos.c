#include "informe_datos.h"
#include "informe_ejemplos.h"

#include <sodium.h>
#include <stdbool.h>
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
                          "  count(*) FILTER (WHERE dimension = 'emisor' AND valor LIKE 'E:%'),"
                          "  coalesce(sum(fichas) FILTER (WHERE dimension = 'ambito'"
                          "                               AND valor = 'estatal'), 0),"
                          "  coalesce(sum(fichas) FILTER (WHERE dimension = 'ods_total'), 0),"
                          "  coalesce(json_object_agg(valor, fichas)"
                          "           FILTER (WHERE dimension = 'ods'), '{}')::text"
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
        json_object_set_new(o, "estatales", json_integer(strtoll(PQgetvalue(res, r, 4), NULL, 10)));
        json_object_set_new(o, "ods_total", json_integer(strtoll(PQgetvalue(res, r, 5), NULL, 10)));
        json_t *ods = json_loads(PQgetvalue(res, r, 6), 0, NULL);
        if (!json_is_object(ods)) {
            json_decref(ods);
            json_decref(o);
            json_decref(arr);
            pmm_error_set(err, 6, "anual", "formato",
                          "la base de datos devolvió las acciones por ODS de %s en un formato "
                          "inesperado",
                          PQgetvalue(res, r, 0));
            PQclear(res);
            return -1;
        }
        json_object_set_new(o, "ods", ods);
        json_array_append_new(arr, o);
    }
    json_object_set_new(doc, "anual", arr);
    PQclear(res);
    return 0;
}

/* Whitespace-collapsed text, for comparing quotes. */
static void colapsar(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    bool space = false;
    for (; *s && n + 1 < cap; s++) {
        if (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t') {
            space = n > 0;
            continue;
        }
        if (space && n + 2 < cap)
            out[n++] = ' ';
        space = false;
        out[n++] = *s;
    }
    out[n] = '\0';
}

static bool ya_citado(const json_t *list, const char *texto)
{
    char a[1024], b[1024];
    colapsar(texto, a, sizeof a);
    size_t i;
    json_t *x;
    json_array_foreach(list, i, x) {
        colapsar(json_string_value(x), b, sizeof b);
        if (!strcmp(a, b))
            return true;
    }
    return false;
}

static int add_ejemplos(PGconn *db, json_t *doc, const char *year, pmm_error *err)
{
    /* The first fichas (by id) of each category, in a stable order; a text
     * already kept for the category is not kept twice. */
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
        if (json_array_size(list) < INFORME_EJEMPLOS_RETO &&
            !ya_citado(list, PQgetvalue(res, r, 1)))
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

/* The unit's own conclusions for the year (pmm informe conclusiones), the
 * latest version, as "conclusiones": {"version": n, "texto": "…"}; absent
 * when the unit wrote none (the report then prints a marked blank). */
static int add_conclusiones(PGconn *db, json_t *doc, const char *year, pmm_error *err)
{
    PGresult *res = query(db,
                          "SELECT version, texto FROM informe_conclusiones"
                          " WHERE ejercicio = $1::int ORDER BY version DESC LIMIT 1",
                          year, err);
    if (!res)
        return -1;
    if (PQntuples(res) == 1)
        json_object_set_new(doc, "conclusiones",
                            json_pack("{s:I,s:s}", "version",
                                      (json_int_t)strtoll(PQgetvalue(res, 0, 0), NULL, 10),
                                      "texto", PQgetvalue(res, 0, 1)));
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

/* The year's call (015), for the methodology annex: the deadline, the
 * rates' terms (pmm_cobertura: the rule is defined there once), the same by
 * type, the expected bodies and their status (pmm_seguimiento), and how many
 * counted fichas are not approved yet. Only when the year has a call, so a
 * year without one keeps the same data (and hash) as before; a close
 * freezes it with the rest (pmm cierre stores this document). */
static int add_convocatoria(PGconn *db, json_t *doc, const char *year, pmm_error *err)
{
    PGresult *res = query(
        db,
        "SELECT json_build_object("
        "  'limite', c.limite::text, 'gracia', c.gracia,"
        "  'contar_revision', c.contar_revision,"
        "  'total', (SELECT row_to_json(t) FROM (SELECT esperados, entregaron, a_tiempo, tarde,"
        "              sin_acciones, faltan FROM pmm_cobertura($1::int)"
        "             WHERE nivel = 'total') t),"
        "  'por_tipo', (SELECT coalesce(json_agg(t ORDER BY t.tipo), '[]') FROM"
        "               (SELECT tipo, esperados, entregaron, a_tiempo, tarde, sin_acciones,"
        "                       faltan FROM pmm_cobertura($1::int) WHERE nivel = 'tipo') t),"
        "  'cuerpos', (SELECT coalesce(json_agg(json_build_object('emisor', s.emisor,"
        "                'nombre', coalesce(s.nombre, s.emisor), 'tipo', s.tipo,"
        "                'estado', s.estado) ORDER BY s.tipo, s.nombre, s.emisor), '[]')"
        "                FROM pmm_seguimiento($1::int) s WHERE s.esperado),"
        "  'sin_aprobar', (SELECT count(*) FROM agregados a WHERE a.ejercicio = $1::int"
        "      AND NOT a.absorbida"
        "      AND (SELECT r.estado FROM revisiones r WHERE r.ficha_id = a.ficha_id"
        "            ORDER BY r.id DESC LIMIT 1) IS DISTINCT FROM 'aprobada')"
        ")::text FROM convocatorias c WHERE c.ejercicio = $1::int",
        year, err);
    if (!res)
        return -1;
    if (PQntuples(res) == 1) {
        json_error_t jerr;
        json_t *v = json_loads(PQgetvalue(res, 0, 0), 0, &jerr);
        if (!v) {
            PQclear(res);
            return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "convocatoria",
                                 "la base de datos devolvió una convocatoria ilegible");
        }
        json_object_set_new(doc, "convocatoria", v);
    }
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

/* Runs sql (one row, one JSON object as text) for the year and sets it as
 * doc[clave]; que names the part in the error. */
static int add_objeto_json(PGconn *db, json_t *doc, const char *year, const char *clave,
                           const char *que, const char *sql, pmm_error *err)
{
    PGresult *res = query(db, sql, year, err);
    if (!res)
        return -1;
    json_error_t je;
    json_t *v = json_loads(PQgetvalue(res, 0, 0), 0, &je);
    PQclear(res);
    if (!json_is_object(v)) {
        json_decref(v);
        return pmm_error_set(err, 6, clave, "formato",
                             "la base de datos devolvió %s en un formato inesperado", que);
    }
    json_object_set_new(doc, clave, v);
    return 0;
}

/* The Diagnóstico's chapter tables (issue 20): per sub-topic, the counted
 * fichas, those with results and, per SDG, the fichas aligned with it, from
 * the same rows and rule as the totals (agregados: the analysts' decisions
 * applied, absorbed duplicates out). */
static int add_subtemas_ods(PGconn *db, json_t *doc, const char *year, pmm_error *err)
{
    return add_objeto_json(
        db, doc, year, "subtemas_ods", "los subtemas por ODS",
        "SELECT coalesce(json_object_agg(t.subtema, json_build_object("
        "         'fichas', t.n, 'con_resultados', t.c, 'ods', t.ods)), '{}')::text"
        "  FROM (SELECT a.subtema, count(*) AS n,"
        "               count(*) FILTER (WHERE cardinality(a.ods) > 0) AS c,"
        "               coalesce((SELECT json_object_agg(s.o, s.m)"
        "                           FROM (SELECT o, count(DISTINCT (b.emisor, b.clave)) AS m"
        "                                   FROM agregados b, unnest(b.ods) AS o"
        "                                  WHERE b.ejercicio = $1::int AND NOT b.absorbida"
        "                                    AND b.subtema = a.subtema GROUP BY o) s),"
        "                        '{}'::json) AS ods"
        "          FROM agregados a WHERE a.ejercicio = $1::int AND NOT a.absorbida"
        "         GROUP BY a.subtema) t",
        err);
}

/* Per objective (the voluntary review's progress section): the fichas
 * naming each challenge category, and the areas served as the fichas write
 * them, grouped without case or accents under their most frequent spelling,
 * the five most frequent (ties by name). Same rows as the totals. */
static int add_objetivos_detalle(PGconn *db, json_t *doc, const char *year, pmm_error *err)
{
    return add_objeto_json(
        db, doc, year, "objetivos_detalle", "los retos y zonas por objetivo",
        "SELECT coalesce(json_object_agg(t.objetivo, json_build_object("
        "         'retos', t.retos, 'zonas', t.zonas)), '{}')::text"
        "  FROM (SELECT a.objetivo,"
        "               coalesce((SELECT json_object_agg(x.r, x.n)"
        "                           FROM (SELECT r, count(*) AS n"
        "                                   FROM agregados b, unnest(b.retos) AS r"
        "                                  WHERE b.ejercicio = $1::int AND NOT b.absorbida"
        "                                    AND b.objetivo = a.objetivo GROUP BY r) x),"
        "                        '{}'::json) AS retos,"
        "               coalesce((SELECT json_object_agg(y.z, y.n)"
        "                           FROM (SELECT mode() WITHIN GROUP (ORDER BY btrim(f.zona)) AS z,"
        "                                        count(*) AS n"
        "                                   FROM agregados b JOIN fichas f ON f.id = b.ficha_id"
        "                                  WHERE b.ejercicio = $1::int AND NOT b.absorbida"
        "                                    AND b.objetivo = a.objetivo"
        "                                    AND btrim(coalesce(f.zona, '')) <> ''"
        "                                  GROUP BY pmm_plegar(btrim(f.zona))"
        "                                  ORDER BY n DESC, z LIMIT 5) y),"
        "                        '{}'::json) AS zonas"
        "          FROM agregados a WHERE a.ejercicio = $1::int AND NOT a.absorbida"
        "         GROUP BY a.objetivo) t",
        err);
}

static json_t *datos_en_tx(PGconn *db, int ejercicio, int ejemplos, pmm_error *err)
{
    char year[16];
    snprintf(year, sizeof year, "%d", ejercicio);
    json_t *doc = json_object();
    json_object_set_new(doc, "formato", json_integer(INFORME_DATOS_FORMATO));
    json_object_set_new(doc, "ejercicio", json_integer(ejercicio));
    json_object_set_new(doc, "ejemplos_por_objetivo", json_integer(ejemplos));
    json_object_set_new(doc, "totales", json_object());
    if (add_procedencia(db, doc, year, err) || add_revision(db, doc, year, err) ||
        add_totales(db, doc, year, err) ||
        add_anual(db, doc, year, err) || add_ejemplos(db, doc, year, err) ||
        add_convocatoria(db, doc, year, err) || add_continuidad(db, doc, year, err) ||
        add_subtemas_ods(db, doc, year, err) || add_objetivos_detalle(db, doc, year, err) ||
        add_conclusiones(db, doc, year, err) || informe_ejemplos_add(db, doc, year, ejemplos, err)) {
        json_decref(doc);
        doc = NULL;
    }
    return doc;
}

/* Only the columns the Compendio prints; the contact table is not named. */
static const char SQL_COMPENDIO[] =
    "SELECT coalesce(json_agg(x ORDER BY x.emisor, x.clave), '[]')::text,"
    "       coalesce((SELECT max(f2.recibida)::text FROM agregados a2"
    "                   JOIN fichas f2 ON f2.id = a2.ficha_id"
    "                  WHERE a2.ejercicio = $1::int), ''),"
    "       coalesce((SELECT string_agg(DISTINCT c.taxonomia, ', ')"
    "                   FROM agregados a3"
    "                   JOIN clasificaciones c ON c.id = a3.clasificacion_id"
    "                  WHERE a3.ejercicio = $1::int), '')"
    "  FROM (SELECT f.id, f.version, f.emisor, f.clave, a.ambito, a.dependencia,"
    "               a.entidad, a.objetivo, f.unidad, f.programa,"
    "               f.objetivo AS proposito, f.poblacion_objetivo, f.inicio,"
    "               f.temporalidad, f.fin, f.acciones, f.personas, f.mujeres,"
    "               f.hombres, f.zona, f.resultados_texto, f.retos,"
    "               a.retos AS retos_cat, a.eje, a.subtema, a.ods,"
    /* the other senders of the same action ("misma acción", 016) */
    "               (SELECT json_agg(DISTINCT x.emisor) FROM fichas_absorbidas x"
    "                 WHERE x.cuenta_emisor = a.emisor AND x.ejercicio = a.ejercicio"
    "                   AND x.cuenta_clave = a.clave AND x.emisor <> a.emisor)"
    "               AS participantes"
    "          FROM agregados a JOIN fichas f ON f.id = a.ficha_id"
    "         WHERE a.ejercicio = $1::int AND NOT a.absorbida) x";

static json_t *compendio_en_tx(PGconn *db, int ejercicio, pmm_error *err)
{
    char year[16];
    snprintf(year, sizeof year, "%d", ejercicio);
    PGresult *res = query(db, SQL_COMPENDIO, year, err);
    if (!res)
        return NULL;
    json_error_t jerr;
    json_t *fichas = json_loads(PQgetvalue(res, 0, 0), 0, &jerr);
    if (!fichas) {
        pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "json",
                      "respuesta inválida de la base de datos: %s", jerr.text);
        PQclear(res);
        return NULL;
    }
    json_t *doc = json_pack("{s:i,s:i,s:s,s:s,s:o}", "formato", INFORME_DATOS_FORMATO,
                            "ejercicio", ejercicio, "corte", PQgetvalue(res, 0, 1),
                            "taxonomia", PQgetvalue(res, 0, 2), "fichas", fichas);
    PQclear(res);
    if (!doc)
        pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "memoria", "sin memoria");
    return doc;
}

/* The dataset and/or the Compendio's input in one REPEATABLE READ
 * transaction. */
static int en_tx(PGconn *db, int ejercicio, int ejemplos, json_t **datos, json_t **compendio,
                 pmm_error *err)
{
    if (ejemplos < 1 || ejemplos > INFORME_EJEMPLOS_MAX)
        return pmm_error_set(err, 3, "ejemplos_por_objetivo", "rango",
                             "[informe] ejemplos_por_objetivo va de 1 a %d; se indicó %d",
                             INFORME_EJEMPLOS_MAX, ejemplos);
    if (db_exec(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err) != 0)
        return -1;
    /* times in the dataset are UTC whatever the session's zone, so the same
     * data always gives the same text (and hash) */
    int rc = db_exec(db, "SET LOCAL TimeZone = 'UTC'", err);
    if (rc == 0 && datos && !(*datos = datos_en_tx(db, ejercicio, ejemplos, err)))
        rc = -1;
    if (rc == 0 && compendio && !(*compendio = compendio_en_tx(db, ejercicio, err)))
        rc = -1;
    pmm_error ignored;
    if (db_exec(db, rc == 0 ? "COMMIT" : "ROLLBACK", rc == 0 ? err : &ignored) != 0)
        rc = -1;
    if (rc) {
        if (datos) {
            json_decref(*datos);
            *datos = NULL;
        }
        if (compendio) {
            json_decref(*compendio);
            *compendio = NULL;
        }
    }
    return rc;
}

json_t *informe_datos_build(PGconn *db, int ejercicio, int ejemplos, pmm_error *err)
{
    json_t *d = NULL;
    return en_tx(db, ejercicio, ejemplos, &d, NULL, err) ? NULL : d;
}

json_t *informe_compendio_build(PGconn *db, int ejercicio, pmm_error *err)
{
    json_t *c = NULL;
    return en_tx(db, ejercicio, INFORME_EJEMPLOS_N, NULL, &c, err) ? NULL : c;
}

int informe_cierre_build(PGconn *db, int ejercicio, int ejemplos, json_t **datos,
                         json_t **compendio, pmm_error *err)
{
    *datos = *compendio = NULL;
    return en_tx(db, ejercicio, ejemplos, datos, compendio, err);
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

/* The latest close of a year: column col (datos or compendio) and hash
 * column hcol, its id and when it was made. */
static json_t *de_cierre(PGconn *db, int ejercicio, const char *col, const char *hcol,
                         char hash_hex[65], informe_cierre_info *info, pmm_error *err)
{
    char year[16], sql[256];
    snprintf(year, sizeof year, "%d", ejercicio);
    snprintf(sql, sizeof sql,
             "SELECT %s, %s, id, creado::text FROM cierres WHERE ejercicio = $1::int"
             " ORDER BY id DESC LIMIT 1", col, hcol);
    PGresult *res = query(db, sql, year, err);
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
    if (info) {
        info->id = strtoll(PQgetvalue(res, 0, 2), NULL, 10);
        snprintf(info->creado, sizeof info->creado, "%s", PQgetvalue(res, 0, 3));
    }
    if (PQgetisnull(res, 0, 0)) {
        pmm_error_set(err, PMM__ERROR_CODE__ERR_INVALID, "ejercicio", "cierre_antiguo",
                      "el cierre %s del ejercicio %d se hizo antes de que los cierres "
                      "guardaran el Compendio; haga un cierre nuevo con "
                      "pmm cierre --ejercicio %d",
                      PQgetvalue(res, 0, 2), ejercicio, ejercicio);
        PQclear(res);
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

json_t *informe_datos_cierre(PGconn *db, int ejercicio, char hash_hex[65],
                             pmm_error *err)
{
    return de_cierre(db, ejercicio, "datos", "hash", hash_hex, NULL, err);
}

json_t *informe_compendio_cierre(PGconn *db, int ejercicio, char hash_hex[65],
                                 informe_cierre_info *info, pmm_error *err)
{
    return de_cierre(db, ejercicio, "compendio", "compendio_hash", hash_hex, info, err);
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
