/* pmm clasificar -- classifies fichas of the JSON contract offline (no
 * daemon, no database): one object or JSON Lines from a file or stdin. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clasificador.h"
#include "commands.h"
#include "json_errores.h"
#include "opciones.h"

static void usage(FILE *out)
{
    fprintf(out,
            "Uso: pmm clasificar [--formato tabla|json] [--taxonomia 2018-2022|2023]\n"
            "                    [--modelo ARCHIVO] ARCHIVO|-\n\n"
            "Clasifica fichas en el formato JSON del contrato (un objeto o JSON Lines)\n"
            "sin servicios: eje, subtema, ODS y metas, categorías de retos, confianza y\n"
            "evidencia. clave, objetivo_pmm y dependencia/entidad pueden faltar. «-» lee\n"
            "la entrada estándar.\n\n"
            "Opciones:\n"
            "  --formato F        tabla (por omisión: una tabla legible) o json (un objeto\n"
            "                     por ficha y línea con clave, eje, subtema, subtemas\n"
            "                     (todos, el principal primero), ods, metas, retos,\n"
            "                     confianza, evidencia y version)\n"
            "  --taxonomia T      taxonomía de ejes (por omisión, la del ejercicio de cada\n"
            "                     ficha: 2018-2022 hasta 2022, 2023 desde 2023)\n"
            "  --modelo ARCHIVO   modelo del clasificador (por omisión [clasificador]\n"
            "                     modelo o modelo.txt del directorio de datos)\n"
            "  -h, --help         muestra esta ayuda\n\n"
            "Ejemplo:\n"
            "  pmm clasificar --modelo modelo-2023.txt --formato json fichas.jsonl\n\n"
            "Salida: 0 si se clasificaron todas, 1 si alguna ficha fue rechazada, 2 por\n"
            "error de uso.\n");
}

/* Fields of the contract (anything else is refused, as the contract says). */
static const char *const CAMPOS[] = {
    "clave", "ejercicio", "ambito", "dependencia", "entidad", "unidad",
    "programa", "objetivo_pmm", "descripcion", "resultados", "retos",
    "contacto", "reemplaza", "retirada", "motivo_retiro", NULL};
static const char *const CAMPOS_DESC[] = {
    "objetivo", "poblacion_objetivo", "inicio", "temporalidad", "fin", NULL};
static const char *const CAMPOS_RES[] = {
    "acciones", "personas", "mujeres", "hombres", "zona", "texto", NULL};

static bool in_list(const char *const *list, const char *k)
{
    for (; *list; list++)
        if (!strcmp(*list, k))
            return true;
    return false;
}

/* Checks one object; fills in (borrowing strings from o). Returns 0 or -1
 * with err naming the field. */
static int leer_ficha(json_t *o, clasif_entrada *in, const char **clave,
                      pmm_error *err)
{
    memset(in, 0, sizeof *in);
    *clave = NULL;
    if (!json_is_object(o))
        return pmm_error_set(err, 1, "", "json", "se espera un objeto JSON");
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v)
    {
        if (!in_list(CAMPOS, k))
            return pmm_error_set(err, 1, k, "campo_desconocido",
                                 "campo desconocido «%s»", k);
    }
    if (json_is_true(json_object_get(o, "retirada")))
        return pmm_error_set(err, 1, "retirada", "retirada",
                             "una ficha de retiro (\"retirada\": true) no tiene contenido "
                             "que clasificar");
#define STR_FIELD(obj, name, dst, path)                                     \
    do {                                                                     \
        json_t *f_ = json_object_get(obj, name);                             \
        if (f_ && !json_is_null(f_)) {                                       \
            if (!json_is_string(f_))                                         \
                return pmm_error_set(err, 1, path, "tipo",                   \
                                     "el campo %s debe ser texto", path);    \
            dst = json_string_value(f_);                                     \
        }                                                                    \
    } while (0)
    STR_FIELD(o, "clave", *clave, "clave");
    STR_FIELD(o, "programa", in->programa, "programa");
    STR_FIELD(o, "dependencia", in->dependencia, "dependencia");
    STR_FIELD(o, "ambito", in->ambito, "ambito");
    STR_FIELD(o, "retos", in->retos, "retos");
    json_t *obj = json_object_get(o, "objetivo_pmm");
    if (obj && !json_is_null(obj)) {
        if (!json_is_integer(obj) || json_integer_value(obj) < 1 ||
            json_integer_value(obj) > 23)
            return pmm_error_set(err, 1, "objetivo_pmm", "rango",
                                 "objetivo_pmm debe ser un entero de 1 a 23");
        in->objetivo_pmm = (int)json_integer_value(obj);
    }
    json_t *d = json_object_get(o, "descripcion");
    if (d && !json_is_null(d)) {
        if (!json_is_object(d))
            return pmm_error_set(err, 1, "descripcion", "tipo",
                                 "descripcion debe ser un objeto");
        json_object_foreach(d, k, v)
        {
            if (!in_list(CAMPOS_DESC, k))
                return pmm_error_set(err, 1, "descripcion", "campo_desconocido",
                                     "campo desconocido «descripcion.%s»", k);
        }
        STR_FIELD(d, "objetivo", in->objetivo, "descripcion.objetivo");
        STR_FIELD(d, "poblacion_objetivo", in->poblacion,
                  "descripcion.poblacion_objetivo");
    }
    json_t *r = json_object_get(o, "resultados");
    if (r && !json_is_null(r)) {
        if (!json_is_object(r))
            return pmm_error_set(err, 1, "resultados", "tipo",
                                 "resultados debe ser un objeto");
        json_object_foreach(r, k, v)
        {
            if (!in_list(CAMPOS_RES, k))
                return pmm_error_set(err, 1, "resultados", "campo_desconocido",
                                     "campo desconocido «resultados.%s»", k);
        }
        STR_FIELD(r, "texto", in->resultados, "resultados.texto");
        STR_FIELD(r, "zona", in->zona, "resultados.zona");
        struct {
            const char *name;
            long *val;
            bool *hay;
        } cnt[] = {{"acciones", &in->acciones, &in->hay_acciones},
                   {"personas", &in->personas, &in->hay_personas},
                   {"mujeres", &in->mujeres, &in->hay_mujeres},
                   {"hombres", &in->hombres, &in->hay_hombres}};
        for (size_t i = 0; i < sizeof cnt / sizeof cnt[0]; i++) {
            json_t *c = json_object_get(r, cnt[i].name);
            if (!c || json_is_null(c))
                continue;
            if (!json_is_integer(c) || json_integer_value(c) < 0) {
                char path[32];
                snprintf(path, sizeof path, "resultados.%s", cnt[i].name);
                return pmm_error_set(err, 1, path, "entero_no_negativo",
                                     "%s debe ser un entero no negativo",
                                     path);
            }
            *cnt[i].val = (long)json_integer_value(c);
            *cnt[i].hay = true;
        }
    }
#undef STR_FIELD
    if ((!in->programa || !*in->programa) &&
        (!in->objetivo || !*in->objetivo) &&
        (!in->resultados || !*in->resultados))
        return pmm_error_set(err, 1, "programa", "requerido",
                             "la ficha no tiene texto que clasificar "
                             "(programa, descripcion.objetivo o "
                             "resultados.texto)");
    return 0;
}

static void print_json(const char *clave, const clasif_resultado *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "clave", clave ? json_string(clave) : json_null());
    json_object_set_new(o, "eje", json_integer(r->eje));
    json_object_set_new(o, "subtema", json_string(r->subtema.codigo));
    json_t *subs = json_array(), *csubs = json_object();
    json_array_append_new(subs, json_string(r->subtema.codigo));
    json_object_set_new(csubs, r->subtema.codigo,
                        json_real(r->subtema.confianza));
    for (size_t i = 0; i < r->nsecundarios; i++) {
        json_array_append_new(subs, json_string(r->secundarios[i].codigo));
        json_object_set_new(csubs, r->secundarios[i].codigo,
                            json_real(r->secundarios[i].confianza));
    }
    json_object_set_new(o, "subtemas", subs);
    json_t *ods = json_array(), *cods = json_object();
    for (size_t i = 0; i < r->nods; i++) {
        char k[8];
        snprintf(k, sizeof k, "%d", r->ods[i].numero);
        json_array_append_new(ods, json_integer(r->ods[i].numero));
        json_object_set_new(cods, k, json_real(r->ods[i].confianza));
    }
    json_object_set_new(o, "ods", ods);
    json_t *metas = json_array(), *cmetas = json_object();
    for (size_t i = 0; i < r->nmetas; i++) {
        json_array_append_new(metas, json_string(r->metas[i].meta));
        json_object_set_new(cmetas, r->metas[i].meta,
                            json_real(r->metas[i].confianza));
    }
    json_object_set_new(o, "metas", metas);
    json_t *retos = json_array(), *cretos = json_object();
    for (size_t i = 0; i < r->nretos; i++) {
        json_array_append_new(retos, json_string(r->retos[i].codigo));
        json_object_set_new(cretos, r->retos[i].codigo,
                            json_real(r->retos[i].confianza));
    }
    json_object_set_new(o, "retos", retos);
    json_t *conf = json_object();
    json_object_set_new(conf, "eje", json_real(r->confianza_eje));
    json_object_set_new(conf, "subtema", json_real(r->subtema.confianza));
    json_object_set_new(conf, "subtemas", csubs);
    json_object_set_new(conf, "ods", cods);
    json_object_set_new(conf, "metas", cmetas);
    json_object_set_new(conf, "retos", cretos);
    json_object_set_new(o, "confianza", conf);
    json_t *ev = json_array();
    for (size_t i = 0; i < r->nevidencia; i++)
        json_array_append_new(ev, json_string(r->evidencia[i]));
    json_object_set_new(o, "evidencia", ev);
    char version[96];
    snprintf(version, sizeof version, "%s taxonomia:%s", r->version,
             r->taxonomia);
    json_object_set_new(o, "version", json_string(version));
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER |
                                JSON_REAL_PRECISION(3));
    if (s)
        printf("%s\n", s);
    free(s);
    json_decref(o);
}

static void print_tabla(const char *clave, size_t linea,
                        const clasif_resultado *r)
{
    if (clave)
        printf("Ficha %s (línea %zu)\n", clave, linea);
    else
        printf("Ficha de la línea %zu\n", linea);
    printf("  %-11s %d (confianza %.2f)\n", "Eje:", r->eje, r->confianza_eje);
    printf("  %-11s %s (confianza %.2f)\n", "Subtema:", r->subtema.codigo,
           r->subtema.confianza);
    if (r->nsecundarios) {
        printf("  %-11s", "También:");
        for (size_t i = 0; i < r->nsecundarios; i++)
            printf("%s %s (%.2f)", i ? "," : "", r->secundarios[i].codigo,
                   r->secundarios[i].confianza);
        printf("\n");
    }
    printf("  %-11s", "ODS:");
    if (!r->nods)
        printf(" ninguno%s", r->con_resultados ? "" : " (sin resultados)");
    for (size_t i = 0; i < r->nods; i++)
        printf("%s %d (%.2f)", i ? "," : "", r->ods[i].numero,
               r->ods[i].confianza);
    printf("\n  %-11s", "Metas:");
    if (!r->nmetas)
        printf(" ninguna");
    for (size_t i = 0; i < r->nmetas; i++)
        printf("%s %s", i ? "," : "", r->metas[i].meta);
    printf("\n  %-11s", "Retos:");
    if (!r->nretos)
        printf(" ninguno");
    for (size_t i = 0; i < r->nretos; i++)
        printf("%s %s", i ? "," : "", r->retos[i].codigo);
    printf("\n  Evidencia:\n");
    for (size_t i = 0; i < r->nevidencia; i++)
        printf("    - %s\n", r->evidencia[i]);
    printf("  Versión:   %s, taxonomía %s\n\n", r->version, r->taxonomia);
}

static char *leer_todo(FILE *f, size_t *len)
{
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    if (!buf)
        return NULL;
    size_t r;
    while ((r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (n + 1 == cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                return NULL;
            }
            buf = nb;
            cap *= 2;
        }
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

int cmd_clasificar(int argc, char **argv, pmm_conf *conf)
{
    const char *formato = "tabla", *taxonomia = NULL;   /* NULL: each ficha's year's */
    const char *archivo = NULL;
    const char *modelo = conf_str(conf, "clasificador", "modelo");
    static const struct option opts[] = {{"formato", required_argument, NULL, 'f'},
                                         {"taxonomia", required_argument, NULL, 't'},
                                         {"modelo", required_argument, NULL, 'm'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int opt;
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (opt) {
        case 'f': formato = optarg; break;
        case 't': taxonomia = optarg; break;
        case 'm': modelo = optarg; break;
        case 'h': usage(stdout); return 0;
        default: return cli_opcion_mala("clasificar", opt, argv);
        }
    }
    if (strcmp(formato, "json") && strcmp(formato, "tabla")) {
        fprintf(stderr, "pmm clasificar: --formato admite «tabla» o «json», no «%s»\n",
                formato);
        return EXIT_USO;
    }
    if (optind >= argc) {
        fprintf(stderr, "pmm clasificar: indique el ARCHIVO de fichas («-»: la entrada "
                        "estándar); vea pmm clasificar --help\n");
        return EXIT_USO;
    }
    archivo = argv[optind];
    if (optind + 1 < argc)
        return cli_argumento_sobrante("clasificar", argv[optind + 1]);
    pmm_error err;
    pmm_error_clear(&err);
    clasificador *c = clasificador_new(cli_data_dir(conf), &err);
    if (!c) {
        fprintf(stderr, "pmm clasificar: %s\n", err.mensaje);
        return EXIT_USO;
    }
    if (clasificador_cargar_modelo(c, modelo, &err) != 0) {
        fprintf(stderr, "pmm clasificar: --modelo: %s\n", err.mensaje);
        clasificador_destroy(&c);
        return EXIT_USO;
    }
    if (taxonomia && !clasificador_tiene_taxonomia(c, taxonomia)) {
        fprintf(stderr, "pmm clasificar: --taxonomia «%s» no es una taxonomía de "
                        "taxonomias/ en el directorio de datos (2018-2022, 2023…)\n",
                taxonomia);
        clasificador_destroy(&c);
        return EXIT_USO;
    }
    if (!clasificador_tiene_modelo(c))
        fprintf(stderr, "pmm clasificar: aviso: no hay modelo entrenado "
                        "(modelo.txt); sólo se usa el léxico\n");
    FILE *f = strcmp(archivo, "-") ? fopen(archivo, "rb") : stdin;
    if (!f) {
        fprintf(stderr, "pmm clasificar: no se puede abrir %s\n", archivo);
        clasificador_destroy(&c);
        return EXIT_USO;
    }
    size_t len = 0;
    char *data = leer_todo(f, &len);
    if (f != stdin)
        fclose(f);
    if (!data) {
        fprintf(stderr, "pmm clasificar: sin memoria\n");
        clasificador_destroy(&c);
        return EXIT_USO;
    }
    int rc = 0;
    bool json = !strcmp(formato, "json");
    /* one object over several lines, or JSON Lines */
    json_error_t je;
    json_t *whole = json_loadb(data, len, 0, &je);
    bool una = whole && json_is_object(whole) && memchr(data, '\n', len) &&
               strchr(data, '\n') < data + len - 1;
    json_decref(whole);
    size_t linea = 0;
    char *p = data, *end = data + len;
    while (p < end) {
        char *nl = una ? end : memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            nl = end;
        linea++;
        size_t n = (size_t)(nl - p);
        char *q = p;
        p = nl + (nl < end);
        size_t a = 0;
        while (a < n && (q[a] == ' ' || q[a] == '\t' || q[a] == '\r' ||
                         q[a] == '\n'))
            a++;
        if (a == n)
            continue;
        json_t *o = json_loadb(q, n, 0, &je);
        if (!o) {
            pmm_error jerr;
            json_errores_sintaxis(&je, una ? 1 : linea, &jerr);
            fprintf(stderr, "pmm clasificar: %s\n", jerr.mensaje);
            rc = EXIT_RECHAZO;
            continue;
        }
        clasif_entrada in;
        const char *clave;
        clasif_resultado res;
        if (leer_ficha(o, &in, &clave, &err) != 0) {
            fprintf(stderr, "pmm clasificar: línea %zu, campo %s: %s\n",
                    linea, err.campo[0] ? err.campo : "(ficha)", err.mensaje);
            rc = EXIT_RECHAZO;
        } else if ((in.ejercicio = (int)json_integer_value(json_object_get(o, "ejercicio")),
                    clasificador_classify(c, &in, taxonomia, &res, &err) != 0)) {
            fprintf(stderr, "pmm clasificar: línea %zu: %s\n", linea,
                    err.mensaje);
            rc = EXIT_RECHAZO;
        } else if (json) {
            print_json(clave, &res);
        } else {
            print_tabla(clave, linea, &res);
        }
        json_decref(o);
    }
    free(data);
    clasificador_destroy(&c);
    return rc;
}
