/* Aggregation against brute force: random fichas (bodies, states,
 * objectives, corrections as new versions, analyst overrides) go through
 * the whole pipeline, and every `pmm totales` answer must equal a GROUP BY
 * written here from scratch over the latest versions. Then: every event
 * replayed twice changes no total; aggregd killed with SIGKILL in the middle
 * of a backlog and restarted ends with the same (right) totals, and the
 * full recompute then finds nothing to repair. Awkward values (quotes,
 * commas, braces, backslashes) come back exactly through the cells rule
 * (celdas.c) and the arrays aggregd sends PostgreSQL. Two aggregators with
 * small batches rebuild the totals from nothing, exactly. */
#include <jansson.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "celdas.h"
#include "ficha.h"
#include "itlib.h"
#include "strbuf.h"

static it_env env;
static char prefix[64];

/* Extra aggregators still running: stopped by teardown if a test fails
 * while they run, so that none outlives the test and holds ctest's pipes. */
static pid_t extras[2];
static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static const char *deps[] = {"SRE", "SEGOB", "INM", "STPS", "SSA", "SEP", "COMAR", "SNDIF"};

static void set(ProtobufCBinaryData *b, protobuf_c_boolean *has, const char *s)
{
    ficha_bytes_set(b, has, s, strlen(s));
}

/* A random ficha; the same (i, variant) always gives the same one. */
static Pmm__Ficha *random_ficha(int i, int variant)
{
    uint64_t saved = rng;
    /* identity (year, body) from i alone, so a correction keeps its key */
    rng = 0x1234567ull * (uint64_t)(i + 1);
    rnd();
    Pmm__Ficha *f = it_ficha(prefix, i, variant);
    f->ejercicio = 2018 + (int64_t)(rnd() % 5);
    char buf[8];
    if (f->ejercicio == 2022 && rnd() % 3 == 0) {
        set(&f->ambito, &f->has_ambito, "estatal");
        snprintf(buf, sizeof buf, "%02d", 1 + (int)(rnd() % 32));
        set(&f->entidad, &f->has_entidad, buf);
        free(f->dependencia.data);
        f->dependencia.data = NULL;
        f->dependencia.len = 0;
        f->has_dependencia = 0;
    } else {
        set(&f->ambito, &f->has_ambito, "federal");
        set(&f->dependencia, &f->has_dependencia, deps[rnd() % 8]);
        if (rnd() % 2) {
            snprintf(buf, sizeof buf, "%02d", 1 + (int)(rnd() % 32));
            set(&f->entidad, &f->has_entidad, buf);
        } else if (f->has_entidad) {
            free(f->entidad.data);
            f->entidad.data = NULL;
            f->entidad.len = 0;
            f->has_entidad = 0;
        }
    }
    /* content from (i, variant) */
    rng = 0x1234567ull * (uint64_t)(i + 1) + (uint64_t)variant * 0x9e37ull;
    rnd();
    f->objetivo_pmm = 1 + (int64_t)(rnd() % 23);
    static const char *topics[] = {
        "Talleres de capacitación para personal de atención a migrantes.",
        "Consultas médicas y vacunación en albergues de la frontera sur.",
        "Campaña informativa sobre derechos de las personas migrantes.",
        "Reuniones bilaterales con autoridades de Guatemala y Honduras.",
        "Expedición de actas de nacimiento y CURP a personas repatriadas.",
        "Becas y revalidación de estudios para niñas y niños migrantes.",
        "Vinculación laboral y ferias de empleo para personas refugiadas.",
        "Educación financiera y envío de remesas a bajo costo."};
    set(&f->descripcion->objetivo, &f->descripcion->has_objetivo, topics[rnd() % 8]);
    if (rnd() % 4 == 0) {   /* no figures: results as text only */
        f->resultados->has_acciones = f->resultados->has_personas = 0;
        set(&f->resultados->texto, &f->resultados->has_texto,
            "Se atendió a la población en los municipios de la frontera.");
    } else {
        f->resultados->acciones = (int64_t)(rnd() % 100);
        f->resultados->personas = (int64_t)(rnd() % 5000);
        if (rnd() % 2) {
            f->resultados->has_mujeres = f->resultados->has_hombres = 1;
            f->resultados->mujeres = f->resultados->personas / 2;
            f->resultados->hombres = f->resultados->personas / 3;
        }
    }
    rng = saved;
    return f;
}

static long long q(const char *sql)
{
    return it_query_ll(env.db, sql, NULL);
}

/* Runs a statement that must succeed. */
static void exec_ok(const char *sql)
{
    PGresult *res = PQexec(env.db, sql);
    if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK)
        fail_msg("%s: %s", sql, PQerrorMessage(env.db));
    PQclear(res);
}

/* Queues every stored ficha for aggregation again (an event replayed)
 * through the one enqueue function, and checks that each one was queued: a
 * failed call would leave nothing to replay and the "nothing changes"
 * checks below would pass for nothing. */
static void requeue_every_ficha(void)
{
    long long fichas = q("SELECT count(*) FROM fichas");
    assert_true(fichas > 0);
    long long queued = q("SELECT pmm_encolar_agregacion(array_agg(id)) FROM fichas");
    assert_int_equal(queued, fichas);
}

static void wait_idle(void)
{
    for (int i = 0; i < 1200; i++) {
        if (q("SELECT (SELECT count(*) FROM cola_clasificar)"
              " + (SELECT count(*) FROM cola_agregar)") == 0)
            return;
        usleep(100000);
    }
    fail_msg("la cadena no quedó en reposo en 120 s");
}

/* Brute force: the latest version, its latest classification and the
 * latest decision, grouped by the dimension, for one year and filter. */
static void brute_force(const char *por, int year, const char *fkind, const char *fval,
                        json_t *out)
{
    const char *expr =
        !strcmp(por, "objetivo") ? "coalesce(d.objetivo_pmm, v.objetivo_pmm)::text" :
        !strcmp(por, "eje") ? "coalesce(d.eje, c.eje)::text" :
        !strcmp(por, "subtema") ? "coalesce(d.subtema, c.subtema)" :
        !strcmp(por, "ods") ? "unnest(CASE WHEN d.ods IS NOT NULL THEN d.ods"
                              " WHEN c.con_resultados THEN coalesce(d.ods_propuesta, c.ods)"
                              " ELSE '{}' END)::text" :
        !strcmp(por, "dependencia") ? "CASE WHEN v.ambito = 'federal' THEN v.dependencia END" :
        !strcmp(por, "entidad") ? "lpad(v.entidad::text, 2, '0')" : "v.ambito";
    char sql[2048];
    snprintf(sql, sizeof sql,
             "WITH v AS (SELECT * FROM fichas f WHERE version ="
             "   (SELECT max(version) FROM fichas g WHERE g.emisor = f.emisor"
             "     AND g.ejercicio = f.ejercicio AND g.clave = f.clave)),"
             " c AS (SELECT * FROM clasificaciones x WHERE id ="
             "   (SELECT max(id) FROM clasificaciones y WHERE y.ficha_id = x.ficha_id)),"
             " d AS (SELECT * FROM decisiones x WHERE id ="
             "   (SELECT max(id) FROM decisiones y WHERE y.emisor = x.emisor"
             "     AND y.ejercicio = x.ejercicio AND y.clave = x.clave))"
             " SELECT k, count(*) FROM (SELECT %s AS k FROM v"
             "   JOIN c ON c.ficha_id = v.id"
             "   LEFT JOIN d ON d.emisor = v.emisor AND d.ejercicio = v.ejercicio"
             "              AND d.clave = v.clave"
             "  WHERE v.ejercicio = %d %s) s WHERE k IS NOT NULL GROUP BY k",
             expr, year,
             !fkind ? "" :
             !strcmp(fkind, "dependencia") ? "AND v.ambito = 'federal' AND v.dependencia = $1"
                                           : "AND v.entidad = $1::int");
    const char *params[] = {fval};
    PGresult *res = PQexecParams(env.db, sql, fkind ? 1 : 0, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        fail_msg("fuerza bruta: %s", PQerrorMessage(env.db));
    for (int r = 0; r < PQntuples(res); r++)
        json_object_set_new(out, PQgetvalue(res, r, 0),
                            json_integer(strtoll(PQgetvalue(res, r, 1), NULL, 10)));
    PQclear(res);
}

/* `pmm totales … --formato csv`: first column -> last column (non-zero). */
static void cli_totals(const char *por, int year, const char *fkind, const char *fval,
                       json_t *out)
{
    char cmd[512], *text = NULL;
    snprintf(cmd, sizeof cmd, "\"%s/pmm\" totales --ejercicio %d --por %s --formato csv%s%s%s%s",
             getenv("PMM_BIN"), year, por, fkind ? " --" : "", fkind ? fkind : "",
             fval ? " " : "", fval ? fval : "");
    int rc = it_run(cmd, &text);
    if (rc != 0)
        fail_msg("%s: salida %d", cmd, rc);
    char *save = NULL;
    int line = 0;
    for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        if (line++ == 0 || !strncmp(l, "ods_total,", 10))
            continue;
        char *comma = strchr(l, ','), *last = strrchr(l, ',');
        *comma = '\0';
        long long n = strtoll(last + 1, NULL, 10);
        if (n)
            json_object_set_new(out, l, json_integer(n));
    }
    free(text);
}

static int compare_all(void)
{
    static const char *pors[] = {"objetivo", "eje", "subtema", "ods",
                                 "dependencia", "entidad", "ambito"};
    static const char *filters[][2] = {{NULL, NULL}, {"dependencia", "SRE"},
                                       {"dependencia", "INM"}, {"entidad", "07"}};
    int compared = 0;
    for (int year = 2018; year <= 2022; year++)
        for (size_t p = 0; p < sizeof pors / sizeof *pors; p++)
            for (size_t fi = 0; fi < sizeof filters / sizeof *filters; fi++) {
                json_t *bf = json_object(), *cli = json_object();
                brute_force(pors[p], year, filters[fi][0], filters[fi][1], bf);
                cli_totals(pors[p], year, filters[fi][0], filters[fi][1], cli);
                if (!json_equal(bf, cli)) {
                    char *a = json_dumps(bf, JSON_SORT_KEYS | JSON_COMPACT);
                    char *b = json_dumps(cli, JSON_SORT_KEYS | JSON_COMPACT);
                    fail_msg("%d --por %s %s %s:\n GROUP BY %s\n pmm      %s", year, pors[p],
                             filters[fi][0] ? filters[fi][0] : "",
                             filters[fi][1] ? filters[fi][1] : "", a, b);
                }
                compared++;
                json_decref(bf);
                json_decref(cli);
            }
    return compared;
}

#define NFICHAS 600

static void random_fichas_match_brute_force(void **state)
{
    (void)state;
    Pmm__Ficha **f = calloc(NFICHAS, sizeof *f);
    sender_result *r = calloc(NFICHAS, sizeof *r);
    for (int i = 0; i < NFICHAS; i++)
        f[i] = random_ficha(i, 0);
    assert_int_equal(it_send(env.endpoint, f, NFICHAS, r), 0);
    for (int i = 0; i < NFICHAS; i++)
        if (r[i].estado != PMM__ESTADO__ESTADO_ACEPTADA)
            fail_msg("ficha %d: %s (%s, %s)", i, r[i].err.mensaje, r[i].err.campo,
                     r[i].err.regla);

    /* corrections: a new version of every fifth ficha, with other content */
    int ncorr = 0;
    for (int i = 0; i < NFICHAS; i += 5) {
        f[ncorr] = random_ficha(i, 1);
        f[ncorr]->has_reemplaza = 1;
        f[ncorr]->reemplaza = 1;
        ncorr++;
    }
    assert_int_equal(it_send(env.endpoint, f, (size_t)ncorr, r), 0);
    for (int i = 0; i < ncorr; i++)
        if (r[i].estado != PMM__ESTADO__ESTADO_ACEPTADA)
            fail_msg("corrección %d: %s (%s, %s)", i, r[i].err.mensaje, r[i].err.campo,
                     r[i].err.regla);
    wait_idle();

    /* analyst overrides through the real command */
    char like[80];
    snprintf(like, sizeof like, "%s-%%", prefix);
    PGresult *res;
    const char *params[] = {like};
    res = PQexecParams(env.db, "SELECT id FROM fichas WHERE clave LIKE $1 ORDER BY id"
                               " LIMIT 30", 1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        fail_msg("fichas para fijar: %s", PQerrorMessage(env.db));
    assert_int_equal(PQntuples(res), 30);
    static const char *subs[] = {"salud", "capacitacion", "identidad", "normativos"};
    for (int k = 0; k < PQntuples(res); k++) {
        char cmd[512];
        snprintf(cmd, sizeof cmd,
                 "\"%s/pmm\" revision fijar %s --subtema %s %s %s --analista prueba >/dev/null",
                 getenv("PMM_BIN"), PQgetvalue(res, k, 0), subs[k % 4],
                 k % 3 == 0 ? "--ods 3,5" : "", k % 2 ? "--objetivo 13" : "");
        assert_int_equal(it_run(cmd, NULL), 0);
    }
    PQclear(res);
    wait_idle();
    int n = compare_all();
    printf("%d consultas iguales a la fuerza bruta\n", n);
    free(f);
    free(r);
}

static char *totals_digest(void)
{
    PGresult *res = PQexec(env.db,
                           "SELECT md5(string_agg(concat_ws('|', ejercicio, filtro, dimension,"
                           " valor, fichas, acciones, personas, mujeres, hombres), ','"
                           " ORDER BY ejercicio, filtro, dimension, valor))"
                           " FROM totales WHERE fichas <> 0");
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQgetisnull(res, 0, 0))
        fail_msg("huella de totales: %s", PQresultStatus(res) == PGRES_TUPLES_OK
                                              ? "la tabla totales está vacía"
                                              : PQerrorMessage(env.db));
    char *d = strdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    return d;
}

static void replaying_every_event_twice_changes_nothing(void **state)
{
    (void)state;
    char *before = totals_digest();
    for (int round = 0; round < 2; round++) {
        requeue_every_ficha();
        wait_idle();
    }
    char *after = totals_digest();
    assert_string_equal(before, after);
    free(before);
    free(after);
}

/* The stack's aggregd, from the pid file deploy/stack.sh keeps (the path
 * of the binary may hold spaces, so no pattern on its command line); 0
 * when it is not running. */
static pid_t aggregd_pid(void)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/run/aggregd.pid", getenv("PMM_HOME"));
    FILE *f = fopen(path, "r");
    long pid = 0;
    if (f) {
        if (fscanf(f, "%ld", &pid) != 1)
            pid = 0;
        fclose(f);
    }
    return pid > 0 && kill((pid_t)pid, 0) == 0 ? (pid_t)pid : 0;
}

static void killing_aggregd_mid_stream_loses_nothing(void **state)
{
    (void)state;
    /* a backlog: everything re-queued plus new fichas */
    requeue_every_ficha();
    Pmm__Ficha **f = calloc(300, sizeof *f);
    sender_result *r = calloc(300, sizeof *r);
    for (int i = 0; i < 300; i++)
        f[i] = random_ficha(NFICHAS + i, 0);
    assert_int_equal(it_send(env.endpoint, f, 300, r), 0);
    pid_t pid = aggregd_pid();
    assert_true(pid > 0);
    usleep(50000);
    assert_int_equal(kill(pid, SIGKILL), 0);
    usleep(200000);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "\"%s/deploy/stack.sh\" start >/dev/null 2>&1", getenv("PMM_SRC"));
    assert_int_equal(it_run(cmd, NULL), 0);
    assert_true(aggregd_pid() != pid);
    wait_idle();
    int n = compare_all();
    printf("tras SIGKILL: %d consultas iguales a la fuerza bruta\n", n);

    /* and the scheduled recompute finds nothing to repair */
    char *out = NULL;
    snprintf(cmd, sizeof cmd, "\"%s/pmm\" agregar --ahora", getenv("PMM_BIN"));
    assert_int_equal(it_run(cmd, &out), 0);
    assert_non_null(strstr(out, " 0 diferencias"));
    free(out);
    free(f);
    free(r);
}

static int setup(void **state)
{
    (void)state;
    it_env_open(&env);
    snprintf(prefix, sizeof prefix, "agr%s", it_run_id());
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (int i = 0; i < 2; i++)
        if (extras[i] > 0) {
            kill(extras[i], SIGKILL);
            waitpid(extras[i], NULL, 0);
        }
    it_env_close(&env);
    return 0;
}

/* Sums of one cell of the temporary table c_cells (fichas, acciones,
 * personas, mujeres, hombres as "f a p m h"); "" when the cell is absent. */
static char *cell_sums(const char *filtro, const char *dimension, const char *valor)
{
    const char *params[] = {filtro, dimension, valor};
    PGresult *res = PQexecParams(env.db,
                                 "SELECT concat_ws(' ', fichas, acciones, personas, mujeres,"
                                 " hombres) FROM c_cells WHERE ejercicio = 2030"
                                 " AND filtro = $1 AND dimension = $2 AND valor = $3",
                                 3, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        fail_msg("%s", PQerrorMessage(env.db));
    char *out = strdup(PQntuples(res) ? PQgetvalue(res, 0, 0) : "");
    PQclear(res);
    return out;
}

#define ASSERT_CELL(filtro, dimension, valor, sums)                           \
    do {                                                                      \
        char *got_ = cell_sums(filtro, dimension, valor);                     \
        if (strcmp(got_, sums))                                               \
            fail_msg("celda (%s, %s, %s): «%s», se esperaba «%s»", filtro,    \
                     dimension, valor, got_, sums);                          \
        free(got_);                                                           \
    } while (0)

/* Hand-made contributions with awkward values go, as aggregd sends every
 * contribution, through celdas_add_result (array literals read back from
 * PostgreSQL), the cells rule and celdas_arrays into unnest(): every value
 * must come back exactly, each in the cells the rule gives it. */
static void awkward_values_come_back_exactly(void **state)
{
    (void)state;
    exec_ok("BEGIN");
    exec_ok("CREATE TEMP TABLE c_contrib (LIKE agregados INCLUDING DEFAULTS) ON COMMIT DROP");
    exec_ok("INSERT INTO c_contrib VALUES"
            /* repeated SDG and target, a federal ficha located in a state */
            " ('SRE', 2030, 'c1', 1, 1, NULL, 'federal', 'SRE', 7, 3, 2, '2.1',"
            "  '{10,10,16}', '{10.7,10.7,\"16.9\"}', '{presupuesto}', 5, NULL, 2, 3),"
            /* quotes, commas, braces and spaces in values */
            " ('X \"y\", {z}', 2030, 'c2', 2, 2, NULL, 'federal', 'A,B', NULL, 1, 1,"
            "  'sub \"t\", {x}', '{}', '{}', '{\"a b\",\"c,d\",\"e\\\\f\",\"NULL\"}',"
            "  NULL, NULL, NULL, NULL),"
            /* federal without a body, a state ficha, a two-digit state */
            " ('E:09', 2030, 'c3', 3, 3, NULL, 'federal', NULL, 9, 23, 4, '4.1',"
            "  '{1}', '{}', '{}', 1, 1, 0, 1),"
            " ('E:32', 2030, 'c4', 4, 4, NULL, 'estatal', NULL, 32, 1, 1, '1.1',"
            "  '{}', '{}', '{}', 0, 0, 0, 0)");
    /* absorbed into another ficha ("misma acción", 016): in no cell */
    exec_ok("INSERT INTO c_contrib VALUES ('D:INM', 2030, 'c5', 5, 5, NULL, 'federal', 'INM',"
            " 5, 2, 1, '1.1', '{10}', '{}', '{}', 7, 7, 3, 4, true)");
    PGresult *res = PQexec(env.db, "SELECT 1, " CELDAS_COLUMNAS("") " FROM c_contrib");
    assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
    assert_int_equal(PQntuples(res), 5);
    celdas *cells = celdas_new();
    pmm_error err;
    assert_int_equal(celdas_add_result(cells, res, &err), 5);
    PQclear(res);
    strbuf a[9];
    for (int i = 0; i < 9; i++)
        strbuf_init(&a[i]);
    /* c1: 14 cells (6 fixed, SDGs 10 and 16, ods_total, targets 10.7 and
     * 16.9, one challenge, dependencia, entidad) under 3 filters; c2: 11
     * under 2; c3: 9 under 2; c4: 7 under 2; 96, less 8 shared by several
     * fichas under filter '' (total x3, ambito federal x2, objetivo 1,
     * eje 1, ods_total); c5, absorbed, none */
    assert_int_equal(celdas_arrays(cells, a), 88);
    const char *params[9];
    for (int i = 0; i < 9; i++)
        params[i] = a[i].data;
    res = PQexecParams(
        env.db,
        "CREATE TEMP TABLE c_cells ON COMMIT DROP AS"
        " SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[],"
        "   $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[])"
        "   AS c(ejercicio, filtro, dimension, valor, fichas, acciones, personas,"
        "        mujeres, hombres)",
        9, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        fail_msg("%s", PQerrorMessage(env.db));
    PQclear(res);
    for (int i = 0; i < 9; i++)
        strbuf_free(&a[i]);
    celdas_destroy(&cells);
    assert_int_equal(q("SELECT count(*) FROM c_cells"), 88);
    assert_int_equal(q("SELECT count(DISTINCT (ejercicio, filtro, dimension, valor))"
                       " FROM c_cells"), 88);

    ASSERT_CELL("", "total", "", "4 6 1 2 4");
    ASSERT_CELL("", "ambito", "federal", "3 6 1 2 4");
    ASSERT_CELL("", "ods_total", "", "2 6 1 2 4");
    ASSERT_CELL("", "ods", "10", "1 5 0 2 3");      /* a repeated SDG counts once */
    ASSERT_CELL("", "meta", "10.7", "1 5 0 2 3");
    ASSERT_CELL("E:07", "meta", "16.9", "1 5 0 2 3");
    ASSERT_CELL("D:SRE", "entidad", "07", "1 5 0 2 3");
    ASSERT_CELL("", "emisor", "X \"y\", {z}", "1 0 0 0 0");
    ASSERT_CELL("D:A,B", "subtema", "sub \"t\", {x}", "1 0 0 0 0");
    ASSERT_CELL("D:A,B", "reto", "a b", "1 0 0 0 0");
    ASSERT_CELL("D:A,B", "reto", "c,d", "1 0 0 0 0");
    ASSERT_CELL("", "reto", "e\\f", "1 0 0 0 0");
    ASSERT_CELL("", "reto", "NULL", "1 0 0 0 0");
    ASSERT_CELL("", "dependencia", "A,B", "1 0 0 0 0");
    /* a federal ficha without a body: no body filter, no dependencia */
    ASSERT_CELL("E:09", "objetivo", "23", "1 1 1 0 1");
    assert_int_equal(q("SELECT count(*) FROM c_cells WHERE filtro = 'D:'"
                       " OR (dimension = 'dependencia' AND valor = '')"), 0);
    ASSERT_CELL("E:32", "ambito", "estatal", "1 0 0 0 0");
    ASSERT_CELL("", "entidad", "32", "1 0 0 0 0");
    ASSERT_CELL("", "objetivo", "1", "2 0 0 0 0");
    exec_ok("ROLLBACK");
}

/* Starts an extra aggregd on endpoints of its own with `lote` fichas per
 * transaction and no scheduled recompute, logging to
 * $PMM_HOME/log/it-aggregd-N.log. */
static pid_t extra_aggregd(int n, int lote)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        char v[PATH_MAX + 64];
        const char *home = getenv("PMM_HOME");
        snprintf(v, sizeof v, "%s/log/it-aggregd-%d.log", home, n);
        if (!freopen("/dev/null", "r", stdin) || !freopen(v, "a", stdout) ||
            !freopen(v, "a", stderr))
            _exit(126);
        /* the stack's socket directory: $PMM_HOME/run, or where its link
         * points (a short path: ipc:// paths are limited to ~107 bytes) */
        char link[600], run[PATH_MAX];
        snprintf(link, sizeof link, "%s/run", home);
        if (!realpath(link, run))
            _exit(125);
        snprintf(v, sizeof v, "ipc://%s/zmq/it-ag%d.sock", run, n);
        setenv("PMM_AGGREGD_ENDPOINT", v, 1);
        snprintf(v, sizeof v, "ipc://%s/zmq/it-ev%d.sock", run, n);
        setenv("PMM_AGGREGD_EVENTOS", v, 1);
        snprintf(v, sizeof v, "%d", lote);
        setenv("PMM_AGGREGD_LOTE", v, 1);
        setenv("PMM_AGGREGD_RECALCULO", "no", 1);
        char bin[600], conf[600];
        snprintf(bin, sizeof bin, "%s/aggregd", getenv("PMM_BIN"));
        snprintf(conf, sizeof conf, "%s/pmm.conf", home);
        execl(bin, bin, "--config", conf, (char *)NULL);
        _exit(127);
    }
    return pid;
}

/* Two aggregators with small batches rebuild every total from nothing
 * while each ficha's event is queued three times, so both often hold an
 * event of the same ficha at once: the lock stripes must keep each
 * contribution counted exactly once. */
static void two_aggregators_rebuild_exactly(void **state)
{
    (void)state;
    wait_idle();
    char *before = totals_digest();
    pid_t stack_aggregd = aggregd_pid();
    assert_true(stack_aggregd > 0);
    assert_int_equal(kill(stack_aggregd, SIGTERM), 0);
    for (int i = 0; i < 100 && kill(stack_aggregd, 0) == 0; i++)
        usleep(50000);
    pid_t a = extras[0] = extra_aggregd(1, 7), b = extras[1] = extra_aggregd(2, 11);
    exec_ok("BEGIN");
    exec_ok("DELETE FROM agregados");
    exec_ok("DELETE FROM totales");
    /* three events per ficha, side by side in the queue: batches of 7
     * and 11 taken in turn split many of the triples between the two */
    exec_ok("SELECT pmm_encolar_agregacion(array_agg(id ORDER BY id, g))"
            " FROM fichas_vigentes, generate_series(1, 3) g");
    exec_ok("COMMIT");
    wait_idle();
    char *after = totals_digest();
    kill(a, SIGTERM);
    kill(b, SIGTERM);
    int st;
    assert_int_equal(waitpid(a, &st, 0), a);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    assert_int_equal(waitpid(b, &st, 0), b);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    extras[0] = extras[1] = 0;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "\"%s/deploy/stack.sh\" start >/dev/null 2>&1", getenv("PMM_SRC"));
    assert_int_equal(it_run(cmd, NULL), 0);
    assert_string_equal(before, after);
    printf("dos agregadores: %lld fichas reconstruidas, totales iguales\n",
           q("SELECT count(*) FROM agregados"));
    free(before);
    free(after);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(random_fichas_match_brute_force),
        cmocka_unit_test(replaying_every_event_twice_changes_nothing),
        cmocka_unit_test(killing_aggregd_mid_stream_loses_nothing),
        cmocka_unit_test(awkward_values_come_back_exactly),
        cmocka_unit_test(two_aggregators_rebuild_exactly),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
