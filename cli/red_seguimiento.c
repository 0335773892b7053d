/* red_seguimiento.c -- see red_seguimiento.h. */
#include "red_seguimiento.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sender.h"
#include "wire.h"
#include "zap.h"

static void copiar_error(const Pmm__Error *e, pmm_error *err)
{
    char campo[PMM_ERR_CAMPO], regla[PMM_ERR_REGLA];
    snprintf(campo, sizeof campo, "%.*s", e->has_campo ? (int)e->campo.len : 0,
             e->has_campo ? (const char *)e->campo.data : "");
    snprintf(regla, sizeof regla, "%.*s", e->has_regla ? (int)e->regla.len : 0,
             e->has_regla ? (const char *)e->regla.data : "");
    pmm_error_set(err, e->has_code ? (int)e->code : PMM__ERROR_CODE__ERR_INTERNAL, campo, regla,
                  "%.*s", e->has_mensaje ? (int)e->mensaje.len : 0,
                  e->has_mensaje ? (const char *)e->mensaje.data : "error sin descripción");
}

Pmm__Envelope *red_pedir(const pmm_conf *conf, const char *servidor, const Pmm__Envelope *req,
                         Pmm__MsgType want, pmm_error *err)
{
    const char *lista = servidor ? servidor : conf_str(conf, "ingestd", "endpoint");
    if (!lista || !*lista) {
        pmm_error_set(err, 2, "--servidor", "requerido",
                      "falta el colector: indique --servidor o [ingestd] endpoint en pmm.conf");
        return NULL;
    }
    char endpoint[512];
    snprintf(endpoint, sizeof endpoint, "%.*s", (int)strcspn(lista, ", \t"), lista);
    zap_client curve;
    if (zap_client_from_conf(conf, endpoint, "ingestd", "cliente", &curve, err) != 0)
        return NULL;
    int timeout = (int)conf_long(conf, "cliente", "espera_ms");
    long intentos = conf_long(conf, "cliente", "intentos");
    void *zctx = zmq_ctx_new();
    Pmm__Envelope *reply = NULL;
    for (long i = 0; i < intentos; i++) {
        if (i) {
            struct timespec ts = {0, 200000000L};
            nanosleep(&ts, NULL);
        }
        reply = sender_call(zctx, endpoint, &curve, req, timeout, err);
        if (!reply) {
            if (!strcmp(err->regla, "sin_respuesta"))
                pmm_error_set(err, PMM__ERROR_CODE__ERR_BUSY, "", "sin_respuesta",
                              "el colector (%s) no respondió en %d ms; revise que esté en "
                              "marcha (pmm estado) y que su clave sea válida",
                              endpoint, timeout);
            break;
        }
        if (reply->type == want)
            break;
        if (reply->type == PMM__MSG_TYPE__MSG_ERROR && reply->error)
            copiar_error(reply->error, err);
        else
            pmm_error_set(err, PMM__ERROR_CODE__ERR_TYPE, "", "tipo_mensaje",
                          "el colector respondió con un mensaje inesperado");
        bool ocupado = err->code == PMM__ERROR_CODE__ERR_BUSY;
        pmm__envelope__free_unpacked(reply, NULL);
        reply = NULL;
        if (!ocupado)
            break;
    }
    zmq_ctx_term(zctx);
    return reply;
}

const char *red_hora(const pmm_conf *conf, int64_t us, char *buf, size_t cap)
{
    /* pmm-red is a short-lived process: the unit's zone for its times */
    setenv("TZ", conf_zona_horaria(conf), 1);
    tzset();
    time_t t = (time_t)(us / 1000000);
    struct tm tm;
    if (!localtime_r(&t, &tm) || !strftime(buf, cap, "%d/%m/%Y %H:%M", &tm))
        snprintf(buf, cap, "?");
    return buf;
}
