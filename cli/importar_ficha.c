/* importar_ficha.c -- one ficha's values into the contract's JSON and a
 * validated Pmm__Ficha (see importar_ficha.h). */
#include "importar_ficha.h"

#include <ctype.h>
#include <openssl/sha.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ficha_json.h"
#include "importar_valores.h"
#include "utf8.h"

#define ERR_INVALID PMM__ERROR_CODE__ERR_INVALID

int imp_valores_poner(imp_valores *v, char **slot, const char *texto)
{
    (void)v;
    size_t n = strlen(texto);
    if (!*slot) {
        *slot = strdup(texto);
        return *slot ? 0 : -1;
    }
    size_t m = strlen(*slot);
    char *s = realloc(*slot, m + n + 2);
    if (!s)
        return -1;
    s[m] = '\n';
    memcpy(s + m + 1, texto, n + 1);
    *slot = s;
    return 0;
}

void imp_valores_liberar(imp_valores *v)
{
    for (size_t i = 0; i < IMP_MAX_CAMPOS; i++)
        free(v->valor[i]);
    free(v->descripcion_libre);
    free(v->resultados_libre);
    free(v->contacto_libre);
    memset(v, 0, sizeof *v);
}

int imp_valores_vacio(const imp_valores *v)
{
    for (size_t i = 0; i < IMP_MAX_CAMPOS; i++)
        if (v->valor[i] && *v->valor[i])
            return 0;
    return !v->descripcion_libre && !v->resultados_libre && !v->contacto_libre;
}

static void falta(imp_ficha *out, const char *campo, const char *regla, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void falta(imp_ficha *out, const char *campo, const char *regla, const char *fmt, ...)
{
    if (!out->errs && !(out->errs = calloc(FICHA_MAX_ERRORES, sizeof *out->errs))) {
        out->nerrs++;
        return;
    }
    if (out->nerrs < FICHA_MAX_ERRORES) {
        va_list ap;
        va_start(ap, fmt);
        pmm_error_vset(&out->errs[out->nerrs], ERR_INVALID, campo, regla, fmt, ap);
        va_end(ap);
    }
    out->nerrs++;
}

static int ya_falta(const imp_ficha *out, const char *campo)
{
    size_t n = out->nerrs < FICHA_MAX_ERRORES ? out->nerrs : FICHA_MAX_ERRORES;
    if (!out->errs)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(out->errs[i].campo, campo))
            return 1;
    return 0;
}

/* Sets path ("a" or "a.b") in obj to v (stolen). */
static void poner(json_t *obj, const char *ruta, json_t *v)
{
    const char *dot = strchr(ruta, '.');
    if (!dot) {
        json_object_set_new(obj, ruta, v);
        return;
    }
    char padre[32];
    snprintf(padre, sizeof padre, "%.*s", (int)(dot - ruta), ruta);
    json_t *sub = json_object_get(obj, padre);
    if (!sub) {
        sub = json_object();
        json_object_set_new(obj, padre, sub);
    }
    json_object_set_new(sub, dot + 1, v);
}

static json_t *obtener(const json_t *obj, const char *ruta)
{
    const char *dot = strchr(ruta, '.');
    if (!dot)
        return json_object_get(obj, ruta);
    char padre[32];
    snprintf(padre, sizeof padre, "%.*s", (int)(dot - ruta), ruta);
    return json_object_get(json_object_get(obj, padre), dot + 1);
}

static void proponer(imp_ficha *out, json_t *j, const char *ruta, json_t *v, const char *origen)
{
    json_t *p = json_object();
    json_object_set_new(p, "campo", json_string(ruta));
    json_object_set(p, "valor", v);
    json_object_set_new(p, "origen", json_string(origen));
    json_array_append_new(out->propuestos, p);
    poner(j, ruta, v);
}

/* One line: runs of white space (newlines included) become one space. */
static void una_linea(char *s)
{
    char *w = s;
    int esp = 0;
    for (char *r = s; *r; r++) {
        if (*r == '\n' || *r == '\r' || *r == '\t' || *r == ' ') {
            if (!esp && w != s)
                *w++ = ' ';
            esp = 1;
        } else {
            *w++ = *r;
            esp = 0;
        }
    }
    while (w > s && w[-1] == ' ')
        w--;
    *w = '\0';
}

/* A text field: \r\n and lone \r become \n; trimmed. */
static void texto_limpio(char *s)
{
    char *w = s;
    for (char *r = s; *r; r++) {
        if (*r == '\r') {
            if (r[1] != '\n')
                *w++ = '\n';
            continue;
        }
        *w++ = *r;
    }
    *w = '\0';
    val_recortar(s);
}

static void cita(char *out, size_t cap, const char *s)
{
    size_t n = strlen(s);
    if (n > 60)
        n = utf8_cut(s, n, 60);
    snprintf(out, cap, "«%.*s%s»", (int)n, s, n < strlen(s) ? "…" : "");
}

int importar_clave(const char *emisor, int ejercicio, const char *programa, char *out,
                   size_t cap)
{
    if (!emisor || !*emisor || ejercicio <= 0 || !programa || cap < FICHA_MAX_CLAVE + 1)
        return -1;
    char norm[2048];
    size_t n = imp_normalizar(programa, norm, sizeof norm);
    if (n == 0)
        return -1;
    char base[2400];
    snprintf(base, sizeof base, "%s|%d|%s", emisor, ejercicio, norm);
    unsigned char h[SHA256_DIGEST_LENGTH];
    SHA256((const unsigned char *)base, strlen(base), h);
    /* readable head: the emisor without "D:"/"E:", ASCII letters and
     * digits only, lower case */
    char quien[24];
    size_t w = 0;
    const char *e = emisor[1] == ':' ? emisor + 2 : emisor;
    if (emisor[0] == 'E')
        quien[w++] = 'e';
    char fe[200];
    imp_normalizar(e, fe, sizeof fe);
    for (const char *p = fe; *p && w < 12; p++)
        if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
            quien[w++] = *p;
    quien[w] = '\0';
    if (!w)
        snprintf(quien, sizeof quien, "x");
    /* the programme's first words, up to 24 characters, ASCII */
    char cabeza[32];
    size_t c = 0;
    for (const char *p = norm; *p && c < 24; p++) {
        if (*p == ' ')
            cabeza[c++] = '-';
        else if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
            cabeza[c++] = *p;
    }
    if (c == 24 && norm[c] && norm[c] != ' ') {
        while (c && cabeza[c - 1] != '-')   /* whole words only */
            c--;
    }
    while (c && cabeza[c - 1] == '-')
        c--;
    cabeza[c] = '\0';
    snprintf(out, cap, "%s-%d-%s%s%02x%02x%02x%02x%02x", quien, ejercicio, cabeza, c ? "-" : "",
             h[0], h[1], h[2], h[3], h[4]);
    return 0;
}

static int64_t entero(const json_t *j, const char *ruta)
{
    json_t *v = obtener(j, ruta);
    return json_is_integer(v) ? json_integer_value(v) : -1;
}

/* The older form's contact cell: mail, phone, then name and post. */
static void contacto_libre(imp_ficha *out, json_t *j, const char *texto)
{
    char *copia = strdup(texto);
    if (!copia)
        return;
    char *partes[8];
    size_t n = 0;
    char *save = NULL;
    for (char *t = strtok_r(copia, "\n;,|", &save); t && n < 8;
         t = strtok_r(NULL, "\n;,|", &save)) {
        val_recortar(t);
        if (*t)
            partes[n++] = t;
    }
    int hay_nombre = obtener(j, "contacto.nombre") != NULL;
    int hay_cargo = obtener(j, "contacto.cargo") != NULL;
    char origen[128];
    for (size_t i = 0; i < n; i++) {
        char *t = partes[i];
        cita(origen, sizeof origen, t);
        char *arroba = strchr(t, '@');
        size_t digitos = 0;
        for (const char *p = t; *p; p++)
            digitos += isdigit((unsigned char)*p) != 0;
        if (arroba) {
            /* the word with the @ */
            char *ini = arroba, *fin = arroba;
            while (ini > t && !strchr(" :\t", ini[-1]))
                ini--;
            while (*fin && !strchr(" \t", *fin))
                fin++;
            *fin = '\0';
            if (!obtener(j, "contacto.correo"))
                proponer(out, j, "contacto.correo", json_string(ini), origen);
        } else if (digitos >= 8) {
            if (!obtener(j, "contacto.telefono"))
                proponer(out, j, "contacto.telefono", json_string(t), origen);
        } else if (!hay_nombre) {
            proponer(out, j, "contacto.nombre", json_string(t), origen);
            hay_nombre = 1;
        } else if (!hay_cargo) {
            proponer(out, j, "contacto.cargo", json_string(t), origen);
            hay_cargo = 1;
        }
    }
    free(copia);
}

static void cifras_libres(imp_ficha *out, json_t *j, const char *texto)
{
    val_cifras c;
    val_cifras_texto(texto, &c);
    const char *rutas[4] = {"resultados.acciones", "resultados.personas", "resultados.mujeres",
                            "resultados.hombres"};
    int64_t v[4] = {c.acciones, c.personas, c.mujeres, c.hombres};
    for (int i = 0; i < 4; i++)
        if (v[i] >= 0 && obtener(j, rutas[i]))
            v[i] = -1;
    /* proposals must not break the sum rule: then the split by sex is left
     * to the person */
    int64_t p = v[1] >= 0 ? v[1] : entero(j, "resultados.personas");
    int64_t m = v[2] >= 0 ? v[2] : entero(j, "resultados.mujeres");
    int64_t h = v[3] >= 0 ? v[3] : entero(j, "resultados.hombres");
    if (p >= 0 && m >= 0 && h >= 0 && m + h > p)
        v[2] = v[3] = -1;
    for (int i = 0; i < 4; i++)
        if (v[i] >= 0) {
            char origen[128];
            cita(origen, sizeof origen, c.cita[i]);
            proponer(out, j, rutas[i], json_integer(v[i]), origen);
        }
}

static void con_opciones(imp_ficha *out, json_t *j, const imp_opciones *o, int periodo)
{
    json_t *ej = json_object_get(j, "ejercicio");
    if (o->ejercicio) {
        if (!ej)
            poner(j, "ejercicio", json_integer(o->ejercicio));
        else if (json_is_integer(ej) && json_integer_value(ej) != o->ejercicio)
            falta(out, "ejercicio", "valor",
                  "la ficha es del ejercicio %lld y se pidió --ejercicio %d",
                  (long long)json_integer_value(ej), o->ejercicio);
    } else if (!ej && periodo && !ya_falta(out, "ejercicio")) {
        char origen[128];
        snprintf(origen, sizeof origen, "del periodo de los resultados (junio de %d a junio de %d)",
                 periodo - 1, periodo);
        proponer(out, j, "ejercicio", json_integer(periodo), origen);
    }
}

int importar_ficha(const imp_valores *v, const imp_opciones *o, imp_ficha *out)
{
    out->json = json_object();
    out->propuestos = json_array();
    if (!out->json || !out->propuestos)
        return -1;
    json_t *j = out->json;
    const char *dep_texto = NULL;
    char buf[64];
    size_t nc = imp_campos_n();
    for (size_t i = 0; i < nc && i < IMP_MAX_CAMPOS; i++) {
        const imp_campo *c = imp_campo_at(i);
        if (!v->valor[i])
            continue;
        char *t = strdup(v->valor[i]);
        if (!t)
            return -1;
        if (c->tipo == TIPO_TEXTO)
            texto_limpio(t);
        else
            una_linea(t);
        val_recortar(t);
        if (val_es_vacio(t) && c->tipo != TIPO_TEXTO && c->tipo != TIPO_LINEA) {
            free(t);
            continue;
        }
        if (!*t) {
            free(t);
            continue;
        }
        int64_t n;
        const char *motivo = "";
        int num, otro, perm;
        char origen[128];
        switch (c->tipo) {
        case TIPO_ENTERO:
            switch (val_entero(t, &n, &motivo)) {
            case VAL_OK: poner(j, c->ruta, json_integer(n)); break;
            case VAL_PROPUESTO:
                cita(origen, sizeof origen, t);
                proponer(out, j, c->ruta, json_integer(n), origen);
                break;
            case VAL_ERROR:
                cita(origen, sizeof origen, t);
                falta(out, c->ruta, "entero", "%s: %s %s", c->ruta, origen, motivo);
                break;
            case VAL_VACIO: break;
            }
            break;
        case TIPO_FECHA:
            switch (val_fecha(t, buf, sizeof buf, &perm)) {
            case VAL_OK: poner(j, c->ruta, json_string(buf)); break;
            case VAL_ERROR: poner(j, c->ruta, json_string(t)); break;
            default:
                if (perm) {
                    cita(origen, sizeof origen, t);
                    if (!obtener(j, "descripcion.temporalidad"))
                        proponer(out, j, "descripcion.temporalidad", json_string("permanente"),
                                 origen);
                }
            }
            break;
        case TIPO_TEMPORALIDAD: {
            const char *tv = val_temporalidad(t);
            poner(j, c->ruta, json_string(tv ? tv : t));
            break;
        }
        case TIPO_AMBITO: {
            const char *a = val_ambito(t);
            poner(j, c->ruta, json_string(a ? a : t));
            break;
        }
        case TIPO_OBJETIVO:
            switch (val_objetivo(o->ref, t, &num, &otro)) {
            case VAL_OK: poner(j, c->ruta, json_integer(num)); break;
            case VAL_ERROR:
                cita(origen, sizeof origen, t);
                if (otro)
                    falta(out, c->ruta, "un_objetivo",
                          "la ficha indica los objetivos %d y %d (%s): cada acción se registra "
                          "en un solo objetivo del PMM, el que mejor la describe, para no "
                          "contarla dos veces",
                          num, otro, origen);
                else
                    falta(out, c->ruta, "valor",
                          "no se reconoce el objetivo %s: escriba su número (1 a 23) o su "
                          "nombre",
                          origen);
                break;
            default: break;
            }
            break;
        case TIPO_DEPENDENCIA:
            dep_texto = v->valor[i];
            poner(j, c->ruta, json_string(t));
            break;
        case TIPO_ENTIDAD: {
            int code = val_entidad(o->ref, t);
            if (code) {
                snprintf(buf, sizeof buf, "%02d", code);
                poner(j, c->ruta, json_string(buf));
            } else {
                poner(j, c->ruta, json_string(t));
            }
            break;
        }
        default:
            poner(j, c->ruta, json_string(t));
        }
        free(t);
    }
    /* the older form's free-text cells */
    if (v->descripcion_libre && !obtener(j, "descripcion.objetivo")) {
        char *t = strdup(v->descripcion_libre);
        if (!t)
            return -1;
        texto_limpio(t);
        if (*t)
            poner(j, "descripcion.objetivo", json_string(t));
        if (!obtener(j, "descripcion.temporalidad")) {
            char n[2048];
            imp_normalizar(t, n, sizeof n);
            int p = strstr(n, "permanente") != NULL, tm = strstr(n, "temporal") != NULL;
            if (p != tm)
                proponer(out, j, "descripcion.temporalidad",
                         json_string(p ? "permanente" : "temporal"),
                         p ? "por «permanente» en la descripción"
                           : "por «temporal» en la descripción");
        }
        free(t);
    }
    if (v->resultados_libre) {
        char *t = strdup(v->resultados_libre);
        if (!t)
            return -1;
        texto_limpio(t);
        if (*t && !obtener(j, "resultados.texto"))
            poner(j, "resultados.texto", json_string(t));
        if (*t)
            cifras_libres(out, j, t);
        free(t);
    }
    if (v->contacto_libre)
        contacto_libre(out, j, v->contacto_libre);

    con_opciones(out, j, o, v->periodo);
    /* the body: options, then what the form says, then the ambit */
    const char *ambito = json_string_value(json_object_get(j, "ambito"));
    const ref_dependencia *dep = NULL;
    if (dep_texto) {
        char sug[512];
        char *t = strdup(dep_texto);
        if (!t)
            return -1;
        una_linea(t);
        int estatal = (ambito && !strcmp(ambito, "estatal")) ||
                      (!ambito && (o->entidad || obtener(j, "entidad")) && !o->dependencia);
        dep = val_dependencia(o->ref, t, estatal, sug, sizeof sug);
        if (dep) {
            poner(j, "dependencia", json_string(dep->sigla));
        } else if (!estatal) {
            char origen[128];
            cita(origen, sizeof origen, t);
            if (sug[0])
                falta(out, "dependencia", "desconocida",
                      "la dependencia %s no está en la lista de dependencias registradas; "
                      "las más parecidas: %s",
                      origen, sug);
            else
                falta(out, "dependencia", "desconocida",
                      "la dependencia %s no está en la lista de dependencias registradas; "
                      "escriba sus siglas (por ejemplo SRE) o su nombre completo",
                      origen);
        }
        free(t);
    }
    if (o->dependencia) {
        const ref_dependencia *od = refdata_dependencia(o->ref, o->dependencia,
                                                        strlen(o->dependencia));
        const char *sigla = od ? od->sigla : o->dependencia;
        if (!dep_texto)
            poner(j, "dependencia", json_string(sigla));
        else if (dep && strcmp(dep->sigla, sigla))
            falta(out, "dependencia", "valor", "la ficha es de %s y se pidió --dependencia %s",
                  dep->sigla, o->dependencia);
        if (!ambito)
            poner(j, "ambito", json_string("federal"));
    }
    if (o->entidad) {
        int code = val_entidad(o->ref, o->entidad);
        snprintf(buf, sizeof buf, "%02d", code);
        json_t *e = json_object_get(j, "entidad");
        if (!e)
            poner(j, "entidad", json_string(buf));
        else if (code && strcmp(json_string_value(e), buf))
            falta(out, "entidad", "valor", "la ficha es de la entidad %s y se pidió --entidad %s",
                  json_string_value(e), o->entidad);
        if (!ambito && !o->dependencia)
            poner(j, "ambito", json_string("estatal"));
    }
    ambito = json_string_value(json_object_get(j, "ambito"));
    if (!ambito) {
        const char *a = dep ? "federal" : obtener(j, "entidad") ? "estatal" : NULL;
        if (a)
            proponer(out, j, "ambito", json_string(a),
                     dep ? "porque la ficha nombra una dependencia federal"
                         : "porque la ficha nombra una entidad y ninguna dependencia "
                           "federal");
        ambito = a;
    }
    /* the clave */
    const char *clave = json_string_value(json_object_get(j, "clave"));
    int derivar = !clave;
    if (derivar) {
        char emisor[FICHA_EMISOR_MAX];
        const char *ent = json_string_value(json_object_get(j, "entidad"));
        const char *dep_s = json_string_value(json_object_get(j, "dependencia"));
        emisor[0] = '\0';
        if (ambito && !strcmp(ambito, "estatal") && ent && strlen(ent) == 2)
            snprintf(emisor, sizeof emisor, "E:%s", ent);
        else if (ambito && !strcmp(ambito, "federal") && dep)
            snprintf(emisor, sizeof emisor, "D:%s", dep_s);
        int64_t ej = entero(j, "ejercicio");
        const char *prog = json_string_value(json_object_get(j, "programa"));
        char c[FICHA_MAX_CLAVE + 1];
        if (emisor[0] && ej > 0 && ej < 10000 && prog &&
            importar_clave(emisor, (int)ej, prog, c, sizeof c) == 0) {
            poner(j, "clave", json_string(c));
            out->clave_derivada = 1;
        }
    }
    clave = json_string_value(json_object_get(j, "clave"));
    if (clave)
        snprintf(out->clave, sizeof out->clave, "%s", clave);

    /* the contract's reader and validator, as pmm enviar runs them */
    pmm_error err;
    pmm_error_clear(&err);
    Pmm__Ficha *f = ficha_from_json(j, &err);
    if (!f) {
        if (!ya_falta(out, err.campo))
            falta(out, err.campo, err.regla, "%s", err.mensaje);
    } else {
        pmm_error errs[FICHA_MAX_ERRORES];
        size_t n = ficha_validate_all(f, o->ref, &o->reglas, errs, FICHA_MAX_ERRORES);
        size_t k = n < FICHA_MAX_ERRORES ? n : FICHA_MAX_ERRORES;
        for (size_t i = 0; i < k; i++) {
            if (ya_falta(out, errs[i].campo) && errs[i].campo[0])
                continue;   /* the importer said it better */
            if (derivar && !out->clave_derivada && !strcmp(errs[i].campo, "clave"))
                continue;   /* what the clave needs is reported */
            if (!out->errs && !(out->errs = calloc(FICHA_MAX_ERRORES, sizeof *out->errs)))
                return -1;
            if (out->nerrs < FICHA_MAX_ERRORES)
                out->errs[out->nerrs] = errs[i];
            out->nerrs++;
        }
        out->nerrs += n - k;
    }
    if (out->nerrs == 0 && f) {
        /* what was validated is what goes: dependencia and entidad in
         * their normal form */
        out->f = f;   /* its JSON is made again when printed: less memory held */
        json_decref(out->json);
        out->json = NULL;
    } else if (f) {
        pmm__ficha__free_unpacked(f, NULL);
    }
    return 0;
}
