/* informe_participacion.c -- see informe_participacion.h. */
#include "informe_participacion.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "informe_formato.h"

static const json_t *conv(const ctx *c)
{
    const json_t *v = json_object_get(c->datos, "convocatoria");
    return json_is_object(v) ? v : NULL;
}

static long long entero(const json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

static const char *estado_texto(const char *e)
{
    static const char *const E[][2] = {
        {"sin_iniciar", "sin iniciar"},
        {"en_captura", "en captura"},
        {"entregada_a_tiempo", "entregada a tiempo"},
        {"entregada_tarde", "entregada tarde"},
        {"sin_acciones", "sin acciones que reportar"},
        {"aprobada", "aprobada"},
        {"con_observaciones", "con observaciones"},
    };
    for (size_t i = 0; e && i < sizeof E / sizeof E[0]; i++)
        if (!strcmp(e, E[i][0]))
            return E[i][1];
    return e ? e : "";
}

const char *informe_participacion_estado(const ctx *c, const char *emisor)
{
    const json_t *v = conv(c), *g;
    size_t i;
    if (!v)
        return NULL;
    json_array_foreach(json_object_get(v, "cuerpos"), i, g) {
        const char *e = json_string_value(json_object_get(g, "emisor"));
        if (e && !strcmp(e, emisor))
            return estado_texto(json_string_value(json_object_get(g, "estado")));
    }
    return NULL;
}

static const char *tipo_texto(const char *t)
{
    static const char *const T[][2] = {
        {"federal", "Federal"},         {"estatal", "Estatal"},
        {"autonomo", "Autónomo"},       {"legislativo", "Legislativo"},
        {"judicial", "Judicial"},       {"sociedad_civil", "Sociedad civil"},
    };
    for (size_t i = 0; t && i < sizeof T / sizeof T[0]; i++)
        if (!strcmp(t, T[i][0]))
            return T[i][1];
    return t ? t : "";
}

bool informe_participacion_hay(const ctx *c)
{
    return conv(c) != NULL;
}

/* "12.5 %" of part / whole, or "—" when whole is 0. */
static void pct(strbuf *b, long long part, long long whole)
{
    if (whole <= 0) {
        strbuf_puts(b, "—");
        return;
    }
    long long d = informe_decimas(part, whole);
    strbuf_printf(b, "%lld.%lld" INFORME_NBSP "%%", d / 10, d % 10);
}

void informe_participacion_nota(const ctx *c, strbuf *out)
{
    const json_t *v = conv(c);
    if (!v)
        return;
    const json_t *t = json_object_get(v, "total");
    long long esp = entero(t, "esperados"), ent = entero(t, "entregaron");
    long long at = entero(t, "a_tiempo"), sa = entero(t, "sin_acciones");
    long long falta = entero(t, "faltan"), gracia = entero(v, "gracia");
    long long sin_aprobar = entero(v, "sin_aprobar");
    const char *limite = json_string_value(json_object_get(v, "limite"));
    char a[48], b[48], f[16] = "";
    if (limite && strlen(limite) == 10)
        snprintf(f, sizeof f, "%.2s/%.2s/%.4s", limite + 8, limite + 5, limite);
    strbuf_printf(out, "La convocatoria del ejercicio tuvo fecha límite el %s y %lld %s de "
                       "gracia. Se esperaba el informe de %s %s (los convocados vigentes en "
                       "la fecha límite); ",
                  f, gracia, informe_plural(gracia, "día", "días"), num(esp, a, sizeof a),
                  informe_plural(esp, "cuerpo", "cuerpos"));
    strbuf_printf(out, "%s %s (", num(ent, a, sizeof a),
                  informe_plural(ent, "entregó", "entregaron"));
    pct(out, ent, esp);
    strbuf_printf(out, "), %s a tiempo (", num(at, b, sizeof b));
    pct(out, at, esp);
    strbuf_puts(out, ")");
    if (sa)
        strbuf_printf(out, ", %s sin acciones que reportar", num(sa, a, sizeof a));
    if (falta)
        strbuf_printf(out, "; %s %s. ", num(falta, b, sizeof b),
                      informe_plural(falta, "faltó", "faltaron"));
    else
        strbuf_puts(out, "; no faltó ninguno. ");
    strbuf_puts(out, "Tasa de entrega: cuerpos que entregaron entre cuerpos esperados; tasa "
                     "a tiempo: los que entregaron por primera vez antes de terminar el día "
                     "límite más la gracia. Un cuerpo renombrado o fusionado cuenta una sola "
                     "vez y lo que entrega quien no estaba convocado no cuenta, por lo que "
                     "ninguna tasa pasa de 100" INFORME_NBSP "%. ");
    if (sin_aprobar > 0)
        strbuf_printf(out, "%s %s aún sin aprobar en la revisión de los analistas %s en las "
                           "cifras.",
                      num(sin_aprobar, a, sizeof a),
                      informe_plural(sin_aprobar, "ficha contada está", "fichas contadas están"),
                      sin_aprobar == 1 ? "y se incluye" : "y se incluyen");
    else
        strbuf_puts(out, "Todas las fichas contadas están aprobadas por los analistas.");
}

void informe_participacion_tablas(ctx *c)
{
    const json_t *v = conv(c);
    if (!v)
        return;
    tabla t;
    tabla_init(&t, "participacion", "Participación en la convocatoria", 6, "tipo", "Tipo", 't',
               "esperados", "Esperados", 'n', "entregaron", "Entregaron", 'n', "a_tiempo",
               "A tiempo", 'n', "tasa", "Tasa de entrega", 'p', "tasa_a_tiempo",
               "Tasa a tiempo", 'p');
    size_t i;
    const json_t *g;
    json_array_foreach(json_object_get(v, "por_tipo"), i, g)
    {
        long long e = entero(g, "esperados");
        tabla_txt(&t, tipo_texto(json_string_value(json_object_get(g, "tipo"))));
        tabla_num(&t, e);
        tabla_num(&t, entero(g, "entregaron"));
        tabla_num(&t, entero(g, "a_tiempo"));
        if (e > 0) {
            tabla_num(&t, informe_decimas(entero(g, "entregaron"), e));
            tabla_num(&t, informe_decimas(entero(g, "a_tiempo"), e));
        } else {
            tabla_vacia(&t);
            tabla_vacia(&t);
        }
    }
    const json_t *tot = json_object_get(v, "total");
    long long e = entero(tot, "esperados");
    tabla_txt(&t, "Total");
    tabla_num(&t, e);
    tabla_num(&t, entero(tot, "entregaron"));
    tabla_num(&t, entero(tot, "a_tiempo"));
    if (e > 0) {
        tabla_num(&t, informe_decimas(entero(tot, "entregaron"), e));
        tabla_num(&t, informe_decimas(entero(tot, "a_tiempo"), e));
    } else {
        tabla_vacia(&t);
        tabla_vacia(&t);
    }
    t.ultima_total = true;
    doc_tabla(&c->d, &t);
    tabla_free(&t);

    tabla_init(&t, "cuerpos_convocados", "Cuerpos convocados y estado de su informe", 3,
               "cuerpo", "Cuerpo", 't', "tipo", "Tipo", 't', "estado", "Estado", 't');
    json_array_foreach(json_object_get(v, "cuerpos"), i, g)
    {
        tabla_txt(&t, json_string_value(json_object_get(g, "nombre")));
        tabla_txt(&t, tipo_texto(json_string_value(json_object_get(g, "tipo"))));
        tabla_txt(&t, estado_texto(json_string_value(json_object_get(g, "estado"))));
    }
    doc_tabla(&c->d, &t);
    tabla_free(&t);
}
