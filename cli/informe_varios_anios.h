/* informe_varios_anios.h -- the one way a multi-year report command runs
 * (pmm diagnostico, pmm revision-voluntaria): parse --ejercicio AÑO-AÑO,
 * --formato, -o and --desde-cierre, read one report dataset per year (live,
 * or each year's close), load the reference data and hand everything to
 * the report's renderer, then write the file atomically or print it.
 * Each command keeps its own option table and --help. */
#ifndef PMM_CLI_INFORME_VARIOS_ANIOS_H
#define PMM_CLI_INFORME_VARIOS_ANIOS_H

#include <getopt.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "conf.h"
#include "informe.h"

typedef int (*informe_varios_render)(json_t *const *datos, size_t n, const informe_ref *ref,
                                     informe_formato formato, bool desde_cierre, strbuf *out,
                                     pmm_error *err);

typedef struct {
    const char *cmd;                 /* "diagnostico" */
    const struct option *opts;       /* the command's table: values 'e' 'f' 'o' 'c' 'h' */
    void (*usage)(FILE *out);
    informe_formato predeterminado;  /* --formato without the option */
    bool admite_csv;
    const char *formatos;            /* "html, md, csv o docx", for the error */
    informe_varios_render render;
    /* printed after -o: a format with %d-%d (years), %s (path), %s
     * ("desde los cierres" or "datos en vivo") */
    const char *escrito;
} informe_varios_anios;

/* Runs the command; returns its exit code. */
int informe_varios_anios_run(const informe_varios_anios *m, int argc, char **argv,
                             pmm_conf *conf);

#endif
