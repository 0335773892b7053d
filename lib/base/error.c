#include "error.h"

#include <errno.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistr.h>

void pmm_error_clear(pmm_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

/* Error text is shown to people and written into JSON, which must be valid
 * UTF-8. Formatting into a fixed buffer can cut a character in two, and a
 * quoted value might not be valid: drop an incomplete character at the end
 * and replace any other invalid byte with '?'. */
static void scrub_utf8(char *s)
{
    uint8_t *p = (uint8_t *)s;
    uint8_t *end = p + strlen(s);
    while (p < end) {
        const uint8_t *bad = u8_check(p, (size_t)(end - p));
        if (!bad)
            return;
        uint8_t *b = (uint8_t *)bad;
        size_t want = *b >= 0xf0 ? 4 : *b >= 0xe0 ? 3 : *b >= 0xc2 ? 2 : 0;
        size_t have = 1;
        while (b + have < end && have < want && (b[have] & 0xc0) == 0x80)
            have++;
        if (want && have < want && b + have == end) {
            *b = '\0';   /* a character cut by truncation */
            return;
        }
        *b = '?';
        p = b + 1;
    }
}

int pmm_error_vset(pmm_error *err, int code, const char *campo,
                   const char *regla, const char *fmt, va_list ap)
{
    if (!err)
        return -1;
    err->code = code;
    snprintf(err->campo, sizeof err->campo, "%s", campo ? campo : "");
    snprintf(err->regla, sizeof err->regla, "%s", regla ? regla : "");
    vsnprintf(err->mensaje, sizeof err->mensaje, fmt, ap);
    scrub_utf8(err->campo);
    scrub_utf8(err->regla);
    scrub_utf8(err->mensaje);
    return -1;
}

int pmm_error_set(pmm_error *err, int code, const char *campo,
                  const char *regla, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pmm_error_vset(err, code, campo, regla, fmt, ap);
    va_end(ap);
    return -1;
}

void pmm_error_prefix(pmm_error *err, const char *prefix)
{
    if (!err)
        return;
    char old[PMM_ERR_MENSAJE];
    memcpy(old, err->mensaje, sizeof old);
    old[sizeof old - 1] = '\0';
    size_t p = strlen(prefix);
    if (p + 2 >= sizeof err->mensaje)
        p = sizeof err->mensaje - 3;
    memcpy(err->mensaje, prefix, p);
    memcpy(err->mensaje + p, ": ", 2);
    size_t room = sizeof err->mensaje - p - 3;
    size_t n = strnlen(old, room);
    memcpy(err->mensaje + p + 2, old, n);
    err->mensaje[p + 2 + n] = '\0';
    scrub_utf8(err->mensaje);
}

const char *pmm_strerror(int errnum)
{
    switch (errnum) {
    case ENOENT: return "no existe";
    case EACCES: return "sin permiso";
    case EPERM: return "operación no permitida";
    case EEXIST: return "ya existe";
    case ENOTDIR: return "una parte de la ruta no es un directorio";
    case EISDIR: return "es un directorio";
    case ENOSPC: return "no queda espacio en el disco";
    case EDQUOT: return "se agotó la cuota de disco";
    case EROFS: return "el sistema de archivos es de solo lectura";
    case EMFILE:
    case ENFILE: return "demasiados archivos abiertos";
    case ENOMEM: return "sin memoria";
    case EIO: return "error de entrada/salida del disco";
    case EINVAL: return "valor no válido";
    case ENAMETOOLONG: return "el nombre es demasiado largo";
    case ELOOP: return "demasiados enlaces simbólicos";
    case EBUSY: return "el recurso está ocupado";
    case EAGAIN: return "recurso no disponible por ahora; vuelva a intentarlo";
    case EINTR: return "interrumpido";
    case EPIPE: return "la otra parte cerró la conexión";
    case EADDRINUSE: return "la dirección ya está en uso";
    case EADDRNOTAVAIL: return "la dirección no existe en este servidor";
    case ECONNREFUSED: return "conexión rechazada";
    case ECONNRESET: return "la otra parte cortó la conexión";
    case EHOSTUNREACH: return "no se llega al servidor";
    case ENETUNREACH: return "la red no está disponible";
    case ETIMEDOUT: return "tiempo de espera agotado";
    case EPROTONOSUPPORT: return "protocolo no admitido";
    case ENODEV:
    case ENXIO: return "el dispositivo no existe";
    case ETXTBSY: return "el archivo está en uso";
    case E2BIG: return "la lista de argumentos es demasiado larga";
    case ENOEXEC: return "no es un programa ejecutable";
    case ECHILD: return "no hay proceso hijo";
    default: return "error del sistema";
    }
}
