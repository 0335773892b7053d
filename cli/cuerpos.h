/* cuerpos.h -- what the commands of the yearly call share (issue 18:
 * pmm padron, convocatoria, entregar, observaciones, cobertura, pendientes):
 * naming a body as the roster does, the administrator's connection and its
 * audit trail, Spanish messages for database refusals, dates, the option
 * errors, and the words for types and states.
 *
 * A body is named as fichas name their sender: "D:<SIGLA>" for a federal,
 * autonomous, judicial... body and "E:<NN>" (INEGI code) for a state
 * government (ficha_emisor, lib/ficha/ficha.c).
 */
#ifndef PMM_CLI_CUERPOS_H
#define PMM_CLI_CUERPOS_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

#include "conf.h"
#include "error.h"
#include "refdata.h"

#define CUERPO_MAX 80

/* The body of --dependencia SIGLA (its canonical acronym when the
 * reference data knows it by acronym or name, else as written) or
 * --entidad CLAVE (an INEGI code or a state's name): "D:SRE", "E:07".
 * Exactly one of dep and ent is non-NULL. -1 with err naming the option
 * when the text cannot name a body. The roster is not read. */
int cuerpo_emisor(const refdata *ref, const char *dep, const char *ent, char *out,
                  size_t cap, pmm_error *err);

/* The administrator's connection ([postgresql] conninfo): every write of
 * these commands, and contact data. NULL with err. */
PGconn *cuerpos_admin(const pmm_conf *conf, const char *app, pmm_error *err);

/* Fills err with a Spanish message for a failed statement: permission
 * denied says that only an administrator may (accion: "cambiar el
 * padrón"); a refusal raised by the schema's own rules (SQLSTATE P0001,
 * 23P01, 23514 with a Spanish text) passes its message; anything else says
 * what failed and the SQLSTATE (the server's own text goes to the log, it
 * may not be Spanish). Returns -1. */
int cuerpos_db_error(PGconn *db, const PGresult *res, const char *accion, pmm_error *err);

/* Appends one row to seguimiento_bitacora in the open transaction:
 * identidad (the analyst's or administrator's name), accion (one of the
 * table's), ejercicio (0: none), emisor (NULL: none), detalle (JSON
 * object text, NULL: {}). */
int cuerpos_bitacora(PGconn *db, const char *identidad, const char *accion, int ejercicio,
                     const char *emisor, const char *detalle, pmm_error *err);

/* "AAAA-MM-DD" naming a real day (years 2000..2999). */
bool cuerpos_fecha_valida(const char *s);
/* A year 2018..2100 into *out; -1 when not. */
int cuerpos_anio(const char *s, int *out);

/* Words for people. */
const char *cuerpos_tipo_texto(const char *tipo);       /* "federal" -> "federal" ... */
const char *cuerpos_estado_texto(const char *estado);   /* "sin_iniciar" -> "sin iniciar" */
/* Types a call may name (--cuerpos): every value of padron.tipo. */
bool cuerpos_tipo_valido(const char *tipo);
/* Whether an estado of pmm_seguimiento means "delivered". */
bool cuerpos_estado_entregado(const char *estado);

#endif
