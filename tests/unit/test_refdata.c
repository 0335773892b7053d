/* test_refdata.c -- the reference data (lib/ficha/refdata.h): every list of
 * data/ loaded once, the look-ups the validator, the classifier, the queries
 * and the reports use, and a refusal for each kind of broken file (copies of
 * data/ with one file edited). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "refdata.h"
#include "testutil.h"

static refdata *ref;

static int setup(void **state)
{
    (void)state;
    pmm_error err;
    pmm_error_clear(&err);
    ref = refdata_load(test_data_dir(), &err);
    if (!ref)
        fail_msg("%s", err.mensaje);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    refdata_destroy(&ref);
    return 0;
}

static void bodies_states_objectives(void **state)
{
    (void)state;
    assert_true(refdata_dependencia_count(ref) > 50);
    const ref_dependencia *d = refdata_dependencia(ref, "sre", 3);
    assert_non_null(d);
    assert_string_equal(d->sigla, "SRE");
    assert_ptr_equal(refdata_dependencia_at(ref, 0), refdata_dependencia(ref, "ACNUR", 5));
    assert_null(refdata_dependencia_at(ref, refdata_dependencia_count(ref)));
    assert_int_equal(refdata_entidad(ref, "07", 2), 7);
    assert_int_equal(refdata_entidad(ref, "chiapas", 7), 7);
    assert_string_equal(refdata_entidad_nombre(ref, 7), "Chiapas");
    assert_null(refdata_entidad_nombre(ref, 33));
    assert_non_null(strstr(refdata_objetivo_titulo(ref, 7), "vulnerabilidades"));
    assert_null(refdata_objetivo_titulo(ref, 0));
    assert_null(refdata_objetivo_titulo(ref, 24));
}

/* Names of states and bodies as people write them (issue 23), with and
 * without accents and prefixes, and the renamed bodies. */
static void names_and_aliases(void **state)
{
    (void)state;
    static const struct {
        const char *texto;
        int clave;
    } ents[] = {
        {"Estado de México", 15}, {"Michoacan", 16}, {"Edo. de Jalisco", 14},
        {"CDMX", 9}, {"jalisco", 14}, {"Gobierno del Estado de Jalisco", 14},
        {"GOBIERNO DE LA CIUDAD DE MÉXICO", 9}, {"Edo. Méx.", 15}, {"edomex", 15},
        {"México", 15}, {"Distrito Federal", 9}, {"Nuevo Leon", 19}, {"N.L.", 19},
        {"Q. Roo", 23}, {"Quintana Roo", 23}, {"Veracruz", 30}, {"coahuila", 5},
        {"Estado Libre y Soberano de Oaxaca", 20}, {"Gob. del Edo. de Puebla", 21},
        {"Querétaro de Arteaga", 22}, {"07", 7}, {"7", 7}, {"San Luis Potosi", 24},
    };
    for (size_t i = 0; i < sizeof ents / sizeof ents[0]; i++)
        if (refdata_entidad(ref, ents[i].texto, strlen(ents[i].texto)) != ents[i].clave)
            fail_msg("«%s» debería ser la entidad %02d, es %02d", ents[i].texto,
                     ents[i].clave,
                     refdata_entidad(ref, ents[i].texto, strlen(ents[i].texto)));
    static const char *const no_ents[] = {"Texas", "00", "33", "Gobierno", "Estado de", "",
                                          "..."};
    for (size_t i = 0; i < sizeof no_ents / sizeof no_ents[0]; i++)
        assert_int_equal(refdata_entidad(ref, no_ents[i], strlen(no_ents[i])), 0);

    static const struct {
        const char *texto, *sigla;
    } deps[] = {
        {"Secretaría de Salud", "SSA"}, {"secretaria de salud", "SSA"}, {"Salud", "SSA"},
        {"BANSEFI", "BANBIEN"}, {"INDESOL", "BIENESTAR"}, {"ECONOMÍA", "SE"},
        {"economia", "SE"}, {"S.R.E.", "SRE"}, {"Relaciones Exteriores", "SRE"},
        {"CONACYT", "SECIHTI"}, {"SCT", "SICT"}, {"AGA", "ANAM"}, {"sedesol", "BIENESTAR"},
        {"Instituto Nacional de Migración", "INM"}, {"inm", "INM"}, {"DIF Nacional", "SNDIF"},
    };
    for (size_t i = 0; i < sizeof deps / sizeof deps[0]; i++) {
        const ref_dependencia *d = refdata_dependencia(ref, deps[i].texto, strlen(deps[i].texto));
        if (!d || strcmp(d->sigla, deps[i].sigla))
            fail_msg("«%s» debería ser %s, es %s", deps[i].texto, deps[i].sigla,
                     d ? d->sigla : "(ninguna)");
    }
    assert_null(refdata_dependencia(ref, "Secretaría de Salud Pública", 28));
    assert_null(refdata_dependencia(ref, "XYZ", 3));
}

/* What the message of an unknown name suggests. */
static void closest_names(void **state)
{
    (void)state;
    char buf[512];
    static const struct {
        const char *texto, *sugiere;
    } deps[] = {
        {"Secretaría de Salud Pública", "SSA (Secretaría de Salud)"},
        {"Secretaria de Relaciones Exteriore", "SRE"},
        {"SER", "SRE"},
        {"Instituto Nacional de Migracion y Refugio", "INM"},
        {"BANSEFY", "BANBIEN (Banco del Bienestar)"},
    };
    for (size_t i = 0; i < sizeof deps / sizeof deps[0]; i++) {
        refdata_dependencia_sugerencia(ref, deps[i].texto, strlen(deps[i].texto), buf,
                                       sizeof buf);
        if (strncmp(buf, "¿quiso decir ", 14) || !strstr(buf, deps[i].sugiere))
            fail_msg("«%s»: se esperaba una sugerencia con «%s», se obtuvo «%s»",
                     deps[i].texto, deps[i].sugiere, buf);
    }
    const ref_dependencia *d[3];
    assert_int_equal(refdata_dependencia_parecidas(ref, "Secretaria de Salud Publica", 27, d, 3)
                         >= 1, 1);
    assert_string_equal(d[0]->sigla, "SSA");
    assert_int_equal(refdata_dependencia_sugerencia(ref, "zzzzqqq", 7, buf, sizeof buf), 0);
    assert_string_equal(buf, "");

    static const struct {
        const char *texto;
        int clave;
    } ents[] = {
        {"Jalisko", 14}, {"Michoacana", 16}, {"Gobierno del Estado de Jalisko", 14},
        {"Guanajuto", 11}, {"Estado de Mexcio", 15}, {"Chihuaha", 8}, {"Tamaulipaz", 28},
    };
    for (size_t i = 0; i < sizeof ents / sizeof ents[0]; i++) {
        int c[3];
        size_t n = refdata_entidad_parecidas(ref, ents[i].texto, strlen(ents[i].texto), c, 3);
        if (n == 0 || c[0] != ents[i].clave)
            fail_msg("«%s»: se esperaba sugerir %02d, se sugirió %02d (%zu)", ents[i].texto,
                     ents[i].clave, n ? c[0] : 0, n);
    }
    refdata_entidad_sugerencia(ref, "Jalisko", 7, buf, sizeof buf);
    assert_string_equal(buf, "¿quiso decir 14 (Jalisco)?");
    /* a short buffer is cut, never overrun */
    assert_true(refdata_entidad_sugerencia(ref, "Jalisko", 7, buf, 8) < 8);
}

static void challenges(void **state)
{
    (void)state;
    assert_true(refdata_reto_count(ref) >= 10);
    const ref_reto *r = refdata_reto_at(ref, 0);
    assert_string_equal(r->codigo, "presupuesto");
    assert_string_equal(r->nombre, "Recursos presupuestales");
    assert_true(strlen(r->definicion) > 0);
    assert_int_equal(refdata_reto_indice(ref, "personal"), 1);
    assert_ptr_equal(refdata_reto(ref, "personal"), refdata_reto_at(ref, 1));
    assert_int_equal(refdata_reto_indice(ref, "no-existe"), -1);
    assert_null(refdata_reto(ref, "no-existe"));
}

static void sdgs_and_targets(void **state)
{
    (void)state;
    assert_string_equal(refdata_ods_nombre(ref, 1), "Fin de la pobreza");
    assert_non_null(refdata_ods_nombre(ref, 17));
    assert_null(refdata_ods_nombre(ref, 0));
    assert_null(refdata_ods_nombre(ref, 18));
    assert_true(refdata_meta_count(ref) > 20);
    const ref_meta *m = refdata_meta_at(ref, 0);
    assert_string_equal(m->meta, "1.3");
    assert_int_equal(m->ods, 1);
    assert_true(m->predeterminada);
    assert_false(refdata_meta(ref, "1.4")->predeterminada);
    assert_null(refdata_meta(ref, "99.9"));
    /* every SDG with targets has exactly one default */
    for (int k = 1; k <= REF_ODS; k++) {
        int total = 0, def = 0;
        for (size_t i = 0; i < refdata_meta_count(ref); i++) {
            const ref_meta *x = refdata_meta_at(ref, i);
            total += x->ods == k;
            def += x->ods == k && x->predeterminada;
        }
        if (total)
            assert_int_equal(def, 1);
    }
}

static void taxonomies(void **state)
{
    (void)state;
    assert_int_equal(refdata_taxonomia_count(ref), 2);
    assert_string_equal(refdata_taxonomia_at(ref, 0)->nombre, "2018-2022");
    assert_string_equal(refdata_taxonomia_at(ref, 1)->nombre, "2023");
    const ref_taxonomia *t = refdata_taxonomia(ref, "2018-2022");
    assert_ptr_equal(t, refdata_taxonomia_at(ref, 0));
    assert_int_equal(t->nejes, 4);
    assert_int_equal(t->ejes[0].numero, 1);
    assert_string_equal(t->ejes[0].nombre, "Atención y servicios");
    assert_int_equal(t->nsubtemas, 14);
    assert_string_equal(t->subtemas[0].codigo, "educacion");
    assert_string_equal(t->subtemas[t->nsubtemas - 1].codigo, "otros");
    assert_string_equal(ref_taxonomia_subtema(t, "salud")->nombre, "Salud");
    assert_int_equal(ref_taxonomia_subtema_indice(t, "salud"), 1);
    assert_int_equal(ref_taxonomia_subtema_indice(t, "integracion"), -1);
    assert_string_equal(ref_taxonomia_eje_nombre(t, 1), "Atención y servicios");
    assert_null(ref_taxonomia_eje_nombre(t, 9));

    const ref_taxonomia *t23 = refdata_taxonomia(ref, "2023");
    const ref_subtema *s = ref_taxonomia_subtema(t23, "integracion");
    assert_non_null(s);
    assert_int_equal(s->eje, 1);
    assert_string_equal(s->origen, "otros");   /* the model class it maps to */
    assert_string_equal(ref_taxonomia_subtema(t23, "salud")->origen, "salud");
    assert_true(strlen(s->definicion) > 0);

    pmm_error err;
    pmm_error_clear(&err);
    assert_null(refdata_taxonomia(ref, "no-existe"));
    assert_null(refdata_taxonomia(ref, NULL));
    assert_null(refdata_taxonomia_pedir(ref, "no-existe", "--taxonomia", &err));
    assert_string_equal(err.campo, "--taxonomia");
    assert_non_null(strstr(err.mensaje, "«no-existe»"));
    assert_non_null(strstr(err.mensaje, "2018-2022 y 2023"));
    assert_ptr_equal(refdata_taxonomia_pedir(ref, "2023", "x", &err), t23);
}

/* ---- broken copies of data/ --------------------------------------------- */

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) == (size_t)n)
        s[n] = '\0';
    fclose(f);
    return s;
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static const char *const FILES[] = {
    "dependencias.csv", "entidades.csv", "alias_dependencias.csv", "alias_entidades.csv",
    "objetivos.csv", "retos.csv", "ods.csv",
    "ods_metas.csv", "taxonomias/2018-2022.csv", "taxonomias/2023.csv"};
#define NFILES (sizeof FILES / sizeof FILES[0])

/* A copy of data/ in a fresh directory. */
static void copy_data(char *dir)
{
    strcpy(dir, "/tmp/pmm-refdata-XXXXXX");
    assert_non_null(mkdtemp(dir));
    char path[1024];
    snprintf(path, sizeof path, "%s/taxonomias", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    for (size_t i = 0; i < NFILES; i++) {
        snprintf(path, sizeof path, "%s/%s", test_data_dir(), FILES[i]);
        char *s = read_file(path);
        assert_non_null(s);
        write_file(dir, FILES[i], s);
        free(s);
    }
}

static void remove_data(const char *dir)
{
    char path[1024];
    for (size_t i = 0; i < NFILES; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, FILES[i]);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/taxonomias/extra.csv", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/taxonomias", dir);
    rmdir(path);
    rmdir(dir);
}

/* Loading the copy with `name` replaced by `text` fails with a message
 * containing `expect`. */
static void refused(const char *name, const char *text, const char *expect)
{
    char dir[64];
    copy_data(dir);
    write_file(dir, name, text);
    pmm_error err;
    pmm_error_clear(&err);
    refdata *r = refdata_load(dir, &err);
    if (r || !strstr(err.mensaje, expect))
        fail_msg("%s: se esperaba «%s», se obtuvo «%s»", name, expect,
                 r ? "(aceptado)" : err.mensaje);
    remove_data(dir);
}

static void broken_files_are_refused(void **state)
{
    (void)state;
    char dir[64];
    copy_data(dir);
    pmm_error err;
    refdata *r = refdata_load(dir, &err);
    assert_non_null(r);   /* the unedited copy loads */
    refdata_destroy(&r);
    remove_data(dir);

    refused("alias_dependencias.csv", "alias,sigla,nota\nFoo,NOEXISTE,\n",
            "la sigla «NOEXISTE» no está en dependencias.csv");
    refused("alias_dependencias.csv", "alias,sigla,nota\nS.R.E.,SSA,\n",
            "«S.R.E.» nombraría a SSA, pero ya nombra a SRE");
    refused("alias_dependencias.csv", "alias,sigla,nota\n...,SSA,\n",
            "no tiene letras ni dígitos");
    refused("alias_entidades.csv", "tipo,texto,clave,nota\nalias,Jal,15,\n",
            "«Jal» nombraría a 15 (México), pero ya nombra a 14 (Jalisco)");
    refused("alias_entidades.csv", "tipo,texto,clave,nota\nalias,Foo,33,\n",
            "fila 2: el tipo es «alias»");
    refused("alias_entidades.csv", "tipo,texto,clave,nota\notro,Foo,01,\n",
            "fila 2: el tipo es «alias»");
    refused("ods.csv", "numero,nombre\n1,Uno\n1,Otra vez\n", "ODS inválido o repetido");
    refused("ods.csv", "numero,nombre\n1,Uno\n", "falta el ODS 2");
    refused("ods_metas.csv", "ods,meta,predeterminada,nombre\n8,9.1,1,X\n",
            "con la meta del mismo ODS");
    refused("ods_metas.csv", "ods,meta,predeterminada,nombre\n8,8.8,1,X\n8,8.8,0,Y\n",
            "la meta 8.8 está repetida");
    refused("retos.csv", "codigo,nombre\n,Sin código\n", "se esperan codigo,nombre");
    refused("retos.csv", "codigo,nombre\na,A\na,B\n", "«a» está repetida");
    refused("taxonomias/extra.csv", "taxonomia,eje,subtema\n", "faltan columnas");
    refused("taxonomias/extra.csv",
            "taxonomia,eje,eje_nombre,subtema,subtema_nombre\nextra,0,E,s,S\n",
            "eje «0» no válido");
    refused("taxonomias/extra.csv",
            "taxonomia,eje,eje_nombre,subtema,subtema_nombre\nextra,1,E,s,S\nextra,1,E,s,T\n",
            "el subtema «s» está repetido");
    refused("taxonomias/extra.csv",
            "taxonomia,eje,eje_nombre,subtema,subtema_nombre\notra,1,E,s,S\n",
            "no es la del archivo (extra)");
    refused("taxonomias/extra.csv", "taxonomia,eje,eje_nombre,subtema,subtema_nombre\n",
            "no tiene subtemas");

    /* comment rows are skipped; origen defaults to the code; the columns
     * may come in any order */
    copy_data(dir);
    write_file(dir, "taxonomias/extra.csv",
               "subtema_nombre,subtema,eje_nombre,eje\n# comentario,,,\nS,s,E,2\n");
    r = refdata_load(dir, &err);
    assert_non_null(r);
    assert_int_equal(refdata_taxonomia_count(r), 3);
    const ref_taxonomia *t = refdata_taxonomia(r, "extra");
    assert_int_equal(t->nsubtemas, 1);
    assert_string_equal(t->subtemas[0].origen, "s");
    assert_string_equal(t->subtemas[0].definicion, "");
    assert_string_equal(ref_taxonomia_eje_nombre(t, 2), "E");
    refdata_destroy(&r);
    remove_data(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bodies_states_objectives),
        cmocka_unit_test(names_and_aliases),
        cmocka_unit_test(closest_names),
        cmocka_unit_test(challenges),
        cmocka_unit_test(sdgs_and_targets),
        cmocka_unit_test(taxonomies),
        cmocka_unit_test(broken_files_are_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
