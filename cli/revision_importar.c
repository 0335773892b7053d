/* revision_importar.c -- pmm revision importar (revision_importar.h). */
#include "revision_importar.h"

#include <csv.h>
#include <stdarg.h>
#include <errno.h>
#include <getopt.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analista.h"
#include "clasif_db.h"
#include "clasificador.h"
#include "commands.h"
#include "db.h"
#include "opciones.h"
#include "refdata.h"
#include "revision_propuesta.h"
#include "strbuf.h"
#include "utf8.h"

#define CMD "pmm revision importar"
#define MAX_ERRORES 20
#define MAX_ARCHIVO (64u << 20)
#define MAX_COLS 16
#define MAX_NOTA 4000

/* ---- the file as rows of fields ----------------------------------------- */

typedef struct {
    char **f;
    size_t n;
} fila_csv;

typedef struct {
    fila_csv *v;
    size_t n, cap;
    fila_csv cur;
    size_t curcap;
    bool oom, too_many;
} tabla_csv;

static void on_campo(void *data, size_t len, void *priv)
{
    tabla_csv *t = priv;
    if (t->oom)
        return;
    if (t->cur.n == MAX_COLS) {
        t->too_many = true;
        return;
    }
    if (t->cur.n == t->curcap) {
        size_t cap = t->curcap ? t->curcap * 2 : 8;
        char **p = realloc(t->cur.f, cap * sizeof *p);
        if (!p) {
            t->oom = true;
            return;
        }
        t->cur.f = p;
        t->curcap = cap;
    }
    char *s = malloc(len + 1);
    if (!s) {
        t->oom = true;
        return;
    }
    memcpy(s, data ? data : "", len);
    s[len] = '\0';
    t->cur.f[t->cur.n++] = s;
}

static void on_fila(int term, void *priv)
{
    (void)term;
    tabla_csv *t = priv;
    if (t->oom)
        return;
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        fila_csv *p = realloc(t->v, cap * sizeof *p);
        if (!p) {
            t->oom = true;
            return;
        }
        t->v = p;
        t->cap = cap;
    }
    t->v[t->n++] = t->cur;
    t->cur.f = NULL;
    t->cur.n = 0;
    t->curcap = 0;
}

static void tabla_csv_free(tabla_csv *t)
{
    for (size_t r = 0; r < t->n; r++) {
        for (size_t i = 0; i < t->v[r].n; i++)
            free(t->v[r].f[i]);
        free(t->v[r].f);
    }
    for (size_t i = 0; i < t->cur.n; i++)
        free(t->cur.f[i]);
    free(t->cur.f);
    free(t->v);
}

/* libcsv's own messages are English: each error named here in Spanish. */
static const char *csv_error_es(int code)
{
    switch (code) {
    case CSV_EPARSE:
        return "el CSV está mal formado (comillas sin cerrar o texto después de unas "
               "comillas de cierre)";
    case CSV_ENOMEM:
        return "sin memoria";
    case CSV_ETOOBIG:
        return "un campo es demasiado grande";
    default:
        return "no se pudo leer el CSV";
    }
}

static char *leer_archivo(const char *path, size_t *len, pmm_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        pmm_error_set(err, 2, "ARCHIVO", "archivo", "no se puede abrir %s: %s", path,
                      strerror(errno));
        return NULL;
    }
    strbuf b;
    strbuf_init(&b);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        strbuf_append(&b, buf, n);
        if (b.len > MAX_ARCHIVO)
            break;
    }
    bool error = ferror(f);
    fclose(f);
    if (error || b.len > MAX_ARCHIVO || strbuf_failed(&b)) {
        pmm_error_set(err, 2, "ARCHIVO", "archivo",
                      error ? "no se pudo leer %s" : "%s pasa de 64 MiB o no cabe en memoria",
                      path);
        strbuf_free(&b);
        return NULL;
    }
    *len = b.len;
    if (!b.data) {
        b.data = calloc(1, 1);
        if (!b.data)
            pmm_error_set(err, 7, "", "memoria", "sin memoria");
    }
    return b.data;
}

/* ---- the decisions ----------------------------------------------------- */

enum {
    C_ID, C_EJERCICIO, C_DEPENDENCIA, C_ENTIDAD, C_CLAVE, C_SUBTEMA, C_ODS,
    C_RESULTADOS, C_OBJETIVO, C_NOTA, C_PROCEDENCIA, C_N
};
static const char *const COLUMNAS[C_N] = {"id", "ejercicio", "dependencia", "entidad",
                                          "clave", "subtema", "ods", "con_resultados",
                                          "objetivo", "nota", "procedencia"};

typedef struct {
    size_t fila;             /* row of the file (the header is row 1) */
    long long id;            /* ficha id given; 0: by key */
    int ejercicio;           /* given or (for an id) found */
    char emisor[48];
    char clave[72];
    const char *subtema;     /* NULL: not decided */
    char eje[8];
    char ods[96];            /* "{3,10}", "{}" or "" (not decided) */
    int con_resultados;      /* -1 not decided, 0, 1 */
    int objetivo;            /* 0: not decided */
    const char *nota, *procedencia;
    long long ficha_id;      /* the version the decision names */
    strbuf prop_ods, prop_metas;
} decision;

typedef struct {
    const char *archivo;
    strbuf errores;
    int nerrores;
} informe_err;

static void error_fila(informe_err *e, size_t fila, const char *columna, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void error_fila(informe_err *e, size_t fila, const char *columna, const char *fmt, ...)
{
    e->nerrores++;
    if (e->nerrores > MAX_ERRORES)
        return;
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (columna)
        strbuf_printf(&e->errores, "  %s, fila %zu, columna «%s»: %s\n", e->archivo, fila,
                      columna, msg);
    else
        strbuf_printf(&e->errores, "  %s, fila %zu: %s\n", e->archivo, fila, msg);
}

static bool vacio(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return *s == '\0';
}

/* Trims spaces in place; returns s. */
static char *recortar(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

static int entero(const char *s, long long lo, long long hi, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* "3,10" / "3;10" / "3 10" -> "{3,10}"; "ninguno" -> "{}". */
static int parse_ods(const char *s, char *out, size_t cap)
{
    char f[64];
    utf8_fold(s, strlen(s), f, sizeof f);
    if (!strcmp(recortar(f), "ninguno")) {
        snprintf(out, cap, "{}");
        return 0;
    }
    bool seen[18] = {false};
    size_t n = 0, k = 0;
    out[n++] = '{';
    const char *p = s;
    while (*p) {
        while (*p == ',' || *p == ';' || *p == ' ')
            p++;
        if (!*p)
            break;
        char *end;
        long v = strtol(p, &end, 10);
        if (end == p || v < 1 || v > 17 || seen[v])
            return -1;
        if (*end && *end != ',' && *end != ';' && *end != ' ')
            return -1;
        seen[v] = true;
        int w = snprintf(out + n, cap - n, "%s%ld", k++ ? "," : "", v);
        if (w < 0 || (size_t)w >= cap - n)
            return -1;
        n += (size_t)w;
        p = end;
    }
    if (k == 0 || n + 2 > cap)
        return -1;
    out[n++] = '}';
    out[n] = '\0';
    return 0;
}

static int parse_si_no(const char *s)
{
    char f[32];
    utf8_fold(s, strlen(s), f, sizeof f);
    recortar(f);
    if (!strcmp(f, "si") || !strcmp(f, "verdadero") || !strcmp(f, "1") || !strcmp(f, "true"))
        return 1;
    if (!strcmp(f, "no") || !strcmp(f, "falso") || !strcmp(f, "0") || !strcmp(f, "false"))
        return 0;
    return -1;
}

static bool clave_valida(const char *c)
{
    size_t n = strlen(c);
    if (n < 1 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = c[i];
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
              ch == '.' || ch == '_' || ch == ':' || ch == '-'))
            return false;
    }
    return true;
}

/* Column positions from the header; -1 with errors reported. */
static int cabecera(const fila_csv *h, int col[C_N], informe_err *e)
{
    for (int c = 0; c < C_N; c++)
        col[c] = -1;
    for (size_t i = 0; i < h->n; i++) {
        char nombre[64];
        char *s = h->f[i];
        if (i == 0 && !strncmp(s, "\xEF\xBB\xBF", 3))
            s += 3;   /* a spreadsheet's byte-order mark */
        utf8_fold(s, strlen(s), nombre, sizeof nombre);
        char *t = recortar(nombre);
        for (char *q = t; *q; q++)
            if (*q == ' ' || *q == '-')
                *q = '_';
        if (!*t)
            continue;
        int k = -1;
        for (int c = 0; c < C_N; c++)
            if (!strcmp(t, COLUMNAS[c]))
                k = c;
        if (k < 0) {
            error_fila(e, 1, h->f[i],
                       "columna desconocida; las columnas son id, ejercicio, dependencia, "
                       "entidad, clave, subtema, ods, con_resultados, objetivo, nota y "
                       "procedencia");
        } else if (col[k] >= 0) {
            error_fila(e, 1, h->f[i], "la columna aparece dos veces");
        } else {
            col[k] = (int)i;
        }
    }
    if (col[C_ID] < 0 && (col[C_EJERCICIO] < 0 || col[C_CLAVE] < 0 ||
                          (col[C_DEPENDENCIA] < 0 && col[C_ENTIDAD] < 0)))
        error_fila(e, 1, NULL,
                   "faltan columnas para identificar las fichas: «id», o «ejercicio», "
                   "«clave» y «dependencia» o «entidad»");
    if (col[C_SUBTEMA] < 0 && col[C_ODS] < 0 && col[C_RESULTADOS] < 0 && col[C_OBJETIVO] < 0)
        error_fila(e, 1, NULL,
                   "no hay ninguna columna de decisión: «subtema», «ods», "
                   "«con_resultados» u «objetivo»");
    return e->nerrores ? -1 : 0;
}

static const char *campo(const fila_csv *r, const int col[C_N], int c)
{
    if (col[c] < 0 || (size_t)col[c] >= r->n)
        return "";
    return r->f[col[c]];
}

/* One data row into d; problems reported into e. */
static void leer_fila(const fila_csv *r, size_t fila, const int col[C_N], const refdata *rd,
                      decision *d, informe_err *e)
{
    memset(d, 0, sizeof *d);
    strbuf_init(&d->prop_ods);
    strbuf_init(&d->prop_metas);
    d->fila = fila;
    d->con_resultados = -1;
    for (size_t i = 0; i < r->n; i++)
        if (!utf8_valid(r->f[i], strlen(r->f[i]))) {
            error_fila(e, fila, NULL, "el texto no es UTF-8 válido (guarde el archivo "
                                      "como «CSV UTF-8»)");
            return;
        }
    long long v;
    const char *s = campo(r, col, C_ID);
    if (!vacio(s)) {
        if (entero(recortar((char *)s), 1, 0x7fffffffffffffffLL, &v))
            error_fila(e, fila, "id", "«%s» no es el número de una ficha", s);
        else
            d->id = v;
    } else {
        s = recortar((char *)campo(r, col, C_EJERCICIO));
        if (entero(s, 2018, 2100, &v))
            error_fila(e, fila, "ejercicio", "«%s» no es un año de 2018 en adelante", s);
        else
            d->ejercicio = (int)v;
        const char *dep = recortar((char *)campo(r, col, C_DEPENDENCIA));
        const char *ent = recortar((char *)campo(r, col, C_ENTIDAD));
        if (*dep && *ent) {
            error_fila(e, fila, "entidad", "una ficha es de una dependencia o de una entidad, "
                                           "no de las dos");
        } else if (*dep) {
            const ref_dependencia *rdep = refdata_dependencia(rd, dep, strlen(dep));
            if (!rdep)
                error_fila(e, fila, "dependencia", "«%s» no está en la lista de dependencias "
                                                   "(data/dependencias.csv)", dep);
            else
                snprintf(d->emisor, sizeof d->emisor, "D:%s", rdep->sigla);
        } else if (*ent) {
            int k = refdata_entidad(rd, ent, strlen(ent));
            if (!k)
                error_fila(e, fila, "entidad", "«%s» no es una clave INEGI (01 a 32) ni el "
                                               "nombre de una entidad", ent);
            else
                snprintf(d->emisor, sizeof d->emisor, "E:%02d", k);
        } else {
            error_fila(e, fila, "dependencia", "indique la dependencia o la entidad de la "
                                               "ficha (o su id)");
        }
        s = recortar((char *)campo(r, col, C_CLAVE));
        if (!clave_valida(s))
            error_fila(e, fila, "clave", "«%s» no es una clave de ficha (1 a 64 letras sin "
                                         "acentos, dígitos, «.», «_», «:» o «-»)", s);
        else
            snprintf(d->clave, sizeof d->clave, "%s", s);
    }
    s = recortar((char *)campo(r, col, C_SUBTEMA));
    if (*s)
        d->subtema = s;
    s = campo(r, col, C_ODS);
    if (!vacio(s) && parse_ods(s, d->ods, sizeof d->ods))
        error_fila(e, fila, "ods", "«%s» no es una lista de ODS: se esperan números del 1 "
                                   "al 17, sin repetir, separados por comas (p. ej. 3,10), "
                                   "o «ninguno»", s);
    s = campo(r, col, C_RESULTADOS);
    if (!vacio(s) && (d->con_resultados = parse_si_no(s)) < 0)
        error_fila(e, fila, "con_resultados", "«%s»: se espera «si» o «no»", s);
    s = recortar((char *)campo(r, col, C_OBJETIVO));
    if (*s) {
        if (entero(s, 1, 23, &v))
            error_fila(e, fila, "objetivo", "«%s» no es un objetivo del Pacto (1 a 23)", s);
        else
            d->objetivo = (int)v;
    }
    d->nota = campo(r, col, C_NOTA);
    d->procedencia = recortar((char *)campo(r, col, C_PROCEDENCIA));
    if (utf8_length(d->nota, strlen(d->nota)) > MAX_NOTA)
        error_fila(e, fila, "nota", "pasa de %d caracteres", MAX_NOTA);
    if (strlen(d->procedencia) > 200)
        error_fila(e, fila, "procedencia", "pasa de 200 caracteres");
    if (!d->subtema && !d->ods[0] && d->con_resultados < 0 && !d->objetivo)
        error_fila(e, fila, NULL, "la fila no decide nada: llene «subtema», «ods», "
                                  "«con_resultados» u «objetivo»");
}

/* ---- database ---------------------------------------------------------- */

/* A PostgreSQL array literal from n strings (NULL elements allowed). */
static void arr_texto(strbuf *b, const char *const *v, size_t n)
{
    strbuf_puts(b, "{");
    for (size_t i = 0; i < n; i++) {
        if (i)
            strbuf_puts(b, ",");
        if (!v[i])
            strbuf_puts(b, "NULL");
        else
            strbuf_array_elem(b, v[i], strlen(v[i]));
    }
    strbuf_puts(b, "}");
}

/* Finds each decision's ficha: its id (the latest version for a key) and
 * its key and year. */
static int resolver(PGconn *db, decision *d, size_t n, informe_err *e, pmm_error *err)
{
    const char **ids = calloc(n + 1, sizeof *ids), **em = calloc(n + 1, sizeof *em);
    const char **an = calloc(n + 1, sizeof *an), **cl = calloc(n + 1, sizeof *cl);
    char (*idtxt)[24] = calloc(n + 1, sizeof *idtxt), (*antxt)[12] = calloc(n + 1, sizeof *antxt);
    strbuf a1, a2, a3, a4;
    strbuf_init(&a1);
    strbuf_init(&a2);
    strbuf_init(&a3);
    strbuf_init(&a4);
    int rc = -1;
    if (!ids || !em || !an || !cl || !idtxt || !antxt) {
        pmm_error_set(err, 7, "", "memoria", "sin memoria");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        if (d[i].id) {
            snprintf(idtxt[i], sizeof idtxt[i], "%lld", d[i].id);
            ids[i] = idtxt[i];
        } else {
            snprintf(antxt[i], sizeof antxt[i], "%d", d[i].ejercicio);
            em[i] = d[i].emisor;
            an[i] = antxt[i];
            cl[i] = d[i].clave;
        }
    }
    arr_texto(&a1, ids, n);
    arr_texto(&a2, em, n);
    arr_texto(&a3, an, n);
    arr_texto(&a4, cl, n);
    if (strbuf_failed(&a1) || strbuf_failed(&a2) || strbuf_failed(&a3) || strbuf_failed(&a4)) {
        pmm_error_set(err, 7, "", "memoria", "sin memoria");
        goto out;
    }
    const char *params[] = {a1.data, a2.data, a3.data, a4.data};
    PGresult *res = PQexecParams(
        db,
        "SELECT u.n, f.id, f.emisor, f.ejercicio, f.clave"
        "  FROM unnest($1::bigint[], $2::text[], $3::int[], $4::text[])"
        "       WITH ORDINALITY AS u(id, emisor, ejercicio, clave, n)"
        "  LEFT JOIN LATERAL ("
        "    SELECT g.id, g.emisor, g.ejercicio, g.clave FROM fichas g"
        "     WHERE u.id IS NOT NULL AND g.id = u.id"
        "    UNION ALL"
        "    (SELECT g.id, g.emisor, g.ejercicio, g.clave FROM fichas g"
        "      WHERE u.id IS NULL AND g.emisor = u.emisor AND g.ejercicio = u.ejercicio"
        "        AND g.clave = u.clave ORDER BY g.version DESC LIMIT 1)) f ON true"
        " ORDER BY u.n",
        4, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(db, res, "no se pudieron buscar las fichas", err);
        PQclear(res);
        goto out;
    }
    for (int r = 0; r < PQntuples(res) && (size_t)r < n; r++) {
        decision *x = &d[r];
        if (PQgetisnull(res, r, 1)) {
            if (x->id)
                error_fila(e, x->fila, "id", "no existe la ficha %lld", x->id);
            else
                error_fila(e, x->fila, "clave", "no existe la ficha «%s» de %s%s del "
                                                "ejercicio %d (envíela antes con pmm "
                                                "importar o pmm enviar)",
                           x->clave, x->emisor[0] == 'E' ? "la entidad " : "",
                           x->emisor + 2, x->ejercicio);
            continue;
        }
        x->ficha_id = strtoll(PQgetvalue(res, r, 1), NULL, 10);
        snprintf(x->emisor, sizeof x->emisor, "%s", PQgetvalue(res, r, 2));
        x->ejercicio = atoi(PQgetvalue(res, r, 3));
        snprintf(x->clave, sizeof x->clave, "%s", PQgetvalue(res, r, 4));
    }
    PQclear(res);
    rc = 0;
out:
    strbuf_free(&a1);
    strbuf_free(&a2);
    strbuf_free(&a3);
    strbuf_free(&a4);
    free(ids);
    free(em);
    free(an);
    free(cl);
    free(idtxt);
    free(antxt);
    return rc;
}

static int cmp_clave(const void *a, const void *b)
{
    const decision *x = *(decision *const *)a, *y = *(decision *const *)b;
    int c = strcmp(x->emisor, y->emisor);
    if (!c)
        c = x->ejercicio - y->ejercicio;
    if (!c)
        c = strcmp(x->clave, y->clave);
    if (!c)
        c = x->fila < y->fila ? -1 : x->fila > y->fila;
    return c;
}

/* Two rows of the file for one ficha are refused: which one wins would be
 * a guess. */
static int duplicadas(decision *d, size_t n, informe_err *e)
{
    decision **v = malloc((n + 1) * sizeof *v);
    if (!v)
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (d[i].ficha_id)
            v[k++] = &d[i];
    qsort(v, k, sizeof *v, cmp_clave);
    for (size_t i = 1; i < k; i++)
        if (!strcmp(v[i]->emisor, v[i - 1]->emisor) && v[i]->ejercicio == v[i - 1]->ejercicio &&
            !strcmp(v[i]->clave, v[i - 1]->clave))
            error_fila(e, v[i]->fila, NULL, "la ficha «%s» ya tiene una decisión en la fila "
                                            "%zu de este archivo",
                       v[i]->clave, v[i - 1]->fila);
    free(v);
    return 0;
}

/* Sub-topics against the taxonomy of each ficha's year; the SDG proposal
 * for a decided sub-topic without SDGs (as pmm revision fijar). */
static int subtemas(PGconn *db, pmm_conf *conf, const refdata *rd, decision *d, size_t n,
                    informe_err *e, pmm_error *err)
{
    const char *fija = conf_str(conf, "clasificador", "taxonomia");
    if (fija && !*fija)
        fija = NULL;
    clasificador *clf = NULL;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        decision *x = &d[i];
        if (!x->subtema || !x->ficha_id)
            continue;
        const ref_taxonomia *t = fija ? refdata_taxonomia(rd, fija)
                                      : refdata_taxonomia_ejercicio(rd, x->ejercicio);
        const ref_subtema *s = t ? ref_taxonomia_subtema(t, x->subtema) : NULL;
        if (!s) {
            strbuf v;
            strbuf_init(&v);
            for (size_t k = 0; t && k < t->nsubtemas; k++)
                strbuf_printf(&v, "%s%s", k ? ", " : "", t->subtemas[k].codigo);
            error_fila(e, x->fila, "subtema", "«%s» no es un subtema de la taxonomía %s (la "
                                              "del ejercicio %d); los subtemas son: %s",
                       x->subtema, t ? t->nombre : "?", x->ejercicio, v.data ? v.data : "");
            strbuf_free(&v);
            continue;
        }
        snprintf(x->eje, sizeof x->eje, "%d", s->eje);
        if (x->ods[0] || x->con_resultados == 0)
            continue;
        if (!clf) {
            clf = clasificador_new(conf_data_dir(conf), err);
            if (!clf || clasificador_cargar_modelo(clf, conf_str(conf, "clasificador", "modelo"),
                                                   err)) {
                rc = -1;
                break;
            }
        }
        char idbuf[24];
        snprintf(idbuf, sizeof idbuf, "%lld", x->ficha_id);
        const char *params[] = {idbuf};
        PGresult *res = PQexecParams(db, "SELECT " CLASIF_DB_COLUMNS " FROM fichas f"
                                         " WHERE f.id = $1::bigint",
                                     1, NULL, params, NULL, NULL, 0);
        if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1)
            rc = db_error(db, res, "no se pudo leer la ficha", err);
        else
            rc = revision_propuesta(clf, res, 0, x->ejercicio, t->nombre, x->subtema,
                                    &x->prop_ods, &x->prop_metas, err);
        PQclear(res);
    }
    clasificador_destroy(&clf);
    return rc;
}

/* Stores the file's decisions and queues their fichas for aggregation;
 * the import's id into *importacion. */
static int guardar(PGconn *db, const char *archivo, const char *hash, const char *procedencia,
                   const char *analista, decision *d, size_t n, long long *importacion,
                   pmm_error *err)
{
    size_t nn = n + 1;
    const char **v[10];
    for (int k = 0; k < 10; k++)
        v[k] = calloc(nn, sizeof *v[k]);
    char (*nums)[3][24] = calloc(nn, sizeof *nums);
    strbuf a[10];
    for (int k = 0; k < 10; k++)
        strbuf_init(&a[k]);
    int rc = -1;
    for (int k = 0; k < 10; k++)
        if (!v[k])
            goto oom;
    if (!nums)
        goto oom;
    for (size_t i = 0; i < n; i++) {
        snprintf(nums[i][0], sizeof nums[i][0], "%lld", d[i].ficha_id);
        snprintf(nums[i][1], sizeof nums[i][1], "%d", d[i].objetivo);
        v[0][i] = nums[i][0];
        v[1][i] = d[i].subtema ? d[i].eje : NULL;
        v[2][i] = d[i].subtema;
        v[3][i] = d[i].ods[0] ? d[i].ods : NULL;
        v[4][i] = d[i].objetivo ? nums[i][1] : NULL;
        v[5][i] = *d[i].nota ? d[i].nota : NULL;
        v[6][i] = d[i].prop_ods.len ? d[i].prop_ods.data : NULL;
        v[7][i] = d[i].prop_metas.len ? d[i].prop_metas.data : NULL;
        v[8][i] = d[i].con_resultados < 0 ? NULL : d[i].con_resultados ? "true" : "false";
        v[9][i] = *d[i].procedencia ? d[i].procedencia : NULL;
    }
    for (int k = 0; k < 10; k++)
        arr_texto(&a[k], v[k], n);
    for (int k = 0; k < 10; k++)
        if (strbuf_failed(&a[k]))
            goto oom;
    char filas[24];
    snprintf(filas, sizeof filas, "%zu", n);
    const char *params[] = {archivo, hash, filas, procedencia, analista, a[0].data,
                            a[1].data, a[2].data, a[3].data, a[4].data, a[5].data,
                            a[6].data, a[7].data, a[8].data, a[9].data};
    PGresult *res = PQexecParams(
        db,
        "WITH i AS (INSERT INTO importaciones_decisiones"
        "             (archivo, hash, filas, procedencia, analista)"
        "           VALUES ($1, $2, $3::int, $4, $5) RETURNING id),"
        " d AS (INSERT INTO decisiones (emisor, ejercicio, clave, ficha_id, eje, subtema,"
        "         ods, objetivo_pmm, nota, analista, ods_propuesta, metas_propuesta,"
        "         con_resultados, procedencia, importacion)"
        "       SELECT f.emisor, f.ejercicio, f.clave, f.id, u.eje, u.subtema,"
        "              u.ods::smallint[], u.obj, u.nota, $5, u.op::smallint[],"
        "              u.mp::text[], u.cr, coalesce(u.proc, $4), (SELECT id FROM i)"
        "         FROM unnest($6::bigint[], $7::smallint[], $8::text[], $9::text[],"
        "                     $10::smallint[], $11::text[], $12::text[], $13::text[],"
        "                     $14::boolean[], $15::text[])"
        "              WITH ORDINALITY AS u(fid, eje, subtema, ods, obj, nota, op, mp, cr,"
        "                                   proc, n)"
        "         JOIN fichas f ON f.id = u.fid"
        "        ORDER BY u.n"
        "       RETURNING ficha_id)"
        " SELECT (SELECT id FROM i), count(*),"
        "        pmm_encolar_agregacion(array_agg(ficha_id)) FROM d",
        15, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(db, res, "no se pudieron guardar las decisiones", err);
    } else if (strtoull(PQgetvalue(res, 0, 1), NULL, 10) != n) {
        pmm_error_set(err, 7, "", "decisiones", "se guardaron %s de %zu decisiones; no se "
                                                "guardó ninguna",
                      PQgetvalue(res, 0, 1), n);
    } else {
        *importacion = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
        rc = 0;
    }
    PQclear(res);
    goto out;
oom:
    pmm_error_set(err, 7, "", "memoria", "sin memoria");
out:
    for (int k = 0; k < 10; k++) {
        free(v[k]);
        strbuf_free(&a[k]);
    }
    free(nums);
    return rc;
}

/* ---- the command ------------------------------------------------------- */

static void ayuda(FILE *out)
{
    fprintf(out,
            "Uso: pmm revision importar ARCHIVO.csv [--analista NOMBRE]\n"
            "                           [--procedencia TEXTO] [--comprobar]\n\n"
            "Registra de una vez muchas decisiones de analistas, como pmm revision fijar\n"
            "registra una: así se cargan los ejercicios anteriores con las decisiones que\n"
            "tomaron los analistas de entonces. Todo o nada: si una fila tiene un\n"
            "problema, se dicen todos (archivo, fila, columna y regla) y no se guarda\n"
            "ninguna. Queda registrada la importación (archivo, huella SHA-256, analista y\n"
            "procedencia) y cada decisión la nombra.\n\n"
            "El archivo es CSV (UTF-8) con una fila de encabezados; columnas, en cualquier\n"
            "orden:\n"
            "  id                  número de la ficha (cualquiera de sus versiones), o bien\n"
            "  ejercicio, dependencia o entidad, clave   la ficha por su clave\n"
            "  subtema             código del subtema en la taxonomía del ejercicio\n"
            "  ods                 ODS separados por comas (3,10) o «ninguno»\n"
            "  con_resultados      si | no: si la ficha reportó resultados en el periodo\n"
            "                      (con «no», la ficha no cuenta en ningún ODS)\n"
            "  objetivo            objetivo del Pacto (1 a 23)\n"
            "  nota, procedencia   textos libres (procedencia sustituye a --procedencia)\n"
            "Una celda vacía no decide nada. Con subtema y sin ods, los ODS se proponen\n"
            "para el subtema, como en pmm revision fijar.\n\n"
            "Opciones:\n"
            "  --analista NOMBRE     quién decide (si no, $PMM_ANALISTA o el nombre de su\n"
            "                        clave de analista; véase [general] exigir_analista)\n"
            "  --procedencia TEXTO   de dónde vienen las decisiones (p. ej. «Diagnóstico\n"
            "                        2018-2022»)\n"
            "  --comprobar           revisa el archivo contra la base de datos y no guarda\n"
            "                        nada\n"
            "  -h, --help            muestra esta ayuda\n\n"
            "Ejemplos:\n"
            "  pmm revision importar decisiones-2018-2022.csv --procedencia \"Diagnóstico "
            "2018-2022\"\n"
            "  pmm revision importar revisadas.csv --comprobar\n");
}

int revision_importar(int argc, char **argv, pmm_conf *conf)
{
    static const struct option opts[] = {{"analista", required_argument, NULL, 'a'},
                                         {"procedencia", required_argument, NULL, 'p'},
                                         {"comprobar", no_argument, NULL, 'c'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *analista_opc = NULL, *procedencia = NULL;
    bool comprobar = false;
    int opt;
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (opt) {
        case 'a': analista_opc = optarg; break;
        case 'p': procedencia = optarg; break;
        case 'c': comprobar = true; break;
        case 'h': ayuda(stdout); return 0;
        default: return cli_opcion_mala("revision importar", opt, argv);
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, CMD ": indique un archivo CSV de decisiones\n");
        return EXIT_USO;
    }
    if (procedencia && (!utf8_valid(procedencia, strlen(procedencia)) ||
                        strlen(procedencia) > 200)) {
        fprintf(stderr, CMD ": --procedencia debe ser texto UTF-8 de hasta 200 caracteres\n");
        return EXIT_USO;
    }
    const char *archivo = argv[optind];
    pmm_error err;
    pmm_error_clear(&err);
    char analista[160];
    if (analista_nombre(conf, analista_opc, analista, sizeof analista, &err)) {
        fprintf(stderr, CMD ": %s\n", err.mensaje);
        return EXIT_USO;
    }
    size_t len = 0;
    char *texto = leer_archivo(archivo, &len, &err);
    if (!texto) {
        fprintf(stderr, CMD ": %s\n", err.mensaje);
        return EXIT_USO;
    }
    uint8_t h[32];
    char hash[65];
    crypto_hash_sha256(h, (const uint8_t *)texto, len);
    sodium_bin2hex(hash, sizeof hash, h, sizeof h);

    int rc = EXIT_USO;
    tabla_csv t = {0};
    decision *d = NULL;
    size_t nd = 0;
    refdata *rd = NULL;
    PGconn *db = NULL;
    informe_err e = {.archivo = archivo};
    strbuf_init(&e.errores);
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        fprintf(stderr, CMD ": sin memoria\n");
        goto out;
    }
    size_t hecho = csv_parse(&p, texto, len, on_campo, on_fila, &t);
    int cerr = hecho != len ? csv_error(&p) : 0;
    if (!cerr && csv_fini(&p, on_campo, on_fila, &t) != 0)
        cerr = csv_error(&p);
    csv_free(&p);
    if (t.oom) {
        fprintf(stderr, CMD ": sin memoria\n");
        goto out;
    }
    if (cerr) {
        fprintf(stderr, CMD ": %s, fila %zu: %s; no se guardó ninguna decisión\n", archivo,
                t.n + 1, csv_error_es(cerr));
        rc = EXIT_RECHAZO;
        goto out;
    }
    if (t.too_many) {
        fprintf(stderr, CMD ": %s: una fila tiene más de %d columnas\n", archivo, MAX_COLS);
        rc = EXIT_RECHAZO;
        goto out;
    }
    if (t.n < 2) {
        fprintf(stderr, CMD ": %s no tiene decisiones (se espera una fila de encabezados y "
                        "al menos una fila más)\n", archivo);
        rc = EXIT_RECHAZO;
        goto out;
    }
    int col[C_N];
    rd = refdata_load(conf_data_dir(conf), &err);
    if (!rd) {
        fprintf(stderr, CMD ": datos de referencia: %s\n", err.mensaje);
        goto out;
    }
    d = calloc(t.n, sizeof *d);
    if (!d) {
        fprintf(stderr, CMD ": sin memoria\n");
        goto out;
    }
    if (cabecera(&t.v[0], col, &e) == 0) {
        for (size_t r = 1; r < t.n; r++) {
            bool blanca = true;
            for (size_t i = 0; i < t.v[r].n && blanca; i++)
                blanca = vacio(t.v[r].f[i]);
            if (!blanca)
                leer_fila(&t.v[r], r + 1, col, rd, &d[nd++], &e);
        }
    }
    if (!e.nerrores && nd == 0)
        error_fila(&e, 2, NULL, "el archivo no tiene filas de decisiones");
    if (!e.nerrores) {
        db = db_connect(conf_conninfo(conf, NULL), "pmm-revision", &err);
        if (!db) {
            fprintf(stderr, CMD ": %s\n", err.mensaje);
            goto out;
        }
        if (db_exec(db, "BEGIN", &err) || resolver(db, d, nd, &e, &err) ||
            duplicadas(d, nd, &e) || subtemas(db, conf, rd, d, nd, &e, &err)) {
            if (!err.mensaje[0])
                pmm_error_set(&err, 7, "", "memoria", "sin memoria");
            fprintf(stderr, CMD ": %s\n", err.mensaje);
            goto out;
        }
    }
    if (e.nerrores) {
        fprintf(stderr, CMD ": %d %s en %s; no se guardó ninguna decisión:\n%s", e.nerrores,
                e.nerrores == 1 ? "problema" : "problemas", archivo,
                e.errores.data ? e.errores.data : "");
        if (e.nerrores > MAX_ERRORES)
            fprintf(stderr, "  … y %d más\n", e.nerrores - MAX_ERRORES);
        rc = EXIT_RECHAZO;
        goto out;
    }
    if (comprobar) {
        printf("%s: %zu %s válida%s; no se guardó nada (--comprobar).\n", archivo, nd,
               nd == 1 ? "decisión" : "decisiones", nd == 1 ? "" : "s");
        rc = 0;
        goto out;
    }
    long long imp = 0;
    if (guardar(db, archivo, hash, procedencia, analista, d, nd, &imp, &err) ||
        db_exec(db, "COMMIT", &err)) {
        fprintf(stderr, CMD ": %s; no se guardó ninguna decisión\n", err.mensaje);
        goto out;
    }
    printf("%zu %s de %s %s (importación %lld, analista %s%s%s%s); los totales se "
           "actualizan en segundos.\n  huella SHA-256 del archivo: %s\n",
           nd, nd == 1 ? "decisión" : "decisiones", archivo,
           nd == 1 ? "guardada" : "guardadas", imp, analista,
           procedencia ? ", procedencia «" : "", procedencia ? procedencia : "",
           procedencia ? "»" : "", hash);
    /* a year already closed keeps its published edition until a new close */
    int vistos[64], nv = 0;
    for (size_t i = 0; i < nd; i++) {
        bool ya = false;
        for (int k = 0; k < nv; k++)
            ya = ya || vistos[k] == d[i].ejercicio;
        if (!ya && nv < 64) {
            vistos[nv++] = d[i].ejercicio;
            analista_aviso_cierre(db, CMD, d[i].ejercicio, 0, conf_zona_horaria(conf));
        }
    }
    rc = 0;
out:
    if (db) {
        pmm_error ignored;
        if (rc != 0 || comprobar)
            db_exec(db, "ROLLBACK", &ignored);
        PQfinish(db);
    }
    for (size_t i = 0; i < nd; i++) {
        strbuf_free(&d[i].prop_ods);
        strbuf_free(&d[i].prop_metas);
    }
    free(d);
    strbuf_free(&e.errores);
    refdata_destroy(&rd);
    tabla_csv_free(&t);
    free(texto);
    return rc;
}
