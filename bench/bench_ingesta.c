/* bench_ingesta -- the same N realistic fichas (lib/muestra, MUESTRA_GRANDE:
 * 2-4 KB of Spanish text, varied bodies, states and objectives) loaded
 * three ways into the same schema on the same PostgreSQL, one after the
 * other, each from empty tables:
 *
 *   copy      COPY of the ficha rows straight into `fichas`, committed every
 *             --lote-copy rows (the practical limit for making them durable)
 *   naive     one INSERT per ficha in autocommit (libpq, text parameters)
 *   pipeline  the real system: --hilos client threads, each a sender_run
 *             over ZeroMQ to ingestd (receipts after COMMIT), then until the
 *             classifiers and aggregd caught up: cola_clasificar and
 *             cola_agregar empty and `pmm totales` counting every ficha
 *
 * Uso: bench_ingesta --config PMM_CONF [--n N] [--modos copy,naive,pipeline]
 *                    [--hilos T] [--ventana W] [--pmm RUTA] [--semilla S]
 *
 * Prints one line per mode and, last, a line "BENCH key=value ...".
 */
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_comun.h"
#include "db.h"
#include "sender.h"

typedef struct {
    const char *conf_path;
    pmm_conf *conf;
    const char *admin;       /* conninfo of the schema owner */
    const char *pmm;         /* the pmm binary, for the final check */
    size_t n;
    int hilos, ventana, lote_copy;
    uint64_t semilla;
    bench_ficha *fichas;
} opciones;

static const char RECIBIDA[] = "2026-01-01 00:00:00+00";

/* ---- copy ---------------------------------------------------------------- */

static double run_copy(opciones *o, PGconn *db)
{
    /* rows built beforehand: only the database's work is timed */
    strbuf *lotes = calloc(o->n / (size_t)o->lote_copy + 1, sizeof *lotes);
    size_t nl = 0;
    for (size_t i = 0; i < o->n; i += (size_t)o->lote_copy, nl++) {
        strbuf_init(&lotes[nl]);
        for (size_t j = i; j < o->n && j < i + (size_t)o->lote_copy; j++)
            bench_ficha_copy_row(&lotes[nl], &o->fichas[j], RECIBIDA);
    }
    double t0 = bench_ahora();
    for (size_t k = 0; k < nl; k++) {
        bench_exec(db, "BEGIN");
        bench_copy_begin(db, "COPY fichas (" BENCH_FICHA_COLS ") FROM STDIN");
        bench_copy_put(db, &lotes[k]);
        bench_copy_end(db);
        bench_exec(db, "COMMIT");
    }
    double t = bench_ahora() - t0;
    for (size_t k = 0; k < nl; k++)
        strbuf_free(&lotes[k]);
    free(lotes);
    long long stored = bench_ll(db, "SELECT count(*) FROM fichas");
    if (stored != (long long)o->n) {
        fprintf(stderr, "bench_ingesta: copy guardó %lld de %zu fichas\n", stored, o->n);
        exit(1);
    }
    return t;
}

/* ---- naive --------------------------------------------------------------- */

static double run_naive(opciones *o, PGconn *db)
{
    char **params = calloc(o->n * BENCH_FICHA_NCOLS, sizeof *params);
    for (size_t i = 0; i < o->n; i++)
        bench_ficha_params(&o->fichas[i], RECIBIDA, params + i * BENCH_FICHA_NCOLS);
    char sql[1024];
    int off = snprintf(sql, sizeof sql, "INSERT INTO fichas (" BENCH_FICHA_COLS
                                        ") VALUES (");
    for (int c = 1; c <= BENCH_FICHA_NCOLS; c++)
        off += snprintf(sql + off, sizeof sql - (size_t)off, "%s$%d", c > 1 ? "," : "", c);
    snprintf(sql + off, sizeof sql - (size_t)off, ")");
    double t0 = bench_ahora();
    for (size_t i = 0; i < o->n; i++) {
        PGresult *res = PQexecParams(db, sql, BENCH_FICHA_NCOLS, NULL,
                                     (const char *const *)(params + i * BENCH_FICHA_NCOLS),
                                     NULL, NULL, 0);
        if (PQresultStatus(res) != PGRES_COMMAND_OK) {
            fprintf(stderr, "bench_ingesta: INSERT: %s", PQresultErrorMessage(res));
            exit(1);
        }
        PQclear(res);
    }
    double t = bench_ahora() - t0;
    for (size_t i = 0; i < o->n; i++)
        bench_params_free(params + i * BENCH_FICHA_NCOLS);
    free(params);
    return t;
}

/* ---- pipeline ------------------------------------------------------------ */

typedef struct {
    opciones *o;
    int hilo;
    size_t next;             /* next index of this thread's share */
    size_t aceptadas, otras;
    char primer_error[700];
    double fin;              /* when its last receipt arrived */
} cliente;

static int pull(void *user, Pmm__Ficha **f, uint64_t *seq)
{
    cliente *c = user;
    if (c->next >= c->o->n)
        return 0;
    const bench_ficha *x = &c->o->fichas[c->next];
    *f = pmm__ficha__unpack(NULL, x->packed_len, x->packed);
    *seq = c->next;
    c->next += (size_t)c->o->hilos;
    return *f ? 1 : -1;
}

static void push(void *user, const sender_result *r)
{
    cliente *c = user;
    if (r->estado == PMM__ESTADO__ESTADO_ACEPTADA) {
        c->aceptadas++;
    } else {
        if (!c->otras)
            snprintf(c->primer_error, sizeof c->primer_error, "ficha %llu: estado %d: %s",
                     (unsigned long long)r->seq, (int)r->estado, r->err.mensaje);
        c->otras++;
    }
}

static void *cliente_main(void *arg)
{
    cliente *c = arg;
    sender_opts so = {.endpoint = conf_str(c->o->conf, "ingestd", "endpoint"),
                      .window = c->o->ventana, .timeout_ms = 30000, .max_attempts = 5};
    pmm_error err;
    pmm_error_clear(&err);
    if (sender_run(&so, pull, push, c, &err) != 0)
        snprintf(c->primer_error, sizeof c->primer_error, "sender: %s", err.mensaje);
    c->fin = bench_ahora();
    return NULL;
}

/* Runs `pmm totales --por ambito` over every year and sums the counts: each
 * ficha is federal or estatal, so the sum is the number of fichas counted. */
static long long pmm_totales_fichas(const opciones *o)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "PMM_CONF='%s' '%s' totales --ejercicio 2018-2027 --por ambito --formato csv",
             o->conf_path, o->pmm);
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    char line[4096];
    long long total = 0;
    int first = 1;
    while (fgets(line, sizeof line, p)) {
        if (first) {   /* header */
            first = 0;
            continue;
        }
        /* code,name,<one count per year>: skip two fields (name may be
         * quoted), add the rest */
        char *s = line;
        for (int field = 0; field < 2; field++) {
            if (*s == '"') {
                for (s++; *s && !(*s == '"' && s[1] != '"'); s += *s == '"' ? 2 : 1)
                    ;
                if (*s)
                    s++;
            } else {
                s += strcspn(s, ",\n");
            }
            if (*s == ',')
                s++;
        }
        while (*s && *s != '\n') {
            total += strtoll(s, &s, 10);
            if (*s == ',')
                s++;
        }
    }
    return pclose(p) == 0 ? total : -1;
}

typedef struct {
    double recibos, clasificado, agregado, total;
} tiempos_pipeline;

static double run_pipeline(opciones *o, PGconn *db, tiempos_pipeline *tp)
{
    cliente *cs = calloc((size_t)o->hilos, sizeof *cs);
    pthread_t *th = calloc((size_t)o->hilos, sizeof *th);
    double t0 = bench_ahora();
    for (int i = 0; i < o->hilos; i++) {
        cs[i] = (cliente){.o = o, .hilo = i, .next = (size_t)i};
        pthread_create(&th[i], NULL, cliente_main, &cs[i]);
    }
    size_t aceptadas = 0;
    double recibos = t0;
    for (int i = 0; i < o->hilos; i++) {
        pthread_join(th[i], NULL);
        aceptadas += cs[i].aceptadas;
        if (cs[i].primer_error[0])
            fprintf(stderr, "bench_ingesta: cliente %d: %s\n", i, cs[i].primer_error);
        if (cs[i].fin > recibos)
            recibos = cs[i].fin;
    }
    tp->recibos = recibos - t0;
    if (aceptadas != o->n) {
        fprintf(stderr, "bench_ingesta: pipeline aceptó %zu de %zu fichas\n", aceptadas, o->n);
        exit(1);
    }
    /* caught up: both queues empty and the totals count every ficha */
    tp->clasificado = tp->agregado = 0;
    for (;;) {
        PGresult *res = PQexec(
            db, "SELECT (SELECT count(*) FROM cola_clasificar),"
                " (SELECT count(*) FROM cola_agregar),"
                " (SELECT coalesce(sum(fichas), 0) FROM totales"
                "   WHERE filtro = '' AND dimension = 'total')");
        if (PQresultStatus(res) != PGRES_TUPLES_OK) {
            fprintf(stderr, "bench_ingesta: %s", PQerrorMessage(db));
            exit(1);
        }
        long long qc = atoll(PQgetvalue(res, 0, 0)), qa = atoll(PQgetvalue(res, 0, 1)),
                  tot = atoll(PQgetvalue(res, 0, 2));
        PQclear(res);
        double now = bench_ahora();
        if (qc == 0 && !tp->clasificado)
            tp->clasificado = now - t0;
        if (qc == 0 && qa == 0 && tot == (long long)o->n) {
            long long cli = pmm_totales_fichas(o);
            if (cli == (long long)o->n) {
                tp->agregado = bench_ahora() - t0;
                break;
            }
            fprintf(stderr, "bench_ingesta: pmm totales cuenta %lld fichas, se esperaban %zu\n",
                    cli, o->n);
        }
        if (now - t0 > 3600) {
            fprintf(stderr, "bench_ingesta: la cadena no se puso al día en una hora\n");
            exit(1);
        }
        usleep(20000);
    }
    tp->total = tp->agregado;
    free(cs);
    free(th);
    return tp->total;
}

/* The per-batch key check of issue 24 on ingestd's own connection: the
 * query store.c runs inside each batch transaction that carries keyed
 * fichas (pmm_claves_no_vigentes) and the last-use update after COMMIT.
 * Returns microseconds per batch, measured over `iter` batches. */
static double run_claves(opciones *o, PGconn *admin, int iter)
{
    PGresult *res = PQexec(admin,
                           "INSERT INTO claves (clave_publica, rol, emisor, nombre, creada_por)"
                           " VALUES (substr(md5(random()::text) || md5(random()::text), 1, 40),"
                           " 'remitente', 'D:SRE', 'bench', 'bench') RETURNING id::text");
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        fprintf(stderr, "bench_ingesta: %s", PQerrorMessage(admin));
        PQclear(res);
        return -1;
    }
    char ids[64];
    snprintf(ids, sizeof ids, "{%s}", PQgetvalue(res, 0, 0));
    PQclear(res);
    PGconn *db = bench_conectar(conf_conninfo(o->conf, "ingestd"), "pmm-bench-claves");
    const char *params[] = {ids};
    double t0 = bench_ahora();
    for (int i = 0; i < iter; i++) {
        PQclear(PQexec(db, "BEGIN"));
        PQclear(PQexecParams(db, "SELECT id, motivo FROM pmm_claves_no_vigentes($1::bigint[])",
                             1, NULL, params, NULL, NULL, 0));
        PQclear(PQexec(db, "COMMIT"));
        PQclear(PQexecParams(db,
                             "UPDATE claves SET ultimo_uso = now() WHERE id = ANY ($1::bigint[])"
                             "   AND (ultimo_uso IS NULL OR ultimo_uso < now() - interval '1 minute')",
                             1, NULL, params, NULL, NULL, 0));
    }
    double us = (bench_ahora() - t0) / iter * 1e6;
    /* the BEGIN/COMMIT pair is part of every batch anyway: measure it alone */
    t0 = bench_ahora();
    for (int i = 0; i < iter; i++) {
        PQclear(PQexec(db, "BEGIN"));
        PQclear(PQexec(db, "COMMIT"));
    }
    us -= (bench_ahora() - t0) / iter * 1e6;
    PQfinish(db);
    return us;
}

static void usage(void)
{
    fprintf(stderr,
            "uso: bench_ingesta --config PMM_CONF [--n N] [--modos copy,naive,pipeline]\n"
            "                   [--hilos T] [--ventana W] [--lote-copy L] [--pmm RUTA]\n"
            "                   [--semilla S]\n");
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
                                         {"n", required_argument, NULL, 'n'},
                                         {"modos", required_argument, NULL, 'm'},
                                         {"hilos", required_argument, NULL, 't'},
                                         {"ventana", required_argument, NULL, 'w'},
                                         {"lote-copy", required_argument, NULL, 'l'},
                                         {"pmm", required_argument, NULL, 'p'},
                                         {"semilla", required_argument, NULL, 's'},
                                         {NULL, 0, NULL, 0}};
    opciones o = {.n = 10000, .hilos = 4, .ventana = 256, .lote_copy = 10000,
                  .semilla = 20260101, .pmm = "pmm"};
    const char *modos = "copy,naive,pipeline,claves";
    int opt;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (opt) {
        case 'c': o.conf_path = optarg; break;
        case 'n': o.n = strtoull(optarg, NULL, 10); break;
        case 'm': modos = optarg; break;
        case 't': o.hilos = atoi(optarg); break;
        case 'w': o.ventana = atoi(optarg); break;
        case 'l': o.lote_copy = atoi(optarg); break;
        case 'p': o.pmm = optarg; break;
        case 's': o.semilla = strtoull(optarg, NULL, 10); break;
        default: usage(); return 2;
        }
    }
    if (!o.conf_path || o.n == 0 || o.hilos < 1 || o.ventana < 1 || o.lote_copy < 1) {
        usage();
        return 2;
    }
    pmm_error err;
    pmm_error_clear(&err);
    o.conf = conf_load(o.conf_path, CONF_TODOS, db_conninfo_check, &err);
    if (!o.conf) {
        fprintf(stderr, "bench_ingesta: %s\n", err.mensaje);
        return 2;
    }
    o.admin = conf_conninfo(o.conf, NULL);
    refdata *ref = refdata_load(conf_data_dir(o.conf), &err);
    if (!ref) {
        fprintf(stderr, "bench_ingesta: %s\n", err.mensaje);
        return 2;
    }
    double tg = bench_ahora();
    size_t texto = 0;
    o.fichas = bench_fichas(conf_data_dir(o.conf), ref, o.semilla, 2018, 2026, o.n, &texto);
    size_t wire = 0;
    for (size_t i = 0; i < o.n; i++)
        wire += o.fichas[i].packed_len;
    printf("fichas: %zu generadas en %.1f s; texto libre medio %.2f KB, protobuf medio %.2f KB\n",
           o.n, bench_ahora() - tg, (double)texto / (double)o.n / 1024,
           (double)wire / (double)o.n / 1024);
    fflush(stdout);

    PGconn *db = bench_conectar(o.admin, "pmm-bench-ingesta");
    double fps[3] = {0, 0, 0};
    const char *nombres[3] = {"copy", "naive", "pipeline"};
    tiempos_pipeline tp = {0};
    for (int m = 0; m < 3; m++) {
        if (!strstr(modos, nombres[m]))
            continue;
        bench_vaciar(db);
        double t = m == 0 ? run_copy(&o, db) : m == 1 ? run_naive(&o, db)
                                                      : run_pipeline(&o, db, &tp);
        fps[m] = (double)o.n / t;
        printf("%-9s %zu fichas en %7.2f s: %8.0f fichas/s", nombres[m], o.n, t, fps[m]);
        if (m == 2)
            printf(" (recibos %.2f s, clasificadas %.2f s, agregadas y visibles en "
                   "pmm totales %.2f s)",
                   tp.recibos, tp.clasificado, tp.agregado);
        printf("\n");
        fflush(stdout);
    }
    double claves_us = -1;
    if (strstr(modos, "claves")) {
        claves_us = run_claves(&o, db, 2000);
        printf("claves    comprobación de vigencia por lote: %.1f µs\n", claves_us);
    }
    printf("BENCH n=%zu copy_fps=%.0f naive_fps=%.0f pipeline_fps=%.0f", o.n, fps[0],
           fps[1], fps[2]);
    if (fps[2] > 0)
        printf(" ingest_fps=%.0f", (double)o.n / tp.recibos);
    if (claves_us >= 0) {
        printf(" key_check_us=%.1f", claves_us);
        /* against a full batch (512 fichas, ingestd's default) at the rate
         * the collector acknowledged in this run */
        if (fps[2] > 0)
            printf(" key_check_pct=%.2f",
                   100.0 * claves_us / (512.0 / ((double)o.n / tp.recibos) * 1e6));
    }
    if (fps[0] > 0 && fps[2] > 0)
        printf(" ratio_copy=%.2f", fps[2] / fps[0]);
    if (fps[1] > 0 && fps[2] > 0)
        printf(" ratio_naive=%.2f", fps[2] / fps[1]);
    printf("\n");
    PQfinish(db);
    bench_fichas_free(o.fichas, o.n);
    refdata_destroy(&ref);
    conf_destroy(&o.conf);
    return 0;
}
