#include "itlib.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "db.h"
#include "ficha.h"
#include "strbuf.h"

void it_env_open(it_env *env)
{
    pmm_error err;
    memset(env, 0, sizeof *env);
    env->conf = conf_load(NULL, CONF_TODOS, db_conninfo_check, &err);
    if (!env->conf)
        fail_msg("configuración: %s", err.mensaje);
    env->endpoint = conf_str(env->conf, "ingestd", "endpoint");
    assert_non_null(env->endpoint);
    env->db = db_connect(conf_conninfo(env->conf, NULL),
                         "pmm-test", &err);
    if (!env->db)
        fail_msg("postgresql: %s", err.mensaje);
}

void it_env_close(it_env *env)
{
    if (env->db)
        PQfinish(env->db);
    conf_destroy(&env->conf);
}

static void set(ProtobufCBinaryData *b, protobuf_c_boolean *has, const char *s)
{
    ficha_bytes_set(b, has, s, strlen(s));
}

Pmm__Ficha *it_ficha(const char *prefix, int i, int variant)
{
    static const char *deps[] = {"SRE", "SEGOB", "INM", "STPS", "SSA", "SEP"};
    char buf[256];
    Pmm__Ficha *f = malloc(sizeof *f);
    pmm__ficha__init(f);
    snprintf(buf, sizeof buf, "%s-%05d", prefix, i);
    set(&f->clave, &f->has_clave, buf);
    f->has_ejercicio = 1;
    f->ejercicio = 2018 + i % 5;
    if (i % 4 == 3) {
        set(&f->ambito, &f->has_ambito, "estatal");
        snprintf(buf, sizeof buf, "%02d", 1 + i % 32);
        set(&f->entidad, &f->has_entidad, buf);
    } else {
        set(&f->ambito, &f->has_ambito, "federal");
        set(&f->dependencia, &f->has_dependencia, deps[i % 6]);
    }
    snprintf(buf, sizeof buf, "Programa de prueba %d (variante %d)", i, variant);
    set(&f->programa, &f->has_programa, buf);
    f->has_objetivo_pmm = 1;
    f->objetivo_pmm = 1 + i % 23;
    f->descripcion = malloc(sizeof *f->descripcion);
    pmm__descripcion__init(f->descripcion);
    set(&f->descripcion->objetivo, &f->descripcion->has_objetivo,
        "Atender a personas migrantes con orientación y servicios.");
    f->resultados = malloc(sizeof *f->resultados);
    pmm__resultados__init(f->resultados);
    f->resultados->has_acciones = 1;
    f->resultados->acciones = 1 + i % 7;
    f->resultados->has_personas = 1;
    f->resultados->personas = 10 * (i % 50);
    /* SQL metacharacters must be stored byte for byte */
    set(&f->retos, &f->has_retos, "Presupuesto'; DROP TABLE fichas; -- \\ \"x\"");
    f->contacto = malloc(sizeof *f->contacto);
    pmm__contacto__init(f->contacto);
    set(&f->contacto->nombre, &f->contacto->has_nombre, "Persona Ficticia");
    return f;
}

typedef struct {
    Pmm__Ficha **fichas;
    size_t n, next;
    sender_result *results;
} send_ctx;

static int pull(void *user, Pmm__Ficha **f, uint64_t *seq)
{
    send_ctx *c = user;
    if (c->next == c->n)
        return 0;
    *seq = c->next;
    *f = c->fichas[c->next++];
    return 1;
}

static void push(void *user, const sender_result *r)
{
    send_ctx *c = user;
    c->results[r->seq] = *r;
}

int it_send(const char *endpoint, Pmm__Ficha **fichas, size_t n,
            sender_result *results)
{
    send_ctx c = {.fichas = fichas, .n = n, .results = results};
    sender_opts o = {.endpoint = endpoint, .window = 128, .timeout_ms = 10000,
                     .max_attempts = 5};
    pmm_error err;
    return sender_run(&o, pull, push, &c, &err);
}

long long it_query_ll(PGconn *db, const char *sql, const char *param)
{
    const char *params[] = {param};
    PGresult *res = PQexecParams(db, sql, param ? 1 : 0, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1)
        fail_msg("consulta fallida: %s: %s", sql, PQerrorMessage(db));
    long long v = PQgetisnull(res, 0, 0) ? 0 : strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return v;
}

int it_run(const char *cmd, char **out)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    strbuf b;
    strbuf_init(&b);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0)
        strbuf_append(&b, buf, n);
    int status = pclose(p);
    if (out)
        *out = b.data ? b.data : strdup("");
    else
        strbuf_free(&b);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

const char *it_run_id(void)
{
    static char id[32];
    if (!id[0])
        snprintf(id, sizeof id, "t%lx%x", (unsigned long)time(NULL), (unsigned)getpid());
    return id;
}

PGconn *it_scratch_connect(const it_env *env, const char *name, const char *user)
{
    char ci[1024];
    /* in a libpq conninfo string the last value of a keyword wins */
    snprintf(ci, sizeof ci, "%s dbname=%s%s%s",
             conf_conninfo(env->conf, NULL), name,
             user ? " user=" : "", user ? user : "");
    pmm_error err;
    PGconn *db = db_connect(ci, "pmm-test", &err);
    if (!db)
        fail_msg("base de prueba %s (%s): %s", name, user ? user : "dueño", err.mensaje);
    return db;
}

PGconn *it_scratch_create(const it_env *env, const char *tag, char *name, size_t cap)
{
    snprintf(name, cap, "pmm_%s_%s", tag, it_run_id());
    char sql[256];
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
    PGresult *res = PQexec(env->db, sql);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        fail_msg("%s: %s", sql, PQerrorMessage(env->db));
    PQclear(res);
    PGconn *db = it_scratch_connect(env, name, NULL);
    pmm_error err;
    if (db_migrate(db, &err) != 0)
        fail_msg("migraciones en %s: %s", name, err.mensaje);
    return db;
}

void it_scratch_drop(const it_env *env, const char *name)
{
    char sql[256];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
    PGresult *res = PQexec(env->db, sql);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        fail_msg("%s: %s", sql, PQerrorMessage(env->db));
    PQclear(res);
}
