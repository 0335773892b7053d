-- 008: aggregators serialise on lock stripes instead of one lock per ficha.
--
-- aggregd applies a few thousand fichas per transaction. One advisory lock
-- per ficha put that many entries in PostgreSQL's shared lock table, which
-- holds about max_locks_per_transaction x max_connections (6,400 by
-- default) for everyone: two aggregators with large batches could exhaust
-- it. A ficha now maps to one of 1,024 stripes, and a transaction locks
-- each of its stripes once, in stripe order (so two aggregators cannot
-- deadlock). Two instances still never apply the same ficha at once.
-- The two-key form (0x504d4d02, stripe) keeps these locks apart from the
-- one-key migration lock.
CREATE FUNCTION pmm_franja(p_emisor text, p_ejercicio integer, p_clave text)
RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (hashtextextended(p_emisor || '|' || p_ejercicio || '|' || p_clave, 0)
            & 1023)::integer
$$;

CREATE OR REPLACE FUNCTION pmm_aplicar(p_emisor text, p_ejercicio integer, p_clave text)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    nuevo agregados;
    viejo agregados;
BEGIN
    -- serialise work on one ficha across aggregators (aggregd's stripe)
    PERFORM pg_advisory_xact_lock(x'504d4d02'::integer,
                                  pmm_franja(p_emisor, p_ejercicio, p_clave));
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
