/* cuerpos.c -- see cuerpos.h. */
#include "cuerpos.h"

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "db.h"
#include "log.h"

int cuerpo_emisor(const refdata *ref, const char *dep, const char *ent, char *out,
                  size_t cap, pmm_error *err)
{
    if (ent) {
        int code = refdata_entidad(ref, ent, strlen(ent));
        if (!code)
            return pmm_error_set(err, 1, "--entidad", "desconocida",
                                 "--entidad «%s» no es una clave INEGI ni el nombre de una "
                                 "entidad federativa",
                                 ent);
        snprintf(out, cap, "E:%02d", code);
        return 0;
    }
    while (dep && isspace((unsigned char)*dep))
        dep++;
    size_t n = dep ? strlen(dep) : 0;
    while (n && isspace((unsigned char)dep[n - 1]))
        n--;
    if (!n || n > 64 || memchr(dep, ':', n))
        return pmm_error_set(err, 1, "--dependencia", "formato",
                             "--dependencia debe ser una sigla o un nombre de hasta 64 "
                             "caracteres");
    const ref_dependencia *d = refdata_dependencia(ref, dep, n);
    if (d)
        snprintf(out, cap, "D:%s", d->sigla);
    else
        snprintf(out, cap, "D:%.*s", (int)n, dep);
    return 0;
}

PGconn *cuerpos_admin(const pmm_conf *conf, const char *app, pmm_error *err)
{
    return db_connect(conf_conninfo(conf, NULL), app, err);
}

int cuerpos_db_error(PGconn *db, const PGresult *res, const char *accion, pmm_error *err)
{
    const char *st = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (!st)
        st = PQstatus(db) == CONNECTION_BAD ? "08006" : "XX000";
    log_debug("postgresql (%s): %s", st, msg ? msg : PQerrorMessage(db));
    if (!strcmp(st, "42501"))
        return pmm_error_set(err, 1, "", st,
                             "solo un administrador puede %s: su conexión a la base de datos "
                             "([postgresql] conninfo) no tiene permiso",
                             accion);
    /* the schema's own refusals are written in Spanish (015_convocatoria.sql) */
    if (msg && (!strcmp(st, "P0001") || !strcmp(st, "23001") ||
                (!strcmp(st, "23514") && !strncmp(msg, "la liga", 7))))
        return pmm_error_set(err, 1, "", st, "%s", msg);
    if (!strncmp(st, "08", 2))
        return pmm_error_set(err, 7, "", st,
                             "se perdió la conexión con la base de datos; reintente");
    return pmm_error_set(err, 7, "", st,
                         "la base de datos no pudo %s (SQLSTATE %s; PMM_LOG=debug muestra "
                         "el detalle)",
                         accion, st);
}

int cuerpos_bitacora(PGconn *db, const char *identidad, const char *accion, int ejercicio,
                     const char *emisor, const char *detalle, pmm_error *err)
{
    char y[16];
    snprintf(y, sizeof y, "%d", ejercicio);
    const char *params[] = {identidad, accion, ejercicio ? y : NULL, emisor,
                            detalle ? detalle : "{}"};
    PGresult *res = PQexecParams(db,
                                 "INSERT INTO seguimiento_bitacora (identidad, accion,"
                                 " ejercicio, emisor, detalle)"
                                 " VALUES ($1, $2, $3::int, $4, $5::jsonb)",
                                 5, NULL, params, NULL, NULL, 0);
    int rc = 0;
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        rc = cuerpos_db_error(db, res, "dejar constancia en la bitácora", err);
    PQclear(res);
    return rc;
}

bool cuerpos_fecha_valida(const char *s)
{
    int y, m, d;
    char tail;
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
        sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
            return false;
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 2000 || y > 2999 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
        return false;
    return !(m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

int cuerpos_anio(const char *s, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < 2018 || v > 2100)
        return -1;
    *out = (int)v;
    return 0;
}

static const char *const TIPOS[][2] = {
    {"federal", "federal"},           {"estatal", "estatal"},
    {"autonomo", "autónomo"},         {"legislativo", "legislativo"},
    {"judicial", "judicial"},         {"sociedad_civil", "sociedad civil"},
};

const char *cuerpos_tipo_texto(const char *tipo)
{
    for (size_t i = 0; tipo && i < sizeof TIPOS / sizeof TIPOS[0]; i++)
        if (!strcmp(tipo, TIPOS[i][0]))
            return TIPOS[i][1];
    return "fuera del padrón";
}

bool cuerpos_tipo_valido(const char *tipo)
{
    for (size_t i = 0; i < sizeof TIPOS / sizeof TIPOS[0]; i++)
        if (!strcmp(tipo, TIPOS[i][0]))
            return true;
    return false;
}

const char *cuerpos_estado_texto(const char *estado)
{
    static const char *const E[][2] = {
        {"sin_iniciar", "sin iniciar"},
        {"en_captura", "en captura"},
        {"entregada_a_tiempo", "entregada a tiempo"},
        {"entregada_tarde", "entregada tarde"},
        {"sin_acciones", "sin acciones que reportar"},
        {"aprobada", "aprobada"},
        {"con_observaciones", "con observaciones"},
    };
    for (size_t i = 0; estado && i < sizeof E / sizeof E[0]; i++)
        if (!strcmp(estado, E[i][0]))
            return E[i][1];
    return estado ? estado : "";
}

bool cuerpos_estado_entregado(const char *estado)
{
    return estado && strcmp(estado, "sin_iniciar") && strcmp(estado, "en_captura");
}
