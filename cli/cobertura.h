/* cobertura.h -- what pmm cobertura and pmm pendientes read of a year's
 * call: the terms of the reporting rates (pmm_cobertura, SQL: the rule is
 * defined there once, and the Informe's annex reads the same function), and
 * the bodies missing or delivering without being expected
 * (pmm_seguimiento).
 *
 * The arithmetic is DHIS2's: expected = the bodies in the year's call that
 * are active on its deadline (one per body and year: a body that closed
 * during the year counts through its successor, never twice); delivered =
 * expected bodies whose latest delivery stands (not reopened by fichas sent
 * after it), "sin acciones" included and also counted apart; on time =
 * delivered whose first delivery came before the end of the deadline plus
 * the grace days; rate = delivered / expected, on-time rate = on time /
 * expected. Deliveries of bodies not expected are shown apart and count in
 * neither term, so no rate exceeds 1. Over several years the terms add up
 * (expected reports = bodies x years).
 */
#ifndef PMM_CLI_COBERTURA_H
#define PMM_CLI_COBERTURA_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* The rule, in Spanish, for tables and --help. */
extern const char COBERTURA_NOTA[];

typedef struct {
    long long esperados, entregaron, a_tiempo, tarde, sin_acciones, faltan;
} cob_cuenta;

typedef struct {
    char nivel[8];         /* total, tipo, sector */
    char *tipo, *sector;   /* "" at the levels above */
    cob_cuenta c;
} cob_grupo;

/* A body missing (expected, not delivered) or delivering unexpected. */
typedef struct {
    char *emisor, *nombre, *tipo, *estado, *ultima;
    bool esperado, reabierta, convocado;
    long long fichas;
} cob_fila;

typedef struct {
    int anio;
    bool hay_convocatoria;
    char limite[16];       /* "AAAA-MM-DD" */
    int gracia;
    bool cerrada;
    cob_grupo *g;          /* total first, then types and their sectors */
    size_t ng;
    cob_fila *f;           /* missing, then unexpected deliveries */
    size_t nf;
    char **linajes;        /* with `linajes`: the bodies (as today) that delivered */
    size_t nl;
} cob_anio;

/* Reads year anio on db (a read-only transaction, in the unit's time
 * zone). Without a call hay_convocatoria is false and nothing else is
 * read. With linajes, also the delivering bodies as they are named today
 * (renames and mergers followed), for consistency across years. */
int cobertura_leer(PGconn *db, int anio, bool linajes, cob_anio *out, pmm_error *err);
void cobertura_libre(cob_anio *a);

/* The total of a year (its first group). */
const cob_cuenta *cobertura_total(const cob_anio *a);
void cobertura_acumular(cob_cuenta *into, const cob_cuenta *c);
/* delivered / expected, on time / expected; -1 when nobody is expected. */
double cobertura_tasa(const cob_cuenta *c);
double cobertura_tasa_a_tiempo(const cob_cuenta *c);

#endif
