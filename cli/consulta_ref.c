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

#define MAX_TAX 8

struct consulta_ref {
    refdata *ref;
    const ref_taxonomia *tax[MAX_TAX];  /* of the years asked, owned by ref */
    size_t ntax;
    char nombre[128];                    /* "2018-2022" or "2018-2022 y 2023" */
};

static void nombrar(consulta_ref *self)
{
    size_t w = 0;
    self->nombre[0] = '\0';
    for (size_t i = 0; i < self->ntax && w < sizeof self->nombre; i++)
        w += (size_t)snprintf(self->nombre + w, sizeof self->nombre - w, "%s%s",
                              i == 0 ? "" : i + 1 == self->ntax ? " y " : ", ",
                              self->tax[i]->nombre);
}

static void agregar_tax(consulta_ref *self, const ref_taxonomia *t)
{
    for (size_t i = 0; i < self->ntax; i++)
        if (self->tax[i] == t)
            return;
    if (t && self->ntax < MAX_TAX)
        self->tax[self->ntax++] = t;
}

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
    const ref_taxonomia *t = NULL;
    if (!self->ref ||
        !(t = refdata_taxonomia_pedir(self->ref, taxonomia, "clasificador.taxonomia", err)))
        consulta_ref_destroy(&self);
    else
        agregar_tax(self, t);
    if (self)
        nombrar(self);
    return self;
}

consulta_ref *consulta_ref_anios(const char *data_dir, const consulta_rango *r,
                                 pmm_error *err)
{
    consulta_ref *self = calloc(1, sizeof *self);
    if (!self) {
        pmm_error_set(err, ERR_INTERNO, "", "memoria", "sin memoria");
        return NULL;
    }
    self->ref = refdata_load(data_dir, err);
    if (!self->ref) {
        consulta_ref_destroy(&self);
        return NULL;
    }
    for (int y = r->desde; y <= r->hasta; y++)
        agregar_tax(self, refdata_taxonomia_ejercicio(self->ref, y));
    if (self->ntax == 0)   /* no "desde" in the data: the classifier's default */
        agregar_tax(self, refdata_taxonomia(self->ref, "2018-2022"));
    if (self->ntax == 0)
        agregar_tax(self, refdata_taxonomia_at(self->ref, 0));
    nombrar(self);
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
    return self->nombre;
}

size_t consulta_ref_ntaxonomias(const consulta_ref *self)
{
    return self->ntax;
}

const ref_taxonomia *consulta_ref_taxonomia_at(const consulta_ref *self, size_t i)
{
    return i < self->ntax ? self->tax[i] : NULL;
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
        /* the latest year's taxonomy names it */
        for (size_t i = self->ntax; !r && i-- > 0;)
            if ((k = numero(valor, 9)))
                r = ref_taxonomia_eje_nombre(self->tax[i], k);
        break;
    case DIM_SUBTEMA:
        for (size_t i = self->ntax; !r && i-- > 0;) {
            const ref_subtema *sub = ref_taxonomia_subtema(self->tax[i], valor);
            r = sub ? sub->nombre : NULL;
        }
        break;
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

consulta_ref *consulta_ref_conf(const pmm_conf *conf, const consulta_rango *r,
                                pmm_error *err)
{
    const char *t = conf_str(conf, "clasificador", "taxonomia");
    if (t && *t)
        return consulta_ref_load(conf_data_dir(conf), t, err);
    return consulta_ref_anios(conf_data_dir(conf), r, err);
}

consulta_ref *consulta_preparar(const char *cmd, int argc, char **argv, unsigned acepta,
                                void (*ayuda)(FILE *out), const pmm_conf *conf,
                                consulta_opciones *o, int *salida)
{
    if (consulta_opciones_leer(cmd, argc, argv, acepta, ayuda, o, salida))
        return NULL;
    pmm_error err;
    pmm_error_clear(&err);
    consulta_ref *ref = consulta_ref_conf(conf, &o->rango, &err);
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
            refdata_pedir_dependencia(rd, "--dependencia", op->dependencia, err);
        if (!d)
            return -1;
        snprintf(filtro, filtro_cap, "D:%s", d->sigla);
        snprintf(nombre, nombre_cap, "fichas de %s (%s)", d->sigla, d->nombre);
    } else if (op->entidad) {
        int code = refdata_pedir_entidad(rd, "--entidad", op->entidad, err);
        if (!code)
            return -1;
        snprintf(filtro, filtro_cap, "E:%02d", code);
        snprintf(nombre, nombre_cap, "fichas de o en %02d %s", code,
                 refdata_entidad_nombre(rd, code));
    }
    return 0;
}
