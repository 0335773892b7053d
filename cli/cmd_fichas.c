/* pmm fichas -- the fichas behind a total: the current contribution of
 * every ficha that a cell of `pmm totales` counts, with the same filters
 * meaning the same (fichas_consulta.h), plus full-text search.
 *
 * tabla: one page (FICHAS_POR_PAGINA) of records wrapped at word
 * boundaries, the search fragment highlighted with «»; csv and json: every
 * matching ficha (or the page given with --pagina); json is one object per
 * line. Contacts never appear.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "consulta.h"
#include "envolver.h"
#include "fichas_consulta.h"
#include "strbuf.h"

#define CMD "fichas"
#define ANCHO 78

static void usage(FILE *out)
{
    fprintf(out,
            "Uso: pmm fichas --ejercicio AÑO|AÑO-AÑO [--objetivo N] [--eje N]\n"
            "                [--subtema CÓDIGO] [--ods N] [--ambito federal|estatal]\n"
            "                [--dependencia SIGLA | --entidad CLAVE|NOMBRE]\n"
            "                [--estado-revision ESTADO] [--buscar \"TEXTO\"]\n"
            "                [--orden natural|relevancia] [--pagina N]\n"
            "                [--formato tabla|csv|json]\n\n"
            "Las fichas detrás de un total: la versión que cuenta de cada ficha que "
            "suma\nen la celda de `pmm totales` con los mismos filtros (el número de "
            "fichas\nlistadas es siempre el de esa celda). Nunca muestra datos de "
            "contacto.\n\n"
            "  --ejercicio        un año (2022) o un rango (2018-2022)\n"
            "  --objetivo         objetivo del PMM (1-23), con las decisiones de los "
            "analistas\n"
            "  --eje              eje temático (1-9)\n"
            "  --subtema          código del subtema (p. ej. salud)\n"
            "  --ods              ODS (1-17): cuentan solo las fichas con resultados,\n"
            "                     salvo decisión de un analista\n"
            "  --ambito           federal o estatal\n"
            "  --dependencia      las fichas federales de esa dependencia (siglas)\n"
            "  --entidad          las fichas de o en esa entidad: las del gobierno "
            "estatal\n"
            "                     y las federales realizadas en ella (clave INEGI o "
            "nombre)\n"
            "  --estado-revision  " CONSULTA_ESTADOS_REVISION "\n"
            "  --buscar           búsqueda de texto en español en el programa, la "
            "descripción,\n"
            "                     los resultados y los retos (sin acentos: "
            "«repatriacion»\n"
            "                     encuentra «repatriación»; «niñas», «niña»); "
            "también por\n"
            "                     parecido del nombre del programa\n"
            "  --orden            natural (año, emisor, clave; predeterminado) o "
            "relevancia\n"
            "                     (predeterminado con --buscar)\n"
            "  --pagina           página de %d fichas (tabla: la 1 si no se indica; "
            "csv y\n"
            "                     json: todas si no se indica)\n"
            "  --formato          tabla (predeterminado), csv o json (un objeto por "
            "línea)\n"
            "  -h, --help         muestra esta ayuda\n\n"
            "Ejemplos:\n"
            "  pmm fichas --ejercicio 2021 --objetivo 13\n"
            "  pmm fichas --ejercicio 2018-2022 --ods 10 --entidad Chiapas --formato csv\n"
            "  pmm fichas --ejercicio 2022 --buscar \"repatriacion de ninas\"\n"
            "  pmm ficha ID        (una ficha completa)\n",
            FICHAS_POR_PAGINA);
}

static const char *v(const PGresult *res, int r, int c)
{
    return PQgetisnull(res, r, c) ? NULL : PQgetvalue(res, r, c);
}

/* Participants: the ficha's own sender and those whose fichas count under
 * it ("misma acción"). */
static json_t *participantes(const PGresult *res, int r)
{
    json_t *a = json_array();
    json_array_append_new(a, json_string(PQgetvalue(res, r, FC_EMISOR)));
    const char *otros = v(res, r, FC_PARTICIPANTES);
    if (otros) {
        char *copia = strdup(otros), *save = NULL;
        for (char *t = copia ? strtok_r(copia, ",", &save) : NULL; t;
             t = strtok_r(NULL, ",", &save))
            json_array_append_new(a, json_string(t));
        free(copia);
    }
    return a;
}

static json_t *ods_array(const char *lista)
{
    json_t *a = json_array();
    char *copia = strdup(lista ? lista : ""), *save = NULL;
    for (char *t = copia ? strtok_r(copia, ",", &save) : NULL; t;
         t = strtok_r(NULL, ",", &save))
        json_array_append_new(a, json_integer(atoi(t)));
    free(copia);
    return a;
}

static void write_json(FILE *out, const PGresult *res, const consulta_opciones *o)
{
    for (int r = 0; r < PQntuples(res); r++) {
        json_t *j = json_pack(
            "{s:I,s:s,s:s,s:i,s:i,s:s,s:i,s:i,s:s,s:o,s:b,s:s,s:o}", "id",
            (json_int_t)strtoll(PQgetvalue(res, r, FC_ID), NULL, 10), "clave",
            PQgetvalue(res, r, FC_CLAVE), "emisor", PQgetvalue(res, r, FC_EMISOR), "ejercicio",
            atoi(PQgetvalue(res, r, FC_EJERCICIO)), "version",
            atoi(PQgetvalue(res, r, FC_VERSION)), "programa", PQgetvalue(res, r, FC_PROGRAMA),
            "objetivo_pmm", atoi(PQgetvalue(res, r, FC_OBJETIVO)), "eje",
            atoi(PQgetvalue(res, r, FC_EJE)), "subtema", PQgetvalue(res, r, FC_SUBTEMA), "ods",
            ods_array(v(res, r, FC_ODS)), "con_resultados",
            PQgetvalue(res, r, FC_CON_RESULTADOS)[0] == 't', "estado_revision",
            PQgetvalue(res, r, FC_ESTADO), "participantes", participantes(res, r));
        if (j && o->buscar) {
            json_object_set_new(j, "rango", json_real(atof(PQgetvalue(res, r, FC_RANGO))));
            const char *frag = v(res, r, FC_FRAGMENTO);
            json_object_set_new(j, "fragmento", frag ? json_string(frag) : json_null());
        }
        char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
        if (s)
            fprintf(out, "%s\n", s);
        free(s);
        json_decref(j);
    }
}

static void write_csv(FILE *out, const PGresult *res, const consulta_opciones *o)
{
    fputs("id,clave,emisor,ejercicio,version,programa,objetivo_pmm,eje,subtema,ods,"
          "con_resultados,estado_revision,participantes",
          out);
    fputs(o->buscar ? ",rango,fragmento\n" : "\n", out);
    for (int r = 0; r < PQntuples(res); r++) {
        static const int cols[] = {FC_ID,       FC_CLAVE,   FC_EMISOR, FC_EJERCICIO,
                                   FC_VERSION,  FC_PROGRAMA, FC_OBJETIVO, FC_EJE,
                                   FC_SUBTEMA,  FC_ODS};
        for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++) {
            if (c)
                fputc(',', out);
            consulta_csv_campo(out, PQgetvalue(res, r, cols[c]));
        }
        fprintf(out, ",%s,%s,", PQgetvalue(res, r, FC_CON_RESULTADOS)[0] == 't' ? "si" : "no",
                PQgetvalue(res, r, FC_ESTADO));
        json_t *p = participantes(res, r);
        strbuf b;
        strbuf_init(&b);
        for (size_t i = 0; i < json_array_size(p); i++)
            strbuf_printf(&b, "%s%s", i ? " " : "", json_string_value(json_array_get(p, i)));
        consulta_csv_campo(out, b.data ? b.data : "");
        strbuf_free(&b);
        json_decref(p);
        if (o->buscar) {
            fprintf(out, ",%s,", PQgetvalue(res, r, FC_RANGO));
            consulta_csv_campo(out, v(res, r, FC_FRAGMENTO) ? v(res, r, FC_FRAGMENTO) : "");
        }
        fputc('\n', out);
    }
}

static const char *plural(long long n)
{
    return n == 1 ? "ficha" : "fichas";
}

/* What the filters are, in words, for the table's title. */
static void describir(strbuf *b, const consulta_opciones *o, const char *filtro_nombre,
                      const consulta_ref *ref)
{
    char buf[32];
    strbuf_printf(b, "Fichas del ejercicio %s, %s",
                  consulta_rango_texto(&o->rango, buf, sizeof buf), filtro_nombre);
    if (o->objetivo)
        strbuf_printf(b, "; objetivo %d", o->objetivo);
    if (o->eje)
        strbuf_printf(b, "; eje %d", o->eje);
    if (o->subtema)
        strbuf_printf(b, "; subtema %s (%s)", o->subtema,
                      consulta_nombre(ref, DIM_SUBTEMA, o->subtema));
    if (o->ods)
        strbuf_printf(b, "; ODS %d", o->ods);
    if (o->ambito)
        strbuf_printf(b, "; ámbito %s", o->ambito);
    if (o->estado_revision)
        strbuf_printf(b, "; revisión: %s", o->estado_revision);
    if (o->buscar)
        strbuf_printf(b, "; búsqueda «%s»", o->buscar);
}

static void write_tabla(FILE *out, const PGresult *res, const consulta_opciones *o,
                        long long total, const char *filtro_nombre, const consulta_ref *ref)
{
    strbuf t;
    strbuf_init(&t);
    describir(&t, o, filtro_nombre, ref);
    envolver(out, t.data ? t.data : "", 0, ANCHO);
    strbuf_free(&t);
    size_t pagina = o->pagina ? o->pagina : 1;
    int muchas = o->buscar && total > FICHAS_CANDIDATOS;
    if (muchas)
        total = FICHAS_CANDIDATOS;
    long long paginas = (total + FICHAS_POR_PAGINA - 1) / FICHAS_POR_PAGINA;
    strbuf c;
    strbuf_init(&c);
    if (muchas)
        strbuf_printf(&c, "Más de %d fichas; se ordenan por relevancia las %d primeras "
                          "halladas (añada palabras o filtros, o use --formato csv para "
                          "ordenarlas todas)",
                      FICHAS_CANDIDATOS, FICHAS_CANDIDATOS);
    else
        strbuf_printf(&c, "%lld %s", total, plural(total));
    if (paginas > 1)
        strbuf_printf(&c, "; página %zu de %lld", pagina, paginas);
    envolver(out, c.data ? c.data : "", 0, ANCHO);
    strbuf_free(&c);
    fputc('\n', out);
    for (int r = 0; r < PQntuples(res); r++) {
        fprintf(out, "%-7s %s  %s  %s  versión %s\n", PQgetvalue(res, r, FC_ID),
                PQgetvalue(res, r, FC_EJERCICIO), PQgetvalue(res, r, FC_EMISOR),
                PQgetvalue(res, r, FC_CLAVE), PQgetvalue(res, r, FC_VERSION));
        fputs("        ", out);
        envolver(out, PQgetvalue(res, r, FC_PROGRAMA), 8, ANCHO);
        strbuf d;
        strbuf_init(&d);
        const char *ods = PQgetvalue(res, r, FC_ODS);
        strbuf_printf(&d, "objetivo %s · eje %s · subtema %s · ODS %s · %s · revisión: %s",
                      PQgetvalue(res, r, FC_OBJETIVO), PQgetvalue(res, r, FC_EJE),
                      PQgetvalue(res, r, FC_SUBTEMA), *ods ? ods : "ninguno",
                      PQgetvalue(res, r, FC_CON_RESULTADOS)[0] == 't' ? "con resultados"
                                                                     : "sin resultados",
                      PQgetvalue(res, r, FC_ESTADO));
        if (v(res, r, FC_PARTICIPANTES))
            strbuf_printf(&d, " · también la reportó: %s", v(res, r, FC_PARTICIPANTES));
        fputs("        ", out);
        envolver(out, d.data ? d.data : "", 8, ANCHO);
        strbuf_free(&d);
        if (o->buscar && v(res, r, FC_FRAGMENTO)) {
            fputs("        ", out);
            envolver(out, v(res, r, FC_FRAGMENTO), 8, ANCHO);
        }
    }
    if (PQntuples(res) == 0)
        fputs("(ninguna ficha)\n", out);
    if ((long long)pagina < paginas)
        fprintf(out, "\nSiguiente página: --pagina %zu (o --formato csv para todas).\n",
                pagina + 1);
}

int cmd_fichas(int argc, char **argv, pmm_conf *conf)
{
    consulta_opciones op;
    int rc;
    consulta_ref *ref = consulta_preparar(CMD, argc, argv,
                                          CONSULTA_OPC_FILTRO | CONSULTA_OPC_FICHAS, usage,
                                          conf, &op, &rc);
    if (!ref)
        return rc;
    pmm_error err;
    pmm_error_clear(&err);
    char filtro[80], filtro_nombre[300];
    if (consulta_filtro(ref, &op, filtro, sizeof filtro, filtro_nombre, sizeof filtro_nombre,
                        &err)) {
        consulta_ref_destroy(&ref);
        return consulta_uso(CMD, &err);
    }
    if (op.subtema && !*consulta_nombre(ref, DIM_SUBTEMA, op.subtema)) {
        pmm_error_set(&err, 1, "--subtema", "desconocido",
                      "--subtema: «%.40s» no es un subtema de la taxonomía %s", op.subtema,
                      consulta_ref_taxonomia(ref));
        consulta_ref_destroy(&ref);
        return consulta_uso(CMD, &err);
    }
    PGconn *db = consulta_conectar(conf, "pmm-fichas", &err);
    PGresult *res = NULL;
    long long total = 0;
    int todas = op.formato != CONSULTA_TABLA && !op.pagina;
    if (!db || (op.formato == CONSULTA_TABLA && fichas_contar(db, &op, filtro, &total, &err)) ||
        !(res = fichas_listar(db, &op, filtro, todas, &err))) {
        consulta_error(CMD, &err);
        consulta_desconectar(db);
        consulta_ref_destroy(&ref);
        return EXIT_USO;
    }
    consulta_desconectar(db);
    if (op.formato == CONSULTA_JSON)
        write_json(stdout, res, &op);
    else if (op.formato == CONSULTA_CSV)
        write_csv(stdout, res, &op);
    else
        write_tabla(stdout, res, &op, total, filtro_nombre, ref);
    PQclear(res);
    consulta_ref_destroy(&ref);
    return consulta_fin_salida(CMD);
}
