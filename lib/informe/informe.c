/* informe.c -- the Informe Ejecutivo (see informe.h): the dataset read into
 * nine sections of blocks written through the document model
 * (informe_doc.h). Sections 1 to 4 are here, 5 to 9 in
 * informe_secciones.c. */
#include "informe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "informe_ctx.h"
#include "informe_datos.h"
#include "informe_formato.h"
#include "informe_items.h"
#include "informe_ref.h"

#define NOBJ REF_OBJETIVOS
#define NENT REF_ENTIDADES
#define TOP_N 5
#define ERR_MEM 7   /* Pmm__ErrorCode ERR_INTERNAL */

static int oom(pmm_error *err)
{
    return pmm_error_set(err, ERR_MEM, "", "memoria", "sin memoria");
}

int informe_formato_parse(const char *text, informe_formato *out)
{
    if (!text)
        return -1;
    if (!strcmp(text, "html"))
        *out = INFORME_HTML;
    else if (!strcmp(text, "md"))
        *out = INFORME_MD;
    else if (!strcmp(text, "csv"))
        *out = INFORME_CSV;
    else if (!strcmp(text, "docx"))
        *out = INFORME_DOCX;
    else
        return -1;
    return 0;
}

static const doc_entrada SECCIONES[] = {
    {"resumen", "Resumen"},
    {"objetivos", "Acciones por objetivo del Pacto"},
    {"ambito", "Ámbito federal y ámbito estatal"},
    {"instituciones", "Acciones por institución que reporta"},
    {"entidades", "Entidades federativas"},
    {"ejes", "Ejes temáticos y subtemas"},
    {"ods", "Alineación con los Objetivos de Desarrollo Sostenible"},
    {"retos", "Retos identificados"},
    {"metodo", "Notas metodológicas"},
    {"conclusiones", "Conclusiones"},
    {"anexo-retos", "Anexo: categorías de retos"},
    {"anexo-instituciones", "Anexo: instituciones participantes"},
};
#define NSECCIONES (sizeof SECCIONES / sizeof SECCIONES[0])

void informe_seccion(ctx *c, int num)
{
    doc_seccion(&c->d, num, SECCIONES[num - 1].id, SECCIONES[num - 1].titulo);
}

/* Objectives as items (all 23, zeros included) from filtro. */
static int objetivos(const ctx *c, const char *filtro, items *it)
{
    for (int k = 1; k <= NOBJ; k++) {
        char v[8];
        snprintf(v, sizeof v, "%d", k);
        if (items_add(it, v, informe_fichas(c->datos, filtro, "objetivo", v), k))
            return -1;
    }
    return 0;
}

/* The label of an objective: "7. Abordar y reducir…" (full title). */
static void objetivo_rotulo(const ctx *c, int k, strbuf *b)
{
    strbuf_printf(b, "%d. %s", k, informe_ref_objetivo(c->ref, k));
}

static void emisor_nombre(const ctx *c, const char *emisor, strbuf *b)
{
    if (!strncmp(emisor, "E:", 2)) {
        informe_ref_gobierno(c->ref, atoi(emisor + 2), b);
    } else {
        const char *sigla = !strncmp(emisor, "D:", 2) ? emisor + 2 : emisor;
        const char *n = informe_ref_dependencia(c->ref, sigla);
        strbuf_puts(b, n ? n : sigla);
    }
}

static void emisor_sigla(const ctx *c, const char *emisor, strbuf *b)
{
    if (!strncmp(emisor, "E:", 2)) {
        int k = atoi(emisor + 2);
        strbuf_printf(b, "Gob. %s", k >= 1 && k <= NENT ? informe_ref_entidad(c->ref, k) : emisor);
    } else {
        strbuf_puts(b, !strncmp(emisor, "D:", 2) ? emisor + 2 : emisor);
    }
}

/* ---- 1. Summary -------------------------------------------------------- */

static int contar_emisores(const ctx *c, char tipo)
{
    int n = 0;
    const char *k;
    json_t *cell;
    json_t *obj = (json_t *)informe_dimension(c->datos, "", "emisor");
    json_object_foreach(obj, k, cell)
        if (k[0] == tipo && json_integer_value(json_object_get(cell, "fichas")) > 0)
            n++;
    return n;
}

static int objetivos_con_acciones(const ctx *c)
{
    int n = 0;
    for (int k = 1; k <= NOBJ; k++) {
        char v[8];
        snprintf(v, sizeof v, "%d", k);
        if (informe_fichas(c->datos, "", "objetivo", v) > 0)
            n++;
    }
    return n;
}

static long long campo(const json_t *fila, const char *k)
{
    return json_integer_value(json_object_get(fila, k));
}

/* When the total moved by a tenth or more and who reported changed, a
 * sentence that says so: how many bodies and state governments reported in
 * each year and, when the dataset has it, the change without the state
 * governments' fichas. */
static void nota_participantes(ctx *c, const json_t *este, const json_t *antes)
{
    if (!este || !antes)
        return;
    long long n1 = campo(este, "fichas"), n0 = campo(antes, "fichas");
    long long d1 = campo(este, "dependencias"), d0 = campo(antes, "dependencias");
    long long e1 = campo(este, "entidades"), e0 = campo(antes, "entidades");
    long long dif = n1 - n0;
    if (n0 <= 0 || (dif < 0 ? -dif : dif) * 10 < n0 || (d1 == d0 && e1 == e0))
        return;
    char a[48], b[48], p[32];
    strbuf s;
    strbuf_init(&s);
    strbuf_printf(&s, "Parte del cambio se debe a quién reportó: en %d enviaron fichas %lld %s",
                  c->anio, d1, informe_plural(d1, "dependencia u organismo federal",
                                              "dependencias y organismos federales"));
    strbuf_printf(&s, " (%lld en %d)", d0, c->anio - 1);
    if (e1 || e0) {
        strbuf_printf(&s, " y %lld %s", e1, informe_plural(e1, "gobierno estatal",
                                                           "gobiernos estatales"));
        if (e0)
            strbuf_printf(&s, " (%lld en %d)", e0, c->anio - 1);
        else
            strbuf_printf(&s, ", que no participaban en %d", c->anio - 1);
    }
    strbuf_puts(&s, ".");
    json_t *x1 = json_object_get(este, "estatales"), *x0 = json_object_get(antes, "estatales");
    if (json_is_integer(x1) && json_is_integer(x0) && (e1 != e0)) {
        long long f1 = n1 - json_integer_value(x1), f0 = n0 - json_integer_value(x0);
        long long df = f1 - f0;
        strbuf_printf(&s, " Sin las fichas de los gobiernos estatales, las acciones %s de %s a "
                          "%s (%s%s%%).",
                      df > 0 ? "habrían aumentado" : df < 0 ? "habrían disminuido"
                                                            : "se habrían mantenido",
                      num(f0, a, sizeof a), num(f1, b, sizeof b),
                      informe_pct(informe_decimas(df, f0), true, p, sizeof p), INFORME_NBSP);
    }
    if (!strbuf_failed(&s))
        doc_p(&c->d, "%s", s.data);
    strbuf_free(&s);
}

static void s_resumen(ctx *c)
{
    doc *d = &c->d;
    char a[48], b2[48], e[48], p[32];
    int ndep = contar_emisores(c, 'D'), nest = contar_emisores(c, 'E');
    int nobj = objetivos_con_acciones(c);
    long long ods_total = informe_fichas(c->datos, "", "ods_total", "");
    char periodo[64];
    informe_periodo(c->anio, periodo, sizeof periodo);
    informe_seccion(c, 1);
    if (nest > 0)
        doc_p(d, "En el ejercicio %d, que abarca de %s, se registraron %s %s alineadas a "
                 "los objetivos del Pacto Mundial. Las reportaron %d %s federales y "
                 "%d %s (%d de las 32 entidades federativas).",
              c->anio, periodo, num(c->total, a, sizeof a),
              informe_plural(c->total, "acción", "acciones"), ndep,
              informe_plural(ndep, "dependencia u organismo", "dependencias y organismos"), nest,
              informe_plural(nest, "gobierno estatal", "gobiernos estatales"), nest);
    else
        doc_p(d, "En el ejercicio %d, que abarca de %s, se registraron %s %s alineadas a "
                 "los objetivos del Pacto Mundial, reportadas por %d %s federales; "
                 "ningún gobierno estatal reportó acciones en este ejercicio.",
              c->anio, periodo, num(c->total, a, sizeof a),
              informe_plural(c->total, "acción", "acciones"), ndep,
              informe_plural(ndep, "dependencia u organismo", "dependencias y organismos"));
    doc_cifra cf[5];
    memset(cf, 0, sizeof cf);
    snprintf(cf[0].valor, sizeof cf[0].valor, "%s", num(c->total, a, sizeof a));
    snprintf(cf[0].rotulo, sizeof cf[0].rotulo, "acciones registradas");
    snprintf(cf[1].valor, sizeof cf[1].valor, "%d", ndep);
    snprintf(cf[1].rotulo, sizeof cf[1].rotulo, "dependencias y organismos federales");
    snprintf(cf[2].valor, sizeof cf[2].valor, "%d de 32", nest);
    snprintf(cf[2].rotulo, sizeof cf[2].rotulo, "gobiernos estatales");
    snprintf(cf[3].valor, sizeof cf[3].valor, "%d de 23", nobj);
    snprintf(cf[3].rotulo, sizeof cf[3].rotulo, "objetivos con al menos una acción");
    snprintf(cf[4].valor, sizeof cf[4].valor, "%s", num(ods_total, a, sizeof a));
    snprintf(cf[4].rotulo, sizeof cf[4].rotulo, "acciones con resultados alineados a los ODS");
    doc_cifras(d, cf, 5);

    long long acc = informe_medida(c->datos, "acciones"), per = informe_medida(c->datos, "personas");
    long long muj = informe_medida(c->datos, "mujeres"), hom = informe_medida(c->datos, "hombres");
    if (acc > 0 || per > 0) {
        doc_h3(d, NULL, "Cifras reportadas en los resultados");
        if (muj > 0 || hom > 0)
            doc_p(d, "Sumadas, las cifras que las fichas reportan en sus resultados dan %s "
                     "actividades reportadas (campañas, trámites, cursos, documentos y "
                     "otras) y %s personas atendidas (suma de lo reportado); donde se "
                     "desglosó por sexo, %s mujeres y %s hombres.",
                  num(acc, a, sizeof a), num(per, b2, sizeof b2),
                  num(muj, e, sizeof e), num(hom, p, sizeof p));
        else
            doc_p(d, "Sumadas, las cifras que las fichas reportan en sus resultados dan %s "
                     "actividades reportadas (campañas, trámites, cursos, documentos y "
                     "otras) y %s personas atendidas (suma de lo reportado).",
                  num(acc, a, sizeof a), num(per, b2, sizeof b2));
        doc_nota(d, "%s", INFORME_NOTA_SUMAS);
    }

    long long pend = json_integer_value(json_object_get(c->datos, "pendientes"));
    /* CSV: the summary as a table of its own */
    if (doc_solo_tablas(d)) {
        tabla r;
        tabla_init(&r, "resumen", "Resumen", 3, "indicador", "Indicador", 't',
                   "descripcion", "Descripción", 't', "valor", "Valor", 'n');
        static const char *ind[][2] = {
            {"acciones", "Acciones registradas (fichas)"},
            {"dependencias", "Dependencias y organismos federales que reportaron"},
            {"gobiernos_estatales", "Gobiernos estatales que reportaron (de 32)"},
            {"objetivos_con_acciones", "Objetivos del Pacto con al menos una acción (de 23)"},
            {"ods_total", "Acciones con resultados alineadas al menos a un ODS"},
            {"actividades_reportadas", "Actividades reportadas (suma de lo reportado)"},
            {"personas_reportadas", "Personas atendidas (suma de lo reportado)"},
            {"mujeres_reportadas", "Mujeres atendidas (suma de lo reportado, donde se desglosó)"},
            {"hombres_reportadas", "Hombres atendidos (suma de lo reportado, donde se desglosó)"},
            {"pendientes", "Fichas aún sin clasificar al corte"},
        };
        long long val[] = {c->total, ndep, nest, nobj, ods_total, acc, per, muj, hom, pend};
        for (size_t k = 0; k < sizeof val / sizeof val[0]; k++) {
            tabla_txt(&r, ind[k][0]);
            tabla_txt(&r, ind[k][1]);
            tabla_num(&r, val[k]);
        }
        doc_tabla(d, &r);
        tabla_free(&r);
    }

    /* comparison with the previous years */
    json_t *anual = json_object_get(c->datos, "anual");
    tabla t;
    tabla_init(&t, "anual", "Acciones e instituciones participantes por ejercicio", 6,
               "ejercicio", "Ejercicio", 't', "periodo", "Periodo", 't',
               "acciones", "Acciones", 'n', "variacion_pct", "Variación (%)", 'v',
               "dependencias", "Dependencias federales", 'n',
               "gobiernos_estatales", "Gobiernos estatales", 'n');
    barra *bs = calloc(json_array_size(anual) + 1, sizeof *bs);
    size_t nb = 0;
    long long prev = -1, prev_anio = 0;
    long long este = -1, anterior = -1;
    const json_t *fila_este = NULL, *fila_anterior = NULL, *fila_previa = NULL;
    size_t i;
    json_t *fila;
    json_array_foreach(anual, i, fila) {
        int y = (int)json_integer_value(json_object_get(fila, "ejercicio"));
        long long n = json_integer_value(json_object_get(fila, "fichas"));
        char ys[16], per_t[64];
        snprintf(ys, sizeof ys, "%d", y);
        informe_periodo(y, per_t, sizeof per_t);
        tabla_txt(&t, ys);
        tabla_txt(&t, per_t);
        tabla_num(&t, n);
        if (prev > 0 && prev_anio == y - 1)
            tabla_num(&t, informe_decimas(n - prev, prev));
        else
            tabla_vacia(&t);
        tabla_num(&t, json_integer_value(json_object_get(fila, "dependencias")));
        tabla_num(&t, json_integer_value(json_object_get(fila, "entidades")));
        if (bs)
            barra_set(&bs[nb++], ys, 10, n);
        if (y == c->anio) {
            este = n;
            anterior = prev_anio == y - 1 ? prev : -1;
            fila_este = fila;
            fila_anterior = prev_anio == y - 1 ? fila_previa : NULL;
        }
        prev = n;
        prev_anio = y;
        fila_previa = fila;
    }
    if (json_array_size(anual) > 1) {
        doc_h3(d, NULL, "Comparación con ejercicios anteriores");
        if (este >= 0 && anterior > 0) {
            long long dif = este - anterior;
            if (dif == 0)
                doc_p(d, "El número de acciones fue igual al del ejercicio %d (%s).",
                      c->anio - 1, num(anterior, a, sizeof a));
            else
                doc_p(d, "Respecto del ejercicio %d (%s acciones), el número de acciones "
                         "%s en %s (%s%s%%).",
                      c->anio - 1, num(anterior, a, sizeof a),
                      dif > 0 ? "aumentó" : "disminuyó", num(dif > 0 ? dif : -dif, b2, sizeof b2),
                      informe_pct(informe_decimas(dif, anterior), true, p, sizeof p), INFORME_NBSP);
            nota_participantes(c, fila_este, fila_anterior);
        }
        doc_barras(d, "Acciones registradas por ejercicio", bs, nb, 0, "#51677d");
    }
    if (json_array_size(anual) > 0) {
        strbuf_puts(&t.nota, "Gobiernos estatales: participan desde 2022. La variación "
                             "compara cada ejercicio con el anterior.");
        doc_tabla(d, &t);
    }
    tabla_free(&t);
    free(bs);
    informe_continuidad(c);

    if (pend > 0)
        doc_nota(d, "Al corte de los datos, %s %s del ejercicio aún no %s y no se %s "
                    "en las cifras.",
                 num(pend, a, sizeof a), informe_plural(pend, "ficha", "fichas"),
                 informe_plural(pend, "estaba clasificada", "estaban clasificadas"),
                 informe_plural(pend, "incluye", "incluyen"));

}

/* ---- 2. Objectives ------------------------------------------------------ */

/* Ties and cut notes of a top/bottom table built from sorted items, the
 * first `shown` of them. */
static void nota_empates(const items *it, size_t shown, strbuf *nota)
{
    char a[48];
    size_t i = 0;
    bool first = true;
    while (i < shown) {
        size_t j = i;
        while (j + 1 < shown && it->v[j + 1].n == it->v[i].n)
            j++;
        if (j > i) {
            strbuf_puts(nota, first ? "Empates: " : "; ");
            first = false;
            strbuf_puts(nota, "los objetivos ");
            for (size_t k = i; k <= j; k++)
                strbuf_printf(nota, "%s%s", k == i ? "" : k == j ? " y " : ", ", it->v[k].valor);
            if (it->v[i].n == 0)
                strbuf_puts(nota, " no registraron acciones");
            else
                strbuf_printf(nota, " tienen %s %s cada uno", informe_numero(it->v[i].n, a, sizeof a),
                              informe_plural(it->v[i].n, "acción", "acciones"));
        }
        i = j + 1;
    }
    if (!first)
        strbuf_puts(nota, ".");
    if (shown > TOP_N)
        strbuf_printf(nota, "%sPor los empates, la tabla incluye %zu objetivos en lugar de cinco.",
                      first ? "" : " ", shown);
}

static void tabla_ranking(ctx *c, const char *id, const char *titulo, const items *it)
{
    tabla t;
    tabla_init(&t, id, titulo, 4, "lugar", "Lugar", 'n', "objetivo", "Objetivo", 'n',
               "titulo", "Título del objetivo", 't', "acciones", "Acciones", 'n');
    size_t shown = 0;
    for (size_t i = 0; i < it->n && items_lugar(it, i) <= TOP_N; i++) {
        int k = atoi(it->v[i].valor);
        tabla_num(&t, items_lugar(it, i));
        tabla_num(&t, k);
        tabla_txt(&t, informe_ref_objetivo(c->ref, k));
        tabla_num(&t, it->v[i].n);
        shown++;
    }
    nota_empates(it, shown, &t.nota);
    doc_tabla(&c->d, &t);
    tabla_free(&t);
}

static int s_objetivos(ctx *c)
{
    doc *d = &c->d;
    char a[48], b2[48], p[32];
    items it = {0};
    if (objetivos(c, "", &it))
        return -1;
    items_ordenar(&it, items_cmp_desc);
    informe_seccion(c, 2);
    int ceros = 0;
    for (size_t i = 0; i < it.n; i++)
        if (it.v[i].n == 0)
            ceros++;
    int k0 = atoi(it.v[0].valor);
    if (c->total > 0) {
        int empatados = 0;
        for (size_t i = 1; i < it.n; i++)
            if (it.v[i].n == it.v[0].n)
                empatados++;
        doc_p(d, "Cada ficha se alinea a un solo objetivo del Pacto, de modo que las %s "
                 "acciones se reparten entre los 23 objetivos sin contarse dos veces. "
                 "%s el objetivo %d, «%s», con %s acciones (%s%s%% del total). %s",
              num(c->total, a, sizeof a),
              empatados ? "Encabeza la lista, empatado con otros objetivos," : "Encabeza la lista",
              k0, informe_ref_objetivo(c->ref, k0), num(it.v[0].n, b2, sizeof b2),
              informe_pct(informe_decimas(it.v[0].n, c->total), false, p, sizeof p), INFORME_NBSP,
              ceros == 0 ? "Todos los objetivos registraron al menos una acción."
                  : ceros == 1 ? "Un objetivo no registró acciones."
                               : "Varios objetivos no registraron acciones.");
    }
    barra bs[NOBJ];
    for (size_t i = 0; i < it.n && i < NOBJ; i++) {
        strbuf s;
        strbuf_init(&s);
        objetivo_rotulo(c, atoi(it.v[i].valor), &s);
        barra_set(&bs[i], s.data ? s.data : "", 0, it.v[i].n);
        strbuf_free(&s);
    }
    doc_barras(d, "Acciones por objetivo del Pacto, de mayor a menor", bs, it.n, c->total,
               "#51677d");
    tabla t;
    tabla_init(&t, "objetivos", "Acciones por objetivo, de mayor a menor", 5, "lugar", "Lugar",
               'n', "objetivo", "Objetivo", 'n', "titulo", "Título del objetivo", 't',
               "acciones", "Acciones", 'n', "porcentaje", "%", 'p');
    for (size_t i = 0; i < it.n; i++) {
        int k = atoi(it.v[i].valor);
        tabla_num(&t, items_lugar(&it, i));
        tabla_num(&t, k);
        tabla_txt(&t, informe_ref_objetivo(c->ref, k));
        tabla_num(&t, it.v[i].n);
        if (it.v[i].n > 0) {
            char url[64];
            informe_enlace_objetivo(c, k, url, sizeof url);
            tabla_enlace(&t, url);
        }
        tabla_num(&t, informe_decimas(it.v[i].n, c->total));
    }
    strbuf_puts(&t.nota, "Objetivos con el mismo número de acciones comparten lugar; entre "
                         "ellos se listan por número de objetivo.");
    if (c->d.f == INFORME_HTML)
        strbuf_puts(&t.nota, " Cada número de acciones lleva a sus fichas en el Compendio "
                             "General del ejercicio.");
    doc_tabla(d, &t);
    tabla_free(&t);

    doc_h3(d, NULL, "Los cinco objetivos con más acciones");
    tabla_ranking(c, "objetivos_mas", "Objetivos con más acciones", &it);
    doc_h3(d, NULL, "Los cinco objetivos con menos acciones");
    items_ordenar(&it, items_cmp_asc);
    tabla_ranking(c, "objetivos_menos",
                  "Objetivos con menos acciones (incluye los que no registraron)", &it);
    free(it.v);
    informe_ejemplos_tabla(c);
    return 0;
}

/* ---- 3. Federal vs state ----------------------------------------------- */

static int s_ambito(ctx *c)
{
    doc *d = &c->d;
    char a[48], b2[48], e[48], p[32], q[32];
    long long fed[NOBJ + 1] = {0}, tot[NOBJ + 1] = {0};
    const char *k;
    json_t *filtro;
    json_object_foreach(json_object_get(c->datos, "totales"), k, filtro) {
        if (strncmp(k, "D:", 2))
            continue;
        for (int o = 1; o <= NOBJ; o++) {
            char v[8];
            snprintf(v, sizeof v, "%d", o);
            fed[o] += informe_fichas(c->datos, k, "objetivo", v);
        }
    }
    long long sfed = 0, sest = 0;
    for (int o = 1; o <= NOBJ; o++) {
        char v[8];
        snprintf(v, sizeof v, "%d", o);
        tot[o] = informe_fichas(c->datos, "", "objetivo", v);
        sfed += fed[o];
        sest += tot[o] - fed[o];
    }
    informe_seccion(c, 3);
    if (sest > 0)
        doc_p(d, "De las %s acciones, %s (%s%s%%) corresponden a dependencias y organismos "
                 "federales y %s (%s%s%%) a gobiernos estatales. Las gráficas siguientes "
                 "muestran cómo se reparte cada ámbito entre los objetivos.",
              num(c->total, a, sizeof a), num(sfed, b2, sizeof b2),
              informe_pct(informe_decimas(sfed, c->total), false, p, sizeof p), INFORME_NBSP,
              num(sest, e, sizeof e), informe_pct(informe_decimas(sest, c->total), false, q, sizeof q),
              INFORME_NBSP);
    else
        doc_p(d, "Todas las acciones de este ejercicio corresponden al ámbito federal: "
                 "ningún gobierno estatal envió fichas.");
    long long amb_fed = informe_fichas(c->datos, "", "ambito", "federal");
    for (int pass = 0; pass < 2; pass++) {
        long long *v = pass == 0 ? fed : NULL;
        long long suma = pass == 0 ? sfed : sest;
        if (suma == 0)
            continue;
        items it = {0};
        for (int o = 1; o <= NOBJ; o++) {
            char s[8];
            snprintf(s, sizeof s, "%d", o);
            if (items_add(&it, s, v ? v[o] : tot[o] - fed[o], o)) {
                free(it.v);
                return -1;
            }
        }
        items_ordenar(&it, items_cmp_desc);
        barra bs[NOBJ];
        size_t nb = 0;
        for (size_t i = 0; i < it.n && it.v[i].n > 0; i++) {
            strbuf s;
            strbuf_init(&s);
            objetivo_rotulo(c, atoi(it.v[i].valor), &s);
            barra_set(&bs[nb++], s.data ? s.data : "", 0, it.v[i].n);
            strbuf_free(&s);
        }
        doc_barras(d, pass == 0 ? "Acciones de dependencias y organismos federales por objetivo"
                                : "Acciones de gobiernos estatales por objetivo",
                   bs, nb, suma, pass == 0 ? "#3d5a80" : "#8c7a5b");
        if (nb < NOBJ)
            doc_nota(d, "La gráfica omite los %zu objetivos sin acciones de este ámbito; la "
                        "tabla de abajo los incluye.", NOBJ - nb);
        free(it.v);
    }
    tabla t;
    tabla_init(&t, "ambito_objetivo", "Acciones por objetivo y ámbito", 5, "objetivo",
               "Objetivo", 'n', "titulo", "Título del objetivo", 't', "federal", "Federal",
               'n', "estatal", "Estatal", 'n', "total", "Total", 'n');
    for (int o = 1; o <= NOBJ; o++) {
        tabla_num(&t, o);
        tabla_txt(&t, informe_ref_objetivo(c->ref, o));
        tabla_num(&t, fed[o]);
        tabla_num(&t, tot[o] - fed[o]);
        tabla_num(&t, tot[o]);
    }
    tabla_txt(&t, "");
    tabla_txt(&t, "Total");
    t.ultima_total = true;
    tabla_num(&t, sfed);
    tabla_num(&t, sest);
    tabla_num(&t, sfed + sest);
    if (amb_fed != sfed)
        strbuf_printf(&t.nota, "%s fichas federales no indican dependencia y aquí se "
                               "cuentan como estatales.",
                      num(amb_fed - sfed, a, sizeof a));
    doc_tabla(d, &t);
    tabla_free(&t);
    return 0;
}

/* ---- 4. Reporting bodies ----------------------------------------------- */

static int s_instituciones(ctx *c)
{
    doc *d = &c->d;
    char a[48], p[32];
    items it = {0};
    if (items_de(c->datos, c->ref, "", "emisor", &it))
        return -1;
    items_ordenar(&it, items_cmp_desc);
    informe_seccion(c, 4);
    int ndep = contar_emisores(c, 'D'), nest = contar_emisores(c, 'E');
    long long top = 0;
    for (size_t i = 0; i < it.n && i < TOP_N; i++)
        top += it.v[i].n;
    doc_p(d, "Reportaron acciones %zu %s: %d del ámbito federal y %d gobiernos estatales. "
             "La tabla indica la participación de cada una en el total; las cinco con más "
             "acciones reúnen %s%s%% de ellas.",
          it.n, informe_plural((long long)it.n, "institución", "instituciones"), ndep, nest,
          informe_pct(informe_decimas(top, c->total), false, p, sizeof p), INFORME_NBSP);
    barra *bs = calloc(it.n + 1, sizeof *bs);
    tabla t;
    tabla_init(&t, "instituciones", "Acciones por institución que reporta, de mayor a menor",
               6, "lugar", "Lugar", 'n', "clave", "Siglas o clave", 't', "institucion",
               "Institución", 't', "ambito", "Ámbito", 't', "acciones", "Acciones", 'n',
               "porcentaje", "%", 'p');
    for (size_t i = 0; i < it.n; i++) {
        strbuf nom, sig;
        strbuf_init(&nom);
        strbuf_init(&sig);
        emisor_nombre(c, it.v[i].valor, &nom);
        emisor_sigla(c, it.v[i].valor, &sig);
        bool est = it.v[i].valor[0] == 'E';
        tabla_num(&t, items_lugar(&it, i));
        tabla_txt(&t, est ? it.v[i].valor + 2 : it.v[i].valor + (it.v[i].valor[1] == ':' ? 2 : 0));
        tabla_txt(&t, nom.data ? nom.data : "");
        tabla_txt(&t, est ? "Estatal" : "Federal");
        tabla_num(&t, it.v[i].n);
        tabla_num(&t, informe_decimas(it.v[i].n, c->total));
        if (bs) {
            strbuf full;
            strbuf_init(&full);
            if (est)
                strbuf_puts(&full, nom.data ? nom.data : "");
            else
                strbuf_printf(&full, "%s (%s)", sig.data ? sig.data : "", nom.data ? nom.data : "");
            barra_set(&bs[i], sig.data ? sig.data : "", 40, it.v[i].n);
            snprintf(bs[i].completa, sizeof bs[i].completa, "%s", full.data ? full.data : "");
            strbuf_free(&full);
        }
        strbuf_free(&nom);
        strbuf_free(&sig);
    }
    if (bs)
        doc_barras(d, "Acciones por institución que reporta y su participación en el total",
                   bs, it.n, c->total, "#51677d");
    strbuf_printf(&t.nota, "Total: %s acciones. Las dependencias se identifican por sus "
                           "siglas y los gobiernos estatales por la clave INEGI de la entidad.",
                  num(c->total, a, sizeof a));
    doc_tabla(d, &t);
    tabla_free(&t);
    free(bs);
    free(it.v);
    return 0;
}

static int validar(const json_t *datos, pmm_error *err)
{
    if (!json_is_object(datos) || !json_is_object(json_object_get(datos, "totales")) ||
        !json_is_integer(json_object_get(datos, "ejercicio")))
        return pmm_error_set(err, 3, "datos", "formato",
                             "el conjunto de datos del informe no tiene el formato esperado "
                             "(faltan «ejercicio» o «totales»)");
    json_t *f = json_object_get(datos, "formato");
    if (f && json_integer_value(f) != INFORME_DATOS_FORMATO)
        return pmm_error_set(err, 3, "datos", "version",
                             "el conjunto de datos tiene el formato %lld y este programa lee "
                             "el formato %d",
                             (long long)json_integer_value(f), INFORME_DATOS_FORMATO);
    return 0;
}

static int render(const json_t *datos, const informe_ref *ref, informe_formato formato,
                  const informe_fuente *fuente, strbuf *out, informe_tabla_fn fn, void *user,
                  pmm_error *err)
{
    if (validar(datos, err))
        return -1;
    ctx c;
    memset(&c, 0, sizeof c);
    doc_init(&c.d, formato, out, fn, user, err);
    c.datos = datos;
    c.ref = ref;
    c.fuente = fuente;
    c.anio = (int)json_integer_value(json_object_get(datos, "ejercicio"));
    c.total = informe_fichas(datos, "", "total", "");

    char titulo[64], periodo[64];
    snprintf(titulo, sizeof titulo, "Informe Ejecutivo %d", c.anio);
    informe_periodo(c.anio, periodo, sizeof periodo);
    strbuf datos_t;
    strbuf_init(&datos_t);
    strbuf_printf(&datos_t, "Periodo que se informa: %s. Corte de los datos: ", periodo);
    informe_fecha_zona(&datos_t, json_string_value(json_object_get(datos, "corte")),
                       informe_ref_zona_de(ref));
    strbuf_puts(&datos_t, ".");
    doc_portada(&c.d, titulo, datos_t.data ? datos_t.data : "");
    doc_indice(&c.d, SECCIONES, NSECCIONES, true);
    strbuf_free(&datos_t);

    int rc = 0;
    s_resumen(&c);
    if (s_objetivos(&c) || s_ambito(&c) || s_instituciones(&c))
        rc = -1;
    if (!rc) {
        informe_sec_entidades(&c);
        if (informe_sec_ejes(&c) || informe_sec_ods(&c) || informe_sec_retos(&c))
            rc = -1;
    }
    if (!rc)
        informe_sec_metodo(&c);
    if (!rc)
        informe_sec_conclusiones(&c);
    if (!rc && informe_sec_anexos(&c))
        rc = -1;
    char pie[256];
    snprintf(pie, sizeof pie, "%s — %s. Documento generado por pmm-seguimiento a partir de "
                              "las fichas técnicas del ejercicio %d.",
             titulo, INFORME_TITULO_PACTO, c.anio);
    if (!rc)
        doc_pie(&c.d, pie, NULL);
    doc_liberar(&c.d);
    if (rc)
        return oom(err);
    if (c.d.rc)
        return -1;
    if (strbuf_failed(out))
        return oom(err);
    return 0;
}

int informe_render(const json_t *datos, const informe_ref *ref, informe_formato formato,
                   const informe_fuente *fuente, strbuf *out, pmm_error *err)
{
    return render(datos, ref, formato, fuente, out, NULL, NULL, err);
}

int informe_csv_tablas(const json_t *datos, const informe_ref *ref,
                       const informe_fuente *fuente, informe_tabla_fn fn, void *user,
                       pmm_error *err)
{
    strbuf sink;
    strbuf_init(&sink);
    int rc = render(datos, ref, INFORME_CSV, fuente, &sink, fn, user, err);
    strbuf_free(&sink);
    return rc;
}
