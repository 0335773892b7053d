/* plantilla.c -- the Word form, the workbook and the CSV of the ficha (see
 * plantilla.h). */
#include "plantilla.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "docx.h"
#include "importar_campos.h"
#include "ooxml_zip.h"
#include "strbuf.h"

#define ERR_INTERNO 7
#define FILAS_CON_LISTAS 2000   /* data rows that get the drop-down lists */

/* The value at path ("a" or "a.b") of a ficha, as text into b; 0 if none. */
static int valor(const json_t *f, const char *ruta, strbuf *b)
{
    strbuf_reset(b);
    if (!f)
        return 0;
    const json_t *v;
    const char *dot = strchr(ruta, '.');
    if (dot) {
        char padre[32];
        snprintf(padre, sizeof padre, "%.*s", (int)(dot - ruta), ruta);
        v = json_object_get(json_object_get(f, padre), dot + 1);
    } else {
        v = json_object_get(f, ruta);
    }
    if (json_is_string(v))
        strbuf_puts(b, json_string_value(v));
    else if (json_is_integer(v))
        strbuf_printf(b, "%lld", (long long)json_integer_value(v));
    else
        return 0;
    return 1;
}

/* ---- Word ------------------------------------------------------------------- */

static int fila_campo(docx *d, const imp_campo *c, const json_t *ficha, const char *prefijo,
                      const char *ayuda, strbuf *b, pmm_error *err)
{
    if (!valor(ficha, c->ruta, b) && prefijo)
        strbuf_puts(b, prefijo);
    docx_celda celdas[2] = {
        {c->etiqueta, ayuda ? ayuda : c->ayuda, 1, 1, 0},
        {b->data ? b->data : "", NULL, 0, 0, 0},
    };
    return docx_tabla_fila(d, celdas, 2, 0, err);
}

static int fila_seccion(docx *d, imp_seccion s, int ejercicio, pmm_error *err)
{
    char etiqueta[160];
    imp_seccion_etiqueta(s, ejercicio, etiqueta, sizeof etiqueta);
    docx_celda c[1] = {{etiqueta, imp_seccion_ayuda(s), 1, 1, 2}};
    return docx_tabla_fila(d, c, 1, 0, err);
}

int plantilla_docx(const refdata *ref, int ejercicio, const char *ambito, const json_t *ficha,
                   const char *path, pmm_error *err)
{
    int estatal = ambito && !strcmp(ambito, "estatal");
    docx *d = docx_new(err);
    if (!d)
        return -1;
    strbuf b;
    strbuf_init(&b);
    char texto[640];
    snprintf(texto, sizeof texto,
             "Una ficha por programa, acción o buena práctica (sin límite de fichas). Llene la "
             "columna de la derecha; cada rubro admite hasta 180 palabras. Alinee la acción a un "
             "solo objetivo del PMM (anexo). Los resultados son solo del periodo de junio de %d a "
             "junio de %d. Los datos de contacto son privados: solo la Unidad los usa.",
             ejercicio - 1, ejercicio);
    double anchos[2] = {6.0, 10.0};
    int rc = docx_titulo(d,
                         "Ficha técnica de programas, acciones y buenas prácticas alineadas a "
                         "los objetivos del PMM",
                         err);
    if (!rc)
        rc = docx_parrafo(d, NULL, texto, err);
    if (!rc)
        rc = docx_tabla_inicio(d, 2, anchos, err);
    /* the general data: order of the form; a state's form asks for the
     * state first */
    static const char *const generales_federal[] = {"clave", "ejercicio", "ambito",
                                                    "dependencia", "entidad", "unidad",
                                                    "programa", "objetivo_pmm", NULL};
    static const char *const generales_estatal[] = {"clave", "ejercicio", "ambito",
                                                    "entidad", "dependencia", "unidad",
                                                    "programa", "objetivo_pmm", NULL};
    const char *const *generales = estatal ? generales_estatal : generales_federal;
    char anio[16];
    snprintf(anio, sizeof anio, "%d", ejercicio);
    for (size_t i = 0; !rc && generales[i]; i++) {
        const imp_campo *c = imp_campo_ruta(generales[i]);
        const char *pre = NULL;
        if (!strcmp(c->ruta, "ejercicio"))
            pre = anio;
        else if (!strcmp(c->ruta, "ambito"))
            pre = estatal ? "estatal" : "federal";
        rc = fila_campo(d, c, ficha, pre, NULL, &b, err);
    }
    imp_seccion secciones[3] = {SEC_DESCRIPCION, SEC_RESULTADOS, SEC_CONTACTO};
    for (int s = 0; s < 3 && !rc; s++) {
        if (secciones[s] == SEC_CONTACTO)   /* retos sits between results and contact */
            rc = fila_campo(d, imp_campo_ruta("retos"), ficha, NULL, NULL, &b, err);
        if (!rc)
            rc = fila_seccion(d, secciones[s], ejercicio, err);
        for (size_t i = 0; !rc && i < imp_campos_n(); i++) {
            const imp_campo *c = imp_campo_at(i);
            if (c->seccion == secciones[s])
                rc = fila_campo(d, c, ficha, NULL, NULL, &b, err);
        }
    }
    if (!rc)
        rc = fila_campo(d, imp_campo_ruta("reemplaza"), ficha, NULL, NULL, &b, err);
    if (!rc)
        rc = docx_tabla_fin(d, err);
    /* the annex: the 23 objectives */
    if (!rc)
        rc = docx_salto_pagina(d, err);
    if (!rc)
        rc = docx_encabezado(d, 1, "Anexo. Los 23 objetivos del Pacto Mundial para la Migración",
                             err);
    double anchos_anexo[2] = {1.5, 14.5};
    if (!rc)
        rc = docx_tabla_inicio(d, 2, anchos_anexo, err);
    docx_celda enc[2] = {{"Núm.", NULL, 1, 1, 0}, {"Objetivo", NULL, 1, 1, 0}};
    if (!rc)
        rc = docx_tabla_fila(d, enc, 2, 1, err);
    for (int o = 1; o <= REF_OBJETIVOS && !rc; o++) {
        char num[8];
        snprintf(num, sizeof num, "%d", o);
        docx_celda c[2] = {{num, NULL, 0, 0, 0},
                           {refdata_objetivo_titulo(ref, o), NULL, 0, 0, 0}};
        rc = docx_tabla_fila(d, c, 2, 0, err);
    }
    if (!rc)
        rc = docx_tabla_fin(d, err);
    if (!rc)
        rc = docx_guardar(d, path, err);
    strbuf_free(&b);
    docx_destroy(&d);
    return rc;
}

/* ---- workbook --------------------------------------------------------------- */

static int xlsx_error(lxw_error e, pmm_error *err)
{
    if (e == LXW_ERROR_CREATING_XLSX_FILE || e == LXW_ERROR_CREATING_TMPFILE)
        return pmm_error_set(err, ERR_INTERNO, "", "archivo",
                             "no se pudo escribir el libro de Excel (¿existe el directorio y "
                             "se puede escribir en él?)");
    if (e == LXW_ERROR_MEMORY_MALLOC_FAILED)
        return pmm_error_set(err, ERR_INTERNO, "", "memoria", "sin memoria");
    return pmm_error_set(err, ERR_INTERNO, "", "xlsx",
                         "no se pudo escribir el libro de Excel (libxlsxwriter, error %d)",
                         (int)e);
}

static int tmp_path(const char *path, char *tmp, size_t cap, pmm_error *err)
{
    int n = snprintf(tmp, cap, "%s.tmp-%ld", path, (long)getpid());
    if (n < 0 || (size_t)n >= cap)
        return pmm_error_set(err, ERR_INTERNO, "", "archivo", "ruta demasiado larga: %s", path);
    return 0;
}

static int renombrar(const char *tmp, const char *path, pmm_error *err)
{
    if (rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return pmm_error_set(err, ERR_INTERNO, "", "archivo", "no se puede escribir %s: %s",
                             path, ooxml_errno_texto(e));
    }
    return 0;
}

static void listas(lxw_workbook *wb, lxw_worksheet *datos, const refdata *ref,
                   const int *col_de, lxw_format *negrita)
{
    lxw_worksheet *ls = workbook_add_worksheet(wb, "listas");
    worksheet_write_string(ls, 0, 0, "objetivo_pmm", negrita);
    worksheet_write_string(ls, 0, 1, "entidad", negrita);
    worksheet_set_column(ls, 0, 0, 60, NULL);
    worksheet_set_column(ls, 1, 1, 30, NULL);
    char buf[400];
    for (int o = 1; o <= REF_OBJETIVOS; o++) {
        snprintf(buf, sizeof buf, "%d. %s", o, refdata_objetivo_titulo(ref, o));
        worksheet_write_string(ls, (lxw_row_t)o, 0, buf, NULL);
    }
    for (int e = 1; e <= REF_ENTIDADES; e++)
        worksheet_write_string(ls, (lxw_row_t)e, 1, refdata_entidad_nombre(ref, e), NULL);
    lxw_data_validation v;
    /* every list as a formula: libxlsxwriter 1.1.4 leaks the string it
     * builds from a value_list */
    struct {
        const char *ruta;
        const char *formula;
        const char *ayuda;
    } val[] = {
        {"ambito", "\"federal,estatal\"", "federal o estatal"},
        {"descripcion.temporalidad", "\"permanente,temporal\"", "permanente o temporal"},
        {"objetivo_pmm", "=listas!$A$2:$A$24", "un solo objetivo, de 1 a 23"},
        {"entidad", "=listas!$B$2:$B$33", "nombre de la entidad o clave INEGI"},
    };
    for (size_t i = 0; i < sizeof val / sizeof val[0]; i++) {
        const imp_campo *c = imp_campo_ruta(val[i].ruta);
        int col = -1;
        for (size_t k = 0; k < imp_campos_n(); k++)
            if (imp_campo_at(k) == c)
                col = col_de[k];
        if (col < 0)
            continue;
        memset(&v, 0, sizeof v);
        v.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
        v.value_formula = (char *)val[i].formula;
        v.input_message = (char *)val[i].ayuda;
        /* warn, do not stop: "7. Abordar..." typed by hand is accepted too */
        v.error_type = LXW_VALIDATION_ERROR_TYPE_WARNING;
        v.error_message = (char *)"Valor fuera de la lista; el importador lo revisará.";
        worksheet_data_validation_range(datos, 2, (lxw_col_t)col, FILAS_CON_LISTAS + 1,
                                        (lxw_col_t)col, &v);
    }
}

static void instrucciones(lxw_workbook *wb, lxw_format *negrita, lxw_format *ajuste)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "instrucciones");
    worksheet_set_column(ws, 0, 0, 30, NULL);
    worksheet_set_column(ws, 1, 1, 45, NULL);
    worksheet_set_column(ws, 2, 2, 90, ajuste);
    static const char *const texto[] = {
        "Una fila por programa, acción o buena práctica, debajo de los encabezados de la hoja "
        "«fichas». No cambie la fila de encabezados (los nombres de los campos).",
        "Cada texto admite hasta 180 palabras. Un solo objetivo del PMM por ficha.",
        "Los resultados son solo del periodo de junio del año anterior a junio del ejercicio, "
        "sin series históricas.",
        "Los datos de contacto son privados: solo la Unidad los usa para aclaraciones.",
        "Deje la clave vacía la primera vez: pmm importar asigna una y la informa. Para "
        "corregir una ficha, escriba su clave y la versión que corrige.",
        NULL};
    lxw_row_t r = 0;
    for (size_t i = 0; texto[i]; i++)
        worksheet_write_string(ws, r++, 0, texto[i], NULL);
    r++;
    worksheet_write_string(ws, r, 0, "Campo", negrita);
    worksheet_write_string(ws, r, 1, "Etiqueta", negrita);
    worksheet_write_string(ws, r++, 2, "Instrucciones", negrita);
    for (size_t i = 0; i < imp_campos_n(); i++) {
        const imp_campo *c = imp_campo_at(i);
        worksheet_write_string(ws, r, 0, c->ruta, NULL);
        worksheet_write_string(ws, r, 1, c->etiqueta, NULL);
        const char *ayuda = c->ayuda;
        if (!ayuda && c->seccion != SEC_NINGUNA)
            ayuda = imp_seccion_ayuda(c->seccion);
        worksheet_write_string(ws, r++, 2, ayuda ? ayuda : "", ajuste);
    }
}

int plantilla_xlsx(const refdata *ref, int ejercicio, const char *ambito,
                   json_t *const *fichas, size_t n, int constante, const char *path,
                   pmm_error *err)
{
    (void)ejercicio;
    (void)ambito;
    char tmp[PATH_MAX];
    if (tmp_path(path, tmp, sizeof tmp, err))
        return -1;
    lxw_workbook_options opt = {.constant_memory = (uint8_t)(constante ? 1 : 0)};
    lxw_workbook *wb = workbook_new_opt(tmp, &opt);
    if (!wb)
        return pmm_error_set(err, ERR_INTERNO, "", "memoria", "sin memoria");
    lxw_worksheet *ws = workbook_add_worksheet(wb, "fichas");
    lxw_format *negrita = workbook_add_format(wb);
    format_set_bold(negrita);
    format_set_text_wrap(negrita);
    format_set_bg_color(negrita, 0xDCE3EE);
    lxw_format *ruta = workbook_add_format(wb);
    format_set_font_color(ruta, 0x595959);
    format_set_italic(ruta);
    lxw_format *texto = workbook_add_format(wb);
    format_set_num_format(texto, "@");   /* dates and claves stay text */
    lxw_format *ajuste = workbook_add_format(wb);
    format_set_text_wrap(ajuste);
    int col_de[64];
    size_t nc = imp_campos_n();
    for (size_t i = 0; i < nc; i++) {
        const imp_campo *c = imp_campo_at(i);
        col_de[i] = (int)i;
        double ancho = c->tipo == TIPO_TEXTO ? 50 : c->tipo == TIPO_ENTERO ? 14 : 24;
        worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, ancho,
                             c->tipo == TIPO_ENTERO || c->tipo == TIPO_OBJETIVO ? NULL : texto);
    }
    worksheet_set_row(ws, 0, 45, NULL);
    for (size_t i = 0; i < nc; i++) {
        worksheet_write_string(ws, 0, (lxw_col_t)i, imp_campo_at(i)->etiqueta, negrita);
        worksheet_write_string(ws, 1, (lxw_col_t)i, imp_campo_at(i)->ruta, ruta);
    }
    worksheet_freeze_panes(ws, 2, 0);
    strbuf b;
    strbuf_init(&b);
    lxw_error e = LXW_NO_ERROR;
    for (size_t r = 0; r < n && e == LXW_NO_ERROR; r++)
        for (size_t i = 0; i < nc && e == LXW_NO_ERROR; i++) {
            const imp_campo *c = imp_campo_at(i);
            if (!valor(fichas[r], c->ruta, &b))
                continue;
            const json_t *v = NULL;
            const char *dot = strchr(c->ruta, '.');
            if (!dot)
                v = json_object_get(fichas[r], c->ruta);
            if (json_is_integer(v) || (dot && (c->tipo == TIPO_ENTERO)))
                e = worksheet_write_number(ws, (lxw_row_t)(r + 2), (lxw_col_t)i,
                                           strtod(b.data, NULL), NULL);
            else
                e = worksheet_write_string(ws, (lxw_row_t)(r + 2), (lxw_col_t)i, b.data, NULL);
        }
    strbuf_free(&b);
    if (e == LXW_NO_ERROR) {
        listas(wb, ws, ref, col_de, negrita);
        instrucciones(wb, negrita, ajuste);
    }
    lxw_error c = workbook_close(wb);
    if (e == LXW_NO_ERROR)
        e = c;
    if (e != LXW_NO_ERROR) {
        unlink(tmp);
        return xlsx_error(e, err);
    }
    return renombrar(tmp, path, err);
}

/* ---- CSV -------------------------------------------------------------------- */

static void csv_campo(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\n\r;")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

int plantilla_csv(json_t *const *fichas, size_t n, const char *path, pmm_error *err)
{
    char tmp[PATH_MAX];
    if (tmp_path(path, tmp, sizeof tmp, err))
        return -1;
    FILE *f = fopen(tmp, "w");
    if (!f)
        return pmm_error_set(err, ERR_INTERNO, "", "archivo", "no se puede escribir %s: %s",
                             path, ooxml_errno_texto(errno));
    fputs("\xEF\xBB\xBF", f);   /* so that Excel reads it as UTF-8 */
    size_t nc = imp_campos_n();
    for (size_t i = 0; i < nc; i++) {
        if (i)
            fputc(',', f);
        fputs(imp_campo_at(i)->ruta, f);
    }
    fputs("\r\n", f);
    strbuf b;
    strbuf_init(&b);
    for (size_t r = 0; r < n; r++) {
        for (size_t i = 0; i < nc; i++) {
            if (i)
                fputc(',', f);
            if (valor(fichas[r], imp_campo_at(i)->ruta, &b))
                csv_campo(f, b.data);
        }
        fputs("\r\n", f);
    }
    strbuf_free(&b);
    int e = ferror(f) ? EIO : 0;
    if (fclose(f) != 0 && !e)
        e = errno;
    if (e) {
        unlink(tmp);
        return pmm_error_set(err, ERR_INTERNO, "", "archivo", "no se puede escribir %s: %s",
                             path, ooxml_errno_texto(e));
    }
    return renombrar(tmp, path, err);
}
