#!/usr/bin/env bash
# bench/restauracion.sh [M] -- how long backing up and restoring M fichas
# (default 1,000,000) takes on this machine (deploy/README.md, RTO).
#
# Starts a private stack under <build>/bench-restauracion-home (continuous
# archiving), loads M fichas with their classifications by COPY
# (bench_consultas cargar) and builds the totals (pmm agregar --ahora),
# takes a full backup (pmm respaldo crear), sends 10,000 more fichas through
# the daemons (WAL to replay), destroys the cluster (SIGKILL of PostgreSQL,
# then rm -rf of its data directory) and restores it with
# deploy/restaurar.sh --ultimo. Prints each step's time and, last,
#   RESULT key=value ...
# Environment: PMM_BIN (default <repo>/build/bin; needs bench_consultas),
# PMM_BENCH_HOME (the stack's home).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
M=${1:-1000000}
export PMM_BIN=${PMM_BIN:-$repo/build/bin}
export PMM_HOME=${PMM_BENCH_HOME:-$(dirname "$PMM_BIN")/bench-restauracion-home}
PMM=$PMM_BIN/pmm
say() { echo "bench: $*" >&2; }
reloj() { date +%s.%N; }
dur() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", b - a}'; }
[ -x "$PMM_BIN/bench_consultas" ] || { echo "falta $PMM_BIN/bench_consultas (compile)" >&2; exit 1; }

"$repo/deploy/stack.sh" start --limpio >/dev/null
trap '"$repo/deploy/stack.sh" stop >/dev/null 2>&1' EXIT
CONF=$PMM_HOME/pmm.conf
declare -A R

say "carga de $M fichas por COPY y recálculo de los totales"
t0=$(reloj)
"$PMM_BIN/bench_consultas" cargar --config "$CONF" --n "$M" | grep -v '^BENCH'
"$PMM" agregar --ahora >/dev/null
R[load_s]=$(dur "$t0" "$(reloj)")

sock=$(sed -n 's/^conninfo = host=\([^ ]*\) dbname=pmm user=pmm$/\1/p' "$CONF" | head -n 1)
psql_q() { psql -h "$sock" -U pmm -d pmm -Atqc "$1"; }
R[db_mb]=$(psql_q "SELECT pg_database_size('pmm') / 1048576")

say "respaldo completo"
t0=$(reloj)
"$PMM" respaldo crear
R[backup_s]=$(dur "$t0" "$(reloj)")
R[repo_mb]=$(du -sm "$(sed -n 's/^repositorio = //p' "$CONF")" | cut -f1)

say "10,000 fichas más por los servicios (WAL que la restauración reproduce)"
"$PMM" muestra --n 10000 --semilla 99 >"$PMM_HOME/mas.jsonl"
"$PMM" enviar "$PMM_HOME/mas.jsonl" | tail -n 1
sleep 2
antes=$(psql_q "SELECT count(*) FROM fichas")
# the WAL of those archived now (the benchmark measures replaying it; the
# drill in tests/respaldo measures what an unarchived tail loses)
brconf=$(sed -n 's/^configuracion = //p' "$CONF")
(cd / && if [ "$(id -u)" = 0 ]; then runuser -u postgres -- pgbackrest --config="$brconf" --stanza=pmm check
       else pgbackrest --config="$brconf" --stanza=pmm check; fi)

say "destrucción: SIGKILL de PostgreSQL y borrado de su directorio de datos"
pgdata=$(readlink -m "$PMM_HOME/pg")
pid=$(head -n 1 "$pgdata/postmaster.pid")
kill -KILL "$pid" $(pgrep -P "$pid") 2>/dev/null || true
rm -rf "$pgdata"

t0=$(reloj)
"$repo/deploy/restaurar.sh" --ultimo 2>&1 | tee "$PMM_HOME/restaurar.log"
R[restore_s]=$(dur "$t0" "$(reloj)")
R[copy_s]=$(sed -n 's/.*respaldo copiado en \([0-9.]*\) s.*/\1/p' "$PMM_HOME/restaurar.log")
R[replay_s]=$(sed -n 's/.*recuperado y promovido en \([0-9.]*\) s.*/\1/p' "$PMM_HOME/restaurar.log")
despues=$(psql_q "SELECT count(*) FROM fichas")
R[fichas]=$despues
R[fichas_lost]=$((antes - despues))
echo "RESULT m=$M $(for k in load_s db_mb backup_s repo_mb restore_s copy_s replay_s fichas fichas_lost; do printf '%s=%s ' "$k" "${R[$k]}"; done)"
