/* pmm ranking -- the objectives with most and with fewest fichas in a year
 * (or over a range of years), zeros included, ties stated.
 *
 * Places follow the standard competition ranking (1, 2, 2, 4): every
 * objective whose place is at most --n is listed, so a tie at the cut lists
 * all the tied objectives, and each tie is said in words.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "consulta.h"

#define CMD "ranking"

static void usage(FILE *out)
{
    fprintf(out,
            "Uso: pmm ranking --ejercicio AÑO|AÑO-AÑO [--n N] [--formato tabla|csv|json]\n\n"
            "Los objetivos del PMM con más y con menos fichas (acciones), incluidos los\n"
            "que tienen cero. Con un rango de años se suman los ejercicios.\n\n"
            "Opciones:\n"
            "  --ejercicio AÑO|AÑO-AÑO  un año (2022) o un rango (2018-2022)\n"
            "  --n N                    cuántos lugares mostrar en cada lista, de 1 a 23\n"
            "                           (5 si se omite); si hay empate en el último\n"
            "                           lugar se listan todos los empatados\n"
            "  --formato F              tabla (predeterminado), csv o json\n"
            "  -h, --help               muestra esta ayuda\n\n"
            "Ejemplo:\n"
            "  pmm ranking --ejercicio 2022 --n 5\n");
}

typedef struct {
    consulta_puesto *p;
    size_t n;
} lista;

/* The end of the run of places from a that have the same count as a. */
static size_t fin_empate(const lista *l, size_t a)
{
    size_t b = a + 1;
    while (b < l->n && l->p[b].fichas == l->p[a].fichas)
        b++;
    return b;
}

/* "1, 3 y 15" */
static void objetivos_texto(const consulta_tabla *t, const lista *l, size_t a,
                            size_t b, char *buf, size_t cap)
{
    size_t w = 0;
    buf[0] = '\0';
    for (size_t k = a; k < b && w < cap; k++) {
        const char *sep = k == a ? "" : k + 1 == b ? " y " : ", ";
        int n = snprintf(buf + w, cap - w, "%s%s", sep, t->filas[l->p[k].fila].valor);
        if (n < 0)
            break;
        w += (size_t)n;
    }
}

static void write_tabla(FILE *out, const consulta_tabla *t, const lista *l,
                        bool mas, size_t n)
{
    char anios[32], lugar[16], obj[16], fichas[24];
    fprintf(out, "Objetivos con %s fichas, ejercicio %s (%s %zu lugar%s)\n\n",
            mas ? "más" : "menos", consulta_rango_texto(&t->rango, anios, sizeof anios),
            mas ? "primeros" : "últimos", n, n == 1 ? "" : "es");
    consulta_grilla g;
    consulta_grilla_init(&g, 5);
    consulta_grilla_derecha(&g, 0);
    consulta_grilla_derecha(&g, 1);
    consulta_grilla_derecha(&g, 4);
    const char *head[] = {"Lugar", "Objetivo", "Nombre", "Empate", "Fichas"};
    consulta_grilla_fila(&g, head);
    consulta_grilla_linea(&g);
    for (size_t k = 0; k < l->n; k++) {
        const consulta_puesto *p = &l->p[k];
        const consulta_fila *f = &t->filas[p->fila];
        snprintf(lugar, sizeof lugar, "%d", p->lugar);
        snprintf(obj, sizeof obj, "%s", f->valor);
        snprintf(fichas, sizeof fichas, "%lld", p->fichas);
        const char *row[] = {lugar, obj,
                             f->nombre,
                             p->empate ? "empate" : "", fichas};
        consulta_grilla_fila(&g, row);
    }
    consulta_grilla_imprimir(&g, out);
    consulta_grilla_free(&g);
    char objs[256];
    for (size_t a = 0, b; a < l->n; a = b) {
        b = fin_empate(l, a);
        if (b - a > 1) {
            objetivos_texto(t, l, a, b, objs, sizeof objs);
            fprintf(out, "Empate en el lugar %d: los objetivos %s tienen %lld "
                         "fichas cada uno.\n",
                    l->p[a].lugar, objs, l->p[a].fichas);
        }
    }
    if (l->n > n)
        fprintf(out, "Se listan %zu objetivos porque hay empate en el lugar %d.\n",
                l->n, l->p[l->n - 1].lugar);
    fputc('\n', out);
}

static void write_csv_lista(FILE *out, const consulta_tabla *t, const lista *l,
                            bool mas)
{
    for (size_t k = 0; k < l->n; k++) {
        const consulta_puesto *p = &l->p[k];
        const consulta_fila *f = &t->filas[p->fila];
        fprintf(out, "%s,%d,%s,", mas ? "mas" : "menos", p->lugar, f->valor);
        consulta_csv_campo(out, f->nombre);
        fprintf(out, ",%s,%lld\n", p->empate ? "si" : "no", p->fichas);
    }
}

static json_t *json_lista(const consulta_tabla *t, const lista *l)
{
    json_t *a = json_array();
    for (size_t k = 0; k < l->n; k++) {
        const consulta_puesto *p = &l->p[k];
        const consulta_fila *f = &t->filas[p->fila];
        json_array_append_new(
            a, json_pack("{s:i,s:i,s:s,s:I,s:b}", "lugar", p->lugar, "objetivo",
                         atoi(f->valor), "nombre", f->nombre, "fichas",
                         (json_int_t)p->fichas, "empate", p->empate));
    }
    return a;
}

static void json_empates(json_t *arr, const consulta_tabla *t, const lista *l,
                         const char *nombre)
{
    for (size_t a = 0, b; a < l->n; a = b) {
        b = fin_empate(l, a);
        if (b - a > 1) {
            json_t *objs = json_array();
            for (size_t k = a; k < b; k++)
                json_array_append_new(objs,
                                      json_integer(atoi(t->filas[l->p[k].fila].valor)));
            json_array_append_new(
                arr, json_pack("{s:s,s:i,s:I,s:o}", "lista", nombre, "lugar",
                               l->p[a].lugar, "fichas", (json_int_t)l->p[a].fichas,
                               "objetivos", objs));
        }
    }
}

int cmd_ranking(int argc, char **argv, pmm_conf *conf)
{
    consulta_opciones op;
    int rc;
    consulta_ref *ref = consulta_preparar(CMD, argc, argv, CONSULTA_OPC_N, usage, conf, &op,
                                          &rc);
    if (!ref)
        return rc;
    size_t n = op.n;
    consulta_formato formato = op.formato;
    consulta_rango rango = op.rango;
    consulta_tabla t;
    consulta_tabla_init(&t, DIM_OBJETIVO, &rango, ref);
    consulta_tabla *const tablas[] = {&t};
    rc = consulta_cargar(CMD, conf, "pmm-ranking", "", tablas, 1) ? EXIT_USO : 0;
    consulta_puesto *pm = calloc(t.n + 1, sizeof *pm);
    consulta_puesto *pn = calloc(t.n + 1, sizeof *pn);
    if (rc == 0 && (!pm || !pn)) {
        fprintf(stderr, "pmm ranking: sin memoria\n");
        rc = EXIT_USO;
    }
    if (rc == 0) {
        consulta_tabla_ordenar(&t, false);
        lista mas = {pm, consulta_ranking(&t, n, true, pm)};
        lista menos = {pn, consulta_ranking(&t, n, false, pn)};
        if (formato == CONSULTA_CSV) {
            fputs("lista,lugar,objetivo,nombre,empate,fichas\n", stdout);
            write_csv_lista(stdout, &t, &mas, true);
            write_csv_lista(stdout, &t, &menos, false);
        } else if (formato == CONSULTA_JSON) {
            char anios[32];
            json_t *j = json_object();
            json_object_set_new(j, "ejercicio",
                                t.nanios > 1
                                    ? json_string(consulta_rango_texto(&rango, anios,
                                                                       sizeof anios))
                                    : json_integer(rango.desde));
            json_object_set_new(j, "n", json_integer((json_int_t)n));
            json_object_set_new(j, "mas", json_lista(&t, &mas));
            json_object_set_new(j, "menos", json_lista(&t, &menos));
            json_t *emp = json_array();
            json_empates(emp, &t, &mas, "mas");
            json_empates(emp, &t, &menos, "menos");
            json_object_set_new(j, "empates", emp);
            json_object_set_new(
                j, "nota",
                json_string("Lugar: clasificación con empates (1, 2, 2, 4). Se "
                            "listan todos los objetivos cuyo lugar no pasa de n, "
                            "así que un empate en el último lugar alarga la "
                            "lista. Se incluyen los objetivos con cero fichas."));
            consulta_json(stdout, j);
        } else {
            write_tabla(stdout, &t, &mas, true, n);
            write_tabla(stdout, &t, &menos, false, n);
            fputs("Fichas: número de fichas (las «acciones» de las tablas "
                  "publicadas); se incluyen los objetivos con cero.\n", stdout);
        }
        rc = consulta_fin_salida(CMD);
    }
    free(pm);
    free(pn);
    consulta_tabla_free(&t);
    consulta_ref_destroy(&ref);
    return rc;
}
