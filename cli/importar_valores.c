/* importar_valores.c -- values as people write them (see importar_valores.h). */
#include "importar_valores.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "importar_campos.h"

/* Length of a white-space character at s (ASCII, NBSP, narrow NBSP, thin
 * space), or 0. */
static size_t espacio(const char *s)
{
    unsigned char c = (unsigned char)s[0];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f')
        return 1;
    if (c == 0xC2 && (unsigned char)s[1] == 0xA0)
        return 2;
    if (c == 0xE2 && (unsigned char)s[1] == 0x80 &&
        ((unsigned char)s[2] == 0xAF || (unsigned char)s[2] == 0x89))
        return 3;
    return 0;
}

char *val_recortar(char *s)
{
    size_t k;
    while ((k = espacio(s)) > 0)
        memmove(s, s + k, strlen(s + k) + 1);
    size_t n = strlen(s);
    for (;;) {
        if (n >= 1 && espacio(s + n - 1) == 1)
            n -= 1;
        else if (n >= 2 && espacio(s + n - 2) == 2)
            n -= 2;
        else if (n >= 3 && espacio(s + n - 3) == 3)
            n -= 3;
        else
            break;
        s[n] = '\0';
    }
    return s;
}

int val_es_vacio(const char *s)
{
    static const char *const nada[] = {"", "n a", "na", "no aplica", "sin dato", "sin datos",
                                       "nd", "n d", "s d", "sd", "no disponible", "ninguno",
                                       "ninguna", "x", NULL};
    char n[64];
    if (strlen(s) > 40)
        return 0;
    imp_normalizar(s, n, sizeof n);
    for (size_t i = 0; nada[i]; i++)
        if (!strcmp(n, nada[i]))
            return 1;
    return 0;
}

/* A number starting at s[i] (a digit not preceded by a digit): digit
 * groups of three after one kind of separator are joined. *decimal is set
 * for "2.5"-like numbers. Returns the index after it. */
static size_t numero(const char *s, size_t i, int64_t *val, int *decimal)
{
    size_t j = i;
    int64_t v = 0;
    int dig = 0;
    while (isdigit((unsigned char)s[j])) {
        if (v < 100000000000000LL)
            v = v * 10 + (s[j] - '0');
        j++;
        dig++;
    }
    *decimal = 0;
    if (dig <= 3) {
        char sep[4] = "";
        for (;;) {
            size_t k = espacio(s + j);
            size_t seplen = k ? k : (s[j] == ',' || s[j] == '.') ? 1 : 0;
            if (!seplen || (k && s[j] == '\n'))
                break;
            if (sep[0] && (strlen(sep) != seplen || strncmp(sep, s + j, seplen)))
                break;
            const char *g = s + j + seplen;
            if (!(isdigit((unsigned char)g[0]) && isdigit((unsigned char)g[1]) &&
                  isdigit((unsigned char)g[2]) && !isdigit((unsigned char)g[3])))
                break;
            memcpy(sep, s + j, seplen);
            sep[seplen] = '\0';
            if (v < 100000000000000LL)   /* past any count the contract admits */
                v = v * 1000 + (g[0] - '0') * 100 + (g[1] - '0') * 10 + (g[2] - '0');
            j += seplen + 3;
        }
        if (sep[0]) {
            *val = v;
            return j;
        }
    }
    if ((s[j] == '.' || s[j] == ',') && isdigit((unsigned char)s[j + 1])) {
        *decimal = 1;
        j++;
        while (isdigit((unsigned char)s[j]))
            j++;
    }
    *val = v;
    return j;
}

val_estado val_entero(const char *s, int64_t *out, const char **motivo)
{
    if (val_es_vacio(s))
        return VAL_VACIO;
    size_t n = strlen(s), i = 0;
    int cuantos = 0, decimal = 0, otras = 0, negativo = 0;
    int64_t v = 0;
    while (i < n) {
        if (isdigit((unsigned char)s[i]) && (i == 0 || !isdigit((unsigned char)s[i - 1]))) {
            int dec;
            int64_t x;
            size_t j = numero(s, i, &x, &dec);
            if (cuantos == 0) {
                v = x;
                negativo = i > 0 && s[i - 1] == '-' && (i == 1 || espacio(s + i - 2));
            }
            cuantos++;
            decimal |= dec;
            i = j;
            continue;
        }
        size_t k = espacio(s + i);
        if (!k && s[i] != '-' && s[i] != '+')
            otras = 1;
        i += k ? k : 1;
    }
    if (cuantos == 0) {
        *motivo = "no es un número";
        return VAL_ERROR;
    }
    if (cuantos > 1) {
        *motivo = "tiene varias cifras; escriba una sola";
        return VAL_ERROR;
    }
    if (decimal) {
        *motivo = "no es un número entero";
        return VAL_ERROR;
    }
    *out = negativo ? -v : v;
    return otras ? VAL_PROPUESTO : VAL_OK;
}

static const char *const MESES[] = {"enero", "febrero", "marzo", "abril", "mayo", "junio",
                                     "julio", "agosto", "septiembre", "octubre", "noviembre",
                                     "diciembre"};

static int mes_palabra(const char *w)
{
    if (!strcmp(w, "setiembre"))
        return 9;
    for (int m = 0; m < 12; m++)
        if (!strcmp(w, MESES[m]) || (strlen(w) == 3 && !strncmp(w, MESES[m], 3)))
            return m + 1;
    return 0;
}

val_estado val_fecha(const char *s, char *out, size_t cap, int *permanente)
{
    static const char *const perm[] = {"permanente", "indefinido", "indefinida", "vigente",
                                       "a la fecha", "continua", "en curso",
                                       "sin fecha de termino", NULL};
    *permanente = 0;
    if (val_es_vacio(s))
        return VAL_VACIO;
    char n[128];
    imp_normalizar(s, n, sizeof n);
    for (size_t i = 0; perm[i]; i++)
        if (!strncmp(n, perm[i], strlen(perm[i]))) {
            *permanente = 1;
            return VAL_VACIO;
        }
    /* tokens: numbers and month names; "de", "del" skipped */
    long num[3];
    int esnum[3], ndig[3], k = 0, mes_txt = 0;
    char *save = NULL;
    for (char *t = strtok_r(n, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        if (!strcmp(t, "de") || !strcmp(t, "del"))
            continue;
        if (k == 3)
            return VAL_ERROR;
        int m = mes_palabra(t);
        if (m) {
            num[k] = m;
            esnum[k] = 0;
            ndig[k] = 0;
            mes_txt = 1;
            k++;
            continue;
        }
        char *end;
        long v = strtol(t, &end, 10);
        /* an ordinal day: "1o", "1º", "1°" */
        int ordinal = !strcmp(end, "o") || !strcmp(end, "\xc2\xba") || !strcmp(end, "\xc2\xb0");
        if (end == t || (*end && !ordinal))
            return VAL_ERROR;
        num[k] = v;
        esnum[k] = 1;
        ndig[k] = (int)(end - t);
        k++;
    }
    long y = 0, m = 0, d = 0;
    if (k == 1 && esnum[0] && ndig[0] == 4) {
        y = num[0];
    } else if (k == 2 && ndig[0] == 4 && esnum[1]) {
        y = num[0], m = num[1];
    } else if (k == 2 && ndig[1] == 4) {
        m = num[0], y = num[1];
    } else if (k == 3 && ndig[0] == 4) {
        y = num[0], m = num[1], d = num[2];
    } else if (k == 3 && ndig[2] == 4 && esnum[0]) {
        d = num[0], m = num[1], y = num[2];
    } else {
        return VAL_ERROR;
    }
    (void)mes_txt;
    if (y < 1000 || y > 9999 || (k >= 2 && (m < 1 || m > 12)) || (k == 3 && (d < 1 || d > 31)))
        return VAL_ERROR;
    if (k == 1)
        snprintf(out, cap, "%04ld", y);
    else if (k == 2)
        snprintf(out, cap, "%04ld-%02ld", y, m);
    else
        snprintf(out, cap, "%04ld-%02ld-%02ld", y, m, d);
    return VAL_OK;
}

const char *val_temporalidad(const char *s)
{
    char n[64];
    imp_normalizar(s, n, sizeof n);
    if (!strncmp(n, "permanente", 10))
        return "permanente";
    if (!strncmp(n, "temporal", 8))
        return "temporal";
    return NULL;
}

const char *val_ambito(const char *s)
{
    char n[64];
    imp_normalizar(s, n, sizeof n);
    if (!strncmp(n, "federal", 7))
        return "federal";
    if (!strncmp(n, "estatal", 7))
        return "estatal";
    return NULL;
}

val_estado val_objetivo(const refdata *ref, const char *s, int *num, int *otro)
{
    *num = *otro = 0;
    if (val_es_vacio(s))
        return VAL_VACIO;
    char n[1024];
    imp_normalizar(s, n, sizeof n);
    /* numbers that stand as objective numbers: first word, or after
     * "objetivo(s)", "no", "num", "numero", "y", "e", "o" or a list sign */
    int vistos[24] = {0}, distintos = 0, primero = 0;
    const char *prev = "";
    char copia[1024];
    snprintf(copia, sizeof copia, "%s", n);
    char *save = NULL;
    int pos = 0, prev_num = 0;
    for (char *t = strtok_r(copia, " ", &save); t; t = strtok_r(NULL, " ", &save), pos++) {
        char *end;
        long v = strtol(t, &end, 10);
        int es_num = *t && !*end;
        int lugar = pos == 0 || !strcmp(prev, "objetivo") || !strcmp(prev, "objetivos") ||
                    !strcmp(prev, "no") || !strcmp(prev, "num") || !strcmp(prev, "numero") ||
                    !strcmp(prev, "y") || !strcmp(prev, "e") || !strcmp(prev, "o") ||
                    !strcmp(prev, "pmm") || prev_num;   /* "3, 7": the comma is gone */
        if (es_num && lugar) {
            if (v < 1 || v > REF_OBJETIVOS) {
                *num = (int)(v > 1000 ? 1000 : v);
                return VAL_OK;   /* the validator says the range */
            }
            if (!vistos[v]++) {
                if (!primero)
                    primero = (int)v;
                else if (!*otro)
                    *otro = (int)v;
                distintos++;
            }
        }
        prev = t;
        prev_num = es_num && lugar;
        if (!es_num && strcmp(t, "objetivo") && strcmp(t, "objetivos") && strcmp(t, "y") &&
            strcmp(t, "e") && strcmp(t, "o") && strcmp(t, "no") && strcmp(t, "num") &&
            strcmp(t, "numero") && strcmp(t, "del") && strcmp(t, "pmm") && pos > 0 &&
            primero)
            break;   /* the title starts: its words are not a list */
    }
    if (distintos == 1) {
        *num = primero;
        return VAL_OK;
    }
    if (distintos > 1) {
        *num = primero;
        return VAL_ERROR;
    }
    /* the title, or its beginning (at least five words) */
    for (int o = 1; o <= REF_OBJETIVOS; o++) {
        char t[512];
        size_t len = imp_normalizar(refdata_objetivo_titulo(ref, o), t, sizeof t);
        size_t corte = 0, palabras = 0;
        for (size_t i = 0; i <= len; i++)
            if (t[i] == ' ' || t[i] == '\0') {
                corte = i;
                if (++palabras == 5)
                    break;
            }
        if (strstr(n, t) || (corte && !strncmp(n, t, corte) && strlen(n) >= corte)) {
            *num = o;
            return VAL_OK;
        }
    }
    return VAL_ERROR;
}

/* ---- bodies and states ------------------------------------------------------ */

static int trigramas(const char *a, const char *b)
{
    /* Dice coefficient over character trigrams, in per mille */
    size_t la = strlen(a), lb = strlen(b);
    if (la < 3 || lb < 3)
        return strcmp(a, b) ? 0 : 1000;
    size_t comunes = 0;
    for (size_t i = 0; i + 3 <= la; i++)
        for (size_t j = 0; j + 3 <= lb; j++)
            if (!strncmp(a + i, b + j, 3)) {
                comunes++;
                break;
            }
    return (int)(2000 * comunes / ((la - 2) + (lb - 2)));
}

const ref_dependencia *val_dependencia(const refdata *ref, const char *s, int exacto,
                                       char *sug, size_t cap)
{
    if (sug && cap)
        sug[0] = '\0';
    size_t len = strlen(s);
    const ref_dependencia *d = refdata_dependencia(ref, s, len);
    if (d)
        return d;
    char n[512], nom[512];
    imp_normalizar(s, n, sizeof n);
    size_t nd = refdata_dependencia_count(ref);
    const ref_dependencia *mejor = NULL;
    size_t mejor_len = 0;
    for (size_t i = 0; i < nd; i++) {
        const ref_dependencia *r = refdata_dependencia_at(ref, i);
        size_t l = imp_normalizar(r->nombre, nom, sizeof nom);
        if (!strcmp(n, nom))
            return r;
        if (!exacto && l > mejor_len && !strncmp(n, nom, l) && (n[l] == ' ' || !n[l])) {
            mejor = r;
            mejor_len = l;
        }
    }
    if (exacto)
        return NULL;
    /* "Nombre (SIGLA)" */
    const char *a = strrchr(s, '(');
    const char *c = a ? strchr(a, ')') : NULL;
    if (a && c && c > a + 1 && (d = refdata_dependencia(ref, a + 1, (size_t)(c - a - 1))))
        return d;
    /* "SIGLA - Nombre", "SIGLA: Nombre", "SIGLA, Nombre" or the acronym
     * alone in its first word */
    size_t k = strcspn(s, " -:,/.");
    if (k > 0 && k < len && (d = refdata_dependencia(ref, s, k)))
        return d;
    if (mejor)
        return mejor;
    if (!sug || !cap)
        return NULL;
    int punt[3] = {0, 0, 0};
    const ref_dependencia *cand[3] = {NULL, NULL, NULL};
    for (size_t i = 0; i < nd; i++) {
        const ref_dependencia *r = refdata_dependencia_at(ref, i);
        char sig[128];
        imp_normalizar(r->nombre, nom, sizeof nom);
        imp_normalizar(r->sigla, sig, sizeof sig);
        int p = trigramas(n, nom), q = trigramas(n, sig);
        if (q > p)
            p = q;
        for (int j = 0; j < 3; j++)
            if (p > punt[j]) {
                for (int m = 2; m > j; m--) {
                    punt[m] = punt[m - 1];
                    cand[m] = cand[m - 1];
                }
                punt[j] = p;
                cand[j] = r;
                break;
            }
    }
    size_t w = 0;
    for (int j = 0; j < 3 && cand[j] && punt[j] >= 200; j++) {
        int r = snprintf(sug + w, cap - w, "%s%s (%s)", w ? "; " : "", cand[j]->sigla,
                         cand[j]->nombre);
        if (r < 0 || (size_t)r >= cap - w)
            break;
        w += (size_t)r;
    }
    return NULL;
}

int val_entidad(const refdata *ref, const char *s)
{
    int code = refdata_entidad(ref, s, strlen(s));
    if (code)
        return code;
    static const char *const prefijos[] = {"gobierno del estado libre y soberano de ",
                                           "gobierno del estado de ", "gobierno de ",
                                           "estado libre y soberano de ", "estado de ",
                                           "edo de ", "edo ", NULL};
    char n[256];
    imp_normalizar(s, n, sizeof n);
    for (size_t i = 0; prefijos[i]; i++) {
        size_t l = strlen(prefijos[i]);
        if (!strncmp(n, prefijos[i], l) && (code = refdata_entidad(ref, n + l, strlen(n + l))))
            return code;
    }
    return refdata_entidad(ref, n, strlen(n));
}

/* ---- figures in a text ------------------------------------------------------ */

void val_cifras_texto(const char *s, val_cifras *out)
{
    static const struct {
        const char *palabra;
        int cual;
    } claves[] = {{"acciones", 0}, {"accion", 0}, {"personas", 1}, {"mujeres", 2},
                  {"hombres", 3}};
    int64_t valor[4] = {0, 0, 0, 0};
    int estado[4] = {0, 0, 0, 0};   /* 0 none, 1 one value, 2 ambiguous */
    memset(out, 0, sizeof *out);
    size_t n = strlen(s), i = 0;
    while (i < n) {
        if (!(isdigit((unsigned char)s[i]) && (i == 0 || !isalnum((unsigned char)s[i - 1])))) {
            i++;
            continue;
        }
        int dec;
        int64_t v;
        size_t j = numero(s, i, &v, &dec);
        size_t k = j, e;
        while ((e = espacio(s + k)) > 0)
            k += e;
        char palabra[32];
        size_t w = 0;
        while (s[k + w] && w < sizeof palabra - 1 &&
               (isalpha((unsigned char)s[k + w]) || (unsigned char)s[k + w] >= 0x80))
            w++;
        char norm[64];
        memcpy(palabra, s + k, w);
        palabra[w] = '\0';
        imp_normalizar(palabra, norm, sizeof norm);
        for (size_t c = 0; !dec && c < sizeof claves / sizeof claves[0]; c++) {
            if (strcmp(norm, claves[c].palabra))
                continue;
            int q = claves[c].cual;
            if (estado[q] == 0) {
                estado[q] = 1;
                valor[q] = v;
                size_t largo = k + w - i;
                if (largo > sizeof out->cita[q] - 1)
                    largo = sizeof out->cita[q] - 1;
                memcpy(out->cita[q], s + i, largo);
                out->cita[q][largo] = '\0';
            } else if (valor[q] != v) {
                estado[q] = 2;
            }
        }
        i = j;
    }
    out->acciones = estado[0] == 1 ? valor[0] : -1;
    out->personas = estado[1] == 1 ? valor[1] : -1;
    out->mujeres = estado[2] == 1 ? valor[2] : -1;
    out->hombres = estado[3] == 1 ? valor[3] : -1;
}

int val_periodo(const char *s)
{
    char n[512];
    imp_normalizar(s, n, sizeof n);
    const char *p = strstr(n, "periodo");
    if (!p)
        return 0;
    int ultimo = 0;
    for (const char *q = p; *q; q++)
        if (isdigit((unsigned char)q[0]) && (q == n || q[-1] == ' ')) {
            char *end;
            long y = strtol(q, &end, 10);
            if (end - q == 4 && (*end == ' ' || !*end) && y >= 2000 && y <= 2100)
                ultimo = (int)y;
            q = end - 1;
        }
    return ultimo;
}
