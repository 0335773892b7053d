/* informe_conclusiones.c -- the Informe Ejecutivo's conclusions (issue
 * 26): figures computed from the dataset that support them (the change
 * against the previous year and who caused it: bodies and states joining
 * or leaving; the objectives without actions; the SDG most served and the
 * largest shifts of the SDG distribution; the share of actions without
 * results), then the unit's own text (pmm informe
 * conclusiones, the latest version, frozen with the close) or, when it
 * wrote none, a marked blank saying how to add it. The unit's text is
 * Markdown-like plain text: each block between blank lines is a paragraph. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "informe_ctx.h"
#include "informe_formato.h"
#include "informe_items.h"
#include "informe_ref.h"

static const json_t *anual_de(const json_t *datos, int anio)
{
    const json_t *a = json_object_get(datos, "anual"), *x;
    size_t i;
    json_array_foreach(a, i, x)
        if (json_integer_value(json_object_get(x, "ejercicio")) == anio)
            return x;
    return NULL;
}

static long long campo(const json_t *x, const char *k)
{
    return json_integer_value(json_object_get(x, k));
}

static void cambio(ctx *c)
{
    doc *d = &c->d;
    char a[32], b[32], p[32];
    const json_t *hoy = anual_de(c->datos, c->anio), *antes = anual_de(c->datos, c->anio - 1);
    if (!antes || !hoy) {
        doc_p(d, "No hay datos del ejercicio %d para comparar.", c->anio - 1);
        return;
    }
    long long n0 = campo(antes, "fichas"), n1 = c->total;
    if (n1 == n0)
        doc_p(d, "El número de acciones no cambió respecto del ejercicio %d (%s).", c->anio - 1,
              num(n1, a, sizeof a));
    else
        doc_p(d, "Respecto del ejercicio %d, las acciones %s de %s a %s (%s %%).", c->anio - 1,
              n1 > n0 ? "aumentaron" : "disminuyeron", num(n0, a, sizeof a),
              num(n1, b, sizeof b),
              informe_pct(n0 ? (n1 - n0) * 1000 / n0 : 0, true, p, sizeof p));
    long long d0 = campo(antes, "dependencias"), d1 = campo(hoy, "dependencias");
    long long e0 = campo(antes, "entidades"), e1 = campo(hoy, "entidades");
    strbuf por;
    strbuf_init(&por);
    if (e1 != e0)
        strbuf_printf(&por, "%s %lld %s", e1 > e0 ? "se sumaron" : "dejaron de reportar",
                      e1 > e0 ? e1 - e0 : e0 - e1,
                      informe_plural(e1 > e0 ? e1 - e0 : e0 - e1, "gobierno estatal",
                                     "gobiernos estatales"));
    if (d1 != d0)
        strbuf_printf(&por, "%s%s %lld %s", por.len ? " y " : "",
                      d1 > d0 ? "se sumaron" : "dejaron de reportar",
                      d1 > d0 ? d1 - d0 : d0 - d1,
                      informe_plural(d1 > d0 ? d1 - d0 : d0 - d1, "dependencia u organismo",
                                     "dependencias u organismos"));
    if (por.len)
        doc_p(d, "Quién reporta explica parte del cambio: %s.", por.data);
    else if (n1 != n0)
        doc_p(d, "Reportaron las mismas dependencias y gobiernos estatales que en %d: el cambio "
                 "viene de cuántas acciones reportó cada uno.",
              c->anio - 1);
    if (strbuf_failed(&por))
        d->out->failed = true;
    strbuf_free(&por);
}

static void objetivos(ctx *c)
{
    doc *d = &c->d;
    strbuf l;
    strbuf_init(&l);
    int n = 0;
    for (int k = 1; k <= REF_OBJETIVOS; k++) {
        char v[8];
        snprintf(v, sizeof v, "%d", k);
        if (informe_fichas(c->datos, "", "objetivo", v) == 0) {
            strbuf_printf(&l, "%s%d", n ? ", " : "", k);
            n++;
        }
    }
    if (n)
        doc_p(d, "%d %s sin acciones en el ejercicio: %s.", n,
              n == 1 ? "objetivo quedó" : "objetivos quedaron", l.data);
    else
        doc_p(d, "Los 23 objetivos registraron al menos una acción.");
    if (strbuf_failed(&l))
        d->out->failed = true;
    strbuf_free(&l);
}

static void ods_y_resultados(ctx *c)
{
    doc *d = &c->d;
    char a[32], p[32];
    long long con = informe_fichas(c->datos, "", "ods_total", "");
    long long sin = c->total - con;
    doc_p(d, "%s de las %s acciones (%s %%) no reportaron resultados en el periodo y no se "
             "alinean con los ODS.",
          num(sin, a, sizeof a), num(c->total, p, sizeof p),
          informe_pct(informe_decimas(sin, c->total), false, (char[32]){0}, 32));
    int mejor = 0;
    long long mv = 0;
    for (int k = 1; k <= REF_ODS; k++) {
        char v[8];
        snprintf(v, sizeof v, "%d", k);
        long long x = informe_fichas(c->datos, "", "ods", v);
        if (x > mv) {
            mv = x;
            mejor = k;
        }
    }
    if (mejor)
        doc_p(d, "El ODS al que más acciones contribuyen es el %d, «%s»: %s de las %s acciones "
                 "con resultados (%s %%).",
              mejor, informe_ref_ods(c->ref, mejor), num(mv, a, sizeof a),
              num(con, p, sizeof p),
              informe_pct(informe_decimas(mv, con), false, (char[32]){0}, 32));
}

/* How the SDG distribution moved against the previous year: the three SDGs
 * whose share of the actions with results changed most (in points), from
 * the dataset's yearly rows; nothing when either year lacks them (a close
 * made before they were recorded) or had no actions with results. */
typedef struct {
    int k;
    long long p0, p1, dif;   /* tenths of a percent */
} ods_movimiento;

static void ods_cambio(ctx *c)
{
    const json_t *hoy = anual_de(c->datos, c->anio), *antes = anual_de(c->datos, c->anio - 1);
    if (!hoy || !antes || !json_is_object(json_object_get(hoy, "ods")) ||
        !json_is_object(json_object_get(antes, "ods")))
        return;
    long long t0 = campo(antes, "ods_total"), t1 = campo(hoy, "ods_total");
    if (t0 <= 0 || t1 <= 0)
        return;
    ods_movimiento v[REF_ODS];
    int n = 0;
    for (int k = 1; k <= REF_ODS; k++) {
        char s[8];
        snprintf(s, sizeof s, "%d", k);
        long long p0 = informe_decimas(campo(json_object_get(antes, "ods"), s), t0);
        long long p1 = informe_decimas(campo(json_object_get(hoy, "ods"), s), t1);
        if (p0 == p1)
            continue;
        v[n].k = k;
        v[n].p0 = p0;
        v[n].p1 = p1;
        v[n].dif = p1 - p0;
        n++;
    }
    /* largest moves first; ties by SDG number (a stable, explainable order) */
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && llabs(v[j].dif) > llabs(v[j - 1].dif); j--) {
            ods_movimiento x = v[j];
            v[j] = v[j - 1];
            v[j - 1] = x;
        }
    doc *d = &c->d;
    if (n == 0) {
        doc_p(d, "La distribución de las acciones con resultados entre los ODS no cambió "
                 "respecto de %d.",
              c->anio - 1);
        return;
    }
    strbuf l;
    strbuf_init(&l);
    for (int i = 0; i < n && i < 3; i++) {
        char a[32], b[32], e[32];
        strbuf_printf(&l, "%sel ODS %d pasó de %s %% a %s %% (%s puntos)", i ? "; " : "",
                      v[i].k, informe_pct(v[i].p0, false, a, sizeof a),
                      informe_pct(v[i].p1, false, b, sizeof b),
                      informe_pct(v[i].dif, true, e, sizeof e));
    }
    doc_p(d, "Los mayores cambios en la distribución de las acciones con resultados entre los "
             "ODS respecto de %d (porcentaje de las acciones con resultados de cada año): %s.",
          c->anio - 1, l.data ? l.data : "");
    if (strbuf_failed(&l))
        d->out->failed = true;
    strbuf_free(&l);
}

/* The unit's text: a paragraph per block between blank lines. */
static void texto_unidad(ctx *c, const char *t)
{
    strbuf par;
    strbuf_init(&par);
    const char *p = t;
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        size_t k = 0;
        while (k < len && (p[k] == ' ' || p[k] == '\t' || p[k] == '\r'))
            k++;
        if (k == len) {   /* a blank line ends the paragraph */
            if (par.len)
                doc_p(&c->d, "%s", par.data);
            strbuf_reset(&par);
        } else {
            if (par.len)
                strbuf_puts(&par, " ");
            size_t fin = len;
            while (fin > k && (p[fin - 1] == '\r' || p[fin - 1] == ' '))
                fin--;
            strbuf_append(&par, p + k, fin - k);
        }
        p += len + (eol ? 1 : 0);
    }
    if (par.len)
        doc_p(&c->d, "%s", par.data);
    if (strbuf_failed(&par))
        c->d.out->failed = true;
    strbuf_free(&par);
}

void informe_sec_conclusiones(ctx *c)
{
    doc *d = &c->d;
    informe_seccion(c, 10);
    doc_h3(d, NULL, "Cifras que sustentan las conclusiones");
    cambio(c);
    objetivos(c);
    ods_y_resultados(c);
    ods_cambio(c);
    doc_h3(d, NULL, "Conclusiones de la unidad");
    const json_t *con = json_object_get(c->datos, "conclusiones");
    const char *t = json_string_value(json_object_get(con, "texto"));
    if (t && *t)
        texto_unidad(c, t);
    else
        doc_nota(d, "[Pendiente: la unidad no ha escrito sus conclusiones del ejercicio %d. Se "
                    "agregan con pmm informe conclusiones --ejercicio %d --texto ARCHIVO.md y "
                    "un cierre nuevo.]",
                 c->anio, c->anio);
}
