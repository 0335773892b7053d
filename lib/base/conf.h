/* conf.h -- pmm.conf: one INI file plus environment overrides, typed and
 * checked against the configuration table (conf_tabla.h).
 *
 * Every program loads it for itself (CONF_INGESTD, CONF_PMM...) and the
 * whole file is checked before anything starts:
 *   - a section the table does not know stops every program;
 *   - the sections a program reads are checked key by key: a key the table
 *     does not know there (a typo) stops it, and so does a malformed or
 *     out-of-range value of a key it uses; a key of that section used only
 *     by other programs is left to them;
 *   - sections a program does not read at all are ignored by it;
 *   - a key given twice in one section stops it.
 * Each error names the file, the line, the section and key and what is
 * accepted, in Spanish. There is no silent fallback: a value is either
 * valid or refused.
 *
 * Lookup order for [section] key: the environment variable
 * PMM_<SECTION>_<KEY> (upper case; checked like the file, the error naming
 * the variable; an empty value unsets the key), then the file, then the
 * table's default. The file is found from an explicit path, else
 * $PMM_CONF, else $PMM_HOME/pmm.conf, else ./.pmm/pmm.conf (the embedded
 * stack's default home, when it exists), else /etc/pmm/pmm.conf; a missing
 * file is not an error only in that last case (everything can come from
 * the environment). PostgreSQL settings are libpq conninfo strings, so the
 * PG* variables apply as usual.
 */
#ifndef PMM_CONF_H
#define PMM_CONF_H

#include <stddef.h>

#include "error.h"

typedef struct pmm_conf pmm_conf;

/* The programs that read pmm.conf, as a bit mask. CONF_TODOS loads every
 * key (tests, benchmarks, `pmm configuracion --comprobar`). */
enum {
    CONF_INGESTD = 1,
    CONF_CLASIFICD = 2,
    CONF_AGGREGD = 4,
    CONF_PMM = 8,
    CONF_TODOS = 15
};

/* Checks a value the base layer cannot judge by itself (a libpq conninfo:
 * db_conninfo_check in lib/db). Returns 0 when valid, else -1 with a
 * Spanish reason in why. */
typedef int (*conf_check_fn)(const char *value, char *why, size_t n);

/* Loads and checks the configuration of `program`; conninfo_ok may be NULL
 * (conninfo values are then not checked). NULL with err on any error. */
pmm_conf *conf_load(const char *path, unsigned program, conf_check_fn conninfo_ok,
                    pmm_error *err);
void conf_destroy(pmm_conf **self_p);
/* Path of the file that was read, or NULL when none was. */
const char *conf_path(const pmm_conf *self);
unsigned conf_program(const pmm_conf *self);

/* The value of a key the program reads (a bug otherwise: the program
 * aborts, naming the key): the environment, the file or the table's
 * default; NULL when none of them gives one. Valid until the next
 * conf_adopt (reloadable keys) or conf_destroy. */
const char *conf_str(const pmm_conf *self, const char *section, const char *key);
/* The number of an integer, duration (in the key's unit), time of day
 * (minute of the day, -1 for "no") or option (its index); 0 when unset. */
long conf_long(const pmm_conf *self, const char *section, const char *key);

/* Sets a value as a command-line option would (pmm --clave), checked like
 * the file; -1 with err when refused. */
int conf_set(pmm_conf *self, const char *section, const char *key, const char *value,
             pmm_error *err);

/* Data directory: $PMM_DATOS, else [general] datos (the built-in default:
 * the source tree's data/ or the installed one). */
const char *conf_data_dir(const pmm_conf *self);
/* PostgreSQL conninfo of a component: [<section>] conninfo, else
 * [postgresql] conninfo, else "" (libpq's PG* variables). */
const char *conf_conninfo(const pmm_conf *self, const char *section);
/* The unit's time zone for every time shown to people: $TZ when set, else
 * [general] zona_horaria. An IANA name, passed to PostgreSQL's AT TIME
 * ZONE. */
const char *conf_zona_horaria(const pmm_conf *self);

/* SIGHUP: self and next were loaded for the same program. Copies into self
 * the reloadable keys whose value changed in next, and calls report once
 * per changed key the program reads, with applied = 1 and a line such as
 * "[ingestd] lote: 512 -> 1000", or applied = 0 for a key that takes a
 * restart (self keeps its value). Returns how many keys were applied, or
 * -1 (out of memory: self unchanged). */
typedef void (*conf_report_fn)(void *arg, int applied, const char *line);
int conf_adopt(pmm_conf *self, const pmm_conf *next, conf_report_fn report, void *arg);

#endif
