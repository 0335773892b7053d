/* padron.h -- changes to the roster (padrón), each in one transaction and
 * audited (seguimiento_bitacora), for pmm padron (cmd_padron.c) and its
 * CSV import (padron_importar.c). */
#ifndef PMM_CLI_PADRON_H
#define PMM_CLI_PADRON_H

#include <libpq-fe.h>
#include <stddef.h>

#include "conf.h"
#include "cuerpos.h"
#include "error.h"

typedef struct {
    const char *sub;            /* alta, baja, renombrar, fusionar */
    char emisor[CUERPO_MAX];    /* the body */
    char otro[CUERPO_MAX];      /* renombrar: the new body; fusionar: the one absorbing */
    const char *nombre, *tipo, *sector;
    const char *fecha;          /* alta: first day; baja: last day; renombrar and
                                   fusionar: first day of the successor (NULL: today) */
    const char *analista;       /* who, for the audit trail */
} padron_cambio;

/* Applies c with the administrator's connection db. 0 with a Spanish
 * summary in resumen, or -1 with err (code 1: refused by a rule of the
 * roster or by the database's permissions; else a failure). */
int padron_cambiar(PGconn *db, const padron_cambio *c, char *resumen, size_t cap,
                   pmm_error *err);

/* pmm padron importar ARCHIVO.csv (argv[0] is "importar"). */
int padron_importar(int argc, char **argv, pmm_conf *conf);

#endif
