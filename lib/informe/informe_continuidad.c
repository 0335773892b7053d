/* informe_continuidad.c -- what the Informe Ejecutivo says about the
 * programmes that continue from the previous year (issue 19), and where
 * its counts link to in the Compendio General. */
#include <stdio.h>

#include "informe_ctx.h"
#include "informe_formato.h"

void informe_enlace_objetivo(const ctx *c, int k, char *buf, size_t cap)
{
    snprintf(buf, cap, "compendio-%d.html#o%d", c->anio, k);
}

static long long campo(const json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

void informe_continuidad(ctx *c)
{
    const json_t *k = json_object_get(c->datos, "continuidad");
    if (!json_is_object(k) || campo(k, "fichas_anterior") == 0)
        return;
    doc *d = &c->d;
    char a[48], b[48], e[48], n[48], f[48], g[48];
    long long sig = campo(k, "continuan"), conf = campo(k, "confirmadas");
    doc_h3(d, "continuidad", "Continuidad de los programas");
    doc_p(d, "De las %s acciones del ejercicio, %s %s un programa del ejercicio %d "
             "(%s con el vínculo confirmado por un analista o por la institución) y %s %s "
             "nuevas. De las %s acciones de %d, %s no %s continuación este año.",
          num(campo(k, "fichas"), a, sizeof a), num(sig, b, sizeof b),
          informe_plural(sig, "continúa", "continúan"), c->anio - 1,
          num(conf, e, sizeof e), num(campo(k, "nuevas"), n, sizeof n),
          informe_plural(campo(k, "nuevas"), "es", "son"),
          num(campo(k, "fichas_anterior"), f, sizeof f), c->anio - 1,
          num(campo(k, "terminadas"), g, sizeof g),
          informe_plural(campo(k, "terminadas"), "tuvo", "tuvieron"));
    if (sig > conf)
        doc_nota(d, "Los vínculos sin confirmar los propone el sistema por el parecido del "
                    "nombre y la descripción de los programas de una misma institución; el "
                    "detalle por institución y objetivo, con las cifras de ambos años, está "
                    "en pmm programas --ejercicio %d.", c->anio);
}
