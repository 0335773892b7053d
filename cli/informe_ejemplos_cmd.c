/* pmm informe ejemplos --ejercicio AÑO
 *     lists, per objective, the examples the Informe would print (the
 *     proposal of lib/informe/informe_ejemplos.h, or the unit's choice) and
 *     why each was chosen;
 * pmm informe ejemplos fijar --ejercicio AÑO --objetivo N ID... [--analista]
 * pmm informe ejemplos fijar --ejercicio AÑO --objetivo N --propuesta
 *     stores the unit's choice for an objective (fichas counted in it that
 *     year), or goes back to the proposal, as a new row of informe_ejemplos
 *     (017) with who and when: append-only, the audit record of the choice. */
#include "informe_ejemplos_cmd.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analista.h"
#include "commands.h"
#include "db.h"
#include "informe.h"
#include "informe_datos.h"
#include "opciones.h"
#include "refdata.h"
#include "strbuf.h"

static void ayuda(void)
{
    printf("Uso: pmm informe ejemplos --ejercicio AÑO\n"
           "     pmm informe ejemplos fijar --ejercicio AÑO --objetivo N ID... [--analista NOMBRE]\n"
           "     pmm informe ejemplos fijar --ejercicio AÑO --objetivo N --propuesta\n\n"
           "Lista, por objetivo, los ejemplos de acciones que imprime el Informe Ejecutivo\n"
           "y por qué se eligieron. La propuesta del sistema toma hasta %d fichas por\n"
           "objetivo: primero las que reportaron resultados y cifras, y entre ellas las de\n"
           "mayor alcance (personas atendidas); nunca dos de una misma institución si hay\n"
           "otra, y de los ámbitos federal y estatal cuando los dos tienen fichas.\n"
           "Con fijar, la unidad elige las fichas de un objetivo (sus ID, contadas en ese\n"
           "objetivo y ejercicio); --propuesta vuelve a la propuesta. Cada elección queda\n"
           "registrada con quién y cuándo; la edición publicada la incluye tras un cierre\n"
           "nuevo (pmm cierre).\n\n"
           "Opciones:\n"
           "  --ejercicio AÑO    el ejercicio del informe\n"
           "  --objetivo N       (fijar) el objetivo del PMM, de 1 a 23\n"
           "  --propuesta        (fijar) vuelve a la propuesta del sistema\n"
           "  --analista NOMBRE  (fijar) quién elige (si no, $PMM_ANALISTA o el nombre de\n"
           "                     su clave en [cliente] clave)\n"
           "  -h, --help         muestra esta ayuda\n\n"
           "Ejemplos:\n"
           "  pmm informe ejemplos --ejercicio 2022\n"
           "  pmm informe ejemplos fijar --ejercicio 2022 --objetivo 7 1041 1187\n",
           2);
}

static int parse_anio(const char *s, long *out)
{
    char *end;
    errno = 0;
    long y = strtol(s, &end, 10);
    if (errno || end == s || *end || y < 2018 || y > 2100)
        return -1;
    *out = y;
    return 0;
}

static int listar(long anio, pmm_conf *conf)
{
    pmm_error err;
    pmm_error_clear(&err);
    /* the read-only role when configured ([postgresql] lectura) */
    const char *info = conf_str(conf, "postgresql", "lectura");
    PGconn *db = db_connect(info && *info ? info : conf_conninfo(conf, NULL), "pmm-informe",
                            &err);
    if (!db) {
        fprintf(stderr, "pmm informe ejemplos: %s\n", err.mensaje);
        return EXIT_USO;
    }
    json_t *datos = informe_datos_build(db, (int)anio, cli_ejemplos_por_objetivo(conf), &err);
    PQfinish(db);
    if (!datos) {
        fprintf(stderr, "pmm informe ejemplos: %s\n", err.mensaje);
        return EXIT_USO;
    }
    /* a state's fichas are named by the state, not by its INEGI code */
    refdata *rd = refdata_load(cli_data_dir(conf), &err);
    if (!rd) {
        fprintf(stderr, "pmm informe ejemplos: datos de referencia: %s\n", err.mensaje);
        json_decref(datos);
        return EXIT_USO;
    }
    const json_t *ej = json_object_get(datos, "ejemplos");
    printf("Ejemplos por objetivo del Informe Ejecutivo %ld\n", anio);
    int n = 0;
    for (int o = 1; o <= 23; o++) {
        char k[8];
        snprintf(k, sizeof k, "%d", o);
        const json_t *x = json_object_get(ej, k);
        if (!x) {
            printf("\nObjetivo %d: sin fichas en el ejercicio (no hay ejemplos)\n", o);
            continue;
        }
        printf("\nObjetivo %d (%s):\n", o,
               json_is_true(json_object_get(x, "fijados")) ? "elegidos por la unidad"
                                                          : "propuesta del sistema");
        size_t i;
        const json_t *f;
        json_array_foreach(json_object_get(x, "fichas"), i, f) {
            const json_t *pe = json_object_get(f, "personas");
            const char *emisor = json_string_value(json_object_get(f, "emisor"));
            const char *quien = emisor && strlen(emisor) > 2 ? emisor + 2 : "?";
            if (emisor && !strncmp(emisor, "E:", 2) &&
                refdata_entidad_nombre(rd, atoi(emisor + 2)))
                quien = refdata_entidad_nombre(rd, atoi(emisor + 2));
            printf("  ficha %lld  %s (%s, %s)\n    por qué: %s%s",
                   (long long)json_integer_value(json_object_get(f, "id")),
                   json_string_value(json_object_get(f, "programa")), quien,
                   json_string_value(json_object_get(f, "ambito")),
                   json_is_true(json_object_get(f, "con_resultados")) ? "con resultados"
                                                                      : "sin resultados",
                   json_is_integer(pe) ? "" : ", sin conteo de personas");
            if (json_is_integer(pe))
                printf(", %lld %s", (long long)json_integer_value(pe),
                       json_integer_value(pe) == 1 ? "persona" : "personas");
            printf("\n");
            n++;
        }
    }
    printf("\n%d %s.\n", n, n == 1 ? "ejemplo" : "ejemplos");
    refdata_destroy(&rd);
    json_decref(datos);
    return 0;
}

static int fijar(int argc, char **argv, pmm_conf *conf)
{
    static const struct option opts[] = {{"ejercicio", required_argument, NULL, 'e'},
                                         {"objetivo", required_argument, NULL, 'o'},
                                         {"propuesta", no_argument, NULL, 'p'},
                                         {"analista", required_argument, NULL, 'a'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    long anio = 0, obj = 0;
    bool propuesta = false;
    const char *analista_opc = NULL;
    int opt;
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (opt) {
        case 'e':
            if (parse_anio(optarg, &anio)) {
                fprintf(stderr, "pmm informe ejemplos fijar: --ejercicio debe ser un año "
                                "(2018 o posterior), no «%s»\n", optarg);
                return EXIT_USO;
            }
            break;
        case 'o': {
            char *end;
            obj = strtol(optarg, &end, 10);
            if (end == optarg || *end || obj < 1 || obj > 23) {
                fprintf(stderr, "pmm informe ejemplos fijar: --objetivo debe ser un entero de "
                                "1 a 23, no «%s»\n", optarg);
                return EXIT_USO;
            }
            break;
        }
        case 'p': propuesta = true; break;
        case 'a': analista_opc = optarg; break;
        case 'h': ayuda(); return 0;
        default: return cli_opcion_mala("informe ejemplos fijar", opt, argv);
        }
    }
    int nid = argc - optind;
    if (!anio || !obj || (propuesta ? nid != 0 : nid < 1)) {
        fprintf(stderr, "pmm informe ejemplos fijar: indique --ejercicio, --objetivo y los ID "
                        "de las fichas (o --propuesta, sin ID)\n");
        return EXIT_USO;
    }
    strbuf ids;
    strbuf_init(&ids);
    strbuf_puts(&ids, "{");
    for (int i = optind; i < argc; i++) {
        char *end;
        long long id = strtoll(argv[i], &end, 10);
        if (end == argv[i] || *end || id < 1) {
            fprintf(stderr, "pmm informe ejemplos fijar: «%s» no es el ID numérico de una "
                            "ficha\n", argv[i]);
            strbuf_free(&ids);
            return EXIT_USO;
        }
        strbuf_printf(&ids, "%s%lld", i > optind ? "," : "", id);
    }
    strbuf_puts(&ids, "}");
    pmm_error err;
    pmm_error_clear(&err);
    char analista[160];
    if (analista_nombre(conf, analista_opc, analista, sizeof analista, &err)) {
        fprintf(stderr, "pmm informe ejemplos fijar: %s\n", err.mensaje);
        strbuf_free(&ids);
        return EXIT_USO;
    }
    PGconn *db = db_connect(conf_conninfo(conf, NULL), "pmm-informe", &err);
    if (!db) {
        fprintf(stderr, "pmm informe ejemplos fijar: %s\n", err.mensaje);
        strbuf_free(&ids);
        return EXIT_USO;
    }
    char y[16], o[8];
    snprintf(y, sizeof y, "%ld", anio);
    snprintf(o, sizeof o, "%ld", obj);
    int rc = EXIT_USO;
    const char *params[] = {y, o, ids.data, analista, propuesta ? "t" : "f"};
    /* the fichas must be counted in that objective and year; the insert
     * happens only when every ID is one of them */
    PGresult *res = PQexecParams(
        db,
        "WITH pedidas AS (SELECT unnest($3::bigint[]) AS id),"
        " validas AS (SELECT p.id, a.emisor, a.clave FROM pedidas p"
        "              JOIN agregados a ON a.ficha_id = p.id"
        "             WHERE a.ejercicio = $1::int AND a.objetivo = $2::int"
        "               AND NOT a.absorbida),"
        " ins AS (INSERT INTO informe_ejemplos (ejercicio, objetivo, emisores, claves,"
        "                                       propuesta, analista)"
        "         SELECT $1::int, $2::int,"
        "                coalesce(array_agg(emisor ORDER BY id), '{}'),"
        "                coalesce(array_agg(clave ORDER BY id), '{}'), $5::bool, $4"
        "           FROM validas"
        "          HAVING count(*) = (SELECT count(DISTINCT id) FROM pedidas)"
        "         RETURNING id)"
        " SELECT (SELECT count(*) FROM ins),"
        "        (SELECT string_agg(p.id::text, ', ') FROM pedidas p"
        "          WHERE p.id NOT IN (SELECT id FROM validas))",
        5, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(db, res, "no se guardó la elección", &err);
        fprintf(stderr, "pmm informe ejemplos fijar: %s\n", err.mensaje);
    } else if (strcmp(PQgetvalue(res, 0, 0), "1") != 0) {
        fprintf(stderr, "pmm informe ejemplos fijar: estas fichas no se cuentan en el objetivo "
                        "%ld del ejercicio %ld: %s (vea pmm fichas --ejercicio %ld --objetivo "
                        "%ld)\n",
                obj, anio, PQgetvalue(res, 0, 1), anio, obj);
        rc = EXIT_RECHAZO;
    } else {
        if (propuesta)
            printf("Objetivo %ld del ejercicio %ld: vuelve a la propuesta del sistema (%s).\n",
                   obj, anio, analista);
        else
            printf("Objetivo %ld del ejercicio %ld: %d %s elegidas por la unidad (%s).\n", obj,
                   anio, nid, nid == 1 ? "ficha" : "fichas", analista);
        printf("Para que la edición publicada lo incluya: pmm cierre --ejercicio %ld\n", anio);
        rc = 0;
    }
    PQclear(res);
    PQfinish(db);
    strbuf_free(&ids);
    return rc;
}

int informe_ejemplos_cmd(int argc, char **argv, pmm_conf *conf)
{
    if (argc > 1 && !strcmp(argv[1], "fijar"))
        return fijar(argc - 1, argv + 1, conf);
    static const struct option opts[] = {{"ejercicio", required_argument, NULL, 'e'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    long anio = 0;
    int opt;
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (opt) {
        case 'e':
            if (parse_anio(optarg, &anio)) {
                fprintf(stderr, "pmm informe ejemplos: --ejercicio debe ser un año (2018 o "
                                "posterior), no «%s»\n", optarg);
                return EXIT_USO;
            }
            break;
        case 'h': ayuda(); return 0;
        default: return cli_opcion_mala("informe ejemplos", opt, argv);
        }
    }
    if (optind != argc)
        return cli_argumento_sobrante("informe ejemplos", argv[optind]);
    if (!anio) {
        fprintf(stderr, "pmm informe ejemplos: indique --ejercicio AÑO\n");
        return EXIT_USO;
    }
    return listar(anio, conf);
}
