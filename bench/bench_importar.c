/* bench_importar -- files for the import benchmark (bench/importar.sh) and
 * peak memory of a command.
 *
 *   bench_importar docx DIR N PREFIJO   N filled Word forms (sample fichas
 *                                       of 2018-2022, claves PREFIJO-...)
 *   bench_importar xlsx ARCHIVO N       a workbook of N rows (libxlsxwriter
 *                                       with shared strings)
 *   bench_importar rss CMD [ARGS...]    runs CMD and prints
 *                                       "BENCH_RSS <MiB> <salida>"
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "muestra.h"
#include "plantilla.h"
#include "refdata.h"

typedef struct {
    const refdata *ref;
    const char *dir;
    const char *prefijo;
    size_t n;
    json_t **filas;     /* xlsx: the fichas kept */
    size_t cap;
} ctx;

static int un_docx(void *user, json_t *f, pmm_error *err)
{
    ctx *c = user;
    char clave[80], path[512];
    snprintf(clave, sizeof clave, "%s-%s", c->prefijo,
             json_string_value(json_object_get(f, "clave")));
    json_object_set_new(f, "clave", json_string(clave));
    snprintf(path, sizeof path, "%s/%06zu.docx", c->dir, c->n++);
    return plantilla_docx(c->ref, (int)json_integer_value(json_object_get(f, "ejercicio")),
                          json_string_value(json_object_get(f, "ambito")), f, path, err);
}

static int una_fila(void *user, json_t *f, pmm_error *err)
{
    (void)err;
    ctx *c = user;
    if (c->n == c->cap)
        return -1;
    c->filas[c->n++] = json_incref(f);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && !strcmp(argv[1], "rss")) {
        pid_t p = fork();
        if (p == 0) {
            execvp(argv[2], argv + 2);
            _exit(127);
        }
        int st;
        waitpid(p, &st, 0);
        struct rusage ru;
        getrusage(RUSAGE_CHILDREN, &ru);
        printf("BENCH_RSS %.1f %d\n", (double)ru.ru_maxrss / 1024.0,
               WIFEXITED(st) ? WEXITSTATUS(st) : 128);
        return 0;
    }
    const char *datos = getenv("PMM_DATOS") ? getenv("PMM_DATOS") : PMM_DATA_DIR;
    pmm_error err;
    pmm_error_clear(&err);
    refdata *ref = refdata_load(datos, &err);
    muestra *m = ref ? muestra_new(datos, 99, &err) : NULL;
    if (!m) {
        fprintf(stderr, "bench_importar: %s\n", err.mensaje);
        return 2;
    }
    int rc = 1;
    if (argc == 5 && !strcmp(argv[1], "docx")) {
        ctx c = {.ref = ref, .dir = argv[2], .prefijo = argv[4]};
        mkdir(argv[2], 0755);
        rc = muestra_lote(m, 2018, 2022, 0, (size_t)atol(argv[3]), MUESTRA_NORMAL, un_docx, &c,
                          &err) != 0;
    } else if (argc == 4 && !strcmp(argv[1], "xlsx")) {
        ctx c = {.ref = ref, .cap = (size_t)atol(argv[3])};
        c.filas = calloc(c.cap, sizeof *c.filas);
        /* short rows: the point is the number of rows, not their text */
        rc = !c.filas ||
             muestra_lote(m, 2018, 2022, 0, c.cap, MUESTRA_NORMAL, una_fila, &c, &err) != 0;
        for (size_t i = 0; !rc && i < c.n; i++) {
            json_object_del(c.filas[i], "retos");
            json_object_del(c.filas[i], "contacto");
            json_object_set_new(json_object_get(c.filas[i], "resultados"), "texto",
                                json_string("Resultados del periodo."));
            json_t *d = json_object_get(c.filas[i], "descripcion");
            json_object_del(d, "poblacion_objetivo");
            json_object_set_new(d, "objetivo", json_string("Objetivo del programa."));
            json_object_del(c.filas[i], "unidad");
            json_object_del(json_object_get(c.filas[i], "resultados"), "zona");
        }
        if (!rc)
            rc = plantilla_xlsx(ref, 2022, "federal", c.filas, c.n, 0, argv[2], &err) != 0;
        for (size_t i = 0; i < c.n; i++)
            json_decref(c.filas[i]);
        free(c.filas);
    } else {
        fprintf(stderr, "uso: bench_importar docx DIR N PREFIJO | xlsx ARCHIVO N | rss CMD...\n");
        rc = 2;
    }
    if (rc == 1)
        fprintf(stderr, "bench_importar: %s\n", err.mensaje);
    muestra_destroy(&m);
    refdata_destroy(&ref);
    return rc;
}
