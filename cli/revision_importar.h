/* revision_importar.h -- pmm revision importar ARCHIVO.csv: many analyst
 * decisions at once, as `pmm revision fijar` records one (issue 20). A unit
 * loads its past years this way: the fichas with pmm importar or pmm
 * enviar, then the decisions its analysts made then (sub-topic, SDGs,
 * whether the ficha had results), with their provenance.
 *
 * The file is CSV with a header row naming its columns, in any order:
 *   id                 a ficha's id (any of its versions), or else
 *   ejercicio, dependencia | entidad, clave   the ficha's key
 *   subtema            sub-topic code in the taxonomy of the year
 *   ods                SDGs, "3,10" (also "3;10" or "3 10"); "ninguno" = none
 *   con_resultados     si | no
 *   objetivo           PMM objective 1..23
 *   nota, procedencia  free text (procedencia overrides --procedencia)
 * An empty cell decides nothing. All or nothing: every row is checked
 * (file, row, column and rule named in Spanish) before anything is
 * stored, in one transaction with a row in importaciones_decisiones (file
 * name, SHA-256, analyst, provenance) that every decision points to. */
#ifndef PMM_CLI_REVISION_IMPORTAR_H
#define PMM_CLI_REVISION_IMPORTAR_H

#include "conf.h"

/* argv[0] is "importar"; returns the exit code (0, 1 refused rows, 2 usage
 * or connection). */
int revision_importar(int argc, char **argv, pmm_conf *conf);

#endif
