/* odt_leer.c -- the tables of an OpenDocument text (content.xml), into the
 * same model as a Word document (see ooxml.h).
 *
 * Paragraphs (text:p, text:h) end with '\n'; text:s is spaces, text:tab a
 * tab, text:line-break a newline. The tracked-changes region (which holds
 * deleted text) and annotations are skipped, so tracked changes read as
 * accepted. table:number-columns-spanned is the cell's span; a
 * table:covered-table-cell under a cell spanning rows repeats that cell's
 * text, and one covered by a column span is left out (its cell counts it).
 */
#include <stdlib.h>
#include <string.h>

#include "ooxml_int.h"

#define NS_TEXT "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define NS_TABLE "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
#define NS_OFFICE "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define MAX_GRID 128

static const char *const TEXT[] = {NS_TEXT, NULL};
static const char *const TABLE[] = {NS_TABLE, NULL};
static const char *const OFFICE[] = {NS_OFFICE, NULL};

typedef struct {
    ooxml_constructor *c;
    pmm_error *err;
    int profundidad;
} walker;

static int tabla(walker *w, const xmlNode *t, strbuf *en_celda);

static long num_attr(const xmlNode *n, const char *local, long def)
{
    char *v = ooxml_atributo(n, NS_TABLE, local);
    if (!v)
        return def;
    long r = strtol(v, NULL, 10);
    xmlFree(v);
    return r;
}

static int saltar(const xmlNode *n)
{
    return n->type != XML_ELEMENT_NODE || ooxml_es(n, TEXT, "tracked-changes") ||
           ooxml_es(n, OFFICE, "annotation") || ooxml_es(n, OFFICE, "annotation-end") ||
           ooxml_es(n, TEXT, "note") || ooxml_es(n, TEXT, "sequence-decls");
}

static int texto(walker *w, const xmlNode *n, strbuf *b)
{
    if (++w->profundidad > 200) {
        w->profundidad--;
        return pmm_error_set(w->err, OOXML_ERR_INVALIDO, "", "xml",
                             "el documento anida demasiados elementos");
    }
    int rc = 0;
    for (const xmlNode *k = n->children; k && !rc; k = k->next) {
        if (k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) {
            if (k->content)
                strbuf_puts(b, (const char *)k->content);
            continue;
        }
        if (saltar(k))
            continue;
        if (ooxml_es(k, TEXT, "s")) {
            char *v = ooxml_atributo(k, NS_TEXT, "c");
            long c = v ? strtol(v, NULL, 10) : 1;
            xmlFree(v);
            for (long i = 0; i < c && i < 1000; i++)
                strbuf_puts(b, " ");
        } else if (ooxml_es(k, TEXT, "tab")) {
            strbuf_puts(b, "\t");
        } else if (ooxml_es(k, TEXT, "line-break")) {
            strbuf_puts(b, "\n");
        } else if (ooxml_es(k, TEXT, "p") || ooxml_es(k, TEXT, "h")) {
            rc = texto(w, k, b);
            strbuf_puts(b, "\n");
        } else if (ooxml_es(k, TABLE, "table")) {
            rc = tabla(w, k, b);
        } else {
            rc = texto(w, k, b);   /* spans, links, lists, sections */
        }
    }
    w->profundidad--;
    if (!rc && strbuf_failed(b))
        rc = ooxml_oom(w->err);
    return rc;
}

static void reunir(const xmlNode *n, const xmlNode **out, size_t *k, size_t cap)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (ooxml_es(c, TABLE, "table-row")) {
            if (*k < cap)
                out[(*k)++] = c;
        } else if (ooxml_es(c, TABLE, "table-header-rows") ||
                   ooxml_es(c, TABLE, "table-rows") || ooxml_es(c, TABLE, "table-row-group")) {
            reunir(c, out, k, cap);
        }
    }
}

static int tabla(walker *w, const xmlNode *t, strbuf *en_celda)
{
    size_t nfilas = 0, cap = 4096;
    const xmlNode **filas = malloc(cap * sizeof *filas);
    if (!filas)
        return ooxml_oom(w->err);
    reunir(t, filas, &nfilas, cap);
    int rc = en_celda ? 0 : ooxml_doc_tabla(w->c, w->err);
    char *arriba[MAX_GRID] = {0};
    long resta[MAX_GRID] = {0};   /* rows still covered by a row span */
    strbuf b;
    strbuf_init(&b);
    for (size_t f = 0; f < nfilas && !rc; f++) {
        if (!en_celda)
            rc = ooxml_doc_fila(w->c, w->err);
        size_t col = 0;
        int primera = 1;
        for (const xmlNode *k = filas[f]->children; k && !rc; k = k->next) {
            int cubierta = ooxml_es(k, TABLE, "covered-table-cell");
            if (!cubierta && !ooxml_es(k, TABLE, "table-cell"))
                continue;
            long rep = num_attr(k, "number-columns-repeated", 1);
            if (rep < 1)
                rep = 1;
            if (rep > MAX_GRID)
                rep = MAX_GRID;
            for (long r = 0; r < rep && !rc; r++) {
                if (cubierta) {
                    if (col < MAX_GRID && resta[col] > 0 && arriba[col]) {
                        resta[col]--;
                        if (en_celda) {
                            strbuf_puts(en_celda, primera ? "" : "\t");
                            strbuf_puts(en_celda, arriba[col]);
                        } else {
                            rc = ooxml_doc_celda(w->c, arriba[col], strlen(arriba[col]), 1,
                                                 w->err);
                        }
                        primera = 0;
                    }
                    col++;
                    continue;
                }
                long span = num_attr(k, "number-columns-spanned", 1);
                long rows = num_attr(k, "number-rows-spanned", 1);
                if (span < 1 || span > MAX_GRID)
                    span = 1;
                strbuf_reset(&b);
                rc = texto(w, k, &b);
                if (rc)
                    break;
                const char *tx = b.data ? b.data : "";
                if (en_celda) {
                    strbuf_puts(en_celda, primera ? "" : "\t");
                    strbuf_append(en_celda, tx, b.len);
                } else {
                    rc = ooxml_doc_celda(w->c, tx, b.len, (size_t)span, w->err);
                }
                primera = 0;
                if (col < MAX_GRID) {
                    free(arriba[col]);
                    arriba[col] = strdup(tx);
                    if (!arriba[col])
                        rc = ooxml_oom(w->err);
                    resta[col] = rows > 1 ? rows - 1 : 0;
                }
                col += (size_t)span;
            }
        }
        if (en_celda)
            strbuf_puts(en_celda, "\n");
    }
    for (size_t i = 0; i < MAX_GRID; i++)
        free(arriba[i]);
    strbuf_free(&b);
    free(filas);
    return rc;
}

static int cuerpo(walker *w, const xmlNode *n)
{
    int rc = 0;
    strbuf b;
    strbuf_init(&b);
    for (const xmlNode *k = n->children; k && !rc; k = k->next) {
        if (saltar(k))
            continue;
        if (ooxml_es(k, TABLE, "table")) {
            rc = tabla(w, k, NULL);
        } else if (ooxml_es(k, TEXT, "p") || ooxml_es(k, TEXT, "h")) {
            strbuf_reset(&b);
            rc = texto(w, k, &b);
            if (!rc)
                rc = ooxml_doc_parrafo(w->c, b.data ? b.data : "", b.len, w->err);
        } else if (++w->profundidad < 50) {
            rc = cuerpo(w, k);   /* sections, lists, office:text */
            w->profundidad--;
        } else {
            w->profundidad--;
        }
    }
    strbuf_free(&b);
    return rc;
}

int ooxml_odt_leer(ooxml_zip *z, ooxml_constructor *c, pmm_error *err)
{
    xmlDocPtr doc = ooxml_xml_doc(z, "content.xml", err);
    if (!doc)
        return -1;
    const xmlNode *root = xmlDocGetRootElement(doc);
    const xmlNode *body = NULL;
    for (const xmlNode *k = root ? root->children : NULL; k; k = k->next)
        if (ooxml_es(k, OFFICE, "body"))
            body = k;
    int rc;
    if (!body) {
        rc = pmm_error_set(err, OOXML_ERR_MALFORMADO, "", "formato",
                           "el documento OpenDocument no tiene cuerpo (office:body)");
    } else {
        walker w = {.c = c, .err = err};
        rc = cuerpo(&w, body);
    }
    xmlFreeDoc(doc);
    return rc;
}
