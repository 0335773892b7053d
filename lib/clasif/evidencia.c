/* evidencia.c -- evidence in an analyst's words (clasif_evidencia.h). */
#include "clasif_evidencia.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "clasif_ref.h"
#include "refdata.h"
#include "utf8.h"

static void vevid(char *o, const char *fmt, va_list ap)
{
    char buf[CLASIF_EVID_LEN * 2];
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    if (n < 0) {
        o[0] = '\0';
        return;
    }
    size_t full = strlen(buf), len = full;
    if (len >= CLASIF_EVID_LEN)
        len = utf8_cut(buf, len, CLASIF_EVID_LEN - 4);
    memcpy(o, buf, len);
    if (len < full) {
        memcpy(o + len, "\xe2\x80\xa6", 3);   /* "…" */
        len += 3;
    }
    o[len] = '\0';
}

void clasif_evid(clasif_resultado *out, const char *fmt, ...)
{
    if (out->nevidencia >= CLASIF_MAX_EVID)
        return;
    va_list ap;
    va_start(ap, fmt);
    vevid(out->evidencia[out->nevidencia++], fmt, ap);
    va_end(ap);
}

void clasif_evid_en(char *dst, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vevid(dst, fmt, ap);
    va_end(ap);
}

const char *clasif_evid_subtema(const clasificador *c, const tax_def *t, const char *code)
{
    const ref_taxonomia *rt = c->rd && t ? refdata_taxonomia(c->rd, t->nombre) : NULL;
    const ref_subtema *s = rt ? ref_taxonomia_subtema(rt, code) : NULL;
    return s && *s->nombre ? s->nombre : code;
}

/* The text of tokens a..b of field s, lower case (ASCII letters only: the
 * pipeline's own lowering), into buf. */
static void trozo(const char *s, const texto_token *a, const texto_token *b, char *buf,
                  size_t cap)
{
    size_t n = b->fin - a->ini;
    if (n >= cap)
        n = utf8_cut(s + a->ini, n, cap - 1);
    for (size_t i = 0; i < n; i++) {
        char ch = s[a->ini + i];
        buf[i] = ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : ch;
    }
    buf[n] = '\0';
}

static bool igual(const texto_token *t, const char *s, size_t n)
{
    return t->tipo == TEXTO_PALABRA && !t->parada && t->len == n && !memcmp(t->s, s, n);
}

/* Finds feature f (stem, "a_b" bigram or "#unit") among the tokens of one
 * field; the words as written into buf. */
static bool buscar(const char *campo, const texto_token *tk, size_t nt, const char *f,
                   char *buf, size_t cap)
{
    if (f[0] == '#') {            /* a number and its unit: "10 talleres" */
        size_t n = strlen(f + 1);
        for (size_t i = 0; i < nt; i++) {
            if (!igual(&tk[i], f + 1, n))
                continue;
            size_t j = i;
            while (j > 0 && i - j < 3 && tk[j - 1].tipo != TEXTO_NUMERO)
                j--;
            trozo(campo, j > 0 && tk[j - 1].tipo == TEXTO_NUMERO ? &tk[j - 1] : &tk[i],
                  &tk[i], buf, cap);
            return true;
        }
        return false;
    }
    const char *us = strchr(f, '_');
    if (us) {                     /* two content words, stop words between */
        size_t n1 = (size_t)(us - f), n2 = strlen(us + 1);
        for (size_t i = 0; i < nt; i++) {
            if (!igual(&tk[i], f, n1))
                continue;
            size_t j = i + 1;
            while (j < nt && tk[j].parada && !tk[j].corte)
                j++;
            if (j < nt && !tk[j].corte && igual(&tk[j], us + 1, n2)) {
                trozo(campo, &tk[i], &tk[j], buf, cap);
                return true;
            }
        }
        return false;
    }
    size_t n = strlen(f);
    for (size_t i = 0; i < nt; i++)
        if (igual(&tk[i], f, n)) {
            trozo(campo, &tk[i], &tk[i], buf, cap);
            return true;
        }
    return false;
}

#define MAX_TERMINOS 8

void clasif_evid_terminos(worker *w, const clasif_entrada *in, const char *const *rasgos,
                          size_t n, clasif_resultado *out)
{
    const char *campos[] = {in->programa, in->objetivo, in->poblacion, in->resultados};
    char hallado[MAX_TERMINOS][96];
    const char *nota[MAX_TERMINOS];
    if (n > MAX_TERMINOS)
        n = MAX_TERMINOS;
    for (size_t k = 0; k < n; k++) {
        hallado[k][0] = '\0';
        nota[k] = "";
        const char *f = rasgos[k];
        if (f[0] == '@' && strcmp(f, "@ambito_estatal") && in->dependencia &&
            *in->dependencia) {        /* the reporting body */
            snprintf(hallado[k], sizeof hallado[k], "%s", in->dependencia);
            nota[k] = " (institución que reporta)";
        }
    }
    /* each field analysed once, every feature looked for in it */
    for (size_t c = 0; c < 4; c++) {
        const texto_token *tk = NULL;
        size_t nt = 0;
        bool analizado = false;
        for (size_t k = 0; k < n; k++) {
            const char *f = rasgos[k];
            bool nombre = !strncmp(f, "p:", 2);
            if (hallado[k][0] || f[0] == '~' || f[0] == '@' || (nombre && c > 0) ||
                !campos[c] || !*campos[c])
                continue;
            if (!analizado) {
                pmm_error ignorado;
                if (texto_analizar(w->tx, campos[c], strlen(campos[c]), &tk, &nt,
                                   &ignorado) != 0)
                    break;
                analizado = true;
            }
            if (buscar(campos[c], tk, nt, nombre ? f + 2 : f, hallado[k],
                       sizeof hallado[k]) && c == 0)
                nota[k] = " (nombre del programa)";
        }
    }
    char linea[CLASIF_EVID_LEN * 2];
    size_t len = 0, puestos = 0;
    linea[0] = '\0';
    for (size_t k = 0; k < n && puestos < 5 && len < sizeof linea; k++) {
        if (!hallado[k][0])
            continue;
        bool repetido = false;
        for (size_t v = 0; v < k; v++)
            repetido |= !strcmp(hallado[v], hallado[k]);
        if (repetido)
            continue;
        puestos++;
        len += (size_t)snprintf(linea + len, sizeof linea - len, "%s«%s»%s",
                                len ? ", " : "", hallado[k], nota[k]);
    }
    if (puestos)
        clasif_evid(out, "términos del texto que más pesaron: %s", linea);
}
