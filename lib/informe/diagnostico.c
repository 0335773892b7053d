/* diagnostico.c -- the multi-year Diagnóstico PMM–ODS (diagnostico.h). */
#include "diagnostico.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "informe_doc.h"
#include "informe_formato.h"
#include "informe_items.h"
#include "informe_ref.h"
#include "informe_svg.h"
#include "informe_tabla.h"

typedef struct {
    doc d;
    json_t *const *datos;
    size_t n;
    int desde;
    const informe_ref *ref;
    bool desde_cierre;
    char anios[DIAGNOSTICO_MAX_ANIOS][8];   /* column headers */
} diag;

static const doc_entrada SECCIONES[] = {
    {"resumen", "Resumen"},
    {"objetivos", "Acciones por objetivo del Pacto"},
    {"ejes", "Acciones por eje y subtema"},
    {"ods", "Alineación con los Objetivos de Desarrollo Sostenible"},
    {"participacion", "Dependencias y gobiernos estatales participantes"},
    {"continuidad", "Continuidad de los programas"},
    {"metodo", "Nota metodológica"},
};
#define NSECCIONES (sizeof SECCIONES / sizeof SECCIONES[0])

static long long valor_de(const diag *g, size_t i, const char *dim, const char *valor)
{
    return informe_fichas(g->datos[i], "", dim, valor);
}

/* Values of a dimension with at least one ficha in year i. */
static size_t presentes(const diag *g, size_t i, const char *dim)
{
    const json_t *o = informe_dimension(g->datos[i], "", dim);
    const char *k;
    const json_t *v;
    size_t n = 0;
    json_object_foreach((json_t *)o, k, v)
        if (json_integer_value(json_object_get(v, "fichas")) > 0)
            n++;
    return n;
}

/* A table with a first text column, one column per year and a total. */
static void tabla_anios(diag *g, tabla *t, const char *id, const char *titulo,
                        const char *clave0, const char *rotulo0)
{
    /* tabla_init is variadic: build it with the largest count and trim */
    tabla_init(t, id, titulo, 1, clave0, rotulo0, 't');
    for (size_t i = 0; i < g->n; i++) {
        t->clave[1 + i] = g->anios[i];
        t->rotulo[1 + i] = g->anios[i];
        t->tipo[1 + i] = T_ENTERO;
    }
    t->clave[1 + g->n] = "total";
    t->rotulo[1 + g->n] = "Total";
    t->tipo[1 + g->n] = T_ENTERO;
    t->ncols = g->n + 2;
}

/* One row: label, the value of each year, their sum; false when all are 0
 * and skip_ceros. */
static bool fila_anios(diag *g, tabla *t, const char *rotulo, const char *dim,
                       const char *valor, bool skip_ceros)
{
    long long v[DIAGNOSTICO_MAX_ANIOS], suma = 0;
    for (size_t i = 0; i < g->n; i++)
        suma += v[i] = valor_de(g, i, dim, valor);
    if (skip_ceros && suma == 0)
        return false;
    tabla_txt(t, rotulo);
    for (size_t i = 0; i < g->n; i++)
        tabla_num(t, v[i]);
    tabla_num(t, suma);
    return true;
}

static void s_resumen(diag *g)
{
    doc *d = &g->d;
    doc_seccion(d, 1, "resumen", "Resumen");
    long long total = 0, con = 0;
    for (size_t i = 0; i < g->n; i++) {
        total += valor_de(g, i, "total", "");
        con += valor_de(g, i, "ods_total", "");
    }
    char a[32], b[32], p[32];
    doc_p(d, "De %d a %d se registraron %s acciones alineadas a los objetivos del Pacto "
             "Mundial; %s de ellas (%s %%) reportaron resultados en su periodo y son las que "
             "se alinean con los Objetivos de Desarrollo Sostenible (ODS).",
          g->desde, g->desde + (int)g->n - 1, informe_numero(total, a, sizeof a),
          informe_numero(con, b, sizeof b),
          informe_pct(informe_decimas(con, total), false, p, sizeof p));
    tabla t;
    tabla_init(&t, "anual", "Acciones y participantes por ejercicio", 6, "ejercicio",
               "Ejercicio", 't', "acciones", "Acciones", 'n', "con_resultados",
               "Acciones con resultados", 'n', "pct_con_resultados", "% con resultados", 'p',
               "dependencias", "Dependencias federales", 'n', "gobiernos_estatales",
               "Gobiernos estatales", 'n');
    barra bs[DIAGNOSTICO_MAX_ANIOS];
    for (size_t i = 0; i < g->n; i++) {
        long long n = valor_de(g, i, "total", ""), c = valor_de(g, i, "ods_total", "");
        tabla_txt(&t, g->anios[i]);
        tabla_num(&t, n);
        tabla_num(&t, c);
        tabla_num(&t, informe_decimas(c, n));
        tabla_num(&t, (long long)presentes(g, i, "dependencia"));
        tabla_num(&t, (long long)presentes(g, i, "entidad"));
        barra_set(&bs[i], g->anios[i], 0, n);
    }
    strbuf_puts(&t.nota, "Acciones con resultados: las que reportaron resultados en el periodo "
                         "del ejercicio; solo ellas se alinean con los ODS.");
    doc_tabla(d, &t);
    tabla_free(&t);
    doc_barras(d, "Acciones registradas por ejercicio", bs, g->n, 0, "#51677d");
}

static void s_objetivos(diag *g)
{
    doc *d = &g->d;
    doc_seccion(d, 2, "objetivos", "Acciones por objetivo del Pacto");
    doc_p(d, "Cada acción se cuenta en un solo objetivo del Pacto. La tabla da, para cada "
             "objetivo, las acciones de cada ejercicio.");
    tabla t;
    tabla_anios(g, &t, "objetivos", "Acciones por objetivo del Pacto y ejercicio", "objetivo",
                "Objetivo");
    long long v[REF_OBJETIVOS + 1][DIAGNOSTICO_MAX_ANIOS];
    for (int k = 1; k <= REF_OBJETIVOS; k++) {
        char val[8], rot[320];
        snprintf(val, sizeof val, "%d", k);
        snprintf(rot, sizeof rot, "%d. %s", k, informe_ref_objetivo(g->ref, k));
        fila_anios(g, &t, rot, "objetivo", val, false);
        for (size_t i = 0; i < g->n; i++)
            v[k][i] = valor_de(g, i, "objetivo", val);
    }
    doc_tabla(d, &t);
    tabla_free(&t);

    /* persistently weakest: among the five with fewest actions every year
     * (ties included) */
    doc_h3(d, NULL, "Objetivos persistentemente más débiles");
    int debil[REF_OBJETIVOS + 1] = {0}, ceros[REF_OBJETIVOS + 1] = {0};
    for (size_t i = 0; i < g->n; i++) {
        long long orden[REF_OBJETIVOS];
        for (int k = 1; k <= REF_OBJETIVOS; k++)
            orden[k - 1] = v[k][i];
        /* the fifth lowest value */
        for (int a = 0; a < REF_OBJETIVOS; a++)
            for (int b = a + 1; b < REF_OBJETIVOS; b++)
                if (orden[b] < orden[a]) {
                    long long x = orden[a];
                    orden[a] = orden[b];
                    orden[b] = x;
                }
        for (int k = 1; k <= REF_OBJETIVOS; k++) {
            if (v[k][i] <= orden[4])
                debil[k]++;
            if (v[k][i] == 0)
                ceros[k]++;
        }
    }
    strbuf lista;
    strbuf_init(&lista);
    int nd = 0, nc = 0;
    for (int k = 1; k <= REF_OBJETIVOS; k++)
        if (debil[k] == (int)g->n) {
            strbuf_printf(&lista, "%s%d", nd ? ", " : "", k);
            nd++;
        }
    for (int k = 1; k <= REF_OBJETIVOS; k++)
        nc += ceros[k] == (int)g->n;
    if (nd)
        doc_p(d, "%s entre los cinco con menos acciones en cada uno de los %zu ejercicios "
                 "(con empates): %s.",
              nd == 1 ? "Un objetivo estuvo" : "Estos objetivos estuvieron", g->n,
              lista.data ? lista.data : "");
    else
        doc_p(d, "Ningún objetivo estuvo entre los cinco con menos acciones en todos los "
                 "ejercicios.");
    if (nc)
        doc_p(d, "%d %s ninguna acción en todo el periodo.", nc,
              nc == 1 ? "objetivo no registró" : "objetivos no registraron");
    else
        doc_p(d, "Todos los objetivos registraron acciones en al menos un ejercicio.");
    if (strbuf_failed(&lista))
        d->out->failed = true;
    strbuf_free(&lista);
}

static long long campo(const json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

/* "5 (11), 10 (8)": the SDGs of a sub-topic with their fichas, by SDG. */
static void lista_ods(const json_t *ods, strbuf *out)
{
    size_t n = 0;
    for (int k = 1; k <= REF_ODS; k++) {
        char val[8];
        snprintf(val, sizeof val, "%d", k);
        long long m = json_integer_value(json_object_get(ods, val));
        if (m > 0)
            strbuf_printf(out, "%s%d (%lld)", n++ ? ", " : "", k, m);
    }
    if (!n)
        strbuf_puts(out, "–");
}

/* A row of the chapter table: sub-topic, axis (0: none known), actions,
 * with results, the SDG list (lista is scratch); adds to the totals. */
static void fila_capitulo(tabla *t, const char *nombre, int eje, const json_t *v,
                          strbuf *lista, long long *total, long long *con)
{
    tabla_txt(t, nombre);
    if (eje > 0)
        tabla_num(t, eje);
    else
        tabla_vacia(t);
    tabla_num(t, campo(v, "fichas"));
    tabla_num(t, campo(v, "con_resultados"));
    strbuf_reset(lista);
    lista_ods(json_object_get(v, "ods"), lista);
    tabla_txt(t, lista->data ? lista->data : "");
    *total += campo(v, "fichas");
    *con += campo(v, "con_resultados");
}

/* One year's chapter table: the actions per axis and sub-topic, those with
 * results, and the SDGs they align with (the dataset's subtemas_ods, from
 * the same rows as the totals). A close made before these tables lacks
 * them, which is said. */
static void capitulo_anio(diag *g, size_t i)
{
    doc *d = &g->d;
    char h[64], id[32], titulo[128];
    snprintf(h, sizeof h, "Ejercicio %s: subtemas y ODS", g->anios[i]);
    doc_h3(d, NULL, h);
    const json_t *so = json_object_get(g->datos[i], "subtemas_ods");
    if (!json_is_object(so)) {
        doc_p(d, "El cierre de %s es anterior a estas tablas: se obtienen cerrando de nuevo el "
                 "ejercicio (pmm cierre) o generando el documento sin --desde-cierre.",
              g->anios[i]);
        return;
    }
    snprintf(id, sizeof id, "subtemas_ods_%s", g->anios[i]);
    snprintf(titulo, sizeof titulo, "Acciones por eje y subtema y su alineación con los ODS, %s",
             g->anios[i]);
    tabla t;
    tabla_init(&t, id, titulo, 5, "subtema", "Subtema", 't', "eje", "Eje", 'n', "acciones",
               "Acciones", 'n', "con_resultados", "Con resultados", 'n', "ods",
               "ODS con que se alinean (acciones)", 't');
    strbuf lista;
    strbuf_init(&lista);
    long long total = 0, con = 0;
    for (size_t s = 0; s < informe_ref_subtemas(g->ref); s++) {
        const ref_subtema *st = informe_ref_subtema_at(g->ref, s);
        const json_t *v = json_object_get(so, st->codigo);
        if (campo(v, "fichas") > 0)
            fila_capitulo(&t, st->nombre, st->eje, v, &lista, &total, &con);
    }
    /* a sub-topic the reference no longer lists still counts */
    const char *k;
    const json_t *v;
    json_object_foreach((json_t *)so, k, v) {
        if (!informe_ref_subtema(g->ref, k) && campo(v, "fichas") > 0)
            fila_capitulo(&t, k, 0, v, &lista, &total, &con);
    }
    tabla_txt(&t, "Total");
    tabla_vacia(&t);
    tabla_num(&t, total);
    tabla_num(&t, con);
    tabla_txt(&t, "");
    t.ultima_total = true;
    strbuf_puts(&t.nota, "Entre paréntesis, las acciones con resultados del subtema alineadas "
                         "con cada ODS; una acción puede alinearse con varios.");
    if (strbuf_failed(&lista))
        t.failed = true;
    strbuf_free(&lista);
    doc_tabla(d, &t);
    tabla_free(&t);
}

static void s_ejes(diag *g)
{
    doc *d = &g->d;
    doc_seccion(d, 3, "ejes", "Acciones por eje y subtema");
    doc_p(d, "Las acciones se agrupan en cuatro ejes y, dentro de cada eje, en subtemas de la "
             "taxonomía del Diagnóstico.");
    tabla t;
    tabla_anios(g, &t, "ejes", "Acciones por eje y ejercicio", "eje", "Eje");
    barra bs[8];
    size_t nb = 0;
    for (int e = 1; e <= 8; e++) {
        const char *nombre = informe_ref_eje(g->ref, e);
        if (!nombre)
            continue;
        char val[8], rot[200];
        snprintf(val, sizeof val, "%d", e);
        snprintf(rot, sizeof rot, "%d. %s", e, nombre);
        if (fila_anios(g, &t, rot, "eje", val, true) && nb < 8) {
            long long s = 0;
            for (size_t i = 0; i < g->n; i++)
                s += valor_de(g, i, "eje", val);
            barra_set(&bs[nb++], rot, 0, s);
        }
    }
    doc_tabla(d, &t);
    tabla_free(&t);
    doc_barras(d, "Acciones por eje en todo el periodo", bs, nb, 0, "#3d5a80");

    tabla_anios(g, &t, "subtemas", "Acciones por subtema y ejercicio", "subtema", "Subtema");
    for (size_t s = 0; s < informe_ref_subtemas(g->ref); s++) {
        const ref_subtema *st = informe_ref_subtema_at(g->ref, s);
        const char *eje = informe_ref_eje(g->ref, st->eje);
        char rot[300];
        snprintf(rot, sizeof rot, "%s (eje %d%s%s)", st->nombre, st->eje, eje ? ": " : "",
                 eje ? eje : "");
        fila_anios(g, &t, rot, "subtema", st->codigo, true);
    }
    strbuf_puts(&t.nota, "Solo los subtemas con acciones en algún ejercicio.");
    doc_tabla(d, &t);
    tabla_free(&t);
    for (size_t i = 0; i < g->n; i++)
        capitulo_anio(g, i);
}

static void s_ods(diag *g)
{
    doc *d = &g->d;
    doc_seccion(d, 4, "ods", "Alineación con los Objetivos de Desarrollo Sostenible");
    doc_p(d, "Solo las acciones con resultados se alinean con los ODS. Una acción puede servir a "
             "varios ODS: cuenta en cada uno, pero una sola vez entre las acciones con "
             "resultados, por lo que la suma de las columnas puede superar ese total.");
    tabla t;
    tabla_anios(g, &t, "ods", "Acciones con resultados por ODS y ejercicio", "ods", "ODS");
    long long con = 0;
    for (size_t i = 0; i < g->n; i++)
        con += valor_de(g, i, "ods_total", "");
    barra bs[REF_ODS];
    size_t nb = 0;
    for (int k = 1; k <= REF_ODS; k++) {
        char val[8], rot[200];
        snprintf(val, sizeof val, "%d", k);
        snprintf(rot, sizeof rot, "%d. %s", k, informe_ref_ods(g->ref, k));
        fila_anios(g, &t, rot, "ods", val, false);
        long long s = 0;
        for (size_t i = 0; i < g->n; i++)
            s += valor_de(g, i, "ods", val);
        if (s > 0)
            barra_set(&bs[nb++], rot, 0, s);
    }
    fila_anios(g, &t, "Acciones con resultados", "ods_total", "", false);
    t.ultima_total = true;
    doc_tabla(d, &t);
    tabla_free(&t);
    doc_barras(d, "Acciones con resultados por ODS en todo el periodo (porcentaje de las "
                  "acciones con resultados)",
               bs, nb, con, "#51677d");

    /* each year's shares */
    tabla_anios(g, &t, "ods_porcentajes",
                "Porcentaje de las acciones con resultados de cada ejercicio por ODS", "ods",
                "ODS");
    t.ncols = g->n + 1;   /* no total column */
    for (size_t i = 0; i < g->n; i++)
        t.tipo[1 + i] = T_PCT;
    for (int k = 1; k <= REF_ODS; k++) {
        char val[8], rot[200];
        snprintf(val, sizeof val, "%d", k);
        long long s = 0;
        for (size_t i = 0; i < g->n; i++)
            s += valor_de(g, i, "ods", val);
        if (!s)
            continue;
        snprintf(rot, sizeof rot, "%d. %s", k, informe_ref_ods(g->ref, k));
        tabla_txt(&t, rot);
        for (size_t i = 0; i < g->n; i++)
            tabla_num(&t, informe_decimas(valor_de(g, i, "ods", val),
                                          valor_de(g, i, "ods_total", "")));
    }
    strbuf_puts(&t.nota, "Solo los ODS con acciones en algún ejercicio.");
    doc_tabla(d, &t);
    tabla_free(&t);
}

typedef struct {
    const char *clave;
    char nombre[256];
    int anios;
    unsigned mascara;
    long long acciones;
} participante;

static int cmp_part(const void *a, const void *b)
{
    const participante *x = a, *y = b;
    if (x->anios != y->anios)
        return y->anios - x->anios;
    return strcmp(x->nombre, y->nombre);
}

/* The participants of a dimension over the years, into tabla id. */
static void participacion(diag *g, const char *dim, const char *id, const char *titulo,
                          const char *rotulo, const char *quienes)
{
    doc *d = &g->d;
    participante *p = NULL;
    size_t np = 0, cap = 0;
    for (size_t i = 0; i < g->n; i++) {
        const json_t *o = informe_dimension(g->datos[i], "", dim);
        const char *k;
        const json_t *v;
        json_object_foreach((json_t *)o, k, v) {
            long long f = json_integer_value(json_object_get(v, "fichas"));
            if (f <= 0)
                continue;
            size_t j = 0;
            while (j < np && strcmp(p[j].clave, k))
                j++;
            if (j == np) {
                if (np == cap) {
                    size_t nc = cap ? cap * 2 : 64;
                    participante *q = realloc(p, nc * sizeof *q);
                    if (!q) {
                        d->out->failed = true;
                        free(p);
                        return;
                    }
                    p = q;
                    cap = nc;
                }
                memset(&p[np], 0, sizeof p[np]);
                p[np].clave = k;
                if (!strcmp(dim, "entidad")) {
                    snprintf(p[np].nombre, sizeof p[np].nombre, "%s",
                             informe_ref_entidad(g->ref, atoi(k)));
                } else {
                    const char *nm = informe_ref_dependencia(g->ref, k);
                    snprintf(p[np].nombre, sizeof p[np].nombre, "%s", nm ? nm : k);
                }
                np++;
            }
            if (!(p[j].mascara & (1u << i))) {
                p[j].mascara |= 1u << i;
                p[j].anios++;
            }
            p[j].acciones += f;
        }
    }
    if (np)
        qsort(p, np, sizeof *p, cmp_part);
    size_t todos = 0, uno = 0;
    for (size_t j = 0; j < np; j++) {
        todos += p[j].anios == (int)g->n;
        uno += p[j].anios == 1;
    }
    doc_p(d, "Reportaron %zu %s en el periodo: %zu en los %zu ejercicios y %zu en uno solo.",
          np, quienes, todos, g->n, uno);
    tabla t;
    tabla_init(&t, id, titulo, 4, "nombre", rotulo, 't', "ejercicios_con_fichas",
               "Ejercicios con fichas", 'n', "ejercicios", "Ejercicios", 't', "acciones",
               "Acciones del periodo", 'n');
    for (size_t j = 0; j < np; j++) {
        char lista[64] = "";
        size_t len = 0;
        for (size_t i = 0; i < g->n; i++)
            if (p[j].mascara & (1u << i))
                len += (size_t)snprintf(lista + len, sizeof lista - len, "%s%s",
                                        len ? ", " : "", g->anios[i]);
        tabla_txt(&t, p[j].nombre);
        tabla_num(&t, p[j].anios);
        tabla_txt(&t, lista);
        tabla_num(&t, p[j].acciones);
    }
    doc_tabla(d, &t);
    tabla_free(&t);
    free(p);
}

static void s_participacion(diag *g)
{
    doc *d = &g->d;
    doc_seccion(d, 5, "participacion", "Dependencias y gobiernos estatales participantes");
    doc_h3(d, NULL, "Dependencias y organismos federales");
    participacion(g, "dependencia", "dependencias", "Dependencias y organismos federales por "
                  "ejercicios con fichas", "Dependencia u organismo",
                  "dependencias y organismos federales");
    doc_h3(d, NULL, "Gobiernos estatales");
    participacion(g, "entidad", "entidades", "Entidades federativas por ejercicios con fichas",
                  "Entidad federativa", "entidades federativas");
}

/* Programmes followed across years (issue 19's links): per year, the
 * actions that continue one of the previous year's, how many of those
 * links an analyst or the body confirmed, the new ones, and the previous
 * year's that nothing continues. Only years whose dataset has the figures
 * and whose previous year had fichas. */
static void s_continuidad(diag *g)
{
    doc *d = &g->d;
    doc_seccion(d, 6, "continuidad", "Continuidad de los programas");
    tabla t;
    tabla_init(&t, "continuidad", "Continuidad de los programas frente al ejercicio anterior", 6,
               "ejercicio", "Ejercicio", 't', "acciones", "Acciones", 'n', "continuan",
               "Continúan un programa del año anterior", 'n', "confirmadas",
               "Vínculo confirmado", 'n', "nuevas", "Nuevas", 'n', "terminadas",
               "Del año anterior sin continuación", 'n');
    size_t filas = 0;
    long long cont = 0, acc = 0;
    for (size_t i = 0; i < g->n; i++) {
        const json_t *k = json_object_get(g->datos[i], "continuidad");
        if (!json_is_object(k) || campo(k, "fichas_anterior") <= 0)
            continue;
        tabla_txt(&t, g->anios[i]);
        tabla_num(&t, campo(k, "fichas"));
        tabla_num(&t, campo(k, "continuan"));
        tabla_num(&t, campo(k, "confirmadas"));
        tabla_num(&t, campo(k, "nuevas"));
        tabla_num(&t, campo(k, "terminadas"));
        cont += campo(k, "continuan");
        acc += campo(k, "fichas");
        filas++;
    }
    if (!filas) {
        doc_p(d, "Ningún ejercicio del periodo tiene programas vinculados con el ejercicio "
                 "anterior.");
        tabla_free(&t);
        return;
    }
    char a[32], b[32], p[32];
    doc_p(d, "Un programa continúa cuando su ficha está vinculada con una del ejercicio "
             "anterior: el sistema propone el vínculo por el nombre y la descripción y los "
             "analistas o la institución lo confirman o lo rechazan (pmm programas). En los "
             "ejercicios de la tabla, %s de %s acciones (%s %%) continúan un programa del año "
             "anterior.",
          informe_numero(cont, a, sizeof a), informe_numero(acc, b, sizeof b),
          informe_pct(informe_decimas(cont, acc), false, p, sizeof p));
    strbuf_puts(&t.nota, "Los vínculos propuestos cuentan mientras nadie los rechace; "
                         "«Vínculo confirmado» son los que confirmó un analista o la "
                         "institución.");
    doc_tabla(d, &t);
    tabla_free(&t);
}

static void s_metodo(diag *g)
{
    doc *d = &g->d;
    doc_seccion(d, 7, "metodo", "Nota metodológica");
    doc_p(d, "Fuente: las fichas técnicas que las dependencias y organismos federales y los "
             "gobiernos estatales enviaron en cada ejercicio; cada ejercicio abarca de junio del "
             "año anterior a junio del año que le da nombre. Una acción es una ficha: cada "
             "programa o acción reportado cuenta una vez.");
    doc_p(d, "Clasificación: el eje, el subtema y los ODS de cada ficha los propone el "
             "clasificador del sistema y los revisan las personas analistas; sus decisiones "
             "prevalecen, incluidas las que se cargaron de ejercicios anteriores con su "
             "procedencia. Solo las acciones con resultados en el periodo se alinean con los "
             "ODS.");
    if (g->desde_cierre)
        doc_p(d, "Datos: los cierres de cada ejercicio (copias congeladas); el documento se "
                 "puede generar de nuevo idéntico.");
    else
        doc_p(d, "Datos: las tablas en vivo al generar el documento; la edición que se publica "
                 "se genera desde los cierres de cada ejercicio.");
    strbuf cortes;
    strbuf_init(&cortes);
    for (size_t i = 0; i < g->n; i++) {
        strbuf_printf(&cortes, "%s%s: ", i ? "; " : "", g->anios[i]);
        informe_fecha_zona(&cortes, json_string_value(json_object_get(g->datos[i], "corte")),
                           informe_ref_zona_de(g->ref));
    }
    doc_nota(d, "Corte de los datos de cada ejercicio: %s.", cortes.data ? cortes.data : "");
    if (strbuf_failed(&cortes))
        d->out->failed = true;
    strbuf_free(&cortes);
}

int informe_diagnostico(json_t *const *datos, size_t n, const informe_ref *ref,
                        informe_formato formato, bool desde_cierre, strbuf *out,
                        pmm_error *err)
{
    if (n == 0 || n > DIAGNOSTICO_MAX_ANIOS)
        return pmm_error_set(err, 3, "ejercicio", "rango",
                             "el Diagnóstico abarca de 1 a %d ejercicios", DIAGNOSTICO_MAX_ANIOS);
    diag g;
    memset(&g, 0, sizeof g);
    g.datos = datos;
    g.n = n;
    g.ref = ref;
    g.desde_cierre = desde_cierre;
    g.desde = (int)json_integer_value(json_object_get(datos[0], "ejercicio"));
    for (size_t i = 0; i < n; i++) {
        if (!json_is_object(json_object_get(datos[i], "totales")) ||
            json_integer_value(json_object_get(datos[i], "ejercicio")) != g.desde + (long long)i)
            return pmm_error_set(err, 3, "datos", "formato",
                                 "los datos del ejercicio %d no tienen el formato esperado",
                                 g.desde + (int)i);
        snprintf(g.anios[i], sizeof g.anios[i], "%d", g.desde + (int)i);
    }
    doc_init(&g.d, formato, out, NULL, NULL, err);
    char titulo[96], linea[256];
    snprintf(titulo, sizeof titulo, "Diagnóstico PMM–ODS %d-%d", g.desde, g.desde + (int)n - 1);
    char p0[64], p1[64];
    informe_periodo(g.desde, p0, sizeof p0);
    informe_periodo(g.desde + (int)n - 1, p1, sizeof p1);
    snprintf(linea, sizeof linea, "Ejercicios %d a %d: del periodo %s al periodo %s.", g.desde,
             g.desde + (int)n - 1, p0, p1);
    doc_portada(&g.d, titulo, linea);
    doc_indice(&g.d, SECCIONES, NSECCIONES, true);
    s_resumen(&g);
    s_objetivos(&g);
    s_ejes(&g);
    s_ods(&g);
    s_participacion(&g);
    s_continuidad(&g);
    s_metodo(&g);
    doc_fin_seccion(&g.d);
    char pie[256];
    snprintf(pie, sizeof pie, "%s — %s. Documento generado por pmm-seguimiento a partir de las "
                              "fichas técnicas de los ejercicios.",
             titulo, INFORME_TITULO_PACTO);
    if (!strbuf_failed(out))
        doc_pie(&g.d, pie, NULL);
    int rc = g.d.rc;
    doc_liberar(&g.d);
    if (rc)
        return -1;
    if (strbuf_failed(out))
        return pmm_error_set(err, 7, "", "memoria", "sin memoria");
    return 0;
}
