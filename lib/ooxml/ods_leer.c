/* ods_leer.c -- the rows of an OpenDocument spreadsheet (content.xml),
 * streamed (see ooxml.h). Repeated rows and cells (table:number-rows-
 * repeated, table:number-columns-repeated, which LibreOffice uses for the
 * empty rest of a sheet) are counted, never expanded when empty. Typed
 * cells give their value (office:value, office:date-value,
 * office:boolean-value) rather than the text shown. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ooxml_int.h"

#define NS_TEXT "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define NS_TABLE "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
#define NS_OFFICE "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define MAX_REPETIDAS 100000   /* non-empty rows one element may stand for */

static int es(xmlTextReaderPtr r, const char *ns, const char *local)
{
    const char *ln = (const char *)xmlTextReaderConstLocalName(r);
    const char *u = (const char *)xmlTextReaderConstNamespaceUri(r);
    return ln && u && !strcmp(ln, local) && !strcmp(u, ns);
}

static char *attr(xmlTextReaderPtr r, const char *ns, const char *local)
{
    return (char *)xmlTextReaderGetAttributeNs(r, (const xmlChar *)local, (const xmlChar *)ns);
}

static long attr_num(xmlTextReaderPtr r, const char *local)
{
    char *v = attr(r, NS_TABLE, local);
    long n = v ? strtol(v, NULL, 10) : 1;
    xmlFree(v);
    return n < 1 ? 1 : n;
}

typedef struct {
    long rep;            /* columns this cell stands for */
    char *tipo;          /* office:value-type */
    char *valor;         /* the typed value, or NULL */
    strbuf texto;
    int parrafos;
} celda;

static void celda_limpiar(celda *c)
{
    xmlFree(c->tipo);
    xmlFree(c->valor);
    c->tipo = c->valor = NULL;
    strbuf_reset(&c->texto);
    c->parrafos = 0;
}

static int celda_poner(celda *c, ooxml_fila_buf *fila, size_t *col, pmm_error *err)
{
    strbuf v;
    strbuf_init(&v);
    const char *t = c->tipo ? c->tipo : "";
    if (c->valor && (!strcmp(t, "float") || !strcmp(t, "percentage") ||
                     !strcmp(t, "currency"))) {
        ooxml_numero(&v, strtod(c->valor, NULL));
    } else if (c->valor && !strcmp(t, "date")) {
        size_t n = strlen(c->valor);
        strbuf_append(&v, c->valor, n > 10 && c->valor[10] == 'T' ? 10 : n);
    } else if (c->valor && !strcmp(t, "boolean")) {
        strbuf_puts(&v, !strcmp(c->valor, "true") ? "VERDADERO" : "FALSO");
    } else if (c->texto.len) {
        strbuf_append(&v, c->texto.data, c->texto.len);
    }
    int rc = strbuf_failed(&v) ? ooxml_oom(err) : 0;
    for (long i = 0; i < c->rep && !rc; i++, (*col)++) {
        if (v.len == 0) {
            *col += (size_t)(c->rep - i);   /* empty: only the position moves */
            break;
        }
        rc = ooxml_fila_poner(fila, *col, v.data, v.len, err);
    }
    strbuf_free(&v);
    return rc;
}

int ooxml_ods_leer(ooxml_zip *z, ooxml_fila_fn fn, void *user, pmm_error *err)
{
    ooxml_lector *l = ooxml_lector_abrir(z, "content.xml", err);
    if (!l)
        return -1;
    xmlTextReaderPtr r = ooxml_lector_xml(l);
    ooxml_fila_buf fila = {0};
    celda c = {0};
    strbuf_init(&c.texto);
    char hoja[128] = "";
    size_t num = 0, col = 0;
    long rep_fila = 1;
    int en_celda = 0, nota = 0, rc, saltar_hoja = 0, detener = 0;
    while (!detener && (rc = ooxml_lector_siguiente(l, err)) == 1) {
        int tipo = xmlTextReaderNodeType(r);
        int vacio = tipo == XML_READER_TYPE_ELEMENT && xmlTextReaderIsEmptyElement(r);
        if (nota) {   /* inside an annotation: skip to its end */
            if (tipo == XML_READER_TYPE_ELEMENT && !vacio && es(r, NS_OFFICE, "annotation"))
                nota++;
            else if (tipo == XML_READER_TYPE_END_ELEMENT && es(r, NS_OFFICE, "annotation"))
                nota--;
            continue;
        }
        if (tipo == XML_READER_TYPE_ELEMENT) {
            if (es(r, NS_TABLE, "table")) {
                char *n = attr(r, NS_TABLE, "name");
                snprintf(hoja, sizeof hoja, "%s", n ? n : "");
                xmlFree(n);
                num = 0;
                saltar_hoja = 0;
            } else if (es(r, NS_TABLE, "table-row")) {
                rep_fila = attr_num(r, "number-rows-repeated");
                col = 0;
                if (vacio)
                    num += (size_t)rep_fila;
            } else if (es(r, NS_TABLE, "table-cell") ||
                       es(r, NS_TABLE, "covered-table-cell")) {
                celda_limpiar(&c);
                c.rep = attr_num(r, "number-columns-repeated");
                c.tipo = attr(r, NS_OFFICE, "value-type");
                if (c.tipo && !strcmp(c.tipo, "date"))
                    c.valor = attr(r, NS_OFFICE, "date-value");
                else if (c.tipo && !strcmp(c.tipo, "boolean"))
                    c.valor = attr(r, NS_OFFICE, "boolean-value");
                else
                    c.valor = attr(r, NS_OFFICE, "value");
                if (vacio) {
                    if (!saltar_hoja && celda_poner(&c, &fila, &col, err) != 0) {
                        rc = -1;
                        break;
                    }
                } else {
                    en_celda = 1;
                }
            } else if (en_celda && es(r, NS_OFFICE, "annotation") && !vacio) {
                nota = 1;
            } else if (en_celda && (es(r, NS_TEXT, "p") || es(r, NS_TEXT, "h"))) {
                if (c.parrafos++)
                    strbuf_puts(&c.texto, "\n");
            } else if (en_celda && es(r, NS_TEXT, "s")) {
                char *v = attr(r, NS_TEXT, "c");
                long n = v ? strtol(v, NULL, 10) : 1;
                xmlFree(v);
                for (long i = 0; i < n && i < 1000; i++)
                    strbuf_puts(&c.texto, " ");
            } else if (en_celda && es(r, NS_TEXT, "tab")) {
                strbuf_puts(&c.texto, "\t");
            } else if (en_celda && es(r, NS_TEXT, "line-break")) {
                strbuf_puts(&c.texto, "\n");
            }
            continue;
        }
        if (tipo == XML_READER_TYPE_TEXT || tipo == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
            tipo == XML_READER_TYPE_CDATA) {
            if (en_celda) {
                const char *s = (const char *)xmlTextReaderConstValue(r);
                if (s)
                    strbuf_puts(&c.texto, s);
                if (c.texto.len > OOXML_MAX_TEXTO_CELDA) {
                    rc = pmm_error_set(err, OOXML_ERR_INVALIDO, "", "max_tamano",
                                       "hoja «%s», fila %zu: una celda pasa de %u bytes", hoja,
                                       num + 1, OOXML_MAX_TEXTO_CELDA);
                    break;
                }
            }
            continue;
        }
        if (tipo != XML_READER_TYPE_END_ELEMENT)
            continue;
        if (es(r, NS_TABLE, "table-cell") || es(r, NS_TABLE, "covered-table-cell")) {
            en_celda = 0;
            if (strbuf_failed(&c.texto)) {
                rc = ooxml_oom(err);
                break;
            }
            if (!saltar_hoja && celda_poner(&c, &fila, &col, err) != 0) {
                char pre[200];
                snprintf(pre, sizeof pre, "hoja «%.100s», fila %zu", hoja, num + 1);
                pmm_error_prefix(err, pre);
                rc = -1;
                break;
            }
        } else if (es(r, NS_TABLE, "table-row")) {
            if (saltar_hoja || fila.n == 0) {
                num += (size_t)rep_fila;
                ooxml_fila_liberar(&fila);
                continue;
            }
            if (rep_fila > MAX_REPETIDAS) {
                rc = pmm_error_set(err, OOXML_ERR_INVALIDO, "", "max_filas",
                                   "hoja «%s»: una fila con datos se repite %ld veces", hoja,
                                   rep_fila);
                break;
            }
            for (long i = 0; i < rep_fila && !detener; i++) {
                /* a repeated row is emitted again from a copy */
                ooxml_fila_buf copia = {0};
                for (size_t k = 0; i + 1 < rep_fila && k < fila.n && !detener; k++)
                    if (fila.celdas[k] && ooxml_fila_poner(&copia, k, fila.celdas[k],
                                                           strlen(fila.celdas[k]), err))
                        detener = -1;
                num++;
                int e = detener ? -1 : ooxml_fila_emitir(&fila, fn, user, hoja, num, err);
                ooxml_fila_liberar(&fila);
                fila = copia;
                if (e == 1)
                    saltar_hoja = 1;
                else if (e)
                    detener = e;
                if (saltar_hoja)
                    break;
            }
        }
    }
    if (detener < 0)
        rc = -1;
    xmlFree(c.tipo);
    xmlFree(c.valor);
    strbuf_free(&c.texto);
    ooxml_fila_liberar(&fila);
    ooxml_lector_cerrar(&l);
    return rc < 0 ? -1 : 0;
}
