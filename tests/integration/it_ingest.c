/* The walking skeleton end to end: real ZeroMQ sockets to the running
 * ingestd, real PostgreSQL underneath. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <jansson.h>

#include "ficha.h"
#include "itlib.h"

#define CLIENTS 4
#define PER_CLIENT 250
#define TOTAL (CLIENTS * PER_CLIENT)

static it_env env;
static char prefix[64];
static int64_t first_ids[TOTAL];

typedef struct {
    int client;
    sender_result results[PER_CLIENT];
    int rc;
} client_job;

static void *client_main(void *arg)
{
    client_job *job = arg;
    Pmm__Ficha *fichas[PER_CLIENT];
    for (int i = 0; i < PER_CLIENT; i++)
        fichas[i] = it_ficha(prefix, job->client * PER_CLIENT + i, 0);
    job->rc = it_send(env.endpoint, fichas, PER_CLIENT, job->results);
    return NULL;
}

static void run_clients(client_job *jobs)
{
    pthread_t th[CLIENTS];
    for (int c = 0; c < CLIENTS; c++) {
        jobs[c].client = c;
        pthread_create(&th[c], NULL, client_main, &jobs[c]);
    }
    for (int c = 0; c < CLIENTS; c++)
        pthread_join(th[c], NULL);
}

static long long stored_with_prefix(void)
{
    char like[80];
    snprintf(like, sizeof like, "%s-%%", prefix);
    return it_query_ll(env.db, "SELECT count(*) FROM fichas WHERE clave LIKE $1", like);
}

static void concurrent_clients_store_each_once(void **state)
{
    (void)state;
    static client_job jobs[CLIENTS];
    run_clients(jobs);
    for (int c = 0; c < CLIENTS; c++) {
        assert_int_equal(jobs[c].rc, 0);
        for (int i = 0; i < PER_CLIENT; i++) {
            const sender_result *r = &jobs[c].results[i];
            if (r->estado != PMM__ESTADO__ESTADO_ACEPTADA)
                fail_msg("ficha %d: estado %d (%s)", c * PER_CLIENT + i, r->estado,
                         r->err.mensaje);
            assert_int_equal(r->version, 1);
            assert_true(r->id > 0);
            first_ids[c * PER_CLIENT + i] = r->id;
        }
    }
    assert_int_equal(stored_with_prefix(), TOTAL);
    char like[80];
    snprintf(like, sizeof like, "%s-%%", prefix);
    assert_int_equal(it_query_ll(env.db,
                                 "SELECT count(DISTINCT (emisor, ejercicio, clave))"
                                 " FROM fichas WHERE clave LIKE $1", like), TOTAL);
    /* contact data went to its own table */
    assert_int_equal(it_query_ll(env.db,
                                 "SELECT count(*) FROM contactos c JOIN fichas f"
                                 " ON f.id = c.ficha_id WHERE f.clave LIKE $1", like),
                     TOTAL);
}

static void resubmission_stores_nothing_new(void **state)
{
    (void)state;
    static client_job jobs[CLIENTS];
    run_clients(jobs);
    for (int c = 0; c < CLIENTS; c++) {
        assert_int_equal(jobs[c].rc, 0);
        for (int i = 0; i < PER_CLIENT; i++) {
            const sender_result *r = &jobs[c].results[i];
            assert_int_equal(r->estado, PMM__ESTADO__ESTADO_REPETIDA);
            /* the original receipt: same id and version */
            assert_int_equal(r->id, first_ids[c * PER_CLIENT + i]);
            assert_int_equal(r->version, 1);
        }
    }
    assert_int_equal(stored_with_prefix(), TOTAL);
}

static void conflict_is_refused_and_nothing_changes(void **state)
{
    (void)state;
    char key[80];
    snprintf(key, sizeof key, "%s-%05d", prefix, 7);
    long long before = it_query_ll(env.db,
        "SELECT count(*) FROM fichas WHERE clave = $1", key);
    char hash_before[80];
    snprintf(hash_before, sizeof hash_before, "%lld",
             it_query_ll(env.db, "SELECT ('x' || substr(encode(hash,'hex'),1,12))::bit(48)::bigint"
                                 " FROM fichas WHERE clave = $1", key));

    Pmm__Ficha *f[1] = {it_ficha(prefix, 7, 1)};   /* same clave, other content */
    sender_result r[1];
    assert_int_equal(it_send(env.endpoint, f, 1, r), 0);
    assert_int_equal(r[0].estado, PMM__ESTADO__ESTADO_RECHAZADA);
    assert_string_equal(r[0].err.campo, "clave");
    assert_string_equal(r[0].err.regla, "conflicto");
    assert_int_equal(it_query_ll(env.db, "SELECT count(*) FROM fichas WHERE clave = $1", key),
                     before);
    char hash_after[80];
    snprintf(hash_after, sizeof hash_after, "%lld",
             it_query_ll(env.db, "SELECT ('x' || substr(encode(hash,'hex'),1,12))::bit(48)::bigint"
                                 " FROM fichas WHERE clave = $1", key));
    assert_string_equal(hash_before, hash_after);
}

static void replacement_adds_a_version_and_keeps_the_old(void **state)
{
    (void)state;
    char key[80];
    snprintf(key, sizeof key, "%s-%05d", prefix, 8);
    Pmm__Ficha *f[1] = {it_ficha(prefix, 8, 2)};
    f[0]->has_reemplaza = 1;
    f[0]->reemplaza = 1;
    sender_result r[1];
    assert_int_equal(it_send(env.endpoint, f, 1, r), 0);
    assert_int_equal(r[0].estado, PMM__ESTADO__ESTADO_ACEPTADA);
    assert_int_equal(r[0].version, 2);
    assert_int_equal(it_query_ll(env.db, "SELECT count(*) FROM fichas WHERE clave = $1", key), 2);
    assert_int_equal(it_query_ll(env.db, "SELECT version FROM fichas_vigentes WHERE clave = $1",
                                 key), 2);
    /* a stale reemplaza is refused */
    Pmm__Ficha *g[1] = {it_ficha(prefix, 8, 3)};
    g[0]->has_reemplaza = 1;
    g[0]->reemplaza = 1;
    assert_int_equal(it_send(env.endpoint, g, 1, r), 0);
    assert_int_equal(r[0].estado, PMM__ESTADO__ESTADO_RECHAZADA);
    assert_string_equal(r[0].err.regla, "version_vigente");
}

static void sql_metacharacters_round_trip(void **state)
{
    (void)state;
    char key[80];
    snprintf(key, sizeof key, "%s-%05d", prefix, 9);
    const char *params[] = {key};
    PGresult *res = PQexecParams(env.db, "SELECT retos FROM fichas WHERE clave = $1",
                                 1, NULL, params, NULL, NULL, 0);
    assert_int_equal(PQntuples(res), 1);
    assert_string_equal(PQgetvalue(res, 0, 0),
                        "Presupuesto'; DROP TABLE fichas; -- \\ \"x\"");
    PQclear(res);
}

static void file_with_malformed_lines(void **state)
{
    (void)state;
    char path[] = "/tmp/pmm-it-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    const char *good =
        "{\"clave\":\"%s-f%d\",\"ejercicio\":2022,\"ambito\":\"federal\","
        "\"dependencia\":\"SRE\",\"programa\":\"Programa %d\",\"objetivo_pmm\":5,"
        "\"descripcion\":{\"objetivo\":\"Orientar.\"},\"resultados\":{\"acciones\":3}}\n";
    fprintf(f, good, prefix, 1, 1);
    fprintf(f, "{\"clave\": \"roto\", \n");                                /* line 2 */
    fprintf(f, good, prefix, 3, 3);
    fprintf(f, "{\"clave\":\"%s-f4\",\"ejercicio\":2022,\"ambito\":\"federal\","
               "\"dependencia\":\"SRE\",\"programa\":\"P\",\"objetivo_pmm\":99,"
               "\"descripcion\":{\"objetivo\":\"x\"},\"resultados\":{\"acciones\":1}}\n",
            prefix);                                                      /* line 4 */
    fprintf(f, "{\"clave\":\"%s-f5\",\"programma\":\"typo\"}\n", prefix); /* line 5 */
    fprintf(f, good, prefix, 6, 6);
    fclose(f);

    char cmd[512], *out = NULL;
    snprintf(cmd, sizeof cmd, "\"%s/pmm\" enviar --json %s 2>/dev/null",
             getenv("PMM_BIN"), path);
    int rc = it_run(cmd, &out);
    assert_int_equal(rc, 1);   /* some refused */
    /* one JSON object per input line, in order */
    json_error_t jerr;
    int lines = 0, accepted = 0;
    int refused_lines[8] = {0};
    char *save = NULL;
    for (char *l = strtok_r(out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        json_t *j = json_loads(l, 0, &jerr);
        assert_non_null(j);
        const char *estado = json_string_value(json_object_get(j, "estado"));
        int line = (int)json_integer_value(json_object_get(j, "linea"));
        if (!strcmp(estado, "aceptada"))
            accepted++;
        else {
            assert_string_equal(estado, "rechazada");
            json_t *e = json_object_get(j, "error");
            assert_non_null(json_object_get(e, "campo"));
            assert_non_null(json_object_get(e, "regla"));
            assert_non_null(json_object_get(e, "mensaje"));
            refused_lines[lines] = line;
        }
        lines++;
        json_decref(j);
    }
    free(out);
    unlink(path);
    assert_int_equal(lines, 6);
    assert_int_equal(accepted, 3);
    assert_int_equal(refused_lines[1], 2);
    assert_int_equal(refused_lines[3], 4);
    assert_int_equal(refused_lines[4], 5);
    char like[80];
    snprintf(like, sizeof like, "%s-f%%", prefix);
    assert_int_equal(it_query_ll(env.db, "SELECT count(*) FROM fichas WHERE clave LIKE $1",
                                 like), 3);
}

static int setup(void **state)
{
    (void)state;
    it_env_open(&env);
    snprintf(prefix, sizeof prefix, "%s", it_run_id());
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    it_env_close(&env);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(concurrent_clients_store_each_once),
        cmocka_unit_test(resubmission_stores_nothing_new),
        cmocka_unit_test(conflict_is_refused_and_nothing_changes),
        cmocka_unit_test(replacement_adds_a_version_and_keeps_the_old),
        cmocka_unit_test(sql_metacharacters_round_trip),
        cmocka_unit_test(file_with_malformed_lines),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
