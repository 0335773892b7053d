/* pmm observaciones -- the analysts' observations on a body's fichas
 * (issue 18).
 *
 *   pmm observaciones --ejercicio AÑO [--dependencia SIGLA | --entidad CLAVE]
 *                     [--formato tabla|json] [--servidor ENDPOINT]
 *
 * Asks the collector (MSG_QUERY "observaciones"), page after page: with a
 * remitente key a body reads its own fichas only; the unit (its own host,
 * or an analyst's key) names the body. Lists the versions in force whose
 * latest review is "con observaciones"; a body answers with a new version
 * ("reemplaza"), which goes back to review. Runs in pmm-red.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "consulta_salida.h"
#include "cuerpos.h"
#include "opciones.h"
#include "red_seguimiento.h"
#include "wire.h"

#define CMD "observaciones"

static void ayuda(void)
{
    printf("Uso: pmm observaciones --ejercicio AÑO [--dependencia SIGLA | --entidad CLAVE]\n"
           "                       [--formato tabla|json] [--servidor ENDPOINT]\n\n"
           "Las observaciones de los analistas sobre las fichas de un cuerpo en un "
           "ejercicio,\ny cuántas están aprobadas, observadas o pendientes de revisión. "
           "Cada observación\nse responde con una versión nueva de la ficha (\"reemplaza\": "
           "N), que vuelve a\nrevisión y reabre la entrega hasta que el cuerpo entregue "
           "de nuevo.\n\n"
           "  --ejercicio AÑO      ejercicio de las fichas\n"
           "  --dependencia SIGLA  el cuerpo (con una clave de remitente: solo el suyo, y "
           "puede\n"
           "                       omitirse)\n"
           "  --entidad CLAVE      o un gobierno estatal (clave INEGI o nombre)\n"
           "  --formato F          tabla (predeterminado) o json\n"
           "  --servidor ENDPOINT  colector (por omisión [ingestd] endpoint)\n"
           "  -h, --help           muestra esta ayuda\n\n"
           "Ejemplos:\n  pmm --clave sre.key_secret observaciones --ejercicio 2022\n"
           "  pmm observaciones --ejercicio 2022 --entidad Chiapas --formato json\n");
}

static ProtobufCBinaryData bytes(const char *s)
{
    return (ProtobufCBinaryData){strlen(s), (uint8_t *)s};
}

static json_t *txt(ProtobufCBinaryData b)
{
    return json_stringn((const char *)b.data, b.len);
}

int cmd_observaciones(int argc, char **argv, pmm_conf *conf)
{
    static const struct option opts[] = {{"ejercicio", required_argument, NULL, 'e'},
                                         {"dependencia", required_argument, NULL, 'd'},
                                         {"entidad", required_argument, NULL, 'n'},
                                         {"formato", required_argument, NULL, 'f'},
                                         {"servidor", required_argument, NULL, 'S'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int anio = 0, opt, json = 0;
    const char *dep = NULL, *ent = NULL, *servidor = NULL;
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (opt) {
        case 'e':
            if (cuerpos_anio(optarg, &anio)) {
                fprintf(stderr, "pmm observaciones: --ejercicio debe ser un año de 2018 a "
                                "2100\n");
                return EXIT_USO;
            }
            break;
        case 'd': dep = optarg; break;
        case 'n': ent = optarg; break;
        case 'f':
            if (strcmp(optarg, "tabla") && strcmp(optarg, "json")) {
                fprintf(stderr, "pmm observaciones: --formato admite tabla o json\n");
                return EXIT_USO;
            }
            json = !strcmp(optarg, "json");
            break;
        case 'S': servidor = optarg; break;
        case 'h': ayuda(); return 0;
        default: return cli_opcion_mala(CMD, opt, argv);
        }
    }
    if (optind != argc || !anio || (dep && ent)) {
        fprintf(stderr, "pmm observaciones: indique --ejercicio AÑO y, a lo más, uno de "
                        "--dependencia o --entidad (pmm observaciones --help)\n");
        return EXIT_USO;
    }
    Pmm__Query q;
    pmm__query__init(&q);
    q.has_consulta = q.has_ejercicio = q.has_desde = 1;
    q.consulta = bytes("observaciones");
    q.ejercicio = anio;
    if (dep) {
        q.has_dependencia = 1;
        q.dependencia = bytes(dep);
    }
    if (ent) {
        q.has_entidad = 1;
        q.entidad = bytes(ent);
    }
    Pmm__Envelope req;
    wire_envelope_init(&req, PMM__MSG_TYPE__MSG_QUERY, (const uint8_t *)"observaciones", 13);
    req.body_case = PMM__ENVELOPE__BODY_QUERY;
    req.query = &q;
    pmm_error err;
    pmm_error_clear(&err);
    json_t *items = json_array(), *res = NULL;
    int rc = 0;
    char emisor[CUERPO_MAX] = "";
    long long fichas = 0, aprobadas = 0, observadas = 0;
    for (int pagina = 0; pagina < 10000; pagina++) {
        Pmm__Envelope *rep = red_pedir(conf, servidor, &req, PMM__MSG_TYPE__MSG_QUERY_REPLY,
                                       &err);
        if (!rep) {
            fprintf(stderr, "pmm observaciones: %s\n", err.mensaje);
            rc = err.code == PMM__ERROR_CODE__ERR_INVALID ||
                         err.code == PMM__ERROR_CODE__ERR_DENIED
                     ? EXIT_RECHAZO
                     : EXIT_USO;
            break;
        }
        const Pmm__QueryReply *r = rep->query_reply;
        snprintf(emisor, sizeof emisor, "%.*s", RED_TXT(r->emisor));
        fichas = r->fichas;
        aprobadas = r->aprobadas;
        observadas = r->con_observaciones;
        for (size_t i = 0; i < r->n_observaciones; i++) {
            const Pmm__Observacion *o = r->observaciones[i];
            char h[32];
            json_array_append_new(
                items, json_pack("{s:I,s:o,s:I,s:o,s:o,s:o,s:s,s:I}", "ficha",
                                 (json_int_t)o->ficha_id, "clave", txt(o->clave), "version",
                                 (json_int_t)o->version, "programa", txt(o->programa), "nota",
                                 txt(o->nota), "analista", txt(o->analista), "fecha",
                                 red_hora(conf, o->momento_us, h, sizeof h), "momento_us",
                                 (json_int_t)o->momento_us));
        }
        int64_t siguiente = r->siguiente;
        pmm__envelope__free_unpacked(rep, NULL);
        if (!siguiente)
            break;
        q.desde = siguiente;
    }
    if (rc == 0 && json) {
        res = json_pack("{s:s,s:i,s:I,s:I,s:I,s:I,s:O}", "emisor", emisor, "ejercicio", anio,
                        "fichas", (json_int_t)fichas, "aprobadas", (json_int_t)aprobadas,
                        "con_observaciones", (json_int_t)observadas, "pendientes",
                        (json_int_t)(fichas - aprobadas - observadas), "observaciones", items);
        consulta_json(stdout, res);
    } else if (rc == 0) {
        long long pend = fichas - aprobadas - observadas;
        printf("%s, ejercicio %d: %lld %s; %lld %s, %lld con observaciones, %lld %s de "
               "revisión.\n",
               emisor, anio, fichas, fichas == 1 ? "ficha" : "fichas", aprobadas,
               aprobadas == 1 ? "aprobada" : "aprobadas", observadas, pend,
               pend == 1 ? "pendiente" : "pendientes");
        size_t i;
        json_t *o;
        json_array_foreach(items, i, o) {
            printf("\nFicha %lld (clave %s, versión %lld): %s\n",
                   (long long)json_integer_value(json_object_get(o, "ficha")),
                   json_string_value(json_object_get(o, "clave")),
                   (long long)json_integer_value(json_object_get(o, "version")),
                   json_string_value(json_object_get(o, "programa")));
            printf("  Observación de %s, %s:\n  %s\n",
                   json_string_value(json_object_get(o, "analista")),
                   json_string_value(json_object_get(o, "fecha")),
                   json_string_value(json_object_get(o, "nota")));
        }
        if (json_array_size(items))
            printf("\nResponda cada observación con una versión nueva de la ficha "
                   "(\"reemplaza\": su versión actual) y vuelva a entregar.\n");
    }
    json_decref(items);
    return rc ? rc : consulta_fin_salida(CMD);
}
