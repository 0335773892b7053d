/* Unit tests for the classifier (lib/clasif/): the model's scoring on
 * tiny hand-made examples, lexicon precedence, the SDG rule, model files,
 * the 2023 taxonomy and challenge categories. Each test builds its own data
 * directory; the last one checks the shipped data/ (PMM_DATOS). */
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

#include "clasificador.h"
#include "clasif_memoria.h"
#include "entrenar.h"

static char dir[256];

static void write_file(const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static const char *TAX =
    "taxonomia,eje,eje_nombre,subtema,subtema_nombre,origen,definicion\n"
    "2018-2022,1,Atención,salud,Salud,salud,x\n"
    "2018-2022,3,Coordinación,capacitacion,Cursos,capacitacion,x\n"
    "2018-2022,4,Otros,otros,Otros,otros,x\n";
static const char *TAX23 =
    "taxonomia,eje,eje_nombre,subtema,subtema_nombre,origen,definicion\n"
    "2023,1,Atención,salud,Salud,salud,x\n"
    "2023,1,Atención,integracion,Integración,otros,x\n"
    "2023,3,Coordinación,capacitacion,Cursos,capacitacion,x\n"
    "2023,4,Otros,otros,Otros,otros,x\n";

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/pmm-test-clasif-XXXXXX");
    assert_non_null(mkdtemp(dir));
    char sub[300];
    snprintf(sub, sizeof sub, "%s/taxonomias", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    write_file("taxonomias/2018-2022.csv", TAX);
    write_file("taxonomias/2023.csv", TAX23);
    /* refdata (the one owner of the reference files) wants all of them:
     * every SDG, state and objective, and the bodies */
    char buf[4096];
    size_t w = (size_t)snprintf(buf, sizeof buf, "numero,nombre\n");
    static const char *const ods[] = {[3] = "Salud", [4] = "Educación", [8] = "Trabajo",
                                      [10] = "Desigualdades"};
    for (int k = 1; k <= 17; k++)
        w += (size_t)snprintf(buf + w, sizeof buf - w, "%d,%s\n", k,
                              k < 11 && ods[k] ? ods[k] : "Otro ODS");
    write_file("ods.csv", buf);
    w = (size_t)snprintf(buf, sizeof buf, "clave,nombre,abreviatura\n");
    for (int k = 1; k <= 32; k++)
        w += (size_t)snprintf(buf + w, sizeof buf - w, "%02d,Entidad %d,E%d\n", k, k, k);
    write_file("entidades.csv", buf);
    w = (size_t)snprintf(buf, sizeof buf, "numero,titulo\n");
    for (int k = 1; k <= 23; k++)
        w += (size_t)snprintf(buf + w, sizeof buf - w, "%d,Objetivo %d\n", k, k);
    write_file("objetivos.csv", buf);
    write_file("dependencias.csv", "sigla,nombre,tipo\nSRE,Secretaría de Relaciones "
                                   "Exteriores,secretaria\nSSA,Secretaría de Salud,"
                                   "secretaria\n");
    write_file("ods_metas.csv", "ods,meta,predeterminada,nombre\n"
                                "3,3.8,1,Cobertura\n3,3.5,0,Adicciones\n"
                                "8,8.8,1,Derechos laborales\n"
                                "10,10.7,1,Migración ordenada\n");
    write_file("retos.csv", "codigo,nombre,definicion\n"
                            "presupuesto,Presupuesto,x\notro,Otro,x\n");
    write_file("stopwords_es.txt", "# prueba\nde\nla\nel\ny\nen\na\nun\nuna\n"
                                   "para\nlos\nlas\ncon\n");
    write_file("lexico.csv", "tipo,termino,destino,peso\n");
    /* refdata reads the alias lists too (no aliases here) */
    write_file("alias_dependencias.csv", "alias,sigla,nota\n");
    write_file("alias_entidades.csv", "tipo,texto,clave,nota\n");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    const char *files[] = {"taxonomias/2018-2022.csv", "taxonomias/2023.csv",
                           "ods.csv", "ods_metas.csv", "retos.csv", "entidades.csv",
                           "objetivos.csv", "dependencias.csv", "alias_dependencias.csv",
                           "alias_entidades.csv", "stopwords_es.txt", "lexico.csv",
                           "modelo.txt"};
    char path[512];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/taxonomias", dir);
    rmdir(path);
    rmdir(dir);
    return 0;
}

static const int ODS_SALUD[] = {3, 10};
static const int ODS_CAP[] = {10};
static const int ODS_OTROS[] = {8, 10};

/* Nine hand-written fichas, three per sub-topic. */
static clasif_modelo *entrenar(clasificador *c)
{
    static const struct {
        const char *texto, *subtema;
    } ej[] = {
        {"Consultas médicas y vacunas en la clínica", "salud"},
        {"Vacunación y atención médica a familias", "salud"},
        {"Consulta médica y medicamentos gratuitos", "salud"},
        {"Taller para servidores públicos", "capacitacion"},
        {"Curso de capacitación en derechos", "capacitacion"},
        {"Talleres y cursos para el personal", "capacitacion"},
        {"Torneo de futbol entre comunidades", "otros"},
        {"Festival cultural y torneo deportivo", "otros"},
        {"Premio a migrantes destacados en el festival", "otros"},
    };
    clasif_ejemplo e[9];
    memset(e, 0, sizeof e);
    for (size_t i = 0; i < 9; i++) {
        e[i].entrada.resultados = ej[i].texto;
        e[i].subtema = ej[i].subtema;
        e[i].grupo = 2020;
        if (!strcmp(ej[i].subtema, "salud")) {
            e[i].ods = ODS_SALUD;
            e[i].nods = 2;
        } else if (!strcmp(ej[i].subtema, "capacitacion")) {
            e[i].ods = ODS_CAP;
            e[i].nods = 1;
        } else {
            e[i].ods = ODS_OTROS;
            e[i].nods = 2;
        }
    }
    pmm_error err;
    clasif_modelo *m = clasif_modelo_entrenar(c, e, 9, &err);
    assert_non_null(m);
    assert_true(clasif_modelo_rasgos(m) > 10);
    return m;
}

static clasificador *nuevo(void)
{
    pmm_error err;
    clasificador *c = clasificador_new(dir, &err);
    if (!c)
        fail_msg("clasificador_new: %s", err.mensaje);
    return c;
}

static void clasificar(clasificador *c, const char *texto, const char *tax,
                       clasif_resultado *r)
{
    clasif_entrada in = {.resultados = texto};
    pmm_error err;
    assert_int_equal(clasificador_classify(c, &in, tax, r, &err), 0);
}

static bool tiene_ods(const clasif_resultado *r, int s)
{
    for (size_t i = 0; i < r->nods; i++)
        if (r->ods[i].numero == s)
            return true;
    return false;
}

static bool evidencia_con(const clasif_resultado *r, const char *needle)
{
    for (size_t i = 0; i < r->nevidencia; i++)
        if (strstr(r->evidencia[i], needle))
            return true;
    return false;
}

/* Evidence an analyst reads: no weights, no feature syntax, no codes. */
static void sin_internos(const clasif_resultado *r)
{
    for (size_t i = 0; i < r->nevidencia; i++) {
        const char *e = r->evidencia[i];
        assert_null(strstr(e, "(+"));
        assert_null(strstr(e, "rasgo"));
        assert_null(strstr(e, "«#"));
        assert_null(strstr(e, "«p:"));
        assert_null(strstr(e, "«@"));
        assert_null(strstr(e, "«~"));
        assert_null(strstr(e, "→"));
    }
}

static void test_modelo_puntua(void **state)
{
    (void)state;
    clasificador *c = nuevo();
    assert_false(clasificador_tiene_modelo(c));
    clasificador_usar_modelo(c, entrenar(c));
    assert_true(clasificador_tiene_modelo(c));
    clasif_resultado r;
    clasificar(c, "Se aplicaron vacunas y hubo consultas médicas", NULL, &r);
    assert_string_equal(r.subtema.codigo, "salud");
    assert_int_equal(r.eje, 1);
    assert_true(r.subtema.confianza > 0.5);
    /* the words of the text that weighed most, as written */
    assert_true(evidencia_con(&r, "términos del texto que más pesaron: "));
    assert_true(evidencia_con(&r, "«vacunas»") || evidencia_con(&r, "«consultas»") ||
                evidencia_con(&r, "«médicas»"));
    sin_internos(&r);
    assert_string_equal(r.taxonomia, "2018-2022");
    assert_non_null(strstr(r.version, "modelo:"));
    /* results reported: the sub-topic's SDGs, with a default target */
    assert_true(r.con_resultados);
    assert_true(tiene_ods(&r, 3));
    assert_true(tiene_ods(&r, 10));
    assert_false(tiene_ods(&r, 8));
    assert_string_equal(r.metas[0].meta, "3.8");

    clasificar(c, "Un curso y dos talleres", NULL, &r);
    assert_string_equal(r.subtema.codigo, "capacitacion");
    assert_int_equal(r.eje, 3);
    clasificar(c, "Torneo de futbol", NULL, &r);
    assert_string_equal(r.subtema.codigo, "otros");
    assert_int_equal(r.eje, 4);

    /* no results text and no counts: no SDG (the method's rule) */
    clasif_entrada in = {.objetivo = "Vacunas y consultas médicas"};
    pmm_error err;
    assert_int_equal(clasificador_classify(c, &in, NULL, &r, &err), 0);
    assert_string_equal(r.subtema.codigo, "salud");
    assert_false(r.con_resultados);
    assert_int_equal(r.nods, 0);
    assert_int_equal(r.nmetas, 0);
    /* a count is a result */
    in.personas = 40;
    in.hay_personas = true;
    assert_int_equal(clasificador_classify(c, &in, NULL, &r, &err), 0);
    assert_true(r.con_resultados);
    assert_true(tiene_ods(&r, 3));
    /* unknown taxonomy */
    assert_int_equal(clasificador_classify(c, &in, "1999", &r, &err), -1);
    assert_string_equal(err.campo, "taxonomia");
    clasificador_destroy(&c);
    assert_null(c);
}

static void test_lexico_precede(void **state)
{
    (void)state;
    write_file("lexico.csv", "tipo,termino,destino,peso\n"
                             "# el analista decide que las vacunas son otros\n"
                             "subtema,vacunas,otros,50\n"
                             "meta,adicciones,3.5,1\n"
                             "sin_resultados,sin resultados todavía,,1\n");
    clasificador *c = nuevo();
    clasificador_usar_modelo(c, entrenar(c));
    clasif_resultado r;
    clasificar(c, "Se aplicaron vacunas y hubo consultas médicas", NULL, &r);
    assert_string_equal(r.subtema.codigo, "otros");
    assert_true(evidencia_con(&r, "término del léxico de «Otros» en el texto: «vacunas»"));
    sin_internos(&r);
    /* without the term the model decides */
    clasificar(c, "Hubo consultas médicas y atención de adicciones", NULL, &r);
    assert_string_equal(r.subtema.codigo, "salud");
    assert_string_equal(r.metas[0].meta, "3.5");     /* lexicon target */
    /* a results text that says there are none */
    clasificar(c, "Consultas médicas: sin resultados todavía", NULL, &r);
    assert_false(r.con_resultados);
    assert_int_equal(r.nods, 0);
    clasificador_destroy(&c);
    write_file("lexico.csv", "tipo,termino,destino,peso\n");
}

static void test_lexico_invalido(void **state)
{
    (void)state;
    write_file("lexico.csv", "tipo,termino,destino,peso\n"
                             "subtema,vacunas,inexistente,1\n");
    pmm_error err;
    clasificador *c = clasificador_new(dir, &err);
    assert_null(c);
    assert_string_equal(err.campo, "destino");
    assert_non_null(strstr(err.mensaje, "fila 2"));
    write_file("lexico.csv", "tipo,termino,destino,peso\n"
                             "subtema,vacunas,salud,mucho\n");
    assert_null(clasificador_new(dir, &err));
    assert_string_equal(err.campo, "peso");
    write_file("lexico.csv", "tipo,termino,destino,peso\n");
}

static void test_guardar_cargar(void **state)
{
    (void)state;
    clasificador *c = nuevo();
    clasif_modelo *m = entrenar(c);
    char path[512];
    snprintf(path, sizeof path, "%s/modelo.txt", dir);
    pmm_error err;
    assert_int_equal(clasif_modelo_guardar(m, path, &err), 0);
    clasificador_usar_modelo(c, m);
    clasif_resultado a, b;
    clasificar(c, "Talleres de capacitación y vacunas", NULL, &a);
    clasificador *c2 = nuevo();                 /* loads modelo.txt */
    assert_true(clasificador_tiene_modelo(c2));
    clasificar(c2, "Talleres de capacitación y vacunas", NULL, &b);
    assert_string_equal(a.subtema.codigo, b.subtema.codigo);
    assert_float_equal(a.subtema.confianza, b.subtema.confianza, 1e-3);
    assert_int_equal(a.nods, b.nods);
    clasificador_destroy(&c);
    clasificador_destroy(&c2);
    /* a damaged model file is refused with its line */
    FILE *f = fopen(path, "a");
    fputs("basura\t1\n", f);
    fclose(f);
    assert_null(clasificador_new(dir, &err));
    assert_non_null(strstr(err.mensaje, "basura"));
    unlink(path);
}

/* The model file records what it was trained on, its weights and its
 * calibration, and a retrained model (clasif_modelo_reentrenar) keeps the
 * base's settings. */
static void test_procedencia(void **state)
{
    (void)state;
    clasificador *c = nuevo();
    clasif_modelo *m = entrenar(c);
    assert_int_equal(clasif_modelo_anotar_fuente(m, "corpus\tc.jsonl\t9 registros\t2020-2020"), 0);
    clasif_modelo_anotar_pesos(m, 0.7, 3, "prueba");
    char path[512];
    snprintf(path, sizeof path, "%s/procedencia.txt", dir);
    pmm_error err;
    assert_int_equal(clasif_modelo_guardar(m, path, &err), 0);
    clasif_modelo_destroy(&m);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[4096];
    bool fuente = false, pesos = false, entrenador = false;
    while (fgets(line, sizeof line, f)) {
        fuente |= !strcmp(line, "fuente\tcorpus\tc.jsonl\t9 registros\t2020-2020\n");
        pesos |= !strncmp(line, "pesos\t0.7\t3\tprueba", 18);
        entrenador |= !strncmp(line, "entrenador\tpmm-entrenar/", 24);
    }
    fclose(f);
    assert_true(fuente && pesos && entrenador);
    clasif_modelo *l = clasif_modelo_cargar(path, &err);
    assert_non_null(l);
    clasif_modelo *a = clasif_modelo_ajustes(l);
    assert_non_null(a);
    static const int ods[] = {3, 10};
    clasif_ejemplo e[2] = {
        {.entrada = {.resultados = "Vacunas en la clínica"}, .subtema = "salud",
         .ods = ods, .nods = 2, .grupo = 2021},
        {.entrada = {.resultados = "Taller para el personal"}, .subtema = "capacitacion",
         .ods = ods + 1, .nods = 1, .grupo = 2021},
    };
    clasif_modelo *r = clasif_modelo_reentrenar(c, e, 2, a, &err);
    assert_non_null(r);
    assert_int_equal(clasif_modelo_guardar(r, path, &err), 0);
    f = fopen(path, "r");
    pesos = false;
    while (fgets(line, sizeof line, f))
        pesos |= !strncmp(line, "pesos\t0.7\t3\tprueba", 18);
    fclose(f);
    assert_true(pesos);
    /* a calibration line out of order is refused */
    f = fopen(path, "a");
    fputs("calibracion\t0.9:0.8\t0.5:0.4\n", f);
    fclose(f);
    assert_null(clasif_modelo_cargar(path, &err));
    assert_non_null(strstr(err.mensaje, "crecientes"));
    unlink(path);
    clasif_modelo_destroy(&r);
    clasif_modelo_destroy(&a);
    clasif_modelo_destroy(&l);
    clasificador_destroy(&c);
}

/* Weights: recency r^|year - objetivo|, decisions times their factor,
 * mean 1. */
static void test_pesos(void **state)
{
    (void)state;
    clasif_ejemplo e[3] = {{.grupo = 2020}, {.grupo = 2022}, {.grupo = 2022, .del_ejercicio = true}};
    clasif_pesos p = {0.5, 4, ""};
    clasif_pesos_aplicar(e, 3, 2022, &p);
    /* raw 0.25, 1, 4: mean 1.75 */
    assert_float_equal(e[0].peso, 0.25 / 1.75, 1e-9);
    assert_float_equal(e[1].peso, 1 / 1.75, 1e-9);
    assert_float_equal(e[2].peso, 4 / 1.75, 1e-9);
}

/* Programme memory: the same body and programme name (accents, case and
 * short words aside) in an earlier year gives the analysts' sub-topic as
 * the first evidence; another body, a later year or a text that shares
 * almost nothing do not. */
static void test_memoria(void **state)
{
    (void)state;
    clasificador *c = nuevo();
    clasificador_usar_modelo(c, entrenar(c));
    clasif_memoria *mem = clasif_memoria_nueva();
    assert_non_null(mem);
    const char *desc = "Talleres de formación para el personal consular en derechos";
    assert_int_equal(clasif_memoria_agregar(mem, 2021, "SRE", "Programa de Vacunación Consular",
                                            desc, "capacitacion", "ficha 77"), 0);
    assert_int_equal(clasif_memoria_tamano(mem), 1);
    clasif_recuerdo r;
    assert_true(clasif_memoria_buscar(mem, 2022, "sre", "programa VACUNACION consular",
                                      "Talleres de formación para el personal consular", &r));
    assert_int_equal(r.ejercicio, 2021);
    assert_string_equal(r.subtema, "capacitacion");
    assert_true(r.similitud > 0.5);
    assert_false(clasif_memoria_buscar(mem, 2021, "SRE", "Programa de Vacunación Consular",
                                       desc, &r));
    assert_false(clasif_memoria_buscar(mem, 2022, "SALUD", "Programa de Vacunación Consular",
                                       desc, &r));
    clasif_resultado res;
    clasificar(c, "Consultas médicas y vacunas en la clínica", NULL, &res);
    assert_string_equal(res.subtema.codigo, "salud");
    assert_true(clasif_memoria_buscar(mem, 2022, "SRE", "Programa de Vacunación Consular",
                                      desc, &r));
    assert_true(clasif_memoria_aplicar(c, &r, &res));
    assert_string_equal(res.subtema.codigo, "capacitacion");
    assert_string_equal(res.evidencia[0],
                        "programa similar en 2021 (ficha 77): un analista lo clasificó en "
                        "«Cursos»");
    assert_string_equal(res.secundarios[0].codigo, "salud");
    assert_true(res.subtema.confianza > 0 && res.subtema.confianza <= 1);
    /* the text changed materially: not applied */
    clasificar(c, "Consultas médicas y vacunas en la clínica", NULL, &res);
    assert_true(clasif_memoria_buscar(mem, 2022, "SRE", "Programa de Vacunación Consular",
                                      "Entrega de despensas en albergues", &r));
    assert_false(clasif_memoria_aplicar(c, &r, &res));
    assert_string_equal(res.subtema.codigo, "salud");
    clasif_memoria_destroy(&mem);
    clasificador_destroy(&c);
}

static void test_taxonomia_2023(void **state)
{
    (void)state;
    write_file("lexico.csv", "tipo,termino,destino,peso\n"
                             "subtema,integración,integracion,3\n");
    clasificador *c = nuevo();
    assert_true(clasificador_tiene_taxonomia(c, "2023"));
    clasificador_usar_modelo(c, entrenar(c));
    clasif_resultado r;
    clasificar(c, "Festival cultural para la integración", "2023", &r);
    assert_string_equal(r.subtema.codigo, "integracion");
    assert_int_equal(r.eje, 1);
    assert_string_equal(r.taxonomia, "2023");
    clasificar(c, "Festival cultural para la integración", NULL, &r);
    assert_string_equal(r.subtema.codigo, "otros");
    /* without the lexicon term, the origin class keeps ties */
    clasificar(c, "Torneo de futbol", "2023", &r);
    assert_string_equal(r.subtema.codigo, "otros");
    const char *codes[8];
    int ejes[8];
    assert_int_equal(clasificador_subtemas(c, "2023", codes, ejes, 8), 4);
    assert_string_equal(codes[1], "integracion");
    clasificador_destroy(&c);
    write_file("lexico.csv", "tipo,termino,destino,peso\n");
}

/* The taxonomy is chosen by year: the rule is data (column "desde"). */
static void test_taxonomia_por_anio(void **state)
{
    (void)state;
    /* the fixture's files carry no "desde": the default for every year */
    clasificador *c = nuevo();
    assert_string_equal(clasificador_taxonomia_de(c, 2023), "2018-2022");
    clasificador_destroy(&c);
    char t1[512], t2[512];
    snprintf(t1, sizeof t1, "%s", TAX);
    snprintf(t2, sizeof t2, "%s", TAX23);
    /* add the column: 2018-2022 from 2018, 2023 from 2023 */
    char a[1024], b[1024];
    size_t wa = 0, wb = 0;
    for (char *l = strtok(t1, "\n"); l; l = strtok(NULL, "\n"))
        wa += (size_t)snprintf(a + wa, sizeof a - wa, "%s,%s\n", l, wa ? "2018" : "desde");
    for (char *l = strtok(t2, "\n"); l; l = strtok(NULL, "\n"))
        wb += (size_t)snprintf(b + wb, sizeof b - wb, "%s,%s\n", l, wb ? "2023" : "desde");
    write_file("taxonomias/2018-2022.csv", a);
    write_file("taxonomias/2023.csv", b);
    write_file("lexico.csv", "tipo,termino,destino,peso\n"
                             "subtema,integración,integracion,3\n");
    c = nuevo();
    assert_string_equal(clasificador_taxonomia_de(c, 2018), "2018-2022");
    assert_string_equal(clasificador_taxonomia_de(c, 2022), "2018-2022");
    assert_string_equal(clasificador_taxonomia_de(c, 2023), "2023");
    assert_string_equal(clasificador_taxonomia_de(c, 2030), "2023");
    clasif_entrada in = {.resultados = "Festival cultural para la integración",
                         .ejercicio = 2023};
    clasif_resultado r;
    pmm_error err;
    assert_int_equal(clasificador_classify(c, &in, NULL, &r, &err), 0);
    assert_string_equal(r.taxonomia, "2023");
    assert_string_equal(r.subtema.codigo, "integracion");
    in.ejercicio = 2022;
    assert_int_equal(clasificador_classify(c, &in, NULL, &r, &err), 0);
    assert_string_equal(r.taxonomia, "2018-2022");
    clasificador_destroy(&c);
    write_file("taxonomias/2018-2022.csv", TAX);
    write_file("taxonomias/2023.csv", TAX23);
    write_file("lexico.csv", "tipo,termino,destino,peso\n");
}

/* A sub-topic decided by an analyst brings its own SDG proposal: a ficha
 * moved from health to training does not keep SDG 3. */
static void test_ods_para_subtema(void **state)
{
    (void)state;
    clasificador *c = nuevo();
    clasificador_usar_modelo(c, entrenar(c));
    clasif_resultado r, p;
    clasificar(c, "Se aplicaron vacunas y hubo consultas médicas", NULL, &r);
    assert_string_equal(r.subtema.codigo, "salud");
    assert_true(tiene_ods(&r, 3));
    clasif_entrada in = {.resultados = "Se aplicaron vacunas y hubo consultas médicas"};
    pmm_error err;
    assert_int_equal(clasificador_ods_para_subtema(c, &in, NULL, "capacitacion", &p, &err), 0);
    assert_string_equal(p.subtema.codigo, "capacitacion");
    assert_true(p.con_resultados);
    assert_false(tiene_ods(&p, 3));
    assert_true(tiene_ods(&p, 10));
    for (size_t i = 0; i < p.nmetas; i++)
        assert_true(strncmp(p.metas[i].meta, "3.", 2) != 0);
    /* the same sub-topic gives the classifier's own SDGs */
    assert_int_equal(clasificador_ods_para_subtema(c, &in, NULL, "salud", &p, &err), 0);
    assert_true(tiene_ods(&p, 3));
    /* an unknown sub-topic names the option */
    assert_int_equal(clasificador_ods_para_subtema(c, &in, NULL, "nada", &p, &err), -1);
    assert_string_equal(err.campo, "--subtema");
    /* no results: no SDGs whatever the sub-topic */
    clasif_entrada vacia = {.programa = "Curso de capacitación"};
    assert_int_equal(clasificador_ods_para_subtema(c, &vacia, NULL, "salud", &p, &err), 0);
    assert_false(p.con_resultados);
    assert_int_equal((int)p.nods, 0);
    clasificador_destroy(&c);
}

static void test_retos(void **state)
{
    (void)state;
    write_file("lexico.csv", "tipo,termino,destino,peso\n"
                             "reto,presupuesto,presupuesto,1\n"
                             "reto,recorte,presupuesto,1\n");
    clasificador *c = nuevo();
    clasif_entrada in = {.resultados = "Consultas médicas",
                         .retos = "Hubo recortes al presupuesto."};
    clasif_resultado r;
    pmm_error err;
    assert_int_equal(clasificador_classify(c, &in, NULL, &r, &err), 0);
    assert_int_equal(r.nretos, 1);
    assert_string_equal(r.retos[0].codigo, "presupuesto");
    assert_true(r.retos[0].confianza > 0.8);
    in.retos = "Algo que nadie previó";
    assert_int_equal(clasificador_classify(c, &in, NULL, &r, &err), 0);
    assert_int_equal(r.nretos, 1);
    assert_string_equal(r.retos[0].codigo, "otro");
    in.retos = NULL;
    assert_int_equal(clasificador_classify(c, &in, NULL, &r, &err), 0);
    assert_int_equal(r.nretos, 0);
    /* the word in the results text is not a challenge */
    in.resultados = "Se ejerció el presupuesto";
    assert_int_equal(clasificador_classify(c, &in, NULL, &r, &err), 0);
    assert_int_equal(r.nretos, 0);
    clasificador_destroy(&c);
    write_file("lexico.csv", "tipo,termino,destino,peso\n");
}

/* The shipped data directory: lexicon and trained model load, and plain
 * hand-written fichas land where a person would put them. */
static void test_datos_reales(void **state)
{
    (void)state;
    const char *d = getenv("PMM_DATOS");
    if (!d || !*d)
        fail_msg("PMM_DATOS no está definido (ctest lo define)");
    pmm_error err;
    clasificador *c = clasificador_new(d, &err);
    if (!c)
        fail_msg("%s", err.mensaje);
    assert_true(clasificador_tiene_modelo(c));
    assert_true(clasificador_tiene_taxonomia(c, "2023"));
    struct {
        const char *programa, *texto, *subtema;
    } casos[] = {
        {"Campaña de vacunación", "Se aplicaron 3 000 vacunas y se dieron "
                                  "consultas médicas en albergues.", "salud"},
        {"Entrega de actas de nacimiento", "Se entregaron 500 actas de "
                                           "nacimiento y CURP a personas "
                                           "retornadas.", "identidad"},
        {"Curso en línea", "Se capacitó a 200 servidores públicos en "
                           "derechos humanos con talleres.", "capacitacion"},
    };
    for (size_t i = 0; i < sizeof casos / sizeof casos[0]; i++) {
        clasif_entrada in = {.programa = casos[i].programa,
                             .resultados = casos[i].texto};
        clasif_resultado r;
        assert_int_equal(clasificador_classify(c, &in, NULL, &r, &err), 0);
        assert_string_equal(r.subtema.codigo, casos[i].subtema);
        assert_true(r.nods > 0);
        assert_true(r.nevidencia > 0);
    }
    clasificador_destroy(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_modelo_puntua),
        cmocka_unit_test(test_lexico_precede),
        cmocka_unit_test(test_lexico_invalido),
        cmocka_unit_test(test_guardar_cargar),
        cmocka_unit_test(test_procedencia),
        cmocka_unit_test(test_pesos),
        cmocka_unit_test(test_memoria),
        cmocka_unit_test(test_taxonomia_2023),
        cmocka_unit_test(test_taxonomia_por_anio),
        cmocka_unit_test(test_ods_para_subtema),
        cmocka_unit_test(test_retos),
        cmocka_unit_test(test_datos_reales),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
