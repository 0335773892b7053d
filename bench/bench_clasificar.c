/* bench_clasificar -- classification throughput in MB of ficha text per
 * second on one core: the labelled corpus, classified over and over for a
 * few seconds by a single thread (text pipeline, model, lexicon, SDGs).
 * Time is the thread's CPU time, so the figure is per core.
 *
 * Uso: bench_clasificar [CORPUS [DATOS [SEGUNDOS]]]
 *   CORPUS   default $PMM_SHARED/corpus/programas_etiquetados.jsonl
 *   DATOS    default $PMM_DATOS, else the built-in data directory
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clasificador.h"
#include "corpus.h"
#include "entrenar.h"

/* CPU time of this thread: "per core" even when the machine is busy. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    char def_corpus[1024];
    const char *shared = getenv("PMM_SHARED");
    snprintf(def_corpus, sizeof def_corpus,
             "%s/corpus/programas_etiquetados.jsonl",
             shared ? shared : "../shared");
    const char *corpus_path = argc > 1 ? argv[1] : def_corpus;
    const char *datos = argc > 2 ? argv[2] : getenv("PMM_DATOS");
    if (!datos)
        datos = PMM_DATA_DIR;
    double segundos = argc > 3 ? atof(argv[3]) : 3.0;
    pmm_error err;
    pmm_error_clear(&err);
    clasificador *c = clasificador_new(datos, &err);
    if (!c) {
        fprintf(stderr, "bench_clasificar: %s\n", err.mensaje);
        return 2;
    }
    corpus cp;
    if (corpus_leer(corpus_path, &cp, &err) != 0) {
        fprintf(stderr, "bench_clasificar: %s\n", err.mensaje);
        clasificador_destroy(&c);
        return 2;
    }
    size_t bytes = 0;
    for (size_t i = 0; i < cp.n; i++)
        bytes += strlen(cp.r[i].texto) +
                 (cp.r[i].programa ? strlen(cp.r[i].programa) : 0);
    /* five rounds; the best is the machine's rate when nothing else
     * competes for the core, the mean is reported too */
    clasif_resultado r;
    unsigned long check = 0;
    double mejor = 0, total_mb = 0, total_t = 0, total_fichas = 0;
    size_t pasadas_total = 0;
    for (int ronda = 0; ronda < 5; ronda++) {
        size_t pasadas = 0;
        double t0 = now(), t;
        do {
            for (size_t i = 0; i < cp.n; i++) {
                clasif_ejemplo e;
                corpus_ejemplo(&cp.r[i], &e);
                if (clasificador_classify(c, &e.entrada, NULL, &r, &err) != 0) {
                    fprintf(stderr, "bench_clasificar: %s\n", err.mensaje);
                    return 1;
                }
                check += r.nods + (unsigned long)r.eje;
            }
            pasadas++;
            t = now() - t0;
        } while (t < segundos / 5);
        double mb = (double)bytes * (double)pasadas / 1e6;
        if (mb / t > mejor)
            mejor = mb / t;
        total_mb += mb;
        total_t += t;
        total_fichas += (double)(cp.n * pasadas);
        pasadas_total += pasadas;
    }
    printf("clasificador: %s (modelo %s)\n", clasificador_version(c),
           clasificador_tiene_modelo(c) ? "cargado" : "ausente");
    printf("corpus: %zu fichas, %.2f MB de texto por pasada, %zu pasadas\n",
           cp.n, (double)bytes / 1e6, pasadas_total);
    printf("%.0f fichas por segundo de CPU, %.1f µs por ficha\n",
           total_fichas / total_t, total_t / total_fichas * 1e6);
    printf("rendimiento medio: %.1f MB/s de texto por núcleo (control %lu)\n",
           total_mb / total_t, check);
    printf("rendimiento: %.1f MB/s de texto por núcleo (mejor de 5 rondas)\n",
           mejor);
    corpus_liberar(&cp);
    clasificador_destroy(&c);
    return 0;
}
