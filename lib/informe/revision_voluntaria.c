/* revision_voluntaria.c -- the voluntary national review (revision_voluntaria.h). */
#include "revision_voluntaria.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "informe_datos.h"
#include "informe_doc.h"
#include "informe_formato.h"
#include "informe_items.h"
#include "informe_ref.h"
#include "informe_tabla.h"

typedef struct {
    doc d;
    json_t *const *datos;
    size_t n;
    int desde;
    const informe_ref *ref;
} rv;

static const doc_entrada SECCIONES[] = {
    {"metodologia", "Metodología y proceso de elaboración"},
    {"avance", "Avance por objetivo del Pacto"},
    {"gobierno", "Enfoque pangubernamental: instituciones por objetivo"},
    {"ods", "Vínculo con la Agenda 2030"},
    {"retos", "Retos"},
    {"conclusiones", "Conclusiones y próximos pasos"},
};
#define NSECCIONES (sizeof SECCIONES / sizeof SECCIONES[0])

static long long medida(const rv *r, size_t i, const char *filtro, const char *dim,
                        const char *valor, const char *m)
{
    return informe_datos_celda(r->datos[i], filtro, dim, valor, m);
}

static void nombre_emisor(const rv *r, const char *emisor, strbuf *b)
{
    if (emisor[0] == 'E' && emisor[1] == ':') {
        informe_ref_gobierno(r->ref, atoi(emisor + 2), b);
        return;
    }
    const char *nm = informe_ref_dependencia(r->ref, emisor + 2);
    strbuf_puts(b, nm ? nm : emisor + 2);
}

/* The federal bodies with fichas in objective o over the years, "; "-
 * separated into b, each once. (A state filter of the dataset, E:<inegi>,
 * counts the fichas of or in a state, federal ones included, so it cannot
 * say which state governments worked on one objective: they are counted
 * per year in section 1 and as states with actions in section 3.) */
static size_t instituciones(const rv *r, int o, strbuf *b)
{
    char val[8];
    snprintf(val, sizeof val, "%d", o);
    const char *v[256];
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++) {
        const json_t *tot = json_object_get(r->datos[i], "totales");
        const char *k;
        const json_t *x;
        json_object_foreach((json_t *)tot, k, x) {
            if (k[0] != 'D' || n >= 256)
                continue;
            if (informe_fichas(r->datos[i], k, "objetivo", val) <= 0)
                continue;
            size_t j = 0;
            while (j < n && strcmp(v[j], k))
                j++;
            if (j == n)
                v[n++] = k;
        }
    }
    /* sort by key: federal (D:) first, then states (E:) */
    for (size_t a = 0; a < n; a++)
        for (size_t c = a + 1; c < n; c++)
            if (strcmp(v[c], v[a]) < 0) {
                const char *t = v[a];
                v[a] = v[c];
                v[c] = t;
            }
    for (size_t j = 0; j < n; j++) {
        if (j)
            strbuf_puts(b, "; ");
        nombre_emisor(r, v[j], b);
    }
    return n;
}

static long long campo(const json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

/* Reporting rates from each year's call (pmm convocatoria), where the year
 * has one: who was asked to report, who delivered, on time or late, who
 * said it had no actions, who is missing. */
static void tasas_respuesta(rv *r)
{
    doc *d = &r->d;
    tabla t;
    tabla_init(&t, "tasas_respuesta", "Respuesta a la convocatoria de cada ejercicio", 7,
               "ejercicio", "Ejercicio", 't', "convocados", "Convocados", 'n', "entregaron",
               "Entregaron", 'n', "pct_entregaron", "% entregaron", 'p', "a_tiempo",
               "A tiempo", 'n', "sin_acciones", "Sin acciones que reportar", 'n', "faltan",
               "Faltan", 'n');
    size_t filas = 0;
    for (size_t i = 0; i < r->n; i++) {
        const json_t *tot = json_object_get(json_object_get(r->datos[i], "convocatoria"), "total");
        if (!json_is_object(tot))
            continue;
        char y[8];
        snprintf(y, sizeof y, "%d", r->desde + (int)i);
        tabla_txt(&t, y);
        tabla_num(&t, campo(tot, "esperados"));
        tabla_num(&t, campo(tot, "entregaron"));
        tabla_num(&t, informe_decimas(campo(tot, "entregaron"), campo(tot, "esperados")));
        tabla_num(&t, campo(tot, "a_tiempo"));
        tabla_num(&t, campo(tot, "sin_acciones"));
        tabla_num(&t, campo(tot, "faltan"));
        filas++;
    }
    if (!filas) {
        doc_p(d, "Tasas de respuesta: ningún ejercicio del periodo tiene registrada su "
                 "convocatoria (qué instituciones debían reportar, pmm convocatoria), por lo que "
                 "esta edición no las incluye.");
        tabla_free(&t);
        return;
    }
    doc_p(d, "Tasas de respuesta: cada año la unidad convoca a las instituciones que deben "
             "reportar, con una fecha límite y días de gracia; la tabla da, para los ejercicios "
             "con convocatoria registrada, cuántas entregaron su informe y cuántas faltan.");
    if (filas < r->n)
        strbuf_puts(&t.nota, "Los ejercicios que no aparecen no tienen convocatoria registrada.");
    doc_tabla(d, &t);
    tabla_free(&t);
}

static void s_metodologia(rv *r, bool desde_cierre)
{
    doc *d = &r->d;
    doc_seccion(d, 1, "metodologia", SECCIONES[0].titulo);
    doc_p(d, "Recopilación: cada año, las dependencias y organismos de la Administración Pública "
             "Federal y, desde 2022, los gobiernos estatales reportan en una ficha técnica cada "
             "programa o acción que contribuye a los objetivos del Pacto Mundial, con sus "
             "resultados del periodo de junio a junio.");
    doc_p(d, "Clasificación: el sistema propone para cada ficha el eje, el subtema y los "
             "Objetivos de Desarrollo Sostenible a partir de su texto; las personas analistas de "
             "la unidad revisan las propuestas y sus decisiones prevalecen. Solo las acciones con "
             "resultados en el periodo se vinculan con los ODS.");
    tasas_respuesta(r);
    doc_p(d, "Datos: %s.", desde_cierre ? "los cierres de cada ejercicio (copias congeladas)"
                                         : "las tablas en vivo al generar el documento");
    tabla t;
    tabla_init(&t, "participacion", "Acciones e instituciones por ejercicio", 4, "ejercicio",
               "Ejercicio", 't', "acciones", "Acciones", 'n', "dependencias",
               "Dependencias federales", 'n', "gobiernos_estatales", "Gobiernos estatales", 'n');
    for (size_t i = 0; i < r->n; i++) {
        char y[8];
        snprintf(y, sizeof y, "%d", r->desde + (int)i);
        tabla_txt(&t, y);
        tabla_num(&t, informe_fichas(r->datos[i], "", "total", ""));
        long long dep = 0, est = 0;
        const char *k;
        const json_t *x;
        json_object_foreach(json_object_get(r->datos[i], "totales"), k, x) {
            dep += k[0] == 'D' && informe_fichas(r->datos[i], k, "total", "") > 0;
            est += k[0] == 'E' && informe_fichas(r->datos[i], k, "ambito", "estatal") > 0;
        }
        tabla_num(&t, dep);
        tabla_num(&t, est);
    }
    doc_tabla(d, &t);
    tabla_free(&t);
}

typedef struct {
    const char *clave;
    long long n;
} conteo;

static int cmp_conteo(const void *a, const void *b)
{
    const conteo *x = a, *y = b;
    if (x->n != y->n)
        return x->n < y->n ? 1 : -1;
    return strcmp(x->clave, y->clave);
}

/* The period's most frequent values of objetivos_detalle[o][campo] (retos
 * or zonas), summed over the years, as "nombre (n), …", at most max of
 * them; the number of distinct values, 0 when no year has the detail (a
 * close made before it) or none was reported. */
static size_t mas_citados(const rv *r, int o, const char *campo, size_t max, strbuf *out)
{
    char val[8];
    snprintf(val, sizeof val, "%d", o);
    conteo *c = NULL;
    size_t nc = 0, cap = 0;
    for (size_t i = 0; i < r->n; i++) {
        const json_t *m = json_object_get(
            json_object_get(json_object_get(r->datos[i], "objetivos_detalle"), val), campo);
        const char *k;
        const json_t *v;
        json_object_foreach((json_t *)m, k, v) {
            long long n = json_integer_value(v);
            if (n <= 0)
                continue;
            size_t j = 0;
            while (j < nc && strcmp(c[j].clave, k))
                j++;
            if (j == nc) {
                if (nc == cap) {
                    size_t ncap = cap ? cap * 2 : 16;
                    conteo *q = realloc(c, ncap * sizeof *q);
                    if (!q) {
                        out->failed = true;
                        free(c);
                        return 0;
                    }
                    c = q;
                    cap = ncap;
                }
                c[nc++] = (conteo){k, 0};
            }
            c[j].n += n;
        }
    }
    if (nc)
        qsort(c, nc, sizeof *c, cmp_conteo);
    for (size_t j = 0; j < nc && j < max; j++) {
        const char *nombre = c[j].clave;
        if (!strcmp(campo, "retos")) {
            const char *nm = informe_ref_reto(r->ref, c[j].clave);
            if (nm)
                nombre = nm;
        }
        char a[32];
        strbuf_printf(out, "%s%s (%s)", j ? ", " : "", nombre,
                      informe_numero(c[j].n, a, sizeof a));
    }
    free(c);
    return nc;
}

static void s_avance(rv *r)
{
    doc *d = &r->d;
    doc_seccion(d, 2, "avance", SECCIONES[1].titulo);
    doc_p(d, "Para cada uno de los 23 objetivos: las acciones reportadas cada año, las personas "
             "atendidas que reportaron (sumas de lo reportado, no personas únicas) con el "
             "desglose por sexo cuando existe, las zonas de atención que más se citan (como las "
             "escriben las fichas, sin distinguir mayúsculas ni acentos), los retos más "
             "señalados y las dependencias y organismos federales que participaron.");
    for (int o = 1; o <= REF_OBJETIVOS; o++) {
        char val[8], h[320], a[32], b[32], c[32];
        snprintf(val, sizeof val, "%d", o);
        snprintf(h, sizeof h, "Objetivo %d. %s", o, informe_ref_objetivo(r->ref, o));
        doc_h3(d, NULL, h);
        strbuf por;
        strbuf_init(&por);
        long long tot = 0, per = 0, muj = 0, hom = 0;
        for (size_t i = 0; i < r->n; i++) {
            long long x = informe_fichas(r->datos[i], "", "objetivo", val);
            tot += x;
            per += medida(r, i, "", "objetivo", val, "personas");
            muj += medida(r, i, "", "objetivo", val, "mujeres");
            hom += medida(r, i, "", "objetivo", val, "hombres");
            strbuf_printf(&por, "%s%d: %s", i ? "; " : "", r->desde + (int)i,
                          informe_numero(x, a, sizeof a));
        }
        if (tot == 0) {
            doc_p(d, "Sin acciones reportadas en el periodo.");
        } else {
            doc_p(d, "Acciones por ejercicio: %s (total: %s).", por.data,
                  informe_numero(tot, a, sizeof a));
            if (per > 0)
                doc_p(d, "Personas atendidas reportadas: %s, de ellas %s mujeres y %s hombres "
                         "donde se desglosó por sexo.",
                      informe_numero(per, a, sizeof a), informe_numero(muj, b, sizeof b),
                      informe_numero(hom, c, sizeof c));
            strbuf lista;
            strbuf_init(&lista);
            size_t nz = mas_citados(r, o, "zonas", 5, &lista);
            if (nz)
                doc_p(d, "Zonas de atención más citadas (acciones): %s%s.",
                      lista.data ? lista.data : "", nz > 5 ? ", entre otras" : "");
            strbuf_reset(&lista);
            size_t nr = mas_citados(r, o, "retos", 3, &lista);
            if (nr)
                doc_p(d, "Retos más señalados (acciones que los mencionan): %s.",
                      lista.data ? lista.data : "");
            if (strbuf_failed(&lista))
                d->out->failed = true;
            strbuf_free(&lista);
            strbuf inst;
            strbuf_init(&inst);
            size_t ni = instituciones(r, o, &inst);
            if (ni)
                doc_p(d, "Dependencias y organismos federales que participaron (%zu): %s.", ni,
                      inst.data ? inst.data : "");
            if (strbuf_failed(&inst))
                d->out->failed = true;
            strbuf_free(&inst);
        }
        if (strbuf_failed(&por))
            d->out->failed = true;
        strbuf_free(&por);
    }
}

static void s_gobierno(rv *r)
{
    doc *d = &r->d;
    doc_seccion(d, 3, "gobierno", SECCIONES[2].titulo);
    doc_p(d, "Cuántas dependencias y organismos federales contribuyeron a cada objetivo en el "
             "periodo, y en cuántas entidades federativas hubo acciones del objetivo (de su "
             "gobierno o federales en su territorio).");
    tabla t;
    tabla_init(&t, "instituciones_objetivo", "Instituciones por objetivo en el periodo", 4,
               "objetivo", "Objetivo", 't', "federales", "Dependencias federales", 'n',
               "entidades", "Entidades federativas con acciones", 'n', "acciones", "Acciones",
               'n');
    for (int o = 1; o <= REF_OBJETIVOS; o++) {
        char val[8], rot[320];
        snprintf(val, sizeof val, "%d", o);
        snprintf(rot, sizeof rot, "%d. %s", o, informe_ref_objetivo(r->ref, o));
        long long fed = 0, est = 0, tot = 0;
        /* distinct senders over the years */
        const char *vistos[256];
        size_t nv = 0;
        for (size_t i = 0; i < r->n; i++) {
            tot += informe_fichas(r->datos[i], "", "objetivo", val);
            const char *k;
            const json_t *x;
            json_object_foreach(json_object_get(r->datos[i], "totales"), k, x) {
                if (!*k || informe_fichas(r->datos[i], k, "objetivo", val) <= 0 || nv >= 256)
                    continue;
                size_t j = 0;
                while (j < nv && strcmp(vistos[j], k))
                    j++;
                if (j < nv)
                    continue;
                vistos[nv++] = k;
                fed += k[0] == 'D';
                est += k[0] == 'E';
            }
        }
        tabla_txt(&t, rot);
        tabla_num(&t, fed);
        tabla_num(&t, est);
        tabla_num(&t, tot);
    }
    doc_tabla(d, &t);
    tabla_free(&t);
}

static void s_ods(rv *r)
{
    doc *d = &r->d;
    doc_seccion(d, 4, "ods", SECCIONES[3].titulo);
    doc_p(d, "Acciones con resultados vinculadas con cada Objetivo de Desarrollo Sostenible en el "
             "periodo (una acción puede vincularse con varios).");
    tabla t;
    tabla_init(&t, "ods", "Acciones con resultados por ODS en el periodo", 2, "ods", "ODS", 't',
               "acciones", "Acciones con resultados", 'n');
    for (int k = 1; k <= REF_ODS; k++) {
        char val[8], rot[200];
        snprintf(val, sizeof val, "%d", k);
        long long s = 0;
        for (size_t i = 0; i < r->n; i++)
            s += informe_fichas(r->datos[i], "", "ods", val);
        if (!s)
            continue;
        snprintf(rot, sizeof rot, "%d. %s", k, informe_ref_ods(r->ref, k));
        tabla_txt(&t, rot);
        tabla_num(&t, s);
    }
    long long con = 0;
    for (size_t i = 0; i < r->n; i++)
        con += informe_fichas(r->datos[i], "", "ods_total", "");
    tabla_txt(&t, "Acciones con resultados");
    tabla_num(&t, con);
    t.ultima_total = true;
    doc_tabla(d, &t);
    tabla_free(&t);
}

static void s_retos(rv *r)
{
    doc *d = &r->d;
    doc_seccion(d, 5, "retos", SECCIONES[4].titulo);
    doc_p(d, "Los retos que las instituciones reportaron en sus fichas, por categoría, en el "
             "periodo (una acción puede mencionar varios).");
    tabla t;
    tabla_init(&t, "retos", "Acciones que mencionan cada categoría de retos", 2, "categoria",
               "Categoría", 't', "acciones", "Acciones", 'n');
    for (size_t j = 0; j < informe_ref_retos(r->ref); j++) {
        const char *cod = informe_ref_reto_codigo(r->ref, j);
        long long s = 0;
        for (size_t i = 0; i < r->n; i++)
            s += informe_fichas(r->datos[i], "", "reto", cod);
        if (!s)
            continue;
        tabla_txt(&t, informe_ref_reto(r->ref, cod));
        tabla_num(&t, s);
    }
    doc_tabla(d, &t);
    tabla_free(&t);
}

int informe_revision_voluntaria(json_t *const *datos, size_t n, const informe_ref *ref,
                                informe_formato formato, bool desde_cierre, strbuf *out,
                                pmm_error *err)
{
    if (formato == INFORME_CSV)
        return pmm_error_set(err, 3, "--formato", "valor",
                             "la revisión voluntaria se genera en md, html o docx");
    if (n == 0 || n > DIAGNOSTICO_MAX_ANIOS)
        return pmm_error_set(err, 3, "ejercicio", "rango",
                             "la revisión abarca de 1 a %d ejercicios", DIAGNOSTICO_MAX_ANIOS);
    rv r;
    memset(&r, 0, sizeof r);
    r.datos = datos;
    r.n = n;
    r.ref = ref;
    r.desde = (int)json_integer_value(json_object_get(datos[0], "ejercicio"));
    for (size_t i = 0; i < n; i++)
        if (!json_is_object(json_object_get(datos[i], "totales")) ||
            json_integer_value(json_object_get(datos[i], "ejercicio")) != r.desde + (long long)i)
            return pmm_error_set(err, 3, "datos", "formato",
                                 "los datos del ejercicio %d no tienen el formato esperado",
                                 r.desde + (int)i);
    doc_init(&r.d, formato, out, NULL, NULL, err);
    char titulo[128], linea[160];
    snprintf(titulo, sizeof titulo, "Revisión nacional voluntaria %d-%d", r.desde,
             r.desde + (int)n - 1);
    snprintf(linea, sizeof linea, "Avance en la implementación del Pacto Mundial, ejercicios %d "
                                  "a %d.",
             r.desde, r.desde + (int)n - 1);
    doc_portada(&r.d, titulo, linea);
    doc_indice(&r.d, SECCIONES, NSECCIONES, true);
    s_metodologia(&r, desde_cierre);
    s_avance(&r);
    s_gobierno(&r);
    s_ods(&r);
    s_retos(&r);
    doc_seccion(&r.d, 6, "conclusiones", SECCIONES[5].titulo);
    doc_h3(&r.d, NULL, "Conclusiones");
    doc_nota(&r.d, "[Pendiente: la unidad redacta aquí sus conclusiones.]");
    doc_h3(&r.d, NULL, "Próximos pasos");
    doc_nota(&r.d, "[Pendiente: la unidad redacta aquí los próximos pasos.]");
    doc_fin_seccion(&r.d);
    char pie[256];
    snprintf(pie, sizeof pie, "%s — %s. Documento generado por pmm-seguimiento a partir de las "
                              "fichas técnicas de los ejercicios.",
             titulo, INFORME_TITULO_PACTO);
    if (!strbuf_failed(out))
        doc_pie(&r.d, pie, NULL);
    int rc = r.d.rc;
    doc_liberar(&r.d);
    if (rc)
        return -1;
    if (strbuf_failed(out))
        return pmm_error_set(err, 7, "", "memoria", "sin memoria");
    return 0;
}
