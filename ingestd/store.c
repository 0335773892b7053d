#include "store.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "ficha.h"
#include "idem.h"
#include "strbuf.h"

int store_item_init(store_item *item, const Pmm__Ficha *f, pmm_error *err)
{
    memset(item, 0, sizeof *item);
    item->ficha = f;
    ficha_emisor(f, item->emisor, sizeof item->emisor);
    if (ficha_hash(f, item->hash) != 0)
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "memoria",
                             "sin memoria");
    return 0;
}

void store_item_refused(store_item *item, const Pmm__Ficha *f, int denied,
                        const pmm_error *why)
{
    char identidad[sizeof item->identidad];
    long long clave_id = item->clave_id;
    memcpy(identidad, item->identidad, sizeof identidad);
    memset(item, 0, sizeof *item);
    memcpy(item->identidad, identidad, sizeof identidad);
    item->clave_id = clave_id;
    item->ficha = f;
    item->predecided = 1;
    item->denied = denied;
    item->estado = PMM__ESTADO__ESTADO_RECHAZADA;
    item->err = *why;
    /* a denied ficha passed validation: the body it claimed is known and
     * belongs in the audit trail */
    if (denied)
        ficha_emisor(f, item->emisor, sizeof item->emisor);
}

/* The distinct keys of the items still undecided, as a PostgreSQL array
 * literal ("{}" when none). */
static int keys_array(const store_item *items, size_t n, int undecided_only, strbuf *out)
{
    int any = 0;
    strbuf_puts(out, "{");
    for (size_t i = 0; i < n; i++) {
        if (items[i].clave_id <= 0 || (undecided_only && items[i].predecided))
            continue;
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = items[j].clave_id == items[i].clave_id &&
                   !(undecided_only && items[j].predecided);
        if (seen)
            continue;
        strbuf_printf(out, "%s%lld", any ? "," : "", items[i].clave_id);
        any = 1;
    }
    strbuf_puts(out, "}");
    return any;
}

/* Refuses the items whose key may no longer act (revoked or expired),
 * read in the batch's transaction. */
static int check_keys(PGconn *conn, store_item *items, size_t n, pmm_error *err)
{
    strbuf ids;
    strbuf_init(&ids);
    int any = keys_array(items, n, 1, &ids);
    if (strbuf_failed(&ids)) {
        strbuf_free(&ids);
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "memoria",
                             "sin memoria");
    }
    if (!any) {
        strbuf_free(&ids);
        return 0;
    }
    const char *params[] = {ids.data};
    PGresult *res = PQexecParams(conn,
                                 "SELECT id, motivo FROM pmm_claves_no_vigentes($1::bigint[])",
                                 1, NULL, params, NULL, NULL, 0);
    strbuf_free(&ids);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(conn, res, "no se pudo comprobar la vigencia de las claves", err);
        PQclear(res);
        return -1;
    }
    for (int r = 0; r < PQntuples(res); r++) {
        long long id = strtoll(PQgetvalue(res, r, 0), NULL, 10);
        const char *motivo = PQgetvalue(res, r, 1);
        int revoked = !strcmp(motivo, "clave_revocada");
        pmm_error why;
        pmm_error_set(&why, PMM__ERROR_CODE__ERR_DENIED, "clave", motivo,
                      revoked ? "la clave %lld fue revocada: no puede enviar fichas; "
                                "pida una clave nueva a la unidad"
                              : "la clave %lld venció: no puede enviar fichas; "
                                "pida una clave nueva a la unidad",
                      id);
        for (size_t i = 0; i < n; i++)
            if (items[i].clave_id == id && !items[i].predecided)
                store_item_refused(&items[i], items[i].ficha, 1, &why);
    }
    PQclear(res);
    return 0;
}

int store_touch_keys(PGconn *conn, const store_item *items, size_t n, pmm_error *err)
{
    strbuf ids;
    strbuf_init(&ids);
    int any = keys_array(items, n, 0, &ids);
    if (strbuf_failed(&ids)) {
        strbuf_free(&ids);
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "memoria",
                             "sin memoria");
    }
    int rc = 0;
    if (any) {
        const char *params[] = {ids.data};
        PGresult *res = PQexecParams(
            conn,
            "UPDATE claves SET ultimo_uso = now() WHERE id = ANY ($1::bigint[])"
            "   AND (ultimo_uso IS NULL OR ultimo_uso < now() - interval '1 minute')",
            1, NULL, params, NULL, NULL, 0);
        if (PQresultStatus(res) != PGRES_COMMAND_OK)
            rc = db_error(conn, res, "no se pudo anotar el último uso de las claves", err);
        PQclear(res);
    }
    strbuf_free(&ids);
    return rc;
}

static bool same_key(const store_item *a, const store_item *b)
{
    return a->ficha->ejercicio == b->ficha->ejercicio &&
           !strcmp(a->emisor, b->emisor) && a->ficha->clave.len == b->ficha->clave.len &&
           !memcmp(a->ficha->clave.data, b->ficha->clave.data, a->ficha->clave.len);
}

static int hex_to_hash(const char *hex, uint8_t out[32])
{
    if (strlen(hex) != 64)
        return -1;
    for (int i = 0; i < 32; i++) {
        unsigned v;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1)
            return -1;
        out[i] = (uint8_t)v;
    }
    return 0;
}

/* Current stored version of every item's key (cur[i] for item i). */
static int load_current(PGconn *conn, store_item *items, size_t n,
                        idem_current *cur, pmm_error *err)
{
    strbuf e, y, c;
    strbuf_init(&e);
    strbuf_init(&y);
    strbuf_init(&c);
    strbuf_puts(&e, "{");
    strbuf_puts(&y, "{");
    strbuf_puts(&c, "{");
    /* refused items take part with an empty key that matches nothing, so
     * ordinality still equals the item index */
    for (size_t i = 0; i < n; i++) {
        int skip = items[i].predecided;
        if (i) {
            strbuf_puts(&e, ",");
            strbuf_puts(&y, ",");
            strbuf_puts(&c, ",");
        }
        strbuf_array_elem(&e, skip ? "" : items[i].emisor, skip ? 0 : strlen(items[i].emisor));
        strbuf_printf(&y, "%lld", skip ? 0LL : (long long)items[i].ficha->ejercicio);
        strbuf_array_elem(&c, skip ? "" : (const char *)items[i].ficha->clave.data,
                          skip ? 0 : items[i].ficha->clave.len);
    }
    strbuf_puts(&e, "}");
    strbuf_puts(&y, "}");
    strbuf_puts(&c, "}");
    int rc = -1;
    if (strbuf_failed(&e) || strbuf_failed(&y) || strbuf_failed(&c)) {
        pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "memoria",
                      "sin memoria");
        goto out;
    }
    const char *params[] = {e.data, y.data, c.data};
    PGresult *res = PQexecParams(
        conn,
        "SELECT k.i, f.id, f.version, encode(f.hash, 'hex'),"
        "       (extract(epoch FROM f.recibida) * 1000000)::bigint, f.retirada"
        "  FROM unnest($1::text[], $2::int[], $3::text[])"
        "       WITH ORDINALITY AS k(emisor, ejercicio, clave, i)"
        "  JOIN LATERAL (SELECT id, version, hash, recibida, retirada FROM fichas x"
        "                 WHERE x.emisor = k.emisor AND x.ejercicio = k.ejercicio"
        "                   AND x.clave = k.clave"
        "                 ORDER BY version DESC LIMIT 1) f ON true",
        3, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(conn, res, "no se pudo leer las versiones vigentes", err);
        PQclear(res);
        goto out;
    }
    for (int r = 0; r < PQntuples(res); r++) {
        size_t i = strtoull(PQgetvalue(res, r, 0), NULL, 10) - 1;
        if (i >= n)
            continue;
        cur[i].exists = true;
        cur[i].id = strtoll(PQgetvalue(res, r, 1), NULL, 10);
        cur[i].version = strtoll(PQgetvalue(res, r, 2), NULL, 10);
        cur[i].stored_us = strtoll(PQgetvalue(res, r, 4), NULL, 10);
        cur[i].retirada = PQgetvalue(res, r, 5)[0] == 't';
        if (hex_to_hash(PQgetvalue(res, r, 3), cur[i].hash) != 0)
            cur[i].exists = false;
    }
    PQclear(res);
    rc = 0;
out:
    strbuf_free(&e);
    strbuf_free(&y);
    strbuf_free(&c);
    return rc;
}

static void copy_bytes(strbuf *b, const ProtobufCBinaryData *v, int has)
{
    strbuf_copy_field(b, has ? (const char *)v->data : NULL, has ? v->len : 0);
    strbuf_puts(b, "\t");
}

static void copy_int(strbuf *b, int64_t v, int has)
{
    if (has)
        strbuf_printf(b, "%lld\t", (long long)v);
    else
        strbuf_puts(b, "\\N\t");
}

static void copy_row(strbuf *b, const store_item *it, const char *now_text)
{
    const Pmm__Ficha *f = it->ficha;
    static const ProtobufCBinaryData none = {0, NULL};
    const Pmm__Descripcion *d = f->descripcion;
    const Pmm__Resultados *r = f->resultados;
    strbuf_printf(b, "%lld\t", (long long)it->id);
    strbuf_copy_field(b, it->emisor, strlen(it->emisor));
    strbuf_printf(b, "\t%lld\t", (long long)f->ejercicio);
    copy_bytes(b, &f->clave, 1);
    strbuf_printf(b, "%lld\t\\\\x", (long long)it->version);
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, it->hash, 32);
    strbuf_append(b, hex, 64);
    strbuf_printf(b, "\t%s\t", now_text);
    copy_bytes(b, &f->ambito, 1);
    copy_bytes(b, &f->dependencia, f->has_dependencia);
    if (f->has_entidad)
        strbuf_printf(b, "%d\t", atoi((const char *)f->entidad.data));
    else
        strbuf_puts(b, "\\N\t");
    copy_bytes(b, &f->unidad, f->has_unidad);
    copy_bytes(b, &f->programa, f->has_programa);
    /* a withdrawal has none of the content (ficha_validate) */
    copy_int(b, f->objetivo_pmm, f->has_objetivo_pmm);
    copy_bytes(b, d ? &d->objetivo : &none, d && d->has_objetivo);
    copy_bytes(b, d ? &d->poblacion_objetivo : &none, d && d->has_poblacion_objetivo);
    copy_bytes(b, d ? &d->inicio : &none, d && d->has_inicio);
    copy_bytes(b, d ? &d->temporalidad : &none, d && d->has_temporalidad);
    copy_bytes(b, d ? &d->fin : &none, d && d->has_fin);
    copy_int(b, r ? r->acciones : 0, r && r->has_acciones);
    copy_int(b, r ? r->personas : 0, r && r->has_personas);
    copy_int(b, r ? r->mujeres : 0, r && r->has_mujeres);
    copy_int(b, r ? r->hombres : 0, r && r->has_hombres);
    copy_bytes(b, r ? &r->zona : &none, r && r->has_zona);
    copy_bytes(b, r ? &r->texto : &none, r && r->has_texto);
    copy_bytes(b, &f->retos, f->has_retos);
    strbuf_puts(b, ficha_es_retiro(f) ? "t\t" : "f\t");
    strbuf_copy_field(b, f->has_motivo_retiro ? (const char *)f->motivo_retiro.data : NULL,
                      f->motivo_retiro.len);
    strbuf_puts(b, "\n");
}

static void copy_contact_row(strbuf *b, const store_item *it)
{
    const Pmm__Contacto *c = it->ficha->contacto;
    strbuf_printf(b, "%lld\t", (long long)it->id);
    copy_bytes(b, &c->nombre, c->has_nombre);
    copy_bytes(b, &c->cargo, c->has_cargo);
    copy_bytes(b, &c->telefono, c->has_telefono);
    strbuf_copy_field(b, c->has_correo ? (const char *)c->correo.data : NULL,
                      c->correo.len);
    strbuf_puts(b, "\n");
}

/* One audit row. Only validated values go in: a refused ficha's emisor is
 * left out and its clave only when the clave itself obeys its rule. */
static void audit_row(strbuf *b, const store_item *it)
{
    const Pmm__Ficha *f = it->ficha;
    int aceptada = it->estado == PMM__ESTADO__ESTADO_ACEPTADA;
    int retiro = aceptada && ficha_es_retiro(f);
    const char *res = it->denied ? "denegada"
                      : retiro ? "retirada"
                      : aceptada && it->restaura ? "restaurada"
                      : aceptada ? "aceptada"
                      : it->estado == PMM__ESTADO__ESTADO_REPETIDA ? "repetida"
                                                                    : "rechazada";
    strbuf_copy_field(b, it->identidad[0] ? it->identidad : "local",
                      strlen(it->identidad[0] ? it->identidad : "local"));
    strbuf_puts(b, "\t");
    /* the emisor once validated: stored, repeated, in conflict or denied */
    strbuf_copy_field(b, it->predecided && !it->denied ? NULL : it->emisor,
                      strlen(it->emisor));
    if (f->has_ejercicio && f->ejercicio >= 0 && f->ejercicio < 100000)
        strbuf_printf(b, "\t%lld\t", (long long)f->ejercicio);
    else
        strbuf_puts(b, "\t\\N\t");
    int clave_ok = ficha_clave_ok(f);
    strbuf_copy_field(b, clave_ok ? (const char *)f->clave.data : NULL,
                      clave_ok ? f->clave.len : 0);
    strbuf_printf(b, "\t%s\t", res);
    int refused = it->estado == PMM__ESTADO__ESTADO_RECHAZADA;
    strbuf_copy_field(b, refused ? it->err.campo : NULL, strlen(it->err.campo));
    strbuf_puts(b, "\t");
    strbuf_copy_field(b, refused ? it->err.regla : NULL, strlen(it->err.regla));
    if (!refused && it->id > 0)
        strbuf_printf(b, "\t%lld\t", (long long)it->id);
    else
        strbuf_puts(b, "\t\\N\t");
    /* why: the reason of a withdrawal stored now */
    strbuf_copy_field(b, retiro ? (const char *)f->motivo_retiro.data : NULL,
                      retiro ? f->motivo_retiro.len : 0);
    strbuf_puts(b, "\n");
}

/* Preallocates n ids from the sequence (so receipts can carry them). */
static int take_ids(PGconn *conn, store_item **fresh, size_t n, pmm_error *err)
{
    char count[32];
    snprintf(count, sizeof count, "%zu", n);
    const char *params[] = {count};
    PGresult *res = PQexecParams(
        conn, "SELECT nextval('fichas_id_seq') FROM generate_series(1, $1::int)",
        1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK || (size_t)PQntuples(res) != n) {
        db_error(conn, res, "no se pudieron reservar identificadores", err);
        PQclear(res);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        fresh[i]->id = strtoll(PQgetvalue(res, (int)i, 0), NULL, 10);
    PQclear(res);
    return 0;
}

static int store_in_tx(PGconn *conn, store_item *items, size_t n,
                       idem_current *cur, store_item **fresh, pmm_error *err)
{
    char now_text[64];
    int64_t now_us;
    PGresult *res = PQexec(conn,
                           "SELECT now()::text,"
                           " (extract(epoch FROM now()) * 1000000)::bigint");
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(conn, res, "no se pudo leer la hora del servidor", err);
        PQclear(res);
        return -1;
    }
    snprintf(now_text, sizeof now_text, "%s", PQgetvalue(res, 0, 0));
    now_us = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
    PQclear(res);

    if (check_keys(conn, items, n, err) != 0)
        return -1;
    if (load_current(conn, items, n, cur, err) != 0)
        return -1;

    /* Decide in batch order; a later item with the same key sees the
     * version an earlier item of this batch creates. */
    size_t nfresh = 0;
    for (size_t i = 0; i < n; i++) {
        store_item *it = &items[i];
        if (it->predecided)
            continue;
        idem_current c = cur[i];
        for (size_t j = i; j-- > 0;)
            if (items[j].estado == PMM__ESTADO__ESTADO_ACEPTADA &&
                same_key(&items[j], it)) {
                c.exists = true;
                c.id = j;   /* index until ids are taken; fixed below */
                c.version = items[j].version;
                memcpy(c.hash, items[j].hash, 32);
                c.retirada = ficha_es_retiro(items[j].ficha);
                break;
            }
        pmm_error_clear(&it->err);
        int64_t v = 0;
        bool retiro = ficha_es_retiro(it->ficha);
        idem_decision d = idem_decide(&c, it->hash, it->ficha->has_reemplaza,
                                      it->ficha->reemplaza, retiro, &v, &it->err);
        it->id = 0;
        if (d == IDEM_NEW) {
            it->estado = PMM__ESTADO__ESTADO_ACEPTADA;
            it->restaura = c.exists && c.retirada && !retiro;
            it->version = v;
            it->stored_us = now_us;
            fresh[nfresh++] = it;
        } else if (d == IDEM_REPEAT) {
            it->estado = PMM__ESTADO__ESTADO_REPETIDA;
            it->version = c.version;
            /* an in-batch original gets its id once ids are taken */
            it->id = cur[i].exists && cur[i].version == c.version ? c.id
                                                                   : -1 - (int64_t)c.id;
            it->stored_us = cur[i].exists && cur[i].version == c.version
                                ? c.stored_us : now_us;
        } else {
            it->estado = PMM__ESTADO__ESTADO_RECHAZADA;
        }
    }
    if (nfresh && take_ids(conn, fresh, nfresh, err) != 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (items[i].estado == PMM__ESTADO__ESTADO_REPETIDA && items[i].id < 0)
            items[i].id = items[-1 - items[i].id].id;

    strbuf rows, contacts, queue, audit, retiros;
    strbuf_init(&rows);
    strbuf_init(&contacts);
    strbuf_init(&queue);
    strbuf_init(&audit);
    strbuf_init(&retiros);
    for (size_t i = 0; i < n; i++)
        audit_row(&audit, &items[i]);
    size_t ncontacts = 0, nqueue = 0, nretiros = 0;
    strbuf_puts(&retiros, "{");
    for (size_t i = 0; i < nfresh; i++) {
        copy_row(&rows, fresh[i], now_text);
        /* a withdrawal goes straight to aggregation: nothing to classify */
        if (ficha_es_retiro(fresh[i]->ficha)) {
            strbuf_printf(&retiros, "%s%lld", nretiros++ ? "," : "", (long long)fresh[i]->id);
        } else {
            strbuf_printf(&queue, "%lld\n", (long long)fresh[i]->id);
            nqueue++;
        }
        if (fresh[i]->ficha->contacto) {
            copy_contact_row(&contacts, fresh[i]);
            ncontacts++;
        }
    }
    strbuf_puts(&retiros, "}");
    int rc;
    if (strbuf_failed(&rows) || strbuf_failed(&contacts) || strbuf_failed(&queue) ||
        strbuf_failed(&audit) || strbuf_failed(&retiros))
        rc = pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "memoria",
                           "sin memoria");
    else if (nfresh == 0)
        rc = 0;
    else
        rc = db_copy_in(conn,
                        "COPY fichas (id, emisor, ejercicio, clave, version, hash,"
                        " recibida, ambito, dependencia, entidad, unidad, programa,"
                        " objetivo_pmm, objetivo, poblacion_objetivo, inicio,"
                        " temporalidad, fin, acciones, personas, mujeres, hombres,"
                        " zona, resultados_texto, retos, retirada, motivo_retiro)"
                        " FROM STDIN",
                        rows.data, rows.len, err);
    if (rc == 0 && ncontacts)
        rc = db_copy_in(conn,
                        "COPY contactos (ficha_id, nombre, cargo, telefono, correo)"
                        " FROM STDIN",
                        contacts.data, contacts.len, err);
    /* the classifiers' work queue, in the same transaction */
    if (rc == 0 && nqueue)
        rc = db_copy_in(conn, "COPY cola_clasificar (ficha_id) FROM STDIN",
                        queue.data, queue.len, err);
    if (rc == 0 && nretiros) {
        const char *params[] = {retiros.data};
        res = PQexecParams(conn, "SELECT pmm_encolar_agregacion($1::bigint[])", 1, NULL,
                           params, NULL, NULL, 0);
        if (PQresultStatus(res) != PGRES_TUPLES_OK)
            rc = db_error(conn, res, "no se pudieron encolar los retiros", err);
        PQclear(res);
    }
    if (rc == 0)
        rc = db_copy_in(conn,
                        "COPY auditoria (identidad, emisor, ejercicio, clave, resultado,"
                        " campo, regla, ficha_id, motivo) FROM STDIN",
                        audit.data, audit.len, err);
    strbuf_free(&rows);
    strbuf_free(&contacts);
    strbuf_free(&queue);
    strbuf_free(&audit);
    strbuf_free(&retiros);
    return rc;
}

int store_batch(PGconn *conn, store_item *items, size_t n, pmm_error *err)
{
    if (n == 0)
        return 0;
    idem_current *cur = calloc(n, sizeof *cur);
    store_item **fresh = calloc(n, sizeof *fresh);
    int rc = -1;
    if (!cur || !fresh) {
        pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "memoria",
                      "sin memoria");
        goto out;
    }
    if (db_exec(conn, "BEGIN", err) != 0)
        goto out;
    if (store_in_tx(conn, items, n, cur, fresh, err) != 0) {
        pmm_error ignored;
        db_exec(conn, "ROLLBACK", &ignored);
        goto out;
    }
    /* The receipt promise: nothing is acknowledged before this returns. */
    rc = db_exec(conn, "COMMIT", err);
out:
    /* undecided again, for the retry; a ficha refused before storing stays
     * refused (its receipt must still say why) */
    if (rc != 0)
        for (size_t i = 0; i < n; i++)
            if (!items[i].predecided)
                items[i].estado = PMM__ESTADO__ESTADO_DESCONOCIDO;
    free(cur);
    free(fresh);
    return rc;
}
