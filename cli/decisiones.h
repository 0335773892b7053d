/* decisiones.h -- the analysts' decisions as labelled examples: the latest
 * decision with a sub-topic on each ficha of the given years, with the
 * text of the ficha's latest version, in the corpus format (year, eje,
 * subtema, ods_grupo, programa, texto, actores, zona, ambito) plus its
 * provenance. `pmm revision exportar` writes them; `pmm entrenar
 * --decisiones` trains on them. Read over the read-only connection. */
#ifndef PMM_CLI_DECISIONES_H
#define PMM_CLI_DECISIONES_H

#include <stdio.h>

#include "conf.h"
#include "corpus.h"
#include "error.h"

/* Appends the decisions of the years anios[0..n) to *out (read with
 * corpus_leer or zeroed); returns how many, or -1 with err. */
long decisiones_leer(const pmm_conf *conf, const int *anios, size_t n,
                     corpus *out, pmm_error *err);

/* Writes the same decisions as JSON Lines to f, with their provenance
 * (decision, ficha, analista, fecha, nota); returns how many or -1. */
long decisiones_exportar(const pmm_conf *conf, const int *anios, size_t n,
                         FILE *f, pmm_error *err);

#endif
