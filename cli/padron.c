/* padron.c -- changes to the roster (padron.h). */
#include "padron.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

/* One row of the roster as the checks need it. */
typedef struct {
    bool existe;
    char tipo[24], desde[16], hasta[16], sucesor[CUERPO_MAX];
    char sector[256];
} fila;

static int leer(PGconn *db, const char *emisor, bool bloquear, fila *f, pmm_error *err)
{
    memset(f, 0, sizeof *f);
    const char *params[] = {emisor};
    PGresult *res = PQexecParams(db,
                                 bloquear ? "SELECT tipo, activo_desde::text,"
                                            " coalesce(activo_hasta::text, ''),"
                                            " coalesce(sucesor, ''), coalesce(sector, '')"
                                            " FROM padron WHERE emisor = $1 FOR UPDATE"
                                          : "SELECT tipo, activo_desde::text,"
                                            " coalesce(activo_hasta::text, ''),"
                                            " coalesce(sucesor, ''), coalesce(sector, '')"
                                            " FROM padron WHERE emisor = $1",
                                 1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        cuerpos_db_error(db, res, "leer el padrón", err);
        PQclear(res);
        return -1;
    }
    if (PQntuples(res)) {
        f->existe = true;
        snprintf(f->tipo, sizeof f->tipo, "%s", PQgetvalue(res, 0, 0));
        snprintf(f->desde, sizeof f->desde, "%s", PQgetvalue(res, 0, 1));
        snprintf(f->hasta, sizeof f->hasta, "%s", PQgetvalue(res, 0, 2));
        snprintf(f->sucesor, sizeof f->sucesor, "%s", PQgetvalue(res, 0, 3));
        snprintf(f->sector, sizeof f->sector, "%s", PQgetvalue(res, 0, 4));
    }
    PQclear(res);
    return 0;
}

/* Runs a statement with params; -1 with a Spanish err when it fails. */
static int ejecutar(PGconn *db, const char *sql, int n, const char *const *params,
                    const char *accion, pmm_error *err)
{
    PGresult *res = PQexecParams(db, sql, n, NULL, params, NULL, NULL, 0);
    int ok = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;
    if (!ok)
        cuerpos_db_error(db, res, accion, err);
    PQclear(res);
    return ok ? 0 : -1;
}

static int regla(pmm_error *err, const char *fmt, const char *a, const char *b)
{
    return pmm_error_set(err, 1, "", "regla", fmt, a, b);
}

/* Today (the database's date), when no date was given. */
static int hoy(PGconn *db, char out[16], pmm_error *err)
{
    PGresult *res = PQexec(db, "SELECT current_date::text");
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        cuerpos_db_error(db, res, "leer la fecha", err);
        PQclear(res);
        return -1;
    }
    snprintf(out, 16, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return 0;
}

static int alta(PGconn *db, const padron_cambio *c, const char *fecha, fila *f,
                char *resumen, size_t cap, pmm_error *err)
{
    if (f->existe)
        return regla(err, "%s ya está en el padrón (vigente desde %s); para cambiarla use "
                          "renombrar, fusionar o baja",
                     c->emisor, f->desde);
    if (!c->nombre || !*c->nombre)
        return pmm_error_set(err, 1, "--nombre", "requerido",
                             "%s no está en la lista de dependencias: indique su nombre con "
                             "--nombre",
                             c->emisor);
    const char *tipo = c->emisor[0] == 'E' ? "estatal" : c->tipo ? c->tipo : "federal";
    const char *params[] = {c->emisor, tipo, c->nombre, c->sector && *c->sector ? c->sector : NULL,
                            fecha};
    if (ejecutar(db,
                 "INSERT INTO padron (emisor, tipo, nombre, sector, activo_desde)"
                 " VALUES ($1, $2, $3, $4, $5::date)",
                 5, params, "dar de alta en el padrón", err))
        return -1;
    snprintf(resumen, cap, "%s (%s) dada de alta en el padrón desde %s.", c->emisor,
             c->nombre, fecha);
    return 0;
}

static int baja(PGconn *db, const padron_cambio *c, const char *fecha, fila *f, char *resumen,
                size_t cap, pmm_error *err)
{
    if (!f->existe)
        return regla(err, "%s no está en el padrón%s", c->emisor, "");
    if (f->hasta[0])
        return regla(err, "%s ya está cerrada desde el %s", c->emisor, f->hasta);
    if (strcmp(fecha, f->desde) < 0)
        return regla(err, "la fecha de baja es anterior al alta de %s (%s)", c->emisor,
                     f->desde);
    const char *params[] = {c->emisor, fecha};
    if (ejecutar(db, "UPDATE padron SET activo_hasta = $2::date WHERE emisor = $1", 2, params,
                 "cerrar el cuerpo en el padrón", err))
        return -1;
    snprintf(resumen, cap, "%s cerrada: informó hasta el %s. Sus fichas siguen siendo suyas.",
             c->emisor, fecha);
    return 0;
}

/* renombrar and fusionar: the body closes the day before `fecha` and
 * names c->otro as its successor. */
static int ligar(PGconn *db, const padron_cambio *c, const char *fecha, fila *f,
                 char *resumen, size_t cap, pmm_error *err)
{
    bool renombrar = !strcmp(c->sub, "renombrar");
    if (!f->existe)
        return regla(err, "%s no está en el padrón%s", c->emisor, "");
    if (f->hasta[0])
        return regla(err, "%s ya está cerrada desde el %s", c->emisor, f->hasta);
    if (!strcmp(c->emisor, c->otro))
        return regla(err, "%s no puede ser su propio sucesor%s", c->emisor, "");
    if (strcmp(fecha, f->desde) <= 0)
        return regla(err, "la fecha debe ser posterior al alta de %s (%s)", c->emisor, f->desde);
    fila o;
    if (leer(db, c->otro, true, &o, err))
        return -1;
    if (!o.existe && !renombrar)
        return regla(err, "%s no está en el padrón: déla de alta antes de fusionar %s en ella",
                     c->otro, c->emisor);
    if (!o.existe) {
        if (!c->nombre || !*c->nombre)
            return pmm_error_set(err, 1, "--nombre", "requerido",
                                 "%s es una sigla nueva: indique el nombre con --nombre",
                                 c->otro);
        const char *params[] = {c->otro, f->tipo, c->nombre, f->sector[0] ? f->sector : NULL,
                                fecha};
        if (ejecutar(db,
                     "INSERT INTO padron (emisor, tipo, nombre, sector, activo_desde)"
                     " VALUES ($1, $2, $3, $4, $5::date)",
                     5, params, "dar de alta el cuerpo nuevo", err))
            return -1;
    } else if (strcmp(o.desde, fecha) > 0 || (o.hasta[0] && strcmp(o.hasta, fecha) < 0)) {
        return regla(err, "%s no está vigente en la fecha del cambio (%s)", c->otro, fecha);
    }
    const char *params[] = {c->emisor, fecha, c->otro, renombrar ? "renombrada" : "fusionada"};
    if (ejecutar(db,
                 "UPDATE padron SET activo_hasta = $2::date - 1, sucesor = $3, relacion = $4"
                 " WHERE emisor = $1",
                 4, params, "ligar el cuerpo a su sucesor", err))
        return -1;
    snprintf(resumen, cap,
             "%s %s en %s desde el %s: informó hasta el día anterior; sus fichas siguen "
             "siendo suyas y lo que llegue después a su nombre cuenta para %s.",
             c->emisor, renombrar ? "renombrada" : "fusionada", c->otro, fecha, c->otro);
    return 0;
}

int padron_cambiar(PGconn *db, const padron_cambio *c, char *resumen, size_t cap,
                   pmm_error *err)
{
    if (db_exec(db, "BEGIN", err) != 0)
        return -1;
    char fecha[16];
    fila f;
    int rc = c->fecha ? (snprintf(fecha, sizeof fecha, "%s", c->fecha), 0) : hoy(db, fecha, err);
    if (rc == 0)
        rc = leer(db, c->emisor, true, &f, err);
    if (rc == 0)
        rc = !strcmp(c->sub, "alta")   ? alta(db, c, fecha, &f, resumen, cap, err)
             : !strcmp(c->sub, "baja") ? baja(db, c, fecha, &f, resumen, cap, err)
                                       : ligar(db, c, fecha, &f, resumen, cap, err);
    if (rc == 0) {
        json_t *d = json_pack("{s:s}", "fecha", fecha);
        if (c->otro[0])
            json_object_set_new(d, "sucesor", json_string(c->otro));
        if (c->nombre)
            json_object_set_new(d, "nombre", json_string(c->nombre));
        char *txt = json_dumps(d, JSON_COMPACT);
        json_decref(d);
        char accion[32];
        snprintf(accion, sizeof accion, "padron_%s", c->sub);
        rc = txt ? cuerpos_bitacora(db, c->analista, accion, 0, c->emisor, txt, err)
                 : pmm_error_set(err, 7, "", "memoria", "sin memoria");
        free(txt);
    }
    pmm_error ignored;
    if (rc != 0)
        db_exec(db, "ROLLBACK", &ignored);
    else if (db_exec(db, "COMMIT", err) != 0)
        rc = -1;
    return rc;
}
