/* pmm entrenar -- trains the classifier's model from labelled corpora and
 * the analysts' decisions in the database, and writes it as text (by
 * default data/modelo.txt). Recent years and the year's own decisions
 * weigh more, by weights chosen by measurement on the corpora (pesos.c);
 * the model file records what it was trained on. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clasificador.h"
#include "commands.h"
#include "opciones.h"
#include "corpus.h"
#include "decisiones.h"
#include "entrenar.h"

#define MAX_CORPUS 16
#define MAX_ANIOS 16

static void usage(FILE *out)
{
    fprintf(out,
            "Uso: pmm entrenar --corpus ARCHIVO [--corpus ARCHIVO…]\n"
            "                  [--decisiones --ejercicio AÑO [--ejercicio AÑO…]] "
            "[-o SALIDA]\n\n"
            "Entrena el modelo del clasificador con uno o varios corpus "
            "etiquetados (JSON\nLines con year, subtema, ods_grupo, programa, "
            "texto, actores) y, con\n--decisiones, con las decisiones de los "
            "analistas guardadas para esos ejercicios.\nLos años recientes y las "
            "decisiones del ejercicio más reciente pesan más, con\npesos "
            "elegidos midiendo sobre el corpus (simulando la revisión de cada "
            "año).\nEl modelo registra con qué se entrenó y su versión.\n\n"
            "Opciones:\n"
            "  --corpus ARCHIVO   corpus etiquetado; se puede repetir\n"
            "  --decisiones       añade las decisiones de los analistas (base "
            "de datos)\n"
            "  --ejercicio AÑO    ejercicio de las decisiones; se puede "
            "repetir\n"
            "  -o, --salida RUTA  archivo del modelo (por omisión, modelo.txt "
            "del\n"
            "                     directorio de datos)\n"
            "  -h, --help         muestra esta ayuda\n\n"
            "Ejemplos:\n"
            "  pmm entrenar --corpus programas_etiquetados.jsonl -o modelo.txt\n"
            "  pmm entrenar --corpus programas_etiquetados.jsonl --decisiones "
            "--ejercicio 2023 -o modelo-2023.txt\n");
}

static int anio_ok(const char *s, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < 2018 || v > 2100)
        return -1;
    *out = (int)v;
    return 0;
}

int cmd_entrenar(int argc, char **argv, pmm_conf *conf)
{
    static const struct option opts[] = {{"corpus", required_argument, NULL, 'c'},
                                         {"decisiones", no_argument, NULL, 'd'},
                                         {"ejercicio", required_argument, NULL, 'e'},
                                         {"salida", required_argument, NULL, 'o'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *corpora[MAX_CORPUS], *salida = NULL;
    size_t ncorpora = 0, nanios = 0;
    int anios[MAX_ANIOS];
    bool decisiones = false;
    int opt;
    cli_opciones_inicio();
    while ((opt = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
        switch (opt) {
        case 'c':
            if (ncorpora == MAX_CORPUS) {
                fprintf(stderr, "pmm entrenar: --corpus admite hasta %d archivos\n",
                        MAX_CORPUS);
                return EXIT_USO;
            }
            corpora[ncorpora++] = optarg;
            break;
        case 'd': decisiones = true; break;
        case 'e':
            if (nanios == MAX_ANIOS || anio_ok(optarg, &anios[nanios]) != 0) {
                fprintf(stderr, "pmm entrenar: --ejercicio debe ser un año desde "
                                "2018 (hasta %d ejercicios)\n", MAX_ANIOS);
                return EXIT_USO;
            }
            nanios++;
            break;
        case 'o': salida = optarg; break;
        case 'h': usage(stdout); return 0;
        default: return cli_opcion_mala("entrenar", opt, argv);
        }
    }
    if (optind < argc)
        return cli_argumento_sobrante("entrenar", argv[optind]);
    if (ncorpora == 0) {
        fprintf(stderr, "pmm entrenar: falta --corpus ARCHIVO\n");
        return EXIT_USO;
    }
    if (decisiones != (nanios > 0)) {
        fprintf(stderr, "pmm entrenar: --decisiones va con al menos un "
                        "--ejercicio AÑO, y --ejercicio sólo con --decisiones\n");
        return EXIT_USO;
    }
    const char *dir = cli_data_dir(conf);
    char defpath[4096];
    if (!salida) {
        snprintf(defpath, sizeof defpath, "%s/modelo.txt", dir);
        salida = defpath;
    }
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pmm_error err;
    pmm_error_clear(&err);
    clasificador *c = clasificador_new(dir, &err);
    if (!c) {
        fprintf(stderr, "pmm entrenar: %s\n", err.mensaje);
        return EXIT_USO;
    }
    corpus cp = {0};
    size_t desde[MAX_CORPUS + 1];
    int rc = 0;
    clasif_ejemplo *ej = NULL;
    clasif_modelo *m = NULL;
    for (size_t k = 0; k < ncorpora; k++) {
        corpus uno;
        desde[k] = cp.n;
        if (corpus_leer(corpora[k], &uno, &err) != 0) {
            fprintf(stderr, "pmm entrenar: %s\n", err.mensaje);
            rc = EXIT_RECHAZO;
            goto done;
        }
        corpus_registro *nr = realloc(cp.r, (cp.n + uno.n + 1) * sizeof *nr);
        if (!nr) {
            corpus_liberar(&uno);
            fprintf(stderr, "pmm entrenar: sin memoria\n");
            rc = EXIT_USO;
            goto done;
        }
        cp.r = nr;
        memcpy(cp.r + cp.n, uno.r, uno.n * sizeof *uno.r);
        cp.n += uno.n;
        free(uno.r);
    }
    desde[ncorpora] = cp.n;
    size_t ncorpus = cp.n;
    long ndec = 0;
    if (decisiones) {
        ndec = decisiones_leer(conf, anios, nanios, &cp, &err);
        if (ndec < 0) {
            fprintf(stderr, "pmm entrenar: %s\n", err.mensaje);
            rc = EXIT_USO;
            goto done;
        }
    }
    ej = calloc(cp.n ? cp.n : 1, sizeof *ej);
    if (!ej) {
        fprintf(stderr, "pmm entrenar: sin memoria\n");
        rc = EXIT_USO;
        goto done;
    }
    /* the year being classified: the newest decisions' year, else the
     * year after the newest corpus year */
    int objetivo = 0;
    for (size_t i = 0; i < nanios; i++)
        if (anios[i] > objetivo)
            objetivo = anios[i];
    for (size_t i = 0; i < cp.n; i++) {
        corpus_ejemplo(&cp.r[i], &ej[i]);
        ej[i].del_ejercicio = i >= ncorpus && cp.r[i].year == objetivo;
        if (!nanios && cp.r[i].year + 1 > objetivo)
            objetivo = cp.r[i].year + 1;
    }
    clasif_pesos pesos;
    if (clasif_pesos_elegir(c, ej, ncorpus, &pesos, &err) != 0) {
        fprintf(stderr, "pmm entrenar: %s\n", err.mensaje);
        rc = EXIT_RECHAZO;
        goto done;
    }
    clasif_pesos_aplicar(ej, cp.n, objetivo, &pesos);
    m = clasif_modelo_entrenar(c, ej, cp.n, &err);
    if (!m) {
        fprintf(stderr, "pmm entrenar: %s\n", err.mensaje);
        rc = EXIT_RECHAZO;
        goto done;
    }
    clasif_modelo_anotar_pesos(m, pesos.reciente, pesos.decisiones, pesos.como);
    for (size_t k = 0; k < ncorpora; k++) {
        int lo = 9999, hi = 0;
        for (size_t i = desde[k]; i < desde[k + 1]; i++) {
            lo = cp.r[i].year < lo ? cp.r[i].year : lo;
            hi = cp.r[i].year > hi ? cp.r[i].year : hi;
        }
        const char *base = strrchr(corpora[k], '/');
        char linea[CLASIF_FUENTE_LEN];
        snprintf(linea, sizeof linea, "corpus\t%.80s\t%zu registros\t%d-%d",
                 base ? base + 1 : corpora[k], desde[k + 1] - desde[k], lo, hi);
        clasif_modelo_anotar_fuente(m, linea);
    }
    for (size_t a = 0; a < nanios; a++) {
        long na = 0;
        for (size_t i = ncorpus; i < cp.n; i++)
            na += cp.r[i].year == anios[a];
        char linea[CLASIF_FUENTE_LEN];
        snprintf(linea, sizeof linea, "decisiones\t%d\t%ld decisiones de analistas",
                 anios[a], na);
        clasif_modelo_anotar_fuente(m, linea);
    }
    if (clasif_modelo_guardar(m, salida, &err) != 0) {
        fprintf(stderr, "pmm entrenar: %s\n", err.mensaje);
        rc = EXIT_USO;
        goto done;
    }
    clasificador_usar_modelo(c, clasif_modelo_cargar(salida, &err));
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double seg = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("Modelo entrenado con %zu %s de corpus y %ld %s de analistas "
           "(%zu rasgos) en %.1f s;\npesos: año %g, decisiones del ejercicio %g "
           "(%s).\nGuardado en %s; versión del clasificador con él: %s\n",
           ncorpus, ncorpus == 1 ? "registro" : "registros", ndec,
           ndec == 1 ? "decisión" : "decisiones", clasif_modelo_rasgos(m), seg,
           pesos.reciente, pesos.decisiones, pesos.como, salida,
           clasificador_version(c));
done:
    clasif_modelo_destroy(&m);
    free(ej);
    corpus_liberar(&cp);
    clasificador_destroy(&c);
    return rc;
}
