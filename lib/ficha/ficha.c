#include "ficha.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "utf8.h"

#define ERR_INVALID PMM__ERROR_CODE__ERR_INVALID

ficha_rules ficha_rules_default(void)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    ficha_rules r = {.current_year = tm.tm_year + 1900, .accept_new_bodies = false};
    return r;
}

int ficha_bytes_set(ProtobufCBinaryData *b, protobuf_c_boolean *has,
                    const char *s, size_t n)
{
    uint8_t *copy = malloc(n + 1);   /* +1: keeps a NUL for C string use */
    if (!copy)
        return -1;
    if (n)
        memcpy(copy, s, n);
    copy[n] = '\0';
    free(b->data);
    b->data = copy;
    b->len = n;
    if (has)
        *has = 1;
    return 0;
}

/* ------------------------------------------------------------ text rules */

typedef enum { TEXT_LINE, TEXT_PARAGRAPH } text_kind;

/* Common checks for any text field: UTF-8, control characters, not blank.
 * Stores the number of words in *words. */
static int check_text(const ProtobufCBinaryData *b, const char *campo,
                      text_kind kind, size_t *words, pmm_error *err)
{
    const char *s = (const char *)b->data;
    /* a present but empty bytes field arrives from protobuf-c with data
     * NULL, which memchr and friends may not be given */
    if (b->len == 0)
        return pmm_error_set(err, ERR_INVALID, campo, "vacio",
                             "el campo %s está vacío", campo);
    utf8_perfil p;
    utf8_profile(s, b->len, &p);
    if (p.invalid)
        return pmm_error_set(err, ERR_INVALID, campo, "utf8",
                             "el campo %s no es UTF-8 válido", campo);
    if (p.nul)
        return pmm_error_set(err, ERR_INVALID, campo, "caracter_control",
                             "el campo %s contiene un carácter nulo", campo);
    if (p.control)
        return pmm_error_set(err, ERR_INVALID, campo, "caracter_control",
                             "el campo %s contiene caracteres de control "
                             "(solo se permiten salto de línea y tabulador)",
                             campo);
    if (kind == TEXT_LINE && p.newline)
        return pmm_error_set(err, ERR_INVALID, campo, "una_linea",
                             "el campo %s debe ocupar una sola línea", campo);
    if (p.words == 0)
        return pmm_error_set(err, ERR_INVALID, campo, "vacio",
                             "el campo %s está vacío", campo);
    *words = p.words;
    return 0;
}

static int check_chars(const ProtobufCBinaryData *b, int has, bool required,
                       const char *campo, size_t max_chars, pmm_error *err)
{
    if (!has) {
        if (required)
            return pmm_error_set(err, ERR_INVALID, campo, "requerido",
                                 "falta el campo obligatorio %s", campo);
        return 0;
    }
    size_t words = 0;
    if (check_text(b, campo, TEXT_LINE, &words, err) != 0)
        return -1;
    size_t chars = utf8_length((const char *)b->data, b->len);
    if (chars > max_chars)
        return pmm_error_set(err, ERR_INVALID, campo, "max_caracteres",
                             "el campo %s tiene %zu caracteres; el máximo es %zu",
                             campo, chars, max_chars);
    return 0;
}

static int check_words(const ProtobufCBinaryData *b, int has, bool required,
                       const char *campo, pmm_error *err)
{
    if (!has) {
        if (required)
            return pmm_error_set(err, ERR_INVALID, campo, "requerido",
                                 "falta el campo obligatorio %s", campo);
        return 0;
    }
    size_t words = 0;
    if (check_text(b, campo, TEXT_PARAGRAPH, &words, err) != 0)
        return -1;
    if (words > FICHA_MAX_PALABRAS)
        return pmm_error_set(err, ERR_INVALID, campo, "max_palabras",
                             "el campo %s tiene %zu palabras; el máximo es %d",
                             campo, words, FICHA_MAX_PALABRAS);
    return 0;
}

static bool bytes_eq(const ProtobufCBinaryData *b, const char *s)
{
    size_t n = strlen(s);
    return b->len == n && memcmp(b->data, s, n) == 0;
}

/* ------------------------------------------------------------ the clave */

static int check_clave(const Pmm__Ficha *f, pmm_error *err)
{
    if (!f->has_clave || f->clave.len == 0)
        return pmm_error_set(err, ERR_INVALID, "clave", "requerido",
                             "falta el campo obligatorio clave");
    if (f->clave.len > FICHA_MAX_CLAVE)
        return pmm_error_set(err, ERR_INVALID, "clave", "max_caracteres",
                             "la clave tiene %zu caracteres; el máximo es %d",
                             f->clave.len, FICHA_MAX_CLAVE);
    for (size_t i = 0; i < f->clave.len; i++) {
        unsigned char c = f->clave.data[i];
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                  (c >= '0' && c <= '9') || c == '.' || c == '_' || c == ':' ||
                  c == '-';
        if (!ok)
            return pmm_error_set(err, ERR_INVALID, "clave", "formato",
                                 "la clave solo admite letras sin acento, "
                                 "dígitos y los signos . _ : - (carácter %zu)",
                                 i + 1);
    }
    return 0;
}

bool ficha_clave_ok(const Pmm__Ficha *f)
{
    pmm_error ignored;
    return check_clave(f, &ignored) == 0;
}

/* ------------------------------------------------------------ dates */

/* Parses YYYY, YYYY-MM or YYYY-MM-DD; returns the number of parts (1..3)
 * or 0 when malformed; fills y/m/d (missing parts = 0). */
static int parse_date(const ProtobufCBinaryData *b, int *y, int *m, int *d)
{
    const char *s = (const char *)b->data;
    size_t n = b->len;
    *y = *m = *d = 0;
    if (n != 4 && n != 7 && n != 10)
        return 0;
    for (size_t i = 0; i < n; i++) {
        bool dash = i == 4 || i == 7;
        if (dash ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            return 0;
    }
    *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + s[3] - '0';
    if (n == 4)
        return *y >= 1900 ? 1 : 0;
    *m = (s[5] - '0') * 10 + s[6] - '0';
    if (*y < 1900 || *m < 1 || *m > 12)
        return 0;
    if (n == 7)
        return 2;
    *d = (s[8] - '0') * 10 + s[9] - '0';
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int max = mdays[*m - 1];
    if (*m == 2 && !((*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0))
        max = 28;
    return *d >= 1 && *d <= max ? 3 : 0;
}

static int check_date(const ProtobufCBinaryData *b, int has, const char *campo,
                      int *y, int *m, int *d, int *parts, pmm_error *err)
{
    *parts = 0;
    if (!has)
        return 0;
    *parts = parse_date(b, y, m, d);
    if (*parts == 0)
        return pmm_error_set(err, ERR_INVALID, campo, "fecha",
                             "el campo %s debe ser una fecha AAAA-MM-DD, "
                             "AAAA-MM o AAAA válida", campo);
    return 0;
}

/* fin >= inicio, compared at the precision both give. */
static bool date_not_before(int y1, int m1, int d1, int p1, int y2, int m2,
                            int d2, int p2)
{
    int p = p1 < p2 ? p1 : p2;
    if (y2 != y1)
        return y2 > y1;
    if (p >= 2 && m2 != m1)
        return m2 > m1;
    if (p >= 3 && d2 != d1)
        return d2 > d1;
    return true;
}

/* ------------------------------------------------------------ sections */

static int check_descripcion(const Pmm__Descripcion *d, pmm_error *err)
{
    if (!d)
        return pmm_error_set(err, ERR_INVALID, "descripcion.objetivo",
                             "requerido",
                             "falta el campo obligatorio descripcion.objetivo");
    if (check_words(&d->objetivo, d->has_objetivo, true, "descripcion.objetivo",
                    err) ||
        check_words(&d->poblacion_objetivo, d->has_poblacion_objetivo, false,
                    "descripcion.poblacion_objetivo", err))
        return -1;
    if (d->has_temporalidad && !bytes_eq(&d->temporalidad, "permanente") &&
        !bytes_eq(&d->temporalidad, "temporal"))
        return pmm_error_set(err, ERR_INVALID, "descripcion.temporalidad",
                             "valor",
                             "descripcion.temporalidad debe ser «permanente» "
                             "o «temporal»");
    int y1, m1, d1, p1, y2, m2, d2, p2;
    if (check_date(&d->inicio, d->has_inicio, "descripcion.inicio", &y1, &m1,
                   &d1, &p1, err) ||
        check_date(&d->fin, d->has_fin, "descripcion.fin", &y2, &m2, &d2, &p2,
                   err))
        return -1;
    if (p1 && p2 && !date_not_before(y1, m1, d1, p1, y2, m2, d2, p2))
        return pmm_error_set(err, ERR_INVALID, "descripcion.fin", "orden_fechas",
                             "descripcion.fin es anterior a descripcion.inicio");
    return 0;
}

static int check_count(int has, int64_t v, const char *campo, pmm_error *err)
{
    if (!has)
        return 0;
    if (v < 0)
        return pmm_error_set(err, ERR_INVALID, campo, "no_negativo",
                             "%s debe ser un entero no negativo (vale %lld)",
                             campo, (long long)v);
    if (v > FICHA_MAX_CONTEO)
        return pmm_error_set(err, ERR_INVALID, campo, "rango",
                             "%s excede el máximo admitido (%lld)", campo,
                             (long long)FICHA_MAX_CONTEO);
    return 0;
}

static int check_resultados(const Pmm__Resultados *r, pmm_error *err)
{
    if (!r)
        return pmm_error_set(err, ERR_INVALID, "resultados.texto",
                             "resultados_requeridos",
                             "faltan los resultados: indique alguna cifra "
                             "(acciones, personas, mujeres, hombres) o "
                             "resultados.texto");
    if (check_count(r->has_acciones, r->acciones, "resultados.acciones", err) ||
        check_count(r->has_personas, r->personas, "resultados.personas", err) ||
        check_count(r->has_mujeres, r->mujeres, "resultados.mujeres", err) ||
        check_count(r->has_hombres, r->hombres, "resultados.hombres", err))
        return -1;
    if (r->has_personas && r->has_mujeres && r->has_hombres &&
        r->mujeres + r->hombres > r->personas)
        return pmm_error_set(err, ERR_INVALID, "resultados.mujeres", "suma_sexo",
                             "mujeres + hombres (%lld) excede personas (%lld)",
                             (long long)(r->mujeres + r->hombres),
                             (long long)r->personas);
    bool any_count = r->has_acciones || r->has_personas || r->has_mujeres ||
                     r->has_hombres;
    if (check_chars(&r->zona, r->has_zona, false, "resultados.zona",
                    FICHA_MAX_CHARS, err) ||
        check_words(&r->texto, r->has_texto, !any_count, "resultados.texto", err))
        return -1;
    return 0;
}

static int check_contacto(const Pmm__Contacto *c, pmm_error *err)
{
    if (!c)
        return 0;
    if (check_chars(&c->nombre, c->has_nombre, false, "contacto.nombre",
                    FICHA_MAX_CHARS, err) ||
        check_chars(&c->cargo, c->has_cargo, false, "contacto.cargo",
                    FICHA_MAX_CHARS, err) ||
        check_chars(&c->telefono, c->has_telefono, false, "contacto.telefono",
                    FICHA_MAX_CHARS, err) ||
        check_chars(&c->correo, c->has_correo, false, "contacto.correo",
                    FICHA_MAX_CHARS, err))
        return -1;
    if (c->has_correo && !memchr(c->correo.data, '@', c->correo.len))
        return pmm_error_set(err, ERR_INVALID, "contacto.correo", "formato",
                             "contacto.correo no parece una dirección de correo");
    return 0;
}

static int check_body(Pmm__Ficha *f, const refdata *ref,
                      const ficha_rules *rules, pmm_error *err)
{
    if (!f->has_ambito)
        return pmm_error_set(err, ERR_INVALID, "ambito", "requerido",
                             "falta el campo obligatorio ambito");
    bool federal = bytes_eq(&f->ambito, "federal");
    if (!federal && !bytes_eq(&f->ambito, "estatal"))
        return pmm_error_set(err, ERR_INVALID, "ambito", "valor",
                             "ambito debe ser «federal» o «estatal»");

    if (f->has_entidad) {
        if (check_chars(&f->entidad, 1, false, "entidad", 64, err))
            return -1;
        int code = refdata_entidad(ref, (const char *)f->entidad.data,
                                   f->entidad.len);
        if (!code) {
            char sug[320];
            refdata_entidad_sugerencia(ref, (const char *)f->entidad.data, f->entidad.len,
                                       sug, sizeof sug);
            return pmm_error_set(err, ERR_INVALID, "entidad", "desconocida",
                                 "entidad «%.*s» no es una clave INEGI 01-32 ni "
                                 "el nombre de una entidad federativa%s%s (nombres "
                                 "aceptados: data/entidades.csv y data/alias_entidades.csv)",
                                 (int)utf8_cut((const char *)f->entidad.data,
                                               f->entidad.len, 64),
                                 (const char *)f->entidad.data, sug[0] ? "; " : "", sug);
        }
        char buf[3];
        snprintf(buf, sizeof buf, "%02d", code);
        if (ficha_bytes_set(&f->entidad, &f->has_entidad, buf, 2) != 0)
            return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "memoria",
                                 "sin memoria");
    } else if (!federal) {
        return pmm_error_set(err, ERR_INVALID, "entidad", "requerido",
                             "entidad es obligatoria cuando ambito es «estatal»");
    }

    if (!f->has_dependencia) {
        if (federal)
            return pmm_error_set(err, ERR_INVALID, "dependencia", "requerido",
                                 "dependencia es obligatoria cuando ambito es "
                                 "«federal»");
        return 0;
    }
    if (check_chars(&f->dependencia, 1, false, "dependencia", 64, err))
        return -1;
    const ref_dependencia *d = refdata_dependencia(
        ref, (const char *)f->dependencia.data, f->dependencia.len);
    if (d) {
        if (ficha_bytes_set(&f->dependencia, &f->has_dependencia, d->sigla,
                            strlen(d->sigla)) != 0)
            return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "memoria",
                                 "sin memoria");
    } else if (federal && !rules->accept_new_bodies) {
        char sug[320];
        refdata_dependencia_sugerencia(ref, (const char *)f->dependencia.data,
                                       f->dependencia.len, sug, sizeof sug);
        return pmm_error_set(err, ERR_INVALID, "dependencia", "desconocida",
                             "la dependencia «%.*s» no está en la lista de "
                             "dependencias registradas%s%s (siglas y nombres aceptados: "
                             "data/dependencias.csv y data/alias_dependencias.csv)",
                             (int)utf8_cut((const char *)f->dependencia.data,
                                           f->dependencia.len, 64),
                             (const char *)f->dependencia.data, sug[0] ? "; " : "", sug);
    }
    return 0;
}

static int check_ejercicio(const Pmm__Ficha *f, const ficha_rules *rules, pmm_error *err)
{
    if (!f->has_ejercicio)
        return pmm_error_set(err, ERR_INVALID, "ejercicio", "requerido",
                             "falta el campo obligatorio ejercicio");
    if (f->ejercicio < FICHA_PRIMER_EJERCICIO ||
        f->ejercicio > rules->current_year + 1)
        return pmm_error_set(err, ERR_INVALID, "ejercicio", "rango",
                             "ejercicio debe estar entre %d y %d (vale %lld)",
                             FICHA_PRIMER_EJERCICIO, rules->current_year + 1,
                             (long long)f->ejercicio);
    return 0;
}

static int check_objetivo(const Pmm__Ficha *f, pmm_error *err)
{
    if (!f->has_objetivo_pmm)
        return pmm_error_set(err, ERR_INVALID, "objetivo_pmm", "requerido",
                             "falta el campo obligatorio objetivo_pmm");
    if (f->objetivo_pmm < 1 || f->objetivo_pmm > REF_OBJETIVOS)
        return pmm_error_set(err, ERR_INVALID, "objetivo_pmm", "rango",
                             "objetivo_pmm debe ser un entero de 1 a 23 (vale "
                             "%lld)",
                             (long long)f->objetivo_pmm);
    return 0;
}

static int check_reemplaza(const Pmm__Ficha *f, pmm_error *err)
{
    if (f->has_reemplaza && f->reemplaza < 1)
        return pmm_error_set(err, ERR_INVALID, "reemplaza", "rango",
                             "reemplaza debe ser el número (1 o mayor) de la "
                             "versión vigente");
    return 0;
}

bool ficha_es_retiro(const Pmm__Ficha *f)
{
    return f->has_retirada && f->retirada;
}

/* ------------------------------------------------------------ withdrawal */

/* The fields a withdrawal may not carry: everything but the identity,
 * reemplaza, retirada and motivo_retiro. */
static size_t retiro_sobrantes(const Pmm__Ficha *f, const char *campos[8])
{
    size_t n = 0;
    if (f->has_unidad)
        campos[n++] = "unidad";
    if (f->has_programa)
        campos[n++] = "programa";
    if (f->has_objetivo_pmm)
        campos[n++] = "objetivo_pmm";
    if (f->descripcion)
        campos[n++] = "descripcion";
    if (f->resultados)
        campos[n++] = "resultados";
    if (f->has_retos)
        campos[n++] = "retos";
    if (f->contacto)
        campos[n++] = "contacto";
    return n;
}

static int check_sobrante(const char *campo, pmm_error *err)
{
    return pmm_error_set(err, ERR_INVALID, campo, "solo_identidad",
                         "una ficha de retiro (\"retirada\": true) solo lleva clave, ejercicio, "
                         "ambito, dependencia, entidad, reemplaza y motivo_retiro; quite %s",
                         campo);
}

static int check_motivo(const Pmm__Ficha *f, pmm_error *err)
{
    if (!f->has_motivo_retiro)
        return pmm_error_set(err, ERR_INVALID, "motivo_retiro", "requerido",
                             "una ficha de retiro (\"retirada\": true) debe decir por qué se "
                             "retira en motivo_retiro");
    return check_words(&f->motivo_retiro, 1, true, "motivo_retiro", err);
}

static int check_reemplaza_retiro(const Pmm__Ficha *f, pmm_error *err)
{
    if (!f->has_reemplaza)
        return pmm_error_set(err, ERR_INVALID, "reemplaza", "requerido",
                             "una ficha de retiro (\"retirada\": true) debe llevar "
                             "\"reemplaza\": N, la versión vigente que retira");
    return check_reemplaza(f, err);
}

static int check_motivo_sin_retiro(const Pmm__Ficha *f, pmm_error *err)
{
    if (f->has_motivo_retiro)
        return pmm_error_set(err, ERR_INVALID, "motivo_retiro", "motivo_sin_retiro",
                             "motivo_retiro solo va en una ficha de retiro (\"retirada\": "
                             "true)");
    return 0;
}

size_t ficha_validate_all(Pmm__Ficha *f, const refdata *ref, const ficha_rules *rules,
                          pmm_error *errs, size_t cap)
{
    /* "retirada": false says nothing: normalised away, so that it hashes
     * as the same ficha without it */
    if (f->has_retirada && !f->retirada)
        f->has_retirada = 0;
    /* Each section is checked whatever the others gave, in the order the
     * contract lists them, so the first fault is the one ficha_validate
     * reports and a person fixing a file by hand sees every fault at once. */
    pmm_error e;
    size_t n = 0;
#define FICHA_CHECK(expr)                         \
    do {                                          \
        pmm_error_clear(&e);                      \
        if ((expr) != 0) {                        \
            if (n < cap)                          \
                errs[n] = e;                      \
            n++;                                  \
        }                                         \
    } while (0)
    FICHA_CHECK(check_clave(f, &e));
    FICHA_CHECK(check_ejercicio(f, rules, &e));
    FICHA_CHECK(check_body(f, ref, rules, &e));
    if (ficha_es_retiro(f)) {
        const char *sobran[8];
        size_t ns = retiro_sobrantes(f, sobran);
        for (size_t i = 0; i < ns; i++)
            FICHA_CHECK(check_sobrante(sobran[i], &e));
        FICHA_CHECK(check_motivo(f, &e));
        FICHA_CHECK(check_reemplaza_retiro(f, &e));
        return n;
    }
    FICHA_CHECK(check_chars(&f->unidad, f->has_unidad, false, "unidad", FICHA_MAX_CHARS, &e));
    FICHA_CHECK(check_chars(&f->programa, f->has_programa, true, "programa", FICHA_MAX_CHARS,
                            &e));
    FICHA_CHECK(check_objetivo(f, &e));
    FICHA_CHECK(check_descripcion(f->descripcion, &e));
    FICHA_CHECK(check_resultados(f->resultados, &e));
    FICHA_CHECK(check_words(&f->retos, f->has_retos, false, "retos", &e));
    FICHA_CHECK(check_contacto(f->contacto, &e));
    FICHA_CHECK(check_reemplaza(f, &e));
    FICHA_CHECK(check_motivo_sin_retiro(f, &e));
#undef FICHA_CHECK
    return n;
}

int ficha_validate(Pmm__Ficha *f, const refdata *ref, const ficha_rules *rules,
                   pmm_error *err)
{
    return ficha_validate_all(f, ref, rules, err, 1) ? -1 : 0;
}

void ficha_emisor(const Pmm__Ficha *f, char *out, size_t cap)
{
    if (f->has_ambito && bytes_eq(&f->ambito, "estatal"))
        snprintf(out, cap, "E:%.*s", (int)f->entidad.len,
                 (const char *)f->entidad.data);
    else
        snprintf(out, cap, "D:%.*s", (int)f->dependencia.len,
                 (const char *)f->dependencia.data);
}

/* Packs f without the fields this build does not know (protobuf-c keeps
 * them and would pack them again: they are not stored, so they are not
 * content) and, unless with_reemplaza, without `reemplaza`. */
static uint8_t *pack_known(const Pmm__Ficha *f, bool with_reemplaza, size_t *len)
{
    Pmm__Ficha copy = *f;
    if (!with_reemplaza) {
        copy.has_reemplaza = 0;
        copy.reemplaza = 0;
    }
    copy.base.n_unknown_fields = 0;
    copy.base.unknown_fields = NULL;
    Pmm__Descripcion d;
    Pmm__Resultados r;
    Pmm__Contacto c;
    if (f->descripcion) {
        d = *f->descripcion;
        d.base.n_unknown_fields = 0;
        d.base.unknown_fields = NULL;
        copy.descripcion = &d;
    }
    if (f->resultados) {
        r = *f->resultados;
        r.base.n_unknown_fields = 0;
        r.base.unknown_fields = NULL;
        copy.resultados = &r;
    }
    if (f->contacto) {
        c = *f->contacto;
        c.base.n_unknown_fields = 0;
        c.base.unknown_fields = NULL;
        copy.contacto = &c;
    }
    *len = pmm__ficha__get_packed_size(&copy);
    uint8_t *buf = malloc(*len ? *len : 1);
    if (buf)
        pmm__ficha__pack(&copy, buf);
    return buf;
}

uint8_t *ficha_pack_known(const Pmm__Ficha *f, size_t *len)
{
    return pack_known(f, true, len);
}

int ficha_hash(const Pmm__Ficha *f, uint8_t out[32])
{
    /* protobuf-c packs fields in field-number order, so the same content
     * always packs to the same bytes. `reemplaza` says how the ficha
     * relates to a stored version, not what it says: leave it out. */
    size_t n;
    uint8_t *buf = pack_known(f, false, &n);
    if (!buf)
        return -1;
    /* OpenSSL, not libsodium, for this one: every ficha received is hashed,
     * and libsodium's portable SHA-256 took ~13 us for 3 KB (a quarter of
     * ingestd's CPU) where OpenSSL's, with the CPU's SHA instructions,
     * takes ~3 us. libpq loads libcrypto anyway. Same digest either way. */
    unsigned int len = 0;
    int ok = EVP_Digest(buf, n, out, &len, EVP_sha256(), NULL) == 1 && len == 32;
    free(buf);
    return ok ? 0 : -1;
}
