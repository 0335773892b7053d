#!/usr/bin/env bash
# bench/importar.sh [--pila-existente] [OUT]
#
# The import benchmark (issue 17): `pmm importar` on 1,000 filled Word forms
# (sample fichas of 2018-2022, one per file), as a dry run and with --enviar
# to a running stack, in fichas (= docx) per second; and the peak RSS of
# `pmm importar` on a 100,000-row workbook (read as a stream and refused at
# row 10,001, the per-file limit) and on a 10,000-row one (accepted).
# Targets: >= 200 docx/s in the dry run; < 64 MiB for the 100,000 rows.
#
# Prints "BENCH k=v ..." lines (bench/run.sh collects them) and, run alone,
# a RESULT line. Alone it builds a Release tree in build-bench/ and starts
# a private stack there; with --pila-existente it uses $PMM_HOME and
# $PMM_BIN as bench/run.sh leaves them.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
existente=0
if [ "${1:-}" = --pila-existente ]; then existente=1; shift; fi
BUILD=${PMM_BENCH_BUILD:-$repo/build-bench}
OUT=${1:-$BUILD/bench-out}
N=${PMM_BENCH_IMPORTAR_N:-1000}
say() { echo "bench: $*" >&2; }
if [ $existente = 0 ]; then
    say "compilando (Release) en $BUILD"
    cmake -S "$repo" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$BUILD" -j"$(nproc)" --target ingestd clasificd aggregd pmm pmm-red \
        bench_importar >/dev/null
    export PMM_HOME=$BUILD/bench-home PMM_BIN=$BUILD/bin
    unset PMM_CONF
    trap '"$repo/deploy/stack.sh" stop >/dev/null 2>&1 || true' EXIT
    "$repo/deploy/stack.sh" start --limpio >/dev/null
fi
: "${PMM_BIN:?PMM_BIN no definido}"
export PMM_DATOS=${PMM_DATOS:-$repo/data} PMM_SIN_PROGRESO=1
mkdir -p "$OUT"
work=$(mktemp -d)
trap 'rm -rf "$work"; [ $existente = 1 ] || "$repo/deploy/stack.sh" stop >/dev/null 2>&1 || true' EXIT

say "importar: escribiendo $N formularios de Word y dos libros (10 000 y 100 000 filas)"
"$PMM_BIN/bench_importar" docx "$work/docx" "$N" "bench$$"
"$PMM_BIN/bench_importar" xlsx "$work/10k.xlsx" 10000
"$PMM_BIN/bench_importar" xlsx "$work/100k.xlsx" 100000

segundos() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", b - a}'; }
t0=$(date +%s.%N)
"$PMM_BIN/pmm" importar "$work/docx" >"$OUT/importar_simulacro.txt" 2>&1 ||
    { tail -3 "$OUT/importar_simulacro.txt" >&2; exit 1; }
t1=$(date +%s.%N)
"$PMM_BIN/pmm" importar --enviar "$work/docx" >"$OUT/importar_enviar.txt" 2>&1 ||
    { tail -3 "$OUT/importar_enviar.txt" >&2; exit 1; }
t2=$(date +%s.%N)
grep -q "^$N fichas: $N aceptadas" "$OUT/importar_enviar.txt" ||
    { echo "bench: importar --enviar: $(tail -1 "$OUT/importar_enviar.txt")" >&2; exit 1; }
dry=$(awk -v n="$N" -v s="$(segundos "$t0" "$t1")" 'BEGIN {printf "%.0f", n / s}')
send=$(awk -v n="$N" -v s="$(segundos "$t1" "$t2")" 'BEGIN {printf "%.0f", n / s}')

rss() {   # rss FILE EXPECTED_EXIT: peak RSS (MiB) of pmm-red importar FILE
    local r
    r=$("$PMM_BIN/bench_importar" rss "$PMM_BIN/pmm-red" importar "$1" 2>/dev/null | grep '^BENCH_RSS')
    [ "$(echo "$r" | cut -d' ' -f3)" = "$2" ] || { echo "bench: importar $1: salida $r" >&2; exit 1; }
    echo "$r" | cut -d' ' -f2
}
rss100k=$(rss "$work/100k.xlsx" 1)
rss10k=$(rss "$work/10k.xlsx" 0)
echo "importar: $N docx: simulacro $dry docx/s, --enviar $send docx/s; RSS máximo: 100 000 filas $rss100k MiB (rechazado al pasar de 10 000 fichas), 10 000 filas $rss10k MiB"
echo "BENCH import_dry_dps=$dry import_send_dps=$send import_rss_100k_mib=$rss100k import_rss_10k_mib=$rss10k"
if [ $existente = 0 ]; then
    ok() { awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN { if (op == ">=") print (v + 0 >= l + 0) ? "sí" : "NO"; else print (v + 0 <= l + 0) ? "sí" : "NO" }'; }
    echo "Objetivos: simulacro >= 200 docx/s: $(ok "$dry" ">=" 200); RSS 100 000 filas < 64 MiB: $(ok "$rss100k" "<=" 64)"
    echo "RESULT import_dry_dps=$dry import_send_dps=$send import_rss_100k_mib=$rss100k import_rss_10k_mib=$rss10k"
fi
