/* pmm ficha ID|CLAVE [--formato texto|json] [--contacto] -- one ficha
 * whole (ficha_doc.h), as text for people or one JSON document. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "opciones.h"
#include "consulta_db.h"
#include "consulta_salida.h"
#include "db.h"
#include "envolver.h"
#include "ficha_doc.h"
#include "strbuf.h"

#define CMD "ficha"
#define ANCHO 78

static void usage(FILE *out)
{
    fputs("Uso: pmm ficha ID|CLAVE [--formato texto|json] [--contacto]\n"
          "                [--analista NOMBRE]\n\n"
          "Una ficha completa: cada versión con lo que cambió respecto de la "
          "anterior, la\nclasificación vigente con su confianza y su evidencia, lo "
          "que cuenta en los\ntotales, las decisiones de los analistas (quién, "
          "cuándo, nota), el estado de\nrevisión y sus observaciones, el programa "
          "que continúa, los posibles\nduplicados y su historial de auditoría.\n\n"
          "  ID|CLAVE    el ID de cualquiera de sus versiones o su clave (si la "
          "clave es\n"
          "              de varias fichas, se listan sus ID)\n"
          "  --formato   texto (predeterminado) o json (un documento)\n"
          "  --contacto  también los datos de contacto: solo con la conexión de\n"
          "              administración ([admin] conninfo); la lectura queda en la\n"
          "              auditoría\n"
          "  --analista  nombre que se registra en la auditoría (predeterminado: "
          "$USER)\n"
          "  -h, --help  muestra esta ayuda\n\n"
          "Ejemplos:\n"
          "  pmm ficha 1064\n"
          "  pmm ficha sre-2022-o23-001064 --formato json\n",
          out);
}

static const char *s(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* A JSON value as short text (strings bare, arrays "3, 10", null "—"). */
static void texto_valor(strbuf *b, json_t *v)
{
    if (!v || json_is_null(v)) {
        strbuf_puts(b, "—");
    } else if (json_is_string(v)) {
        strbuf_puts(b, json_string_value(v));
    } else if (json_is_real(v)) {
        strbuf_printf(b, "%.3f", json_real_value(v));
    } else if (json_is_array(v)) {
        size_t i;
        json_t *e;
        if (json_array_size(v) == 0)
            strbuf_puts(b, "ninguno");
        json_array_foreach(v, i, e)
        {
            if (i)
                strbuf_puts(b, ", ");
            texto_valor(b, e);
        }
    } else {
        char *d = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
        strbuf_puts(b, d ? d : "");
        free(d);
    }
}

static void linea(FILE *out, const char *etiqueta, json_t *v)
{
    strbuf b;
    strbuf_init(&b);
    strbuf_printf(&b, "%s: ", etiqueta);
    texto_valor(&b, v);
    fputs("  ", out);
    envolver(out, b.data ? b.data : "", 4, ANCHO);
    strbuf_free(&b);
}

static void titulo(FILE *out, const char *t)
{
    fprintf(out, "\n%s\n", t);
}

static void write_texto(FILE *out, json_t *d)
{
    json_t *f = json_object_get(d, "ficha");
    fprintf(out, "Ficha %lld · %s · %s · ejercicio %lld · versión %lld\n",
            (long long)json_integer_value(json_object_get(d, "id")), s(d, "clave"),
            s(d, "emisor"), (long long)json_integer_value(json_object_get(d, "ejercicio")),
            (long long)json_integer_value(json_object_get(d, "version")));
    static const char *const campos[][2] = {
        {"programa", "Programa"},         {"objetivo_pmm", "Objetivo del PMM"},
        {"ambito", "Ámbito"},             {"dependencia", "Dependencia"},
        {"entidad", "Entidad"},           {"unidad", "Unidad"},
        {"objetivo", "Descripción"},      {"poblacion_objetivo", "Población objetivo"},
        {"inicio", "Inicio"},             {"temporalidad", "Temporalidad"},
        {"fin", "Fin"},                   {"acciones", "Acciones realizadas"},
        {"personas", "Personas"},         {"mujeres", "Mujeres"},
        {"hombres", "Hombres"},           {"zona", "Zona"},
        {"resultados_texto", "Resultados"}, {"retos", "Retos"}};
    for (size_t i = 0; i < sizeof campos / sizeof campos[0]; i++)
        linea(out, campos[i][1], json_object_get(f, campos[i][0]));

    titulo(out, "Versiones");
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(d, "versiones"), i, v)
    {
        fprintf(out, "  versión %lld (ficha %lld), recibida %s\n",
                (long long)json_integer_value(json_object_get(v, "version")),
                (long long)json_integer_value(json_object_get(v, "id")), s(v, "recibida"));
        size_t k;
        json_t *c;
        json_array_foreach(json_object_get(v, "cambios"), k, c)
        {
            strbuf b;
            strbuf_init(&b);
            strbuf_printf(&b, "cambió %s: ", s(c, "campo"));
            texto_valor(&b, json_object_get(c, "antes"));
            strbuf_puts(&b, " → ");
            texto_valor(&b, json_object_get(c, "despues"));
            fputs("    ", out);
            envolver(out, b.data ? b.data : "", 6, ANCHO);
            strbuf_free(&b);
        }
    }

    titulo(out, "Clasificación vigente");
    json_t *cl = json_object_get(d, "clasificacion");
    if (json_is_object(cl)) {
        static const char *const cc[][2] = {
            {"eje", "Eje"},         {"subtema", "Subtema"},   {"subtemas", "Subtemas secundarios"},
            {"ods", "ODS"},         {"metas", "Metas"},       {"retos", "Retos"},
            {"confianza", "Confianza"}, {"version_clasificador", "Clasificador"}};
        for (size_t k = 0; k < sizeof cc / sizeof cc[0]; k++)
            linea(out, cc[k][1], json_object_get(cl, cc[k][0]));
        json_t *sn = json_string(json_is_true(json_object_get(cl, "con_resultados")) ? "sí" : "no");
        linea(out, "Con resultados", sn);
        json_decref(sn);
        size_t k;
        json_t *e;
        json_array_foreach(json_object_get(cl, "evidencia"), k, e)
        {
            char *t = json_dumps(e, JSON_ENCODE_ANY | JSON_COMPACT);
            fputs("    evidencia: ", out);
            envolver(out, json_is_string(e) ? json_string_value(e) : t ? t : "", 6, ANCHO);
            free(t);
        }
    } else {
        fputs("  (aún sin clasificar)\n", out);
    }
    json_t *cu = json_object_get(d, "cuenta");
    titulo(out, "Lo que cuenta en los totales");
    if (json_is_object(cu)) {
        linea(out, "Objetivo", json_object_get(cu, "objetivo"));
        linea(out, "Eje", json_object_get(cu, "eje"));
        linea(out, "Subtema", json_object_get(cu, "subtema"));
        linea(out, "ODS", json_object_get(cu, "ods"));
        if (json_is_true(json_object_get(cu, "absorbida")))
            fputs("  No cuenta: es la misma acción que otra ficha (véase Posibles "
                  "duplicados).\n", out);
    } else {
        fputs("  (aún no cuenta: pendiente de clasificar o de agregar)\n", out);
    }

    titulo(out, "Decisiones de los analistas");
    json_t *ds = json_object_get(d, "decisiones");
    if (json_array_size(ds) == 0)
        fputs("  ninguna\n", out);
    json_array_foreach(ds, i, v)
    {
        strbuf b;
        strbuf_init(&b);
        strbuf_printf(&b, "%s, %s:", s(v, "creada"), s(v, "analista"));
        static const char *const dc[] = {"objetivo_pmm", "eje", "subtema", "ods"};
        for (size_t k = 0; k < 4; k++)
            if (!json_is_null(json_object_get(v, dc[k]))) {
                strbuf_printf(&b, " %s ", dc[k]);
                texto_valor(&b, json_object_get(v, dc[k]));
            }
        if (s(v, "nota"))
            strbuf_printf(&b, " — «%s»", s(v, "nota"));
        fputs("  ", out);
        envolver(out, b.data ? b.data : "", 4, ANCHO);
        strbuf_free(&b);
    }

    titulo(out, "Revisión");
    json_t *rv = json_object_get(d, "revision");
    json_t *sr = json_string("sin_revisar");
    linea(out, "Estado", json_is_object(rv) ? json_object_get(rv, "estado") : sr);
    json_decref(sr);
    linea(out, "Observaciones", json_is_object(rv) ? json_object_get(rv, "observaciones")
                                                   : NULL);

    titulo(out, "Programa");
    linea(out, "programa_id", json_object_get(d, "programa_id"));
    json_array_foreach(json_object_get(d, "continua"), i, v)
    {
        strbuf b;
        strbuf_init(&b);
        strbuf_printf(&b, "continúa (%s) la ficha %lld de %lld, %s: %s", s(v, "estado"),
                      (long long)json_integer_value(json_object_get(v, "ficha")),
                      (long long)json_integer_value(json_object_get(v, "ejercicio")),
                      s(v, "emisor"), s(v, "programa") ? s(v, "programa") : "");
        fputs("  ", out);
        envolver(out, b.data ? b.data : "", 4, ANCHO);
        strbuf_free(&b);
    }
    json_array_foreach(json_object_get(d, "continuada_por"), i, v)
        fprintf(out, "  continuada (%s) por la ficha %lld de %lld\n", s(v, "estado"),
                (long long)json_integer_value(json_object_get(v, "ficha")),
                (long long)json_integer_value(json_object_get(v, "ejercicio")));

    titulo(out, "Posibles duplicados");
    json_t *du = json_object_get(d, "duplicados");
    if (json_array_size(du) == 0)
        fputs("  ninguno\n", out);
    json_array_foreach(du, i, v)
    {
        strbuf b;
        strbuf_init(&b);
        strbuf_printf(&b, "par %lld: ficha %lld (%s, %s), similitud %.2f, %s",
                      (long long)json_integer_value(json_object_get(v, "par")),
                      (long long)json_integer_value(json_object_get(v, "ficha")),
                      s(v, "emisor"), s(v, "clave"),
                      json_number_value(json_object_get(v, "similitud")),
                      s(v, "decision") ? s(v, "decision") : "sin decidir");
        fputs("  ", out);
        envolver(out, b.data ? b.data : "", 4, ANCHO);
        strbuf_free(&b);
    }

    titulo(out, "Auditoría");
    json_array_foreach(json_object_get(d, "auditoria"), i, v)
    {
        strbuf b;
        strbuf_init(&b);
        strbuf_printf(&b, "%s %s %s", s(v, "momento"), s(v, "resultado"), s(v, "identidad"));
        if (s(v, "regla"))
            strbuf_printf(&b, " (%s: %s)", s(v, "campo") ? s(v, "campo") : "", s(v, "regla"));
        fputs("  ", out);
        envolver(out, b.data ? b.data : "", 4, ANCHO);
        strbuf_free(&b);
    }
    json_t *ct = json_object_get(d, "contacto");
    if (json_is_object(ct)) {
        titulo(out, "Contacto (lectura registrada en la auditoría)");
        linea(out, "Nombre", json_object_get(ct, "nombre"));
        linea(out, "Cargo", json_object_get(ct, "cargo"));
        linea(out, "Teléfono", json_object_get(ct, "telefono"));
        linea(out, "Correo", json_object_get(ct, "correo"));
    }
}

int cmd_ficha(int argc, char **argv, pmm_conf *conf)
{
    static const struct option opts[] = {{"formato", required_argument, NULL, 'f'},
                                         {"contacto", no_argument, NULL, 'c'},
                                         {"analista", required_argument, NULL, 'a'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int json = 0, contacto = 0, opt;
    const char *analista = getenv("USER") ? getenv("USER") : "desconocido";
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (opt) {
        case 'f':
            if (!strcmp(optarg, "json"))
                json = 1;
            else if (strcmp(optarg, "texto")) {
                fprintf(stderr, "pmm ficha: --formato: «%.40s» no es válido; use texto o "
                                "json\n", optarg);
                return EXIT_USO;
            }
            break;
        case 'c': contacto = 1; break;
        case 'a': analista = optarg; break;
        case 'h': usage(stdout); return 0;
        default:
            return cli_opcion_mala(CMD, opt, argv);
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "pmm ficha: indique un ID o una clave (uno solo)\n`pmm ficha --help` "
                        "describe las opciones.\n");
        return EXIT_USO;
    }
    pmm_error err;
    pmm_error_clear(&err);
    PGconn *db = consulta_conectar(conf, "pmm-ficha", &err);
    json_t *doc = db ? ficha_doc(db, argv[optind], conf_zona_horaria(conf), &err) : NULL;
    consulta_desconectar(db);
    if (!doc) {
        fprintf(stderr, "pmm ficha: %s\n", err.mensaje);
        return !strcmp(err.regla, "no_existe") || !strcmp(err.regla, "ambigua") ? EXIT_RECHAZO
                                                                              : EXIT_USO;
    }
    if (contacto) {
        PGconn *adm = db_connect(conf_conninfo(conf, "admin"), "pmm-ficha-contacto", &err);
        long long id = json_integer_value(json_object_get(doc, "id"));
        int rc = adm ? ficha_contacto(adm, id, analista, doc, &err) : -1;
        PQfinish(adm);
        if (rc != 0) {
            fprintf(stderr, "pmm ficha: --contacto: %s\n", err.mensaje);
            json_decref(doc);
            return EXIT_USO;
        }
    }
    if (json) {
        char *t = json_dumps(doc, JSON_INDENT(2) | JSON_SORT_KEYS);
        if (t)
            printf("%s\n", t);
        free(t);
    } else {
        write_texto(stdout, doc);
    }
    json_decref(doc);
    return consulta_fin_salida(CMD);
}
