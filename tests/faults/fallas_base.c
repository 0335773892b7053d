/* fallas_base.c -- the harness of the fault tests (fallas.h): output and
 * verdicts, the stack and its pids, the database checks, the generated
 * fichas and the paced clients that send them. */
#include "fallas.h"

fallas_global G = {.mu = PTHREAD_MUTEX_INITIALIZER};
/* ------------------------------------------------------------------ util */

void say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
}

void violation(const char *fmt, ...)
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

void die(const char *fmt, ...)
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

int64_t now_us(void)
{
    return wire_now_us();
}

void sleep_us(int64_t us)
{
    if (us <= 0)
        return;
    struct timespec ts = {(time_t)(us / 1000000), (long)(us % 1000000) * 1000};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

uint64_t rng_state = 0x2545f4914f6cdd1dull;
uint64_t rnd(void)
{
    rng_state = mix(rng_state);
    return rng_state;
}

long env_long(const char *name, long fallback)
{
    const char *v = getenv(name);
    return v && *v ? strtol(v, NULL, 10) : fallback;
}

/* Runs a shell command; returns its exit status. */
int sh(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int st = system(cmd);
    return st == -1 ? -1 : WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int stack_start(void)
{
    return sh("\"%s/deploy/stack.sh\" start >>\"%s/log/fallas-stack.log\" 2>&1",
              G.src, G.home);
}

pid_t daemon_pid(const char *name)
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

int pid_alive(pid_t pid)
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
long rss_kib(pid_t pid)
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

long long q_ll(const char *sql)
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
double wait_idle(int limit_s)
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
size_t submit(client *c, size_t from, size_t to)
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

client *clients_new(int nclients, int window)
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

void client_alloc(client *c, size_t n)
{
    c->n = n;
    c->idx = calloc(n ? n : 1, sizeof *c->idx);
    c->done = calloc(n ? n : 1, 1);
    c->cur = calloc(n ? n : 1, sizeof *c->cur);
    if (!c->idx || !c->done || !c->cur)
        die("sin memoria");
}

/* Deals fichas [0, n) to the clients in turn, each paced at rate/nclients. */
void clients_deal(client *cs, int nclients, size_t n, double rate)
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

void clients_start(client *cs, int nclients)
{
    for (int k = 0; k < nclients; k++)
        if (pthread_create(&cs[k].th, NULL, client_main, &cs[k]) != 0)
            die("pthread_create");
}

long clients_join(client *cs, int nclients)
{
    long resent = 0;
    for (int k = 0; k < nclients; k++) {
        pthread_join(cs[k].th, NULL);
        resent += cs[k].resent;
    }
    return resent;
}

void clients_free(client *cs, int nclients)
{
    for (int k = 0; k < nclients; k++) {
        free(cs[k].idx);
        free(cs[k].done);
        free(cs[k].cur);
        zmq_ctx_term(cs[k].zctx);
    }
    free(cs);
}

void recs_new(size_t n)
{
    free(G.recs);
    G.recs = calloc(n ? n : 1, sizeof *G.recs);
    if (!G.recs)
        die("sin memoria");
    G.nrecs = n;
}

/* ------------------------------------------------------------------ checks */


/* Every acknowledged ficha must be stored under the id of its receipt; every
 * ficha of the run stored once. Prints the figures; returns them. */
figures check_stored(long resent, int copies)
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
void check_pipeline(int limit_s)
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

int verdict(const char *name)
{
    if (G.failures)
        say("RESULTADO %s: FALLO (%d violaciones)", name, G.failures);
    else
        say("RESULTADO %s: OK", name);
    return G.failures ? 1 : 0;
}

