/* pmm -- the command-line client of pmm-seguimiento.
 *
 * Built twice from these sources. `pmm` runs every command except those
 * that talk to the daemons over ZeroMQ (enviar, importar, estado, agregar,
 * claves, entregar, observaciones) and plantilla (libzip, libxlsxwriter),
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

/* PILA: the command works only against a stack (main's sin_pila). */
#define PILA 1

static const cmd_entry commands[] = {
    {"enviar", RED(cmd_enviar), "envía fichas (JSON o JSON Lines) al colector", PILA},
    {"plantilla", RED(cmd_plantilla), "escribe el formulario de la ficha (Word, Excel o CSV)",
     0},
    {"importar", RED(cmd_importar), "lee fichas de Word y hojas de cálculo y las envía", 0},
    {"estado", RED(cmd_estado), "muestra si la base de datos y los servicios responden", PILA},
    {"clasificar", cmd_clasificar, "clasifica fichas sin servicios (eje, subtema, ODS, retos)", 0},
    {"entrenar", cmd_entrenar, "entrena el modelo del clasificador con un corpus etiquetado", 0},
    {"evaluar", cmd_evaluar, "evalúa el clasificador dejando un año fuera", 0},
    {"totales", cmd_totales, "totales por objetivo, eje, subtema, ODS, dependencia o entidad",
     PILA},
    {"fichas", cmd_fichas, "las fichas detrás de un total, con búsqueda de texto", PILA},
    {"ficha", cmd_ficha, "una ficha completa: versiones, clasificación, decisiones, historial",
     PILA},
    {"duplicados", cmd_duplicados, "posibles duplicados de un ejercicio y su decisión", PILA},
    {"programas", cmd_programas,
     "programas que continúan, nuevos y terminados frente al año anterior", PILA},
    {"ranking", cmd_ranking, "objetivos con más y con menos acciones", PILA},
    {"participacion", cmd_participacion, "dependencias y entidades que reportaron (y las que no)",
     PILA},
    {"revision", cmd_revision, "revisión de clasificaciones por analistas", PILA},
    {"padron", cmd_padron, "padrón de cuerpos a los que se pide informe", PILA},
    {"convocatoria", cmd_convocatoria, "convocatoria anual: quién informa, límite y gracia", PILA},
    {"entregar", RED(cmd_entregar), "marca como completo el informe de un cuerpo", PILA},
    {"observaciones", RED(cmd_observaciones),
     "observaciones de los analistas a las fichas de un cuerpo", PILA},
    {"cobertura", cmd_cobertura, "tasas de entrega: esperados, entregaron, a tiempo, faltan",
     PILA},
    {"pendientes", cmd_pendientes, "cuerpos que aún no entregan (con contactos, administrador)",
     PILA},
    {"retirar", cmd_retirar, "retira una ficha de los totales (o la restaura), con su motivo",
     PILA},
    {"reclasificar", cmd_reclasificar, "vuelve a clasificar un ejercicio y muestra los cambios",
     PILA},
    {"agregar", RED(cmd_agregar), "recalcula los totales ahora y repara diferencias", PILA},
    {"cierre", cmd_cierre, "congela los totales de un ejercicio", PILA},
    {"informe", cmd_informe, "genera el Informe Ejecutivo de un ejercicio (html, md, csv o docx)", 0},
    {"compendio", cmd_compendio, "genera el Compendio General de un ejercicio (html, md o docx)", PILA},
    {"diagnostico", cmd_diagnostico, "genera el Diagnóstico PMM–ODS de varios ejercicios (html, md, csv o docx)",
     PILA},
    {"revision-voluntaria", cmd_revision_voluntaria,
     "genera la revisión nacional voluntaria del Pacto (md, html o docx)", PILA},
    {"claves", RED(cmd_claves), "emite, revoca y lista las claves CURVE de acceso", PILA},
    {"auditoria", cmd_auditoria, "registro de envíos, retiros y restauraciones", PILA},
    {"respaldo", cmd_respaldo, "respaldos con pgBackRest: crear, listar, verificar", PILA},
    {"migrar", cmd_migrar, "aplica las migraciones pendientes del esquema", PILA},
    {"muestra", cmd_muestra, "genera fichas de ejemplo (demostraciones y pruebas)", 0},
    {"configuracion", cmd_configuracion, "lista las claves de pmm.conf y comprueba el archivo", 0},
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
            pmm_strerror(err));
    return EXIT_USO;
}
#endif

/* True when argv (a command's) asks for help. */
static int pide_ayuda(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return 1;
    return 0;
}

/* True when argv (a command's) asks for help or names a server itself
 * (pmm enviar --servidor: a sender's workstation needs no pmm.conf). */
static int sin_configuracion_basta(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strncmp(argv[i], "--servidor", 10))
            return 1;
    return pide_ayuda(argc, argv);
}

/* A command that needs a stack, run with no configuration at all (no
 * pmm.conf found, no connection in the environment), would only fail with
 * libpq's "connection to server on socket ... failed": say instead where
 * pmm looked and what to do. Returns 1 when it said so. */
static int sin_pila(const cmd_entry *cmd, const pmm_conf *conf, int argc, char **argv)
{
    static const char *const entorno[] = {
        "PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGSERVICE", "PGUSER",
        "PMM_POSTGRESQL_CONNINFO", "PMM_POSTGRESQL_LECTURA", "PMM_ADMIN_CONNINFO",
        "PMM_INGESTD_ENDPOINT", NULL};
    if (!cmd->pila || conf_path(conf) || sin_configuracion_basta(argc, argv))
        return 0;
    for (size_t i = 0; entorno[i]; i++)
        if (getenv(entorno[i]))
            return 0;
    fprintf(stderr,
            "pmm %s: no se encontró la configuración de ninguna pila (pmm.conf). Se buscó en:\n"
            "  $PMM_CONF            (no está definida)\n"
            "  $PMM_HOME/pmm.conf   (PMM_HOME no está definida)\n"
            "  ./.pmm/pmm.conf      (no existe en %s)\n"
            "  /etc/pmm/pmm.conf    (no existe)\n"
            "Si ya hay una pila, indique su carpeta (la que tiene pmm.conf):\n"
            "  export PMM_HOME=/ruta/de/la/pila\n"
            "Para iniciar una pila local, desde el código fuente:\n"
            "  ./deploy/stack.sh start      (queda en ./.pmm; PMM_HOME=… para otra carpeta)\n"
            "En un servidor, el paquete pmm-seguimiento instala /etc/pmm/pmm.conf.\n",
            cmd->name, getenv("PWD") ? getenv("PWD") : "este directorio");
    return 1;
}

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
        } else if (!strcmp(argv[i], "--config") || !strcmp(argv[i], "--clave")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "pmm: %s necesita un valor; vea pmm --help\n", argv[i]);
                return EXIT_USO;
            }
            if (!strcmp(argv[i], "--config"))
                conf_file = argv[i + 1];
            else
                key_file = argv[i + 1];
            i += 2;
        } else {
            fprintf(stderr, "pmm: opción desconocida «%s»; vea pmm --help\n", argv[i]);
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
        fprintf(stderr, "pmm: comando desconocido «%s»; vea pmm --help\n", argv[i]);
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
    /* help needs no configuration: a missing or broken pmm.conf must not
     * hide it (the built-in defaults stand in) */
    if (!conf && pide_ayuda(argc - i, argv + i))
        conf = conf_load("/dev/null", CONF_PMM, NULL, &err);
    if (!conf) {
        fprintf(stderr, "pmm: configuración no válida: %s\n", err.mensaje);
        return EXIT_USO;
    }
    if (key_file && conf_set(conf, "cliente", "clave", key_file, &err) != 0) {
        fprintf(stderr, "pmm: --clave: %s\n", err.mensaje);
        conf_destroy(&conf);
        return EXIT_USO;
    }
    if (sin_pila(cmd, conf, argc - i, argv + i)) {
        conf_destroy(&conf);
        return EXIT_USO;
    }
    int rc = cmd->fn(argc - i, argv + i, conf);
    conf_destroy(&conf);
    return rc;
}
