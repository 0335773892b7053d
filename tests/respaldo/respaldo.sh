#!/usr/bin/env bash
# tests/respaldo/respaldo.sh PRUEBA -- one backup / restore / full-disk test
# against a stack of its own (issue 22), started here under $PMM_HOME
# (deploy/stack.sh start --limpio, with continuous archiving) and stopped
# at the end whatever happens.
#
#   verificar        pmm respaldo iniciar / crear / listar / verificar
#                    (pgbackrest check and verify), and its Spanish errors
#   simulacro_rm     the restore drill: fichas streamed with pmm enviar
#                    --json, a full backup midway, rm -rf of the running
#                    cluster's data directory, deploy/restaurar.sh --ultimo
#   simulacro_kill9  the same with SIGKILL of PostgreSQL, then the deletion
#   espejo           the drill with a synchronous standby: lost = 0
#   pitr             restore to an instant between two batches
#   errores          an owner's DELETE/TRUNCATE on totales (repaired by the
#                    recompute) and on clasificaciones (by a restore)
#   disco_lleno      pg_wal, the data directory and the log directory full
#                    under load (tmpfs; root only)
#
# Needs PMM_HOME, PMM_SRC and PMM_BIN (set by ctest). PMM_RESPALDO_LARGO=1:
# the long form of the drill (100,000 fichas, three restores).
set -uo pipefail
PRUEBA=${1:?uso: respaldo.sh PRUEBA}
: "${PMM_HOME:?}" "${PMM_SRC:?}" "${PMM_BIN:?}"
mkdir -p "$PMM_HOME"
PMM_HOME=$(cd "$PMM_HOME" && pwd)
export PMM_HOME PRUEBA
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/respaldo/comun.sh
. "$here/comun.sh"

# a test may redefine these: before the stack starts (leftovers of an
# interrupted run), and after it stopped (mounts, a standby)
antes_de_arrancar() { :; }
limpieza_extra() { :; }
command -v pgbackrest >/dev/null 2>&1 || fail "falta pgBackRest (deploy/deps.sh lo instala)"
case "$PRUEBA" in
verificar | pitr | errores) . "$here/pitr.sh" ;;
simulacro_rm | simulacro_kill9 | espejo) . "$here/simulacro.sh" ;;
disco_lleno) . "$here/disco_lleno.sh" ;;
*) echo "respaldo.sh: prueba desconocida: $PRUEBA" >&2; exit 2 ;;
esac

# the archive timeout bounds what the asynchronous archive loses: short in
# the tests so that the bound is measured within the time limit
export PMM_ARCHIVE_TIMEOUT=${PMM_ARCHIVE_TIMEOUT:-10}
cleanup() {
    set +e
    # a streamer left behind by a failure
    [ -z "${STREAM_PID:-}" ] || { pkill -TERM -P "$STREAM_PID"; kill -TERM "$STREAM_PID"; } 2>/dev/null
    stack stop >/dev/null 2>&1
    pg_stop_orphan_here
    limpieza_extra
}
# a postmaster whose directory a test deleted (stack.sh stop handles it too)
pg_stop_orphan_here() {
    local lock pid
    lock=$(readlink -m "$PMM_HOME/run")/pg/.s.PGSQL.5432.lock
    [ -f "$lock" ] || return 0
    pid=$(head -n 1 "$lock")
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = postgres ] && kill -KILL "$pid" 2>/dev/null
    return 0
}
trap cleanup EXIT
trap 'exit 143' TERM INT

antes_de_arrancar
say "pila propia en $PMM_HOME (archivado continuo, archive_timeout $PMM_ARCHIVE_TIMEOUT s)"
if ! stack start --limpio >"$PMM_HOME.arranque.log" 2>&1; then
    cat "$PMM_HOME.arranque.log" >&2
    fail "la pila propia no arrancó"
fi
W=$PMM_HOME/prueba
mkdir -p "$W"
"prueba_$PRUEBA"
rc=$?
# the sanitized build: no report in the daemons' logs (as tests/faults)
if grep -nE "ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: .*Sanitizer" \
    "$PMM_HOME"/log/*.log 2>/dev/null; then
    echo "FALLO (respaldo.$PRUEBA): informes de sanitizers en los logs de los servicios (arriba)"
    rc=1
fi
[ $rc = 0 ] && say "OK"
exit $rc
