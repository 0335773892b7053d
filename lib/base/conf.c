#include "conf.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    char *section;
    char *key;
    char *value;
} conf_entry;

struct pmm_conf {
    conf_entry *entries;
    size_t count;
    size_t cap;
    char *path;
};

static conf_entry *conf_find(const pmm_conf *self, const char *section,
                             const char *key)
{
    for (size_t i = 0; i < self->count; i++)
        if (!strcmp(self->entries[i].section, section) &&
            !strcmp(self->entries[i].key, key))
            return &self->entries[i];
    return NULL;
}

int conf_set(pmm_conf *self, const char *section, const char *key,
             const char *value)
{
    conf_entry *e = conf_find(self, section, key);
    if (e) {
        char *v = strdup(value);
        if (!v)
            return -1;
        free(e->value);
        e->value = v;
        return 0;
    }
    if (self->count == self->cap) {
        size_t cap = self->cap ? self->cap * 2 : 16;
        conf_entry *n = realloc(self->entries, cap * sizeof *n);
        if (!n)
            return -1;
        self->entries = n;
        self->cap = cap;
    }
    e = &self->entries[self->count];
    e->section = strdup(section);
    e->key = strdup(key);
    e->value = strdup(value);
    if (!e->section || !e->key || !e->value) {
        free(e->section);
        free(e->key);
        free(e->value);
        return -1;
    }
    self->count++;
    return 0;
}

static int on_ini_entry(void *user, const char *section, const char *name,
                        const char *value)
{
    return conf_set(user, section, name, value) == 0;
}

pmm_conf *conf_load(const char *path, pmm_error *err)
{
    pmm_conf *self = calloc(1, sizeof *self);
    if (!self) {
        pmm_error_set(err, 7, "", "memoria", "sin memoria");
        return NULL;
    }
    char buf[4096];
    int explicit = path != NULL;
    if (!path)
        path = getenv("PMM_CONF");
    if (path)
        explicit = 1;
    if (!path && getenv("PMM_HOME")) {
        snprintf(buf, sizeof buf, "%s/pmm.conf", getenv("PMM_HOME"));
        path = buf;
        explicit = 1;
    }
    if (!path && access("./.pmm/pmm.conf", R_OK) == 0) {
        /* the embedded stack's default home, from the repository root */
        path = "./.pmm/pmm.conf";
        explicit = 1;
    }
    if (!path)
        path = "/etc/pmm/pmm.conf";

    FILE *f = fopen(path, "r");
    if (!f) {
        if (explicit) {
            pmm_error_set(err, 7, "", "configuracion",
                          "no se puede abrir el archivo de configuración %s: %s",
                          path, strerror(errno));
            conf_destroy(&self);
            return NULL;
        }
        return self;   /* no file: environment and defaults only */
    }
    int line = ini_parse_file(f, on_ini_entry, self);
    fclose(f);
    if (line != 0) {
        pmm_error_set(err, 7, "", "configuracion",
                      "error de sintaxis en %s, línea %d", path, line);
        conf_destroy(&self);
        return NULL;
    }
    self->path = strdup(path);
    return self;
}

void conf_destroy(pmm_conf **self_p)
{
    if (!self_p || !*self_p)
        return;
    pmm_conf *self = *self_p;
    for (size_t i = 0; i < self->count; i++) {
        free(self->entries[i].section);
        free(self->entries[i].key);
        free(self->entries[i].value);
    }
    free(self->entries);
    free(self->path);
    free(self);
    *self_p = NULL;
}

const char *conf_path(const pmm_conf *self)
{
    return self->path;
}

const char *conf_get(const pmm_conf *self, const char *section,
                     const char *key, const char *fallback)
{
    char env[128];
    int n = snprintf(env, sizeof env, "PMM_%s_%s", section, key);
    if (n > 0 && (size_t)n < sizeof env) {
        for (char *p = env; *p; p++)
            *p = (char)(isalnum((unsigned char)*p) ? toupper((unsigned char)*p)
                                                    : '_');
        const char *v = getenv(env);
        if (v)
            return v;
    }
    const conf_entry *e = conf_find(self, section, key);
    return e ? e->value : fallback;
}

long conf_get_long(const pmm_conf *self, const char *section, const char *key,
                   long fallback)
{
    const char *v = conf_get(self, section, key, NULL);
    if (!v || !*v)
        return fallback;
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || *end)
        return fallback;
    return n;
}

const char *conf_data_dir(const pmm_conf *self)
{
    const char *env = getenv("PMM_DATOS");
    if (env && *env)
        return env;
    return conf_get(self, "general", "datos", PMM_DATA_DIR);
}

const char *conf_conninfo(const pmm_conf *self, const char *section)
{
    const char *c = section ? conf_get(self, section, "conninfo", NULL) : NULL;
    return c ? c : conf_get(self, "postgresql", "conninfo", "");
}

const char *conf_zona_horaria(const pmm_conf *self)
{
    const char *tz = getenv("TZ");
    /* a POSIX TZ such as ":/etc/localtime" is not an IANA name */
    if (tz && *tz && tz[0] != ':' && strchr(tz, '/'))
        return tz;
    return conf_get(self, "general", "zona_horaria", "America/Mexico_City");
}
