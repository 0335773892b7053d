/* informe_csv.c -- tables as CSV (informe_csv.h). */
#include "informe_csv.h"

#include "informe_escape.h"
#include "informe_formato.h"

static void celda_csv(strbuf *b, const celda *c)
{
    char buf[48];
    if (c->vacia)
        return;
    if (c->s) {
        informe_csv_campo(b, c->s);
        return;
    }
    switch (c->tipo) {
    case T_ENTERO: strbuf_printf(b, "%lld", c->n); break;
    case T_PCT:
    case T_VAR: strbuf_puts(b, informe_pct(c->n, false, buf, sizeof buf)); break;
    default: break;
    }
}

void informe_csv_tabla(const tabla *t, strbuf *b, bool con_id)
{
    strbuf_puts(b, con_id ? "tabla" : "");
    for (size_t i = 0; i < t->ncols; i++) {
        if (con_id || i)
            strbuf_append(b, ",", 1);
        informe_csv_campo(b, t->clave[i]);
    }
    strbuf_puts(b, "\n");
    for (size_t r = 0; r < tabla_filas(t); r++) {
        if (con_id)
            strbuf_puts(b, t->id);
        for (size_t i = 0; i < t->ncols; i++) {
            if (con_id || i)
                strbuf_append(b, ",", 1);
            celda_csv(b, tabla_celda_en(t, r, i));
        }
        strbuf_puts(b, "\n");
    }
}
