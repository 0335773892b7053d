/* consulta_ref.h -- the names the query commands print and the taxonomy
 * they show axes and sub-topics of, from the reference data (refdata.h).
 */
#ifndef PMM_CLI_CONSULTA_REF_H
#define PMM_CLI_CONSULTA_REF_H

#include <stdio.h>

#include "conf.h"
#include "consulta_opciones.h"
#include "error.h"
#include "refdata.h"

typedef struct consulta_ref consulta_ref;

/* The reference data of data_dir and its taxonomy `taxonomia` (the error
 * names clasificador.taxonomia when the name is not valid or there is no
 * such taxonomy). */
consulta_ref *consulta_ref_load(const char *data_dir, const char *taxonomia,
                                pmm_error *err);
/* The reference data and the taxonomies of the years r asks for, each
 * year's by the rule of the data (refdata_taxonomia_ejercicio), in year
 * order. */
consulta_ref *consulta_ref_anios(const char *data_dir, const consulta_rango *r,
                                 pmm_error *err);
/* With the configuration's data dir: [clasificador] taxonomia when set (one
 * taxonomy forced for every year), else consulta_ref_anios. */
consulta_ref *consulta_ref_conf(const pmm_conf *conf, const consulta_rango *r,
                                pmm_error *err);
/* What every query command does first: reads its options
 * (consulta_opciones_leer, with the same arguments) and then the reference
 * data of the configuration. Returns the reference data, or NULL when the
 * command must return *salida at once (0 after --help, EXIT_USO after an
 * error, printed as "pmm <cmd>: <mensaje>"). */
consulta_ref *consulta_preparar(const char *cmd, int argc, char **argv, unsigned acepta,
                                void (*ayuda)(FILE *out), const pmm_conf *conf,
                                consulta_opciones *o, int *salida);
void consulta_ref_destroy(consulta_ref **self_p);

const refdata *consulta_ref_refdata(const consulta_ref *self);
/* "2018-2022", or "2018-2022 y 2023" for a range over both. */
const char *consulta_ref_taxonomia(const consulta_ref *self);
/* The taxonomies, in the order of the years they classify. */
size_t consulta_ref_ntaxonomias(const consulta_ref *self);
const ref_taxonomia *consulta_ref_taxonomia_at(const consulta_ref *self, size_t i);

/* Spanish label of a value as stored in totales.valor; "" when unknown. */
const char *consulta_nombre(const consulta_ref *self, consulta_dim d,
                            const char *valor);

/* --dependencia or --entidad of op as the totals' filter ("D:SRE",
 * "E:07"; "" without them) and its label ("fichas de SRE (...)"); a usage
 * error names the option when the body or state is unknown. */
int consulta_filtro(const consulta_ref *ref, const consulta_opciones *op, char *filtro,
                    size_t filtro_cap, char *nombre, size_t nombre_cap, pmm_error *err);

#endif
