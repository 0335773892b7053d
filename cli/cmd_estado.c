/* pmm estado -- is everything up? PostgreSQL, each daemon (a PING over
 * ZeroMQ), and how many fichas are stored. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "db.h"
#include "sender.h"
#include "wire.h"
#include "zap.h"

typedef struct {
    const char *name;
    const char *endpoint;
    int ok;
    int database_ok;
    double ms;
    char error[PMM_ERR_MENSAJE];
} daemon_status;

static void ping(void *zctx, const pmm_conf *conf, daemon_status *d)
{
    if (!d->endpoint) {
        snprintf(d->error, sizeof d->error, "sin endpoint en la configuración");
        return;
    }
    pmm_error cerr;
    zap_client curve;
    if (zap_client_from_conf(conf, d->endpoint, d->name, "cliente", &curve, &cerr) != 0) {
        snprintf(d->error, sizeof d->error, "%s", cerr.mensaje);
        return;
    }
    Pmm__Envelope req;
    Pmm__Ping p;
    wire_envelope_init(&req, PMM__MSG_TYPE__MSG_PING, (const uint8_t *)"estado", 6);
    pmm__ping__init(&p);
    p.has_client_time_us = 1;
    p.client_time_us = wire_now_us();
    req.body_case = PMM__ENVELOPE__BODY_PING;
    req.ping = &p;
    pmm_error err;
    pmm_error_clear(&err);
    int64_t t0 = wire_now_us();
    Pmm__Envelope *reply = sender_call(zctx, d->endpoint, &curve, &req, 2000, &err);
    d->ms = (double)(wire_now_us() - t0) / 1000.0;
    if (!reply) {
        snprintf(d->error, sizeof d->error, "%s", err.mensaje);
        return;
    }
    if (reply->type == PMM__MSG_TYPE__MSG_PONG) {
        d->ok = 1;
        d->database_ok = reply->pong->database_ok;
    } else {
        snprintf(d->error, sizeof d->error, "respuesta inesperada");
    }
    pmm__envelope__free_unpacked(reply, NULL);
}

int cmd_estado(int argc, char **argv, pmm_conf *conf)
{
    static const struct option opts[] = {
        {"formato", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int json = 0, opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (opt == 'f' && !strcmp(optarg, "json"))
            json = 1;
        else if (opt == 'f' && !strcmp(optarg, "tabla"))
            json = 0;
        else if (opt == 'h') {
            printf("Uso: pmm estado [--formato tabla|json]\n\n"
                   "Comprueba que PostgreSQL y cada servicio (ingestd, aggregd) "
                   "respondan y cuenta\nlas fichas guardadas. Salida 0 si todo "
                   "responde, 1 si algo falla.\n");
            return 0;
        } else {
            fprintf(stderr, "pmm estado: --formato admite «tabla» o «json»\n");
            return EXIT_USO;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "pmm estado: argumento inesperado: %s\n", argv[optind]);
        return EXIT_USO;
    }

    pmm_error err;
    pmm_error_clear(&err);
    long long fichas = -1, vigentes = -1, por_clasificar = -1, por_agregar = -1;
    long long workers = -1;
    int pg_ok = 0;
    char pg_error[PMM_ERR_MENSAJE] = "";
    PGconn *db = db_connect(conf_get(conf, "postgresql", "conninfo", ""),
                            "pmm-estado", &err);
    if (db) {
        pg_ok = 1;
        if (db_query_ll(db, "SELECT count(*) FROM fichas", &fichas, &err) != 0 ||
            db_query_ll(db, "SELECT count(*) FROM fichas_vigentes", &vigentes,
                        &err) != 0 ||
            db_query_ll(db, "SELECT count(*) FROM cola_clasificar", &por_clasificar,
                        &err) != 0 ||
            db_query_ll(db, "SELECT count(*) FROM cola_agregar", &por_agregar,
                        &err) != 0 ||
            /* workers connect out and bind nothing: PostgreSQL sees them */
            db_query_ll(db, "SELECT count(*) FROM pg_stat_activity"
                            " WHERE application_name = 'pmm-clasificd'",
                        &workers, &err) != 0) {
            pg_ok = 0;
            snprintf(pg_error, sizeof pg_error, "%s", err.mensaje);
        }
        PQfinish(db);
    } else {
        snprintf(pg_error, sizeof pg_error, "%s", err.mensaje);
    }

    void *zctx = zmq_ctx_new();
    daemon_status ds[] = {
        {.name = "ingestd", .endpoint = conf_get(conf, "ingestd", "endpoint", NULL)},
        {.name = "aggregd", .endpoint = conf_get(conf, "aggregd", "endpoint", NULL)},
    };
    size_t nd = sizeof ds / sizeof ds[0];
    int all_ok = pg_ok;
    for (size_t i = 0; i < nd; i++) {
        ping(zctx, conf, &ds[i]);
        all_ok &= ds[i].ok;
    }
    zmq_ctx_term(zctx);

    if (json) {
        json_t *j = json_object();
        /* "fichas" counts fichas (their latest versions); "versiones"
         * counts every stored version, corrections included. */
        json_object_set_new(j, "fichas", vigentes >= 0 ? json_integer(vigentes) : json_null());
        json_object_set_new(j, "versiones", fichas >= 0 ? json_integer(fichas) : json_null());
        /* work still queued between stages: 0 and 0 = the pipeline is idle */
        json_t *pend = json_object();
        json_object_set_new(pend, "clasificar",
                            por_clasificar >= 0 ? json_integer(por_clasificar) : json_null());
        json_object_set_new(pend, "agregar",
                            por_agregar >= 0 ? json_integer(por_agregar) : json_null());
        json_object_set_new(j, "pendientes", pend);
        json_object_set_new(j, "clasificadores",
                            workers >= 0 ? json_integer(workers) : json_null());
        json_t *pg = json_object();
        json_object_set_new(pg, "ok", json_boolean(pg_ok));
        if (!pg_ok)
            json_object_set_new(pg, "error", json_string(pg_error));
        json_object_set_new(j, "postgresql", pg);
        for (size_t i = 0; i < nd; i++) {
            json_t *d = json_object();
            json_object_set_new(d, "ok", json_boolean(ds[i].ok));
            json_object_set_new(d, "endpoint", ds[i].endpoint ? json_string(ds[i].endpoint)
                                                             : json_null());
            if (ds[i].ok) {
                json_object_set_new(d, "ms", json_real(ds[i].ms));
                json_object_set_new(d, "postgresql", json_boolean(ds[i].database_ok));
            } else {
                json_object_set_new(d, "error", json_string(ds[i].error));
            }
            json_object_set_new(j, ds[i].name, d);
        }
        json_object_set_new(j, "ok", json_boolean(all_ok));
        char *s = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(4));
        if (s)
            puts(s);
        free(s);
        json_decref(j);
    } else {
        printf("PostgreSQL  %s", pg_ok ? "responde" : "NO RESPONDE");
        if (!pg_ok)
            printf(": %s", pg_error);
        printf("\n");
        for (size_t i = 0; i < nd; i++) {
            if (ds[i].ok)
                printf("%-11s responde (%.1f ms)%s\n", ds[i].name, ds[i].ms,
                       ds[i].database_ok ? "" : ", pero sin PostgreSQL");
            else
                printf("%-11s NO RESPONDE: %s\n", ds[i].name, ds[i].error);
        }
        if (workers >= 0)
            printf("clasificd   %lld trabajadores conectados a PostgreSQL\n", workers);
        if (fichas >= 0)
            printf("Fichas      %lld (%lld versiones guardadas); pendientes: %lld por "
                   "clasificar, %lld por agregar\n",
                   vigentes, fichas, por_clasificar, por_agregar);
    }
    return all_ok ? 0 : EXIT_RECHAZO;
}
