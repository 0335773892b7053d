#!/usr/bin/env bash
# bench/run.sh [--quick]
#
# Builds (Release, into build-bench/), starts a private stack under
# build-bench/bench-home (deploy/stack.sh start --limpio), runs every
# benchmark, stops the stack and ends with one line
#   RESULT key=value ...
#
#   ingest     bench_ingesta: the same N fichas by COPY, by one INSERT each
#              in autocommit, and through the whole pipeline (ZeroMQ ->
#              ingestd -> clasificd -> aggregd -> `pmm totales`); the cost
#              per batch of re-checking the senders' keys (key_check_us, and
#              key_check_pct against a 512-ficha batch at the run's rate)
#   queries    bench_consultas: M fichas over 10 years loaded by COPY, the
#              full recompute (`pmm agregar --ahora`), then per `pmm totales`
#              grouping the query, the whole command and GROUP BY over fichas
#   classifier bench_clasificar (MB/s of text per core on the labelled
#              corpus) and `pmm reclasificar` of every year of the M fichas
#   memory     peak RSS (VmHWM) of ingestd, clasificd and aggregd during the
#              ingest and during the recompute
#   import     bench/importar.sh: pmm importar on 1,000 Word forms (dry run
#              and --enviar, docx/s) and its peak RSS on a 100,000-row and
#              a 10,000-row workbook
#
# Full run: N = 100,000, M = 1,000,000 (about 15-30 min on 2 cores).
# --quick: N = M = 10,000 (under two minutes).
# Environment: PMM_BENCH_BUILD (build directory, default <repo>/build-bench),
# PMM_BENCH_NICE (as root, the niceness of the stack and the benchmarks,
# default -5 so that other work on the machine disturbs the timings less;
# 0 leaves it alone), PMM_SHARED (corpus, default <repo>/../shared).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
quick=0
case "${1:-}" in
--quick) quick=1 ;;
"") ;;
*) echo "uso: bench/run.sh [--quick]" >&2; exit 2 ;;
esac
if [ $quick = 1 ]; then
    N=10000; M=10000; ITER=300; ITER_CMD=30; ITER_GB=2; CLAS_S=2
else
    N=100000; M=1000000; ITER=1000; ITER_CMD=100; ITER_GB=3; CLAS_S=5
fi

t_start=$(date +%s.%N)
BUILD=${PMM_BENCH_BUILD:-$repo/build-bench}
SHARED=${PMM_SHARED:-$repo/../shared}
CORPUS=$SHARED/corpus/programas_etiquetados.jsonl
NICE=${PMM_BENCH_NICE:--5}
if [ "$(id -u)" = 0 ] && [ "$NICE" != 0 ]; then
    renice -n "$NICE" -p $$ >/dev/null
fi

say() { echo "bench: $*" >&2; }

say "compilando (Release) en $BUILD"
cmake -S "$repo" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD" -j"$(nproc)" --target ingestd clasificd aggregd pmm pmm-red \
    bench_clasificar bench_ingesta bench_consultas bench_importar >/dev/null

export PMM_HOME=$BUILD/bench-home
export PMM_BIN=$BUILD/bin
unset PMM_CONF
CONF=$PMM_HOME/pmm.conf
PMM=$PMM_BIN/pmm
OUT=$BUILD/bench-out
mkdir -p "$OUT"

stop_stack() { "$repo/deploy/stack.sh" stop >/dev/null 2>&1 || true; }
trap stop_stack EXIT

say "arrancando la pila en $PMM_HOME"
"$repo/deploy/stack.sh" start --limpio 2>"$OUT/stack.log" || { cat "$OUT/stack.log" >&2; exit 1; }

declare -A R   # results

# Copies "BENCH k=v ..." lines of a benchmark's output into R.
collect() {
    local line kv
    while read -r line; do
        for kv in ${line#BENCH }; do R[${kv%%=*}]=${kv#*=}; done
    done < <(grep '^BENCH ' "$1" || true)
}

daemon_pids() { pgrep -f "$PMM_BIN/$1 --config $CONF" || true; }

# Peak RSS: reset each daemon's VmHWM, later read it (MiB).
rss_reset() {
    local d p
    for d in ingestd clasificd aggregd; do
        for p in $(daemon_pids $d); do echo 5 >"/proc/$p/clear_refs" 2>/dev/null || true; done
    done
}
rss_read() {   # rss_read PHASE
    local d p kb max
    for d in ingestd clasificd aggregd; do
        max=0
        for p in $(daemon_pids $d); do
            kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
            [ "${kb:-0}" -gt "$max" ] && max=$kb
        done
        R[rss_${1}_$d]=$(awk -v k="$max" 'BEGIN {printf "%.1f", k / 1024}')
    done
}

# ---- classifier throughput -------------------------------------------------
say "clasificador: MB/s por núcleo"
"$PMM_BIN/bench_clasificar" "$CORPUS" "$repo/data" "$CLAS_S" | tee "$OUT/clasificar.txt"
R[classify_mbps]=$(sed -n 's/^rendimiento medio: \([0-9.]*\) MB.*/\1/p' "$OUT/clasificar.txt")
R[classify_best_mbps]=$(sed -n 's/^rendimiento: \([0-9.]*\) MB.*/\1/p' "$OUT/clasificar.txt")

# ---- ingest -----------------------------------------------------------------
say "ingesta: $N fichas por copy, naive y pipeline"
rss_reset
"$PMM_BIN/bench_ingesta" --config "$CONF" --n "$N" --pmm "$PMM" | tee "$OUT/ingesta.txt"
rss_read ingest
collect "$OUT/ingesta.txt"

# ---- import of Word forms and workbooks (issue 17) ---------------------------
say "importar: 1 000 formularios de Word, simulacro y --enviar; RSS con libros grandes"
"$repo/bench/importar.sh" --pila-existente "$OUT" | tee "$OUT/importar.txt"
collect "$OUT/importar.txt"

# ---- queries at scale -------------------------------------------------------
say "consultas: carga de $M fichas"
"$PMM_BIN/bench_consultas" cargar --config "$CONF" --n "$M" | tee "$OUT/cargar.txt"
collect "$OUT/cargar.txt"
say "recálculo completo (pmm agregar --ahora)"
rss_reset
t0=$(date +%s.%N)
"$PMM" agregar --ahora | tee "$OUT/recalculo.txt"
t1=$(date +%s.%N)
rss_read recompute
R[recompute_s]=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}')
"$PMM_BIN/bench_consultas" medir --config "$CONF" --pmm "$PMM" --iter "$ITER" \
    --iter-cmd "$ITER_CMD" --iter-groupby "$ITER_GB" | tee "$OUT/consultas.txt"
collect "$OUT/consultas.txt"

# ---- reclassification of every year (two processes: two cores) --------------
say "reclasificación de las $M fichas (pmm reclasificar por año, sin --aplicar)"
t0=$(date +%s.%N)
printf '%s\n' 2018 2019 2020 2021 2022 2023 2024 2025 2026 2027 |
    xargs -P 2 -I{} sh -c '"$0" reclasificar --ejercicio {} > "$1/reclasificar_{}.txt"' "$PMM" "$OUT"
t1=$(date +%s.%N)
R[reclassify_s]=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}')
R[reclassify_fps]=$(awk -v a="$t0" -v b="$t1" -v m="$M" 'BEGIN {printf "%.0f", m / (b - a)}')
head -n 1 "$OUT"/reclasificar_*.txt | grep -v '^$' | grep -v '^==' || true

stop_stack
trap - EXIT

# ---- summary ----------------------------------------------------------------
rss_max=0
for k in "${!R[@]}"; do
    case $k in rss_*) rss_max=$(awk -v a="$rss_max" -v b="${R[$k]}" 'BEGIN {print (b > a ? b : a)}') ;; esac
done
R[rss_max_mib]=$rss_max
R[n_ingest]=$N
R[n_queries]=$M
R[total_s]=$(awk -v a="$t_start" -v b="$(date +%s.%N)" 'BEGIN {printf "%.0f", b - a}')

check() {   # check LABEL VALUE OP LIMIT
    local ok
    ok=$(awk -v v="${2:-0}" -v l="$4" -v op="$3" 'BEGIN {
        if (op == ">=") print (v + 0 >= l + 0) ? "sí" : "NO"; else print (v + 0 <= l + 0) ? "sí" : "NO" }')
    printf '  %-44s %12s %s %-8s %s\n' "$1" "${2:-?}" "$3" "$4" "$ok"
}
echo
echo "Resumen (N = $N fichas de ingesta, M = $M fichas de consulta; $(nproc) núcleos)"
printf '  ingesta: copy %s, naive %s, pipeline %s fichas/s (recibos: %s fichas/s)\n' \
    "${R[copy_fps]:-?}" "${R[naive_fps]:-?}" "${R[pipeline_fps]:-?}" "${R[ingest_fps]:-?}"
printf '  recálculo completo de %s fichas: %s s; reclasificación: %s s (%s fichas/s)\n' \
    "$M" "${R[recompute_s]}" "${R[reclassify_s]}" "${R[reclassify_fps]}"
printf '  RSS máximo (MiB): ingesta ingestd %s clasificd %s aggregd %s; recálculo ingestd %s clasificd %s aggregd %s\n' \
    "${R[rss_ingest_ingestd]}" "${R[rss_ingest_clasificd]}" "${R[rss_ingest_aggregd]}" \
    "${R[rss_recompute_ingestd]}" "${R[rss_recompute_clasificd]}" "${R[rss_recompute_aggregd]}"
echo "Objetivos:"
check "pipeline / copy" "${R[ratio_copy]:-}" ">=" 0.5
check "pipeline / naive" "${R[ratio_naive]:-}" ">=" 3
check "consulta p99 (ms)" "${R[query_p99_ms]:-}" "<=" 2
check "comando p99 (ms)" "${R[command_p99_ms]:-}" "<=" 20
check "GROUP BY / consulta p99" "${R[ratio_groupby]:-}" ">=" 100
check "clasificador MB/s por núcleo" "${R[classify_mbps]:-}" ">=" 20
check "RSS máximo por demonio (MiB)" "${R[rss_max_mib]}" "<=" 64
check "importar: simulacro (docx/s)" "${R[import_dry_dps]:-}" ">=" 200
check "importar: RSS con 100 000 filas (MiB)" "${R[import_rss_100k_mib]:-}" "<=" 64
[ "${R[totales_iguales]:-}" = si ] || echo "  ATENCIÓN: totales y GROUP BY no coinciden"

line="RESULT"
for k in pipeline_fps copy_fps naive_fps ratio_copy ratio_naive ingest_fps key_check_us \
         key_check_pct query_p50_ms \
         query_p99_ms command_p50_ms command_p99_ms groupby_ms ratio_groupby classify_mbps \
         recompute_s reclassify_s reclassify_fps rss_max_mib rss_ingest_ingestd \
         rss_ingest_clasificd rss_ingest_aggregd rss_recompute_aggregd import_dry_dps \
         import_send_dps import_rss_100k_mib import_rss_10k_mib n_ingest n_queries \
         total_s; do
    line+=" $k=${R[$k]:-NA}"
done
echo "$line"
