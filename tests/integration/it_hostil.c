/* Hostile and malformed input against the running stack.
 *
 * JSON level: a file of bad fichas through `pmm enviar --json`, each line
 * refused with its field, rule and line. Wire level: raw frames on a DEALER
 * to ingestd's endpoint, each answered with its specific error (an ERROR
 * envelope for a bad frame, a RECHAZADA receipt for a bad ficha) or, for an
 * oversize frame, a disconnect after which the collector still answers.
 * After every case the fichas and contactos tables are unchanged (row count
 * and a digest of every row), so a refused input changed nothing; a witness
 * ficha stored first keeps its row byte for byte. SQL metacharacters in
 * free text are stored and read back byte for byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <jansson.h>
#include <zmq.h>

#include "ficha.h"
#include "itlib.h"
#include "strbuf.h"
#include "wire.h"

#define ERR_INVALID PMM__ERROR_CODE__ERR_INVALID
#define ERR_MALFORMED PMM__ERROR_CODE__ERR_MALFORMED
#define ERR_VERSION PMM__ERROR_CODE__ERR_VERSION
#define ERR_TYPE PMM__ERROR_CODE__ERR_TYPE
#define ERR_CONFLICT PMM__ERROR_CODE__ERR_CONFLICT
#define REPLY_MS 5000

static it_env env;
static char prefix[64];
static void *zctx;
static int cases;            /* distinct bad inputs checked */
static char witness_clave[80];
static char *witness_row;    /* the witness row as text, before any case */

/* ------------------------------------------------------------ database */

static char *query_text(const char *sql, const char *param)
{
    const char *params[] = {param};
    PGresult *res = PQexecParams(env.db, sql, param ? 1 : 0, NULL, params, NULL,
                                 NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1)
        fail_msg("consulta fallida: %s: %s", sql, PQerrorMessage(env.db));
    char *v = strdup(PQgetisnull(res, 0, 0) ? "" : PQgetvalue(res, 0, 0));
    PQclear(res);
    return v;
}

/* Every row of the tables a submission writes, as one digest (not
 * cola_clasificar: the classifier workers drain it meanwhile). */
static char *tables_digest(void)
{
    return query_text(
        "SELECT (SELECT count(*) || ':' || coalesce(md5(string_agg(md5(f::text),"
        " ',' ORDER BY f.id)), '') FROM fichas f) || '/' ||"
        " (SELECT count(*) || ':' || coalesce(md5(string_agg(md5(c::text),"
        " ',' ORDER BY c.ficha_id)), '') FROM contactos c)",
        NULL);
}

static char *witness_text(void)
{
    return query_text("SELECT string_agg(f::text, '|' ORDER BY version)"
                      " FROM fichas f WHERE clave = $1", witness_clave);
}

/* Brackets every case: nothing may change between the two. */
static char *digest_before;

static void case_begin(void)
{
    free(digest_before);
    digest_before = tables_digest();
}

static void case_end(const char *what)
{
    char *after = tables_digest();
    if (strcmp(after, digest_before) != 0)
        fail_msg("%s: las tablas cambiaron (%s -> %s)", what, digest_before, after);
    free(after);
    char *w = witness_text();
    if (strcmp(w, witness_row) != 0)
        fail_msg("%s: la ficha testigo cambió", what);
    free(w);
    cases++;
}

/* ------------------------------------------------------------ sockets */

static void *dealer_open(void)
{
    pmm_error err;
    void *s = wire_socket_new(zctx, ZMQ_DEALER, &err);
    if (!s)
        fail_msg("socket: %s", err.mensaje);
    int timeout = REPLY_MS;
    zmq_setsockopt(s, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    assert_int_equal(zmq_connect(s, env.endpoint), 0);
    return s;
}

/* Sends one frame (more: another frame follows) without blocking forever. */
static void send_frame(void *s, const void *buf, size_t len, int more)
{
    int timeout = REPLY_MS;
    zmq_setsockopt(s, ZMQ_SNDTIMEO, &timeout, sizeof timeout);
    if (zmq_send(s, buf, len, more ? ZMQ_SNDMORE : 0) < 0)
        fail_msg("envío fallido: %s", zmq_strerror(errno));
}

/* The next reply, or NULL after REPLY_MS. */
static Pmm__Envelope *recv_reply(void *s)
{
    zmq_msg_t msg;
    zmq_msg_init(&msg);
    if (zmq_msg_recv(&msg, s, 0) < 0) {
        zmq_msg_close(&msg);
        return NULL;
    }
    pmm_error err;
    Pmm__Envelope *env_ = wire_decode(zmq_msg_data(&msg), zmq_msg_size(&msg), &err);
    zmq_msg_close(&msg);
    if (!env_)
        fail_msg("respuesta del colector indescifrable: %s", err.mensaje);
    return env_;
}

static uint8_t *pack_env(const Pmm__Envelope *e, size_t *n)
{
    *n = pmm__envelope__get_packed_size(e);
    uint8_t *buf = malloc(*n ? *n : 1);
    pmm__envelope__pack(e, buf);
    return buf;
}

static uint8_t *pack_submit(const Pmm__Ficha *f, size_t *n)
{
    static const uint8_t rid[12] = {9, 9, 9, 9, 1, 2, 3, 4, 5, 6, 7, 8};
    Pmm__Envelope e;
    Pmm__SubmitRequest s;
    pmm__submit_request__init(&s);
    s.ficha = (Pmm__Ficha *)f;
    wire_envelope_init(&e, PMM__MSG_TYPE__MSG_SUBMIT, rid, sizeof rid);
    e.body_case = PMM__ENVELOPE__BODY_SUBMIT;
    e.submit = &s;
    return pack_env(&e, n);
}

static uint8_t *pack_ping(size_t *n)
{
    Pmm__Envelope e;
    Pmm__Ping p;
    pmm__ping__init(&p);
    wire_envelope_init(&e, PMM__MSG_TYPE__MSG_PING, (const uint8_t *)"ping", 4);
    e.body_case = PMM__ENVELOPE__BODY_PING;
    e.ping = &p;
    return pack_env(&e, n);
}

static void expect_pong(void *s, const char *what)
{
    size_t n;
    uint8_t *buf = pack_ping(&n);
    send_frame(s, buf, n, 0);
    free(buf);
    Pmm__Envelope *r = recv_reply(s);
    if (!r)
        fail_msg("%s: el colector no respondió al PING", what);
    assert_int_equal(r->type, PMM__MSG_TYPE__MSG_PONG);
    assert_true(r->pong->database_ok);
    pmm__envelope__free_unpacked(r, NULL);
}

static void expect_field(const ProtobufCBinaryData *b, const char *want,
                         const char *what, const char *name)
{
    if (b->len != strlen(want) || (b->len && memcmp(b->data, want, b->len) != 0))
        fail_msg("%s: %s «%.*s», se esperaba «%s»", what, name, (int)b->len,
                 (const char *)b->data, want);
}

static void check_error_body(const Pmm__Error *e, int code, const char *campo,
                             const char *regla, const char *what)
{
    assert_non_null(e);
    if (!e->has_code || (int)e->code != code)
        fail_msg("%s: código %d, se esperaba %d", what, (int)e->code, code);
    expect_field(&e->campo, campo, what, "campo");
    expect_field(&e->regla, regla, what, "regla");
    assert_true(e->mensaje.len > 0);   /* and a message for people */
}

/* Sends frame and expects an ERROR envelope with code, campo and regla. */
static void wire_case_error(void *s, const void *buf, size_t len, int code,
                            const char *campo, const char *regla,
                            const char *what)
{
    case_begin();
    send_frame(s, buf, len, 0);
    Pmm__Envelope *r = recv_reply(s);
    if (!r)
        fail_msg("%s: sin respuesta", what);
    if (r->type != PMM__MSG_TYPE__MSG_ERROR)
        fail_msg("%s: respuesta de tipo %d, se esperaba ERROR", what, r->type);
    check_error_body(r->error, code, campo, regla, what);
    pmm__envelope__free_unpacked(r, NULL);
    case_end(what);
}

/* Submits f (taken) and expects a RECHAZADA receipt naming campo/regla. */
static void wire_case_ficha(void *s, Pmm__Ficha *f, int code, const char *campo,
                            const char *regla, const char *what)
{
    size_t n;
    uint8_t *buf = pack_submit(f, &n);
    pmm__ficha__free_unpacked(f, NULL);
    case_begin();
    send_frame(s, buf, n, 0);
    free(buf);
    Pmm__Envelope *r = recv_reply(s);
    if (!r)
        fail_msg("%s: sin respuesta", what);
    if (r->type != PMM__MSG_TYPE__MSG_RECEIPT)
        fail_msg("%s: respuesta de tipo %d, se esperaba RECEIPT", what, r->type);
    if (r->receipt->estado != PMM__ESTADO__ESTADO_RECHAZADA)
        fail_msg("%s: estado %d, se esperaba RECHAZADA", what, r->receipt->estado);
    assert_false(r->receipt->has_id);
    check_error_body(r->receipt->error, code, campo, regla, what);
    /* a clave too long to be valid is not echoed back */
    assert_true(r->receipt->clave.len <= FICHA_MAX_CLAVE);
    pmm__envelope__free_unpacked(r, NULL);
    case_end(what);
}

/* ------------------------------------------------------------ fichas */

static int serial;

/* A valid ficha with a fresh clave of this run. */
static Pmm__Ficha *good(void)
{
    return it_ficha(prefix, 100 + serial++, 0);
}

static void setb(ProtobufCBinaryData *b, protobuf_c_boolean *has, const char *s,
                 size_t n)
{
    assert_int_equal(ficha_bytes_set(b, has, s, n), 0);
}

#define SET(field, lit) setb(&f->field, &f->has_##field, lit, sizeof lit - 1)

static char *repeat(const char *unit, int times)
{
    strbuf b;
    strbuf_init(&b);
    for (int i = 0; i < times; i++)
        strbuf_puts(&b, unit);
    return b.data;
}

/* ------------------------------------------------------------ setup */

static int setup(void **state)
{
    (void)state;
    it_env_open(&env);
    snprintf(prefix, sizeof prefix, "%s-h", it_run_id());
    zctx = zmq_ctx_new();
    /* the witness: an existing ficha whose row must never change */
    Pmm__Ficha *w[1] = {it_ficha(prefix, 1, 0)};
    snprintf(witness_clave, sizeof witness_clave, "%s-%05d", prefix, 1);
    sender_result r[1];
    if (it_send(env.endpoint, w, 1, r) != 0 ||
        r[0].estado != PMM__ESTADO__ESTADO_ACEPTADA)
        fail_msg("la ficha testigo no se guardó: %s", r[0].err.mensaje);
    witness_row = witness_text();
    assert_true(strlen(witness_row) > 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(digest_before);
    free(witness_row);
    zmq_ctx_term(zctx);
    it_env_close(&env);
    return 0;
}

/* ------------------------------------------------------------ JSON level */

typedef struct {
    const char *line;        /* printf format; %s is the run prefix */
    const char *campo;
    const char *regla;
} json_case;

#define BASE_A "{\"clave\":\"%s-j\",\"ejercicio\":2022,\"ambito\":\"federal\","
#define BASE_B "\"dependencia\":\"SRE\",\"programa\":\"Programa\",\"objetivo_pmm\":5,"
#define BASE_C "\"descripcion\":{\"objetivo\":\"Orientar.\"},\"resultados\":{\"acciones\":3}"
#define BASE BASE_A BASE_B BASE_C

static const json_case json_cases[] = {
    /* the first line is a complete object: the file is JSON Lines */
    {BASE ",\"programma\":\"typo\"}", "programma", "campo_desconocido"},
    {BASE_A BASE_B "\"descripcion\":{\"objetivo\":\"x\",\"extra\":1},"
     "\"resultados\":{\"acciones\":3}}", "descripcion.extra", "campo_desconocido"},
    {"{\"clave\":\"a\",\"clave\":\"b\"}", "", "json"},
    {BASE "} basura", "", "json"},
    {BASE_A BASE_B "\"descripcion\":{\"objetivo\":\"Orientar.\"},"
     "\"resultados\":{\"acciones\":99999999999999999999999}}", "", "json"},
    {"{\"clave\": \"roto\", ", "", "json"},
    {"[" BASE "}]", "", "tipo"},
    {"\"solo un texto\"", "", "json"},
    {"{\"clave\":\"%s-j\",\"ejercicio\":2022,}", "", "json"},
    {"{\"clave\":\"%s-j\",\"ejercicio\":\"2022\"}", "ejercicio", "tipo"},
    {"{\"clave\":\"%s-j\",\"objetivo_pmm\":5.5}", "objetivo_pmm", "entero"},
    {"{\"clave\":\"%s-j\",\"objetivo_pmm\":1e3}", "objetivo_pmm", "entero"},
    {"{\"clave\":\"%s-j\",\"objetivo_pmm\":true}", "objetivo_pmm", "tipo"},
    {"{\"clave\":\"%s-j\",\"descripcion\":{\"objetivo\":{\"a\":1}}}",
     "descripcion.objetivo", "tipo"},
    {"{\"clave\":\"%s-j\",\"resultados\":[1,2]}", "resultados", "tipo"},
    {"{\"clave\":\"%s-j\",\"contacto\":{\"nombre\":[\"x\"]}}", "contacto.nombre",
     "tipo"},
    {BASE_A "\"dependencia\":\"SRE\",\"programa\":\"Pro\\u0000grama\","
     "\"objetivo_pmm\":5," BASE_C "}", "programa", "caracter_control"},
    {BASE ",\"retos\":\"campana \\u0007\"}", "retos", "caracter_control"},
    {BASE ",\"retos\":\"escape \\u001b[31m rojo\"}", "retos", "caracter_control"},
    {BASE ",\"retos\":\"C1 \\u0085 control\"}", "retos", "caracter_control"},
    {BASE ",\"unidad\":\"dos\\nlíneas\"}", "unidad", "una_linea"},
    {BASE ",\"unidad\":\" \\t \"}", "unidad", "vacio"},
    {"{\"clave\":\"%s j\",\"ejercicio\":2022}", "clave", "formato"},
    {"{\"clave\":\"x'; DROP TABLE fichas; --\",\"ejercicio\":2022}", "clave",
     "formato"},
    {"{\"clave\":\"%s-ñ\",\"ejercicio\":2022}", "clave", "formato"},
    {"{\"ejercicio\":2022}", "clave", "requerido"},
    {"{\"clave\":null,\"ejercicio\":2022}", "clave", "requerido"},
    {"{\"clave\":\"%s-j\",\"ejercicio\":2017}", "ejercicio", "rango"},
    {"{\"clave\":\"%s-j\",\"ejercicio\":-9223372036854775808}", "ejercicio",
     "rango"},
    {"{\"clave\":\"%s-j\",\"ejercicio\":2022,\"ambito\":\"municipal\"}", "ambito",
     "valor"},
    {"{\"clave\":\"%s-j\",\"ejercicio\":2022,\"ambito\":\"federal\","
     "\"dependencia\":\"NOEXISTE\"}", "dependencia", "desconocida"},
    {"{\"clave\":\"%s-j\",\"ejercicio\":2022,\"ambito\":\"estatal\","
     "\"entidad\":\"33\"}", "entidad", "desconocida"},
    {"{\"clave\":\"%s-j\",\"ejercicio\":2022,\"ambito\":\"estatal\"}", "entidad",
     "requerido"},
    {BASE_A "\"dependencia\":\"SRE\",\"programa\":\"Programa\",\"objetivo_pmm\":24,"
     BASE_C "}", "objetivo_pmm", "rango"},
    {BASE_A BASE_B "\"descripcion\":{\"objetivo\":\"Orientar.\"},"
     "\"resultados\":{\"personas\":-1}}", "resultados.personas", "no_negativo"},
    {BASE_A BASE_B "\"descripcion\":{\"objetivo\":\"Orientar.\"},"
     "\"resultados\":{\"acciones\":9223372036854775807}}", "resultados.acciones",
     "rango"},
    {BASE_A BASE_B "\"descripcion\":{\"objetivo\":\"Orientar.\"},"
     "\"resultados\":{\"personas\":10,\"mujeres\":6,\"hombres\":5}}",
     "resultados.mujeres", "suma_sexo"},
    {BASE_A BASE_B "\"descripcion\":{\"objetivo\":\"Orientar.\","
     "\"inicio\":\"2021-02-29\"},\"resultados\":{\"acciones\":3}}",
     "descripcion.inicio", "fecha"},
    {BASE_A BASE_B "\"descripcion\":{\"objetivo\":\"Orientar.\","
     "\"inicio\":\"2022-05\",\"fin\":\"2022-04-30\"},\"resultados\":{\"acciones\":3}}",
     "descripcion.fin", "orden_fechas"},
    {BASE_A BASE_B "\"descripcion\":{\"objetivo\":\"Orientar.\","
     "\"temporalidad\":\"siempre\"},\"resultados\":{\"acciones\":3}}",
     "descripcion.temporalidad", "valor"},
    {BASE ",\"contacto\":{\"correo\":\"sin-arroba\"}}", "contacto.correo",
     "formato"},
    {BASE ",\"reemplaza\":0}", "reemplaza", "rango"},
    {BASE_A BASE_B "\"descripcion\":{\"objetivo\":\"Orientar.\"}}",
     "resultados.texto", "resultados_requeridos"},
    {BASE_A BASE_B "\"resultados\":{\"acciones\":3}}", "descripcion.objetivo",
     "requerido"},
    {"{\"clave\":\"%s-j\",\"ejercicio\":2022,\"ambito\":\"federal\"}",
     "dependencia", "requerido"},
};

/* Lines whose text is built in code (too long or not valid UTF-8). */
enum { J_UTF8, J_OVERLONG, J_WORDS, J_CHARS, J_CLAVE_LARGA, J_HUGE_LINE, J_EXTRA };

static void json_level_refusals(void **state)
{
    (void)state;
    const size_t nfixed = sizeof json_cases / sizeof json_cases[0];
    char path[] = "/tmp/pmm-hostil-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    for (size_t i = 0; i < nfixed; i++) {
        fprintf(f, json_cases[i].line, prefix);
        fputc('\n', f);
    }
    /* J_UTF8: a lone continuation byte and a truncated sequence */
    fprintf(f, BASE_A "\"dependencia\":\"SRE\",\"programa\":\"Pro\x80gr\xc3\","
               "\"objetivo_pmm\":5," BASE_C "}\n", prefix);
    /* J_OVERLONG: "/" encoded in two bytes, a UTF-16 surrogate */
    fprintf(f, BASE ",\"retos\":\"\xc0\xaf \xed\xa0\x80\"}\n", prefix);
    char *words = repeat("palabra ", 181);
    fprintf(f, BASE ",\"retos\":\"%s\"}\n", prefix, words);
    free(words);
    char *chars = repeat("ñ", 301);
    fprintf(f, BASE ",\"unidad\":\"%s\"}\n", prefix, chars);
    free(chars);
    char *clave = repeat("k", 65);
    fprintf(f, "{\"clave\":\"%s\",\"ejercicio\":2022}\n", clave);
    free(clave);
    char *huge = repeat("relleno ", 40000);   /* 320 KB > 256 KiB */
    fprintf(f, BASE ",\"retos\":\"%s\"}\n", prefix, huge);
    free(huge);
    fclose(f);
    static const struct {
        const char *campo, *regla;
    } built[J_EXTRA] = {
        /* the field around the bad byte is named (issue 23) */
        [J_UTF8] = {"programa", "utf8"},
        [J_OVERLONG] = {"retos", "utf8"},
        [J_WORDS] = {"retos", "max_palabras"},
        [J_CHARS] = {"unidad", "max_caracteres"},
        [J_CLAVE_LARGA] = {"clave", "max_caracteres"},
        [J_HUGE_LINE] = {"", "max_tamano"},
    };
    const size_t total = nfixed + J_EXTRA;

    case_begin();
    char cmd[512], *out = NULL;
    snprintf(cmd, sizeof cmd, "\"%s/pmm\" enviar --json %s 2>/dev/null",
             getenv("PMM_BIN"), path);
    int rc = it_run(cmd, &out);
    unlink(path);
    assert_int_equal(rc, 1);   /* refusals */
    size_t seen = 0;
    char *save = NULL;
    for (char *l = strtok_r(out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        json_error_t jerr;
        json_t *j = json_loads(l, 0, &jerr);
        if (!j)
            fail_msg("salida no JSON: %s", l);
        size_t line = (size_t)json_integer_value(json_object_get(j, "linea"));
        if (line != seen + 1)
            fail_msg("línea %zu fuera de orden (se esperaba %zu)", line, seen + 1);
        const char *estado = json_string_value(json_object_get(j, "estado"));
        json_t *e = json_object_get(j, "error");
        const char *campo = json_string_value(json_object_get(e, "campo"));
        const char *regla = json_string_value(json_object_get(e, "regla"));
        const char *mensaje = json_string_value(json_object_get(e, "mensaje"));
        const char *want_campo, *want_regla;
        if (seen < nfixed) {
            want_campo = json_cases[seen].campo;
            want_regla = json_cases[seen].regla;
        } else {
            want_campo = built[seen - nfixed].campo;
            want_regla = built[seen - nfixed].regla;
        }
        if (!estado || strcmp(estado, "rechazada") != 0 || !campo || !regla ||
            !mensaje || !*mensaje || strcmp(campo, want_campo) != 0 ||
            strcmp(regla, want_regla) != 0)
            fail_msg("línea %zu: %s, se esperaba rechazada campo «%s» regla «%s»",
                     line, l, want_campo, want_regla);
        json_decref(j);
        seen++;
        cases++;
    }
    free(out);
    assert_int_equal(seen, total);
    cases--;   /* case_end counts one more */
    case_end("JSON");
}

/* ------------------------------------------------------------ wire: frames */

static void wire_frame_refusals(void **state)
{
    (void)state;
    void *s = dealer_open();
    size_t n;

    static const uint8_t garbage[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                      0xff, 0xff, 0xff, 0xff, 0xff};
    wire_case_error(s, garbage, sizeof garbage, ERR_MALFORMED, "", "protobuf",
                    "bytes sin sentido");

    /* random bytes: whatever they decode to, a coded error and no change */
    srand(12345);
    for (int k = 0; k < 20; k++) {
        uint8_t rnd[200];
        size_t len = 1 + (size_t)rand() % sizeof rnd;
        for (size_t i = 0; i < len; i++)
            rnd[i] = (uint8_t)rand();
        case_begin();
        send_frame(s, rnd, len, 0);
        Pmm__Envelope *r = recv_reply(s);
        if (!r)
            fail_msg("bytes aleatorios %d: sin respuesta", k);
        assert_int_equal(r->type, PMM__MSG_TYPE__MSG_ERROR);
        assert_true(r->error->code == ERR_MALFORMED ||
                    r->error->code == ERR_VERSION || r->error->code == ERR_TYPE);
        pmm__envelope__free_unpacked(r, NULL);
        case_end("bytes aleatorios");
        cases--;   /* one case for all of them */
    }
    cases++;

    Pmm__Ficha *f = good();
    uint8_t *sub = pack_submit(f, &n);
    pmm__ficha__free_unpacked(f, NULL);
    wire_case_error(s, sub, n / 2, ERR_MALFORMED, "", "protobuf",
                    "protobuf truncado");
    wire_case_error(s, sub, n - 1, ERR_MALFORMED, "", "protobuf",
                    "protobuf sin el último byte");

    /* a second frame after a valid SUBMIT: refused whole, not stored */
    case_begin();
    send_frame(s, sub, n, 1);
    send_frame(s, "extra", 5, 0);
    Pmm__Envelope *r = recv_reply(s);
    assert_non_null(r);
    assert_int_equal(r->type, PMM__MSG_TYPE__MSG_ERROR);
    check_error_body(r->error, ERR_MALFORMED, "", "trama", "varias tramas");
    pmm__envelope__free_unpacked(r, NULL);
    case_end("varias tramas");

    /* an empty frame is an envelope without a version */
    wire_case_error(s, "", 0, ERR_VERSION, "version", "version", "trama vacía");

    Pmm__Envelope e;
    Pmm__SubmitRequest sr;
    Pmm__Ping ping;
    pmm__ping__init(&ping);
    pmm__submit_request__init(&sr);
    sr.ficha = good();
    uint8_t *buf;

#define ENV_CASE(code, campo, regla, what)                                    \
    do {                                                                      \
        buf = pack_env(&e, &n);                                               \
        wire_case_error(s, buf, n, code, campo, regla, what);                \
        free(buf);                                                            \
    } while (0)

    wire_envelope_init(&e, PMM__MSG_TYPE__MSG_SUBMIT, (const uint8_t *)"r", 1);
    e.body_case = PMM__ENVELOPE__BODY_SUBMIT;
    e.submit = &sr;
    e.version = 2;
    ENV_CASE(ERR_VERSION, "version", "version", "versión 2");
    e.version = 0xffffffffu;
    ENV_CASE(ERR_VERSION, "version", "version", "versión enorme");
    e.has_version = 0;
    ENV_CASE(ERR_VERSION, "version", "version", "sin versión");
    e.has_version = 1;
    e.version = 1;

    e.type = (Pmm__MsgType)99;
    ENV_CASE(ERR_TYPE, "type", "tipo_mensaje", "tipo desconocido 99");
    e.type = (Pmm__MsgType)-1;
    ENV_CASE(ERR_TYPE, "type", "tipo_mensaje", "tipo negativo");
    e.has_type = 0;
    ENV_CASE(ERR_TYPE, "type", "tipo_mensaje", "sin tipo");
    e.has_type = 1;
    e.type = PMM__MSG_TYPE__MSG_PING;   /* a PING carrying a SUBMIT body */
    ENV_CASE(ERR_TYPE, "type", "tipo_mensaje", "PING con cuerpo SUBMIT");
    e.type = PMM__MSG_TYPE__MSG_SUBMIT;
    e.body_case = PMM__ENVELOPE__BODY_PING;
    e.ping = &ping;
    ENV_CASE(ERR_TYPE, "type", "tipo_mensaje", "SUBMIT con cuerpo PING");
    e.body_case = PMM__ENVELOPE__BODY__NOT_SET;
    ENV_CASE(ERR_TYPE, "type", "tipo_mensaje", "SUBMIT sin cuerpo");
    Pmm__Ficha *keep = sr.ficha;
    pmm__submit_request__init(&sr);
    e.body_case = PMM__ENVELOPE__BODY_SUBMIT;
    e.submit = &sr;   /* ingestd: a SUBMIT needs its ficha */
    ENV_CASE(ERR_TYPE, "type", "tipo_mensaje", "SUBMIT sin ficha");

    Pmm__Receipt rc;
    pmm__receipt__init(&rc);
    wire_envelope_init(&e, PMM__MSG_TYPE__MSG_RECEIPT, NULL, 0);
    e.body_case = PMM__ENVELOPE__BODY_RECEIPT;
    e.receipt = &rc;
    ENV_CASE(ERR_TYPE, "type", "tipo_mensaje", "RECEIPT al colector");
    Pmm__Control ctl;
    pmm__control__init(&ctl);
    wire_envelope_init(&e, PMM__MSG_TYPE__MSG_CONTROL, NULL, 0);
    e.body_case = PMM__ENVELOPE__BODY_CONTROL;
    e.control = &ctl;
    ENV_CASE(ERR_TYPE, "type", "tipo_mensaje", "CONTROL al colector");

    /* a request_id that would make the reply too big to send */
    static uint8_t big_rid[1000];
    memset(big_rid, 'r', sizeof big_rid);
    wire_envelope_init(&e, PMM__MSG_TYPE__MSG_PING, big_rid, sizeof big_rid);
    e.body_case = PMM__ENVELOPE__BODY_PING;
    e.ping = &ping;
    ENV_CASE(ERR_MALFORMED, "request_id", "max_tamano", "request_id de 1000 bytes");

    /* a known field with the wrong wire type: version as bytes */
    static const uint8_t wrong_wt[] = {0x0a, 0x01, 0x01, 0x10, 0x04, 0x6a, 0x00};
    wire_case_error(s, wrong_wt, sizeof wrong_wt, ERR_MALFORMED, "", "protobuf",
                    "tipo de cable equivocado");
    /* a length prefix beyond the end of the frame */
    static const uint8_t long_len[] = {0x08, 0x01, 0x10, 0x01, 0x52, 0xff, 0xff,
                                       0x03, 0x0a};
    wire_case_error(s, long_len, sizeof long_len, ERR_MALFORMED, "", "protobuf",
                    "longitud más allá del final");

    /* the collector still answers on the same socket */
    expect_pong(s, "tras las tramas malas");
    pmm__ficha__free_unpacked(keep, NULL);
    free(sub);
    zmq_close(s);
}

/* A frame over ZMQ_MAXMSGSIZE: libzmq drops the connection. */
static void wire_oversize_frame_disconnects(void **state)
{
    (void)state;
    void *s = dealer_open();
    expect_pong(s, "antes de la trama enorme");
    size_t big = WIRE_MAX_MSG + 4096;
    uint8_t *buf = malloc(big);
    memset(buf, 0x41, big);
    case_begin();
    send_frame(s, buf, big, 0);
    free(buf);
    int timeout = 1500;
    zmq_setsockopt(s, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    Pmm__Envelope *r = recv_reply(s);
    assert_null(r);   /* no reply: disconnected */
    case_end("trama de más de 64 KiB");
    /* a fresh client is served; the old socket reconnects and is too */
    void *t = dealer_open();
    expect_pong(t, "cliente nuevo tras la trama enorme");
    zmq_close(t);
    timeout = REPLY_MS;
    zmq_setsockopt(s, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    expect_pong(s, "el mismo cliente, reconectado");
    zmq_close(s);
}

/* A client that floods without reading its replies must not stall the
 * collector for everybody else. */
static void wire_unread_replies_do_not_stall(void **state)
{
    (void)state;
    void *flood = dealer_open();
    size_t n;
    uint8_t *ping = pack_ping(&n);
    /* far more replies than the pipes between us hold (2 x WIRE_HWM) */
    int sent = 0;
    for (int tries = 0; sent < 5 * WIRE_HWM && tries < 200000; tries++) {
        if (zmq_send(flood, ping, n, ZMQ_DONTWAIT) >= 0)
            sent++;
        else
            usleep(50);
    }
    free(ping);
    print_message("%d PING sin leer las respuestas\n", sent);
    assert_true(sent > 2 * WIRE_HWM);
    usleep(500000);
    void *other = dealer_open();
    expect_pong(other, "otro cliente mientras uno no lee");
    zmq_close(other);
    int zero = 0;
    zmq_setsockopt(flood, ZMQ_LINGER, &zero, sizeof zero);
    zmq_close(flood);
    cases++;
}

/* ------------------------------------------------------------ wire: fichas */

static void wire_ficha_refusals(void **state)
{
    (void)state;
    void *s = dealer_open();
    Pmm__Ficha *f;

    /* protobuf-c would cut a `string` at the NUL: these must not collide */
    f = good();
    SET(clave, "k\0a");
    wire_case_ficha(s, f, ERR_INVALID, "clave", "formato", "clave k\\0a");
    f = good();
    SET(clave, "k\0b");
    wire_case_ficha(s, f, ERR_INVALID, "clave", "formato", "clave k\\0b");
    assert_int_equal(it_query_ll(env.db, "SELECT count(*) FROM fichas WHERE"
                                 " clave LIKE 'k%'", NULL), 0);
    f = good();
    SET(clave, "");
    wire_case_ficha(s, f, ERR_INVALID, "clave", "requerido", "clave vacía");
    f = good();
    f->has_clave = 0;
    wire_case_ficha(s, f, ERR_INVALID, "clave", "requerido", "sin clave");
    f = good();
    char *longk = repeat("k", 50000);
    setb(&f->clave, &f->has_clave, longk, strlen(longk));
    free(longk);
    wire_case_ficha(s, f, ERR_INVALID, "clave", "max_caracteres", "clave de 50 KB");
    f = good();
    SET(clave, "x'); DELETE FROM fichas; --");
    wire_case_ficha(s, f, ERR_INVALID, "clave", "formato", "clave con SQL");

    f = good();
    SET(programa, "Pro\xc3\x28grama");
    wire_case_ficha(s, f, ERR_INVALID, "programa", "utf8", "UTF-8 inválido");
    f = good();
    SET(programa, "barra \xc0\xaf larga");
    wire_case_ficha(s, f, ERR_INVALID, "programa", "utf8", "UTF-8 sobrelargo");
    f = good();
    SET(programa, "sustituto \xed\xa0\x80");
    wire_case_ficha(s, f, ERR_INVALID, "programa", "utf8", "sustituto UTF-16");
    f = good();
    SET(programa, "fuera \xf4\x90\x80\x80 de rango");
    wire_case_ficha(s, f, ERR_INVALID, "programa", "utf8", "más allá de U+10FFFF");
    f = good();
    SET(retos, "truncado \xe2\x82");
    wire_case_ficha(s, f, ERR_INVALID, "retos", "utf8", "secuencia truncada");
    f = good();
    SET(retos, "nulo\0oculto");
    wire_case_ficha(s, f, ERR_INVALID, "retos", "caracter_control", "NUL en retos");
    f = good();
    SET(retos, "escape \x1b[2J");
    wire_case_ficha(s, f, ERR_INVALID, "retos", "caracter_control", "ESC en retos");
    f = good();
    SET(retos, "borrar \x7f");
    wire_case_ficha(s, f, ERR_INVALID, "retos", "caracter_control", "DEL en retos");
    f = good();
    SET(retos, "retorno\r de carro");
    wire_case_ficha(s, f, ERR_INVALID, "retos", "caracter_control", "CR en retos");
    f = good();
    SET(programa, "dos\nlíneas");
    wire_case_ficha(s, f, ERR_INVALID, "programa", "una_linea", "salto en programa");
    f = good();
    SET(programa, " \t ");
    wire_case_ficha(s, f, ERR_INVALID, "programa", "vacio", "programa en blanco");
    f = good();
    SET(ambito, "federal\0");
    wire_case_ficha(s, f, ERR_INVALID, "ambito", "valor", "ámbito con NUL");
    f = good();
    if (f->has_dependencia) {
        SET(dependencia, "SRE\0X");
        wire_case_ficha(s, f, ERR_INVALID, "dependencia", "caracter_control",
                        "dependencia con NUL");
    } else {
        pmm__ficha__free_unpacked(f, NULL);
    }
    f = good();
    SET(entidad, "07\0");
    wire_case_ficha(s, f, ERR_INVALID, "entidad", "caracter_control",
                    "entidad con NUL");

    f = good();
    f->resultados->personas = -1;
    wire_case_ficha(s, f, ERR_INVALID, "resultados.personas", "no_negativo",
                    "personas negativas");
    f = good();
    f->resultados->acciones = INT64_MIN;
    wire_case_ficha(s, f, ERR_INVALID, "resultados.acciones", "no_negativo",
                    "acciones INT64_MIN");
    f = good();
    f->resultados->personas = INT64_MAX;
    wire_case_ficha(s, f, ERR_INVALID, "resultados.personas", "rango",
                    "personas INT64_MAX");
    f = good();
    f->resultados->has_mujeres = f->resultados->has_hombres = 1;
    f->resultados->personas = f->resultados->mujeres = f->resultados->hombres =
        FICHA_MAX_CONTEO;
    wire_case_ficha(s, f, ERR_INVALID, "resultados.mujeres", "suma_sexo",
                    "suma por sexo en el límite");
    f = good();
    f->ejercicio = INT64_MIN;
    wire_case_ficha(s, f, ERR_INVALID, "ejercicio", "rango", "ejercicio INT64_MIN");
    f = good();
    f->ejercicio = 4294969318LL;   /* 2022 + 2^32: must not wrap to 2022 */
    wire_case_ficha(s, f, ERR_INVALID, "ejercicio", "rango", "ejercicio 2^32+2022");
    f = good();
    f->objetivo_pmm = 4294967301LL;   /* 5 + 2^32 */
    wire_case_ficha(s, f, ERR_INVALID, "objetivo_pmm", "rango",
                    "objetivo 2^32+5");
    f = good();
    f->has_reemplaza = 1;
    f->reemplaza = -3;
    wire_case_ficha(s, f, ERR_INVALID, "reemplaza", "rango", "reemplaza negativo");

    f = good();
    char *words = repeat("palabra ", 181);
    setb(&f->descripcion->objetivo, &f->descripcion->has_objetivo, words,
         strlen(words));
    free(words);
    wire_case_ficha(s, f, ERR_INVALID, "descripcion.objetivo", "max_palabras",
                    "181 palabras");
    f = good();
    char *chars = repeat("é", 301);
    setb(&f->unidad, &f->has_unidad, chars, strlen(chars));
    free(chars);
    wire_case_ficha(s, f, ERR_INVALID, "unidad", "max_caracteres", "301 caracteres");
    f = good();
    pmm__descripcion__free_unpacked(f->descripcion, NULL);
    f->descripcion = NULL;
    wire_case_ficha(s, f, ERR_INVALID, "descripcion.objetivo", "requerido",
                    "sin descripción");
    f = good();
    pmm__resultados__free_unpacked(f->resultados, NULL);
    f->resultados = NULL;
    wire_case_ficha(s, f, ERR_INVALID, "resultados.texto", "resultados_requeridos",
                    "sin resultados");
    f = good();
    setb(&f->descripcion->inicio, &f->descripcion->has_inicio, "２０２１",
         strlen("２０２１"));   /* full-width digits */
    wire_case_ficha(s, f, ERR_INVALID, "descripcion.inicio", "fecha",
                    "fecha con dígitos de ancho completo");
    f = good();
    setb(&f->contacto->correo, &f->contacto->has_correo, "nadie", 5);
    wire_case_ficha(s, f, ERR_INVALID, "contacto.correo", "formato",
                    "correo sin arroba");

    /* the witness' clave with other content and no reemplaza: a conflict */
    f = it_ficha(prefix, 1, 7);
    wire_case_ficha(s, f, ERR_CONFLICT, "clave", "conflicto",
                    "otra ficha con la clave testigo");
    f = it_ficha(prefix, 1, 7);
    f->has_reemplaza = 1;
    f->reemplaza = 5;
    wire_case_ficha(s, f, ERR_CONFLICT, "reemplaza", "version_vigente",
                    "reemplaza una versión que no es la vigente");

    expect_pong(s, "tras las fichas malas");
    zmq_close(s);
}

/* ------------------------------------------------------------ SQL text */

static void sql_metacharacters_round_trip(void **state)
{
    (void)state;
    static const char *meta =
        "O'Brien \"citado\" \\barra\\ ; -- comentario /* bloque */ $$ dólar $$ "
        "$1 %s %n \\x00 E'\\n' ); DROP TABLE fichas; -- \t tab";
    Pmm__Ficha *f = good();
    char clave[80];
    snprintf(clave, sizeof clave, "%.*s", (int)f->clave.len,
             (const char *)f->clave.data);
    setb(&f->programa, &f->has_programa, meta, strlen(meta));
    setb(&f->retos, &f->has_retos, meta, strlen(meta));
    setb(&f->resultados->texto, &f->resultados->has_texto, meta, strlen(meta));
    setb(&f->descripcion->objetivo, &f->descripcion->has_objetivo, meta,
         strlen(meta));
    setb(&f->contacto->nombre, &f->contacto->has_nombre, meta, strlen(meta));
    Pmm__Ficha *fs[1] = {f};
    sender_result r[1];
    assert_int_equal(it_send(env.endpoint, fs, 1, r), 0);
    if (r[0].estado != PMM__ESTADO__ESTADO_ACEPTADA)
        fail_msg("no aceptada: %s", r[0].err.mensaje);
    const char *params[] = {clave};
    PGresult *res = PQexecParams(
        env.db,
        "SELECT f.programa, f.retos, f.resultados_texto, f.objetivo, c.nombre"
        "  FROM fichas f JOIN contactos c ON c.ficha_id = f.id WHERE f.clave = $1",
        1, NULL, params, NULL, NULL, 0);
    assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
    assert_int_equal(PQntuples(res), 1);
    for (int c = 0; c < 5; c++)
        assert_string_equal(PQgetvalue(res, 0, c), meta);
    PQclear(res);
    /* and the tables are all still there */
    assert_true(it_query_ll(env.db, "SELECT count(*) FROM fichas", NULL) > 0);
    /* the same through `pmm enviar`: JSON escapes, then the wire */
    char path[] = "/tmp/pmm-hostil-sql-XXXXXX";
    int fd = mkstemp(path);
    FILE *out = fdopen(fd, "w");
    json_t *j = json_pack("{s:s+, s:i, s:s, s:s, s:s, s:i, s:{s:s}, s:{s:i}, s:s}",
                          "clave", prefix, "-sqljson", "ejercicio", 2022,
                          "ambito", "federal", "dependencia", "SRE",
                          "programa", "Programa", "objetivo_pmm", 5,
                          "descripcion", "objetivo", "Orientar.",
                          "resultados", "acciones", 1, "retos", meta);
    assert_non_null(j);
    json_dumpf(j, out, JSON_COMPACT);
    json_decref(j);
    fputc('\n', out);
    fclose(out);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "\"%s/pmm\" enviar --json %s >/dev/null 2>&1",
             getenv("PMM_BIN"), path);
    assert_int_equal(it_run(cmd, NULL), 0);
    unlink(path);
    char key[96];
    snprintf(key, sizeof key, "%s-sqljson", prefix);
    params[0] = key;
    res = PQexecParams(env.db, "SELECT retos FROM fichas WHERE clave = $1", 1, NULL,
                       params, NULL, NULL, 0);
    assert_int_equal(PQntuples(res), 1);
    assert_string_equal(PQgetvalue(res, 0, 0), meta);
    PQclear(res);
}

/* aggregd's control socket decodes with the same code: it carries on too. */
static void aggregd_carries_on(void **state)
{
    (void)state;
    /* deploy/stack.sh always configures it: its absence is a broken stack */
    const char *ep = conf_str(env.conf, "aggregd", "endpoint");
    if (!ep || !*ep)
        fail_msg("la pila no configura [aggregd] endpoint en $PMM_HOME/pmm.conf");
    pmm_error err;
    void *s = wire_socket_new(zctx, ZMQ_DEALER, &err);
    assert_non_null(s);
    int timeout = REPLY_MS;
    zmq_setsockopt(s, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    assert_int_equal(zmq_connect(s, ep), 0);
    static const uint8_t garbage[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                      0xff, 0xff, 0xff, 0xff, 0xff};
    wire_case_error(s, garbage, sizeof garbage, ERR_MALFORMED, "", "protobuf",
                    "aggregd: bytes sin sentido");
    Pmm__Envelope e;
    Pmm__Ping ping;
    pmm__ping__init(&ping);
    wire_envelope_init(&e, PMM__MSG_TYPE__MSG_PING, NULL, 0);
    e.body_case = PMM__ENVELOPE__BODY_PING;
    e.ping = &ping;
    e.version = 7;
    size_t n;
    uint8_t *buf = pack_env(&e, &n);
    wire_case_error(s, buf, n, ERR_VERSION, "version", "version",
                    "aggregd: versión 7");
    free(buf);
    e.version = 1;
    e.type = (Pmm__MsgType)42;
    buf = pack_env(&e, &n);
    wire_case_error(s, buf, n, ERR_TYPE, "type", "tipo_mensaje",
                    "aggregd: tipo 42");
    free(buf);
    expect_pong(s, "aggregd tras las tramas malas");
    zmq_close(s);
}

static void at_least_forty_cases(void **state)
{
    (void)state;
    print_message("%d entradas hostiles distintas comprobadas\n", cases);
    assert_true(cases >= 40);
    char *w = witness_text();
    assert_string_equal(w, witness_row);
    free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_level_refusals),
        cmocka_unit_test(wire_frame_refusals),
        cmocka_unit_test(wire_ficha_refusals),
        cmocka_unit_test(wire_oversize_frame_disconnects),
        cmocka_unit_test(wire_unread_replies_do_not_stall),
        cmocka_unit_test(sql_metacharacters_round_trip),
        cmocka_unit_test(aggregd_carries_on),
        cmocka_unit_test(at_least_forty_cases),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
