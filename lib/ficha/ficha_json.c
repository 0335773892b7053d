#include "ficha_json.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <stdarg.h>

#include "ficha.h"
#include "json_errores.h"
#include "utf8.h"

#define ERR_INVALID PMM__ERROR_CODE__ERR_INVALID
#define ERR_MALFORMED PMM__ERROR_CODE__ERR_MALFORMED

/* One table row per JSON field: where it lives in the protobuf struct. */
typedef enum { F_BYTES, F_INT, F_BOOL, F_OBJECT } field_kind;

typedef struct field_map {
    const char *name;
    field_kind kind;
    size_t value_off;     /* ProtobufCBinaryData, int64_t or sub-message ptr */
    size_t has_off;       /* protobuf_c_boolean has_X (not for F_OBJECT) */
    const struct field_map *sub;   /* F_OBJECT: its fields */
    size_t sub_size;               /* F_OBJECT: sizeof the sub-message */
    void (*sub_init)(void *);      /* F_OBJECT: its __init */
} field_map;

#define BYTES(T, f) {#f, F_BYTES, offsetof(T, f), offsetof(T, has_##f), NULL, 0, NULL}
#define INT(T, f) {#f, F_INT, offsetof(T, f), offsetof(T, has_##f), NULL, 0, NULL}
#define BOOL(T, f) {#f, F_BOOL, offsetof(T, f), offsetof(T, has_##f), NULL, 0, NULL}
#define END {NULL, 0, 0, 0, NULL, 0, NULL}

static const field_map descripcion_fields[] = {
    BYTES(Pmm__Descripcion, objetivo), BYTES(Pmm__Descripcion, poblacion_objetivo),
    BYTES(Pmm__Descripcion, inicio),   BYTES(Pmm__Descripcion, temporalidad),
    BYTES(Pmm__Descripcion, fin),      END};

static const field_map resultados_fields[] = {
    INT(Pmm__Resultados, acciones), INT(Pmm__Resultados, personas),
    INT(Pmm__Resultados, mujeres),  INT(Pmm__Resultados, hombres),
    BYTES(Pmm__Resultados, zona),   BYTES(Pmm__Resultados, texto), END};

static const field_map contacto_fields[] = {
    BYTES(Pmm__Contacto, nombre), BYTES(Pmm__Contacto, cargo),
    BYTES(Pmm__Contacto, telefono), BYTES(Pmm__Contacto, correo), END};

static void descripcion_init(void *m) { pmm__descripcion__init(m); }
static void resultados_init(void *m) { pmm__resultados__init(m); }
static void contacto_init(void *m) { pmm__contacto__init(m); }

static const field_map ficha_fields[] = {
    BYTES(Pmm__Ficha, clave),
    INT(Pmm__Ficha, ejercicio),
    BYTES(Pmm__Ficha, ambito),
    BYTES(Pmm__Ficha, dependencia),
    BYTES(Pmm__Ficha, entidad),
    BYTES(Pmm__Ficha, unidad),
    BYTES(Pmm__Ficha, programa),
    INT(Pmm__Ficha, objetivo_pmm),
    {"descripcion", F_OBJECT, offsetof(Pmm__Ficha, descripcion), 0,
     descripcion_fields, sizeof(Pmm__Descripcion), descripcion_init},
    {"resultados", F_OBJECT, offsetof(Pmm__Ficha, resultados), 0,
     resultados_fields, sizeof(Pmm__Resultados), resultados_init},
    BYTES(Pmm__Ficha, retos),
    {"contacto", F_OBJECT, offsetof(Pmm__Ficha, contacto), 0, contacto_fields,
     sizeof(Pmm__Contacto), contacto_init},
    INT(Pmm__Ficha, reemplaza),
    BOOL(Pmm__Ficha, retirada),
    BYTES(Pmm__Ficha, motivo_retiro),
    END};

Pmm__Ficha *ficha_new_empty(void)
{
    Pmm__Ficha *f = malloc(sizeof *f);
    if (f)
        pmm__ficha__init(f);
    return f;
}

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "un objeto";
    case JSON_ARRAY: return "una lista";
    case JSON_STRING: return "un texto";
    case JSON_INTEGER: return "un entero";
    case JSON_REAL: return "un número con decimales";
    case JSON_TRUE:
    case JSON_FALSE: return "un valor lógico";
    default: return "null";
    }
}

/* Faults found while mapping JSON onto the ficha: every one is kept (up
 * to the caller's capacity), so a person sees them all at once. */
typedef struct {
    pmm_error *errs;
    size_t cap, n;
} faults;

static void fault(faults *fl, int code, const char *campo, const char *regla,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void fault(faults *fl, int code, const char *campo, const char *regla,
                  const char *fmt, ...)
{
    if (fl->n < fl->cap) {
        va_list ap;
        va_start(ap, fmt);
        pmm_error_vset(&fl->errs[fl->n], code, campo, regla, fmt, ap);
        va_end(ap);
    }
    fl->n++;
}

/* Edit distance between two short ASCII-folded names (capped). */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 40 || lb > 40)
        return 99;
    size_t row[41];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* The valid field of this level closest to a misspelt key, when close
 * enough to be a typo (accents and case ignored), else NULL. */
static const char *closest_field(const field_map *fields, const char *key)
{
    char folded[64];
    utf8_fold(key, strlen(key), folded, sizeof folded);
    const char *best = NULL;
    size_t best_d = 99;
    for (const field_map *m = fields; m->name; m++) {
        size_t d = distance(folded, m->name);
        if (d < best_d) {
            best_d = d;
            best = m->name;
        }
    }
    size_t limit = strlen(folded) <= 5 ? 1 : 2;
    return best_d <= limit ? best : NULL;
}

/* Maps obj's members onto msg. Returns -1 only when out of memory; faults
 * of the input are recorded in fl and the rest of the object is still
 * read. */
static int fill_object(void *msg, const field_map *fields, const json_t *obj,
                       const char *prefix, faults *fl)
{
    const char *key;
    json_t *value;
    char campo[PMM_ERR_CAMPO];
    json_object_foreach((json_t *)obj, key, value) {
        const field_map *fm = NULL;
        for (const field_map *m = fields; m->name; m++)
            if (!strcmp(m->name, key))
                fm = m;
        snprintf(campo, sizeof campo, "%s%s", prefix, key);
        if (!fm) {
            /* jansson keys are valid UTF-8; cap the echo to keep it short,
             * cutting between characters */
            size_t len = strlen(campo), cut = utf8_cut(campo, len, 60);
            const char *near = closest_field(fields, key);
            if (near)
                fault(fl, ERR_INVALID, campo, "campo_desconocido",
                      "campo desconocido «%.*s%s»: ¿quiso decir «%s%s»? (los campos "
                      "válidos están en docs/contrato-ficha.md)",
                      (int)cut, campo, cut < len ? "…" : "", prefix, near);
            else
                fault(fl, ERR_INVALID, campo, "campo_desconocido",
                      "campo desconocido «%.*s%s»: revise la ortografía (los campos "
                      "válidos están en docs/contrato-ficha.md)",
                      (int)cut, campo, cut < len ? "…" : "");
            continue;
        }
        if (json_is_null(value))
            continue;   /* null = absent */
        char *base = (char *)msg;
        switch (fm->kind) {
        case F_BYTES: {
            if (!json_is_string(value)) {
                fault(fl, ERR_INVALID, campo, "tipo", "%s debe ser un texto, no %s", campo,
                      type_name(value));
                break;
            }
            if (ficha_bytes_set((ProtobufCBinaryData *)(base + fm->value_off),
                                (protobuf_c_boolean *)(base + fm->has_off),
                                json_string_value(value),
                                json_string_length(value)) != 0)
                return -1;
            break;
        }
        case F_INT:
            if (json_is_real(value)) {
                fault(fl, ERR_INVALID, campo, "entero",
                      "%s debe ser un número entero, no %g", campo, json_real_value(value));
                break;
            }
            if (!json_is_integer(value)) {
                fault(fl, ERR_INVALID, campo, "tipo", "%s debe ser un número entero, no %s",
                      campo, type_name(value));
                break;
            }
            *(int64_t *)(base + fm->value_off) = json_integer_value(value);
            *(protobuf_c_boolean *)(base + fm->has_off) = 1;
            break;
        case F_BOOL:
            if (!json_is_boolean(value)) {
                fault(fl, ERR_INVALID, campo, "tipo", "%s debe ser true o false, no %s", campo,
                      type_name(value));
                break;
            }
            *(protobuf_c_boolean *)(base + fm->value_off) = json_is_true(value);
            *(protobuf_c_boolean *)(base + fm->has_off) = 1;
            break;
        case F_OBJECT: {
            if (!json_is_object(value)) {
                fault(fl, ERR_INVALID, campo, "tipo", "%s debe ser un objeto, no %s", campo,
                      type_name(value));
                break;
            }
            void **slot = (void **)(base + fm->value_off);
            if (!*slot) {
                *slot = malloc(fm->sub_size);
                if (!*slot)
                    return -1;
                fm->sub_init(*slot);
            }
            char sub_prefix[PMM_ERR_CAMPO + 2];
            snprintf(sub_prefix, sizeof sub_prefix, "%s.", campo);
            if (fill_object(*slot, fm->sub, value, sub_prefix, fl) != 0)
                return -1;
            break;
        }
        }
    }
    return 0;
}

static Pmm__Ficha *from_json(const json_t *obj, faults *fl)
{
    if (!json_is_object(obj)) {
        fault(fl, ERR_INVALID, "", "tipo", "cada ficha debe ser un objeto JSON, no %s",
              type_name(obj));
        return NULL;
    }
    Pmm__Ficha *f = ficha_new_empty();
    if (!f || fill_object(f, ficha_fields, obj, "", fl) != 0) {
        if (f)
            pmm__ficha__free_unpacked(f, NULL);
        fl->n = 0;
        fault(fl, PMM__ERROR_CODE__ERR_INTERNAL, "", "memoria", "sin memoria");
        return NULL;
    }
    if (fl->n) {
        pmm__ficha__free_unpacked(f, NULL);
        return NULL;
    }
    return f;
}

Pmm__Ficha *ficha_from_json(const json_t *obj, pmm_error *err)
{
    faults fl = {err, 1, 0};
    return from_json(obj, &fl);
}

Pmm__Ficha *ficha_from_json_text_report(const char *text, size_t len, size_t first_line,
                                        ficha_json_report *rep)
{
    faults fl = {rep->errs, rep->cap, 0};
    rep->n = 0;
    rep->clave[0] = '\0';
    Pmm__Ficha *f = NULL;
    if (len > FICHA_JSON_MAX_LINE) {
        fault(&fl, ERR_MALFORMED, "", "max_tamano", "la ficha ocupa %zu bytes; el máximo es %d",
              len, FICHA_JSON_MAX_LINE);
        goto out;
    }
    size_t bad = utf8_first_invalid(text, len);
    if (bad < len) {
        if (fl.cap)
            json_errores_utf8(text, len, bad, first_line, &fl.errs[0]);
        fl.n = 1;
        goto out;
    }
    json_error_t jerr;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
    if (!root) {
        if (fl.cap)
            json_errores_sintaxis(&jerr, first_line, &fl.errs[0]);
        fl.n = 1;
        goto out;
    }
    json_t *clave = json_is_object(root) ? json_object_get(root, "clave") : NULL;
    if (json_is_string(clave) && json_string_length(clave) < sizeof rep->clave &&
        !memchr(json_string_value(clave), '\0', json_string_length(clave)))
        snprintf(rep->clave, sizeof rep->clave, "%s", json_string_value(clave));
    f = from_json(root, &fl);
    json_decref(root);
out:
    /* whatever failed, the clave when it can be read, to name the ficha */
    if (!rep->clave[0] && fl.n)
        json_errores_clave(text, len, rep->clave, sizeof rep->clave);
    rep->n = fl.n;
    return f;
}

Pmm__Ficha *ficha_from_json_text(const char *text, size_t len, pmm_error *err)
{
    ficha_json_report rep = {.errs = err, .cap = 1};
    return ficha_from_json_text_report(text, len, 1, &rep);
}

/* ------------------------------------------------------------ writer */

static int put_object(json_t *obj, const void *msg, const field_map *fields,
                      int with_contacto)
{
    const char *base = msg;
    for (const field_map *m = fields; m->name; m++) {
        json_t *v = NULL;
        switch (m->kind) {
        case F_BYTES:
            if (*(const protobuf_c_boolean *)(base + m->has_off)) {
                const ProtobufCBinaryData *b =
                    (const ProtobufCBinaryData *)(base + m->value_off);
                v = json_stringn((const char *)b->data, b->len);
            }
            break;
        case F_INT:
            if (*(const protobuf_c_boolean *)(base + m->has_off))
                v = json_integer(*(const int64_t *)(base + m->value_off));
            break;
        case F_BOOL:
            if (*(const protobuf_c_boolean *)(base + m->has_off))
                v = json_boolean(*(const protobuf_c_boolean *)(base + m->value_off));
            break;
        case F_OBJECT: {
            const void *sub = *(void *const *)(base + m->value_off);
            if (!sub || (m->sub == contacto_fields && !with_contacto))
                break;
            v = json_object();
            if (v && put_object(v, sub, m->sub, with_contacto) != 0) {
                json_decref(v);
                return -1;
            }
            break;
        }
        }
        if (v && json_object_set_new(obj, m->name, v) != 0)
            return -1;
    }
    return 0;
}

json_t *ficha_to_json(const Pmm__Ficha *f, int with_contacto)
{
    json_t *obj = json_object();
    if (obj && put_object(obj, f, ficha_fields, with_contacto) != 0) {
        json_decref(obj);
        return NULL;
    }
    return obj;
}
