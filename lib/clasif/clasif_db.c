#include "clasif_db.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clasif_memoria.h"
#include "db.h"

static const char *col(const PGresult *res, int row, int c)
{
    return PQgetisnull(res, row, c) ? NULL : PQgetvalue(res, row, c);
}

static long col_long(const PGresult *res, int row, int c, bool *has)
{
    *has = !PQgetisnull(res, row, c);
    return *has ? strtol(PQgetvalue(res, row, c), NULL, 10) : 0;
}

int64_t clasif_db_entrada(const PGresult *res, int row, clasif_entrada *in)
{
    memset(in, 0, sizeof *in);
    in->programa = col(res, row, 1);
    in->objetivo = col(res, row, 2);
    in->poblacion = col(res, row, 3);
    in->resultados = col(res, row, 4);
    in->zona = col(res, row, 5);
    in->retos = col(res, row, 6);
    in->dependencia = col(res, row, 7);
    in->acciones = col_long(res, row, 8, &in->hay_acciones);
    in->personas = col_long(res, row, 9, &in->hay_personas);
    in->mujeres = col_long(res, row, 10, &in->hay_mujeres);
    in->hombres = col_long(res, row, 11, &in->hay_hombres);
    bool has;
    in->objetivo_pmm = (int)col_long(res, row, 12, &has);
    return strtoll(PQgetvalue(res, row, 0), NULL, 10);
}

/* A text[] literal inside a COPY field: {"a","b"}, then COPY-escaped. */
static void copy_text_array(strbuf *b, const char *const *items, size_t n)
{
    strbuf lit;
    strbuf_init(&lit);
    strbuf_puts(&lit, "{");
    for (size_t i = 0; i < n; i++) {
        if (i)
            strbuf_puts(&lit, ",");
        strbuf_array_elem(&lit, items[i], strlen(items[i]));
    }
    strbuf_puts(&lit, "}");
    strbuf_copy_field(b, lit.data, lit.len);
    strbuf_free(&lit);
}

void clasif_db_copy_row(strbuf *b, int64_t ficha_id, const clasif_resultado *r)
{
    strbuf_printf(b, "%lld\t", (long long)ficha_id);
    strbuf_copy_field(b, r->version, strlen(r->version));
    strbuf_puts(b, "\t");
    strbuf_copy_field(b, r->taxonomia, strlen(r->taxonomia));
    strbuf_printf(b, "\t%d\t", r->subtema.eje);
    strbuf_copy_field(b, r->subtema.codigo, strlen(r->subtema.codigo));
    strbuf_puts(b, "\t");

    const char *items[CLASIF_MAX_METAS + CLASIF_MAX_RETOS + CLASIF_MAX_SEC];
    for (size_t i = 0; i < r->nsecundarios; i++)
        items[i] = r->secundarios[i].codigo;
    copy_text_array(b, items, r->nsecundarios);
    strbuf_puts(b, "\t{");
    for (size_t i = 0; i < r->nods; i++)
        strbuf_printf(b, "%s%d", i ? "," : "", r->ods[i].numero);
    strbuf_puts(b, "}\t");
    for (size_t i = 0; i < r->nmetas; i++)
        items[i] = r->metas[i].meta;
    copy_text_array(b, items, r->nmetas);
    strbuf_puts(b, "\t");
    for (size_t i = 0; i < r->nretos; i++)
        items[i] = r->retos[i].codigo;
    copy_text_array(b, items, r->nretos);
    double conf = r->subtema.confianza;
    if (conf < 0)
        conf = 0;
    if (conf > 1)
        conf = 1;
    strbuf_printf(b, "\t%s\t%.4f\t", r->con_resultados ? "t" : "f", conf);
    json_t *ev = json_array();
    for (size_t i = 0; i < r->nevidencia; i++)
        json_array_append_new(ev, json_string(r->evidencia[i]));
    char *evs = json_dumps(ev, JSON_COMPACT);
    strbuf_copy_field(b, evs ? evs : "[]", evs ? strlen(evs) : 2);
    free(evs);
    json_decref(ev);
    strbuf_puts(b, "\n");
}


int clasif_db_memoria(PGconn *db, const PGresult *res, int col_emisor,
                      int col_ejercicio, struct clasif_memoria *mem,
                      pmm_error *err)
{
    int n = PQntuples(res), hasta = 0;
    if (n == 0)
        return 0;
    strbuf arr;
    strbuf_init(&arr);
    strbuf_puts(&arr, "{");
    for (int i = 0; i < n; i++) {
        int y = atoi(PQgetvalue(res, i, col_ejercicio));
        if (y > hasta)
            hasta = y;
        const char *e = PQgetvalue(res, i, col_emisor);
        if (i)
            strbuf_puts(&arr, ",");
        strbuf_array_elem(&arr, e, strlen(e));
    }
    strbuf_puts(&arr, "}");
    char ybuf[16];
    snprintf(ybuf, sizeof ybuf, "%d", hasta);
    const char *params[] = {arr.data, ybuf};
    PGresult *m = PQexecParams(
        db,
        "SELECT DISTINCT ON (d.emisor, d.ejercicio, d.clave) d.ejercicio,"
        "  coalesce(f.dependencia, f.emisor), f.programa,"
        "  concat_ws(' ', f.objetivo, f.poblacion_objetivo), d.subtema, f.id"
        " FROM decisiones d JOIN fichas f ON f.id = d.ficha_id"
        " WHERE d.subtema IS NOT NULL AND d.emisor = ANY ($1::text[])"
        "   AND d.ejercicio < $2::int"
        " ORDER BY d.emisor, d.ejercicio, d.clave, d.id DESC",
        2, NULL, params, NULL, NULL, 0);
    strbuf_free(&arr);
    if (PQresultStatus(m) != PGRES_TUPLES_OK) {
        db_error(db, m, "no se pudo leer la memoria de programas", err);
        PQclear(m);
        return -1;
    }
    int rc = 0;
    for (int i = 0; i < PQntuples(m) && rc == 0; i++) {
        char ref[40];
        snprintf(ref, sizeof ref, "ficha %s", PQgetvalue(m, i, 5));
        if (clasif_memoria_agregar(mem, atoi(PQgetvalue(m, i, 0)),
                                   PQgetvalue(m, i, 1), PQgetvalue(m, i, 2),
                                   PQgetvalue(m, i, 3), PQgetvalue(m, i, 4),
                                   ref) != 0)
            rc = pmm_error_set(err, 7, "", "memoria", "sin memoria");
    }
    PQclear(m);
    return rc;
}

int clasif_db_clasificar(clasificador *clf, const struct clasif_memoria *mem,
                         const PGresult *res, int row, int col_emisor,
                         int col_ejercicio, const char *taxonomia,
                         int64_t *ficha_id, clasif_resultado *out,
                         pmm_error *err)
{
    clasif_entrada in;
    *ficha_id = clasif_db_entrada(res, row, &in);
    in.ejercicio = atoi(PQgetvalue(res, row, col_ejercicio));
    if (clasificador_classify(clf, &in, taxonomia, out, err) != 0)
        return -1;
    if (!mem || clasif_memoria_tamano(mem) == 0)
        return 0;
    char texto[8192];
    snprintf(texto, sizeof texto, "%s %s", in.objetivo ? in.objetivo : "",
             in.poblacion ? in.poblacion : "");
    clasif_recuerdo r;
    const char *cuerpo = in.dependencia ? in.dependencia
                                        : PQgetvalue(res, row, col_emisor);
    if (clasif_memoria_buscar(mem, atoi(PQgetvalue(res, row, col_ejercicio)),
                              cuerpo, in.programa, texto, &r))
        clasif_memoria_aplicar(clf, &r, out);
    return 0;
}
