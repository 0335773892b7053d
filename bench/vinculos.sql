-- bench/vinculos.sql: precision and recall of the programme linker on the
-- labelled corpus pairs (run by bench/vinculos.sh, which first loads the
-- corpus into the temporary table raw and the labels into etiquetas). The linker's rule is the database's own: for each record,
-- the candidate of the same body in the previous corpus year with the
-- highest pmm_puntaje_programa(similarity of folded names, of folded
-- descriptions), proposed when it reaches the threshold. A record's
-- proposal is right when the pair is labelled the same programme: the
-- same name (case and accents aside), or listed in etiquetas (reviewed
-- by hand: renamed or reworded programmes).
CREATE TEMP TABLE cp AS
SELECT j::jsonb->>'id' AS id, (j::jsonb->>'year')::int AS y, j::jsonb->'actores'->>0 AS act,
       j::jsonb->>'programa' AS prog, pmm_plegar(j::jsonb->>'programa') AS nombre,
       pmm_plegar(left(j::jsonb->>'texto', 600)) AS texto
  FROM raw WHERE j::jsonb->>'programa' IS NOT NULL;
CREATE TEMP TABLE anios AS
SELECT y, lag(y) OVER (ORDER BY y) AS py FROM (SELECT DISTINCT y FROM cp) x;
CREATE TEMP TABLE pares AS
SELECT a.id AS posterior, b.id AS anterior,
       -- held out: half of the records, by a hash of their id
       abs(hashtext(a.id)) % 2 = 1 AS reservado,
       (a.nombre = b.nombre
        OR EXISTS (SELECT 1 FROM etiquetas e WHERE e.posterior = a.id AND e.anterior = b.id))
           AS mismo,
       pmm_puntaje_programa(similarity(a.nombre, b.nombre), pmm_solape(a.nombre, b.nombre),
                            similarity(a.texto, b.texto)) AS puntaje
  FROM cp a JOIN anios ON anios.y = a.y JOIN cp b ON b.y = anios.py AND b.act = a.act;
CREATE TEMP TABLE mejor AS
SELECT DISTINCT ON (posterior) posterior, reservado, anterior, mismo, puntaje,
       bool_or(mismo) OVER (PARTITION BY posterior) AS tiene
  FROM pares ORDER BY posterior, puntaje DESC, anterior;
\echo 'umbral parte registros_con_anterior propuestas acertadas precision recall'
SELECT u AS umbral, CASE WHEN r THEN 'reservada' ELSE 'ajuste' END AS parte,
       count(*) FILTER (WHERE tiene) AS con_anterior,
       count(*) FILTER (WHERE puntaje >= u) AS propuestas,
       count(*) FILTER (WHERE puntaje >= u AND mismo) AS acertadas,
       round((count(*) FILTER (WHERE puntaje >= u AND mismo))::numeric
             / nullif(count(*) FILTER (WHERE puntaje >= u), 0), 3) AS precision,
       round((count(*) FILTER (WHERE puntaje >= u AND mismo))::numeric
             / nullif(count(*) FILTER (WHERE tiene), 0), 3) AS recall
  FROM mejor, unnest(ARRAY[0.45, 0.5, 0.55, 0.6, 0.65]::real[]) u,
       unnest(ARRAY[false, true]) r
 WHERE reservado = r
 GROUP BY u, r ORDER BY r, u;
