/* bench_comun.h -- helpers shared by the load generators: clocks,
 * percentiles, streaming COPY, realistic fichas from lib/muestra and their
 * rows for the fichas table. */
#ifndef PMM_BENCH_COMUN_H
#define PMM_BENCH_COMUN_H

#include <libpq-fe.h>
#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "error.h"
#include "ficha.h"
#include "pmm.pb-c.h"
#include "refdata.h"
#include "strbuf.h"

/* Wall-clock seconds (monotonic). */
double bench_ahora(void);

/* p in 0..100 of v[0..n) (sorts v). */
double bench_percentil(double *v, size_t n, double p);

/* Exits with a message when conn is not usable. */
PGconn *bench_conectar(const char *conninfo, const char *app);

/* Runs sql, exits on failure. */
void bench_exec(PGconn *db, const char *sql);
long long bench_ll(PGconn *db, const char *sql);

/* A COPY ... FROM STDIN fed in pieces: begin, put (any size), end. */
void bench_copy_begin(PGconn *db, const char *sql);
void bench_copy_put(PGconn *db, strbuf *b);   /* sends and resets b */
void bench_copy_end(PGconn *db);

/* A validated, normalised ficha with what the fichas table needs. */
typedef struct {
    Pmm__Ficha *f;
    uint8_t *packed;         /* pmm__ficha__pack of f (for the wire) */
    size_t packed_len;
    char emisor[FICHA_EMISOR_MAX];
    uint8_t hash[32];
} bench_ficha;

/* n fichas of MUESTRA_GRANDE size over years desde..hasta, seeded; every
 * one validated against the contract. Exits on failure. */
bench_ficha *bench_fichas(const char *data_dir, const refdata *ref, uint64_t seed,
                          int desde, int hasta, size_t n, size_t *text_bytes);
void bench_fichas_free(bench_ficha *v, size_t n);

/* Column list and COPY text row of the fichas table (id from its default,
 * version 1, recibida as given). */
#define BENCH_FICHA_COLS                                                    \
    "emisor, ejercicio, clave, version, hash, recibida, ambito, dependencia," \
    " entidad, unidad, programa, objetivo_pmm, objetivo, poblacion_objetivo," \
    " inicio, temporalidad, fin, acciones, personas, mujeres, hombres, zona,"  \
    " resultados_texto, retos"
#define BENCH_FICHA_NCOLS 24
void bench_ficha_copy_row(strbuf *b, const bench_ficha *x, const char *recibida);
/* The same values as NUL-terminated text parameters (NULL for SQL NULL);
 * storage holds the strings, released with bench_params_free. */
void bench_ficha_params(const bench_ficha *x, const char *recibida,
                        char *params[BENCH_FICHA_NCOLS]);
void bench_params_free(char *params[BENCH_FICHA_NCOLS]);

/* Empties every table the pipeline writes, and checkpoints, so that each
 * run starts from the same state. */
void bench_vaciar(PGconn *db);

#endif
