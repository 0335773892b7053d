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

-- The one-ficha SQL path (pmm_aplicar, pmm_sumar) took the old per-ficha
-- lock and nothing calls it any more: aggregd applies batches
-- (aggregd/totales.c). Dropped rather than kept in step with the stripes.
DROP FUNCTION pmm_aplicar(text, integer, text);
DROP FUNCTION pmm_sumar(agregados, integer);
