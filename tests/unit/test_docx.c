/* test_docx -- the Word writer (lib/ooxml/docx.h) read back by the reader
 * (lib/ooxml/ooxml.h): every call leaves what it should in the document.
 *
 * `test_docx ARCHIVO` writes the same document to ARCHIVO and exits: the
 * LibreOffice check (tests/ooxml/docx_pdf.sh) converts it to PDF. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "docx.h"
#include "ooxml.h"
#include "skiputil.h"

static const uint8_t PNG[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
    0x52, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x02, 0x00, 0x00, 0x00, 0xfd,
    0xd4, 0x9a, 0x73, 0x00, 0x00, 0x00, 0x13, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8,
    0xcf, 0xc0, 0xc0, 0x00, 0xc2, 0x0c, 0xff, 0x1b, 0x1a, 0x1a, 0x00, 0x1c, 0xf4, 0x04, 0x7e,
    0x29, 0x80, 0x40, 0xd8, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60,
    0x82};

/* A document with every kind of block. */
static docx *ejemplo(void)
{
    pmm_error err;
    pmm_error_clear(&err);
    docx *d = docx_new(&err);
    assert_non_null(d);
    assert_int_equal(docx_titulo(d, "Ficha técnica de prueba", &err), 0);
    assert_int_equal(docx_encabezado(d, 1, "Sección uno", &err), 0);
    assert_int_equal(docx_encabezado(d, 2, "Sección 1.1", &err), 0);
    assert_int_equal(docx_encabezado(d, 3, "Sección 1.1.1", &err), 0);
    assert_int_equal(docx_parrafo(d, NULL, "Primera línea\nsegunda línea <&> \"comillas\"", &err),
                     0);
    double anchos[3] = {5, 5.5, 5.5};
    assert_int_equal(docx_tabla_inicio(d, 3, anchos, &err), 0);
    docx_celda enc[3] = {{"Campo", NULL, 1, 1, 0}, {"Valor", NULL, 1, 1, 0},
                         {"Nota", NULL, 1, 1, 0}};
    assert_int_equal(docx_tabla_fila(d, enc, 3, 1, &err), 0);
    docx_celda fila[2] = {{"Nombre del programa", "Máximo 300 caracteres.", 1, 1, 0},
                          {"Módulos de información\nen la frontera sur", NULL, 0, 0, 2}};
    assert_int_equal(docx_tabla_fila(d, fila, 2, 0, &err), 0);
    docx_celda seccion[1] = {{"RESULTADOS ALCANZADOS", NULL, 1, 1, 3}};
    assert_int_equal(docx_tabla_fila(d, seccion, 1, 0, &err), 0);
    assert_int_equal(docx_tabla_fin(d, &err), 0);
    assert_int_equal(docx_imagen_png(d, PNG, sizeof PNG, 4, 4, "Un cuadro de prueba", &err), 0);
    assert_int_equal(docx_parrafo(d, "Caption", "Gráfica 1. Un cuadro de prueba", &err), 0);
    assert_int_equal(docx_salto_pagina(d, &err), 0);
    assert_int_equal(docx_tabla_inicio(d, 2, NULL, &err), 0);
    docx_celda otra[2] = {{"a\tb", NULL, 0, 0, 0}, {"ñandú", NULL, 0, 0, 0}};
    assert_int_equal(docx_tabla_fila(d, otra, 2, 0, &err), 0);
    assert_int_equal(docx_tabla_fin(d, &err), 0);
    assert_int_equal(docx_parrafo(d, NULL, "Fin del documento.", &err), 0);
    return d;
}

static ooxml_documento *leer(const uint8_t *bytes, size_t len)
{
    pmm_error err;
    pmm_error_clear(&err);
    ooxml_zip *z = ooxml_zip_de_memoria(bytes, len, &err);
    assert_non_null(z);
    ooxml_tipo tipo = 0;
    assert_int_equal(ooxml_tipo_de(z, &tipo, &err), 0);
    assert_int_equal(tipo, OOXML_DOCX);
    ooxml_documento *doc = ooxml_documento_leer(z, tipo, &err);
    if (!doc)
        print_message("%s\n", err.mensaje);
    assert_non_null(doc);
    ooxml_zip_cerrar(&z);
    return doc;
}

static void test_ida_y_vuelta(void **state)
{
    (void)state;
    docx *d = ejemplo();
    pmm_error err;
    pmm_error_clear(&err);
    size_t len = 0;
    uint8_t *bytes = docx_bytes(d, &len, &err);
    assert_non_null(bytes);
    ooxml_documento *doc = leer(bytes, len);
    assert_int_equal(doc->ntablas, 2);
    ooxml_tabla *t = &doc->tablas[0];
    assert_int_equal(t->n, 3);
    assert_int_equal(t->filas[0].n, 3);
    assert_string_equal(t->filas[0].celdas[0].texto, "Campo");
    assert_int_equal(t->filas[1].n, 2);
    /* the help text is the cell's second paragraph */
    assert_string_equal(t->filas[1].celdas[0].texto,
                        "Nombre del programa\nMáximo 300 caracteres.");
    assert_string_equal(t->filas[1].celdas[1].texto,
                        "Módulos de información\nen la frontera sur");
    assert_int_equal(t->filas[1].celdas[1].columnas, 2);
    assert_int_equal(t->filas[2].n, 1);
    assert_int_equal(t->filas[2].celdas[0].columnas, 3);
    assert_string_equal(doc->tablas[1].filas[0].celdas[0].texto, "a\tb");
    assert_string_equal(doc->tablas[1].filas[0].celdas[1].texto, "ñandú");
    /* paragraphs outside tables, line breaks as newlines */
    int visto_titulo = 0, visto_parrafo = 0, visto_fin = 0;
    for (size_t i = 0; i < doc->nparrafos; i++) {
        visto_titulo |= !strcmp(doc->parrafos[i], "Ficha técnica de prueba");
        visto_parrafo |=
            !strcmp(doc->parrafos[i], "Primera línea\nsegunda línea <&> \"comillas\"");
        visto_fin |= !strcmp(doc->parrafos[i], "Fin del documento.");
    }
    assert_true(visto_titulo && visto_parrafo && visto_fin);
    ooxml_documento_liberar(&doc);

    /* the same document gives the same bytes */
    size_t len2 = 0;
    uint8_t *bytes2 = docx_bytes(d, &len2, &err);
    assert_non_null(bytes2);
    assert_int_equal(len, len2);
    assert_memory_equal(bytes, bytes2, len);
    free(bytes);
    free(bytes2);
    docx_destroy(&d);
    assert_null(d);
}

static void test_errores(void **state)
{
    (void)state;
    pmm_error err;
    pmm_error_clear(&err);
    docx *d = docx_new(&err);
    assert_int_equal(docx_encabezado(d, 4, "x", &err), -1);
    assert_int_equal(docx_parrafo(d, NULL, "\xff\xfe", &err), -1);
    assert_string_equal(err.regla, "utf8");
    assert_int_equal(docx_tabla_fila(d, NULL, 0, 0, &err), -1);
    assert_int_equal(docx_tabla_inicio(d, 2, NULL, &err), 0);
    docx_celda una[1] = {{"sola", NULL, 0, 0, 0}};
    assert_int_equal(docx_tabla_fila(d, una, 1, 0, &err), -1);   /* spans 1 of 2 */
    assert_int_equal(docx_parrafo(d, NULL, "dentro", &err), -1);  /* table open */
    size_t len;
    assert_null(docx_bytes(d, &len, &err));
    assert_int_equal(docx_tabla_fin(d, &err), 0);
    assert_int_equal(docx_imagen_png(d, (const uint8_t *)"GIF89a..", 8, 1, 1, "x", &err), -1);
    /* a failed call left nothing behind: the document still reads */
    uint8_t *bytes = docx_bytes(d, &len, &err);
    assert_non_null(bytes);
    ooxml_documento *doc = leer(bytes, len);
    assert_int_equal(doc->ntablas, 1);
    assert_int_equal(doc->tablas[0].n, 0);
    ooxml_documento_liberar(&doc);
    free(bytes);
    docx_destroy(&d);
}

static void test_guardar(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_docx_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/informe.docx", dir);
    docx *d = ejemplo();
    pmm_error err;
    pmm_error_clear(&err);
    assert_int_equal(docx_guardar(d, path, &err), 0);
    ooxml_zip *z = ooxml_zip_abrir(path, &err);
    assert_non_null(z);
    assert_true(ooxml_zip_tiene(z, "word/media/imagen1.png"));
    assert_true(ooxml_zip_tiene(z, "word/footer1.xml"));
    ooxml_zip_cerrar(&z);
    /* no temporary file left beside it */
    char cmd[300];
    snprintf(cmd, sizeof cmd, "test $(ls -A %s | wc -l) -eq 1", dir);
    assert_int_equal(system(cmd), 0);
    /* a directory that does not exist: a Spanish error */
    assert_int_equal(docx_guardar(d, "/nonexistent/dir/x.docx", &err), -1);
    assert_non_null(strstr(err.mensaje, "no existe"));
    docx_destroy(&d);
    unlink(path);
    rmdir(dir);
}

int main(int argc, char **argv)
{
    if (argc == 2) {
        docx *d = ejemplo();
        pmm_error err;
        pmm_error_clear(&err);
        int rc = docx_guardar(d, argv[1], &err);
        if (rc)
            fprintf(stderr, "test_docx: %s\n", err.mensaje);
        docx_destroy(&d);
        return rc ? 1 : 0;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ida_y_vuelta),
        cmocka_unit_test(test_errores),
        cmocka_unit_test(test_guardar),
    };
    return test_exit_code(cmocka_run_group_tests(tests, NULL, NULL));
}
