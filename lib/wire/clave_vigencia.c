#include "clave_vigencia.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    long long id;
    int expired;   /* 0 revoked, 1 expired */
} bad_key;

struct clave_vigencia {
    int refresh_ms;
    int loaded;
    struct timespec read_at;
    bad_key *bad;
    size_t nbad;
};

clave_vigencia *clave_vigencia_new(int refresh_ms)
{
    clave_vigencia *self = calloc(1, sizeof *self);
    if (self)
        self->refresh_ms = refresh_ms;
    return self;
}

void clave_vigencia_destroy(clave_vigencia **self_p)
{
    if (!self_p || !*self_p)
        return;
    free((*self_p)->bad);
    free(*self_p);
    *self_p = NULL;
}

static long elapsed_ms(const struct timespec *since)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - since->tv_sec) * 1000L + (now.tv_nsec - since->tv_nsec) / 1000000L;
}

static int cmp_id(const void *a, const void *b)
{
    long long x = ((const bad_key *)a)->id, y = ((const bad_key *)b)->id;
    return x < y ? -1 : x > y;
}

/* Reads the keys that may not act now. 0, or -1 (the old list is dropped:
 * without a fresh list every key is refused). */
static int reload(clave_vigencia *self, PGconn *db)
{
    self->loaded = 0;
    free(self->bad);
    self->bad = NULL;
    self->nbad = 0;
    if (!db)
        return -1;
    PGresult *res = PQexec(db, "SELECT id, revocada IS NULL FROM claves"
                               " WHERE revocada IS NOT NULL"
                               "    OR (vence IS NOT NULL AND vence <= now())");
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        PQclear(res);
        return -1;
    }
    size_t n = (size_t)PQntuples(res);
    self->bad = calloc(n ? n : 1, sizeof *self->bad);
    if (!self->bad) {
        PQclear(res);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        self->bad[i].id = strtoll(PQgetvalue(res, (int)i, 0), NULL, 10);
        self->bad[i].expired = PQgetvalue(res, (int)i, 1)[0] == 't';
    }
    PQclear(res);
    qsort(self->bad, n, sizeof *self->bad, cmp_id);
    self->nbad = n;
    self->loaded = 1;
    clock_gettime(CLOCK_MONOTONIC, &self->read_at);
    return 0;
}

int clave_vigencia_check(clave_vigencia *self, PGconn *db, long long clave_id, int force,
                         const char **motivo)
{
    *motivo = "";
    if (clave_id <= 0)
        return 1;
    if (force || !self->loaded || elapsed_ms(&self->read_at) >= self->refresh_ms) {
        if (reload(self, db) != 0) {
            *motivo = "sin_base_de_datos";
            return 0;
        }
    }
    bad_key key = {.id = clave_id};
    const bad_key *hit = bsearch(&key, self->bad, self->nbad, sizeof key, cmp_id);
    if (!hit)
        return 1;
    *motivo = hit->expired ? "clave_vencida" : "clave_revocada";
    return 0;
}
