/* analista.c -- the analyst's name and the warning after a close
 * (analista.h). */
#include "analista.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The "nombre" metadata of a ZeroMQ certificate (the text format of
 * lib/wire/cert.c, `nombre = "…"`). Read here, a dozen lines, because pmm
 * does not link libzmq (lib/wire), which cert_load would bring. */
static int nombre_de_clave(const char *path, char *out, size_t cap)
{
    FILE *f = path && *path ? fopen(path, "r") : NULL;
    if (!f)
        return -1;
    char line[512];
    int rc = -1;
    while (rc && fgets(line, sizeof line, f)) {
        const char *p = line + strspn(line, " \t");
        if (strncmp(p, "nombre", 6))
            continue;
        p += 6 + strspn(p + 6, " \t");
        if (*p++ != '=')
            continue;
        p += strspn(p, " \t");
        const char *end = *p == '"' ? strchr(p + 1, '"') : NULL;
        if (end && end > p + 1 && (size_t)(end - p - 1) < cap) {
            memcpy(out, p + 1, (size_t)(end - p - 1));
            out[end - p - 1] = '\0';
            rc = 0;
        }
    }
    fclose(f);
    return rc;
}

int analista_nombre(const pmm_conf *conf, const char *opcion, char *out, size_t cap,
                    pmm_error *err)
{
    const char *env = getenv("PMM_ANALISTA");
    if (opcion && *opcion) {
        snprintf(out, cap, "%s", opcion);
        return 0;
    }
    if (env && *env) {
        snprintf(out, cap, "%s", env);
        return 0;
    }
    if (nombre_de_clave(conf_str(conf, "cliente", "clave"), out, cap) == 0)
        return 0;
    if (conf_long(conf, "general", "exigir_analista"))
        return pmm_error_set(err, 1, "--analista", "anonimo",
                             "esta instalación no acepta decisiones anónimas "
                             "([general] exigir_analista = 1): indique quién decide con "
                             "--analista NOMBRE o $PMM_ANALISTA, o configure su clave de "
                             "analista en [cliente] clave");
    const char *user = getenv("USER");
    snprintf(out, cap, "%s", user && *user ? user : "sin identificar");
    return 0;
}

void analista_aviso_cierre(PGconn *db, const char *cmd, int ejercicio, long long ficha_id,
                           const char *zona)
{
    char y[16], id[32];
    snprintf(y, sizeof y, "%d", ejercicio);
    snprintf(id, sizeof id, "%lld", ficha_id);
    const char *params[] = {ejercicio ? y : NULL, ficha_id ? id : NULL, zona};
    PGresult *res = PQexecParams(
        db,
        "SELECT c.ejercicio, c.id, to_char(c.creado AT TIME ZONE $3, 'DD/MM/YYYY HH24:MI')"
        "  FROM cierres c"
        " WHERE c.ejercicio = coalesce($1::int,"
        "         (SELECT ejercicio FROM fichas WHERE id = $2::bigint))"
        " ORDER BY c.id DESC LIMIT 1",
        3, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
        fprintf(stderr,
                "%s: aviso: el ejercicio %s ya tiene un cierre (cierre %s, %s): la edición "
                "publicada (pmm informe y pmm compendio --desde-cierre) no cambia con esta "
                "decisión a menos que haga un cierre nuevo: pmm cierre --ejercicio %s\n",
                cmd, PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2),
                PQgetvalue(res, 0, 0));
    PQclear(res);
}
