/* fallas.h -- what the fault scenarios (fallas.c) share with their harness
 * (fallas_base.c): the run's state, the paced clients, the checks of what
 * was stored, and the helpers for the stack, the database and the fichas. */
#ifndef PMM_TESTS_FALLAS_H
#define PMM_TESTS_FALLAS_H

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conf.h"
#include "db.h"
#include "ficha.h"
#include "sender.h"
#include "wire.h"

#define TICK_US 100000   /* a paced client submits what is due every 100 ms */

/* What happened to one ficha, over every submission of it. */
typedef struct {
    int64_t first_us;    /* first handed to a sender */
    int64_t ack_us;      /* first receipt */
    int64_t server_us;   /* server time of that receipt */
    int64_t id;
    int32_t aceptadas, repetidas, rechazadas, desconocidas;
    int32_t id_distinto;   /* receipts naming another id than the first */
} rec;

typedef struct {
    size_t *idx;         /* global ficha index of each position */
    uint8_t *done;       /* per position: acknowledged (or refused) */
    size_t n;
    size_t *cur;         /* positions of the current sender_run */
    size_t ncur, next;
    double rate;         /* fichas per second; 0: as fast as possible */
    int64_t t0;
    long resent;         /* submissions repeated after DESCONOCIDO */
    int window;
    void *zctx;
    pthread_t th;
} client;

/* The run: configuration, connection, the per-ficha records, the verdict. */
typedef struct {
    const char *src, *run, *home;
    pmm_conf *conf;
    const char *endpoint;
    const char *conninfo;
    PGconn *db;
    char prefix[32];
    int largo;
    rec *recs;
    size_t nrecs;
    pthread_mutex_t mu;
    int64_t deadline_us;
    int failures;
    int errors_shown;
    size_t invalid_every;   /* every k-th ficha breaks a rule (0: none) */
    long collector_unknown; /* DESCONOCIDO receipts sent by the collector */
} fallas_global;

extern fallas_global G;
extern uint64_t rng_state;

typedef struct {
    long long invalidas, invalidas_rechazadas, invalidas_guardadas;
    long long enviadas, confirmadas, aceptadas, repetidas, rechazadas, desconocidas;
    long long guardadas_filas, guardadas, duplicadas, perdidas, sin_confirmar;
    long long id_distinto;
} figures;

void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void violation(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
int64_t now_us(void);
void sleep_us(int64_t us);
uint64_t mix(uint64_t x);
uint64_t rnd(void);
long env_long(const char *name, long fallback);
int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int stack_start(void);
pid_t daemon_pid(const char *name);
int pid_alive(pid_t pid);
long rss_kib(pid_t pid);
long long q_ll(const char *sql);
double wait_idle(int limit_s);
size_t submit(client *c, size_t from, size_t to);
client *clients_new(int nclients, int window);
void client_alloc(client *c, size_t n);
void clients_deal(client *cs, int nclients, size_t n, double rate);
void clients_start(client *cs, int nclients);
long clients_join(client *cs, int nclients);
void clients_free(client *cs, int nclients);
void recs_new(size_t n);
figures check_stored(long resent, int copies);
void check_pipeline(int limit_s);
int verdict(const char *name);

#endif
