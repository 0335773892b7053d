/* pmm cobertura -- reporting rates of the yearly call (issue 18).
 *
 *   pmm cobertura --ejercicio AÑO|AÑO-AÑO [--formato tabla|json|csv]
 *   pmm cobertura --por objetivo --ejercicio AÑO [--n 3] [--formato ...]
 *                                                    (cobertura_objetivo.c)
 *
 * Expected, delivered, on time, late, without actions, missing; the
 * reporting rate and the on-time rate overall, by type and by sector
 * (cobertura.h: the arithmetic, defined in SQL by pmm_cobertura); over a
 * range, the terms added up and the consistency: bodies that delivered in
 * every year with a call against those that delivered in any. Read-only.
 */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cobertura.h"
#include "commands.h"
#include "consulta_db.h"
#include "consulta_opciones.h"
#include "consulta_salida.h"
#include "cuerpos.h"
#include "opciones.h"

#define CMD "cobertura"

int cobertura_objetivo(const pmm_conf *conf, int anio, size_t n, consulta_formato f);

static void ayuda(void)
{
    printf("Uso: pmm cobertura --ejercicio AÑO|AÑO-AÑO [--formato tabla|json|csv]\n"
           "       pmm cobertura --por objetivo --ejercicio AÑO [--n 3] [--formato "
           "tabla|json|csv]\n\n"
           "Cuántos cuerpos se esperaban, cuántos entregaron (a tiempo, tarde, sin "
           "acciones) y\ncuántos faltan; la tasa de entrega y la tasa a tiempo, en total, "
           "por tipo\n(federal, estatal...) y por sector, y quiénes faltan. Con un rango "
           "de años suma\nlos ejercicios con convocatoria y da la consistencia: cuerpos "
           "que entregaron todos\nlos años frente a los que entregaron alguno.\n\n"
           "  --ejercicio AÑO      un año (2022) o un rango (2018-2022)\n"
           "  --por objetivo       por objetivo del Pacto: acciones y cuerpos, objetivos "
           "sin\n"
           "                       acciones y, para los más débiles, los cuerpos que los "
           "atendieron\n"
           "                       en años anteriores y este año no\n"
           "  --n N                cuántos objetivos débiles (los de menos acciones, con "
           "empates;\n"
           "                       predeterminado 3)\n"
           "  --formato F          tabla (predeterminado), json o csv\n"
           "  -h, --help           muestra esta ayuda\n\n"
           "Regla: %s\n\n"
           "Ejemplos:\n  pmm cobertura --ejercicio 2022\n"
           "  pmm cobertura --ejercicio 2018-2022 --formato json\n"
           "  pmm cobertura --por objetivo --ejercicio 2022\n",
           COBERTURA_NOTA);
}

static json_t *tasa_json(double t)
{
    return t < 0 ? json_null() : json_real(round(t * 10000.0) / 10000.0);
}

static json_t *cuenta_json(const cob_cuenta *c)
{
    return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:o,s:o}", "esperados",
                     (json_int_t)c->esperados, "entregaron", (json_int_t)c->entregaron,
                     "a_tiempo", (json_int_t)c->a_tiempo, "tarde", (json_int_t)c->tarde,
                     "sin_acciones", (json_int_t)c->sin_acciones, "faltan",
                     (json_int_t)c->faltan, "tasa", tasa_json(cobertura_tasa(c)),
                     "tasa_a_tiempo", tasa_json(cobertura_tasa_a_tiempo(c)));
}

static void sumar_grupo(json_t *por_tipo, const cob_grupo *g)
{
    json_t *t = json_object_get(por_tipo, g->tipo);
    if (!strcmp(g->nivel, "tipo")) {
        json_t *nuevo = cuenta_json(&g->c);
        json_t *sect = t ? json_incref(json_object_get(t, "por_sector")) : json_object();
        json_object_set_new(nuevo, "por_sector", sect);
        json_object_set_new(por_tipo, g->tipo, nuevo);
        return;
    }
    if (!t) {   /* a sector before its type: a placeholder the type replaces */
        t = json_object();
        json_object_set_new(t, "por_sector", json_object());
        json_object_set_new(por_tipo, g->tipo, t);
    }
    json_object_set_new(json_object_get(t, "por_sector"), g->sector, cuenta_json(&g->c));
}

/* The groups of several years added up, in the order they come. */
typedef struct {
    cob_grupo *g;
    size_t n;
} suma_grupos;

static int acumular_grupos(suma_grupos *s, const cob_anio *a)
{
    for (size_t i = 0; i < a->ng; i++) {
        const cob_grupo *g = &a->g[i];
        size_t k = 0;
        while (k < s->n && (strcmp(s->g[k].nivel, g->nivel) || strcmp(s->g[k].tipo, g->tipo) ||
                            strcmp(s->g[k].sector, g->sector)))
            k++;
        if (k == s->n) {
            cob_grupo *ng = realloc(s->g, (s->n + 1) * sizeof *ng);
            if (!ng)
                return -1;
            s->g = ng;
            s->g[k] = (cob_grupo){.tipo = strdup(g->tipo), .sector = strdup(g->sector)};
            snprintf(s->g[k].nivel, sizeof s->g[k].nivel, "%s", g->nivel);
            s->n++;
            if (!s->g[k].tipo || !s->g[k].sector)
                return -1;
        }
        cobertura_acumular(&s->g[k].c, &g->c);
    }
    return 0;
}

static const char *pct(double t, char *buf, size_t cap)
{
    if (t < 0)
        snprintf(buf, cap, "–");
    else {
        /* tenths rounded half up, as the Informe's annex (informe_decimas) */
        int d = t > 1000.0 ? 1000000 : (int)floor(t * 1000.0 + 0.5 + 1e-9);
        snprintf(buf, cap, "%d.%d %%", d / 10, d % 10);
    }
    return buf;
}

static void fila_cuenta(consulta_grilla *g, const char *rotulo, const cob_cuenta *c)
{
    char v[6][24], t1[24], t2[24];
    long long x[] = {c->esperados, c->entregaron, c->a_tiempo, c->tarde, c->sin_acciones,
                     c->faltan};
    for (int i = 0; i < 6; i++)
        snprintf(v[i], sizeof v[i], "%lld", x[i]);
    const char *row[] = {rotulo, v[0], v[1], v[2], v[3], v[4], v[5],
                         pct(cobertura_tasa(c), t1, sizeof t1),
                         pct(cobertura_tasa_a_tiempo(c), t2, sizeof t2)};
    consulta_grilla_fila(g, row);
}

static void tabla_grupos(const cob_grupo *gr, size_t n)
{
    consulta_grilla g;
    consulta_grilla_init(&g, 9);
    for (size_t c = 1; c < 9; c++)
        consulta_grilla_derecha(&g, c);
    const char *head[] = {"", "Esperados", "Entregaron", "A tiempo", "Tarde", "Sin acciones",
                          "Faltan", "Tasa", "Tasa a tiempo"};
    consulta_grilla_fila(&g, head);
    consulta_grilla_linea(&g);
    for (size_t i = 0; i < n; i++) {
        char rot[300];
        if (!strcmp(gr[i].nivel, "total"))
            snprintf(rot, sizeof rot, "Total");
        else if (!strcmp(gr[i].nivel, "tipo"))
            snprintf(rot, sizeof rot, "%s", cuerpos_tipo_texto(gr[i].tipo));
        else
            snprintf(rot, sizeof rot, "  %s", *gr[i].sector ? gr[i].sector : "(sin sector)");
        fila_cuenta(&g, rot, &gr[i].c);
    }
    consulta_grilla_imprimir(&g, stdout);
    consulta_grilla_free(&g);
}

static void tabla_faltan(const cob_anio *const *anios, size_t na, bool esperados)
{
    consulta_grilla g;
    bool rango = na > 1;
    consulta_grilla_init(&g, rango ? 6 : 5);
    consulta_grilla_derecha(&g, rango ? 5 : 4);
    const char *head[] = {"Clave", "Nombre", "Tipo", "Estado", "Fichas", NULL};
    const char *head_r[] = {"Año", "Clave", "Nombre", "Tipo", "Estado", "Fichas"};
    consulta_grilla_fila(&g, rango ? head_r : head);
    consulta_grilla_linea(&g);
    for (size_t k = 0; k < na; k++)
        for (size_t i = 0; i < anios[k]->nf; i++) {
            const cob_fila *f = &anios[k]->f[i];
            if (f->esperado != esperados)
                continue;
            char y[8], estado[96], fichas[24];
            snprintf(y, sizeof y, "%d", anios[k]->anio);
            snprintf(estado, sizeof estado, "%s%s", cuerpos_estado_texto(f->estado),
                     f->reabierta ? " (reabierta)" : !f->convocado && !esperados
                                                         ? " (no convocado)"
                                                     : !esperados ? " (no vigente)" : "");
            snprintf(fichas, sizeof fichas, "%lld", f->fichas);
            const char *tipo = cuerpos_tipo_texto(*f->tipo ? f->tipo : NULL);
            const char *row[] = {f->emisor, f->nombre, tipo, estado, fichas, NULL};
            const char *row_r[] = {y, f->emisor, f->nombre, tipo, estado, fichas};
            consulta_grilla_fila(&g, rango ? row_r : row);
        }
    consulta_grilla_imprimir(&g, stdout);
    consulta_grilla_free(&g);
}

static void csv_grupos(const char *ejercicio, const cob_grupo *gr, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const cob_cuenta *c = &gr[i].c;
        printf("%s,%s,", ejercicio, gr[i].nivel);
        consulta_csv_campo(stdout, gr[i].tipo);
        putchar(',');
        consulta_csv_campo(stdout, gr[i].sector);
        printf(",%lld,%lld,%lld,%lld,%lld,%lld,", c->esperados, c->entregaron, c->a_tiempo,
               c->tarde, c->sin_acciones, c->faltan);
        double t = cobertura_tasa(c), ta = cobertura_tasa_a_tiempo(c);
        if (t >= 0)
            printf("%.4f,%.4f\n", t, ta);
        else
            printf(",\n");
    }
}

/* Bodies (as named today) that delivered in every year of anios, and in any. */
static void consistencia(const cob_anio *const *anios, size_t na, json_t **todos,
                         long long *alguno)
{
    json_t *vistos = json_object();
    for (size_t k = 0; k < na; k++)
        for (size_t i = 0; i < anios[k]->nl; i++) {
            json_t *c = json_object_get(vistos, anios[k]->linajes[i]);
            json_object_set_new(vistos, anios[k]->linajes[i],
                                json_integer(c ? json_integer_value(c) + 1 : 1));
        }
    *todos = json_array();
    *alguno = (long long)json_object_size(vistos);
    const char *clave;
    json_t *v;
    json_object_foreach(vistos, clave, v)
        if ((size_t)json_integer_value(v) == na)
            json_array_append_new(*todos, json_string(clave));
    json_decref(vistos);
}

static int comparar_cadenas(const void *a, const void *b)
{
    return strcmp(json_string_value(*(json_t *const *)a), json_string_value(*(json_t *const *)b));
}

static void ordenar(json_t *arr)
{
    size_t n = json_array_size(arr);
    json_t **v = calloc(n + 1, sizeof *v);
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        v[i] = json_incref(json_array_get(arr, i));
    qsort(v, n, sizeof *v, comparar_cadenas);
    json_array_clear(arr);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, v[i]);
    free(v);
}

static int salida(const consulta_rango *rango, cob_anio *anios, size_t na, consulta_formato f)
{
    const cob_anio *con[256];
    size_t nc = 0;
    json_t *sin = json_array();
    for (size_t i = 0; i < na; i++)
        if (anios[i].hay_convocatoria && nc < 256)
            con[nc++] = &anios[i];
        else
            json_array_append_new(sin, json_integer(anios[i].anio));
    bool es_rango = rango->desde != rango->hasta;
    suma_grupos s = {0};
    cob_cuenta total = {0};
    for (size_t i = 0; i < nc; i++) {
        cobertura_acumular(&total, cobertura_total(con[i]));
        if (acumular_grupos(&s, con[i]) != 0) {
            fprintf(stderr, "pmm cobertura: sin memoria\n");
            return EXIT_USO;
        }
    }
    json_t *todos = NULL;
    long long alguno = 0;
    if (es_rango) {
        consistencia(con, nc, &todos, &alguno);
        ordenar(todos);
    }
    char anios_txt[32];
    consulta_rango_texto(rango, anios_txt, sizeof anios_txt);
    if (f == CONSULTA_JSON) {
        json_t *j = cuenta_json(&total), *por_tipo = json_object(), *falt = json_array();
        for (size_t i = 0; i < s.n; i++)
            if (strcmp(s.g[i].nivel, "total"))
                sumar_grupo(por_tipo, &s.g[i]);
        json_object_set_new(j, "por_tipo", por_tipo);
        for (size_t k = 0; k < nc; k++)
            for (size_t i = 0; i < con[k]->nf; i++) {
                const cob_fila *x = &con[k]->f[i];
                if (!x->esperado)
                    continue;
                json_t *o = json_pack("{s:s,s:s,s:o,s:s,s:b,s:I}", "emisor", x->emisor,
                                      "nombre", x->nombre, "tipo",
                                      *x->tipo ? json_string(x->tipo) : json_null(), "estado",
                                      x->estado, "reabierta", x->reabierta, "fichas",
                                      (json_int_t)x->fichas);
                if (es_rango)
                    json_object_set_new(o, "ejercicio", json_integer(con[k]->anio));
                json_array_append_new(falt, o);
            }
        json_object_set_new(j, "faltantes", falt);
        if (es_rango) {
            json_t *por = json_array(), *ej = json_array();
            for (size_t k = 0; k < nc; k++) {
                json_t *o = cuenta_json(cobertura_total(con[k]));
                json_object_set_new(o, "ejercicio", json_integer(con[k]->anio));
                json_array_append_new(por, o);
                json_array_append_new(ej, json_integer(con[k]->anio));
            }
            json_object_set_new(j, "por_ejercicio", por);
            json_object_set_new(
                j, "consistencia",
                json_pack("{s:o,s:O,s:I,s:I,s:o,s:O}", "ejercicios", ej, "sin_convocatoria",
                          sin, "todos_los_anios", (json_int_t)json_array_size(todos),
                          "algun_anio", (json_int_t)alguno, "tasa",
                          alguno ? tasa_json((double)json_array_size(todos) / (double)alguno)
                                 : json_null(),
                          "cuerpos_todos_los_anios", todos));
        }
        consulta_json(stdout, j);
    } else if (f == CONSULTA_CSV) {
        printf("ejercicio,nivel,tipo,sector,esperados,entregaron,a_tiempo,tarde,sin_acciones,"
               "faltan,tasa,tasa_a_tiempo\n");
        if (es_rango)
            for (size_t k = 0; k < nc; k++) {
                char y[8];
                snprintf(y, sizeof y, "%d", con[k]->anio);
                csv_grupos(y, con[k]->g, 1);
            }
        csv_grupos(anios_txt, s.g, s.n);
    } else {
        printf("Cobertura de la convocatoria, ejercicio %s", anios_txt);
        if (!es_rango && nc)
            printf(" (%s; fecha límite %.2s/%.2s/%.4s más %d %s de gracia)",
                   con[0]->cerrada ? "cerrada" : "abierta", con[0]->limite + 8,
                   con[0]->limite + 5, con[0]->limite, con[0]->gracia,
                   con[0]->gracia == 1 ? "día" : "días");
        printf("\n\n");
        tabla_grupos(s.g, s.n);
        if (es_rango) {
            printf("\nPor ejercicio:\n\n");
            cob_grupo por[256];
            for (size_t k = 0; k < nc; k++) {
                por[k] = (cob_grupo){.c = *cobertura_total(con[k])};
                snprintf(por[k].nivel, sizeof por[k].nivel, "tipo");
            }
            consulta_grilla g;
            consulta_grilla_init(&g, 9);
            for (size_t c = 1; c < 9; c++)
                consulta_grilla_derecha(&g, c);
            const char *head[] = {"Año", "Esperados", "Entregaron", "A tiempo", "Tarde",
                                  "Sin acciones", "Faltan", "Tasa", "Tasa a tiempo"};
            consulta_grilla_fila(&g, head);
            consulta_grilla_linea(&g);
            for (size_t k = 0; k < nc; k++) {
                char y[8];
                snprintf(y, sizeof y, "%d", con[k]->anio);
                fila_cuenta(&g, y, &por[k].c);
            }
            consulta_grilla_imprimir(&g, stdout);
            consulta_grilla_free(&g);
            printf("\nConsistencia: %zu %s entregaron todos los años con convocatoria y %lld "
                   "alguno",
                   json_array_size(todos), json_array_size(todos) == 1 ? "cuerpo" : "cuerpos",
                   alguno);
            if (alguno)
                printf(" (%.1f %%)", 100.0 * (double)json_array_size(todos) / (double)alguno);
            printf(".\n");
            if (json_array_size(sin)) {
                printf("Sin convocatoria (no cuentan):");
                size_t i;
                json_t *v;
                json_array_foreach(sin, i, v)
                    printf(" %lld", (long long)json_integer_value(v));
                printf(".\n");
            }
        }
        printf("\nFaltan: %lld\n\n", total.faltan);
        if (total.faltan)
            tabla_faltan(con, nc, true);
        size_t otros = 0;
        for (size_t k = 0; k < nc; k++)
            for (size_t i = 0; i < con[k]->nf; i++)
                otros += !con[k]->f[i].esperado;
        if (otros) {
            printf("\nEntregaron sin que se esperara su informe (no cuentan en la tasa): "
                   "%zu\n\n", otros);
            tabla_faltan(con, nc, false);
        }
        printf("\n%s\n", COBERTURA_NOTA);
    }
    json_decref(todos);
    json_decref(sin);
    for (size_t i = 0; i < s.n; i++) {
        free(s.g[i].tipo);
        free(s.g[i].sector);
    }
    free(s.g);
    return consulta_fin_salida(CMD);
}

int cmd_cobertura(int argc, char **argv, pmm_conf *conf)
{
    static const struct option opts[] = {{"ejercicio", required_argument, NULL, 'e'},
                                         {"por", required_argument, NULL, 'p'},
                                         {"n", required_argument, NULL, 'n'},
                                         {"formato", required_argument, NULL, 'f'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *ejercicio = NULL;
    bool por_objetivo = false;
    long n = 3;
    consulta_formato formato = CONSULTA_TABLA;
    pmm_error err;
    pmm_error_clear(&err);
    int opt;
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        char *end;
        switch (opt) {
        case 'e': ejercicio = optarg; break;
        case 'p':
            if (strcmp(optarg, "objetivo")) {
                fprintf(stderr, "pmm cobertura: --por admite «objetivo»\n");
                return EXIT_USO;
            }
            por_objetivo = true;
            break;
        case 'n':
            n = strtol(optarg, &end, 10);
            if (!*optarg || *end || n < 1 || n > 23) {
                fprintf(stderr, "pmm cobertura: --n debe ser un entero de 1 a 23\n");
                return EXIT_USO;
            }
            break;
        case 'f':
            if (consulta_formato_parse(optarg, &formato, &err)) {
                fprintf(stderr, "pmm cobertura: --formato admite tabla, json o csv\n");
                return EXIT_USO;
            }
            break;
        case 'h': ayuda(); return 0;
        default: return cli_opcion_mala(CMD, opt, argv);
        }
    }
    consulta_rango rango;
    if (optind != argc)
        return cli_argumento_sobrante("cobertura", argv[optind]);
    if (consulta_rango_parse("--ejercicio", ejercicio, &rango, &err)) {
        fprintf(stderr, "pmm cobertura: %s\n", err.mensaje);
        return EXIT_USO;
    }
    if (por_objetivo) {
        if (rango.desde != rango.hasta) {
            fprintf(stderr, "pmm cobertura: --por objetivo admite un solo ejercicio (los "
                            "anteriores se comparan solos)\n");
            return EXIT_USO;
        }
        return cobertura_objetivo(conf, rango.desde, (size_t)n, formato);
    }
    PGconn *db = consulta_conectar(conf, "pmm-cobertura", &err);
    if (!db) {
        fprintf(stderr, "pmm cobertura: %s\n", err.mensaje);
        return EXIT_USO;
    }
    size_t na = consulta_rango_anios(&rango);
    cob_anio *anios = calloc(na, sizeof *anios);
    int rc = anios ? 0 : -1, hay = 0;
    for (size_t i = 0; rc == 0 && i < na; i++) {
        rc = cobertura_leer(db, rango.desde + (int)i, na > 1, &anios[i], &err);
        hay += anios[i].hay_convocatoria;
    }
    consulta_desconectar(db);
    if (rc != 0) {
        fprintf(stderr, "pmm cobertura: %s\n", anios ? err.mensaje : "sin memoria");
        rc = EXIT_USO;
    } else if (!hay) {
        char t[32];
        fprintf(stderr, "pmm cobertura: no hay convocatoria %s %s (pmm convocatoria abrir "
                        "--ejercicio AÑO --limite AAAA-MM-DD)\n",
                na > 1 ? "en los ejercicios" : "del ejercicio",
                consulta_rango_texto(&rango, t, sizeof t));
        rc = EXIT_RECHAZO;
    } else {
        rc = salida(&rango, anios, na, formato);
    }
    for (size_t i = 0; anios && i < na; i++)
        cobertura_libre(&anios[i]);
    free(anios);
    return rc;
}
