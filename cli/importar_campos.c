/* importar_campos.c -- the form's fields and how their labels are matched
 * (see importar_campos.h). The wording of the labels follows the unit's
 * Word form; the help texts restate the method's instructions (one
 * objective per action, at most 180 words per field, results of the
 * one-year period only, contact data private). */
#include "importar_campos.h"

#include <stdio.h>
#include <string.h>

#include "utf8.h"

static const imp_campo CAMPOS[] = {
    {"clave", TIPO_CLAVE, SEC_NINGUNA, "Clave de la ficha",
     "Déjela vacía la primera vez: el sistema asigna una y la informa. Para corregir una "
     "ficha ya enviada, escriba aquí esa clave.",
     {"clave", NULL}, {NULL}},
    {"ejercicio", TIPO_ENTERO, SEC_NINGUNA, "Ejercicio",
     "Año del informe; el periodo va de junio del año anterior a junio de este año.",
     {"ano del ejercicio", "ano", NULL}, {NULL}},
    {"ambito", TIPO_AMBITO, SEC_NINGUNA, "Ámbito",
     "federal (dependencias, órganos desconcentrados y organismos autónomos) o estatal "
     "(gobiernos de las entidades federativas).",
     {"ambito", NULL}, {NULL}},
    {"dependencia", TIPO_DEPENDENCIA, SEC_NINGUNA,
     "Nombre de la dependencia / órgano desconcentrado / organismo autónomo",
     "Siglas o nombre completo de la institución a la que pertenece el área que informa (por "
     "ejemplo SRE o Secretaría de Relaciones Exteriores). En una ficha estatal es opcional.",
     {"nombre de la dependencia", "dependencia", "institucion", "organo desconcentrado",
      "organismo autonomo", NULL},
     {NULL}},
    {"entidad", TIPO_ENTIDAD, SEC_NINGUNA, "Entidad federativa",
     "Nombre de la entidad o su clave INEGI (01 a 32). Obligatoria en una ficha estatal; en "
     "una federal, opcional: dónde se realizó la acción.",
     {"entidad", "estado", NULL}, {NULL}},
    {"unidad", TIPO_LINEA, SEC_NINGUNA, "Unidad / Dirección General",
     "Unidad o Dirección General que realiza la acción (una línea, hasta 300 caracteres).",
     {"unidad", "direccion general", "area responsable", "unidad responsable", NULL},
     {NULL}},
    {"programa", TIPO_LINEA, SEC_NINGUNA, "Nombre del programa, acción o buena práctica",
     "Nombre oficial; si no lo tiene, una descripción breve (una línea, hasta 300 "
     "caracteres).",
     {"nombre del programa", "programa", "nombre de la accion", NULL}, {NULL}},
    {"objetivo_pmm", TIPO_OBJETIVO, SEC_NINGUNA, "Objetivo del PMM que atiende el programa",
     "Número y nombre de un solo objetivo (vea el anexo). Si la acción contribuye a varios, "
     "elija el que mejor la describe: cada acción se cuenta en un solo objetivo.",
     {"objetivo del pmm", "objetivo pmm", "objetivo del pacto", NULL}, {NULL}},
    {"descripcion.objetivo", TIPO_TEXTO, SEC_DESCRIPCION, "Objetivo del programa",
     "Para qué existe el programa o la acción (hasta 180 palabras).",
     {"objetivo del programa", "objetivo de la accion", NULL}, {"objetivo", NULL}},
    {"descripcion.poblacion_objetivo", TIPO_TEXTO, SEC_DESCRIPCION, "Población objetivo",
     "A quién se dirige (hasta 180 palabras).", {"poblacion objetivo", NULL},
     {"poblacion", NULL}},
    {"descripcion.inicio", TIPO_FECHA, SEC_DESCRIPCION, "Fecha de inicio",
     "AAAA-MM-DD, AAAA-MM o AAAA (por ejemplo 2022-07).", {"fecha de inicio", NULL},
     {"inicio", NULL}},
    {"descripcion.temporalidad", TIPO_TEMPORALIDAD, SEC_DESCRIPCION, "Temporalidad",
     "permanente o temporal.", {"temporalidad", NULL}, {NULL}},
    {"descripcion.fin", TIPO_FECHA, SEC_DESCRIPCION, "Fecha de término",
     "Si es temporal: AAAA-MM-DD, AAAA-MM o AAAA; no anterior al inicio.",
     {"fecha de termino", "fecha de fin", "fecha de conclusion", NULL},
     {"fin", "termino", NULL}},
    {"resultados.acciones", TIPO_ENTERO, SEC_RESULTADOS, "Número de acciones realizadas",
     "Solo del periodo: campañas, foros, materiales, trámites, documentos expedidos... Un "
     "número entero.",
     {"numero de acciones", NULL}, {"acciones", NULL}},
    {"resultados.personas", TIPO_ENTERO, SEC_RESULTADOS, "Personas atendidas o beneficiadas",
     "Solo del periodo. Un número entero.", {"personas atendidas", "numero de personas", NULL},
     {"personas", NULL}},
    {"resultados.mujeres", TIPO_ENTERO, SEC_RESULTADOS, "Mujeres atendidas",
     "De las personas atendidas, cuántas mujeres.", {"mujeres atendidas", NULL},
     {"mujeres", NULL}},
    {"resultados.hombres", TIPO_ENTERO, SEC_RESULTADOS, "Hombres atendidos",
     "De las personas atendidas, cuántos hombres (mujeres y hombres no pueden sumar más que "
     "las personas).",
     {"hombres atendidos", NULL}, {"hombres", NULL}},
    {"resultados.zona", TIPO_LINEA, SEC_RESULTADOS, "Zona geográfica",
     "Nacional, entidades o regiones (por ejemplo, frontera sur).",
     {"zona geografica", "cobertura geografica", NULL}, {"zona", "cobertura", NULL}},
    {"resultados.texto", TIPO_TEXTO, SEC_RESULTADOS, "Descripción de los resultados",
     "Qué se logró en el periodo, sin series históricas; si no hubo resultados, por qué. "
     "Obligatorio si no hay cifras. Hasta 180 palabras.",
     {"descripcion de los resultados", NULL}, {"texto", "descripcion", NULL}},
    {"retos", TIPO_TEXTO, SEC_NINGUNA, "Retos identificados",
     "Lo que dificulta el programa y cómo se atendió o podría mejorarse; solo retos de la "
     "propia institución (hasta 180 palabras).",
     {"retos", NULL}, {NULL}},
    {"contacto.nombre", TIPO_LINEA, SEC_CONTACTO, "Nombre completo", NULL,
     {"nombre del contacto", NULL}, {"nombre", NULL}},
    {"contacto.cargo", TIPO_LINEA, SEC_CONTACTO, "Cargo", NULL, {"cargo", NULL}, {NULL}},
    {"contacto.telefono", TIPO_LINEA, SEC_CONTACTO, "Teléfono con extensión", NULL,
     {"telefono", NULL}, {NULL}},
    {"contacto.correo", TIPO_LINEA, SEC_CONTACTO, "Correo electrónico", NULL,
     {"correo electronico", "correo", NULL}, {"email", NULL}},
    {"reemplaza", TIPO_ENTERO, SEC_NINGUNA, "Versión que corrige",
     "Solo para corregir una ficha ya guardada: el número de la versión vigente que informó "
     "el sistema.",
     {"version que corrige", "reemplaza", NULL}, {NULL}},
};
#define NCAMPOS (sizeof CAMPOS / sizeof CAMPOS[0])

size_t imp_campos_n(void)
{
    return NCAMPOS;
}

const imp_campo *imp_campo_at(size_t i)
{
    return i < NCAMPOS ? &CAMPOS[i] : NULL;
}

const imp_campo *imp_campo_ruta(const char *ruta)
{
    for (size_t i = 0; i < NCAMPOS; i++)
        if (!strcmp(CAMPOS[i].ruta, ruta))
            return &CAMPOS[i];
    return NULL;
}

/* Section labels: the header row's text, and what else opens it. */
static const struct {
    imp_seccion s;
    const char *etiqueta;
    const char *ayuda;
    const char *otras[4];
} SECCIONES[] = {
    {SEC_DESCRIPCION, "DESCRIPCIÓN",
     "Al menos: el objetivo del programa, su población objetivo y su temporalidad (inicio, si "
     "es temporal o permanente, fin).",
     {"descripcion", NULL}},
    {SEC_RESULTADOS, NULL,
     "Cifras solo del periodo de un año, sin series históricas; también se admiten elementos "
     "cualitativos. Es el campo más importante: con él se escribe el Informe Ejecutivo.",
     {"resultados alcanzados", "resultados", NULL}},
    {SEC_CONTACTO, "PUNTO DE CONTACTO PARA SEGUIMIENTO",
     "Datos privados: solo la Unidad los usa para aclaraciones y las solicitudes de cada año; "
     "no se publican.",
     {"punto de contacto", "contacto", "datos de contacto", NULL}},
};

void imp_seccion_etiqueta(imp_seccion s, int ejercicio, char *out, size_t cap)
{
    if (s == SEC_RESULTADOS) {
        if (ejercicio > 0)
            snprintf(out, cap, "RESULTADOS ALCANZADOS EN EL PERIODO DE JUNIO DE %d A JUNIO DE %d",
                     ejercicio - 1, ejercicio);
        else
            snprintf(out, cap, "RESULTADOS ALCANZADOS EN EL PERIODO");
        return;
    }
    for (size_t i = 0; i < sizeof SECCIONES / sizeof SECCIONES[0]; i++)
        if (SECCIONES[i].s == s) {
            snprintf(out, cap, "%s", SECCIONES[i].etiqueta);
            return;
        }
    snprintf(out, cap, "%s", "");
}

const char *imp_seccion_ayuda(imp_seccion s)
{
    for (size_t i = 0; i < sizeof SECCIONES / sizeof SECCIONES[0]; i++)
        if (SECCIONES[i].s == s)
            return SECCIONES[i].ayuda;
    return NULL;
}

size_t imp_normalizar(const char *s, char *out, size_t cap)
{
    if (cap == 0)
        return 0;
    char tmp[4096];
    size_t n = strlen(s);
    if (n > 2000)
        n = 2000;   /* labels are short; a programme's name is at most 300 characters */
    utf8_fold(s, n, tmp, sizeof tmp);
    size_t w = 0;
    int espacio = 1;
    for (const char *p = tmp; *p && w + 1 < cap; p++) {
        unsigned char c = (unsigned char)*p;
        int alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
        if (alnum) {
            out[w++] = (char)c;
            espacio = 0;
        } else if (!espacio) {
            out[w++] = ' ';
            espacio = 1;
        }
    }
    while (w && out[w - 1] == ' ')
        w--;
    out[w] = '\0';
    return w;
}

/* Length of the normalised label when norm begins with it at a word
 * boundary, else 0. */
static size_t empieza(const char *norm, const char *etiqueta)
{
    char e[256];
    size_t n = imp_normalizar(etiqueta, e, sizeof e);
    if (n == 0 || strncmp(norm, e, n) || (norm[n] && norm[n] != ' '))
        return 0;
    return n;
}

size_t imp_etiqueta(const char *norm, imp_seccion actual, const imp_campo **campo,
                    imp_seccion *seccion)
{
    size_t mejor = 0;
    *campo = NULL;
    *seccion = SEC_NINGUNA;
    for (size_t i = 0; i < NCAMPOS; i++) {
        const imp_campo *c = &CAMPOS[i];
        size_t n = empieza(norm, c->etiqueta);
        for (size_t k = 0; c->otras[k]; k++) {
            size_t m = empieza(norm, c->otras[k]);
            if (m > n)
                n = m;
        }
        if (c->seccion == actual && actual != SEC_NINGUNA)
            for (size_t k = 0; c->cortas[k]; k++) {
                size_t m = empieza(norm, c->cortas[k]);
                if (m > n)
                    n = m;
            }
        if (n > mejor) {
            mejor = n;
            *campo = c;
            *seccion = c->seccion;
        }
    }
    for (size_t i = 0; i < sizeof SECCIONES / sizeof SECCIONES[0]; i++) {
        char buf[128];
        imp_seccion_etiqueta(SECCIONES[i].s, 0, buf, sizeof buf);
        size_t n = empieza(norm, buf);
        for (size_t k = 0; SECCIONES[i].otras[k]; k++) {
            size_t m = empieza(norm, SECCIONES[i].otras[k]);
            if (m > n)
                n = m;
        }
        if (n > mejor) {
            mejor = n;
            *campo = NULL;
            *seccion = SECCIONES[i].s;
        }
    }
    return mejor;
}
