#include "conf_tabla.h"

#include <string.h>

#include "conf.h"

#define ING CONF_INGESTD
#define CLA CONF_CLASIFICD
#define AGG CONF_AGGREGD
#define PMM CONF_PMM
#define DAEMONS (CONF_INGESTD | CONF_CLASIFICD | CONF_AGGREGD)

/* {section, key, type, default, min, max, valores, reloadable, readers, help} */
static const conf_clave rows[] = {
    {"general", "datos", CONF_RUTA, PMM_DATA_DIR, 0, 0, NULL, 0, CONF_TODOS,
     "directorio de datos (listas de referencia, taxonomías, léxico, modelo); "
     "$PMM_DATOS lo sustituye"},
    {"general", "log", CONF_OPCION, "info", 0, 0, "error|warn|aviso|info|debug", 1, DAEMONS,
     "nivel mínimo de los mensajes del registro de los servicios"},
    {"general", "zona_horaria", CONF_TEXTO, "America/Mexico_City", 0, 0, NULL, 0, PMM,
     "zona horaria (nombre IANA) de las fechas que se muestran; $TZ la sustituye"},
    {"general", "exigir_analista", CONF_ENTERO, "0", 0, 1, NULL, 0, PMM,
     "1: las decisiones de los analistas (pmm revision fijar, pmm reclasificar "
     "--aplicar, pmm cierre) exigen un nombre: --analista, $PMM_ANALISTA o el de "
     "la clave de [cliente] clave (en producción)"},

    {"postgresql", "conninfo", CONF_CONNINFO, NULL, 0, 0, NULL, 0, CONF_TODOS,
     "conexión del dueño del esquema (pmm migrar, claves, estado); la de los "
     "servicios sin conninfo propio"},
    {"postgresql", "lectura", CONF_CONNINFO, NULL, 0, 0, NULL, 0, PMM,
     "conexión de solo lectura para consultas e informes (réplica o PgBouncer); "
     "sin ella, conninfo"},
    {"postgresql", "directorio_datos", CONF_RUTA, NULL, 0, 0, NULL, 0, PMM,
     "directorio de datos del clúster, para el espacio libre de pmm estado"},

    {"admin", "conninfo", CONF_CONNINFO, NULL, 0, 0, NULL, 0, PMM,
     "conexión de pmm claves y pmm auditoria (rol pmm_admin); sin ella, "
     "[postgresql] conninfo"},

    {"ingestd", "conninfo", CONF_CONNINFO, NULL, 0, 0, NULL, 0, ING,
     "conexión del colector (rol del grupo pmm_ingesta)"},
    {"ingestd", "endpoint", CONF_ENDPOINTS, NULL, 0, 0, NULL, 0, ING | PMM,
     "endpoint local del colector (ingestd lo escucha); en un cliente, la lista "
     "de colectores separada por comas"},
    {"ingestd", "remoto", CONF_ENDPOINT, NULL, 0, 0, NULL, 0, ING,
     "endpoint tcp:// para remitentes de otros equipos (siempre CURVE)"},
    {"ingestd", "trabajo", CONF_ENDPOINTS, NULL, 0, 0, NULL, 0, ING | CLA,
     "avisos de trabajo a los clasificadores (ingestd lo escucha; los "
     "clasificadores, la lista de colectores)"},
    {"ingestd", "certificado", CONF_RUTA, NULL, 0, 0, NULL, 0, ING,
     "par de claves CURVE del colector (parte secreta)"},
    {"ingestd", "clave_servidor", CONF_TEXTO, NULL, 0, 0, NULL, 0, CLA | PMM,
     "clave pública del colector para quien se conecta: archivo .key o la "
     "clave Z85"},
    {"ingestd", "lote", CONF_ENTERO, "512", 1, 10000, NULL, 1, ING,
     "fichas por transacción (guardado en grupo)"},
    {"ingestd", "aceptar_dependencias_nuevas", CONF_ENTERO, "0", 0, 1, NULL, 0, ING,
     "1: acepta dependencias federales que no están en dependencias.csv"},

    {"clasificador", "conninfo", CONF_CONNINFO, NULL, 0, 0, NULL, 0, CLA,
     "conexión de los clasificadores (rol del grupo pmm_clasificador)"},
    {"clasificador", "clave", CONF_RUTA, NULL, 0, 0, NULL, 0, CLA,
     "clave CURVE del clasificador (parte secreta), si trabajo o eventos son "
     "tcp://"},
    {"clasificador", "taxonomia", CONF_TEXTO, NULL, 0, 0, NULL, 0, CLA | PMM,
     "sin valor (lo normal): cada ejercicio usa su taxonomía (columna «desde» de "
     "data/taxonomias: 2018-2022 hasta 2022, 2023 desde 2023); con valor, esa "
     "taxonomía para todos los ejercicios"},
    {"clasificador", "modelo", CONF_RUTA, NULL, 0, 0, NULL, 0, CLA | PMM,
     "archivo del modelo (pmm entrenar -o); sin él, modelo.txt del directorio "
     "de datos"},
    {"clasificador", "lote", CONF_ENTERO, "256", 1, 10000, NULL, 1, CLA,
     "fichas por transacción de clasificación"},

    {"aggregd", "conninfo", CONF_CONNINFO, NULL, 0, 0, NULL, 0, AGG,
     "conexión del agregador (rol del grupo pmm_agregador)"},
    {"aggregd", "endpoint", CONF_ENDPOINTS, NULL, 0, 0, NULL, 0, AGG | PMM,
     "endpoint de control (aggregd lo escucha; pmm estado y pmm agregar se "
     "conectan)"},
    {"aggregd", "eventos", CONF_ENDPOINTS, NULL, 0, 0, NULL, 0, AGG | CLA,
     "avisos de los clasificadores (aggregd lo escucha)"},
    {"aggregd", "certificado", CONF_RUTA, NULL, 0, 0, NULL, 0, AGG,
     "par de claves CURVE del agregador (parte secreta), para endpoints tcp://"},
    {"aggregd", "clave_servidor", CONF_TEXTO, NULL, 0, 0, NULL, 0, CLA | PMM,
     "clave pública del agregador para quien se conecta: archivo .key o la "
     "clave Z85"},
    {"aggregd", "recalculo", CONF_HORA, "03:00", 0, 0, "no", 1, AGG,
     "hora (UTC) del recálculo diario de todos los totales, o «no»"},
    {"aggregd", "recalculo_intervalo", CONF_SEGUNDOS, "0", 0, 2592000, NULL, 1, AGG,
     "recálculo cada tantos segundos en lugar de a diario (0: no)"},
    {"aggregd", "lote", CONF_ENTERO, "8000", 1, 100000, NULL, 1, AGG,
     "fichas por transacción de agregación"},
    {"aggregd", "espera_lote_ms", CONF_MS, "1500", 0, 60000, NULL, 1, AGG,
     "cuánto se juntan los avisos antes de agregar (0: en cada aviso)"},

    {"cliente", "clave", CONF_RUTA, NULL, 0, 0, NULL, 0, PMM,
     "clave CURVE del usuario (parte secreta) para endpoints tcp://; "
     "pmm --clave la sustituye"},
    {"cliente", "ventana", CONF_ENTERO, "256", 1, 100000, NULL, 0, PMM,
     "fichas en vuelo a la vez (pmm enviar --ventana)"},
    {"cliente", "espera_ms", CONF_MS, "5000", 1, 3600000, NULL, 0, PMM,
     "silencio antes de reenviar (pmm enviar --espera)"},
    {"cliente", "intentos", CONF_ENTERO, "5", 1, 1000, NULL, 0, PMM,
     "rondas de reenvío antes de dar una ficha por «sin respuesta»"},
    {"cliente", "espera_recalculo_ms", CONF_MS, "600000", 1, 86400000, NULL, 0, PMM,
     "cuánto espera pmm agregar --ahora el recálculo"},

    {"respaldo", "stanza", CONF_TEXTO, "pmm", 0, 0, NULL, 0, PMM,
     "nombre de la stanza de pgBackRest"},
    {"respaldo", "repositorio", CONF_RUTA, NULL, 0, 0, NULL, 0, PMM,
     "directorio del repositorio de respaldos de pgBackRest"},
    {"respaldo", "retencion", CONF_ENTERO, "2", 1, 9999, NULL, 0, PMM,
     "respaldos completos que se conservan"},
    {"respaldo", "compresion", CONF_OPCION, "zst", 0, 0, "zst|lz4|gz|bz2|ninguna", 0, PMM,
     "compresión de los respaldos y del archivo de WAL"},
    {"respaldo", "configuracion", CONF_RUTA, NULL, 0, 0, NULL, 0, PMM,
     "archivo de configuración de pgBackRest (por omisión, el suyo)"},
    {"respaldo", "registros", CONF_RUTA, "/var/log/pgbackrest", 0, 0, NULL, 0, PMM,
     "directorio de los registros de pgBackRest"},
    {"respaldo", "usuario", CONF_TEXTO, NULL, 0, 0, NULL, 0, PMM,
     "usuario del sistema con el que corre pgBackRest (como root: postgres)"},

    {"informe", "ejemplos_por_objetivo", CONF_ENTERO, "2", 1, 5, NULL, 0, PMM,
     "ejemplos que el sistema propone por objetivo en el Informe Ejecutivo (pmm informe "
     "ejemplos); el número queda congelado con el cierre del ejercicio"},

    {"estado", "espacio_minimo_mb", CONF_ENTERO, "1024", 0, 100000000, NULL, 0, PMM,
     "pmm estado avisa con menos espacio libre que esto (MiB) en un volumen"},
    {"estado", "espacio_minimo_pct", CONF_ENTERO, "10", 0, 100, NULL, 0, PMM,
     "pmm estado avisa con menos espacio libre que este porcentaje"},
};

#define NROWS (sizeof rows / sizeof rows[0])

static const struct {
    unsigned bit;
    const char *name;
} programs[] = {
    {CONF_INGESTD, "ingestd"},
    {CONF_CLASIFICD, "clasificd"},
    {CONF_AGGREGD, "aggregd"},
    {CONF_PMM, "pmm"},
};

const conf_clave *conf_tabla(size_t *n)
{
    *n = NROWS;
    return rows;
}

const conf_clave *conf_tabla_buscar(const char *section, const char *key)
{
    for (size_t i = 0; i < NROWS; i++)
        if (!strcmp(rows[i].section, section) && !strcmp(rows[i].key, key))
            return &rows[i];
    return NULL;
}

int conf_tabla_seccion(const char *section)
{
    for (size_t i = 0; i < NROWS; i++)
        if (!strcmp(rows[i].section, section))
            return 1;
    return 0;
}

const char *conf_programa_nombre(unsigned program)
{
    for (size_t i = 0; i < sizeof programs / sizeof *programs; i++)
        if (programs[i].bit == program)
            return programs[i].name;
    return "todos";
}

unsigned conf_programa(const char *name)
{
    for (size_t i = 0; i < sizeof programs / sizeof *programs; i++)
        if (!strcmp(programs[i].name, name))
            return programs[i].bit;
    return 0;
}

size_t conf_tabla_programa(unsigned program, const conf_clave **out, size_t max)
{
    size_t k = 0;
    for (size_t i = 0; i < NROWS; i++)
        if (rows[i].readers & program) {
            if (k < max)
                out[k] = &rows[i];
            k++;
        }
    return k;
}
