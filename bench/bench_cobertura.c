/* bench_cobertura -- `pmm cobertura` at scale (issue 18).
 *
 * Runs after bench_consultas has loaded M fichas over 2018-2027 and the
 * recompute has built the totals (bench/run.sh). Sets up, as the
 * administrator: `actividad` from the loaded fichas (ingestd keeps it as it
 * stores fichas; the load bypassed it), a call per year (deadline June 30,
 * 10 days of grace) naming the 100 bodies with the most fichas that year
 * (at most 100 of the bodies in the roster), and one delivery for about
 * 85 % of them, one in five after the deadline. Then measures, for each
 * year in turn:
 *   query    p50/p99 of the rates' SQL (pmm_cobertura and the missing
 *            bodies from pmm_seguimiento, as the pmm_consulta role);
 *   command  p50/p99 of `pmm cobertura --ejercicio Y --formato json`;
 *   baseline the median of the same terms counted straight from `fichas`
 *            and `entregas` (GROUP BY over the year's fichas, no
 *            `actividad`, no `totales`), checked equal to what pmm
 *            cobertura printed.
 *
 * Uso: bench_cobertura --config PMM_CONF --pmm RUTA [--iter I] [--iter-cmd C]
 * Prints a summary and, last, "BENCH key=value ...".
 */
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_comun.h"
#include "db.h"

extern char **environ;

#define DESDE 2018
#define HASTA 2027
#define CUERPOS 100

static const char PREPARAR[] =
    "INSERT INTO actividad (ejercicio, emisor, versiones, ultima)"
    " SELECT ejercicio, emisor, count(*), max(recibida) FROM fichas"
    "  GROUP BY ejercicio, emisor"
    " ON CONFLICT (ejercicio, emisor) DO UPDATE"
    "   SET versiones = EXCLUDED.versiones, ultima = EXCLUDED.ultima;"
    "INSERT INTO convocatorias (ejercicio, limite, gracia, zona, abierta_por)"
    " SELECT y, make_date(y, 6, 30), 10, 'America/Mexico_City', 'bench'"
    "   FROM generate_series(2018, 2027) y ON CONFLICT DO NOTHING;"
    "INSERT INTO convocados (ejercicio, emisor)"
    " SELECT ejercicio, emisor FROM"
    "  (SELECT a.ejercicio, a.emisor, row_number() OVER (PARTITION BY a.ejercicio"
    "          ORDER BY a.versiones DESC, a.emisor) AS k"
    "     FROM actividad a JOIN padron p USING (emisor)"
    "    WHERE a.ejercicio BETWEEN 2018 AND 2027) x"
    "  WHERE k <= 100 ON CONFLICT DO NOTHING;"
    /* about 85 % deliver (by a hash of the body and year), one in five of
     * them late; the delivery is recorded after the fichas */
    "INSERT INTO entregas (ejercicio, emisor, momento, fichas, identidad, analista)"
    " SELECT c.ejercicio, c.emisor,"
    "        make_date(c.ejercicio, 6, 30)::timestamptz"
    "          + CASE WHEN h % 5 = 0 THEN interval '20 days' ELSE interval '-3 days' END,"
    "        1, 'local', 'bench'"
    "   FROM (SELECT c.*, abs(hashtext(c.emisor || c.ejercicio)) AS h FROM convocados c) c"
    "  WHERE c.h % 100 < 85"
    "    AND NOT EXISTS (SELECT 1 FROM entregas e WHERE e.ejercicio = c.ejercicio"
    "                      AND e.emisor = c.emisor)";

/* The terms counted straight from the raw tables: expected = called bodies
 * active on the deadline; delivered = with a delivery; on time = the first
 * one before the end of the deadline plus grace. (The bench has no
 * renames, reopenings or deliveries without actions.) */
static const char BRUTO[] =
    "WITH c AS (SELECT * FROM convocatorias WHERE ejercicio = $1::int),"
    " esp AS (SELECT k.emisor FROM convocados k JOIN padron p USING (emisor), c"
    "          WHERE k.ejercicio = c.ejercicio AND p.activo_desde <= c.limite"
    "            AND (p.activo_hasta IS NULL OR p.activo_hasta >= c.limite)),"
    " f AS (SELECT emisor, count(*) AS n FROM fichas WHERE ejercicio = $1::int"
    "        GROUP BY emisor),"
    " e AS (SELECT emisor, min(momento) AS primera FROM entregas"
    "        WHERE ejercicio = $1::int GROUP BY emisor)"
    " SELECT count(*), count(e.emisor),"
    "        count(*) FILTER (WHERE e.primera < (c.limite + c.gracia + 1)::timestamp"
    "                                             AT TIME ZONE c.zona),"
    "        sum(coalesce(f.n, 0))"
    "   FROM esp CROSS JOIN c LEFT JOIN e USING (emisor) LEFT JOIN f USING (emisor)";

static double comando(const char *pmm, int anio, char **salida)
{
    char y[8], tmp[] = "/tmp/bench_cobertura.XXXXXX";
    snprintf(y, sizeof y, "%d", anio);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        perror("bench_cobertura: mkstemp");
        exit(1);
    }
    char *argv[] = {(char *)pmm, "cobertura", "--ejercicio", y, "--formato", "json", NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fd, 1);
    double t0 = bench_ahora();
    pid_t pid;
    if (posix_spawn(&pid, pmm, &fa, NULL, argv, environ) != 0) {
        perror("bench_cobertura: posix_spawn");
        exit(1);
    }
    int st;
    waitpid(pid, &st, 0);
    double t = bench_ahora() - t0;
    posix_spawn_file_actions_destroy(&fa);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "bench_cobertura: pmm cobertura --ejercicio %d falló\n", anio);
        exit(1);
    }
    if (salida) {
        FILE *f = fdopen(fd, "r");
        rewind(f);
        size_t cap = 1 << 20, n = 0;
        *salida = malloc(cap);
        n = fread(*salida, 1, cap - 1, f);
        (*salida)[n] = '\0';
        fclose(f);
    } else {
        close(fd);
    }
    unlink(tmp);
    return t * 1000;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
                                         {"pmm", required_argument, NULL, 'p'},
                                         {"iter", required_argument, NULL, 'i'},
                                         {"iter-cmd", required_argument, NULL, 'C'},
                                         {NULL, 0, NULL, 0}};
    const char *conf_path = NULL, *pmm = "pmm";
    int iter = 500, iter_cmd = 50, opt;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (opt) {
        case 'c': conf_path = optarg; break;
        case 'p': pmm = optarg; break;
        case 'i': iter = atoi(optarg); break;
        case 'C': iter_cmd = atoi(optarg); break;
        default: goto uso;
        }
    }
    if (!conf_path || iter < 1 || iter_cmd < 1) {
    uso:
        fprintf(stderr, "uso: bench_cobertura --config PMM_CONF --pmm RUTA [--iter I] "
                        "[--iter-cmd C]\n");
        return 2;
    }
    pmm_error err;
    pmm_error_clear(&err);
    pmm_conf *conf = conf_load(conf_path, CONF_TODOS, db_conninfo_check, &err);
    if (!conf) {
        fprintf(stderr, "bench_cobertura: %s\n", err.mensaje);
        return 2;
    }
    setenv("PMM_CONF", conf_path, 1);
    const char *lectura = conf_str(conf, "postgresql", "lectura");
    PGconn *adm = bench_conectar(conf_conninfo(conf, NULL), "pmm-bench-cobertura");
    PGconn *q = bench_conectar(lectura ? lectura : conf_conninfo(conf, NULL),
                               "pmm-bench-cobertura");
    double t0 = bench_ahora();
    bench_exec(adm, PREPARAR);
    /* each on its own: VACUUM cannot run inside a transaction */
    bench_exec(adm, "VACUUM ANALYZE actividad");
    bench_exec(adm, "VACUUM ANALYZE convocados");
    bench_exec(adm, "VACUUM ANALYZE entregas");
    printf("cobertura: preparación (actividad, 10 convocatorias, entregas) %.1f s; "
           "%lld fichas, %lld cuerpos convocados, %lld entregas\n",
           bench_ahora() - t0, bench_ll(adm, "SELECT count(*) FROM fichas"),
           bench_ll(adm, "SELECT count(*) FROM convocados"),
           bench_ll(adm, "SELECT count(*) FROM entregas"));

    double *tq = calloc((size_t)iter, sizeof *tq), *tc = calloc((size_t)iter_cmd, sizeof *tc);
    double tb[HASTA - DESDE + 1];
    int mal = 0;
    for (int i = 0; i < 20; i++)
        comando(pmm, DESDE + i % 10, NULL);
    for (int i = 0; i < iter; i++) {
        char y[8];
        snprintf(y, sizeof y, "%d", DESDE + i % (HASTA - DESDE + 1));
        const char *p[] = {y};
        double s = bench_ahora();
        PGresult *r1 = PQexecParams(q, "SELECT * FROM pmm_cobertura($1::int)", 1, NULL, p,
                                    NULL, NULL, 0);
        PGresult *r2 = PQexecParams(q,
                                    "SELECT emisor, estado FROM pmm_seguimiento($1::int)"
                                    " WHERE esperado AND estado IN ('sin_iniciar', 'en_captura')",
                                    1, NULL, p, NULL, NULL, 0);
        tq[i] = (bench_ahora() - s) * 1000;
        if (PQresultStatus(r1) != PGRES_TUPLES_OK || PQresultStatus(r2) != PGRES_TUPLES_OK) {
            fprintf(stderr, "bench_cobertura: %s", PQerrorMessage(q));
            return 1;
        }
        PQclear(r1);
        PQclear(r2);
    }
    for (int i = 0; i < iter_cmd; i++)
        tc[i] = comando(pmm, DESDE + i % (HASTA - DESDE + 1), NULL);
    /* the baseline, and the check that pmm cobertura printed the same */
    for (int y = DESDE; y <= HASTA; y++) {
        char ys[8];
        snprintf(ys, sizeof ys, "%d", y);
        const char *p[] = {ys};
        double s = bench_ahora();
        PGresult *b = PQexecParams(adm, BRUTO, 1, NULL, p, NULL, NULL, 0);
        tb[y - DESDE] = (bench_ahora() - s) * 1000;
        if (PQresultStatus(b) != PGRES_TUPLES_OK) {
            fprintf(stderr, "bench_cobertura: %s", PQerrorMessage(adm));
            return 1;
        }
        char *out = NULL;
        comando(pmm, y, &out);
        json_error_t je;
        json_t *j = json_loads(out, 0, &je);
        long long esp = json_integer_value(json_object_get(j, "esperados"));
        long long ent = json_integer_value(json_object_get(j, "entregaron"));
        long long at = json_integer_value(json_object_get(j, "a_tiempo"));
        double tasa = json_real_value(json_object_get(j, "tasa"));
        if (!j || esp != atoll(PQgetvalue(b, 0, 0)) || ent != atoll(PQgetvalue(b, 0, 1)) ||
            at != atoll(PQgetvalue(b, 0, 2)) || tasa > 1.0) {
            fprintf(stderr, "bench_cobertura: %d: pmm cobertura %lld/%lld/%lld, directo %s/%s/%s\n",
                    y, esp, ent, at, PQgetvalue(b, 0, 0), PQgetvalue(b, 0, 1),
                    PQgetvalue(b, 0, 2));
            mal = 1;
        }
        json_decref(j);
        free(out);
        PQclear(b);
    }
    double q50 = bench_percentil(tq, (size_t)iter, 50), q99 = bench_percentil(tq, (size_t)iter, 99);
    double c50 = bench_percentil(tc, (size_t)iter_cmd, 50);
    double c99 = bench_percentil(tc, (size_t)iter_cmd, 99);
    double bm = bench_percentil(tb, HASTA - DESDE + 1, 50);
    printf("%-10s %10s %10s\n", "", "p50", "p99");
    printf("%-10s %8.3fms %8.3fms\n", "consulta", q50, q99);
    printf("%-10s %8.2fms %8.2fms\n", "comando", c50, c99);
    printf("directo (GROUP BY de fichas y entregas): mediana %.1f ms, %.1f veces la consulta p99%s\n",
           bm, bm / q99, mal ? "; NO COINCIDE" : "; mismas cifras");
    printf("BENCH cobertura_query_p50_ms=%.3f cobertura_query_p99_ms=%.3f"
           " cobertura_command_p50_ms=%.2f cobertura_command_p99_ms=%.2f"
           " cobertura_directo_ms=%.1f cobertura_ratio=%.1f cobertura_iguales=%s\n",
           q50, q99, c50, c99, bm, bm / q99, mal ? "no" : "si");
    free(tq);
    free(tc);
    PQfinish(q);
    PQfinish(adm);
    conf_destroy(&conf);
    return mal;
}
