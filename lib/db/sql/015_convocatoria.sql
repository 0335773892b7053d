-- 015: issue 18. The yearly call and its follow-up: who is expected to
-- report (the roster and each year's call), who delivered and when
-- (delivery is an act of its own, apart from sending fichas), the
-- analysts' review of each ficha, and the per-year setting of whether
-- unreviewed or observed fichas count in the totals.
--
-- Bodies are named exactly as fichas name their sender (`fichas.emisor`:
-- 'D:<sigla>' for a body, 'E:<inegi>' for a state government), so every
-- join with fichas is direct.

-- ---- the roster (padrón) -------------------------------------------------
-- One row per reporting body. Nothing is deleted: a body that ceases is
-- closed (activo_hasta), and a renamed or merged body names its successor
-- (sucesor, relacion), so that its historical fichas stay with it and,
-- after it closed, whatever still arrives under its name counts for its
-- successor (pmm_responsable).
CREATE TABLE padron (
    emisor        text PRIMARY KEY
                  CHECK ((emisor ~ '^D:\S(.*\S)?$' AND length(emisor) <= 66)
                         OR emisor ~ '^E:(0[1-9]|[12][0-9]|3[0-2])$'),
    tipo          text NOT NULL
                  CHECK (tipo IN ('federal', 'estatal', 'autonomo', 'legislativo',
                                  'judicial', 'sociedad_civil')),
    nombre        text NOT NULL CHECK (nombre ~ '\S'),
    sector        text,        -- the coordinating sector, for rates by sector
    activo_desde  date NOT NULL,
    activo_hasta  date,
    sucesor       text REFERENCES padron (emisor),
    relacion      text CHECK (relacion IN ('renombrada', 'fusionada')),
    CHECK ((tipo = 'estatal') = (emisor LIKE 'E:%')),
    CHECK ((sucesor IS NULL) = (relacion IS NULL)),
    CHECK (sucesor IS NULL OR activo_hasta IS NOT NULL),
    CHECK (sucesor IS DISTINCT FROM emisor),
    CHECK (activo_hasta IS NULL OR activo_hasta >= activo_desde)
);

CREATE FUNCTION pmm_padron_reglas() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    actual text := NEW.sucesor;
    pasos integer := 0;
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'el padrón no se borra: un cuerpo que deja de reportar se cierra '
                        '(activo_hasta) y, si cambió de nombre o se fusionó, se liga a su sucesor'
            USING ERRCODE = 'restrict_violation', TABLE = 'padron';
    END IF;
    -- a chain of successors never comes back to the body
    WHILE actual IS NOT NULL LOOP
        IF actual = NEW.emisor OR pasos > 64 THEN
            RAISE EXCEPTION 'la liga de % a % formaría un ciclo de sucesores', NEW.emisor, NEW.sucesor
                USING ERRCODE = 'check_violation', TABLE = 'padron', COLUMN = 'sucesor';
        END IF;
        SELECT p.sucesor INTO actual FROM padron p WHERE p.emisor = actual;
        pasos := pasos + 1;
    END LOOP;
    RETURN NEW;
END
$$;
CREATE TRIGGER padron_reglas BEFORE INSERT OR UPDATE OR DELETE ON padron
    FOR EACH ROW EXECUTE FUNCTION pmm_padron_reglas();

-- The seed, from the project's data/dependencias.csv and data/entidades.csv:
-- every body and state government except international organisations and
-- private or foreign bodies (they take part in actions; they are not
-- asked to report). Types: secretarías, decentralised and deconcentrated
-- bodies and the administrative units that report on their own are
-- federal; CNDH, FGR and INE autonomous; IFDP judicial; CMDPDH and
-- CANACINTRA civil society. Renames and mergers (actores.csv and public
-- record), dated to the year, approximately: the unit corrects them with
-- pmm padron. ECONOMÍA is the acronym the reports of 2018-2022 used for the
-- Secretaría de Economía (SE).
INSERT INTO padron (emisor, tipo, nombre, sector, activo_desde, activo_hasta) VALUES
    ('D:AGA', 'federal', 'Administración General de Aduanas', 'Hacienda', '2018-01-01', '2021-12-31'),
    ('D:ANAM', 'federal', 'Agencia Nacional de Aduanas de México', 'Hacienda', '2022-01-01', NULL),
    ('D:BANBIEN', 'federal', 'Banco del Bienestar', 'Hacienda', '2020-01-01', NULL),
    ('D:BANSEFI', 'federal', 'Banco del Ahorro Nacional y Servicios Financieros', 'Hacienda', '2018-01-01', '2019-12-31'),
    ('D:BIENESTAR', 'federal', 'Secretaría del Bienestar', 'Bienestar', '2018-01-01', NULL),
    ('D:CANACINTRA', 'sociedad_civil', 'Cámara Nacional de la Industria de la Transformación', 'Sociedad civil', '2018-01-01', NULL),
    ('D:CAPA', 'federal', 'Centro de Atención Primaria en Adicciones', 'Salud', '2018-01-01', NULL),
    ('D:CCPM', 'federal', 'Consejo Consultivo de Política Migratoria', 'Gobernación', '2018-01-01', NULL),
    ('D:CEAV', 'federal', 'Comisión Ejecutiva de Atención a Víctimas', 'Gobernación', '2018-01-01', NULL),
    ('D:CENSIDA', 'federal', 'Centro Nacional para la Prevención y el Control del VIH/sida', 'Salud', '2018-01-01', NULL),
    ('D:CIAM', 'federal', 'Centro de Información y Asistencia a Mexicanos', 'Relaciones Exteriores', '2018-01-01', NULL),
    ('D:CIJ', 'federal', 'Centros de Integración Juvenil', 'Salud', '2018-01-01', NULL),
    ('D:CMDPDH', 'sociedad_civil', 'Comisión Mexicana de Defensa y Promoción de los Derechos Humanos', 'Sociedad civil', '2018-01-01', NULL),
    ('D:CNB', 'federal', 'Comisión Nacional de Búsqueda', 'Gobernación', '2018-01-01', NULL),
    ('D:CNBV', 'federal', 'Comisión Nacional Bancaria y de Valores', 'Hacienda', '2018-01-01', NULL),
    ('D:CNDH', 'autonomo', 'Comisión Nacional de los Derechos Humanos', 'Organismos autónomos', '2018-01-01', NULL),
    ('D:CNI', 'federal', 'Centro Nacional de Inteligencia', 'Seguridad', '2018-01-01', NULL),
    ('D:CNPC', 'federal', 'Coordinación Nacional de Protección Civil', 'Seguridad', '2018-01-01', NULL),
    ('D:COMAR', 'federal', 'Comisión Mexicana de Ayuda a Refugiados', 'Gobernación', '2018-01-01', NULL),
    ('D:CONACYT', 'federal', 'Consejo Nacional de Ciencia y Tecnología', 'Ciencia', '2018-01-01', '2022-12-31'),
    ('D:CONADIC', 'federal', 'Comisión Nacional contra las Adicciones', 'Salud', '2018-01-01', NULL),
    ('D:CONAHCYT', 'federal', 'Consejo Nacional de Humanidades, Ciencias y Tecnologías', 'Ciencia', '2023-01-01', '2024-12-31'),
    ('D:CONAPO', 'federal', 'Consejo Nacional de Población', 'Gobernación', '2018-01-01', NULL),
    ('D:CONAPRED', 'federal', 'Consejo Nacional para Prevenir la Discriminación', 'Gobernación', '2018-01-01', NULL),
    ('D:CONAVI', 'federal', 'Comisión Nacional de Vivienda', 'Desarrollo Territorial', '2018-01-01', NULL),
    ('D:CONAVIM', 'federal', 'Comisión Nacional para Prevenir y Erradicar la Violencia contra las Mujeres', 'Gobernación', '2018-01-01', NULL),
    ('D:CONDUSEF', 'federal', 'Comisión Nacional para la Protección y la Defensa de los Usuarios de Servicios Financieros', 'Hacienda', '2018-01-01', NULL),
    ('D:CONSAR', 'federal', 'Comisión Nacional del Sistema de Ahorro para el Retiro', 'Hacienda', '2018-01-01', NULL),
    ('D:ECONOMÍA', 'federal', 'Secretaría de Economía', 'Economía', '2018-01-01', '2022-12-31'),
    ('D:FGR', 'autonomo', 'Fiscalía General de la República', 'Organismos autónomos', '2018-01-01', NULL),
    ('D:FINABIEN', 'federal', 'Financiera para el Bienestar', 'Hacienda', '2023-01-01', NULL),
    ('D:GN', 'federal', 'Guardia Nacional', 'Seguridad', '2019-01-01', NULL),
    ('D:IFDP', 'judicial', 'Instituto Federal de Defensoría Pública', 'Poder Judicial', '2018-01-01', NULL),
    ('D:IME', 'federal', 'Instituto de los Mexicanos en el Exterior', 'Relaciones Exteriores', '2018-01-01', NULL),
    ('D:IMJUVE', 'federal', 'Instituto Mexicano de la Juventud', 'Bienestar', '2018-01-01', NULL),
    ('D:IMSS', 'federal', 'Instituto Mexicano del Seguro Social', 'Salud', '2018-01-01', NULL),
    ('D:IMTA', 'federal', 'Instituto Mexicano de Tecnología del Agua', 'Medio Ambiente', '2018-01-01', NULL),
    ('D:INAFED', 'federal', 'Instituto Nacional para el Federalismo y el Desarrollo Municipal', 'Gobernación', '2018-01-01', NULL),
    ('D:INALI', 'federal', 'Instituto Nacional de las Lenguas Indígenas', 'Cultura', '2018-01-01', NULL),
    ('D:INAPAM', 'federal', 'Instituto Nacional de las Personas Adultas Mayores', 'Bienestar', '2018-01-01', NULL),
    ('D:INDESOL', 'federal', 'Instituto Nacional de Desarrollo Social', 'Bienestar', '2018-01-01', '2022-12-31'),
    ('D:INE', 'autonomo', 'Instituto Nacional Electoral', 'Organismos autónomos', '2018-01-01', NULL),
    ('D:INM', 'federal', 'Instituto Nacional de Migración', 'Gobernación', '2018-01-01', NULL),
    ('D:INMUJERES', 'federal', 'Instituto Nacional de las Mujeres', 'Mujeres', '2018-01-01', NULL),
    ('D:INPI', 'federal', 'Instituto Nacional de los Pueblos Indígenas', 'Pueblos Indígenas', '2018-01-01', NULL),
    ('D:ISSSTE', 'federal', 'Instituto de Seguridad y Servicios Sociales de los Trabajadores del Estado', 'Salud', '2018-01-01', NULL),
    ('D:PF', 'federal', 'Policía Federal', 'Seguridad', '2018-01-01', '2019-12-31'),
    ('D:PFPNNA', 'federal', 'Procuraduría Federal de Protección de Niñas, Niños y Adolescentes', 'Salud', '2018-01-01', NULL),
    ('D:PROFECO', 'federal', 'Procuraduría Federal del Consumidor', 'Economía', '2018-01-01', NULL),
    ('D:RENAPO', 'federal', 'Registro Nacional de Población e Identificación Personal', 'Gobernación', '2018-01-01', NULL),
    ('D:SADER', 'federal', 'Secretaría de Agricultura y Desarrollo Rural', 'Agricultura', '2018-01-01', NULL),
    ('D:SAT', 'federal', 'Servicio de Administración Tributaria', 'Hacienda', '2018-01-01', NULL),
    ('D:SCT', 'federal', 'Secretaría de Comunicaciones y Transportes', 'Comunicaciones', '2018-01-01', '2021-12-31'),
    ('D:SE', 'federal', 'Secretaría de Economía', 'Economía', '2023-01-01', NULL),
    ('D:SECIHTI', 'federal', 'Secretaría de Ciencia, Humanidades, Tecnología e Innovación', 'Ciencia', '2025-01-01', NULL),
    ('D:SECTUR', 'federal', 'Secretaría de Turismo', 'Turismo', '2018-01-01', NULL),
    ('D:SEGOB', 'federal', 'Secretaría de Gobernación', 'Gobernación', '2018-01-01', NULL),
    ('D:SEMARNAT', 'federal', 'Secretaría de Medio Ambiente y Recursos Naturales', 'Medio Ambiente', '2018-01-01', NULL),
    ('D:SEP', 'federal', 'Secretaría de Educación Pública', 'Educación', '2018-01-01', NULL),
    ('D:SEPOMEX', 'federal', 'Servicio Postal Mexicano', 'Comunicaciones', '2018-01-01', NULL),
    ('D:SESIPINNA', 'federal', 'Secretaría Ejecutiva del Sistema de Protección Integral de los Derechos de Niñas, Niños y Adolescentes', 'Gobernación', '2018-01-01', NULL),
    ('D:SESNSP', 'federal', 'Secretariado Ejecutivo del Sistema Nacional de Seguridad Pública', 'Seguridad', '2018-01-01', NULL),
    ('D:SFP', 'federal', 'Secretaría de la Función Pública', 'Función Pública', '2018-01-01', NULL),
    ('D:SHCP', 'federal', 'Secretaría de Hacienda y Crédito Público', 'Hacienda', '2018-01-01', NULL),
    ('D:SICT', 'federal', 'Secretaría de Infraestructura, Comunicaciones y Transportes', 'Comunicaciones', '2022-01-01', NULL),
    ('D:SIPINNA', 'federal', 'Sistema Nacional de Protección de Niñas, Niños y Adolescentes', 'Gobernación', '2018-01-01', NULL),
    ('D:SNDIF', 'federal', 'Sistema Nacional para el Desarrollo Integral de la Familia', 'Salud', '2018-01-01', NULL),
    ('D:SNE', 'federal', 'Servicio Nacional de Empleo', 'Trabajo', '2018-01-01', NULL),
    ('D:SRE', 'federal', 'Secretaría de Relaciones Exteriores', 'Relaciones Exteriores', '2018-01-01', NULL),
    ('D:SSA', 'federal', 'Secretaría de Salud', 'Salud', '2018-01-01', NULL),
    ('D:SSPC', 'federal', 'Secretaría de Seguridad y Protección Ciudadana', 'Seguridad', '2018-01-01', NULL),
    ('D:STPS', 'federal', 'Secretaría del Trabajo y Previsión Social', 'Trabajo', '2018-01-01', NULL),
    ('D:TELECOMM', 'federal', 'Telecomunicaciones de México', 'Comunicaciones', '2018-01-01', '2022-12-31'),
    ('D:UDP', 'federal', 'Unidad de Desarrollo Productivo', NULL, '2018-01-01', NULL),
    ('D:UPMRIP', 'federal', 'Unidad de Política Migratoria, Registro e Identidad de Personas', 'Gobernación', '2018-01-01', NULL),
    ('E:01', 'estatal', 'Aguascalientes', NULL, '2018-01-01', NULL),
    ('E:02', 'estatal', 'Baja California', NULL, '2018-01-01', NULL),
    ('E:03', 'estatal', 'Baja California Sur', NULL, '2018-01-01', NULL),
    ('E:04', 'estatal', 'Campeche', NULL, '2018-01-01', NULL),
    ('E:05', 'estatal', 'Coahuila de Zaragoza', NULL, '2018-01-01', NULL),
    ('E:06', 'estatal', 'Colima', NULL, '2018-01-01', NULL),
    ('E:07', 'estatal', 'Chiapas', NULL, '2018-01-01', NULL),
    ('E:08', 'estatal', 'Chihuahua', NULL, '2018-01-01', NULL),
    ('E:09', 'estatal', 'Ciudad de México', NULL, '2018-01-01', NULL),
    ('E:10', 'estatal', 'Durango', NULL, '2018-01-01', NULL),
    ('E:11', 'estatal', 'Guanajuato', NULL, '2018-01-01', NULL),
    ('E:12', 'estatal', 'Guerrero', NULL, '2018-01-01', NULL),
    ('E:13', 'estatal', 'Hidalgo', NULL, '2018-01-01', NULL),
    ('E:14', 'estatal', 'Jalisco', NULL, '2018-01-01', NULL),
    ('E:15', 'estatal', 'México', NULL, '2018-01-01', NULL),
    ('E:16', 'estatal', 'Michoacán de Ocampo', NULL, '2018-01-01', NULL),
    ('E:17', 'estatal', 'Morelos', NULL, '2018-01-01', NULL),
    ('E:18', 'estatal', 'Nayarit', NULL, '2018-01-01', NULL),
    ('E:19', 'estatal', 'Nuevo León', NULL, '2018-01-01', NULL),
    ('E:20', 'estatal', 'Oaxaca', NULL, '2018-01-01', NULL),
    ('E:21', 'estatal', 'Puebla', NULL, '2018-01-01', NULL),
    ('E:22', 'estatal', 'Querétaro', NULL, '2018-01-01', NULL),
    ('E:23', 'estatal', 'Quintana Roo', NULL, '2018-01-01', NULL),
    ('E:24', 'estatal', 'San Luis Potosí', NULL, '2018-01-01', NULL),
    ('E:25', 'estatal', 'Sinaloa', NULL, '2018-01-01', NULL),
    ('E:26', 'estatal', 'Sonora', NULL, '2018-01-01', NULL),
    ('E:27', 'estatal', 'Tabasco', NULL, '2018-01-01', NULL),
    ('E:28', 'estatal', 'Tamaulipas', NULL, '2018-01-01', NULL),
    ('E:29', 'estatal', 'Tlaxcala', NULL, '2018-01-01', NULL),
    ('E:30', 'estatal', 'Veracruz de Ignacio de la Llave', NULL, '2018-01-01', NULL),
    ('E:31', 'estatal', 'Yucatán', NULL, '2018-01-01', NULL),
    ('E:32', 'estatal', 'Zacatecas', NULL, '2018-01-01', NULL);

-- renames and mergers: the closed body names its successor
UPDATE padron SET sucesor = 'D:ANAM', relacion = 'renombrada' WHERE emisor = 'D:AGA';
UPDATE padron SET sucesor = 'D:BANBIEN', relacion = 'renombrada' WHERE emisor = 'D:BANSEFI';
UPDATE padron SET sucesor = 'D:CONAHCYT', relacion = 'renombrada' WHERE emisor = 'D:CONACYT';
UPDATE padron SET sucesor = 'D:SECIHTI', relacion = 'renombrada' WHERE emisor = 'D:CONAHCYT';
UPDATE padron SET sucesor = 'D:SE', relacion = 'renombrada' WHERE emisor = 'D:ECONOMÍA';
UPDATE padron SET sucesor = 'D:BIENESTAR', relacion = 'fusionada' WHERE emisor = 'D:INDESOL';
UPDATE padron SET sucesor = 'D:SICT', relacion = 'renombrada' WHERE emisor = 'D:SCT';
UPDATE padron SET sucesor = 'D:FINABIEN', relacion = 'renombrada' WHERE emisor = 'D:TELECOMM';

-- The body a report of p_emisor counts for on date p_fecha (the reference
-- date of a year: its call's deadline): p_emisor itself while it is active
-- then, or when it is not in the roster or has no successor; once it has
-- closed, its successor's, following renames and mergers. And backwards:
-- fichas and deliveries of a renamed body are stored under today's acronym
-- (refdata's aliases, data/alias_dependencias.csv), so a report for a year
-- before the rename under the new acronym counts for the body that was
-- active then (the predecessor it was renamed from, transitively). A
-- merger's successor existed before, so only renames are followed back.
CREATE FUNCTION pmm_responsable(p_emisor text, p_fecha date) RETURNS text
LANGUAGE sql STABLE AS $$
    WITH RECURSIVE c(emisor, sucesor, hasta, paso) AS (
        SELECT p.emisor, p.sucesor, p.activo_hasta, 0 FROM padron p WHERE p.emisor = p_emisor
        UNION ALL
        SELECT p.emisor, p.sucesor, p.activo_hasta, c.paso + 1
          FROM c JOIN padron p ON p.emisor = c.sucesor
         WHERE c.hasta < p_fecha AND c.paso < 64),
    adelante AS (SELECT coalesce((SELECT c.emisor FROM c ORDER BY c.paso DESC LIMIT 1),
                                 p_emisor) AS emisor),
    b(emisor, desde, paso) AS (
        SELECT p.emisor, p.activo_desde, 0 FROM padron p JOIN adelante a USING (emisor)
        UNION ALL
        SELECT p.emisor, p.activo_desde, b.paso + 1
          FROM b JOIN padron p ON p.sucesor = b.emisor AND p.relacion = 'renombrada'
         WHERE b.desde > p_fecha AND b.paso < 64)
    SELECT coalesce((SELECT b.emisor FROM b ORDER BY b.paso DESC LIMIT 1),
                    (SELECT a.emisor FROM adelante a))
$$;

-- The inverse: every emisor whose reports count for p_cuerpo on p_fecha
-- (itself, the predecessors closed by then, and the bodies it was renamed
-- into that were not active yet, transitively).
CREATE FUNCTION pmm_linaje(p_cuerpo text, p_fecha date) RETURNS text[]
LANGUAGE sql STABLE AS $$
    WITH RECURSIVE a(emisor, paso) AS (
        SELECT p_cuerpo, 0
        UNION ALL
        SELECT p.emisor, a.paso + 1 FROM a JOIN padron p ON p.sucesor = a.emisor
         WHERE p.activo_hasta < p_fecha AND a.paso < 64),
    d(emisor, paso) AS (
        SELECT a.emisor, 0 FROM a
        UNION ALL
        SELECT s.emisor, d.paso + 1
          FROM d JOIN padron p ON p.emisor = d.emisor AND p.relacion = 'renombrada'
          JOIN padron s ON s.emisor = p.sucesor
         WHERE s.activo_desde > p_fecha AND d.paso < 64)
    SELECT array_agg(DISTINCT d.emisor ORDER BY d.emisor) FROM d
$$;

-- ---- the call (convocatoria) ----------------------------------------------
-- One per year: the deadline, the grace period in days, the time zone the
-- deadline is read in (the unit's, when the call was opened: a delivery is
-- on time when its first delivery comes before the end of the day
-- limite + gracia there), and whether unreviewed or observed fichas count
-- in that year's totals (contar_revision; default: all count).
CREATE TABLE convocatorias (
    ejercicio        integer PRIMARY KEY CHECK (ejercicio >= 2018),
    limite           date NOT NULL,
    gracia           integer NOT NULL DEFAULT 0 CHECK (gracia BETWEEN 0 AND 365),
    zona             text NOT NULL,
    contar_revision  text NOT NULL DEFAULT 'todas'
                     CHECK (contar_revision IN ('todas', 'sin_observaciones', 'aprobadas')),
    abierta          timestamptz NOT NULL DEFAULT now(),
    abierta_por      text NOT NULL,
    cerrada          timestamptz,
    cerrada_por      text
);

-- Who is asked to report that year: a snapshot of the roster taken when the
-- call opens, editable while it is open (pmm convocatoria agregar|quitar).
CREATE TABLE convocados (
    ejercicio  integer NOT NULL REFERENCES convocatorias (ejercicio),
    emisor     text NOT NULL REFERENCES padron (emisor),
    PRIMARY KEY (ejercicio, emisor)
);

-- ---- deliveries -------------------------------------------------------------
-- A body says its report of a year is complete: an explicit act, separate
-- from sending fichas, written by ingestd (pmm entregar, locally or with a
-- remitente key over CURVE). Append-only. momento is when it was
-- delivered (an analyst may record a delivery made by other means with its
-- date), registrada when it was recorded; timeliness is judged by the
-- first delivery's momento, and a delivery is reopened by fichas stored
-- after its registrada (actividad.ultima).
CREATE TABLE entregas (
    id            bigserial PRIMARY KEY,
    ejercicio     integer NOT NULL REFERENCES convocatorias (ejercicio),
    emisor        text NOT NULL,     -- the body as named (or authenticated)
    momento       timestamptz NOT NULL,
    registrada    timestamptz NOT NULL DEFAULT now(),
    sin_acciones  boolean NOT NULL DEFAULT false,
    nota          text,
    fichas        integer NOT NULL CHECK (fichas >= 0),   -- in force then
    identidad     text NOT NULL,     -- 'local' or '<rol>|<emisor>|<clave id>'
    analista      text,              -- who recorded it, for local, analyst and admin
    CHECK (NOT sin_acciones OR (fichas = 0 AND nota ~ '\S'))
);
CREATE INDEX entregas_ejercicio ON entregas (ejercicio, emisor, id);

-- ---- the body's activity per year ------------------------------------------
-- Versions stored per (ejercicio, emisor) and when the latest was stored;
-- ingestd updates it in the transaction that stores the fichas
-- (ingestd/actividad.c), so "a delivery followed by new fichas" is one
-- probe per body, not a scan of its fichas.
CREATE TABLE actividad (
    ejercicio  integer NOT NULL,
    emisor     text NOT NULL,
    versiones  bigint NOT NULL,
    ultima     timestamptz NOT NULL,
    PRIMARY KEY (ejercicio, emisor)
);
INSERT INTO actividad (ejercicio, emisor, versiones, ultima)
SELECT ejercicio, emisor, count(*), max(recibida) FROM fichas GROUP BY ejercicio, emisor;

-- ---- the review of each ficha ----------------------------------------------
-- An analyst approves a version in force, or observes it with a comment.
-- Append-only: the latest row of a version is its review state; a new
-- version of the ficha (reemplaza) has none, so it is pending again.
CREATE TABLE revisiones (
    id         bigserial PRIMARY KEY,
    ficha_id   bigint NOT NULL REFERENCES fichas (id),
    emisor     text NOT NULL,
    ejercicio  integer NOT NULL,
    clave      text NOT NULL,
    estado     text NOT NULL CHECK (estado IN ('aprobada', 'con_observaciones')),
    nota       text,
    analista   text NOT NULL,
    momento    timestamptz NOT NULL DEFAULT now(),
    CHECK (estado = 'aprobada' OR nota ~ '\S')
);
CREATE INDEX revisiones_ficha ON revisiones (ficha_id, id DESC);
CREATE INDEX revisiones_cuerpo ON revisiones (ejercicio, emisor, id);

-- ---- what analysts and administrators do here, audited ---------------------
-- Roster and call changes, and every read of contact data (pmm pendientes
-- --con-contactos: one row per body whose contact was shown). Deliveries
-- and reviews carry who made them in their own rows.
CREATE TABLE seguimiento_bitacora (
    id         bigserial PRIMARY KEY,
    momento    timestamptz NOT NULL DEFAULT now(),
    identidad  text NOT NULL,
    accion     text NOT NULL
               CHECK (accion IN ('padron_alta', 'padron_baja', 'padron_renombrar',
                                 'padron_fusionar', 'padron_importar', 'convocatoria_abrir',
                                 'convocatoria_ajustar', 'convocatoria_cerrar',
                                 'convocatoria_agregar', 'convocatoria_quitar',
                                 'contactos_leidos')),
    ejercicio  integer,
    emisor     text,
    detalle    jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX seguimiento_bitacora_momento ON seguimiento_bitacora (momento);

CREATE FUNCTION pmm_solo_anexar() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'la tabla % solo admite filas nuevas', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation', TABLE = TG_TABLE_NAME;
END
$$;
CREATE TRIGGER entregas_solo_anexar BEFORE UPDATE OR DELETE ON entregas
    FOR EACH STATEMENT EXECUTE FUNCTION pmm_solo_anexar();
CREATE TRIGGER revisiones_solo_anexar BEFORE UPDATE OR DELETE ON revisiones
    FOR EACH STATEMENT EXECUTE FUNCTION pmm_solo_anexar();
CREATE TRIGGER seguimiento_bitacora_solo_anexar BEFORE UPDATE OR DELETE ON seguimiento_bitacora
    FOR EACH STATEMENT EXECUTE FUNCTION pmm_solo_anexar();

-- ---- status per (body, year) ----------------------------------------------
-- For the year's call: every body called, and every body with fichas or a
-- delivery that year (reports of a closed body count for its successor,
-- pmm_responsable on the deadline). A body is expected (esperado) when it
-- is in the call and active on the deadline: a body that closed or opened
-- during the year is expected once, as itself or as its successor, never
-- both, and reports of bodies not expected are shown apart; so the
-- reporting rate (delivered / expected) never exceeds 1.
--   estado: sin_iniciar (no fichas, no delivery), en_captura (fichas, not
--   delivered, or reopened: fichas stored after its latest delivery),
--   sin_acciones (delivered "nothing to report"), con_observaciones (delivered,
--   some version in force observed), aprobada (delivered, every version in
--   force approved), entregada_a_tiempo / entregada_tarde (by the first
--   delivery against the end of limite + gracia in the call's zone).
--   fichas: counted fichas (totales); versiones: versions stored.
-- jit = off (here and in pmm_cobertura): the planner's estimates for this
-- small query are high enough to trigger JIT compilation, which cost ~180 ms
-- per call against ~5 ms of execution (bench/bench_cobertura.c).
CREATE FUNCTION pmm_seguimiento(p_ejercicio integer)
RETURNS TABLE (ejercicio integer, emisor text, tipo text, nombre text, sector text,
               convocado boolean, esperado boolean, estado text, reabierta boolean,
               a_tiempo boolean, fichas bigint, versiones bigint,
               ultima_actividad timestamptz, primera_entrega timestamptz,
               ultima_entrega timestamptz, entregas bigint, aprobadas bigint,
               con_observaciones bigint)
LANGUAGE sql STABLE SET jit = off AS $$
WITH cv AS (
    SELECT c.limite, (c.limite + c.gracia + 1)::timestamp AT TIME ZONE c.zona AS vence
      FROM convocatorias c WHERE c.ejercicio = p_ejercicio),
em AS (
    SELECT e.emisor,
           CASE WHEN (p.activo_hasta < cv.limite AND p.sucesor IS NOT NULL)
                     OR p.activo_desde > cv.limite
                THEN pmm_responsable(e.emisor, cv.limite) ELSE e.emisor END AS cuerpo
      FROM (SELECT a.emisor FROM actividad a WHERE a.ejercicio = p_ejercicio
            UNION SELECT n.emisor FROM entregas n WHERE n.ejercicio = p_ejercicio
            UNION SELECT t.valor FROM totales t
                   WHERE t.filtro = '' AND t.dimension = 'emisor'
                     AND t.ejercicio = p_ejercicio AND t.fichas > 0) e
      CROSS JOIN cv
      LEFT JOIN padron p ON p.emisor = e.emisor),
lin AS (SELECT em.cuerpo, array_agg(em.emisor) AS emisores FROM em GROUP BY em.cuerpo),
act AS (
    SELECT em.cuerpo, sum(a.versiones) AS versiones, max(a.ultima) AS ultima
      FROM actividad a JOIN em ON em.emisor = a.emisor
     WHERE a.ejercicio = p_ejercicio GROUP BY em.cuerpo),
ent AS (
    SELECT em.cuerpo, count(*) AS n, min(n.momento) AS primera, max(n.momento) AS ultima,
           max(n.registrada) AS registrada,
           (array_agg(n.sin_acciones ORDER BY n.registrada DESC, n.id DESC))[1] AS sin_acciones
      FROM entregas n JOIN em ON em.emisor = n.emisor
     WHERE n.ejercicio = p_ejercicio GROUP BY em.cuerpo),
tot AS (
    SELECT em.cuerpo, sum(t.fichas)::bigint AS fichas
      FROM totales t JOIN em ON em.emisor = t.valor
     WHERE t.filtro = '' AND t.dimension = 'emisor' AND t.ejercicio = p_ejercicio
     GROUP BY em.cuerpo),
rev AS (
    SELECT em.cuerpo, count(*) FILTER (WHERE r.estado = 'aprobada') AS aprobadas,
           count(*) FILTER (WHERE r.estado = 'con_observaciones') AS observadas
      FROM (SELECT DISTINCT ON (r.ficha_id) r.ficha_id, r.emisor, r.clave, r.estado
              FROM revisiones r WHERE r.ejercicio = p_ejercicio
             ORDER BY r.ficha_id, r.id DESC) r
      JOIN em ON em.emisor = r.emisor
     WHERE r.ficha_id = (SELECT v.id FROM fichas_vigentes v
                          WHERE v.emisor = r.emisor AND v.ejercicio = p_ejercicio
                            AND v.clave = r.clave)
     GROUP BY em.cuerpo),
cuerpos AS (
    SELECT c.emisor FROM convocados c WHERE c.ejercicio = p_ejercicio
    UNION SELECT em.cuerpo FROM em),
x AS (
    SELECT k.emisor, p.tipo, p.nombre, p.sector, cd.emisor IS NOT NULL AS convocado,
           cd.emisor IS NOT NULL AND p.activo_desde <= cv.limite
             AND (p.activo_hasta IS NULL OR p.activo_hasta >= cv.limite) AS esperado,
           e.n IS NOT NULL AND a.ultima > e.registrada AS reabierta,
           e.primera < cv.vence AS a_tiempo, e.sin_acciones,
           coalesce(t.fichas, 0) AS fichas, coalesce(a.versiones, 0) AS versiones,
           a.ultima, e.primera, e.ultima AS ultima_entrega, coalesce(e.n, 0) AS n,
           coalesce(r.aprobadas, 0) AS aprobadas, coalesce(r.observadas, 0) AS observadas,
           l.emisores
      FROM cuerpos k CROSS JOIN cv
      LEFT JOIN padron p ON p.emisor = k.emisor
      LEFT JOIN convocados cd ON cd.ejercicio = p_ejercicio AND cd.emisor = k.emisor
      LEFT JOIN act a ON a.cuerpo = k.emisor
      LEFT JOIN ent e ON e.cuerpo = k.emisor
      LEFT JOIN tot t ON t.cuerpo = k.emisor
      LEFT JOIN rev r ON r.cuerpo = k.emisor
      LEFT JOIN lin l ON l.cuerpo = k.emisor)
SELECT p_ejercicio, x.emisor, x.tipo, x.nombre, x.sector, x.convocado, x.esperado,
       CASE WHEN x.n = 0 OR x.reabierta THEN
                 CASE WHEN x.versiones > 0 THEN 'en_captura' ELSE 'sin_iniciar' END
            WHEN x.sin_acciones THEN 'sin_acciones'
            WHEN x.observadas > 0 THEN 'con_observaciones'
            WHEN x.aprobadas > 0 AND x.aprobadas >=
                 (SELECT count(*) FROM fichas_vigentes v
                   WHERE v.emisor = ANY (x.emisores) AND v.ejercicio = p_ejercicio)
                 THEN 'aprobada'
            WHEN x.a_tiempo THEN 'entregada_a_tiempo'
            ELSE 'entregada_tarde' END,
       coalesce(x.reabierta, false), coalesce(x.a_tiempo, false), x.fichas, x.versiones,
       x.ultima, x.primera, x.ultima_entrega, x.n, x.aprobadas, x.observadas
  FROM x
$$;

-- The reporting rates' terms, by type and sector, defined once (pmm
-- cobertura and the Informe's annex read them): DHIS2's arithmetic over the
-- expected bodies. entregaron: expected bodies whose delivery stands
-- (sin_acciones included, also counted apart); a_tiempo + tarde =
-- entregaron (by the first delivery); faltan = esperados - entregaron.
-- nivel: 'total' (tipo and sector NULL), 'tipo' (sector NULL) or 'sector'
-- (sector '' when the body has none).
CREATE FUNCTION pmm_cobertura(p_ejercicio integer)
RETURNS TABLE (nivel text, tipo text, sector text, esperados bigint, entregaron bigint,
               a_tiempo bigint, tarde bigint, sin_acciones bigint, faltan bigint)
LANGUAGE sql STABLE SET jit = off AS $$
    SELECT CASE GROUPING(s.tipo, s.sector) WHEN 3 THEN 'total' WHEN 1 THEN 'tipo'
                ELSE 'sector' END,
           s.tipo, s.sector, count(*), count(*) FILTER (WHERE s.e),
           count(*) FILTER (WHERE s.e AND s.a_tiempo),
           count(*) FILTER (WHERE s.e AND NOT s.a_tiempo),
           count(*) FILTER (WHERE s.e AND s.estado = 'sin_acciones'),
           count(*) FILTER (WHERE NOT s.e)
      FROM (SELECT x.tipo, coalesce(x.sector, '') AS sector, x.estado, x.a_tiempo,
                   x.estado NOT IN ('sin_iniciar', 'en_captura') AS e
              FROM pmm_seguimiento(p_ejercicio) x WHERE x.esperado) s
     GROUP BY GROUPING SETS ((), (s.tipo), (s.tipo, s.sector))
$$;

-- Every year with a call, for reading by hand.
CREATE VIEW v_seguimiento AS
SELECT s.* FROM convocatorias c CROSS JOIN LATERAL pmm_seguimiento(c.ejercicio) s;

-- ---- what counts, with the review setting ---------------------------------
-- Whether the review setting of its year leaves version p_ficha_id out of
-- the totals: with contar_revision 'aprobadas' only approved versions
-- count, with 'sin_observaciones' observed ones do not; with 'todas' (the
-- default, and for years without a call) every version counts. A new
-- version is pending review again.
CREATE FUNCTION pmm_revision_excluye(p_ejercicio integer, p_ficha_id bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT coalesce((
        SELECT CASE c.contar_revision
                   WHEN 'aprobadas' THEN r.estado IS DISTINCT FROM 'aprobada'
                   WHEN 'sin_observaciones' THEN r.estado IS NOT DISTINCT FROM 'con_observaciones'
                   ELSE false END
          FROM convocatorias c
          LEFT JOIN LATERAL (SELECT x.estado FROM revisiones x WHERE x.ficha_id = p_ficha_id
                              ORDER BY x.id DESC LIMIT 1) r ON true
         WHERE c.ejercicio = p_ejercicio), false)
$$;

-- What a ficha counts as, whatever its review (014's v_contribuciones,
-- unchanged): `pmm revision --estado-revision` lists from it, so that a
-- ficha the review setting leaves out can still be found and reviewed.
CREATE VIEW v_contribuciones_todas AS
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

-- What counts: v_contribuciones_todas without the versions the review
-- setting of their year leaves out. The first test is one hashed look-up
-- per ficha (the years whose setting is not the default, read once per
-- query), so the default costs nothing more per ficha. Same columns as
-- before: aggregd and every grant carry on.
CREATE OR REPLACE VIEW v_contribuciones AS
SELECT v.* FROM v_contribuciones_todas v
 WHERE v.ejercicio NOT IN (SELECT x.ejercicio FROM convocatorias x
                            WHERE x.contar_revision <> 'todas')
    OR NOT pmm_revision_excluye(v.ejercicio, v.ficha_id);

-- Whether a ficha counts in no total now: it has no version in force, or
-- the review setting of its year leaves its version in force out. aggregd
-- drops the counted contribution of such a ficha (aggregd/totales.c); an
-- unclassified ficha is not one of them (its old contribution stays until
-- the classification arrives).
CREATE FUNCTION pmm_sin_contribucion(p_emisor text, p_ejercicio integer, p_clave text)
RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT pmm_revision_excluye(v.ejercicio, v.id) FROM fichas_vigentes v
                      WHERE v.emisor = p_emisor AND v.ejercicio = p_ejercicio
                        AND v.clave = p_clave), true)
$$;

-- ---- grants ---------------------------------------------------------------
-- ingestd: deliveries (pmm entregar) and the observations a body reads
-- (pmm observaciones), filtered by the authenticated emisor in ingestd;
-- the activity of each body, written with its fichas.
GRANT SELECT ON padron, convocatorias, convocados, revisiones, fichas_vigentes TO pmm_ingesta;
GRANT SELECT, INSERT ON entregas TO pmm_ingesta;
GRANT USAGE ON SEQUENCE entregas_id_seq TO pmm_ingesta;
GRANT SELECT, INSERT, UPDATE ON actividad TO pmm_ingesta;
-- aggregd: the review setting and the review states (v_contribuciones)
GRANT SELECT ON convocatorias, revisiones TO pmm_agregador;
-- queries and reports (never contact data)
GRANT SELECT ON padron, convocatorias, convocados, entregas, actividad, revisiones,
    seguimiento_bitacora, v_seguimiento, v_contribuciones_todas TO pmm_lectura;
-- administration: everything, contact data included
GRANT ALL ON ALL TABLES IN SCHEMA public TO pmm_admin;
GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO pmm_admin;
