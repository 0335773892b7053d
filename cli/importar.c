/* importar.c -- one file into a list of fichas (see importar.h). */
#include "importar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ficha_json.h"
#include "importar_int.h"
#include "ooxml.h"

void imp_lista_liberar(imp_lista *l)
{
    for (size_t i = 0; i < l->n; i++) {
        imp_ficha *f = &l->v[i];
        if (f->f)
            pmm__ficha__free_unpacked(f->f, NULL);
        json_decref(f->json);
        json_decref(f->propuestos);
        free(f->errs);
        free(f->hoja);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

json_t *imp_ficha_json(const imp_ficha *f)
{
    if (f->f)
        return ficha_to_json(f->f, 1);
    return f->json ? json_incref(f->json) : json_object();
}

int imp_lista_agregar(imp_lista *l, const imp_valores *v, const imp_opciones *o,
                      const char *unidad, size_t posicion, const char *hoja, pmm_error *err)
{
    if (l->n >= IMP_MAX_FICHAS)
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INVALID, "", "max_filas",
                             "el archivo tiene más de %d fichas: divídalo", IMP_MAX_FICHAS);
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        imp_ficha *nv = realloc(l->v, cap * sizeof *nv);
        if (!nv)
            return pmm_error_set(err, 7, "", "memoria", "sin memoria");
        l->v = nv;
        l->cap = cap;
    }
    imp_ficha *f = &l->v[l->n];
    memset(f, 0, sizeof *f);
    f->unidad = unidad;
    f->posicion = posicion;
    l->n++;
    if ((hoja && !(f->hoja = strdup(hoja))) || importar_ficha(v, o, f) != 0)
        return pmm_error_set(err, 7, "", "memoria", "sin memoria");
    return 0;
}

static int termina_en(const char *s, const char *ext)
{
    size_t n = strlen(s), m = strlen(ext);
    return n >= m && !strcasecmp(s + n - m, ext);
}

int importar_extension_admitida(const char *nombre)
{
    static const char *const ext[] = {".docx", ".xlsx", ".csv", ".odt", ".ods", ".docm",
                                      ".xlsm", ".doc", ".xls", NULL};
    for (size_t i = 0; ext[i]; i++)
        if (termina_en(nombre, ext[i]))
            return 1;
    return 0;
}

/* The first bytes: a ZIP or an OLE file goes to lib/ooxml, whatever the
 * name says. */
static int es_paquete(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 1;   /* ooxml_zip_abrir reports why */
    unsigned char m[4] = {0};
    size_t n = fread(m, 1, 4, f);
    fclose(f);
    return n >= 2 && ((m[0] == 'P' && m[1] == 'K') || (m[0] == 0xD0 && m[1] == 0xCF));
}

int importar_archivo(const char *path, const imp_opciones *o, imp_lista *out, pmm_error *err)
{
    memset(out, 0, sizeof *out);
    if (termina_en(path, ".docm") || termina_en(path, ".xlsm") || termina_en(path, ".dotm") ||
        termina_en(path, ".xltm"))
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INVALID, "", "macros",
                             "los archivos con macros (.docm, .xlsm) no se admiten: guárdelo "
                             "como .docx o .xlsx sin macros");
    int rc;
    if (!es_paquete(path) && termina_en(path, ".csv")) {
        imp_hoja *h = imp_hoja_new(o, out);
        if (!h)
            return pmm_error_set(err, 7, "", "memoria", "sin memoria");
        rc = importar_csv(path, imp_hoja_fila, h, err);
        if (!rc)
            rc = imp_hoja_fin(h, err);
        imp_hoja_destroy(&h);
    } else {
        ooxml_zip *z = ooxml_zip_abrir(path, err);
        if (!z)
            return -1;
        ooxml_tipo tipo;
        rc = ooxml_tipo_de(z, &tipo, err);
        if (!rc && (tipo == OOXML_DOCX || tipo == OOXML_ODT)) {
            ooxml_documento *doc = ooxml_documento_leer(z, tipo, err);
            rc = doc ? importar_documento(doc, o, out, err) : -1;
            ooxml_documento_liberar(&doc);
        } else if (!rc) {
            imp_hoja *h = imp_hoja_new(o, out);
            if (!h) {
                ooxml_zip_cerrar(&z);
                return pmm_error_set(err, 7, "", "memoria", "sin memoria");
            }
            rc = ooxml_hoja_leer(z, tipo, imp_hoja_fila, h, err);
            if (!rc)
                rc = imp_hoja_fin(h, err);
            imp_hoja_destroy(&h);
        }
        ooxml_zip_cerrar(&z);
    }
    if (rc)
        imp_lista_liberar(out);
    return rc ? -1 : 0;
}
