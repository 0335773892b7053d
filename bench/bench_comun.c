#include "bench_comun.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db.h"
#include "ficha_json.h"
#include "muestra.h"

double bench_ahora(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double bench_percentil(double *v, size_t n, double p)
{
    if (n == 0)
        return 0;
    qsort(v, n, sizeof *v, cmp_double);
    /* nearest rank */
    size_t k = (size_t)(p / 100.0 * (double)n + 0.999999);
    if (k < 1)
        k = 1;
    if (k > n)
        k = n;
    return v[k - 1];
}

PGconn *bench_conectar(const char *conninfo, const char *app)
{
    pmm_error err;
    pmm_error_clear(&err);
    PGconn *db = db_connect(conninfo, app, &err);
    if (!db) {
        fprintf(stderr, "bench: %s\n", err.mensaje);
        exit(2);
    }
    return db;
}

void bench_exec(PGconn *db, const char *sql)
{
    pmm_error err;
    pmm_error_clear(&err);
    if (db_exec(db, sql, &err) != 0) {
        fprintf(stderr, "bench: %s: %s\n", sql, err.mensaje);
        exit(2);
    }
}

long long bench_ll(PGconn *db, const char *sql)
{
    pmm_error err;
    pmm_error_clear(&err);
    long long v = 0;
    if (db_query_ll(db, sql, &v, &err) != 0) {
        fprintf(stderr, "bench: %s: %s\n", sql, err.mensaje);
        exit(2);
    }
    return v;
}

void bench_copy_begin(PGconn *db, const char *sql)
{
    PGresult *res = PQexec(db, sql);
    if (PQresultStatus(res) != PGRES_COPY_IN) {
        fprintf(stderr, "bench: %s: %s", sql, PQerrorMessage(db));
        exit(2);
    }
    PQclear(res);
}

void bench_copy_put(PGconn *db, strbuf *b)
{
    if (strbuf_failed(b)) {
        fprintf(stderr, "bench: sin memoria\n");
        exit(2);
    }
    if (b->len && PQputCopyData(db, b->data, (int)b->len) != 1) {
        fprintf(stderr, "bench: COPY: %s", PQerrorMessage(db));
        exit(2);
    }
    strbuf_reset(b);
}

void bench_copy_end(PGconn *db)
{
    if (PQputCopyEnd(db, NULL) != 1) {
        fprintf(stderr, "bench: COPY: %s", PQerrorMessage(db));
        exit(2);
    }
    PGresult *res;
    int bad = 0;
    while ((res = PQgetResult(db)) != NULL) {
        if (PQresultStatus(res) != PGRES_COMMAND_OK && !bad) {
            fprintf(stderr, "bench: COPY: %s", PQresultErrorMessage(res));
            bad = 1;
        }
        PQclear(res);
    }
    if (bad)
        exit(2);
}

/* ---- fichas ------------------------------------------------------------ */

typedef struct {
    bench_ficha *v;
    size_t n, cap;
    const refdata *ref;
    ficha_rules rules;
    size_t text_bytes;
} collect_ctx;

static int on_ficha(void *user, json_t *j, pmm_error *err)
{
    collect_ctx *c = user;
    if (c->n == c->cap)
        return pmm_error_set(err, 7, "", "lleno", "más fichas de las pedidas");
    Pmm__Ficha *f = ficha_from_json(j, err);
    if (!f)
        return -1;
    if (ficha_validate(f, c->ref, &c->rules, err) != 0) {
        pmm__ficha__free_unpacked(f, NULL);
        return -1;
    }
    bench_ficha *x = &c->v[c->n++];
    x->f = f;
    x->packed_len = pmm__ficha__get_packed_size(f);
    x->packed = malloc(x->packed_len);
    if (!x->packed)
        return pmm_error_set(err, 7, "", "memoria", "sin memoria");
    pmm__ficha__pack(f, x->packed);
    ficha_emisor(f, x->emisor, sizeof x->emisor);
    ficha_hash(f, x->hash);
    c->text_bytes += muestra_texto_bytes(j);
    return 0;
}

bench_ficha *bench_fichas(const char *data_dir, const refdata *ref, uint64_t seed,
                          int desde, int hasta, size_t n, size_t *text_bytes)
{
    pmm_error err;
    pmm_error_clear(&err);
    muestra *m = muestra_new(data_dir, seed, &err);
    if (!m) {
        fprintf(stderr, "bench: muestra: %s\n", err.mensaje);
        exit(2);
    }
    collect_ctx c = {.v = calloc(n, sizeof(bench_ficha)), .cap = n, .ref = ref,
                     .rules = ficha_rules_default()};
    if (!c.v || muestra_lote(m, desde, hasta, 0, n, MUESTRA_GRANDE, on_ficha, &c,
                             &err) != 0) {
        fprintf(stderr, "bench: generación de fichas: %s (%s, %s)\n", err.mensaje,
                err.campo, err.regla);
        exit(2);
    }
    muestra_destroy(&m);
    if (text_bytes)
        *text_bytes = c.text_bytes;
    return c.v;
}

void bench_fichas_free(bench_ficha *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        pmm__ficha__free_unpacked(v[i].f, NULL);
        free(v[i].packed);
    }
    free(v);
}

/* Column values in BENCH_FICHA_COLS order: text or NULL (SQL NULL). The
 * strings point into f or into num (which must hold 8 x 24 bytes). */
static void values(const bench_ficha *x, const char *recibida,
                   const char *out[BENCH_FICHA_NCOLS], size_t lens[BENCH_FICHA_NCOLS],
                   char num[8][72])
{
    const Pmm__Ficha *f = x->f;
    const Pmm__Descripcion *d = f->descripcion;
    const Pmm__Resultados *r = f->resultados;
    int k = 0, nn = 0;
#define PUT(s, l)                                                              \
    do {                                                                       \
        out[k] = (s);                                                          \
        lens[k] = (l);                                                         \
        k++;                                                                   \
    } while (0)
#define BYTES(has, v) PUT((has) ? (const char *)(v).data : NULL, (has) ? (v).len : 0)
#define NUM(has, fmt, v)                                                       \
    do {                                                                       \
        if (has) {                                                             \
            snprintf(num[nn], sizeof num[nn], fmt, v);                         \
            PUT(num[nn], strlen(num[nn]));                                     \
            nn++;                                                              \
        } else                                                                 \
            PUT(NULL, 0);                                                      \
    } while (0)
    PUT(x->emisor, strlen(x->emisor));
    NUM(1, "%lld", (long long)f->ejercicio);
    BYTES(1, f->clave);
    PUT("1", 1);
    char *h = num[nn++];
    h[0] = '\\';
    h[1] = 'x';
    for (int i = 0; i < 32; i++)
        snprintf(h + 2 + 2 * i, 3, "%02x", x->hash[i]);
    PUT(h, 66);
    PUT(recibida, strlen(recibida));
    BYTES(1, f->ambito);
    BYTES(f->has_dependencia, f->dependencia);
    NUM(f->has_entidad, "%d", atoi((const char *)f->entidad.data));
    BYTES(f->has_unidad, f->unidad);
    BYTES(1, f->programa);
    NUM(1, "%lld", (long long)f->objetivo_pmm);
    BYTES(1, d->objetivo);
    BYTES(d->has_poblacion_objetivo, d->poblacion_objetivo);
    BYTES(d->has_inicio, d->inicio);
    BYTES(d->has_temporalidad, d->temporalidad);
    BYTES(d->has_fin, d->fin);
    /* at most 4 more numbers: num has 8 slots, 3 used so far */
    NUM(r && r->has_acciones, "%lld", (long long)(r ? r->acciones : 0));
    NUM(r && r->has_personas, "%lld", (long long)(r ? r->personas : 0));
    NUM(r && r->has_mujeres, "%lld", (long long)(r ? r->mujeres : 0));
    NUM(r && r->has_hombres, "%lld", (long long)(r ? r->hombres : 0));
    BYTES(r && r->has_zona, r->zona);
    BYTES(r && r->has_texto, r->texto);
    BYTES(f->has_retos, f->retos);
#undef PUT
#undef BYTES
#undef NUM
}

void bench_ficha_copy_row(strbuf *b, const bench_ficha *x, const char *recibida)
{
    const char *v[BENCH_FICHA_NCOLS];
    size_t l[BENCH_FICHA_NCOLS];
    char num[8][72];
    values(x, recibida, v, l, num);
    for (int i = 0; i < BENCH_FICHA_NCOLS; i++) {
        if (i)
            strbuf_puts(b, "\t");
        strbuf_copy_field(b, v[i], l[i]);
    }
    strbuf_puts(b, "\n");
}

void bench_ficha_params(const bench_ficha *x, const char *recibida,
                        char *params[BENCH_FICHA_NCOLS])
{
    const char *v[BENCH_FICHA_NCOLS];
    size_t l[BENCH_FICHA_NCOLS];
    char num[8][72];
    values(x, recibida, v, l, num);
    for (int i = 0; i < BENCH_FICHA_NCOLS; i++)
        params[i] = v[i] ? strndup(v[i], l[i]) : NULL;
}

void bench_params_free(char *params[BENCH_FICHA_NCOLS])
{
    for (int i = 0; i < BENCH_FICHA_NCOLS; i++) {
        free(params[i]);
        params[i] = NULL;
    }
}

void bench_vaciar(PGconn *db)
{
    bench_exec(db, "TRUNCATE fichas, contactos, cola_clasificar, clasificaciones,"
                   " decisiones, cola_agregar, agregados, totales, auditoria,"
                   " recalculos, cierres, cola_indexar, busqueda, duplicados_decisiones,"
                   " fichas_absorbidas, duplicados, vinculos_programa"
                   " RESTART IDENTITY CASCADE");
    bench_exec(db, "CHECKPOINT");
}
