#!/usr/bin/env bash
# bench/duplicados.sh: the duplicate detector on planted duplicates.
# Generates the corpus fichas with planted duplicates (bench_duplicados
# generar: years 2023-2027), measures MinHash on them offline
# (bench_duplicados minhash), then sends them to the running stack
# (PMM_HOME) and compares what the real detector (pg_trgm in pmm_indexar,
# 016_fichas.sql) proposed with the truth: per kind of duplicate, and the
# pairs it proposed that were not planted. Prints the tables and
#   BENCH dup_precision=… dup_recall=…
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${PMM_BIN:-$repo/build/bin}
SHARED=${PMM_SHARED:-$repo/../shared}
CONF=${PMM_CONF:-${PMM_HOME:-$repo/.pmm}/pmm.conf}
export PMM_CONF=$CONF
conninfo=$(sed -n 's/^conninfo *= *//p' "$CONF" | head -n 1)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

"$BIN/bench_duplicados" generar --corpus "$SHARED/corpus/programas_etiquetados.jsonl" \
    --datos "$repo/data" -o "$dir/fichas.jsonl" --verdad "$dir/verdad.csv"
echo "== MinHash (128 funciones, 32 bandas de 4), fuera de línea"
"$BIN/bench_duplicados" minhash --fichas "$dir/fichas.jsonl" --verdad "$dir/verdad.csv"

echo "== pg_trgm en la cadena (pmm_indexar)"
PMM_SIN_PROGRESO=1 "$BIN/pmm" enviar "$dir/fichas.jsonl" | tail -n 1
for _ in $(seq 1 600); do
    "$BIN/pmm" estado --formato json 2>/dev/null |
        grep -q '"pendientes":{"clasificar":0,"agregar":0},"indice":{"pendientes":0}' && break
    sleep 0.2
done
psql "$conninfo" -X -q -v ON_ERROR_STOP=1 \
    -c "CREATE TEMP TABLE verdad (clave_a text, clave_b text, tipo text)" \
    -c "\\copy verdad from '$dir/verdad.csv' with (format csv, header)" \
    -c "CREATE TEMP TABLE p AS SELECT d.*, v.tipo AS plantado FROM duplicados d
          LEFT JOIN verdad v ON (least(v.clave_a, v.clave_b), greatest(v.clave_a, v.clave_b))
                              = (least(d.clave_a, d.clave_b), greatest(d.clave_a, d.clave_b))
         WHERE d.ejercicio BETWEEN 2023 AND 2027 AND d.clave_a LIKE 'dup-%'" \
    -c "SELECT v.tipo, count(*) AS plantados, count(p.id) AS hallados,
               round(avg(p.similitud)::numeric, 2) AS similitud_media
          FROM verdad v LEFT JOIN p ON p.plantado IS NOT NULL
           AND (least(p.clave_a, p.clave_b), greatest(p.clave_a, p.clave_b))
             = (least(v.clave_a, v.clave_b), greatest(v.clave_a, v.clave_b))
         GROUP BY ROLLUP (v.tipo) ORDER BY v.tipo" \
    -c "SELECT count(*) AS propuestos, count(plantado) AS acertados,
               round(count(plantado)::numeric / nullif(count(*), 0), 3) AS precision,
               round(count(plantado)::numeric / (SELECT count(*) FROM verdad), 3) AS recall
          FROM p" \
    -c "SELECT tipo, round(similitud::numeric, 2) AS sim, clave_a, clave_b FROM p
         WHERE plantado IS NULL ORDER BY similitud DESC LIMIT 10" | tee "$dir/out.txt"
awk -F'|' '/^ *[0-9]+ *\| *[0-9]+ *\| *[0-9.]+ *\| *[0-9.]+ *$/ { gsub(/ /, "");
    printf "BENCH dup_precision=%s dup_recall=%s\n", $3, $4 }' "$dir/out.txt"
