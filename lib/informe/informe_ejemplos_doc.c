/* informe_ejemplos_doc.c -- the examples per objective in the Informe
 * Ejecutivo (informe_ejemplos.h): one table, after the objectives' tables,
 * with each example's programme, body and a short summary written from the
 * ficha's own fields (its reported figures and the first sentence of its
 * results). Datasets without "ejemplos" (closes made before issue 26, the
 * fixed test dataset) print nothing. */
#include <stdlib.h>
#include <string.h>

#include "informe_ctx.h"
#include "informe_ejemplos.h"
#include "informe_formato.h"
#include "informe_ref.h"

static void institucion(const informe_ref *ref, const char *emisor, strbuf *b)
{
    if (strlen(emisor) > 2 && emisor[0] == 'E' && emisor[1] == ':') {
        informe_ref_gobierno(ref, atoi(emisor + 2), b);
        return;
    }
    const char *nm = strlen(emisor) > 2 ? informe_ref_dependencia(ref, emisor + 2) : NULL;
    strbuf_puts(b, nm ? nm : emisor + (strlen(emisor) > 2 ? 2 : 0));
}

static void resumen(const json_t *f, strbuf *b)
{
    char x[32], y[32], z[32];
    const json_t *ac = json_object_get(f, "acciones"), *pe = json_object_get(f, "personas");
    const json_t *mu = json_object_get(f, "mujeres"), *ho = json_object_get(f, "hombres");
    if (!json_is_true(json_object_get(f, "con_resultados"))) {
        strbuf_puts(b, "Sin resultados en el periodo. ");
    } else {
        if (json_is_integer(ac))
            strbuf_printf(b, "%s %s reportadas. ",
                          informe_numero(json_integer_value(ac), x, sizeof x),
                          informe_plural(json_integer_value(ac), "actividad", "actividades"));
        if (json_is_integer(pe)) {
            strbuf_printf(b, "%s %s", informe_numero(json_integer_value(pe), x, sizeof x),
                          informe_plural(json_integer_value(pe), "persona atendida",
                                         "personas atendidas"));
            if (json_is_integer(mu) && json_is_integer(ho))
                strbuf_printf(b, " (%s mujeres y %s hombres)",
                              informe_numero(json_integer_value(mu), y, sizeof y),
                              informe_numero(json_integer_value(ho), z, sizeof z));
            strbuf_puts(b, ". ");
        }
    }
    strbuf_puts(b, json_string_value(json_object_get(f, "resultado")));
}

void informe_ejemplos_tabla(ctx *c)
{
    const json_t *ej = json_object_get(c->datos, "ejemplos");
    if (!json_is_object(ej))
        return;
    doc *d = &c->d;
    doc_h3(d, NULL, "Ejemplos de acciones por objetivo");
    const json_t *por = json_object_get(c->datos, "ejemplos_por_objetivo");
    int n = json_is_integer(por) ? (int)json_integer_value(por) : INFORME_EJEMPLOS_N;
    doc_p(d, "Para cada objetivo con acciones, hasta %d ejemplos: primero las acciones con "
             "resultados y con cifras, y entre ellas las de mayor alcance (personas atendidas); "
             "nunca dos de una misma institución si hay otra, y federales y estatales cuando "
             "las hay. La unidad puede sustituir la propuesta con su propia elección.",
          n);
    tabla t;
    tabla_init(&t, "ejemplos", "Ejemplos de acciones por objetivo", 4, "objetivo", "Objetivo",
               'n', "programa", "Programa o acción", 't', "institucion", "Institución", 't',
               "resumen", "Resultados", 't');
    int fijados = 0;
    for (int o = 1; o <= REF_OBJETIVOS; o++) {
        char k[8];
        snprintf(k, sizeof k, "%d", o);
        const json_t *x = json_object_get(ej, k);
        fijados += json_is_true(json_object_get(x, "fijados"));
        size_t i;
        const json_t *f;
        json_array_foreach(json_object_get(x, "fichas"), i, f) {
            strbuf inst, res;
            strbuf_init(&inst);
            strbuf_init(&res);
            institucion(c->ref, json_string_value(json_object_get(f, "emisor")), &inst);
            resumen(f, &res);
            tabla_num(&t, o);
            tabla_txt(&t, json_string_value(json_object_get(f, "programa")));
            tabla_txt(&t, inst.data ? inst.data : "");
            tabla_txt(&t, res.data ? res.data : "");
            if (strbuf_failed(&inst) || strbuf_failed(&res))
                t.failed = true;
            strbuf_free(&inst);
            strbuf_free(&res);
        }
    }
    if (fijados)
        strbuf_printf(&t.nota, "En %d %s, los ejemplos los eligió la unidad; en los demás son "
                               "la propuesta del sistema.",
                      fijados, fijados == 1 ? "objetivo" : "objetivos");
    else
        strbuf_puts(&t.nota, "Ejemplos propuestos por el sistema con la regla descrita.");
    doc_tabla(d, &t);
    tabla_free(&t);
}
