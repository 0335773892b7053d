/* ooxml_xml.c -- safe XML parsing of package parts (see ooxml_xml.h). */
#include "ooxml_xml.h"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OPCIONES (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA)

struct ooxml_lector {
    xmlTextReaderPtr r;
    ooxml_flujo *flujo;
    char entrada[256];
    int code, line, col;   /* first error libxml2 reported */
    int hay_error;
};

static void xml_error(pmm_error *err, const char *entrada, int code, int line, int col)
{
    switch (code) {
    case XML_ERR_NO_MEMORY:
        pmm_error_set(err, OOXML_ERR_INTERNO, "", "memoria", "sin memoria");
        return;
    case XML_ERR_INVALID_CHAR:
    case XML_ERR_INVALID_ENCODING:
    case XML_ERR_INVALID_CHARREF:
    case XML_ERR_INVALID_DEC_CHARREF:
    case XML_ERR_INVALID_HEX_CHARREF:
    case XML_ERR_UNSUPPORTED_ENCODING:
        pmm_error_set(err, OOXML_ERR_MALFORMADO, "", "utf8",
                      "la parte «%.120s» tiene, en la línea %d, columna %d, texto que no es "
                      "UTF-8 válido o un carácter no permitido (como el carácter nulo)",
                      entrada, line, col);
        return;
    case XML_ERR_ENTITY_LOOP:
    case XML_ERR_UNDECLARED_ENTITY:
    case XML_WAR_UNDECLARED_ENTITY:
        pmm_error_set(err, OOXML_ERR_INVALIDO, "", "doctype",
                      "la parte «%.120s» usa entidades XML (línea %d): no se admiten", entrada,
                      line);
        return;
    case XML_ERR_DOCUMENT_EMPTY:
        pmm_error_set(err, OOXML_ERR_MALFORMADO, "", "xml", "la parte «%.120s» está vacía",
                      entrada);
        return;
    default:
        pmm_error_set(err, OOXML_ERR_MALFORMADO, "", "xml",
                      "la parte «%.120s» no es XML válido o está incompleta (línea %d, columna "
                      "%d; código %d)",
                      entrada, line, col, code);
    }
}

static int doctype(pmm_error *err, const char *entrada)
{
    return pmm_error_set(err, OOXML_ERR_INVALIDO, "", "doctype",
                         "la parte «%.120s» declara un DOCTYPE; los documentos de Office no lo "
                         "usan y no se admite (posible ataque de entidades XML)",
                         entrada);
}

xmlDocPtr ooxml_xml_doc_memoria(const char *buf, size_t len, const char *entrada,
                                pmm_error *err)
{
    if (len > (size_t)OOXML_MAX_DESCOMPRIMIDO) {
        pmm_error_set(err, OOXML_ERR_INVALIDO, "", "zip_bomba",
                      "la parte «%.120s» es demasiado grande", entrada);
        return NULL;
    }
    /* OOXML and OpenDocument never declare a DOCTYPE: refuse one before
     * libxml2 reads its declarations (the tree is checked again below, for
     * encodings this byte search cannot see) */
    if (memmem(buf, len, "<!DOCTYPE", 9) || memmem(buf, len, "<!ENTITY", 8)) {
        doctype(err, entrada);
        return NULL;
    }
    xmlParserCtxtPtr ctx = xmlNewParserCtxt();
    if (!ctx) {
        pmm_error_set(err, OOXML_ERR_INTERNO, "", "memoria", "sin memoria");
        return NULL;
    }
    xmlDocPtr doc = xmlCtxtReadMemory(ctx, buf, (int)len, NULL, NULL, OPCIONES);
    if (!doc || !ctx->wellFormed) {
        const xmlError *e = &ctx->lastError;
        xml_error(err, entrada, e->code ? e->code : XML_ERR_DOCUMENT_END, e->line, e->int2);
        if (doc)
            xmlFreeDoc(doc);
        xmlFreeParserCtxt(ctx);
        return NULL;
    }
    xmlFreeParserCtxt(ctx);
    if (doc->intSubset || doc->extSubset) {
        xmlFreeDoc(doc);
        doctype(err, entrada);
        return NULL;
    }
    return doc;
}

xmlDocPtr ooxml_xml_doc(ooxml_zip *z, const char *entrada, pmm_error *err)
{
    size_t len = 0;
    char *buf = ooxml_zip_leer(z, entrada, &len, err);
    if (!buf)
        return NULL;
    xmlDocPtr doc = ooxml_xml_doc_memoria(buf, len, entrada, err);
    free(buf);
    return doc;
}

static void on_error(void *arg, xmlErrorPtr e)
{
    ooxml_lector *l = arg;
    if (l->hay_error || !e || e->level < XML_ERR_ERROR)
        return;
    l->hay_error = 1;
    l->code = e->code;
    l->line = e->line;
    l->col = e->int2;
}

static int leer_cb(void *ctx, char *buf, int len)
{
    ssize_t r = ooxml_flujo_leer(ctx, buf, (size_t)len);
    return r < 0 ? -1 : (int)r;
}

static int cerrar_cb(void *ctx)
{
    (void)ctx;   /* the stream is closed by ooxml_lector_cerrar */
    return 0;
}

ooxml_lector *ooxml_lector_abrir(ooxml_zip *z, const char *entrada, pmm_error *err)
{
    ooxml_lector *l = calloc(1, sizeof *l);
    if (!l) {
        pmm_error_set(err, OOXML_ERR_INTERNO, "", "memoria", "sin memoria");
        return NULL;
    }
    snprintf(l->entrada, sizeof l->entrada, "%s", entrada);
    l->flujo = ooxml_flujo_abrir(z, entrada, err);
    if (!l->flujo) {
        free(l);
        return NULL;
    }
    l->r = xmlReaderForIO(leer_cb, cerrar_cb, l->flujo, NULL, NULL, OPCIONES);
    if (!l->r) {
        ooxml_flujo_cerrar(&l->flujo);
        free(l);
        pmm_error_set(err, OOXML_ERR_INTERNO, "", "memoria", "sin memoria");
        return NULL;
    }
    xmlTextReaderSetStructuredErrorHandler(l->r, on_error, l);
    return l;
}

int ooxml_lector_siguiente(ooxml_lector *l, pmm_error *err)
{
    int rc = xmlTextReaderRead(l->r);
    const pmm_error *fe = ooxml_flujo_error(l->flujo);
    if (fe) {
        *err = *fe;   /* the ZIP's fault explains the XML's */
        return -1;
    }
    if (rc < 0 || (rc == 0 && l->hay_error)) {
        xml_error(err, l->entrada, l->hay_error ? l->code : XML_ERR_DOCUMENT_END, l->line,
                  l->col);
        return -1;
    }
    if (rc == 1 && xmlTextReaderNodeType(l->r) == XML_READER_TYPE_DOCUMENT_TYPE)
        return doctype(err, l->entrada);
    return rc;
}

xmlTextReaderPtr ooxml_lector_xml(ooxml_lector *l)
{
    return l->r;
}

void ooxml_lector_cerrar(ooxml_lector **l_p)
{
    if (!l_p || !*l_p)
        return;
    ooxml_lector *l = *l_p;
    if (l->r)
        xmlFreeTextReader(l->r);
    ooxml_flujo_cerrar(&l->flujo);
    free(l);
    *l_p = NULL;
}

int ooxml_es(const xmlNode *n, const char *const *ns, const char *local)
{
    if (!n || n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, local))
        return 0;
    if (!ns)
        return 1;
    const char *href = n->ns && n->ns->href ? (const char *)n->ns->href : "";
    for (; *ns; ns++)
        if (!strcmp(href, *ns))
            return 1;
    return 0;
}

char *ooxml_atributo(const xmlNode *n, const char *ns, const char *local)
{
    xmlChar *v = ns ? xmlGetNsProp(n, (const xmlChar *)local, (const xmlChar *)ns)
                    : xmlGetNoNsProp(n, (const xmlChar *)local);
    return (char *)v;
}
