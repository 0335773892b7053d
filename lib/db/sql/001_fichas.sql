-- 001: fichas as immutable versions, contact data apart.

-- One row per stored version of a ficha. Nothing is updated or deleted:
-- a correction is a new row with version + 1.
CREATE SEQUENCE fichas_id_seq;

CREATE TABLE fichas (
    id                  bigint PRIMARY KEY DEFAULT nextval('fichas_id_seq'),
    -- identity: the sender ("D:<sigla>" or "E:<inegi>"), year and clave
    emisor              text NOT NULL,
    ejercicio           integer NOT NULL CHECK (ejercicio >= 2018),
    clave               text NOT NULL CHECK (clave ~ '^[A-Za-z0-9._:-]{1,64}$'),
    version             integer NOT NULL CHECK (version >= 1),
    hash                bytea NOT NULL,      -- SHA-256 of the canonical content
    recibida            timestamptz NOT NULL,
    ambito              text NOT NULL CHECK (ambito IN ('federal', 'estatal')),
    dependencia         text,
    entidad             smallint CHECK (entidad BETWEEN 1 AND 32),
    unidad              text,
    programa            text NOT NULL,
    objetivo_pmm        smallint NOT NULL CHECK (objetivo_pmm BETWEEN 1 AND 23),
    objetivo            text NOT NULL,
    poblacion_objetivo  text,
    inicio              text,
    temporalidad        text CHECK (temporalidad IN ('permanente', 'temporal')),
    fin                 text,
    acciones            bigint CHECK (acciones >= 0),
    personas            bigint CHECK (personas >= 0),
    mujeres             bigint CHECK (mujeres >= 0),
    hombres             bigint CHECK (hombres >= 0),
    zona                text,
    resultados_texto    text,
    retos               text,
    UNIQUE (emisor, ejercicio, clave, version)
);
ALTER SEQUENCE fichas_id_seq OWNED BY fichas.id;

-- Officials' contact data: private, never joined into reports or queries.
CREATE TABLE contactos (
    ficha_id  bigint PRIMARY KEY REFERENCES fichas (id),
    nombre    text,
    cargo     text,
    telefono  text,
    correo    text
);

-- The version that counts: the latest of each (emisor, ejercicio, clave).
CREATE VIEW fichas_vigentes AS
SELECT DISTINCT ON (emisor, ejercicio, clave) *
FROM fichas
ORDER BY emisor, ejercicio, clave, version DESC;
