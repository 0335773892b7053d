/* espacio.h -- free space of the volumes the database lives on, for
 * `pmm estado`: PostgreSQL's data directory, its WAL (pg_wal, which may be
 * a link to another volume) and the backup repository. Measured with
 * statvfs on this host, so only where PostgreSQL runs here: the data
 * directory is [postgresql] directorio_datos, else PostgreSQL's own
 * data_directory when the connection is a local socket (it needs a
 * superuser or pg_read_all_settings); the repository is [respaldo]
 * repositorio. A volume under [estado] espacio_minimo_mb (default 1024) or
 * espacio_minimo_pct (default 10) per cent free is flagged. */
#ifndef PMM_CLI_ESPACIO_H
#define PMM_CLI_ESPACIO_H

#include <jansson.h>
#include <libpq-fe.h>
#include <limits.h>
#include <stdio.h>

#include "conf.h"

#define ESPACIO_MAX 3

typedef struct {
    const char *nombre;          /* "datos", "wal", "respaldos" */
    char ruta[PATH_MAX];
    int ok;                      /* measured */
    char error[160];             /* why not (Spanish) */
    unsigned long long libre;    /* bytes available to unprivileged users */
    unsigned long long total;
    int aviso;                   /* under the threshold */
} volumen;

typedef struct {
    volumen v[ESPACIO_MAX];
    int n;
    int aviso;                   /* some volume is under the threshold */
    long minimo_mb, minimo_pct;
} espacio;

/* Fills e. db may be NULL (PostgreSQL down): then only configured paths
 * are measured. Never fails: what cannot be measured says why. */
void espacio_medir(PGconn *db, const pmm_conf *conf, espacio *e);

/* {"aviso": bool, "minimo_mb": N, "minimo_pct": N, "volumenes": [{"nombre",
 * "ruta", "libre_bytes", "total_bytes", "aviso"} or {"nombre", "error"}]} */
json_t *espacio_json(const espacio *e);
/* The "Espacio" lines of pmm estado's table. */
void espacio_imprimir(const espacio *e, FILE *out);

#endif
