/* seguimiento.c -- deliveries and observations in ingestd (seguimiento.h). */
#include "seguimiento.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "utf8.h"

#define NOTA_MAX_CHARS 2000
/* what the observations of one reply may take, below WIRE_MAX_MSG (64 KB)
 * with room for the envelope and the counts */
#define RESPUESTA_MAX_BYTES (48 * 1024)
#define PAGINA_FILAS 200

enum { ERR_INVALID = PMM__ERROR_CODE__ERR_INVALID, ERR_DENIED = PMM__ERROR_CODE__ERR_DENIED,
       ERR_INTERNAL = PMM__ERROR_CODE__ERR_INTERNAL };

/* A bytes field as a C string in buf; -1 when it is not valid UTF-8, holds
 * a NUL or does not fit. Absent: "". */
static int texto(const ProtobufCBinaryData *b, protobuf_c_boolean has, char *buf, size_t cap)
{
    buf[0] = '\0';
    if (!has)
        return 0;
    if (b->len >= cap || memchr(b->data, '\0', b->len) ||
        !utf8_valid((const char *)b->data, b->len))
        return -1;
    memcpy(buf, b->data, b->len);
    buf[b->len] = '\0';
    return 0;
}

static const char *strip(char *s)
{
    while (*s && isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

static int db_fail(PGconn *db, PGresult *res, const char *what, pmm_error *err)
{
    db_error(db, res, what, err);
    PQclear(res);
    return -1;
}

/* The body named by dependencia or entidad: a state by its INEGI code or
 * name, a body by its acronym or name in the reference data, else exactly
 * as written when the roster has it. */
static int resolver(PGconn *db, const refdata *ref, const char *dep, const char *ent,
                    char *out, size_t cap, pmm_error *err)
{
    if (*ent) {
        int code = refdata_entidad(ref, ent, strlen(ent));
        if (!code)
            return pmm_error_set(err, ERR_INVALID, "entidad", "desconocida",
                                 "--entidad «%s» no es una clave INEGI ni el nombre de una "
                                 "entidad federativa", ent);
        snprintf(out, cap, "E:%02d", code);
        return 0;
    }
    const ref_dependencia *d = refdata_dependencia(ref, dep, strlen(dep));
    if (d) {
        snprintf(out, cap, "D:%s", d->sigla);
        return 0;
    }
    char emisor[SEG_EMISOR_MAX];
    snprintf(emisor, sizeof emisor, "D:%s", dep);
    const char *params[] = {emisor};
    PGresult *res = PQexecParams(db, "SELECT 1 FROM padron WHERE emisor = $1", 1, NULL,
                                 params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        return db_fail(db, res, "no se pudo leer el padrón", err);
    int found = PQntuples(res) > 0;
    PQclear(res);
    if (!found)
        return pmm_error_set(err, ERR_INVALID, "dependencia", "desconocida",
                             "--dependencia «%s» no está en la lista de dependencias ni en "
                             "el padrón", dep);
    snprintf(out, cap, "%s", emisor);
    return 0;
}

/* The body a request is about, and whether its asker may ask: a remitente
 * only for its own body; local clients, analysts and admins for any body
 * they name. `accion` completes the messages ("entregar", "consultar"). */
static int cuerpo_de(PGconn *db, const refdata *ref, const seg_quien *q,
                     const ProtobufCBinaryData *dep_b, protobuf_c_boolean has_dep,
                     const ProtobufCBinaryData *ent_b, protobuf_c_boolean has_ent,
                     const char *accion, char *out, size_t cap, pmm_error *err)
{
    char dep[200], ent[200];
    if (texto(dep_b, has_dep, dep, sizeof dep) || texto(ent_b, has_ent, ent, sizeof ent))
        return pmm_error_set(err, ERR_INVALID, has_dep ? "dependencia" : "entidad", "utf8",
                             "el nombre del cuerpo no es texto UTF-8 válido o es demasiado "
                             "largo");
    const char *d = strip(dep), *e = strip(ent);
    if (*d && *e)
        return pmm_error_set(err, ERR_INVALID, "dependencia", "exclusivas",
                             "indique --dependencia o --entidad, no ambas");
    const char *rol = q->who.rol;
    if (!strcmp(rol, "remitente")) {
        if (!*d && !*e) {
            snprintf(out, cap, "%s", q->who.emisor);
            return 0;
        }
        char pedido[SEG_EMISOR_MAX];
        if (resolver(db, ref, d, e, pedido, sizeof pedido, err) != 0) {
            if (err->code != ERR_INVALID)
                return -1;
            snprintf(pedido, sizeof pedido, "%s%s", *e ? "E:" : "D:", *e ? e : d);
        }
        if (strcmp(pedido, q->who.emisor))
            return pmm_error_set(err, ERR_DENIED, *e ? "entidad" : "dependencia",
                                 "no_autorizado",
                                 "su clave solo permite %s por %s, no por %s", accion,
                                 q->who.emisor, pedido);
        snprintf(out, cap, "%s", pedido);
        return 0;
    }
    if (strcmp(rol, "local") && strcmp(rol, "analista") && strcmp(rol, "admin"))
        return pmm_error_set(err, ERR_DENIED, "", "no_autorizado",
                             "el rol «%s» no puede %s", rol, accion);
    if (!*d && !*e)
        return pmm_error_set(err, ERR_INVALID, "dependencia", "requerido",
                             "indique el cuerpo con --dependencia SIGLA o --entidad CLAVE");
    return resolver(db, ref, d, e, out, cap, err);
}

/* A key revoked or expired by now (read in the open transaction). */
static int clave_vigente(PGconn *db, const seg_quien *q, const char *accion, pmm_error *err)
{
    if (q->who.clave_id <= 0)
        return 0;
    char id[32];
    snprintf(id, sizeof id, "{%lld}", q->who.clave_id);
    const char *params[] = {id};
    PGresult *res = PQexecParams(db, "SELECT motivo FROM pmm_claves_no_vigentes($1::bigint[])",
                                 1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        return db_fail(db, res, "no se pudo comprobar la vigencia de la clave", err);
    int rc = 0;
    if (PQntuples(res) > 0) {
        int revocada = !strcmp(PQgetvalue(res, 0, 0), "clave_revocada");
        rc = pmm_error_set(err, ERR_DENIED, "clave", PQgetvalue(res, 0, 0),
                           "la clave %lld %s: no puede %s; pida una clave nueva a la unidad",
                           q->who.clave_id, revocada ? "fue revocada" : "venció", accion);
    }
    PQclear(res);
    return rc;
}

/* "AAAA-MM-DD" or "AAAA-MM-DD HH:MM" (the rest PostgreSQL checks). */
static bool forma_fecha(const char *s)
{
    size_t n = strlen(s);
    if (n != 10 && n != 16)
        return false;
    for (size_t i = 0; i < n; i++) {
        bool dig = i != 4 && i != 7 && i != 10 && i != 13;
        if (dig ? !isdigit((unsigned char)s[i])
                : s[i] != (i == 10 ? ' ' : i == 13 ? ':' : '-'))
            return false;
    }
    return true;
}

/* The request's own checks, before anything is read. */
static int validar_entrega(const seg_quien *q, const Pmm__Deliver *req, char *nota,
                           size_t nota_cap, char *analista, size_t analista_cap,
                           char *fecha, char *zona, size_t cap, pmm_error *err)
{
    if (!req->has_ejercicio || req->ejercicio < 2018 || req->ejercicio > 2100)
        return pmm_error_set(err, ERR_INVALID, "ejercicio", "rango",
                             "el ejercicio debe ser un año de 2018 a 2100");
    if (texto(&req->nota, req->has_nota, nota, nota_cap) ||
        utf8_length(nota, strlen(nota)) > NOTA_MAX_CHARS)
        return pmm_error_set(err, ERR_INVALID, "nota", "max_caracteres",
                             "la nota debe ser texto UTF-8 de hasta %d caracteres",
                             NOTA_MAX_CHARS);
    if (texto(&req->analista, req->has_analista, analista, analista_cap))
        return pmm_error_set(err, ERR_INVALID, "analista", "utf8",
                             "el nombre de quien registra no es texto UTF-8 válido");
    if (texto(&req->fecha, req->has_fecha, fecha, cap) ||
        texto(&req->zona, req->has_zona, zona, cap))
        return pmm_error_set(err, ERR_INVALID, "fecha", "formato",
                             "--fecha debe ser AAAA-MM-DD o «AAAA-MM-DD HH:MM»");
    const char *f = strip(fecha);
    memmove(fecha, f, strlen(f) + 1);
    if (*fecha && !forma_fecha(fecha))
        return pmm_error_set(err, ERR_INVALID, "fecha", "formato",
                             "--fecha «%s» no es AAAA-MM-DD ni «AAAA-MM-DD HH:MM»", fecha);
    if (*fecha && !strcmp(q->who.rol, "remitente"))
        return pmm_error_set(err, ERR_DENIED, "fecha", "no_autorizado",
                             "solo la unidad registra una entrega con su fecha; una "
                             "dependencia o entidad entrega en el momento");
    if (req->sin_acciones && !*strip(nota))
        return pmm_error_set(err, ERR_INVALID, "nota", "nota_requerida",
                             "una entrega sin acciones lleva una nota que diga por qué "
                             "(--nota \"…\")");
    return 0;
}

typedef struct {
    char limite[16], ref[16];
    long long gracia;
    bool cerrada;
    char vence[64];
} convocatoria;

static int leer_convocatoria(PGconn *db, long long ejercicio, convocatoria *c, pmm_error *err)
{
    char y[16];
    snprintf(y, sizeof y, "%lld", ejercicio);
    const char *params[] = {y};
    PGresult *res = PQexecParams(
        db,
        "SELECT limite::text, gracia, cerrada IS NOT NULL,"
        "       ((limite + gracia + 1)::timestamp AT TIME ZONE zona)::text"
        "  FROM convocatorias WHERE ejercicio = $1::int",
        1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        return db_fail(db, res, "no se pudo leer la convocatoria", err);
    if (PQntuples(res) == 0) {
        PQclear(res);
        return pmm_error_set(err, ERR_INVALID, "ejercicio", "sin_convocatoria",
                             "no hay convocatoria del ejercicio %lld: la unidad la abre con "
                             "pmm convocatoria abrir",
                             ejercicio);
    }
    snprintf(c->limite, sizeof c->limite, "%s", PQgetvalue(res, 0, 0));
    c->gracia = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
    c->cerrada = PQgetvalue(res, 0, 2)[0] == 't';
    snprintf(c->vence, sizeof c->vence, "%s", PQgetvalue(res, 0, 3));
    PQclear(res);
    return 0;
}

static int en_padron(PGconn *db, const char *emisor, pmm_error *err)
{
    const char *params[] = {emisor};
    PGresult *res = PQexecParams(db, "SELECT 1 FROM padron WHERE emisor = $1", 1, NULL,
                                 params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        return db_fail(db, res, "no se pudo leer el padrón", err);
    int found = PQntuples(res) > 0;
    PQclear(res);
    return found ? 0
                 : pmm_error_set(err, ERR_INVALID, emisor[0] == 'E' ? "entidad" : "dependencia",
                                 "fuera_del_padron",
                                 "%s no está en el padrón: la unidad la da de alta con "
                                 "pmm padron alta",
                                 emisor);
}

/* The rest of a delivery, in the open transaction. */
static int entregar_en_tx(PGconn *db, const refdata *ref, const seg_quien *q,
                          const Pmm__Deliver *req, seg_entrega *out, pmm_error *err)
{
    char nota[NOTA_MAX_CHARS * 4 + 1], analista[256], fecha[64], zona[64];
    if (validar_entrega(q, req, nota, sizeof nota, analista, sizeof analista, fecha, zona,
                        sizeof fecha, err) ||
        clave_vigente(db, q, "entregar", err))
        return -1;
    convocatoria c;
    if (leer_convocatoria(db, req->ejercicio, &c, err) ||
        cuerpo_de(db, ref, q, &req->dependencia, req->has_dependencia, &req->entidad,
                  req->has_entidad, "entregar", out->emisor, sizeof out->emisor, err))
        return -1;
    if (strcmp(q->who.rol, "remitente") && en_padron(db, out->emisor, err))
        return -1;
    char y[16];
    snprintf(y, sizeof y, "%lld", (long long)req->ejercicio);
    const char *p1[] = {out->emisor, c.limite, y};
    PGresult *res = PQexecParams(
        db,
        "WITH r AS (SELECT pmm_responsable($1, $2::date) AS cuerpo)"
        " SELECT r.cuerpo,"
        "   EXISTS (SELECT 1 FROM convocados c WHERE c.ejercicio = $3::int"
        "            AND c.emisor = r.cuerpo),"
        "   (SELECT count(*) FROM fichas_vigentes v"
        "     WHERE v.emisor = ANY (pmm_linaje(r.cuerpo, $2::date))"
        "       AND v.ejercicio = $3::int)"
        "  FROM r",
        3, NULL, p1, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        return db_fail(db, res, "no se pudieron contar las fichas", err);
    snprintf(out->cuerpo, sizeof out->cuerpo, "%s", PQgetvalue(res, 0, 0));
    out->convocada = PQgetvalue(res, 0, 1)[0] == 't';
    out->fichas = strtoll(PQgetvalue(res, 0, 2), NULL, 10);
    PQclear(res);
    out->sin_acciones = req->sin_acciones;
    snprintf(out->limite, sizeof out->limite, "%s", c.limite);
    out->gracia = c.gracia;
    out->cerrada = c.cerrada;
    if (out->fichas == 0 && !req->sin_acciones)
        return pmm_error_set(err, ERR_INVALID, "fichas", "sin_fichas",
                             "%s no tiene fichas del ejercicio %lld: envíelas antes de "
                             "entregar o, si no tiene acciones que reportar, entregue con "
                             "--sin-acciones y una nota",
                             out->cuerpo, (long long)req->ejercicio);
    if (out->fichas > 0 && req->sin_acciones)
        return pmm_error_set(err, ERR_INVALID, "sin_acciones", "con_fichas",
                             "%s tiene %lld %s del ejercicio %lld: no puede entregar «sin "
                             "acciones»",
                             out->cuerpo, out->fichas, out->fichas == 1 ? "ficha" : "fichas",
                             (long long)req->ejercicio);
    char nfichas[32];
    snprintf(nfichas, sizeof nfichas, "%lld", out->fichas);
    bool remitente = !strcmp(q->who.rol, "remitente");
    const char *p2[] = {y, out->emisor, *fecha ? fecha : NULL, *zona ? zona : "UTC",
                        req->sin_acciones ? "t" : "f", *strip(nota) ? strip(nota) : NULL,
                        nfichas, q->identidad,
                        !remitente && *strip(analista) ? strip(analista) : NULL};
    res = PQexecParams(
        db,
        "INSERT INTO entregas (ejercicio, emisor, momento, sin_acciones, nota, fichas,"
        "                      identidad, analista)"
        " SELECT $1::int, $2, m.momento, $5::boolean, $6, $7::int, $8, $9"
        "   FROM (SELECT coalesce($3::timestamp AT TIME ZONE $4, now()) AS momento) m"
        " RETURNING (extract(epoch FROM momento) * 1000000)::bigint, momento > now()",
        9, NULL, p2, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        const char *st = PQresultErrorField(res, PG_DIAG_SQLSTATE);
        if (st && (!strncmp(st, "22", 2))) {
            PQclear(res);
            return pmm_error_set(err, ERR_INVALID, "fecha", "fecha",
                                 "--fecha «%s» no es una fecha válida en la zona «%s»", fecha,
                                 zona);
        }
        return db_fail(db, res, "no se pudo registrar la entrega", err);
    }
    out->momento_us = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    bool futura = PQgetvalue(res, 0, 1)[0] == 't';
    PQclear(res);
    if (futura)
        return pmm_error_set(err, ERR_INVALID, "fecha", "fecha_futura",
                             "--fecha «%s» es posterior a este momento", fecha);
    const char *p3[] = {y, out->cuerpo, c.limite, c.vence};
    res = PQexecParams(db,
                       "SELECT (extract(epoch FROM min(momento)) * 1000000)::bigint,"
                       "       min(momento) < $4::timestamptz"
                       "  FROM entregas WHERE ejercicio = $1::int"
                       "   AND emisor = ANY (pmm_linaje($2, $3::date))",
                       4, NULL, p3, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        return db_fail(db, res, "no se pudo leer la primera entrega", err);
    out->primera_us = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    out->a_tiempo = PQgetvalue(res, 0, 1)[0] == 't';
    PQclear(res);
    return 0;
}

int seguimiento_entregar(PGconn *db, const refdata *ref, const seg_quien *q,
                         const Pmm__Deliver *req, seg_entrega *out, pmm_error *err)
{
    memset(out, 0, sizeof *out);
    if (db_exec(db, "BEGIN", err) != 0)
        return -1;
    int rc = entregar_en_tx(db, ref, q, req, out, err);
    pmm_error ignored;
    if (rc != 0)
        db_exec(db, "ROLLBACK", &ignored);
    else
        rc = db_exec(db, "COMMIT", err);
    return rc;
}

/* ---- observations ------------------------------------------------------ */

void seguimiento_consulta_free(seg_consulta *c)
{
    free(c->items);
    free(c->ptrs);
    free(c->texto);
    memset(c, 0, sizeof *c);
}

static ProtobufCBinaryData bytes_de(char *s)
{
    return (ProtobufCBinaryData){strlen(s), (uint8_t *)s};
}

static int consultar_en_tx(PGconn *db, const refdata *ref, const seg_quien *q,
                           const Pmm__Query *req, seg_consulta *out, pmm_error *err)
{
    char consulta[32];
    if (texto(&req->consulta, req->has_consulta, consulta, sizeof consulta) ||
        strcmp(consulta, "observaciones"))
        return pmm_error_set(err, ERR_INVALID, "consulta", "desconocida",
                             "el colector solo responde la consulta «observaciones»");
    if (!req->has_ejercicio || req->ejercicio < 2018 || req->ejercicio > 2100)
        return pmm_error_set(err, ERR_INVALID, "ejercicio", "rango",
                             "el ejercicio debe ser un año de 2018 a 2100");
    if (clave_vigente(db, q, "consultar", err) ||
        cuerpo_de(db, ref, q, &req->dependencia, req->has_dependencia, &req->entidad,
                  req->has_entidad, "consultar", out->emisor, sizeof out->emisor, err))
        return -1;
    char y[16], desde[32];
    snprintf(y, sizeof y, "%lld", (long long)req->ejercicio);
    snprintf(desde, sizeof desde, "%lld", req->has_desde ? (long long)req->desde : 0LL);
    const char *params[] = {out->emisor, y, desde};
    /* the latest review of each version in force of the body's fichas
     * (and of its predecessors'), the observed ones after `desde`; the
     * counts in the first row's last columns */
    PGresult *res = PQexecParams(
        db,
        "WITH d AS (SELECT coalesce((SELECT limite FROM convocatorias"
        "                             WHERE ejercicio = $2::int),"
        "                           make_date($2::int, 12, 31)) AS d),"
        " l AS (SELECT pmm_linaje(pmm_responsable($1, d.d), d.d) AS e FROM d),"
        " r AS (SELECT DISTINCT ON (r.ficha_id) r.* FROM revisiones r, l"
        "        WHERE r.ejercicio = $2::int AND r.emisor = ANY (l.e)"
        "        ORDER BY r.ficha_id, r.id DESC),"
        " v AS (SELECT r.*, x.version, x.programa FROM r"
        "        JOIN LATERAL (SELECT f.id, f.version, f.programa FROM fichas_vigentes f"
        "                       WHERE f.emisor = r.emisor AND f.ejercicio = $2::int"
        "                         AND f.clave = r.clave OFFSET 0) x ON x.id = r.ficha_id),"
        " n AS (SELECT (SELECT count(*) FROM fichas_vigentes f, l"
        "                WHERE f.emisor = ANY (l.e) AND f.ejercicio = $2::int) AS fichas,"
        "              count(*) FILTER (WHERE estado = 'aprobada') AS aprobadas,"
        "              count(*) FILTER (WHERE estado = 'con_observaciones') AS obs FROM v)"
        " SELECT v.id, v.ficha_id, v.clave, v.version, coalesce(v.programa, ''),"
        "        coalesce(v.nota, ''), v.analista,"
        "        (extract(epoch FROM v.momento) * 1000000)::bigint,"
        "        n.fichas, n.aprobadas, n.obs"
        "   FROM n LEFT JOIN v ON v.estado = 'con_observaciones' AND v.id > $3::bigint"
        "  ORDER BY v.id LIMIT " "200",
        3, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        return db_fail(db, res, "no se pudieron leer las observaciones", err);
    int nt = PQntuples(res);
    out->fichas = nt ? strtoll(PQgetvalue(res, 0, 8), NULL, 10) : 0;
    out->aprobadas = nt ? strtoll(PQgetvalue(res, 0, 9), NULL, 10) : 0;
    out->con_observaciones = nt ? strtoll(PQgetvalue(res, 0, 10), NULL, 10) : 0;
    /* the rows that fit in one frame */
    size_t total = 0, k = 0, textlen = 0;
    for (int r = 0; r < nt && !PQgetisnull(res, r, 0); r++) {
        size_t len = 64;
        for (int col = 2; col <= 6; col++)
            len += (size_t)PQgetlength(res, r, col) + 1;
        if (total + len > RESPUESTA_MAX_BYTES && k > 0)
            break;
        total += len;
        textlen += len;
        k++;
    }
    if (k > 0) {
        out->items = calloc(k, sizeof *out->items);
        out->ptrs = calloc(k, sizeof *out->ptrs);
        out->texto = malloc(textlen + 1);
        if (!out->items || !out->ptrs || !out->texto) {
            PQclear(res);
            return pmm_error_set(err, ERR_INTERNAL, "", "memoria", "sin memoria");
        }
    }
    char *t = out->texto;
    for (size_t i = 0; i < k; i++) {
        int r = (int)i;
        Pmm__Observacion *o = &out->items[i];
        pmm__observacion__init(o);
        o->has_id = o->has_ficha_id = o->has_version = o->has_momento_us = 1;
        o->id = strtoll(PQgetvalue(res, r, 0), NULL, 10);
        o->ficha_id = strtoll(PQgetvalue(res, r, 1), NULL, 10);
        o->version = strtoll(PQgetvalue(res, r, 3), NULL, 10);
        o->momento_us = strtoll(PQgetvalue(res, r, 7), NULL, 10);
        ProtobufCBinaryData *campos[] = {&o->clave, &o->programa, &o->nota, &o->analista};
        protobuf_c_boolean *tiene[] = {&o->has_clave, &o->has_programa, &o->has_nota,
                                       &o->has_analista};
        const int cols[] = {2, 4, 5, 6};
        for (int c = 0; c < 4; c++) {
            size_t len = (size_t)PQgetlength(res, r, cols[c]);
            memcpy(t, PQgetvalue(res, r, cols[c]), len + 1);
            *campos[c] = bytes_de(t);
            *tiene[c] = 1;
            t += len + 1;
        }
        out->ptrs[i] = o;
    }
    out->n = k;
    /* more after this page: the rows left out, or a full page read */
    out->siguiente = 0;
    if (k > 0 && (k < (size_t)nt || nt == PAGINA_FILAS))
        out->siguiente = out->items[k - 1].id;
    PQclear(res);
    return 0;
}

int seguimiento_consultar(PGconn *db, const refdata *ref, const seg_quien *q,
                          const Pmm__Query *req, seg_consulta *out, pmm_error *err)
{
    memset(out, 0, sizeof *out);
    if (db_exec(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err) != 0)
        return -1;
    int rc = consultar_en_tx(db, ref, q, req, out, err);
    pmm_error ignored;
    db_exec(db, rc == 0 ? "COMMIT" : "ROLLBACK", &ignored);
    if (rc != 0)
        seguimiento_consulta_free(out);
    return rc;
}
