# Shell helpers for the integration scripts (sourced).
# Needs PMM_BIN and PMM_SRC (set by ctest).

pmm() { "$PMM_BIN/pmm" "$@"; }

fail() { echo "FALLO: $*" >&2; exit 1; }

# A field of `pmm estado --formato json` (numbers only), e.g. fichas.
estado_campo() {
    pmm estado --formato json 2>/dev/null | grep -o "\"$1\":[0-9]*" | head -n 1 | cut -d: -f2
}

# Waits until the stack holds $1 fichas and nothing is queued between stages.
esperar_cadena() {
    local want=$1 limit=${2:-120} i
    for i in $(seq 1 $((limit * 5))); do
        local j
        j=$(pmm estado --formato json 2>/dev/null) || true
        if echo "$j" | grep -q "\"fichas\":$want," &&
           echo "$j" | grep -q '"pendientes":{"clasificar":0,"agregar":0}'; then
            return 0
        fi
        sleep 0.2
    done
    pmm estado >&2 || true
    fail "la cadena no terminó en ${limit} s"
}

# A private stack for one test: PMM_HOME under the build tree.
stack_propia() {
    export PMM_HOME=$1
    "$PMM_SRC/deploy/stack.sh" start --limpio >/dev/null
    trap '"$PMM_SRC/deploy/stack.sh" stop >/dev/null 2>&1' EXIT
}
