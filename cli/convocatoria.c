/* convocatoria.c -- the yearly call's changes (convocatoria.h). */
#include "convocatoria.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

/* The statement's result, or NULL with a Spanish err. */
static PGresult *sql(PGconn *db, const char *q, int n, const char *const *params,
                     const char *accion, pmm_error *err)
{
    PGresult *res = PQexecParams(db, q, n, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK)
        return res;
    cuerpos_db_error(db, res, accion, err);
    PQclear(res);
    return NULL;
}

typedef struct {
    bool existe, cerrada;
    char limite[16], contar[24];
    long gracia;
} estado_conv;

static int leer(PGconn *db, const char *y, estado_conv *e, pmm_error *err)
{
    memset(e, 0, sizeof *e);
    const char *p[] = {y};
    PGresult *res = sql(db,
                        "SELECT limite::text, gracia, contar_revision, cerrada IS NOT NULL"
                        "  FROM convocatorias WHERE ejercicio = $1::int FOR UPDATE",
                        1, p, "leer la convocatoria", err);
    if (!res)
        return -1;
    if (PQntuples(res)) {
        e->existe = true;
        snprintf(e->limite, sizeof e->limite, "%s", PQgetvalue(res, 0, 0));
        e->gracia = atol(PQgetvalue(res, 0, 1));
        snprintf(e->contar, sizeof e->contar, "%s", PQgetvalue(res, 0, 2));
        e->cerrada = PQgetvalue(res, 0, 3)[0] == 't';
    }
    PQclear(res);
    return 0;
}

#define rechazo(err, ...) pmm_error_set(err, 1, "--ejercicio", "regla", __VA_ARGS__)

/* The year's fichas in force go through aggregation again: what counts
 * depends on the review setting (v_contribuciones). */
static int reagregar(PGconn *db, const char *y, long long *n, pmm_error *err)
{
    const char *p[] = {y};
    PGresult *res = sql(db,
                        "SELECT coalesce(pmm_encolar_agregacion(array_agg(id ORDER BY id)), 0)"
                        "  FROM fichas_vigentes WHERE ejercicio = $1::int",
                        1, p, "volver a agregar las fichas del ejercicio", err);
    if (!res)
        return -1;
    *n = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return 0;
}

static const char *contar_texto(const char *c)
{
    return !strcmp(c, "aprobadas")           ? "solo las fichas aprobadas por un analista"
           : !strcmp(c, "sin_observaciones") ? "todas las fichas menos las observadas"
                                             : "todas las fichas, revisadas o no";
}

static int abrir(PGconn *db, const convocatoria_cambio *c, const char *y, json_t *det,
                 strbuf *out, pmm_error *err)
{
    estado_conv e;
    if (leer(db, y, &e, err))
        return -1;
    if (e.existe)
        return e.cerrada ? rechazo(err, "la convocatoria %d ya existe y está cerrada", c->anio)
                         : rechazo(err, "la convocatoria %d ya está abierta: para cambiarla "
                                        "use pmm convocatoria ajustar|agregar|quitar "
                                        "--ejercicio %d",
                                   c->anio, c->anio);
    const char *contar = c->contar ? c->contar : "todas";
    const char *p1[] = {y, c->limite, c->gracia ? c->gracia : "0", c->zona, contar,
                        c->analista};
    PGresult *res = sql(db,
                        "INSERT INTO convocatorias (ejercicio, limite, gracia, zona,"
                        " contar_revision, abierta_por)"
                        " VALUES ($1::int, $2::date, $3::int, $4, $5, $6)",
                        6, p1, "abrir la convocatoria", err);
    if (!res)
        return -1;
    PQclear(res);
    if (c->lista) {
        const char *p2[] = {c->lista};
        res = sql(db,
                  "SELECT string_agg(x, ', ' ORDER BY x) FROM unnest($1::text[]) x"
                  " WHERE NOT EXISTS (SELECT 1 FROM padron p WHERE p.emisor = x)",
                  1, p2, "leer el padrón", err);
        if (!res)
            return -1;
        if (!PQgetisnull(res, 0, 0)) {
            pmm_error_set(err, 1, "--lista", "fuera_del_padron",
                          "la lista nombra cuerpos que no están en el padrón: %s (délos de "
                          "alta con pmm padron alta)",
                          PQgetvalue(res, 0, 0));
            PQclear(res);
            return -1;
        }
        PQclear(res);
        json_object_set_new(det, "lista", json_true());
    } else {
        json_object_set_new(det, "tipos", json_string(c->tipos));
    }
    const char *p3[] = {y, c->lista ? c->lista : "{}", c->tipos, c->limite};
    res = sql(db,
              "WITH n AS (INSERT INTO convocados (ejercicio, emisor)"
              "  SELECT DISTINCT $1::int, p.emisor FROM padron p"
              "   WHERE CASE WHEN cardinality($2::text[]) > 0 THEN p.emisor IN"
              "                (SELECT pmm_responsable(x, $4::date) FROM unnest($2::text[]) x)"
              "              ELSE p.tipo = ANY ($3::text[]) AND p.activo_desde <= $4::date"
              "                   AND (p.activo_hasta IS NULL OR p.activo_hasta >= $4::date)"
              "         END"
              "  RETURNING emisor)"
              " SELECT p.tipo, count(*),"
              "        count(*) FILTER (WHERE p.activo_desde > $4::date"
              "                           OR p.activo_hasta < $4::date)"
              "   FROM n JOIN padron p USING (emisor) GROUP BY p.tipo ORDER BY p.tipo",
              4, p3, "fijar la lista de convocados", err);
    if (!res)
        return -1;
    long long total = 0, fuera = 0;
    strbuf tipos;
    strbuf_init(&tipos);
    for (int r = 0; r < PQntuples(res); r++) {
        long long k = strtoll(PQgetvalue(res, r, 1), NULL, 10);
        total += k;
        fuera += strtoll(PQgetvalue(res, r, 2), NULL, 10);
        strbuf_printf(&tipos, "%s%lld %s", r ? ", " : "", k,
                      cuerpos_tipo_texto(PQgetvalue(res, r, 0)));
    }
    PQclear(res);
    json_object_set_new(det, "convocados", json_integer(total));
    strbuf_printf(out, "Convocatoria %d abierta: fecha límite %s, %s días de gracia; %lld %s "
                       "(%s).\n",
                  c->anio, c->limite, c->gracia ? c->gracia : "0", total,
                  total == 1 ? "cuerpo convocado" : "cuerpos convocados",
                  tipos.data ? tipos.data : "ninguno");
    strbuf_free(&tipos);
    if (fuera)
        strbuf_printf(out, "Aviso: %lld de la lista no %s en la fecha límite y no se %s "
                           "en la tasa.\n",
                      fuera, fuera == 1 ? "está vigente" : "están vigentes",
                      fuera == 1 ? "espera" : "esperan");
    strbuf_printf(out, "Cuentan en los totales: %s.\n", contar_texto(contar));
    if (strcmp(contar, "todas")) {
        long long n;
        if (reagregar(db, y, &n, err))
            return -1;
    }
    return 0;
}

static int ajustar(PGconn *db, const convocatoria_cambio *c, const char *y, json_t *det,
                   strbuf *out, pmm_error *err)
{
    estado_conv e;
    if (leer(db, y, &e, err))
        return -1;
    if (!e.existe)
        return rechazo(err, "no hay convocatoria %d (ábrala con pmm convocatoria abrir "
                            "--ejercicio %d)", c->anio, c->anio);
    if (e.cerrada && (c->limite || c->gracia))
        return rechazo(err, "la convocatoria %d está cerrada: su fecha límite y su gracia ya "
                            "no cambian", c->anio);
    const char *p[] = {y, c->limite, c->gracia, c->contar};
    PGresult *res = sql(db,
                        "UPDATE convocatorias SET limite = coalesce($2::date, limite),"
                        "  gracia = coalesce($3::int, gracia),"
                        "  contar_revision = coalesce($4, contar_revision)"
                        " WHERE ejercicio = $1::int",
                        4, p, "cambiar la convocatoria", err);
    if (!res)
        return -1;
    PQclear(res);
    json_object_set_new(det, "antes", json_pack("{s:s,s:i,s:s}", "limite", e.limite, "gracia",
                                                (int)e.gracia, "contar_revision", e.contar));
    if (c->limite)
        strbuf_printf(out, "Fecha límite: %s (antes %s).\n", c->limite, e.limite);
    if (c->gracia)
        strbuf_printf(out, "Días de gracia: %s (antes %ld).\n", c->gracia, e.gracia);
    if (c->contar && strcmp(c->contar, e.contar)) {
        long long n;
        if (reagregar(db, y, &n, err))
            return -1;
        strbuf_printf(out, "Cuentan en los totales: %s (antes: %s); %lld %s vuelven a "
                           "agregarse, los totales se actualizan en segundos.\n",
                      contar_texto(c->contar), contar_texto(e.contar), n,
                      n == 1 ? "ficha" : "fichas");
    } else if (c->contar) {
        strbuf_printf(out, "Cuentan en los totales: %s (sin cambio).\n",
                      contar_texto(c->contar));
    }
    return 0;
}

static int cerrar(PGconn *db, const convocatoria_cambio *c, const char *y, strbuf *out,
                  pmm_error *err)
{
    estado_conv e;
    if (leer(db, y, &e, err))
        return -1;
    if (!e.existe)
        return rechazo(err, "no hay convocatoria %d", c->anio);
    if (e.cerrada)
        return rechazo(err, "la convocatoria %d ya está cerrada", c->anio);
    const char *p[] = {y, c->analista};
    PGresult *res = sql(db,
                        "UPDATE convocatorias SET cerrada = now(), cerrada_por = $2"
                        " WHERE ejercicio = $1::int",
                        2, p, "cerrar la convocatoria", err);
    if (!res)
        return -1;
    PQclear(res);
    strbuf_printf(out, "Convocatoria %d cerrada: la lista de convocados ya no cambia; las "
                       "entregas que lleguen se registran como tardías.\n",
                  c->anio);
    return 0;
}

static int editar(PGconn *db, const convocatoria_cambio *c, const char *y, strbuf *out,
                  pmm_error *err)
{
    bool agregar = !strcmp(c->sub, "agregar");
    estado_conv e;
    if (leer(db, y, &e, err))
        return -1;
    if (!e.existe)
        return rechazo(err, "no hay convocatoria %d", c->anio);
    if (e.cerrada)
        return rechazo(err, "la convocatoria %d está cerrada: la lista de convocados ya no "
                            "cambia", c->anio);
    const char *p[] = {y, c->emisor};
    PGresult *res = sql(db,
                        /* a renamed body named by today's acronym is the one
                         * standing on the deadline (as with abrir --lista) */
                        agregar ? "INSERT INTO convocados (ejercicio, emisor)"
                                  " SELECT $1::int, p.emisor FROM padron p, convocatorias c"
                                  "  WHERE c.ejercicio = $1::int"
                                  "    AND p.emisor = pmm_responsable($2, c.limite)"
                                  " ON CONFLICT DO NOTHING RETURNING emisor"
                                : "DELETE FROM convocados k USING convocatorias c"
                                  " WHERE k.ejercicio = $1::int AND c.ejercicio = k.ejercicio"
                                  "   AND k.emisor IN ($2, pmm_responsable($2, c.limite))"
                                  " RETURNING k.emisor",
                        2, p, agregar ? "agregar a la convocatoria" : "quitar de la convocatoria",
                        err);
    if (!res)
        return -1;
    int hecho = PQntuples(res);
    char emisor[80];
    snprintf(emisor, sizeof emisor, "%s", hecho ? PQgetvalue(res, 0, 0) : c->emisor);
    PQclear(res);
    if (!hecho) {
        const char *q[] = {c->emisor};
        res = sql(db, "SELECT 1 FROM padron WHERE emisor = $1", 1, q, "leer el padrón", err);
        if (!res)
            return -1;
        int en_padron = PQntuples(res);
        PQclear(res);
        if (!en_padron)
            return pmm_error_set(err, 1, "--dependencia", "fuera_del_padron",
                                 "%s no está en el padrón (déla de alta con pmm padron alta)",
                                 c->emisor);
        return pmm_error_set(err, 1, "", "regla", "%s %s está en la convocatoria %d", c->emisor,
                             agregar ? "ya" : "no", c->anio);
    }
    strbuf_printf(out, "%s %s la convocatoria %d.\n", emisor,
                  agregar ? "agregada a" : "quitada de", c->anio);
    return 0;
}

int convocatoria_cambiar(PGconn *db, const convocatoria_cambio *c, strbuf *out, pmm_error *err)
{
    char y[16];
    snprintf(y, sizeof y, "%d", c->anio);
    if (db_exec(db, "BEGIN", err) != 0)
        return -1;
    json_t *det = json_object();
    if (c->limite)
        json_object_set_new(det, "limite", json_string(c->limite));
    if (c->gracia)
        json_object_set_new(det, "gracia", json_integer(atoi(c->gracia)));
    if (c->contar)
        json_object_set_new(det, "contar_revision", json_string(c->contar));
    int rc = !strcmp(c->sub, "abrir")     ? abrir(db, c, y, det, out, err)
             : !strcmp(c->sub, "ajustar") ? ajustar(db, c, y, det, out, err)
             : !strcmp(c->sub, "cerrar")  ? cerrar(db, c, y, out, err)
                                          : editar(db, c, y, out, err);
    if (rc == 0) {
        char accion[40];
        snprintf(accion, sizeof accion, "convocatoria_%s", c->sub);
        char *txt = json_dumps(det, JSON_COMPACT | JSON_SORT_KEYS);
        rc = txt ? cuerpos_bitacora(db, c->analista, accion, c->anio,
                                    c->emisor[0] ? c->emisor : NULL, txt, err)
                 : pmm_error_set(err, 7, "", "memoria", "sin memoria");
        free(txt);
    }
    json_decref(det);
    pmm_error ignored;
    if (rc != 0)
        db_exec(db, "ROLLBACK", &ignored);
    else if (db_exec(db, "COMMIT", err) != 0)
        rc = -1;
    return rc;
}
