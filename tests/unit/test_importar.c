/* test_importar -- fichas from Word forms and spreadsheets (cli/importar*.c):
 *
 *   - round trips: a form filled programmatically (plantilla.c) and imported
 *     gives the same ficha, every field, as the JSON that filled it: docx,
 *     xlsx and csv, and every sample ficha of 2018-2022 (muestra.c) as a docx;
 *   - the older form (free-text results, description and contact): the
 *     text kept, the figures proposed and reported, the clave derived the
 *     same way twice; two objectives refused; an unknown body named with the
 *     closest known ones;
 *   - Word's tracked changes and comments, merged cells;
 *   - hostile files, one test each: refused as a whole with the rule and a
 *     Spanish message, no ficha returned.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "docx.h"
#include "ficha_json.h"
#include "importar.h"
#include "importar_valores.h"
#include "muestra.h"
#include "plantilla.h"
#include "refdata.h"
#include "skiputil.h"
#include "testutil.h"

static refdata *ref;
static char dir[64];

static int preparar(void **state)
{
    (void)state;
    pmm_error err;
    pmm_error_clear(&err);
    ref = refdata_load(test_data_dir(), &err);
    assert_non_null(ref);
    snprintf(dir, sizeof dir, "/tmp/test_importar_XXXXXX");
    assert_non_null(mkdtemp(dir));
    return 0;
}

static int terminar(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return -1;
    refdata_destroy(&ref);
    return 0;
}

static const char *ruta(const char *nombre)
{
    static char p[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", dir, nombre);
    return p[k];
}

static imp_opciones opciones(void)
{
    imp_opciones o = {.ref = ref, .reglas = ficha_rules_default()};
    return o;
}

/* The contract's normal form of a ficha: read, validated (dependencia and
 * entidad normalised), written back. */
static char *normal(const json_t *j)
{
    pmm_error err;
    pmm_error_clear(&err);
    Pmm__Ficha *f = ficha_from_json(j, &err);
    assert_non_null(f);
    ficha_rules r = ficha_rules_default();
    if (ficha_validate(f, ref, &r, &err) != 0)
        fail_msg("ficha de prueba no válida: %s", err.mensaje);
    json_t *n = ficha_to_json(f, 1);
    char *s = json_dumps(n, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(n);
    pmm__ficha__free_unpacked(f, NULL);
    return s;
}

static char *importada(const imp_ficha *f)
{
    if (f->nerrs) {
        for (size_t i = 0; i < f->nerrs && i < FICHA_MAX_ERRORES; i++)
            print_message("  %s %s: %s\n", f->errs[i].campo, f->errs[i].regla,
                          f->errs[i].mensaje);
        fail_msg("la ficha importada (%s %zu) tiene %zu problemas", f->unidad, f->posicion,
                 f->nerrs);
    }
    assert_non_null(f->f);
    json_t *n = ficha_to_json(f->f, 1);
    char *s = json_dumps(n, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(n);
    return s;
}

static void igual(const json_t *origen, const imp_ficha *f)
{
    char *a = normal(origen), *b = importada(f);
    if (strcmp(a, b))
        fail_msg("ida y vuelta distinta:\n  esperada %s\n  importada %s", a, b);
    assert_int_equal(json_array_size(f->propuestos), 0);
    free(a);
    free(b);
}

static int importar(const char *p, imp_lista *l, pmm_error *err)
{
    imp_opciones o = opciones();
    pmm_error_clear(err);
    return importar_archivo(p, &o, l, err);
}

/* ---- round trips ------------------------------------------------------------ */

static void test_docx_ida_y_vuelta(void **state)
{
    (void)state;
    json_error_t je;
    json_t *j = json_loads(TEST_FICHA_JSON, 0, &je);
    assert_non_null(j);
    /* several paragraphs in a free text */
    json_object_set_new(json_object_get(j, "resultados"), "texto",
                        json_string("Se impartieron 12 talleres.\nAsistieron 300 personas."));
    pmm_error err;
    pmm_error_clear(&err);
    assert_int_equal(plantilla_docx(ref, 2022, "federal", j, ruta("f.docx"), &err), 0);
    imp_lista l;
    assert_int_equal(importar(ruta("f.docx"), &l, &err), 0);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0].unidad, "tabla");
    assert_int_equal(l.v[0].posicion, 1);
    igual(j, &l.v[0]);
    imp_lista_liberar(&l);
    /* the state form */
    json_object_set_new(j, "ambito", json_string("estatal"));
    json_object_set_new(j, "entidad", json_string("Chiapas"));
    /* a state's own body: kept as written, never taken for the federal SSA */
    json_object_set_new(j, "dependencia", json_string("Secretaría de Salud de Chiapas"));
    assert_int_equal(plantilla_docx(ref, 2022, "estatal", j, ruta("e.docx"), &err), 0);
    assert_int_equal(importar(ruta("e.docx"), &l, &err), 0);
    assert_int_equal(l.n, 1);
    igual(j, &l.v[0]);
    json_t *lj = imp_ficha_json(&l.v[0]);
    assert_string_equal(json_string_value(json_object_get(lj, "entidad")), "07");
    assert_string_equal(json_string_value(json_object_get(lj, "dependencia")),
                        "Secretaría de Salud de Chiapas");
    json_decref(lj);
    imp_lista_liberar(&l);
    json_decref(j);
}

typedef struct {
    json_t **v;
    size_t n, cap;
} fichas;

static int juntar(void *user, json_t *f, pmm_error *err)
{
    (void)err;
    fichas *fs = user;
    if (fs->n == fs->cap) {
        fs->cap = fs->cap ? fs->cap * 2 : 256;
        fs->v = realloc(fs->v, fs->cap * sizeof *fs->v);
        assert_non_null(fs->v);
    }
    fs->v[fs->n++] = json_incref(f);
    return 0;
}

static void fichas_liberar(fichas *fs)
{
    for (size_t i = 0; i < fs->n; i++)
        json_decref(fs->v[i]);
    free(fs->v);
}

static void muestra_todas(fichas *fs)
{
    pmm_error err;
    pmm_error_clear(&err);
    muestra *m = muestra_new(test_data_dir(), 17, &err);
    assert_non_null(m);
    assert_int_equal(muestra_tabla(m, 2018, 2022, 0, MUESTRA_NORMAL, juntar, fs, &err), 0);
    muestra_destroy(&m);
    assert_true(fs->n > 500);
}

/* Every sample ficha of the five years, each as its own Word form. */
static void test_muestra_docx(void **state)
{
    (void)state;
    fichas fs = {0};
    muestra_todas(&fs);
    int anios[5] = {0};
    for (size_t i = 0; i < fs.n; i++) {
        pmm_error err;
        pmm_error_clear(&err);
        const char *amb = json_string_value(json_object_get(fs.v[i], "ambito"));
        int ej = (int)json_integer_value(json_object_get(fs.v[i], "ejercicio"));
        anios[ej - 2018]++;
        if (plantilla_docx(ref, ej, amb, fs.v[i], ruta("m.docx"), &err) != 0)
            fail_msg("%s", err.mensaje);
        imp_lista l;
        if (importar(ruta("m.docx"), &l, &err) != 0)
            fail_msg("ficha %zu: %s", i, err.mensaje);
        assert_int_equal(l.n, 1);
        igual(fs.v[i], &l.v[0]);
        imp_lista_liberar(&l);
    }
    for (int a = 0; a < 5; a++)
        assert_true(anios[a] > 0);
    print_message("%zu fichas de muestra 2018-2022: docx ida y vuelta iguales\n", fs.n);
    fichas_liberar(&fs);
}

static void hoja_ida_y_vuelta(const char *nombre, int xlsx)
{
    fichas fs = {0};
    muestra_todas(&fs);
    size_t n = 300;   /* all five years are in the first rows of the table order */
    fichas parte = {.v = fs.v + fs.n - n, .n = n};
    /* a spread of years: every 5th ficha */
    json_t **sel = malloc(n * sizeof *sel);
    for (size_t i = 0; i < n; i++)
        sel[i] = fs.v[(i * 5) % fs.n];
    (void)parte;
    pmm_error err;
    pmm_error_clear(&err);
    int rc = xlsx ? plantilla_xlsx(ref, 2022, "federal", sel, n, 0, ruta(nombre), &err)
                  : plantilla_csv(sel, n, ruta(nombre), &err);
    if (rc)
        fail_msg("%s", err.mensaje);
    imp_lista l;
    if (importar(ruta(nombre), &l, &err) != 0)
        fail_msg("%s", err.mensaje);
    assert_int_equal(l.n, n);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(l.v[i].unidad, "fila");
        assert_int_equal(l.v[i].posicion, xlsx ? i + 3 : i + 2);
        igual(sel[i], &l.v[i]);
    }
    imp_lista_liberar(&l);
    free(sel);
    fichas_liberar(&fs);
}

static void test_xlsx_ida_y_vuelta(void **state)
{
    (void)state;
    hoja_ida_y_vuelta("f.xlsx", 1);
}

static void test_csv_ida_y_vuelta(void **state)
{
    (void)state;
    hoja_ida_y_vuelta("f.csv", 0);
}

/* ---- values as people write them ------------------------------------------- */

static void test_valores(void **state)
{
    (void)state;
    static const struct {
        const char *texto;
        val_estado estado;
        int64_t valor;
    } enteros[] = {
        {"51", VAL_OK, 51},
        {"1 915 403", VAL_OK, 1915403},
        {"1,915,403", VAL_OK, 1915403},
        {"1.915.403", VAL_OK, 1915403},
        {"2\xc2\xa0" "500", VAL_OK, 2500},   /* non-breaking space */
        {"  2,500 ", VAL_OK, 2500},
        {"51 acciones", VAL_PROPUESTO, 51},
        {"aprox. 2,500", VAL_PROPUESTO, 2500},
        {"N/A", VAL_VACIO, 0},
        {"No aplica", VAL_VACIO, 0},
        {"-", VAL_VACIO, 0},
        {"2.5", VAL_ERROR, 0},
        {"12 y 14", VAL_ERROR, 0},
        {"muchas", VAL_ERROR, 0},
        {"1 000 000 000 000 000 000 000 000", VAL_OK, 1000000000000000LL},
    };
    for (size_t i = 0; i < sizeof enteros / sizeof enteros[0]; i++) {
        int64_t v = 0;
        const char *m = "";
        val_estado e = val_entero(enteros[i].texto, &v, &m);
        if (e != enteros[i].estado || (e == VAL_OK && v != enteros[i].valor))
            fail_msg("«%s»: estado %d valor %lld", enteros[i].texto, e, (long long)v);
    }
    static const struct {
        const char *texto, *fecha;
        int permanente;
    } fechas[] = {
        {"2022-07-01", "2022-07-01", 0}, {"2022-07", "2022-07", 0},
        {"2022", "2022", 0},             {"01/07/2022", "2022-07-01", 0},
        {"07/2022", "2022-07", 0},       {"julio de 2022", "2022-07", 0},
        {"1° de julio de 2022", "2022-07-01", 0}, {"Sept. 2021", NULL, 0},
        {"septiembre 2021", "2021-09", 0}, {"Permanente", "", 1},
        {"indefinido", "", 1},           {"ayer", NULL, 0},
    };
    for (size_t i = 0; i < sizeof fechas / sizeof fechas[0]; i++) {
        char b[32] = "";
        int p = 0;
        val_estado e = val_fecha(fechas[i].texto, b, sizeof b, &p);
        if (!fechas[i].fecha)
            assert_int_equal(e, VAL_ERROR);
        else if (fechas[i].permanente)
            assert_true(e == VAL_VACIO && p);
        else if (e != VAL_OK || strcmp(b, fechas[i].fecha))
            fail_msg("«%s»: %d «%s»", fechas[i].texto, e, b);
    }
    int num, otro;
    assert_int_equal(val_objetivo(ref, "7", &num, &otro), VAL_OK);
    assert_int_equal(num, 7);
    assert_int_equal(val_objetivo(ref, "Objetivo 23: Fortalecer la cooperación", &num, &otro),
                     VAL_OK);
    assert_int_equal(num, 23);
    assert_int_equal(val_objetivo(ref, "Abordar y reducir las vulnerabilidades en la migración",
                                  &num, &otro),
                     VAL_OK);
    assert_int_equal(num, 7);
    assert_int_equal(val_objetivo(ref, "3, 7 y 10", &num, &otro), VAL_ERROR);
    assert_true(num == 3 && otro == 7);
    assert_int_equal(val_objetivo(ref, "no sé", &num, &otro), VAL_ERROR);
    assert_int_equal(otro, 0);
    char sug[256];
    assert_string_equal(val_dependencia(ref, "sre", 0, sug, sizeof sug)->sigla, "SRE");
    assert_string_equal(val_dependencia(ref, "Secretaria de relaciones exteriores", 1, sug,
                                        sizeof sug)->sigla,
                        "SRE");
    assert_string_equal(val_dependencia(ref, "Secretaría de Salud (SSA)", 0, sug, sizeof sug)
                            ->sigla,
                        "SSA");
    assert_string_equal(val_dependencia(ref, "SRE - Dirección General de Protección", 0, sug,
                                        sizeof sug)->sigla,
                        "SRE");
    assert_null(val_dependencia(ref, "Secretaría de Salud de Chiapas", 1, sug, sizeof sug));
    assert_int_equal(val_entidad(ref, "Estado de México"), 15);
    assert_int_equal(val_entidad(ref, "Gobierno del Estado de Chiapas"), 7);
    assert_int_equal(val_entidad(ref, "7"), 7);
    assert_int_equal(val_entidad(ref, "Ciudad de México"), 9);
    assert_int_equal(val_periodo("RESULTADOS ALCANZADOS EN EL PERIODO DE JUNIO DE 2021 A JUNIO "
                                 "DE 2022"),
                     2022);
    val_cifras c;
    val_cifras_texto("Se atendió a 300 personas y luego a 400 personas; 12 acciones.", &c);
    assert_int_equal(c.personas, -1);   /* two different figures: none proposed */
    assert_int_equal(c.acciones, 12);
}

/* ---- the older form ---------------------------------------------------------- */

static void formulario_viejo(const char *path, const char *objetivo, const char *dependencia)
{
    pmm_error err;
    pmm_error_clear(&err);
    docx *d = docx_new(&err);
    assert_int_equal(docx_titulo(d, "FICHA TÉCNICA DE PROGRAMAS, ACCIONES Y BUENAS PRÁCTICAS",
                                 &err),
                     0);
    double anchos[2] = {6, 10};
    assert_int_equal(docx_tabla_inicio(d, 2, anchos, &err), 0);
    const char *filas[][2] = {
        {"NOMBRE DE LA DEPENDENCIA / ÓRGANO DESCONCENTRADO / ORGANISMO AUTÓNOMO:", dependencia},
        {"UNIDAD / DIRECCIÓN GENERAL", "Dirección General de Protección Consular"},
        {"NOMBRE DEL PROGRAMA", "Consulados   móviles\nen Estados Unidos"},
        {"OBJETIVO DEL PMM QUE ATIENDE EL PROGRAMA", objetivo},
        {"DESCRIPCIÓN",
         "Acercar los servicios consulares a las comunidades alejadas de un consulado. "
         "Programa permanente desde 2010."},
        {"RESULTADOS ALCANZADOS EN EL PERIODO DE JUNIO DE 2021 A JUNIO DE 2022",
         "Se realizaron 51 acciones en 12 estados.\nSe atendió a 1 915 403 personas, de las "
         "cuales 2,500 mujeres recibieron asesoría."},
        {"RETOS IDENTIFICADOS", "Falta de personal en temporada alta."},
        {"PUNTO DE CONTACTO PARA SEGUIMIENTO",
         "Ana Ficticia Pérez\nDirectora de Área\nTel. 55 0000 0000 ext. 123\n"
         "ana.ficticia@example.org"},
    };
    for (size_t i = 0; i < sizeof filas / sizeof filas[0]; i++) {
        docx_celda c[2] = {{filas[i][0], NULL, 1, 0, 0}, {filas[i][1], NULL, 0, 0, 0}};
        assert_int_equal(docx_tabla_fila(d, c, 2, 0, &err), 0);
    }
    assert_int_equal(docx_tabla_fin(d, &err), 0);
    assert_int_equal(docx_guardar(d, path, &err), 0);
    docx_destroy(&d);
}

static json_t *propuesto(const imp_ficha *f, const char *campo)
{
    size_t i;
    json_t *p;
    json_array_foreach(f->propuestos, i, p) {
        if (!strcmp(json_string_value(json_object_get(p, "campo")), campo))
            return json_object_get(p, "valor");
    }
    return NULL;
}

static void test_formulario_viejo(void **state)
{
    (void)state;
    formulario_viejo(ruta("viejo.docx"), "7. Abordar y reducir las vulnerabilidades en la "
                                         "migración",
                     "Secretaría de Relaciones Exteriores");
    imp_lista l;
    pmm_error err;
    assert_int_equal(importar(ruta("viejo.docx"), &l, &err), 0);
    assert_int_equal(l.n, 1);
    imp_ficha *f = &l.v[0];
    if (f->nerrs)
        fail_msg("%s", f->errs[0].mensaje);
    json_t *j = imp_ficha_json(f);
    assert_string_equal(json_string_value(json_object_get(j, "dependencia")), "SRE");
    assert_int_equal(json_integer_value(json_object_get(j, "ejercicio")), 2022);
    assert_int_equal(json_integer_value(json_object_get(j, "objetivo_pmm")), 7);
    assert_string_equal(json_string_value(json_object_get(j, "programa")),
                        "Consulados móviles en Estados Unidos");
    json_t *r = json_object_get(j, "resultados");
    assert_non_null(strstr(json_string_value(json_object_get(r, "texto")), "1 915 403"));
    assert_int_equal(json_integer_value(json_object_get(r, "acciones")), 51);
    assert_int_equal(json_integer_value(json_object_get(r, "personas")), 1915403);
    assert_int_equal(json_integer_value(json_object_get(r, "mujeres")), 2500);
    assert_null(json_object_get(r, "hombres"));
    /* every inferred value is reported */
    assert_int_equal(json_integer_value(propuesto(f, "resultados.acciones")), 51);
    assert_int_equal(json_integer_value(propuesto(f, "resultados.personas")), 1915403);
    assert_int_equal(json_integer_value(propuesto(f, "resultados.mujeres")), 2500);
    assert_int_equal(json_integer_value(propuesto(f, "ejercicio")), 2022);
    assert_string_equal(json_string_value(propuesto(f, "descripcion.temporalidad")),
                        "permanente");
    assert_string_equal(json_string_value(propuesto(f, "contacto.correo")),
                        "ana.ficticia@example.org");
    assert_string_equal(json_string_value(propuesto(f, "contacto.nombre")),
                        "Ana Ficticia Pérez");
    assert_string_equal(json_string_value(propuesto(f, "contacto.cargo")), "Directora de Área");
    assert_non_null(propuesto(f, "contacto.telefono"));
    /* the derived clave, the same on a second reading */
    assert_true(f->clave_derivada);
    assert_int_equal(strncmp(f->clave, "sre-2022-consulados-moviles-", 28), 0);
    char clave[FICHA_MAX_CLAVE + 1];
    snprintf(clave, sizeof clave, "%s", f->clave);
    json_decref(j);
    imp_lista_liberar(&l);
    assert_int_equal(importar(ruta("viejo.docx"), &l, &err), 0);
    assert_string_equal(l.v[0].clave, clave);
    imp_lista_liberar(&l);
    char c2[FICHA_MAX_CLAVE + 1];
    assert_int_equal(importar_clave("D:SRE", 2022, "CONSULADOS MÓVILES en Estados-Unidos", c2,
                                    sizeof c2),
                     0);
    assert_string_equal(c2, clave);   /* case, accents and punctuation do not matter */
}

static void test_dos_objetivos(void **state)
{
    (void)state;
    formulario_viejo(ruta("dos.docx"), "Objetivos 3 y 7", "SRE");
    imp_lista l;
    pmm_error err;
    assert_int_equal(importar(ruta("dos.docx"), &l, &err), 0);
    assert_int_equal(l.n, 1);
    assert_null(l.v[0].f);
    assert_true(l.v[0].nerrs >= 1);
    assert_string_equal(l.v[0].errs[0].campo, "objetivo_pmm");
    assert_string_equal(l.v[0].errs[0].regla, "un_objetivo");
    assert_non_null(strstr(l.v[0].errs[0].mensaje, "un solo objetivo"));
    imp_lista_liberar(&l);
}

static void test_dependencia_desconocida(void **state)
{
    (void)state;
    formulario_viejo(ruta("dep.docx"), "7", "Secretaria de Relaciones Exterioress");
    imp_lista l;
    pmm_error err;
    assert_int_equal(importar(ruta("dep.docx"), &l, &err), 0);
    assert_null(l.v[0].f);
    assert_string_equal(l.v[0].errs[0].campo, "dependencia");
    assert_string_equal(l.v[0].errs[0].regla, "desconocida");
    assert_non_null(strstr(l.v[0].errs[0].mensaje, "SRE (Secretaría de Relaciones Exteriores)"));
    imp_lista_liberar(&l);
}

/* ---- files edited by hand: ZIP helpers --------------------------------------- */

/* Copies the package src to dst with entry `nombre` replaced by datos (or
 * added), and `extra` (a second entry) added when not NULL. */
static void reempaquetar(const char *src, const char *dst, const char *nombre,
                         const char *datos, size_t len, const char *extra)
{
    int e;
    zip_t *in = zip_open(src, ZIP_RDONLY, &e);
    assert_non_null(in);
    zip_t *out = zip_open(dst, ZIP_CREATE | ZIP_TRUNCATE, &e);
    assert_non_null(out);
    zip_int64_t n = zip_get_num_entries(in, 0);
    for (zip_int64_t i = 0; i < n; i++) {
        const char *nm = zip_get_name(in, (zip_uint64_t)i, 0);
        if (nombre && !strcmp(nm, nombre))
            continue;
        zip_source_t *s = zip_source_zip(out, in, (zip_uint64_t)i, 0, 0, -1);
        assert_true(zip_file_add(out, nm, s, 0) >= 0);
    }
    if (nombre) {
        zip_source_t *s = zip_source_buffer(out, datos, len, 0);
        assert_true(zip_file_add(out, nombre, s, 0) >= 0);
    }
    if (extra) {
        zip_source_t *s = zip_source_buffer(out, "x", 1, 0);
        assert_true(zip_file_add(out, extra, s, 0) >= 0);
    }
    assert_int_equal(zip_close(out), 0);
    zip_discard(in);
}

static char *leer_entrada(const char *path, const char *nombre)
{
    int e;
    zip_t *z = zip_open(path, ZIP_RDONLY, &e);
    assert_non_null(z);
    zip_stat_t st;
    assert_int_equal(zip_stat(z, nombre, 0, &st), 0);
    char *buf = malloc(st.size + 1);
    zip_file_t *f = zip_fopen(z, nombre, 0);
    assert_int_equal(zip_fread(f, buf, st.size), (zip_int64_t)st.size);
    buf[st.size] = '\0';
    zip_fclose(f);
    zip_discard(z);
    return buf;
}

static char *reemplazar(const char *s, const char *viejo, const char *nuevo)
{
    const char *p = strstr(s, viejo);
    assert_non_null(p);
    size_t n = strlen(s) - strlen(viejo) + strlen(nuevo);
    char *out = malloc(n + 1);
    size_t a = (size_t)(p - s);
    memcpy(out, s, a);
    strcpy(out + a, nuevo);
    strcat(out, p + strlen(viejo));
    return out;
}

static void test_cambios_y_comentarios(void **state)
{
    (void)state;
    json_error_t je;
    json_t *j = json_loads(TEST_FICHA_JSON, 0, &je);
    pmm_error err;
    pmm_error_clear(&err);
    assert_int_equal(plantilla_docx(ref, 2022, "federal", j, ruta("base.docx"), &err), 0);
    char *xml = leer_entrada(ruta("base.docx"), "word/document.xml");
    /* "Programa de prueba": "de prueba" inserted with tracking, "VIEJO "
     * deleted, a comment on it; the retos' text rewritten the same way */
    char *x1 = reemplazar(
        xml, "<w:r><w:t xml:space=\"preserve\">Programa de prueba</w:t></w:r>",
        "<w:commentRangeStart w:id=\"9\"/><w:r><w:t xml:space=\"preserve\">Programa </w:t></w:r>"
        "<w:del w:id=\"1\" w:author=\"Revisora\" w:date=\"2022-07-01T10:00:00Z\"><w:r>"
        "<w:delText>VIEJO </w:delText></w:r></w:del>"
        "<w:ins w:id=\"2\" w:author=\"Revisora\" w:date=\"2022-07-01T10:00:00Z\"><w:r>"
        "<w:t>de prueba</w:t></w:r></w:ins><w:commentRangeEnd w:id=\"9\"/>"
        "<w:r><w:commentReference w:id=\"9\"/></w:r>");
    char *x2 = reemplazar(
        x1, "<w:r><w:t xml:space=\"preserve\">Poco personal.</w:t></w:r>",
        "<w:r><w:t xml:space=\"preserve\">Poco </w:t></w:r>"
        "<w:moveFrom w:id=\"3\" w:author=\"R\" w:date=\"2022-07-01T10:00:00Z\"><w:r>"
        "<w:t>movido </w:t></w:r></w:moveFrom>"
        "<w:r><w:t>personal</w:t></w:r><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
        "<w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar "
        "w:fldCharType=\"separate\"/></w:r><w:r><w:t>.</w:t></w:r>"
        "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>");
    const char *comments =
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
        "<w:comments xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
        "<w:comment w:id=\"9\" w:author=\"Revisora\"><w:p><w:r><w:t>¿Es el nombre oficial?"
        "</w:t></w:r></w:p></w:comment></w:comments>";
    reempaquetar(ruta("base.docx"), ruta("tmp.docx"), "word/document.xml", x2, strlen(x2), NULL);
    reempaquetar(ruta("tmp.docx"), ruta("cambios.docx"), "word/comments.xml", comments,
                 strlen(comments), NULL);
    imp_lista l;
    assert_int_equal(importar(ruta("cambios.docx"), &l, &err), 0);
    assert_int_equal(l.n, 1);
    igual(j, &l.v[0]);   /* deletions out, insertions in, comments ignored */
    imp_lista_liberar(&l);
    free(xml);
    free(x1);
    free(x2);
    json_decref(j);
}

static void test_celdas_combinadas(void **state)
{
    (void)state;
    pmm_error err;
    pmm_error_clear(&err);
    docx *d = docx_new(&err);
    assert_int_equal(docx_parrafo(d, NULL, "x", &err), 0);
    assert_int_equal(docx_guardar(d, ruta("vacio.docx"), &err), 0);
    docx_destroy(&d);
#define TC(span, vm, t)                                                                        \
    "<w:tc><w:tcPr>" span vm "</w:tcPr><w:p><w:r><w:t>" t "</w:t></w:r></w:p></w:tc>"
#define GS "<w:gridSpan w:val=\"2\"/>"
#define VR "<w:vMerge w:val=\"restart\"/>"
#define VC "<w:vMerge/>"
    const char *doc =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
        "<w:body><w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>"
        "<w:tr>" TC(GS, "", "Clave de la ficha") TC("", "", "prueba-combinadas-1") "</w:tr>"
        "<w:tr>" TC(GS, "", "Ejercicio") TC("", "", "2022") "</w:tr>"
        "<w:tr>" TC(GS, "", "Dependencia") TC("", "", "SEGOB") "</w:tr>"
        "<w:tr>" TC(GS, "", "Nombre del programa") TC("", "", "Programa combinado") "</w:tr>"
        "<w:tr>" TC(GS, "", "Objetivo del PMM") TC("", "", "Objetivo 3: Proporcionar "
                                                          "información") "</w:tr>"
        "<w:tr>" TC("", VR, "Descripción") TC("", "", "Objetivo") TC("", "", "Informar.")
        "</w:tr>"
        "<w:tr>" TC("", VC, "") TC("", "", "Temporalidad") TC("", "", "Temporal") "</w:tr>"
        "<w:tr>" TC("", VC, "") TC("", "", "Inicio") TC("", "", "julio de 2021") "</w:tr>"
        "<w:tr>" TC("", VC, "") TC("", "", "Fin") TC("", "", "30/06/2022") "</w:tr>"
        "<w:tr>" TC("", VR, "Resultados alcanzados") TC("", "", "Personas") TC("", "", "1,200")
        "</w:tr>"
        "<w:tr>" TC("", VC, "") TC("", "", "Mujeres") TC("", "", "600") "</w:tr>"
        "<w:tr>" TC("", VC, "") TC("", "", "Hombres") TC("", "", "N/A") "</w:tr>"
        "<w:tr>" TC("", VC, "") TC("", "", "Texto") TC("", "", "Se atendió a 1 200 personas.")
        "</w:tr>"
        /* a content control nobody filled: its placeholder is no value */
        "<w:tr>" TC("", VC, "") TC("", "", "Zona") "<w:tc><w:p><w:sdt><w:sdtPr><w:showingPlcHdr/>"
        "</w:sdtPr><w:sdtContent><w:r><w:t>Haga clic aquí para escribir texto.</w:t></w:r>"
        "</w:sdtContent></w:sdt></w:p></w:tc></w:tr>"
        "</w:tbl><w:sectPr/></w:body></w:document>";
    reempaquetar(ruta("vacio.docx"), ruta("combinadas.docx"), "word/document.xml", doc,
                 strlen(doc), NULL);
    imp_lista l;
    assert_int_equal(importar(ruta("combinadas.docx"), &l, &err), 0);
    assert_int_equal(l.n, 1);
    if (l.v[0].nerrs)
        fail_msg("%s: %s", l.v[0].errs[0].campo, l.v[0].errs[0].mensaje);
    json_t *j = imp_ficha_json(&l.v[0]);
    assert_int_equal(json_integer_value(json_object_get(j, "objetivo_pmm")), 3);
    assert_string_equal(json_string_value(json_object_get(j, "ambito")), "federal");
    json_t *dsc = json_object_get(j, "descripcion");
    assert_string_equal(json_string_value(json_object_get(dsc, "objetivo")), "Informar.");
    assert_string_equal(json_string_value(json_object_get(dsc, "temporalidad")), "temporal");
    assert_string_equal(json_string_value(json_object_get(dsc, "inicio")), "2021-07");
    assert_string_equal(json_string_value(json_object_get(dsc, "fin")), "2022-06-30");
    json_t *r = json_object_get(j, "resultados");
    assert_int_equal(json_integer_value(json_object_get(r, "personas")), 1200);
    assert_int_equal(json_integer_value(json_object_get(r, "mujeres")), 600);
    assert_null(json_object_get(r, "hombres"));
    assert_null(json_object_get(r, "zona"));
    assert_string_equal(json_string_value(json_object_get(r, "texto")),
                        "Se atendió a 1 200 personas.");
    json_decref(j);
    imp_lista_liberar(&l);
}

/* ---- hostile files ------------------------------------------------------------ */

static void rechazado(const char *path, const char *regla, const char *texto)
{
    imp_lista l;
    pmm_error err;
    int rc = importar(path, &l, &err);
    if (rc != -1)
        fail_msg("%s no se rechazó (%zu fichas)", path, l.n);
    assert_int_equal(l.n, 0);
    assert_null(l.v);
    if (strcmp(err.regla, regla))
        fail_msg("%s: regla %s (%s), se esperaba %s", path, err.regla, err.mensaje, regla);
    if (texto && !strstr(err.mensaje, texto))
        fail_msg("%s: el mensaje «%s» no dice «%s»", path, err.mensaje, texto);
    print_message("%-22s %-12s %s\n", strrchr(path, '/') + 1, err.regla, err.mensaje);
}

static void escribir(const char *path, const void *datos, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(datos, 1, len, f), len);
    fclose(f);
}

static const char *docx_valido(void)
{
    json_error_t je;
    json_t *j = json_loads(TEST_FICHA_JSON, 0, &je);
    pmm_error err;
    pmm_error_clear(&err);
    assert_int_equal(plantilla_docx(ref, 2022, "federal", j, ruta("valido.docx"), &err), 0);
    json_decref(j);
    return ruta("valido.docx");
}

static void test_hostil_no_zip(void **state)
{
    (void)state;
    escribir(ruta("texto.docx"), "Esto no es un documento de Word.\n", 33);
    rechazado(ruta("texto.docx"), "formato", "no es un archivo ZIP");
}

static void test_hostil_truncado(void **state)
{
    (void)state;
    const char *v = docx_valido();
    struct stat st;
    assert_int_equal(stat(v, &st), 0);
    char *buf = malloc((size_t)st.st_size);
    FILE *f = fopen(v, "rb");
    assert_int_equal(fread(buf, 1, (size_t)st.st_size, f), (size_t)st.st_size);
    fclose(f);
    escribir(ruta("truncado.docx"), buf, (size_t)st.st_size / 2);
    free(buf);
    rechazado(ruta("truncado.docx"), "zip", "dañado o incompleto");
}

static void test_hostil_bomba(void **state)
{
    (void)state;
    size_t n = 60u << 20;   /* 60 MiB of zeros: deflates to ~60 KB */
    char *ceros = calloc(1, n);
    assert_non_null(ceros);
    reempaquetar(docx_valido(), ruta("bomba.docx"), "word/document.xml", ceros, n, NULL);
    free(ceros);
    struct stat st;
    assert_int_equal(stat(ruta("bomba.docx"), &st), 0);
    assert_true(st.st_size < (1 << 20));
    rechazado(ruta("bomba.docx"), "zip_bomba", "bomba ZIP");
}

static void test_hostil_ruta(void **state)
{
    (void)state;
    reempaquetar(docx_valido(), ruta("ruta.docx"), NULL, NULL, 0, "../../etc/pmm.conf");
    rechazado(ruta("ruta.docx"), "ruta", "../../etc/pmm.conf");
}

static void test_hostil_doctype(void **state)
{
    (void)state;
    const char *xml =
        "<?xml version=\"1.0\"?><!DOCTYPE w:document [<!ENTITY a \"aaaaaaaaaa\">"
        "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c SYSTEM \"file:///etc/passwd\">]>"
        "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
        "<w:body><w:p><w:r><w:t>&b;&c;</w:t></w:r></w:p></w:body></w:document>";
    reempaquetar(docx_valido(), ruta("doctype.docx"), "word/document.xml", xml, strlen(xml),
                 NULL);
    rechazado(ruta("doctype.docx"), "doctype", "DOCTYPE");
}

static void test_hostil_macros(void **state)
{
    (void)state;
    char *ct = leer_entrada(docx_valido(), "[Content_Types].xml");
    char *m = reemplazar(ct, "wordprocessingml.document.main+xml",
                         "../../vnd.ms-word.document.macroEnabled.main+xml");
    /* named .docx: the content type gives it away */
    reempaquetar(ruta("valido.docx"), ruta("macros.docx"), "[Content_Types].xml", m, strlen(m),
                 NULL);
    rechazado(ruta("macros.docx"), "macros", "macros");
    reempaquetar(ruta("valido.docx"), ruta("vba.docx"), NULL, NULL, 0, "word/vbaProject.bin");
    rechazado(ruta("vba.docx"), "macros", "macros");
    escribir(ruta("ficha.docm"), "PK", 2);
    rechazado(ruta("ficha.docm"), "macros", ".docm");
    free(ct);
    free(m);
}

static void test_hostil_cifrado(void **state)
{
    (void)state;
    unsigned char ole[4096] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    escribir(ruta("cifrado.docx"), ole, sizeof ole);
    rechazado(ruta("cifrado.docx"), "cifrado", "archivo cifrado o en formato de Office antiguo");
}

static void test_hostil_50mb(void **state)
{
    (void)state;
    int fd = open(ruta("grande.docx"), O_CREAT | O_TRUNC | O_WRONLY, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "PK\003\004", 4), 4);
    assert_int_equal(ftruncate(fd, 50 * 1000 * 1000), 0);
    close(fd);
    rechazado(ruta("grande.docx"), "max_tamano", "el máximo es 32 MB");
}

static void test_hostil_100000_filas(void **state)
{
    (void)state;
    FILE *f = fopen(ruta("filas.csv"), "w");
    fputs("clave,ejercicio,ambito,dependencia,programa,objetivo_pmm,descripcion.objetivo,"
          "resultados.texto\n",
          f);
    for (int i = 0; i < 100000; i++)
        fprintf(f, "c-%d,2022,federal,SRE,Programa %d,3,Informar.,Sin resultados.\n", i, i);
    fclose(f);
    rechazado(ruta("filas.csv"), "max_filas", "10000 fichas");
}

static void test_hostil_utf8_y_nulo(void **state)
{
    (void)state;
    const char latin1[] = "clave,ejercicio,ambito,dependencia,programa\n"
                          "a,2022,federal,SRE,Migraci\xf3n\n";
    escribir(ruta("latin1.csv"), latin1, sizeof latin1 - 1);
    rechazado(ruta("latin1.csv"), "utf8", "fila 2, columna 5");
    const char nulo[] = "clave,ejercicio,ambito,dependencia,programa\n"
                        "a,2022,federal,SRE,Pro\0grama\n";
    escribir(ruta("nulo.csv"), nulo, sizeof nulo - 1);
    rechazado(ruta("nulo.csv"), "caracter_control", "carácter nulo");
    /* a workbook whose shared strings are not UTF-8 */
    json_error_t je;
    json_t *j = json_loads(TEST_FICHA_JSON, 0, &je);
    pmm_error err;
    pmm_error_clear(&err);
    assert_int_equal(plantilla_xlsx(ref, 2022, "federal", &j, 1, 0, ruta("x.xlsx"), &err), 0);
    json_decref(j);
    char *ss = leer_entrada(ruta("x.xlsx"), "xl/sharedStrings.xml");
    char *mal = reemplazar(ss, "Programa de prueba", "Programa de \xff\xfe prueba");
    reempaquetar(ruta("x.xlsx"), ruta("utf8.xlsx"), "xl/sharedStrings.xml", mal, strlen(mal),
                 NULL);
    rechazado(ruta("utf8.xlsx"), "utf8", "UTF-8");
    char *nul = reemplazar(ss, "Programa de prueba", "Programa &#0; de prueba");
    reempaquetar(ruta("x.xlsx"), ruta("nulo.xlsx"), "xl/sharedStrings.xml", nul, strlen(nul),
                 NULL);
    rechazado(ruta("nulo.xlsx"), "utf8", "carácter nulo");
    free(ss);
    free(mal);
    free(nul);
}

/* ---- modes for the LibreOffice and stack checks -------------------------------- */

/* `test_importar escribir DIR`: filled forms in DIR (ficha.docx, one per
 * sample ficha in muestra/NNN.docx, fichas.xlsx, fichas.csv) and, in
 * esperadas.jsonl, the normal form of each ficha in the order the importer
 * reads DIR's files. */
static int escribir_formularios(const char *d, const char *prefijo)
{
    pmm_error err;
    pmm_error_clear(&err);
    ref = refdata_load(test_data_dir(), &err);
    if (!ref || (mkdir(d, 0755) != 0 && errno != EEXIST))
        return 1;
    fichas fs = {0};
    muestra *m = muestra_new(test_data_dir(), 23, &err);
    if (!m || muestra_lote(m, 2018, 2022, 0, 50, MUESTRA_NORMAL, juntar, &fs, &err) != 0)
        return 1;
    muestra_destroy(&m);
    if (prefijo)   /* claves of their own on a shared stack */
        for (size_t i = 0; i < fs.n; i++) {
            char c[FICHA_MAX_CLAVE + 1];
            snprintf(c, sizeof c, "%s-%s", prefijo,
                     json_string_value(json_object_get(fs.v[i], "clave")));
            json_object_set_new(fs.v[i], "clave", json_string(c));
        }
    char p[512];
    snprintf(p, sizeof p, "%s/esperadas.jsonl", d);
    FILE *esp = fopen(p, "w");
    if (!esp)
        return 1;
    /* files in the order a directory walk takes them: fichas.csv,
     * fichas.xlsx, muestra/000.docx... */
    snprintf(p, sizeof p, "%s/fichas.csv", d);
    if (plantilla_csv(fs.v, 20, p, &err))
        goto mal;
    for (size_t i = 0; i < 20; i++) {
        char *s = normal(fs.v[i]);
        fprintf(esp, "%s\n", s);
        free(s);
    }
    snprintf(p, sizeof p, "%s/fichas.xlsx", d);
    if (plantilla_xlsx(ref, 2022, "federal", fs.v + 20, 20, 0, p, &err))
        goto mal;
    for (size_t i = 20; i < 40; i++) {
        char *s = normal(fs.v[i]);
        fprintf(esp, "%s\n", s);
        free(s);
    }
    snprintf(p, sizeof p, "%s/muestra", d);
    mkdir(p, 0755);
    for (size_t i = 0; i < 10; i++) {
        json_t *f = fs.v[40 + i];
        const char *amb = json_string_value(json_object_get(f, "ambito"));
        int ej = (int)json_integer_value(json_object_get(f, "ejercicio"));
        snprintf(p, sizeof p, "%s/muestra/%03zu.docx", d, i);
        if (plantilla_docx(ref, ej, amb, f, p, &err))
            goto mal;
        char *s = normal(f);
        fprintf(esp, "%s\n", s);
        free(s);
    }
    fclose(esp);
    if (prefijo) {
        /* for the stack's test: the older form (clave derived), and a
         * correction of the CSV's first ficha without and with reemplaza */
        snprintf(p, sizeof p, "%s/viejo", d);
        mkdir(p, 0755);
        snprintf(p, sizeof p, "%s/viejo/viejo.docx", d);
        formulario_viejo(p, "7", "SRE");
        json_t *c = json_deep_copy(fs.v[0]);
        json_object_set_new(c, "retos", json_string("Retos corregidos tras la revisión."));
        snprintf(p, sizeof p, "%s/conflicto.csv", d);
        if (plantilla_csv(&c, 1, p, &err))
            goto mal;
        json_object_set_new(c, "reemplaza", json_integer(1));
        snprintf(p, sizeof p, "%s/correccion.csv", d);
        if (plantilla_csv(&c, 1, p, &err))
            goto mal;
        json_decref(c);
    }
    fichas_liberar(&fs);
    refdata_destroy(&ref);
    return 0;
mal:
    fprintf(stderr, "test_importar: %s\n", err.mensaje);
    fclose(esp);
    return 1;
}

/* `test_importar comparar ESPERADAS DESDE N ARCHIVO`: the fichas of ARCHIVO
 * are lines DESDE..DESDE+N-1 (1-based) of ESPERADAS, in order. */
static int comparar(const char *esperadas, long desde, long n, const char *archivo)
{
    pmm_error err;
    pmm_error_clear(&err);
    ref = refdata_load(test_data_dir(), &err);
    FILE *f = fopen(esperadas, "r");
    if (!ref || !f)
        return 1;
    char *linea = NULL;
    size_t cap = 0;
    long k = 0;
    imp_lista l;
    imp_opciones o = opciones();
    if (importar_archivo(archivo, &o, &l, &err) != 0) {
        fprintf(stderr, "test_importar: %s: %s\n", archivo, err.mensaje);
        return 1;
    }
    int rc = 0;
    if ((long)l.n != n) {
        fprintf(stderr, "test_importar: %s: %zu fichas, se esperaban %ld\n", archivo, l.n, n);
        rc = 1;
    }
    while (!rc && getline(&linea, &cap, f) > 0) {
        k++;
        if (k < desde || k >= desde + n)
            continue;
        linea[strcspn(linea, "\n")] = '\0';
        imp_ficha *fi = &l.v[k - desde];
        if (fi->nerrs || !fi->f) {
            fprintf(stderr, "test_importar: %s, %s %zu: %s\n", archivo, fi->unidad,
                    fi->posicion, fi->nerrs ? fi->errs[0].mensaje : "sin ficha");
            rc = 1;
            break;
        }
        json_t *nj = ficha_to_json(fi->f, 1);
        char *s = json_dumps(nj, JSON_COMPACT | JSON_SORT_KEYS);
        json_decref(nj);
        if (strcmp(s, linea)) {
            fprintf(stderr, "test_importar: %s, %s %zu distinta:\n  esperada %s\n  leída    %s\n",
                    archivo, fi->unidad, fi->posicion, linea, s);
            rc = 1;
        }
        free(s);
    }
    free(linea);
    fclose(f);
    imp_lista_liberar(&l);
    refdata_destroy(&ref);
    return rc;
}

int main(int argc, char **argv)
{
    if ((argc == 3 || argc == 4) && !strcmp(argv[1], "escribir"))
        return escribir_formularios(argv[2], argc == 4 ? argv[3] : NULL);
    if (argc == 6 && !strcmp(argv[1], "comparar"))
        return comparar(argv[2], atol(argv[3]), atol(argv[4]), argv[5]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_docx_ida_y_vuelta),
        cmocka_unit_test(test_muestra_docx),
        cmocka_unit_test(test_xlsx_ida_y_vuelta),
        cmocka_unit_test(test_csv_ida_y_vuelta),
        cmocka_unit_test(test_valores),
        cmocka_unit_test(test_formulario_viejo),
        cmocka_unit_test(test_dos_objetivos),
        cmocka_unit_test(test_dependencia_desconocida),
        cmocka_unit_test(test_cambios_y_comentarios),
        cmocka_unit_test(test_celdas_combinadas),
        cmocka_unit_test(test_hostil_no_zip),
        cmocka_unit_test(test_hostil_truncado),
        cmocka_unit_test(test_hostil_bomba),
        cmocka_unit_test(test_hostil_ruta),
        cmocka_unit_test(test_hostil_doctype),
        cmocka_unit_test(test_hostil_macros),
        cmocka_unit_test(test_hostil_cifrado),
        cmocka_unit_test(test_hostil_50mb),
        cmocka_unit_test(test_hostil_100000_filas),
        cmocka_unit_test(test_hostil_utf8_y_nulo),
    };
    return test_exit_code(cmocka_run_group_tests(tests, preparar, terminar));
}
