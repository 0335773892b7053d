#!/usr/bin/env bash
# tests/faults/fallas.sh DRIVER PRUEBA [ARGS]: runs one fault test of
# pmm_fallas (tests/faults/fallas.c) against a stack of its own.
#
# Starts the stack under $PMM_HOME (deploy/stack.sh start --limpio), runs the
# driver with a time limit, stops the stack whatever happens, and fails if a
# daemon log holds a sanitizer report. Needs PMM_HOME, PMM_SRC and PMM_BIN
# (set by ctest). PMM_FALLAS_LARGO=1: the long form.
set -uo pipefail
driver=$1
prueba=$2
shift 2
: "${PMM_HOME:?}" "${PMM_SRC:?}" "${PMM_BIN:?}"
mkdir -p "$PMM_HOME"
PMM_HOME=$(cd "$PMM_HOME" && pwd)
export PMM_HOME
# the pid files (deploy/stack.sh makes $PMM_HOME/run a link when the
# sockets live elsewhere)
PMM_RUN=$PMM_HOME/run
export PMM_RUN

if [ "$prueba" = soak ] && [ "${PMM_FALLAS_LARGO:-0}" = 0 ] && [ $# -eq 0 ]; then
    echo "soak: solo en la forma larga (PMM_FALLAS_LARGO=1) o con tests/faults/soak.sh"
    exit 77
fi

limit=${PMM_FALLAS_LIMITE:-$([ "${PMM_FALLAS_LARGO:-0}" != 0 ] && echo 3600 || echo 600)}
if [ "$prueba" = soak ]; then
    limit=$(( ${1:-1800} * 2 + 1800 ))
fi
export PMM_FALLAS_LIMITE=$limit

# ASan keeps freed memory in a quarantine (256 MiB by default) that shows up
# as resident memory: keep it small where memory growth is measured
if [ "$prueba" = atasco ] || [ "$prueba" = soak ]; then
    export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=4"
fi

stack() { "$PMM_SRC/deploy/stack.sh" "$@"; }
cleanup() {
    # a test that died mid-stall must not leave a stopped daemon behind
    for p in "$PMM_RUN"/*.pid; do
        [ -f "$p" ] && kill -CONT "$(cat "$p")" 2>/dev/null
    done
    stack stop >/dev/null 2>&1
}
trap cleanup EXIT
trap 'exit 143' TERM INT

if ! stack start --limpio >"$PMM_HOME.arranque.log" 2>&1; then
    cat "$PMM_HOME.arranque.log" >&2
    echo "FALLO: la pila propia no arrancó" >&2
    exit 1
fi
timeout --kill-after=30 "$((limit + 60))" "$driver" "$prueba" "$@"
rc=$?
[ $rc -eq 124 ] && echo "FALLO: $prueba superó su límite de $limit s"
cleanup
trap - EXIT
if grep -nE "ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: .*Sanitizer" \
    "$PMM_HOME"/log/*.log; then
    echo "FALLO: informes de sanitizers en los logs de los servicios (arriba)"
    rc=1
fi
# the daemons' own account of the run, for the record
grep -hcE " (warn|error): " "$PMM_HOME"/log/{ingestd,clasificd,aggregd}.log 2>/dev/null |
    paste -sd' ' | sed 's/^/avisos+errores en los logs (ingestd clasificd aggregd): /'
exit $rc
