/* seguimiento.h -- what ingestd answers besides fichas: deliveries
 * (MSG_DELIVER, `pmm entregar`) and the observations on a body's fichas
 * (MSG_QUERY, `pmm observaciones`), issue 18.
 *
 * Who may do what: a remitente key delivers and reads only for its own body
 * (the emisor its key names; it may name no other, and may not date a
 * delivery); local clients (the ipc socket of the unit's host), analysts
 * and administrators for any body in the roster, named with dependencia or
 * entidad. Services never. The key is checked again inside the
 * transaction, as for fichas: a revoked or expired key may not deliver.
 *
 * A delivery needs the year's call (convocatorias) and at least one ficha
 * in force of the body (itself or the predecessors whose reports count for
 * it, pmm_linaje), unless it says "sin acciones" with a note, which it may
 * not say with fichas. After the call closes deliveries are still recorded
 * (late, never lost). The rules are SQL's (015_convocatoria.sql); this
 * module checks, writes one `entregas` row and reads the outcome back.
 */
#ifndef PMM_INGESTD_SEGUIMIENTO_H
#define PMM_INGESTD_SEGUIMIENTO_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "pmm.pb-c.h"
#include "refdata.h"
#include "zap.h"

#define SEG_EMISOR_MAX 80

/* Who asks: the connection's identity and its ZAP user id ("local" on
 * ipc), as audited. */
typedef struct {
    zap_identity who;
    const char *identidad;
} seg_quien;

typedef struct {
    char emisor[SEG_EMISOR_MAX];   /* the body that delivered */
    char cuerpo[SEG_EMISOR_MAX];   /* the body it counts for */
    char limite[16];
    long long gracia;
    long long fichas;
    bool sin_acciones, convocada, a_tiempo, cerrada;
    int64_t momento_us, primera_us;
} seg_entrega;

/* Records a delivery. 0 with out filled, or -1 with err: ERR_DENIED
 * (no_autorizado, clave_revocada, clave_vencida), ERR_INVALID (the rule:
 * sin_convocatoria, sin_fichas, con_fichas, nota_requerida, fuera_del_padron,
 * fecha...), or ERR_INTERNAL with the SQLSTATE in err->regla. */
int seguimiento_entregar(PGconn *db, const refdata *ref, const seg_quien *q,
                         const Pmm__Deliver *req, seg_entrega *out, pmm_error *err);

/* The answer to a query: its messages and the strings they point to. */
typedef struct {
    char emisor[SEG_EMISOR_MAX];
    Pmm__Observacion *items;
    Pmm__Observacion **ptrs;
    size_t n;
    char *texto;                   /* every string of the items, NUL-separated */
    int64_t siguiente, fichas, aprobadas, con_observaciones;
} seg_consulta;

/* Answers a query ("observaciones": the versions in force of the body's
 * fichas of the year whose latest review is con_observaciones, after
 * req->desde, as many as fit in one frame, and the counts). 0 with out
 * filled (free with seguimiento_consulta_free), or -1 with err as
 * seguimiento_entregar. */
int seguimiento_consultar(PGconn *db, const refdata *ref, const seg_quien *q,
                          const Pmm__Query *req, seg_consulta *out, pmm_error *err);
void seguimiento_consulta_free(seg_consulta *c);

#endif
