/* pmm enviar -- reads fichas (JSON or JSON Lines), checks them against the
 * contract, sends the valid ones pipelined to ingestd and prints one line per
 * ficha in input order. A refused line never stops the others. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "opciones.h"
#include "ficha.h"
#include "ficha_reader.h"
#include "refdata.h"
#include "envio.h"
#include "sender.h"
#include "wire.h"
#include "zap.h"

typedef struct {
    ficha_reader *reader;
    const refdata *ref;
    ficha_rules rules;
    envio *out;
    ficha_registro rec;         /* the record being read */
    int aborted;
} enviar_ctx;

static int pull_ficha(void *user, Pmm__Ficha **out, uint64_t *seq)
{
    enviar_ctx *c = user;
    ficha_registro *rec = &c->rec;
    for (;;) {
        pmm_error err;
        pmm_error_clear(&err);
        int rc = ficha_reader_next_registro(c->reader, rec, &err);
        if (rc <= 0) {
            if (rc < 0) {
                fprintf(stderr, "pmm enviar: %s\n", err.mensaje);
                c->aborted = 1;
            }
            return rc;
        }
        Pmm__Ficha *f = rec->f;
        uint64_t s;
        envio_origen o = {.unidad = "linea", .posicion = rec->line, .clave = rec->clave};
        if (envio_registrar(c->out, &o, &s) != 0) {
            if (f)
                pmm__ficha__free_unpacked(f, NULL);
            fprintf(stderr, "pmm enviar: sin memoria\n");
            c->aborted = 1;
            return -1;
        }
        size_t n = rec->nerrs;
        if (f)
            n = ficha_validate_all(f, c->ref, &c->rules, rec->errs, FICHA_MAX_ERRORES);
        if (n == 0) {
            *out = f;
            *seq = s;
            return 1;
        }
        if (f)
            pmm__ficha__free_unpacked(f, NULL);
        envio_rechazar(c->out, s, rec->errs, n);
    }
}

/* The sender's results go to the envio, in input order. */
static void push(void *user, const sender_result *r)
{
    enviar_ctx *c = user;
    envio_resultado(c->out, r);
}

static size_t count_lines(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = 0;
    int ch, last = '\n';
    while ((ch = getc(f)) != EOF) {
        if (ch == '\n')
            n++;
        last = ch;
    }
    if (last != '\n')
        n++;
    fclose(f);
    return n;
}

static void usage(FILE *out)
{
    fprintf(out,
            "Uso: pmm enviar [--json] [--codificacion C] [--servidor ENDPOINT]\n"
            "                [--ventana N] [--espera MS] ARCHIVO|-\n\n"
            "Envía fichas técnicas al colector. ARCHIVO contiene fichas en JSON\n"
            "(docs/contrato-ficha.md): una por línea (JSON Lines), un objeto en varias\n"
            "líneas, varios seguidos o una lista [ ... ]; «-» lee la entrada estándar.\n"
            "Cada ficha se valida antes de enviarla y se informan todos sus problemas;\n"
            "una ficha rechazada no afecta a las demás. Una ficha con \"retirada\": true\n"
            "retira la versión vigente de los totales (sección 8 del contrato).\n\n"
            "Opciones:\n"
            "  --json              una línea JSON por ficha (linea, clave, estado, id,\n"
            "                      version, error y, si hay varios, errores)\n"
            "  --codificacion C    utf8 (por omisión), latin1 o windows-1252: convierte\n"
            "                      a UTF-8\n"
            "  --servidor ENDPOINT colector (por omisión [ingestd] endpoint de la\n"
            "                      configuración)\n"
            "  --ventana N         fichas en vuelo a la vez (por omisión 256)\n"
            "  --espera MS         silencio antes de reenviar (por omisión 5000)\n"
            "  -h, --help          muestra esta ayuda\n\n"
            "Ejemplos:\n"
            "  pmm enviar fichas.jsonl\n"
            "  pmm enviar --codificacion latin1 --json ficha_de_word.json\n\n"
            "Salida: 0 si todas fueron aceptadas o repetidas, 1 si alguna fue\n"
            "rechazada, 2 por error de uso o de conexión.\n");
}

int cmd_enviar(int argc, char **argv, pmm_conf *conf)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},
        {"servidor", required_argument, NULL, 's'},
        {"ventana", required_argument, NULL, 'w'},
        {"espera", required_argument, NULL, 't'},
        {"codificacion", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    enviar_ctx c;
    memset(&c, 0, sizeof c);
    int json = 0;
    const char *codificacion = "utf8";
    sender_opts so = {
        .endpoint = conf_str(conf, "ingestd", "endpoint"),
        .window = (int)conf_long(conf, "cliente", "ventana"),
        .timeout_ms = (int)conf_long(conf, "cliente", "espera_ms"),
        .max_attempts = (int)conf_long(conf, "cliente", "intentos"),
    };
    int opt;
    char *end;
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (opt) {
        case 'j': json = 1; break;
        case 's': so.endpoint = optarg; break;
        case 'w':
            so.window = (int)strtol(optarg, &end, 10);
            if (*end || !*optarg || so.window < 1 || so.window > 100000) {
                fprintf(stderr, "pmm enviar: --ventana debe ser un entero de 1 a 100000, "
                                "no «%s»\n", optarg);
                return EXIT_USO;
            }
            break;
        case 't':
            so.timeout_ms = (int)strtol(optarg, &end, 10);
            if (*end || !*optarg || so.timeout_ms < 1 || so.timeout_ms > 3600000) {
                fprintf(stderr, "pmm enviar: --espera debe ser un número de milisegundos "
                                "de 1 a 3600000, no «%s»\n", optarg);
                return EXIT_USO;
            }
            break;
        case 'c': codificacion = optarg; break;
        case 'h': usage(stdout); return 0;
        default: return cli_opcion_mala("enviar", opt, argv);
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "pmm enviar: indique un ARCHIVO o «-» (la entrada estándar); vea "
                        "pmm enviar --help\n");
        return EXIT_USO;
    }
    if (optind + 1 < argc)
        return cli_argumento_sobrante("enviar", argv[optind + 1]);
    if (!so.endpoint) {
        fprintf(stderr, "pmm enviar: no se conoce el colector: indique "
                        "--servidor o [ingestd] endpoint en pmm.conf "
                        "(o defina PMM_HOME)\n");
        return EXIT_USO;
    }
    const char *path = argv[optind];
    FILE *in = strcmp(path, "-") ? fopen(path, "r") : stdin;
    if (!in) {
        fprintf(stderr, "pmm enviar: no se puede abrir %s: %s\n", path,
                errno == ENOENT ? "no existe" : errno == EACCES ? "sin permiso de lectura"
                                                                : "error del sistema");
        return EXIT_USO;
    }
    pmm_error err;
    pmm_error_clear(&err);
    zap_client curve;
    if (zap_client_from_conf(conf, so.endpoint, "ingestd", "cliente", &curve, &err) != 0) {
        fprintf(stderr, "pmm enviar: %s\n", err.mensaje);
        if (in != stdin)
            fclose(in);
        return EXIT_USO;
    }
    so.curve = &curve;
    refdata *ref = refdata_load(conf_data_dir(conf), &err);
    if (!ref) {
        fprintf(stderr, "pmm enviar: %s\n", err.mensaje);
        if (in != stdin)
            fclose(in);
        return EXIT_USO;
    }
    c.ref = ref;
    c.rules = ficha_rules_default();
    c.reader = ficha_reader_new(in);
    if (!c.reader || ficha_reader_set_codificacion(c.reader, codificacion, &err) != 0) {
        fprintf(stderr, "pmm enviar: %s\n", c.reader ? err.mensaje : "sin memoria");
        ficha_reader_destroy(&c.reader);
        refdata_destroy(&ref);
        if (in != stdin)
            fclose(in);
        return EXIT_USO;
    }
    if (strcmp(codificacion, "utf8") && strcmp(codificacion, "utf-8"))
        fprintf(stderr, "pmm enviar: aviso: se lee %s como %s y se convierte a UTF-8\n",
                path, codificacion);
    c.out = envio_new(json, "enviar");
    if (!c.out) {
        fprintf(stderr, "pmm enviar: sin memoria\n");
        ficha_reader_destroy(&c.reader);
        refdata_destroy(&ref);
        if (in != stdin)
            fclose(in);
        return EXIT_USO;
    }
    if (isatty(STDERR_FILENO) && !getenv("PMM_SIN_PROGRESO"))
        envio_progreso(c.out, in != stdin ? count_lines(path) : 0);

    int rc = sender_run(&so, pull_ficha, push, &c, &err);
    if (rc != 0)
        fprintf(stderr, "pmm enviar: %s\n", err.mensaje);
    int salida = envio_terminar(c.out, rc, c.aborted, 0);

    envio_destroy(&c.out);
    ficha_reader_destroy(&c.reader);
    refdata_destroy(&ref);
    if (in != stdin)
        fclose(in);
    return salida;
}
