/* fuzz_ooxml -- libFuzzer harness for the Word/Excel/OpenDocument reader
 * (lib/ooxml).
 *
 * The first byte chooses what the rest is:
 *   0  a whole file (ZIP package) as a person might send it;
 *   1  word/document.xml of an otherwise valid .docx;
 *   2  xl/worksheets/sheet1.xml of a valid .xlsx (shared strings fixed);
 *   3  xl/sharedStrings.xml of a valid .xlsx (sheet fixed);
 *   4  content.xml of a valid .ods;
 *   5  content.xml of a valid .odt.
 * Modes 1-5 get past the ZIP layer to the XML readers, which a random ZIP
 * rarely reaches. Invariants: no crash, leak, hang or undefined behaviour;
 * every refusal has a rule and a Spanish message of valid UTF-8; every
 * cell text is valid UTF-8; row numbers are positive (a hostile file may
 * number its rows in any order, or repeat a sheet's name) and rows have
 * 1..OOXML_MAX_COLUMNAS cells.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "ooxml.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CT_DOCX                                                                                 \
    "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"   \
    "content-types\"><Default Extension=\"xml\" ContentType=\"application/xml\"/>"              \
    "<Override PartName=\"/word/document.xml\" ContentType=\"application/"                      \
    "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>"
#define CT_XLSX                                                                                 \
    "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"   \
    "content-types\"><Default Extension=\"xml\" ContentType=\"application/xml\"/>"              \
    "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/"                        \
    "vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/></Types>"
#define RELS(target)                                                                            \
    "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/" \
    "2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/" \
    "officeDocument/2006/relationships/officeDocument\" Target=\"" target "\"/></Relationships>"
#define WB                                                                                      \
    "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/" \
    "2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/"              \
    "relationships\"><sheets><sheet name=\"fichas\" sheetId=\"1\" r:id=\"rId1\"/></sheets>"   \
    "</workbook>"
#define WB_RELS                                                                                 \
    "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/" \
    "2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/" \
    "officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"          \
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"  \
    "relationships/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>"
#define SHEET                                                                                   \
    "<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/"             \
    "spreadsheetml/2006/main\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>"       \
    "<c r=\"B1\" t=\"s\"><v>1</v></c><c r=\"C1\" t=\"s\"><v>2</v></c></row><row r=\"2\">"       \
    "<c r=\"A2\" t=\"s\"><v>3</v></c><c r=\"B2\"><v>2022</v></c><c r=\"C2\" t=\"inlineStr\">"  \
    "<is><t>x</t></is></c></row></sheetData></worksheet>"
#define SST                                                                                     \
    "<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/"     \
    "2006/main\"><si><t>clave</t></si><si><t>ejercicio</t></si><si><t>programa</t></si>"       \
    "<si><r><t>a</t></r><r><t>b</t></r></si></sst>"

typedef struct {
    const char *nombre;
    const void *datos;
    size_t len;
} parte;

/* A ZIP in memory with the given parts (malloc'd), or NULL. */
static uint8_t *zip_de(const parte *p, size_t n, size_t *len)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    zip_error_fini(&ze);
    if (!src)
        return NULL;
    zip_source_keep(src);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, NULL);
    uint8_t *out = NULL;
    if (!za)
        goto fin;
    for (size_t i = 0; i < n; i++) {
        zip_source_t *s = zip_source_buffer(za, p[i].datos, p[i].len, 0);
        if (!s || zip_file_add(za, p[i].nombre, s, 0) < 0) {
            zip_source_free(s);
            zip_discard(za);
            goto fin;
        }
        zip_set_file_compression(za, (zip_uint64_t)i, ZIP_CM_STORE, 0);
    }
    if (zip_close(za) != 0) {
        zip_discard(za);
        goto fin;
    }
    zip_stat_t st;
    if (zip_source_stat(src, &st) == 0 && zip_source_open(src) == 0) {
        out = malloc(st.size ? st.size : 1);
        if (out && zip_source_read(src, out, st.size) == (zip_int64_t)st.size)
            *len = st.size;
        else {
            free(out);
            out = NULL;
        }
        zip_source_close(src);
    }
fin:
    zip_source_free(src);
    return out;
}

static void check_error(const pmm_error *e)
{
    if (!e->regla[0] || !e->mensaje[0] || !utf8_valid(e->mensaje, strlen(e->mensaje)))
        abort();
}

static void check_texto(const char *s)
{
    if (!s || !utf8_valid(s, strlen(s)))
        abort();
}

static int on_fila(void *user, const char *hoja, size_t fila, char *const *celdas, size_t n,
                   pmm_error *err)
{
    (void)err;
    (void)user;
    check_texto(hoja);
    if (fila == 0 || n == 0 || n > OOXML_MAX_COLUMNAS)
        abort();
    for (size_t i = 0; i < n; i++)
        check_texto(celdas[i]);
    return 0;
}

static void leer(const uint8_t *zipdata, size_t len)
{
    pmm_error err;
    pmm_error_clear(&err);
    ooxml_zip *z = ooxml_zip_de_memoria(zipdata, len, &err);
    if (!z) {
        check_error(&err);
        return;
    }
    ooxml_tipo tipo;
    if (ooxml_tipo_de(z, &tipo, &err) != 0) {
        check_error(&err);
    } else if (tipo == OOXML_DOCX || tipo == OOXML_ODT) {
        ooxml_documento *doc = ooxml_documento_leer(z, tipo, &err);
        if (!doc) {
            check_error(&err);
        } else {
            for (size_t t = 0; t < doc->ntablas; t++)
                for (size_t r = 0; r < doc->tablas[t].n; r++)
                    for (size_t c = 0; c < doc->tablas[t].filas[r].n; c++) {
                        check_texto(doc->tablas[t].filas[r].celdas[c].texto);
                        if (doc->tablas[t].filas[r].celdas[c].columnas < 1)
                            abort();
                    }
            for (size_t i = 0; i < doc->nparrafos; i++)
                check_texto(doc->parrafos[i]);
            ooxml_documento_liberar(&doc);
        }
    } else {
        if (ooxml_hoja_leer(z, tipo, on_fila, NULL, &err) != 0)
            check_error(&err);
    }
    ooxml_zip_cerrar(&z);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int modo = data[0] % 6;
    const uint8_t *x = data + 1;
    size_t n = size - 1;
    if (modo == 0) {
        leer(x, n);
        return 0;
    }
    parte p[6];
    size_t np = 0;
    if (modo == 1) {
        p[np++] = (parte){"[Content_Types].xml", CT_DOCX, sizeof CT_DOCX - 1};
        p[np++] = (parte){"_rels/.rels", RELS("word/document.xml"),
                          sizeof RELS("word/document.xml") - 1};
        p[np++] = (parte){"word/document.xml", x, n};
    } else if (modo == 2 || modo == 3) {
        p[np++] = (parte){"[Content_Types].xml", CT_XLSX, sizeof CT_XLSX - 1};
        p[np++] = (parte){"_rels/.rels", RELS("xl/workbook.xml"),
                          sizeof RELS("xl/workbook.xml") - 1};
        p[np++] = (parte){"xl/workbook.xml", WB, sizeof WB - 1};
        p[np++] = (parte){"xl/_rels/workbook.xml.rels", WB_RELS, sizeof WB_RELS - 1};
        if (modo == 2) {
            p[np++] = (parte){"xl/worksheets/sheet1.xml", x, n};
            p[np++] = (parte){"xl/sharedStrings.xml", SST, sizeof SST - 1};
        } else {
            p[np++] = (parte){"xl/worksheets/sheet1.xml", SHEET, sizeof SHEET - 1};
            p[np++] = (parte){"xl/sharedStrings.xml", x, n};
        }
    } else {
        static const char ods[] = "application/vnd.oasis.opendocument.spreadsheet";
        static const char odt[] = "application/vnd.oasis.opendocument.text";
        p[np++] = modo == 4 ? (parte){"mimetype", ods, sizeof ods - 1}
                            : (parte){"mimetype", odt, sizeof odt - 1};
        p[np++] = (parte){"content.xml", x, n};
    }
    size_t len = 0;
    uint8_t *z = zip_de(p, np, &len);
    if (z)
        leer(z, len);
    free(z);
    return 0;
}
