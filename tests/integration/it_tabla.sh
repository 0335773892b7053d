#!/usr/bin/env bash
# Reproduces the published table: the sample fichas, whose per-year and
# per-objective counts equal ../shared/reference/tabla_pmm.csv, go through
# the whole pipeline (ingestd -> clasificd -> aggregd), and
# `pmm totales --por objetivo --formato csv` must give every cell back.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
stack_propia "$(dirname "$PMM_BIN")/it-tabla"

tabla=$PMM_SHARED/reference/tabla_pmm.csv
[ -f "$tabla" ] || tabla=$PMM_SRC/data/tabla_pmm.csv
muestra=$PMM_HOME/muestra.jsonl
pmm muestra --ejercicio 2018-2022 --tabla >"$muestra"
total=$(wc -l <"$muestra")
[ "$total" -eq 1065 ] || fail "la muestra tiene $total fichas, se esperaban 1065"
PMM_SIN_PROGRESO=1 pmm enviar --json "$muestra" >"$PMM_HOME/recibos.jsonl"
[ "$(grep -c '"estado":"aceptada"' "$PMM_HOME/recibos.jsonl")" -eq 1065 ] ||
    fail "no se aceptaron las 1065 fichas"
esperar_cadena 1065

errores=0
for year in 2018 2019 2020 2021 2022; do
    # published cells o1..o23 of that year
    esperado=$(awk -F, -v y="$year" 'NR > 1 && $1 == y { for (i = 2; i <= 24; i++) print i - 1 "," $i }' "$tabla")
    obtenido=$(pmm totales --ejercicio "$year" --por objetivo --formato csv |
               awk -F, 'NR > 1 && $1 ~ /^[0-9]+$/ { print $1 "," $NF }')
    if [ "$esperado" != "$obtenido" ]; then
        echo "ejercicio $year difiere (objetivo,publicado vs objetivo,obtenido):" >&2
        diff <(echo "$esperado") <(echo "$obtenido") >&2 || true
        errores=$((errores + 1))
    else
        echo "ejercicio $year: 23 celdas iguales a la tabla publicada"
    fi
done
[ "$errores" -eq 0 ] || fail "$errores ejercicios no coinciden con la tabla publicada"
