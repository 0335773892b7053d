/* fichas_consulta.c -- the SQL of `pmm fichas` (fichas_consulta.h). */
#include "fichas_consulta.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "strbuf.h"

int fichas_celda(const consulta_opciones *o, const char **dimension, char *valor,
                 size_t cap)
{
    int n = (o->objetivo > 0) + (o->eje > 0) + (o->subtema != NULL) + (o->ods > 0) +
            (o->ambito != NULL);
    if (n > 1 || o->estado_revision || o->buscar)
        return 0;
    valor[0] = '\0';
    *dimension = "total";
    if (o->objetivo) {
        *dimension = "objetivo";
        snprintf(valor, cap, "%d", o->objetivo);
    } else if (o->eje) {
        *dimension = "eje";
        snprintf(valor, cap, "%d", o->eje);
    } else if (o->subtema) {
        *dimension = "subtema";
        snprintf(valor, cap, "%s", o->subtema);
    } else if (o->ods) {
        *dimension = "ods";
        snprintf(valor, cap, "%d", o->ods);
    } else if (o->ambito) {
        *dimension = "ambito";
        snprintf(valor, cap, "%s", o->ambito);
    }
    return 1;
}

typedef struct {
    strbuf sql;
    const char *p[16];
    char num[8][24];
    int n, nn;
} consulta;

/* Adds a parameter and returns its number ($k). */
static int param(consulta *q, const char *v)
{
    q->p[q->n] = v;
    return ++q->n;
}

static int param_int(consulta *q, long v)
{
    snprintf(q->num[q->nn], sizeof q->num[0], "%ld", v);
    return param(q, q->num[q->nn++]);
}

/* FROM and WHERE shared by the list and the count. */
static void desde(consulta *q, const consulta_opciones *o, const char *filtro)
{
    strbuf *s = &q->sql;
    int d = param_int(q, o->rango.desde), h = param_int(q, o->rango.hasta);
    if (o->buscar) {
        /* the matches come from the indexes, by year: the words (GIN on
         * the document), then names like the text typed (trigrams,
         * similarity >= 0.5: a misspelt or partial name) that the words
         * missed; each is then joined to its counted contribution. Two
         * branches rather than one OR, so that a name match does not read
         * the document and a word match does not compare names. */
        int k = param(q, o->buscar);
        strbuf_printf(s,
                      " FROM websearch_to_tsquery('pmm_es', $%d) q"
                      " CROSS JOIN pmm_plegar($%d) qn"
                      " CROSS JOIN LATERAL ("
                      "   SELECT b.* FROM busqueda b WHERE b.ejercicio BETWEEN $%d::int"
                      "     AND $%d::int AND b.documento @@ q"
                      "   UNION ALL"
                      "   SELECT b.* FROM busqueda b WHERE b.ejercicio BETWEEN $%d::int"
                      "     AND $%d::int AND qn %% b.nombre AND NOT b.documento @@ q) b"
                      " JOIN agregados a ON a.emisor = b.emisor AND a.ejercicio = b.ejercicio"
                      "  AND a.clave = b.clave", k, k, d, h, d, h);
    } else {
        strbuf_puts(s, " FROM agregados a");
    }
    strbuf_puts(s, " LEFT JOIN v_estado_revision r ON r.emisor = a.emisor"
                   "  AND r.ejercicio = a.ejercicio AND r.clave = a.clave");
    strbuf_printf(s, " WHERE a.ejercicio BETWEEN $%d::int AND $%d::int AND NOT a.absorbida", d,
                  h);
    if (o->objetivo)
        strbuf_printf(s, " AND a.objetivo = $%d::smallint", param_int(q, o->objetivo));
    if (o->eje)
        strbuf_printf(s, " AND a.eje = $%d::smallint", param_int(q, o->eje));
    if (o->subtema)
        strbuf_printf(s, " AND a.subtema = $%d", param(q, o->subtema));
    if (o->ods)
        strbuf_printf(s, " AND $%d::smallint = ANY (a.ods)", param_int(q, o->ods));
    if (o->ambito)
        strbuf_printf(s, " AND a.ambito = $%d", param(q, o->ambito));
    if (o->estado_revision)
        strbuf_printf(s, " AND coalesce(r.estado, 'sin_revisar') = $%d",
                      param(q, o->estado_revision));
    /* the cells rule's filters (aggregd/celdas.c) */
    if (!strncmp(filtro, "D:", 2))
        strbuf_printf(s, " AND a.ambito = 'federal' AND a.dependencia = $%d",
                      param(q, filtro + 2));
    else if (!strncmp(filtro, "E:", 2))
        strbuf_printf(s, " AND a.entidad = $%d::smallint", param_int(q, atol(filtro + 2)));
}

/* A search reads the document of every row it keeps (the match is
 * checked again on the row, and ranking reads it), a cost the planner
 * does not see: for a common word it prefers to read the whole table, or
 * to hash every match, and test every document: seconds at a million
 * fichas. Within the command's transaction, the matches come from the
 * indexes and each one is joined by key, so that the first
 * FICHAS_CANDIDATOS end the reading. */
static int solo_indices(PGconn *db, pmm_error *err)
{
    return db_exec(db, "SET LOCAL enable_seqscan = off; SET LOCAL enable_hashjoin = off;"
                       " SET LOCAL enable_mergejoin = off;"
                       " SET LOCAL max_parallel_workers_per_gather = 0;"
                       " SET LOCAL pg_trgm.similarity_threshold = 0.5", err);
}

static PGresult *ejecutar(PGconn *db, consulta *q, const char *que, pmm_error *err)
{
    if (strbuf_failed(&q->sql)) {
        pmm_error_set(err, 7, "", "memoria", "sin memoria");
        return NULL;
    }
    PGresult *res = PQexecParams(db, q->sql.data, q->n, NULL, q->p, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(db, res, que, err);
        PQclear(res);
        return NULL;
    }
    return res;
}

PGresult *fichas_listar(PGconn *db, const consulta_opciones *o, const char *filtro,
                        int todas, pmm_error *err)
{
    consulta q = {0};
    strbuf_init(&q.sql);
    strbuf *s = &q.sql;
    const char *orden = o->buscar && o->relevancia
                            ? "rango DESC, a.ejercicio, a.emisor, a.clave"
                            : "a.ejercicio, a.emisor, a.clave";
    int capar = o->buscar && !todas;
    strbuf_puts(s, capar ? "WITH c AS MATERIALIZED (" : "WITH m AS (");
    strbuf_puts(s, "SELECT a.emisor, a.ejercicio, a.clave, a.ficha_id,"
                   " a.clasificacion_id, a.objetivo, a.eje, a.subtema, a.ods,"
                   " coalesce(r.estado, 'sin_revisar') AS estado,");
    if (capar)
        strbuf_puts(s, " b.documento, b.nombre AS bnombre, q, qn");
    else if (o->buscar)
        strbuf_puts(s, " (ts_rank_cd(b.documento, q) + similarity(b.nombre, qn))::real AS rango,"
                       " q");
    else
        strbuf_puts(s, " 0::real AS rango, NULL::tsquery AS q");
    desde(&q, o, filtro);
    if (capar) {
        /* a page is ranked among the first FICHAS_CANDIDATOS matches:
         * ranking reads every match's document, and a common word can
         * match a hundred thousand fichas (csv and json rank them all) */
        strbuf_printf(s, " LIMIT %d),"
                         " m AS (SELECT c.*, (ts_rank_cd(c.documento, c.q)"
                         "   + similarity(c.bnombre, c.qn))::real AS rango FROM c",
                      FICHAS_CANDIDATOS);
        orden = "rango DESC, ejercicio, emisor, clave";
        if (!o->relevancia)
            orden = "ejercicio, emisor, clave";
    }
    strbuf_printf(s, " ORDER BY %s", orden);
    if (!todas) {
        size_t pagina = o->pagina ? o->pagina : 1;
        strbuf_printf(s, " LIMIT %d OFFSET %zu", FICHAS_POR_PAGINA,
                      (pagina - 1) * FICHAS_POR_PAGINA);
    }
    strbuf_puts(s, ")"
                   " SELECT m.ficha_id, f.clave, m.emisor, m.ejercicio, f.version, f.programa,"
                   "  m.objetivo, m.eje, m.subtema, array_to_string(m.ods, ','),"
                   "  c.con_resultados, m.estado,"
                   "  (SELECT string_agg(DISTINCT x.emisor, ',') FROM fichas_absorbidas x"
                   "    WHERE x.cuenta_emisor = m.emisor AND x.ejercicio = m.ejercicio"
                   "      AND x.cuenta_clave = m.clave AND x.emisor <> m.emisor),"
                   "  m.rango,");
    if (o->buscar)
        strbuf_puts(s, "  ts_headline('pmm_es', concat_ws(' … ', f.programa, f.objetivo,"
                       "   f.resultados_texto, f.retos), m.q,"
                       "   'StartSel=«, StopSel=», MaxWords=22, MinWords=8, MaxFragments=2,"
                       "    FragmentDelimiter=\" … \"')");
    else
        strbuf_puts(s, "  NULL");
    strbuf_puts(s, " FROM m JOIN fichas f ON f.id = m.ficha_id"
                   " JOIN clasificaciones c ON c.id = m.clasificacion_id");
    strbuf_printf(s, " ORDER BY %s",
                  o->buscar && o->relevancia ? "m.rango DESC, m.ejercicio, m.emisor, m.clave"
                                             : "m.ejercicio, m.emisor, m.clave");
    PGresult *res = o->buscar && solo_indices(db, err) ? NULL
                    : ejecutar(db, &q, "no se pudieron leer las fichas", err);
    strbuf_free(&q.sql);
    return res;
}

int fichas_contar(PGconn *db, const consulta_opciones *o, const char *filtro,
                  long long *n, pmm_error *err)
{
    const char *dimension;
    char valor[64];
    consulta q = {0};
    strbuf_init(&q.sql);
    if (fichas_celda(o, &dimension, valor, sizeof valor)) {
        /* the cell itself: the same number by the same rule */
        param_int(&q, o->rango.desde);
        param_int(&q, o->rango.hasta);
        param(&q, filtro);
        param(&q, dimension);
        param(&q, valor);
        strbuf_puts(&q.sql,
                    "SELECT coalesce(sum(fichas), 0) FROM totales"
                    " WHERE ejercicio BETWEEN $1::int AND $2::int AND filtro = $3"
                    "   AND dimension = $4 AND valor = $5");
    } else if (o->buscar) {
        /* counted up to one more than the candidates ranked */
        strbuf_puts(&q.sql, "SELECT count(*) FROM (SELECT 1");
        desde(&q, o, filtro);
        strbuf_printf(&q.sql, " LIMIT %d) x", FICHAS_CANDIDATOS + 1);
    } else {
        strbuf_puts(&q.sql, "SELECT count(*)");
        desde(&q, o, filtro);
    }
    PGresult *res = o->buscar && solo_indices(db, err) ? NULL
                    : ejecutar(db, &q, "no se pudieron contar las fichas", err);
    strbuf_free(&q.sql);
    if (!res)
        return -1;
    *n = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return 0;
}
