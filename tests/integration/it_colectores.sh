#!/usr/bin/env bash
# Several collectors for one client (lib/sender.c with a list of endpoints):
# a second ingestd on the same database, `pmm enviar` given both, the
# second one killed (SIGKILL) midway: every ficha gets a receipt and is
# stored once. Also: a collector that never answers in the list from the
# start, and `pmm estado` with a list. No root needed (the multi-host
# version is tests/multihost/run.sh).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
stack_propia "$(dirname "$PMM_BIN")/it-colectores"
export PMM_SIN_PROGRESO=1

uno=$(sed -n 's/^endpoint = \(ipc:.*ingestd.sock\)$/\1/p' "$PMM_HOME/pmm.conf")
[ -n "$uno" ] || fail "no se encontró [ingestd] endpoint en $PMM_HOME/pmm.conf"
dir=${uno#ipc://}
dir=$(dirname "$dir")
dos=ipc://$dir/ingestd2.sock
nadie=ipc://$dir/nadie.sock

# the second collector: same configuration, its own local endpoint, no
# TCP endpoint and no hints (those belong to the first)
PMM_INGESTD_ENDPOINT=$dos PMM_INGESTD_REMOTO='' PMM_INGESTD_TRABAJO='' \
    "$PMM_BIN/ingestd" --config "$PMM_HOME/pmm.conf" >"$PMM_HOME/log/ingestd2.log" 2>&1 &
pid2=$!
disown $pid2
trap 'kill -KILL $pid2 2>/dev/null || true; "$PMM_SRC/deploy/stack.sh" stop >/dev/null 2>&1' EXIT
for _ in $(seq 1 100); do
    PMM_INGESTD_ENDPOINT="$uno, $dos" pmm estado >/dev/null 2>&1 && break
    kill -0 $pid2 2>/dev/null || fail "el segundo ingestd terminó al arrancar"
    sleep 0.1
done
j=$(PMM_INGESTD_ENDPOINT="$uno, $dos" pmm estado --formato json)
echo "$j" | grep -q '"instancias":\[' || fail "pmm estado no muestra las instancias: $j"
[ "$(echo "$j" | grep -o '"ok":true' | wc -l)" -ge 5 ] || fail "algún colector no responde: $j"

n=4000
pmm muestra --n $n --semilla 41 >"$PMM_HOME/fichas.jsonl"
pmm enviar --json --espera 1000 --servidor "$uno, $dos" "$PMM_HOME/fichas.jsonl" \
    >"$PMM_HOME/recibos.jsonl" 2>"$PMM_HOME/enviar.log" &
envio=$!
for _ in $(seq 1 300); do
    f=$(estado_campo versiones)
    [ "${f:-0}" -ge $((n / 4)) ] && break
    kill -0 $envio 2>/dev/null || break
    sleep 0.05
done
kill -KILL $pid2
echo "segundo colector detenido con $(estado_campo versiones) fichas guardadas" >&2
rc=0
wait $envio || rc=$?
cat "$PMM_HOME/enviar.log" >&2
[ $rc -eq 0 ] || fail "pmm enviar terminó con $rc"
ok=$(grep -c '"estado":"aceptada"\|"estado":"repetida"' "$PMM_HOME/recibos.jsonl" || true)
[ "$ok" -eq $n ] || fail "$ok recibos de $n"
esperar_cadena $n
dup=$(psql "$(sed -n 's/^conninfo = //p' "$PMM_HOME/pmm.conf" | head -n 1)" -Atc \
      "SELECT count(*) - count(DISTINCT (emisor, ejercicio, clave)) FROM fichas")
[ "$dup" = 0 ] || fail "$dup fichas duplicadas"

# a collector that never answers, listed from the start: the fichas go to
# the one that does, without waiting for the silent one
pmm muestra --n 500 --semilla 42 --ejercicio 2023 >"$PMM_HOME/fichas2.jsonl"
t0=$SECONDS
pmm enviar --espera 3000 --servidor "$nadie, $uno" "$PMM_HOME/fichas2.jsonl" >/dev/null ||
    fail "pmm enviar con un colector ausente en la lista"
[ $((SECONDS - t0)) -lt 3 ] || fail "la lista con un colector ausente esperó $((SECONDS - t0)) s"
echo "OK: $n fichas con un colector muerto a mitad, 500 con uno ausente" >&2
