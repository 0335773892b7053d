/* muestra_historia.c -- the sample's historical decisions (see
 * muestra_historia.h for the rule). */
#include "muestra_historia.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "csvfile.h"
#include "flujo.h"
#include "refdata.h"

#define NODS 17
#define MAX_GRUPOS 32
#define MAX_ANIOS 64

/* Costs of the SDG flow (see the header). */
#define COSTO_OTRA_LISTA 100
#define COSTO_FUERA 1000
#define COSTO_JITTER 10
static const long COSTO_EXTRA[] = {2, 15, 60};   /* 2nd, 3rd, 4th SDG */
#define COSTO_MAS 400                             /* 5th and more */
#define COSTO_BASE 1000000L                       /* any SDG after the first */

typedef struct {
    char codigo[40];
    int eje;
    int acciones;          /* actions with results the chapter groups here */
    bool ods[NODS + 1];
} grupo;

typedef struct {
    int anio;
    bool con_tabla;        /* a row of tabla_ods.csv */
    int ods[NODS + 1];
    int total;             /* total_acciones */
    grupo g[MAX_GRUPOS];
    size_t ng;
} anio_hist;

typedef struct {
    int ejercicio;
    char dependencia[40];
    char entidad[8];
    char clave[72];
    char pref[40];         /* the template's sub-topic */
    bool con, sin;         /* reports results / says it had none */
    unsigned long hash;
    int g;                 /* decided sub-topic: index in its year, -1 */
    bool ods[NODS + 1];
    bool fuera[NODS + 1];  /* an SDG outside its sub-topic's list */
} registro;

struct muestra_historia {
    anio_hist anios[MAX_ANIOS];
    size_t nanios;
    registro *r;
    size_t n, cap;
};

static anio_hist *anio_de(muestra_historia *h, int anio, bool crear)
{
    for (size_t i = 0; i < h->nanios; i++)
        if (h->anios[i].anio == anio)
            return &h->anios[i];
    if (!crear || h->nanios == MAX_ANIOS)
        return NULL;
    anio_hist *a = &h->anios[h->nanios++];
    memset(a, 0, sizeof *a);
    a->anio = anio;
    return a;
}

/* ---- loading ------------------------------------------------------------ */

typedef struct {
    muestra_historia *h;
    const char *path;
    const ref_taxonomia *tax;
    int col[NODS + 1];
    int col_year, col_total;
} carga;

static int on_ods(void *user, size_t row, char **f, size_t n, pmm_error *err)
{
    carga *c = user;
    if (row == 1) {
        c->col_year = c->col_total = -1;
        for (int k = 0; k <= NODS; k++)
            c->col[k] = -1;
        for (size_t i = 0; i < n; i++) {
            if (!strcmp(f[i], "year"))
                c->col_year = (int)i;
            else if (!strcmp(f[i], "total_acciones"))
                c->col_total = (int)i;
            else if (!strncmp(f[i], "ods", 3) && atoi(f[i] + 3) >= 1 && atoi(f[i] + 3) <= NODS)
                c->col[atoi(f[i] + 3)] = (int)i;
        }
        for (int k = 1; k <= NODS; k++)
            if (c->col[k] < 0)
                return pmm_error_set(err, 7, "", "csv", "falta la columna ods%d", k);
        if (c->col_year < 0 || c->col_total < 0)
            return pmm_error_set(err, 7, "", "csv", "faltan las columnas year y total_acciones");
        return 0;
    }
    if ((size_t)c->col_year >= n || (size_t)c->col_total >= n)
        return pmm_error_set(err, 7, "", "csv", "fila %zu: faltan columnas", row);
    anio_hist *a = anio_de(c->h, atoi(f[c->col_year]), true);
    if (!a)
        return pmm_error_set(err, 7, "year", "csv", "fila %zu: demasiados años", row);
    a->con_tabla = true;
    a->total = atoi(f[c->col_total]);
    for (int k = 1; k <= NODS; k++) {
        if ((size_t)c->col[k] >= n)
            return pmm_error_set(err, 7, "", "csv", "fila %zu: faltan columnas", row);
        a->ods[k] = atoi(f[c->col[k]]);
        if (a->ods[k] < 0 || a->ods[k] > a->total)
            return pmm_error_set(err, 7, "", "csv",
                                 "fila %zu: ods%d = %d fuera de 0 a total_acciones", row, k,
                                 a->ods[k]);
    }
    return 0;
}

static int on_grupo(void *user, size_t row, char **f, size_t n, pmm_error *err)
{
    carga *c = user;
    if (row == 1) {
        if (n < 6 || strcmp(f[0], "ejercicio") || strcmp(f[1], "eje") ||
            strcmp(f[2], "subtema") || strcmp(f[3], "acciones") || strcmp(f[4], "ods") ||
            strcmp(f[5], "alcance"))
            return pmm_error_set(err, 7, "", "csv",
                                 "se espera el encabezado ejercicio,eje,subtema,acciones,"
                                 "ods,alcance");
        return 0;
    }
    if (n < 6)
        return pmm_error_set(err, 7, "", "csv", "fila %zu: faltan columnas", row);
    anio_hist *a = anio_de(c->h, atoi(f[0]), true);
    if (!a || a->ng == MAX_GRUPOS)
        return pmm_error_set(err, 7, "", "csv", "fila %zu: demasiados subtemas o años", row);
    grupo *g = &a->g[a->ng];
    memset(g, 0, sizeof *g);
    const ref_subtema *s = c->tax ? ref_taxonomia_subtema(c->tax, f[2]) : NULL;
    if (c->tax && (!s || s->eje != atoi(f[1])))
        return pmm_error_set(err, 7, "subtema", "csv",
                             "fila %zu: «%s» no es un subtema del eje %s en la taxonomía "
                             "2018-2022", row, f[2], f[1]);
    snprintf(g->codigo, sizeof g->codigo, "%s", f[2]);
    g->eje = atoi(f[1]);
    g->acciones = atoi(f[3]);
    if (g->acciones < 0)
        return pmm_error_set(err, 7, "acciones", "csv", "fila %zu: acciones negativas", row);
    for (char *p = f[4]; *p;) {
        char *end;
        long k = strtol(p, &end, 10);
        if (end == p || k < 1 || k > NODS)
            return pmm_error_set(err, 7, "ods", "csv",
                                 "fila %zu: «%s» no es una lista de ODS separada por espacios",
                                 row, f[4]);
        g->ods[k] = true;
        p = end;
        while (*p == ' ')
            p++;
    }
    a->ng++;
    return 0;
}

muestra_historia *muestra_historia_new(const char *data_dir, pmm_error *err)
{
    muestra_historia *h = calloc(1, sizeof *h);
    if (!h) {
        pmm_error_set(err, 7, "", "memoria", "sin memoria");
        return NULL;
    }
    refdata *rd = refdata_load(data_dir, err);
    if (!rd)
        goto fail;
    char path[4096];
    carga c = {.h = h, .tax = refdata_taxonomia(rd, "2018-2022")};
    snprintf(path, sizeof path, "%s/tabla_ods.csv", data_dir);
    if (csvfile_read(path, on_ods, &c, err))
        goto fail;
    snprintf(path, sizeof path, "%s/muestra/ods_grupos.csv", data_dir);
    if (csvfile_read(path, on_grupo, &c, err))
        goto fail;
    for (size_t i = 0; i < h->nanios; i++) {
        anio_hist *a = &h->anios[i];
        int suma = 0;
        for (size_t k = 0; k < a->ng; k++)
            suma += a->g[k].acciones;
        if (a->ng && (!a->con_tabla || suma != a->total)) {
            pmm_error_set(err, 7, "acciones", "datos",
                          "%s: los subtemas de %d suman %d acciones con resultados y "
                          "tabla_ods.csv dice %d", path, a->anio, suma, a->total);
            goto fail;
        }
    }
    refdata_destroy(&rd);
    return h;
fail:
    refdata_destroy(&rd);
    muestra_historia_destroy(&h);
    return NULL;
}

void muestra_historia_destroy(muestra_historia **self_p)
{
    if (!self_p || !*self_p)
        return;
    free((*self_p)->r);
    free(*self_p);
    *self_p = NULL;
}

static unsigned long fnv(const char *s, unsigned long extra)
{
    unsigned long h = 1469598103934665603UL ^ extra;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211UL;
    return h;
}

int muestra_historia_agregar(muestra_historia *self, const json_t *ficha,
                             const muestra_meta *meta, pmm_error *err)
{
    if (self->n == self->cap) {
        size_t cap = self->cap ? self->cap * 2 : 512;
        registro *p = realloc(self->r, cap * sizeof *p);
        if (!p)
            return pmm_error_set(err, 7, "", "memoria", "sin memoria");
        self->r = p;
        self->cap = cap;
    }
    registro *r = &self->r[self->n++];
    memset(r, 0, sizeof *r);
    const char *dep = json_string_value(json_object_get(ficha, "dependencia"));
    const char *ent = json_string_value(json_object_get(ficha, "entidad"));
    r->ejercicio = (int)json_integer_value(json_object_get(ficha, "ejercicio"));
    snprintf(r->dependencia, sizeof r->dependencia, "%s", dep ? dep : "");
    snprintf(r->entidad, sizeof r->entidad, "%s", ent ? ent : "");
    snprintf(r->clave, sizeof r->clave, "%s",
             json_string_value(json_object_get(ficha, "clave")));
    snprintf(r->pref, sizeof r->pref, "%s", meta->subtema ? meta->subtema : "");
    r->con = meta->con_resultados;
    r->sin = meta->sin_resultados;
    r->hash = fnv(r->clave, 0);
    r->g = -1;
    return 0;
}

/* ---- deciding a year ----------------------------------------------------- */

static int grupo_de(const anio_hist *a, const char *codigo)
{
    for (size_t k = 0; k < a->ng; k++)
        if (!strcmp(a->g[k].codigo, codigo))
            return (int)k;
    return -1;
}

typedef struct {
    unsigned long hash;
    const char *clave;
    size_t i;
} por_hash;

static int cmp_hash(const void *x, const void *y)
{
    const por_hash *a = x, *b = y;
    if (a->hash != b->hash)
        return a->hash < b->hash ? -1 : 1;
    return strcmp(a->clave, b->clave);
}

/* Sub-topics of the year's fichas with results (idx, n of them). */
static void subtemas(const anio_hist *a, registro *r, size_t *idx, size_t n)
{
    int libre[MAX_GRUPOS];
    for (size_t k = 0; k < a->ng; k++)
        libre[k] = a->g[k].acciones;
    for (size_t i = 0; i < n; i++) {
        registro *x = &r[idx[i]];
        int g = grupo_de(a, x->pref);
        if (g >= 0 && libre[g] > 0) {
            x->g = g;
            libre[g]--;
        }
    }
    for (size_t i = 0; i < n; i++) {
        registro *x = &r[idx[i]];
        if (x->g >= 0)
            continue;
        int pg = grupo_de(a, x->pref), mejor = -1;
        for (size_t k = 0; k < a->ng; k++) {
            if (libre[k] <= 0)
                continue;
            bool mismo = pg >= 0 && a->g[k].eje == a->g[pg].eje;
            bool mejor_mismo = mejor >= 0 && pg >= 0 && a->g[mejor].eje == a->g[pg].eje;
            if (mejor < 0 || (mismo && !mejor_mismo) ||
                (mismo == mejor_mismo && libre[k] > libre[mejor]))
                mejor = (int)k;
        }
        x->g = mejor;
        if (mejor >= 0)
            libre[mejor]--;
    }
}

/* The SDGs of the year's fichas with results; -1 with err when the flow
 * cannot meet the published counts. */
static int ods(const anio_hist *a, registro *r, const size_t *idx, size_t n, pmm_error *err)
{
    /* nodes: 0 source, 1 sink, 2..18 SDGs, then the fichas */
    flujo *f = flujo_new(2 + NODS + n);
    int *arista = malloc((n * NODS + 1) * sizeof *arista);
    int *primera = malloc((n + 1) * sizeof *primera);
    int rc = -1;
    if (!f || !arista || !primera) {
        pmm_error_set(err, 7, "", "memoria", "sin memoria");
        goto out;
    }
    long suma = 0;
    int nods = 0;
    for (int k = 1; k <= NODS; k++)
        if (a->ods[k] > 0) {
            if (flujo_arista(f, 0, 1 + (size_t)k, a->ods[k], 0) < 0)
                goto oom;
            suma += a->ods[k];
            nods++;
        }
    for (size_t i = 0; i < n; i++) {
        registro *x = &r[idx[i]];
        const grupo *g = x->g >= 0 ? &a->g[x->g] : NULL;
        for (int k = 1; k <= NODS; k++) {
            arista[i * NODS + (size_t)k - 1] = -1;
            if (a->ods[k] == 0)
                continue;
            bool eje = false;
            for (size_t j = 0; g && j < a->ng; j++)
                eje = eje || (a->g[j].eje == g->eje && a->g[j].ods[k]);
            long costo = g && g->ods[k] ? 0 : eje ? COSTO_OTRA_LISTA : COSTO_FUERA;
            costo += (long)(fnv(x->clave, (unsigned long)k) % COSTO_JITTER);
            int e = flujo_arista(f, 1 + (size_t)k, 2 + NODS + i, 1, costo);
            if (e < 0)
                goto oom;
            arista[i * NODS + (size_t)k - 1] = e;
        }
        if ((primera[i] = flujo_arista(f, 2 + NODS + i, 1, 1, 0)) < 0)
            goto oom;
    }
    /* A ficha's first SDG is free, every further one costs COSTO_BASE more
     * than any difference of preference, so the cheapest flow of the whole
     * supply gives every ficha an SDG when that can be done (a lower bound
     * written as a cost: the graph keeps non-negative costs, and the
     * successive shortest paths never meet a negative cycle). */
    for (size_t i = 0; i < n; i++) {
        for (size_t e = 0; e < sizeof COSTO_EXTRA / sizeof COSTO_EXTRA[0]; e++)
            if (flujo_arista(f, 2 + NODS + i, 1, 1, COSTO_BASE + COSTO_EXTRA[e]) < 0)
                goto oom;
        if (nods > 4 && flujo_arista(f, 2 + NODS + i, 1, nods - 4, COSTO_BASE + COSTO_MAS) < 0)
            goto oom;
    }
    long enviado = flujo_enviar(f, 0, 1, suma);
    if (enviado < 0)
        goto oom;
    if (enviado != suma) {
        pmm_error_set(err, 7, "", "datos",
                      "%d: las acciones con resultados no alcanzan para los conteos por ODS "
                      "de tabla_ods.csv", a->anio);
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        if (flujo_en(f, primera[i]) != 1) {
            pmm_error_set(err, 7, "", "datos",
                          "%d: no se puede dar al menos un ODS a cada una de las %zu acciones "
                          "con resultados con los conteos de tabla_ods.csv", a->anio, n);
            goto out;
        }
    for (size_t i = 0; i < n; i++) {
        registro *x = &r[idx[i]];
        const grupo *g = x->g >= 0 ? &a->g[x->g] : NULL;
        for (int k = 1; k <= NODS; k++) {
            int e = arista[i * NODS + (size_t)k - 1];
            x->ods[k] = e >= 0 && flujo_en(f, e) > 0;
            x->fuera[k] = x->ods[k] && !(g && g->ods[k]);
        }
    }
    rc = 0;
    goto out;
oom:
    pmm_error_set(err, 7, "", "memoria", "sin memoria");
out:
    free(arista);
    free(primera);
    flujo_destroy(&f);
    return rc;
}

static int decidir(muestra_historia *h, anio_hist *a, pmm_error *err)
{
    size_t *idx = malloc((h->n + 1) * sizeof *idx);
    por_hash *orden = malloc((h->n + 1) * sizeof *orden);
    if (!idx || !orden) {
        free(idx);
        free(orden);
        return pmm_error_set(err, 7, "", "memoria", "sin memoria");
    }
    size_t n = 0;
    for (size_t i = 0; i < h->n; i++)
        if (h->r[i].ejercicio == a->anio && h->r[i].con)
            orden[n++] = (por_hash){h->r[i].hash, h->r[i].clave, i};
    qsort(orden, n, sizeof *orden, cmp_hash);
    for (size_t i = 0; i < n; i++)
        idx[i] = orden[i].i;
    free(orden);
    if ((long)n != a->total) {
        free(idx);
        return pmm_error_set(err, 1, "ejercicio", "muestra",
                             "la muestra de %d tiene %zu fichas con resultados y el "
                             "Diagnóstico publica %d: las decisiones históricas se escriben "
                             "para pmm muestra --tabla de años completos (sin --objetivo)",
                             a->anio, n, a->total);
    }
    subtemas(a, h->r, idx, n);
    int rc = ods(a, h->r, idx, n, err);
    free(idx);
    return rc;
}

/* ---- writing -------------------------------------------------------------- */

static void csv_campo(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

long muestra_historia_escribir(muestra_historia *self, FILE *out, pmm_error *err)
{
    for (size_t i = 0; i < self->nanios; i++) {
        anio_hist *a = &self->anios[i];
        bool hay = false;
        for (size_t j = 0; j < self->n && !hay; j++)
            hay = self->r[j].ejercicio == a->anio;
        if (hay && a->con_tabla && a->ng && decidir(self, a, err))
            return -1;
    }
    fputs("ejercicio,dependencia,entidad,clave,subtema,ods,con_resultados,nota,procedencia\n",
          out);
    long filas = 0;
    for (size_t i = 0; i < self->n; i++) {
        const registro *x = &self->r[i];
        anio_hist *a = anio_de(self, x->ejercicio, false);
        if (!a || !a->con_tabla || !a->ng || (!x->con && !x->sin))
            continue;
        fprintf(out, "%d,", x->ejercicio);
        csv_campo(out, x->dependencia);
        fputc(',', out);
        csv_campo(out, x->entidad);
        fputc(',', out);
        csv_campo(out, x->clave);
        if (x->sin || !x->con) {
            fputs(",,,no,Sin resultados en el periodo: no se alinea a los ODS.,", out);
        } else {
            char lista[64] = "", fuera[64] = "";
            size_t nl = 0, nf = 0;
            for (int k = 1; k <= NODS; k++) {
                if (x->ods[k])
                    nl += (size_t)snprintf(lista + nl, sizeof lista - nl, "%s%d",
                                           nl ? "," : "", k);
                if (x->fuera[k])
                    nf += (size_t)snprintf(fuera + nf, sizeof fuera - nf, "%s%d",
                                           nf ? ", " : "", k);
            }
            fputc(',', out);
            csv_campo(out, a->g[x->g].codigo);
            fputc(',', out);
            csv_campo(out, lista);
            fputs(",si,", out);
            if (nf) {
                char nota[320]; /* the sentence, fuera[64] and a year */
                snprintf(nota, sizeof nota,
                         "ODS fuera de la lista del subtema en el Diagnóstico: %s (la tabla "
                         "publicada de %d cuenta más acciones en %s de las que permiten esas "
                         "listas).",
                         fuera, x->ejercicio, strchr(fuera, ',') ? "esos ODS" : "ese ODS");
                csv_campo(out, nota);
            }
            fputc(',', out);
        }
        csv_campo(out, MUESTRA_PROCEDENCIA);
        fputc('\n', out);
        filas++;
    }
    if (ferror(out))
        return pmm_error_set(err, 7, "", "salida", "no se pudieron escribir las decisiones");
    return filas;
}
