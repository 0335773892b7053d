/* bench_duplicados -- planted duplicates for the duplicate detector, and
 * the MinHash alternative measured on them.
 *
 *   generar  every programme of the labelled corpus becomes a ficha, its
 *            description the corpus text, in a year of its own: corpus year
 *            Y becomes ejercicio Y + 5 (2023-2027, where the sample data
 *            has nothing), so that one programme's records of several
 *            years are not duplicates of each other; every fifth one gets a
 *            planted duplicate, in turn of four kinds:
 *              copia        the same ficha again under another clave
 *              corregida    same body and name, figures changed, the last
 *                           sentence dropped
 *              renombrada   same body, the name lengthened, figures changed
 *              otro_emisor  another body, same name, figures changed
 *            Writes the fichas (JSON Lines, each validated against the
 *            contract) and the truth (clave_a,clave_b,tipo).
 *   minhash  the same fichas through MinHash over word 3-shingles of the
 *            folded name and description (128 hashes, LSH 32 bands x 4):
 *            precision and recall against the truth at several Jaccard
 *            thresholds, and microseconds per ficha for the signatures.
 *
 * Uso: bench_duplicados generar --corpus JSONL --datos DIR -o FICHAS --verdad CSV
 *      bench_duplicados minhash --fichas FICHAS --verdad CSV
 * bench/duplicados.sh runs both and measures the real detector (pg_trgm in
 * pmm_indexar) on a stack.
 */
#include <ctype.h>
#include <getopt.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_comun.h"
#include "ficha.h"
#include "ficha_json.h"
#include "texto.h"

#define NHASH 128
#define BANDAS 32
#define FILAS (NHASH / BANDAS)

static const char *const TIPOS[] = {"copia", "corregida", "renombrada", "otro_emisor"};

static uint64_t mezcla(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

static uint64_t fnv(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

/* Figures changed: every digit d becomes (d + 3) % 10. */
static char *cifras_cambiadas(const char *s)
{
    char *r = strdup(s);
    for (char *p = r; p && *p; p++)
        if (*p >= '0' && *p <= '9')
            *p = (char)('0' + (*p - '0' + 3) % 10);
    return r;
}

/* Without its last sentence, when it has more than one. */
static void sin_ultima_frase(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '.' || s[n - 1] == ' '))
        n--;
    for (size_t i = n; i > 0; i--)
        if (s[i - 1] == '.') {
            s[i] = '\0';
            return;
        }
}

/* The first `max` words of s. */
static char *palabras(const char *s, int max)
{
    char *r = strdup(s);
    int w = 0, en = 0;
    for (char *p = r; p && *p; p++) {
        if (*p == ' ' || *p == '\n' || *p == '\t') {
            en = 0;
        } else if (!en) {
            en = 1;
            if (++w > max) {
                *p = '\0';
                break;
            }
        }
        if (*p == '\n' || *p == '\t')
            *p = ' ';
    }
    return r;
}

static json_t *ficha(const char *clave, int anio, const char *dep, int objetivo,
                     const char *programa, const char *texto)
{
    return json_pack("{s:s,s:i,s:s,s:s,s:s,s:s,s:i,s:{s:s},s:{s:s}}", "clave", clave,
                     "ejercicio", anio, "ambito", "federal", "dependencia", dep, "unidad",
                     "Unidad responsable", "programa", programa, "objetivo_pmm", objetivo,
                     "descripcion", "objetivo", texto, "resultados", "texto", texto);
}

static int escribir(FILE *out, json_t *j, const refdata *ref)
{
    pmm_error err;
    pmm_error_clear(&err);
    Pmm__Ficha *f = ficha_from_json(j, &err);
    ficha_rules rules = ficha_rules_default();
    int ok = f && ficha_validate(f, ref, &rules, &err) == 0;
    if (f)
        pmm__ficha__free_unpacked(f, NULL);
    if (ok) {
        char *s = json_dumps(j, JSON_COMPACT);
        fprintf(out, "%s\n", s);
        free(s);
    }
    json_decref(j);
    return ok;
}

static int generar(const char *corpus, const char *datos, const char *salida,
                   const char *verdad)
{
    pmm_error err;
    pmm_error_clear(&err);
    refdata *ref = refdata_load(datos, &err);
    FILE *in = fopen(corpus, "r"), *out = fopen(salida, "w"), *v = fopen(verdad, "w");
    if (!ref || !in || !out || !v) {
        fprintf(stderr, "bench_duplicados: no se pudo abrir la entrada o la salida\n");
        return 2;
    }
    fprintf(v, "clave_a,clave_b,tipo\n");
    char *line = NULL;
    size_t cap = 0;
    int i = 0, fichas = 0, plantadas = 0;
    uint64_t vistos[4096];
    size_t nvistos = 0;
    while (getline(&line, &cap, in) > 0) {
        json_error_t je;
        json_t *r = json_loads(line, 0, &je);
        const char *prog = json_string_value(json_object_get(r, "programa"));
        const char *txt = json_string_value(json_object_get(r, "texto"));
        const char *act = json_string_value(json_array_get(json_object_get(r, "actores"), 0));
        /* the corpus gives one paragraph to several programmes at times:
         * only the first of them, so that the haystack holds no
         * duplicates but the planted ones */
        uint64_t ht = fnv(txt ? txt : "", txt ? strlen(txt) : 0);
        int repetido = 0;
        for (size_t k = 0; k < nvistos && !repetido; k++)
            repetido = vistos[k] == ht;
        if (!prog || !txt || !act || repetido || !refdata_dependencia(ref, act, strlen(act))) {
            json_decref(r);
            continue;
        }
        if (nvistos < sizeof vistos / sizeof vistos[0])
            vistos[nvistos++] = ht;
        int anio = (int)json_integer_value(json_object_get(r, "year")) + 5;
        char clave[32], clave2[32];
        snprintf(clave, sizeof clave, "dup-%04d", i);
        char *texto = palabras(txt, 170);
        int objetivo = 1 + i % 23;
        if (escribir(out, ficha(clave, anio, act, objetivo, prog, texto), ref)) {
            fichas++;
            if (i % 5 == 0) {
                int tipo = (i / 5) % 4;
                char *t2 = tipo == 0 ? strdup(texto) : cifras_cambiadas(texto);
                if (tipo == 1)
                    sin_ultima_frase(t2);
                char nombre[600];
                snprintf(nombre, sizeof nombre, "%s%s", prog,
                         tipo == 2 ? " (segunda captura del programa)" : "");
                const char *dep = act;
                if (tipo == 3)
                    dep = strcmp(act, "SEGOB") ? "SEGOB" : "SRE";
                snprintf(clave2, sizeof clave2, "dup-%04d-b", i);
                if (escribir(out, ficha(clave2, anio, dep, objetivo, nombre, t2), ref)) {
                    fprintf(v, "%s,%s,%s\n", clave, clave2, TIPOS[tipo]);
                    plantadas++;
                    fichas++;
                }
                free(t2);
            }
        }
        free(texto);
        json_decref(r);
        i++;
    }
    free(line);
    fclose(in);
    fclose(out);
    fclose(v);
    refdata_destroy(&ref);
    printf("generar: %d fichas, %d duplicados plantados\n", fichas, plantadas);
    return 0;
}

/* ---- MinHash -------------------------------------------------------------- */

typedef struct {
    char clave[40];
    char emisor[40];
    int anio;
    uint64_t sig[NHASH];
} firma;

/* The signature of the folded words of name and description. */
static void firmar(const char *texto, uint64_t sig[NHASH])
{
    char *t = texto_normalizar(texto, strlen(texto));
    const char *w[4096];
    size_t lw[4096], nw = 0;
    for (char *p = t; p && *p && nw < 4096;) {
        while (*p && !isalnum((unsigned char)*p))
            p++;
        if (!*p)
            break;
        w[nw] = p;
        while (*p && isalnum((unsigned char)*p))
            p++;
        lw[nw] = (size_t)(p - w[nw]);
        nw++;
    }
    for (int k = 0; k < NHASH; k++)
        sig[k] = UINT64_MAX;
    for (size_t i = 0; i + 2 < nw || (i == 0 && nw > 0); i++) {
        uint64_t h = 0;
        for (size_t j = i; j < i + 3 && j < nw; j++)
            h = mezcla(h ^ fnv(w[j], lw[j]));
        for (int k = 0; k < NHASH; k++) {
            uint64_t x = mezcla(h + (uint64_t)k * 0x632be59bd9b4e019ull);
            if (x < sig[k])
                sig[k] = x;
        }
        if (nw < 3)
            break;
    }
    free(t);
}

static double jaccard(const firma *a, const firma *b)
{
    int eq = 0;
    for (int k = 0; k < NHASH; k++)
        eq += a->sig[k] == b->sig[k];
    return (double)eq / NHASH;
}

typedef struct {
    uint64_t clave;
    int ficha;
} cubeta;

static int cmp_cubeta(const void *x, const void *y)
{
    const cubeta *a = x, *b = y;
    return a->clave < b->clave ? -1 : a->clave > b->clave;
}

static int cmp_par(const void *x, const void *y)
{
    const int *a = x, *b = y;
    return a[0] != b[0] ? (a[0] > b[0]) - (a[0] < b[0]) : (a[1] > b[1]) - (a[1] < b[1]);
}

static int minhash(const char *fichas, const char *verdad)
{
    FILE *in = fopen(fichas, "r");
    FILE *v = fopen(verdad, "r");
    if (!in || !v) {
        fprintf(stderr, "bench_duplicados: no se pudo abrir %s o %s\n", fichas, verdad);
        return 2;
    }
    firma *f = NULL;
    size_t n = 0, cap = 0;
    char *line = NULL;
    size_t lcap = 0;
    double t_firmas = 0;
    while (getline(&line, &lcap, in) > 0) {
        json_error_t je;
        json_t *j = json_loads(line, 0, &je);
        if (!j)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            f = realloc(f, cap * sizeof *f);
        }
        firma *x = &f[n++];
        snprintf(x->clave, sizeof x->clave, "%s", json_string_value(json_object_get(j, "clave")));
        snprintf(x->emisor, sizeof x->emisor, "%s",
                 json_string_value(json_object_get(j, "dependencia")));
        x->anio = (int)json_integer_value(json_object_get(j, "ejercicio"));
        char *texto = NULL;
        if (asprintf(&texto, "%s %s", json_string_value(json_object_get(j, "programa")),
                     json_string_value(json_object_get(json_object_get(j, "descripcion"),
                                                       "objetivo"))) < 0)
            return 2;
        double t0 = bench_ahora();
        firmar(texto, x->sig);
        t_firmas += bench_ahora() - t0;
        free(texto);
        json_decref(j);
    }
    free(line);
    fclose(in);
    /* truth */
    char a[64], b[64], tipo[32];
    char (*va)[64] = NULL, (*vb)[64] = NULL;
    size_t nv = 0;
    char buf[256];
    if (!fgets(buf, sizeof buf, v)) {
        fclose(v);
        return 2;
    }
    while (fgets(buf, sizeof buf, v) && sscanf(buf, "%63[^,],%63[^,],%31s", a, b, tipo) == 3) {
        va = realloc(va, (nv + 1) * sizeof *va);
        vb = realloc(vb, (nv + 1) * sizeof *vb);
        snprintf(va[nv], 64, "%s", a);
        snprintf(vb[nv], 64, "%s", b);
        nv++;
    }
    fclose(v);
    /* LSH: candidate pairs share a band */
    cubeta *cb = malloc(n * sizeof *cb);
    size_t ncand = 0, capcand = 1024;
    int (*cand)[2] = malloc(capcand * sizeof *cand);
    for (int band = 0; band < BANDAS; band++) {
        for (size_t i = 0; i < n; i++) {
            uint64_t h = (uint64_t)band;
            for (int r = 0; r < FILAS; r++)
                h = mezcla(h ^ f[i].sig[band * FILAS + r]);
            cb[i] = (cubeta){h, (int)i};
        }
        qsort(cb, n, sizeof *cb, cmp_cubeta);
        for (size_t i = 0; i < n; i++)
            for (size_t j = i + 1; j < n && cb[j].clave == cb[i].clave; j++) {
                if (ncand == capcand)
                    cand = realloc(cand, (capcand *= 2) * sizeof *cand);
                if (f[cb[i].ficha].anio != f[cb[j].ficha].anio)
                    continue;   /* duplicates are within a year */
                int x = cb[i].ficha < cb[j].ficha ? cb[i].ficha : cb[j].ficha;
                int y = cb[i].ficha < cb[j].ficha ? cb[j].ficha : cb[i].ficha;
                cand[ncand][0] = x;
                cand[ncand][1] = y;
                ncand++;
            }
    }
    qsort(cand, ncand, sizeof *cand, cmp_par);
    printf("minhash: %zu fichas, %zu duplicados plantados, %.1f µs por ficha para la firma, "
           "%zu pares candidatos (con repeticiones)\n",
           n, nv, t_firmas / (double)n * 1e6, ncand);
    static const double umbrales[] = {0.3, 0.4, 0.5, 0.6, 0.7};
    printf("umbral propuestos acertados precision recall\n");
    for (size_t u = 0; u < sizeof umbrales / sizeof umbrales[0]; u++) {
        size_t prop = 0, ok = 0;
        /* distinct candidate pairs (sorted below) above the threshold */
        for (size_t c = 0; c < ncand; c++) {
            int x = cand[c][0], y = cand[c][1];
            if ((c > 0 && cand[c - 1][0] == x && cand[c - 1][1] == y) ||
                jaccard(&f[x], &f[y]) < umbrales[u])
                continue;
            prop++;
            for (size_t t = 0; t < nv; t++)
                if ((!strcmp(f[x].clave, va[t]) && !strcmp(f[y].clave, vb[t])) ||
                    (!strcmp(f[y].clave, va[t]) && !strcmp(f[x].clave, vb[t]))) {
                    ok++;
                    break;
                }
        }
        printf("%.1f %zu %zu %.3f %.3f\n", umbrales[u], prop, ok,
               prop ? (double)ok / (double)prop : 0, nv ? (double)ok / (double)nv : 0);
    }
    free(cb);
    free(cand);
    free(f);
    free(va);
    free(vb);
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {{"corpus", required_argument, NULL, 'c'},
                                         {"datos", required_argument, NULL, 'd'},
                                         {"fichas", required_argument, NULL, 'f'},
                                         {"verdad", required_argument, NULL, 'v'},
                                         {NULL, 0, NULL, 0}};
    if (argc < 2) {
        fprintf(stderr, "uso: bench_duplicados generar|minhash ...\n");
        return 2;
    }
    const char *corpus = NULL, *datos = NULL, *fichas = NULL, *verdad = NULL, *salida = NULL;
    int opt;
    optind = 2;
    while ((opt = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        switch (opt) {
        case 'c': corpus = optarg; break;
        case 'd': datos = optarg; break;
        case 'f': fichas = optarg; break;
        case 'v': verdad = optarg; break;
        case 'o': salida = optarg; break;
        default: return 2;
        }
    }
    if (!strcmp(argv[1], "generar") && corpus && datos && salida && verdad)
        return generar(corpus, datos, salida, verdad);
    if (!strcmp(argv[1], "minhash") && fichas && verdad)
        return minhash(fichas, verdad);
    fprintf(stderr, "uso: bench_duplicados generar --corpus F --datos DIR -o FICHAS --verdad CSV"
                    " | minhash --fichas FICHAS --verdad CSV\n");
    return 2;
}
