/* convocatoria_ver.c -- pmm convocatoria [--ejercicio AÑO] [--formato
 * tabla|json]: the calls, or one call with every body's state
 * (pmm_seguimiento), over the read-only connection. Times in the unit's
 * zone; in JSON ISO 8601 with its offset. */
#include <getopt.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "consulta_db.h"
#include "consulta_salida.h"
#include "convocatoria.h"
#include "db.h"
#include "opciones.h"

#define CMD "convocatoria"

static void ayuda(void)
{
    printf("Uso: pmm convocatoria [--ejercicio AÑO] [--formato tabla|json]\n"
           "       pmm convocatoria abrir|ajustar|cerrar|agregar|quitar ... "
           "(pmm convocatoria abrir --help)\n\n"
           "La convocatoria anual: quién debe informar cada ejercicio, la fecha límite y "
           "los\ndías de gracia. Sin --ejercicio lista las convocatorias; con él muestra "
           "el estado\nde cada cuerpo: sin iniciar, en captura (con fichas, sin entregar, "
           "o reabierta\nporque envió fichas después de entregar), entregada a tiempo o "
           "tarde (por su\nprimera entrega), sin acciones que reportar y, tras la "
           "revisión, aprobada o con\nobservaciones.\n\n"
           "  --ejercicio AÑO   una convocatoria, con sus cuerpos\n"
           "  --formato F       tabla (predeterminado) o json\n"
           "  -h, --help        muestra esta ayuda\n\n"
           "Cambios (administrador):\n"
           "  abrir    abre la convocatoria de un ejercicio    cerrar   la cierra\n"
           "  ajustar  cambia límite, gracia o qué fichas cuentan\n"
           "  agregar  agrega un cuerpo a los convocados       quitar   lo quita\n\n"
           "Ejemplos:\n  pmm convocatoria --ejercicio 2022\n"
           "  pmm convocatoria abrir --ejercicio 2022 --limite 2022-07-31 --gracia 15\n");
}

static int zona(PGconn *db, const pmm_conf *conf, pmm_error *err)
{
    const char *p[] = {conf_zona_horaria(conf)};
    PGresult *res = PQexecParams(db, "SELECT set_config('TimeZone', $1, true)", 1, NULL, p,
                                 NULL, NULL, 0);
    int rc = 0;
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        rc = pmm_error_set(err, 2, "zona_horaria", "zona",
                           "la zona horaria «%s» ([general] zona_horaria o $TZ) no es válida",
                           p[0]);
    PQclear(res);
    return rc;
}

static json_t *json_o_nulo(const PGresult *res, int r, int c)
{
    return PQgetisnull(res, r, c) ? json_null() : json_string(PQgetvalue(res, r, c));
}

/* Every call, one line each. */
static int lista(PGconn *db, bool json, pmm_error *err)
{
    PGresult *res = PQexec(
        db,
        "SELECT c.ejercicio, c.limite::text, c.gracia, c.cerrada IS NOT NULL,"
        "       c.contar_revision, to_json(c.abierta)#>>'{}',"
        "       to_json(c.cerrada)#>>'{}', s.esperados, s.entregaron"
        "  FROM convocatorias c CROSS JOIN LATERAL"
        "       (SELECT count(*) FILTER (WHERE esperado) AS esperados,"
        "               count(*) FILTER (WHERE esperado AND estado NOT IN"
        "                                ('sin_iniciar', 'en_captura')) AS entregaron"
        "          FROM pmm_seguimiento(c.ejercicio)) s"
        " ORDER BY c.ejercicio");
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        cuerpos_db_error(db, res, "leer las convocatorias", err);
        PQclear(res);
        return -1;
    }
    int n = PQntuples(res);
    if (json) {
        json_t *arr = json_array();
        for (int r = 0; r < n; r++)
            json_array_append_new(
                arr, json_pack("{s:i,s:s,s:i,s:b,s:s,s:s,s:o,s:I,s:I}", "ejercicio",
                               atoi(PQgetvalue(res, r, 0)), "limite", PQgetvalue(res, r, 1),
                               "gracia", atoi(PQgetvalue(res, r, 2)), "abierta",
                               PQgetvalue(res, r, 3)[0] != 't', "contar_revision",
                               PQgetvalue(res, r, 4), "abierta_desde", PQgetvalue(res, r, 5),
                               "cerrada", json_o_nulo(res, r, 6), "esperados",
                               (json_int_t)atoll(PQgetvalue(res, r, 7)), "entregaron",
                               (json_int_t)atoll(PQgetvalue(res, r, 8))));
        consulta_json(stdout, arr);
    } else if (n == 0) {
        printf("No hay convocatorias. Abra una con pmm convocatoria abrir --ejercicio AÑO "
               "--limite AAAA-MM-DD.\n");
    } else {
        consulta_grilla g;
        consulta_grilla_init(&g, 6);
        consulta_grilla_derecha(&g, 2);
        consulta_grilla_derecha(&g, 4);
        const char *head[] = {"Ejercicio", "Límite", "Gracia", "Estado", "Entregaron",
                              "Fichas que cuentan"};
        consulta_grilla_fila(&g, head);
        consulta_grilla_linea(&g);
        for (int r = 0; r < n; r++) {
            char gr[32], ent[64];
            snprintf(gr, sizeof gr, "%s días", PQgetvalue(res, r, 2));
            snprintf(ent, sizeof ent, "%s de %s", PQgetvalue(res, r, 8), PQgetvalue(res, r, 7));
            const char *row[] = {PQgetvalue(res, r, 0), PQgetvalue(res, r, 1), gr,
                                 PQgetvalue(res, r, 3)[0] == 't' ? "cerrada" : "abierta", ent,
                                 PQgetvalue(res, r, 4)};
            consulta_grilla_fila(&g, row);
        }
        consulta_grilla_imprimir(&g, stdout);
        consulta_grilla_free(&g);
    }
    PQclear(res);
    return 0;
}

static int una(PGconn *db, int anio, bool json, pmm_error *err)
{
    char y[16];
    snprintf(y, sizeof y, "%d", anio);
    const char *p[] = {y};
    PGresult *c = PQexecParams(
        db,
        "SELECT limite::text, gracia, zona, contar_revision, to_json(abierta)#>>'{}',"
        "       abierta_por, to_json(cerrada)#>>'{}', cerrada_por,"
        "       to_char(abierta, 'DD/MM/YYYY HH24:MI'), to_char(cerrada, 'DD/MM/YYYY HH24:MI'),"
        "       to_char(limite + gracia, 'DD/MM/YYYY'), to_char(limite, 'DD/MM/YYYY')"
        "  FROM convocatorias WHERE ejercicio = $1::int",
        1, NULL, p, NULL, NULL, 0);
    if (PQresultStatus(c) != PGRES_TUPLES_OK) {
        cuerpos_db_error(db, c, "leer la convocatoria", err);
        PQclear(c);
        return -1;
    }
    if (PQntuples(c) == 0) {
        PQclear(c);
        return pmm_error_set(err, 1, "--ejercicio", "sin_convocatoria",
                             "no hay convocatoria del ejercicio %d (pmm convocatoria abrir "
                             "--ejercicio %d --limite AAAA-MM-DD)",
                             anio, anio);
    }
    PGresult *s = PQexecParams(
        db,
        "SELECT emisor, coalesce(nombre, ''), coalesce(tipo, ''), coalesce(sector, ''),"
        "       convocado, esperado, estado, reabierta, fichas,"
        "       to_json(primera_entrega)#>>'{}', to_json(ultima_entrega)#>>'{}', entregas,"
        "       to_char(primera_entrega, 'DD/MM/YYYY HH24:MI'), a_tiempo"
        "  FROM pmm_seguimiento($1::int)"
        " ORDER BY NOT esperado, tipo = 'estatal', emisor",
        1, NULL, p, NULL, NULL, 0);
    if (PQresultStatus(s) != PGRES_TUPLES_OK) {
        cuerpos_db_error(db, s, "leer el estado de los cuerpos", err);
        PQclear(s);
        PQclear(c);
        return -1;
    }
    int n = PQntuples(s);
    long long esperados = 0, entregaron = 0;
    for (int r = 0; r < n; r++)
        if (PQgetvalue(s, r, 5)[0] == 't') {
            esperados++;
            entregaron += cuerpos_estado_entregado(PQgetvalue(s, r, 6));
        }
    if (json) {
        json_t *cuerpos = json_array();
        for (int r = 0; r < n; r++) {
            json_t *o = json_pack(
                "{s:s,s:s,s:o,s:o,s:b,s:b,s:s,s:b,s:I,s:o,s:o,s:I}", "emisor",
                PQgetvalue(s, r, 0), "nombre", PQgetvalue(s, r, 1), "tipo",
                *PQgetvalue(s, r, 2) ? json_string(PQgetvalue(s, r, 2)) : json_null(), "sector",
                *PQgetvalue(s, r, 3) ? json_string(PQgetvalue(s, r, 3)) : json_null(),
                "convocado", PQgetvalue(s, r, 4)[0] == 't', "esperado",
                PQgetvalue(s, r, 5)[0] == 't', "estado", PQgetvalue(s, r, 6), "reabierta",
                PQgetvalue(s, r, 7)[0] == 't', "fichas", (json_int_t)atoll(PQgetvalue(s, r, 8)),
                "primera_entrega", json_o_nulo(s, r, 9), "ultima_entrega", json_o_nulo(s, r, 10),
                "entregas", (json_int_t)atoll(PQgetvalue(s, r, 11)));
            json_array_append_new(cuerpos, o);
        }
        json_t *j = json_pack("{s:i,s:s,s:i,s:s,s:s,s:s,s:s,s:o,s:o,s:I,s:I,s:o}", "ejercicio",
                              anio, "limite", PQgetvalue(c, 0, 0), "gracia",
                              atoi(PQgetvalue(c, 0, 1)), "zona", PQgetvalue(c, 0, 2),
                              "contar_revision", PQgetvalue(c, 0, 3), "abierta_desde",
                              PQgetvalue(c, 0, 4), "abierta_por", PQgetvalue(c, 0, 5),
                              "cerrada", json_o_nulo(c, 0, 6), "cerrada_por",
                              json_o_nulo(c, 0, 7), "esperados", (json_int_t)esperados,
                              "entregaron", (json_int_t)entregaron, "cuerpos", cuerpos);
        consulta_json(stdout, j);
    } else {
        printf("Convocatoria %d: %s", anio,
               PQgetisnull(c, 0, 6) ? "abierta" : "cerrada");
        if (PQgetisnull(c, 0, 6))
            printf(" desde el %s (por %s)", PQgetvalue(c, 0, 8), PQgetvalue(c, 0, 5));
        else
            printf(" el %s (por %s)", PQgetvalue(c, 0, 9), PQgetvalue(c, 0, 7));
        printf(".\nFecha límite: %s, más %s %s de gracia (a tiempo si la primera entrega "
               "llega a más tardar el %s, hora de %s).\n",
               PQgetvalue(c, 0, 11), PQgetvalue(c, 0, 1),
               atoi(PQgetvalue(c, 0, 1)) == 1 ? "día" : "días", PQgetvalue(c, 0, 10),
               PQgetvalue(c, 0, 2));
        printf("Cuentan en los totales: %s.\n",
               !strcmp(PQgetvalue(c, 0, 3), "aprobadas")          ? "solo las fichas aprobadas"
               : !strcmp(PQgetvalue(c, 0, 3), "sin_observaciones") ? "todas menos las observadas"
                                                                  : "todas las fichas");
        printf("Entregaron %lld de %lld %s.\n\n", entregaron, esperados,
               esperados == 1 ? "cuerpo esperado" : "cuerpos esperados");
        consulta_grilla g;
        consulta_grilla_init(&g, 6);
        consulta_grilla_derecha(&g, 4);
        const char *head[] = {"Clave", "Nombre", "Tipo", "Estado", "Fichas", "Primera entrega"};
        consulta_grilla_fila(&g, head);
        consulta_grilla_linea(&g);
        for (int r = 0; r < n; r++) {
            char estado[96];
            const char *e = PQgetvalue(s, r, 6);
            snprintf(estado, sizeof estado, "%s%s%s", cuerpos_estado_texto(e),
                     PQgetvalue(s, r, 7)[0] == 't' ? " (reabierta)" : "",
                     PQgetvalue(s, r, 5)[0] == 't' ? ""
                     : PQgetvalue(s, r, 4)[0] == 't' ? " [no vigente]"
                                                     : " [no convocado]");
            const char *row[] = {PQgetvalue(s, r, 0), PQgetvalue(s, r, 1),
                                 cuerpos_tipo_texto(*PQgetvalue(s, r, 2) ? PQgetvalue(s, r, 2)
                                                                        : NULL),
                                 estado, PQgetvalue(s, r, 8), PQgetvalue(s, r, 12)};
            consulta_grilla_fila(&g, row);
        }
        consulta_grilla_imprimir(&g, stdout);
        consulta_grilla_free(&g);
        printf("\nSe espera a quien está convocado y vigente en la fecha límite; lo que "
               "envía un\ncuerpo ya cerrado cuenta para su sucesor. [no convocado]: entregó o "
               "envió fichas\nsin estar en la convocatoria; no entra en la tasa.\n");
    }
    PQclear(s);
    PQclear(c);
    return 0;
}

int convocatoria_ver(int argc, char **argv, pmm_conf *conf)
{
    static const struct option opts[] = {{"ejercicio", required_argument, NULL, 'e'},
                                         {"formato", required_argument, NULL, 'f'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int anio = 0, opt;
    bool json = false;
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (opt) {
        case 'e':
            if (cuerpos_anio(optarg, &anio)) {
                fprintf(stderr, "pmm convocatoria: --ejercicio debe ser un año de 2018 a "
                                "2100\n");
                return EXIT_USO;
            }
            break;
        case 'f':
            if (strcmp(optarg, "tabla") && strcmp(optarg, "json")) {
                fprintf(stderr, "pmm convocatoria: --formato admite tabla o json\n");
                return EXIT_USO;
            }
            json = !strcmp(optarg, "json");
            break;
        case 'h': ayuda(); return 0;
        default: return cli_opcion_mala(CMD, opt, argv);
        }
    }
    if (optind != argc) {
        fprintf(stderr, "pmm convocatoria: subcomando o argumento desconocido: %s (pmm "
                        "convocatoria --help)\n", argv[optind]);
        return EXIT_USO;
    }
    pmm_error err;
    pmm_error_clear(&err);
    PGconn *db = consulta_conectar(conf, "pmm-convocatoria", &err);
    int rc = !db || zona(db, conf, &err) ? -1 : anio ? una(db, anio, json, &err)
                                                    : lista(db, json, &err);
    consulta_desconectar(db);
    if (rc != 0) {
        fprintf(stderr, "pmm convocatoria: %s\n", err.mensaje);
        return err.code == 1 ? EXIT_RECHAZO : EXIT_USO;
    }
    return consulta_fin_salida(CMD);
}
