/* conf.c -- loads pmm.conf with inih (Debian's libinih), checks it against
 * the table (conf_tabla.c) for one program, and answers typed lookups. */
#include "conf.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf_tabla.h"

#define ERR_INTERNAL 7   /* Pmm__ErrorCode ERR_INTERNAL (proto/ is a layer above) */

extern char **environ;

typedef struct {
    char *value;   /* owned; NULL: unset (the table's default applies) */
    long num;      /* the checked number of value (conf_valor_valido) */
    int line;      /* line of the file it came from; 0 otherwise */
} conf_slot;

struct pmm_conf {
    unsigned program;
    char *path;
    const conf_clave *rows;
    size_t nrows;
    conf_slot *slots;   /* one per row of the table */
};

/* What the parser needs while inih reads the file line by line. */
typedef struct {
    pmm_conf *conf;
    const char *path;
    FILE *f;
    int line;             /* number of the line being parsed */
    int indented;         /* it starts with a blank */
    conf_check_fn conninfo_ok;
    pmm_error *err;
    int failed;
} parse_ctx;

static int fail(pmm_error *err, const char *campo, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(pmm_error *err, const char *campo, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pmm_error_vset(err, ERR_INTERNAL, campo, "configuracion", fmt, ap);
    va_end(ap);
    return -1;
}

static size_t row_index(const pmm_conf *self, const conf_clave *row)
{
    return (size_t)(row - self->rows);
}

static int reads(const pmm_conf *self, const conf_clave *row)
{
    return (row->readers & self->program) != 0;
}

/* Whether the program reads anything in that section. */
static int reads_section(const pmm_conf *self, const char *section)
{
    for (size_t i = 0; i < self->nrows; i++)
        if (!strcmp(self->rows[i].section, section) && reads(self, &self->rows[i]))
            return 1;
    return 0;
}

/* Edit distance of two short words (for "¿quiso decir ...?"). */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return 64;
    size_t d[64][64];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
            d[i][j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
    return d[la][lb];
}

/* The accepted keys of a section ("conninfo, endpoint, ...") and, in
 * *near, the one closest to `key` when it is close enough. */
static void section_keys(const pmm_conf *self, const char *section, const char *key,
                         char *out, size_t n, const char **near)
{
    size_t len = 0, best = 3;
    *near = NULL;
    out[0] = '\0';
    for (size_t i = 0; i < self->nrows; i++) {
        const conf_clave *r = &self->rows[i];
        if (strcmp(r->section, section))
            continue;
        int k = snprintf(out + len, len < n ? n - len : 0, "%s%s", len ? ", " : "", r->key);
        if (k > 0)
            len += (size_t)k;
        size_t d = distance(key, r->key);
        if (d < best) {
            best = d;
            *near = r->key;
        }
    }
}

static void section_names(const pmm_conf *self, const char *section, char *out, size_t n,
                          const char **near)
{
    size_t len = 0, best = 3;
    *near = NULL;
    out[0] = '\0';
    for (size_t i = 0; i < self->nrows; i++) {
        const char *s = self->rows[i].section;
        if (i > 0 && !strcmp(self->rows[i - 1].section, s))
            continue;
        int k = snprintf(out + len, len < n ? n - len : 0, "%s[%s]", len ? ", " : "", s);
        if (k > 0)
            len += (size_t)k;
        size_t d = distance(section, s);
        if (d < best) {
            best = d;
            *near = s;
        }
    }
}

/* Checks one value of a key the program reads; `where` names its origin
 * ("pmm.conf, línea 12" or "variable PMM_INGESTD_LOTE"). */
static int check_value(const conf_clave *row, const char *value, conf_check_fn conninfo_ok,
                       const char *where, long *num, pmm_error *err)
{
    char why[400];
    char campo[PMM_ERR_CAMPO];
    snprintf(campo, sizeof campo, "%s.%s", row->section, row->key);
    int bad = conf_valor_valido(row, value, num, why, sizeof why) != 0;
    if (!bad && row->type == CONF_CONNINFO && conninfo_ok)
        bad = conninfo_ok(value, why, sizeof why) != 0;
    if (bad)
        return fail(err, campo, "%s: [%s] %s: %s", where, row->section, row->key, why);
    return 0;
}

static int set_slot(conf_slot *slot, const char *value, long num, int line)
{
    char *copy = NULL;
    if (value && *value && !(copy = strdup(value)))
        return -1;
    free(slot->value);
    slot->value = copy;
    slot->num = copy ? num : 0;
    slot->line = line;
    return 0;
}

static char *read_line(char *str, int num, void *stream)
{
    parse_ctx *p = stream;
    if (p->failed || !fgets(str, num, p->f))
        return NULL;
    p->line++;
    size_t len = strlen(str);
    if (len + 1 >= (size_t)num && str[len - 1] != '\n' && !feof(p->f)) {
        p->failed = 1;
        fail(p->err, "", "%s, línea %d: la línea pasa de %d caracteres", p->path, p->line,
             num - 2);
        return NULL;
    }
    p->indented = str[0] == ' ' || str[0] == '\t';
    /* sections are checked here, where even an empty one is seen */
    const char *t = str + strspn(str, " \t");
    const char *close = *t == '[' ? strchr(t, ']') : NULL;
    if (close) {
        char section[64];
        snprintf(section, sizeof section, "%.*s", (int)(close - t - 1), t + 1);
        if (!conf_tabla_seccion(section)) {
            char list[400];
            const char *near;
            section_names(p->conf, section, list, sizeof list, &near);
            char hint[80] = "";
            if (near)
                snprintf(hint, sizeof hint, " (¿quiso decir [%s]?)", near);
            p->failed = 1;
            fail(p->err, section, "%s, línea %d: sección desconocida [%s]%s; las secciones "
                 "son: %s", p->path, p->line, section, hint, list);
            return NULL;
        }
    }
    return str;
}

static int on_entry(void *user, const char *section, const char *name, const char *value)
{
    parse_ctx *p = user;
    pmm_conf *self = p->conf;
    char list[400], where[1200];
    const char *near;
    if (p->failed)
        return 0;
    snprintf(where, sizeof where, "%s, línea %d", p->path, p->line);
    if (!*section) {
        p->failed = 1;
        fail(p->err, name ? name : "", "%s: «%s» está fuera de toda sección: escriba antes "
             "la sección, p. ej. [general]", where, name ? name : "");
        return 0;
    }
    if (!name || !reads_section(self, section))
        return 1;   /* a new section, or one this program ignores */
    if (p->indented) {
        p->failed = 1;
        fail(p->err, name, "%s: [%s] %s: la línea empieza con espacios; escriba cada "
             "«clave = valor» al principio de su línea", where, section, name);
        return 0;
    }
    const conf_clave *row = conf_tabla_buscar(section, name);
    if (!row) {
        p->failed = 1;
        section_keys(self, section, name, list, sizeof list, &near);
        char hint[80] = "";
        if (near)
            snprintf(hint, sizeof hint, " (¿quiso decir «%s»?)", near);
        fail(p->err, name, "%s: [%s] %s: clave desconocida%s; en [%s] se admiten: %s", where,
             section, name, hint, section, list);
        return 0;
    }
    conf_slot *slot = &self->slots[row_index(self, row)];
    if (slot->line) {
        p->failed = 1;
        fail(p->err, name, "%s: [%s] %s: repetida (ya está en la línea %d)", where, section,
             name, slot->line);
        return 0;
    }
    long num = 0;
    if (reads(self, row) && *value &&
        check_value(row, value, p->conninfo_ok, where, &num, p->err) != 0) {
        p->failed = 1;
        return 0;
    }
    if (set_slot(slot, value, num, p->line) != 0) {
        p->failed = 1;
        fail(p->err, "", "sin memoria");
        return 0;
    }
    slot->line = p->line;   /* even when empty: a second one is a repetition */
    return 1;
}

/* "PMM_" SECTION "_" KEY in upper case. */
static void env_name(const conf_clave *row, char *out, size_t n)
{
    snprintf(out, n, "PMM_%s_%s", row->section, row->key);
    for (char *p = out; *p; p++)
        *p = (char)(isalnum((unsigned char)*p) ? toupper((unsigned char)*p) : '_');
}

/* The environment's overrides of the keys the program reads, and no
 * PMM_<SECTION>_<KEY> naming a key its sections do not have. */
static int apply_environment(pmm_conf *self, conf_check_fn conninfo_ok, pmm_error *err)
{
    char name[128], where[160];
    for (size_t i = 0; i < self->nrows; i++) {
        const conf_clave *row = &self->rows[i];
        if (!reads(self, row))
            continue;
        env_name(row, name, sizeof name);
        const char *v = getenv(name);
        if (!v)
            continue;
        long num = 0;
        snprintf(where, sizeof where, "variable %s", name);
        if (*v && check_value(row, v, conninfo_ok, where, &num, err) != 0)
            return -1;
        if (set_slot(&self->slots[i], v, num, 0) != 0)
            return fail(err, "", "sin memoria");
    }
    for (char **e = environ; e && *e; e++) {
        if (strncmp(*e, "PMM_", 4))
            continue;
        for (size_t i = 0; i < self->nrows; i++) {
            const conf_clave *row = &self->rows[i];
            if ((i > 0 && !strcmp(self->rows[i - 1].section, row->section)) ||
                !reads_section(self, row->section))
                continue;
            char prefix[64];
            snprintf(prefix, sizeof prefix, "PMM_%s_", row->section);
            for (char *p = prefix; *p; p++)
                *p = (char)toupper((unsigned char)*p);
            size_t lp = strlen(prefix);
            if (strncmp(*e, prefix, lp))
                continue;
            size_t len = strcspn(*e, "=");
            int known = 0;
            for (size_t j = 0; j < self->nrows && !known; j++) {
                env_name(&self->rows[j], name, sizeof name);
                known = strlen(name) == len && !strncmp(*e, name, len);
            }
            if (!known) {
                char list[400], key[64];
                const char *near;
                snprintf(key, sizeof key, "%.*s", (int)(len - lp), *e + lp);
                for (char *p = key; *p; p++)
                    *p = (char)tolower((unsigned char)*p);
                section_keys(self, row->section, key, list, sizeof list, &near);
                char hint[200] = "";
                if (near) {
                    env_name(conf_tabla_buscar(row->section, near), name, sizeof name);
                    snprintf(hint, sizeof hint, " (¿quiso decir %s?)", name);
                }
                return fail(err, key, "variable %.*s: [%s] %s: clave desconocida%s; en [%s] "
                            "se admiten: %s", (int)len, *e, row->section, key, hint,
                            row->section, list);
            }
        }
    }
    return 0;
}

/* Which file to read: the explicit path, else $PMM_CONF, $PMM_HOME/pmm.conf,
 * ./.pmm/pmm.conf, /etc/pmm/pmm.conf (only that one may be missing). */
static const char *find_file(const char *path, char *buf, size_t n, int *explicit)
{
    *explicit = 1;
    if (path)
        return path;
    if ((path = getenv("PMM_CONF")))
        return path;
    if (getenv("PMM_HOME")) {
        snprintf(buf, n, "%s/pmm.conf", getenv("PMM_HOME"));
        return buf;
    }
    if (access("./.pmm/pmm.conf", R_OK) == 0)
        return "./.pmm/pmm.conf";   /* the embedded stack's default home */
    *explicit = 0;
    return "/etc/pmm/pmm.conf";
}

pmm_conf *conf_load(const char *path, unsigned program, conf_check_fn conninfo_ok,
                    pmm_error *err)
{
    pmm_conf *self = calloc(1, sizeof *self);
    if (self) {
        self->program = program;
        self->rows = conf_tabla(&self->nrows);
        self->slots = calloc(self->nrows, sizeof *self->slots);
    }
    if (!self || !self->slots) {
        free(self);
        fail(err, "", "sin memoria");
        return NULL;
    }
    char buf[4096];
    int explicit;
    path = find_file(path, buf, sizeof buf, &explicit);
    FILE *f = fopen(path, "r");
    if (!f && explicit) {
        fail(err, "", "no se puede abrir el archivo de configuración %s: %s", path,
             pmm_strerror(errno));
        conf_destroy(&self);
        return NULL;
    }
    if (f) {
        parse_ctx p = {.conf = self, .path = path, .f = f, .conninfo_ok = conninfo_ok,
                       .err = err};
        int line = ini_parse_stream(read_line, &p, on_entry, &p);
        fclose(f);
        if (!p.failed && line != 0)
            fail(err, "", "%s, línea %d: error de sintaxis: se espera «[sección]», "
                 "«clave = valor» o un comentario (# o ;)", path, line);
        if (p.failed || line != 0 || !(self->path = strdup(path))) {
            if (!p.failed && line == 0)
                fail(err, "", "sin memoria");
            conf_destroy(&self);
            return NULL;
        }
    }
    if (apply_environment(self, conninfo_ok, err) != 0) {
        conf_destroy(&self);
        return NULL;
    }
    return self;
}

void conf_destroy(pmm_conf **self_p)
{
    if (!self_p || !*self_p)
        return;
    pmm_conf *self = *self_p;
    for (size_t i = 0; self->slots && i < self->nrows; i++)
        free(self->slots[i].value);
    free(self->slots);
    free(self->path);
    free(self);
    *self_p = NULL;
}

const char *conf_path(const pmm_conf *self)
{
    return self->path;
}

unsigned conf_program(const pmm_conf *self)
{
    return self->program;
}

/* The row of a key the program reads; anything else is a bug in the
 * program, which stops at once rather than read an unchecked value. */
static const conf_clave *row_of(const pmm_conf *self, const char *section, const char *key)
{
    const conf_clave *row = conf_tabla_buscar(section, key);
    if (!row || !reads(self, row)) {
        fprintf(stderr, "error interno: %s lee [%s] %s, que la tabla de configuración "
                "(lib/base/conf_tabla.c) no le asigna\n",
                conf_programa_nombre(self->program), section, key);
        abort();
    }
    return row;
}

const char *conf_str(const pmm_conf *self, const char *section, const char *key)
{
    const conf_clave *row = row_of(self, section, key);
    const conf_slot *slot = &self->slots[row_index(self, row)];
    return slot->value ? slot->value : row->def;
}

long conf_long(const pmm_conf *self, const char *section, const char *key)
{
    const conf_clave *row = row_of(self, section, key);
    const conf_slot *slot = &self->slots[row_index(self, row)];
    if (slot->value)
        return slot->num;
    long num = 0;
    char why[8];
    if (row->def && conf_valor_valido(row, row->def, &num, why, sizeof why) != 0)
        num = 0;   /* a default the table checks (test_conf) */
    return num;
}

int conf_set(pmm_conf *self, const char *section, const char *key, const char *value,
             pmm_error *err)
{
    const conf_clave *row = row_of(self, section, key);
    long num = 0;
    char where[64];
    snprintf(where, sizeof where, "opción de la línea de órdenes");
    if (*value && check_value(row, value, NULL, where, &num, err) != 0)
        return -1;
    if (set_slot(&self->slots[row_index(self, row)], value, num, 0) != 0)
        return fail(err, "", "sin memoria");
    return 0;
}

const char *conf_data_dir(const pmm_conf *self)
{
    const char *env = getenv("PMM_DATOS");
    if (env && *env)
        return env;
    return conf_str(self, "general", "datos");
}

const char *conf_conninfo(const pmm_conf *self, const char *section)
{
    const char *c = section ? conf_str(self, section, "conninfo") : NULL;
    if (!c)
        c = conf_str(self, "postgresql", "conninfo");
    return c ? c : "";
}

const char *conf_zona_horaria(const pmm_conf *self)
{
    const char *tz = getenv("TZ");
    /* a POSIX TZ such as ":/etc/localtime" is not an IANA name */
    if (tz && *tz && tz[0] != ':' && strchr(tz, '/'))
        return tz;
    return conf_str(self, "general", "zona_horaria");
}

static int same(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

int conf_adopt(pmm_conf *self, const pmm_conf *next, conf_report_fn report, void *arg)
{
    /* copy first, so that running out of memory changes nothing */
    char **copies = calloc(self->nrows, sizeof *copies);
    if (!copies)
        return -1;
    for (size_t i = 0; i < self->nrows; i++) {
        const conf_slot *n = &next->slots[i];
        if (reads(self, &self->rows[i]) && self->rows[i].reloadable && n->value &&
            !same(self->slots[i].value, n->value) && !(copies[i] = strdup(n->value))) {
            for (size_t j = 0; j < i; j++)
                free(copies[j]);
            free(copies);
            return -1;
        }
    }
    int applied = 0;
    for (size_t i = 0; i < self->nrows; i++) {
        const conf_clave *row = &self->rows[i];
        conf_slot *s = &self->slots[i];
        const conf_slot *n = &next->slots[i];
        const char *was = s->value ? s->value : row->def;
        const char *now = n->value ? n->value : row->def;
        if (!reads(self, row) || same(was, now)) {
            free(copies[i]);
            continue;
        }
        char line[600];
        if (row->type == CONF_CONNINFO)   /* may hold a password: no values */
            snprintf(line, sizeof line, "[%s] %s cambió", row->section, row->key);
        else
            snprintf(line, sizeof line, "[%s] %s: %s -> %s", row->section, row->key,
                     was ? was : "(sin valor)", now ? now : "(sin valor)");
        if (row->reloadable) {
            free(s->value);
            s->value = copies[i];
            s->num = n->num;
            s->line = n->line;
            applied++;
        } else {
            size_t len = strlen(line);
            snprintf(line + len, sizeof line - len, " (se aplicará al reiniciar)");
        }
        if (report)
            report(arg, row->reloadable, line);
    }
    free(copies);
    return applied;
}
