/* informe_docx.c -- the document model in Word (informe_docx.h). */
#include "informe_docx.h"

#include <cairo.h>
#include <librsvg/rsvg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docx.h"
#include "informe_formato.h"
#include "utf8.h"

/* The text width of an A4 page with 2.5 cm margins. */
#define ANCHO_CM 16.0
/* Pixels per SVG unit of the PNG (sharp when printed). */
#define ESCALA 2.0

/* The style sheet the HTML page gives the charts (informe_html.c), for
 * librsvg, which sees the SVG alone. */
static const char ESTILO_SVG[] =
    "<style>text{font-family:'DejaVu Sans',sans-serif}"
    ".et{font-size:12px;fill:#1f2933}.val{font-size:12px;fill:#3e4c59}"
    ".eje{stroke:#9aa5b1;stroke-width:1}.ab{font-size:13px;font-weight:600}"
    ".nm{font-size:14px}.ley{font-size:13px;fill:#1f2933}"
    "rect.tesela{stroke:#7b8794;stroke-width:.6}</style>";

static bool abierto(doc *d)
{
    if (d->rc)
        return false;
    if (!d->dx && !(d->dx = docx_new(d->err))) {
        d->rc = -1;
        return false;
    }
    return true;
}


/* A number column is at least as wide as its header's longest word in
 * bold (about 0.25 cm a character plus the cell's margins), so Word never
 * breaks a word like "resultados" inside; the width comes from the text
 * columns, none narrower than 2.5 cm, and the table stays within the page
 * (when it cannot, every column narrows alike). */
static void anchos_encabezado(const tabla *t, double *anchos)
{
    double falta = 0, texto = 0;
    for (size_t i = 0; i < t->ncols; i++) {
        if (!tabla_col_num(t, i)) {
            texto += anchos[i];
            continue;
        }
        double necesita = 0.25 * (double)utf8_longest_word(t->rotulo[i]) + 0.45;
        if (anchos[i] < necesita) {
            falta += necesita - anchos[i];
            anchos[i] = necesita;
        }
    }
    if (falta <= 0)
        return;
    double quita = texto > 0 ? falta / texto : 0;   /* the same share of every text column */
    double total = 0;
    for (size_t i = 0; i < t->ncols; i++) {
        if (!tabla_col_num(t, i)) {
            anchos[i] *= 1 - quita;
            if (anchos[i] < 2.5)
                anchos[i] = 2.5;
        }
        total += anchos[i];
    }
    /* never wider than the page: then every column gives way alike */
    if (total > ANCHO_CM)
        for (size_t i = 0; i < t->ncols; i++)
            anchos[i] *= ANCHO_CM / total;
}
static void revisar(doc *d, int rc)
{
    if (rc)
        d->rc = -1;
}

void dx_portada(doc *d, const char *titulo, const char *datos)
{
    if (!abierto(d))
        return;
    revisar(d, docx_titulo(d->dx, titulo, d->err));
    if (!d->rc)
        revisar(d, docx_parrafo(d->dx, NULL, datos, d->err));
}

void dx_encabezado(doc *d, int nivel, const char *texto)
{
    if (abierto(d))
        revisar(d, docx_encabezado(d->dx, nivel, texto, d->err));
}

void dx_parrafo(doc *d, const char *estilo, const char *texto)
{
    if (abierto(d))
        revisar(d, docx_parrafo(d->dx, estilo, texto, d->err));
}

void dx_cifras(doc *d, const doc_cifra *c, size_t n)
{
    if (!abierto(d) || n == 0)
        return;
    static const double anchos[2] = {4.0, 12.0};
    revisar(d, docx_tabla_inicio(d->dx, 2, anchos, d->err));
    for (size_t i = 0; i < n && !d->rc; i++) {
        docx_celda fila[2] = {{.texto = c[i].valor, .negrita = 1},
                              {.texto = c[i].rotulo}};
        revisar(d, docx_tabla_fila(d->dx, fila, 2, 0, d->err));
    }
    if (!d->rc)
        revisar(d, docx_tabla_fin(d->dx, d->err));
}

void dx_tabla(doc *d, const tabla *t, int num)
{
    if (!abierto(d))
        return;
    char buf[64];
    strbuf cap;
    strbuf_init(&cap);
    strbuf_printf(&cap, "Tabla %d. %s", num, t->titulo);
    if (strbuf_failed(&cap)) {
        strbuf_free(&cap);
        d->rc = -1;
        pmm_error_set(d->err, 7, "", "memoria", "sin memoria");
        return;
    }
    revisar(d, docx_parrafo(d->dx, "Caption", cap.data, d->err));
    strbuf_free(&cap);
    docx_celda *fila = calloc(t->ncols ? t->ncols : 1, sizeof *fila);
    char (*textos)[64] = calloc(t->ncols ? t->ncols : 1, sizeof *textos);
    if (!fila || !textos) {
        free(fila);
        free(textos);
        d->rc = -1;
        pmm_error_set(d->err, 7, "", "memoria", "sin memoria");
        return;
    }
    /* numbers narrow, names wide: a text column weighs about two numbers */
    double *anchos = calloc(t->ncols ? t->ncols : 1, sizeof *anchos), peso = 0;
    if (!anchos) {
        free(fila);
        free(textos);
        d->rc = -1;
        pmm_error_set(d->err, 7, "", "memoria", "sin memoria");
        return;
    }
    for (size_t i = 0; i < t->ncols; i++)
        peso += tabla_col_num(t, i) ? 1.6 : 3.0;
    for (size_t i = 0; i < t->ncols; i++)
        anchos[i] = ANCHO_CM * (tabla_col_num(t, i) ? 1.6 : 3.0) / peso;
    anchos_encabezado(t, anchos);
    if (!d->rc)
        revisar(d, docx_tabla_inicio(d->dx, t->ncols, anchos, d->err));
    free(anchos);
    for (size_t i = 0; i < t->ncols; i++)
        fila[i] = (docx_celda){.texto = t->rotulo[i], .negrita = 1, .sombreado = 1};
    if (!d->rc)
        revisar(d, docx_tabla_fila(d->dx, fila, t->ncols, 1, d->err));
    size_t nf = tabla_filas(t);
    for (size_t r = 0; r < nf && !d->rc; r++) {
        bool total = t->ultima_total && r + 1 == nf;
        for (size_t i = 0; i < t->ncols; i++) {
            const char *s = celda_texto(tabla_celda_en(t, r, i), buf, sizeof buf);
            if (s == buf) {   /* a number, formatted into buf: keep a copy */
                snprintf(textos[i], sizeof textos[i], "%s", buf);
                s = textos[i];
            }
            fila[i] = (docx_celda){.texto = s, .negrita = total};
        }
        revisar(d, docx_tabla_fila(d->dx, fila, t->ncols, 0, d->err));
    }
    if (!d->rc)
        revisar(d, docx_tabla_fin(d->dx, d->err));
    free(fila);
    free(textos);
}

/* HTML-escaped text (informe_html_escape) back to plain text. */
static void texto_de_html(strbuf *o, const char *s, size_t n)
{
    static const struct {
        const char *ent, *txt;
    } ents[] = {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""},
                {"&#39;", "'"}, {"&nbsp;", "\u00a0"}};
    for (size_t i = 0; i < n;) {
        bool hecho = false;
        if (s[i] == '&')
            for (size_t k = 0; k < sizeof ents / sizeof ents[0]; k++) {
                size_t l = strlen(ents[k].ent);
                if (i + l <= n && !memcmp(s + i, ents[k].ent, l)) {
                    strbuf_puts(o, ents[k].txt);
                    i += l;
                    hecho = true;
                    break;
                }
            }
        if (!hecho)
            strbuf_append(o, s + i++, 1);
    }
}

typedef struct {
    uint8_t *p;
    size_t len, cap;
    bool failed;
} png_buf;

static cairo_status_t png_escribir(void *user, const unsigned char *data, unsigned int n)
{
    png_buf *b = user;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 65536;
        while (cap < b->len + n)
            cap *= 2;
        uint8_t *p = realloc(b->p, cap);
        if (!p) {
            b->failed = true;
            return CAIRO_STATUS_WRITE_ERROR;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
    return CAIRO_STATUS_SUCCESS;
}

/* The <svg> of figura, with the style sheet, as PNG. */
static int a_png(const char *figura, png_buf *png, double *ancho, double *alto, pmm_error *err)
{
    const char *ini = strstr(figura, "<svg"), *fin = strstr(figura, "</svg>");
    const char *cierre = ini ? strchr(ini, '>') : NULL;
    if (!ini || !fin || !cierre || cierre > fin)
        return pmm_error_set(err, 7, "", "grafica", "la gráfica no tiene el formato SVG esperado");
    strbuf svg;
    strbuf_init(&svg);
    strbuf_append(&svg, ini, (size_t)(cierre + 1 - ini));
    strbuf_puts(&svg, ESTILO_SVG);
    strbuf_append(&svg, cierre + 1, (size_t)(fin + 6 - (cierre + 1)));
    if (strbuf_failed(&svg)) {
        strbuf_free(&svg);
        return pmm_error_set(err, 7, "", "memoria", "sin memoria");
    }
    GError *gerr = NULL;
    RsvgHandle *h = rsvg_handle_new_from_data((const guint8 *)svg.data, svg.len, &gerr);
    strbuf_free(&svg);
    gdouble w = 0, hh = 0;
    if (!h || !rsvg_handle_get_intrinsic_size_in_pixels(h, &w, &hh) || w < 1 || hh < 1) {
        if (gerr)
            g_error_free(gerr);
        if (h)
            g_object_unref(h);
        return pmm_error_set(err, 7, "", "grafica",
                             "no se pudo dibujar una gráfica para el documento de Word");
    }
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)(w * ESCALA),
                                                    (int)(hh * ESCALA));
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);   /* white behind the chart */
    cairo_paint(cr);
    RsvgRectangle vp = {0, 0, w * ESCALA, hh * ESCALA};
    bool ok = rsvg_handle_render_document(h, cr, &vp, &gerr);
    cairo_destroy(cr);
    g_object_unref(h);
    if (gerr)
        g_error_free(gerr);
    if (ok)
        ok = cairo_surface_write_to_png_stream(s, png_escribir, png) == CAIRO_STATUS_SUCCESS &&
             !png->failed;
    cairo_surface_destroy(s);
    if (!ok)
        return pmm_error_set(err, 7, "", "grafica",
                             "no se pudo dibujar una gráfica para el documento de Word");
    *ancho = w;
    *alto = hh;
    return 0;
}

void dx_grafica(doc *d, const char *figura, int num, const char *titulo)
{
    if (!abierto(d))
        return;
    png_buf png = {0};
    double w = 0, h = 0;
    if (a_png(figura, &png, &w, &h, d->err)) {
        free(png.p);
        d->rc = -1;
        return;
    }
    /* the alternative text: the SVG's description (every value) */
    strbuf alt;
    strbuf_init(&alt);
    const char *de = strstr(figura, "<desc");
    const char *di = de ? strchr(de, '>') : NULL;
    const char *df = di ? strstr(di, "</desc>") : NULL;
    if (di && df)
        texto_de_html(&alt, di + 1, (size_t)(df - di - 1));
    else
        strbuf_puts(&alt, titulo);
    double ancho = ANCHO_CM, alto = ANCHO_CM * h / w;
    if (alto > 22.0) {   /* keep it on one page */
        ancho = ANCHO_CM * 22.0 / alto;
        alto = 22.0;
    }
    revisar(d, docx_imagen_png(d->dx, png.p, png.len, ancho, alto,
                               alt.data ? alt.data : titulo, d->err));
    strbuf_free(&alt);
    free(png.p);
    char cap[512];
    snprintf(cap, sizeof cap, "Gráfica %d. %s", num, titulo);
    if (!d->rc)
        revisar(d, docx_parrafo(d->dx, "Caption", cap, d->err));
}

void dx_pie(doc *d, const char *pie)
{
    if (!abierto(d))
        return;
    if (pie)
        revisar(d, docx_parrafo(d->dx, "Caption", pie, d->err));
    if (d->rc)
        return;
    size_t len = 0;
    uint8_t *bytes = docx_bytes(d->dx, &len, d->err);
    if (!bytes) {
        d->rc = -1;
        return;
    }
    strbuf_append(d->out, (const char *)bytes, len);
    free(bytes);
    dx_destroy(d);
}

void dx_destroy(doc *d)
{
    docx_destroy(&d->dx);
}
