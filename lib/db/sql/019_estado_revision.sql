-- 019: the review state `pmm fichas` and `pmm ficha` show is the real one.
--
-- 016 defined v_estado_revision before the review of each ficha existed
-- (015 was being written beside it): a ficha was "revisada" when an
-- analyst had decided on its classification. 015's `revisiones` now holds
-- the analysts' review of each version (approved, or observed with a
-- note; append-only, the latest row counts, a new version has none). The
-- view keeps its columns: the state of the counted version is its latest
-- review; without one, "revisada" or "sin_revisar" as before; the
-- observation's note when the state is "con_observaciones".
CREATE OR REPLACE VIEW v_estado_revision AS
SELECT f.emisor, f.ejercicio, f.clave,
       coalesce(r.estado,
                CASE WHEN EXISTS (SELECT 1 FROM decisiones d WHERE d.emisor = f.emisor
                                     AND d.ejercicio = f.ejercicio AND d.clave = f.clave)
                     THEN 'revisada' ELSE 'sin_revisar' END) AS estado,
       CASE WHEN r.estado = 'con_observaciones' THEN r.nota END AS observaciones
  FROM agregados f
  LEFT JOIN LATERAL (SELECT x.estado, x.nota FROM revisiones x
                      WHERE x.ficha_id = f.ficha_id
                      ORDER BY x.id DESC LIMIT 1) r ON true;
