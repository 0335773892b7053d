/* informe_doc.c -- the document writer (informe_doc.h). */
#include "informe_doc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "informe_csv.h"
#include "informe_docx.h"
#include "informe_escape.h"
#include "informe_html.h"
#include "informe_marcas.h"

const char INFORME_TITULO_PACTO[] =
    "Seguimiento del Pacto Mundial para una Migración Segura, Ordenada y Regular";

void doc_init(doc *d, informe_formato f, strbuf *out, informe_tabla_fn fn,
              void *user, pmm_error *err)
{
    memset(d, 0, sizeof *d);
    d->f = f;
    d->out = out;
    d->fn = fn;
    d->user = user;
    d->err = err;
}

void doc_liberar(doc *d)
{
    dx_destroy(d);
}

#define DOCX(d) ((d)->f == INFORME_DOCX)

bool doc_solo_tablas(const doc *d)
{
    return d->f == INFORME_CSV;
}

static void marca(doc *d, informe_marca_id m)
{
    strbuf_puts(d->out, informe_marca(d->f, m));
}

void doc_texto(doc *d, const char *s)
{
    if (d->f == INFORME_HTML)
        informe_html_escape(d->out, s);
    else if (d->f == INFORME_MD)
        informe_md_escape(d->out, s);
}

/* Text between two marks. */
static void marcado(doc *d, informe_marca_id antes, const char *s,
                    informe_marca_id despues)
{
    marca(d, antes);
    doc_texto(d, s);
    marca(d, despues);
}

void doc_portada(doc *d, const char *titulo, const char *datos)
{
    if (doc_solo_tablas(d))
        return;
    strbuf t;
    strbuf_init(&t);
    strbuf_printf(&t, "%s — %s", titulo, INFORME_TITULO_PACTO);
    const char *tt = t.data ? t.data : "";
    if (DOCX(d)) {
        dx_portada(d, tt, datos);
    } else if (d->f == INFORME_HTML) {
        informe_html_inicio(d->out, tt, datos);
    } else {
        strbuf_puts(d->out, "# ");
        doc_texto(d, tt);
        strbuf_puts(d->out, "\n\n");
        doc_texto(d, datos);
        strbuf_puts(d->out, "\n\n");
    }
    if (strbuf_failed(&t))
        d->out->failed = true;
    strbuf_free(&t);
}

void doc_indice(doc *d, const doc_entrada *e, size_t n, bool en_md)
{
    if (doc_solo_tablas(d) || DOCX(d) || (d->f == INFORME_MD && !en_md))
        return;
    marca(d, M_INDICE);
    for (size_t i = 0; i < n; i++) {
        if (d->f == INFORME_HTML)
            strbuf_printf(d->out, "<li><a href=\"#%s\">", e[i].id);
        else
            strbuf_printf(d->out, "%zu. ", i + 1);
        marcado(d, M_NINGUNA, e[i].titulo, M_INDICE_ENTRADA_FIN);
    }
    marca(d, M_INDICE_FIN);
}

void doc_pie(doc *d, const char *pie_html, const char *pie_md)
{
    if (DOCX(d))
        dx_pie(d, pie_md ? pie_md : pie_html);
    else if (d->f == INFORME_HTML)
        informe_html_fin(d->out, pie_html);
    else if (d->f == INFORME_MD && pie_md)
        marcado(d, M_PIE, pie_md, M_PIE_FIN);
}

void doc_fin_seccion(doc *d)
{
    if (d->en_seccion)
        marca(d, M_SECCION_FIN);
    d->en_seccion = false;
}

void doc_seccion(doc *d, int num, const char *id, const char *titulo)
{
    doc_fin_seccion(d);
    if (doc_solo_tablas(d))
        return;
    if (DOCX(d)) {
        char t[512];
        snprintf(t, sizeof t, "%d. %s", num, titulo);
        dx_encabezado(d, 1, t);
        return;
    }
    if (d->f == INFORME_HTML)
        strbuf_printf(d->out, "<section id=\"%s\" aria-labelledby=\"%s-t\">\n"
                              "<h2 id=\"%s-t\">%d. ", id, id, id, num);
    else
        strbuf_printf(d->out, "## %d. ", num);
    marcado(d, M_NINGUNA, titulo, M_H2_FIN);
    d->en_seccion = true;
}

void doc_h3(doc *d, const char *id, const char *titulo)
{
    if (DOCX(d)) {
        dx_encabezado(d, 2, titulo);
        return;
    }
    if (id && d->f == INFORME_HTML)
        strbuf_printf(d->out, "<h3 id=\"%s\">", id);
    else
        marca(d, M_H3);
    marcado(d, M_NINGUNA, titulo, M_H3_FIN);
}

/* A paragraph of printf text between two marks. */
static void vparrafo(doc *d, informe_marca_id antes, const char *fmt, va_list ap)
{
    if (doc_solo_tablas(d))
        return;
    char small[1024];
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return;
    char *big = (size_t)n < sizeof small ? NULL : malloc((size_t)n + 1);
    if ((size_t)n >= sizeof small && !big) {
        d->out->failed = true;
        return;
    }
    if (big)
        vsnprintf(big, (size_t)n + 1, fmt, ap);
    if (DOCX(d))
        dx_parrafo(d, antes == M_NOTA ? "Caption" : NULL, big ? big : small);
    else
        marcado(d, antes, big ? big : small, M_P_FIN);
    free(big);
}

void doc_p(doc *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vparrafo(d, M_P, fmt, ap);
    va_end(ap);
}

void doc_nota(doc *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vparrafo(d, M_NOTA, fmt, ap);
    va_end(ap);
}

void doc_cifras(doc *d, const doc_cifra *c, size_t n)
{
    if (doc_solo_tablas(d))
        return;
    if (DOCX(d)) {
        dx_cifras(d, c, n);
        return;
    }
    marca(d, M_CIFRAS);
    for (size_t i = 0; i < n; i++) {
        marcado(d, M_CIFRA, c[i].valor, M_CIFRA_ROTULO);
        marcado(d, M_NINGUNA, c[i].rotulo, M_CIFRA_FIN);
    }
    marca(d, M_CIFRAS_FIN);
}

/* CSV: into the output, or one document per table through fn. */
static void tabla_csv(doc *d, const tabla *t)
{
    if (!d->fn) {
        informe_csv_tabla(t, d->out, true);
        return;
    }
    strbuf b;
    strbuf_init(&b);
    informe_csv_tabla(t, &b, false);
    if (strbuf_failed(&b))
        d->out->failed = true;
    else if (d->rc == 0 && d->fn(d->user, t->id, b.data, b.len, d->err))
        d->rc = -1;
    strbuf_free(&b);
}

void doc_tabla(doc *d, const tabla *t)
{
    char buf[64];
    if (t->failed) {
        d->out->failed = true;
        return;
    }
    if (doc_solo_tablas(d)) {
        tabla_csv(d, t);
        return;
    }
    d->ntabla++;
    if (DOCX(d)) {
        dx_tabla(d, t, d->ntabla);
        if (t->nota.len)
            doc_nota(d, "%s", t->nota.data);
        return;
    }
    if (d->f == INFORME_HTML)
        strbuf_printf(d->out, "<table id=\"tabla-%s\">\n<caption>Tabla %d. ", t->id,
                      d->ntabla);
    else
        strbuf_printf(d->out, "**Tabla %d. ", d->ntabla);
    marcado(d, M_NINGUNA, t->titulo, M_TABLA_CABECERA);
    for (size_t i = 0; i < t->ncols; i++)
        marcado(d, tabla_col_num(t, i) ? M_TH_NUM : M_TH, t->rotulo[i], M_TH_FIN);
    marca(d, M_CABECERA_FIN);
    if (*informe_marca(d->f, M_REGLA_FIN)) {   /* Markdown */
        for (size_t i = 0; i < t->ncols; i++)
            marca(d, tabla_col_num(t, i) ? M_REGLA_NUM : M_REGLA);
        marca(d, M_REGLA_FIN);
    }
    size_t nf = tabla_filas(t);
    for (size_t r = 0; r < nf; r++) {
        marca(d, t->ultima_total && r + 1 == nf ? M_FILA_TOTAL : M_FILA);
        for (size_t i = 0; i < t->ncols; i++) {
            const celda *c = tabla_celda_en(t, r, i);
            if (d->f == INFORME_HTML && c->enlace) {
                marca(d, tabla_col_num(t, i) ? M_TD_NUM : M_TD);
                strbuf_puts(d->out, "<a href=\"");
                informe_html_escape(d->out, c->enlace);
                strbuf_puts(d->out, "\">");
                doc_texto(d, celda_texto(c, buf, sizeof buf));
                strbuf_puts(d->out, "</a>");
                marca(d, M_TD_FIN);
                continue;
            }
            marcado(d, tabla_col_num(t, i) ? M_TD_NUM : M_TD, celda_texto(c, buf, sizeof buf),
                    M_TD_FIN);
        }
        marca(d, M_FILA_FIN);
    }
    marca(d, M_TABLA_FIN);
    if (t->nota.len)
        doc_nota(d, "%s", t->nota.data);
}

void doc_barras(doc *d, const char *titulo, const barra *b, size_t n,
                long long total, const char *color)
{
    if (d->f == INFORME_HTML && n > 0)
        informe_svg_barras(d->out, ++d->ngrafica, titulo, b, n, total, color);
    if (DOCX(d) && n > 0) {
        strbuf fig;
        strbuf_init(&fig);
        informe_svg_barras(&fig, ++d->ngrafica, titulo, b, n, total, color);
        if (strbuf_failed(&fig))
            d->out->failed = true;
        else
            dx_grafica(d, fig.data, d->ngrafica, titulo);
        strbuf_free(&fig);
    }
}

void doc_mapa(doc *d, const char *titulo,
              const char *const nombres[REF_ENTIDADES + 1],
              const long long por_entidad[REF_ENTIDADES + 1], const char *nota)
{
    if (DOCX(d)) {
        strbuf fig;
        strbuf_init(&fig);
        informe_svg_mapa(&fig, ++d->ngrafica, titulo, nombres, por_entidad);
        if (strbuf_failed(&fig))
            d->out->failed = true;
        else
            dx_grafica(d, fig.data, d->ngrafica, titulo);
        strbuf_free(&fig);
        if (nota)
            dx_parrafo(d, "Caption", nota);
        return;
    }
    if (d->f != INFORME_HTML)
        return;
    informe_svg_mapa(d->out, ++d->ngrafica, titulo, nombres, por_entidad);
    if (nota)
        marcado(d, M_NOTA, nota, M_P_FIN);
}

void doc_lista(doc *d)
{
    marca(d, M_LISTA);
}

void doc_campo(doc *d, const char *rotulo, const char *texto)
{
    if (!texto || doc_solo_tablas(d))
        return;
    if (DOCX(d)) {
        strbuf p;
        strbuf_init(&p);
        strbuf_printf(&p, "%s: %s", rotulo, texto);
        if (strbuf_failed(&p))
            d->out->failed = true;
        else
            dx_parrafo(d, NULL, p.data);
        strbuf_free(&p);
        return;
    }
    if (d->en_ficha) {
        marcado(d, M_FCAMPO, rotulo, M_FCAMPO_TEXTO);
        marcado(d, M_NINGUNA, texto, M_FCAMPO_FIN);
        return;
    }
    marcado(d, M_CAMPO, rotulo, M_CAMPO_TEXTO);
    marcado(d, M_NINGUNA, texto, M_CAMPO_FIN);
}

void doc_fin_lista(doc *d)
{
    marca(d, M_LISTA_FIN);
}

void doc_ficha(doc *d, const char *titulo, const char *id)
{
    if (DOCX(d)) {
        dx_encabezado(d, 3, titulo);
        if (id && *id)
            dx_parrafo(d, "Caption", id);
        d->en_ficha = true;
        return;
    }
    marcado(d, M_FICHA, titulo, M_FICHA_CAMPOS);
    if (id && *id)
        marcado(d, M_FICHA_ID, id, M_FICHA_ID_FIN);
    d->en_ficha = true;
}

void doc_ficha_id(doc *d, const char *ancla, const char *titulo, const char *id)
{
    if (d->f != INFORME_HTML || !ancla) {
        doc_ficha(d, titulo, id);
        return;
    }
    /* M_FICHA with the anchor the Informe's counts link to */
    strbuf_puts(d->out, "<article class=\"ficha\" id=\"");
    informe_html_escape(d->out, ancla);
    strbuf_puts(d->out, "\">\n<h4>");
    doc_texto(d, titulo);
    marca(d, M_FICHA_CAMPOS);
    if (id && *id)
        marcado(d, M_FICHA_ID, id, M_FICHA_ID_FIN);
    d->en_ficha = true;
}

void doc_ancla(doc *d, const char *id)
{
    if (d->f != INFORME_HTML)
        return;
    strbuf_puts(d->out, "<span id=\"");
    informe_html_escape(d->out, id);
    strbuf_puts(d->out, "\"></span>\n");
}

void doc_fin_ficha(doc *d)
{
    marca(d, M_FICHA_FIN);
    d->en_ficha = false;
}

void doc_grupo(doc *d, const char *titulo, const char *cuenta)
{
    if (doc_solo_tablas(d))
        return;
    if (DOCX(d)) {
        char t[600];
        snprintf(t, sizeof t, "%s (%s)", titulo, cuenta);
        dx_encabezado(d, 3, t);
        return;
    }
    marcado(d, M_GRUPO, titulo, M_GRUPO_CUENTA);
    strbuf_puts(d->out, cuenta);
    marca(d, M_GRUPO_CUENTA_FIN);
}

void doc_cita(doc *d, const char *texto)
{
    if (DOCX(d)) {
        strbuf p;
        strbuf_init(&p);
        strbuf_printf(&p, "«%s»", texto);
        if (strbuf_failed(&p))
            d->out->failed = true;
        else
            dx_parrafo(d, NULL, p.data);
        strbuf_free(&p);
        return;
    }
    marcado(d, M_CITA, texto, M_CITA_FIN);
}

void doc_fin_grupo(doc *d)
{
    marca(d, M_GRUPO_FIN);
}

void doc_columnas(doc *d)
{
    marca(d, M_COLUMNAS);
}

void doc_columna(doc *d)
{
    marca(d, M_COLUMNA);
}

void doc_fin_columnas(doc *d)
{
    marca(d, M_COLUMNAS_FIN);
}
