/* ficha_doc.c -- one ficha whole, as one JSON document built by
 * PostgreSQL (ficha_doc.h). */
#include "ficha_doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

/* $1: ficha id (any version). Fields of a version compared between
 * versions: every column but the identity and bookkeeping ones. */
#define SIN_IDENTIDAD "- 'id' - 'version' - 'hash' - 'recibida'"

static const char DOC_SQL[] =
    "WITH k AS (SELECT emisor, ejercicio, clave FROM fichas WHERE id = $1::bigint),"
    " vs AS (SELECT f.* FROM fichas f JOIN k USING (emisor, ejercicio, clave)),"
    " cur AS (SELECT * FROM vs ORDER BY version DESC LIMIT 1),"
    " ag AS (SELECT a.* FROM agregados a JOIN k USING (emisor, ejercicio, clave)),"
    " cl AS (SELECT c.* FROM clasificaciones c, cur WHERE c.ficha_id = cur.id"
    "         ORDER BY c.id DESC LIMIT 1),"
    " dup AS (SELECT d.*, x.decision, x.cuenta_emisor, x.cuenta_clave, x.analista AS d_analista,"
    "                x.creada AS d_creada, x.nota AS d_nota"
    "           FROM duplicados d JOIN k ON d.ejercicio = k.ejercicio"
    "            AND ((d.emisor_a, d.clave_a) = (k.emisor, k.clave)"
    "              OR (d.emisor_b, d.clave_b) = (k.emisor, k.clave))"
    "           LEFT JOIN LATERAL (SELECT * FROM duplicados_decisiones x WHERE x.par = d.id"
    "                               ORDER BY x.id DESC LIMIT 1) x ON true)"
    " SELECT jsonb_build_object("
    "  'id', cur.id, 'emisor', cur.emisor, 'ejercicio', cur.ejercicio, 'clave', cur.clave,"
    "  'version', cur.version, 'recibida', to_json(cur.recibida),"
    "  'ficha', to_jsonb(cur) " SIN_IDENTIDAD ","
    "  'versiones', (SELECT jsonb_agg(jsonb_build_object("
    "      'id', v.id, 'version', v.version, 'recibida', to_json(v.recibida),"
    "      'hash', encode(v.hash, 'hex'),"
    "      'cambios', (SELECT coalesce(jsonb_agg(jsonb_build_object('campo', n.key,"
    "                      'antes', o.value, 'despues', n.value) ORDER BY n.key), '[]')"
    "                    FROM vs p, jsonb_each(to_jsonb(v) " SIN_IDENTIDAD ") n"
    "                    LEFT JOIN jsonb_each(to_jsonb(p) " SIN_IDENTIDAD ") o ON o.key = n.key"
    "                   WHERE p.version = v.version - 1"
    "                     AND n.value IS DISTINCT FROM o.value))"
    "      ORDER BY v.version) FROM vs v),"
    "  'clasificacion', (SELECT jsonb_build_object('version_clasificador',"
    "      cl.version_clasificador, 'taxonomia', cl.taxonomia, 'eje', cl.eje,"
    "      'subtema', cl.subtema, 'subtemas', cl.subtemas, 'ods', cl.ods, 'metas', cl.metas,"
    "      'retos', cl.retos, 'con_resultados', cl.con_resultados,"
    "      'confianza', round(cl.confianza::numeric, 3), 'evidencia', cl.evidencia,"
    "      'creada', to_json(cl.creada)) FROM cl),"
    "  'cuenta', (SELECT jsonb_build_object('ficha_id', ag.ficha_id, 'objetivo', ag.objetivo,"
    "      'eje', ag.eje, 'subtema', ag.subtema, 'ods', ag.ods, 'absorbida', ag.absorbida,"
    "      'acciones', ag.acciones, 'personas', ag.personas) FROM ag),"
    "  'decisiones', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', d.id,"
    "      'analista', d.analista, 'creada', to_json(d.creada), 'nota', d.nota,"
    "      'eje', d.eje, 'subtema', d.subtema, 'ods', d.ods, 'objetivo_pmm', d.objetivo_pmm,"
    "      'ficha_id', d.ficha_id) ORDER BY d.id), '[]')"
    "      FROM decisiones d JOIN k USING (emisor, ejercicio, clave)),"
    "  'revision', (SELECT jsonb_build_object('estado', r.estado, 'observaciones',"
    "      r.observaciones) FROM v_estado_revision r JOIN k USING (emisor, ejercicio, clave)),"
    "  'programa_id', pmm_programa_id(cur.emisor, cur.ejercicio, cur.clave),"
    "  'continua', (SELECT coalesce(jsonb_agg(jsonb_build_object('estado', v.estado,"
    "      'emisor', v.anterior_emisor, 'ejercicio', v.anterior_ejercicio,"
    "      'clave', v.anterior_clave, 'ficha', (SELECT max(id) FROM fichas g"
    "         WHERE (g.emisor, g.ejercicio, g.clave) = (v.anterior_emisor,"
    "               v.anterior_ejercicio, v.anterior_clave)),"
    "      'programa', (SELECT g.programa FROM fichas g"
    "         WHERE (g.emisor, g.ejercicio, g.clave) = (v.anterior_emisor,"
    "               v.anterior_ejercicio, v.anterior_clave) ORDER BY g.version DESC LIMIT 1),"
    "      'similitud', v.similitud, 'analista', v.analista) ORDER BY v.anterior_ejercicio DESC),"
    "      '[]') FROM v_vinculos v JOIN k USING (emisor, ejercicio, clave)"
    "      WHERE v.estado <> 'rechazado'),"
    "  'continuada_por', (SELECT coalesce(jsonb_agg(jsonb_build_object('estado', v.estado,"
    "      'emisor', v.emisor, 'ejercicio', v.ejercicio, 'clave', v.clave,"
    "      'ficha', (SELECT max(id) FROM fichas g WHERE (g.emisor, g.ejercicio, g.clave)"
    "                = (v.emisor, v.ejercicio, v.clave)))), '[]')"
    "      FROM v_vinculos v JOIN k ON (v.anterior_emisor, v.anterior_ejercicio,"
    "           v.anterior_clave) = (k.emisor, k.ejercicio, k.clave)"
    "      WHERE v.estado <> 'rechazado'),"
    "  'duplicados', (SELECT coalesce(jsonb_agg(jsonb_build_object('par', d.id,"
    "      'emisor', CASE WHEN (d.emisor_a, d.clave_a) = (cur.emisor, cur.clave)"
    "                     THEN d.emisor_b ELSE d.emisor_a END,"
    "      'clave', CASE WHEN (d.emisor_a, d.clave_a) = (cur.emisor, cur.clave)"
    "                    THEN d.clave_b ELSE d.clave_a END,"
    "      'ficha', CASE WHEN (d.emisor_a, d.clave_a) = (cur.emisor, cur.clave)"
    "                    THEN d.ficha_b ELSE d.ficha_a END,"
    "      'similitud', round(d.similitud::numeric, 3), 'tipo', d.tipo,"
    "      'decision', d.decision, 'cuenta', CASE WHEN d.cuenta_clave IS NULL THEN NULL"
    "                  ELSE d.cuenta_emisor || '/' || d.cuenta_clave END,"
    "      'analista', d.d_analista, 'decidida', to_json(d.d_creada), 'nota', d.d_nota)"
    "      ORDER BY d.similitud DESC), '[]') FROM dup d),"
    "  'auditoria', (SELECT coalesce(jsonb_agg(jsonb_build_object('momento', to_json(a.momento),"
    "      'identidad', a.identidad, 'resultado', a.resultado, 'campo', a.campo,"
    "      'regla', a.regla, 'ficha_id', a.ficha_id) ORDER BY a.id), '[]')"
    "      FROM v_auditoria_fichas a JOIN k USING (emisor, ejercicio, clave))"
    " )::text FROM cur";

/* The id of a ficha given as an id or a clave; 0 when none, -1 with err
 * when a clave names several fichas (several senders or years). */
static long long resolver(PGconn *db, const char *ref, pmm_error *err)
{
    const char *p[] = {ref};
    PGresult *res = PQexecParams(
        db,
        "SELECT max(id), emisor, ejercicio FROM fichas"
        " WHERE ($1 ~ '^[0-9]{1,18}$' AND id = $1::bigint) OR clave = $1"
        " GROUP BY emisor, ejercicio, clave ORDER BY ejercicio DESC, emisor",
        1, NULL, p, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(db, res, "no se pudo buscar la ficha", err);
        PQclear(res);
        return -1;
    }
    long long id = 0;
    if (PQntuples(res) == 1) {
        id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    } else if (PQntuples(res) > 1) {
        char lista[400] = "";
        size_t off = 0;
        for (int r = 0; r < PQntuples(res) && r < 8; r++)
            off += (size_t)snprintf(lista + off, off < sizeof lista ? sizeof lista - off : 0,
                                    "%s%s (%s, %s)", r ? "; " : "", PQgetvalue(res, r, 0),
                                    PQgetvalue(res, r, 1), PQgetvalue(res, r, 2));
        pmm_error_set(err, 1, "ID", "ambigua",
                      "la clave «%.64s» es de varias fichas; indique el ID: %s", ref, lista);
        id = -1;
    }
    PQclear(res);
    return id;
}

json_t *ficha_doc(PGconn *db, const char *ref, const char *zona, pmm_error *err)
{
    const char *tz[] = {zona};
    PGresult *res = PQexecParams(db, "SELECT set_config('TimeZone', $1, true)", 1, NULL, tz,
                                 NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(db, res, "zona horaria no válida", err);
        PQclear(res);
        return NULL;
    }
    PQclear(res);
    long long id = resolver(db, ref, err);
    if (id < 0)
        return NULL;
    if (id == 0) {
        pmm_error_set(err, 1, "ID", "no_existe",
                      "no hay ninguna ficha con el ID o la clave «%.64s»", ref);
        return NULL;
    }
    char idbuf[24];
    snprintf(idbuf, sizeof idbuf, "%lld", id);
    const char *p[] = {idbuf};
    res = PQexecParams(db, DOC_SQL, 1, NULL, p, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
        db_error(db, res, "no se pudo leer la ficha", err);
        PQclear(res);
        return NULL;
    }
    json_error_t jerr;
    json_t *doc = json_loads(PQgetvalue(res, 0, 0), 0, &jerr);
    PQclear(res);
    if (!doc)
        pmm_error_set(err, 7, "", "json", "respuesta ilegible de la base de datos");
    return doc;
}

int ficha_contacto(PGconn *admin, long long id, const char *analista, json_t *doc,
                   pmm_error *err)
{
    char idbuf[24];
    snprintf(idbuf, sizeof idbuf, "%lld", id);
    const char *p[] = {idbuf, analista};
    if (db_exec(admin, "BEGIN", err) != 0)
        return -1;
    /* the read and its audit row in one transaction */
    PGresult *res = PQexecParams(
        admin,
        "WITH a AS (INSERT INTO auditoria (identidad, emisor, ejercicio, clave, resultado,"
        "            ficha_id)"
        "   SELECT 'admin|' || $2, emisor, ejercicio, clave, 'contacto_leido', id"
        "     FROM fichas WHERE id = $1::bigint RETURNING 1)"
        " SELECT c.nombre, c.cargo, c.telefono, c.correo, (SELECT count(*) FROM a)"
        "   FROM (SELECT 1) x LEFT JOIN contactos c ON c.ficha_id = $1::bigint",
        2, NULL, p, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(admin, res, "no se pudo leer el contacto (solo un administrador puede)", err);
        PQclear(res);
        pmm_error ignored;
        db_exec(admin, "ROLLBACK", &ignored);
        return -1;
    }
    json_t *c = json_object();
    static const char *const campos[] = {"nombre", "cargo", "telefono", "correo"};
    for (int i = 0; i < 4; i++)
        json_object_set_new(c, campos[i],
                            PQgetisnull(res, 0, i) ? json_null()
                                                   : json_string(PQgetvalue(res, 0, i)));
    PQclear(res);
    json_object_set_new(doc, "contacto", c);
    return db_exec(admin, "COMMIT", err);
}
