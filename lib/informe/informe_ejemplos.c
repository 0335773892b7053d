/* informe_ejemplos.c -- examples per objective (informe_ejemplos.h). */
#include "informe_ejemplos.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

static long long entero(const json_t *o, const char *k)
{
    const json_t *v = json_object_get(o, k);
    return json_is_integer(v) ? json_integer_value(v) : -1;
}

/* Rank: greater first. */
static int cmp_candidato(const void *a, const void *b)
{
    const json_t *x = *(const json_t *const *)a, *y = *(const json_t *const *)b;
    int rx = json_is_true(json_object_get(x, "con_resultados"));
    int ry = json_is_true(json_object_get(y, "con_resultados"));
    if (rx != ry)
        return ry - rx;
    long long px = entero(x, "personas"), py = entero(y, "personas");
    long long ax = entero(x, "acciones"), ay = entero(y, "acciones");
    int fx = px >= 0 || ax >= 0, fy = py >= 0 || ay >= 0;
    if (fx != fy)
        return fy - fx;
    if (px != py)
        return py > px ? 1 : -1;
    if (ax != ay)
        return ay > ax ? 1 : -1;
    int c = strcmp(json_string_value(json_object_get(x, "emisor")),
                   json_string_value(json_object_get(y, "emisor")));
    if (c)
        return c;
    return strcmp(json_string_value(json_object_get(x, "clave")),
                  json_string_value(json_object_get(y, "clave")));
}

static bool usado(const json_t *elegidos, const char *emisor)
{
    size_t i;
    const json_t *e;
    json_array_foreach(elegidos, i, e)
        if (!strcmp(json_string_value(json_object_get(e, "emisor")), emisor))
            return true;
    return false;
}

json_t *informe_ejemplos_elegir(const json_t *candidatos, size_t n)
{
    size_t nc = json_array_size(candidatos);
    json_t *out = json_array();
    const json_t **v = calloc(nc + 1, sizeof *v);
    bool *tomado = calloc(nc + 1, sizeof *tomado);
    if (!out || !v || !tomado) {
        free(v);
        free(tomado);
        json_decref(out);
        return NULL;
    }
    for (size_t i = 0; i < nc; i++)
        v[i] = json_array_get(candidatos, i);
    qsort(v, nc, sizeof *v, cmp_candidato);
    for (size_t s = 0; s < n; s++) {
        /* the sphere still missing, if the ones chosen share one */
        const char *falta = NULL;
        if (s > 0) {
            bool fed = false, est = false;
            size_t i;
            const json_t *e;
            json_array_foreach(out, i, e) {
                const char *a = json_string_value(json_object_get(e, "ambito"));
                fed |= a && !strcmp(a, "federal");
                est |= a && !strcmp(a, "estatal");
            }
            if (fed != est)
                falta = fed ? "estatal" : "federal";
        }
        long elegido = -1, otro = -1, repetido = -1;
        for (size_t i = 0; i < nc; i++) {
            if (tomado[i])
                continue;
            const char *em = json_string_value(json_object_get(v[i], "emisor"));
            const char *a = json_string_value(json_object_get(v[i], "ambito"));
            if (usado(out, em)) {
                if (repetido < 0)
                    repetido = (long)i;
                continue;
            }
            if (otro < 0)
                otro = (long)i;
            if (falta && a && !strcmp(a, falta)) {
                elegido = (long)i;
                break;
            }
        }
        if (elegido < 0)
            elegido = otro >= 0 ? otro : repetido;   /* a repeat only when no other body */
        if (elegido < 0)
            break;
        tomado[elegido] = true;
        json_array_append(out, (json_t *)v[elegido]);
    }
    free(v);
    free(tomado);
    return out;
}

/* The first sentence of a text (up to a period followed by a space or the
 * end), at most 240 bytes, cut at a space with "…". */
static json_t *primera_frase(const char *t)
{
    char buf[256];
    size_t n = 0;
    for (; t[n] && n < 240; n++)
        if (t[n] == '.' && (t[n + 1] == ' ' || !t[n + 1])) {
            n++;
            break;
        }
    if (t[n] && n >= 240) {   /* cut at the last space */
        while (n > 0 && t[n] != ' ')
            n--;
        snprintf(buf, sizeof buf, "%.*s…", (int)n, t);
        return json_string(buf);
    }
    snprintf(buf, sizeof buf, "%.*s", (int)n, t);
    return json_string(buf);
}

static json_t *int_o_null(PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? json_null()
                                    : json_integer(strtoll(PQgetvalue(r, row, col), NULL, 10));
}

int informe_ejemplos_add(PGconn *db, json_t *doc, const char *year, int n, pmm_error *err)
{
    const char *params[] = {year};
    PGresult *res = PQexecParams(
        db,
        "SELECT a.objetivo, f.id, a.emisor, a.clave, a.ambito, f.programa, a.acciones,"
        "       a.personas, a.mujeres, a.hombres, cardinality(a.ods) > 0,"
        "       coalesce(f.resultados_texto, ''),"
        "       EXISTS (SELECT 1 FROM (SELECT DISTINCT ON (objetivo) * FROM informe_ejemplos"
        "                               WHERE ejercicio = $1::int"
        "                               ORDER BY objetivo, id DESC) e"
        "                WHERE e.objetivo = a.objetivo AND NOT e.propuesta),"
        "       EXISTS (SELECT 1 FROM (SELECT DISTINCT ON (objetivo) * FROM informe_ejemplos"
        "                               WHERE ejercicio = $1::int"
        "                               ORDER BY objetivo, id DESC) e,"
        "                      unnest(e.emisores, e.claves) AS u(emisor, clave)"
        "                WHERE e.objetivo = a.objetivo AND NOT e.propuesta"
        "                  AND u.emisor = a.emisor AND u.clave = a.clave)"
        "  FROM agregados a JOIN fichas f ON f.id = a.ficha_id"
        " WHERE a.ejercicio = $1::int AND NOT a.absorbida"
        " ORDER BY a.objetivo, a.emisor, a.clave",
        1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(db, res, "no se pudieron leer los ejemplos por objetivo", err);
        PQclear(res);
        return -1;
    }
    json_t *cand[24] = {0}, *fijos[24] = {0};
    bool fijado[24] = {false};
    int rc = 0;
    for (int r = 0; r < PQntuples(res); r++) {
        int o = atoi(PQgetvalue(res, r, 0));
        if (o < 1 || o > 23)
            continue;
        json_t *f = json_pack("{s:I,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:b,s:o}", "id",
                              (json_int_t)strtoll(PQgetvalue(res, r, 1), NULL, 10), "emisor",
                              PQgetvalue(res, r, 2), "clave", PQgetvalue(res, r, 3), "ambito",
                              PQgetvalue(res, r, 4), "programa", PQgetvalue(res, r, 5),
                              "acciones", int_o_null(res, r, 6), "personas",
                              int_o_null(res, r, 7), "mujeres", int_o_null(res, r, 8),
                              "hombres", int_o_null(res, r, 9), "con_resultados",
                              PQgetvalue(res, r, 10)[0] == 't', "resultado",
                              primera_frase(PQgetvalue(res, r, 11)));
        if (!f) {
            rc = -1;
            break;
        }
        if (!cand[o] && !(cand[o] = json_array())) {
            json_decref(f);
            rc = -1;
            break;
        }
        fijado[o] = PQgetvalue(res, r, 12)[0] == 't';
        if (PQgetvalue(res, r, 13)[0] == 't') {
            if (!fijos[o])
                fijos[o] = json_array();
            json_array_append(fijos[o], f);
        }
        json_array_append_new(cand[o], f);
    }
    PQclear(res);
    json_t *ej = json_object();
    for (int o = 1; o <= 23 && rc == 0 && ej; o++) {
        if (!cand[o])
            continue;
        bool por_unidad = fijado[o] && fijos[o] && json_array_size(fijos[o]) > 0;
        json_t *el = por_unidad ? json_incref(fijos[o])
                                : informe_ejemplos_elegir(cand[o], (size_t)n);
        char k[8];
        snprintf(k, sizeof k, "%d", o);
        if (!el || json_object_set_new(ej, k, json_pack("{s:b,s:o}", "fijados", por_unidad,
                                                        "fichas", el)))
            rc = -1;
    }
    for (int o = 0; o < 24; o++) {
        json_decref(cand[o]);
        json_decref(fijos[o]);
    }
    if (!ej || rc) {
        json_decref(ej);
        return pmm_error_set(err, 7, "", "memoria", "sin memoria");
    }
    json_object_set_new(doc, "ejemplos", ej);
    return 0;
}
