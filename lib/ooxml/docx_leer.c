/* docx_leer.c -- the tables of a WordprocessingML document (see ooxml.h).
 *
 * The main part (word/document.xml or wherever _rels/.rels points) is read
 * as a tree. Text is collected from w:t, w:tab, w:br/w:cr; tracked
 * insertions (w:ins, w:moveTo) are walked like any container while
 * deletions (w:del, w:moveFrom, w:delText), field instructions, comments'
 * references, drawings, pictures and embedded objects are skipped; of
 * mc:AlternateContent only the first mc:Choice is read. Cells carry their
 * w:gridSpan; a w:vMerge continuation repeats the text of the cell above
 * in the same grid column. A content control still showing its placeholder
 * text counts as empty. Both the transitional and the strict namespace are
 * accepted.
 */
#include <stdlib.h>
#include <string.h>

#include "ooxml_int.h"

static const char *const NS_W[] = {
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main", NULL};
#define NS_MC "http://schemas.openxmlformats.org/markup-compatibility/2006"

#define MAX_GRID 128

typedef struct {
    ooxml_constructor *c;
    pmm_error *err;
    int profundidad;
} walker;

static int es_w(const xmlNode *n, const char *local)
{
    return ooxml_es(n, NS_W, local);
}

static int saltar(const xmlNode *n)
{
    static const char *const w_skip[] = {
        "del", "moveFrom", "delText", "instrText", "delInstrText", "rPr", "pPr", "tblPr",
        "trPr", "tcPr", "sectPr", "drawing", "pict", "object", "commentReference",
        "footnoteReference", "endnoteReference", "tblGrid", "bookmarkStart", "bookmarkEnd",
        "proofErr", "fldChar", "sdtPr", "sdtEndPr", NULL};
    if (n->type != XML_ELEMENT_NODE)
        return 1;
    for (const char *const *s = w_skip; *s; s++)
        if (es_w(n, *s))
            return 1;
    const char *href = n->ns && n->ns->href ? (const char *)n->ns->href : "";
    if (!strcmp(href, NS_MC) && !strcmp((const char *)n->name, "Fallback"))
        return 1;
    return 0;
}

static int tabla(walker *w, const xmlNode *tbl, strbuf *en_celda);

/* A content control still showing its placeholder ("Haga clic aquí para
 * escribir texto."): nobody wrote in it. */
static int marcador(const xmlNode *sdt)
{
    for (const xmlNode *k = sdt->children; k; k = k->next)
        if (es_w(k, "sdtPr"))
            for (const xmlNode *p = k->children; p; p = p->next)
                if (es_w(p, "showingPlcHdr"))
                    return 1;
    return 0;
}

/* Text of a subtree into b: paragraphs end with '\n'. Nested tables in a
 * cell contribute their text (cells separated by tabs, rows by newlines). */
static int texto(walker *w, const xmlNode *n, strbuf *b)
{
    if (++w->profundidad > 200) {
        w->profundidad--;
        return pmm_error_set(w->err, OOXML_ERR_INVALIDO, "", "xml",
                             "el documento anida demasiados elementos");
    }
    int rc = 0;
    for (const xmlNode *k = n->children; k && !rc; k = k->next) {
        if (saltar(k) || (es_w(k, "sdt") && marcador(k)))
            continue;
        if (es_w(k, "t")) {
            xmlChar *s = xmlNodeGetContent(k);
            if (s) {
                strbuf_puts(b, (const char *)s);
                xmlFree(s);
            }
        } else if (es_w(k, "tab") || es_w(k, "ptab")) {
            strbuf_puts(b, "\t");
        } else if (es_w(k, "br") || es_w(k, "cr")) {
            strbuf_puts(b, "\n");
        } else if (es_w(k, "noBreakHyphen")) {
            strbuf_puts(b, "-");
        } else if (es_w(k, "p")) {
            rc = texto(w, k, b);
            strbuf_puts(b, "\n");
        } else if (es_w(k, "tbl")) {
            rc = tabla(w, k, b);
        } else if (k->ns && k->ns->href && !strcmp((const char *)k->ns->href, NS_MC) &&
                   !strcmp((const char *)k->name, "AlternateContent")) {
            for (const xmlNode *ch = k->children; ch; ch = ch->next)
                if (ch->type == XML_ELEMENT_NODE && !strcmp((const char *)ch->name, "Choice")) {
                    rc = texto(w, ch, b);
                    break;
                }
        } else {
            rc = texto(w, k, b);   /* runs, w:ins, w:sdt, hyperlinks, fields... */
        }
    }
    w->profundidad--;
    if (!rc && strbuf_failed(b))
        rc = ooxml_oom(w->err);
    return rc;
}

static long atributo_num(const xmlNode *n, long def)
{
    char *v = ooxml_atributo(n, NS_W[0], "val");
    if (!v)
        v = ooxml_atributo(n, NS_W[1], "val");
    if (!v)
        return def;
    long r = strtol(v, NULL, 10);
    xmlFree(v);
    return r;
}

/* The w:tcPr child `local` of a cell, or NULL. */
static const xmlNode *propiedad(const xmlNode *tc, const char *prop, const char *local)
{
    for (const xmlNode *k = tc->children; k; k = k->next)
        if (es_w(k, prop))
            for (const xmlNode *p = k->children; p; p = p->next)
                if (es_w(p, local))
                    return p;
    return NULL;
}

/* Collects the rows (w:tr) and cells (w:tc) under n, looking through
 * content controls and custom XML wrappers. */
static void reunir(const xmlNode *n, const char *local, const xmlNode **out, size_t *k,
                   size_t cap)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (es_w(c, local)) {
            if (*k < cap)
                out[(*k)++] = c;
        } else if (es_w(c, "sdt") || es_w(c, "sdtContent") || es_w(c, "customXml") ||
                   es_w(c, "ins") || es_w(c, "moveTo")) {
            reunir(c, local, out, k, cap);
        }
    }
}

/* A table. As a top-level table it becomes a table of the model; nested
 * inside a cell (en_celda != NULL) its text goes into the cell. */
static int tabla(walker *w, const xmlNode *tbl, strbuf *en_celda)
{
    size_t nfilas = 0, cap = 4096;
    const xmlNode **filas = malloc(cap * sizeof *filas);
    if (!filas)
        return ooxml_oom(w->err);
    reunir(tbl, "tr", filas, &nfilas, cap);
    if (nfilas == cap) {
        free(filas);
        return pmm_error_set(w->err, OOXML_ERR_INVALIDO, "", "max_filas",
                             "una tabla del documento tiene más de %zu filas", cap - 1);
    }
    int rc = en_celda ? 0 : ooxml_doc_tabla(w->c, w->err);
    char *arriba[MAX_GRID] = {0};   /* text of the last cell per grid column */
    strbuf b;
    strbuf_init(&b);
    for (size_t f = 0; f < nfilas && !rc; f++) {
        if (!en_celda)
            rc = ooxml_doc_fila(w->c, w->err);
        const xmlNode *celdas[512];
        size_t nc = 0;
        reunir(filas[f], "tc", celdas, &nc, 512);
        const xmlNode *gb = propiedad(filas[f], "trPr", "gridBefore");
        size_t col = gb ? (size_t)atributo_num(gb, 0) : 0;
        for (size_t i = 0; i < nc && !rc; i++) {
            const xmlNode *tc = celdas[i];
            const xmlNode *gs = propiedad(tc, "tcPr", "gridSpan");
            long span = gs ? atributo_num(gs, 1) : 1;
            if (span < 1 || span > MAX_GRID)
                span = 1;
            const xmlNode *vm = propiedad(tc, "tcPr", "vMerge");
            int sigue = 0;
            if (vm) {
                char *v = ooxml_atributo(vm, NS_W[0], "val");
                if (!v)
                    v = ooxml_atributo(vm, NS_W[1], "val");
                sigue = !v || strcmp(v, "restart");
                xmlFree(v);
            }
            strbuf_reset(&b);
            if (sigue && col < MAX_GRID && arriba[col])
                strbuf_puts(&b, arriba[col]);
            else
                rc = texto(w, tc, &b);
            if (rc)
                break;
            if (strbuf_failed(&b)) {
                rc = ooxml_oom(w->err);
                break;
            }
            const char *t = b.data ? b.data : "";
            if (en_celda) {
                strbuf_puts(en_celda, t);
                strbuf_puts(en_celda, i + 1 < nc ? "\t" : "\n");
            } else {
                rc = ooxml_doc_celda(w->c, t, b.len, (size_t)span, w->err);
            }
            for (long s = 0; s < span && col < MAX_GRID && !rc; s++, col++) {
                free(arriba[col]);
                arriba[col] = strdup(t);
                if (!arriba[col])
                    rc = ooxml_oom(w->err);
            }
        }
    }
    for (size_t i = 0; i < MAX_GRID; i++)
        free(arriba[i]);
    strbuf_free(&b);
    free(filas);
    return rc;
}

/* Body-level blocks: tables, paragraphs, and what wraps them. */
static int cuerpo(walker *w, const xmlNode *n)
{
    int rc = 0;
    strbuf b;
    strbuf_init(&b);
    for (const xmlNode *k = n->children; k && !rc; k = k->next) {
        if (saltar(k))
            continue;
        if (es_w(k, "tbl")) {
            rc = tabla(w, k, NULL);
        } else if (es_w(k, "p")) {
            strbuf_reset(&b);
            rc = texto(w, k, &b);
            if (!rc)
                rc = ooxml_doc_parrafo(w->c, b.data ? b.data : "", b.len, w->err);
        } else if (++w->profundidad < 50) {
            rc = cuerpo(w, k);   /* w:sdt, w:customXml, w:ins... */
            w->profundidad--;
        } else {
            w->profundidad--;
        }
    }
    strbuf_free(&b);
    return rc;
}

int ooxml_docx_leer(ooxml_zip *z, ooxml_constructor *c, pmm_error *err)
{
    pmm_error e;
    pmm_error_clear(&e);
    char *principal = ooxml_relacion(z, "", "/officeDocument", NULL, &e);
    if (!principal && e.regla[0]) {
        *err = e;
        return -1;
    }
    xmlDocPtr doc = ooxml_xml_doc(z, principal ? principal : "word/document.xml", err);
    free(principal);
    if (!doc)
        return -1;
    xmlNode *root = xmlDocGetRootElement(doc);
    const xmlNode *body = NULL;
    for (const xmlNode *k = root ? root->children : NULL; k; k = k->next)
        if (es_w(k, "body"))
            body = k;
    int rc = 0;
    if (!body) {
        rc = pmm_error_set(err, OOXML_ERR_MALFORMADO, "", "formato",
                           "el documento de Word no tiene cuerpo (w:body)");
    } else {
        walker w = {.c = c, .err = err};
        rc = cuerpo(&w, body);
    }
    xmlFreeDoc(doc);
    return rc;
}
