-- 006: the index `pmm totales` (cli/consulta.c) reads by. The primary key
-- leads with the year, so reading one (filtro, dimension) over a range of
-- years visited every cell of those years; this index visits only the cells
-- the query returns. It holds key columns only, so the counters' updates
-- stay HOT.
CREATE INDEX totales_consulta ON totales (filtro, dimension, ejercicio);
