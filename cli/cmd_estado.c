/* pmm estado -- is everything up? PostgreSQL, each daemon (a PING over
 * ZeroMQ; every collector when [ingestd] endpoint lists several), how many
 * fichas are stored, and, when [postgresql] lectura is set, the read
 * server: a streaming replica's lag, and the primary's replicas. Also the
 * free space of the data, WAL and backup volumes (espacio.h). */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "opciones.h"
#include "db.h"
#include "espacio.h"
#include "sender.h"
#include "wire.h"
#include "zap.h"

#define MAX_DAEMONS 17   /* aggregd and up to 16 collectors */

typedef struct {
    const char *name;
    const char *endpoint;
    int ok;
    int database_ok;
    double ms;
    char error[PMM_ERR_MENSAJE];
} daemon_status;

/* The read server ([postgresql] lectura) and the primary's replication. */
typedef struct {
    int configured;
    int ok;
    char error[PMM_ERR_MENSAJE];
    int in_recovery;       /* a standby */
    int receiver;          /* a WAL receiver is running (streaming) */
    double lag_s;          /* -1: unknown */
    long long lag_bytes;   /* received but not yet replayed; -1: unknown */
    char last_replay[64];  /* time of the last replayed transaction */
} read_status;

typedef struct {
    char name[64], addr[64], state[32];
    long long lag_bytes;   /* -1: not visible to this role */
    double lag_s;          /* -1: not visible / idle */
} replica_row;

#define MAX_REPLICAS 8

static void read_server(const pmm_conf *conf, read_status *r)
{
    memset(r, 0, sizeof *r);
    r->lag_s = -1;
    r->lag_bytes = -1;
    const char *info = conf_str(conf, "postgresql", "lectura");
    if (!info || !*info)
        return;
    r->configured = 1;
    pmm_error err;
    pmm_error_clear(&err);
    PGconn *db = db_connect(info, "pmm-estado", &err);
    if (!db) {
        snprintf(r->error, sizeof r->error, "%s", err.mensaje);
        return;
    }
    /* Lag: 0 when everything received is replayed (an idle primary sends
     * nothing, so "now - last replayed transaction" would grow for no
     * reason); otherwise the age of the last replayed transaction. */
    PGresult *res = PQexec(
        db,
        "SELECT pg_is_in_recovery(),"
        "       EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE pid IS NOT NULL),"
        "       CASE WHEN NOT pg_is_in_recovery() THEN NULL"
        "            WHEN pg_last_wal_receive_lsn() IS NOT NULL AND"
        "                 pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn() THEN 0"
        "            ELSE greatest(0, extract(epoch FROM now() -"
        "                                     pg_last_xact_replay_timestamp())) END,"
        "       pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()),"
        "       to_char(pg_last_xact_replay_timestamp() AT TIME ZONE 'UTC',"
        "               'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')");
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(db, res, "estado de la réplica", &err);
        snprintf(r->error, sizeof r->error, "%s", err.mensaje);
    } else {
        r->ok = 1;
        r->in_recovery = PQgetvalue(res, 0, 0)[0] == 't';
        r->receiver = PQgetvalue(res, 0, 1)[0] == 't';
        if (!PQgetisnull(res, 0, 2))
            r->lag_s = strtod(PQgetvalue(res, 0, 2), NULL);
        if (!PQgetisnull(res, 0, 3))
            r->lag_bytes = strtoll(PQgetvalue(res, 0, 3), NULL, 10);
        snprintf(r->last_replay, sizeof r->last_replay, "%s", PQgetvalue(res, 0, 4));
    }
    PQclear(res);
    PQfinish(db);
}

/* The primary's view (pg_stat_replication): details need pg_read_all_stats
 * (or a superuser); without it only the number of replicas is known. */
static int replicas(PGconn *db, replica_row *rows, int max)
{
    PGresult *res = PQexec(
        db,
        "SELECT coalesce(application_name, ''), coalesce(host(client_addr), ''),"
        "       coalesce(state, ''),"
        "       pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn),"
        "       extract(epoch FROM replay_lag)"
        "  FROM pg_stat_replication ORDER BY application_name, client_addr");
    int n = 0;
    for (int i = 0; PQresultStatus(res) == PGRES_TUPLES_OK && i < PQntuples(res) && n < max;
         i++, n++) {
        replica_row *r = &rows[n];
        snprintf(r->name, sizeof r->name, "%s", PQgetvalue(res, i, 0));
        snprintf(r->addr, sizeof r->addr, "%s", PQgetvalue(res, i, 1));
        snprintf(r->state, sizeof r->state, "%s", PQgetvalue(res, i, 2));
        r->lag_bytes = PQgetisnull(res, i, 3) ? -1 : strtoll(PQgetvalue(res, i, 3), NULL, 10);
        r->lag_s = PQgetisnull(res, i, 4) ? -1 : strtod(PQgetvalue(res, i, 4), NULL);
    }
    PQclear(res);
    return n;
}

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
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        if (opt == 'f' && !strcmp(optarg, "json"))
            json = 1;
        else if (opt == 'f' && !strcmp(optarg, "tabla"))
            json = 0;
        else if (opt == 'f') {
            fprintf(stderr, "pmm estado: --formato admite «tabla» o «json», no «%s»\n",
                    optarg);
            return EXIT_USO;
        } else if (opt == 'h') {
            printf("Uso: pmm estado [--formato tabla|json]\n\n"
                   "Comprueba que PostgreSQL y cada servicio (ingestd, aggregd) respondan y\n"
                   "cuenta las fichas guardadas. Con varios colectores en [ingestd] endpoint,\n"
                   "consulta cada uno. Con [postgresql] lectura, indica si el servidor de\n"
                   "lectura es una réplica y su retraso; en el primario, sus réplicas.\n"
                   "Muestra el espacio libre de los volúmenes de datos, WAL y respaldos de\n"
                   "PostgreSQL (si corre en este servidor) y avisa por debajo de [estado]\n"
                   "espacio_minimo_mb (1024) o espacio_minimo_pct (10).\n\n"
                   "Opciones:\n"
                   "  --formato F   tabla (por omisión) o json\n"
                   "  -h, --help    muestra esta ayuda\n\n"
                   "Ejemplo:\n"
                   "  pmm estado --formato json\n\n"
                   "Salida: 0 si todo responde, 1 si algo falla (el aviso de espacio no\n"
                   "cambia la salida), 2 por error de uso.\n");
            return 0;
        } else {
            return cli_opcion_mala("estado", opt, argv);
        }
    }
    if (optind != argc)
        return cli_argumento_sobrante("estado", argv[optind]);

    pmm_error err;
    pmm_error_clear(&err);
    long long fichas = -1, vigentes = -1, por_clasificar = -1, por_agregar = -1;
    long long por_indexar = -1;
    long long workers = -1;
    int pg_ok = 0, nrep = 0;
    replica_row reps[MAX_REPLICAS];
    char pg_error[PMM_ERR_MENSAJE] = "";
    PGconn *db = db_connect(conf_conninfo(conf, NULL),
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
            db_query_ll(db, "SELECT count(*) FROM cola_indexar", &por_indexar,
                        &err) != 0 ||
            /* workers connect out and bind nothing: PostgreSQL sees them */
            db_query_ll(db, "SELECT count(*) FROM pg_stat_activity"
                            " WHERE application_name = 'pmm-clasificd'",
                        &workers, &err) != 0) {
            pg_ok = 0;
            snprintf(pg_error, sizeof pg_error, "%s", err.mensaje);
        }
        if (pg_ok)
            nrep = replicas(db, reps, MAX_REPLICAS);
    } else {
        snprintf(pg_error, sizeof pg_error, "%s", err.mensaje);
    }
    espacio esp;
    espacio_medir(db, conf, &esp);
    if (db)
        PQfinish(db);

    read_status rs;
    read_server(conf, &rs);

    /* every collector of the list, then aggregd */
    daemon_status ds[MAX_DAEMONS];
    memset(ds, 0, sizeof ds);
    size_t nd = 0, n_ingestd = 0;
    const char *ing = conf_str(conf, "ingestd", "endpoint");
    char *ing_list = ing ? strdup(ing) : NULL, *save = NULL;
    for (char *ep = ing_list ? strtok_r(ing_list, ", \t", &save) : NULL;
         ep && nd < MAX_DAEMONS - 1; ep = strtok_r(NULL, ", \t", &save))
        ds[nd++] = (daemon_status){.name = "ingestd", .endpoint = ep};
    if (nd == 0)
        ds[nd++] = (daemon_status){.name = "ingestd"};
    n_ingestd = nd;
    ds[nd++] = (daemon_status){.name = "aggregd",
                               .endpoint = conf_str(conf, "aggregd", "endpoint")};
    void *zctx = zmq_ctx_new();
    int all_ok = pg_ok && (!rs.configured || rs.ok);
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
        /* search index and proposals, built while the pipeline is idle
         * (aggregd/indice.h): fichas not yet searchable */
        json_object_set_new(j, "indice",
                            json_pack("{s:o}", "pendientes",
                                      por_indexar >= 0 ? json_integer(por_indexar)
                                                       : json_null()));
        json_object_set_new(j, "clasificadores",
                            workers >= 0 ? json_integer(workers) : json_null());
        json_t *pg = json_object();
        json_object_set_new(pg, "ok", json_boolean(pg_ok));
        if (!pg_ok)
            json_object_set_new(pg, "error", json_string(pg_error));
        if (nrep > 0) {
            /* the primary's replicas; null figures: not visible to this
             * role (grant pg_read_all_stats) */
            json_t *arr = json_array();
            for (int i = 0; i < nrep; i++) {
                json_t *r = json_object();
                json_object_set_new(r, "nombre", json_string(reps[i].name));
                json_object_set_new(r, "direccion", json_string(reps[i].addr));
                json_object_set_new(r, "estado", json_string(reps[i].state));
                json_object_set_new(r, "retraso_bytes", reps[i].lag_bytes >= 0
                                                            ? json_integer(reps[i].lag_bytes)
                                                            : json_null());
                json_object_set_new(r, "retraso_s", reps[i].lag_s >= 0
                                                        ? json_real(reps[i].lag_s)
                                                        : json_null());
                json_array_append_new(arr, r);
            }
            json_object_set_new(pg, "replicas", arr);
        }
        json_object_set_new(j, "postgresql", pg);
        if (rs.configured) {
            /* the read server: "replica" true for a standby, with its lag */
            json_t *l = json_object();
            json_object_set_new(l, "ok", json_boolean(rs.ok));
            if (!rs.ok) {
                json_object_set_new(l, "error", json_string(rs.error));
            } else {
                json_object_set_new(l, "replica", json_boolean(rs.in_recovery));
                if (rs.in_recovery) {
                    json_object_set_new(l, "recibiendo", json_boolean(rs.receiver));
                    json_object_set_new(l, "retraso_s",
                                        rs.lag_s >= 0 ? json_real(rs.lag_s) : json_null());
                    json_object_set_new(l, "retraso_bytes", rs.lag_bytes >= 0
                                                                ? json_integer(rs.lag_bytes)
                                                                : json_null());
                    json_object_set_new(l, "ultima_transaccion",
                                        rs.last_replay[0] ? json_string(rs.last_replay)
                                                          : json_null());
                }
            }
            json_object_set_new(j, "lectura", l);
        }
        json_t *inst = n_ingestd > 1 ? json_array() : NULL;
        int ing_ok = 1;
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
            if (inst && i < n_ingestd) {
                ing_ok &= ds[i].ok;
                json_array_append_new(inst, d);
            } else {
                json_object_set_new(j, ds[i].name, d);
            }
        }
        if (inst) {
            /* several collectors: "ok" only when every one answers */
            json_t *d = json_object();
            json_object_set_new(d, "ok", json_boolean(ing_ok));
            json_object_set_new(d, "endpoint", json_string(ing));
            json_object_set_new(d, "instancias", inst);
            json_object_set_new(j, "ingestd", d);
        }
        json_object_set_new(j, "espacio", espacio_json(&esp));
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
        for (int i = 0; i < nrep; i++) {
            if (reps[i].lag_bytes >= 0)
                printf("  réplica   %s %s: %s, %lld %s por aplicar", reps[i].name,
                       reps[i].addr, reps[i].state, reps[i].lag_bytes,
                       cli_plural(reps[i].lag_bytes, "byte", "bytes"));
            else
                printf("  réplica   conectada (detalles solo con pg_read_all_stats)");
            if (reps[i].lag_s >= 0)
                printf(", retraso %.3f s", reps[i].lag_s);
            printf("\n");
        }
        if (rs.configured && !rs.ok)
            printf("Lectura     NO RESPONDE: %s\n", rs.error);
        else if (rs.configured && !rs.in_recovery)
            printf("Lectura     responde (servidor primario, no una réplica)\n");
        else if (rs.configured) {
            printf("Lectura     réplica %s", rs.receiver ? "recibiendo" : "SIN CONEXIÓN CON EL PRIMARIO");
            if (rs.lag_s >= 0)
                printf(", retraso %.3f s", rs.lag_s);
            if (rs.lag_bytes >= 0)
                printf(", %lld %s por aplicar", rs.lag_bytes,
                       cli_plural(rs.lag_bytes, "byte", "bytes"));
            if (rs.last_replay[0])
                printf(" (última transacción %s)", rs.last_replay);
            printf("\n");
        }
        for (size_t i = 0; i < nd; i++) {
            const char *ep = n_ingestd > 1 && i < n_ingestd ? ds[i].endpoint : NULL;
            if (ds[i].ok)
                printf("%-11s responde (%.1f ms)%s%s%s\n", ds[i].name, ds[i].ms,
                       ds[i].database_ok ? "" : ", pero sin PostgreSQL",
                       ep ? " en " : "", ep ? ep : "");
            else
                printf("%-11s NO RESPONDE%s%s: %s\n", ds[i].name, ep ? " en " : "",
                       ep ? ep : "", ds[i].error);
        }
        if (workers >= 0)
            printf("clasificd   %lld %s a PostgreSQL\n", workers,
                   cli_plural(workers, "trabajador conectado", "trabajadores conectados"));
        if (fichas >= 0)
            printf("Fichas      %lld (%lld %s); pendientes: %lld por "
                   "clasificar, %lld por agregar\n",
                   vigentes, fichas, cli_plural(fichas, "versión guardada", "versiones guardadas"),
                   por_clasificar, por_agregar);
        if (por_indexar >= 0)
            printf("Índice      %lld %s por indexar (búsqueda, duplicados y programas; se "
                   "indexan con la cadena en reposo)\n",
                   por_indexar, cli_plural(por_indexar, "ficha", "fichas"));
        espacio_imprimir(&esp, stdout);
    }
    free(ing_list);
    return all_ok ? 0 : EXIT_RECHAZO;
}
