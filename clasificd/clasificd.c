/* clasificd -- a classifier worker. Run as many as you like, on any host.
 *
 * Work is the cola_clasificar table: a worker claims a batch with
 * FOR UPDATE SKIP LOCKED (so workers never take the same ficha), classifies
 * it, stores the classifications, queues the fichas for aggregation and
 * deletes its claim, all in one transaction. A worker that dies mid-batch
 * rolls back and the batch is claimed again. ZeroMQ only wakes workers up
 * (MSG_WORK from ingestd) and wakes aggregd up (MSG_CLASSIFIED); without
 * those hints the queue is still polled every few seconds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clasif_db.h"
#include "clasif_memoria.h"
#include "clasificador.h"
#include "conf.h"
#include "daemon.h"
#include "db.h"
#include "log.h"
#include "notify.h"
#include "signals.h"
#include "wire.h"

/* without hints (none connected, one lost) the queue is polled this often */
#define POLL_MS 3000

typedef struct {
    pmm_daemon *d;
    PGconn *db;          /* the daemon's connection, for this batch */
    clasificador *clf;
    const char *taxonomia;
    void *work_pull;     /* hints from ingestd (connect) */
    void *events_push;   /* hints to aggregd (connect) */
    int batch;           /* [clasificador] lote */
} clasificd;

/* Claims, classifies and stores one batch; *ids (capacity *cap, grown as
 * needed) receives the ids of the fichas classified. Returns how many
 * (0: queue empty) or -1 with err.
 *
 * The claim is a CTE of its own: with the LIMIT ... SKIP LOCKED sub-select
 * inside DELETE ... WHERE IN, PostgreSQL may re-evaluate the sub-select
 * (a rescan or an EvalPlanQual recheck) and delete more rows than the
 * limit; a soak found a batch larger than the buffer sized for it. */
static int classify_batch(clasificd *self, int64_t **ids, size_t *cap, pmm_error *err)
{
    /* Asynchronous commit: this transaction's effects (classifications and
     * the aggregation queue) are lost only together with the deletion of
     * its claim, so a crash just puts the batch back in the queue. The
     * receipt promise is ingestd's, whose commits stay synchronous. JIT
     * compilation costs more than these short statements ever run. */
    if (db_exec(self->db,
                "BEGIN; SET LOCAL synchronous_commit = off; SET LOCAL jit = off",
                err) != 0)
        return -1;
    char lim[16];
    snprintf(lim, sizeof lim, "%d", self->batch);
    const char *params[] = {lim};
    PGresult *res = PQexecParams(
        self->db,
        "WITH p AS MATERIALIZED (SELECT ficha_id FROM cola_clasificar"
        "   ORDER BY ficha_id LIMIT $1::int FOR UPDATE SKIP LOCKED),"
        " c AS (DELETE FROM cola_clasificar q USING p"
        "   WHERE q.ficha_id = p.ficha_id RETURNING q.ficha_id)"
        " SELECT " CLASIF_DB_COLUMNS ", f.emisor, f.ejercicio"
        "   FROM fichas f JOIN c ON c.ficha_id = f.id ORDER BY f.id",
        1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(self->db, res, "no se pudo tomar trabajo", err);
        PQclear(res);
        goto fail;
    }
    int n = PQntuples(res);
    if ((size_t)n > *cap) {
        int64_t *grown = realloc(*ids, (size_t)n * sizeof *grown);
        if (!grown) {
            PQclear(res);
            pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "memoria",
                          "sin memoria");
            goto fail;
        }
        *ids = grown;
        *cap = (size_t)n;
    }
    int64_t *id = *ids;
    /* programme memory: earlier years' decisions on these senders' fichas */
    clasif_memoria *mem = clasif_memoria_nueva();
    if (!mem || clasif_db_memoria(self->db, res, CLASIF_DB_NCOLS,
                                  CLASIF_DB_NCOLS + 1, mem, err) != 0) {
        if (!mem)
            pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "memoria",
                          "sin memoria");
        clasif_memoria_destroy(&mem);
        PQclear(res);
        goto fail;
    }
    strbuf rows;
    strbuf_init(&rows);
    for (int i = 0; i < n; i++) {
        clasif_resultado out;
        if (clasif_db_clasificar(self->clf, mem, res, i, CLASIF_DB_NCOLS,
                                 CLASIF_DB_NCOLS + 1, self->taxonomia, &id[i],
                                 &out, err) != 0) {
            clasif_memoria_destroy(&mem);
            log_error("ficha %lld no clasificada: %s", (long long)id[i], err->mensaje);
            strbuf_free(&rows);
            PQclear(res);
            goto fail;
        }
        clasif_db_copy_row(&rows, id[i], &out);
    }
    clasif_memoria_destroy(&mem);
    PQclear(res);
    if (n == 0) {
        strbuf_free(&rows);
        return db_exec(self->db, "COMMIT", err) == 0 ? 0 : -1;
    }
    int rc = strbuf_failed(&rows)
                 ? pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "memoria",
                                 "sin memoria")
                 : db_copy_in(self->db, CLASIF_DB_COPY, rows.data, rows.len, err);
    strbuf_free(&rows);
    if (rc != 0)
        goto fail;

    /* queue the fichas for aggregation, in the same transaction
     * (pmm_encolar_agregacion, 012_costuras.sql) */
    strbuf arr;
    strbuf_init(&arr);
    strbuf_puts(&arr, "{");
    for (int i = 0; i < n; i++)
        strbuf_printf(&arr, "%s%lld", i ? "," : "", (long long)id[i]);
    strbuf_puts(&arr, "}");
    const char *p2[] = {arr.data};
    res = PQexecParams(self->db, "SELECT pmm_encolar_agregacion($1::bigint[])",
                       1, NULL, p2, NULL, NULL, 0);
    strbuf_free(&arr);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(self->db, res, "no se pudo encolar la agregación", err);
        PQclear(res);
        goto fail;
    }
    PQclear(res);
    if (db_exec(self->db, "COMMIT", err) != 0)
        return -1;
    return n;
fail:;
    pmm_error ignored;
    db_exec(self->db, "ROLLBACK", &ignored);
    return -1;
}

/* Drains the queue. On a database failure, backs off and returns; the
 * next poll retries. */
static void drain_queue(clasificd *self)
{
    int64_t *ids = NULL;
    size_t cap = 0;
    while (!signals_stop_requested()) {
        notify_watchdog();
        pmm_error err;
        pmm_error_clear(&err);
        if (!(self->db = daemon_db(self->d, &err))) {
            log_warn("PostgreSQL no disponible: %s", err.mensaje);
            break;
        }
        int n = classify_batch(self, &ids, &cap, &err);
        if (n < 0) {
            log_warn("lote no clasificado (SQLSTATE %s): %s", err.regla, err.mensaje);
            struct timespec ts = {0, 500000000L};
            nanosleep(&ts, NULL);
            break;
        }
        if (n == 0)
            break;
        daemon_count(self->d, n);
        log_debug("%d fichas clasificadas", n);
        if (self->events_push)
            wire_send_hint(self->events_push, PMM__MSG_TYPE__MSG_CLASSIFIED);
    }
    free(ids);
}

/* Before each poll: the queue (whatever was left when we last stopped,
 * then whatever arrived); the hints only say when to look sooner. */
static long before_sleep(pmm_daemon *d, void *arg)
{
    (void)d;
    drain_queue(arg);
    return POLL_MS;
}

/* discard the hints themselves: the queue is the work */
static void take_hints(pmm_daemon *d, void *sock, void *arg)
{
    (void)d;
    (void)arg;
    wire_drain_hints(sock);
}

/* SIGHUP: [clasificador] lote from the next batch on; the rest (taxonomy,
 * model file, endpoints, conninfo) takes a restart. */
static int apply_reload(pmm_daemon *d, const pmm_conf *next, void *arg, pmm_error *err)
{
    (void)d;
    (void)err;
    clasificd *self = arg;
    self->batch = (int)conf_long(next, "clasificador", "lote");
    return 0;
}

static int clasificd_setup(pmm_daemon *d, void *arg, pmm_error *err)
{
    clasificd *self = arg;
    self->d = d;
    const pmm_conf *conf = daemon_conf(d);
    self->clf = clasificador_new(conf_data_dir(conf), err);
    if (!self->clf ||
        clasificador_cargar_modelo(self->clf, conf_str(conf, "clasificador", "modelo"),
                                   err) != 0)
        return -1;
    if (!clasificador_tiene_modelo(self->clf))
        log_warn("sin modelo entrenado en %s: se clasifica solo con el léxico",
                 conf_data_dir(conf));
    /* unset (the default): each ficha's year chooses its taxonomy (the
     * "desde" of data/taxonomias); set: that taxonomy for every year */
    self->taxonomia = conf_str(conf, "clasificador", "taxonomia");
    if (self->taxonomia && !*self->taxonomia)
        self->taxonomia = NULL;
    if (self->taxonomia && !clasificador_tiene_taxonomia(self->clf, self->taxonomia))
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL,
                             "clasificador.taxonomia", "desconocida",
                             "taxonomía «%s» no encontrada en los datos",
                             self->taxonomia);
    self->batch = (int)conf_long(conf, "clasificador", "lote");
    if (daemon_db_start(self->d, err) != 0 ||
        daemon_connect(self->d, "ingestd", "trabajo", ZMQ_PULL, &self->work_pull, err) != 0 ||
        daemon_connect(self->d, "aggregd", "eventos", ZMQ_PUSH, &self->events_push, err) != 0)
        return -1;
    if (self->work_pull)
        daemon_on_readable(self->d, self->work_pull, take_hints, self);
    daemon_before_sleep(self->d, before_sleep, self);
    daemon_on_reload(self->d, apply_reload, self);
    log_info("clasificador %s, taxonomía %s, lotes de %d", clasificador_version(self->clf),
             self->taxonomia ? self->taxonomia : "según el ejercicio de cada ficha",
             self->batch);
    return 0;
}

static void clasificd_cleanup(void *arg)
{
    clasificd *self = arg;
    clasificador_destroy(&self->clf);
}

int main(int argc, char **argv)
{
    /* name, what it reads, its section; systemd status, summary; hooks */
    static const daemon_desc desc = {"clasificd", CONF_CLASIFICD, "clasificador", "clasificando",
                                     "clasificadas", clasificd_setup, NULL, clasificd_cleanup};
    clasificd self = {0};
    return daemon_main(argc, argv, &desc, &self);
}
