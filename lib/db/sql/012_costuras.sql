-- 012: the seams between the stages (issue 16).
--
-- One identity through the pipeline: every queue row names a ficha by its
-- id (fichas.id), as cola_clasificar always did. cola_agregar carried the
-- ficha's key (emisor, ejercicio, clave) instead, so the classifier
-- workers read `fichas` back only to turn ids into keys. aggregd now reads
-- the key of each claimed id (aggregd/totales.c); any version of a ficha
-- names the same key, and aggregd applies the key's current contribution,
-- so an event for an older version means what it meant before. The rest of
-- 002's comment on cola_agregar still holds: one row per event, never
-- merged, duplicates harmless.
--
-- Queued events are kept: each takes the id of the latest version of its
-- key. An event whose key has no ficha could change nothing and is
-- dropped (none exists: every writer took its key from `fichas`).
ALTER TABLE cola_agregar ADD COLUMN ficha_id bigint;
UPDATE cola_agregar q
   SET ficha_id = (SELECT max(f.id) FROM fichas f
                    WHERE f.emisor = q.emisor AND f.ejercicio = q.ejercicio
                      AND f.clave = q.clave);
DELETE FROM cola_agregar WHERE ficha_id IS NULL;
ALTER TABLE cola_agregar ALTER COLUMN ficha_id SET NOT NULL,
                         DROP COLUMN emisor,
                         DROP COLUMN ejercicio,
                         DROP COLUMN clave;

-- One way in: every path that may change a ficha's counted contribution
-- (clasificd after classifying, `pmm reclasificar --aplicar`, `pmm revision
-- fijar`) queues its fichas with this function, in the transaction that
-- makes the change. One event per id given, in the order given; returns
-- how many were queued. A NULL id is refused (ficha_id is NOT NULL).
-- Runs with the caller's rights, so the caller also needs INSERT on
-- cola_agregar (the classifier role and admin have it since 005).
CREATE FUNCTION pmm_encolar_agregacion(ids bigint[]) RETURNS integer
LANGUAGE sql AS $$
    WITH q AS (INSERT INTO cola_agregar (ficha_id)
               SELECT u.id FROM unnest(ids) WITH ORDINALITY AS u(id, n) ORDER BY u.n
               RETURNING 1)
    SELECT count(*)::integer FROM q
$$;
REVOKE EXECUTE ON FUNCTION pmm_encolar_agregacion(bigint[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION pmm_encolar_agregacion(bigint[]) TO pmm_clasificador, pmm_admin;

-- One definition of a ficha's cells: the rule that expands a contribution
-- into its totals cells is aggregd/celdas.c, used by the incremental path
-- and, since this migration, by the full recompute too (totales_recompute
-- reads the contributions and sums their cells in aggregd). pmm_filas, the
-- same rule written in SQL for the recompute, is dropped so that it cannot
-- drift from the one in use. (003's header comment, which named pmm_filas
-- and pmm_aplicar, was brought up to date with this migration; lib/db/db.c
-- records migrations by name only, so that comment edit changes nothing
-- in an existing database.)
DROP FUNCTION pmm_filas(agregados);
