#include "cert.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#include "pmm.pb-c.h"

#define ERR_INTERNAL PMM__ERROR_CODE__ERR_INTERNAL

bool cert_key_valid(const char *z85)
{
    if (!z85 || strlen(z85) != 40)
        return false;
    uint8_t raw[32];
    return zmq_z85_decode(raw, z85) != NULL;
}

int cert_generate(pmm_cert *c, const char *name, pmm_error *err)
{
    memset(c, 0, sizeof *c);
    if (zmq_curve_keypair(c->public_key, c->secret_key) != 0)
        return pmm_error_set(err, ERR_INTERNAL, "", "zeromq",
                             "no se pudo generar el par de claves CURVE: %s "
                             "(¿libzmq sin soporte CURVE?)",
                             pmm_strerror(errno));
    snprintf(c->name, sizeof c->name, "%s", name ? name : "");
    return 0;
}

static int write_file(const char *path, mode_t mode, const pmm_cert *c, int with_secret,
                      pmm_error *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    if (fd < 0)
        return pmm_error_set(err, ERR_INTERNAL, "", "archivo",
                             "no se puede escribir %s: %s", path, pmm_strerror(errno));
    fchmod(fd, mode);   /* even when the file existed with other bits */
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        return pmm_error_set(err, ERR_INTERNAL, "", "archivo", "no se puede escribir %s",
                             path);
    }
    time_t now = time(NULL);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", gmtime(&now));
    fprintf(f, "#   ****  Generated on %s UTC by pmm  ****\n", stamp);
    if (with_secret)
        fprintf(f, "#   ZeroMQ CURVE **Secret** Certificate\n"
                   "#   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its "
                   "permissions.\n\n");
    else
        fprintf(f, "#   ZeroMQ CURVE Public Certificate\n"
                   "#   Exchange securely, or use a secure mechanism to verify the "
                   "contents\n#   of this file after exchange.\n\n");
    fprintf(f, "metadata\n    nombre = \"%s\"\ncurve\n    public-key = \"%s\"\n", c->name,
            c->public_key);
    if (with_secret)
        fprintf(f, "    secret-key = \"%s\"\n", c->secret_key);
    if (fclose(f) != 0)
        return pmm_error_set(err, ERR_INTERNAL, "", "archivo", "no se pudo cerrar %s", path);
    return 0;
}

int cert_save(const pmm_cert *c, const char *dir, const char *base, pmm_error *err)
{
    char path[4096];
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return pmm_error_set(err, ERR_INTERNAL, "", "archivo", "no se puede crear %s: %s",
                             dir, pmm_strerror(errno));
    snprintf(path, sizeof path, "%s/%s.key", dir, base);
    if (write_file(path, 0644, c, 0, err) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/%s.key_secret", dir, base);
    return write_file(path, 0600, c, 1, err);
}

/* Value of `key = "value"` on a line, or NULL. */
static const char *line_value(const char *line, const char *key, char *out, size_t cap)
{
    while (*line == ' ' || *line == '\t')
        line++;
    size_t k = strlen(key);
    if (strncmp(line, key, k) != 0)
        return NULL;
    const char *p = line + k;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p++ != '=')
        return NULL;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p++ != '"')
        return NULL;
    const char *end = strchr(p, '"');
    if (!end || (size_t)(end - p) >= cap)
        return NULL;
    memcpy(out, p, (size_t)(end - p));
    out[end - p] = '\0';
    return out;
}

int cert_load(pmm_cert *c, const char *path, pmm_error *err)
{
    memset(c, 0, sizeof *c);
    FILE *f = fopen(path, "r");
    if (!f)
        return pmm_error_set(err, ERR_INTERNAL, "clave", "archivo",
                             "no se puede leer el certificado %s: %s", path,
                             pmm_strerror(errno));
    char line[512];
    while (fgets(line, sizeof line, f)) {
        line_value(line, "public-key", c->public_key, sizeof c->public_key);
        line_value(line, "secret-key", c->secret_key, sizeof c->secret_key);
        line_value(line, "nombre", c->name, sizeof c->name);
    }
    fclose(f);
    if (!cert_key_valid(c->public_key))
        return pmm_error_set(err, ERR_INTERNAL, "clave", "formato",
                             "%s no contiene una clave pública CURVE válida", path);
    if (c->secret_key[0] && !cert_key_valid(c->secret_key))
        return pmm_error_set(err, ERR_INTERNAL, "clave", "formato",
                             "%s contiene una clave secreta CURVE mal formada", path);
    return 0;
}
