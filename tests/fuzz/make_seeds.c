/* make_seeds -- writes the wire seed corpus (tests/fuzz/corpus/wire/): one
 * valid envelope of every message type, a few fichas exercising each
 * section, near-misses (wrong version, type without its body), and the
 * messages whose fields were since retired as old peers still send them
 * (antiguo-*).
 *
 *   tests/fuzz/run.sh seeds       (builds this and rewrites the seeds)
 *
 * The output is deterministic, so regenerating changes nothing unless the
 * protocol changed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ficha.h"
#include "wire.h"

static const char *outdir;

static void write_file(const char *name, const uint8_t *buf, size_t n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", outdir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(buf, 1, n, f) != n || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

/* The body message of an envelope (the types write_old is used with). */
static const ProtobufCMessage *body_of(const Pmm__Envelope *env)
{
    switch (env->body_case) {
    case PMM__ENVELOPE__BODY_PING: return &env->ping->base;
    case PMM__ENVELOPE__BODY_PONG: return &env->pong->base;
    case PMM__ENVELOPE__BODY_WORK: return &env->work->base;
    case PMM__ENVELOPE__BODY_CLASSIFIED: return &env->classified->base;
    case PMM__ENVELOPE__BODY_CONTROL: return &env->control->base;
    default: abort();
    }
}

static void write_env(const char *name, const Pmm__Envelope *env)
{
    size_t n = pmm__envelope__get_packed_size(env);
    uint8_t *buf = malloc(n ? n : 1);
    pmm__envelope__pack(env, buf);
    write_file(name, buf, n);
    free(buf);
}

/* A varint at p; returns its length. */
static size_t put_varint(uint8_t *p, uint64_t v)
{
    size_t n = 0;
    do {
        p[n++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
        v >>= 7;
    } while (v);
    return n;
}

/* A varint field (wire type 0) of a field number under 16; returns its
 * length. */
static size_t put_varint_field(uint8_t *p, unsigned field, uint64_t v)
{
    p[0] = (uint8_t)(field << 3);
    return 1 + put_varint(p + 1, v);
}

/* A short bytes field (wire type 2, field under 16, length under 128);
 * returns its length. */
static size_t put_bytes_field(uint8_t *p, unsigned field, const char *s)
{
    size_t len = strlen(s);
    p[0] = (uint8_t)(field << 3 | 2);
    p[1] = (uint8_t)len;
    memcpy(p + 2, s, len);
    return len + 2;
}

/* The envelope as a peer built before the fields retired in proto/pmm.proto
 * sent it: env's body with the retired fields (`extra`, encoded by hand:
 * the generated code no longer has them) appended inside it. Protobuf
 * fields may come in any order, so the body is packed, extended and
 * wrapped again as field `body_field` of an envelope with env's header. */
static void write_old(const char *name, const Pmm__Envelope *env, const uint8_t *extra,
                      size_t extra_len)
{
    Pmm__Envelope head = *env;
    head.body_case = PMM__ENVELOPE__BODY__NOT_SET;
    size_t hn = pmm__envelope__get_packed_size(&head);
    size_t bn = protobuf_c_message_get_packed_size(body_of(env));
    size_t len = bn + extra_len;
    uint8_t *buf = malloc(hn + 20 + len);
    pmm__envelope__pack(&head, buf);
    size_t n = hn;
    n += put_varint(buf + n, (uint64_t)env->body_case << 3 | 2);   /* the body's tag */
    n += put_varint(buf + n, len);
    protobuf_c_message_pack(body_of(env), buf + n);
    memcpy(buf + n + bn, extra, extra_len);
    write_file(name, buf, n + len);
    free(buf);
}

static void set(ProtobufCBinaryData *b, protobuf_c_boolean *has, const char *s)
{
    ficha_bytes_set(b, has, s, strlen(s));
}

static Pmm__Ficha *ficha(int variant)
{
    Pmm__Ficha *f = calloc(1, sizeof *f);
    pmm__ficha__init(f);
    set(&f->clave, &f->has_clave, variant ? "SRE-2022-001" : "prog.7:a_b-c");
    f->has_ejercicio = 1;
    f->ejercicio = 2022;
    if (variant == 2) {
        set(&f->ambito, &f->has_ambito, "estatal");
        set(&f->entidad, &f->has_entidad, "Chiapas");
    } else {
        set(&f->ambito, &f->has_ambito, "federal");
        set(&f->dependencia, &f->has_dependencia, variant ? "sre" : "SEGOB");
        set(&f->entidad, &f->has_entidad, "07");
    }
    set(&f->unidad, &f->has_unidad, "Dirección General de Protección");
    set(&f->programa, &f->has_programa, "Atención a personas migrantes");
    f->has_objetivo_pmm = 1;
    f->objetivo_pmm = 5 + variant;
    f->descripcion = calloc(1, sizeof *f->descripcion);
    pmm__descripcion__init(f->descripcion);
    set(&f->descripcion->objetivo, &f->descripcion->has_objetivo,
        "Orientar a personas migrantes en tránsito.\nSegunda línea.");
    set(&f->descripcion->poblacion_objetivo,
        &f->descripcion->has_poblacion_objetivo, "Niñas, niños y adolescentes");
    set(&f->descripcion->inicio, &f->descripcion->has_inicio, "2021-02-28");
    set(&f->descripcion->temporalidad, &f->descripcion->has_temporalidad,
        variant ? "temporal" : "permanente");
    set(&f->descripcion->fin, &f->descripcion->has_fin, variant ? "2022-12" : "2024");
    f->resultados = calloc(1, sizeof *f->resultados);
    pmm__resultados__init(f->resultados);
    f->resultados->has_acciones = 1;
    f->resultados->acciones = 12;
    f->resultados->has_personas = 1;
    f->resultados->personas = 300;
    f->resultados->has_mujeres = 1;
    f->resultados->mujeres = 150;
    f->resultados->has_hombres = 1;
    f->resultados->hombres = 140;
    set(&f->resultados->zona, &f->resultados->has_zona, "Frontera sur");
    set(&f->resultados->texto, &f->resultados->has_texto,
        "Se atendió a 300 personas; 'comillas' \"dobles\" \\ -- /* */ $$");
    set(&f->retos, &f->has_retos, "Presupuesto\tinsuficiente.");
    f->contacto = calloc(1, sizeof *f->contacto);
    pmm__contacto__init(f->contacto);
    set(&f->contacto->nombre, &f->contacto->has_nombre, "Persona Ficticia");
    set(&f->contacto->cargo, &f->contacto->has_cargo, "Directora");
    set(&f->contacto->telefono, &f->contacto->has_telefono, "+52 55 0000 0000");
    set(&f->contacto->correo, &f->contacto->has_correo, "persona@example.org");
    if (variant == 1) {
        f->has_reemplaza = 1;
        f->reemplaza = 1;
    }
    return f;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "uso: make_seeds DIRECTORIO\n");
        return 2;
    }
    outdir = argv[1];
    static const uint8_t rid[12] = {1, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0};
    Pmm__Envelope env;

    for (int v = 0; v < 3; v++) {
        Pmm__SubmitRequest s;
        pmm__submit_request__init(&s);
        s.ficha = ficha(v);
        wire_envelope_init(&env, PMM__MSG_TYPE__MSG_SUBMIT, rid, sizeof rid);
        env.body_case = PMM__ENVELOPE__BODY_SUBMIT;
        env.submit = &s;
        char name[64];
        snprintf(name, sizeof name, "submit-%d", v);
        write_env(name, &env);
        /* the bare ficha too: the harness also decodes input as a Ficha */
        size_t n = pmm__ficha__get_packed_size(s.ficha);
        uint8_t *buf = malloc(n);
        pmm__ficha__pack(s.ficha, buf);
        snprintf(name, sizeof name, "ficha-%d", v);
        write_file(name, buf, n);
        free(buf);
        if (v == 0) {
            Pmm__Ficha *keep = s.ficha;
            /* near misses: other version; SUBMIT type without its body */
            env.version = 2;
            write_env("submit-version-2", &env);
            env.version = 1;
            env.body_case = PMM__ENVELOPE__BODY__NOT_SET;
            write_env("submit-sin-cuerpo", &env);
            pmm__submit_request__init(&s);
            env.body_case = PMM__ENVELOPE__BODY_SUBMIT;
            env.submit = &s;
            write_env("submit-sin-ficha", &env);
            pmm__ficha__free_unpacked(keep, NULL);
            continue;
        }
        pmm__ficha__free_unpacked(s.ficha, NULL);
    }

    Pmm__Error e;
    pmm__error__init(&e);
    e.has_code = e.has_campo = e.has_regla = e.has_mensaje = 1;
    e.code = PMM__ERROR_CODE__ERR_INVALID;
    e.campo.data = (uint8_t *)"resultados.mujeres";
    e.campo.len = strlen("resultados.mujeres");
    e.regla.data = (uint8_t *)"suma_sexo";
    e.regla.len = strlen("suma_sexo");
    e.mensaje.data = (uint8_t *)"mujeres + hombres excede personas";
    e.mensaje.len = strlen("mujeres + hombres excede personas");

    Pmm__Receipt r;
    pmm__receipt__init(&r);
    r.has_clave = r.has_id = r.has_version = r.has_estado = r.has_server_time_us = 1;
    r.clave.data = (uint8_t *)"SRE-2022-001";
    r.clave.len = 12;
    r.id = 4242;
    r.version = 2;
    r.estado = PMM__ESTADO__ESTADO_ACEPTADA;
    r.server_time_us = 1700000000000000LL;
    wire_envelope_init(&env, PMM__MSG_TYPE__MSG_RECEIPT, rid, sizeof rid);
    env.body_case = PMM__ENVELOPE__BODY_RECEIPT;
    env.receipt = &r;
    write_env("receipt", &env);
    r.estado = PMM__ESTADO__ESTADO_RECHAZADA;
    r.has_id = r.has_version = r.has_server_time_us = 0;
    r.error = &e;
    write_env("receipt-rechazada", &env);

    wire_envelope_init(&env, PMM__MSG_TYPE__MSG_ERROR, rid, sizeof rid);
    env.body_case = PMM__ENVELOPE__BODY_ERROR;
    env.error = &e;
    write_env("error", &env);
    /* a busy collector: the client resends after a pause */
    e.code = PMM__ERROR_CODE__ERR_BUSY;
    e.has_campo = e.has_regla = 0;
    write_env("error-ocupado", &env);

    Pmm__Ping ping;
    pmm__ping__init(&ping);
    wire_envelope_init(&env, PMM__MSG_TYPE__MSG_PING, NULL, 0);
    env.body_case = PMM__ENVELOPE__BODY_PING;
    env.ping = &ping;
    write_env("ping", &env);
    uint8_t old[64];
    size_t on = put_varint_field(old, 1, 1700000000000000ULL);   /* client_time_us */
    write_old("antiguo-ping", &env, old, on);

    Pmm__Pong pong;
    pmm__pong__init(&pong);
    pong.has_component = pong.has_server_time_us = pong.has_database_ok = 1;
    pong.component.data = (uint8_t *)"ingestd";
    pong.component.len = 7;
    pong.server_time_us = 1700000000000001LL;
    pong.database_ok = 1;
    wire_envelope_init(&env, PMM__MSG_TYPE__MSG_PONG, NULL, 0);
    env.body_case = PMM__ENVELOPE__BODY_PONG;
    env.pong = &pong;
    write_env("pong", &env);
    on = put_varint_field(old, 4, 3);   /* pending */
    write_old("antiguo-pong", &env, old, on);

    /* ficha_ids (unpacked, as protobuf-c wrote them) */
    static const uint64_t ids[] = {1, 2, 3, 1000000, 9223372036854775807ULL};
    Pmm__Work w;
    pmm__work__init(&w);
    wire_envelope_init(&env, PMM__MSG_TYPE__MSG_WORK, NULL, 0);
    env.body_case = PMM__ENVELOPE__BODY_WORK;
    env.work = &w;
    write_env("work", &env);
    on = 0;
    for (int i = 0; i < 5; i++)
        on += put_varint_field(old + on, 1, ids[i]);
    write_old("antiguo-work", &env, old, on);

    Pmm__Classified c;
    pmm__classified__init(&c);
    wire_envelope_init(&env, PMM__MSG_TYPE__MSG_CLASSIFIED, NULL, 0);
    env.body_case = PMM__ENVELOPE__BODY_CLASSIFIED;
    env.classified = &c;
    write_env("classified", &env);
    /* ficha_ids and classifier_version */
    on = 0;
    for (int i = 0; i < 3; i++)
        on += put_varint_field(old + on, 1, ids[i]);
    on += put_bytes_field(old + on, 2, "lexico+logit-2018");
    write_old("antiguo-classified", &env, old, on);

    Pmm__Control k;
    pmm__control__init(&k);
    k.has_command = 1;
    k.command.data = (uint8_t *)"agregar";
    k.command.len = 7;
    wire_envelope_init(&env, PMM__MSG_TYPE__MSG_CONTROL, rid, sizeof rid);
    env.body_case = PMM__ENVELOPE__BODY_CONTROL;
    env.control = &k;
    write_env("control", &env);
    on = put_bytes_field(old, 2, "2022");   /* args */
    on += put_bytes_field(old + on, 2, "--ya!");
    write_old("antiguo-control", &env, old, on);

    Pmm__ControlReply kr;
    pmm__control_reply__init(&kr);
    kr.has_ok = kr.has_message = 1;
    kr.ok = 1;
    kr.message.data = (uint8_t *)"totales recalculados";
    kr.message.len = strlen("totales recalculados");
    wire_envelope_init(&env, PMM__MSG_TYPE__MSG_CONTROL_REPLY, rid, sizeof rid);
    env.body_case = PMM__ENVELOPE__BODY_CONTROL_REPLY;
    env.control_reply = &kr;
    write_env("control-reply", &env);

    /* not protobuf at all */
    write_file("basura", (const uint8_t *)"\xff\xff\xff\xff\x0f garbage", 13);
    return 0;
}
