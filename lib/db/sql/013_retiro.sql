-- 013: withdrawing a ficha (issue 23).
--
-- A wrong or test ficha is taken out of the counts by a new version, a
-- withdrawal: `retirada` true, the reason in `motivo_retiro`, and none of
-- the content (the collector stores what the ficha says; a withdrawal
-- says only who and why, docs/contrato-ficha.md section 8). Nothing is
-- deleted; a later version without `retirada` restores the ficha. It is
-- sent like any correction ("reemplaza": N), by its sender or by an
-- analyst (`pmm retirar ID --motivo "…"`, which writes it directly as the
-- admin role does for `pmm revision fijar`).
ALTER TABLE fichas
    ADD COLUMN retirada boolean NOT NULL DEFAULT false,
    ADD COLUMN motivo_retiro text,
    ALTER COLUMN programa DROP NOT NULL,
    ALTER COLUMN objetivo_pmm DROP NOT NULL,
    ALTER COLUMN objetivo DROP NOT NULL,
    ADD CONSTRAINT fichas_retiro CHECK (CASE WHEN retirada
        THEN motivo_retiro IS NOT NULL
             AND num_nonnulls(unidad, programa, objetivo_pmm, objetivo, poblacion_objetivo,
                              inicio, temporalidad, fin, acciones, personas, mujeres,
                              hombres, zona, resultados_texto, retos) = 0
        ELSE motivo_retiro IS NULL
             AND programa IS NOT NULL AND objetivo_pmm IS NOT NULL AND objetivo IS NOT NULL
        END);

-- What counts is defined here, once: the version in force of a ficha is
-- its latest version unless that is a withdrawal, in which case the ficha
-- has none. v_contribuciones (003) reads this view, and through it
-- aggregd's incremental path and its full recompute; everything else reads
-- their result (agregados, totales: the queries, reports, closes and `pmm
-- revision`), so a withdrawn ficha counts nowhere. aggregd drops the counted
-- contribution of a ficha that has no version in force
-- (aggregd/totales.c), as the recompute does by reading the view.
-- The keys of a query on the view still reach the DISTINCT ON (they are
-- its columns), so a look-up by key stays an index probe.
CREATE OR REPLACE VIEW fichas_vigentes AS
SELECT v.*
  FROM (SELECT DISTINCT ON (emisor, ejercicio, clave) *
          FROM fichas
         ORDER BY emisor, ejercicio, clave, version DESC) v
 WHERE NOT v.retirada;

-- Who withdrew or restored a ficha and why: `resultado` says which, and
-- `motivo` holds the reason of a withdrawal (for an analyst's, also of a
-- restoration). ingestd writes them for withdrawals sent by their senders,
-- `pmm retirar` for an analyst's, with the analyst's name as identity.
ALTER TABLE auditoria
    ADD COLUMN motivo text,
    DROP CONSTRAINT auditoria_resultado_check,
    ADD CONSTRAINT auditoria_resultado_check CHECK (resultado IN
        ('aceptada', 'repetida', 'rechazada', 'denegada', 'retirada', 'restaurada'));

-- ingestd queues a stored withdrawal for aggregation itself (there is
-- nothing to classify), through the one way in (012).
GRANT EXECUTE ON FUNCTION pmm_encolar_agregacion(bigint[]) TO pmm_ingesta;
GRANT INSERT ON cola_agregar TO pmm_ingesta;
GRANT USAGE ON SEQUENCE cola_agregar_id_seq TO pmm_ingesta;
