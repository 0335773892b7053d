/* pmm participacion -- who reported in a year: the federal bodies and the
 * state governments that sent fichas, with counts, and the states that did
 * not, all read from the `totales` table (dimensions emisor and entidad).
 *
 * A state "reported" when its government sent fichas (emisor E:<inegi>).
 * Fichas "in" a state (dimension entidad) also include federal fichas carried
 * out there, so a state that did not report may still have some.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "consulta.h"

#define CMD "participacion"

static const char NOTA[] =
    "Una entidad reportó si su gobierno envió fichas. Fichas en la entidad: "
    "las del gobierno estatal y las federales realizadas en ella.";

static void usage(FILE *out)
{
    fprintf(out,
            "Uso: pmm participacion --ejercicio AÑO|AÑO-AÑO [--formato tabla|csv|json]\n\n"
            "Dependencias federales y gobiernos estatales que enviaron fichas, con\n"
            "cuántas, y las entidades federativas que no reportaron. Con un rango de\n"
            "años se suman los ejercicios (reportó: envió fichas en alguno de ellos).\n\n"
            "Opciones:\n"
            "  --ejercicio AÑO|AÑO-AÑO  un año (2022) o un rango (2018-2022)\n"
            "  --formato F              tabla (predeterminado), csv o json\n"
            "  -h, --help               muestra esta ayuda\n\n"
            "Ejemplo:\n"
            "  pmm participacion --ejercicio 2022 --formato csv\n");
}

typedef struct {
    const char *clave;    /* sigla or "01".."32" */
    const char *nombre;
    long long fichas;     /* sent */
    long long en_entidad; /* states only */
} participante;

static int cmp_dep(const void *pa, const void *pb)
{
    const participante *a = pa, *b = pb;
    if (a->fichas != b->fichas)
        return a->fichas > b->fichas ? -1 : 1;
    return strcmp(a->clave, b->clave);
}

typedef struct {
    participante *deps;
    size_t ndeps;
    participante ent[REF_ENTIDADES];
    size_t nsi;           /* states that reported */
    long long fichas;     /* all fichas (each has one emisor) */
} resumen;

static int armar(resumen *r, const consulta_tabla *emisores,
                 const consulta_tabla *entidades, const consulta_ref *ref)
{
    memset(r, 0, sizeof *r);
    r->deps = calloc(emisores->n + 1, sizeof *r->deps);
    if (!r->deps)
        return -1;
    for (size_t i = 0; i < entidades->n && i < REF_ENTIDADES; i++) {
        /* the domain comes first, in INEGI order, and has all 32 */
        const consulta_fila *f = &entidades->filas[i];
        r->ent[i].clave = f->valor;
        r->ent[i].nombre = f->nombre;
        r->ent[i].en_entidad = consulta_fila_suma(entidades, f).fichas;
    }
    for (size_t i = 0; i < emisores->n; i++) {
        const consulta_fila *f = &emisores->filas[i];
        long long c = consulta_fila_suma(emisores, f).fichas;
        r->fichas += c;
        if (c <= 0)
            continue;
        if (!strncmp(f->valor, "D:", 2)) {
            participante *p = &r->deps[r->ndeps++];
            p->clave = f->valor + 2;
            p->nombre = consulta_nombre(ref, DIM_DEPENDENCIA, p->clave);
            p->fichas = c;
        } else if (!strncmp(f->valor, "E:", 2)) {
            for (size_t e = 0; e < REF_ENTIDADES; e++)
                if (r->ent[e].clave && !strcmp(r->ent[e].clave, f->valor + 2))
                    r->ent[e].fichas += c;
        }
    }
    qsort(r->deps, r->ndeps, sizeof *r->deps, cmp_dep);
    for (size_t e = 0; e < REF_ENTIDADES; e++)
        if (r->ent[e].fichas > 0)
            r->nsi++;
    return 0;
}

static void write_csv(FILE *out, const resumen *r)
{
    fputs("tipo,clave,nombre,reporto,fichas_en_entidad,fichas\n", out);
    for (size_t i = 0; i < r->ndeps; i++) {
        fputs("dependencia,", out);
        consulta_csv_campo(out, r->deps[i].clave);
        fputc(',', out);
        consulta_csv_campo(out, r->deps[i].nombre);
        fprintf(out, ",si,,%lld\n", r->deps[i].fichas);
    }
    for (size_t e = 0; e < REF_ENTIDADES; e++) {
        const participante *p = &r->ent[e];
        fprintf(out, "entidad,%s,", p->clave);
        consulta_csv_campo(out, p->nombre);
        fprintf(out, ",%s,%lld,%lld\n", p->fichas > 0 ? "si" : "no",
                p->en_entidad, p->fichas);
    }
}

static void write_json(FILE *out, const resumen *r, const consulta_rango *rango)
{
    char anios[32];
    json_t *j = json_object();
    json_object_set_new(j, "ejercicio",
                        rango->desde != rango->hasta
                            ? json_string(consulta_rango_texto(rango, anios,
                                                               sizeof anios))
                            : json_integer(rango->desde));
    json_t *deps = json_array();
    for (size_t i = 0; i < r->ndeps; i++)
        json_array_append_new(deps, json_pack("{s:s,s:s,s:I}", "sigla",
                                              r->deps[i].clave, "nombre",
                                              r->deps[i].nombre, "fichas",
                                              (json_int_t)r->deps[i].fichas));
    json_object_set_new(j, "dependencias", deps);
    json_t *si = json_array(), *no = json_array();
    for (size_t e = 0; e < REF_ENTIDADES; e++) {
        const participante *p = &r->ent[e];
        if (p->fichas > 0)
            json_array_append_new(si, json_pack("{s:s,s:s,s:I,s:I}", "clave",
                                                p->clave, "nombre", p->nombre,
                                                "fichas", (json_int_t)p->fichas,
                                                "fichas_en_entidad",
                                                (json_int_t)p->en_entidad));
        else
            json_array_append_new(no, json_pack("{s:s,s:s,s:I}", "clave", p->clave,
                                                "nombre", p->nombre,
                                                "fichas_en_entidad",
                                                (json_int_t)p->en_entidad));
    }
    json_object_set_new(j, "entidades_reportaron", si);
    json_object_set_new(j, "entidades_no_reportaron", no);
    json_object_set_new(
        j, "resumen",
        json_pack("{s:I,s:I,s:I,s:I}", "fichas", (json_int_t)r->fichas,
                  "dependencias", (json_int_t)r->ndeps, "entidades_reportaron",
                  (json_int_t)r->nsi, "entidades_no_reportaron",
                  (json_int_t)(REF_ENTIDADES - r->nsi)));
    json_object_set_new(j, "nota", json_string(NOTA));
    consulta_json(out, j);
}

static void write_tabla(FILE *out, const resumen *r, const consulta_rango *rango)
{
    char anios[32], n1[24], n2[24];
    fprintf(out, "Participación, ejercicio %s: %lld %s\n\n",
            consulta_rango_texto(rango, anios, sizeof anios), r->fichas,
            cli_plural(r->fichas, "ficha", "fichas"));

    fprintf(out, "Dependencias federales que reportaron: %zu\n\n", r->ndeps);
    if (r->ndeps) {
        consulta_grilla g;
        consulta_grilla_init(&g, 3);
        consulta_grilla_derecha(&g, 2);
        const char *head[] = {"Sigla", "Nombre", "Fichas"};
        consulta_grilla_fila(&g, head);
        consulta_grilla_linea(&g);
        for (size_t i = 0; i < r->ndeps; i++) {
            snprintf(n1, sizeof n1, "%lld", r->deps[i].fichas);
            const char *row[] = {r->deps[i].clave,
                                 r->deps[i].nombre,
                                 n1};
            consulta_grilla_fila(&g, row);
        }
        consulta_grilla_imprimir(&g, out);
        consulta_grilla_free(&g);
        fputc('\n', out);
    }

    for (int reporto = 1; reporto >= 0; reporto--) {
        size_t cuantas = reporto ? r->nsi : REF_ENTIDADES - r->nsi;
        fprintf(out, "Entidades federativas que %s: %zu de %d\n\n",
                reporto ? "reportaron" : "no reportaron", cuantas, REF_ENTIDADES);
        if (!cuantas)
            continue;
        consulta_grilla g;
        size_t nc = reporto ? 4 : 3;
        consulta_grilla_init(&g, nc);
        consulta_grilla_derecha(&g, 2);
        consulta_grilla_derecha(&g, 3);
        const char *head[] = {"Clave", "Entidad", "Fichas en la entidad",
                              "Fichas enviadas"};
        consulta_grilla_fila(&g, head);
        consulta_grilla_linea(&g);
        for (size_t e = 0; e < REF_ENTIDADES; e++) {
            const participante *p = &r->ent[e];
            if ((p->fichas > 0) != (reporto == 1))
                continue;
            snprintf(n1, sizeof n1, "%lld", p->en_entidad);
            snprintf(n2, sizeof n2, "%lld", p->fichas);
            const char *row[] = {p->clave, p->nombre, n1, n2};
            consulta_grilla_fila(&g, row);
        }
        consulta_grilla_imprimir(&g, out);
        consulta_grilla_free(&g);
        fputc('\n', out);
    }
    fprintf(out, "%s\n", NOTA);
}

int cmd_participacion(int argc, char **argv, pmm_conf *conf)
{
    consulta_opciones op;
    int rc;
    consulta_ref *ref = consulta_preparar(CMD, argc, argv, 0, usage, conf, &op, &rc);
    if (!ref)
        return rc;
    /* the 32 states are rows 0..31 in INEGI order: their domain comes first */
    consulta_tabla emisores, entidades;
    consulta_tabla_init(&emisores, DIM_EMISOR, &op.rango, ref);
    consulta_tabla_init(&entidades, DIM_ENTIDAD, &op.rango, ref);
    consulta_tabla *const tablas[] = {&emisores, &entidades};
    rc = consulta_cargar(CMD, conf, "pmm-participacion", "", tablas, 2) ? EXIT_USO : 0;
    resumen r = {0};
    if (rc == 0 && armar(&r, &emisores, &entidades, ref)) {
        fprintf(stderr, "pmm participacion: sin memoria\n");
        rc = EXIT_USO;
    }
    if (rc == 0) {
        if (op.formato == CONSULTA_CSV)
            write_csv(stdout, &r);
        else if (op.formato == CONSULTA_JSON)
            write_json(stdout, &r, &op.rango);
        else
            write_tabla(stdout, &r, &op.rango);
        rc = consulta_fin_salida(CMD);
    }
    free(r.deps);
    consulta_tabla_free(&emisores);
    consulta_tabla_free(&entidades);
    consulta_ref_destroy(&ref);
    return rc;
}
