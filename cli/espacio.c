#include "espacio.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>

static void medir(espacio *e, const char *nombre, const char *ruta, const char *sin_ruta)
{
    volumen *v = &e->v[e->n++];
    memset(v, 0, sizeof *v);
    v->nombre = nombre;
    if (!ruta) {
        snprintf(v->error, sizeof v->error, "%s", sin_ruta);
        return;
    }
    snprintf(v->ruta, sizeof v->ruta, "%s", ruta);
    struct statvfs s;
    if (statvfs(ruta, &s) != 0) {
        snprintf(v->error, sizeof v->error, "no se pudo medir %s: %s", ruta,
                 errno == EACCES ? "sin permiso (ejecute como root o como postgres)"
                                 : pmm_strerror(errno));
        return;
    }
    v->ok = 1;
    v->libre = (unsigned long long)s.f_bavail * s.f_frsize;
    v->total = (unsigned long long)s.f_blocks * s.f_frsize;
    unsigned long long min_bytes = (unsigned long long)e->minimo_mb * 1024ULL * 1024ULL;
    v->aviso = v->libre < min_bytes ||
               (v->total > 0 && v->libre * 100ULL < v->total * (unsigned long long)e->minimo_pct);
    e->aviso |= v->aviso;
}

/* PostgreSQL's data directory, when it runs on this host. */
static const char *data_directory(PGconn *db, char *buf, size_t len, const char **why)
{
    *why = "PostgreSQL no responde y no se indicó [postgresql] directorio_datos";
    if (!db)
        return NULL;
    const char *host = PQhost(db);
    if (!host || host[0] != '/') {
        *why = "PostgreSQL está en otro servidor: mida el espacio allí (o indique "
               "[postgresql] directorio_datos si este servidor lo ve)";
        return NULL;
    }
    PGresult *res = PQexec(db, "SELECT current_setting('data_directory')");
    const char *dir = NULL;
    if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
        snprintf(buf, len, "%s", PQgetvalue(res, 0, 0));
        dir = buf;
    } else {
        *why = "el rol de [postgresql] conninfo no puede leer data_directory (GRANT "
               "pg_read_all_settings) ni se indicó [postgresql] directorio_datos";
    }
    PQclear(res);
    return dir;
}

void espacio_medir(PGconn *db, const pmm_conf *conf, espacio *e)
{
    memset(e, 0, sizeof *e);
    e->minimo_mb = conf_long(conf, "estado", "espacio_minimo_mb");
    e->minimo_pct = conf_long(conf, "estado", "espacio_minimo_pct");
    if (e->minimo_mb < 0)
        e->minimo_mb = 0;
    if (e->minimo_pct < 0 || e->minimo_pct > 100)
        e->minimo_pct = 10;
    char buf[PATH_MAX], wal[PATH_MAX + 8];
    const char *why = NULL;
    const char *dir = conf_str(conf, "postgresql", "directorio_datos");
    if (dir && !*dir)
        dir = NULL;
    if (!dir)
        dir = data_directory(db, buf, sizeof buf, &why);
    medir(e, "datos", dir, why);
    if (dir)
        snprintf(wal, sizeof wal, "%s/pg_wal", dir);
    medir(e, "wal", dir ? wal : NULL, why);
    const char *repo = conf_str(conf, "respaldo", "repositorio");
    medir(e, "respaldos", repo && *repo ? repo : NULL,
          "sin repositorio de respaldos ([respaldo] repositorio)");
}

json_t *espacio_json(const espacio *e)
{
    json_t *arr = json_array();
    for (int i = 0; i < e->n; i++) {
        const volumen *v = &e->v[i];
        json_t *o = json_object();
        json_object_set_new(o, "nombre", json_string(v->nombre));
        json_object_set_new(o, "ruta", v->ruta[0] ? json_string(v->ruta) : json_null());
        if (v->ok) {
            json_object_set_new(o, "libre_bytes", json_integer((json_int_t)v->libre));
            json_object_set_new(o, "total_bytes", json_integer((json_int_t)v->total));
            json_object_set_new(o, "aviso", json_boolean(v->aviso));
        } else {
            json_object_set_new(o, "error", json_string(v->error));
        }
        json_array_append_new(arr, o);
    }
    json_t *j = json_object();
    json_object_set_new(j, "aviso", json_boolean(e->aviso));
    json_object_set_new(j, "minimo_mb", json_integer(e->minimo_mb));
    json_object_set_new(j, "minimo_pct", json_integer(e->minimo_pct));
    json_object_set_new(j, "volumenes", arr);
    return j;
}

static void human(unsigned long long b, char *buf, size_t len)
{
    double mb = (double)b / (1024.0 * 1024.0);
    if (mb >= 10240)
        snprintf(buf, len, "%.1f GB", mb / 1024.0);
    else
        snprintf(buf, len, "%.1f MB", mb);
}

void espacio_imprimir(const espacio *e, FILE *out)
{
    for (int i = 0; i < e->n; i++) {
        const volumen *v = &e->v[i];
        fprintf(out, "%-11s %-9s ", i == 0 ? "Espacio" : "", v->nombre);
        if (!v->ok) {
            fprintf(out, "sin medir: %s\n", v->error);
            continue;
        }
        char libre[32], total[32];
        human(v->libre, libre, sizeof libre);
        human(v->total, total, sizeof total);
        fprintf(out, "%s libres de %s (%.0f %%)%s en %s\n", libre, total,
                v->total ? 100.0 * (double)v->libre / (double)v->total : 0.0,
                v->aviso ? ", POCO ESPACIO" : "", v->ruta);
    }
    if (e->aviso)
        fprintf(out, "AVISO       poco espacio libre (menos de %ld MB o del %ld %%): sin "
                     "espacio, PostgreSQL deja de guardar fichas (los envíos esperan y "
                     "se reintentan) y el WAL deja de archivarse\n",
                e->minimo_mb, e->minimo_pct);
}
