/* conf_tabla.h -- the configuration table: every section and key of
 * pmm.conf, its type, default, accepted range, whether SIGHUP applies it,
 * one line of help, and which programs read it.
 *
 * pmm.conf is one file shared by four programs whose sections overlap
 * (clasificd reads [ingestd] trabajo, pmm reads [ingestd] endpoint), so
 * the table has one row per key with the programs that read it, and each
 * program's table is the rows with its bit (conf_tabla_programa). No key is
 * described twice, and deploy/pmm.conf.example and deploy/README.md are
 * checked against these rows (tests/unit/test_conf.c).
 */
#ifndef PMM_CONF_TABLA_H
#define PMM_CONF_TABLA_H

#include <stddef.h>

typedef enum {
    CONF_TEXTO,       /* any text */
    CONF_ENTERO,      /* integer in min..max */
    CONF_RUTA,        /* a file or directory */
    CONF_ENDPOINT,    /* one ZeroMQ endpoint: tcp://HOST:PORT, ipc://PATH */
    CONF_ENDPOINTS,   /* one or more, separated by commas */
    CONF_CONNINFO,    /* a libpq connection string */
    CONF_HORA,        /* time of day HH:MM (or one of `valores`, e.g. "no") */
    CONF_MS,          /* duration in milliseconds (or with a unit: s, min, h) */
    CONF_SEGUNDOS,    /* duration in seconds (or with a unit: min, h) */
    CONF_OPCION       /* one of `valores` ("a|b|c") */
} conf_tipo;

typedef struct {
    const char *section;
    const char *key;
    conf_tipo type;
    const char *def;        /* default as written in the file; NULL: none */
    long min, max;          /* CONF_ENTERO, CONF_MS, CONF_SEGUNDOS */
    const char *valores;    /* CONF_OPCION: "a|b"; CONF_HORA: extra words */
    int reloadable;         /* SIGHUP applies it */
    unsigned readers;       /* CONF_INGESTD | CONF_PMM ... (conf.h) */
    const char *help;       /* one line, in Spanish */
} conf_clave;

/* Every row, in the order of pmm.conf.example. */
const conf_clave *conf_tabla(size_t *n);
/* The row of [section] key, or NULL. */
const conf_clave *conf_tabla_buscar(const char *section, const char *key);
/* Whether the table has a section of that name. */
int conf_tabla_seccion(const char *section);
/* "ingestd", "clasificd", "aggregd", "pmm" for one program bit. */
const char *conf_programa_nombre(unsigned program);
/* Program bit from its name; 0 when unknown. */
unsigned conf_programa(const char *name);
/* The rows a program reads, in table order: fills up to max pointers and
 * returns how many there are. */
size_t conf_tabla_programa(unsigned program, const conf_clave **out, size_t max);

/* Checks value against the row. Returns 0 and *num (the number for
 * integers, durations in the row's unit, time of day as minute of the day
 * or -1 for a word, option index), else -1 with a Spanish reason in why
 * ("«abc» no es un número entero; se admite de 1 a 10000"). */
int conf_valor_valido(const conf_clave *row, const char *value, long *num, char *why,
                      size_t n);
/* What the row accepts, in Spanish ("de 1 a 10000", "error, warn, info o
 * debug", "HH:MM o «no»"). */
void conf_rango(const conf_clave *row, char *out, size_t n);
/* The type's name in Spanish ("entero", "duración (ms)"...). */
const char *conf_tipo_nombre(conf_tipo type);

#endif
