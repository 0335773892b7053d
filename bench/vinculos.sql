-- bench/vinculos.sql: precision and recall of the programme linker on the
-- labelled corpus pairs (run by bench/vinculos.sh, which first loads the
-- corpus into the temporary table raw and the labels into etiquetas). The
-- linker's rule is the database's own (pmm_proponer_vinculos): for each
-- record, among the same body's records of the previous corpus year whose
-- names are related (trigram similarity >= 0.3) or whose descriptions are
-- the same up to their figures, the 10 nearest names are scored with
-- pmm_puntaje_programa and the best is proposed when it reaches the
-- threshold. A record's
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
CREATE TEMP TABLE candidatos AS
SELECT a.id AS posterior, b.id AS anterior, similarity(a.nombre, b.nombre) AS sn
  FROM cp a JOIN anios ON anios.y = a.y JOIN cp b ON b.y = anios.py AND b.act = a.act
 WHERE similarity(a.nombre, b.nombre) >= 0.3 OR pmm_clave_texto(a.texto) = pmm_clave_texto(b.texto);
CREATE TEMP TABLE pares AS
SELECT a.id AS posterior, b.id AS anterior,
       -- held out: half of the records, by a hash of their id
       abs(hashtext(a.id)) % 2 = 1 AS reservado,
       (a.nombre = b.nombre
        OR EXISTS (SELECT 1 FROM etiquetas e WHERE e.posterior = a.id AND e.anterior = b.id))
           AS mismo,
       pmm_puntaje_programa(similarity(a.nombre, b.nombre), pmm_solape(a.nombre, b.nombre),
                            similarity(a.texto, b.texto)) AS puntaje
  FROM (SELECT *, row_number() OVER (PARTITION BY posterior ORDER BY sn DESC, anterior) AS k
          FROM candidatos) c
  JOIN cp a ON a.id = c.posterior JOIN cp b ON b.id = c.anterior
 WHERE c.k <= 10;
-- records whose programme continues one of the previous year (labelled),
-- found among the candidates or not
CREATE TEMP TABLE con_anterior AS
SELECT DISTINCT a.id AS posterior, abs(hashtext(a.id)) % 2 = 1 AS reservado
  FROM cp a JOIN anios ON anios.y = a.y JOIN cp b ON b.y = anios.py AND b.act = a.act
 WHERE a.nombre = b.nombre
    OR EXISTS (SELECT 1 FROM etiquetas e WHERE e.posterior = a.id AND e.anterior = b.id);
CREATE TEMP TABLE mejor AS
SELECT DISTINCT ON (posterior) posterior, reservado, anterior, mismo, puntaje
  FROM pares ORDER BY posterior, puntaje DESC, anterior;
\echo 'umbral parte registros_con_anterior propuestas acertadas precision recall'
SELECT u AS umbral, CASE WHEN r THEN 'reservada' ELSE 'ajuste' END AS parte,
       (SELECT count(*) FROM con_anterior c WHERE c.reservado = r) AS con_anterior,
       count(*) FILTER (WHERE puntaje >= u) AS propuestas,
       count(*) FILTER (WHERE puntaje >= u AND mismo) AS acertadas,
       round((count(*) FILTER (WHERE puntaje >= u AND mismo))::numeric
             / nullif(count(*) FILTER (WHERE puntaje >= u), 0), 3) AS precision,
       round((count(*) FILTER (WHERE puntaje >= u AND mismo))::numeric
             / nullif((SELECT count(*) FROM con_anterior c WHERE c.reservado = r), 0), 3)
           AS recall
  FROM mejor, unnest(ARRAY[0.45, 0.5, 0.55, 0.6, 0.65]::real[]) u,
       unnest(ARRAY[false, true]) r
 WHERE reservado = r
 GROUP BY u, r ORDER BY r, u;
