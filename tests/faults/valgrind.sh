#!/usr/bin/env bash
# tests/faults/valgrind.sh [IT_PROGRAM...]: the integration test it_ingest
# (or the programs named) against a stack of its own whose daemons run
# under valgrind (memcheck, --leak-check=full). Fails on any memcheck error
# or any byte definitely lost in ingestd, clasificd or aggregd.
#
# Needs PMM_HOME, PMM_SRC and PMM_BIN (set by ctest); uses the plain build
# (valgrind and ASan do not mix). valgrind is installed by deploy/test.sh
# (deploy/deps.sh): without it the test fails, it does not skip.
set -uo pipefail
: "${PMM_HOME:?}" "${PMM_SRC:?}" "${PMM_BIN:?}"
command -v valgrind >/dev/null || {
    echo "valgrind: FALLO: valgrind no está instalado (./deploy/deps.sh valgrind o ./deploy/test.sh)" >&2
    exit 1
}
progs=("$@")
[ ${#progs[@]} -gt 0 ] || progs=("$(dirname "$PMM_BIN")/tests/it_ingest")

mkdir -p "$PMM_HOME"
PMM_HOME=$(cd "$PMM_HOME" && pwd)
export PMM_HOME
run=$PMM_HOME/run   # a link when deploy/stack.sh keeps the sockets elsewhere
vglog=$PMM_HOME.valgrind
rm -rf "$vglog"
mkdir -p "$vglog"
# deploy/stack.sh splits PMM_DAEMON_PREFIX on spaces, and the clone's path
# may hold some: the prefix is a wrapper script in a directory whose path
# has none, which passes every argument through intact.
wrapdir=$(mktemp -d /tmp/pmm-vg.XXXXXX)
{
    echo '#!/bin/sh'
    printf 'exec valgrind --leak-check=full --show-leak-kinds=definite'
    printf ' --errors-for-leak-kinds=definite --error-exitcode=99 --num-callers=30'
    printf ' %q %q "$@"\n' "--suppressions=$PMM_SRC/tests/faults/valgrind.supp" \
        "--log-file=$vglog/servicio-%p.log"
} >"$wrapdir/memcheck"
chmod +x "$wrapdir/memcheck"
export PMM_DAEMON_PREFIX="$wrapdir/memcheck"   # the pid files tell the logs apart

stack() { "$PMM_SRC/deploy/stack.sh" "$@"; }
trap 'stack stop >/dev/null 2>&1; rm -rf "$wrapdir"' EXIT
echo "== valgrind: servicios bajo memcheck en $PMM_HOME"
if ! stack start --limpio >"$vglog/arranque.log" 2>&1; then
    cat "$vglog/arranque.log"
    echo "FALLO: la pila bajo valgrind no arrancó"
    exit 1
fi
declare -A pid
for d in ingestd clasificd aggregd; do pid[$d]=$(cat "$run/$d.pid"); done

rc=0
for p in "${progs[@]}"; do
    echo "-- $(basename "$p")"
    if ! "$p"; then
        echo "FALLO: $(basename "$p") falló con los servicios bajo valgrind"
        rc=1
    fi
done

# an orderly stop, and time for memcheck's leak check
for d in ingestd clasificd aggregd; do kill -TERM "${pid[$d]}" 2>/dev/null; done
for d in ingestd clasificd aggregd; do
    for _ in $(seq 1 600); do kill -0 "${pid[$d]}" 2>/dev/null || break; sleep 0.2; done
done
stack stop >/dev/null 2>&1
trap - EXIT

for d in ingestd clasificd aggregd; do
    f=$vglog/servicio-${pid[$d]}.log
    if [ ! -f "$f" ]; then
        echo "FALLO: $d: no hay informe de valgrind ($f)"
        rc=1
        continue
    fi
    errors=$(grep -oE "ERROR SUMMARY: [0-9]+ errors" "$f" | tail -n 1 | grep -oE "[0-9]+")
    lost=$(grep -E "definitely lost:" "$f" | tail -n 1 | sed -E 's/.*definitely lost: ([0-9,]+) bytes.*/\1/' | tr -d ,)
    [ -n "$lost" ] || lost=0
    echo "$d: errores de memcheck ${errors:-?}, bytes perdidos con certeza $lost ($(basename "$f"))"
    if [ -z "$errors" ]; then
        echo "FALLO: $d no terminó bajo valgrind (sin ERROR SUMMARY)"
        rc=1
    elif [ "$errors" != 0 ] || [ "$lost" != 0 ]; then
        sed -n '/^==[0-9]*== [A-Z]/,$p' "$f" | head -n 80
        rc=1
    fi
done
[ $rc = 0 ] && echo "RESULTADO valgrind: OK" || echo "RESULTADO valgrind: FALLO"
exit $rc
