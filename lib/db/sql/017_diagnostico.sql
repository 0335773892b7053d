-- 017: issues 20 and 26. Historical decisions loaded in bulk (which fichas
-- had results, with their provenance), the examples per objective the
-- unit chooses for the Informe Ejecutivo and the unit's conclusions.

-- decisiones.con_resultados: the analyst's judgement of whether the ficha
-- reported results in the period (the method counts SDGs only for those).
-- NULL = not decided: the classifier's judgement stands, as before.
-- decisiones.procedencia: where a decision comes from when it was not made
-- in the review ("Diagnóstico 2018-2022" for the published years), and
-- decisiones.importacion the bulk load that brought it (pmm revision
-- importar). Every existing decision keeps NULL in the three, so nothing
-- counted changes.
CREATE TABLE importaciones_decisiones (
    id           bigserial PRIMARY KEY,
    archivo      text NOT NULL,        -- the file name as given
    hash         text NOT NULL,        -- SHA-256 of its bytes (hex)
    filas        integer NOT NULL,     -- decisions stored
    procedencia  text,
    analista     text NOT NULL,
    creada       timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE decisiones ADD COLUMN con_resultados boolean,
                       ADD COLUMN procedencia text,
                       ADD COLUMN importacion bigint
                           REFERENCES importaciones_decisiones (id);

-- v_contribuciones_todas (015: what a ficha counts as whatever its
-- review; 015's v_contribuciones filters it by the year's review setting,
-- and 016 wraps that as v_contribuciones, adding `absorbida`) as in 014,
-- with the analyst's con_resultados: a ficha an analyst judged without
-- results counts under no SDG (and no target), whatever else the decision
-- says; one judged with results counts the analyst's SDGs, else the
-- proposal or the classifier's, as before. Same columns, so both wrappers,
-- aggregd and every grant carry on.
CREATE OR REPLACE VIEW v_contribuciones_todas AS
SELECT f.emisor, f.ejercicio, f.clave,
       f.id AS ficha_id, c.id AS clasificacion_id, d.id AS decision_id,
       f.ambito, f.dependencia, f.entidad,
       coalesce(d.objetivo_pmm, f.objetivo_pmm)::smallint AS objetivo,
       coalesce(d.eje, c.eje)::smallint AS eje,
       coalesce(d.subtema, c.subtema) AS subtema,
       CASE WHEN d.con_resultados IS FALSE THEN '{}'::smallint[]
            WHEN d.ods IS NOT NULL THEN d.ods
            WHEN coalesce(d.con_resultados, c.con_resultados)
                 THEN coalesce(d.ods_propuesta, c.ods)
            ELSE '{}'::smallint[] END AS ods,
       CASE WHEN NOT coalesce(d.con_resultados, c.con_resultados) THEN '{}'::text[]
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

-- The examples of the Informe Ejecutivo (issue 26): the unit confirms or
-- replaces the system's proposal per objective and year (pmm informe
-- ejemplos fijar). Append-only: the latest row of (ejercicio, objetivo)
-- holds; propuesta = true goes back to the system's proposal. Fichas are
-- named by their key (emisor, clave), so a later version keeps its place.
CREATE TABLE informe_ejemplos (
    id         bigserial PRIMARY KEY,
    ejercicio  integer NOT NULL,
    objetivo   smallint NOT NULL CHECK (objetivo BETWEEN 1 AND 23),
    emisores   text[] NOT NULL,
    claves     text[] NOT NULL,
    propuesta  boolean NOT NULL DEFAULT false,
    analista   text NOT NULL,
    creada     timestamptz NOT NULL DEFAULT now(),
    CHECK (cardinality(emisores) = cardinality(claves)),
    CHECK (NOT propuesta OR cardinality(claves) = 0)
);
CREATE INDEX informe_ejemplos_anio ON informe_ejemplos (ejercicio, objetivo, id DESC);

-- The unit's own conclusions for a year's Informe (pmm informe
-- conclusiones): every version kept, the latest printed.
CREATE TABLE informe_conclusiones (
    id         bigserial PRIMARY KEY,
    ejercicio  integer NOT NULL,
    version    integer NOT NULL CHECK (version >= 1),
    texto      text NOT NULL,
    hash       text NOT NULL,          -- SHA-256 of texto (hex)
    archivo    text,                   -- the file it was read from
    analista   text NOT NULL,
    creada     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (ejercicio, version)
);

-- Reports read them; writes go through the owner's connection (the CLI's
-- conninfo), like pmm revision fijar. admin: everything, as in 005.
GRANT SELECT ON importaciones_decisiones, informe_ejemplos, informe_conclusiones
    TO pmm_lectura;
GRANT ALL ON importaciones_decisiones, informe_ejemplos, informe_conclusiones
    TO pmm_admin;
GRANT ALL ON SEQUENCE importaciones_decisiones_id_seq, informe_ejemplos_id_seq,
    informe_conclusiones_id_seq TO pmm_admin;
