/* informe_secciones.c -- sections 5 to 9 of the Informe Ejecutivo: states,
 * axes and sub-topics, SDGs, challenges and the notes on method (see
 * informe.c). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "informe_ctx.h"
#include "informe_datos.h"
#include "informe_formato.h"
#include "informe_items.h"
#include "informe_participacion.h"
#include "informe_ref.h"

#define NENT REF_ENTIDADES
#define NODS REF_ODS
#define METAS_N 10
#define RETO_CITA_MAX 320      /* characters of a quoted challenge */

/* ---- 5. States ----------------------------------------------------------- */

void informe_sec_entidades(ctx *c)
{
    doc *d = &c->d;
    char a[48];
    long long propias[NENT + 1] = {0}, federales[NENT + 1] = {0};
    int participan = 0;
    for (int k = 1; k <= NENT; k++) {
        char e[8], v[8];
        snprintf(e, sizeof e, "E:%02d", k);
        snprintf(v, sizeof v, "%02d", k);
        propias[k] = informe_fichas(c->datos, "", "emisor", e);
        long long en = informe_fichas(c->datos, "", "entidad", v);
        federales[k] = en > propias[k] ? en - propias[k] : 0;
        if (propias[k] > 0)
            participan++;
    }
    informe_seccion(c, 5);
    if (participan > 0) {
        doc_p(d, "Enviaron fichas %d de las 32 entidades federativas. El mapa colorea cada "
                 "entidad según el número de acciones que reportó su gobierno; la tabla da "
                 "las cifras exactas y, aparte, las acciones federales realizadas en cada "
                 "entidad.", participan);
    } else {
        doc_p(d, "Ningún gobierno estatal envió fichas en este ejercicio, por lo que el mapa "
                 "aparece sin acciones estatales. La tabla muestra, aparte, las acciones "
                 "federales que indican haberse realizado en cada entidad.");
    }
    const char *nombres[NENT + 1] = {""};
    for (int k = 1; k <= NENT; k++)
        nombres[k] = informe_ref_entidad(c->ref, k);
    doc_columnas(d);
    doc_mapa(d, "Acciones reportadas por los gobiernos estatales, por entidad federativa",
             nombres, propias,
             "Cuentan solo las fichas propias de cada gobierno estatal; no se incluyen las "
             "acciones federales realizadas en la entidad. Posiciones aproximadas, sin escala.");
    doc_columna(d);
    tabla t;
    tabla_init(&t, "entidades", "Acciones por entidad federativa", 4, "clave", "Clave", 't',
               "entidad", "Entidad federativa", 't', "estatales", "Gobierno estatal", 'n',
               "federales_en_entidad", "Federales en la entidad", 'n');
    for (int k = 1; k <= NENT; k++) {
        char v[8];
        snprintf(v, sizeof v, "%02d", k);
        tabla_txt(&t, v);
        tabla_txt(&t, informe_ref_entidad(c->ref, k));
        tabla_num(&t, propias[k]);
        tabla_num(&t, federales[k]);
    }
    strbuf_puts(&t.nota, "Gobierno estatal: acciones de las fichas enviadas por el gobierno "
                         "de la entidad (las que colorean el mapa). Federales en la entidad: "
                         "acciones de fichas federales que señalan la entidad como lugar de "
                         "ejecución.");
    doc_tabla(d, &t);
    tabla_free(&t);
    doc_fin_columnas(d);
    if (participan > 0 && participan < NENT) {
        strbuf s;
        strbuf_init(&s);
        const char *faltan[NENT];
        size_t n = 0;
        for (int k = 1; k <= NENT; k++)
            if (propias[k] == 0)
                faltan[n++] = informe_ref_entidad(c->ref, k);
        informe_lista_y(&s, faltan, n);
        doc_p(d, "No enviaron fichas en este ejercicio (%s): %s.",
              num((long long)n, a, sizeof a), s.data ? s.data : "");
        strbuf_free(&s);
    }
}

/* ---- 6. Axes and sub-topics -------------------------------------------- */

int informe_sec_ejes(ctx *c)
{
    doc *d = &c->d;
    char a[48];
    items ejes = {0}, subs = {0};
    if (items_de(c->datos, c->ref, "", "eje", &ejes) ||
        items_de(c->datos, c->ref, "", "subtema", &subs)) {
        free(ejes.v);
        free(subs.v);
        return -1;
    }
    /* every axis and sub-topic of the taxonomy, zeros included */
    for (size_t i = 0; i < informe_ref_subtemas(c->ref); i++) {
        const ref_subtema *sr = informe_ref_subtema_at(c->ref, i);
        char e[8];
        snprintf(e, sizeof e, "%d", sr->eje);
        if (!items_buscar(&ejes, e) && items_add(&ejes, e, 0, sr->eje))
            return -1;
        if (!items_buscar(&subs, sr->codigo) && items_add(&subs, sr->codigo, 0, (int)i))
            return -1;
    }
    items_ordenar(&ejes, items_cmp_natural);
    items_ordenar(&subs, items_cmp_natural);
    informe_seccion(c, 6);
    size_t imax = 0;
    for (size_t i = 1; i < ejes.n; i++)
        if (ejes.v[i].n > ejes.v[imax].n)
            imax = i;
    if (ejes.n > 0 && c->total > 0) {
        const char *en = informe_ref_eje(c->ref, atoi(ejes.v[imax].valor));
        doc_p(d, "Cada acción se clasifica en un eje temático y, dentro de él, en un subtema. "
                 "El eje con más acciones fue «%s», con %s.",
              en ? en : ejes.v[imax].valor, num(ejes.v[imax].n, a, sizeof a));
    }
    tabla te;
    tabla_init(&te, "ejes", "Acciones por eje temático", 4, "eje", "Eje", 'n', "nombre",
               "Nombre del eje", 't', "acciones", "Acciones", 'n', "porcentaje", "%", 'p');
    for (size_t i = 0; i < ejes.n; i++) {
        const char *en = informe_ref_eje(c->ref, atoi(ejes.v[i].valor));
        tabla_num(&te, atoi(ejes.v[i].valor));
        tabla_txt(&te, en ? en : "");
        tabla_num(&te, ejes.v[i].n);
        tabla_num(&te, informe_decimas(ejes.v[i].n, c->total));
    }
    doc_tabla(d, &te);
    tabla_free(&te);

    barra *bs = calloc(subs.n + 1, sizeof *bs);
    tabla ts;
    tabla_init(&ts, "subtemas", "Acciones por subtema", 4, "eje", "Eje", 'n', "subtema",
               "Subtema", 't', "acciones", "Acciones", 'n', "porcentaje", "%", 'p');
    for (size_t i = 0; i < subs.n; i++) {
        const ref_subtema *sr = informe_ref_subtema(c->ref, subs.v[i].valor);
        const char *nm = sr ? sr->nombre : subs.v[i].valor;
        if (sr)
            tabla_num(&ts, sr->eje);
        else
            tabla_vacia(&ts);
        tabla_txt(&ts, nm);
        tabla_num(&ts, subs.v[i].n);
        tabla_num(&ts, informe_decimas(subs.v[i].n, c->total));
        if (bs) {
            strbuf s;
            strbuf_init(&s);
            if (sr)
                strbuf_printf(&s, "%d · %s", sr->eje, nm);
            else
                strbuf_puts(&s, nm);
            barra_set(&bs[i], s.data ? s.data : "", 0, subs.v[i].n);
            strbuf_free(&s);
        }
    }
    if (bs)
        doc_barras(d, "Acciones por subtema, agrupadas por eje (el número indica el eje)",
                   bs, subs.n, c->total, "#51677d");
    doc_tabla(d, &ts);
    tabla_free(&ts);
    free(bs);
    free(ejes.v);
    free(subs.v);
    return 0;
}

/* ---- 7. SDGs ------------------------------------------------------------- */

int informe_sec_ods(ctx *c)
{
    doc *d = &c->d;
    char a[48], b2[48];
    long long unico = informe_fichas(c->datos, "", "ods_total", "");
    items it = {0};
    for (int k = 1; k <= NODS; k++) {
        char v[8];
        snprintf(v, sizeof v, "%d", k);
        if (items_add(&it, v, informe_fichas(c->datos, "", "ods", v), k))
            return -1;
    }
    items_ordenar(&it, items_cmp_desc);
    long long suma = items_suma(&it);
    informe_seccion(c, 7);
    doc_p(d, "Se alinean a los ODS solo las acciones que reportaron resultados en el periodo. "
             "En este ejercicio, %s %s con resultados se %s al menos a un ODS. Una misma "
             "acción puede contribuir a varios ODS y cuenta en cada uno de ellos, por lo que "
             "la suma por ODS (%s) es mayor que ese total único.",
          num(unico, a, sizeof a), informe_plural(unico, "acción", "acciones"),
          informe_plural(unico, "alineó", "alinearon"), num(suma, b2, sizeof b2));
    doc_cifra cf[2];
    memset(cf, 0, sizeof cf);
    snprintf(cf[0].valor, sizeof cf[0].valor, "%s", num(unico, a, sizeof a));
    snprintf(cf[0].rotulo, sizeof cf[0].rotulo, "acciones alineadas a algún ODS (total único)");
    snprintf(cf[1].valor, sizeof cf[1].valor, "%s", num(suma, a, sizeof a));
    snprintf(cf[1].rotulo, sizeof cf[1].rotulo, "alineaciones acción-ODS (suma por ODS)");
    doc_cifras(d, cf, 2);
    barra bs[NODS];
    for (size_t i = 0; i < it.n; i++) {
        int k = atoi(it.v[i].valor);
        strbuf s;
        strbuf_init(&s);
        strbuf_printf(&s, "ODS %d. %s", k, informe_ref_ods(c->ref, k));
        barra_set(&bs[i], s.data ? s.data : "", 0, it.v[i].n);
        strbuf_free(&s);
    }
    doc_barras(d, "Acciones con resultados por ODS (una acción puede contar en varios)", bs,
               it.n, 0, "#51677d");
    tabla t;
    tabla_init(&t, "ods", "Acciones con resultados alineadas a cada ODS", 4, "ods", "ODS",
               'n', "nombre", "Objetivo de Desarrollo Sostenible", 't', "acciones",
               "Acciones", 'n', "porcentaje", "% del total único", 'p');
    for (size_t i = 0; i < it.n; i++) {
        int k = atoi(it.v[i].valor);
        tabla_num(&t, k);
        tabla_txt(&t, informe_ref_ods(c->ref, k));
        tabla_num(&t, it.v[i].n);
        tabla_num(&t, informe_decimas(it.v[i].n, unico));
    }
    tabla_txt(&t, "");
    tabla_txt(&t, "Total único (cada acción una vez)");
    t.ultima_total = true;
    tabla_num(&t, unico);
    tabla_vacia(&t);
    strbuf_puts(&t.nota, "Los porcentajes se calculan sobre el total único y suman más de "
                         "100 porque una acción puede contar en varios ODS.");
    doc_tabla(d, &t);
    tabla_free(&t);
    free(it.v);

    /* targets */
    items metas = {0};
    if (items_de(c->datos, c->ref, "", "meta", &metas))
        return -1;
    items_ordenar(&metas, items_cmp_desc);
    doc_h3(d, NULL, "Metas de los ODS alcanzadas con más frecuencia");
    if (metas.n == 0) {
        doc_p(d, "Ninguna acción se asoció a una meta específica de los ODS.");
    } else {
        tabla tm;
        tabla_init(&tm, "ods_metas", "Metas de los ODS con más acciones", 5, "lugar", "Lugar",
                   'n', "meta", "Meta", 't', "ods", "ODS", 'n', "descripcion", "Descripción",
                   't', "acciones", "Acciones", 'n');
        size_t shown = 0;
        for (size_t i = 0; i < metas.n && items_lugar(&metas, i) <= METAS_N; i++) {
            const char *nm = informe_ref_meta(c->ref, metas.v[i].valor);
            tabla_num(&tm, items_lugar(&metas, i));
            tabla_txt(&tm, metas.v[i].valor);
            tabla_num(&tm, atoi(metas.v[i].valor));
            tabla_txt(&tm, nm ? nm : "");
            tabla_num(&tm, metas.v[i].n);
            shown++;
        }
        if (shown > METAS_N)
            strbuf_printf(&tm.nota, "Por empates en el último lugar, la tabla incluye %zu metas.",
                          shown);
        else if (metas.n > shown)
            strbuf_printf(&tm.nota, "Se muestran las %zu metas con más acciones de %zu "
                                    "registradas.", shown, metas.n);
        doc_tabla(d, &tm);
        tabla_free(&tm);
    }
    free(metas.v);
    return 0;
}

/* ---- 8. Challenges -------------------------------------------------------- */

/* Is the collapsed quote among the n already printed? */
static bool citado(char *const *vistos, size_t n, const char *texto)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(vistos[i], texto))
            return true;
    return false;
}

int informe_sec_retos(ctx *c)
{
    doc *d = &c->d;
    char a[48];
    items it = {0};
    if (items_de(c->datos, c->ref, "", "reto", &it))
        return -1;
    items_ordenar(&it, items_cmp_desc);
    informe_seccion(c, 8);
    long long suma = items_suma(&it);
    if (it.n == 0) {
        doc_p(d, "Ninguna ficha del ejercicio describe retos clasificables.");
        free(it.v);
        return 0;
    }
    const char *top = informe_ref_reto(c->ref, it.v[0].valor);
    doc_p(d, "Los retos que describen las fichas se agrupan en categorías definidas por la "
             "Unidad (la tabla del final de esta sección da la definición de cada una). Una "
             "ficha puede mencionar retos de más de una categoría, y cuenta en cada una; en "
             "total hubo %s menciones. La categoría más señalada fue «%s».",
          num(suma, a, sizeof a), top ? top : it.v[0].valor);
    barra *bs = calloc(it.n + 1, sizeof *bs);
    tabla t;
    tabla_init(&t, "retos", "Retos por categoría", 3, "categoria", "Categoría", 't',
               "acciones", "Acciones que lo mencionan", 'n', "porcentaje",
               "% de las acciones", 'p');
    for (size_t i = 0; i < it.n; i++) {
        const char *nm = informe_ref_reto(c->ref, it.v[i].valor);
        tabla_txt(&t, nm ? nm : it.v[i].valor);
        tabla_num(&t, it.v[i].n);
        tabla_num(&t, informe_decimas(it.v[i].n, c->total));
        if (bs)
            barra_set(&bs[i], nm ? nm : it.v[i].valor, 0, it.v[i].n);
    }
    if (bs)
        doc_barras(d, "Acciones que mencionan cada categoría de retos", bs, it.n, 0, "#8c7a5b");
    doc_tabla(d, &t);
    tabla_free(&t);
    free(bs);

    json_t *ej = json_object_get(c->datos, "retos_ejemplos");
    tabla tx;
    tabla_init(&tx, "retos_ejemplos", "Ejemplos de retos por categoría", 3, "categoria",
               "Categoría", 't', "numero", "Núm.", 'n', "texto", "Texto", 't');
    doc_h3(d, NULL, "Ejemplos de retos citados de las fichas");
    /* no quote twice in the document: a ficha that names several
     * categories is quoted under the first only */
    char **vistos = NULL;
    size_t nvistos = 0;
    int rc = 0;
    for (size_t i = 0; i < it.n && rc == 0; i++) {
        json_t *lista = json_object_get(ej, it.v[i].valor);
        const char *nm = informe_ref_reto(c->ref, it.v[i].valor);
        size_t j, k = 0;
        json_t *txt;
        json_array_foreach(lista, j, txt) {
            if (k == INFORME_CITAS_RETO)
                break;
            strbuf s, r;
            strbuf_init(&s);
            strbuf_init(&r);
            informe_colapsar(&s, json_string_value(txt) ? json_string_value(txt) : "");
            if (!s.data || citado(vistos, nvistos, s.data)) {
                strbuf_free(&s);
                continue;
            }
            char **nv = realloc(vistos, (nvistos + 1) * sizeof *nv);
            if (!nv) {
                strbuf_free(&s);
                rc = -1;
                break;
            }
            vistos = nv;
            vistos[nvistos++] = s.data;    /* owned by vistos from here */
            if (k == 0)
                doc_grupo(d, nm ? nm : it.v[i].valor, num(it.v[i].n, a, sizeof a));
            informe_recortar(&r, s.data, RETO_CITA_MAX);
            tabla_txt(&tx, nm ? nm : it.v[i].valor);
            tabla_num(&tx, (long long)++k);
            tabla_txt(&tx, s.data);
            doc_cita(d, r.data ? r.data : "");
            strbuf_free(&r);
        }
        if (k > 0)
            doc_fin_grupo(d);
    }
    for (size_t i = 0; i < nvistos; i++)
        free(vistos[i]);
    free(vistos);
    if (doc_solo_tablas(d))
        doc_tabla(d, &tx);
    else
        doc_nota(d, "Citas textuales de las fichas, recortadas a %d caracteres cuando son "
                    "más largas; se eligen las primeras fichas recibidas de cada categoría, "
                    "y un texto citado en una categoría no se repite en otra.",
                 RETO_CITA_MAX);
    tabla_free(&tx);

    /* the definitions (the Diagnóstico's annex gives them too) */
    tabla td;
    tabla_init(&td, "retos_categorias", "Categorías de retos y su definición", 2, "categoria",
               "Categoría", 't', "definicion", "Definición", 't');
    for (size_t i = 0; i < informe_ref_retos(c->ref); i++) {
        const char *cod = informe_ref_reto_codigo(c->ref, i);
        const char *nm = informe_ref_reto(c->ref, cod);
        const char *df = informe_ref_reto_definicion(c->ref, cod);
        tabla_txt(&td, nm ? nm : "");
        tabla_txt(&td, df ? df : "");
    }
    doc_tabla(d, &td);
    tabla_free(&td);
    free(it.v);
    return rc;
}

/* ---- 9. Method ------------------------------------------------------------ */

/* "N de M fichas contadas las revisó un analista ..." (absent from data
 * documents older than the count: "sin dato"). */
static void nota_revision(const ctx *c, const char *cla, strbuf *out)
{
    json_t *rv = json_object_get(c->datos, "revisadas");
    json_t *ct = json_object_get(c->datos, "contadas");
    if (!json_is_integer(rv) || !json_is_integer(ct)) {
        strbuf_puts(out, "sin dato");
        return;
    }
    long long r = json_integer_value(rv), n = json_integer_value(ct);
    char a[48], b[48];
    (void)cla;
    strbuf_printf(out, "Un analista revisó %s de %s %s; en las demás cuenta la "
                       "clasificación automática.",
                  num(r, a, sizeof a), num(n, b, sizeof b),
                  informe_plural(n, "ficha contada", "fichas contadas"));
}

void informe_sec_metodo(ctx *c)
{
    doc *d = &c->d;
    char periodo[64], a[48];
    informe_periodo(c->anio, periodo, sizeof periodo);
    const char *tax = json_string_value(json_object_get(c->datos, "taxonomia"));
    const char *cla = json_string_value(json_object_get(c->datos, "clasificador"));
    const char *corte = json_string_value(json_object_get(c->datos, "corte"));
    long long pend = json_integer_value(json_object_get(c->datos, "pendientes"));
    strbuf fecha, origen, pend_t;
    strbuf_init(&fecha);
    strbuf_init(&origen);
    strbuf_init(&pend_t);
    informe_fecha_zona(&fecha, corte, informe_ref_zona_de(c->ref));
    const char *hash = c->fuente && c->fuente->hash ? c->fuente->hash : "";
    switch (c->fuente ? c->fuente->origen : INFORME_VIVO) {
    case INFORME_CIERRE:
        strbuf_printf(&origen, "Cierre del ejercicio (copia congelada de los datos). Huella "
                               "SHA-256 del cierre: %s.", hash);
        break;
    case INFORME_ARCHIVO:
        strbuf_printf(&origen, "Conjunto de datos exportado, leído de un archivo. Huella "
                               "SHA-256 del conjunto: %s.", hash);
        break;
    default:
        strbuf_printf(&origen, "Datos en vivo, sin cierre: las cifras pueden cambiar si "
                               "llegan correcciones. Huella SHA-256 del conjunto usado: %s.",
                      hash);
        break;
    }
    if (pend > 0)
        strbuf_printf(&pend_t, "%s %s aún sin clasificar al corte, no %s en las cifras.",
                      num(pend, a, sizeof a), informe_plural(pend, "ficha recibida", "fichas recibidas"),
                      informe_plural(pend, "incluida", "incluidas"));
    else
        strbuf_puts(&pend_t, "Ninguna: todas las fichas recibidas están clasificadas y "
                             "contadas.");
    struct {
        const char *clave, *rotulo;
        const char *texto;
    } notas[] = {
        {"periodo", "Periodo que se informa",
         NULL},
        {"unidad", "Unidad de conteo",
         "Cada ficha técnica describe un programa, acción o buena práctica y se alinea a un "
         "solo objetivo del Pacto; «acciones» es el número de fichas. Cuenta la versión más "
         "reciente de cada ficha, con la decisión de los analistas cuando la hay."},
        {"ambito", "Ámbito",
         "Federal: secretarías, órganos desconcentrados y organismos autónomos. Estatal: "
         "gobiernos de las entidades federativas, que participan desde 2022."},
        {"entidades", "Mapa de entidades",
         "El mapa y la columna de acciones estatales cuentan las fichas de cada gobierno "
         "estatal. Las fichas federales realizadas en una entidad se informan en columna "
         "aparte y no cambian el color del mapa. Rangos: sin acciones, 1 a 3, 4 a 10 y más "
         "de 10."},
        {"ejes", "Ejes temáticos",
         "Cada acción se clasifica en un eje y un subtema de la taxonomía indicada abajo; "
         "la clasificación automática puede ser corregida por los analistas y su decisión "
         "prevalece."},
        {"ods", "Alineación con los ODS",
         "Solo cuentan las acciones que reportaron resultados en el periodo. Una acción "
         "puede contribuir a varios ODS y a varias metas; el total único cuenta cada acción "
         "una sola vez."},
        {"sumas", "Cifras reportadas", INFORME_NOTA_SUMAS},
        {"retos", "Retos",
         "La Unidad define las categorías de retos y su definición (tabla de la sección 8) "
         "y las revisa cada ejercicio. Los retos de cada ficha se asignan a las categorías "
         "por las palabras con que se describen; una ficha puede mencionar retos de varias "
         "categorías, y lo que no encaja en ninguna cuenta como «Otro»."},
        {"participacion", "Participación en la convocatoria", NULL},
        {"corte", "Corte de los datos", NULL},
        {"pendientes", "Fichas pendientes", NULL},
        {"taxonomia", "Taxonomía de ejes y subtemas", NULL},
        {"clasificador", "Clasificación automática", NULL},
        {"revision", "Revisión de los analistas", NULL},
        {"origen", "Origen de los datos", NULL},
        {"cifras", "Formato de las cifras",
         "Los millares se separan con un espacio fino y los decimales con punto; los "
         "porcentajes se redondean a un decimal."},
    };
    char per_txt[160];
    snprintf(per_txt, sizeof per_txt, "Ejercicio %d: de %s.", c->anio, periodo);
    strbuf tax_t, cla_t, rev_t, par_t;
    strbuf_init(&par_t);
    informe_participacion_nota(c, &par_t);
    bool hay_conv = informe_participacion_hay(c);
    strbuf_init(&tax_t);
    strbuf_init(&cla_t);
    strbuf_init(&rev_t);
    nota_revision(c, cla, &rev_t);
    strbuf_puts(&tax_t, tax && *tax ? tax : "sin dato");
    /* the version strings name model hashes: the public text says how the
     * classification was made; the exported dataset keeps the versions */
    size_t nver = 0;
    for (const char *q = cla; q && *q; q++)
        if (q == cla || (q[0] == ',' && q[1] == ' '))
            nver++;
    strbuf_printf(&cla_t, "Eje, subtema, ODS y categorías de retos los propone un "
                          "clasificador automático entrenado con las decisiones de los "
                          "analistas de ejercicios anteriores; %s. La versión exacta consta "
                          "en el conjunto de datos del informe.",
                  nver > 1 ? "en este ejercicio se usó más de una versión"
                           : "en este ejercicio se usó una sola versión");
    for (size_t i = 0; i < sizeof notas / sizeof notas[0]; i++) {
        if (!strcmp(notas[i].clave, "periodo"))
            notas[i].texto = per_txt;
        else if (!strcmp(notas[i].clave, "corte"))
            notas[i].texto = fecha.data ? fecha.data : "";
        else if (!strcmp(notas[i].clave, "pendientes"))
            notas[i].texto = pend_t.data ? pend_t.data : "";
        else if (!strcmp(notas[i].clave, "taxonomia"))
            notas[i].texto = tax_t.data ? tax_t.data : "";
        else if (!strcmp(notas[i].clave, "clasificador"))
            notas[i].texto = cla_t.data ? cla_t.data : "";
        else if (!strcmp(notas[i].clave, "revision"))
            notas[i].texto = rev_t.data ? rev_t.data : "";
        else if (!strcmp(notas[i].clave, "origen"))
            notas[i].texto = origen.data ? origen.data : "";
        else if (!strcmp(notas[i].clave, "participacion"))
            notas[i].texto = par_t.data ? par_t.data : "";
    }
    informe_seccion(c, 9);
    size_t nn = sizeof notas / sizeof notas[0];
    if (doc_solo_tablas(d)) {
        tabla t;
        tabla_init(&t, "metodo", "Notas metodológicas", 3, "clave", "Clave", 't', "nota",
                   "Nota", 't', "texto", "Texto", 't');
        for (size_t i = 0; i < nn; i++) {
            /* a year without a call: no note (the same output as before) */
            if (!hay_conv && !strcmp(notas[i].clave, "participacion"))
                continue;
            tabla_txt(&t, notas[i].clave);
            tabla_txt(&t, notas[i].rotulo);
            tabla_txt(&t, notas[i].texto);
        }
        tabla_txt(&t, "hash");
        tabla_txt(&t, "Huella SHA-256 del conjunto de datos");
        tabla_txt(&t, hash);
        tabla_txt(&t, "corte_iso");
        tabla_txt(&t, "Corte de los datos (marca de tiempo)");
        tabla_txt(&t, corte ? corte : "");
        doc_tabla(d, &t);
        tabla_free(&t);
    } else {
        doc_lista(d);
        for (size_t i = 0; i < nn; i++)
            if (hay_conv || strcmp(notas[i].clave, "participacion"))
                doc_campo(d, notas[i].rotulo, notas[i].texto);
        doc_fin_lista(d);
    }
    informe_participacion_tablas(c);
    doc_fin_seccion(d);
    strbuf_free(&fecha);
    strbuf_free(&origen);
    strbuf_free(&pend_t);
    strbuf_free(&tax_t);
    strbuf_free(&cla_t);
    strbuf_free(&rev_t);
    strbuf_free(&par_t);
}
