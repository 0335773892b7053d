/* pmm -- the command-line client of pmm-seguimiento.
 *
 * Built twice from these sources. `pmm` runs every command except the five
 * that talk to the daemons over ZeroMQ (enviar, importar, estado, agregar,
 * claves) and plantilla (libzip, libxlsxwriter),
 * and hands those to `pmm-red` by exec, argv unchanged. The split is for
 * start-up time: libzmq brings in eight more shared libraries (libstdc++,
 * OpenPGM, NORM...), and loading them was ~2.5 ms of every command, a
 * quarter of a `pmm totales`. `pmm-red` (PMM_CLI_RED) has every command.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "db.h"
#include "log.h"

#ifdef PMM_CLI_RED
#define RED(fn) fn
#else
#define RED(fn) NULL   /* run by pmm-red: see run_red */
#endif

static const cmd_entry commands[] = {
    {"enviar", RED(cmd_enviar), "envía fichas (JSON o JSON Lines) al colector"},
    {"plantilla", RED(cmd_plantilla), "escribe el formulario de la ficha (Word, Excel o CSV)"},
    {"importar", RED(cmd_importar), "lee fichas de Word y hojas de cálculo y las envía"},
    {"estado", RED(cmd_estado), "muestra si la base de datos y los servicios responden"},
    {"clasificar", cmd_clasificar, "clasifica fichas sin servicios (eje, subtema, ODS, retos)"},
    {"entrenar", cmd_entrenar, "entrena el modelo del clasificador con un corpus etiquetado"},
    {"evaluar", cmd_evaluar, "evalúa el clasificador dejando un año fuera"},
    {"totales", cmd_totales, "totales por objetivo, eje, subtema, ODS, dependencia o entidad"},
    {"ranking", cmd_ranking, "objetivos con más y con menos acciones"},
    {"participacion", cmd_participacion, "dependencias y entidades que reportaron (y las que no)"},
    {"revision", cmd_revision, "revisión de clasificaciones por analistas"},
    {"reclasificar", cmd_reclasificar, "vuelve a clasificar un ejercicio y muestra los cambios"},
    {"agregar", RED(cmd_agregar), "recalcula los totales ahora y repara diferencias"},
    {"cierre", cmd_cierre, "congela los totales de un ejercicio"},
    {"informe", cmd_informe, "genera el Informe Ejecutivo de un ejercicio (html, md o csv)"},
    {"compendio", cmd_compendio, "genera el Compendio General de un ejercicio (html o md)"},
    {"claves", RED(cmd_claves), "emite, revoca y lista las claves CURVE de acceso"},
    {"auditoria", cmd_auditoria, "registro de envíos con su identidad y resultado"},
    {"respaldo", cmd_respaldo, "respaldos con pgBackRest: crear, listar, verificar"},
    {"migrar", cmd_migrar, "aplica las migraciones pendientes del esquema"},
    {"muestra", cmd_muestra, "genera fichas de ejemplo (demostraciones y pruebas)"},
    {"configuracion", cmd_configuracion, "lista las claves de pmm.conf y comprueba el archivo"},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *out)
{
    fprintf(out,
            "Uso: pmm [--config ARCHIVO] [--clave CERTIFICADO] COMANDO [OPCIONES]\n\n"
            "Seguimiento de la implementación del Pacto Mundial para una "
            "Migración Segura, Ordenada y Regular.\n\nComandos:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-14s %s\n", commands[i].name, commands[i].summary);
    fprintf(out,
            "\n`pmm COMANDO --help` describe cada comando.\n"
            "La configuración se lee de --config, $PMM_CONF, $PMM_HOME/pmm.conf "
            "o /etc/pmm/pmm.conf.\n"
            "--clave indica el certificado CURVE secreto del usuario para "
            "endpoints TCP.\n");
}

#ifndef PMM_CLI_RED
/* Replaces this process with pmm-red, same argv: the one beside this
 * executable (build tree, a copied bin directory), then the one in
 * ../libexec/pmm from it (an installed tree, whatever its prefix), then
 * the configured install path. Returns only on failure. */
static int run_red(char **argv, const char *command)
{
    char dir[PATH_MAX], path[PATH_MAX + 32];
    int err = ENOENT;
    ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 1);
    char *slash = NULL;
    if (n > 0) {
        dir[n] = '\0';
        slash = strrchr(dir, '/');
    }
    if (slash) {
        *slash = '\0';
        static const char *const rel[] = {"/pmm-red", "/../libexec/pmm/pmm-red"};
        for (size_t k = 0; k < sizeof rel / sizeof *rel; k++) {
            snprintf(path, sizeof path, "%s%s", dir, rel[k]);
            execv(path, argv);
            if (errno != ENOENT || err == ENOENT)
                err = errno;
        }
    }
#ifdef PMM_RED_PATH
    execv(PMM_RED_PATH, argv);
    if (errno != ENOENT || err == ENOENT)
        err = errno;
#endif
    fprintf(stderr, "pmm: no se pudo ejecutar pmm-red, que atiende «%s»: %s\n", command,
            strerror(err));
    return EXIT_USO;
}
#endif

const char *cli_data_dir(const pmm_conf *conf)
{
    return conf_data_dir(conf);
}

int main(int argc, char **argv)
{
    const char *conf_file = NULL, *key_file = NULL;
    int i = 1;
    while (i < argc && argv[i][0] == '-') {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--version")) {
            printf("pmm %s\n", PMM_VERSION);
            return 0;
        } else if (!strcmp(argv[i], "--config") && i + 1 < argc) {
            conf_file = argv[i + 1];
            i += 2;
        } else if (!strcmp(argv[i], "--clave") && i + 1 < argc) {
            key_file = argv[i + 1];
            i += 2;
        } else {
            fprintf(stderr, "pmm: opción desconocida: %s\n", argv[i]);
            usage(stderr);
            return EXIT_USO;
        }
    }
    if (i >= argc) {
        usage(stderr);
        return EXIT_USO;
    }
    const cmd_entry *cmd = NULL;
    for (size_t c = 0; c < NCOMMANDS; c++)
        if (!strcmp(argv[i], commands[c].name))
            cmd = &commands[c];
    if (!cmd) {
        fprintf(stderr, "pmm: comando desconocido: %s\n", argv[i]);
        usage(stderr);
        return EXIT_USO;
    }
#ifndef PMM_CLI_RED
    if (!cmd->fn)
        return run_red(argv, argv[i]);
#endif
    log_init("pmm", log_level_parse(getenv("PMM_LOG"), LOG_WARN));
    pmm_error err;
    pmm_error_clear(&err);
    pmm_conf *conf = conf_load(conf_file, CONF_PMM, db_conninfo_check, &err);
    if (!conf) {
        fprintf(stderr, "pmm: configuración no válida: %s\n", err.mensaje);
        return EXIT_USO;
    }
    if (key_file && conf_set(conf, "cliente", "clave", key_file, &err) != 0) {
        fprintf(stderr, "pmm: --clave: %s\n", err.mensaje);
        conf_destroy(&conf);
        return EXIT_USO;
    }
    int rc = cmd->fn(argc - i, argv + i, conf);
    conf_destroy(&conf);
    return rc;
}
