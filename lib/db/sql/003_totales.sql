-- 003: maintained totals.
--
-- What a ficha counts as is defined once (v_contribuciones) and used both by
-- the incremental path and by the full recompute, so the two cannot
-- disagree in meaning. Queries read only `totales`. The functions below
-- were the first incremental path and are gone: pmm_aplicar and pmm_sumar
-- since 008 (aggregd applies batches: aggregd/totales.c), pmm_filas since
-- 012 (a contribution's cells are one rule, aggregd/celdas.c, used by both
-- paths).

-- What a ficha counts as now: its latest version, the latest classification
-- of that version, and the latest analyst decision on the ficha.
-- Unclassified latest versions are absent (their old contribution stays
-- until the classification arrives).
CREATE VIEW v_contribuciones AS
SELECT f.emisor, f.ejercicio, f.clave,
       f.id AS ficha_id, c.id AS clasificacion_id, d.id AS decision_id,
       f.ambito, f.dependencia, f.entidad,
       coalesce(d.objetivo_pmm, f.objetivo_pmm)::smallint AS objetivo,
       coalesce(d.eje, c.eje)::smallint AS eje,
       coalesce(d.subtema, c.subtema) AS subtema,
       -- SDGs count only for fichas with results (the method's rule),
       -- unless an analyst decided them
       CASE WHEN d.ods IS NOT NULL THEN d.ods
            WHEN c.con_resultados THEN c.ods
            ELSE '{}'::smallint[] END AS ods,
       CASE WHEN c.con_resultados THEN c.metas ELSE '{}'::text[] END AS metas,
       c.retos,
       f.acciones, f.personas, f.mujeres, f.hombres
FROM fichas_vigentes f
JOIN LATERAL (SELECT * FROM clasificaciones c
               WHERE c.ficha_id = f.id ORDER BY c.id DESC LIMIT 1) c ON true
LEFT JOIN LATERAL (SELECT * FROM decisiones d
                    WHERE d.emisor = f.emisor AND d.ejercicio = f.ejercicio
                      AND d.clave = f.clave
                    ORDER BY d.id DESC LIMIT 1) d ON true;

-- The contribution currently counted in `totales`, per ficha.
CREATE TABLE agregados (
    emisor            text NOT NULL,
    ejercicio         integer NOT NULL,
    clave             text NOT NULL,
    ficha_id          bigint NOT NULL,
    clasificacion_id  bigint NOT NULL,
    decision_id       bigint,
    ambito            text NOT NULL,
    dependencia       text,
    entidad           smallint,
    objetivo          smallint NOT NULL,
    eje               smallint NOT NULL,
    subtema           text NOT NULL,
    ods               smallint[] NOT NULL,
    metas             text[] NOT NULL,
    retos             text[] NOT NULL,
    acciones          bigint,
    personas          bigint,
    mujeres           bigint,
    hombres           bigint,
    PRIMARY KEY (emisor, ejercicio, clave)
);

-- One row per (year, filter, dimension, value). filtro is '' (everything),
-- 'D:<sigla>' (a federal body's fichas) or 'E:<inegi>' (fichas of or in a
-- state). dimension: total, ambito, objetivo, eje, subtema, ods, ods_total
-- (fichas with at least one SDG: the unique total), meta, reto,
-- dependencia, entidad, emisor.
CREATE TABLE totales (
    ejercicio  integer NOT NULL,
    filtro     text NOT NULL,
    dimension  text NOT NULL,
    valor      text NOT NULL,
    fichas     bigint NOT NULL DEFAULT 0,
    acciones   bigint NOT NULL DEFAULT 0,
    personas   bigint NOT NULL DEFAULT 0,
    mujeres    bigint NOT NULL DEFAULT 0,
    hombres    bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (ejercicio, filtro, dimension, valor)
);

-- The (filtro, dimension, valor) cells one contribution counts in.
CREATE FUNCTION pmm_filas(a agregados)
RETURNS TABLE (filtro text, dimension text, valor text)
LANGUAGE sql IMMUTABLE AS $$
    WITH filtros(filtro) AS (
        SELECT ''
        UNION ALL SELECT 'D:' || a.dependencia
         WHERE a.ambito = 'federal' AND a.dependencia IS NOT NULL
        UNION ALL SELECT 'E:' || lpad(a.entidad::text, 2, '0')
         WHERE a.entidad IS NOT NULL
    ), celdas(dimension, valor) AS (
        SELECT 'total', ''
        UNION ALL SELECT 'ambito', a.ambito
        UNION ALL SELECT 'objetivo', a.objetivo::text
        UNION ALL SELECT 'eje', a.eje::text
        UNION ALL SELECT 'subtema', a.subtema
        UNION ALL SELECT 'ods', o::text FROM unnest(a.ods) o
        UNION ALL SELECT 'ods_total', '' WHERE cardinality(a.ods) > 0
        UNION ALL SELECT 'meta', m FROM unnest(a.metas) m
        UNION ALL SELECT 'reto', r FROM unnest(a.retos) r
        UNION ALL SELECT 'dependencia', a.dependencia
         WHERE a.ambito = 'federal' AND a.dependencia IS NOT NULL
        UNION ALL SELECT 'entidad', lpad(a.entidad::text, 2, '0')
         WHERE a.entidad IS NOT NULL
        UNION ALL SELECT 'emisor', a.emisor
    )
    SELECT DISTINCT f.filtro, c.dimension, c.valor FROM filtros f, celdas c
$$;

-- Adds sign * contribution a to the totals.
CREATE FUNCTION pmm_sumar(a agregados, sign integer) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO totales AS t (ejercicio, filtro, dimension, valor,
                              fichas, acciones, personas, mujeres, hombres)
    SELECT a.ejercicio, r.filtro, r.dimension, r.valor, sign,
           sign * coalesce(a.acciones, 0), sign * coalesce(a.personas, 0),
           sign * coalesce(a.mujeres, 0), sign * coalesce(a.hombres, 0)
      FROM pmm_filas(a) r
     ORDER BY r.filtro, r.dimension, r.valor   -- one lock order for everyone
    ON CONFLICT (ejercicio, filtro, dimension, valor) DO UPDATE
       SET fichas = t.fichas + excluded.fichas,
           acciones = t.acciones + excluded.acciones,
           personas = t.personas + excluded.personas,
           mujeres = t.mujeres + excluded.mujeres,
           hombres = t.hombres + excluded.hombres
$$;

-- Brings one ficha's counted contribution up to date. Idempotent: applying
-- it again (a replayed or duplicated event) changes nothing. Returns 1 when
-- the totals changed, 0 otherwise.
CREATE FUNCTION pmm_aplicar(p_emisor text, p_ejercicio integer, p_clave text)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    nuevo agregados;
    viejo agregados;
BEGIN
    -- serialise work on one ficha across aggregators
    PERFORM pg_advisory_xact_lock(hashtextextended(
        p_emisor || '|' || p_ejercicio || '|' || p_clave, 0));
    SELECT * INTO nuevo FROM v_contribuciones v
     WHERE v.emisor = p_emisor AND v.ejercicio = p_ejercicio
       AND v.clave = p_clave;
    IF NOT FOUND THEN
        RETURN 0;   -- not classified yet: the classification will come
    END IF;
    SELECT * INTO viejo FROM agregados g
     WHERE g.emisor = p_emisor AND g.ejercicio = p_ejercicio
       AND g.clave = p_clave;
    IF FOUND THEN
        IF viejo IS NOT DISTINCT FROM nuevo THEN
            RETURN 0;
        END IF;
        PERFORM pmm_sumar(viejo, -1);
        DELETE FROM agregados g
         WHERE g.emisor = p_emisor AND g.ejercicio = p_ejercicio
           AND g.clave = p_clave;
    END IF;
    PERFORM pmm_sumar(nuevo, 1);
    INSERT INTO agregados SELECT nuevo.*;
    RETURN 1;
END
$$;

-- Drift found by the scheduled recompute, for the log and for operators.
CREATE TABLE recalculos (
    id          bigserial PRIMARY KEY,
    inicio      timestamptz NOT NULL,
    fin         timestamptz NOT NULL,
    fichas      bigint NOT NULL,       -- contributions recomputed
    celdas      bigint NOT NULL,       -- totals cells compared
    diferencias bigint NOT NULL,       -- cells repaired
    detalle     jsonb NOT NULL DEFAULT '[]'
);
