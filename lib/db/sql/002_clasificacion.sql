-- 002: classifications, analyst decisions, and the work queues between
-- stages.
--
-- Each queue row is written in the same transaction as the work that
-- creates it and deleted in the same transaction as the work that consumes
-- it, so a stage that dies loses nothing: its transaction rolls back and the
-- row is claimed again (FOR UPDATE SKIP LOCKED lets several workers share a
-- queue). ZeroMQ messages between stages only wake the next stage up.

-- Fichas stored but not yet classified (filled by ingestd with the ficha).
CREATE TABLE cola_clasificar (
    ficha_id  bigint PRIMARY KEY REFERENCES fichas (id)
);

-- One row per (ficha version, classifier version). The latest row of a
-- ficha is the one that counts; reclassification adds rows.
CREATE TABLE clasificaciones (
    id                    bigserial PRIMARY KEY,
    ficha_id              bigint NOT NULL REFERENCES fichas (id),
    version_clasificador  text NOT NULL,
    taxonomia             text NOT NULL,
    eje                   smallint NOT NULL CHECK (eje BETWEEN 1 AND 9),
    subtema               text NOT NULL,
    subtemas              text[] NOT NULL DEFAULT '{}',   -- secondary
    ods                   smallint[] NOT NULL DEFAULT '{}',
    metas                 text[] NOT NULL DEFAULT '{}',
    retos                 text[] NOT NULL DEFAULT '{}',
    con_resultados        boolean NOT NULL,
    confianza             real NOT NULL CHECK (confianza BETWEEN 0 AND 1),
    evidencia             jsonb NOT NULL DEFAULT '[]',
    creada                timestamptz NOT NULL DEFAULT now(),
    UNIQUE (ficha_id, version_clasificador)
);
CREATE INDEX clasificaciones_ficha ON clasificaciones (ficha_id, id DESC);
CREATE INDEX clasificaciones_confianza ON clasificaciones (confianza);

-- Analyst decisions. They belong to the ficha (emisor, ejercicio, clave), so
-- they also hold for later versions, and they always win over the
-- classifier. A NULL field means "not decided": the classifier's value
-- stands. The latest decision of a ficha counts; none is deleted.
CREATE TABLE decisiones (
    id           bigserial PRIMARY KEY,
    emisor       text NOT NULL,
    ejercicio    integer NOT NULL,
    clave        text NOT NULL,
    ficha_id     bigint NOT NULL REFERENCES fichas (id),  -- version reviewed
    eje          smallint,
    subtema      text,
    ods          smallint[],
    objetivo_pmm smallint CHECK (objetivo_pmm BETWEEN 1 AND 23),
    nota         text,
    analista     text NOT NULL,
    creada       timestamptz NOT NULL DEFAULT now(),
    CHECK ((eje IS NULL) = (subtema IS NULL))
);
CREATE INDEX decisiones_clave ON decisiones (emisor, ejercicio, clave, id DESC);

-- Fichas whose counted contribution may have changed (new classification,
-- new decision): consumed by aggregd. One row per event, never merged with
-- a queued row of the same ficha: a merged event could be claimed and
-- applied by aggregd before the transaction that queued it commits, and the
-- change it announces would then never be counted. Duplicates are harmless
-- because applying a ficha is idempotent.
CREATE TABLE cola_agregar (
    id         bigserial PRIMARY KEY,
    emisor     text NOT NULL,
    ejercicio  integer NOT NULL,
    clave      text NOT NULL
);
