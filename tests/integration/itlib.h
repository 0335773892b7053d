/* itlib.h -- helpers for integration tests against the stack that the
 * ctest fixture started (deploy/stack.sh under $PMM_HOME). */
#ifndef PMM_ITLIB_H
#define PMM_ITLIB_H

#include <libpq-fe.h>
#include <stddef.h>

#include "conf.h"
#include "pmm.pb-c.h"
#include "sender.h"

typedef struct {
    pmm_conf *conf;
    PGconn *db;
    const char *endpoint;
} it_env;

/* Loads $PMM_HOME/pmm.conf and connects to the stack's database. */
void it_env_open(it_env *env);
void it_env_close(it_env *env);

/* A valid ficha, unique per (prefix, i); variant changes its content. */
Pmm__Ficha *it_ficha(const char *prefix, int i, int variant);

/* Sends fichas[0..n) (ownership taken) and stores each result in
 * results[i] (indexed like the input). Returns sender_run's code. */
int it_send(const char *endpoint, Pmm__Ficha **fichas, size_t n,
            sender_result *results);

/* One value from a query with $1 bound to param (may be NULL). */
long long it_query_ll(PGconn *db, const char *sql, const char *param);

/* Runs a shell command and returns its exit status; output to *out
 * (malloc'd, may be NULL). */
int it_run(const char *cmd, char **out);

/* A prefix unique to this test run. */
const char *it_run_id(void);

/* A scratch database of its own in the stack's cluster, named
 * "pmm_<tag>_<run id>", with the schema migrated (db_migrate) and no
 * daemon attached: tests that call the daemons' storing and aggregation
 * code directly own every row in it. Written to name (cap bytes);
 * returns a connection as the schema owner. */
PGconn *it_scratch_create(const it_env *env, const char *tag, char *name, size_t cap);

/* A connection to the scratch database as login role `user` (pmm_ingestd,
 * pmm_aggregd, pmm_consulta...), through the owner's conninfo otherwise. */
PGconn *it_scratch_connect(const it_env *env, const char *name, const char *user);

/* Drops the scratch database (connections to it must be closed). */
void it_scratch_drop(const it_env *env, const char *name);

#endif
