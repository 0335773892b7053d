#include "zap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "conf.h"
#include "log.h"
#include "pmm.pb-c.h"
#include "wire.h"

#define ERR_INTERNAL PMM__ERROR_CODE__ERR_INTERNAL
#ifndef ZMQ_ZAP_ENFORCE_DOMAIN
#define ZMQ_ZAP_ENFORCE_DOMAIN 93   /* draft option in libzmq 4.3 */
#endif

struct zap_handler {
    void *rep;
    long long served, refused;
};

zap_handler *zap_handler_new(void *ctx, pmm_error *err)
{
    zap_handler *self = calloc(1, sizeof *self);
    if (!self) {
        pmm_error_set(err, ERR_INTERNAL, "", "memoria", "sin memoria");
        return NULL;
    }
    self->rep = zmq_socket(ctx, ZMQ_REP);
    int linger = 0;
    if (!self->rep || zmq_setsockopt(self->rep, ZMQ_LINGER, &linger, sizeof linger) ||
        zmq_bind(self->rep, "inproc://zeromq.zap.01") != 0) {
        pmm_error_set(err, ERR_INTERNAL, "", "zeromq",
                      "no se pudo instalar el manejador ZAP: %s", zmq_strerror(errno));
        zap_handler_destroy(&self);
        return NULL;
    }
    return self;
}

void zap_handler_destroy(zap_handler **self_p)
{
    if (!self_p || !*self_p)
        return;
    if ((*self_p)->rep)
        zmq_close((*self_p)->rep);
    free(*self_p);
    *self_p = NULL;
}

void *zap_handler_socket(zap_handler *self)
{
    return self->rep;
}

/* Looks the key up; fills user id on success. */
static int authorise(PGconn *db, const char *z85, char *user, size_t cap, char *why,
                     size_t wcap)
{
    if (!db) {
        snprintf(why, wcap, "sin base de datos");
        return 0;
    }
    const char *params[] = {z85};
    PGresult *res = PQexecParams(db,
                                 "SELECT id, rol, coalesce(emisor, ''), revocada IS NOT NULL,"
                                 "       vence IS NOT NULL AND vence <= now()"
                                 "  FROM claves WHERE clave_publica = $1",
                                 1, NULL, params, NULL, NULL, 0);
    int ok = 0;
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        snprintf(why, wcap, "error de base de datos: %.120s", PQerrorMessage(db));
    } else if (PQntuples(res) == 0) {
        snprintf(why, wcap, "clave desconocida");
    } else if (PQgetvalue(res, 0, 3)[0] == 't') {
        snprintf(why, wcap, "clave revocada (id %s)", PQgetvalue(res, 0, 0));
    } else if (PQgetvalue(res, 0, 4)[0] == 't') {
        snprintf(why, wcap, "clave vencida (id %s)", PQgetvalue(res, 0, 0));
    } else {
        snprintf(user, cap, "%s|%s|%s", PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2),
                 PQgetvalue(res, 0, 0));
        ok = 1;
    }
    PQclear(res);
    return ok;
}

/* One request: 6 or more frames (RFC 27); we read them all. */
void zap_handler_serve(zap_handler *self, PGconn *db)
{
    for (;;) {
        zmq_msg_t frames[8];
        int n = 0, more = 1;
        while (more) {
            zmq_msg_t m;
            zmq_msg_init(&m);
            if (zmq_msg_recv(&m, self->rep, n == 0 ? ZMQ_DONTWAIT : 0) < 0) {
                zmq_msg_close(&m);
                for (int i = 0; i < n; i++)
                    zmq_msg_close(&frames[i]);
                return;   /* nothing (more) waiting */
            }
            more = zmq_msg_more(&m);
            if (n < 8) {
                zmq_msg_init(&frames[n]);
                zmq_msg_move(&frames[n++], &m);
            }
            zmq_msg_close(&m);
        }
        /* version, request id, domain, address, identity, mechanism, creds */
        char user[128] = "", why[256] = "petición ZAP mal formada", key[CERT_KEY_Z85] = "";
        int ok = 0;
        if (n >= 7 && zmq_msg_size(&frames[0]) == 3 &&
            !memcmp(zmq_msg_data(&frames[0]), "1.0", 3) &&
            zmq_msg_size(&frames[5]) == 5 && !memcmp(zmq_msg_data(&frames[5]), "CURVE", 5) &&
            zmq_msg_size(&frames[6]) == 32) {
            zmq_z85_encode(key, zmq_msg_data(&frames[6]), 32);
            ok = authorise(db, key, user, sizeof user, why, sizeof why);
        }
        if (ok) {
            self->served++;
        } else {
            self->refused++;
            char addr[64] = "";
            if (n >= 4)
                snprintf(addr, sizeof addr, "%.*s", (int)zmq_msg_size(&frames[3]),
                         (const char *)zmq_msg_data(&frames[3]));
            log_warn("conexión rechazada desde %s (clave %s): %s", addr[0] ? addr : "?",
                     key[0] ? key : "-", why);
        }
        /* reply: version, request id, status, text, user id, metadata */
        const char *status = ok ? "200" : "400";
        zmq_send(self->rep, "1.0", 3, ZMQ_SNDMORE);
        if (n >= 2)
            zmq_send(self->rep, zmq_msg_data(&frames[1]), zmq_msg_size(&frames[1]),
                     ZMQ_SNDMORE);
        else
            zmq_send(self->rep, "", 0, ZMQ_SNDMORE);
        zmq_send(self->rep, status, 3, ZMQ_SNDMORE);
        zmq_send(self->rep, ok ? "OK" : "denegado", ok ? 2 : 8, ZMQ_SNDMORE);
        zmq_send(self->rep, user, strlen(user), ZMQ_SNDMORE);
        zmq_send(self->rep, "", 0, 0);
        for (int i = 0; i < n; i++)
            zmq_msg_close(&frames[i]);
    }
}

int zap_curve_server(void *sock, const pmm_cert *cert, pmm_error *err)
{
    int one = 1;
    if (zmq_setsockopt(sock, ZMQ_CURVE_SERVER, &one, sizeof one) ||
        zmq_setsockopt(sock, ZMQ_CURVE_SECRETKEY, cert->secret_key, 40) ||
        zmq_setsockopt(sock, ZMQ_ZAP_DOMAIN, ZAP_DOMAIN, strlen(ZAP_DOMAIN)))
        return pmm_error_set(err, ERR_INTERNAL, "", "zeromq",
                             "no se pudo configurar CURVE: %s", zmq_strerror(errno));
    /* ZMQ_ZAP_ENFORCE_DOMAIN (93) is a draft option in libzmq 4.3: where
     * the library has it, a missing handler means refusal; where it does
     * not, the handler is bound before any CURVE socket and always answers
     * (refusing on any doubt), which gives the same guarantee. */
    (void)zmq_setsockopt(sock, ZMQ_ZAP_ENFORCE_DOMAIN, &one, sizeof one);
    return 0;
}

int zap_curve_client(void *sock, const pmm_cert *client, const char *server_public,
                     pmm_error *err)
{
    if (!cert_key_valid(server_public))
        return pmm_error_set(err, ERR_INTERNAL, "clave_servidor", "formato",
                             "la clave pública del servidor no es una clave CURVE válida");
    if (zmq_setsockopt(sock, ZMQ_CURVE_SERVERKEY, server_public, 40) ||
        zmq_setsockopt(sock, ZMQ_CURVE_PUBLICKEY, client->public_key, 40) ||
        zmq_setsockopt(sock, ZMQ_CURVE_SECRETKEY, client->secret_key, 40))
        return pmm_error_set(err, ERR_INTERNAL, "", "zeromq",
                             "no se pudo configurar CURVE: %s", zmq_strerror(errno));
    return 0;
}

void zap_identity_parse(const char *user_id, zap_identity *out)
{
    memset(out, 0, sizeof *out);
    if (!user_id || !*user_id) {
        snprintf(out->rol, sizeof out->rol, "local");
        return;
    }
    const char *a = strchr(user_id, '|');
    const char *b = a ? strchr(a + 1, '|') : NULL;
    if (!a || !b) {
        snprintf(out->rol, sizeof out->rol, "desconocido");
        return;
    }
    snprintf(out->rol, sizeof out->rol, "%.*s", (int)(a - user_id), user_id);
    snprintf(out->emisor, sizeof out->emisor, "%.*s", (int)(b - a - 1), a + 1);
    out->clave_id = atoll(b + 1);
}

int zap_client_from_conf(const pmm_conf *conf, const char *endpoint,
                         const char *server_section, const char *client_section,
                         zap_client *out, pmm_error *err)
{
    memset(out, 0, sizeof *out);
    /* endpoint may be a list (several collectors): CURVE as soon as one
     * of them is TCP */
    if (!endpoint || !strstr(endpoint, "tcp://"))
        return 0;
    const char *mine = conf_str(conf, client_section, "clave");
    const char *theirs = conf_str(conf, server_section, "clave_servidor");
    if (!mine || !*mine)
        return pmm_error_set(err, ERR_INTERNAL, "clave", "requerido",
                             "%s es TCP y exige CURVE: indique su certificado con "
                             "--clave ARCHIVO o [%s] clave en pmm.conf",
                             endpoint, client_section);
    if (!theirs || !*theirs)
        return pmm_error_set(err, ERR_INTERNAL, "clave_servidor", "requerido",
                             "%s es TCP y exige CURVE: indique la clave pública del "
                             "servidor en [%s] clave_servidor",
                             endpoint, server_section);
    if (cert_load(&out->client, mine, err) != 0)
        return -1;
    if (!out->client.secret_key[0])
        return pmm_error_set(err, ERR_INTERNAL, "clave", "formato",
                             "%s es un certificado público: se necesita el secreto "
                             "(.key_secret)", mine);
    if (cert_key_valid(theirs)) {
        snprintf(out->server_public, sizeof out->server_public, "%s", theirs);
    } else {
        pmm_cert server;
        if (cert_load(&server, theirs, err) != 0)
            return -1;
        snprintf(out->server_public, sizeof out->server_public, "%s", server.public_key);
    }
    out->enabled = 1;
    return 0;
}

int zap_client_apply(void *sock, const zap_client *c, pmm_error *err)
{
    if (!c || !c->enabled)
        return 0;
    return zap_curve_client(sock, &c->client, c->server_public, err);
}
