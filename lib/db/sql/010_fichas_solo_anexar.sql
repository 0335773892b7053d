-- 010: fichas are append-only, so the hot tables that point at them need
-- no foreign keys.
--
-- A foreign-key check is not a lookup only: it locks the referenced ficha
-- row (FOR KEY SHARE), which writes the row's header and a WAL record.
-- Three tables paid for that on every ficha stored or classified:
-- contactos and cola_clasificar (written with the ficha, in the same
-- transaction, with the id just taken for it) and clasificaciones (written
-- for fichas claimed from the queue or read from fichas). In a pipeline
-- run those checks were about a third of ingestd's PostgreSQL time.
--
-- What the keys guarded against is now ruled out another way: no ficha is
-- ever updated or deleted (no service role has the right, and the trigger
-- below refuses it to everyone else), and every writer of these tables
-- takes its ficha ids from fichas itself. Analyst decisions keep their
-- key: an analyst types the ficha id, and those inserts are rare.
ALTER TABLE contactos DROP CONSTRAINT contactos_ficha_id_fkey;
ALTER TABLE cola_clasificar DROP CONSTRAINT cola_clasificar_ficha_id_fkey;
ALTER TABLE clasificaciones DROP CONSTRAINT clasificaciones_ficha_id_fkey;

CREATE FUNCTION pmm_fichas_inmutables() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'las fichas no se modifican ni se borran: una corrección es una versión nueva'
        USING ERRCODE = 'restrict_violation', TABLE = 'fichas';
END
$$;

-- Statement-level: costs nothing on INSERT. TRUNCATE stays possible for
-- the schema owner (the benchmarks empty the tables between runs).
CREATE TRIGGER fichas_inmutables BEFORE UPDATE OR DELETE ON fichas
    FOR EACH STATEMENT EXECUTE FUNCTION pmm_fichas_inmutables();
