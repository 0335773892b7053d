/* conf.h -- one INI file plus environment overrides.
 *
 * Lookup order for [section] key: the environment variable
 * PMM_<SECTION>_<KEY> (upper case), then the file, then the caller's default.
 * The file is found from an explicit path, else $PMM_CONF, else
 * $PMM_HOME/pmm.conf, else ./.pmm/pmm.conf (the embedded stack's default
 * home, when it exists), else /etc/pmm/pmm.conf; a missing file is not an error
 * (everything can come from the environment). PostgreSQL settings are libpq
 * conninfo strings, so the PG* variables apply as usual.
 */
#ifndef PMM_CONF_H
#define PMM_CONF_H

#include "error.h"

typedef struct pmm_conf pmm_conf;

pmm_conf *conf_load(const char *path, pmm_error *err);
void conf_destroy(pmm_conf **self_p);
/* Path of the file that was read, or NULL when none was. */
const char *conf_path(const pmm_conf *self);
const char *conf_get(const pmm_conf *self, const char *section,
                     const char *key, const char *fallback);
long conf_get_long(const pmm_conf *self, const char *section, const char *key,
                   long fallback);
/* Data directory: $PMM_DATOS, else [general] datos, else the built-in
 * default (the source tree's data/ or the installed one). */
const char *conf_data_dir(const pmm_conf *self);
/* PostgreSQL conninfo of a component: [<section>] conninfo, else
 * [postgresql] conninfo, else "" (libpq's PG* variables). */
const char *conf_conninfo(const pmm_conf *self, const char *section);
/* The unit's time zone for every time shown to people: $TZ when set, else
 * [general] zona_horaria, else America/Mexico_City. An IANA name, passed
 * to PostgreSQL's AT TIME ZONE. */
const char *conf_zona_horaria(const pmm_conf *self);
/* Sets a value in memory (used by tests and command-line options). */
int conf_set(pmm_conf *self, const char *section, const char *key,
             const char *value);

#endif
