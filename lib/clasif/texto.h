/* texto.h -- the Spanish text pipeline the classifier runs on every ficha.
 *
 * Steps: lower case and accent folding (utf8_fold), tokenisation into words
 * and numbers, stop words (a data file, one word a line), Snowball Spanish
 * stemming (libstemmer) and features built from the stems:
 *
 *   "salud"            a stem (unigram)
 *   "acta_nacimient"   two consecutive content stems (bigram); bigrams never
 *                      cross punctuation that ends a clause (. ; : ( ) etc.)
 *   "#taller"          a number followed by a unit word ("10 talleres",
 *                      "2 500 consultas", "1,047 acciones")
 *
 * A texto object owns a stemmer (not thread-safe) and a stem cache, so each
 * thread uses its own. Results are valid until the next call on the object.
 */
#ifndef PMM_TEXTO_H
#define PMM_TEXTO_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

typedef struct texto texto;

typedef enum { TEXTO_PALABRA = 0, TEXTO_NUMERO = 1 } texto_tipo;

typedef struct {
    const char *s;      /* stem of a word, or the digits of a number */
    size_t len;
    texto_tipo tipo;
    bool parada;        /* a stop word (its stem is the folded word) */
    bool corte;         /* a clause boundary precedes this token */
    size_t ini, fin;    /* where it was in the analysed text: bytes ini..fin */
} texto_token;

/* Feature options for texto_rasgos. */
#define TEXTO_UNIGRAMAS 1u
#define TEXTO_BIGRAMAS 2u
#define TEXTO_UNIDADES 4u
#define TEXTO_TODO (TEXTO_UNIGRAMAS | TEXTO_BIGRAMAS | TEXTO_UNIDADES)

/* Longest feature string handed to a callback (longer ones are cut). */
#define TEXTO_MAX_RASGO 96

/* Creates a pipeline. stopwords_path may be NULL (no stop words). */
texto *texto_new(const char *stopwords_path, pmm_error *err);
void texto_destroy(texto **self_p);

/* Folds s[0..n) into a new NUL-terminated string (caller frees). */
char *texto_normalizar(const char *s, size_t n);

/* Stem of one lower-case word (accents allowed: the Snowball rules need
 * them), folded to ASCII; valid until the next call on self. */
const char *texto_raiz(texto *self, const char *w, size_t len, size_t *out_len);

/* Tokenises s[0..n) (UTF-8; invalid bytes are dropped). *toks points into
 * self and stays valid until the next call. */
int texto_analizar(texto *self, const char *s, size_t n,
                   const texto_token **toks, size_t *ntoks, pmm_error *err);

/* Called once per feature occurrence; return 0 to go on, -1 to stop. */
typedef int (*texto_rasgo_fn)(void *user, const char *rasgo, size_t len);

/* Emits the features of s[0..n) selected by opciones (TEXTO_*). */
int texto_rasgos(texto *self, const char *s, size_t n, unsigned opciones,
                 texto_rasgo_fn fn, void *user, pmm_error *err);

/* Same, for tokens already produced by texto_analizar. */
int texto_rasgos_tokens(const texto_token *toks, size_t ntoks,
                        unsigned opciones, texto_rasgo_fn fn, void *user);

#endif
