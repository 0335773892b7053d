-- 009: drop an index no query uses. `pmm revision` orders the counted
-- fichas by (analyst decision, confidence, id) over a join with
-- `agregados`, which an index on confidence alone cannot serve, and
-- nothing else reads by confidence. Every classification paid for it:
-- one more B-tree insertion per ficha classified or reclassified.
DROP INDEX clasificaciones_confianza;
