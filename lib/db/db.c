#include "db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"
#include "migrations.h"
#include "pmm.pb-c.h"

/* Any constant shared by all pmm processes; guards migrations. */
#define MIGRATION_LOCK 0x504d4d01

/* Server NOTICEs (e.g. "already exists, skipping") are not for end users. */
static void notice_to_log(void *arg, const char *message)
{
    (void)arg;
    log_debug("postgresql: %.*s", (int)strcspn(message, "\n"), message);
}

/* ------------------------------------------------ errors, in Spanish */

/* libpq's and the server's messages are English (they follow the C
 * locale the daemons run in), so what people read is said here: the cause
 * by SQLSTATE, or for a failed connection by what can be checked (is there
 * a socket?) and by the few stable phrases libpq uses. The original goes
 * to the debug log (PMM_LOG=debug). */

static const struct {
    const char *estado;    /* a SQLSTATE, or its class ("22") */
    const char *texto;
} CAUSAS[] = {
    {"22007", "fecha u hora con formato no válido"},
    {"22008", "fecha u hora fuera de rango"},
    {"22P02", "un valor no tiene el formato esperado"},
    {"22003", "un número está fuera de rango"},
    {"22001", "un texto es demasiado largo"},
    {"22021", "un texto no es UTF-8 válido"},
    {"22", "un dato no es válido"},
    {"23505", "ya existe un registro con esos mismos datos"},
    {"23503", "hace referencia a un registro que no existe"},
    {"23502", "falta un dato obligatorio"},
    {"23514", "un dato no cumple una regla del esquema"},
    {"23", "se violaría la integridad de los datos"},
    {"25006", "la conexión es de solo lectura (¿es una réplica?)"},
    {"25", "la transacción no está en un estado válido"},
    {"28", "PostgreSQL rechazó la autenticación del usuario de la conexión"},
    {"3D000", "la base de datos no existe"},
    {"40001", "conflicto con otra transacción; vuelva a intentarlo"},
    {"40P01", "bloqueo mutuo con otra transacción; vuelva a intentarlo"},
    {"40", "la transacción se deshizo; vuelva a intentarlo"},
    {"42501", "el usuario de la conexión no tiene permiso para esta operación"},
    {"42P01", "falta una tabla del esquema (¿faltan migraciones? pmm migrar)"},
    {"42703", "falta una columna del esquema (¿faltan migraciones? pmm migrar)"},
    {"42883", "falta una función del esquema (¿faltan migraciones? pmm migrar)"},
    {"42", "consulta no válida para este esquema"},
    {"53100", "el disco de PostgreSQL está lleno"},
    {"53", "PostgreSQL se quedó sin recursos (memoria, conexiones)"},
    {"54", "se excedió un límite de PostgreSQL"},
    {"55P03", "un registro está bloqueado por otra operación"},
    {"55", "el objeto no está en un estado que permita la operación"},
    {"57014", "la consulta se canceló (tiempo agotado)"},
    {"57", "PostgreSQL se está deteniendo o arrancando; vuelva a intentarlo"},
    {"58", "error del sistema en el servidor de PostgreSQL"},
    {"08", "se perdió la conexión con PostgreSQL"},
    {"XX", "error interno de PostgreSQL"},
};

const char *db_causa(const char *sqlstate)
{
    if (!sqlstate)
        return "error de PostgreSQL";
    for (size_t i = 0; i < sizeof CAUSAS / sizeof CAUSAS[0]; i++)
        if (!strncmp(sqlstate, CAUSAS[i].estado, strlen(CAUSAS[i].estado)))
            return CAUSAS[i].texto;
    return "error de PostgreSQL";
}

/* Why a connection failed, in Spanish, from what libpq tried. */
static void conexion_fallida(PGconn *conn, char *out, size_t cap)
{
    const char *msg = PQerrorMessage(conn);
    const char *host = PQhost(conn), *port = PQport(conn), *db = PQdb(conn),
               *user = PQuser(conn);
    if (!host || !*host)
        host = "/var/run/postgresql";   /* libpq's default socket directory */
    if (!port || !*port)
        port = "5432";
    char donde[300];
    int socket = host[0] == '/' || host[0] == '@';
    if (socket)
        snprintf(donde, sizeof donde, "el socket %.240s/.s.PGSQL.%.10s", host, port);
    else
        snprintf(donde, sizeof donde, "%.240s, puerto %.10s", host, port);
    struct stat st;
    char path[600];
    snprintf(path, sizeof path, "%s/.s.PGSQL.%s", host, port);
    if (host[0] == '/' && stat(path, &st) != 0)
        snprintf(out, cap, "no hay ningún servidor PostgreSQL en marcha en %.200s: "
                 "inícielo (una pila local: ./deploy/stack.sh start; un servidor: "
                 "systemctl start postgresql) o revise [postgresql] conninfo", donde);
    else if (strstr(msg, "Connection refused"))
        snprintf(out, cap, "nadie acepta conexiones en %.200s: ¿está en marcha PostgreSQL?",
                 donde);
    else if (strstr(msg, "could not translate host name"))
        snprintf(out, cap, "no se encuentra el servidor «%.200s» (revise [postgresql] conninfo)",
                 host);
    else if (strstr(msg, "timeout expired") || strstr(msg, "timed out"))
        snprintf(out, cap, "%.200s no respondió a tiempo", donde);
    else if (strstr(msg, "does not exist") && strstr(msg, "database"))
        snprintf(out, cap, "la base de datos «%.200s» no existe en %.200s", db ? db : "", donde);
    else if (strstr(msg, "does not exist") && strstr(msg, "role"))
        snprintf(out, cap, "el usuario «%.200s» no existe en PostgreSQL (%.200s)", user ? user : "",
                 donde);
    else if (strstr(msg, "authentication failed") || strstr(msg, "no password supplied") ||
             strstr(msg, "pg_hba.conf") || strstr(msg, "permission denied"))
        snprintf(out, cap, "PostgreSQL rechazó al usuario «%.200s» en %.200s (autenticación o "
                 "permisos: revise [postgresql] conninfo y pg_hba.conf)",
                 user ? user : "", donde);
    else if (strstr(msg, "starting up") || strstr(msg, "shutting down") ||
             strstr(msg, "recovery mode"))
        snprintf(out, cap, "PostgreSQL está arrancando o deteniéndose en %.200s; vuelva a "
                 "intentarlo", donde);
    else if (strstr(msg, "too many clients") || strstr(msg, "connection slots"))
        snprintf(out, cap, "PostgreSQL no admite más conexiones en %.200s", donde);
    else
        snprintf(out, cap, "falló la conexión con %.200s (base «%.200s», usuario «%.200s»)", donde,
                 db ? db : "", user ? user : "");
}

PGconn *db_connect(const char *conninfo, const char *application_name,
                   pmm_error *err)
{
    /* client_encoding in the start-up packet rather than by
     * PQsetClientEncoding afterwards: one round trip less per connection,
     * a visible share of a short CLI command. It comes after dbname, so it
     * overrides whatever the expanded conninfo says: everything here is
     * UTF-8. */
    const char *keys[] = {"dbname", "application_name", "connect_timeout",
                          "client_encoding", NULL};
    const char *vals[] = {conninfo ? conninfo : "", application_name, "10", "UTF8",
                          NULL};
    /* expand_dbname=1: the first dbname may be a whole conninfo string. */
    PGconn *conn = PQconnectdbParams(keys, vals, 1);
    if (!conn) {
        pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "postgresql", "sin memoria");
        return NULL;
    }
    if (PQstatus(conn) != CONNECTION_OK) {
        char msg[PMM_ERR_MENSAJE];
        conexion_fallida(conn, msg, sizeof msg);
        log_debug("postgresql: %.*s", (int)strcspn(PQerrorMessage(conn), "\n"),
                  PQerrorMessage(conn));
        pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "08006",
                      "no se pudo conectar con PostgreSQL: %s", msg);
        PQfinish(conn);
        return NULL;
    }
    PQsetNoticeProcessor(conn, notice_to_log, NULL);
    return conn;
}

int db_reconnect(PGconn **db, const char *conninfo, const char *application_name,
                 pmm_error *err)
{
    if (*db && PQstatus(*db) == CONNECTION_OK)
        return 0;
    if (*db)
        PQfinish(*db);
    *db = db_connect(conninfo, application_name, err);
    return *db ? 0 : -1;
}

int db_error(PGconn *conn, const PGresult *res, const char *what,
             pmm_error *err)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorMessage(res) : NULL;
    if (!msg || !*msg)
        msg = PQerrorMessage(conn);
    if (!state)
        state = PQstatus(conn) == CONNECTION_BAD ? "08006" : "XX000";
    log_debug("postgresql (%s): %.*s", state, (int)strcspn(msg, "\n"), msg);
    /* what the project's own SQL raises (PL/pgSQL RAISE) is Spanish */
    const char *fn = res ? PQresultErrorField(res, PG_DIAG_SOURCE_FUNCTION) : NULL;
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (fn && primary && !strcmp(fn, "exec_stmt_raise"))
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", state, "%s: %s", what,
                             primary);
    return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", state, "%s: %s (SQLSTATE %s)",
                         what, db_causa(state), state);
}

bool db_retryable(const char *s)
{
    if (!s)
        return false;
    return !strncmp(s, "08", 2) || !strcmp(s, "40001") || !strcmp(s, "40P01") ||
           !strcmp(s, "57P01") || !strcmp(s, "57P02") || !strcmp(s, "57P03") ||
           !strcmp(s, "23505");
}

int db_exec(PGconn *conn, const char *sql, pmm_error *err)
{
    PGresult *res = PQexec(conn, sql);
    int ok = PQresultStatus(res) == PGRES_COMMAND_OK ||
             PQresultStatus(res) == PGRES_TUPLES_OK;
    if (!ok)
        db_error(conn, res, "error de SQL", err);
    PQclear(res);
    return ok ? 0 : -1;
}

int db_query_ll(PGconn *conn, const char *sql, long long *out, pmm_error *err)
{
    PGresult *res = PQexecParams(conn, sql, 0, NULL, NULL, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
        db_error(conn, res, "consulta fallida", err);
        PQclear(res);
        return -1;
    }
    *out = PQgetisnull(res, 0, 0) ? 0 : strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return 0;
}

/* Names of the applied migrations, or NULL with *none set when the
 * bookkeeping table does not exist yet. */
static PGresult *applied_migrations(PGconn *conn, int *none, pmm_error *err)
{
    *none = 0;
    PGresult *res = PQexec(conn, "SELECT to_regclass('pmm_migraciones') IS NULL");
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(conn, res, "no se pudo leer el esquema", err);
        PQclear(res);
        return NULL;
    }
    *none = PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    if (*none)
        return NULL;
    res = PQexec(conn, "SELECT nombre FROM pmm_migraciones");
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(conn, res, "no se pudo leer pmm_migraciones", err);
        PQclear(res);
        return NULL;
    }
    return res;
}

static int is_applied(const PGresult *res, const char *name)
{
    for (int r = 0; res && r < PQntuples(res); r++)
        if (!strcmp(PQgetvalue(res, r, 0), name))
            return 1;
    return 0;
}

/* Number of embedded migrations not yet applied, or -1. */
static int pending_migrations(PGconn *conn, PGresult **applied, pmm_error *err)
{
    int none;
    *applied = applied_migrations(conn, &none, err);
    if (!*applied && !none)
        return -1;
    int pending = 0;
    for (int i = 0; i < pmm_migrations_count; i++)
        pending += !is_applied(*applied, pmm_migrations[i].name);
    return pending;
}

int db_migrate(PGconn *conn, pmm_error *err)
{
    /* Up to date: nothing to lock or create, so daemons running with
     * least-privilege roles pass through here. */
    PGresult *applied = NULL;
    int pending = pending_migrations(conn, &applied, err);
    PQclear(applied);
    if (pending <= 0)
        return pending;

    char sql[256];
    snprintf(sql, sizeof sql, "SELECT pg_advisory_lock(%d)", MIGRATION_LOCK);
    if (db_exec(conn, sql, err) != 0)
        return -1;
    int rc = db_exec(conn,
                     "CREATE TABLE IF NOT EXISTS pmm_migraciones ("
                     " nombre text PRIMARY KEY,"
                     " aplicada timestamptz NOT NULL DEFAULT now())",
                     err);
    if (rc == 0 && pending_migrations(conn, &applied, err) < 0)
        rc = -1;   /* re-read under the lock: another process may have migrated */
    for (int i = 0; rc == 0 && i < pmm_migrations_count; i++) {
        const pmm_migration *m = &pmm_migrations[i];
        if (is_applied(applied, m->name))
            continue;
        log_info("aplicando migración %s", m->name);
        const char *params[] = {m->name};
        rc = db_exec(conn, "BEGIN", err);
        if (rc == 0)
            rc = db_exec(conn, m->sql, err);
        if (rc == 0) {
            PGresult *res = PQexecParams(
                conn, "INSERT INTO pmm_migraciones (nombre) VALUES ($1)", 1,
                NULL, params, NULL, NULL, 0);
            if (PQresultStatus(res) != PGRES_COMMAND_OK)
                rc = db_error(conn, res, "no se pudo registrar la migración",
                              err);
            PQclear(res);
        }
        if (rc == 0)
            rc = db_exec(conn, "COMMIT", err);
        if (rc != 0) {
            pmm_error tmp;
            db_exec(conn, "ROLLBACK", &tmp);
            char what[160];
            snprintf(what, sizeof what,
                     "migración %s (aplíquela con un rol propietario del esquema: "
                     "pmm migrar)", m->name);
            pmm_error_prefix(err, what);
        }
    }
    PQclear(applied);
    pmm_error tmp;
    snprintf(sql, sizeof sql, "SELECT pg_advisory_unlock(%d)", MIGRATION_LOCK);
    db_exec(conn, sql, &tmp);
    return rc;
}

int db_copy_in(PGconn *conn, const char *sql, const char *data, size_t len,
               pmm_error *err)
{
    PGresult *res = PQexec(conn, sql);
    if (PQresultStatus(res) != PGRES_COPY_IN) {
        db_error(conn, res, "COPY no aceptado", err);
        PQclear(res);
        return -1;
    }
    PQclear(res);
    if ((len && PQputCopyData(conn, data, (int)len) != 1) ||
        PQputCopyEnd(conn, NULL) != 1)
        return db_error(conn, NULL, "COPY interrumpido", err);
    int rc = 0;
    while ((res = PQgetResult(conn)) != NULL) {
        if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == 0)
            rc = db_error(conn, res, "COPY fallido", err);
        PQclear(res);
    }
    return rc;
}

/* The keyword of an entry of a key=value conninfo that libpq does not know,
 * for a Spanish reason (libpq's own is English). */
static int unknown_keyword(const char *s, char *kw, size_t n)
{
    PQconninfoOption *known = PQconndefaults();
    int found = 0;
    while (known && *s && !found) {
        while (*s == ' ' || *s == '\t' || *s == '\n')
            s++;
        size_t len = strcspn(s, "= \t\n");
        if (!len)
            break;
        snprintf(kw, n, "%.*s", (int)len, s);
        s += len;
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s == '=')
            s++;
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s == '\'') {   /* a quoted value, with \' and \\ escapes */
            for (s++; *s && *s != '\''; s++)
                if (*s == '\\' && s[1])
                    s++;
            if (*s)
                s++;
        } else {
            s += strcspn(s, " \t\n");
        }
        found = 1;
        for (const PQconninfoOption *o = known; o->keyword; o++)
            if (!strcmp(o->keyword, kw))
                found = 0;
    }
    PQconninfoFree(known);
    return found;
}

int db_conninfo_check(const char *conninfo, char *why, size_t n)
{
    char *msg = NULL;
    PQconninfoOption *opts = PQconninfoParse(conninfo, &msg);
    if (opts) {
        PQconninfoFree(opts);
        return 0;
    }
    PQfreemem(msg);
    char kw[64];
    int uri = !strncmp(conninfo, "postgresql://", 13) || !strncmp(conninfo, "postgres://", 11);
    if (!uri && unknown_keyword(conninfo, kw, sizeof kw))
        snprintf(why, n, "«%s» no es una palabra clave de conexión de libpq; se admiten "
                 "host, port, dbname, user, passfile, connect_timeout, sslmode...", kw);
    else
        snprintf(why, n, "no es una cadena de conexión de libpq válida; se admite "
                 "«host=... dbname=... user=...» o una URI postgresql://...");
    return -1;
}
