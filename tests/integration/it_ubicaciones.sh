#!/usr/bin/env bash
# it_ubicaciones: the embedded stack starts wherever a user may put a clone
# (issue 15). For each home -- inside a private (0700) directory, inside a
# path with spaces, inside a path too long for a Unix socket -- starts a
# stack, checks that `pmm estado` answers, that (as root) nothing
# PostgreSQL needs lies inside the user's tree, that `status` and `stop`
# work, and removes it. As root the private directory is root's own; as a
# normal user, the user's own.
set -euo pipefail
. "$PMM_SRC/tests/integration/lib.sh"

base=$(mktemp -d "${TMPDIR:-/tmp}/pmm-ubic.XXXXXX")
chmod 0700 "$base"
homes=("$base/pmm"
       "$base/con espacio/mis fichas/pmm home"
       "$base/$(printf 'directorio-de-nombre-largo-%.0s' 1 2 3 4)/pmm")

stack() { "$PMM_SRC/deploy/stack.sh" "$@"; }
limpiar() {
    for h in "${homes[@]}"; do
        [ -d "$h" ] || continue
        local pg run
        pg=$(readlink -m "$h/pg"); run=$(readlink -m "$h/run")
        PMM_HOME=$h stack stop >/dev/null 2>&1 || true
        case "$pg" in "$h"/*) ;; *) rm -rf "$(dirname "$pg")" ;; esac
        case "$run" in "$h"/*) ;; *) rm -rf "$run" ;; esac
    done
    rm -rf "$base"
}
trap limpiar EXIT

for h in "${homes[@]}"; do
    echo "== $h"
    mkdir -p "$h"
    PMM_HOME=$h stack start --limpio >/dev/null || fail "no arrancó la pila en «$h»"
    out=$(PMM_HOME=$h pmm estado) || fail "pmm estado no respondió en «$h»"
    echo "$out" | grep -qi "fichas" || fail "pmm estado sin cifras en «$h»: $out"
    if [ "$(id -u)" = 0 ]; then
        for part in pg run; do
            real=$(readlink -f "$h/$part")
            case "$real" in
            "$base"/*) fail "$part de la pila está dentro del árbol del usuario: $real" ;;
            esac
            runuser -u postgres -- test -x "$real" ||
                fail "postgres no puede entrar en $real"
        done
    fi
    PMM_HOME=$h stack status >/dev/null || fail "status falló en «$h»"
    PMM_HOME=$h stack stop >/dev/null || fail "stop falló en «$h»"
    if PMM_HOME=$h stack status >/dev/null 2>&1; then
        fail "status dice «en marcha» tras stop en «$h»"
    fi
done

# A home that cannot work is refused before anything is created.
bad="$base/comilla'd/pmm"
mkdir -p "$bad"
if msg=$(PMM_HOME=$bad stack start 2>&1); then
    fail "una ruta con comilla fue aceptada"
fi
echo "$msg" | grep -q "PMM_HOME" || fail "el rechazo no nombra PMM_HOME: $msg"
[ ! -e "$bad/pg" ] && [ ! -e "$bad/run" ] || fail "se creó algo antes de rechazar la ruta"
echo "ubicaciones: ${#homes[@]} pilas arrancadas y detenidas; ruta con comilla rechazada"
