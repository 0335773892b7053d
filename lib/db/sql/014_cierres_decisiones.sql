-- 014: issue 23. The year close also freezes the Compendio, and an
-- analyst's sub-topic decision carries the SDG proposal for that
-- sub-topic.
--
-- cierres.compendio: canonical JSON of the fichas the Compendio prints
-- (lib/informe/informe_datos.c, informe_compendio_build), with its SHA-256,
-- so that `pmm compendio --desde-cierre` renders the same document every
-- time, as `pmm informe --desde-cierre` does. NULL for closes made before
-- this migration (the command then asks for a new close). `pmm cierre`
-- stores nothing when both hashes equal those of the year's latest close.
ALTER TABLE cierres ADD COLUMN compendio text,
                    ADD COLUMN compendio_hash text;

-- decisiones.ods_propuesta / metas_propuesta: when an analyst decides a
-- sub-topic but not the SDGs, `pmm revision fijar` asks the classifier
-- which SDGs and targets that sub-topic gives the ficha (the same rule it
-- applies to its own choice) and stores them here. They are a proposal,
-- not a decision: ods stays NULL ("not decided"), they count only for
-- fichas with results (the method's rule), and an analyst's ods wins. NULL
-- when the decision has no sub-topic or decided the SDGs, and in every
-- decision made before this migration, so nothing counted changes.
ALTER TABLE decisiones ADD COLUMN ods_propuesta smallint[],
                       ADD COLUMN metas_propuesta text[];

-- v_contribuciones as in 003, with the proposal between the analyst's SDGs
-- and the classifier's. Same columns, so aggregd and every grant carry on.
CREATE OR REPLACE VIEW v_contribuciones AS
SELECT f.emisor, f.ejercicio, f.clave,
       f.id AS ficha_id, c.id AS clasificacion_id, d.id AS decision_id,
       f.ambito, f.dependencia, f.entidad,
       coalesce(d.objetivo_pmm, f.objetivo_pmm)::smallint AS objetivo,
       coalesce(d.eje, c.eje)::smallint AS eje,
       coalesce(d.subtema, c.subtema) AS subtema,
       CASE WHEN d.ods IS NOT NULL THEN d.ods
            WHEN c.con_resultados THEN coalesce(d.ods_propuesta, c.ods)
            ELSE '{}'::smallint[] END AS ods,
       CASE WHEN NOT c.con_resultados THEN '{}'::text[]
            WHEN d.ods IS NULL THEN coalesce(d.metas_propuesta, c.metas)
            ELSE c.metas END AS metas,
       c.retos,
       f.acciones, f.personas, f.mujeres, f.hombres
FROM fichas_vigentes f
JOIN LATERAL (SELECT * FROM clasificaciones c
               WHERE c.ficha_id = f.id ORDER BY c.id DESC LIMIT 1) c ON true
LEFT JOIN LATERAL (SELECT * FROM decisiones d
                    WHERE d.emisor = f.emisor AND d.ejercicio = f.ejercicio
                      AND d.clave = f.clave
                    ORDER BY d.id DESC LIMIT 1) d ON true;
