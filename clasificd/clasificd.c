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
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clasif_db.h"
#include "clasificador.h"
#include "conf.h"
#include "daemon.h"
#include "db.h"
#include "log.h"
#include "notify.h"
#include "signals.h"
#include "wire.h"
#include "zap.h"

#define DEFAULT_BATCH 256
#define POLL_MS 3000

typedef struct {
    pmm_conf *conf;
    clasificador *clf;
    const char *taxonomia;
    const char *conninfo;
    PGconn *db;
    void *zctx;
    void *work_pull;     /* hints from ingestd (connect) */
    void *events_push;   /* hints to aggregd (connect) */
    int batch;
    long long classified_total;
} clasificd;

static int db_ensure(clasificd *self, pmm_error *err)
{
    return db_reconnect(&self->db, self->conninfo, "pmm-clasificd", err);
}

/* Connects sock to each endpoint of a comma-separated list; tcp://
 * endpoints with CURVE, using this worker's certificate ([clasificador]
 * clave) and the server's public key ([<server>] clave_servidor). */
static int connect_all(const pmm_conf *conf, void *sock, const char *list,
                       const char *server, pmm_error *err)
{
    zap_client curve;
    if (zap_client_from_conf(conf, strstr(list, "tcp://") ? "tcp://" : list, server,
                             "clasificador", &curve, err) != 0 ||
        zap_client_apply(sock, &curve, err) != 0)
        return -1;
    char *copy = strdup(list), *save = NULL;
    if (!copy)
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "memoria",
                             "sin memoria");
    int rc = 0;
    for (char *ep = strtok_r(copy, ", ", &save); ep; ep = strtok_r(NULL, ", ", &save))
        if (zmq_connect(sock, ep) != 0) {
            rc = pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "zeromq",
                               "no se pudo conectar con %s: %s", ep,
                               zmq_strerror(errno));
            break;
        }
    free(copy);
    return rc;
}

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
        " SELECT " CLASIF_DB_COLUMNS
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
    strbuf rows;
    strbuf_init(&rows);
    for (int i = 0; i < n; i++) {
        clasif_entrada in;
        clasif_resultado out;
        id[i] = clasif_db_entrada(res, i, &in);
        if (clasificador_classify(self->clf, &in, self->taxonomia, &out, err) != 0) {
            log_error("ficha %lld no clasificada: %s", (long long)id[i], err->mensaje);
            strbuf_free(&rows);
            PQclear(res);
            goto fail;
        }
        clasif_db_copy_row(&rows, id[i], &out);
    }
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
        if (db_ensure(self, &err) != 0) {
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
        self->classified_total += n;
        log_debug("%d fichas clasificadas", n);
        if (self->events_push)
            wire_send_hint(self->events_push, PMM__MSG_TYPE__MSG_CLASSIFIED);
    }
    free(ids);
}

static int clasificd_setup(clasificd *self, const char *conf_path, pmm_error *err)
{
    self->conf = conf_load(conf_path, err);
    if (!self->conf)
        return -1;
    log_init("clasificd", log_level_parse(conf_get(self->conf, "general", "log",
                                                   "info"), LOG_INFO));
    self->clf = clasificador_new(conf_data_dir(self->conf), err);
    if (!self->clf)
        return -1;
    if (!clasificador_tiene_modelo(self->clf))
        log_warn("sin modelo entrenado en %s: se clasifica solo con el léxico",
                 conf_data_dir(self->conf));
    self->taxonomia = conf_get(self->conf, "clasificador", "taxonomia",
                               CLASIF_TAXONOMIA_DEF);
    if (!clasificador_tiene_taxonomia(self->clf, self->taxonomia))
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL,
                             "clasificador.taxonomia", "desconocida",
                             "taxonomía «%s» no encontrada en los datos",
                             self->taxonomia);
    self->batch = (int)conf_get_long(self->conf, "clasificador", "lote", DEFAULT_BATCH);
    if (self->batch < 1 || self->batch > 10000)
        self->batch = DEFAULT_BATCH;
    self->conninfo = conf_conninfo(self->conf, "clasificador");
    if (daemon_db_start(&self->db, self->conninfo, "pmm-clasificd", err) != 0)
        return -1;

    self->zctx = zmq_ctx_new();
    if (!self->zctx)
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "zeromq",
                             "no se pudo crear el contexto ZeroMQ");
    const char *work = conf_get(self->conf, "ingestd", "trabajo", NULL);
    if (work && *work) {
        self->work_pull = wire_socket_new(self->zctx, ZMQ_PULL, err);
        if (!self->work_pull ||
            connect_all(self->conf, self->work_pull, work, "ingestd", err) != 0)
            return -1;
    }
    const char *events = conf_get(self->conf, "aggregd", "eventos", NULL);
    if (events && *events) {
        self->events_push = wire_socket_new(self->zctx, ZMQ_PUSH, err);
        if (!self->events_push ||
            connect_all(self->conf, self->events_push, events, "aggregd", err) != 0)
            return -1;
    }
    log_info("clasificador %s, taxonomía %s, lotes de %d",
             clasificador_version(self->clf), self->taxonomia, self->batch);
    return 0;
}

/* SIGHUP: re-reads the configuration file and applies [general] log and
 * [clasificador] lote from the next batch on; the rest (taxonomy, model,
 * endpoints, conninfo) takes a restart. */
static void clasificd_reload(clasificd *self)
{
    long lote = daemon_reload(self->conf, "clasificd", "clasificador", DEFAULT_BATCH, 10000);
    if (lote > 0)
        self->batch = (int)lote;
}

static void clasificd_teardown(clasificd *self)
{
    if (self->work_pull)
        zmq_close(self->work_pull);
    if (self->events_push)
        zmq_close(self->events_push);
    if (self->zctx)
        zmq_ctx_term(self->zctx);
    if (self->db)
        PQfinish(self->db);
    clasificador_destroy(&self->clf);
    conf_destroy(&self->conf);
}

int main(int argc, char **argv)
{
    const char *conf_path;
    int rc0 = daemon_init(argc, argv, "clasificd", &conf_path);
    if (rc0 != 0)
        return rc0;
    clasificd self;
    memset(&self, 0, sizeof self);
    pmm_error err;
    pmm_error_clear(&err);
    if (clasificd_setup(&self, conf_path, &err) != 0) {
        log_error("%s", err.mensaje);
        clasificd_teardown(&self);
        return 1;
    }
    notify_ready("clasificando");
    drain_queue(&self);   /* whatever was left when we last stopped */
    while (!signals_stop_requested()) {
        notify_watchdog();
        if (signals_take_reload())
            clasificd_reload(&self);
        zmq_pollitem_t items[] = {{self.work_pull, 0, ZMQ_POLLIN, 0}};
        int rc = zmq_poll(items, self.work_pull ? 1 : 0, POLL_MS);
        if (rc < 0 && errno != EINTR) {
            log_error("zmq_poll: %s", zmq_strerror(errno));
            break;
        }
        /* discard the hints themselves: the queue is the work */
        if (self.work_pull)
            wire_drain_hints(self.work_pull);
        drain_queue(&self);
    }
    notify_stopping();
    log_info("detenido; %lld fichas clasificadas en esta ejecución",
             self.classified_total);
    clasificd_teardown(&self);
    return 0;
}
