/* pmm importar -- fichas from Word forms (.docx, .odt) and spreadsheets
 * (.xlsx, .ods, .csv), files or whole directories. Without --enviar it is a
 * dry run that prints what it understood; with --enviar the fichas go
 * through the same validation, sender, receipts, idempotency and versions
 * as `pmm enviar` (envio.c, lib/wire/sender.c). A file that cannot be
 * read as a whole (hostile, damaged, too large) is refused entirely and
 * nothing of it is sent. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "opciones.h"
#include "envio.h"
#include "ficha_json.h"
#include "importar.h"
#include "importar_valores.h"
#include "ooxml_zip.h"
#include "sender.h"
#include "strbuf.h"
#include "zap.h"

typedef struct {
    char **v;
    size_t n, cap;
} rutas;

static int rutas_agregar(rutas *r, const char *p)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        char **v = realloc(r->v, cap * sizeof *v);
        if (!v)
            return -1;
        r->v = v;
        r->cap = cap;
    }
    if (!(r->v[r->n] = strdup(p)))
        return -1;
    r->n++;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Files under dir with an admitted extension, recursively; hidden files
 * and Word's lock files ("~$...") skipped. */
static int recorrer(const char *dir, rutas *r, int prof)
{
    if (prof > 32)
        return 0;
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "pmm importar: no se puede leer el directorio %s: %s\n", dir,
                ooxml_errno_texto(errno));
        return -1;
    }
    rutas aqui = {0};
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d)) && !rc) {
        if (e->d_name[0] == '.' || !strncmp(e->d_name, "~$", 2))
            continue;
        size_t n = strlen(dir) + strlen(e->d_name) + 2;
        char *p = malloc(n);
        if (!p) {
            rc = -1;
            break;
        }
        snprintf(p, n, "%s/%s", dir, e->d_name);
        rc = rutas_agregar(&aqui, p);
        free(p);
    }
    closedir(d);
    if (aqui.n)
        qsort(aqui.v, aqui.n, sizeof *aqui.v, cmp_str);
    for (size_t i = 0; i < aqui.n && !rc; i++) {
        struct stat st;
        if (stat(aqui.v[i], &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            rc = recorrer(aqui.v[i], r, prof + 1);
        else if (S_ISREG(st.st_mode) && importar_extension_admitida(aqui.v[i]))
            rc = rutas_agregar(r, aqui.v[i]);
    }
    for (size_t i = 0; i < aqui.n; i++)
        free(aqui.v[i]);
    free(aqui.v);
    return rc;
}

typedef struct {
    const imp_opciones *o;
    envio *out;
    const rutas *archivos;
    size_t archivo;          /* next file to read */
    imp_lista lista;         /* fichas of the current file */
    size_t siguiente;        /* next ficha of lista */
    const char *actual;      /* path of lista's file */
    int simulacro;
    int json;
    int abortado;
} importar_ctx;

/* "  campo: valor" for every field of the ficha as understood. */
static void campos_texto(strbuf *b, const json_t *obj, const char *prefijo)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)obj, k, v) {
        char ruta[96];
        snprintf(ruta, sizeof ruta, "%s%s%s", prefijo, *prefijo ? "." : "", k);
        if (json_is_object(v)) {
            campos_texto(b, v, ruta);
        } else if (json_is_integer(v)) {
            strbuf_printf(b, "  %s: %lld\n", ruta, (long long)json_integer_value(v));
        } else if (json_is_string(v)) {
            strbuf_printf(b, "  %s: ", ruta);
            for (const char *p = json_string_value(v); *p; p++) {
                strbuf_append(b, p, 1);
                if (*p == '\n')
                    strbuf_puts(b, "    ");
            }
            strbuf_puts(b, "\n");
        }
    }
}

/* The notes under a ficha's line and the extra JSON members. */
static void extras(const importar_ctx *c, const imp_ficha *f, envio_origen *o)
{
    strbuf b;
    strbuf_init(&b);
    json_t *x = json_object();
    if (f->clave_derivada) {
        strbuf_printf(&b, "  clave derivada: %s (escríbala en «Clave de la ficha» para "
                          "corregir esta ficha después)\n", f->clave);
        json_object_set_new(x, "clave_derivada", json_true());
    }
    size_t i;
    json_t *p;
    json_array_foreach(f->propuestos, i, p) {
        json_t *v = json_object_get(p, "valor");
        char *vs = json_dumps(v, JSON_ENCODE_ANY);
        const char *origen = json_string_value(json_object_get(p, "origen"));
        /* a quoted text is "de «…»"; other origins carry their preposition */
        strbuf_printf(&b, "  propuesto: %s = %s, %s%s\n",
                      json_string_value(json_object_get(p, "campo")), vs ? vs : "",
                      origen && !strncmp(origen, "«", strlen("«")) ? "de " : "",
                      origen ? origen : "");
        free(vs);
    }
    if (json_array_size(f->propuestos))
        json_object_set(x, "propuestos", f->propuestos);
    if (c->simulacro) {
        json_t *fj = imp_ficha_json(f);
        if (fj) {
            campos_texto(&b, fj, "");
            json_object_set_new(x, "ficha", fj);
        }
    }
    if (b.len && !strbuf_failed(&b)) {
        o->nota = b.data;   /* ownership passes to the envio */
        b.data = NULL;
    }
    strbuf_free(&b);
    if (json_object_size(x))
        o->extra = x;
    else
        json_decref(x);
}

/* Reads the next file into c->lista; a file refused as a whole is
 * reported at once. 1: a list to go through; 0: no more files; -1. */
static int siguiente_archivo(importar_ctx *c)
{
    while (c->archivo < c->archivos->n) {
        imp_lista_liberar(&c->lista);
        c->siguiente = 0;
        c->actual = c->archivos->v[c->archivo++];
        pmm_error err;
        pmm_error_clear(&err);
        if (importar_archivo(c->actual, c->o, &c->lista, &err) == 0)
            return 1;
        uint64_t s;
        envio_origen o = {.archivo = c->actual, .clave = ""};
        if (envio_registrar(c->out, &o, &s) != 0)
            return -1;
        envio_rechazar(c->out, s, &err, 1);
    }
    return 0;
}

/* The next valid ficha for the sender (1), the end (0) or -1; refused
 * fichas and a dry run's valid ones are reported on the way. */
static int pull_ficha(void *user, Pmm__Ficha **out, uint64_t *seq)
{
    importar_ctx *c = user;
    for (;;) {
        if (c->siguiente >= c->lista.n) {
            int rc = siguiente_archivo(c);
            if (rc <= 0) {
                if (rc < 0) {
                    fprintf(stderr, "pmm importar: sin memoria\n");
                    c->abortado = 1;
                }
                return rc;
            }
            continue;
        }
        imp_ficha *f = &c->lista.v[c->siguiente++];
        envio_origen o = {.archivo = c->actual, .unidad = f->unidad, .posicion = f->posicion,
                          .hoja = f->hoja, .clave = f->clave};
        extras(c, f, &o);
        uint64_t s;
        if (envio_registrar(c->out, &o, &s) != 0) {
            json_decref(o.extra);
            free(o.nota);
            fprintf(stderr, "pmm importar: sin memoria\n");
            c->abortado = 1;
            return -1;
        }
        if (f->nerrs) {
            if (!f->errs) {
                fprintf(stderr, "pmm importar: sin memoria\n");
                c->abortado = 1;
                return -1;
            }
            envio_rechazar(c->out, s, f->errs, f->nerrs);
            continue;
        }
        if (c->simulacro) {
            envio_valida(c->out, s);
            continue;
        }
        *out = f->f;   /* the sender owns it now */
        f->f = NULL;
        *seq = s;
        return 1;
    }
}

/* The sender's results go to the envio, in input order. */
static void push(void *user, const sender_result *r)
{
    importar_ctx *c = user;
    envio_resultado(c->out, r);
}

static void usage(FILE *out)
{
    fprintf(out,
            "Uso: pmm importar [--ejercicio AÑO] [--dependencia SIGLAS | --entidad CLAVE|NOMBRE]\n"
            "                  [--enviar] [--formato tabla|json] ARCHIVO|DIRECTORIO...\n\n"
            "Lee fichas técnicas de formularios de Word (.docx, .odt) y de hojas de cálculo\n"
            "(.xlsx, .ods, .csv), como las escribe pmm plantilla; un directorio se recorre\n"
            "completo. Sin --enviar solo muestra lo que entendió de cada ficha (campos,\n"
            "clave, valores propuestos y problemas) y no envía nada. Con --enviar las envía\n"
            "al colector como pmm enviar: mismas reglas, recibos, repeticiones y versiones.\n"
            "Un archivo dañado o peligroso se rechaza entero y nada de él se envía.\n\n"
            "  --ejercicio AÑO       ejercicio de las fichas que no lo indican; una ficha\n"
            "                        de otro ejercicio se rechaza\n"
            "  --dependencia SIGLAS  dependencia de las fichas que no la indican (ámbito\n"
            "                        federal); una ficha de otra dependencia se rechaza\n"
            "  --entidad CLAVE|NOMBRE  entidad de las fichas que no la indican (ámbito\n"
            "                        estatal); una ficha de otra entidad se rechaza\n"
            "  --enviar              envía las fichas válidas (sin esta opción, simulacro)\n"
            "  --formato tabla|json  tabla (por omisión) o una línea JSON por ficha, como\n"
            "                        pmm enviar --json más «archivo» y «tabla» o «fila»\n"
            "  -h, --help            muestra esta ayuda\n\n"
            "Una ficha sin clave recibe una derivada de la dependencia o entidad, el\n"
            "ejercicio y el nombre del programa: importar otra vez el mismo archivo da\n"
            "«repetida». Las cifras halladas en un texto libre se informan como\n"
            "«propuesto».\n\n"
            "Ejemplos:\n"
            "  pmm importar fichas_recibidas/\n"
            "  pmm importar --ejercicio 2023 --enviar fichas_recibidas/\n"
            "  pmm importar --dependencia SRE --formato json ficha_sre.docx\n\n"
            "Salida: 0 si todas las fichas fueron válidas (o aceptadas o repetidas), 1 si\n"
            "alguna fue rechazada, 2 por error de uso o de conexión.\n");
}

int cmd_importar(int argc, char **argv, pmm_conf *conf)
{
    static const struct option opts[] = {
        {"ejercicio", required_argument, NULL, 'e'},
        {"dependencia", required_argument, NULL, 'd'},
        {"entidad", required_argument, NULL, 'n'},
        {"enviar", no_argument, NULL, 's'},
        {"formato", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    imp_opciones io = {.reglas = ficha_rules_default()};
    int enviar = 0, json = 0;
    const char *ejercicio = NULL;
    int opt;
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (opt) {
        case 'e': ejercicio = optarg; break;
        case 'd': io.dependencia = optarg; break;
        case 'n': io.entidad = optarg; break;
        case 's': enviar = 1; break;
        case 'f':
            if (!strcmp(optarg, "json"))
                json = 1;
            else if (strcmp(optarg, "tabla")) {
                fprintf(stderr, "pmm importar: --formato admite tabla o json, no «%s»\n",
                        optarg);
                return EXIT_USO;
            }
            break;
        case 'h': usage(stdout); return 0;
        default: return cli_opcion_mala("importar", opt, argv);
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "pmm importar: indique al menos un ARCHIVO o DIRECTORIO\n");
        usage(stderr);
        return EXIT_USO;
    }
    if (io.dependencia && io.entidad) {
        fprintf(stderr, "pmm importar: use --dependencia o --entidad, no las dos\n");
        return EXIT_USO;
    }
    ficha_rules reglas = ficha_rules_default();
    if (ejercicio) {
        char *end;
        long y = strtol(ejercicio, &end, 10);
        if (*end || y < FICHA_PRIMER_EJERCICIO || y > reglas.current_year + 1) {
            fprintf(stderr, "pmm importar: --ejercicio debe ser un año de %d a %d, no «%s»\n",
                    FICHA_PRIMER_EJERCICIO, reglas.current_year + 1, ejercicio);
            return EXIT_USO;
        }
        io.ejercicio = (int)y;
    }
    pmm_error err;
    pmm_error_clear(&err);
    refdata *ref = refdata_load(conf_data_dir(conf), &err);
    if (!ref) {
        fprintf(stderr, "pmm importar: %s\n", err.mensaje);
        return EXIT_USO;
    }
    io.ref = ref;
    int salida = EXIT_USO;
    rutas archivos = {0};
    envio *out = NULL;
    if (io.dependencia && !refdata_dependencia(ref, io.dependencia, strlen(io.dependencia))) {
        char sug[512];
        const ref_dependencia *d = val_dependencia(ref, io.dependencia, 0, sug, sizeof sug);
        if (!d) {
            fprintf(stderr, "pmm importar: --dependencia «%s» no está en la lista de "
                            "dependencias registradas%s%s\n",
                    io.dependencia, sug[0] ? "; las más parecidas: " : "", sug);
            goto fin;
        }
        io.dependencia = d->sigla;
    }
    if (io.entidad && !val_entidad(ref, io.entidad)) {
        fprintf(stderr, "pmm importar: --entidad «%s» no es una clave INEGI 01-32 ni el nombre "
                        "de una entidad federativa\n",
                io.entidad);
        goto fin;
    }
    for (int i = optind; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "pmm importar: %s: %s\n", argv[i], ooxml_errno_texto(errno));
            goto fin;
        }
        if (S_ISDIR(st.st_mode)) {
            size_t antes = archivos.n;
            if (recorrer(argv[i], &archivos, 0) != 0)
                goto fin;
            if (archivos.n == antes)
                fprintf(stderr, "pmm importar: aviso: %s no tiene archivos .docx, .odt, .xlsx, "
                                ".ods ni .csv\n",
                        argv[i]);
        } else if (rutas_agregar(&archivos, argv[i]) != 0) {
            fprintf(stderr, "pmm importar: sin memoria\n");
            goto fin;
        }
    }
    if (archivos.n == 0) {
        fprintf(stderr, "pmm importar: no hay archivos que importar\n");
        goto fin;
    }
    out = envio_new(json, "importar");
    if (!out) {
        fprintf(stderr, "pmm importar: sin memoria\n");
        goto fin;
    }
    if (isatty(STDERR_FILENO) && !getenv("PMM_SIN_PROGRESO") && enviar)
        envio_progreso(out, 0);
    importar_ctx c = {.o = &io, .out = out, .archivos = &archivos, .simulacro = !enviar,
                      .json = json};
    int rc = 0;
    if (!enviar) {
        Pmm__Ficha *f;
        uint64_t s;
        rc = pull_ficha(&c, &f, &s);   /* a dry run never hands a ficha over */
        rc = rc < 0 ? -1 : 0;
    } else {
        sender_opts so = {
            .endpoint = conf_str(conf, "ingestd", "endpoint"),
            .window = (int)conf_long(conf, "cliente", "ventana"),
            .timeout_ms = (int)conf_long(conf, "cliente", "espera_ms"),
            .max_attempts = (int)conf_long(conf, "cliente", "intentos"),
        };
        if (!so.endpoint) {
            fprintf(stderr, "pmm importar: no se conoce el colector: indique [ingestd] "
                            "endpoint en pmm.conf (o defina PMM_HOME)\n");
            goto fin;
        }
        zap_client curve;
        if (zap_client_from_conf(conf, so.endpoint, "ingestd", "cliente", &curve, &err) != 0) {
            fprintf(stderr, "pmm importar: %s\n", err.mensaje);
            goto fin;
        }
        so.curve = &curve;
        rc = sender_run(&so, pull_ficha, push, &c, &err);
        if (rc != 0)
            fprintf(stderr, "pmm importar: %s\n", err.mensaje);
    }
    salida = envio_terminar(out, rc, c.abortado, !enviar);
    imp_lista_liberar(&c.lista);
fin:
    envio_destroy(&out);
    for (size_t i = 0; i < archivos.n; i++)
        free(archivos.v[i]);
    free(archivos.v);
    refdata_destroy(&ref);
    return salida;
}
