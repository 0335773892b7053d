/* pmm enviar -- reads fichas (JSON or JSON Lines), checks them against the
 * contract, sends the valid ones pipelined to ingestd and prints one line per
 * ficha in input order. A refused line never stops the others. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "opciones.h"
#include "ficha.h"
#include "ficha_reader.h"
#include "refdata.h"
#include "sender.h"
#include "wire.h"
#include "zap.h"

typedef struct {
    size_t line;
    char clave[FICHA_MAX_CLAVE + 1];
    int done;
    sender_result r;
    /* every fault found before sending (r.err is the first); heap */
    pmm_error *faults;
    size_t nfaults, more;   /* more: faults beyond FICHA_MAX_ERRORES */
} outcome;

typedef struct {
    ficha_reader *reader;
    const refdata *ref;
    ficha_rules rules;
    int json;
    /* outcomes in input order; [head, count) not yet printed */
    outcome *out;
    size_t count, cap, head;
    uint64_t base_seq;          /* seq of out[0] */
    size_t n_ok, n_rep, n_bad, n_unknown;
    size_t total_lines;         /* for the progress bar; 0 if unknown */
    ficha_registro rec;         /* the record being read */
    int progress;
    int aborted;
} enviar_ctx;

static json_t *error_json(const pmm_error *e)
{
    json_t *o = json_object();
    json_object_set_new(o, "campo", json_string(e->campo));
    json_object_set_new(o, "regla", json_string(e->regla));
    json_object_set_new(o, "mensaje", json_string(e->mensaje));
    return o;
}

static const char *estado_name(Pmm__Estado e)
{
    switch (e) {
    case PMM__ESTADO__ESTADO_ACEPTADA: return "aceptada";
    case PMM__ESTADO__ESTADO_REPETIDA: return "repetida";
    case PMM__ESTADO__ESTADO_RECHAZADA: return "rechazada";
    default: return "desconocido";
    }
}

static void print_outcome(enviar_ctx *c, const outcome *o)
{
    const sender_result *r = &o->r;
    switch (r->estado) {
    case PMM__ESTADO__ESTADO_ACEPTADA: c->n_ok++; break;
    case PMM__ESTADO__ESTADO_REPETIDA: c->n_rep++; break;
    case PMM__ESTADO__ESTADO_RECHAZADA: c->n_bad++; break;
    default: c->n_unknown++;
    }
    int has_receipt = r->estado == PMM__ESTADO__ESTADO_ACEPTADA ||
                      r->estado == PMM__ESTADO__ESTADO_REPETIDA;
    if (c->json) {
        json_t *j = json_object();
        json_object_set_new(j, "linea", json_integer((json_int_t)o->line));
        json_object_set_new(j, "clave", o->clave[0] ? json_string(o->clave)
                                                    : json_null());
        json_object_set_new(j, "estado", json_string(estado_name(r->estado)));
        if (has_receipt) {
            json_object_set_new(j, "id", json_integer(r->id));
            json_object_set_new(j, "version", json_integer(r->version));
        } else {
            json_object_set_new(j, "error", error_json(&r->err));
            if (o->nfaults > 1) {
                json_t *all = json_array();
                for (size_t i = 0; i < o->nfaults; i++)
                    json_array_append_new(all, error_json(&o->faults[i]));
                json_object_set_new(j, "errores", all);
            }
        }
        char *s = json_dumps(j, JSON_COMPACT);
        if (s)
            puts(s);
        free(s);
        json_decref(j);
        return;
    }
    if (has_receipt)
        printf("línea %zu: %s %s (id %lld, versión %lld)\n", o->line, o->clave,
               estado_name(r->estado), (long long)r->id, (long long)r->version);
    else if (o->nfaults > 1) {
        printf("línea %zu: %s %s: %zu problemas\n", o->line,
               o->clave[0] ? o->clave : "(sin clave)", estado_name(r->estado),
               o->nfaults + o->more);
        for (size_t i = 0; i < o->nfaults; i++) {
            const pmm_error *e = &o->faults[i];
            if (e->campo[0])
                printf("  - campo %s, regla %s: %s\n", e->campo, e->regla, e->mensaje);
            else
                printf("  - regla %s: %s\n", e->regla, e->mensaje);
        }
        if (o->more)
            printf("  - y %zu más\n", o->more);
    } else if (r->err.campo[0])
        printf("línea %zu: %s %s: campo %s, regla %s: %s\n", o->line,
               o->clave[0] ? o->clave : "(sin clave)", estado_name(r->estado),
               r->err.campo, r->err.regla, r->err.mensaje);
    else
        printf("línea %zu: %s %s: %s (%s)\n", o->line,
               o->clave[0] ? o->clave : "(sin clave)", estado_name(r->estado),
               r->err.mensaje, r->err.regla);
}

static void show_progress(enviar_ctx *c, int final)
{
    if (!c->progress)
        return;
    size_t done = c->n_ok + c->n_rep + c->n_bad + c->n_unknown;
    if (!final && done % 50 != 0)
        return;
    if (c->total_lines) {
        int width = 30;
        size_t filled = done * (size_t)width / (c->total_lines ? c->total_lines : 1);
        if (filled > (size_t)width)
            filled = (size_t)width;
        fprintf(stderr, "\r[%.*s%*s] %zu/%zu fichas", (int)filled,
                "##############################", width - (int)filled, "", done,
                c->total_lines);
    } else {
        fprintf(stderr, "\r%zu %s", done, cli_plural((long long)done, "ficha", "fichas"));
    }
    if (final)
        fputc('\n', stderr);
    fflush(stderr);
}

/* Prints every finished outcome at the head, in input order. */
static void flush_ready(enviar_ctx *c)
{
    while (c->head < c->count && c->out[c->head].done) {
        print_outcome(c, &c->out[c->head]);
        free(c->out[c->head].faults);
        c->out[c->head].faults = NULL;
        c->head++;
        show_progress(c, 0);
    }
    if (c->head > 1024 && c->head * 2 > c->count) {
        memmove(c->out, c->out + c->head, (c->count - c->head) * sizeof *c->out);
        c->count -= c->head;
        c->base_seq += c->head;
        c->head = 0;
    }
}

static outcome *new_outcome(enviar_ctx *c, size_t line, uint64_t *seq)
{
    if (c->count == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 1024;
        outcome *n = realloc(c->out, cap * sizeof *n);
        if (!n)
            return NULL;
        c->out = n;
        c->cap = cap;
    }
    outcome *o = &c->out[c->count];
    memset(o, 0, sizeof *o);
    o->line = line;
    *seq = c->base_seq + c->count;
    c->count++;
    return o;
}

static void on_result(void *user, const sender_result *r)
{
    enviar_ctx *c = user;
    outcome *o = &c->out[r->seq - c->base_seq];
    o->r = *r;
    o->done = 1;
    flush_ready(c);
}

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
        outcome *o = new_outcome(c, rec->line, &s);
        if (!o) {
            if (f)
                pmm__ficha__free_unpacked(f, NULL);
            fprintf(stderr, "pmm enviar: sin memoria\n");
            c->aborted = 1;
            return -1;
        }
        snprintf(o->clave, sizeof o->clave, "%s", rec->clave);
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
        size_t kept = n < FICHA_MAX_ERRORES ? n : FICHA_MAX_ERRORES;
        o->r.seq = s;
        o->r.estado = PMM__ESTADO__ESTADO_RECHAZADA;
        o->r.err = rec->errs[0];
        if (kept > 1 && (o->faults = malloc(kept * sizeof *o->faults))) {
            memcpy(o->faults, rec->errs, kept * sizeof *o->faults);
            o->nfaults = kept;
            o->more = n - kept;
        }
        o->done = 1;
        flush_ready(c);
    }
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
        case 'j': c.json = 1; break;
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
    c.progress = isatty(STDERR_FILENO) && !getenv("PMM_SIN_PROGRESO");
    if (c.progress && in != stdin)
        c.total_lines = count_lines(path);

    int rc = sender_run(&so, pull_ficha, on_result, &c, &err);
    if (rc != 0)
        fprintf(stderr, "pmm enviar: %s\n", err.mensaje);
    flush_ready(&c);
    show_progress(&c, 1);
    size_t total = c.n_ok + c.n_rep + c.n_bad + c.n_unknown;
    fprintf(stderr, "%zu %s: %zu %s, %zu %s, %zu %s", total,
            cli_plural((long long)total, "ficha", "fichas"), c.n_ok,
            cli_plural((long long)c.n_ok, "aceptada", "aceptadas"), c.n_rep,
            cli_plural((long long)c.n_rep, "repetida", "repetidas"), c.n_bad,
            cli_plural((long long)c.n_bad, "rechazada", "rechazadas"));
    if (c.n_unknown)
        fprintf(stderr, ", %zu sin respuesta del colector", c.n_unknown);
    fputc('\n', stderr);

    ficha_reader_destroy(&c.reader);
    for (size_t i = c.head; i < c.count; i++)
        free(c.out[i].faults);
    free(c.out);
    refdata_destroy(&ref);
    if (in != stdin)
        fclose(in);
    if (rc != 0 || c.aborted || c.n_unknown)
        return EXIT_USO;
    return c.n_bad ? EXIT_RECHAZO : 0;
}
