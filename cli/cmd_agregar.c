/* pmm agregar --ahora -- asks aggregd to recompute every total from the
 * stored fichas now, repair any drift, and say what it found. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "opciones.h"
#include "sender.h"
#include "wire.h"
#include "zap.h"

static void usage(FILE *out)
{
    fprintf(out, "Uso: pmm agregar --ahora\n\n"
                 "Pide a aggregd que recalcule todos los totales a partir de las fichas\n"
                 "guardadas, los compare con los mantenidos y repare cualquier diferencia.\n"
                 "aggregd lo hace también a diario ([aggregd] recalculo en pmm.conf).\n\n"
                 "Opciones:\n"
                 "  --ahora      recalcula ahora (obligatoria)\n"
                 "  -h, --help   muestra esta ayuda\n\n"
                 "Ejemplo:\n"
                 "  pmm agregar --ahora\n\n"
                 "Salida: 0 si el recálculo terminó, 1 si aggregd lo rechazó, 2 por error de\n"
                 "uso o de conexión.\n");
}

int cmd_agregar(int argc, char **argv, pmm_conf *conf)
{
    static const struct option opts[] = {{"ahora", no_argument, NULL, 'a'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int now = 0, opt;
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        if (opt == 'a')
            now = 1;
        else if (opt == 'h') {
            usage(stdout);
            return 0;
        } else
            return cli_opcion_mala("agregar", opt, argv);
    }
    if (optind != argc)
        return cli_argumento_sobrante("agregar", argv[optind]);
    if (!now) {
        fprintf(stderr, "pmm agregar: indique --ahora (el recálculo programado lo "
                        "hace aggregd); vea pmm agregar --help\n");
        return EXIT_USO;
    }
    const char *endpoint = conf_str(conf, "aggregd", "endpoint");
    if (!endpoint) {
        fprintf(stderr, "pmm agregar: falta [aggregd] endpoint en la configuración\n");
        return EXIT_USO;
    }
    Pmm__Envelope req;
    Pmm__Control c;
    wire_envelope_init(&req, PMM__MSG_TYPE__MSG_CONTROL, (const uint8_t *)"agregar", 7);
    pmm__control__init(&c);
    c.has_command = 1;
    c.command.data = (uint8_t *)"agregar";
    c.command.len = 7;
    req.body_case = PMM__ENVELOPE__BODY_CONTROL;
    req.control = &c;
    pmm_error err;
    pmm_error_clear(&err);
    zap_client curve;
    if (zap_client_from_conf(conf, endpoint, "aggregd", "cliente", &curve, &err) != 0) {
        fprintf(stderr, "pmm agregar: %s\n", err.mensaje);
        return EXIT_USO;
    }
    void *zctx = zmq_ctx_new();
    int timeout = (int)conf_long(conf, "cliente", "espera_recalculo_ms");
    Pmm__Envelope *reply = sender_call(zctx, endpoint, &curve, &req, timeout, &err);
    int rc = EXIT_USO;
    if (!reply) {
        fprintf(stderr, "pmm agregar: aggregd no respondió: %s\n", err.mensaje);
    } else if (reply->type == PMM__MSG_TYPE__MSG_CONTROL_REPLY) {
        printf("%.*s\n", (int)reply->control_reply->message.len,
               (const char *)reply->control_reply->message.data);
        rc = reply->control_reply->ok ? 0 : EXIT_RECHAZO;
    } else if (reply->type == PMM__MSG_TYPE__MSG_ERROR) {
        fprintf(stderr, "pmm agregar: %.*s\n", (int)reply->error->mensaje.len,
                (const char *)reply->error->mensaje.data);
    }
    if (reply)
        pmm__envelope__free_unpacked(reply, NULL);
    zmq_ctx_term(zctx);
    return rc;
}
