/* pmm entregar -- a body says its report of a year is complete (issue 18).
 *
 *   pmm entregar --ejercicio AÑO [--dependencia SIGLA | --entidad CLAVE]
 *                [--sin-acciones --nota "…"] [--fecha AAAA-MM-DD[ HH:MM]]
 *                [--analista NOMBRE] [--servidor ENDPOINT]
 *
 * Delivery is an act of its own, apart from sending fichas: ingestd
 * records it (MSG_DELIVER) with the sender's identity. A body with a
 * remitente key delivers for itself only; the unit (on its own host, or
 * with an analyst's or administrator's key) for any body of the roster,
 * and may record a delivery made by other means with its date. Runs in
 * pmm-red.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analista.h"
#include "commands.h"
#include "cuerpos.h"
#include "opciones.h"
#include "red_seguimiento.h"
#include "wire.h"

#define CMD "entregar"

static void ayuda(void)
{
    printf("Uso: pmm entregar --ejercicio AÑO [--dependencia SIGLA | --entidad CLAVE]\n"
           "                  [--sin-acciones --nota TEXTO] [--fecha AAAA-MM-DD[ HH:MM]]\n"
           "                  [--analista NOMBRE] [--servidor ENDPOINT]\n\n"
           "Marca como completo el informe de un cuerpo en un ejercicio: la entrega es un "
           "acto\naparte del envío de fichas. Si después el cuerpo envía fichas o "
           "versiones nuevas,\nla entrega queda reabierta hasta que vuelva a entregar; "
           "la puntualidad se juzga\npor la primera entrega. Sin fichas del ejercicio la "
           "entrega se rechaza, salvo\ncon --sin-acciones (cuenta como informe y se "
           "muestra aparte).\n\n"
           "  --ejercicio AÑO      ejercicio que se entrega\n"
           "  --dependencia SIGLA  el cuerpo (con una clave de remitente: solo el suyo, y "
           "puede\n"
           "                       omitirse)\n"
           "  --entidad CLAVE      o un gobierno estatal (clave INEGI o nombre)\n"
           "  --sin-acciones       el cuerpo no tiene acciones que reportar (pide --nota)\n"
           "  --nota TEXTO         por qué, u otra aclaración (hasta 2000 caracteres)\n"
           "  --fecha FECHA        solo la unidad: registra una entrega hecha por otro "
           "medio\n"
           "                       (oficio, correo) con su fecha, en la zona horaria de la "
           "unidad\n"
           "  --analista NOMBRE    quién la registra (si no, $PMM_ANALISTA o su clave)\n"
           "  --servidor ENDPOINT  colector (por omisión [ingestd] endpoint)\n"
           "  -h, --help           muestra esta ayuda\n\n"
           "Sale con 0 si la entrega quedó registrada, 1 si fue rechazada (sin fichas, "
           "sin\nconvocatoria, otro cuerpo que el de su clave...) y 2 por errores de uso o "
           "conexión.\n\n"
           "Ejemplos:\n  pmm --clave sre.key_secret entregar --ejercicio 2022\n"
           "  pmm entregar --ejercicio 2022 --entidad 07 --fecha 2022-07-28\n"
           "  pmm entregar --ejercicio 2022 --dependencia SECTUR --sin-acciones --nota "
           "\"No hubo programas para personas migrantes en el periodo\"\n");
}

static ProtobufCBinaryData bytes(const char *s)
{
    return (ProtobufCBinaryData){strlen(s), (uint8_t *)s};
}

int cmd_entregar(int argc, char **argv, pmm_conf *conf)
{
    static const struct option opts[] = {{"ejercicio", required_argument, NULL, 'e'},
                                         {"dependencia", required_argument, NULL, 'd'},
                                         {"entidad", required_argument, NULL, 'n'},
                                         {"sin-acciones", no_argument, NULL, 's'},
                                         {"nota", required_argument, NULL, 't'},
                                         {"fecha", required_argument, NULL, 'f'},
                                         {"analista", required_argument, NULL, 'a'},
                                         {"servidor", required_argument, NULL, 'S'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int anio = 0, opt, sin_acciones = 0;
    const char *dep = NULL, *ent = NULL, *nota = NULL, *fecha = NULL, *analista_opc = NULL,
               *servidor = NULL;
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (opt) {
        case 'e':
            if (cuerpos_anio(optarg, &anio)) {
                fprintf(stderr, "pmm entregar: --ejercicio debe ser un año de 2018 a 2100\n");
                return EXIT_USO;
            }
            break;
        case 'd': dep = optarg; break;
        case 'n': ent = optarg; break;
        case 's': sin_acciones = 1; break;
        case 't': nota = optarg; break;
        case 'f': fecha = optarg; break;
        case 'a': analista_opc = optarg; break;
        case 'S': servidor = optarg; break;
        case 'h': ayuda(); return 0;
        default: return cli_opcion_mala(CMD, opt, argv);
        }
    }
    if (optind != argc)
        return cli_argumento_sobrante("entregar", argv[optind]);
    if (!anio) {
        fprintf(stderr, "pmm entregar: indique --ejercicio AÑO\n");
        return EXIT_USO;
    }
    if (dep && ent) {
        fprintf(stderr, "pmm entregar: --dependencia y --entidad se excluyen\n");
        return EXIT_USO;
    }
    if (sin_acciones && (!nota || !*nota)) {
        fprintf(stderr, "pmm entregar: --sin-acciones pide una nota que diga por qué "
                        "(--nota \"…\")\n");
        return EXIT_USO;
    }
    pmm_error err;
    pmm_error_clear(&err);
    char analista[160] = "";
    if (analista_nombre(conf, analista_opc, analista, sizeof analista, &err)) {
        fprintf(stderr, "pmm entregar: %s\n", err.mensaje);
        return EXIT_USO;
    }
    Pmm__Envelope req;
    Pmm__Deliver d;
    wire_envelope_init(&req, PMM__MSG_TYPE__MSG_DELIVER, (const uint8_t *)"entregar", 8);
    pmm__deliver__init(&d);
    d.has_ejercicio = 1;
    d.ejercicio = anio;
    if (dep) {
        d.has_dependencia = 1;
        d.dependencia = bytes(dep);
    }
    if (ent) {
        d.has_entidad = 1;
        d.entidad = bytes(ent);
    }
    d.has_sin_acciones = sin_acciones;
    d.sin_acciones = sin_acciones;
    if (nota) {
        d.has_nota = 1;
        d.nota = bytes(nota);
    }
    if (analista[0]) {
        d.has_analista = 1;
        d.analista = bytes(analista);
    }
    if (fecha) {
        d.has_fecha = d.has_zona = 1;
        d.fecha = bytes(fecha);
        d.zona = bytes(conf_zona_horaria(conf));
    }
    req.body_case = PMM__ENVELOPE__BODY_DELIVER;
    req.deliver = &d;
    Pmm__Envelope *rep = red_pedir(conf, servidor, &req, PMM__MSG_TYPE__MSG_DELIVER_REPLY, &err);
    if (!rep) {
        fprintf(stderr, "pmm entregar: %s\n", err.mensaje);
        if (!strcmp(err.regla, "sin_respuesta"))
            fprintf(stderr, "pmm entregar: no se sabe si la entrega quedó registrada; "
                            "repítala (entregar dos veces no cambia el estado)\n");
        return err.code == PMM__ERROR_CODE__ERR_INVALID ||
                       err.code == PMM__ERROR_CODE__ERR_DENIED
                   ? EXIT_RECHAZO
                   : EXIT_USO;
    }
    const Pmm__DeliverReply *r = rep->deliver_reply;
    char h1[32], h2[32];
    printf("Entrega registrada: %.*s, ejercicio %d, ", RED_TXT(r->emisor), anio);
    if (r->sin_acciones)
        printf("sin acciones que reportar.\n");
    else
        printf("%lld %s.\n", (long long)r->fichas, r->fichas == 1 ? "ficha" : "fichas");
    if (r->cuerpo.len != r->emisor.len ||
        memcmp(r->cuerpo.data, r->emisor.data, r->emisor.len))
        printf("Cuenta para %.*s, el cuerpo que la representa ese año en el padrón "
               "(renombres y fusiones).\n", RED_TXT(r->cuerpo));
    if (!r->convocada)
        printf("Aviso: %.*s no figura en la convocatoria %d: la entrega queda registrada "
               "pero no entra en la tasa.\n", RED_TXT(r->cuerpo), anio);
    /* "2022-07-31" -> "31/07/2022" */
    char limite[16] = "";
    if (r->limite.len == 10)
        snprintf(limite, sizeof limite, "%.2s/%.2s/%.4s", (const char *)r->limite.data + 8,
                 (const char *)r->limite.data + 5, (const char *)r->limite.data);
    printf("%s: la primera entrega (%s) llegó %s del fin del plazo (límite %s más %lld %s "
           "de gracia).\n",
           r->a_tiempo ? "A tiempo" : "Tarde", red_hora(conf, r->primera_us, h1, sizeof h1),
           r->a_tiempo ? "antes" : "después", limite, (long long)r->gracia,
           r->gracia == 1 ? "día" : "días");
    if (r->primera_us != r->momento_us)
        printf("Esta entrega: %s.\n", red_hora(conf, r->momento_us, h2, sizeof h2));
    if (r->cerrada)
        printf("La convocatoria ya estaba cerrada; la entrega se registra igualmente.\n");
    pmm__envelope__free_unpacked(rep, NULL);
    return 0;
}
