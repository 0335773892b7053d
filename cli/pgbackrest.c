#include "pgbackrest.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pmm.pb-c.h"

#define MAX_ARGS 32

int pgbr_opts_from_conf(const pmm_conf *conf, pgbr_opts *o, pmm_error *err)
{
    memset(o, 0, sizeof *o);
    o->stanza = conf_str(conf, "respaldo", "stanza");
    o->repositorio = conf_str(conf, "respaldo", "repositorio");
    o->config = conf_str(conf, "respaldo", "configuracion");
    o->registros = conf_str(conf, "respaldo", "registros");
    o->compresion = conf_str(conf, "respaldo", "compresion");
    o->retencion = conf_long(conf, "respaldo", "retencion");
    o->usuario = conf_str(conf, "respaldo", "usuario");
    if (!*o->stanza || strspn(o->stanza, "abcdefghijklmnopqrstuvwxyz"
                                         "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") !=
                           strlen(o->stanza))
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "respaldo.stanza", "formato",
                             "[respaldo] stanza debe ser un nombre de letras, cifras, "
                             "«-» o «_» (es «%s»)", o->stanza);
    if (o->repositorio && o->repositorio[0] != '/')
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "respaldo.repositorio",
                             "ruta_absoluta",
                             "[respaldo] repositorio debe ser una ruta absoluta (es «%s»)",
                             o->repositorio);
    if (!strcmp(o->compresion, "ninguna"))
        o->compresion = "none";
    static const char *const algos[] = {"zst", "lz4", "gz", "bz2", "none"};
    int known = 0;
    for (size_t i = 0; i < sizeof algos / sizeof *algos; i++)
        known |= !strcmp(o->compresion, algos[i]);
    if (!known)
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "respaldo.compresion",
                             "valor", "[respaldo] compresion admite zst, lz4, gz, bz2 o "
                                      "ninguna (es «%s»)", o->compresion);
    if (o->retencion < 1 || o->retencion > 9999)
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "respaldo.retencion",
                             "rango", "[respaldo] retencion es el número de respaldos "
                                      "completos que se conservan, de 1 a 9999");
    if (o->usuario && !*o->usuario)
        o->usuario = NULL;
    if (!o->usuario && geteuid() == 0)
        o->usuario = "postgres";
    return 0;
}

/* Who runs pgBackRest: the configured user (as root we switch to it), or
 * ourselves. Anyone else is refused: the repository belongs to that user. */
static int check_user(const pgbr_opts *o, struct passwd *pw, char *buf, size_t len,
                      pmm_error *err)
{
    if (!o->usuario)
        return 0;
    struct passwd *res = NULL;
    int rc = getpwnam_r(o->usuario, pw, buf, len, &res);
    if (rc != 0 || !res)
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "respaldo.usuario",
                             "usuario", "no existe el usuario del sistema «%s» "
                                        "([respaldo] usuario)", o->usuario);
    if (geteuid() != 0 && geteuid() != pw->pw_uid)
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_DENIED, "respaldo.usuario",
                             "administrador",
                             "pmm respaldo se ejecuta como root o como «%s», dueño del "
                             "repositorio de respaldos ([respaldo] usuario)", o->usuario);
    return 0;
}

static void add_opt(const char **argv, char store[][1100], int *n, const char *fmt,
                    const char *val)
{
    snprintf(store[*n], sizeof store[*n], fmt, val);
    argv[*n] = store[*n];
    (*n)++;
}

int pgbr_run(const pgbr_opts *o, const char *command, const char *const *args,
             pgbr_result *r, pmm_error *err)
{
    memset(r, 0, sizeof *r);
    r->status = -1;
    struct passwd pw;
    char pwbuf[4096];
    if (check_user(o, &pw, pwbuf, sizeof pwbuf, err) != 0)
        return -1;
    int switch_user = o->usuario && geteuid() == 0 && pw.pw_uid != 0;

    char store[MAX_ARGS][1100];
    const char *argv[MAX_ARGS + 1];
    int n = 0;
    argv[n++] = "pgbackrest";
    if (o->config)
        add_opt(argv, store, &n, "--config=%s", o->config);
    add_opt(argv, store, &n, "--stanza=%s", o->stanza);
    if (o->repositorio)
        add_opt(argv, store, &n, "--repo1-path=%s", o->repositorio);
    add_opt(argv, store, &n, "--log-path=%s", o->registros);
    argv[n++] = "--log-level-console=off";
    argv[n++] = "--log-level-stderr=off";
    argv[n++] = "--log-level-file=info";
    argv[n++] = command;
    for (size_t i = 0; args && args[i]; i++) {
        if (n >= MAX_ARGS)
            return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "argumentos",
                                 "demasiados argumentos para pgBackRest");
        argv[n++] = args[i];
    }
    argv[n] = NULL;

    int out[2], st[2];
    if (pipe2(out, O_CLOEXEC) != 0)
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "sistema",
                             "no se pudo crear una tubería: %s", pmm_strerror(errno));
    if (pipe2(st, O_CLOEXEC) != 0) {
        close(out[0]);
        close(out[1]);
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "sistema",
                             "no se pudo crear una tubería: %s", pmm_strerror(errno));
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(out[0]);
        close(out[1]);
        close(st[0]);
        close(st[1]);
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "sistema",
                             "no se pudo iniciar pgBackRest: %s", pmm_strerror(errno));
    }
    if (pid == 0) {
        /* the child: stdin and stderr to /dev/null (pgBackRest's own text
         * stays out of the user's terminal), stdout to the pipe */
        int null = open("/dev/null", O_RDWR);
        int e = 0;
        if (null < 0 || dup2(null, 0) < 0 || dup2(null, 2) < 0 || dup2(out[1], 1) < 0)
            e = errno;
        /* postgres may not be allowed into the current directory */
        if (!e && chdir("/") != 0)
            e = errno;
        if (!e && switch_user &&
            (initgroups(pw.pw_name, pw.pw_gid) != 0 || setgid(pw.pw_gid) != 0 ||
             setuid(pw.pw_uid) != 0))
            e = errno;
        if (!e) {
            execvp(argv[0], (char *const *)argv);
            e = errno;
        }
        ssize_t w = write(st[1], &e, sizeof e);
        (void)w;
        _exit(127);
    }
    close(out[1]);
    close(st[1]);
    size_t cap = 8192, len = 0;
    char *buf = malloc(cap);
    ssize_t got;
    while (buf) {
        if (len + 4096 + 1 > cap) {
            char *bigger = realloc(buf, cap * 2);
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
        got = read(out[0], buf + len, cap - len - 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        len += (size_t)got;
    }
    close(out[0]);
    int child_errno = 0;
    ssize_t ge = read(st[0], &child_errno, sizeof child_errno);
    close(st[0]);
    int wst = 0;
    while (waitpid(pid, &wst, 0) < 0 && errno == EINTR)
        ;
    if (!buf) {
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "memoria",
                             "sin memoria");
    }
    buf[len] = '\0';
    if (ge == (ssize_t)sizeof child_errno && child_errno != 0) {
        free(buf);
        if (child_errno == ENOENT)
            return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "pgbackrest",
                                 "pgBackRest no está instalado (paquete pgbackrest de "
                                 "Debian: apt install pgbackrest, o deploy/deps.sh)");
        return pmm_error_set(err, PMM__ERROR_CODE__ERR_INTERNAL, "", "pgbackrest",
                             "no se pudo ejecutar pgBackRest%s%s: %s",
                             switch_user ? " como " : "", switch_user ? pw.pw_name : "",
                             pmm_strerror(child_errno));
    }
    r->out = buf;
    if (WIFEXITED(wst))
        r->status = WEXITSTATUS(wst);
    else
        r->status = 63;   /* killed by a signal: like pgBackRest's "term" */
    return 0;
}

void pgbr_result_free(pgbr_result *r)
{
    free(r->out);
    r->out = NULL;
}

/* pgBackRest's exit codes are its error codes (src/build/error/error.yaml). */
static const char *explain_code(int status)
{
    switch (status) {
    case 27: case 31: case 32: case 37:
        return "la configuración de pgBackRest no es válida o no describe esta stanza "
               "(revise [respaldo] stanza, repositorio y configuracion en pmm.conf; el "
               "archivo de pgBackRest debe tener una sección con el nombre de la stanza "
               "y su pg1-path)";
    case 38:
        return "PostgreSQL está en marcha y la operación exige detenerlo";
    case 40:
        return "el directorio de destino no está vacío";
    case 41: case 42: case 53: case 83: case 88: case 105:
        return "pgBackRest no pudo abrir o leer un archivo o directorio (permisos o "
               "propietario: el repositorio y el clúster pertenecen a [respaldo] usuario)";
    case 44: case 51: case 58:
        return "el repositorio pertenece a otro clúster de PostgreSQL (identificador del "
               "sistema o versión distintos): revise [respaldo] repositorio y stanza";
    case 46:
        return "esta versión de PostgreSQL no es compatible con el pgBackRest instalado";
    case 47: case 52: case 54: case 64: case 74: case 79:
        return "no se pudo escribir en el repositorio de respaldos (¿disco lleno o sin "
               "permisos?)";
    case 49:
        return "pgBackRest no pudo conectar con el servidor del repositorio";
    case 50:
        return "otra operación de pgBackRest está en curso sobre esta stanza; espere a "
               "que termine";
    case 55: case 73: case 103:
        return "al repositorio le falta la stanza o parte de su contenido (¿se creó? "
               "pmm respaldo iniciar)";
    case 56:
        return "pgBackRest no pudo conectar con PostgreSQL (¿está en marcha? revise "
               "pg1-socket-path y pg1-user en la configuración de pgBackRest)";
    case 57:
        return "una consulta de pgBackRest a PostgreSQL falló (el rol necesita ser "
               "superusuario o tener los permisos de respaldo)";
    case 62:
        return "pgBackRest está detenido para esta stanza (pgbackrest start lo reanuda)";
    case 63:
        return "pgBackRest fue interrumpido";
    case 68:
        return "archive_command de PostgreSQL no usa «pgbackrest archive-push» con esta "
               "stanza";
    case 75:
        return "el conjunto de respaldo indicado no existe o no sirve para esta "
               "operación";
    case 80: case 81:
        return "la base de datos indicada no existe en el respaldo";
    case 82:
        return "el WAL no llegó al repositorio a tiempo: el archivado continuo no "
               "funciona (revise archive_command y el registro de PostgreSQL)";
    case 87:
        return "el archivado continuo está desactivado en PostgreSQL (archive_mode = on "
               "y reinicie PostgreSQL)";
    case 89:
        return "no existe el usuario del sistema que pgBackRest necesita";
    case 94:
        return "pgBackRest se quedó sin memoria";
    case 100: case 102:
        return "el sistema operativo impidió a pgBackRest completar la operación";
    case 104:
        return "la verificación encontró archivos dañados o ausentes en el repositorio";
    case 106:
        return "el reloj del sistema cambió o difiere del de PostgreSQL";
    case 25: case 124: case 125:
        return "pgBackRest terminó con un error interno";
    default:
        return NULL;
    }
}

void pgbr_explain(const pgbr_opts *o, const char *command, int status, char *buf,
                  size_t len)
{
    const char *what = explain_code(status);
    char generic[96];
    if (!what) {
        snprintf(generic, sizeof generic, "pgBackRest terminó con el código %d", status);
        what = generic;
    }
    /* a configuration error stops pgBackRest before it opens its log */
    if (status == 27 || status == 31 || status == 32 || status == 37)
        snprintf(buf, len, "%s (código %d; pgBackRest no llegó a escribir su registro: "
                           "«pgbackrest%s%s --stanza=%s check», como %s, lo detalla)",
                 what, status, o->config ? " --config=" : "", o->config ? o->config : "",
                 o->stanza, o->usuario ? o->usuario : "el dueño del repositorio");
    else
        snprintf(buf, len, "%s (código %d; detalles en %s/%s-%s.log)", what, status,
                 o->registros, o->stanza, command);
}
