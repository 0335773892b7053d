-- 005: who may connect (CURVE public keys), what happened (audit), and the
-- database roles of least privilege.

-- Allow-list of CURVE public keys, checked by the daemons' ZAP handlers on
-- every new connection. Keys are revoked, never deleted.
CREATE TABLE claves (
    id             bigserial PRIMARY KEY,
    clave_publica  text NOT NULL UNIQUE CHECK (length(clave_publica) = 40),
    rol            text NOT NULL
                   CHECK (rol IN ('remitente', 'analista', 'admin', 'servicio')),
    emisor         text,        -- 'D:<sigla>' or 'E:<inegi>' for a remitente
    nombre         text NOT NULL,
    creada         timestamptz NOT NULL DEFAULT now(),
    creada_por     text NOT NULL,
    revocada       timestamptz,
    revocada_por   text,
    CHECK ((rol = 'remitente') = (emisor IS NOT NULL))
);

-- Every submission, accepted or not, with the authenticated identity.
CREATE TABLE auditoria (
    id         bigserial PRIMARY KEY,
    momento    timestamptz NOT NULL DEFAULT now(),
    identidad  text NOT NULL,   -- 'local' or '<rol>|<emisor>|<clave id>'
    emisor     text,            -- of the ficha, when it could be read
    ejercicio  integer,
    clave      text,            -- only when it passed the clave rule
    resultado  text NOT NULL
               CHECK (resultado IN ('aceptada', 'repetida', 'rechazada', 'denegada')),
    campo      text,
    regla      text,
    ficha_id   bigint
);
CREATE INDEX auditoria_momento ON auditoria (momento);
CREATE INDEX auditoria_emisor ON auditoria (emisor, momento);

-- Group roles; deployments grant them to login roles (deploy/stack.sh does
-- for the embedded stack). Contact data: admin only.
DO $$
DECLARE r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['pmm_ingesta', 'pmm_clasificador', 'pmm_agregador',
                             'pmm_lectura', 'pmm_admin'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
END
$$;

GRANT USAGE ON SCHEMA public TO pmm_ingesta, pmm_clasificador, pmm_agregador,
    pmm_lectura, pmm_admin;
GRANT SELECT ON pmm_migraciones TO pmm_ingesta, pmm_clasificador, pmm_agregador,
    pmm_lectura, pmm_admin;

-- ingestd: store fichas, contacts, the classifiers' queue, the audit trail
GRANT SELECT, INSERT ON fichas TO pmm_ingesta;
GRANT INSERT ON contactos, cola_clasificar, auditoria TO pmm_ingesta;
GRANT SELECT ON claves TO pmm_ingesta;
GRANT USAGE ON SEQUENCE fichas_id_seq, auditoria_id_seq TO pmm_ingesta;

-- classifier workers
GRANT SELECT ON fichas TO pmm_clasificador;
-- (FOR UPDATE SKIP LOCKED needs UPDATE)
GRANT SELECT, UPDATE, DELETE ON cola_clasificar TO pmm_clasificador;
GRANT INSERT ON clasificaciones, cola_agregar TO pmm_clasificador;
GRANT USAGE ON SEQUENCE clasificaciones_id_seq, cola_agregar_id_seq TO pmm_clasificador;

-- aggregd
GRANT SELECT ON fichas, fichas_vigentes, clasificaciones, decisiones, v_contribuciones,
    claves TO pmm_agregador;
GRANT SELECT, INSERT, UPDATE, DELETE ON agregados, totales TO pmm_agregador;
GRANT SELECT, UPDATE, DELETE ON cola_agregar TO pmm_agregador;
GRANT INSERT ON recalculos TO pmm_agregador;
GRANT USAGE ON SEQUENCE recalculos_id_seq TO pmm_agregador;

-- queries and reports (never contact data)
GRANT SELECT ON totales, cierres, agregados, fichas, fichas_vigentes, clasificaciones,
    decisiones, recalculos, cola_clasificar, cola_agregar TO pmm_lectura;

-- administration: everything, contact data included
GRANT ALL ON ALL TABLES IN SCHEMA public TO pmm_admin;
GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO pmm_admin;
