/* consulta_ref.c -- the names and the configured taxonomy of the query
 * commands, over the reference data (consulta_ref.h). */
#include "consulta_ref.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "conf.h"

#define ERR_USO 1        /* Pmm__ErrorCode ERR_INVALID */
#define ERR_INTERNO 7    /* Pmm__ErrorCode ERR_INTERNAL */

struct consulta_ref {
    refdata *ref;
    const ref_taxonomia *tax;   /* the configured taxonomy, owned by ref */
};

static bool nombre_seguro(const char *s)
{
    if (!*s || strlen(s) >= 64 || s[0] == '.')
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' && *s != '.')
            return false;
    return true;
}

consulta_ref *consulta_ref_load(const char *data_dir, const char *taxonomia,
                                pmm_error *err)
{
    if (!nombre_seguro(taxonomia)) {
        pmm_error_set(err, ERR_USO, "clasificador.taxonomia", "valor",
                      "clasificador.taxonomia: «%.40s» no es un nombre de "
                      "taxonomía válido", taxonomia);
        return NULL;
    }
    consulta_ref *self = calloc(1, sizeof *self);
    if (!self) {
        pmm_error_set(err, ERR_INTERNO, "", "memoria", "sin memoria");
        return NULL;
    }
    self->ref = refdata_load(data_dir, err);
    if (!self->ref ||
        !(self->tax = refdata_taxonomia_pedir(self->ref, taxonomia,
                                              "clasificador.taxonomia", err)))
        consulta_ref_destroy(&self);
    return self;
}

void consulta_ref_destroy(consulta_ref **self_p)
{
    if (!self_p || !*self_p)
        return;
    refdata_destroy(&(*self_p)->ref);
    free(*self_p);
    *self_p = NULL;
}

const refdata *consulta_ref_refdata(const consulta_ref *self)
{
    return self->ref;
}

const char *consulta_ref_taxonomia(const consulta_ref *self)
{
    return self->tax->nombre;
}

const ref_taxonomia *consulta_ref_taxonomia_def(const consulta_ref *self)
{
    return self->tax;
}

/* 1..max for a canonical decimal ("7", not "07"), else 0. */
static int numero(const char *s, int max)
{
    if (!*s || *s == '0' || strlen(s) > 2)
        return 0;
    int v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return 0;
        v = v * 10 + (*s - '0');
    }
    return v <= max ? v : 0;
}

/* 1..32 for "01".."32", else 0. */
static int clave_entidad(const char *s)
{
    if (strlen(s) != 2 || s[0] < '0' || s[0] > '3' || s[1] < '0' || s[1] > '9')
        return 0;
    int v = (s[0] - '0') * 10 + (s[1] - '0');
    return v >= 1 && v <= REF_ENTIDADES ? v : 0;
}

const char *consulta_nombre(const consulta_ref *self, consulta_dim d,
                            const char *valor)
{
    const char *r = NULL;
    int k;
    if (!self || !valor)
        return "";
    switch (d) {
    case DIM_OBJETIVO:
        if ((k = numero(valor, REF_OBJETIVOS)))
            r = refdata_objetivo_titulo(self->ref, k);
        break;
    case DIM_ODS:
        if ((k = numero(valor, REF_ODS)))
            r = refdata_ods_nombre(self->ref, k);
        break;
    case DIM_ENTIDAD:
        if ((k = clave_entidad(valor)))
            r = refdata_entidad_nombre(self->ref, k);
        break;
    case DIM_EJE:
        if ((k = numero(valor, 9)))
            r = ref_taxonomia_eje_nombre(self->tax, k);
        break;
    case DIM_SUBTEMA: {
        const ref_subtema *sub = ref_taxonomia_subtema(self->tax, valor);
        r = sub ? sub->nombre : NULL;
        break;
    }
    case DIM_DEPENDENCIA: {
        const ref_dependencia *dep =
            refdata_dependencia(self->ref, valor, strlen(valor));
        r = dep ? dep->nombre : NULL;
        break;
    }
    case DIM_AMBITO:
        r = !strcmp(valor, "federal") ? "Federal"
          : !strcmp(valor, "estatal") ? "Estatal" : NULL;
        break;
    case DIM_EMISOR:
        if (!strncmp(valor, "D:", 2))
            return consulta_nombre(self, DIM_DEPENDENCIA, valor + 2);
        if (!strncmp(valor, "E:", 2))
            return consulta_nombre(self, DIM_ENTIDAD, valor + 2);
        break;
    case DIM_ODS_TOTAL:
        r = "Fichas con al menos un ODS";
        break;
    }
    return r ? r : "";
}

consulta_ref *consulta_ref_conf(const pmm_conf *conf, pmm_error *err)
{
    return consulta_ref_load(conf_data_dir(conf),
                             conf_str(conf, "clasificador", "taxonomia"),
                             err);
}

consulta_ref *consulta_preparar(const char *cmd, int argc, char **argv, unsigned acepta,
                                void (*ayuda)(FILE *out), const pmm_conf *conf,
                                consulta_opciones *o, int *salida)
{
    if (consulta_opciones_leer(cmd, argc, argv, acepta, ayuda, o, salida))
        return NULL;
    pmm_error err;
    pmm_error_clear(&err);
    consulta_ref *ref = consulta_ref_conf(conf, &err);
    if (!ref) {
        consulta_error(cmd, &err);
        *salida = EXIT_USO;
    }
    return ref;
}

int consulta_filtro(const consulta_ref *ref, const consulta_opciones *op, char *filtro,
                    size_t filtro_cap, char *nombre, size_t nombre_cap, pmm_error *err)
{
    const refdata *rd = consulta_ref_refdata(ref);
    snprintf(filtro, filtro_cap, "%s", "");
    snprintf(nombre, nombre_cap, "todas las fichas");
    if (op->dependencia) {
        const ref_dependencia *d =
            refdata_dependencia(rd, op->dependencia, strlen(op->dependencia));
        if (!d)
            return pmm_error_set(err, 1, "--dependencia", "desconocida",
                                 "--dependencia: «%.40s» no es la sigla de una "
                                 "dependencia conocida (véase dependencias.csv en el "
                                 "directorio de datos)", op->dependencia);
        snprintf(filtro, filtro_cap, "D:%s", d->sigla);
        snprintf(nombre, nombre_cap, "fichas de %s (%s)", d->sigla, d->nombre);
    } else if (op->entidad) {
        int code = refdata_entidad(rd, op->entidad, strlen(op->entidad));
        if (!code)
            return pmm_error_set(err, 1, "--entidad", "desconocida",
                                 "--entidad: «%.40s» no es una clave INEGI (01 a 32) ni "
                                 "el nombre de una entidad federativa", op->entidad);
        snprintf(filtro, filtro_cap, "E:%02d", code);
        snprintf(nombre, nombre_cap, "fichas de o en %02d %s", code,
                 refdata_entidad_nombre(rd, code));
    }
    return 0;
}
