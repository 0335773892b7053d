/* migrations.h -- the numbered SQL migrations of lib/sql, embedded. */
#ifndef PMM_MIGRATIONS_H
#define PMM_MIGRATIONS_H

typedef struct {
    const char *name;   /* e.g. "001_esquema.sql"; the number orders them */
    const char *sql;
} pmm_migration;

extern const pmm_migration pmm_migrations[];
extern const int pmm_migrations_count;

#endif
