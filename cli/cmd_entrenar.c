/* pmm entrenar -- trains the classifier's model from a labelled corpus and
 * writes it as text into the data directory (data/modelo.txt by default). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clasificador.h"
#include "commands.h"
#include "corpus.h"
#include "entrenar.h"

static void usage(FILE *out)
{
    fprintf(out,
            "Uso: pmm entrenar --corpus ARCHIVO [-o SALIDA]\n\n"
            "Entrena el modelo del clasificador con un corpus etiquetado "
            "(JSON Lines con\nyear, subtema, ods_grupo, programa, texto, "
            "actores) y lo escribe en SALIDA\n(por omisión, modelo.txt en el "
            "directorio de datos). El léxico y las\ntaxonomías se leen del "
            "directorio de datos.\n");
}

int cmd_entrenar(int argc, char **argv, pmm_conf *conf)
{
    const char *corpus_path = NULL, *salida = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--corpus") && i + 1 < argc) {
            corpus_path = argv[++i];
        } else if ((!strcmp(argv[i], "-o") || !strcmp(argv[i], "--salida")) &&
                   i + 1 < argc) {
            salida = argv[++i];
        } else {
            fprintf(stderr, "pmm entrenar: opción no válida: %s\n", argv[i]);
            usage(stderr);
            return EXIT_USO;
        }
    }
    if (!corpus_path) {
        usage(stderr);
        return EXIT_USO;
    }
    const char *dir = cli_data_dir(conf);
    char defpath[4096];
    if (!salida) {
        snprintf(defpath, sizeof defpath, "%s/modelo.txt", dir);
        salida = defpath;
    }
    pmm_error err;
    pmm_error_clear(&err);
    clasificador *c = clasificador_new(dir, &err);
    if (!c) {
        fprintf(stderr, "pmm entrenar: %s\n", err.mensaje);
        return EXIT_USO;
    }
    corpus cp;
    if (corpus_leer(corpus_path, &cp, &err) != 0) {
        fprintf(stderr, "pmm entrenar: %s\n", err.mensaje);
        clasificador_destroy(&c);
        return EXIT_RECHAZO;
    }
    int rc = 0;
    clasif_ejemplo *ej = calloc(cp.n ? cp.n : 1, sizeof *ej);
    clasif_modelo *m = NULL;
    if (!ej) {
        fprintf(stderr, "pmm entrenar: sin memoria\n");
        rc = EXIT_USO;
        goto done;
    }
    for (size_t i = 0; i < cp.n; i++)
        corpus_ejemplo(&cp.r[i], &ej[i]);
    m = clasif_modelo_entrenar(c, ej, cp.n, &err);
    if (!m) {
        fprintf(stderr, "pmm entrenar: %s\n", err.mensaje);
        rc = EXIT_RECHAZO;
        goto done;
    }
    if (clasif_modelo_guardar(m, salida, &err) != 0) {
        fprintf(stderr, "pmm entrenar: %s\n", err.mensaje);
        rc = EXIT_USO;
        goto done;
    }
    printf("Modelo entrenado con %zu registros (%zu rasgos) y guardado en %s\n",
           cp.n, clasif_modelo_rasgos(m), salida);
done:
    clasif_modelo_destroy(&m);
    free(ej);
    corpus_liberar(&cp);
    clasificador_destroy(&c);
    return rc;
}
