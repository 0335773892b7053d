/* ooxml_zip.c -- ZIP packages under limits (see ooxml_zip.h). */
#include "ooxml_zip.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

struct ooxml_zip {
    uint8_t *datos;
    size_t len;
    zip_t *za;
    char **nombres;           /* entry names, index order */
    size_t n;
    uint64_t inflados;        /* bytes inflated so far, all entries */
};

struct ooxml_flujo {
    ooxml_zip *z;
    zip_file_t *zf;
    char entrada[256];
    uint64_t leidos;
    uint64_t comprimido;
    pmm_error err;
    int fallo;
};

const char *ooxml_errno_texto(int e)
{
    switch (e) {
    case ENOENT: return "no existe";
    case EACCES: case EPERM: return "permiso denegado";
    case EISDIR: return "es un directorio";
    case ENOTDIR: return "una parte de la ruta no es un directorio";
    case ENOSPC: return "no queda espacio en el disco";
    case EROFS: return "el sistema de archivos es de solo lectura";
    case ENAMETOOLONG: return "la ruta es demasiado larga";
    case ENOMEM: return "sin memoria";
    case EIO: return "error de entrada/salida del disco";
    case ELOOP: return "demasiados enlaces simbólicos";
    case EMFILE: case ENFILE: return "demasiados archivos abiertos";
    case EDQUOT: return "cuota de disco agotada";
    default: return "error del sistema";
    }
}

static int oom(pmm_error *err)
{
    return pmm_error_set(err, OOXML_ERR_INTERNO, "", "memoria", "sin memoria");
}

static double mib(uint64_t n)
{
    return (double)n / (1024.0 * 1024.0);
}

/* A name that stays inside the package: relative, no "..", no drive, no
 * backslash, no control characters. */
static int nombre_seguro(const char *s)
{
    if (!*s || s[0] == '/' || strchr(s, '\\'))
        return 0;
    if (((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')) && s[1] == ':')
        return 0;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p < 0x20)
            return 0;
    const char *c = s;
    for (;;) {
        const char *slash = strchr(c, '/');
        size_t n = slash ? (size_t)(slash - c) : strlen(c);
        if (n == 2 && c[0] == '.' && c[1] == '.')
            return 0;
        if (!slash)
            break;
        c = slash + 1;
    }
    return 1;
}

static int zip_open_error(int code, pmm_error *err)
{
    switch (code) {
    case ZIP_ER_MEMORY:
        return oom(err);
    case ZIP_ER_NOZIP:
        return pmm_error_set(err, OOXML_ERR_MALFORMADO, "", "formato",
                             "no es un documento de Word ni una hoja de cálculo (no es un "
                             "archivo ZIP)");
    case ZIP_ER_ENCRNOTSUPP:
    case ZIP_ER_NOPASSWD:
    case ZIP_ER_WRONGPASSWD:
        return pmm_error_set(err, OOXML_ERR_INVALIDO, "", "cifrado",
                             "el archivo está cifrado con contraseña: guárdelo sin contraseña");
    default:
        return pmm_error_set(err, OOXML_ERR_MALFORMADO, "", "zip",
                             "el archivo ZIP está dañado o incompleto (¿se cortó al copiarlo "
                             "o al enviarlo por correo?): vuelva a guardarlo o pídalo de nuevo");
    }
}

static int revisar_entradas(ooxml_zip *z, pmm_error *err)
{
    zip_int64_t n = zip_get_num_entries(z->za, 0);
    if (n < 0)
        return zip_open_error(ZIP_ER_INCONS, err);
    if (n > OOXML_MAX_ENTRADAS)
        return pmm_error_set(err, OOXML_ERR_INVALIDO, "", "zip_bomba",
                             "el paquete tiene %lld partes; el máximo es %d",
                             (long long)n, OOXML_MAX_ENTRADAS);
    z->nombres = calloc((size_t)n + 1, sizeof *z->nombres);
    if (!z->nombres)
        return oom(err);
    uint64_t total = 0;
    for (zip_int64_t i = 0; i < n; i++) {
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(z->za, (zip_uint64_t)i, ZIP_FL_ENC_GUESS, &st) != 0 ||
            !(st.valid & ZIP_STAT_NAME))
            return zip_open_error(ZIP_ER_INCONS, err);
        if (!nombre_seguro(st.name))
            return pmm_error_set(err, OOXML_ERR_INVALIDO, "", "ruta",
                                 "la parte «%.120s» tiene una ruta que sale del paquete o no "
                                 "es válida; el archivo no se acepta",
                                 st.name);
        if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
            return pmm_error_set(err, OOXML_ERR_INVALIDO, "", "cifrado",
                                 "la parte «%.120s» está cifrada con contraseña: guarde el "
                                 "archivo sin contraseña",
                                 st.name);
        if ((st.valid & ZIP_STAT_COMP_METHOD) &&
            !zip_compression_method_supported((zip_int32_t)st.comp_method, 0))
            return pmm_error_set(err, OOXML_ERR_MALFORMADO, "", "zip",
                                 "la parte «%.120s» usa un método de compresión no admitido "
                                 "(%u)",
                                 st.name, (unsigned)st.comp_method);
        uint64_t size = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
        uint64_t comp = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
        if (size > OOXML_MAX_DESCOMPRIMIDO)
            return pmm_error_set(err, OOXML_ERR_INVALIDO, "", "max_tamano",
                                 "la parte «%.120s» ocupa %.1f MB al descomprimirla; el máximo "
                                 "es %u MB",
                                 st.name, mib(size), OOXML_MAX_DESCOMPRIMIDO >> 20);
        if (size >= OOXML_RAZON_DESDE && size > comp * (uint64_t)OOXML_MAX_RAZON)
            return pmm_error_set(err, OOXML_ERR_INVALIDO, "", "zip_bomba",
                                 "la parte «%.120s» crece de %llu bytes a %.1f MB al "
                                 "descomprimirla (más de %d a 1): parece una bomba ZIP",
                                 st.name, (unsigned long long)comp, mib(size),
                                 OOXML_MAX_RAZON);
        total += size;
        z->nombres[i] = strdup(st.name);
        if (!z->nombres[i])
            return oom(err);
        z->n = (size_t)i + 1;
    }
    if (total > OOXML_MAX_DESCOMPRIMIDO)
        return pmm_error_set(err, OOXML_ERR_INVALIDO, "", "max_tamano",
                             "el contenido ocupa %.1f MB al descomprimirlo; el máximo es %u MB",
                             mib(total), OOXML_MAX_DESCOMPRIMIDO >> 20);
    if (total >= OOXML_RAZON_DESDE && total > (uint64_t)z->len * OOXML_MAX_RAZON)
        return pmm_error_set(err, OOXML_ERR_INVALIDO, "", "zip_bomba",
                             "el archivo crece de %zu bytes a %.1f MB al descomprimirlo (más "
                             "de %d a 1): parece una bomba ZIP",
                             z->len, mib(total), OOXML_MAX_RAZON);
    return 0;
}

/* Takes ownership of datos. */
static ooxml_zip *abrir(uint8_t *datos, size_t len, pmm_error *err)
{
    static const uint8_t ole[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    if (len >= sizeof ole && !memcmp(datos, ole, sizeof ole)) {
        free(datos);
        pmm_error_set(err, OOXML_ERR_INVALIDO, "", "cifrado",
                      "archivo cifrado o en formato de Office antiguo (.doc, .xls): quítele "
                      "la contraseña y guárdelo como .docx o .xlsx");
        return NULL;
    }
    if (len < 4 || datos[0] != 'P' || datos[1] != 'K') {
        free(datos);
        zip_open_error(ZIP_ER_NOZIP, err);
        return NULL;
    }
    ooxml_zip *z = calloc(1, sizeof *z);
    if (!z) {
        free(datos);
        oom(err);
        return NULL;
    }
    z->datos = datos;
    z->len = len;
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(z->datos, z->len, 0, &ze);
    if (!src) {
        zip_open_error(zip_error_code_zip(&ze), err);
        zip_error_fini(&ze);
        ooxml_zip_cerrar(&z);
        return NULL;
    }
    z->za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
    if (!z->za) {
        /* it starts like a ZIP: without its directory it was cut short */
        int code = zip_error_code_zip(&ze);
        zip_open_error(code == ZIP_ER_NOZIP ? ZIP_ER_INCONS : code, err);
        zip_error_fini(&ze);
        zip_source_free(src);
        ooxml_zip_cerrar(&z);
        return NULL;
    }
    zip_error_fini(&ze);
    if (revisar_entradas(z, err) != 0) {
        ooxml_zip_cerrar(&z);
        return NULL;
    }
    return z;
}

ooxml_zip *ooxml_zip_de_memoria(const uint8_t *datos, size_t len, pmm_error *err)
{
    if (len > OOXML_MAX_ARCHIVO) {
        pmm_error_set(err, OOXML_ERR_INVALIDO, "", "max_tamano",
                      "el archivo ocupa %.1f MB; el máximo es %u MB", mib(len),
                      OOXML_MAX_ARCHIVO >> 20);
        return NULL;
    }
    uint8_t *copia = malloc(len ? len : 1);
    if (!copia) {
        oom(err);
        return NULL;
    }
    if (len)
        memcpy(copia, datos, len);
    return abrir(copia, len, err);
}

ooxml_zip *ooxml_zip_abrir(const char *path, pmm_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        pmm_error_set(err, OOXML_ERR_INTERNO, "", "archivo", "no se puede abrir: %s",
                      ooxml_errno_texto(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        pmm_error_set(err, OOXML_ERR_INTERNO, "", "archivo", "no es un archivo regular");
        return NULL;
    }
    if ((uint64_t)st.st_size > OOXML_MAX_ARCHIVO) {
        close(fd);
        pmm_error_set(err, OOXML_ERR_INVALIDO, "", "max_tamano",
                      "el archivo ocupa %.1f MB; el máximo es %u MB (quite imágenes o "
                      "divida el archivo)",
                      mib((uint64_t)st.st_size), OOXML_MAX_ARCHIVO >> 20);
        return NULL;
    }
    size_t len = (size_t)st.st_size;
    uint8_t *datos = malloc(len ? len : 1);
    if (!datos) {
        close(fd);
        oom(err);
        return NULL;
    }
    size_t off = 0;
    while (off < len) {
        ssize_t r = read(fd, datos + off, len - off);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            int e = r < 0 ? errno : EIO;
            close(fd);
            free(datos);
            pmm_error_set(err, OOXML_ERR_INTERNO, "", "archivo", "error de lectura: %s",
                          ooxml_errno_texto(e));
            return NULL;
        }
        off += (size_t)r;
    }
    close(fd);
    return abrir(datos, len, err);
}

void ooxml_zip_cerrar(ooxml_zip **self_p)
{
    if (!self_p || !*self_p)
        return;
    ooxml_zip *z = *self_p;
    if (z->za)
        zip_discard(z->za);   /* frees the source, which does not own datos */
    if (z->nombres)
        for (size_t i = 0; i < z->n; i++)
            free(z->nombres[i]);
    free(z->nombres);
    free(z->datos);
    free(z);
    *self_p = NULL;
}

int ooxml_zip_tiene(const ooxml_zip *z, const char *entrada)
{
    for (size_t i = 0; i < z->n; i++)
        if (!strcmp(z->nombres[i], entrada))
            return 1;
    return 0;
}

size_t ooxml_zip_entradas(const ooxml_zip *z)
{
    return z->n;
}

const char *ooxml_zip_entrada(const ooxml_zip *z, size_t i)
{
    return i < z->n ? z->nombres[i] : NULL;
}

static int indice(const ooxml_zip *z, const char *entrada)
{
    for (size_t i = 0; i < z->n; i++)
        if (!strcmp(z->nombres[i], entrada))
            return (int)i;
    return -1;
}

ooxml_flujo *ooxml_flujo_abrir(ooxml_zip *z, const char *entrada, pmm_error *err)
{
    int i = indice(z, entrada);
    if (i < 0) {
        pmm_error_set(err, OOXML_ERR_MALFORMADO, "", "formato", "falta la parte «%.120s»",
                      entrada);
        return NULL;
    }
    ooxml_flujo *f = calloc(1, sizeof *f);
    if (!f) {
        oom(err);
        return NULL;
    }
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(z->za, (zip_uint64_t)i, 0, &st) == 0 && (st.valid & ZIP_STAT_COMP_SIZE))
        f->comprimido = st.comp_size;
    f->zf = zip_fopen_index(z->za, (zip_uint64_t)i, 0);
    if (!f->zf) {
        zip_open_error(zip_error_code_zip(zip_get_error(z->za)), err);
        free(f);
        return NULL;
    }
    f->z = z;
    snprintf(f->entrada, sizeof f->entrada, "%s", entrada);
    return f;
}

ssize_t ooxml_flujo_leer(ooxml_flujo *f, char *buf, size_t n)
{
    if (f->fallo)
        return -1;
    zip_int64_t r = zip_fread(f->zf, buf, n);
    if (r < 0) {
        f->fallo = 1;
        int code = zip_error_code_zip(zip_file_get_error(f->zf));
        if (code == ZIP_ER_CRC || code == ZIP_ER_INCONS || code == ZIP_ER_EOF ||
            code == ZIP_ER_COMPRESSED_DATA || code == ZIP_ER_READ)
            pmm_error_set(&f->err, OOXML_ERR_MALFORMADO, "", "zip",
                          "la parte «%.120s» está dañada o incompleta", f->entrada);
        else
            zip_open_error(code, &f->err);
        return -1;
    }
    f->leidos += (uint64_t)r;
    f->z->inflados += (uint64_t)r;
    if (f->leidos > OOXML_MAX_DESCOMPRIMIDO || f->z->inflados > OOXML_MAX_DESCOMPRIMIDO) {
        f->fallo = 1;
        pmm_error_set(&f->err, OOXML_ERR_INVALIDO, "", "max_tamano",
                      "la parte «%.120s» pasa de %u MB al descomprimirla", f->entrada,
                      OOXML_MAX_DESCOMPRIMIDO >> 20);
        return -1;
    }
    if (f->leidos >= OOXML_RAZON_DESDE && f->leidos > f->comprimido * OOXML_MAX_RAZON) {
        f->fallo = 1;
        pmm_error_set(&f->err, OOXML_ERR_INVALIDO, "", "zip_bomba",
                      "la parte «%.120s» crece más de %d a 1 al descomprimirla: parece una "
                      "bomba ZIP",
                      f->entrada, OOXML_MAX_RAZON);
        return -1;
    }
    return (ssize_t)r;
}

const pmm_error *ooxml_flujo_error(const ooxml_flujo *f)
{
    return f->fallo ? &f->err : NULL;
}

void ooxml_flujo_cerrar(ooxml_flujo **f_p)
{
    if (!f_p || !*f_p)
        return;
    if ((*f_p)->zf)
        zip_fclose((*f_p)->zf);
    free(*f_p);
    *f_p = NULL;
}

char *ooxml_zip_leer(ooxml_zip *z, const char *entrada, size_t *len, pmm_error *err)
{
    ooxml_flujo *f = ooxml_flujo_abrir(z, entrada, err);
    if (!f)
        return NULL;
    size_t cap = 64 * 1024, n = 0;
    char *buf = malloc(cap);
    if (!buf) {
        ooxml_flujo_cerrar(&f);
        oom(err);
        return NULL;
    }
    for (;;) {
        if (cap - n < 16 * 1024) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                ooxml_flujo_cerrar(&f);
                oom(err);
                return NULL;
            }
            buf = nb;
            cap *= 2;
        }
        ssize_t r = ooxml_flujo_leer(f, buf + n, cap - n - 1);
        if (r < 0) {
            *err = *ooxml_flujo_error(f);
            free(buf);
            ooxml_flujo_cerrar(&f);
            return NULL;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    ooxml_flujo_cerrar(&f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}
