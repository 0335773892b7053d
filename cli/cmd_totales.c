/* pmm totales -- counts per objective, axis, sub-topic, SDG, body, state or
 * ámbito for one year or a range of years, read from the `totales` table.
 *
 * Every output keeps the count of fichas in its last column: with one year
 * the columns are the dimension's code, its name, the sums of the figures
 * the fichas report (actividades_reportadas, personas_reportadas,
 * mujeres_reportadas, hombres_reportadas) and the count (fichas: the
 * "acciones" of the published tables); with a range they are the code, the
 * name and one count per year (the header names the year). The names are
 * the same in csv, json and the text table's notes: a name means one thing
 * in every output (issue 23).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "consulta.h"

#define CMD "totales"

static const char NOTA_FICHAS[] =
    "Fichas: número de fichas (las «acciones» de las tablas publicadas). "
    "Actividades reportadas, personas, mujeres y hombres: sumas de las "
    "cifras que reporta cada ficha, no personas únicas (quien recibió "
    "atención de varios programas cuenta varias veces) ni acciones.";
static const char NOTA_ODS[] =
    "Una ficha puede contar en varios ODS: la suma de las filas puede superar "
    "ods_total, que cuenta una sola vez cada ficha con al menos un ODS. Solo "
    "cuentan para los ODS las fichas con resultados.";
static const char NOTA_ENTIDAD[] =
    "Por entidad cuentan las fichas de cada gobierno estatal y las fichas "
    "federales realizadas en ella; las fichas sin entidad no aparecen.";
static const char NOTA_DEPENDENCIA[] =
    "Por dependencia cuentan solo las fichas de ámbito federal.";

static void usage(FILE *out)
{
    fprintf(out,
            "Uso: pmm totales --ejercicio AÑO|AÑO-AÑO [--por DIMENSIÓN]\n"
            "                 [--dependencia SIGLA|NOMBRE | --entidad CLAVE|NOMBRE]\n"
            "                 [--formato tabla|csv|json] [--orden desc|natural]\n\n"
            "Número de fichas (acciones) por grupo, leído de los totales que mantiene\n"
            "aggregd.\n\n"
            "Opciones:\n"
            "  --ejercicio AÑO|AÑO-AÑO   un año (2022) o un rango (2018-2022): con un\n"
            "                            rango hay una columna de fichas por año\n"
            "  --por DIMENSIÓN           objetivo (predeterminado), eje, subtema, ods,\n"
            "                            dependencia, entidad o ambito\n"
            "  --dependencia SIGLA|NOMBRE  solo las fichas de esa dependencia federal\n"
            "  --entidad CLAVE|NOMBRE    solo las fichas de o en esa entidad (clave\n"
            "                            INEGI o nombre)\n"
            "  --formato F               tabla (predeterminado), csv o json\n"
            "  --orden desc|natural      desc: de más a menos fichas; natural (si se\n"
            "                            omite): objetivos 1-23, ODS 1-17, entidades\n"
            "                            por clave INEGI\n"
            "  -h, --help                muestra esta ayuda\n\n"
            "Todos los objetivos, ODS y entidades aparecen aunque tengan cero fichas.\n"
            "El número de fichas va siempre en la última columna.\n"
            "Columnas con un solo año: fichas (las «acciones» de los informes) y las\n"
            "sumas de lo reportado: actividades_reportadas, personas_reportadas,\n"
            "mujeres_reportadas y hombres_reportadas (antes acciones, personas,\n"
            "mujeres y hombres), que no son personas únicas.\n\n"
            "Ejemplos:\n"
            "  pmm totales --ejercicio 2022 --por objetivo --formato csv\n"
            "  pmm totales --ejercicio 2018-2022 --por ods --dependencia SRE\n"
            "  pmm totales --ejercicio 2022 --por subtema --entidad \"Estado de México\"\n");
}

typedef struct {
    consulta_rango rango;
    consulta_dim por;
    consulta_formato formato;
    bool desc;
    char filtro[80];
    char filtro_nombre[300];
} opciones;

static const char *rotulo_filtro(const opciones *o)
{
    return o->filtro_nombre;
}

/* ---- csv ---------------------------------------------------------------- */

static void csv_medidas(FILE *out, const consulta_medidas *m)
{
    fprintf(out, ",%lld,%lld,%lld,%lld,%lld\n", m->acciones, m->personas,
            m->mujeres, m->hombres, m->fichas);
}

static void write_csv(FILE *out, const opciones *o, const consulta_tabla *t,
                      const consulta_tabla *ods_total)
{
    bool rango = t->nanios > 1;
    fprintf(out, "%s,nombre", consulta_dim_clave(t->dim));
    if (rango)
        for (size_t i = 0; i < t->nanios; i++)
            fprintf(out, ",%d", t->rango.desde + (int)i);
    else
        fputs(",actividades_reportadas,personas_reportadas,mujeres_reportadas,"
              "hombres_reportadas,fichas", out);
    fputc('\n', out);
    for (size_t r = 0; r < t->n; r++) {
        const consulta_fila *f = &t->filas[r];
        consulta_csv_campo(out, f->valor);
        fputc(',', out);
        consulta_csv_campo(out, f->nombre);
        if (rango) {
            for (size_t i = 0; i < t->nanios; i++)
                fprintf(out, ",%lld", f->m[i].fichas);
            fputc('\n', out);
        } else {
            csv_medidas(out, &f->m[0]);
        }
    }
    if (o->por == DIM_ODS && ods_total) {
        /* the unique count cannot be derived from the rows above */
        const consulta_fila *u = consulta_tabla_buscar(ods_total, "");
        fputs("ods_total,", out);
        consulta_csv_campo(out, "Fichas con al menos un ODS (cada ficha una vez; "
                                "una ficha puede contar en varios ODS)");
        if (rango) {
            for (size_t i = 0; i < t->nanios; i++)
                fprintf(out, ",%lld", u ? u->m[i].fichas : 0);
            fputc('\n', out);
        } else {
            consulta_medidas z = {0};
            csv_medidas(out, u ? &u->m[0] : &z);
        }
    }
}

/* ---- json --------------------------------------------------------------- */

static json_t *json_medidas(const consulta_medidas *m)
{
    return json_pack("{s:I,s:I,s:I,s:I,s:I}", "fichas", (json_int_t)m->fichas,
                     "actividades_reportadas", (json_int_t)m->acciones,
                     "personas_reportadas", (json_int_t)m->personas,
                     "mujeres_reportadas", (json_int_t)m->mujeres,
                     "hombres_reportadas", (json_int_t)m->hombres);
}

static json_t *json_por_ejercicio(const consulta_tabla *t,
                                  const consulta_medidas *(*get)(const consulta_tabla *,
                                                                 const void *, size_t,
                                                                 consulta_medidas *),
                                  const void *arg)
{
    json_t *a = json_array();
    for (size_t i = 0; i < t->nanios; i++) {
        consulta_medidas tmp;
        json_t *m = json_medidas(get(t, arg, i, &tmp));
        json_object_set_new(m, "ejercicio", json_integer(t->rango.desde + (int)i));
        json_array_append_new(a, m);
    }
    return a;
}

static const consulta_medidas *get_fila(const consulta_tabla *t, const void *arg,
                                        size_t i, consulta_medidas *tmp)
{
    (void)t;
    (void)tmp;
    return &((const consulta_fila *)arg)->m[i];
}

static const consulta_medidas *get_total(const consulta_tabla *t, const void *arg,
                                         size_t i, consulta_medidas *tmp)
{
    (void)arg;
    *tmp = consulta_tabla_total(t, i);
    return tmp;
}

static void write_json(FILE *out, const opciones *o, const consulta_tabla *t,
                       const consulta_tabla *ods_total, const consulta_ref *ref)
{
    bool rango = t->nanios > 1;
    char buf[32];
    json_t *j = json_object();
    json_object_set_new(j, "ejercicio",
                        rango ? json_string(consulta_rango_texto(&t->rango, buf,
                                                                 sizeof buf))
                              : json_integer(t->rango.desde));
    json_t *anios = json_array();
    for (size_t i = 0; i < t->nanios; i++)
        json_array_append_new(anios, json_integer(t->rango.desde + (int)i));
    json_object_set_new(j, "ejercicios", anios);
    json_object_set_new(j, "por", json_string(consulta_dim_clave(t->dim)));
    json_object_set_new(j, "filtro", json_string(o->filtro));
    json_object_set_new(j, "filtro_nombre", json_string(rotulo_filtro(o)));
    json_object_set_new(j, "orden", json_string(o->desc ? "desc" : "natural"));
    if (t->dim == DIM_EJE || t->dim == DIM_SUBTEMA)
        json_object_set_new(j, "taxonomia",
                            json_string(consulta_ref_taxonomia(ref)));
    json_t *filas = json_array();
    for (size_t r = 0; r < t->n; r++) {
        const consulta_fila *f = &t->filas[r];
        consulta_medidas s = consulta_fila_suma(t, f);
        json_t *row = json_pack("{s:s,s:s}", "valor", f->valor, "nombre", f->nombre);
        json_t *ms = json_medidas(&s);
        json_object_update(row, ms);
        json_decref(ms);
        if (rango)
            json_object_set_new(row, "por_ejercicio",
                                json_por_ejercicio(t, get_fila, f));
        json_array_append_new(filas, row);
    }
    json_object_set_new(j, "filas", filas);
    consulta_medidas tot = consulta_tabla_total(t, (size_t)-1);
    json_t *total = json_medidas(&tot);
    if (rango)
        json_object_set_new(total, "por_ejercicio",
                            json_por_ejercicio(t, get_total, NULL));
    json_object_set_new(j, "total", total);
    if (t->dim == DIM_ODS) {
        const consulta_fila *u = ods_total ? consulta_tabla_buscar(ods_total, "") : NULL;
        consulta_medidas us = u ? consulta_fila_suma(ods_total, u) : (consulta_medidas){0};
        json_object_set_new(j, "ods_total", json_integer(us.fichas));
        if (rango) {
            json_t *a = json_array();
            for (size_t i = 0; i < t->nanios; i++)
                json_array_append_new(
                    a, json_pack("{s:i,s:I}", "ejercicio", t->rango.desde + (int)i,
                                 "fichas", (json_int_t)(u ? u->m[i].fichas : 0)));
            json_object_set_new(j, "ods_total_por_ejercicio", a);
        }
        json_object_set_new(j, "nota", json_string(NOTA_ODS));
    } else if (t->dim == DIM_ENTIDAD) {
        json_object_set_new(j, "nota", json_string(NOTA_ENTIDAD));
    } else if (t->dim == DIM_DEPENDENCIA) {
        json_object_set_new(j, "nota", json_string(NOTA_DEPENDENCIA));
    }
    json_object_set_new(j, "nota_fichas", json_string(NOTA_FICHAS));
    consulta_json(out, j);
}

/* ---- tabla -------------------------------------------------------------- */

static void write_tabla(FILE *out, const opciones *o, const consulta_tabla *t,
                        const consulta_tabla *ods_total, const consulta_ref *ref)
{
    bool rango = t->nanios > 1;
    char buf[32];
    fprintf(out, "Fichas por %s, ejercicio %s, %s", consulta_dim_clave(t->dim),
            consulta_rango_texto(&t->rango, buf, sizeof buf), rotulo_filtro(o));
    if (t->dim == DIM_EJE || t->dim == DIM_SUBTEMA)
        fprintf(out, " (taxonomía %s)", consulta_ref_taxonomia(ref));
    fputs("\n\n", out);

    size_t ncols = rango ? 2 + t->nanios : 7;
    consulta_grilla g;
    consulta_grilla_init(&g, ncols);
    for (size_t c = 2; c < ncols; c++)
        consulta_grilla_derecha(&g, c);
    const char **cells = calloc(ncols, sizeof *cells);
    char (*num)[24] = calloc(ncols, sizeof *num);
    if (!cells || !num) {
        free(cells);
        free(num);
        consulta_grilla_free(&g);
        fputs("(sin memoria)\n", out);
        return;
    }
    cells[0] = consulta_dim_titulo(t->dim);
    cells[1] = "Nombre";
    if (rango) {
        for (size_t i = 0; i < t->nanios; i++) {
            snprintf(num[2 + i], sizeof num[0], "%d", t->rango.desde + (int)i);
            cells[2 + i] = num[2 + i];
        }
    } else {
        cells[2] = "Actividades reportadas";
        cells[3] = "Personas (suma)";
        cells[4] = "Mujeres (suma)";
        cells[5] = "Hombres (suma)";
        cells[6] = "Fichas";
    }
    consulta_grilla_fila(&g, cells);
    consulta_grilla_linea(&g);

#define FILL(medidas_at)                                                       \
    do {                                                                       \
        if (rango) {                                                           \
            for (size_t i = 0; i < t->nanios; i++) {                           \
                consulta_medidas m_ = medidas_at(i);                           \
                snprintf(num[2 + i], sizeof num[0], "%lld", m_.fichas);        \
                cells[2 + i] = num[2 + i];                                     \
            }                                                                  \
        } else {                                                               \
            consulta_medidas m_ = medidas_at(0);                               \
            snprintf(num[2], sizeof num[0], "%lld", m_.acciones);              \
            snprintf(num[3], sizeof num[0], "%lld", m_.personas);              \
            snprintf(num[4], sizeof num[0], "%lld", m_.mujeres);               \
            snprintf(num[5], sizeof num[0], "%lld", m_.hombres);               \
            snprintf(num[6], sizeof num[0], "%lld", m_.fichas);                \
            for (size_t c = 2; c < 7; c++)                                     \
                cells[c] = num[c];                                             \
        }                                                                      \
    } while (0)

    for (size_t r = 0; r < t->n; r++) {
        const consulta_fila *f = &t->filas[r];
        cells[0] = f->valor;
        cells[1] = f->nombre;   /* wrapped by the table, never cut */
#define FILA_AT(i) (f->m[(i)])
        FILL(FILA_AT);
#undef FILA_AT
        consulta_grilla_fila(&g, cells);
    }
    consulta_grilla_linea(&g);
    cells[0] = t->dim == DIM_ODS ? "Suma" : "Total";
    cells[1] = t->dim == DIM_ODS ? "(una ficha puede contar en varios ODS)" : "";
#define TOTAL_AT(i) consulta_tabla_total(t, (i))
    FILL(TOTAL_AT);
#undef TOTAL_AT
    consulta_grilla_fila(&g, cells);
    if (t->dim == DIM_ODS) {
        const consulta_fila *u = ods_total ? consulta_tabla_buscar(ods_total, "") : NULL;
        consulta_medidas zero = {0};
        cells[0] = "Únicas";
        cells[1] = "Fichas con al menos un ODS (cada una una vez)";
#define UNICAS_AT(i) (u ? u->m[(i)] : zero)
        FILL(UNICAS_AT);
#undef UNICAS_AT
        consulta_grilla_fila(&g, cells);
    }
#undef FILL
    consulta_grilla_imprimir(&g, out);
    consulta_grilla_free(&g);
    free(cells);
    free(num);

    fputc('\n', out);
    if (t->dim == DIM_ODS)
        fprintf(out, "%s\n", NOTA_ODS);
    else if (t->dim == DIM_ENTIDAD)
        fprintf(out, "%s\n", NOTA_ENTIDAD);
    else if (t->dim == DIM_DEPENDENCIA)
        fprintf(out, "%s\n", NOTA_DEPENDENCIA);
    if (!rango)
        fprintf(out, "%s\n", NOTA_FICHAS);
    else
        fputs("Cada columna de año es el número de fichas de ese ejercicio.\n", out);
}

/* ---- command ------------------------------------------------------------ */

int cmd_totales(int argc, char **argv, pmm_conf *conf)
{
    consulta_opciones op;
    int rc;
    consulta_ref *ref = consulta_preparar(CMD, argc, argv,
                                          CONSULTA_OPC_POR | CONSULTA_OPC_FILTRO |
                                              CONSULTA_OPC_ORDEN,
                                          usage, conf, &op, &rc);
    if (!ref)
        return rc;
    opciones o = {.rango = op.rango, .por = op.por, .formato = op.formato, .desc = op.desc};
    pmm_error err;
    pmm_error_clear(&err);
    if (consulta_filtro(ref, &op, o.filtro, sizeof o.filtro, o.filtro_nombre,
                        sizeof o.filtro_nombre, &err)) {
        consulta_ref_destroy(&ref);
        return consulta_uso(CMD, &err);
    }
    /* with --por ods, also the fichas with at least one SDG, each once */
    consulta_tabla t, u;
    consulta_tabla_init(&t, o.por, &o.rango, ref);
    consulta_tabla_init(&u, DIM_ODS_TOTAL, &o.rango, ref);
    consulta_tabla *const tablas[] = {&t, &u};
    rc = consulta_cargar(CMD, conf, "pmm-totales", o.filtro, tablas, o.por == DIM_ODS ? 2 : 1)
             ? EXIT_USO
             : 0;
    if (rc == 0) {
        consulta_tabla_ordenar(&t, o.desc);
        if (o.formato == CONSULTA_CSV)
            write_csv(stdout, &o, &t, &u);
        else if (o.formato == CONSULTA_JSON)
            write_json(stdout, &o, &t, &u, ref);
        else
            write_tabla(stdout, &o, &t, &u, ref);
        rc = consulta_fin_salida(CMD);
    }
    consulta_tabla_free(&t);
    consulta_tabla_free(&u);
    consulta_ref_destroy(&ref);
    return rc;
}
