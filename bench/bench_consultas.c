/* bench_consultas -- queries at scale.
 *
 *   cargar  N fichas over 10 years (2018-2027), 80 bodies and 32 states,
 *           loaded straight with COPY (fichas and their classifications; the
 *           pipeline is bypassed for setup). The texts come from a pool of
 *           realistic MUESTRA_GRANDE fichas, each classified in-process, so
 *           the stored classification is what clasificd would store.
 *           Afterwards `pmm agregar --ahora` (run.sh) builds the totals.
 *   medir   for each `pmm totales --por` grouping, over the whole range:
 *           p50/p99 of the query the CLI runs against `totales` (libpq, as
 *           the pmm_consulta role, --iter runs), p50/p99 of the whole command
 *           (fork/exec of `pmm totales ... --formato csv`, --iter-cmd runs),
 *           and the median of the same answer computed by GROUP BY over the
 *           fichas (--iter-groupby runs), checked equal to the totals.
 *           Steady state: `totales` is vacuumed and analysed first (the
 *           recompute has just rewritten it, and autovacuum would otherwise
 *           run in the middle of the first grouping), and each grouping's
 *           command runs a few times untimed before it is measured.
 *
 * Uso: bench_consultas cargar --config PMM_CONF --n N [--pool P]
 *      bench_consultas medir --config PMM_CONF --pmm RUTA [--iter I]
 *                      [--iter-cmd C] [--iter-groupby G]
 * Prints a summary and, last, "BENCH key=value ...".
 */
#include <fcntl.h>
#include <getopt.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_comun.h"
#include "clasif_db.h"
#include "clasificador.h"
#include "db.h"

extern char **environ;

#define DESDE 2018
#define HASTA 2027
#define DEPENDENCIAS 80

typedef struct {
    const char *conf_path;
    pmm_conf *conf;
    const char *pmm;
    size_t n, pool;
    int iter, iter_cmd, iter_groupby;
} opciones;

/* ---- cargar ------------------------------------------------------------- */

static void set_bytes(ProtobufCBinaryData *b, protobuf_c_boolean *has, const char *s)
{
    b->data = (uint8_t *)(uintptr_t)s;
    b->len = s ? strlen(s) : 0;
    if (has)
        *has = s != NULL;
}

static int cargar(opciones *o)
{
    pmm_error err;
    pmm_error_clear(&err);
    const char *datos = conf_data_dir(o->conf);
    refdata *ref = refdata_load(datos, &err);
    clasificador *clf = ref ? clasificador_new(datos, &err) : NULL;
    if (!clf) {
        fprintf(stderr, "bench_consultas: %s\n", err.mensaje);
        return 2;
    }
    const char *taxonomia = conf_str(o->conf, "clasificador", "taxonomia");
    size_t ndep = refdata_dependencia_count(ref);
    if (ndep < DEPENDENCIAS) {
        fprintf(stderr, "bench_consultas: solo %zu dependencias en los datos\n", ndep);
        return 2;
    }
    double t0 = bench_ahora();
    size_t P = o->pool < o->n ? o->pool : o->n;
    size_t texto = 0;
    bench_ficha *pool = bench_fichas(datos, ref, 77, DESDE, HASTA, P, &texto);
    /* each pool ficha's classification, as a COPY row without its id */
    char **clas = calloc(P, sizeof *clas);
    for (size_t p = 0; p < P; p++) {
        const Pmm__Ficha *f = pool[p].f;
        const Pmm__Resultados *r = f->resultados;
        clasif_entrada in = {0};
        char *s[7] = {0};
        const ProtobufCBinaryData *src[7] = {
            &f->programa, &f->descripcion->objetivo, &f->descripcion->poblacion_objetivo,
            r ? &r->texto : NULL, r ? &r->zona : NULL, &f->retos, &f->dependencia};
        int has[7] = {1, 1, f->descripcion->has_poblacion_objetivo, r && r->has_texto,
                      r && r->has_zona, f->has_retos, f->has_dependencia};
        for (int k = 0; k < 7; k++)
            s[k] = has[k] ? strndup((const char *)src[k]->data, src[k]->len) : NULL;
        in.programa = s[0];
        in.objetivo = s[1];
        in.poblacion = s[2];
        in.resultados = s[3];
        in.zona = s[4];
        in.retos = s[5];
        in.dependencia = s[6];
        /* as clasif_db_entrada: what clasificd passes (no ambito) */
        if (r) {
            in.acciones = (long)r->acciones;
            in.hay_acciones = r->has_acciones;
            in.personas = (long)r->personas;
            in.hay_personas = r->has_personas;
            in.mujeres = (long)r->mujeres;
            in.hay_mujeres = r->has_mujeres;
            in.hombres = (long)r->hombres;
            in.hay_hombres = r->has_hombres;
        }
        in.objetivo_pmm = (int)f->objetivo_pmm;
        clasif_resultado out;
        if (clasificador_classify(clf, &in, taxonomia, &out, &err) != 0) {
            fprintf(stderr, "bench_consultas: %s\n", err.mensaje);
            return 2;
        }
        strbuf b;
        strbuf_init(&b);
        clasif_db_copy_row(&b, 0, &out);
        clas[p] = strdup(b.data + 2);   /* without "0\t" */
        strbuf_free(&b);
        for (int k = 0; k < 7; k++)
            free(s[k]);
    }
    printf("cargar: %zu fichas modelo generadas y clasificadas en %.1f s (texto medio %.2f KB)\n",
           P, bench_ahora() - t0, (double)texto / (double)P / 1024);
    fflush(stdout);

    PGconn *db = bench_conectar(conf_conninfo(o->conf, NULL),
                                "pmm-bench-cargar");
    bench_vaciar(db);
    double t1 = bench_ahora();
    bench_exec(db, "BEGIN");
    bench_copy_begin(db, "COPY fichas (id, " BENCH_FICHA_COLS ") FROM STDIN");
    strbuf b;
    strbuf_init(&b);
    char clave[32], ent[8];
    for (size_t i = 0; i < o->n; i++) {
        bench_ficha *x = &pool[i % P];
        Pmm__Ficha *f = x->f;
        /* the pool ficha in another year, body or state: fields borrowed
         * for the row, restored below */
        Pmm__Ficha saved = *f;
        uint8_t hash[32];
        memcpy(hash, x->hash, 32);
        char emisor[FICHA_EMISOR_MAX];
        memcpy(emisor, x->emisor, sizeof emisor);
        f->ejercicio = DESDE + (int64_t)(i % 10);
        snprintf(clave, sizeof clave, "bench-%07zu", i);
        set_bytes(&f->clave, &f->has_clave, clave);
        if ((i / 10) % 4 == 3) {   /* a quarter from state governments */
            int e = 1 + (int)((i / 40) % 32);
            snprintf(ent, sizeof ent, "%02d", e);
            set_bytes(&f->ambito, &f->has_ambito, "estatal");
            set_bytes(&f->dependencia, &f->has_dependencia, NULL);
            set_bytes(&f->entidad, &f->has_entidad, ent);
            snprintf(x->emisor, sizeof x->emisor, "E:%s", ent);
        } else {
            const ref_dependencia *d = refdata_dependencia_at(ref, (i / 10) % DEPENDENCIAS);
            set_bytes(&f->ambito, &f->has_ambito, "federal");
            set_bytes(&f->dependencia, &f->has_dependencia, d->sigla);
            /* most federal programs name the state they ran in */
            if (i % 3) {
                snprintf(ent, sizeof ent, "%02d", 1 + (int)((i / 7) % 32));
                set_bytes(&f->entidad, &f->has_entidad, ent);
            } else {
                set_bytes(&f->entidad, &f->has_entidad, NULL);
            }
            snprintf(x->emisor, sizeof x->emisor, "D:%s", d->sigla);
        }
        memcpy(x->hash, &i, sizeof i);
        strbuf_printf(&b, "%zu\t", i + 1);
        bench_ficha_copy_row(&b, x, "2026-01-01 00:00:00+00");
        *f = saved;
        memcpy(x->hash, hash, 32);
        memcpy(x->emisor, emisor, sizeof emisor);
        if (b.len > (4u << 20))
            bench_copy_put(db, &b);
    }
    bench_copy_put(db, &b);
    bench_copy_end(db);
    double t2 = bench_ahora();
    bench_copy_begin(db, CLASIF_DB_COPY);
    for (size_t i = 0; i < o->n; i++) {
        strbuf_printf(&b, "%zu\t", i + 1);
        strbuf_puts(&b, clas[i % P]);
        if (b.len > (4u << 20))
            bench_copy_put(db, &b);
    }
    bench_copy_put(db, &b);
    bench_copy_end(db);
    char sql[600];
    snprintf(sql, sizeof sql, "SELECT setval('fichas_id_seq', %zu)", o->n);
    bench_exec(db, sql);
    bench_exec(db, "COMMIT");
    double t3 = bench_ahora();
    /* the search index, as aggregd builds it (pmm_indexar), computed once
     * per pool text: ficha i carries pool text i % P */
    bench_exec(db, "SET maintenance_work_mem = '512MB'");
    snprintf(sql, sizeof sql,
             "CREATE TEMP TABLE pool_doc AS SELECT (f.id - 1) AS k, (pmm_fila_busqueda(f)).*"
             " FROM fichas f WHERE f.id <= %zu", P);
    bench_exec(db, sql);
    snprintf(sql, sizeof sql,
             "INSERT INTO busqueda SELECT f.emisor, f.ejercicio, f.clave, f.id, d.nombre,"
             " d.texto, d.clave_nombre, d.clave_texto, d.documento"
             " FROM fichas f JOIN pool_doc d ON d.k = (f.id - 1) %% %zu",
             P);
    bench_exec(db, sql);
    double t3b = bench_ahora();
    printf("cargar: índice de búsqueda de %zu fichas en %.1f s\n", o->n, t3b - t3);
    bench_exec(db, "VACUUM ANALYZE fichas");
    bench_exec(db, "VACUUM ANALYZE clasificaciones");
    bench_exec(db, "VACUUM ANALYZE busqueda");
    double t4 = bench_ahora();
    printf("cargar: %zu fichas por COPY en %.1f s, sus clasificaciones en %.1f s, "
           "VACUUM ANALYZE %.1f s; tabla fichas %lld MB\n",
           o->n, t2 - t1, t3 - t2, t4 - t3,
           bench_ll(db, "SELECT pg_total_relation_size('fichas') / 1048576"));
    printf("BENCH carga_s=%.1f\n", t4 - t1);
    strbuf_free(&b);
    PQfinish(db);
    for (size_t p = 0; p < P; p++)
        free(clas[p]);
    free(clas);
    bench_fichas_free(pool, P);
    clasificador_destroy(&clf);
    refdata_destroy(&ref);
    return 0;
}

/* ---- medir -------------------------------------------------------------- */

typedef struct {
    const char *por;
    const char *groupby;     /* the same answer from the fichas: $1..$2 */
} agrupacion;

#define COLS "f.ejercicio, count(*), sum(coalesce(f.acciones, 0)), sum(coalesce(f.personas, 0))," \
             " sum(coalesce(f.mujeres, 0)), sum(coalesce(f.hombres, 0))"
#define RANGO " f.ejercicio BETWEEN $1::int AND $2::int"

static const agrupacion grupos[] = {
    {"objetivo", "SELECT f.objetivo_pmm::text, " COLS " FROM fichas f WHERE" RANGO
                 " GROUP BY 1, 2"},
    {"eje", "SELECT c.eje::text, " COLS " FROM fichas f JOIN clasificaciones c"
            " ON c.ficha_id = f.id WHERE" RANGO " GROUP BY 1, 2"},
    {"subtema", "SELECT c.subtema, " COLS " FROM fichas f JOIN clasificaciones c"
                " ON c.ficha_id = f.id WHERE" RANGO " GROUP BY 1, 2"},
    {"ods", "SELECT o::text, " COLS " FROM fichas f JOIN clasificaciones c"
            " ON c.ficha_id = f.id CROSS JOIN LATERAL unnest(CASE WHEN c.con_resultados"
            " THEN c.ods ELSE '{}' END) o WHERE" RANGO " GROUP BY 1, 2"},
    {"dependencia", "SELECT f.dependencia, " COLS " FROM fichas f WHERE" RANGO
                    " AND f.ambito = 'federal' AND f.dependencia IS NOT NULL GROUP BY 1, 2"},
    {"entidad", "SELECT lpad(f.entidad::text, 2, '0'), " COLS " FROM fichas f WHERE" RANGO
                " AND f.entidad IS NOT NULL GROUP BY 1, 2"},
    {"ambito", "SELECT f.ambito, " COLS " FROM fichas f WHERE" RANGO " GROUP BY 1, 2"},
};
#define NGRUPOS (sizeof grupos / sizeof grupos[0])

/* The query of cli/consulta_db.c (consulta_leer), verbatim. */
static const char consulta_sql[] =
    "SELECT ejercicio, valor, fichas, acciones, personas, mujeres, hombres"
    "  FROM totales"
    " WHERE ejercicio BETWEEN $1::integer AND $2::integer"
    "   AND filtro = $3 AND dimension = $4";

static PGresult *leer(PGconn *db, const char *dim)
{
    char desde[8], hasta[8];
    snprintf(desde, sizeof desde, "%d", DESDE);
    snprintf(hasta, sizeof hasta, "%d", HASTA);
    const char *params[] = {desde, hasta, "", dim};
    PGresult *res = PQexecParams(db, consulta_sql, 4, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        fprintf(stderr, "bench_consultas: %s", PQerrorMessage(db));
        exit(1);
    }
    return res;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Rows "ejercicio|valor|fichas|acciones|personas|mujeres|hombres", sorted;
 * cols gives the positions of those seven fields in res. Rows with no
 * fichas are left out (a cell can be kept at zero). */
static char **filas(const PGresult *res, const int cols[7], size_t *n)
{
    int nt = PQntuples(res);
    char **v = calloc((size_t)nt + 1, sizeof *v);
    size_t k = 0;
    for (int r = 0; r < nt; r++) {
        if (!strcmp(PQgetvalue(res, r, cols[2]), "0"))
            continue;
        strbuf b;
        strbuf_init(&b);
        for (int c = 0; c < 7; c++)
            strbuf_printf(&b, "%s%s", c ? "|" : "", PQgetvalue(res, r, cols[c]));
        v[k++] = b.data;
    }
    qsort(v, k, sizeof *v, cmp_str);
    *n = k;
    return v;
}

static void filas_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static double comando(const opciones *o, const char *por)
{
    char *argv[] = {(char *)o->pmm, "totales", "--ejercicio", "2018-2027", "--por",
                    (char *)por, "--formato", "csv", NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    double t0 = bench_ahora();
    pid_t pid;
    if (posix_spawn(&pid, o->pmm, &fa, NULL, argv, environ) != 0) {
        perror("bench_consultas: posix_spawn");
        exit(1);
    }
    int st;
    waitpid(pid, &st, 0);
    double t = bench_ahora() - t0;
    posix_spawn_file_actions_destroy(&fa);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "bench_consultas: pmm totales --por %s falló\n", por);
        exit(1);
    }
    return t * 1000;
}

/* Runs `pmm ARGS` with output to /dev/null; milliseconds, exits when it
 * fails. */
static double pmm_ms(const opciones *o, char *const *args)
{
    char *argv[24];
    size_t n = 0;
    argv[n++] = (char *)o->pmm;
    for (; args[n - 1] && n < 23; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    double t0 = bench_ahora();
    pid_t pid;
    if (posix_spawn(&pid, o->pmm, &fa, NULL, argv, environ) != 0) {
        perror("bench_consultas: posix_spawn");
        exit(1);
    }
    int st;
    waitpid(pid, &st, 0);
    double t = bench_ahora() - t0;
    posix_spawn_file_actions_destroy(&fa);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "bench_consultas: pmm %s %s %s falló\n", args[0], args[1], args[2]);
        exit(1);
    }
    return t * 1000;
}

/* `pmm fichas` at scale: the first page of a filtered list (the table
 * form, as an analyst asks it), and two-word searches, each the whole
 * command. Prints a line per case and returns the worst p99 of each kind
 * in p99[0] (lists) and p99[1], p99[2] (searches over one year, over the
 * whole range). */
static void medir_fichas(const opciones *o, PGconn *adm, double p99[3])
{
    char sigla[64] = "SRE";
    PGresult *r = PQexec(adm, "SELECT dependencia FROM agregados WHERE ambito = 'federal'"
                              " GROUP BY 1 ORDER BY count(*) DESC LIMIT 1");
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
        snprintf(sigla, sizeof sigla, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    char *listas[][10] = {
        {"fichas", "--ejercicio", "2022", "--objetivo", "13", NULL},
        {"fichas", "--ejercicio", "2022", "--ods", "10", NULL},
        {"fichas", "--ejercicio", "2018-2027", "--dependencia", sigla, "--objetivo", "7", NULL},
        {"fichas", "--ejercicio", "2022", "--entidad", "07", "--eje", "1", NULL},
        {"fichas", "--ejercicio", "2020", "--subtema", "salud", NULL},
        {"fichas", "--ejercicio", "2024", "--ambito", "estatal", NULL},
    };
    static const char *const consultas[] = {"repatriación niñas", "salud migrantes",
                                            "atención consular", "trabajadores temporales",
                                            "protección infancia"};
    double *t = calloc((size_t)o->iter_cmd, sizeof *t);
    p99[0] = p99[1] = p99[2] = 0;
    printf("%-58s %9s %9s\n", "pmm fichas (comando completo, primera página)", "p50", "p99");
    for (size_t c = 0; c < sizeof listas / sizeof listas[0]; c++) {
        for (int i = 0; i < 3; i++)
            pmm_ms(o, listas[c]);
        for (int i = 0; i < o->iter_cmd; i++)
            t[i] = pmm_ms(o, listas[c]);
        double a = bench_percentil(t, (size_t)o->iter_cmd, 50);
        double b = bench_percentil(t, (size_t)o->iter_cmd, 99);
        char nombre[160] = "";
        for (int k = 1; listas[c][k]; k++)
            snprintf(nombre + strlen(nombre), sizeof nombre - strlen(nombre), "%s ",
                     listas[c][k]);
        printf("%-58s %7.2fms %7.2fms\n", nombre, a, b);
        if (b > p99[0])
            p99[0] = b;
    }
    for (int rango = 0; rango < 2; rango++)
        for (size_t c = 0; c < sizeof consultas / sizeof consultas[0]; c++) {
            char *args[] = {"fichas", "--ejercicio", rango ? "2018-2027" : "2022", "--buscar",
                            (char *)consultas[c], NULL};
            for (int i = 0; i < 3; i++)
                pmm_ms(o, args);
            for (int i = 0; i < o->iter_cmd; i++)
                t[i] = pmm_ms(o, args);
            double a = bench_percentil(t, (size_t)o->iter_cmd, 50);
            double b = bench_percentil(t, (size_t)o->iter_cmd, 99);
            char nombre[160];
            snprintf(nombre, sizeof nombre, "--ejercicio %s --buscar \"%s\"", args[2],
                     consultas[c]);
            printf("%-58s %7.2fms %7.2fms\n", nombre, a, b);
            if (b > p99[1 + rango])
                p99[1 + rango] = b;
        }
    free(t);
}

static int medir(opciones *o)
{
    setenv("PMM_CONF", o->conf_path, 1);
    const char *lectura = conf_str(o->conf, "postgresql", "lectura");
    PGconn *q = bench_conectar(lectura ? lectura : conf_conninfo(o->conf, NULL),
                               "pmm-bench-consultas");
    PGconn *adm = bench_conectar(conf_conninfo(o->conf, NULL),
                                 "pmm-bench-groupby");
    /* the whole database, not only totales: the recompute has just
     * rewritten agregados (a million dead rows), and autovacuum working
     * through them during the measurement showed up as p99 spikes */
    bench_exec(adm, "VACUUM ANALYZE");
    /* and the load's dirty pages written out now, not by the checkpointer
     * in the middle of the measurement */
    bench_exec(adm, "CHECKPOINT");
    long long nf = bench_ll(adm, "SELECT count(*) FROM fichas");
    long long nc = bench_ll(adm, "SELECT count(*) FROM totales");
    printf("consultas: %lld fichas, %lld celdas en totales; rango %d-%d, todas las fichas\n",
           nf, nc, DESDE, HASTA);
    printf("%-12s %10s %10s %10s %10s %12s %9s\n", "agrupación", "cons.p50", "cons.p99",
           "cmd.p50", "cmd.p99", "GROUP BY", "veces");
    double *tq = calloc((size_t)o->iter, sizeof *tq);
    double *tc = calloc((size_t)o->iter_cmd, sizeof *tc);
    double *tg = calloc((size_t)o->iter_groupby, sizeof *tg);
    double max_q50 = 0, max_q99 = 0, max_c50 = 0, max_c99 = 0, min_g = 1e18, min_ratio = 1e18;
    int mal = 0;
    for (size_t g = 0; g < NGRUPOS; g++) {
        const char *dim = grupos[g].por;
        /* the query itself, as the CLI runs it (ods needs ods_total too) */
        bench_exec(q, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        /* a few untimed runs first, as for the command below */
        for (int i = 0; i < 20; i++)
            PQclear(leer(q, dim));
        for (int i = 0; i < o->iter; i++) {
            double t0 = bench_ahora();
            PGresult *res = leer(q, dim);
            long long sum = 0;
            for (int r = 0; r < PQntuples(res); r++)
                sum += atoll(PQgetvalue(res, r, 2));
            PQclear(res);
            if (!strcmp(dim, "ods"))
                PQclear(leer(q, "ods_total"));
            tq[i] = (bench_ahora() - t0) * 1000;
            (void)sum;
        }
        bench_exec(q, "COMMIT");
        double q50 = bench_percentil(tq, (size_t)o->iter, 50);
        double q99 = bench_percentil(tq, (size_t)o->iter, 99);
        /* the whole command, after a few untimed runs */
        for (int i = 0; i < 3; i++)
            comando(o, dim);
        for (int i = 0; i < o->iter_cmd; i++)
            tc[i] = comando(o, dim);
        double c50 = bench_percentil(tc, (size_t)o->iter_cmd, 50);
        double c99 = bench_percentil(tc, (size_t)o->iter_cmd, 99);
        /* brute force, and the check that it is the same answer */
        char desde[8], hasta[8];
        snprintf(desde, sizeof desde, "%d", DESDE);
        snprintf(hasta, sizeof hasta, "%d", HASTA);
        const char *params[] = {desde, hasta};
        PGresult *bf = NULL;
        for (int i = 0; i < o->iter_groupby; i++) {
            PQclear(bf);
            double t0 = bench_ahora();
            bf = PQexecParams(adm, grupos[g].groupby, 2, NULL, params, NULL, NULL, 0);
            tg[i] = (bench_ahora() - t0) * 1000;
            if (PQresultStatus(bf) != PGRES_TUPLES_OK) {
                fprintf(stderr, "bench_consultas: %s", PQerrorMessage(adm));
                return 1;
            }
        }
        double gm = bench_percentil(tg, (size_t)o->iter_groupby, 50);
        PGresult *tr = leer(q, dim);
        static const int ct[7] = {0, 1, 2, 3, 4, 5, 6}, cb[7] = {1, 0, 2, 3, 4, 5, 6};
        size_t na, nb;
        char **a = filas(tr, ct, &na), **b = filas(bf, cb, &nb);
        int igual = na == nb;
        for (size_t i = 0; igual && i < na; i++)
            igual = !strcmp(a[i], b[i]);
        if (!igual) {
            fprintf(stderr, "bench_consultas: --por %s: totales (%zu filas) y GROUP BY (%zu filas)"
                            " no coinciden\n", dim, na, nb);
            mal = 1;
        }
        filas_free(a, na);
        filas_free(b, nb);
        PQclear(tr);
        PQclear(bf);
        double ratio = gm / q99;
        printf("%-12s %8.3fms %8.3fms %8.2fms %8.2fms %10.1fms %8.0fx%s\n", dim, q50, q99, c50,
               c99, gm, ratio, igual ? "" : "  DIFIEREN");
        fflush(stdout);
        if (q50 > max_q50) max_q50 = q50;
        if (q99 > max_q99) max_q99 = q99;
        if (c50 > max_c50) max_c50 = c50;
        if (c99 > max_c99) max_c99 = c99;
        if (gm < min_g) min_g = gm;
        if (ratio < min_ratio) min_ratio = ratio;
    }
    printf("(veces = mediana del GROUP BY / p99 de la consulta; por fila el peor caso)\n");
    double fp99[3];
    medir_fichas(o, adm, fp99);
    printf("BENCH fichas_p99_ms=%.2f buscar_anio_p99_ms=%.2f buscar_rango_p99_ms=%.2f\n",
           fp99[0], fp99[1], fp99[2]);
    printf("BENCH fichas_consultas=%lld query_p50_ms=%.3f query_p99_ms=%.3f command_p50_ms=%.2f"
           " command_p99_ms=%.2f groupby_ms=%.1f ratio_groupby=%.0f totales_iguales=%s\n",
           nf, max_q50, max_q99, max_c50, max_c99, min_g, min_ratio, mal ? "no" : "si");
    free(tq);
    free(tc);
    free(tg);
    PQfinish(q);
    PQfinish(adm);
    return mal;
}

static void usage(void)
{
    fprintf(stderr, "uso: bench_consultas cargar --config PMM_CONF --n N [--pool P]\n"
                    "     bench_consultas medir --config PMM_CONF --pmm RUTA [--iter I]\n"
                    "                     [--iter-cmd C] [--iter-groupby G]\n");
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
                                         {"n", required_argument, NULL, 'n'},
                                         {"pool", required_argument, NULL, 'P'},
                                         {"pmm", required_argument, NULL, 'p'},
                                         {"iter", required_argument, NULL, 'i'},
                                         {"iter-cmd", required_argument, NULL, 'C'},
                                         {"iter-groupby", required_argument, NULL, 'g'},
                                         {NULL, 0, NULL, 0}};
    if (argc < 2) {
        usage();
        return 2;
    }
    const char *fase = argv[1];
    opciones o = {.n = 1000000, .pool = 2000, .pmm = "pmm", .iter = 1000, .iter_cmd = 50,
                  .iter_groupby = 3};
    int opt;
    optind = 2;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (opt) {
        case 'c': o.conf_path = optarg; break;
        case 'n': o.n = strtoull(optarg, NULL, 10); break;
        case 'P': o.pool = strtoull(optarg, NULL, 10); break;
        case 'p': o.pmm = optarg; break;
        case 'i': o.iter = atoi(optarg); break;
        case 'C': o.iter_cmd = atoi(optarg); break;
        case 'g': o.iter_groupby = atoi(optarg); break;
        default: usage(); return 2;
        }
    }
    if (!o.conf_path || o.n == 0 || o.pool == 0 || o.iter < 1 || o.iter_cmd < 1 ||
        o.iter_groupby < 1) {
        usage();
        return 2;
    }
    pmm_error err;
    pmm_error_clear(&err);
    o.conf = conf_load(o.conf_path, CONF_TODOS, db_conninfo_check, &err);
    if (!o.conf) {
        fprintf(stderr, "bench_consultas: %s\n", err.mensaje);
        return 2;
    }
    int rc;
    if (!strcmp(fase, "cargar"))
        rc = cargar(&o);
    else if (!strcmp(fase, "medir"))
        rc = medir(&o);
    else {
        usage();
        rc = 2;
    }
    conf_destroy(&o.conf);
    return rc;
}
