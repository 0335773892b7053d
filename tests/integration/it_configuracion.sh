#!/usr/bin/env bash
# The configuration table at work (lib/base/conf_tabla.c): for each daemon,
# a misspelt key, a value that is not a number and one out of range in its
# own section of the stack's pmm.conf each stop it at start-up (non-zero
# exit, the error on stderr naming the file, the line, the key and the
# accepted range); so does a bad PMM_<SECTION>_<KEY>. Then each daemon runs
# on a copy of the file and gets SIGHUPs: a good value is applied and
# logged ("[ingestd] lote: 512 -> 1000"), bad ones (not a number, out of
# range, a misspelt key) are not applied and the log says why, and the next
# good value shows that the old one was kept ("1000 -> 2000"). pmm refuses a
# misspelt key in a section it reads, not a key only a daemon uses.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

conf=$PMM_HOME/pmm.conf
[ -f "$conf" ] || fail "no existe $conf (¿arrancó la pila?)"
w=$(mktemp -d "$PMM_HOME/it-configuracion.XXXXXX")
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
    rm -rf "$w"
}
trap cleanup EXIT

# set_key FILE SECTION LINE [KEY-REGEX]: replaces the line of [SECTION]
# that matches KEY-REGEX (by default "lote = ..." or a misspelt "lotte =
# ...") with LINE, or adds LINE at the section's end.
set_key() {
    awk -v sec="[$2]" -v line="$3" -v key="${4:-^lot+e = }" '
        /^\[/ { if (cur == sec && !done) { print line; done = 1 } cur = $0 }
        cur == sec && $0 ~ key { if (!done) print line; done = 1; next }
        { print }
        END { if (cur == sec && !done) print line }' "$1" >"$1.tmp"
    mv "$1.tmp" "$1"
}

# refused BINARY FILE NEEDLE...: the program exits non-zero at once, and
# its stderr holds the file's name and every needle.
refused() {
    local bin=$1 file=$2 rc=0
    shift 2
    timeout 30 "$PMM_BIN/$bin" --config "$file" >"$w/out" 2>"$w/err" || rc=$?
    [ $rc -ne 0 ] && [ $rc -ne 124 ] ||
        fail "$bin con $(basename "$file"): código $rc; esperaba un error de configuración"
    for needle in "$file" "$@"; do
        grep -qF -- "$needle" "$w/err" || fail "$bin: falta «$needle» en: $(cat "$w/err")"
    done
    echo "  $bin: $(cut -c1-200 "$w/err" | head -n 1)" >&2
}

line_of() { grep -n -- "$2" "$1" | head -n 1 | cut -d: -f1; }

# the file deploy/stack.sh wrote is valid for every program
pmm configuracion --comprobar "$conf" >"$w/out" || fail "pmm.conf de la pila: $(cat "$w/out")"
[ "$(grep -c ': válida' "$w/out")" -eq 4 ] || fail "pmm configuracion --comprobar: $(cat "$w/out")"

# --- start-up: each daemon, three errors in its own section -----------------
for d in ingestd:ingestd:10000 clasificd:clasificador:10000 aggregd:aggregd:100000; do
    IFS=: read -r bin sec max <<<"$d"
    echo "$bin ([$sec]):" >&2
    f=$w/$bin-typo.conf
    cp "$conf" "$f"
    set_key "$f" "$sec" "lotte = 100"
    refused "$bin" "$f" "línea $(line_of "$f" '^lotte = 100$')" "[$sec] lotte" \
        "clave desconocida" "¿quiso decir «lote»?" "se admiten: conninfo"
    f=$w/$bin-nan.conf
    cp "$conf" "$f"
    set_key "$f" "$sec" "lote = mucho"
    refused "$bin" "$f" "línea $(line_of "$f" '^lote = mucho$')" "[$sec] lote" \
        "«mucho» no es un número entero" "se admite de 1 a $max"
    f=$w/$bin-rango.conf
    cp "$conf" "$f"
    set_key "$f" "$sec" "lote = $((max + 1))"
    refused "$bin" "$f" "línea $(line_of "$f" "^lote = $((max + 1))\$")" "[$sec] lote" \
        "«$((max + 1))» está fuera del rango" "se admite de 1 a $max"
done
# the environment is checked the same way, naming the variable
rc=0
PMM_AGGREGD_ESPERA_LOTE_MS=pronto timeout 30 "$PMM_BIN/aggregd" --config "$conf" \
    >/dev/null 2>"$w/err" || rc=$?
[ $rc -ne 0 ] && [ $rc -ne 124 ] || fail "aggregd aceptó PMM_AGGREGD_ESPERA_LOTE_MS=pronto"
grep -qF "variable PMM_AGGREGD_ESPERA_LOTE_MS: [aggregd] espera_lote_ms: «pronto» no es una duración; se admite de 0 a 60000 ms" "$w/err" ||
    fail "aggregd: $(cat "$w/err")"
# an unknown section stops every program
cp "$conf" "$w/seccion.conf"
printf '\n[agregador]\nlote = 5\n' >>"$w/seccion.conf"
refused clasificd "$w/seccion.conf" "sección desconocida [agregador]"

# --- pmm: its sections, not the daemons' keys -------------------------------
rc=0
pmm --config "$w/ingestd-typo.conf" estado >/dev/null 2>"$w/err" || rc=$?
[ $rc -eq 2 ] && grep -qF "[ingestd] lotte: clave desconocida" "$w/err" ||
    fail "pmm con una clave mal escrita en [ingestd]: código $rc, $(cat "$w/err")"
pmm --config "$w/ingestd-nan.conf" estado >/dev/null ||
    fail "pmm rechazó un [ingestd] lote que no usa"
rc=0
pmm configuracion --comprobar "$w/ingestd-nan.conf" >"$w/out" || rc=$?
[ $rc -eq 1 ] || fail "pmm configuracion --comprobar: código $rc"
grep -q '^ingestd: .*«mucho» no es un número entero' "$w/out" &&
    grep -q '^clasificd: válida' "$w/out" && grep -q '^pmm: válida' "$w/out" ||
    fail "pmm configuracion --comprobar: $(cat "$w/out")"

# --- SIGHUP: good values applied, bad ones kept out -------------------------
# Each daemon runs beside the stack's on a copy of its file, with sockets of
# its own (a second collector, worker and aggregator are supported).
log_from() { tail -c +"$(($2 + 1))" "$1"; }
wait_log() {   # LOG OFFSET NEEDLE
    for _ in $(seq 1 150); do
        log_from "$1" "$2" | grep -qF -- "$3" && return 0
        sleep 0.1
    done
    fail "no apareció «$3» en $(basename "$1"): $(log_from "$1" "$2" | tail -n 5)"
}
start() {   # BINARY READY-LINE, with the environment given before the call
    local bin=$1
    "$PMM_BIN/$bin" --config "$w/$bin.conf" >"$w/$bin.log" 2>&1 &
    pids+=($!)
    eval "pid_$bin=$!"
    wait_log "$w/$bin.log" 0 "$2"
}
for bin in ingestd clasificd aggregd; do cp "$conf" "$w/$bin.conf"; done
# sockets in the stack's socket directory: endpoint lists are split on
# commas and blanks, so an ipc:// path may hold no blank (the clone's path
# may); deploy/stack.sh keeps that directory's path plain and short
zs=$(readlink -f "$PMM_HOME/run")/zmq
set_key "$w/aggregd.conf" aggregd "lote = 8000"
PMM_INGESTD_ENDPOINT=ipc://$zs/it-conf-ingestd.sock PMM_INGESTD_REMOTO='' PMM_INGESTD_TRABAJO='' \
    start ingestd "lote máximo 512"
PMM_INGESTD_TRABAJO='' PMM_AGGREGD_EVENTOS='' start clasificd "lotes de 256"
PMM_AGGREGD_ENDPOINT=ipc://$zs/it-conf-aggregd.sock PMM_AGGREGD_EVENTOS=ipc://$zs/it-conf-eventos.sock \
    PMM_AGGREGD_RECALCULO=no start aggregd "eventos en ipc://$zs/it-conf-eventos.sock"

hup() {   # BINARY SECTION NEW-LINE NEEDLE...
    local bin=$1 sec=$2 line=$3 pid off
    shift 3
    pid=$(eval echo "\$pid_$bin")
    set_key "$w/$bin.conf" "$sec" "$line"
    off=$(wc -c <"$w/$bin.log")
    kill -HUP "$pid"
    for needle in "$@"; do wait_log "$w/$bin.log" "$off" "$needle"; done
    kill -0 "$pid" 2>/dev/null || fail "$bin terminó con SIGHUP"
}
for d in ingestd:ingestd:512:10000 clasificd:clasificador:256:10000 \
         aggregd:aggregd:8000:100000; do
    IFS=: read -r bin sec was max <<<"$d"
    f=$w/$bin.conf
    hup "$bin" "$sec" "lote = 1000" "SIGHUP: [$sec] lote: $was -> 1000" \
        "configuración releída de $f: 1 cambio aplicado"
    hup "$bin" "$sec" "lote = mil" "SIGHUP: configuración no aplicada, sigue la anterior: $f, línea" \
        "[$sec] lote: «mil» no es un número entero; se admite de 1 a $max"
    hup "$bin" "$sec" "lote = $((max + 1))" "sigue la anterior: $f, línea" \
        "«$((max + 1))» está fuera del rango; se admite de 1 a $max"
    hup "$bin" "$sec" "lotte = 7" "sigue la anterior: $f, línea" "[$sec] lotte: clave desconocida"
    # the value in force was still 1000
    hup "$bin" "$sec" "lote = 2000" "SIGHUP: [$sec] lote: 1000 -> 2000"
    echo "SIGHUP a $bin: 1000 aplicado; «mil», $((max + 1)) y «lotte» rechazados; 1000 -> 2000" >&2
done
# a key that takes a restart is logged as such, and not applied
set_key "$w/aggregd.conf" aggregd "conninfo = host=/nonexistent dbname=pmm" "^conninfo = "
off=$(wc -c <"$w/aggregd.log")
kill -HUP "$pid_aggregd"
wait_log "$w/aggregd.log" "$off" "SIGHUP: [aggregd] conninfo cambió (se aplicará al reiniciar)"
wait_log "$w/aggregd.log" "$off" "0 cambios aplicados"

grep -h "SIGHUP" "$w/ingestd.log" >&2

for bin in ingestd clasificd aggregd; do
    pid=$(eval echo "\$pid_$bin")
    kill -TERM "$pid"
    rc=0
    wait "$pid" || rc=$?
    [ $rc -eq 0 ] || fail "$bin terminó con $rc tras SIGTERM"
    grep -q "detenido;" "$w/$bin.log" || fail "$bin no se detuvo en orden"
done
pids=()
echo "OK: errores de configuración al arrancar y con SIGHUP en los tres servicios" >&2
