/* ooxml.c -- what a package is, the document model, relationships, and the
 * helpers the readers share (see ooxml.h, ooxml_int.h). */
#include "ooxml.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ooxml_int.h"

int ooxml_oom(pmm_error *err)
{
    return pmm_error_set(err, OOXML_ERR_INTERNO, "", "memoria", "sin memoria");
}

const char *ooxml_tipo_nombre(ooxml_tipo tipo)
{
    switch (tipo) {
    case OOXML_DOCX: return "Word (.docx)";
    case OOXML_XLSX: return "Excel (.xlsx)";
    case OOXML_ODT: return "OpenDocument de texto (.odt)";
    case OOXML_ODS: return "OpenDocument de hoja de cálculo (.ods)";
    }
    return "desconocido";
}

static int macros(pmm_error *err, const char *donde)
{
    return pmm_error_set(err, OOXML_ERR_INVALIDO, "", "macros",
                         "el archivo contiene macros (%s): no se admiten archivos .docm, "
                         ".xlsm ni con código; guárdelo como .docx o .xlsx sin macros",
                         donde);
}

static int tipo_odf(ooxml_zip *z, ooxml_tipo *tipo, pmm_error *err)
{
    size_t len = 0;
    char *mt = ooxml_zip_leer(z, "mimetype", &len, err);
    if (!mt)
        return -1;
    while (len && (mt[len - 1] == '\n' || mt[len - 1] == '\r' || mt[len - 1] == ' '))
        mt[--len] = '\0';
    int rc = 0;
    if (!strcmp(mt, "application/vnd.oasis.opendocument.text") ||
        !strcmp(mt, "application/vnd.oasis.opendocument.text-template"))
        *tipo = OOXML_ODT;
    else if (!strcmp(mt, "application/vnd.oasis.opendocument.spreadsheet") ||
             !strcmp(mt, "application/vnd.oasis.opendocument.spreadsheet-template"))
        *tipo = OOXML_ODS;
    else
        rc = pmm_error_set(err, OOXML_ERR_INVALIDO, "", "formato",
                           "es un archivo OpenDocument de tipo «%.80s»; se admiten textos "
                           "(.odt) y hojas de cálculo (.ods)",
                           mt);
    free(mt);
    if (rc)
        return rc;
    for (size_t i = 0; i < ooxml_zip_entradas(z); i++) {
        const char *e = ooxml_zip_entrada(z, i);
        if (!strncmp(e, "Basic/", 6) || !strncmp(e, "Scripts/", 8))
            return macros(err, e);
    }
    return 0;
}

int ooxml_tipo_de(ooxml_zip *z, ooxml_tipo *tipo, pmm_error *err)
{
    if (ooxml_zip_tiene(z, "mimetype") && !ooxml_zip_tiene(z, "[Content_Types].xml"))
        return tipo_odf(z, tipo, err);
    if (!ooxml_zip_tiene(z, "[Content_Types].xml"))
        return pmm_error_set(err, OOXML_ERR_INVALIDO, "", "formato",
                             "es un archivo ZIP, pero no un documento de Word ni una hoja de "
                             "cálculo");
    for (size_t i = 0; i < ooxml_zip_entradas(z); i++) {
        const char *e = ooxml_zip_entrada(z, i);
        const char *base = strrchr(e, '/');
        base = base ? base + 1 : e;
        if (!strcasecmp(base, "vbaProject.bin") || !strcasecmp(base, "vbaData.xml"))
            return macros(err, e);
    }
    xmlDocPtr doc = ooxml_xml_doc(z, "[Content_Types].xml", err);
    if (!doc)
        return -1;
    int docx = 0, xlsx = 0, macro = 0, otro = 0;
    for (xmlNode *n = xmlDocGetRootElement(doc)->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        char *ct = ooxml_atributo(n, NULL, "ContentType");
        if (!ct)
            continue;
        if (strstr(ct, "macroEnabled") || strstr(ct, "vbaProject"))
            macro = 1;
        else if (strstr(ct, "wordprocessingml.document.main+xml") ||
                 strstr(ct, "wordprocessingml.template.main+xml"))
            docx = 1;
        else if (strstr(ct, "spreadsheetml.sheet.main+xml") ||
                 strstr(ct, "spreadsheetml.template.main+xml"))
            xlsx = 1;
        else if (strstr(ct, "presentationml.") && strstr(ct, ".main+xml"))
            otro = 1;
        xmlFree(ct);
    }
    xmlFreeDoc(doc);
    if (macro)
        return macros(err, "tipo de contenido con macros");
    if (docx && !xlsx) {
        *tipo = OOXML_DOCX;
        return 0;
    }
    if (xlsx && !docx) {
        *tipo = OOXML_XLSX;
        return 0;
    }
    return pmm_error_set(err, OOXML_ERR_INVALIDO, "", "formato",
                         otro ? "es una presentación (PowerPoint); se admiten documentos de "
                                "Word y hojas de cálculo"
                              : "no es un documento de Word ni una hoja de cálculo que se "
                                "pueda leer");
}

/* ---- document model ------------------------------------------------------ */

int ooxml_doc_tabla(ooxml_constructor *c, pmm_error *err)
{
    ooxml_documento *d = c->doc;
    ooxml_tabla *t = realloc(d->tablas, (d->ntablas + 1) * sizeof *t);
    if (!t)
        return ooxml_oom(err);
    d->tablas = t;
    memset(&t[d->ntablas++], 0, sizeof *t);
    return 0;
}

int ooxml_doc_fila(ooxml_constructor *c, pmm_error *err)
{
    ooxml_tabla *t = &c->doc->tablas[c->doc->ntablas - 1];
    ooxml_fila *f = realloc(t->filas, (t->n + 1) * sizeof *f);
    if (!f)
        return ooxml_oom(err);
    t->filas = f;
    memset(&f[t->n++], 0, sizeof *f);
    return 0;
}

static char *copia_recortada(const char *s, size_t len)
{
    while (len && (s[len - 1] == '\n' || s[len - 1] == '\r'))
        len--;
    char *out = malloc(len + 1);
    if (out) {
        memcpy(out, s, len);
        out[len] = '\0';
    }
    return out;
}

int ooxml_doc_celda(ooxml_constructor *c, const char *texto, size_t len, size_t columnas,
                    pmm_error *err)
{
    if (++c->celdas > OOXML_MAX_CELDAS)
        return pmm_error_set(err, OOXML_ERR_INVALIDO, "", "max_filas",
                             "el documento tiene más de %d celdas en sus tablas",
                             OOXML_MAX_CELDAS);
    ooxml_tabla *t = &c->doc->tablas[c->doc->ntablas - 1];
    ooxml_fila *f = &t->filas[t->n - 1];
    ooxml_celda *v = realloc(f->celdas, (f->n + 1) * sizeof *v);
    if (!v)
        return ooxml_oom(err);
    f->celdas = v;
    char *copia = copia_recortada(texto ? texto : "", texto ? len : 0);
    if (!copia)
        return ooxml_oom(err);
    v[f->n].texto = copia;
    v[f->n].columnas = columnas ? columnas : 1;
    f->n++;
    return 0;
}

int ooxml_doc_parrafo(ooxml_constructor *c, const char *texto, size_t len, pmm_error *err)
{
    size_t i = 0;
    while (i < len && (texto[i] == ' ' || texto[i] == '\t' || texto[i] == '\n'))
        i++;
    if (i == len)
        return 0;
    ooxml_documento *d = c->doc;
    char **v = realloc(d->parrafos, (d->nparrafos + 1) * sizeof *v);
    if (!v)
        return ooxml_oom(err);
    d->parrafos = v;
    if (!(v[d->nparrafos] = copia_recortada(texto, len)))
        return ooxml_oom(err);
    d->nparrafos++;
    return 0;
}

void ooxml_documento_liberar(ooxml_documento **doc_p)
{
    if (!doc_p || !*doc_p)
        return;
    ooxml_documento *d = *doc_p;
    for (size_t t = 0; t < d->ntablas; t++) {
        for (size_t f = 0; f < d->tablas[t].n; f++) {
            ooxml_fila *fi = &d->tablas[t].filas[f];
            for (size_t c = 0; c < fi->n; c++)
                free(fi->celdas[c].texto);
            free(fi->celdas);
        }
        free(d->tablas[t].filas);
    }
    free(d->tablas);
    for (size_t i = 0; i < d->nparrafos; i++)
        free(d->parrafos[i]);
    free(d->parrafos);
    free(d);
    *doc_p = NULL;
}

ooxml_documento *ooxml_documento_leer(ooxml_zip *z, ooxml_tipo tipo, pmm_error *err)
{
    if (tipo != OOXML_DOCX && tipo != OOXML_ODT) {
        pmm_error_set(err, OOXML_ERR_INVALIDO, "", "formato",
                      "se esperaba un documento de texto y es %s", ooxml_tipo_nombre(tipo));
        return NULL;
    }
    ooxml_constructor c = {.doc = calloc(1, sizeof(ooxml_documento))};
    if (!c.doc) {
        ooxml_oom(err);
        return NULL;
    }
    int rc = tipo == OOXML_DOCX ? ooxml_docx_leer(z, &c, err) : ooxml_odt_leer(z, &c, err);
    if (rc != 0) {
        ooxml_documento_liberar(&c.doc);
        return NULL;
    }
    return c.doc;
}

int ooxml_hoja_leer(ooxml_zip *z, ooxml_tipo tipo, ooxml_fila_fn fn, void *user,
                    pmm_error *err)
{
    if (tipo == OOXML_XLSX)
        return ooxml_xlsx_leer(z, fn, user, err);
    if (tipo == OOXML_ODS)
        return ooxml_ods_leer(z, fn, user, err);
    return pmm_error_set(err, OOXML_ERR_INVALIDO, "", "formato",
                         "se esperaba una hoja de cálculo y es %s", ooxml_tipo_nombre(tipo));
}

/* ---- relationships -------------------------------------------------------- */

/* dir of `parte` + target, with "." and ".." resolved; "/x" is absolute. */
static char *resolver(const char *parte, const char *target)
{
    strbuf b;
    strbuf_init(&b);
    if (target[0] == '/') {
        target++;
    } else {
        const char *slash = strrchr(parte, '/');
        if (slash)
            strbuf_append(&b, parte, (size_t)(slash - parte) + 1);
    }
    strbuf_puts(&b, target);
    if (strbuf_failed(&b))
        return NULL;
    /* normalise segments in place */
    char *s = b.data, *out = b.data;
    char *segs[64];
    size_t nseg = 0;
    char *tok = strtok(s, "/");
    while (tok) {
        if (!strcmp(tok, "..")) {
            if (nseg)
                nseg--;
        } else if (strcmp(tok, ".") && nseg < 64) {
            segs[nseg++] = tok;
        }
        tok = strtok(NULL, "/");
    }
    char *res = malloc(strlen(parte) + strlen(target) + 2);
    if (res) {
        res[0] = '\0';
        for (size_t i = 0; i < nseg; i++) {
            if (i)
                strcat(res, "/");
            strcat(res, segs[i]);
        }
    }
    (void)out;
    strbuf_free(&b);
    return res;
}

char *ooxml_relacion(ooxml_zip *z, const char *parte, const char *tipo, const char *id,
                     pmm_error *err)
{
    char rels[512];
    const char *slash = strrchr(parte, '/');
    if (!*parte)
        snprintf(rels, sizeof rels, "_rels/.rels");
    else if (slash)
        snprintf(rels, sizeof rels, "%.*s/_rels/%s.rels", (int)(slash - parte), parte,
                 slash + 1);
    else
        snprintf(rels, sizeof rels, "_rels/%s.rels", parte);
    if (!ooxml_zip_tiene(z, rels))
        return NULL;
    xmlDocPtr doc = ooxml_xml_doc(z, rels, err);
    if (!doc)
        return NULL;
    char *res = NULL;
    xmlNode *root = xmlDocGetRootElement(doc);
    for (xmlNode *n = root ? root->children : NULL; n && !res; n = n->next) {
        if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, "Relationship"))
            continue;
        char *t = ooxml_atributo(n, NULL, "Type");
        char *i = ooxml_atributo(n, NULL, "Id");
        char *target = ooxml_atributo(n, NULL, "Target");
        char *mode = ooxml_atributo(n, NULL, "TargetMode");
        int ok = target && !(mode && !strcmp(mode, "External"));
        if (ok && tipo && t) {
            size_t lt = strlen(t), lp = strlen(tipo);
            ok = lt >= lp && !strcmp(t + lt - lp, tipo);
        } else if (ok && id) {
            ok = i && !strcmp(i, id);
        } else {
            ok = 0;
        }
        if (ok)
            res = resolver(parte, target);
        xmlFree(t);
        xmlFree(i);
        xmlFree(target);
        xmlFree(mode);
    }
    xmlFreeDoc(doc);
    return res;
}

/* ---- values --------------------------------------------------------------- */

void ooxml_numero(strbuf *b, double v)
{
    if (!isfinite(v)) {
        strbuf_puts(b, "0");
        return;
    }
    if (v == floor(v) && fabs(v) < 1e15) {
        strbuf_printf(b, "%.0f", v);
        return;
    }
    char buf[64];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    strbuf_puts(b, buf);
}

void ooxml_fecha_serial(strbuf *b, double serial, int sistema_1904)
{
    long dias = (long)floor(serial);
    /* days from 1970-01-01: the 1900 system counts 1900-02-29, which never
     * existed, so serials from 61 on are one day ahead */
    long base = sistema_1904 ? 24107 : (dias >= 61 ? 25569 : 25568);
    long z = dias - base + 719468;   /* civil_from_days (H. Hinnant) */
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp + (mp < 10 ? 3 : -9);
    if (m <= 2)
        y++;
    strbuf_printf(b, "%04ld-%02ld-%02ld", y, m, d);
}

/* ---- spreadsheet rows ----------------------------------------------------- */

int ooxml_fila_poner(ooxml_fila_buf *f, size_t col, const char *texto, size_t len,
                     pmm_error *err)
{
    if (len == 0)
        return 0;
    if (col >= OOXML_MAX_COLUMNAS)
        return pmm_error_set(err, OOXML_ERR_INVALIDO, "", "max_columnas",
                             "hay datos en la columna %zu; se leen como máximo %d columnas",
                             col + 1, OOXML_MAX_COLUMNAS);
    if (len > OOXML_MAX_TEXTO_CELDA)
        return pmm_error_set(err, OOXML_ERR_INVALIDO, "", "max_tamano",
                             "una celda de la columna %zu tiene %zu bytes; el máximo es %u",
                             col + 1, len, OOXML_MAX_TEXTO_CELDA);
    if (!f->celdas && !(f->celdas = calloc(OOXML_MAX_COLUMNAS, sizeof *f->celdas)))
        return ooxml_oom(err);
    char *c = malloc(len + 1);
    if (!c)
        return ooxml_oom(err);
    memcpy(c, texto, len);
    c[len] = '\0';
    free(f->celdas[col]);
    f->celdas[col] = c;
    if (col + 1 > f->n)
        f->n = col + 1;
    return 0;
}

int ooxml_fila_emitir(ooxml_fila_buf *f, ooxml_fila_fn fn, void *user, const char *hoja,
                      size_t fila, pmm_error *err)
{
    if (f->n == 0)
        return 0;
    static char vacio[1];
    for (size_t i = 0; i < f->n; i++)
        if (!f->celdas[i])
            f->celdas[i] = vacio;
    int rc = fn(user, hoja, fila, f->celdas, f->n, err);
    for (size_t i = 0; i < f->n; i++) {
        if (f->celdas[i] != vacio)
            free(f->celdas[i]);
        f->celdas[i] = NULL;
    }
    f->n = 0;
    return rc;
}

void ooxml_fila_liberar(ooxml_fila_buf *f)
{
    if (f->celdas)
        for (size_t i = 0; i < OOXML_MAX_COLUMNAS; i++)
            free(f->celdas[i]);
    free(f->celdas);
    f->celdas = NULL;
    f->n = 0;
}
