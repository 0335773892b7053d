/* pgbackrest.h -- runs pgBackRest for `pmm respaldo` with the repository
 * configured in pmm.conf [respaldo], as the repository's owner, and turns
 * its exit codes into Spanish. pgBackRest's own (English) output never
 * reaches the user: its console log is off, its log file holds the detail
 * (named in every error message), and only --output=json is read. */
#ifndef PMM_CLI_PGBACKREST_H
#define PMM_CLI_PGBACKREST_H

#include <stddef.h>

#include "conf.h"
#include "error.h"

typedef struct {
    const char *stanza;        /* [respaldo] stanza (default "pmm") */
    const char *repositorio;   /* [respaldo] repositorio: repo1-path, or NULL */
    const char *config;        /* [respaldo] configuracion: pgBackRest's file, or NULL */
    const char *registros;     /* [respaldo] registros: log-path */
    const char *compresion;    /* [respaldo] compresion: zst, lz4, gz, bz2, none */
    long retencion;            /* [respaldo] retencion: full backups kept; 0 = unset */
    const char *usuario;       /* run as this system user; NULL = as ourselves */
} pgbr_opts;

typedef struct {
    int status;   /* pgBackRest's exit code (0 = success) */
    char *out;    /* its standard output, NUL-terminated (owned) */
} pgbr_result;

/* Reads [respaldo] from conf; checks the values (Spanish error naming the
 * key). As root without [respaldo] usuario, pgBackRest runs as "postgres":
 * it must never write the repository as root. */
int pgbr_opts_from_conf(const pmm_conf *conf, pgbr_opts *o, pmm_error *err);

/* Runs `pgbackrest <options> <command> <args...>` (args NULL-terminated,
 * may be NULL) and waits. Returns 0 when it ran (whatever its exit code,
 * in r->status), -1 with err when it could not be started. */
int pgbr_run(const pgbr_opts *o, const char *command, const char *const *args,
             pgbr_result *r, pmm_error *err);
void pgbr_result_free(pgbr_result *r);

/* A Spanish explanation of a non-zero exit code, with where to look:
 * "<what happened> (detalles en <registros>/<stanza>-<command>.log)". */
void pgbr_explain(const pgbr_opts *o, const char *command, int status, char *buf,
                  size_t len);

#endif
