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
#include "fallas.h"

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
