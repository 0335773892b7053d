/* docx.c -- the Word writer (see docx.h). The body is built as XML text in
 * memory; the fixed parts are in docx_partes.h; libzip packs them. */
#include "docx.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "docx_partes.h"
#include "ooxml_zip.h"
#include "strbuf.h"
#include "utf8.h"

#define ERR_INTERNO 7
#define ERR_INVALIDO 1

/* 1 cm in twentieths of a point (twips) and in EMUs */
#define TWIPS_CM 567.0
#define EMU_CM 360000.0
/* A4 (21 cm) less two 2.5 cm margins */
#define ANCHO_TEXTO_CM 16.0
#define MAX_COLUMNAS 64

typedef struct {
    uint8_t *png;
    size_t len;
} imagen;

struct docx {
    strbuf body;
    strbuf titulo;          /* the first title, for docProps/core.xml */
    int en_tabla;
    size_t ncols;
    double anchos[MAX_COLUMNAS];
    imagen *imagenes;
    size_t nimagenes;
};

static int oom(pmm_error *err)
{
    return pmm_error_set(err, ERR_INTERNO, "", "memoria", "sin memoria");
}

docx *docx_new(pmm_error *err)
{
    docx *d = calloc(1, sizeof *d);
    if (!d) {
        oom(err);
        return NULL;
    }
    strbuf_init(&d->body);
    strbuf_init(&d->titulo);
    return d;
}

void docx_destroy(docx **self_p)
{
    if (!self_p || !*self_p)
        return;
    docx *d = *self_p;
    strbuf_free(&d->body);
    strbuf_free(&d->titulo);
    for (size_t i = 0; i < d->nimagenes; i++)
        free(d->imagenes[i].png);
    free(d->imagenes);
    free(d);
    *self_p = NULL;
}

static int texto_ok(const char *s, const char *que, pmm_error *err)
{
    if (!s)
        return 0;
    if (!utf8_valid(s, strlen(s)))
        return pmm_error_set(err, ERR_INVALIDO, "", "utf8",
                             "documento Word: %s no es UTF-8 válido", que);
    return 0;
}

/* Escaped character data; characters XML 1.0 forbids are dropped. */
static void xml_escapar(strbuf *b, const char *s, size_t n)
{
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *rep = NULL;
        if (c == '&')
            rep = "&amp;";
        else if (c == '<')
            rep = "&lt;";
        else if (c == '>')
            rep = "&gt;";
        else if (c == '"')
            rep = "&quot;";
        else if (c < 0x20 && c != '\t' && c != '\n')
            rep = "";
        if (rep) {
            strbuf_append(b, s + from, i - from);
            strbuf_puts(b, rep);
            from = i + 1;
        }
    }
    strbuf_append(b, s + from, n - from);
}

/* Runs for one paragraph's text: '\n' becomes a line break when breaks is
 * set, tabs become tab runs. */
static void runs(strbuf *b, const char *s, size_t n, int negrita, int breaks)
{
    const char *rpr = negrita ? "<w:rPr><w:b/><w:bCs/></w:rPr>" : "";
    size_t i = 0;
    while (i <= n) {
        size_t j = i;
        while (j < n && s[j] != '\n' && s[j] != '\t')
            j++;
        if (j > i) {
            strbuf_printf(b, "<w:r>%s<w:t xml:space=\"preserve\">", rpr);
            xml_escapar(b, s + i, j - i);
            strbuf_puts(b, "</w:t></w:r>");
        }
        if (j >= n)
            break;
        if (s[j] == '\t')
            strbuf_printf(b, "<w:r>%s<w:tab/></w:r>", rpr);
        else if (breaks)
            strbuf_printf(b, "<w:r>%s<w:br/></w:r>", rpr);
        else
            strbuf_printf(b, "<w:r>%s<w:t xml:space=\"preserve\"> </w:t></w:r>", rpr);
        i = j + 1;
    }
}

static void parrafo(strbuf *b, const char *estilo, const char *texto, int negrita,
                    int breaks, const char *ppr_extra)
{
    strbuf_puts(b, "<w:p>");
    if ((estilo && *estilo) || ppr_extra) {
        strbuf_puts(b, "<w:pPr>");
        if (estilo && *estilo) {
            strbuf_puts(b, "<w:pStyle w:val=\"");
            xml_escapar(b, estilo, strlen(estilo));
            strbuf_puts(b, "\"/>");
        }
        if (ppr_extra)
            strbuf_puts(b, ppr_extra);
        strbuf_puts(b, "</w:pPr>");
    }
    if (texto)
        runs(b, texto, strlen(texto), negrita, breaks);
    strbuf_puts(b, "</w:p>");
}

/* Appends through a scratch buffer so that a failed call leaves the body
 * as it was. */
static int comprometer(docx *d, strbuf *tmp, pmm_error *err)
{
    if (strbuf_failed(tmp)) {
        strbuf_free(tmp);
        return oom(err);
    }
    size_t before = d->body.len;
    strbuf_append(&d->body, tmp->data ? tmp->data : "", tmp->len);
    strbuf_free(tmp);
    if (strbuf_failed(&d->body)) {
        d->body.failed = false;
        d->body.len = before;
        if (d->body.data)
            d->body.data[before] = '\0';
        return oom(err);
    }
    return 0;
}

static int fuera_de_tabla(const docx *d, const char *que, pmm_error *err)
{
    if (d->en_tabla)
        return pmm_error_set(err, ERR_INTERNO, "", "docx",
                             "documento Word: %s dentro de una tabla sin cerrar", que);
    return 0;
}

int docx_titulo(docx *d, const char *texto, pmm_error *err)
{
    if (fuera_de_tabla(d, "un título", err) || texto_ok(texto, "el título", err))
        return -1;
    strbuf tmp;
    strbuf_init(&tmp);
    parrafo(&tmp, "Title", texto, 0, 1, NULL);
    if (comprometer(d, &tmp, err))
        return -1;
    if (d->titulo.len == 0 && texto)
        strbuf_puts(&d->titulo, texto);
    return 0;
}

int docx_encabezado(docx *d, int nivel, const char *texto, pmm_error *err)
{
    if (nivel < 1 || nivel > 3)
        return pmm_error_set(err, ERR_INTERNO, "", "docx",
                             "documento Word: nivel de encabezado %d (va de 1 a 3)", nivel);
    if (fuera_de_tabla(d, "un encabezado", err) || texto_ok(texto, "un encabezado", err))
        return -1;
    char estilo[16];
    snprintf(estilo, sizeof estilo, "Heading%d", nivel);
    strbuf tmp;
    strbuf_init(&tmp);
    parrafo(&tmp, estilo, texto, 0, 1, NULL);
    return comprometer(d, &tmp, err);
}

int docx_parrafo(docx *d, const char *estilo, const char *texto, pmm_error *err)
{
    if (fuera_de_tabla(d, "un párrafo", err) || texto_ok(texto, "un párrafo", err) ||
        texto_ok(estilo, "el estilo", err))
        return -1;
    strbuf tmp;
    strbuf_init(&tmp);
    parrafo(&tmp, estilo, texto, 0, 1, NULL);
    return comprometer(d, &tmp, err);
}

int docx_tabla_inicio(docx *d, size_t ncols, const double *anchos_cm, pmm_error *err)
{
    if (fuera_de_tabla(d, "una tabla", err))
        return -1;
    if (ncols < 1 || ncols > MAX_COLUMNAS)
        return pmm_error_set(err, ERR_INTERNO, "", "docx",
                             "documento Word: una tabla de %zu columnas (de 1 a %d)", ncols,
                             MAX_COLUMNAS);
    double total = 0;
    for (size_t i = 0; i < ncols; i++) {
        double w = anchos_cm ? anchos_cm[i] : ANCHO_TEXTO_CM / (double)ncols;
        if (!(w > 0.1 && w < 100))
            return pmm_error_set(err, ERR_INTERNO, "", "docx",
                                 "documento Word: ancho de columna %g cm fuera de rango", w);
        d->anchos[i] = w;
        total += w;
    }
    strbuf tmp;
    strbuf_init(&tmp);
    strbuf_printf(&tmp,
                  "<w:tbl><w:tblPr><w:tblStyle w:val=\"TablaPMM\"/>"
                  "<w:tblW w:w=\"%ld\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/>"
                  "<w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" "
                  "w:firstColumn=\"1\" w:lastColumn=\"0\" w:noHBand=\"0\" w:noVBand=\"1\"/>"
                  "</w:tblPr><w:tblGrid>",
                  (long)(total * TWIPS_CM + 0.5));
    for (size_t i = 0; i < ncols; i++)
        strbuf_printf(&tmp, "<w:gridCol w:w=\"%ld\"/>", (long)(d->anchos[i] * TWIPS_CM + 0.5));
    strbuf_puts(&tmp, "</w:tblGrid>");
    if (comprometer(d, &tmp, err))
        return -1;
    d->en_tabla = 1;
    d->ncols = ncols;
    return 0;
}

int docx_tabla_fila(docx *d, const docx_celda *celdas, size_t n, int encabezado,
                    pmm_error *err)
{
    if (!d->en_tabla)
        return pmm_error_set(err, ERR_INTERNO, "", "docx",
                             "documento Word: una fila fuera de una tabla");
    size_t cols = 0;
    for (size_t i = 0; i < n; i++) {
        if (celdas[i].columnas < 0)
            return pmm_error_set(err, ERR_INTERNO, "", "docx",
                                 "documento Word: una celda abarca %d columnas",
                                 celdas[i].columnas);
        cols += celdas[i].columnas > 1 ? (size_t)celdas[i].columnas : 1;
        if (texto_ok(celdas[i].texto, "el texto de una celda", err) ||
            texto_ok(celdas[i].ayuda, "la ayuda de una celda", err))
            return -1;
    }
    if (n == 0 || cols != d->ncols)
        return pmm_error_set(err, ERR_INTERNO, "", "docx",
                             "documento Word: la fila ocupa %zu columnas y la tabla tiene %zu",
                             cols, d->ncols);
    strbuf tmp;
    strbuf_init(&tmp);
    strbuf_puts(&tmp, "<w:tr>");
    if (encabezado)
        strbuf_puts(&tmp, "<w:trPr><w:tblHeader/></w:trPr>");
    size_t col = 0;
    for (size_t i = 0; i < n; i++) {
        const docx_celda *c = &celdas[i];
        size_t span = c->columnas > 1 ? (size_t)c->columnas : 1;
        double w = 0;
        for (size_t k = 0; k < span; k++)
            w += d->anchos[col + k];
        col += span;
        strbuf_printf(&tmp, "<w:tc><w:tcPr><w:tcW w:w=\"%ld\" w:type=\"dxa\"/>",
                      (long)(w * TWIPS_CM + 0.5));
        if (span > 1)
            strbuf_printf(&tmp, "<w:gridSpan w:val=\"%zu\"/>", span);
        if (c->sombreado)
            strbuf_puts(&tmp, "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"DCE3EE\"/>");
        strbuf_puts(&tmp, "</w:tcPr>");
        /* one paragraph per line of the text; at least one paragraph */
        const char *t = c->texto ? c->texto : "";
        for (;;) {
            const char *nl = strchr(t, '\n');
            size_t len = nl ? (size_t)(nl - t) : strlen(t);
            strbuf_puts(&tmp, "<w:p>");
            runs(&tmp, t, len, c->negrita || encabezado, 0);
            strbuf_puts(&tmp, "</w:p>");
            if (!nl)
                break;
            t = nl + 1;
        }
        if (c->ayuda && *c->ayuda)
            parrafo(&tmp, "Ayuda", c->ayuda, 0, 1, NULL);
        strbuf_puts(&tmp, "</w:tc>");
    }
    strbuf_puts(&tmp, "</w:tr>");
    return comprometer(d, &tmp, err);
}

int docx_tabla_fin(docx *d, pmm_error *err)
{
    if (!d->en_tabla)
        return pmm_error_set(err, ERR_INTERNO, "", "docx",
                             "documento Word: se cierra una tabla que no se abrió");
    strbuf tmp;
    strbuf_init(&tmp);
    /* an empty paragraph after the table: Word needs one between two
     * tables, and a table may not end the body */
    strbuf_puts(&tmp, "</w:tbl><w:p/>");
    if (comprometer(d, &tmp, err))
        return -1;
    d->en_tabla = 0;
    return 0;
}

int docx_imagen_png(docx *d, const uint8_t *png, size_t len, double ancho_cm,
                    double alto_cm, const char *descripcion, pmm_error *err)
{
    static const uint8_t magic[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (fuera_de_tabla(d, "una imagen", err) ||
        texto_ok(descripcion, "la descripción de la imagen", err))
        return -1;
    if (!png || len < sizeof magic || memcmp(png, magic, sizeof magic))
        return pmm_error_set(err, ERR_INTERNO, "", "docx",
                             "documento Word: la imagen no es PNG");
    if (!(ancho_cm > 0.1 && ancho_cm < 100 && alto_cm > 0.1 && alto_cm < 100))
        return pmm_error_set(err, ERR_INTERNO, "", "docx",
                             "documento Word: tamaño de imagen fuera de rango");
    imagen *v = realloc(d->imagenes, (d->nimagenes + 1) * sizeof *v);
    if (!v)
        return oom(err);
    d->imagenes = v;
    uint8_t *copia = malloc(len);
    if (!copia)
        return oom(err);
    memcpy(copia, png, len);
    size_t k = d->nimagenes + 1;
    long cx = (long)(ancho_cm * EMU_CM + 0.5), cy = (long)(alto_cm * EMU_CM + 0.5);
    strbuf tmp;
    strbuf_init(&tmp);
    strbuf_printf(&tmp,
                  "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:drawing>"
                  "<wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\">"
                  "<wp:extent cx=\"%ld\" cy=\"%ld\"/>"
                  "<wp:docPr id=\"%zu\" name=\"Imagen %zu\" descr=\"",
                  cx, cy, k, k);
    if (descripcion)
        xml_escapar(&tmp, descripcion, strlen(descripcion));
    strbuf_printf(&tmp,
                  "\"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/>"
                  "</wp:cNvGraphicFramePr><a:graphic><a:graphicData "
                  "uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">"
                  "<pic:pic><pic:nvPicPr><pic:cNvPr id=\"%zu\" name=\"imagen%zu.png\"/>"
                  "<pic:cNvPicPr/></pic:nvPicPr><pic:blipFill>"
                  "<a:blip r:embed=\"rIdImg%zu\"/><a:stretch><a:fillRect/></a:stretch>"
                  "</pic:blipFill><pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/>"
                  "<a:ext cx=\"%ld\" cy=\"%ld\"/></a:xfrm><a:prstGeom prst=\"rect\">"
                  "<a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData>"
                  "</a:graphic></wp:inline></w:drawing></w:r></w:p>",
                  k, k, k, cx, cy);
    if (comprometer(d, &tmp, err)) {
        free(copia);
        return -1;
    }
    d->imagenes[d->nimagenes].png = copia;
    d->imagenes[d->nimagenes].len = len;
    d->nimagenes++;
    return 0;
}

int docx_salto_pagina(docx *d, pmm_error *err)
{
    if (fuera_de_tabla(d, "un salto de página", err))
        return -1;
    strbuf tmp;
    strbuf_init(&tmp);
    strbuf_puts(&tmp, "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
    return comprometer(d, &tmp, err);
}

/* ---- packaging ---------------------------------------------------------- */

typedef struct {
    const char *nombre;
    const void *datos;
    size_t len;
} parte;

static void documento_xml(const docx *d, strbuf *b)
{
    strbuf_puts(b,
                DOCX_XML_DECL "<w:document xmlns:w=\"" DOCX_NS_W "\" xmlns:r=\"" DOCX_NS_R
                              "\" xmlns:wp=\"http://schemas.openxmlformats.org/"
                              "drawingml/2006/wordprocessingDrawing\" "
                              "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "
                              "xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/"
                              "picture\"><w:body>");
    strbuf_append(b, d->body.data ? d->body.data : "", d->body.len);
    /* A4, 2.5 cm margins, the footer with page numbers */
    strbuf_puts(b, "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdPie\"/>"
                   "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"
                   "<w:pgMar w:top=\"1418\" w:right=\"1418\" w:bottom=\"1418\" "
                   "w:left=\"1418\" w:header=\"709\" w:footer=\"709\" w:gutter=\"0\"/>"
                   "</w:sectPr></w:body></w:document>");
}

static void relaciones_xml(const docx *d, strbuf *b)
{
    strbuf_puts(b, DOCX_XML_DECL "<Relationships xmlns=\"" DOCX_REL_PKG "\">"
                   "<Relationship Id=\"rIdEstilos\" Type=\"http://schemas.openxmlformats.org/"
                   "officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
                   "<Relationship Id=\"rIdAjustes\" Type=\"http://schemas.openxmlformats.org/"
                   "officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>"
                   "<Relationship Id=\"rIdPie\" Type=\"http://schemas.openxmlformats.org/"
                   "officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>");
    for (size_t i = 0; i < d->nimagenes; i++)
        strbuf_printf(b,
                      "<Relationship Id=\"rIdImg%zu\" Type=\"http://schemas.openxmlformats.org/"
                      "officeDocument/2006/relationships/image\" Target=\"media/imagen%zu.png\"/>",
                      i + 1, i + 1);
    strbuf_puts(b, "</Relationships>");
}

static int zip_err(zip_error_t *ze, pmm_error *err)
{
    int code = zip_error_code_zip(ze);
    if (code == ZIP_ER_MEMORY)
        return oom(err);
    return pmm_error_set(err, ERR_INTERNO, "", "zip",
                         "documento Word: no se pudo armar el archivo ZIP (libzip, código %d)",
                         code);
}

uint8_t *docx_bytes(docx *d, size_t *len, pmm_error *err)
{
    if (fuera_de_tabla(d, "el guardado", err))
        return NULL;
    strbuf doc, rels, core;
    strbuf_init(&doc);
    strbuf_init(&rels);
    strbuf_init(&core);
    documento_xml(d, &doc);
    relaciones_xml(d, &rels);
    strbuf_puts(&core, DOCX_CORE_INICIO);
    xml_escapar(&core, d->titulo.data ? d->titulo.data : "", d->titulo.len);
    strbuf_puts(&core, DOCX_CORE_FIN);
    uint8_t *out = NULL;
    zip_t *za = NULL;
    zip_source_t *src = NULL;
    char nombres[32][32];
    if (strbuf_failed(&doc) || strbuf_failed(&rels) || strbuf_failed(&core)) {
        oom(err);
        goto fin;
    }
    parte partes[8 + 24];
    size_t np = 0;
    partes[np++] = (parte){"[Content_Types].xml", DOCX_CONTENT_TYPES,
                           sizeof DOCX_CONTENT_TYPES - 1};
    partes[np++] = (parte){"_rels/.rels", DOCX_RELS, sizeof DOCX_RELS - 1};
    partes[np++] = (parte){"docProps/core.xml", core.data, core.len};
    partes[np++] = (parte){"word/document.xml", doc.data, doc.len};
    partes[np++] = (parte){"word/_rels/document.xml.rels", rels.data, rels.len};
    partes[np++] = (parte){"word/styles.xml", DOCX_STYLES, sizeof DOCX_STYLES - 1};
    partes[np++] = (parte){"word/settings.xml", DOCX_SETTINGS, sizeof DOCX_SETTINGS - 1};
    partes[np++] = (parte){"word/footer1.xml", DOCX_FOOTER, sizeof DOCX_FOOTER - 1};
    if (d->nimagenes > 24) {
        pmm_error_set(err, ERR_INTERNO, "", "docx",
                      "documento Word: más de 24 imágenes en un documento");
        goto fin;
    }
    for (size_t i = 0; i < d->nimagenes; i++) {
        snprintf(nombres[i], sizeof nombres[i], "word/media/imagen%zu.png", i + 1);
        partes[np++] = (parte){nombres[i], d->imagenes[i].png, d->imagenes[i].len};
    }

    zip_error_t ze;
    zip_error_init(&ze);
    src = zip_source_buffer_create(NULL, 0, 0, &ze);
    if (!src) {
        zip_err(&ze, err);
        zip_error_fini(&ze);
        goto fin;
    }
    zip_source_keep(src);
    za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    if (!za) {
        zip_err(&ze, err);
        zip_error_fini(&ze);
        goto fin;
    }
    zip_error_fini(&ze);
    for (size_t i = 0; i < np; i++) {
        zip_source_t *s = zip_source_buffer(za, partes[i].datos, partes[i].len, 0);
        zip_int64_t idx = s ? zip_file_add(za, partes[i].nombre, s, ZIP_FL_ENC_UTF_8) : -1;
        if (idx < 0) {
            if (s)
                zip_source_free(s);
            zip_err(zip_get_error(za), err);
            goto fin;
        }
        /* a fixed date: the same document gives the same bytes */
        zip_file_set_dostime(za, (zip_uint64_t)idx, 0, (1 << 5) | 1 | (40 << 9), 0);
    }
    if (zip_close(za) != 0) {
        zip_err(zip_get_error(za), err);
        zip_discard(za);
        za = NULL;
        goto fin;
    }
    za = NULL;
    zip_stat_t st;
    if (zip_source_stat(src, &st) != 0 || zip_source_open(src) != 0) {
        zip_err(zip_source_error(src), err);
        goto fin;
    }
    out = malloc(st.size ? st.size : 1);
    if (!out) {
        zip_source_close(src);
        oom(err);
        goto fin;
    }
    zip_int64_t got = zip_source_read(src, out, st.size);
    zip_source_close(src);
    if (got < 0 || (zip_uint64_t)got != st.size) {
        free(out);
        out = NULL;
        zip_err(zip_source_error(src), err);
        goto fin;
    }
    *len = (size_t)st.size;
fin:
    if (za)
        zip_discard(za);
    if (src)
        zip_source_free(src);
    strbuf_free(&doc);
    strbuf_free(&rels);
    strbuf_free(&core);
    return out;
}

int docx_guardar(docx *d, const char *path, pmm_error *err)
{
    size_t len = 0;
    uint8_t *bytes = docx_bytes(d, &len, err);
    if (!bytes)
        return -1;
    char tmp[PATH_MAX];
    int n = snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path);
    if (n < 0 || (size_t)n >= sizeof tmp) {
        free(bytes);
        return pmm_error_set(err, ERR_INTERNO, "", "archivo", "ruta demasiado larga: %s", path);
    }
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(bytes);
        return pmm_error_set(err, ERR_INTERNO, "", "archivo", "no se puede escribir %s: %s",
                             path, ooxml_errno_texto(e));
    }
    size_t off = 0;
    int e = 0;
    while (off < len) {
        ssize_t w = write(fd, bytes + off, len - off);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            e = errno;
            break;
        }
        off += (size_t)w;
    }
    free(bytes);
    if (!e && fchmod(fd, 0644) != 0)
        e = errno;
    if (!e && fsync(fd) != 0)
        e = errno;
    if (close(fd) != 0 && !e)
        e = errno;
    if (!e && rename(tmp, path) != 0)
        e = errno;
    if (e) {
        unlink(tmp);
        return pmm_error_set(err, ERR_INTERNO, "", "archivo", "no se puede escribir %s: %s",
                             path, ooxml_errno_texto(e));
    }
    return 0;
}
