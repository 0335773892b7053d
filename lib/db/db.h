/* db.h -- PostgreSQL through libpq: connecting, migrating, classifying errors.
 *
 * Connection strings are plain libpq conninfo, so PG* environment variables
 * fill whatever they leave out.
 */
#ifndef PMM_DB_H
#define PMM_DB_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "error.h"

/* Connects; on failure returns NULL with err naming the cause in Spanish
 * (no server at the socket, refused, authentication, unknown database or
 * user...), what libpq tried and, when nothing runs there, how to start
 * it. */
PGconn *db_connect(const char *conninfo, const char *application_name,
                   pmm_error *err);

/* Keeps *db connected: returns 0 at once when it is, else drops it and
 * connects again (the daemons call this before each unit of work, so a
 * lost connection is retried, never fatal). */
int db_reconnect(PGconn **db, const char *conninfo, const char *application_name,
                 pmm_error *err);

/* Applies the embedded migrations that are not yet recorded, each in its
 * own transaction, serialised across processes by an advisory lock. */
int db_migrate(PGconn *conn, pmm_error *err);

/* Fills err from a failed result (SQLSTATE in regla); returns -1. The
 * message is "<what>: <cause in Spanish> (SQLSTATE <code>)" (db_causa),
 * or, for an error the project's own PL/pgSQL raised, its Spanish text;
 * the server's English text goes to the debug log only. */
int db_error(PGconn *conn, const PGresult *res, const char *what,
             pmm_error *err);

/* A Spanish description of a SQLSTATE (by code, else by its class). */
const char *db_causa(const char *sqlstate);

/* True for failures that a reconnect-and-retry can cure: connection loss
 * (08xxx), serialization failure (40001), deadlock (40P01), admin shutdown
 * (57P01..57P03), or a unique violation from a concurrent writer (23505). */
bool db_retryable(const char *sqlstate);

/* Runs a statement with no result rows expected. */
int db_exec(PGconn *conn, const char *sql, pmm_error *err);

/* Runs a query that returns one row and reads its first value into *out
 * (a NULL value reads as 0). Returns 0, or -1 with err when the query
 * fails or does not return exactly one row. */
int db_query_ll(PGconn *conn, const char *sql, long long *out, pmm_error *err);

/* Runs a "COPY ... FROM STDIN" statement with data in COPY text format. */
int db_copy_in(PGconn *conn, const char *sql, const char *data, size_t len,
               pmm_error *err);

/* Whether conninfo is a connection string libpq accepts (key=value pairs
 * or a URI); -1 with a Spanish reason in why when not (for conf_load's
 * conninfo check, conf.h). Nothing is connected. */
int db_conninfo_check(const char *conninfo, char *why, size_t n);

#endif
