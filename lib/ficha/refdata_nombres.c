/* refdata_nombres.c -- the names by which bodies and states are written
 * (refdata.h): look-up of any accepted form, and the closest names for a
 * text that is none of them.
 *
 * Every accepted form is reduced to a key: folded (lower case, no
 * accents, ñ -> n: utf8_fold), then only its letters and digits, so
 * "Edo. Méx.", "EDO MEX" and "edomex" are one key. A body's key is its
 * acronym, its name or a row of alias_dependencias.csv; a state's, its
 * name, its abbreviation or a row of alias_entidades.csv. One hash map per
 * kind (lib/base/hashmap.h) holds every key: the validator looks up each
 * ficha's names, so a look-up is one probe (a state's that misses is one
 * more per prefix of alias_entidades.csv that the text starts with:
 * "Gobierno del Estado de", "Edo."...).
 *
 * A text that matches nothing is compared with every accepted form (this
 * runs only for a refusal): trigram similarity of the words catches extra
 * or missing words ("Secretaria de Salud Publica"), an edit distance with
 * transpositions catches typos ("Jalisko", "SER").
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refdata_int.h"
#include "utf8.h"

/* Longest text looked up, in bytes (fichas allow 64 characters). */
#define NOMBRE_MAX 512
/* Longest key compared by edit distance. */
#define DIST_MAX 64

/* --------------------------------------------------------------- keys */

/* Folds s[0..n) into `palabras` (words of letters and digits, one space
 * between them) and `clave` (the same without spaces). Returns the length
 * of clave (0: nothing to look up). Both buffers hold NOMBRE_MAX * 2. */
static size_t normalizar(const char *s, size_t n, char *palabras, char *clave)
{
    char folded[NOMBRE_MAX * 2];
    size_t f = utf8_fold(s, n < NOMBRE_MAX ? n : NOMBRE_MAX, folded, sizeof folded);
    size_t p = 0, c = 0;
    int sep = 0;
    for (size_t i = 0; i < f; i++) {
        char ch = folded[i];
        if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
            if (sep && p)
                palabras[p++] = ' ';
            sep = 0;
            palabras[p++] = ch;
            clave[c++] = ch;
        } else {
            sep = 1;
        }
    }
    palabras[p] = '\0';
    clave[c] = '\0';
    return c;
}

/* ------------------------------------------------------------ loading */

static int agregar_lista(ref_nombres *t, const char *texto, const char *palabras, int destino)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->lista[i].destino == destino && !strcmp(t->lista[i].palabras, palabras))
            return 0;   /* the same form twice (a name and its alias) */
    ref_nombre *l = realloc(t->lista, (t->n + 1) * sizeof *l);
    if (!l)
        return -1;
    t->lista = l;
    l[t->n].texto = strdup(texto);
    l[t->n].palabras = strdup(palabras);
    l[t->n].destino = destino;
    t->n++;
    return l[t->n - 1].texto && l[t->n - 1].palabras ? 0 : -1;
}

/* Adds texto as a name of destino. describe() says who holds a key
 * already, for the error of a key that would name two things. */
static int agregar(ref_nombres *t, const char *texto, int destino, const char *archivo,
                   size_t fila, void (*describe)(const refdata *, int, char *, size_t),
                   const refdata *self, pmm_error *err)
{
    char palabras[NOMBRE_MAX * 2], clave[NOMBRE_MAX * 2];
    size_t n = normalizar(texto, strlen(texto), palabras, clave);
    if (n == 0)
        return pmm_error_set(err, REF_ERR, "alias", "csv",
                             "%s, fila %zu: «%s» no tiene letras ni dígitos", archivo, fila,
                             texto);
    void *v;
    int added = hashmap_put(&t->mapa, clave, n, &v);
    if (added < 0)
        return refdata_oom(err);
    if (!added && *(int *)v != destino) {
        char ya[160], nuevo[160];
        describe(self, *(int *)v, ya, sizeof ya);
        describe(self, destino, nuevo, sizeof nuevo);
        return pmm_error_set(err, REF_ERR, "alias", "csv",
                             "%s, fila %zu: «%s» nombraría a %s, pero ya nombra a %s",
                             archivo, fila, texto, nuevo, ya);
    }
    *(int *)v = destino;
    return agregar_lista(t, texto, palabras, destino) ? refdata_oom(err) : 0;
}

static void describe_dep(const refdata *self, int i, char *out, size_t cap)
{
    snprintf(out, cap, "%s", self->deps[i].sigla);
}

static void describe_ent(const refdata *self, int code, char *out, size_t cap)
{
    snprintf(out, cap, "%02d (%s)", code, self->ent_nombre[code]);
}

static int on_alias_dep(void *user, size_t row, char **f, size_t n, pmm_error *err)
{
    refdata *self = user;
    if (row == 1 || (n && f[0][0] == '#'))   /* the header; comments */
        return 0;
    if (n < 2 || !*f[0] || !*f[1])
        return pmm_error_set(err, REF_ERR, "alias", "csv",
                             "alias_dependencias.csv, fila %zu: se esperan alias,sigla,nota",
                             row);
    const ref_dependencia *d = NULL;
    for (size_t i = 0; i < self->ndeps && !d; i++)
        if (!strcmp(self->deps[i].sigla, f[1]))
            d = &self->deps[i];
    if (!d)
        return pmm_error_set(err, REF_ERR, "sigla", "csv",
                             "alias_dependencias.csv, fila %zu: la sigla «%s» no está en "
                             "dependencias.csv",
                             row, f[1]);
    return agregar(&self->dep_nombres, f[0], (int)(d - self->deps), "alias_dependencias.csv",
                   row, describe_dep, self, err);
}

static int on_alias_ent(void *user, size_t row, char **f, size_t n, pmm_error *err)
{
    refdata *self = user;
    if (row == 1 || (n && f[0][0] == '#'))
        return 0;
    if (n < 3 || !*f[1])
        return pmm_error_set(err, REF_ERR, "alias", "csv",
                             "alias_entidades.csv, fila %zu: se esperan tipo,texto,clave,nota",
                             row);
    if (!strcmp(f[0], "prefijo")) {
        char palabras[NOMBRE_MAX * 2], clave[NOMBRE_MAX * 2];
        if (!normalizar(f[1], strlen(f[1]), palabras, clave))
            return pmm_error_set(err, REF_ERR, "texto", "csv",
                                 "alias_entidades.csv, fila %zu: prefijo vacío", row);
        char **p = realloc(self->ent_prefijos, (self->nprefijos + 1) * sizeof *p);
        if (!p)
            return refdata_oom(err);
        self->ent_prefijos = p;
        if (!(p[self->nprefijos++] = strdup(palabras)))
            return refdata_oom(err);
        return 0;
    }
    char *end;
    long code = strtol(f[2], &end, 10);
    if (strcmp(f[0], "alias") || *end || !*f[2] || code < 1 || code > REF_ENTIDADES)
        return pmm_error_set(err, REF_ERR, "clave", "csv",
                             "alias_entidades.csv, fila %zu: el tipo es «alias» (con una "
                             "clave INEGI de 01 a 32) o «prefijo»",
                             row);
    return agregar(&self->ent_nombres, f[1], (int)code, "alias_entidades.csv", row,
                   describe_ent, self, err);
}

static int cmp_prefijo(const void *a, const void *b)
{
    size_t la = strlen(*(char *const *)a), lb = strlen(*(char *const *)b);
    return la < lb ? 1 : la > lb ? -1 : 0;
}

int refdata_nombres_load(refdata *self, pmm_error *err)
{
    hashmap_init(&self->dep_nombres.mapa, sizeof(int));
    hashmap_init(&self->ent_nombres.mapa, sizeof(int));
    for (size_t i = 0; i < self->ndeps; i++)
        if (agregar(&self->dep_nombres, self->deps[i].sigla, (int)i, "dependencias.csv", i + 2,
                    describe_dep, self, err) ||
            agregar(&self->dep_nombres, self->deps[i].nombre, (int)i, "dependencias.csv", i + 2,
                    describe_dep, self, err))
            return -1;
    for (int c = 1; c <= REF_ENTIDADES; c++)
        if (agregar(&self->ent_nombres, self->ent_nombre[c], c, "entidades.csv", (size_t)c + 1,
                    describe_ent, self, err) ||
            agregar(&self->ent_nombres, self->ent_abrev[c], c, "entidades.csv", (size_t)c + 1,
                    describe_ent, self, err))
            return -1;
    if (refdata_leer(self, "alias_dependencias.csv", on_alias_dep, self, err) != 0 ||
        refdata_leer(self, "alias_entidades.csv", on_alias_ent, self, err) != 0)
        return -1;
    /* longest first: "gobierno del estado de" before "gobierno del" */
    qsort(self->ent_prefijos, self->nprefijos, sizeof *self->ent_prefijos, cmp_prefijo);
    return 0;
}

static void nombres_free(ref_nombres *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->lista[i].texto);
        free(t->lista[i].palabras);
    }
    free(t->lista);
    hashmap_free(&t->mapa);
}

void refdata_nombres_free(refdata *self)
{
    nombres_free(&self->dep_nombres);
    nombres_free(&self->ent_nombres);
    for (size_t i = 0; i < self->nprefijos; i++)
        free(self->ent_prefijos[i]);
    free(self->ent_prefijos);
}

/* ------------------------------------------------------------ look-up */

static int buscar(const ref_nombres *t, const char *clave, size_t n)
{
    const int *v = hashmap_get(&t->mapa, clave, n);
    return v ? *v : -1;
}

/* The text without the prefixes it starts with ("Gobierno del Estado de
 * Jalisco" -> "jalisco"), as words; NULL when it starts with none. */
static const char *sin_prefijos(const refdata *self, const char *palabras)
{
    const char *r = palabras, *antes;
    do {
        antes = r;
        for (size_t i = 0; i < self->nprefijos; i++) {
            size_t lp = strlen(self->ent_prefijos[i]);
            if (!strncmp(r, self->ent_prefijos[i], lp) && r[lp] == ' ') {
                r += lp + 1;
                break;
            }
        }
    } while (r != antes);
    return r != palabras ? r : NULL;
}

/* Words to key: the words without their spaces. */
static size_t compactar(const char *palabras, char *clave)
{
    size_t c = 0;
    for (const char *p = palabras; *p; p++)
        if (*p != ' ')
            clave[c++] = *p;
    clave[c] = '\0';
    return c;
}

const ref_dependencia *refdata_dependencia(const refdata *self, const char *text, size_t len)
{
    char palabras[NOMBRE_MAX * 2], clave[NOMBRE_MAX * 2];
    if (len == 0 || len > NOMBRE_MAX)
        return NULL;
    size_t n = normalizar(text, len, palabras, clave);
    int i = n ? buscar(&self->dep_nombres, clave, n) : -1;
    return i >= 0 ? &self->deps[i] : NULL;
}

int refdata_entidad(const refdata *self, const char *text, size_t len)
{
    if (len == 0 || len > NOMBRE_MAX)
        return 0;
    if (len <= 2 && text[0] >= '0' && text[0] <= '9' &&
        (len == 1 || (text[1] >= '0' && text[1] <= '9'))) {
        int code = len == 1 ? text[0] - '0' : (text[0] - '0') * 10 + text[1] - '0';
        return code >= 1 && code <= REF_ENTIDADES ? code : 0;
    }
    char palabras[NOMBRE_MAX * 2], clave[NOMBRE_MAX * 2];
    size_t n = normalizar(text, len, palabras, clave);
    if (n == 0)
        return 0;
    int code = buscar(&self->ent_nombres, clave, n);
    if (code > 0)
        return code;
    const char *resto = sin_prefijos(self, palabras);
    if (resto && (n = compactar(resto, clave)) > 0)
        code = buscar(&self->ent_nombres, clave, n);
    return code > 0 ? code : 0;
}

/* --------------------------------------------------------- similarity */

/* Trigrams of " " + s + " " with a space before each word, as sorted
 * codes; returns how many (at most cap). */
static size_t trigramas(const char *s, uint32_t *out, size_t cap)
{
    char buf[DIST_MAX * 2 + 4];
    size_t n = (size_t)snprintf(buf, sizeof buf, "  %s ", s);
    if (n >= sizeof buf)
        n = sizeof buf - 1;
    size_t k = 0;
    for (size_t i = 0; i + 2 < n && k < cap; i++)
        out[k++] = (uint32_t)(unsigned char)buf[i] << 16 |
                   (uint32_t)(unsigned char)buf[i + 1] << 8 | (unsigned char)buf[i + 2];
    /* insertion sort: a few dozen codes */
    for (size_t i = 1; i < k; i++) {
        uint32_t v = out[i];
        size_t j = i;
        for (; j > 0 && out[j - 1] > v; j--)
            out[j] = out[j - 1];
        out[j] = v;
    }
    return k;
}

/* Dice coefficient of two sorted trigram lists (repeats count). */
static double dice(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
    if (!na || !nb)
        return 0;
    size_t i = 0, j = 0, comunes = 0;
    while (i < na && j < nb) {
        if (a[i] == b[j]) {
            comunes++;
            i++;
            j++;
        } else if (a[i] < b[j]) {
            i++;
        } else {
            j++;
        }
    }
    return 2.0 * (double)comunes / (double)(na + nb);
}

/* Edit distance with adjacent transpositions (optimal string alignment). */
static size_t distancia(const char *a, size_t la, const char *b, size_t lb)
{
    size_t d[DIST_MAX + 1][DIST_MAX + 1];
    if (la > DIST_MAX || lb > DIST_MAX)
        return DIST_MAX;
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

/* How alike a query (its key and trigrams) and a candidate are, 0..1; 0 when not
 * enough to be suggested. */
static double parecido(const char *clave, size_t nclave, const uint32_t *tq, size_t ntq,
                       const ref_nombre *c)
{
    char cclave[NOMBRE_MAX * 2];
    size_t nc = compactar(c->palabras, cclave);
    uint32_t tc[DIST_MAX * 2 + 4];
    size_t ntc = trigramas(c->palabras, tc, sizeof tc / sizeof tc[0]);
    double s = dice(tq, ntq, tc, ntc);
    double score = s >= 0.5 ? s : 0;
    size_t largo = nclave > nc ? nclave : nc;
    size_t lim = largo <= 4 ? 1 : largo <= 8 ? 2 : 3;
    size_t dif = nclave > nc ? nclave - nc : nc - nclave;
    if (dif <= lim) {
        size_t d = distancia(clave, nclave, cclave, nc);
        double sd = 1.0 - (double)d / (double)largo;
        if (d <= lim && sd > score)
            score = sd;
    }
    return score;
}

/* Up to cap destinations most like the text (best first), each once, and
 * only those close to the best. */
static size_t parecidos(const ref_nombres *t, const char *const formas[2], int *out,
                        size_t cap)
{
    double mejor[8] = {0};
    int dest[8];
    size_t k = 0;
    if (cap > 8)
        cap = 8;
    for (int f = 0; f < 2; f++) {
        if (!formas[f] || !*formas[f])
            continue;
        char clave[NOMBRE_MAX * 2];
        size_t nclave = compactar(formas[f], clave);
        uint32_t tq[DIST_MAX * 2 + 4];
        size_t ntq = trigramas(formas[f], tq, sizeof tq / sizeof tq[0]);
        for (size_t i = 0; i < t->n; i++) {
            double s = parecido(clave, nclave, tq, ntq, &t->lista[i]);
            if (s <= 0)
                continue;
            int d = t->lista[i].destino;
            size_t j = 0;
            while (j < k && dest[j] != d)
                j++;
            if (j < k) {
                if (s <= mejor[j])
                    continue;
                /* remove and insert again in order */
                memmove(&mejor[j], &mejor[j + 1], (k - j - 1) * sizeof mejor[0]);
                memmove(&dest[j], &dest[j + 1], (k - j - 1) * sizeof dest[0]);
                k--;
            }
            size_t p = 0;
            while (p < k && mejor[p] >= s)
                p++;
            if (p >= cap)
                continue;
            if (k == cap)
                k--;
            memmove(&mejor[p + 1], &mejor[p], (k - p) * sizeof mejor[0]);
            memmove(&dest[p + 1], &dest[p], (k - p) * sizeof dest[0]);
            mejor[p] = s;
            dest[p] = d;
            k++;
        }
    }
    size_t n = 0;
    while (n < k && mejor[n] >= mejor[0] - 0.15)
        out[n] = dest[n], n++;
    return n;
}

size_t refdata_dependencia_parecidas(const refdata *self, const char *text, size_t len,
                                     const ref_dependencia **out, size_t cap)
{
    char palabras[NOMBRE_MAX * 2], clave[NOMBRE_MAX * 2];
    if (len == 0 || len > NOMBRE_MAX || !normalizar(text, len, palabras, clave))
        return 0;
    const char *formas[2] = {palabras, NULL};
    int idx[8];
    size_t n = parecidos(&self->dep_nombres, formas, idx, cap);
    for (size_t i = 0; i < n; i++)
        out[i] = &self->deps[idx[i]];
    return n;
}

size_t refdata_entidad_parecidas(const refdata *self, const char *text, size_t len,
                                 int *out, size_t cap)
{
    char palabras[NOMBRE_MAX * 2], clave[NOMBRE_MAX * 2];
    if (len == 0 || len > NOMBRE_MAX || !normalizar(text, len, palabras, clave))
        return 0;
    const char *formas[2] = {palabras, sin_prefijos(self, palabras)};
    return parecidos(&self->ent_nombres, formas, out, cap);
}

/* ", " between items and " o " before the last. */
static const char *separador(size_t i, size_t n)
{
    return i == 0 ? "" : i + 1 == n ? " o " : ", ";
}

size_t refdata_dependencia_sugerencia(const refdata *self, const char *text, size_t len,
                                      char *out, size_t cap)
{
    const ref_dependencia *d[3];
    size_t n = refdata_dependencia_parecidas(self, text, len, d, 3);
    size_t w = 0;
    if (cap)
        out[0] = '\0';
    for (size_t i = 0; i < n && w < cap; i++)
        w += (size_t)snprintf(out + w, cap - w, "%s%s%s (%s)", i ? "" : "¿quiso decir ",
                              separador(i, n), d[i]->sigla, d[i]->nombre);
    if (n && w < cap)
        w += (size_t)snprintf(out + w, cap - w, "?");
    return w < cap ? w : cap ? cap - 1 : 0;
}

size_t refdata_entidad_sugerencia(const refdata *self, const char *text, size_t len,
                                  char *out, size_t cap)
{
    int c[3];
    size_t n = refdata_entidad_parecidas(self, text, len, c, 3);
    size_t w = 0;
    if (cap)
        out[0] = '\0';
    for (size_t i = 0; i < n && w < cap; i++)
        w += (size_t)snprintf(out + w, cap - w, "%s%s%02d (%s)", i ? "" : "¿quiso decir ",
                              separador(i, n), c[i], self->ent_nombre[c[i]]);
    if (n && w < cap)
        w += (size_t)snprintf(out + w, cap - w, "?");
    return w < cap ? w : cap ? cap - 1 : 0;
}

/* ------------------------------------------------- command-line options */

const ref_dependencia *refdata_pedir_dependencia(const refdata *self, const char *opcion,
                                                 const char *valor, pmm_error *err)
{
    size_t n = strlen(valor);
    const ref_dependencia *d = refdata_dependencia(self, valor, n);
    if (d)
        return d;
    char sug[320];
    refdata_dependencia_sugerencia(self, valor, n, sug, sizeof sug);
    pmm_error_set(err, 1, opcion, "desconocida",
                  "%s: «%.60s» no es la sigla ni el nombre de una dependencia registrada"
                  "%s%s (siglas y nombres aceptados: data/dependencias.csv y "
                  "data/alias_dependencias.csv)",
                  opcion, valor, sug[0] ? "; " : "", sug);
    return NULL;
}

int refdata_pedir_entidad(const refdata *self, const char *opcion, const char *valor,
                          pmm_error *err)
{
    size_t n = strlen(valor);
    int code = refdata_entidad(self, valor, n);
    if (code)
        return code;
    char sug[320];
    refdata_entidad_sugerencia(self, valor, n, sug, sizeof sug);
    pmm_error_set(err, 1, opcion, "desconocida",
                  "%s: «%.60s» no es una clave INEGI 01-32 ni el nombre de una entidad "
                  "federativa%s%s (nombres aceptados: data/entidades.csv y "
                  "data/alias_entidades.csv)",
                  opcion, valor, sug[0] ? "; " : "", sug);
    return 0;
}
