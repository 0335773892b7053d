/* pmm reclasificar --ejercicio Y [--aplicar] [--taxonomia T]
 *
 * Runs the current classifier over the year's counted fichas and shows how
 * the totals per axis, sub-topic and SDG would change. Analyst decisions
 * still win, so fichas with a decision do not move. Dry run by default;
 * --aplicar stores the new classifications (as new rows: nothing is
 * overwritten) and queues the fichas for aggregation.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clasif_db.h"
#include "analista.h"
#include "clasificador.h"
#include "commands.h"
#include "opciones.h"
#include "db.h"

#define NCELLS 64

typedef struct {
    char key[48];        /* "eje 1", "subtema salud", "ODS 10" */
    long before, after;
} cell;

typedef struct {
    cell cells[NCELLS * 3];
    size_t n;
} diff_table;

static cell *cell_get(diff_table *t, const char *key)
{
    for (size_t i = 0; i < t->n; i++)
        if (!strcmp(t->cells[i].key, key))
            return &t->cells[i];
    if (t->n == sizeof t->cells / sizeof t->cells[0])
        return NULL;
    cell *c = &t->cells[t->n++];
    snprintf(c->key, sizeof c->key, "%s", key);
    c->before = c->after = 0;
    return c;
}

static void count(diff_table *t, const char *key, int after)
{
    cell *c = cell_get(t, key);
    if (c) {
        if (after)
            c->after++;
        else
            c->before++;
    }
}

/* Counts "eje N", "subtema X" and one "ODS n" per SDG in an int array text. */
static void count_effective(diff_table *t, const char *eje, const char *subtema,
                            const char *ods_csv, int after)
{
    char key[48];
    snprintf(key, sizeof key, "eje %s", eje);
    count(t, key, after);
    snprintf(key, sizeof key, "subtema %s", subtema);
    count(t, key, after);
    char *list = strdup(ods_csv), *save = NULL;
    for (char *o = strtok_r(list, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
        snprintf(key, sizeof key, "ODS %s", o);
        count(t, key, after);
    }
    free(list);
}

static int cmp_cell(const void *a, const void *b)
{
    const cell *x = a, *y = b;
    return strcmp(x->key, y->key);
}

int cmd_reclasificar(int argc, char **argv, pmm_conf *conf)
{
    static const struct option opts[] = {{"ejercicio", required_argument, NULL, 'e'},
                                         {"aplicar", no_argument, NULL, 'a'},
                                         {"taxonomia", required_argument, NULL, 't'},
                                         {"modelo", required_argument, NULL, 'm'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int apply = 0, opt;
    long year = 0;
    const char *taxonomia = conf_str(conf, "clasificador", "taxonomia");
    const char *modelo = conf_str(conf, "clasificador", "modelo");
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        char *end;
        switch (opt) {
        case 'e':
            year = strtol(optarg, &end, 10);
            if (*end || year < 2018 || year > 2100) {
                fprintf(stderr, "pmm reclasificar: --ejercicio debe ser un año desde 2018, "
                                "no «%s»\n", optarg);
                return EXIT_USO;
            }
            break;
        case 'a': apply = 1; break;
        case 't': taxonomia = optarg; break;
        case 'm': modelo = optarg; break;
        case 'h':
            printf("Uso: pmm reclasificar --ejercicio AÑO [--aplicar] [--taxonomia T]\n"
                   "                        [--modelo ARCHIVO]\n\n"
                   "Vuelve a clasificar las fichas contadas del ejercicio con el\n"
                   "clasificador actual y muestra cómo cambiarían los totales por eje,\n"
                   "subtema y ODS. Sin --aplicar no cambia nada. Las decisiones de los\n"
                   "analistas siempre prevalecen.\n\n"
                   "Opciones:\n"
                   "  --ejercicio AÑO    el ejercicio que se reclasifica (obligatorio)\n"
                   "  --aplicar          guarda las clasificaciones nuevas (como filas\n"
                   "                     nuevas: nada se sobrescribe) y actualiza los\n"
                   "                     totales\n"
                   "  --taxonomia T      taxonomía de ejes (por omisión [clasificador]\n"
                   "                     taxonomia)\n"
                   "  --modelo ARCHIVO   otro modelo (pmm entrenar -o); por omisión\n"
                   "                     [clasificador] modelo o modelo.txt del directorio\n"
                   "                     de datos\n"
                   "  -h, --help         muestra esta ayuda\n\n"
                   "Ejemplos:\n"
                   "  pmm reclasificar --ejercicio 2023 --modelo modelo-2023.txt\n"
                   "  pmm reclasificar --ejercicio 2023 --modelo modelo-2023.txt --aplicar\n");
            return 0;
        default: return cli_opcion_mala("reclasificar", opt, argv);
        }
    }
    if (optind != argc)
        return cli_argumento_sobrante("reclasificar", argv[optind]);
    if (!year) {
        fprintf(stderr, "pmm reclasificar: indique --ejercicio AÑO; vea pmm reclasificar "
                        "--help\n");
        return EXIT_USO;
    }
    pmm_error err;
    pmm_error_clear(&err);
    clasificador *clf = clasificador_new(conf_data_dir(conf), &err);
    if (!clf) {
        fprintf(stderr, "pmm reclasificar: %s\n", err.mensaje);
        return EXIT_USO;
    }
    if (clasificador_cargar_modelo(clf, modelo, &err) != 0) {
        fprintf(stderr, "pmm reclasificar: modelo: %s\n", err.mensaje);
        clasificador_destroy(&clf);
        return EXIT_USO;
    }
    /* the year's taxonomy unless one is forced (--taxonomia or the key) */
    if (!taxonomia || !*taxonomia)
        taxonomia = clasificador_taxonomia_de(clf, (int)year);
    if (!clasificador_tiene_taxonomia(clf, taxonomia)) {
        fprintf(stderr, "pmm reclasificar: --taxonomia «%s» no existe en los datos\n", taxonomia);
        clasificador_destroy(&clf);
        return EXIT_USO;
    }
    PGconn *db = db_connect(conf_conninfo(conf, NULL), "pmm-reclasificar", &err);
    if (!db) {
        fprintf(stderr, "pmm reclasificar: %s\n", err.mensaje);
        clasificador_destroy(&clf);
        return EXIT_USO;
    }
    char ybuf[16];
    snprintf(ybuf, sizeof ybuf, "%ld", year);
    const char *params[] = {ybuf};
    PGresult *res = PQexecParams(
        db,
        "SELECT " CLASIF_DB_COLUMNS ", a.eje, a.subtema, array_to_string(a.ods, ','),"
        "       a.decision_id IS NOT NULL, d.eje, d.subtema, array_to_string(d.ods, ','),"
        "       d.ods IS NOT NULL"
        "  FROM agregados a JOIN fichas f ON f.id = a.ficha_id"
        "  LEFT JOIN decisiones d ON d.id = a.decision_id"
        " WHERE a.ejercicio = $1::int ORDER BY f.id",
        1, NULL, params, NULL, NULL, 0);
    int rc = EXIT_USO;
    strbuf rows;
    strbuf_init(&rows);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(db, res, "consulta fallida", &err);
        fprintf(stderr, "pmm reclasificar: %s\n", err.mensaje);
        goto out;
    }
    diff_table t = {.n = 0};
    int n = PQntuples(res), moved = 0;
    for (int r = 0; r < n; r++) {
        clasif_entrada in;
        clasif_resultado out;
        int64_t id = clasif_db_entrada(res, r, &in);
        if (clasificador_classify(clf, &in, taxonomia, &out, &err) != 0) {
            fprintf(stderr, "pmm reclasificar: ficha %lld: %s\n", (long long)id, err.mensaje);
            goto out;
        }
        clasif_db_copy_row(&rows, id, &out);
        count_effective(&t, PQgetvalue(res, r, 13), PQgetvalue(res, r, 14),
                        PQgetvalue(res, r, 15), 0);
        int decided = PQgetvalue(res, r, 16)[0] == 't';
        int dec_sub = decided && !PQgetisnull(res, r, 18);
        int dec_ods = decided && PQgetvalue(res, r, 20)[0] == 't';
        char eje[8], ods[64] = "";
        snprintf(eje, sizeof eje, "%d", out.subtema.eje);
        size_t off = 0;
        for (size_t i = 0; out.con_resultados && i < out.nods; i++)
            off += (size_t)snprintf(ods + off, sizeof ods - off, "%s%d", i ? "," : "",
                                    out.ods[i].numero);
        const char *new_eje = dec_sub ? PQgetvalue(res, r, 17) : eje;
        const char *new_sub = dec_sub ? PQgetvalue(res, r, 18) : out.subtema.codigo;
        const char *new_ods = dec_ods ? PQgetvalue(res, r, 19) : ods;
        count_effective(&t, new_eje, new_sub, new_ods, 1);
        if (strcmp(new_sub, PQgetvalue(res, r, 14)) || strcmp(new_ods, PQgetvalue(res, r, 15)))
            moved++;
    }
    qsort(t.cells, t.n, sizeof t.cells[0], cmp_cell);
    printf("Ejercicio %ld: %d %s con %s (taxonomía %s); %d %s de subtema u ODS.\n",
           year, n, cli_plural(n, "ficha reclasificada", "fichas reclasificadas"),
           clasificador_version(clf), taxonomia, moved, cli_plural(moved, "cambiaría", "cambiarían"));
    printf("Una ficha puede contar en varios ODS; los ejes y subtemas suman %d.\n\n", n);
    printf("%-32s %8s %8s %8s\n", "GRUPO", "ANTES", "DESPUÉS", "CAMBIO");
    for (size_t i = 0; i < t.n; i++)
        if (t.cells[i].before != t.cells[i].after)
            printf("%-32s %8ld %8ld %+8ld\n", t.cells[i].key, t.cells[i].before,
                   t.cells[i].after, t.cells[i].after - t.cells[i].before);
    if (!apply) {
        printf("\nSimulación: no se guardó nada. Use --aplicar para guardar la nueva "
               "clasificación.\n");
        rc = 0;
        goto out;
    }
    /* Stored as new rows; the same classifier version twice adds nothing. */
    if (db_exec(db, "BEGIN", &err) ||
        db_exec(db, "CREATE TEMP TABLE r_clas (LIKE clasificaciones INCLUDING DEFAULTS)"
                    " ON COMMIT DROP", &err) ||
        db_copy_in(db,
                   "COPY r_clas (ficha_id, version_clasificador, taxonomia, eje, subtema,"
                   " subtemas, ods, metas, retos, con_resultados, confianza, evidencia)"
                   " FROM STDIN",
                   rows.data, rows.len, &err) ||
        db_exec(db, "INSERT INTO clasificaciones (ficha_id, version_clasificador,"
                    " taxonomia, eje, subtema, subtemas, ods, metas, retos,"
                    " con_resultados, confianza, evidencia)"
                    " SELECT ficha_id, version_clasificador, taxonomia, eje, subtema,"
                    " subtemas, ods, metas, retos, con_resultados, confianza, evidencia"
                    " FROM r_clas ON CONFLICT (ficha_id, version_clasificador) DO NOTHING",
                &err) ||
        db_exec(db, "SELECT pmm_encolar_agregacion(array_agg(ficha_id ORDER BY ficha_id))"
                    " FROM r_clas", &err) ||
        db_exec(db, "COMMIT", &err)) {
        fprintf(stderr, "pmm reclasificar: %s\n", err.mensaje);
        pmm_error ignored;
        db_exec(db, "ROLLBACK", &ignored);
        goto out;
    }
    printf("\nNueva clasificación guardada; aggregd actualiza los totales en segundos.\n");
    analista_aviso_cierre(db, "pmm reclasificar", (int)year, 0, conf_zona_horaria(conf));
    rc = 0;
out:
    strbuf_free(&rows);
    PQclear(res);
    PQfinish(db);
    clasificador_destroy(&clf);
    return rc;
}
