/* xlsx_leer.c -- the rows of a SpreadsheetML workbook, streamed (see
 * ooxml.h). The workbook, its relationships and its styles are small and
 * read as trees; the shared strings and each worksheet are read node by
 * node, so a long sheet costs the memory of one row (plus the shared
 * strings, which the file's size limits bound). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ooxml_int.h"

static const char *const NS_S[] = {"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                                   "http://purl.oclc.org/ooxml/spreadsheetml/main", NULL};
#define MAX_HOJAS 64
#define MAX_ESTILOS 65536

typedef struct {
    char **s;
    size_t n, cap;
} cadenas;

typedef struct {
    char nombre[128];
    char *parte;
} hoja;

static void cadenas_liberar(cadenas *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->s[i]);
    free(c->s);
}

static int es_s(xmlTextReaderPtr r, const char *local)
{
    const char *ln = (const char *)xmlTextReaderConstLocalName(r);
    const char *ns = (const char *)xmlTextReaderConstNamespaceUri(r);
    if (!ln || strcmp(ln, local))
        return 0;
    for (const char *const *p = NS_S; *p; p++)
        if (ns && !strcmp(ns, *p))
            return 1;
    return 0;
}

static int leer_cadenas(ooxml_zip *z, const char *parte, cadenas *c, pmm_error *err)
{
    ooxml_lector *l = ooxml_lector_abrir(z, parte, err);
    if (!l)
        return -1;
    xmlTextReaderPtr r = ooxml_lector_xml(l);
    strbuf b;
    strbuf_init(&b);
    int en_si = 0, en_t = 0, en_rph = 0, rc;
    while ((rc = ooxml_lector_siguiente(l, err)) == 1) {
        int tipo = xmlTextReaderNodeType(r);
        int vacio = xmlTextReaderIsEmptyElement(r);
        if (tipo == XML_READER_TYPE_ELEMENT) {
            if (es_s(r, "si")) {
                strbuf_reset(&b);
                en_si = !vacio;
                if (vacio)
                    goto agregar;
            } else if (es_s(r, "t") && en_si && !vacio) {
                en_t = 1;
            } else if (es_s(r, "rPh") && !vacio) {
                en_rph = 1;
            }
            continue;
        }
        if (tipo == XML_READER_TYPE_TEXT || tipo == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
            tipo == XML_READER_TYPE_CDATA) {
            if (en_t && !en_rph) {
                const char *v = (const char *)xmlTextReaderConstValue(r);
                if (v)
                    strbuf_puts(&b, v);
            }
            continue;
        }
        if (tipo != XML_READER_TYPE_END_ELEMENT)
            continue;
        if (es_s(r, "t")) {
            en_t = 0;
            continue;
        }
        if (es_s(r, "rPh")) {
            en_rph = 0;
            continue;
        }
        if (!es_s(r, "si"))
            continue;
        en_si = 0;
agregar:
        if (strbuf_failed(&b)) {
            rc = ooxml_oom(err);
            break;
        }
        if (c->n == c->cap) {
            size_t cap = c->cap ? c->cap * 2 : 1024;
            char **v = realloc(c->s, cap * sizeof *v);
            if (!v) {
                rc = ooxml_oom(err);
                break;
            }
            c->s = v;
            c->cap = cap;
        }
        if (!(c->s[c->n] = strdup(b.data ? b.data : ""))) {
            rc = ooxml_oom(err);
            break;
        }
        c->n++;
    }
    strbuf_free(&b);
    ooxml_lector_cerrar(&l);
    return rc < 0 ? -1 : 0;
}

/* Built-in number formats that are dates (ECMA-376 18.8.30). */
static int formato_fecha_id(long id)
{
    return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
           (id >= 50 && id <= 58);
}

static int codigo_fecha(const char *code)
{
    int comillas = 0, corchete = 0;
    for (const char *p = code; *p; p++) {
        char ch = *p;
        if (ch == '"')
            comillas = !comillas;
        else if (comillas)
            continue;
        else if (ch == '\\' && p[1])
            p++;
        else if (ch == '[')
            corchete = 1;
        else if (ch == ']')
            corchete = 0;
        else if (!corchete && (ch == 'd' || ch == 'D' || ch == 'y' || ch == 'Y'))
            return 1;
    }
    return 0;
}

/* es_fecha[i]: cell style i shows a date. */
static int leer_estilos(ooxml_zip *z, const char *parte, unsigned char **es_fecha, size_t *n,
                        pmm_error *err)
{
    xmlDocPtr doc = ooxml_xml_doc(z, parte, err);
    if (!doc)
        return -1;
    long fechas[512];
    size_t nfechas = 0;
    const xmlNode *root = xmlDocGetRootElement(doc);
    for (const xmlNode *k = root ? root->children : NULL; k; k = k->next)
        if (ooxml_es(k, NS_S, "numFmts"))
            for (const xmlNode *f = k->children; f; f = f->next) {
                if (!ooxml_es(f, NS_S, "numFmt"))
                    continue;
                char *id = ooxml_atributo(f, NULL, "numFmtId");
                char *code = ooxml_atributo(f, NULL, "formatCode");
                if (id && code && codigo_fecha(code) && nfechas < 512)
                    fechas[nfechas++] = strtol(id, NULL, 10);
                xmlFree(id);
                xmlFree(code);
            }
    int rc = 0;
    for (const xmlNode *k = root ? root->children : NULL; k && !rc; k = k->next) {
        if (!ooxml_es(k, NS_S, "cellXfs"))
            continue;
        for (const xmlNode *x = k->children; x; x = x->next) {
            if (!ooxml_es(x, NS_S, "xf"))
                continue;
            if (*n >= MAX_ESTILOS)
                break;
            unsigned char *v = realloc(*es_fecha, *n + 1);
            if (!v) {
                rc = ooxml_oom(err);
                break;
            }
            *es_fecha = v;
            char *id = ooxml_atributo(x, NULL, "numFmtId");
            long fid = id ? strtol(id, NULL, 10) : 0;
            xmlFree(id);
            int fecha = formato_fecha_id(fid);
            for (size_t i = 0; i < nfechas && !fecha; i++)
                fecha = fechas[i] == fid;
            v[(*n)++] = (unsigned char)fecha;
        }
    }
    xmlFreeDoc(doc);
    return rc;
}

static int leer_libro(ooxml_zip *z, const char *libro, hoja *hojas, size_t *nhojas,
                      int *sistema_1904, pmm_error *err)
{
    xmlDocPtr doc = ooxml_xml_doc(z, libro, err);
    if (!doc)
        return -1;
    int rc = 0;
    const xmlNode *root = xmlDocGetRootElement(doc);
    for (const xmlNode *k = root ? root->children : NULL; k && !rc; k = k->next) {
        if (ooxml_es(k, NS_S, "workbookPr")) {
            char *v = ooxml_atributo(k, NULL, "date1904");
            *sistema_1904 = v && (!strcmp(v, "1") || !strcmp(v, "true"));
            xmlFree(v);
        }
        if (!ooxml_es(k, NS_S, "sheets"))
            continue;
        for (const xmlNode *s = k->children; s && !rc; s = s->next) {
            if (!ooxml_es(s, NS_S, "sheet") || *nhojas >= MAX_HOJAS)
                continue;
            char *nombre = ooxml_atributo(s, NULL, "name");
            char *id = ooxml_atributo(s, OOXML_NS_REL_DOC, "id");
            if (!id)
                id = ooxml_atributo(s, OOXML_NS_REL_DOC_STRICT, "id");
            if (id) {
                pmm_error e;
                pmm_error_clear(&e);
                char *parte = ooxml_relacion(z, libro, NULL, id, &e);
                if (parte) {
                    hoja *h = &hojas[(*nhojas)++];
                    snprintf(h->nombre, sizeof h->nombre, "%s", nombre ? nombre : "");
                    h->parte = parte;
                } else if (e.regla[0]) {
                    *err = e;
                    rc = -1;
                }
            }
            xmlFree(nombre);
            xmlFree(id);
        }
    }
    xmlFreeDoc(doc);
    return rc;
}

/* Column index from a reference such as "AB12" (0-based), or -1. */
static long columna(const char *ref)
{
    long c = 0;
    int letras = 0;
    for (; *ref >= 'A' && *ref <= 'Z'; ref++, letras++) {
        c = c * 26 + (*ref - 'A' + 1);
        if (c > 100000)
            return -1;
    }
    return letras ? c - 1 : -1;
}

typedef struct {
    const cadenas *cad;
    const unsigned char *es_fecha;
    size_t nestilos;
    int sistema_1904;
    ooxml_fila_fn fn;
    void *user;
} contexto;

static char *atributo(xmlTextReaderPtr r, const char *nombre)
{
    return (char *)xmlTextReaderGetAttribute(r, (const xmlChar *)nombre);
}

static int valor_celda(const contexto *cx, const char *t, long estilo, const strbuf *v,
                       strbuf *out, pmm_error *err)
{
    const char *s = v->data ? v->data : "";
    strbuf_reset(out);
    if (!t || !strcmp(t, "n")) {
        if (!*s)
            return 0;
        char *end;
        double d = strtod(s, &end);
        if (end == s) {
            strbuf_puts(out, s);
        } else if (estilo >= 0 && (size_t)estilo < cx->nestilos && cx->es_fecha[estilo] &&
                   d >= 1 && d < 2958466) {
            ooxml_fecha_serial(out, d, cx->sistema_1904);
        } else {
            ooxml_numero(out, d);
        }
    } else if (!strcmp(t, "s")) {
        char *end;
        long i = strtol(s, &end, 10);
        if (end == s || i < 0 || (size_t)i >= cx->cad->n)
            return pmm_error_set(err, OOXML_ERR_MALFORMADO, "", "xml",
                                 "una celda remite a la cadena compartida %s, que no existe",
                                 s);
        strbuf_puts(out, cx->cad->s[i]);
    } else if (!strcmp(t, "b")) {
        strbuf_puts(out, !strcmp(s, "1") ? "VERDADERO" : "FALSO");
    } else if (!strcmp(t, "d")) {
        strbuf_append(out, s, strlen(s) >= 10 && s[4] == '-' ? 10 : strlen(s));
    } else {
        strbuf_puts(out, s);   /* str, inlineStr, e */
    }
    return strbuf_failed(out) ? ooxml_oom(err) : 0;
}

static int leer_hoja(ooxml_zip *z, const hoja *h, const contexto *cx, pmm_error *err)
{
    ooxml_lector *l = ooxml_lector_abrir(z, h->parte, err);
    if (!l)
        return -1;
    xmlTextReaderPtr r = ooxml_lector_xml(l);
    ooxml_fila_buf fila = {0};
    strbuf v, out;
    strbuf_init(&v);
    strbuf_init(&out);
    size_t num = 0, sig_col = 0;
    long col = 0, estilo = -1;
    char *t = NULL;
    int en_c = 0, en_v = 0, en_t = 0, en_rph = 0, rc, detener = 0;
    while (!detener && (rc = ooxml_lector_siguiente(l, err)) == 1) {
        int tipo = xmlTextReaderNodeType(r);
        if (tipo == XML_READER_TYPE_ELEMENT) {
            int vacio = xmlTextReaderIsEmptyElement(r);
            if (es_s(r, "row")) {
                int e = ooxml_fila_emitir(&fila, cx->fn, cx->user, h->nombre, num, err);
                if (e)
                    detener = e;
                char *rn = atributo(r, "r");
                size_t n = rn ? (size_t)strtoul(rn, NULL, 10) : 0;
                xmlFree(rn);
                num = n > 0 ? n : num + 1;
                sig_col = 0;
            } else if (es_s(r, "c") && num > 0) {   /* a cell outside a row is ignored */
                char *ref = atributo(r, "r");
                col = ref ? columna(ref) : (long)sig_col;
                xmlFree(ref);
                if (col < 0)
                    col = (long)sig_col;
                sig_col = (size_t)col + 1;
                xmlFree(t);
                t = atributo(r, "t");
                char *s = atributo(r, "s");
                estilo = s ? strtol(s, NULL, 10) : -1;
                xmlFree(s);
                strbuf_reset(&v);
                en_c = !vacio;
            } else if (en_c && es_s(r, "v") && !vacio) {
                en_v = 1;
            } else if (en_c && es_s(r, "t") && !vacio) {
                en_t = 1;
            } else if (en_c && es_s(r, "rPh") && !vacio) {
                en_rph = 1;
            }
            continue;
        }
        if (tipo == XML_READER_TYPE_TEXT || tipo == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
            tipo == XML_READER_TYPE_CDATA) {
            if (en_v || (en_t && !en_rph)) {
                const char *s = (const char *)xmlTextReaderConstValue(r);
                if (s)
                    strbuf_puts(&v, s);
                if (v.len > OOXML_MAX_TEXTO_CELDA) {
                    rc = pmm_error_set(err, OOXML_ERR_INVALIDO, "", "max_tamano",
                                       "hoja «%s», fila %zu: una celda pasa de %u bytes",
                                       h->nombre, num, OOXML_MAX_TEXTO_CELDA);
                    break;
                }
            }
            continue;
        }
        if (tipo != XML_READER_TYPE_END_ELEMENT)
            continue;
        if (es_s(r, "v")) {
            en_v = 0;
        } else if (es_s(r, "t")) {
            en_t = 0;
        } else if (es_s(r, "rPh")) {
            en_rph = 0;
        } else if (es_s(r, "c") && en_c) {
            en_c = 0;
            if (valor_celda(cx, t, estilo, &v, &out, err) != 0 ||
                ooxml_fila_poner(&fila, (size_t)col, out.data ? out.data : "", out.len,
                                 err) != 0) {
                char pre[200];
                snprintf(pre, sizeof pre, "hoja «%.100s», fila %zu", h->nombre, num);
                pmm_error_prefix(err, pre);
                rc = -1;
                break;
            }
        } else if (es_s(r, "row")) {
            int e = ooxml_fila_emitir(&fila, cx->fn, cx->user, h->nombre, num, err);
            if (e)
                detener = e;
        } else if (es_s(r, "sheetData")) {
            break;
        }
    }
    if (rc >= 0 && !detener)
        detener = ooxml_fila_emitir(&fila, cx->fn, cx->user, h->nombre, num, err);
    if (detener < 0)
        rc = -1;
    if (rc == -1 && strbuf_failed(&v))
        ooxml_oom(err);
    xmlFree(t);
    strbuf_free(&v);
    strbuf_free(&out);
    ooxml_fila_liberar(&fila);
    ooxml_lector_cerrar(&l);
    return rc < 0 ? -1 : 0;
}

int ooxml_xlsx_leer(ooxml_zip *z, ooxml_fila_fn fn, void *user, pmm_error *err)
{
    pmm_error e;
    pmm_error_clear(&e);
    char *libro = ooxml_relacion(z, "", "/officeDocument", NULL, &e);
    if (!libro && e.regla[0]) {
        *err = e;
        return -1;
    }
    if (!libro && !(libro = strdup("xl/workbook.xml")))
        return ooxml_oom(err);
    hoja hojas[MAX_HOJAS];
    size_t nhojas = 0;
    cadenas cad = {0};
    unsigned char *es_fecha = NULL;
    size_t nestilos = 0;
    int sistema_1904 = 0, rc = leer_libro(z, libro, hojas, &nhojas, &sistema_1904, err);
    char *parte = NULL;
    if (!rc) {
        parte = ooxml_relacion(z, libro, "/sharedStrings", NULL, &e);
        if (parte)
            rc = leer_cadenas(z, parte, &cad, err);
        else if (e.regla[0])
            *err = e, rc = -1;
        free(parte);
    }
    if (!rc) {
        parte = ooxml_relacion(z, libro, "/styles", NULL, &e);
        if (parte)
            rc = leer_estilos(z, parte, &es_fecha, &nestilos, err);
        else if (e.regla[0])
            *err = e, rc = -1;
        free(parte);
    }
    if (!rc && nhojas == 0)
        rc = pmm_error_set(err, OOXML_ERR_MALFORMADO, "", "formato",
                           "el libro de Excel no tiene hojas");
    contexto cx = {.cad = &cad, .es_fecha = es_fecha, .nestilos = nestilos,
                   .sistema_1904 = sistema_1904, .fn = fn, .user = user};
    for (size_t i = 0; i < nhojas && !rc; i++)
        rc = leer_hoja(z, &hojas[i], &cx, err);
    for (size_t i = 0; i < nhojas; i++)
        free(hojas[i].parte);
    cadenas_liberar(&cad);
    free(es_fecha);
    free(libro);
    return rc;
}
