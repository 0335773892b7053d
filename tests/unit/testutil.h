/* testutil.h -- small helpers shared by the unit tests (header-only so each
 * test stays one program). */
#ifndef PMM_TESTUTIL_H
#define PMM_TESTUTIL_H

#include <stdlib.h>
#include <string.h>

#include "ficha_json.h"
#include "refdata.h"

static inline const char *test_data_dir(void)
{
    const char *d = getenv("PMM_DATOS");
    return d && *d ? d : PMM_DATA_DIR;
}

/* A complete, valid ficha in the JSON form; tests edit copies of it. */
#define TEST_FICHA_JSON                                                        \
    "{\"clave\":\"segob-upm-2022-0001\",\"ejercicio\":2022,"                  \
    "\"ambito\":\"federal\",\"dependencia\":\"segob\",\"entidad\":null,"      \
    "\"unidad\":\"Unidad de prueba\",\"programa\":\"Programa de prueba\","    \
    "\"objetivo_pmm\":3,\"descripcion\":{\"objetivo\":\"Informar a personas " \
    "migrantes sobre sus derechos.\",\"poblacion_objetivo\":\"Personas "      \
    "migrantes\",\"inicio\":\"2021-06\",\"temporalidad\":\"temporal\","       \
    "\"fin\":\"2022-06-30\"},\"resultados\":{\"acciones\":12,\"personas\":"   \
    "300,\"mujeres\":150,\"hombres\":140,\"zona\":\"Frontera sur\","          \
    "\"texto\":\"Se impartieron 12 talleres.\"},\"retos\":\"Poco personal.\"," \
    "\"contacto\":{\"nombre\":\"Persona Ficticia\",\"cargo\":\"Enlace\","     \
    "\"telefono\":\"55 0000 0000 ext. 1\",\"correo\":\"enlace@example.org\"}}"

#endif
