#include "texto.h"

#include <errno.h>
#include <libstemmer.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unictype.h>
#include <unistr.h>

#include "hashmap.h"
#include "utf8.h"

/* Stem cache: direct-mapped, keyed by the folded word. Stemming dominates
 * the cost of the pipeline and a ficha repeats few distinct words. */
#define CACHE_SLOTS (1u << 14)
#define CACHE_WORD 24

typedef struct {
    uint8_t wlen;                   /* 0 = empty */
    uint8_t slen;
    uint8_t parada;
    char w[CACHE_WORD];
    char st[CACHE_WORD];
} cache_slot;

typedef struct {
    size_t off;                     /* into pool */
    size_t len;
    texto_tipo tipo;
    bool parada;
    bool corte;
    size_t ini, fin;                /* bytes of the input it came from */
} raw_token;

struct texto {
    struct sb_stemmer *stemmer;
    hashmap stop;                   /* folded stop words (a set) */
    cache_slot *cache;
    char *fold;                     /* folded input */
    size_t fold_cap;
    char *pool;                     /* token strings, NUL-separated */
    size_t pool_len, pool_cap;
    raw_token *raw;
    texto_token *toks;
    size_t ntoks, toks_cap;
    char *stem_buf;                 /* folded stem of the last word */
    size_t stem_cap;
};

static int load_stopwords(texto *self, const char *path, pmm_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return pmm_error_set(err, 7, "", "archivo",
                             "no se puede abrir %s: %s", path, strerror(errno));
    char line[256], folded[512];
    size_t lineno = 0;
    int rc = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        size_t n = utf8_fold(line, strlen(line), folded, sizeof folded);
        size_t a = 0;
        while (a < n && (folded[a] == ' ' || folded[a] == '\t' ||
                         folded[a] == '\r' || folded[a] == '\n'))
            a++;
        size_t b = n;
        while (b > a && (folded[b - 1] == ' ' || folded[b - 1] == '\t' ||
                         folded[b - 1] == '\r' || folded[b - 1] == '\n'))
            b--;
        if (b == a)
            continue;
        void *v;
        if (hashmap_put(&self->stop, folded + a, b - a, &v) < 0) {
            rc = pmm_error_set(err, 7, "", "memoria", "sin memoria");
            break;
        }
    }
    fclose(f);
    return rc;
}

texto *texto_new(const char *stopwords_path, pmm_error *err)
{
    texto *self = calloc(1, sizeof *self);
    if (!self) {
        pmm_error_set(err, 7, "", "memoria", "sin memoria");
        return NULL;
    }
    hashmap_init(&self->stop, 0);
    self->stemmer = sb_stemmer_new("spanish", NULL);
    self->cache = calloc(CACHE_SLOTS, sizeof *self->cache);
    if (!self->stemmer || !self->cache) {
        pmm_error_set(err, 7, "", "stemmer",
                      "no se pudo iniciar el lematizador de español");
        texto_destroy(&self);
        return NULL;
    }
    if (stopwords_path && load_stopwords(self, stopwords_path, err) != 0) {
        texto_destroy(&self);
        return NULL;
    }
    return self;
}

void texto_destroy(texto **self_p)
{
    if (!self_p || !*self_p)
        return;
    texto *self = *self_p;
    if (self->stemmer)
        sb_stemmer_delete(self->stemmer);
    hashmap_free(&self->stop);
    free(self->cache);
    free(self->fold);
    free(self->pool);
    free(self->raw);
    free(self->toks);
    free(self->stem_buf);
    free(self);
    *self_p = NULL;
}

char *texto_normalizar(const char *s, size_t n)
{
    size_t cap = n * 2 + 16;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    utf8_fold(s, n, out, cap);
    return out;
}

const char *texto_raiz(texto *self, const char *w, size_t len, size_t *out_len)
{
    const sb_symbol *st = sb_stemmer_stem(self->stemmer, (const sb_symbol *)w,
                                          (int)len);
    const char *src = st ? (const char *)st : w;
    size_t sl = st ? (size_t)sb_stemmer_length(self->stemmer) : len;
    if (sl + 1 > self->stem_cap) {
        char *nb = realloc(self->stem_buf, sl + 16);
        if (!nb) {                  /* out of memory: the word itself */
            *out_len = len;
            return w;
        }
        self->stem_buf = nb;
        self->stem_cap = sl + 16;
    }
    sl = utf8_fold(src, sl, self->stem_buf, self->stem_cap);
    *out_len = sl;
    return self->stem_buf;
}

static inline bool is_letter(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || c >= 0x80;
}

static inline bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* Punctuation that ends a clause: bigrams and units never cross it. */
static inline bool is_corte(unsigned char c)
{
    return c == '.' || c == ',' || c == ';' || c == ':' || c == '(' ||
           c == ')' || c == '[' || c == ']' || c == '?' || c == '!' ||
           c == '"' || c == '\n' || c == '{' || c == '}' || c == '|';
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap : 64;
    while (ncap < need)
        ncap *= 2;
    void *np = realloc(*p, ncap * elem);
    if (!np)
        return -1;
    *p = np;
    *cap = ncap;
    return 0;
}

static int pool_put(texto *self, const char *s, size_t n, size_t *off)
{
    if (grow((void **)&self->pool, &self->pool_cap, self->pool_len + n + 1, 1))
        return -1;
    *off = self->pool_len;
    memcpy(self->pool + self->pool_len, s, n);
    self->pool[self->pool_len + n] = '\0';
    self->pool_len += n + 1;
    return 0;
}

static int push_token(texto *self, const char *s, size_t n, texto_tipo tipo,
                      bool parada, bool corte)
{
    if (grow((void **)&self->raw, &self->toks_cap, self->ntoks + 1,
             sizeof *self->raw))
        return -1;
    raw_token *t = &self->raw[self->ntoks];
    if (pool_put(self, s, n, &t->off))
        return -1;
    t->len = n;
    t->tipo = tipo;
    t->parada = parada;
    t->corte = corte;
    self->ntoks++;
    return 0;
}

/* Lower case that keeps accents (the Snowball stemmer needs them to see
 * suffixes such as -ación): ASCII and the Latin-1 capitals only. */
static size_t lower_keep_accents(const char *s, size_t n, char *out)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        if (c >= 'A' && c <= 'Z') {
            out[i] = (char)(c + 32);
        } else if (c == 0xc3 && i + 1 < n && p[i + 1] >= 0x80 &&
                   p[i + 1] <= 0x9e && p[i + 1] != 0x97) {
            out[i] = (char)c;
            out[i + 1] = (char)(p[i + 1] + 0x20);
            i++;
        } else {
            out[i] = (char)c;
        }
    }
    return n;
}

/* Classifies the code point at f[i] (>= 0x80): returns its length and sets
 * *letter and *corte. Invalid bytes are one-byte separators. */
static size_t classify_mb(const unsigned char *f, size_t i, size_t fl,
                          bool *letter, bool *corte)
{
    if (f[i] == 0xc3 && i + 1 < fl && f[i + 1] >= 0x80 && f[i + 1] <= 0xbf) {
        /* Latin-1 letters (all but × and ÷), the common case */
        *letter = f[i + 1] != 0x97 && f[i + 1] != 0xb7;
        *corte = false;
        return 2;
    }
    ucs4_t uc;
    int len = u8_mbtouc(&uc, f + i, fl - i);
    if (len <= 0)
        len = 1;
    *letter = uc != 0xfffd && (uc_is_alpha(uc) || uc_is_property_diacritic(uc));
    *corte = !*letter && (uc == 0xab || uc == 0xbb || uc == 0x201c ||
                          uc == 0x201d || uc == 0x2026 || uc == 0x2013 ||
                          uc == 0x2014 || uc == 0xbf || uc == 0xa1);
    return (size_t)len;
}

/* Stem of one lower-case word (accents kept), folded to ASCII. */
static int stem_word(texto *self, const char *w, size_t wl, bool *parada)
{
    /* the cache answers most words: stop word or stem, already folded */
    cache_slot *slot = NULL;
    if (wl < CACHE_WORD) {
        slot = &self->cache[hashmap_hash(w, wl) & (CACHE_SLOTS - 1)];
        if (slot->wlen == wl && !memcmp(slot->w, w, wl)) {
            *parada = slot->parada;
            return push_token(self, slot->st, slot->slen, TEXTO_PALABRA,
                              slot->parada, false);
        }
    }
    const char *w0 = w;
    size_t wl0 = wl;
    char folded[CACHE_WORD * 4];
    char fixed[CACHE_WORD * 4];
    size_t fn;
    if (wl < sizeof folded / 2) {
        fn = utf8_fold(w, wl, folded, sizeof folded);
    } else {
        /* long words are never stop words; stem them as they are */
        fn = 0;
    }
    if (fn && hashmap_get(&self->stop, folded, fn)) {
        *parada = true;
        if (slot && fn < CACHE_WORD) {
            memcpy(slot->w, w0, wl0);
            slot->wlen = (uint8_t)wl0;
            memcpy(slot->st, folded, fn);
            slot->st[fn] = '\0';
            slot->slen = (uint8_t)fn;
            slot->parada = 1;
        }
        return push_token(self, folded, fn, TEXTO_PALABRA, true, false);
    }
    *parada = false;
    /* "ü" only marks pronunciation: stem "bilingüe" like "bilingue" */
    char sin_dieresis[CACHE_WORD * 4];
    if (wl < sizeof sin_dieresis && memmem(w, wl, "\xc3\xbc", 2)) {
        size_t o = 0;
        for (size_t i = 0; i < wl; i++) {
            if (i + 1 < wl && (unsigned char)w[i] == 0xc3 &&
                (unsigned char)w[i + 1] == 0xbc) {
                sin_dieresis[o++] = 'u';
                i++;
            } else {
                sin_dieresis[o++] = w[i];
            }
        }
        w = sin_dieresis;
        wl = o;
        fn = utf8_fold(w, wl, folded, sizeof folded);
    }
    /* Text typed without accents: restore the two suffixes whose accent
     * changes the stem ("informacion" -> "información"). */
    if (fn == wl && wl + 2 < sizeof fixed) {
        if (wl > 5 && !memcmp(w + wl - 4, "cion", 4)) {
            memcpy(fixed, w, wl - 2);
            memcpy(fixed + wl - 2, "\xc3\xb3n", 3);
            w = fixed;
            wl = wl + 1;
        } else if (wl > 6 && !memcmp(w + wl - 5, "logia", 5)) {
            memcpy(fixed, w, wl - 2);
            memcpy(fixed + wl - 2, "\xc3\xad" "a", 3);
            w = fixed;
            wl = wl + 1;
        }
    }
    size_t sl;
    const char *st = texto_raiz(self, w, wl, &sl);
    if (slot && sl < CACHE_WORD) {
        memcpy(slot->w, w0, wl0);
        slot->wlen = (uint8_t)wl0;
        memcpy(slot->st, st, sl);
        slot->st[sl] = '\0';
        slot->slen = (uint8_t)sl;
        slot->parada = 0;
    }
    return push_token(self, st, sl, TEXTO_PALABRA, false, false);
}

int texto_analizar(texto *self, const char *s, size_t n,
                   const texto_token **toks, size_t *ntoks, pmm_error *err)
{
    self->ntoks = 0;
    self->pool_len = 0;
    *toks = NULL;
    *ntoks = 0;
    if (!s || n == 0)
        return 0;
    if (n + 16 > self->fold_cap) {
        char *nf = realloc(self->fold, n + 16);
        if (!nf)
            return pmm_error_set(err, 7, "", "memoria", "sin memoria");
        self->fold = nf;
        self->fold_cap = n + 16;
    }
    size_t fl = lower_keep_accents(s, n, self->fold);
    const unsigned char *f = (const unsigned char *)self->fold;
    char digits[64];
    bool corte = true;
    size_t i = 0;
    while (i < fl) {
        unsigned char c = f[i];
        bool letter = false, mb_corte = false;
        size_t clen = 1;
        if (c >= 0x80)
            clen = classify_mb(f, i, fl, &letter, &mb_corte);
        else
            letter = c >= 'a' && c <= 'z';
        if (!letter && !is_digit(c)) {
            if (is_corte(c) || mb_corte)
                corte = true;
            i += clen;
            continue;
        }
        size_t a = i;
        if (!letter) {
            /* A number: digits, with , . or a single space before a group
             * of exactly three digits as thousands separators. */
            size_t nd = 0;
            size_t j = i;
            while (j < fl) {
                if (is_digit(f[j])) {
                    if (nd < sizeof digits - 1)
                        digits[nd++] = (char)f[j];
                    j++;
                } else if ((f[j] == ',' || f[j] == '.') && j + 1 < fl &&
                           is_digit(f[j + 1])) {
                    j++;
                } else if (f[j] == ' ' && j + 3 < fl && is_digit(f[j + 1]) &&
                           is_digit(f[j + 2]) && is_digit(f[j + 3]) &&
                           (j + 4 >= fl || (!is_digit(f[j + 4]) &&
                                            !is_letter(f[j + 4])))) {
                    j++;
                } else {
                    break;
                }
            }
            if (!(j < fl && is_letter(f[j]) && is_digit(f[j - 1]))) {
                if (push_token(self, digits, nd, TEXTO_NUMERO, false, corte))
                    return pmm_error_set(err, 7, "", "memoria", "sin memoria");
                self->raw[self->ntoks - 1].ini = a;
                self->raw[self->ntoks - 1].fin = j;
                corte = false;
                i = j;
                continue;
            }
            /* "3x1", "2do": an alphanumeric word */
        }
        size_t b = i;
        while (b < fl) {
            if (is_digit(f[b]) || (f[b] >= 'a' && f[b] <= 'z')) {
                b++;
                continue;
            }
            if (f[b] < 0x80)
                break;
            bool l2, c2;
            size_t l = classify_mb(f, b, fl, &l2, &c2);
            if (!l2)
                break;
            b += l;
        }
        bool parada;
        if (stem_word(self, self->fold + a, b - a, &parada))
            return pmm_error_set(err, 7, "", "memoria", "sin memoria");
        self->raw[self->ntoks - 1].corte = corte;
        self->raw[self->ntoks - 1].ini = a;
        self->raw[self->ntoks - 1].fin = b;
        corte = false;
        i = b;
    }
    if (self->ntoks > 0) {
        texto_token *nt = realloc(self->toks, self->toks_cap * sizeof *nt);
        if (!nt)
            return pmm_error_set(err, 7, "", "memoria", "sin memoria");
        self->toks = nt;
    }
    for (size_t k = 0; k < self->ntoks; k++) {
        const raw_token *r = &self->raw[k];
        self->toks[k] = (texto_token){.s = self->pool + r->off,
                                      .len = r->len,
                                      .tipo = r->tipo,
                                      .parada = r->parada,
                                      .corte = r->corte,
                                      .ini = r->ini,
                                      .fin = r->fin};
    }
    *toks = self->toks;
    *ntoks = self->ntoks;
    return 0;
}

/* Words skipped between a number and its unit ("2 mil personas"). */
static bool is_multiplier(const texto_token *t)
{
    return (t->len == 3 && !memcmp(t->s, "mil", 3)) ||
           (t->len == 6 && !memcmp(t->s, "millon", 6)) ||
           (t->len == 4 && !memcmp(t->s, "casi", 4)) ||
           (t->len == 5 && !memcmp(t->s, "total", 5));
}

static int emit(texto_rasgo_fn fn, void *user, const char *a, size_t al,
                char sep, const char *b, size_t bl)
{
    char buf[TEXTO_MAX_RASGO];
    size_t n = 0;
    if (sep == '#')
        buf[n++] = '#';
    size_t take = al < sizeof buf - 1 - n ? al : sizeof buf - 1 - n;
    memcpy(buf + n, a, take);
    n += take;
    if (b) {
        if (n < sizeof buf - 1)
            buf[n++] = sep;
        take = bl < sizeof buf - 1 - n ? bl : sizeof buf - 1 - n;
        memcpy(buf + n, b, take);
        n += take;
    }
    buf[n] = '\0';
    return fn(user, buf, n);
}

int texto_rasgos_tokens(const texto_token *toks, size_t ntoks,
                        unsigned opciones, texto_rasgo_fn fn, void *user)
{
    const texto_token *prev = NULL;     /* previous content word */
    for (size_t i = 0; i < ntoks; i++) {
        const texto_token *t = &toks[i];
        if (t->corte)
            prev = NULL;
        if (t->tipo == TEXTO_NUMERO) {
            prev = NULL;
            if (!(opciones & TEXTO_UNIDADES))
                continue;
            for (size_t j = i + 1; j < ntoks && j <= i + 4; j++) {
                const texto_token *u = &toks[j];
                if (u->corte || u->tipo == TEXTO_NUMERO)
                    break;
                if (u->parada || is_multiplier(u))
                    continue;
                if (u->len > 1 && emit(fn, user, u->s, u->len, '#', NULL, 0))
                    return -1;
                break;
            }
            continue;
        }
        if (t->parada)
            continue;
        if (t->len < 2) {               /* single letters carry nothing */
            prev = NULL;
            continue;
        }
        if ((opciones & TEXTO_UNIGRAMAS) &&
            emit(fn, user, t->s, t->len, 0, NULL, 0))
            return -1;
        if ((opciones & TEXTO_BIGRAMAS) && prev &&
            emit(fn, user, prev->s, prev->len, '_', t->s, t->len))
            return -1;
        prev = t;
    }
    return 0;
}

int texto_rasgos(texto *self, const char *s, size_t n, unsigned opciones,
                 texto_rasgo_fn fn, void *user, pmm_error *err)
{
    const texto_token *toks;
    size_t ntoks;
    if (texto_analizar(self, s, n, &toks, &ntoks, err) != 0)
        return -1;
    if (texto_rasgos_tokens(toks, ntoks, opciones, fn, user) != 0)
        return pmm_error_set(err, 7, "", "rasgos",
                             "se interrumpió la extracción de rasgos");
    return 0;
}
