/* cobertura.c -- see cobertura.h. */
#include "cobertura.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cuerpos.h"

const char COBERTURA_NOTA[] =
    "Se espera el informe de cada cuerpo convocado que está vigente en la fecha límite de "
    "la convocatoria; un cuerpo que se cierra, se renombra o se fusiona durante el año "
    "cuenta una sola vez, como él mismo o como su sucesor (lo que envía un cuerpo ya "
    "cerrado cuenta para su sucesor), y lo que entrega quien no estaba convocado se "
    "muestra aparte: por eso la tasa nunca pasa de 1. Entregó: marcó su informe como "
    "completo (pmm entregar) y no envió fichas después; si las envió, su entrega está "
    "reabierta y falta hasta que entregue de nuevo. A tiempo: su primera entrega llegó "
    "antes de que terminara el día límite más los días de gracia, en la zona horaria de la "
    "unidad. «Sin acciones que reportar» cuenta como entregado y se muestra aparte. Tasa: "
    "entregaron / esperados; tasa a tiempo: a tiempo / esperados; en un rango de años se "
    "suman los esperados de cada año.";

static PGresult *consulta(PGconn *db, const char *sql, const char *y, const char *accion,
                          pmm_error *err)
{
    const char *p[] = {y};
    PGresult *res = PQexecParams(db, sql, 1, NULL, p, NULL, NULL, 0);
    if (PQresultStatus(res) == PGRES_TUPLES_OK)
        return res;
    cuerpos_db_error(db, res, accion, err);
    PQclear(res);
    return NULL;
}

static char *dup(const PGresult *res, int r, int c)
{
    return strdup(PQgetisnull(res, r, c) ? "" : PQgetvalue(res, r, c));
}

static long long ll(const PGresult *res, int r, int c)
{
    return strtoll(PQgetvalue(res, r, c), NULL, 10);
}

static int oom(pmm_error *err)
{
    return pmm_error_set(err, 7, "", "memoria", "sin memoria");
}

int cobertura_leer(PGconn *db, int anio, bool linajes, cob_anio *out, pmm_error *err)
{
    memset(out, 0, sizeof *out);
    out->anio = anio;
    char y[16];
    snprintf(y, sizeof y, "%d", anio);
    PGresult *res = consulta(db,
                             "SELECT limite::text, gracia, cerrada IS NOT NULL"
                             "  FROM convocatorias WHERE ejercicio = $1::int",
                             y, "leer la convocatoria", err);
    if (!res)
        return -1;
    if (PQntuples(res) == 0) {
        PQclear(res);
        return 0;
    }
    out->hay_convocatoria = true;
    snprintf(out->limite, sizeof out->limite, "%s", PQgetvalue(res, 0, 0));
    out->gracia = atoi(PQgetvalue(res, 0, 1));
    out->cerrada = PQgetvalue(res, 0, 2)[0] == 't';
    PQclear(res);

    res = consulta(db,
                   "SELECT nivel, coalesce(tipo, ''), coalesce(sector, ''), esperados,"
                   "       entregaron, a_tiempo, tarde, sin_acciones, faltan"
                   "  FROM pmm_cobertura($1::int)"
                   " ORDER BY nivel <> 'total', tipo = 'estatal', tipo, nivel <> 'tipo', sector",
                   y, "contar las entregas", err);
    if (!res)
        return -1;
    int n = PQntuples(res);
    out->g = calloc((size_t)n + 1, sizeof *out->g);
    if (!out->g) {
        PQclear(res);
        return oom(err);
    }
    for (int r = 0; r < n; r++) {
        cob_grupo *g = &out->g[out->ng++];
        snprintf(g->nivel, sizeof g->nivel, "%s", PQgetvalue(res, r, 0));
        g->tipo = dup(res, r, 1);
        g->sector = dup(res, r, 2);
        g->c = (cob_cuenta){ll(res, r, 3), ll(res, r, 4), ll(res, r, 5),
                            ll(res, r, 6), ll(res, r, 7), ll(res, r, 8)};
        if (!g->tipo || !g->sector) {
            PQclear(res);
            return oom(err);
        }
    }
    PQclear(res);

    res = consulta(db,
                   "SELECT emisor, coalesce(nombre, ''), coalesce(tipo, ''), estado,"
                   "       esperado, reabierta, convocado, fichas,"
                   "       coalesce(to_char(ultima_actividad, 'DD/MM/YYYY HH24:MI'), '')"
                   "  FROM pmm_seguimiento($1::int)"
                   " WHERE esperado = (estado IN ('sin_iniciar', 'en_captura'))"
                   " ORDER BY NOT esperado, tipo = 'estatal', emisor",
                   y, "leer quién falta", err);
    if (!res)
        return -1;
    n = PQntuples(res);
    out->f = calloc((size_t)n + 1, sizeof *out->f);
    if (!out->f) {
        PQclear(res);
        return oom(err);
    }
    for (int r = 0; r < n; r++) {
        cob_fila *f = &out->f[out->nf++];
        f->emisor = dup(res, r, 0);
        f->nombre = dup(res, r, 1);
        f->tipo = dup(res, r, 2);
        f->estado = dup(res, r, 3);
        f->esperado = PQgetvalue(res, r, 4)[0] == 't';
        f->reabierta = PQgetvalue(res, r, 5)[0] == 't';
        f->convocado = PQgetvalue(res, r, 6)[0] == 't';
        f->fichas = ll(res, r, 7);
        f->ultima = dup(res, r, 8);
        if (!f->emisor || !f->nombre || !f->tipo || !f->estado || !f->ultima) {
            PQclear(res);
            return oom(err);
        }
    }
    PQclear(res);
    if (!linajes)
        return 0;
    res = consulta(db,
                   "SELECT DISTINCT pmm_responsable(emisor, 'infinity')"
                   "  FROM pmm_seguimiento($1::int)"
                   " WHERE esperado AND estado NOT IN ('sin_iniciar', 'en_captura')",
                   y, "leer quién entregó", err);
    if (!res)
        return -1;
    n = PQntuples(res);
    out->linajes = calloc((size_t)n + 1, sizeof *out->linajes);
    if (!out->linajes) {
        PQclear(res);
        return oom(err);
    }
    for (int r = 0; r < n; r++)
        if (!(out->linajes[out->nl++] = dup(res, r, 0))) {
            PQclear(res);
            return oom(err);
        }
    PQclear(res);
    return 0;
}

void cobertura_libre(cob_anio *a)
{
    for (size_t i = 0; i < a->ng; i++) {
        free(a->g[i].tipo);
        free(a->g[i].sector);
    }
    for (size_t i = 0; i < a->nf; i++) {
        cob_fila *f = &a->f[i];
        free(f->emisor);
        free(f->nombre);
        free(f->tipo);
        free(f->estado);
        free(f->ultima);
    }
    for (size_t i = 0; i < a->nl; i++)
        free(a->linajes[i]);
    free(a->g);
    free(a->f);
    free(a->linajes);
    memset(a, 0, sizeof *a);
}

const cob_cuenta *cobertura_total(const cob_anio *a)
{
    static const cob_cuenta cero;
    return a->ng && !strcmp(a->g[0].nivel, "total") ? &a->g[0].c : &cero;
}

void cobertura_acumular(cob_cuenta *into, const cob_cuenta *c)
{
    into->esperados += c->esperados;
    into->entregaron += c->entregaron;
    into->a_tiempo += c->a_tiempo;
    into->tarde += c->tarde;
    into->sin_acciones += c->sin_acciones;
    into->faltan += c->faltan;
}

double cobertura_tasa(const cob_cuenta *c)
{
    return c->esperados ? (double)c->entregaron / (double)c->esperados : -1;
}

double cobertura_tasa_a_tiempo(const cob_cuenta *c)
{
    return c->esperados ? (double)c->a_tiempo / (double)c->esperados : -1;
}
