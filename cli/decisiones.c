/* decisiones.c -- see decisiones.h. */
#include "decisiones.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "consulta_db.h"
#include "db.h"
#include "strbuf.h"

/* One row per ficha: its latest decision that names a sub-topic, the text
 * of its latest version, the SDGs decided or else those counted. */
static const char SQL[] =
    "SELECT DISTINCT ON (d.emisor, d.ejercicio, d.clave)"
    "  d.id, d.ejercicio, d.eje, d.subtema,"
    "  array_to_string(coalesce(d.ods, a.ods, '{}'::smallint[]), ','),"
    "  f.id, f.programa,"
    "  concat_ws(' ', f.objetivo, f.poblacion_objetivo, f.resultados_texto),"
    "  f.zona, coalesce(f.dependencia, f.emisor), f.ambito, d.analista,"
    "  to_json(d.creada)#>>'{}', d.nota, d.emisor, d.clave"
    " FROM decisiones d"
    " JOIN fichas_vigentes f ON f.emisor = d.emisor AND f.ejercicio = d.ejercicio"
    "  AND f.clave = d.clave"
    " LEFT JOIN agregados a ON a.emisor = d.emisor AND a.ejercicio = d.ejercicio"
    "  AND a.clave = d.clave"
    " WHERE d.subtema IS NOT NULL AND d.ejercicio = ANY ($1::int[])"
    " ORDER BY d.emisor, d.ejercicio, d.clave, d.id DESC";

static PGresult *consultar(const pmm_conf *conf, const int *anios, size_t n,
                           PGconn **db_out, pmm_error *err)
{
    PGconn *db = consulta_conectar(conf, "pmm-decisiones", err);
    if (!db)
        return NULL;
    const char *tz[] = {conf_zona_horaria(conf)};
    PGresult *res = PQexecParams(db, "SELECT set_config('TimeZone', $1, true)",
                                 1, NULL, tz, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(db, res, "zona horaria no válida", err);
        PQclear(res);
        consulta_desconectar(db);
        return NULL;
    }
    PQclear(res);
    strbuf arr;
    strbuf_init(&arr);
    strbuf_puts(&arr, "{");
    for (size_t i = 0; i < n; i++)
        strbuf_printf(&arr, "%s%d", i ? "," : "", anios[i]);
    strbuf_puts(&arr, "}");
    const char *p[] = {arr.data};
    res = PQexecParams(db, SQL, 1, NULL, p, NULL, NULL, 0);
    strbuf_free(&arr);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(db, res, "no se pudieron leer las decisiones", err);
        PQclear(res);
        consulta_desconectar(db);
        return NULL;
    }
    *db_out = db;
    return res;
}

static char *dup_or_null(const PGresult *res, int r, int c)
{
    return PQgetisnull(res, r, c) ? NULL : strdup(PQgetvalue(res, r, c));
}

long decisiones_leer(const pmm_conf *conf, const int *anios, size_t n,
                     corpus *out, pmm_error *err)
{
    PGconn *db;
    PGresult *res = consultar(conf, anios, n, &db, err);
    if (!res)
        return -1;
    int nt = PQntuples(res);
    corpus_registro *nr = realloc(out->r, (out->n + (size_t)nt + 1) * sizeof *nr);
    if (!nr) {
        PQclear(res);
        consulta_desconectar(db);
        return pmm_error_set(err, 7, "", "memoria", "sin memoria");
    }
    out->r = nr;
    for (int i = 0; i < nt; i++) {
        corpus_registro *r = &out->r[out->n++];
        memset(r, 0, sizeof *r);
        r->year = atoi(PQgetvalue(res, i, 1));
        r->eje = atoi(PQgetvalue(res, i, 2));
        char id[48];
        snprintf(id, sizeof id, "ficha-%s", PQgetvalue(res, i, 5));
        r->id = strdup(id);
        r->subtema = dup_or_null(res, i, 3);
        r->programa = dup_or_null(res, i, 6);
        r->texto = dup_or_null(res, i, 7);
        r->zona = dup_or_null(res, i, 8);
        r->dependencia = dup_or_null(res, i, 9);
        r->ambito = dup_or_null(res, i, 10);
        char *ods = PQgetvalue(res, i, 4), *save = NULL;
        for (char *t = strtok_r(ods, ",", &save); t && r->nods < 17;
             t = strtok_r(NULL, ",", &save))
            r->ods[r->nods++] = atoi(t);
        if (!r->id || !r->subtema || !r->texto) {
            PQclear(res);
            consulta_desconectar(db);
            return pmm_error_set(err, 7, "", "memoria", "sin memoria");
        }
    }
    PQclear(res);
    consulta_desconectar(db);
    return nt;
}

long decisiones_exportar(const pmm_conf *conf, const int *anios, size_t n,
                         FILE *f, pmm_error *err)
{
    PGconn *db;
    PGresult *res = consultar(conf, anios, n, &db, err);
    if (!res)
        return -1;
    int nt = PQntuples(res);
    for (int i = 0; i < nt; i++) {
        json_t *ods = json_array();
        char *list = PQgetvalue(res, i, 4), *save = NULL;
        for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save))
            json_array_append_new(ods, json_integer(atoi(t)));
        char id[48];
        snprintf(id, sizeof id, "ficha-%s", PQgetvalue(res, i, 5));
        json_t *o = json_pack(
            "{s:s,s:i,s:i,s:s,s:o,s:s,s:s,s:s,s:[s],s:s?,s:s,"
            "s:{s:I,s:I,s:s,s:s,s:s,s:s,s:s?}}",
            "id", id, "year", atoi(PQgetvalue(res, i, 1)), "eje",
            atoi(PQgetvalue(res, i, 2)), "subtema", PQgetvalue(res, i, 3),
            "ods_grupo", ods, "ods_scope", "ficha", "programa",
            PQgetvalue(res, i, 6), "texto", PQgetvalue(res, i, 7), "actores",
            PQgetvalue(res, i, 9), "zona",
            PQgetisnull(res, i, 8) ? NULL : PQgetvalue(res, i, 8), "ambito",
            PQgetvalue(res, i, 10), "decision", "id",
            (json_int_t)strtoll(PQgetvalue(res, i, 0), NULL, 10), "ficha",
            (json_int_t)strtoll(PQgetvalue(res, i, 5), NULL, 10), "emisor",
            PQgetvalue(res, i, 14), "clave", PQgetvalue(res, i, 15),
            "analista", PQgetvalue(res, i, 11), "fecha",
            PQgetvalue(res, i, 12), "nota",
            PQgetisnull(res, i, 13) ? NULL : PQgetvalue(res, i, 13));
        char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
        if (s)
            fprintf(f, "%s\n", s);
        free(s);
        json_decref(o);
    }
    PQclear(res);
    consulta_desconectar(db);
    return nt;
}
