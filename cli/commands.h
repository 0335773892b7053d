/* commands.h -- the subcommands of pmm. Each takes its own argv (argv[0] is
 * the subcommand name), the loaded configuration, and returns the process
 * exit code: 0 success, 1 some input refused / check failed, 2 usage or
 * connection error. All user-facing text is Spanish.
 */
#ifndef PMM_CLI_COMMANDS_H
#define PMM_CLI_COMMANDS_H

#include "conf.h"

#define EXIT_RECHAZO 1
#define EXIT_USO 2

typedef int (*cmd_fn)(int argc, char **argv, pmm_conf *conf);

typedef struct {
    const char *name;
    cmd_fn fn;
    const char *summary;   /* one Spanish line for `pmm --help` */
    int pila;              /* works only against a stack (PostgreSQL or the
                              daemons): without any configuration pmm says
                              where it looked and how to name or start one */
} cmd_entry;

int cmd_enviar(int argc, char **argv, pmm_conf *conf);
int cmd_estado(int argc, char **argv, pmm_conf *conf);
int cmd_clasificar(int argc, char **argv, pmm_conf *conf);
int cmd_entrenar(int argc, char **argv, pmm_conf *conf);
int cmd_evaluar(int argc, char **argv, pmm_conf *conf);
int cmd_muestra(int argc, char **argv, pmm_conf *conf);
int cmd_totales(int argc, char **argv, pmm_conf *conf);
int cmd_fichas(int argc, char **argv, pmm_conf *conf);
int cmd_ficha(int argc, char **argv, pmm_conf *conf);
int cmd_duplicados(int argc, char **argv, pmm_conf *conf);
int cmd_programas(int argc, char **argv, pmm_conf *conf);
int cmd_ranking(int argc, char **argv, pmm_conf *conf);
int cmd_participacion(int argc, char **argv, pmm_conf *conf);
int cmd_agregar(int argc, char **argv, pmm_conf *conf);
int cmd_cierre(int argc, char **argv, pmm_conf *conf);
int cmd_revision(int argc, char **argv, pmm_conf *conf);
int cmd_retirar(int argc, char **argv, pmm_conf *conf);
int cmd_reclasificar(int argc, char **argv, pmm_conf *conf);
int cmd_informe(int argc, char **argv, pmm_conf *conf);
int cmd_compendio(int argc, char **argv, pmm_conf *conf);
int cmd_diagnostico(int argc, char **argv, pmm_conf *conf);
int cmd_revision_voluntaria(int argc, char **argv, pmm_conf *conf);
int cmd_claves(int argc, char **argv, pmm_conf *conf);
int cmd_auditoria(int argc, char **argv, pmm_conf *conf);
int cmd_respaldo(int argc, char **argv, pmm_conf *conf);
int cmd_migrar(int argc, char **argv, pmm_conf *conf);
int cmd_configuracion(int argc, char **argv, pmm_conf *conf);
int cmd_padron(int argc, char **argv, pmm_conf *conf);
int cmd_convocatoria(int argc, char **argv, pmm_conf *conf);
int cmd_entregar(int argc, char **argv, pmm_conf *conf);
int cmd_observaciones(int argc, char **argv, pmm_conf *conf);
int cmd_cobertura(int argc, char **argv, pmm_conf *conf);
int cmd_pendientes(int argc, char **argv, pmm_conf *conf);
int cmd_plantilla(int argc, char **argv, pmm_conf *conf);
int cmd_importar(int argc, char **argv, pmm_conf *conf);

/* "1 ficha", "0 fichas", "2 fichas": the word for n. */
static inline const char *cli_plural(long long n, const char *uno, const char *varios)
{
    return n == 1 ? uno : varios;
}

/* Data directory (conf_data_dir): $PMM_DATOS, else [general] datos, else
 * the built-in default. */
const char *cli_data_dir(const pmm_conf *conf);

/* [informe] ejemplos_por_objetivo: examples per objective the Informe's
 * proposal takes (checked 1..5 by the config table). */
static inline int cli_ejemplos_por_objetivo(const pmm_conf *conf)
{
    return (int)conf_long(conf, "informe", "ejemplos_por_objetivo");
}

#endif
