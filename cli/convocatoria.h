/* convocatoria.h -- the yearly call's changes (convocatoria.c) and its
 * display (convocatoria_ver.c), for pmm convocatoria (cmd_convocatoria.c). */
#ifndef PMM_CLI_CONVOCATORIA_H
#define PMM_CLI_CONVOCATORIA_H

#include <libpq-fe.h>

#include "conf.h"
#include "cuerpos.h"
#include "error.h"
#include "strbuf.h"

typedef struct {
    const char *sub;           /* abrir, ajustar, cerrar, agregar, quitar */
    int anio;
    const char *limite, *gracia, *contar;   /* as given, NULL: unchanged/default */
    const char *tipos;         /* abrir: "{federal,estatal}" */
    const char *lista;         /* abrir: "{D:SRE,E:07}" instead of tipos, or NULL */
    char emisor[CUERPO_MAX];   /* agregar, quitar */
    const char *analista;      /* who, for the audit trail */
    const char *zona;          /* abrir: the unit's time zone */
} convocatoria_cambio;

/* Applies c in one transaction with the administrator's connection db and
 * writes a Spanish summary (lines ending in \n) to resumen. -1 with err
 * (code 1: refused by a rule or by the database's permissions). */
int convocatoria_cambiar(PGconn *db, const convocatoria_cambio *c, strbuf *resumen,
                         pmm_error *err);

/* pmm convocatoria [--ejercicio AÑO] [--formato tabla|json]. */
int convocatoria_ver(int argc, char **argv, pmm_conf *conf);

#endif
