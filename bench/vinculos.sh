#!/usr/bin/env bash
# bench/vinculos.sh: measures the programme linker (pmm_proponer_vinculos,
# 016_fichas.sql) on a labelled set of programme pairs across years.
#
#   corpus  the labelled corpus (PMM_SHARED/corpus/programas_etiquetados.jsonl):
#           for every record, the candidates are the same body's records of
#           the previous corpus year; a pair is the same programme when the
#           names are equal (case and accents aside) or when it is listed in
#           bench/datos/vinculos_corpus.csv (pairs reviewed by hand among
#           those whose names merely look alike). Half of the records (by a
#           hash of their id) chose the weights and the threshold; the other
#           half is reported apart ("reservada").
#   muestra the stack's own fichas (e.g. the demo's sample, 2018-2022): the
#           proposals stored in vinculos_programa against the truth that
#           the sample generator knows, the same body and programme name.
#
# Needs a running stack (PMM_HOME) with the schema; reads with the owner's
# connection ([postgresql] conninfo). Prints the tables and one line
#   BENCH vinculos_precision=… vinculos_recall=… (held-out half, at 0.55)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED=${PMM_SHARED:-$repo/../shared}
CONF=${PMM_CONF:-${PMM_HOME:-$repo/.pmm}/pmm.conf}
conninfo=$(sed -n 's/^conninfo *= *//p' "$CONF" | head -n 1)
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
# COPY text format: backslashes doubled, one JSON object a line
sed 's/\\/\\\\/g' "$SHARED/corpus/programas_etiquetados.jsonl" >"$tmp"

echo "== corpus: $(wc -l <"$tmp") registros, $(($(wc -l <"$repo/bench/datos/vinculos_corpus.csv") - 1)) pares revisados a mano"
psql "$conninfo" -X -q -v ON_ERROR_STOP=1 \
    -c "CREATE TEMP TABLE raw (j text)" -c "\\copy raw from '$tmp'" \
    -c "CREATE TEMP TABLE etiquetas (posterior text, anterior text)" \
    -c "\\copy etiquetas from '$repo/bench/datos/vinculos_corpus.csv' with (format csv, header)" \
    -f "$repo/bench/vinculos.sql" | tee "$tmp.out"

echo "== muestra: propuestas guardadas en vinculos_programa"
psql "$conninfo" -X -q -v ON_ERROR_STOP=1 <<'SQL' | tee -a "$tmp.out"
WITH f AS (SELECT b.*, g.programa FROM busqueda b JOIN fichas g ON g.id = b.ficha_id),
verdad AS (SELECT a.emisor, a.ejercicio, a.clave FROM f a
            WHERE EXISTS (SELECT 1 FROM f b WHERE b.ejercicio = a.ejercicio - 1
                             AND b.emisor = a.emisor AND b.programa = a.programa)),
p AS (SELECT v.*, (fa.programa = fb.programa) AS bien
        FROM v_vinculos v
        JOIN f fa ON (fa.emisor, fa.ejercicio, fa.clave) = (v.emisor, v.ejercicio, v.clave)
        JOIN f fb ON (fb.emisor, fb.ejercicio, fb.clave)
                   = (v.anterior_emisor, v.anterior_ejercicio, v.anterior_clave)
       WHERE v.estado = 'propuesto' AND v.anterior_ejercicio = v.ejercicio - 1)
SELECT (SELECT count(*) FROM verdad) AS con_anterior, count(*) AS propuestas,
       count(*) FILTER (WHERE bien) AS acertadas,
       round(count(*) FILTER (WHERE bien)::numeric / nullif(count(*), 0), 3) AS precision,
       round(count(DISTINCT (p.emisor, p.ejercicio, p.clave)) FILTER (WHERE bien)::numeric
             / nullif((SELECT count(*) FROM verdad), 0), 3) AS recall
  FROM p;
SQL
awk -F'|' '{ gsub(/ /, "") } $1 == "0.55" && $2 == "reservada" {
    printf "BENCH vinculos_precision=%s vinculos_recall=%s\n", $6, $7 }' "$tmp.out" || true
rm -f "$tmp.out"
