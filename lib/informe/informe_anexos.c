/* informe_anexos.c -- the annexes of the Informe Ejecutivo (issue 26): the
 * challenge categories with their definitions (the editable reference data,
 * data/retos.csv) and the participating bodies, each sender of the year
 * once, with its type and number of fichas. The delivery column (on time or
 * late) needs the call's data, which the system does not record yet: it is
 * printed empty with a note saying so. Everything comes from the dataset
 * and the reference data, so a close freezes it. */
#include <stdlib.h>
#include <string.h>

#include "informe_ctx.h"
#include "informe_items.h"
#include "informe_participacion.h"
#include "informe_ref.h"

static void anexo_retos(ctx *c)
{
    doc *d = &c->d;
    informe_seccion(c, 11);
    doc_p(d, "Las categorías con que se agrupan los retos que reportan las fichas (sección 8) "
             "y lo que abarca cada una.");
    tabla t;
    tabla_init(&t, "anexo_retos", "Categorías de retos", 3, "categoria", "Categoría", 't',
               "definicion", "Definición", 't', "acciones", "Acciones que lo mencionan", 'n');
    for (size_t i = 0; i < informe_ref_retos(c->ref); i++) {
        const char *cod = informe_ref_reto_codigo(c->ref, i);
        const char *def = informe_ref_reto_definicion(c->ref, cod);
        tabla_txt(&t, informe_ref_reto(c->ref, cod));
        if (def && *def)
            tabla_txt(&t, def);
        else
            tabla_vacia(&t);
        tabla_num(&t, informe_fichas(c->datos, "", "reto", cod));
    }
    strbuf_puts(&t.nota, "Una acción puede mencionar retos de varias categorías.");
    doc_tabla(d, &t);
    tabla_free(&t);
}

typedef struct {
    char nombre[256];
    char emisor[40];
    bool estatal;
    long long fichas;
} institucion;

static int cmp_inst(const void *a, const void *b)
{
    const institucion *x = a, *y = b;
    if (x->estatal != y->estatal)
        return x->estatal - y->estatal;
    return strcmp(x->nombre, y->nombre);
}

static int anexo_instituciones(ctx *c)
{
    doc *d = &c->d;
    informe_seccion(c, 12);
    const json_t *o = informe_dimension(c->datos, "", "emisor");
    institucion *v = calloc(json_object_size(o) + 1, sizeof *v);
    if (!v)
        return -1;
    size_t n = 0;
    const char *k;
    const json_t *x;
    json_object_foreach((json_t *)o, k, x) {
        long long f = json_integer_value(json_object_get(x, "fichas"));
        if (f <= 0 || strlen(k) < 3 || k[1] != ':')
            continue;
        institucion *p = &v[n++];
        p->fichas = f;
        snprintf(p->emisor, sizeof p->emisor, "%s", k);
        p->estatal = k[0] == 'E';
        if (p->estatal) {
            strbuf g;
            strbuf_init(&g);
            informe_ref_gobierno(c->ref, atoi(k + 2), &g);
            snprintf(p->nombre, sizeof p->nombre, "%s", g.data ? g.data : k + 2);
            strbuf_free(&g);
        } else {
            const char *nm = informe_ref_dependencia(c->ref, k + 2);
            snprintf(p->nombre, sizeof p->nombre, "%s", nm ? nm : k + 2);
        }
    }
    qsort(v, n, sizeof *v, cmp_inst);
    doc_p(d, "Cada institución que envió fichas del ejercicio, una vez: %zu en total.", n);
    tabla t;
    tabla_init(&t, "anexo_instituciones", "Instituciones participantes", 4, "institucion",
               "Institución", 't', "tipo", "Tipo", 't', "acciones", "Acciones", 'n',
               "entrega", "Entrega", 't');
    for (size_t i = 0; i < n; i++) {
        tabla_txt(&t, v[i].nombre);
        tabla_txt(&t, v[i].estatal ? "Gobierno estatal" : "Dependencia u organismo federal");
        tabla_num(&t, v[i].fichas);
        const char *e = informe_participacion_estado(c, v[i].emisor);
        if (e)
            tabla_txt(&t, e);
        else
            tabla_vacia(&t);
    }
    if (informe_participacion_hay(c))
        strbuf_puts(&t.nota, "Entrega: el estado del informe de cada institución en la "
                             "convocatoria del ejercicio (pmm cobertura); vacía para quien "
                             "envió fichas sin haber sido convocado.");
    else
        strbuf_puts(&t.nota, "Entrega: vacía porque el ejercicio no tiene una convocatoria "
                             "registrada (pmm convocatoria abrir) con las fechas de entrega de "
                             "cada institución.");
    doc_tabla(d, &t);
    tabla_free(&t);
    free(v);
    return 0;
}

int informe_sec_anexos(ctx *c)
{
    anexo_retos(c);
    return anexo_instituciones(c);
}
