-- 011: a key's validity is checked on every batch, not only at the
-- handshake (issue 24). A connection opened before a revocation or an
-- expiry used to keep writing for as long as it stayed open.
--
--   vence       optional expiry (pmm claves emitir --vence): from then on
--               the key is refused like a revoked one
--   ultimo_uso  when the key last sent something a daemon handled
--               (updated at most once a minute per key, after COMMIT)
ALTER TABLE claves ADD COLUMN vence timestamptz,
                   ADD COLUMN ultimo_uso timestamptz;

-- Why each of the given keys may not act now (revoked or expired); keys
-- that may act are absent. Daemons call it inside the transaction that
-- stores their work, so a revocation committed before that transaction's
-- snapshot stops the work.
CREATE FUNCTION pmm_claves_no_vigentes(ids bigint[])
RETURNS TABLE (id bigint, motivo text) LANGUAGE sql STABLE AS $$
    SELECT c.id,
           CASE WHEN c.revocada IS NOT NULL THEN 'clave_revocada'
                ELSE 'clave_vencida' END
      FROM claves c
     WHERE c.id = ANY (ids)
       AND (c.revocada IS NOT NULL OR (c.vence IS NOT NULL AND c.vence <= now()))
$$;

GRANT EXECUTE ON FUNCTION pmm_claves_no_vigentes(bigint[]) TO pmm_ingesta, pmm_agregador,
    pmm_clasificador, pmm_admin;
GRANT SELECT ON claves TO pmm_clasificador;
GRANT UPDATE (ultimo_uso) ON claves TO pmm_ingesta, pmm_agregador;
