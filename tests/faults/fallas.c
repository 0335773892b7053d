/* fallas.c -- the fault tests of issue 7, against a private stack.
 *
 *   pmm_fallas kill9        SIGKILL of a random daemon every 1-3 s, restart
 *   pmm_fallas pgcaida      pg_ctl stop -m immediate under load, restart
 *   pmm_fallas duplicados   every ficha sent 3 times by 3 clients, shuffled
 *   pmm_fallas atasco       SIGSTOP aggregd, then clasificd, under load
 *   pmm_fallas senales      SIGTERM (prompt, orderly exit) and SIGHUP (reload)
 *   pmm_fallas soak [SEG]   half the measured maximum rate for SEG seconds
 *
 * Run by tests/faults/fallas.sh, which starts the stack under PMM_HOME,
 * exports PMM_RUN (the directory of the pid files) and stops it afterwards.
 * PMM_FALLAS_LARGO=1 scales the load and the durations up to the issue's
 * figures. Every test prints sent / acknowledged / stored / duplicated /
 * lost and the totals check, and exits 1 on any violation.
 *
 * Clients are sender_run() calls (Lazy Pirate, window) on their own
 * threads. A paced client calls sender_run once per tick with the fichas
 * due by then; a ficha that ends DESCONOCIDO is sent again by the test
 * until it is acknowledged, and counted.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conf.h"
#include "db.h"
#include "ficha.h"
#include "sender.h"
#include "wire.h"

#define TICK_US 100000   /* a paced client submits what is due every 100 ms */

/* What happened to one ficha, over every submission of it. */
typedef struct {
    int64_t first_us;    /* first handed to a sender */
    int64_t ack_us;      /* first receipt */
    int64_t server_us;   /* server time of that receipt */
    int64_t id;
    int32_t aceptadas, repetidas, rechazadas, desconocidas;
    int32_t id_distinto;   /* receipts naming another id than the first */
} rec;

typedef struct {
    size_t *idx;         /* global ficha index of each position */
    uint8_t *done;       /* per position: acknowledged (or refused) */
    size_t n;
    size_t *cur;         /* positions of the current sender_run */
    size_t ncur, next;
    double rate;         /* fichas per second; 0: as fast as possible */
    int64_t t0;
    long resent;         /* submissions repeated after DESCONOCIDO */
    int window;
    void *zctx;
    pthread_t th;
} client;

static struct {
    const char *src, *run, *home;
    pmm_conf *conf;
    const char *endpoint;
    const char *conninfo;
    PGconn *db;
    char prefix[32];
    int largo;
    rec *recs;
    size_t nrecs;
    pthread_mutex_t mu;
    int64_t deadline_us;
    int failures;
    int errors_shown;
    size_t invalid_every;   /* every k-th ficha breaks a rule (0: none) */
    long collector_unknown; /* DESCONOCIDO receipts sent by the collector */
} G = {.mu = PTHREAD_MUTEX_INITIALIZER};

/* ------------------------------------------------------------------ util */

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
}

static void violation(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void violation(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("FALLO: ");
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
    G.failures++;
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("FALLO: ");
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
    exit(1);
}

static int64_t now_us(void)
{
    return wire_now_us();
}

static void sleep_us(int64_t us)
{
    if (us <= 0)
        return;
    struct timespec ts = {(time_t)(us / 1000000), (long)(us % 1000000) * 1000};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

static uint64_t rng_state = 0x2545f4914f6cdd1dull;
static uint64_t rnd(void)
{
    rng_state = mix(rng_state);
    return rng_state;
}

static long env_long(const char *name, long fallback)
{
    const char *v = getenv(name);
    return v && *v ? strtol(v, NULL, 10) : fallback;
}

/* Runs a shell command; returns its exit status. */
static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int st = system(cmd);
    return st == -1 ? -1 : WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int stack_start(void)
{
    return sh("\"%s/deploy/stack.sh\" start >>\"%s/log/fallas-stack.log\" 2>&1",
              G.src, G.home);
}

static pid_t daemon_pid(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.pid", G.run, name);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    long pid = 0;
    if (fscanf(f, "%ld", &pid) != 1)
        pid = 0;
    fclose(f);
    return (pid_t)pid;
}

static int pid_alive(pid_t pid)
{
    if (pid <= 0 || kill(pid, 0) != 0)
        return 0;
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *p = strrchr(buf, ')');
    return p && p[1] == ' ' && p[2] != 'Z';
}

/* VmRSS of a process in KiB, or -1. */
static long rss_kib(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    long kib = -1;
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "VmRSS:", 6)) {
            kib = strtol(line + 6, NULL, 10);
            break;
        }
    fclose(f);
    return kib;
}

/* --------------------------------------------------------------- database */

static void db_open(void)
{
    if (G.db && PQstatus(G.db) == CONNECTION_OK)
        return;
    if (G.db)
        PQfinish(G.db);
    G.db = NULL;
    for (int i = 0; i < 600 && !G.db; i++) {
        pmm_error err;
        G.db = db_connect(G.conninfo, "pmm-fallas", &err);
        if (!G.db)
            sleep_us(100000);
    }
    if (!G.db)
        die("no se pudo conectar con PostgreSQL");
}

static long long q_ll(const char *sql)
{
    for (int attempt = 0; attempt < 3; attempt++) {
        db_open();
        long long v = 0;
        pmm_error err;
        if (db_query_ll(G.db, sql, &v, &err) == 0)
            return v;
        if (!db_retryable(err.regla))
            die("%s: %s", sql, err.mensaje);
        sleep_us(500000);
    }
    die("%s: PostgreSQL no responde", sql);
}

static long long pending(void)
{
    return q_ll("SELECT (SELECT count(*) FROM cola_clasificar)"
                " + (SELECT count(*) FROM cola_agregar)");
}

/* Waits until both queues are empty, with every daemon running. Returns the
 * seconds it took, or -1 on timeout. */
static double wait_idle(int limit_s)
{
    int64_t t0 = now_us();
    while (now_us() - t0 < (int64_t)limit_s * 1000000) {
        if (pending() == 0)
            return (double)(now_us() - t0) / 1e6;
        sleep_us(100000);
    }
    return -1;
}

/* The brute force: every total recomputed here with one GROUP BY over the
 * latest version of each ficha, its latest classification and the latest
 * analyst decision, written without v_contribuciones or aggregd's cells rule, then
 * compared cell by cell (fichas, acciones, personas, mujeres, hombres) with
 * the maintained `totales` (all-zero cells count as absent). */
static const char *const BRUTE_FORCE =
    "WITH v AS (SELECT * FROM fichas f WHERE version ="
    "   (SELECT max(version) FROM fichas g WHERE g.emisor = f.emisor"
    "     AND g.ejercicio = f.ejercicio AND g.clave = f.clave)),"
    " c AS (SELECT * FROM clasificaciones x WHERE id ="
    "   (SELECT max(id) FROM clasificaciones y WHERE y.ficha_id = x.ficha_id)),"
    " d AS (SELECT * FROM decisiones x WHERE id ="
    "   (SELECT max(id) FROM decisiones y WHERE y.emisor = x.emisor"
    "     AND y.ejercicio = x.ejercicio AND y.clave = x.clave)),"
    " b AS (SELECT v.emisor, v.ejercicio, v.clave, v.ambito, v.dependencia, v.entidad,"
    "        coalesce(d.objetivo_pmm, v.objetivo_pmm) AS objetivo,"
    "        coalesce(d.eje, c.eje) AS eje, coalesce(d.subtema, c.subtema) AS subtema,"
    "        CASE WHEN d.ods IS NOT NULL THEN d.ods"
    "             WHEN c.con_resultados THEN coalesce(d.ods_propuesta, c.ods)"
    "             ELSE '{}' END AS ods,"
    "        CASE WHEN NOT c.con_resultados THEN '{}'"
    "             WHEN d.ods IS NULL THEN coalesce(d.metas_propuesta, c.metas)"
    "             ELSE c.metas END AS metas, c.retos,"
    "        coalesce(v.acciones, 0) AS a, coalesce(v.personas, 0) AS p,"
    "        coalesce(v.mujeres, 0) AS m, coalesce(v.hombres, 0) AS h"
    "   FROM v JOIN c ON c.ficha_id = v.id"
    "   LEFT JOIN d ON (d.emisor, d.ejercicio, d.clave) = (v.emisor, v.ejercicio, v.clave)),"
    " f AS (SELECT b.*, '' AS filtro FROM b"
    "       UNION ALL SELECT b.*, 'D:' || b.dependencia FROM b"
    "        WHERE b.ambito = 'federal' AND b.dependencia IS NOT NULL"
    "       UNION ALL SELECT b.*, 'E:' || lpad(b.entidad::text, 2, '0') FROM b"
    "        WHERE b.entidad IS NOT NULL),"
    " cells AS (SELECT DISTINCT f.emisor, f.ejercicio, f.clave, f.filtro, x.dimension,"
    "                  x.valor, f.a, f.p, f.m, f.h"
    "   FROM f CROSS JOIN LATERAL ("
    "        SELECT 'total', ''"
    "        UNION ALL SELECT 'ambito', f.ambito"
    "        UNION ALL SELECT 'objetivo', f.objetivo::text"
    "        UNION ALL SELECT 'eje', f.eje::text"
    "        UNION ALL SELECT 'subtema', f.subtema"
    "        UNION ALL SELECT 'ods', o::text FROM unnest(f.ods) o"
    "        UNION ALL SELECT 'ods_total', '' WHERE cardinality(f.ods) > 0"
    "        UNION ALL SELECT 'meta', mt FROM unnest(f.metas) mt"
    "        UNION ALL SELECT 'reto', r FROM unnest(f.retos) r"
    "        UNION ALL SELECT 'dependencia', f.dependencia"
    "         WHERE f.ambito = 'federal' AND f.dependencia IS NOT NULL"
    "        UNION ALL SELECT 'entidad', lpad(f.entidad::text, 2, '0')"
    "         WHERE f.entidad IS NOT NULL"
    "        UNION ALL SELECT 'emisor', f.emisor) x(dimension, valor)),"
    " g AS (SELECT ejercicio, filtro, dimension, valor, count(*) AS fichas,"
    "              sum(a) AS acciones, sum(p) AS personas, sum(m) AS mujeres,"
    "              sum(h) AS hombres FROM cells GROUP BY 1, 2, 3, 4),"
    " t AS (SELECT * FROM totales WHERE (fichas, acciones, personas, mujeres, hombres)"
    "        <> (0, 0, 0, 0, 0))"
    " SELECT (SELECT count(*) FROM g),"
    "        count(*) FILTER (WHERE (g.fichas, g.acciones, g.personas, g.mujeres, g.hombres)"
    "          IS DISTINCT FROM (t.fichas, t.acciones, t.personas, t.mujeres, t.hombres)),"
    "        string_agg(CASE WHEN (g.fichas, g.acciones, g.personas, g.mujeres, g.hombres)"
    "          IS DISTINCT FROM (t.fichas, t.acciones, t.personas, t.mujeres, t.hombres)"
    "          THEN concat_ws('/', coalesce(g.ejercicio, t.ejercicio),"
    "               coalesce(g.filtro, t.filtro), coalesce(g.dimension, t.dimension),"
    "               coalesce(g.valor, t.valor)) || ': ' || coalesce(g.fichas, 0)"
    "               || ' vs ' || coalesce(t.fichas, 0) END, '; ')"
    "   FROM g FULL JOIN t USING (ejercicio, filtro, dimension, valor)";

/* Compares the totals with the brute force; prints the line. 0 when equal. */
static int totals_check(void)
{
    db_open();
    PGresult *res = PQexec(G.db, BRUTE_FORCE);
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        die("fuerza bruta: %s", PQerrorMessage(G.db));
    long long cells = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    long long diff = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
    if (diff)
        violation("totales: %lld de %lld celdas distintas del GROUP BY: %.600s", diff,
                  cells, PQgetvalue(res, 0, 2));
    else
        say("totales: %lld celdas iguales al GROUP BY sobre las versiones vigentes"
            " (0 diferencias)", cells);
    PQclear(res);
    long long total = q_ll("SELECT coalesce(sum(fichas), 0) FROM totales"
                           " WHERE filtro = '' AND dimension = 'total'");
    long long vig = q_ll("SELECT count(*) FROM fichas_vigentes");
    if (total != vig)
        violation("totales: «total» suma %lld fichas y hay %lld vigentes", total, vig);
    return diff ? -1 : 0;
}

/* ------------------------------------------------------------------ fichas */

static void set(ProtobufCBinaryData *b, protobuf_c_boolean *has, const char *s)
{
    ficha_bytes_set(b, has, s, strlen(s));
}

static const char *const DEPS[] = {"SRE", "SEGOB", "INM", "STPS", "SSA", "SEP",
                                   "COMAR", "SNDIF"};
static const char *const TOPICS[] = {
    "Talleres de capacitación para personal de atención a migrantes.",
    "Consultas médicas y vacunación en albergues de la frontera sur.",
    "Campaña informativa sobre derechos de las personas migrantes.",
    "Reuniones bilaterales con autoridades de Guatemala y Honduras.",
    "Expedición de actas de nacimiento y CURP a personas repatriadas.",
    "Becas y revalidación de estudios para niñas y niños migrantes.",
    "Vinculación laboral y ferias de empleo para personas refugiadas.",
    "Educación financiera y envío de remesas a bajo costo."};

/* Fichas the collector must refuse: mixed into the load so that batches
 * retried after a failure also carry refusals. */
static int is_invalid(size_t i)
{
    return G.invalid_every && i % G.invalid_every == G.invalid_every - 1;
}

/* Ficha number i of this run: always the same content for the same i. */
static Pmm__Ficha *gen_ficha(size_t i)
{
    uint64_t r = mix(0x51ed27ull + i);
#define NEXT() (r = mix(r))
    char buf[256];
    Pmm__Ficha *f = malloc(sizeof *f);
    if (!f)
        die("sin memoria");
    pmm__ficha__init(f);
    snprintf(buf, sizeof buf, "%s-%07zu", G.prefix, i);
    set(&f->clave, &f->has_clave, buf);
    f->has_ejercicio = 1;
    f->ejercicio = 2018 + (int64_t)(NEXT() % 5);
    if (NEXT() % 4 == 0) {
        set(&f->ambito, &f->has_ambito, "estatal");
        snprintf(buf, sizeof buf, "%02d", 1 + (int)(NEXT() % 32));
        set(&f->entidad, &f->has_entidad, buf);
    } else {
        set(&f->ambito, &f->has_ambito, "federal");
        set(&f->dependencia, &f->has_dependencia, DEPS[NEXT() % 8]);
        if (NEXT() % 2) {
            snprintf(buf, sizeof buf, "%02d", 1 + (int)(NEXT() % 32));
            set(&f->entidad, &f->has_entidad, buf);
        }
    }
    snprintf(buf, sizeof buf, "Programa de prueba de fallas %zu", i);
    set(&f->programa, &f->has_programa, buf);
    f->has_objetivo_pmm = 1;
    f->objetivo_pmm = is_invalid(i) ? 99 : 1 + (int64_t)(NEXT() % 23);
    f->descripcion = malloc(sizeof *f->descripcion);
    f->resultados = malloc(sizeof *f->resultados);
    f->contacto = malloc(sizeof *f->contacto);
    if (!f->descripcion || !f->resultados || !f->contacto)
        die("sin memoria");
    pmm__descripcion__init(f->descripcion);
    set(&f->descripcion->objetivo, &f->descripcion->has_objetivo, TOPICS[NEXT() % 8]);
    pmm__resultados__init(f->resultados);
    if (NEXT() % 4 == 0) {
        set(&f->resultados->texto, &f->resultados->has_texto,
            "Se atendió a la población en los municipios de la frontera.");
    } else {
        f->resultados->has_acciones = f->resultados->has_personas = 1;
        f->resultados->acciones = (int64_t)(NEXT() % 100);
        f->resultados->personas = (int64_t)(NEXT() % 5000);
        if (NEXT() % 2) {
            f->resultados->has_mujeres = f->resultados->has_hombres = 1;
            f->resultados->mujeres = f->resultados->personas / 2;
            f->resultados->hombres = f->resultados->personas / 3;
        }
    }
    set(&f->retos, &f->has_retos, "Presupuesto insuficiente y rotación de personal.");
    pmm__contacto__init(f->contacto);
    set(&f->contacto->nombre, &f->contacto->has_nombre, "Persona Ficticia");
#undef NEXT
    return f;
}

/* ----------------------------------------------------------------- clients */

static int pull(void *user, Pmm__Ficha **f, uint64_t *seq)
{
    client *c = user;
    if (c->next == c->ncur)
        return 0;
    size_t pos = c->cur[c->next++];
    size_t i = c->idx[pos];
    *seq = pos;
    *f = gen_ficha(i);
    int64_t t = now_us();
    pthread_mutex_lock(&G.mu);
    if (!G.recs[i].first_us)
        G.recs[i].first_us = t;
    pthread_mutex_unlock(&G.mu);
    return 1;
}

static void push(void *user, const sender_result *r)
{
    client *c = user;
    size_t pos = (size_t)r->seq;
    size_t i = c->idx[pos];
    int64_t t = now_us();
    pthread_mutex_lock(&G.mu);
    rec *x = &G.recs[i];
    switch (r->estado) {
    case PMM__ESTADO__ESTADO_ACEPTADA:
    case PMM__ESTADO__ESTADO_REPETIDA:
        if (r->estado == PMM__ESTADO__ESTADO_ACEPTADA)
            x->aceptadas++;
        else
            x->repetidas++;
        if (x->id && x->id != r->id)
            x->id_distinto++;
        if (!x->ack_us) {
            x->ack_us = t;
            x->server_us = r->server_time_us;
            x->id = r->id;
        }
        c->done[pos] = 1;
        break;
    case PMM__ESTADO__ESTADO_RECHAZADA:
        x->rechazadas++;
        c->done[pos] = 1;
        if (!is_invalid(i) && G.errors_shown++ < 5)
            say("  rechazada %s-%07zu: %s (%s, %s)", G.prefix, i, r->err.mensaje,
                r->err.campo, r->err.regla);
        break;
    default:
        x->desconocidas++;
        /* the sender's own verdict after silence says "sin_respuesta"; a
         * DESCONOCIDO receipt from the collector itself is a bug */
        if (strcmp(r->err.regla, "sin_respuesta") != 0) {
            G.collector_unknown++;
            if (G.errors_shown++ < 5)
                say("  recibo DESCONOCIDO del colector para %s-%07zu (id %" PRId64 ")",
                    G.prefix, i, r->id);
        }
        break;
    }
    pthread_mutex_unlock(&G.mu);
}

/* Submits positions [from, to) that are not done yet; returns how many. */
static size_t submit(client *c, size_t from, size_t to)
{
    c->ncur = 0;
    for (size_t p = from; p < to; p++)
        if (!c->done[p])
            c->cur[c->ncur++] = p;
    if (c->ncur == 0)
        return 0;
    c->next = 0;
    sender_opts o = {.endpoint = G.endpoint, .window = c->window, .timeout_ms = 2000,
                     .max_attempts = 3, .zctx = c->zctx};
    pmm_error err;
    if (sender_run(&o, pull, push, c, &err) != 0) {
        say("  cliente: %s", err.mensaje);
        sleep_us(200000);
    }
    return c->ncur;
}

static void *client_main(void *arg)
{
    client *c = arg;
    c->t0 = now_us();
    size_t released = 0;
    while (released < c->n && now_us() < G.deadline_us) {
        size_t due = c->n;
        if (c->rate > 0) {
            int64_t t = now_us() - c->t0;
            due = (size_t)((double)t / 1e6 * c->rate) + 1;
            if (due > c->n)
                due = c->n;
        }
        /* what ended DESCONOCIDO before goes out again with the new ones */
        for (size_t p = 0; p < released; p++)
            if (!c->done[p]) {
                c->resent++;
            }
        submit(c, 0, due);
        released = due;
        if (c->rate > 0 && released < c->n) {
            int64_t next = c->t0 + (int64_t)((double)released / c->rate * 1e6);
            int64_t wait = next - now_us();
            sleep_us(wait > TICK_US ? TICK_US : wait);
        }
    }
    /* resend until every ficha is acknowledged (or the deadline) */
    for (;;) {
        size_t left = 0;
        for (size_t p = 0; p < c->n; p++)
            left += !c->done[p];
        if (left == 0 || now_us() >= G.deadline_us)
            break;
        c->resent += (long)left;
        submit(c, 0, c->n);
    }
    return NULL;
}

static client *clients_new(int nclients, int window)
{
    client *cs = calloc((size_t)nclients, sizeof *cs);
    if (!cs)
        die("sin memoria");
    for (int k = 0; k < nclients; k++) {
        cs[k].window = window;
        cs[k].zctx = zmq_ctx_new();
    }
    return cs;
}

static void client_alloc(client *c, size_t n)
{
    c->n = n;
    c->idx = calloc(n ? n : 1, sizeof *c->idx);
    c->done = calloc(n ? n : 1, 1);
    c->cur = calloc(n ? n : 1, sizeof *c->cur);
    if (!c->idx || !c->done || !c->cur)
        die("sin memoria");
}

/* Deals fichas [0, n) to the clients in turn, each paced at rate/nclients. */
static void clients_deal(client *cs, int nclients, size_t n, double rate)
{
    for (int k = 0; k < nclients; k++) {
        client_alloc(&cs[k], (n + (size_t)(nclients - 1 - k)) / (size_t)nclients);
        cs[k].rate = rate / nclients;
        cs[k].n = 0;
    }
    for (size_t i = 0; i < n; i++) {
        client *c = &cs[i % (size_t)nclients];
        c->idx[c->n++] = i;
    }
}

static void clients_start(client *cs, int nclients)
{
    for (int k = 0; k < nclients; k++)
        if (pthread_create(&cs[k].th, NULL, client_main, &cs[k]) != 0)
            die("pthread_create");
}

static long clients_join(client *cs, int nclients)
{
    long resent = 0;
    for (int k = 0; k < nclients; k++) {
        pthread_join(cs[k].th, NULL);
        resent += cs[k].resent;
    }
    return resent;
}

static void clients_free(client *cs, int nclients)
{
    for (int k = 0; k < nclients; k++) {
        free(cs[k].idx);
        free(cs[k].done);
        free(cs[k].cur);
        zmq_ctx_term(cs[k].zctx);
    }
    free(cs);
}

static void recs_new(size_t n)
{
    free(G.recs);
    G.recs = calloc(n ? n : 1, sizeof *G.recs);
    if (!G.recs)
        die("sin memoria");
    G.nrecs = n;
}

/* ------------------------------------------------------------------ checks */

typedef struct {
    long long invalidas, invalidas_rechazadas, invalidas_guardadas;
    long long enviadas, confirmadas, aceptadas, repetidas, rechazadas, desconocidas;
    long long guardadas_filas, guardadas, duplicadas, perdidas, sin_confirmar;
    long long id_distinto;
} figures;

/* Every acknowledged ficha must be stored under the id of its receipt; every
 * ficha of the run stored once. Prints the figures; returns them. */
static figures check_stored(long resent, int copies)
{
    figures fg;
    memset(&fg, 0, sizeof fg);
    for (size_t i = 0; i < G.nrecs; i++) {
        const rec *x = &G.recs[i];
        if (is_invalid(i)) {
            fg.invalidas++;
            fg.invalidas_rechazadas += x->rechazadas > 0 && !x->ack_us;
            continue;
        }
        fg.enviadas++;
        fg.aceptadas += x->aceptadas;
        fg.repetidas += x->repetidas;
        fg.rechazadas += x->rechazadas;
        fg.desconocidas += x->desconocidas;
        fg.confirmadas += x->ack_us != 0;
        fg.id_distinto += x->id_distinto;
    }
    fg.sin_confirmar = fg.enviadas - fg.confirmadas;

    /* receipts against the table: the receipt's id must hold the ficha */
    db_open();
    char like[64];
    snprintf(like, sizeof like, "%s-%%", G.prefix);
    const char *p1[] = {like};
    PGresult *res = PQexecParams(G.db,
                                 "SELECT count(*), count(DISTINCT (emisor, ejercicio, clave))"
                                 " FROM fichas WHERE clave LIKE $1",
                                 1, NULL, p1, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        die("%s", PQerrorMessage(G.db));
    fg.guardadas_filas = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    fg.guardadas = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
    fg.duplicadas = fg.guardadas_filas - fg.guardadas;
    PQclear(res);
    if (G.invalid_every) {
        char every[32], rest[32];
        snprintf(every, sizeof every, "%zu", G.invalid_every);
        snprintf(rest, sizeof rest, "%zu", G.invalid_every - 1);
        const char *p3[] = {like, every, rest};
        res = PQexecParams(G.db,
                           "SELECT count(*) FROM fichas WHERE clave LIKE $1"
                           " AND substring(clave from '[0-9]+$')::bigint % $2::int = $3::int",
                           3, NULL, p3, NULL, NULL, 0);
        if (PQresultStatus(res) != PGRES_TUPLES_OK)
            die("%s", PQerrorMessage(G.db));
        fg.invalidas_guardadas = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
        fg.guardadas -= fg.invalidas_guardadas;
        fg.guardadas_filas -= fg.invalidas_guardadas;
        PQclear(res);
    }

    /* ids and claves of every receipt, checked in one query */
    size_t cap = G.nrecs * 32 + 16;
    char *ids = malloc(cap), *claves = malloc(cap);
    if (!ids || !claves)
        die("sin memoria");
    size_t li = 0, lc = 0;
    ids[li++] = '{';
    claves[lc++] = '{';
    for (size_t i = 0; i < G.nrecs; i++) {
        if (!G.recs[i].ack_us || is_invalid(i))
            continue;
        li += (size_t)snprintf(ids + li, cap - li, "%s%" PRId64, li > 1 ? "," : "",
                               G.recs[i].id);
        lc += (size_t)snprintf(claves + lc, cap - lc, "%s%s-%07zu", lc > 1 ? "," : "",
                               G.prefix, i);
    }
    ids[li++] = '}';
    ids[li] = '\0';
    claves[lc++] = '}';
    claves[lc] = '\0';
    const char *p2[] = {ids, claves};
    res = PQexecParams(G.db,
                       "SELECT count(*) FROM unnest($1::bigint[], $2::text[]) AS r(id, clave)"
                       " WHERE NOT EXISTS (SELECT 1 FROM fichas f"
                       "                    WHERE f.id = r.id AND f.clave = r.clave)",
                       2, NULL, p2, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        die("%s", PQerrorMessage(G.db));
    fg.perdidas = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    free(ids);
    free(claves);

    say("enviadas %lld fichas distintas (%d envío%s de cada una; reenviadas por el test"
        " tras DESCONOCIDO: %ld)",
        fg.enviadas, copies, copies > 1 ? "s" : "", resent);
    say("confirmadas %lld (recibos: %lld aceptada, %lld repetida, %lld rechazada;"
        " %lld DESCONOCIDO reintentados)",
        fg.confirmadas, fg.aceptadas, fg.repetidas, fg.rechazadas, fg.desconocidas);
    say("guardadas %lld distintas (%lld filas)", fg.guardadas, fg.guardadas_filas);
    say("duplicadas %lld", fg.duplicadas);
    if (G.invalid_every)
        say("inválidas (objetivo_pmm 99) mezcladas: %lld, rechazadas con su motivo %lld,"
            " guardadas %lld",
            fg.invalidas, fg.invalidas_rechazadas, fg.invalidas_guardadas);
    if (G.collector_unknown)
        violation("%ld recibos DESCONOCIDO enviados por el colector", G.collector_unknown);
    say("perdidas %lld (recibos cuyo id no guarda la ficha) + %lld sin confirmar",
        fg.perdidas, fg.sin_confirmar);

    if (fg.confirmadas != fg.enviadas)
        violation("%lld fichas sin recibo", fg.sin_confirmar);
    if (fg.rechazadas)
        violation("%lld recibos «rechazada» de fichas válidas", fg.rechazadas);
    if (fg.invalidas_rechazadas != fg.invalidas || fg.invalidas_guardadas)
        violation("inválidas: %lld de %lld rechazadas, %lld guardadas",
                  fg.invalidas_rechazadas, fg.invalidas, fg.invalidas_guardadas);
    if (fg.guardadas != fg.enviadas)
        violation("guardadas %lld distintas, se esperaban %lld", fg.guardadas, fg.enviadas);
    if (fg.duplicadas)
        violation("%lld filas duplicadas", fg.duplicadas);
    if (fg.perdidas)
        violation("%lld fichas confirmadas no están guardadas con el id de su recibo",
                  fg.perdidas);
    if (fg.id_distinto)
        violation("%lld recibos con un id distinto del primero", fg.id_distinto);
    return fg;
}

/* Aggregated state once idle: one contribution per ficha, then totals. */
static void check_pipeline(int limit_s)
{
    if (stack_start() != 0)
        violation("deploy/stack.sh start falló al final (ver log/fallas-stack.log)");
    double s = wait_idle(limit_s);
    if (s < 0) {
        violation("la cadena no quedó en reposo en %d s (pendientes: %lld)", limit_s,
                  pending());
        return;
    }
    long long clasif = q_ll("SELECT count(DISTINCT ficha_id) FROM clasificaciones");
    long long agreg = q_ll("SELECT count(*) FROM agregados");
    long long vig = q_ll("SELECT count(*) FROM fichas_vigentes");
    say("cadena en reposo en %.1f s: %lld vigentes, %lld clasificadas, %lld agregadas", s,
        vig, clasif, agreg);
    if (clasif != vig || agreg != vig)
        violation("clasificadas %lld / agregadas %lld, se esperaban %lld", clasif, agreg,
                  vig);
    totals_check();
}

static int verdict(const char *name)
{
    if (G.failures)
        say("RESULTADO %s: FALLO (%d violaciones)", name, G.failures);
    else
        say("RESULTADO %s: OK", name);
    return G.failures ? 1 : 0;
}

/* --------------------------------------------------------------- 1. kill -9 */

static const char *const DAEMONS[] = {"ingestd", "clasificd", "aggregd"};

typedef struct {
    volatile int stop;
    int kills[3];
    int restart_failures;
    pthread_t th;
} chaos;

/* Kills a random daemon 1-3 s after the previous kill (the restart, which
 * waits until the stack answers, is part of that interval). */
static void *chaos_main(void *arg)
{
    chaos *ch = arg;
    int64_t t0 = now_us(), next = t0;
    while (!ch->stop) {
        next += 1000000 + (int64_t)(rnd() % 2000001);
        while (!ch->stop && now_us() < next)
            sleep_us(50000);
        if (ch->stop)
            break;
        int d = (int)(rnd() % 3);
        pid_t pid = daemon_pid(DAEMONS[d]);
        if (!pid_alive(pid) || kill(pid, SIGKILL) != 0)
            continue;
        ch->kills[d]++;
        int64_t t = now_us();
        sleep_us(20000);
        int rc = stack_start();
        if (rc != 0)
            ch->restart_failures++;
        say("  %5.1f s: SIGKILL a %s (pid %d); deploy/stack.sh start %s en %.2f s",
            (double)(t - t0) / 1e6, DAEMONS[d], (int)pid, rc ? "FALLÓ" : "lo reinició",
            (double)(now_us() - t) / 1e6);
    }
    return NULL;
}

static int test_kill9(void)
{
    size_t n = G.largo ? 20000 : 2000;
    double rate = (double)env_long("PMM_FALLAS_RITMO", G.largo ? 300 : 150);
    say("== kill9: 4 clientes, %zu fichas distintas a %.0f/s; SIGKILL a un servicio"
        " al azar (ingestd, clasificd, aggregd) cada 1-3 s y deploy/stack.sh start",
        n, rate);
    G.invalid_every = 50;
    recs_new(n + n / 49);
    n = G.nrecs;
    client *cs = clients_new(4, 128);
    clients_deal(cs, 4, n, rate);
    chaos ch;
    memset(&ch, 0, sizeof ch);
    pthread_create(&ch.th, NULL, chaos_main, &ch);
    int64_t t0 = now_us();
    clients_start(cs, 4);
    long resent = clients_join(cs, 4);
    ch.stop = 1;
    pthread_join(ch.th, NULL);
    say("carga: %.1f s; SIGKILL: ingestd %d, clasificd %d, aggregd %d;"
        " reinicios fallidos %d",
        (double)(now_us() - t0) / 1e6, ch.kills[0], ch.kills[1], ch.kills[2],
        ch.restart_failures);
    if (ch.restart_failures)
        violation("%d reinicios de la pila fallaron", ch.restart_failures);
    if (ch.kills[0] + ch.kills[1] + ch.kills[2] < 2)
        violation("la carga terminó antes de matar a dos servicios");
    check_pipeline(600);
    check_stored(resent, 1);
    clients_free(cs, 4);
    return verdict("kill9");
}

/* ------------------------------------------------------------ 2. PostgreSQL */

/* Cuts the daemons' connections (pg_terminate_backend: SQLSTATE 57P01 on
 * their next statement) every 400 ms: each cut makes the next batch fail
 * once and succeed on the retry. */
typedef struct {
    volatile int stop;
    long cuts;
    pthread_t th;
} cutter;

static void *cutter_main(void *arg)
{
    cutter *ct = arg;
    PGconn *db = NULL;
    while (!ct->stop) {
        sleep_us(400000);
        if (!db || PQstatus(db) != CONNECTION_OK) {
            if (db)
                PQfinish(db);
            pmm_error err;
            db = db_connect(G.conninfo, "pmm-fallas-corte", &err);
            if (!db)
                continue;
        }
        PGresult *res = PQexec(db, "SELECT count(pg_terminate_backend(pid))"
                                   " FROM pg_stat_activity WHERE application_name IN"
                                   " ('pmm-ingestd', 'pmm-clasificd', 'pmm-aggregd')");
        if (PQresultStatus(res) == PGRES_TUPLES_OK)
            ct->cuts += strtol(PQgetvalue(res, 0, 0), NULL, 10);
        PQclear(res);
    }
    if (db)
        PQfinish(db);
    return NULL;
}

/* A daemon started while PostgreSQL is down waits for it instead of
 * exiting (at boot the database may come up after the daemons): aggregd is
 * stopped, PostgreSQL crashed, aggregd started by hand, and once PostgreSQL
 * is back aggregd must answer a full recompute. */
static void start_while_down(void)
{
    const char *bin = getenv("PMM_BIN");
    pid_t old = daemon_pid("aggregd");
    if (!bin || old <= 0) {
        violation("arranque sin base: falta PMM_BIN o el pid de aggregd");
        return;
    }
    kill(old, SIGTERM);
    for (int i = 0; i < 100 && pid_alive(old); i++)
        sleep_us(100000);
    if (sh("bash \"%s/tests/faults/pg.sh\" caida", G.src) != 0)
        die("pg.sh caida falló");
    if (sh("nohup \"%s/aggregd\" --config \"%s/pmm.conf\" >>\"%s/log/aggregd.log\" 2>&1 &"
           " echo $! >\"%s/aggregd.pid\"",
           bin, G.home, G.home, G.run) != 0)
        die("no se pudo arrancar aggregd");
    sleep_us(3000000);
    pid_t waiting = daemon_pid("aggregd");
    int alive = pid_alive(waiting);
    if (sh("bash \"%s/tests/faults/pg.sh\" arranque", G.src) != 0)
        die("pg.sh arranque falló");
    int answered = alive && sh("PMM_CONF=\"%s/pmm.conf\" \"%s/pmm\" agregar --ahora"
                               " >/dev/null 2>&1", G.home, bin) == 0;
    say("aggregd arrancado con PostgreSQL caído: %s a los 3 s; con la base de vuelta, "
        "recálculo completo %s",
        alive ? "esperando" : "TERMINÓ", answered ? "hecho" : "FALLÓ");
    if (!alive)
        violation("aggregd arrancado con PostgreSQL caído terminó en vez de esperar");
    else if (!answered)
        violation("aggregd no atendió el recálculo cuando PostgreSQL volvió");
}

static int test_pgcaida(void)
{
    size_t n = G.largo ? 20000 : 2000;
    double rate = (double)env_long("PMM_FALLAS_RITMO", G.largo ? 300 : 200);
    int crashes = G.largo ? 3 : 1;
    int down_s = G.largo ? 10 : 3;
    double load_s = (double)n / rate;
    say("== pgcaida: 4 clientes, %zu fichas a %.0f/s (y 1 inválida de cada 10);"
        " %d caída%s de PostgreSQL (pg_ctl stop -m immediate) de %d s; conexiones"
        " cortadas (57P01) cada 400 ms",
        n, rate, crashes, crashes > 1 ? "s" : "", down_s);
    G.invalid_every = 10;
    recs_new(n + n / 9);
    n = G.nrecs;
    client *cs = clients_new(4, 128);
    clients_deal(cs, 4, n, rate);
    pid_t before[3];
    for (int d = 0; d < 3; d++)
        before[d] = daemon_pid(DAEMONS[d]);
    int64_t t0 = now_us();
    clients_start(cs, 4);
    cutter ct;
    memset(&ct, 0, sizeof ct);
    pthread_create(&ct.th, NULL, cutter_main, &ct);
    int64_t down_from[3], down_to[3], crash_at[3];
    for (int k = 0; k < crashes; k++) {
        int64_t at = t0 + (int64_t)(load_s * 1e6 * (k + 1) / (crashes + 1)) -
                     (int64_t)down_s * 500000;
        sleep_us(at - now_us());
        crash_at[k] = now_us();
        if (sh("bash \"%s/tests/faults/pg.sh\" caida", G.src) != 0)
            die("pg.sh caida falló");
        down_from[k] = now_us();   /* PostgreSQL is gone from here ... */
        sleep_us((int64_t)down_s * 1000000);
        down_to[k] = now_us();     /* ... to here at least */
        if (sh("bash \"%s/tests/faults/pg.sh\" arranque", G.src) != 0)
            die("pg.sh arranque falló");
        say("caída %d: PostgreSQL detenido a los %.1f s, de vuelta a los %.1f s", k + 1,
            (double)(down_from[k] - t0) / 1e6, (double)(now_us() - t0) / 1e6);
    }
    long resent = clients_join(cs, 4);
    ct.stop = 1;
    pthread_join(ct.th, NULL);
    say("carga: %.1f s; conexiones de los servicios cortadas con pg_terminate_backend"
        " cada 400 ms: %ld",
        (double)(now_us() - t0) / 1e6, ct.cuts);

    /* the daemons rode it out */
    int survived = 0;
    for (int d = 0; d < 3; d++) {
        pid_t now = daemon_pid(DAEMONS[d]);
        if (now == before[d] && pid_alive(now))
            survived++;
        else
            violation("%s no sobrevivió a la caída de PostgreSQL (pid %d -> %d%s)",
                      DAEMONS[d], (int)before[d], (int)now,
                      pid_alive(now) ? "" : ", no corre");
    }
    say("servicios que siguieron en marcha sin reiniciarse: %d de 3", survived);

    /* receipts and the down windows */
    long long before_crash = 0, during = 0, bad = 0;
    for (size_t i = 0; i < G.nrecs; i++) {
        const rec *x = &G.recs[i];
        if (!x->ack_us)
            continue;
        if (x->ack_us < crash_at[0])
            before_crash++;
        for (int k = 0; k < crashes; k++) {
            /* a commit from just before the crash may still arrive */
            if (x->ack_us > down_from[k] && x->ack_us < down_to[k])
                during++;
            /* but no transaction runs while PostgreSQL is down */
            if (x->server_us > down_from[k] && x->server_us < down_to[k])
                bad++;
        }
    }
    say("recibos antes de la primera caída: %lld (todos comprobados en la base abajo)",
        before_crash);
    say("recibos con la base caída: %lld llegados en la ventana (commits de antes),"
        " %lld de una transacción dentro de la ventana",
        during, bad);
    if (bad)
        violation("%lld recibos de transacciones con PostgreSQL caído", bad);
    check_pipeline(600);
    check_stored(resent, 1);
    clients_free(cs, 4);
    start_while_down();
    return verdict("pgcaida");
}

/* ------------------------------------------------------- 3. duplicate storm */

static int test_duplicados(void)
{
    size_t n = G.largo ? 10000 : 2000;
    say("== duplicados: %zu fichas, cada una enviada 3 veces por 3 clientes distintos"
        " en orden barajado",
        n);
    recs_new(n);
    client *cs = clients_new(3, 128);
    for (int k = 0; k < 3; k++) {
        client_alloc(&cs[k], n);
        for (size_t i = 0; i < n; i++)
            cs[k].idx[i] = i;
        for (size_t i = n - 1; i > 0; i--) {   /* Fisher-Yates */
            size_t j = (size_t)(rnd() % (i + 1));
            size_t t = cs[k].idx[i];
            cs[k].idx[i] = cs[k].idx[j];
            cs[k].idx[j] = t;
        }
    }
    int64_t t0 = now_us();
    clients_start(cs, 3);
    long resent = clients_join(cs, 3);
    say("carga: %.1f s", (double)(now_us() - t0) / 1e6);
    check_pipeline(600);
    figures fg = check_stored(resent, 3);
    long long once = 0;
    for (size_t i = 0; i < n; i++)
        once += G.recs[i].aceptadas == 1 && G.recs[i].repetidas == 2;
    say("fichas con exactamente 1 «aceptada» y 2 «repetida»: %lld de %zu", once, n);
    if (fg.aceptadas != (long long)n || fg.repetidas != 2 * (long long)n)
        violation("%lld aceptadas y %lld repetidas; se esperaban %zu y %zu", fg.aceptadas,
                  fg.repetidas, n, 2 * n);
    clients_free(cs, 3);
    return verdict("duplicados");
}

/* ------------------------------------------------------------------ 4. stall */

typedef struct {
    volatile int stop;
    pid_t pid;
    long first, max, last;
    long long max_clasificar, max_agregar;
    PGconn *db;
    pthread_t th;
} monitor;

static void *monitor_main(void *arg)
{
    monitor *m = arg;
    while (!m->stop) {
        long r = rss_kib(m->pid);
        if (r > 0) {
            if (!m->first)
                m->first = r;
            if (r > m->max)
                m->max = r;
            m->last = r;
        }
        PGresult *res = PQexec(m->db, "SELECT (SELECT count(*) FROM cola_clasificar),"
                                      " (SELECT count(*) FROM cola_agregar)");
        if (PQresultStatus(res) == PGRES_TUPLES_OK) {
            long long a = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
            long long b = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
            if (a > m->max_clasificar)
                m->max_clasificar = a;
            if (b > m->max_agregar)
                m->max_agregar = b;
        }
        PQclear(res);
        sleep_us(200000);
    }
    return NULL;
}

static int test_atasco(void)
{
    int stall_s = G.largo ? 20 : 5;
    double rate = (double)env_long("PMM_FALLAS_RITMO", 250);
    long limit_kib = env_long("PMM_FALLAS_RSS_MAX_KIB", 16 * 1024);
    double load_s = 2 + 2 * stall_s + 1 + 3;
    size_t n = (size_t)(rate * load_s);
    say("== atasco: carga constante de %.0f fichas/s (%zu fichas, 4 clientes);"
        " SIGSTOP a aggregd %d s, luego a clasificd %d s",
        rate, n, stall_s, stall_s);
    recs_new(n);
    client *cs = clients_new(4, 128);
    clients_deal(cs, 4, n, rate);
    monitor m;
    memset(&m, 0, sizeof m);
    m.pid = daemon_pid("ingestd");
    pmm_error err;
    m.db = db_connect(G.conninfo, "pmm-fallas-monitor", &err);
    if (!m.db)
        die("%s", err.mensaje);
    int64_t t0 = now_us();
    clients_start(cs, 4);
    sleep_us(2000000);
    long rss_before = rss_kib(m.pid);
    pthread_create(&m.th, NULL, monitor_main, &m);
    const char *order[] = {"aggregd", "clasificd"};
    for (int k = 0; k < 2; k++) {
        pid_t pid = daemon_pid(order[k]);
        if (kill(pid, SIGSTOP) != 0)
            die("SIGSTOP %s: %s", order[k], strerror(errno));
        sleep_us((int64_t)stall_s * 1000000);
        long long q = q_ll(k == 0 ? "SELECT count(*) FROM cola_agregar"
                                  : "SELECT count(*) FROM cola_clasificar");
        kill(pid, SIGCONT);
        say("%s detenido %d s: cola %s con %lld filas al reanudarlo; ingestd VmRSS %ld KiB",
            order[k], stall_s, k == 0 ? "cola_agregar" : "cola_clasificar", q,
            rss_kib(m.pid));
        sleep_us(1000000);
    }
    long resent = clients_join(cs, 4);
    say("carga: %.1f s", (double)(now_us() - t0) / 1e6);
    int64_t t_idle = now_us();
    double s = wait_idle(600);
    m.stop = 1;
    pthread_join(m.th, NULL);
    PQfinish(m.db);
    long rss_after = rss_kib(m.pid);
    say("tras SIGCONT todo agregado en %.1f s (máximo en cola: clasificar %lld,"
        " agregar %lld)",
        s < 0 ? -1.0 : (double)(now_us() - t_idle) / 1e6, m.max_clasificar,
        m.max_agregar);
    long growth = m.max - rss_before;
    say("ingestd VmRSS: antes %ld KiB, máximo %ld KiB, después %ld KiB: crecimiento"
        " %ld KiB (límite %ld KiB)",
        rss_before, m.max, rss_after, growth, limit_kib);
    if (growth > limit_kib)
        violation("la memoria de ingestd creció %ld KiB", growth);
    if (!pid_alive(m.pid))
        violation("ingestd ya no corre");
    check_pipeline(600);
    check_stored(resent, 1);
    clients_free(cs, 4);
    return verdict("atasco");
}

/* ------------------------------------------------- signals: SIGTERM, SIGHUP */

static long file_size(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fclose(f);
    return n;
}

/* Does the daemon's log hold needle past offset `from`? */
static int log_has(const char *name, long from, const char *needle)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/log/%s.log", G.home, name);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    fseek(f, from, SEEK_SET);
    char line[4096];
    int found = 0;
    while (!found && fgets(line, sizeof line, f))
        found = strstr(line, needle) != NULL;
    fclose(f);
    return found;
}

static long log_offset(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/log/%s.log", G.home, name);
    return file_size(path);
}

/* Rewrites pmm.conf with every "from" line replaced by "to". */
static void conf_edit(const char *const (*edits)[2], int nedits)
{
    char path[1024], tmp[1100];
    snprintf(path, sizeof path, "%s/pmm.conf", G.home);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *in = fopen(path, "r"), *out = fopen(tmp, "w");
    if (!in || !out)
        die("no se pudo editar %s", path);
    char line[2048];
    while (fgets(line, sizeof line, in)) {
        int done = 0;
        for (int e = 0; e < nedits && !done; e++)
            if (!strcmp(line, edits[e][0])) {
                fputs(edits[e][1], out);
                done = 1;
            }
        if (!done)
            fputs(line, out);
    }
    fclose(in);
    fclose(out);
    if (rename(tmp, path) != 0)
        die("rename %s: %s", tmp, strerror(errno));
}

static int test_senales(void)
{
    double rate = 150;
    size_t n = (size_t)(rate * 25);
    say("== senales: carga de %.0f fichas/s (%zu fichas, 4 clientes); SIGTERM a cada"
        " servicio (debe salir limpio y pronto) y reinicio; SIGHUP con otra"
        " configuración (log debug, lotes 64/32/50)",
        rate, n);
    G.invalid_every = 0;
    recs_new(n);
    client *cs = clients_new(4, 128);
    clients_deal(cs, 4, n, rate);
    int64_t t0 = now_us();
    clients_start(cs, 4);
    sleep_us(2000000);
    for (int d = 0; d < 3; d++) {
        pid_t pid = daemon_pid(DAEMONS[d]);
        long off = log_offset(DAEMONS[d]);
        int64_t t = now_us();
        kill(pid, SIGTERM);
        while (pid_alive(pid) && now_us() - t < 15000000)
            sleep_us(10000);
        double ms = (double)(now_us() - t) / 1000;
        int clean = log_has(DAEMONS[d], off, "detenido;");
        say("SIGTERM a %s: %s en %.0f ms, %s", DAEMONS[d],
            pid_alive(pid) ? "SIGUE EN MARCHA" : "terminó", ms,
            clean ? "registró «detenido» (salida ordenada)" : "SIN «detenido» en su log");
        if (pid_alive(pid) || ms > 5000)
            violation("%s no terminó en 5 s tras SIGTERM", DAEMONS[d]);
        if (!clean)
            violation("%s no terminó de forma ordenada", DAEMONS[d]);
        if (stack_start() != 0)
            violation("deploy/stack.sh start no reinició %s", DAEMONS[d]);
        sleep_us(1000000);
    }

    /* SIGHUP: another log level and batch sizes, then back */
    static const char *const to_debug[][2] = {
        {"log = info\n", "log = debug\n"},
        {"lote = 512\n", "lote = 64\n"},
        {"lote = 256\n", "lote = 32\n"},
        {"recalculo = 03:00\n", "recalculo = 03:00\nlote = 50\n"}};
    static const char *const back[][2] = {
        {"log = debug\n", "log = info\n"},
        {"lote = 64\n", "lote = 512\n"},
        {"lote = 32\n", "lote = 256\n"},
        {"lote = 50\n", ""}};
    static const char *const expect[] = {"SIGHUP: [ingestd] lote: 512 -> 64",
                                         "SIGHUP: [clasificador] lote: 256 -> 32",
                                         "SIGHUP: [aggregd] lote: 8000 -> 50"};
    static const char *const debug_line[] = {"ingestd debug", "clasificd debug",
                                             "aggregd debug"};
    long off[3];
    pid_t pids[3];
    for (int d = 0; d < 3; d++) {
        off[d] = log_offset(DAEMONS[d]);
        pids[d] = daemon_pid(DAEMONS[d]);
    }
    conf_edit(to_debug, 4);
    for (int d = 0; d < 3; d++)
        kill(pids[d], SIGHUP);
    sleep_us(4000000);
    for (int d = 0; d < 3; d++) {
        int reloaded = log_has(DAEMONS[d], off[d], expect[d]);
        int debug = log_has(DAEMONS[d], off[d], debug_line[d]);
        say("SIGHUP a %s: %s; mensajes de depuración después: %s", DAEMONS[d],
            reloaded ? "releyó la configuración" : "NO releyó la configuración",
            debug ? "sí" : "no");
        if (!reloaded)
            violation("%s no aplicó la configuración nueva con SIGHUP (esperaba «%s»)",
                      DAEMONS[d], expect[d]);
        if (!pid_alive(pids[d]))
            violation("%s terminó con SIGHUP", DAEMONS[d]);
    }
    conf_edit(back, 4);
    for (int d = 0; d < 3; d++)
        kill(pids[d], SIGHUP);
    long resent = clients_join(cs, 4);
    say("carga: %.1f s", (double)(now_us() - t0) / 1e6);
    check_pipeline(600);
    check_stored(resent, 1);
    clients_free(cs, 4);
    return verdict("senales");
}

/* ------------------------------------------------------------------- 6. soak */

typedef struct {
    volatile int stop;
    int64_t t0;
    int minutes;
    long (*rss)[3];      /* per minute, per daemon: VmRSS at the minute's end */
    pthread_t th;
} sampler;

static void *sampler_main(void *arg)
{
    sampler *s = arg;
    while (!s->stop) {
        sleep_us(1000000);
        int minute = (int)((now_us() - s->t0) / 60000000);
        if (minute >= s->minutes)
            minute = s->minutes - 1;
        for (int d = 0; d < 3; d++)
            s->rss[minute][d] = rss_kib(daemon_pid(DAEMONS[d]));
    }
    return NULL;
}

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
}

static int test_soak(long seconds)
{
    /* 1. the maximum rate: a burst, until acknowledged and until idle */
    size_t burst = G.largo ? 20000 : 5000;
    say("== soak: ritmo máximo medido con una ráfaga de %zu fichas (4 clientes)", burst);
    recs_new(burst);
    snprintf(G.prefix + strlen(G.prefix), sizeof G.prefix - strlen(G.prefix), "m");
    client *cs = clients_new(4, 256);
    clients_deal(cs, 4, burst, 0);
    int64_t t0 = now_us();
    clients_start(cs, 4);
    clients_join(cs, 4);
    double ack_s = (double)(now_us() - t0) / 1e6;
    double idle_s = wait_idle(900);
    idle_s = idle_s < 0 ? -1 : (double)(now_us() - t0) / 1e6;
    clients_free(cs, 4);
    double ingest_rate = (double)burst / ack_s;
    double pipe_rate = idle_s > 0 ? (double)burst / idle_s : ingest_rate;
    double max_rate = ingest_rate < pipe_rate ? ingest_rate : pipe_rate;
    double rate = env_long("PMM_FALLAS_RITMO", 0) > 0 ? (double)env_long("PMM_FALLAS_RITMO", 0)
                                                     : max_rate / 2;
    say("máximo: ingesta %.0f fichas/s (recibos), cadena completa %.0f fichas/s;"
        " ritmo del soak %.0f fichas/s durante %ld s",
        ingest_rate, pipe_rate, rate, seconds);
    G.prefix[strlen(G.prefix) - 1] = 's';

    /* 2. the soak */
    size_t n = (size_t)(rate * (double)seconds);
    recs_new(n);
    cs = clients_new(4, 256);
    clients_deal(cs, 4, n, rate);
    sampler sm;
    memset(&sm, 0, sizeof sm);
    sm.minutes = (int)((seconds + 59) / 60) + 1;
    sm.rss = calloc((size_t)sm.minutes, sizeof *sm.rss);
    pid_t pids[3];
    for (int d = 0; d < 3; d++)
        pids[d] = daemon_pid(DAEMONS[d]);
    t0 = now_us();
    sm.t0 = t0;
    G.deadline_us = t0 + (int64_t)(seconds + 600) * 1000000;
    pthread_create(&sm.th, NULL, sampler_main, &sm);
    clients_start(cs, 4);
    long resent = clients_join(cs, 4);
    sm.stop = 1;
    pthread_join(sm.th, NULL);
    double soak_s = (double)(now_us() - t0) / 1e6;
    say("carga: %.1f s, %zu fichas (%.0f/s)", soak_s, n, (double)n / soak_s);

    /* per minute: submit -> receipt latency */
    int minutes = (int)((seconds + 59) / 60);
    say("minuto   recibos   p50 ms   p99 ms   máx ms   VmRSS KiB ingestd/clasificd/aggregd");
    long long *lat = malloc((n ? n : 1) * sizeof *lat);
    double *p99s = calloc((size_t)minutes, sizeof *p99s);
    int with_data = 0;
    for (int mi = 0; mi < minutes; mi++) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            const rec *x = &G.recs[i];
            if (x->ack_us && (x->ack_us - t0) / 60000000 == mi)
                lat[k++] = x->ack_us - x->first_us;
        }
        if (k == 0)
            continue;
        qsort(lat, k, sizeof *lat, cmp_ll);
        double p50 = (double)lat[k / 2] / 1000, p99 = (double)lat[k * 99 / 100] / 1000;
        p99s[with_data++] = p99;
        say("%6d %9zu %8.1f %8.1f %8.1f   %ld / %ld / %ld", mi + 1, k, p50, p99,
            (double)lat[k - 1] / 1000, sm.rss[mi][0], sm.rss[mi][1], sm.rss[mi][2]);
    }
    /* stability: no minute's p99 above 3x the median minute (or 100 ms) */
    if (with_data) {
        double *sorted = malloc((size_t)with_data * sizeof *sorted);
        memcpy(sorted, p99s, (size_t)with_data * sizeof *sorted);
        for (int a = 0; a < with_data; a++)
            for (int b = a + 1; b < with_data; b++)
                if (sorted[b] < sorted[a]) {
                    double t = sorted[a];
                    sorted[a] = sorted[b];
                    sorted[b] = t;
                }
        double med = sorted[with_data / 2], worst = sorted[with_data - 1];
        double bound = 3 * med > 100 ? 3 * med : 100;
        say("p99 por minuto: mediana %.1f ms, peor %.1f ms (límite %.1f ms)", med, worst,
            bound);
        if (worst > bound)
            violation("latencia p99 inestable: %.1f ms > %.1f ms", worst, bound);
        free(sorted);
    }
    free(lat);
    free(p99s);

    /* memory drift: end of the first minute (warmed up) against the end */
    int base = 0, last = minutes - 1;
    for (int d = 0; d < 3; d++) {
        long b = sm.rss[base][d], e = sm.rss[last][d];
        if (b <= 0 || e <= 0) {
            violation("%s: sin muestras de memoria (¿se reinició?)", DAEMONS[d]);
            continue;
        }
        double drift = 100.0 * (double)(e - b) / (double)b;
        say("%s: VmRSS %ld KiB al final del minuto 1, %ld KiB al final: deriva %+.2f%%",
            DAEMONS[d], b, e, drift);
        if (minutes > 1 && drift > 5.0)
            violation("%s: la memoria derivó %.2f%% (> 5%%)", DAEMONS[d], drift);
        if (daemon_pid(DAEMONS[d]) != pids[d])
            violation("%s se reinició durante el soak", DAEMONS[d]);
    }
    free(sm.rss);
    check_pipeline(900);
    figures fg = check_stored(resent, 1);
    if (fg.desconocidas || resent)
        violation("%lld DESCONOCIDO / %ld reenvíos: el soak no debe tener errores",
                  fg.desconocidas, resent);
    clients_free(cs, 4);
    return verdict("soak");
}

/* -------------------------------------------------------------------- main */

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "uso: pmm_fallas kill9|pgcaida|duplicados|atasco|senales"
                        "|soak [SEGUNDOS]\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    signal(SIGPIPE, SIG_IGN);
    G.src = getenv("PMM_SRC");
    G.run = getenv("PMM_RUN");
    G.home = getenv("PMM_HOME");
    if (!G.src || !G.run || !G.home) {
        fprintf(stderr, "pmm_fallas: faltan PMM_SRC, PMM_RUN o PMM_HOME"
                        " (use tests/faults/fallas.sh)\n");
        return 2;
    }
    G.largo = env_long("PMM_FALLAS_LARGO", 0) != 0;
    pmm_error err;
    G.conf = conf_load(NULL, CONF_TODOS, db_conninfo_check, &err);
    if (!G.conf)
        die("configuración: %s", err.mensaje);
    G.endpoint = conf_str(G.conf, "ingestd", "endpoint");
    G.conninfo = conf_conninfo(G.conf, NULL);
    if (!G.endpoint)
        die("falta [ingestd] endpoint en %s", conf_path(G.conf));
    snprintf(G.prefix, sizeof G.prefix, "f%lx", (unsigned long)time(NULL));
    rng_state = mix((uint64_t)time(NULL) ^ (uint64_t)getpid());
    long limit_s = env_long("PMM_FALLAS_LIMITE", G.largo ? 3600 : 600);
    G.deadline_us = now_us() + limit_s * 1000000;
    const char *t = argv[1];
    say("(%s; PMM_HOME=%s)",
        !strcmp(t, "soak") ? "soak" : G.largo ? "forma larga" : "forma corta", G.home);
    int rc;
    if (!strcmp(t, "kill9"))
        rc = test_kill9();
    else if (!strcmp(t, "pgcaida"))
        rc = test_pgcaida();
    else if (!strcmp(t, "duplicados"))
        rc = test_duplicados();
    else if (!strcmp(t, "atasco"))
        rc = test_atasco();
    else if (!strcmp(t, "senales"))
        rc = test_senales();
    else if (!strcmp(t, "soak"))
        rc = test_soak(argc > 2 ? strtol(argv[2], NULL, 10) : G.largo ? 1800 : 60);
    else {
        fprintf(stderr, "pmm_fallas: prueba desconocida «%s»\n", t);
        rc = 2;
    }
    free(G.recs);
    if (G.db)
        PQfinish(G.db);
    conf_destroy(&G.conf);
    return rc;
}
