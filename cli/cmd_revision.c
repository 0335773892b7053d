/* pmm revision -- the analysts' review of classifications.
 *
 *   pmm revision [--ejercicio Y] [--dependencia S | --entidad E] [--eje N]
 *                [--n 50] [--formato tabla|json]
 *       lists counted fichas by ascending classifier confidence;
 *   pmm revision fijar ID --subtema X [--ods 3,10] [--objetivo N]
 *                [--con-resultados si|no] [--nota "…"] [--analista NOMBRE]
 *       records an analyst decision on ficha ID (any of its versions); it
 *       wins over the classifier, survives reclassification and holds for
 *       later versions of the ficha;
 *   pmm revision exportar --ejercicio Y -o FILE
 *       writes the decisions in the labelled corpus format;
 *   pmm revision aprobar|observar ID ... (revision_estado.c)
 *       the review state of a ficha; the list filters by it with
 *       --estado-revision pendiente|aprobada|con_observaciones (then it
 *       reads v_contribuciones_todas, so that fichas the year's review
 *       setting leaves out of the totals can still be found).
 *   pmm revision importar FILE.csv
 *       records many decisions at once (revision_importar.c).
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analista.h"
#include "clasif_db.h"
#include "clasificador.h"
#include "commands.h"
#include "db.h"
#include "decisiones.h"
#include "revision_importar.h"
#include "revision_propuesta.h"
#include "opciones.h"
#include "refdata.h"
#include "revision_estado.h"
#include "strbuf.h"

static int parse_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* "3,10,16" -> "{3,10,16}" (validated 1..17, no repeats) */
static int parse_ods(const char *s, strbuf *arr)
{
    int seen[18] = {0};
    strbuf_puts(arr, "{");
    char *copy = strdup(s), *save = NULL;
    int n = 0, rc = 0;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        long v;
        if (parse_int(t, 1, 17, &v) != 0 || seen[v]) {
            rc = -1;
            break;
        }
        seen[v] = 1;
        strbuf_printf(arr, "%s%ld", n++ ? "," : "", v);
    }
    strbuf_puts(arr, "}");
    free(copy);
    return rc;
}

/* The ficha's year and, when subtema is given, the sub-topic's axis and
 * (unless the SDGs were decided too) the SDG proposal for it. */
typedef struct {
    int ejercicio;
    char eje[8];
    bool propuesta;
    strbuf ods, metas;
    char antes[64];       /* the SDGs counted before, "3, 10" */
    char taxonomia[32];
} fijar_ctx;

static int preparar(PGconn *db, pmm_conf *conf, long id, const char *subtema, bool con_ods,
                    const char *taxonomia, fijar_ctx *x, pmm_error *err)
{
    char idbuf[32];
    snprintf(idbuf, sizeof idbuf, "%ld", id);
    const char *params[] = {idbuf};
    PGresult *res = PQexecParams(db,
                                 "SELECT " CLASIF_DB_COLUMNS ", f.ejercicio,"
                                 "  (SELECT array_to_string(a.ods, ', ') FROM agregados a"
                                 "    WHERE a.emisor = f.emisor AND a.ejercicio = f.ejercicio"
                                 "      AND a.clave = f.clave)"
                                 " FROM fichas f WHERE f.id = $1::bigint",
                                 1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(db, res, "no se pudo leer la ficha", err);
        PQclear(res);
        return -1;
    }
    if (PQntuples(res) == 0) {
        PQclear(res);
        return pmm_error_set(err, 1, "ID", "no_existe", "no existe la ficha %ld", id);
    }
    x->ejercicio = atoi(PQgetvalue(res, 0, CLASIF_DB_NCOLS));
    snprintf(x->antes, sizeof x->antes, "%s", PQgetvalue(res, 0, CLASIF_DB_NCOLS + 1));
    int rc = 0;
    if (subtema) {
        clasificador *clf = clasificador_new(conf_data_dir(conf), err);
        if (!clf || clasificador_cargar_modelo(clf, conf_str(conf, "clasificador", "modelo"),
                                               err)) {
            clasificador_destroy(&clf);
            PQclear(res);
            return -1;
        }
        if (!taxonomia)
            taxonomia = clasificador_taxonomia_de(clf, x->ejercicio);
        snprintf(x->taxonomia, sizeof x->taxonomia, "%s", taxonomia);
        const char *codes[64];
        int ejes[64];
        size_t n = clasificador_subtemas(clf, taxonomia, codes, ejes, 64);
        for (size_t i = 0; i < n; i++)
            if (!strcmp(codes[i], subtema))
                snprintf(x->eje, sizeof x->eje, "%d", ejes[i]);
        if (!x->eje[0]) {
            strbuf v;
            strbuf_init(&v);
            for (size_t i = 0; i < n; i++)
                strbuf_printf(&v, "%s%s", i ? ", " : "", codes[i]);
            rc = pmm_error_set(err, 1, "--subtema", "desconocido",
                               "--subtema «%s» no existe en la taxonomía %s (la del "
                               "ejercicio %d); los subtemas válidos son: %s",
                               subtema, taxonomia, x->ejercicio, v.data ? v.data : "");
            strbuf_free(&v);
        } else if (!con_ods) {
            /* the SDGs follow the decided sub-topic (issue 23): the
             * classifier's rule applied to it, stored as a proposal */
            rc = revision_propuesta(clf, res, 0, x->ejercicio, taxonomia, subtema, &x->ods,
                                    &x->metas, err);
            x->propuesta = rc == 0;
        }
        clasificador_destroy(&clf);
    }
    PQclear(res);
    return rc;
}

static void ayuda_fijar(void)
{
    printf("Uso: pmm revision fijar ID [--subtema CÓDIGO] [--ods 3,10] [--objetivo N]\n"
           "                          [--con-resultados si|no] [--nota TEXTO]\n"
           "                          [--analista NOMBRE] [--taxonomia T]\n\n"
           "Registra la decisión de un analista sobre la ficha ID. La decisión prevalece\n"
           "sobre el clasificador, sobrevive a las reclasificaciones y vale también para\n"
           "las versiones posteriores de la ficha. Indique al menos --subtema, --ods,\n"
           "--objetivo o --con-resultados. Con --subtema y sin --ods, los ODS se vuelven\n"
           "a proponer para el nuevo subtema (la regla del clasificador). Si el ejercicio\n"
           "ya tiene un cierre, avisa que la edición publicada no cambia sin un cierre\n"
           "nuevo.\n\n"
           "Opciones:\n"
           "  --subtema CÓDIGO   el subtema (su eje se deduce de la taxonomía)\n"
           "  --ods LISTA        los ODS, del 1 al 17, separados por comas\n"
           "  --objetivo N       el objetivo del PMM, de 1 a 23\n"
           "  --con-resultados si|no  si la ficha reportó resultados en el periodo; con\n"
           "                     «no», la ficha no cuenta en ningún ODS (la regla del método)\n"
           "  --nota TEXTO       por qué (queda con la decisión)\n"
           "  --analista NOMBRE  quién decide (si no, $PMM_ANALISTA o el nombre de su\n"
           "                     clave en [cliente] clave; con [general] exigir_analista = 1\n"
           "                     no se aceptan decisiones anónimas)\n"
           "  --taxonomia T      taxonomía del subtema (por omisión, la del ejercicio de\n"
           "                     la ficha: 2018-2022 hasta 2022, 2023 desde 2023)\n"
           "  -h, --help         muestra esta ayuda\n\n"
           "Ejemplos:\n  pmm revision fijar 123 --subtema proteccion --nota \"…\" --analista \"A. Pérez\"\n"
           "  pmm revision fijar 124 --con-resultados no --nota \"acción en curso\"\n"
           "Para muchas decisiones a la vez: pmm revision importar ARCHIVO.csv\n");
}

static int cmd_fijar(int argc, char **argv, pmm_conf *conf)
{
    static const struct option opts[] = {{"subtema", required_argument, NULL, 's'},
                                         {"ods", required_argument, NULL, 'o'},
                                         {"objetivo", required_argument, NULL, 'b'},
                                         {"nota", required_argument, NULL, 'n'},
                                         {"analista", required_argument, NULL, 'a'},
                                         {"taxonomia", required_argument, NULL, 't'},
                                         {"con-resultados", required_argument, NULL, 'r'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *subtema = NULL, *ods = NULL, *objetivo = NULL, *nota = NULL;
    const char *taxonomia = conf_str(conf, "clasificador", "taxonomia");
    const char *analista_opc = NULL, *resultados = NULL;
    int opt;
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (opt) {
        case 'r':
            if (!strcmp(optarg, "si") || !strcmp(optarg, "sí"))
                resultados = "true";
            else if (!strcmp(optarg, "no"))
                resultados = "false";
            else {
                fprintf(stderr, "pmm revision fijar: --con-resultados admite «si» o «no», "
                                "no «%s»\n", optarg);
                return EXIT_USO;
            }
            break;
        case 's': subtema = optarg; break;
        case 'o': ods = optarg; break;
        case 'b': objetivo = optarg; break;
        case 'n': nota = optarg; break;
        case 'a': analista_opc = optarg; break;
        case 't': taxonomia = optarg; break;
        case 'h': ayuda_fijar(); return 0;
        default: return cli_opcion_mala("revision fijar", opt, argv);
        }
    }
    if (taxonomia && !*taxonomia)
        taxonomia = NULL;
    long id;
    if (optind != argc - 1 || parse_int(argv[optind], 1, 0x7fffffffffffffffL, &id) != 0) {
        fprintf(stderr, "pmm revision fijar: indique el ID numérico de la ficha\n");
        return EXIT_USO;
    }
    if (!subtema && !ods && !objetivo && !resultados) {
        fprintf(stderr, "pmm revision fijar: indique al menos --subtema, --ods, --objetivo o "
                        "--con-resultados\n");
        return EXIT_USO;
    }
    pmm_error err;
    pmm_error_clear(&err);
    char analista[160];
    if (analista_nombre(conf, analista_opc, analista, sizeof analista, &err)) {
        fprintf(stderr, "pmm revision fijar: %s\n", err.mensaje);
        return EXIT_USO;
    }
    strbuf ods_arr;
    strbuf_init(&ods_arr);
    if (ods && parse_ods(ods, &ods_arr) != 0) {
        fprintf(stderr, "pmm revision fijar: --ods debe ser una lista de ODS del 1 al 17 "
                        "sin repetir, separada por comas (p. ej. 3,10)\n");
        strbuf_free(&ods_arr);
        return EXIT_USO;
    }
    long obj;
    if (objetivo && parse_int(objetivo, 1, 23, &obj) != 0) {
        fprintf(stderr, "pmm revision fijar: --objetivo debe ser un entero de 1 a 23\n");
        strbuf_free(&ods_arr);
        return EXIT_USO;
    }
    PGconn *db = db_connect(conf_conninfo(conf, NULL), "pmm-revision", &err);
    if (!db) {
        fprintf(stderr, "pmm revision fijar: %s\n", err.mensaje);
        strbuf_free(&ods_arr);
        return EXIT_USO;
    }
    fijar_ctx x;
    memset(&x, 0, sizeof x);
    strbuf_init(&x.ods);
    strbuf_init(&x.metas);
    int rc = EXIT_USO;
    if (preparar(db, conf, id, subtema, ods != NULL, taxonomia, &x, &err)) {
        fprintf(stderr, "pmm revision fijar: %s\n", err.mensaje);
        rc = !strcmp(err.regla, "no_existe") ? EXIT_RECHAZO : EXIT_USO;
        goto out;
    }
    char idbuf[32];
    snprintf(idbuf, sizeof idbuf, "%ld", id);
    const char *params[] = {idbuf, x.eje[0] ? x.eje : NULL, subtema,
                            ods ? ods_arr.data : NULL, objetivo, nota, analista,
                            x.propuesta ? x.ods.data : NULL,
                            x.propuesta ? x.metas.data : NULL, resultados};
    if (db_exec(db, "BEGIN", &err) != 0)
        goto out;
    PGresult *res = PQexecParams(
        db,
        "WITH d AS (INSERT INTO decisiones (emisor, ejercicio, clave, ficha_id, eje,"
        "   subtema, ods, objetivo_pmm, nota, analista, ods_propuesta, metas_propuesta,"
        "   con_resultados)"
        "  SELECT emisor, ejercicio, clave, id, $2::smallint, $3, $4::smallint[],"
        "         $5::smallint, $6, $7, $8::smallint[], $9::text[], $10::boolean"
        "    FROM fichas WHERE id = $1::bigint"
        "  RETURNING ficha_id)"
        " SELECT pmm_encolar_agregacion(array_agg(ficha_id)) FROM d",
        10, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(db, res, "no se pudo guardar la decisión", &err);
        fprintf(stderr, "pmm revision fijar: %s\n", err.mensaje);
        PQclear(res);
        db_exec(db, "ROLLBACK", &err);
        goto out;
    }
    long long found = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    if (!found) {
        fprintf(stderr, "pmm revision fijar: no existe la ficha %ld\n", id);
        db_exec(db, "ROLLBACK", &err);
        rc = EXIT_RECHAZO;
        goto out;
    }
    if (db_exec(db, "COMMIT", &err) != 0) {
        fprintf(stderr, "pmm revision fijar: %s\n", err.mensaje);
        goto out;
    }
    printf("Decisión registrada para la ficha %ld por %s; los totales se "
           "actualizan en segundos.\n", id, analista);
    if (x.propuesta) {
        /* "{10,16}" -> "10, 16" */
        strbuf v;
        strbuf_init(&v);
        for (const char *q = x.ods.data + 1; *q && *q != '}'; q++)
            if (*q == ',')
                strbuf_puts(&v, ", ");
            else
                strbuf_append(&v, q, 1);
        printf("ODS propuestos para el subtema «%s»: %s (antes: %s). Se cuentan solo si la "
               "ficha reporta resultados; --ods los fija.\n",
               subtema, v.len ? v.data : "ninguno", x.antes[0] ? x.antes : "ninguno");
        strbuf_free(&v);
    }
    analista_aviso_cierre(db, "pmm revision fijar", x.ejercicio, 0, conf_zona_horaria(conf));
    rc = 0;
out:
    strbuf_free(&ods_arr);
    strbuf_free(&x.ods);
    strbuf_free(&x.metas);
    PQfinish(db);
    return rc;
}

static int cmd_listar(int argc, char **argv, pmm_conf *conf)
{
    static const struct option opts[] = {{"ejercicio", required_argument, NULL, 'e'},
                                         {"dependencia", required_argument, NULL, 'd'},
                                         {"entidad", required_argument, NULL, 'n'},
                                         {"eje", required_argument, NULL, 'j'},
                                         {"n", required_argument, NULL, 'k'},
                                         {"formato", required_argument, NULL, 'f'},
                                         {"estado-revision", required_argument, NULL, 'r'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *year = NULL, *dep = NULL, *ent = NULL, *eje = NULL, *estado = NULL;
    long limit = 50;
    int json = 0, opt;
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        long v;
        switch (opt) {
        case 'e':
            if (parse_int(optarg, 2018, 2100, &v)) {
                fprintf(stderr, "pmm revision: --ejercicio debe ser un año desde 2018, no "
                                "«%s»\n", optarg);
                return EXIT_USO;
            }
            year = optarg;
            break;
        case 'd': dep = optarg; break;
        case 'n': ent = optarg; break;
        case 'j':
            if (parse_int(optarg, 1, 9, &v)) {
                fprintf(stderr, "pmm revision: --eje debe ser el número de un eje (1 a 9), "
                                "no «%s»\n", optarg);
                return EXIT_USO;
            }
            eje = optarg;
            break;
        case 'k':
            if (parse_int(optarg, 1, 100000, &limit)) {
                fprintf(stderr, "pmm revision: --n debe ser un entero de 1 a 100000\n");
                return EXIT_USO;
            }
            break;
        case 'r':
            estado = revision_estado_sql(optarg);
            if (!estado) {
                fprintf(stderr, "pmm revision: --estado-revision admite pendiente, aprobada o "
                                "con_observaciones, no «%s»\n", optarg);
                return EXIT_USO;
            }
            break;
        case 'f':
            if (strcmp(optarg, "json") && strcmp(optarg, "tabla")) {
                fprintf(stderr, "pmm revision: --formato admite «tabla» o «json»\n");
                return EXIT_USO;
            }
            json = !strcmp(optarg, "json");
            break;
        case 'h':
            printf("Uso: pmm revision [--ejercicio AÑO] [--dependencia SIGLA|NOMBRE |\n"
                   "                  --entidad CLAVE|NOMBRE] [--eje N] [--n N]\n"
                   "                  [--estado-revision E] [--formato tabla|json]\n"
                   "     pmm revision aprobar ID [--nota TEXTO]\n"
                   "     pmm revision observar ID --nota TEXTO\n"
                   "     pmm revision fijar ID [--subtema CÓDIGO] [--ods 3,10] [--objetivo N] …\n"
                   "     pmm revision exportar --ejercicio AÑO -o ARCHIVO\n"
                   "     pmm revision importar ARCHIVO.csv [--procedencia TEXTO] …\n\n"
                   "Lista las fichas contadas, de menor a mayor confianza del clasificador,\n"
                   "para que un analista revise primero las dudosas.\n\n"
                   "Subcomandos:\n"
                   "  fijar      registra la decisión de un analista sobre una ficha\n"
                   "             (pmm revision fijar --help)\n"
                   "  exportar   escribe las decisiones en el formato del corpus\n"
                   "             (pmm revision exportar --help)\n"
                   "  aprobar    aprueba una ficha revisada (pmm revision aprobar --help)\n"
                   "  observar   la deja con observaciones para el cuerpo\n"
                   "             (pmm revision observar --help)\n"
                   "  importar   registra de una vez las decisiones de un archivo CSV\n"
                   "             (pmm revision importar --help)\n\n"
                   "Opciones de la lista:\n"
                   "  --ejercicio AÑO             solo ese ejercicio\n"
                   "  --dependencia SIGLA|NOMBRE  solo las fichas de esa dependencia\n"
                   "  --entidad CLAVE|NOMBRE      solo las fichas de o en esa entidad\n"
                   "  --eje N                     solo las de ese eje\n"
                   "  --n N                       cuántas fichas (por omisión 50)\n"
                   "  --estado-revision E         solo las fichas en ese estado de revisión:\n"
                   "                              pendiente, aprobada o con_observaciones\n"
                   "                              (incluye las que la regla de revisión del\n"
                   "                              año deja fuera de los totales)\n"
                   "  --formato F                 tabla (por omisión) o json\n"
                   "  -h, --help                  muestra esta ayuda\n\n"
                   "Ejemplos:\n"
                   "  pmm revision --ejercicio 2022 --n 20\n"
                   "  pmm revision fijar 123 --subtema salud --ods 3,10\n"
                   "  pmm revision --ejercicio 2022 --estado-revision pendiente\n");
            return 0;
        default: return cli_opcion_mala("revision", opt, argv);
        }
    }
    if (optind != argc)
        return cli_argumento_sobrante("revision", argv[optind]);
    pmm_error err;
    pmm_error_clear(&err);
    char filtro[80] = "";
    if (dep || ent) {
        refdata *ref = refdata_load(conf_data_dir(conf), &err);
        if (!ref) {
            fprintf(stderr, "pmm revision: %s\n", err.mensaje);
            return EXIT_USO;
        }
        const ref_dependencia *d = dep ? refdata_pedir_dependencia(ref, "--dependencia",
                                                                   dep, &err)
                                       : NULL;
        int code = ent ? refdata_pedir_entidad(ref, "--entidad", ent, &err) : 0;
        if (!d && !code) {
            fprintf(stderr, "pmm revision: %s\n", err.mensaje);
            refdata_destroy(&ref);
            return EXIT_USO;
        }
        if (d)
            snprintf(filtro, sizeof filtro, "D:%s", d->sigla);
        else
            snprintf(filtro, sizeof filtro, "E:%02d", code);
        refdata_destroy(&ref);
    }
    PGconn *db = db_connect(conf_conninfo(conf, NULL), "pmm-revision", &err);
    if (!db) {
        fprintf(stderr, "pmm revision: %s\n", err.mensaje);
        return EXIT_USO;
    }
    char lim[16];
    snprintf(lim, sizeof lim, "%ld", limit);
    const char *params[] = {year, filtro[0] ? filtro : NULL, eje, lim, estado};
    /* without --estado-revision: the counted fichas, as before; with it,
     * every version in force and its review state (the latest row of
     * revisiones for that version; none: pending) */
    char sql[1400];
    snprintf(sql, sizeof sql,
        "SELECT a.ficha_id, a.clave, a.ejercicio, a.emisor, f.programa, a.eje,"
        "       a.subtema, array_to_string(a.ods, ','), c.confianza,"
        "       a.decision_id IS NOT NULL, c.evidencia::text, %s"
        "  FROM %s a JOIN clasificaciones c ON c.id = a.clasificacion_id"
        "  JOIN fichas f ON f.id = a.ficha_id"
        " WHERE ($1::int IS NULL OR a.ejercicio = $1::int)"
        "   AND ($2::text IS NULL OR a.emisor = $2 OR"
        "        ($2 LIKE 'E:%%' AND a.entidad = substr($2, 3)::int))"
        "   AND ($3::int IS NULL OR a.eje = $3::int)%s"
        " ORDER BY a.decision_id IS NOT NULL, c.confianza, a.ficha_id"
        " LIMIT $4::int",
        estado ? "coalesce((SELECT r.estado FROM revisiones r WHERE r.ficha_id = a.ficha_id"
                 " ORDER BY r.id DESC LIMIT 1), 'pendiente')"
               : "NULL::text",
        estado ? "v_contribuciones_todas" : "agregados",
        estado ? " AND coalesce((SELECT r.estado FROM revisiones r"
                 " WHERE r.ficha_id = a.ficha_id ORDER BY r.id DESC LIMIT 1), 'pendiente')"
                 " = $5"
               : " AND $5::text IS NULL");
    PGresult *res = PQexecParams(db, sql, 5, NULL, params, NULL, NULL, 0);
    int rc = EXIT_USO;
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(db, res, "consulta fallida", &err);
        fprintf(stderr, "pmm revision: %s\n", err.mensaje);
        goto out;
    }
    if (!json)
        printf("%-8s %-28s %-5s %-10s %-4s %-26s %-9s %s\n", "ID", "CLAVE", "AÑO",
               "EMISOR", "EJE", "SUBTEMA", "CONFIANZA", "PROGRAMA");
    for (int r = 0; r < PQntuples(res); r++) {
        int decided = PQgetvalue(res, r, 9)[0] == 't';
        if (json) {
            json_t *o = json_object();
            json_error_t jerr;
            json_object_set_new(o, "id", json_integer(strtoll(PQgetvalue(res, r, 0), NULL, 10)));
            json_object_set_new(o, "clave", json_string(PQgetvalue(res, r, 1)));
            json_object_set_new(o, "ejercicio", json_integer(atoi(PQgetvalue(res, r, 2))));
            json_object_set_new(o, "emisor", json_string(PQgetvalue(res, r, 3)));
            json_object_set_new(o, "programa", json_string(PQgetvalue(res, r, 4)));
            json_object_set_new(o, "eje", json_integer(atoi(PQgetvalue(res, r, 5))));
            json_object_set_new(o, "subtema", json_string(PQgetvalue(res, r, 6)));
            json_t *ods = json_array();
            char *save = NULL, *list = strdup(PQgetvalue(res, r, 7));
            for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save))
                json_array_append_new(ods, json_integer(atoi(t)));
            free(list);
            json_object_set_new(o, "ods", ods);
            json_object_set_new(o, "confianza", json_real(atof(PQgetvalue(res, r, 8))));
            json_object_set_new(o, "decision_analista", json_boolean(decided));
            json_t *ev = json_loads(PQgetvalue(res, r, 10), 0, &jerr);
            json_object_set_new(o, "evidencia", ev ? ev : json_array());
            if (estado)
                json_object_set_new(o, "estado_revision", json_string(PQgetvalue(res, r, 11)));
            char *s = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(4));
            if (s)
                puts(s);
            free(s);
            json_decref(o);
        } else {
            printf("%-8s %-28.28s %-5s %-10.10s %-4s %-26.26s %-9s %.60s\n",
                   PQgetvalue(res, r, 0), PQgetvalue(res, r, 1), PQgetvalue(res, r, 2),
                   PQgetvalue(res, r, 3), PQgetvalue(res, r, 5), PQgetvalue(res, r, 6),
                   decided ? "analista" : PQgetvalue(res, r, 8), PQgetvalue(res, r, 4));
        }
    }
    rc = 0;
out:
    PQclear(res);
    PQfinish(db);
    return rc;
}

/* pmm revision exportar --ejercicio Y [--ejercicio Y…] -o FILE: the
 * decisions in the corpus format, for pmm entrenar --corpus. */
static int cmd_exportar(int argc, char **argv, pmm_conf *conf)
{
    static const struct option opts[] = {{"ejercicio", required_argument, NULL, 'e'},
                                         {"salida", required_argument, NULL, 'o'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int anios[16], opt;
    size_t n = 0;
    const char *salida = NULL;
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
        long v;
        switch (opt) {
        case 'e':
            if (parse_int(optarg, 2018, 2100, &v) || n == 16) {
                fprintf(stderr, "pmm revision exportar: --ejercicio debe ser un año "
                                "desde 2018 (hasta 16)\n");
                return EXIT_USO;
            }
            anios[n++] = (int)v;
            break;
        case 'o': salida = optarg; break;
        case 'h':
            printf("Uso: pmm revision exportar --ejercicio AÑO [--ejercicio AÑO…] -o "
                   "ARCHIVO\n\n"
                   "Escribe las decisiones de los analistas (la última con subtema de "
                   "cada ficha)\nen el formato del corpus etiquetado (JSON Lines: year, "
                   "eje, subtema, ods_grupo,\nprograma, texto, actores, zona, ambito) con "
                   "su procedencia (decisión, ficha,\nanalista, fecha, nota), para "
                   "pmm entrenar --corpus.\n\n"
                   "Opciones:\n"
                   "  --ejercicio AÑO     ejercicio de las decisiones; se puede repetir\n"
                   "  -o, --salida RUTA   archivo de salida («-»: la salida estándar)\n"
                   "  -h, --help          muestra esta ayuda\n\n"
                   "Ejemplo:\n  pmm revision exportar --ejercicio 2023 -o "
                   "decisiones-2023.jsonl\n");
            return 0;
        default: return cli_opcion_mala("revision exportar", opt, argv);
        }
    }
    if (n == 0 || !salida || optind != argc) {
        fprintf(stderr, "pmm revision exportar: indique --ejercicio AÑO y -o ARCHIVO\n");
        return EXIT_USO;
    }
    FILE *f = strcmp(salida, "-") ? fopen(salida, "w") : stdout;
    if (!f) {
        fprintf(stderr, "pmm revision exportar: no se puede escribir %s\n", salida);
        return EXIT_USO;
    }
    pmm_error err;
    pmm_error_clear(&err);
    long k = decisiones_exportar(conf, anios, n, f, &err);
    if ((f != stdout && fclose(f) != 0) || k < 0) {
        fprintf(stderr, "pmm revision exportar: %s\n",
                k < 0 ? err.mensaje : "no se pudo escribir la salida");
        return EXIT_USO;
    }
    fprintf(stderr, "%ld %s exportada%s en %s\n", k, k == 1 ? "decisión" : "decisiones",
            k == 1 ? "" : "s", salida);
    return 0;
}

int cmd_revision(int argc, char **argv, pmm_conf *conf)
{
    if (argc > 1 && !strcmp(argv[1], "fijar"))
        return cmd_fijar(argc - 1, argv + 1, conf);
    if (argc > 1 && !strcmp(argv[1], "exportar"))
        return cmd_exportar(argc - 1, argv + 1, conf);
    if (argc > 1 && !strcmp(argv[1], "aprobar"))
        return revision_marcar(argc - 1, argv + 1, conf, true);
    if (argc > 1 && !strcmp(argv[1], "observar"))
        return revision_marcar(argc - 1, argv + 1, conf, false);
    if (argc > 1 && !strcmp(argv[1], "importar"))
        return revision_importar(argc - 1, argv + 1, conf);
    return cmd_listar(argc, argv, conf);
}
