-- 016: behind every number (issue 19): the fichas behind a total, search,
-- duplicates within a year, programmes across years.
--
-- Extensions (postgresql-contrib). The migration runs as the schema
-- owner. In the embedded stack (deploy/stack.sh) that role is the
-- cluster's bootstrap superuser. In a packaged deployment the owner is a
-- normal role that owns the database (deploy/README.md, 3.1): the three
-- extensions are "trusted", so the owner creates them itself (checked on
-- PostgreSQL 15 with a non-superuser database owner). Where the owner does
-- not own the database or lacks CREATE on it, a DBA runs once, in the pmm
-- database, before `pmm migrar`:
--     CREATE EXTENSION unaccent; CREATE EXTENSION pg_trgm;
--     CREATE EXTENSION btree_gin;
-- and IF NOT EXISTS then skips them here.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gin;

-- Spanish full-text search with accents folded: "repatriacion" finds
-- "repatriación" and "niñas" finds "niña" (unaccent, then the Snowball
-- Spanish stemmer with its stop words).
CREATE TEXT SEARCH CONFIGURATION pmm_es (COPY = pg_catalog.spanish);
ALTER TEXT SEARCH CONFIGURATION pmm_es
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, spanish_stem;

-- A name folded for trigram comparison: lower case, no accents. unaccent()
-- is only STABLE (its dictionary could change); this project never
-- changes it, so the fold may be used in indexes.
CREATE FUNCTION pmm_plegar(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT public.unaccent('public.unaccent'::regdictionary, lower(t))
$$;

-- The document searched: programme, description, results and challenges,
-- the programme weighted highest. Contacts are never part of it.
CREATE FUNCTION pmm_documento(programa text, objetivo text, resultados text,
                              retos text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector('pmm_es', coalesce(programa, '')), 'A')
        || setweight(to_tsvector('pmm_es', coalesce(objetivo, '')), 'B')
        || setweight(to_tsvector('pmm_es', coalesce(resultados, '')), 'C')
        || setweight(to_tsvector('pmm_es', coalesce(retos, '')), 'C')
$$;

-- A text's words only: folded, figures and punctuation aside, as an md5
-- (the key of exact copies: "the same ficha under two claves", figures
-- corrected).
CREATE FUNCTION pmm_clave_texto(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT md5(btrim(regexp_replace(t, '[^a-z]+', ' ', 'g')))
$$;

-- ---- what counts: a "misma acción" pair counts once --------------------
--
-- Duplicate candidates within a year, proposed by aggregd when a ficha is
-- indexed (pmm_indexar below), one row per pair of fichas (keys a < b).
-- Never refused, never merged: only an analyst's decision changes what
-- counts.
CREATE TABLE duplicados (
    id          bigserial PRIMARY KEY,
    ejercicio   integer NOT NULL,
    emisor_a    text NOT NULL,
    clave_a     text NOT NULL,
    ficha_a     bigint NOT NULL,     -- the versions compared
    emisor_b    text NOT NULL,
    clave_b     text NOT NULL,
    ficha_b     bigint NOT NULL,
    similitud   real NOT NULL,       -- the larger of the two below
    sim_nombre  real NOT NULL,       -- trigram similarity of the programme names
    sim_texto   real NOT NULL,       -- of the descriptions
    tipo        text NOT NULL CHECK (tipo IN ('misma_dependencia', 'otra_dependencia')),
    propuesto   timestamptz NOT NULL DEFAULT now(),
    CHECK ((emisor_a, clave_a) < (emisor_b, clave_b)),
    UNIQUE (ejercicio, emisor_a, clave_a, emisor_b, clave_b)
);
CREATE INDEX duplicados_b ON duplicados (ejercicio, emisor_b, clave_b);

-- Analysts' decisions on a pair; the latest counts, none is deleted.
--   distintas     two different actions: both count, never proposed again
--   misma_accion  one action: counts once, under (cuenta_emisor,
--                 cuenta_clave); the other ficha stays visible as a
--                 participant (pmm ficha, pmm fichas) but counts nowhere
--   vinculadas    related but distinct actions: both count, shown linked
CREATE TABLE duplicados_decisiones (
    id             bigserial PRIMARY KEY,
    par            bigint NOT NULL REFERENCES duplicados (id),
    decision       text NOT NULL CHECK (decision IN ('distintas', 'misma_accion', 'vinculadas')),
    cuenta_emisor  text,
    cuenta_clave   text,
    nota           text,
    analista       text NOT NULL,
    creada         timestamptz NOT NULL DEFAULT now(),
    CHECK ((decision = 'misma_accion') = (cuenta_clave IS NOT NULL))
);
CREATE INDEX duplicados_decisiones_par ON duplicados_decisiones (par, id DESC);

-- The fichas that count under another one: the side of each "misma
-- acción" pair (by its latest decision) that the analyst did not name.
-- Written with each decision by `pmm duplicados decidir`, in the same
-- transaction (a table rather than a view over the decisions, so that
-- v_contribuciones probes it by key).
CREATE TABLE fichas_absorbidas (
    emisor         text NOT NULL,
    ejercicio      integer NOT NULL,
    clave          text NOT NULL,
    par            bigint NOT NULL REFERENCES duplicados (id),
    cuenta_emisor  text NOT NULL,      -- the ficha it counts under
    cuenta_clave   text NOT NULL,
    PRIMARY KEY (emisor, ejercicio, clave, par)
);
CREATE INDEX fichas_absorbidas_cuenta ON fichas_absorbidas (cuenta_emisor, ejercicio, cuenta_clave);

-- v_contribuciones gains `absorbida`: true for the ficha of a "misma
-- acción" pair that counts under the other one. The cells rule
-- (aggregd/celdas.c) counts an absorbed contribution in no cell, so every
-- total, report and query agrees. The earlier definition is kept under
-- another name and wrapped, so that what earlier migrations made a
-- contribution (latest version x classification x decision, and whatever
-- they exclude) stays defined in one place.
ALTER VIEW v_contribuciones RENAME TO v_contribuciones_base;
ALTER TABLE agregados ADD COLUMN absorbida boolean NOT NULL DEFAULT false;
CREATE VIEW v_contribuciones AS
SELECT b.*,
       EXISTS (SELECT 1 FROM fichas_absorbidas x
                WHERE x.emisor = b.emisor AND x.ejercicio = b.ejercicio
                  AND x.clave = b.clave) AS absorbida
  FROM v_contribuciones_base b;

-- ---- the search index and the proposals, off the receipt path ----------
--
-- Indexing a ficha (its tsvector, its trigrams) costs more than storing
-- it, so it is not done by ingestd: every ficha queued for aggregation is
-- also queued here (pmm_encolar_agregacion), and aggregd indexes the
-- queue when the pipeline is idle (aggregd/indice.c), proposing
-- duplicates and programme links in the same transaction.
CREATE TABLE cola_indexar (
    ficha_id  bigint PRIMARY KEY
);

-- Fichas stored before this migration are indexed by aggregd too.
INSERT INTO cola_indexar SELECT id FROM fichas_vigentes;

-- The counted-or-latest version of every ficha, searchable. One row per
-- ficha key: a newer version replaces the row.
CREATE TABLE busqueda (
    emisor        text NOT NULL,
    ejercicio     integer NOT NULL,
    clave         text NOT NULL,
    ficha_id      bigint NOT NULL UNIQUE,
    nombre        text NOT NULL,     -- pmm_plegar(programa)
    texto         text NOT NULL,     -- pmm_plegar(left(objetivo, 600))
    clave_nombre  text NOT NULL,     -- the name's words only (pmm_clave_texto)
    clave_texto   text NOT NULL,     -- the description's words only, figures aside
    documento     tsvector NOT NULL, -- pmm_documento(...)
    PRIMARY KEY (emisor, ejercicio, clave)
);
-- words by year, names by trigram within one year and body (btree_gin
-- puts the year and the sender in the GIN keys: a search of one year reads
-- one year's entries; a programme or duplicate candidate of the same body
-- reads that body's)
CREATE INDEX busqueda_documento ON busqueda USING gin (ejercicio, documento);
CREATE INDEX busqueda_nombre ON busqueda USING gin (ejercicio, emisor, nombre gin_trgm_ops);
-- the same name, or the same description up to its figures, within a year
CREATE INDEX busqueda_clave_nombre ON busqueda (ejercicio, clave_nombre);
CREATE INDEX busqueda_clave_texto ON busqueda (ejercicio, clave_texto);

-- Bodies that took over another's programmes (for the programme linker).
-- Editable configuration; rows are facts of the public administration.
CREATE TABLE dependencias_predecesoras (
    sigla        text NOT NULL,     -- the body now
    predecesora  text NOT NULL,     -- the body whose programmes it continues
    PRIMARY KEY (sigla, predecesora)
);
INSERT INTO dependencias_predecesoras VALUES ('ANAM', 'AGA');

-- Programme links across years: ficha (emisor, ejercicio, clave)
-- continues the programme of the earlier ficha (anterior_*). Proposed by
-- aggregd when a ficha is indexed, or by `pmm programas proponer`;
-- confirmed or rejected by an analyst or the body (`pmm programas
-- vincular`, `rechazar`). Rows are never deleted; a ficha's latest row per
-- earlier ficha holds. A ficha with a confirmed link is never proposed
-- another one.
CREATE TABLE vinculos_programa (
    id                  bigserial PRIMARY KEY,
    emisor              text NOT NULL,
    ejercicio           integer NOT NULL,
    clave               text NOT NULL,
    anterior_emisor     text NOT NULL,
    anterior_ejercicio  integer NOT NULL,
    anterior_clave      text NOT NULL,
    estado              text NOT NULL CHECK (estado IN ('propuesto', 'confirmado', 'rechazado')),
    similitud           real,          -- of the proposal
    analista            text,          -- who confirmed or rejected
    nota                text,
    creado              timestamptz NOT NULL DEFAULT now(),
    CHECK (anterior_ejercicio < ejercicio)
);
CREATE INDEX vinculos_programa_ficha ON vinculos_programa (emisor, ejercicio, clave, id DESC);
CREATE INDEX vinculos_programa_anterior
    ON vinculos_programa (anterior_emisor, anterior_ejercicio, anterior_clave);

-- The current state of each (ficha, earlier ficha) link.
CREATE VIEW v_vinculos AS
SELECT DISTINCT ON (emisor, ejercicio, clave, anterior_emisor, anterior_ejercicio,
                    anterior_clave) *
  FROM vinculos_programa
 ORDER BY emisor, ejercicio, clave, anterior_emisor, anterior_ejercicio, anterior_clave,
          id DESC;

-- programa_id, stable across years: the id of the first version of the
-- earliest ficha of the chain of confirmed links a ficha belongs to (its
-- own first version when it continues nothing). Confirming a link in the
-- middle of a chain gives every later ficha the earlier id.
CREATE VIEW v_programas AS
WITH RECURSIVE conf AS (
    SELECT * FROM v_vinculos WHERE estado = 'confirmado'
), primera AS (
    SELECT emisor, ejercicio, clave, min(id) AS id FROM fichas GROUP BY 1, 2, 3
), cadena AS (
    SELECT p.emisor, p.ejercicio, p.clave, p.id AS programa_id, 0 AS paso
      FROM primera p
     WHERE NOT EXISTS (SELECT 1 FROM conf c WHERE c.emisor = p.emisor
                          AND c.ejercicio = p.ejercicio AND c.clave = p.clave)
    UNION ALL
    SELECT c.emisor, c.ejercicio, c.clave, k.programa_id, k.paso + 1
      FROM cadena k
      JOIN conf c ON c.anterior_emisor = k.emisor AND c.anterior_ejercicio = k.ejercicio
                 AND c.anterior_clave = k.clave
     WHERE k.paso < 50
)
SELECT DISTINCT ON (emisor, ejercicio, clave) emisor, ejercicio, clave, programa_id
  FROM cadena ORDER BY emisor, ejercicio, clave, programa_id;

-- The programa_id of one ficha (v_programas for a single key): follows
-- its confirmed links back to the start of the chain.
CREATE FUNCTION pmm_programa_id(p_emisor text, p_ejercicio integer, p_clave text)
RETURNS bigint LANGUAGE sql STABLE AS $$
    WITH RECURSIVE atras AS (
        SELECT p_emisor AS emisor, p_ejercicio AS ejercicio, p_clave AS clave, 0 AS paso
        UNION ALL
        SELECT v.anterior_emisor, v.anterior_ejercicio, v.anterior_clave, a.paso + 1
          FROM atras a
          JOIN LATERAL (SELECT * FROM v_vinculos v
                         WHERE v.emisor = a.emisor AND v.ejercicio = a.ejercicio
                           AND v.clave = a.clave AND v.estado = 'confirmado'
                         ORDER BY v.anterior_ejercicio DESC, v.id LIMIT 1) v ON true
         WHERE a.paso < 50
    )
    SELECT min(f.id) FROM fichas f
      JOIN (SELECT * FROM atras ORDER BY paso DESC LIMIT 1) r
        ON f.emisor = r.emisor AND f.ejercicio = r.ejercicio AND f.clave = r.clave
$$;

-- What `pmm ficha` shows of the audit trail through the read-only role:
-- the rows about fichas (submissions, decisions, contact reads), with the
-- identity that acted; never contact data (auditoria holds none).
CREATE VIEW v_auditoria_fichas AS
SELECT id, momento, identidad, emisor, ejercicio, clave, resultado, campo, regla, ficha_id
  FROM auditoria WHERE clave IS NOT NULL OR ficha_id IS NOT NULL;

-- Review state of each ficha, for `pmm fichas --estado-revision` and `pmm
-- ficha`. HOOK for issue 18 (review tables: aprobada / con
-- observaciones): that migration replaces this view (CREATE OR REPLACE,
-- same columns) and everything that reads review states follows. Until
-- then: 'revisada' when an analyst decided on the ficha, else
-- 'sin_revisar'.
CREATE VIEW v_estado_revision AS
SELECT f.emisor, f.ejercicio, f.clave,
       CASE WHEN EXISTS (SELECT 1 FROM decisiones d WHERE d.emisor = f.emisor
                            AND d.ejercicio = f.ejercicio AND d.clave = f.clave)
            THEN 'revisada' ELSE 'sin_revisar' END AS estado,
       NULL::text AS observaciones
  FROM agregados f;

-- `pmm fichas` walks one year's counted fichas in its order (ejercicio,
-- emisor, clave) and stops at the first page.
CREATE INDEX agregados_listado ON agregados (ejercicio, emisor, clave);

-- Audit rows for what analysts and admins do besides submissions: reading
-- contact data, deciding on duplicates and programme links.
ALTER TABLE auditoria DROP CONSTRAINT auditoria_resultado_check;
ALTER TABLE auditoria ADD CONSTRAINT auditoria_resultado_check
    CHECK (resultado IN ('aceptada', 'repetida', 'rechazada', 'denegada',
                         'retirada', 'restaurada', -- 013
                         'contacto_leido', 'duplicado_decidido', 'programa_vinculado'));

-- ---- queueing for the index ---------------------------------------------
-- 012's one way in, which now also queues the fichas for indexing (the
-- classifiers, `pmm reclasificar --aplicar` and `pmm revision fijar` call
-- it). An id already queued is not queued twice.
CREATE OR REPLACE FUNCTION pmm_encolar_agregacion(ids bigint[]) RETURNS integer
LANGUAGE sql AS $$
    WITH q AS (INSERT INTO cola_agregar (ficha_id)
               SELECT u.id FROM unnest(ids) WITH ORDINALITY AS u(id, n) ORDER BY u.n
               RETURNING 1),
         i AS (INSERT INTO cola_indexar (ficha_id)
               SELECT DISTINCT u.id FROM unnest(ids) u(id) ORDER BY 1
               ON CONFLICT DO NOTHING)
    SELECT count(*)::integer FROM q
$$;

-- ---- indexing a batch and proposing -------------------------------------
--
-- Indexes the given fichas (ids of versions): each id that is the latest
-- version of its key replaces the key's row in `busqueda`; older ones are
-- skipped. Then, for the fichas indexed, proposes
--   duplicates in the same year, among candidates found by index (the
--     same name, the same description up to its figures, a similar name
--     of the same body): the same body with a similar name (trigrams
--     >= 0.6) or description (>= 0.6), or another body with a highly
--     similar description (>= 0.8) and a related name (>= 0.3), or the
--     same description whatever the name;
--   a programme link to the previous year's ficha of the same body (or of
--     its predecessor) whose name and description are most similar, when
--     the score (pmm_puntaje_programa) reaches 0.55 and no confirmed link
--     exists (pmm_proponer_vinculos).
-- Pairs and links already decided are not proposed again. Returns the
-- number of fichas indexed.
-- Overlap of two programme names: the share of the shorter name's stems
-- (pmm_es: accents, inflection and stop words aside) found in the other.
CREATE FUNCTION pmm_solape(a text, b text) RETURNS real
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN least(cardinality(x.la), cardinality(x.lb)) = 0 THEN 0
                ELSE (SELECT count(*) FROM unnest(x.la) u WHERE u = ANY (x.lb))::real
                     / least(cardinality(x.la), cardinality(x.lb)) END
      FROM (SELECT tsvector_to_array(to_tsvector('pmm_es', coalesce(a, ''))) AS la,
                   tsvector_to_array(to_tsvector('pmm_es', coalesce(b, ''))) AS lb) x
$$;

-- How likely two fichas of consecutive years are one programme: trigram
-- similarity of the names, overlap of their stems, trigram similarity of
-- the descriptions. Weights and the 0.55 threshold were chosen on half of
-- a hand-labelled set of programme pairs from the corpus (bench/vinculos.sh
-- reports both halves).
CREATE FUNCTION pmm_puntaje_programa(sim_nombre real, solape real, sim_texto real)
RETURNS real LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (0.35 * sim_nombre + 0.35 * solape + 0.3 * sim_texto)::real
$$;

-- Proposes, for each given ficha (busqueda.ficha_id), a link to the
-- previous year's ficha of the same body (or of its predecessor) whose
-- name and description are most similar, when the score reaches 0.55 and
-- the ficha has no confirmed link; a pair already proposed, confirmed or
-- rejected is not proposed again. Returns the links proposed.
CREATE FUNCTION pmm_proponer_vinculos(ids bigint[]) RETURNS integer
LANGUAGE sql AS $$
    WITH u AS (SELECT set_config('pg_trgm.similarity_threshold', '0.3', true)),
    n AS (SELECT b.* FROM busqueda b, u WHERE b.ficha_id = ANY (ids)),
    ins AS (
    INSERT INTO vinculos_programa (emisor, ejercicio, clave, anterior_emisor,
                                   anterior_ejercicio, anterior_clave, estado, similitud)
    SELECT n.emisor, n.ejercicio, n.clave, c.emisor, c.ejercicio, c.clave, 'propuesto',
           c.puntaje
      FROM n
      CROSS JOIN LATERAL (
          -- the body's (and its predecessor's) fichas of the previous year
          -- with a related name (trigrams >= 0.3, by index) or the same
          -- description up to its figures; the 10 nearest names are scored
          SELECT x.emisor, x.ejercicio, x.clave,
                 pmm_puntaje_programa(x.sn, pmm_solape(n.nombre, x.nombre),
                                      similarity(n.texto, x.texto)) AS puntaje
            FROM (SELECT b.*, similarity(n.nombre, b.nombre) AS sn
                    FROM busqueda b
                   WHERE b.ejercicio = n.ejercicio - 1
                     AND b.emisor IN (SELECT n.emisor UNION ALL
                                      SELECT 'D:' || p.predecesora
                                        FROM dependencias_predecesoras p
                                       WHERE 'D:' || p.sigla = n.emisor)
                     AND (b.nombre % n.nombre OR b.clave_texto = n.clave_texto)
                   ORDER BY sn DESC, b.clave LIMIT 10) x
           ORDER BY 4 DESC, x.clave
           LIMIT 1) c
     WHERE c.puntaje >= 0.55
       AND NOT EXISTS (SELECT 1 FROM v_vinculos v
                        WHERE v.emisor = n.emisor AND v.ejercicio = n.ejercicio
                          AND v.clave = n.clave
                          AND (v.estado = 'confirmado'
                               OR (v.anterior_emisor, v.anterior_ejercicio, v.anterior_clave)
                                  = (c.emisor, c.ejercicio, c.clave)))
    RETURNING 1)
    SELECT count(*)::integer FROM ins
$$;

-- The index row of one ficha version.
CREATE FUNCTION pmm_fila_busqueda(f fichas) RETURNS busqueda
LANGUAGE sql STABLE AS $$
    SELECT ROW(f.emisor, f.ejercicio, f.clave, f.id, x.nombre, x.texto,
               pmm_clave_texto(x.nombre), pmm_clave_texto(x.texto),
               pmm_documento(f.programa, f.objetivo, f.resultados_texto, f.retos))::busqueda
      FROM (SELECT pmm_plegar(f.programa) AS nombre,
                   pmm_plegar(left(f.objetivo, 600)) AS texto) x
$$;

CREATE FUNCTION pmm_indexar(ids bigint[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    n integer;
BEGIN
    PERFORM set_config('pg_trgm.similarity_threshold', '0.6', true);
    CREATE TEMP TABLE IF NOT EXISTS pmm_nuevos (LIKE busqueda) ON COMMIT DROP;
    TRUNCATE pmm_nuevos;
    INSERT INTO pmm_nuevos
    SELECT (pmm_fila_busqueda(f)).*
      FROM (SELECT DISTINCT unnest(ids) AS id) u
      JOIN fichas f ON f.id = u.id
     WHERE NOT EXISTS (SELECT 1 FROM fichas g WHERE g.emisor = f.emisor
                          AND g.ejercicio = f.ejercicio AND g.clave = f.clave
                          AND g.version > f.version)
       AND NOT EXISTS (SELECT 1 FROM busqueda b WHERE b.ficha_id = f.id);
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n = 0 THEN
        RETURN 0;
    END IF;
    INSERT INTO busqueda SELECT * FROM pmm_nuevos
        ON CONFLICT (emisor, ejercicio, clave) DO UPDATE
           SET ficha_id = excluded.ficha_id, nombre = excluded.nombre,
               texto = excluded.texto, clave_nombre = excluded.clave_nombre,
               clave_texto = excluded.clave_texto, documento = excluded.documento;

    -- duplicates: candidates, each by an index and at most 5 a way: the
    -- same name or the same description (figures aside) in the year, and a
    -- similar name (trigrams >= 0.6) of the same body
    INSERT INTO duplicados AS d (ejercicio, emisor_a, clave_a, ficha_a, emisor_b,
                                 clave_b, ficha_b, similitud, sim_nombre, sim_texto, tipo)
    SELECT DISTINCT ON (a_e, a_c, b_e, b_c)
           c.ejercicio, a_e, a_c, a_id, b_e, b_c, b_id, greatest(sn, st), sn, st,
           CASE WHEN a_e = b_e THEN 'misma_dependencia' ELSE 'otra_dependencia' END
      FROM (
        SELECT n.ejercicio,
               CASE WHEN (n.emisor, n.clave) < (b.emisor, b.clave)
                    THEN n.emisor ELSE b.emisor END AS a_e,
               CASE WHEN (n.emisor, n.clave) < (b.emisor, b.clave)
                    THEN n.clave ELSE b.clave END AS a_c,
               CASE WHEN (n.emisor, n.clave) < (b.emisor, b.clave)
                    THEN n.ficha_id ELSE b.ficha_id END AS a_id,
               CASE WHEN (n.emisor, n.clave) < (b.emisor, b.clave)
                    THEN b.emisor ELSE n.emisor END AS b_e,
               CASE WHEN (n.emisor, n.clave) < (b.emisor, b.clave)
                    THEN b.clave ELSE n.clave END AS b_c,
               CASE WHEN (n.emisor, n.clave) < (b.emisor, b.clave)
                    THEN b.ficha_id ELSE n.ficha_id END AS b_id,
               similarity(n.nombre, b.nombre) AS sn,
               CASE WHEN n.clave_texto = b.clave_texto THEN 1
                    ELSE similarity(n.texto, b.texto) END AS st
          FROM pmm_nuevos n
          CROSS JOIN LATERAL (
              (SELECT * FROM busqueda b
                WHERE b.ejercicio = n.ejercicio AND b.clave_nombre = n.clave_nombre
                  AND (b.emisor, b.clave) <> (n.emisor, n.clave) LIMIT 5)
              UNION
              (SELECT * FROM busqueda b
                WHERE b.ejercicio = n.ejercicio AND b.clave_texto = n.clave_texto
                  AND (b.emisor, b.clave) <> (n.emisor, n.clave) LIMIT 5)
              UNION
              (SELECT * FROM busqueda b
                WHERE b.ejercicio = n.ejercicio AND b.emisor = n.emisor
                  AND b.nombre % n.nombre AND b.clave <> n.clave LIMIT 5)) b
      ) c
     WHERE (a_e = b_e AND (sn >= 0.6 OR st >= 0.6))
        OR (a_e <> b_e AND ((st >= 0.8 AND sn >= 0.3) OR st >= 0.999))
     ORDER BY a_e, a_c, b_e, b_c
    ON CONFLICT (ejercicio, emisor_a, clave_a, emisor_b, clave_b) DO UPDATE
       SET ficha_a = excluded.ficha_a, ficha_b = excluded.ficha_b,
           similitud = excluded.similitud, sim_nombre = excluded.sim_nombre,
           sim_texto = excluded.sim_texto
     WHERE NOT EXISTS (SELECT 1 FROM duplicados_decisiones x WHERE x.par = d.id);

    -- programme links to the previous year
    PERFORM pmm_proponer_vinculos(array_agg(ficha_id)) FROM pmm_nuevos;
    RETURN n;
END
$$;

-- ---- rights --------------------------------------------------------------
-- the writers of cola_agregar (012, 013) queue through pmm_encolar_agregacion
GRANT INSERT ON cola_indexar TO pmm_clasificador, pmm_ingesta;
GRANT SELECT ON cola_clasificar TO pmm_agregador;
GRANT SELECT ON v_contribuciones, fichas_absorbidas, duplicados, duplicados_decisiones
    TO pmm_agregador;
GRANT SELECT, DELETE, UPDATE ON cola_indexar TO pmm_agregador;
GRANT SELECT, INSERT, UPDATE ON busqueda, duplicados, vinculos_programa TO pmm_agregador;
GRANT SELECT ON dependencias_predecesoras, v_vinculos TO pmm_agregador;
GRANT USAGE ON SEQUENCE duplicados_id_seq, vinculos_programa_id_seq TO pmm_agregador;
GRANT EXECUTE ON FUNCTION pmm_indexar(bigint[]) TO pmm_agregador, pmm_admin;
GRANT EXECUTE ON FUNCTION pmm_fila_busqueda(fichas) TO pmm_agregador, pmm_admin;
GRANT EXECUTE ON FUNCTION pmm_proponer_vinculos(bigint[]) TO pmm_agregador, pmm_admin;
GRANT SELECT ON v_contribuciones, busqueda, cola_indexar, duplicados, duplicados_decisiones,
    fichas_absorbidas, dependencias_predecesoras, vinculos_programa, v_vinculos,
    v_programas, v_estado_revision, v_auditoria_fichas TO pmm_lectura;
GRANT EXECUTE ON FUNCTION pmm_programa_id(text, integer, text) TO pmm_lectura, pmm_admin;
GRANT ALL ON ALL TABLES IN SCHEMA public TO pmm_admin;
GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO pmm_admin;
