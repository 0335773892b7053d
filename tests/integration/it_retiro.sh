#!/usr/bin/env bash
# Withdrawing a ficha (issue 23, docs/contrato-ficha.md section 8) through
# the whole pipeline: fichas are sent; one is withdrawn by its sender
# ("retirada": true through ingestd) and another by an analyst (`pmm
# retirar`); the totals drop by exactly their contributions; both come
# back (a full version from the sender, `pmm retirar --deshacer`) and the
# totals equal those before, cell for cell; the nightly recompute finds no
# difference at any step; the audit trail has who and why; the versions
# stay in `fichas`.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
stack_propia "$(dirname "$PMM_BIN")/it-retiro"
export PMM_ANALISTA="Analista de prueba"

q() { psql -XAtq "$(sed -n 's/^conninfo = //p' "$PMM_HOME/pmm.conf" | head -n 1)" -c "$1"; }

# every cell of the year, one line each (the tables a report reads)
celdas() {
    q "SELECT filtro || '|' || dimension || '|' || valor || '|' || fichas || '|' || acciones
         FROM totales WHERE ejercicio = 2022 AND fichas <> 0 ORDER BY 1"
}
fichas_total() { q "SELECT coalesce(sum(fichas), 0) FROM totales WHERE ejercicio = 2022 AND filtro = '' AND dimension = 'total'"; }
# waits until the year's total is $1 and nothing is queued
esperar_total() {
    local i
    for i in $(seq 1 150); do
        if [ "$(fichas_total)" = "$1" ] &&
           [ "$(q "SELECT (SELECT count(*) FROM cola_clasificar) + (SELECT count(*) FROM cola_agregar)")" = 0 ]; then
            return 0
        fi
        sleep 0.2
    done
    fail "el total de 2022 no llegó a $1 (vale $(fichas_total))"
}
sin_diferencias() {
    local out
    out=$(pmm agregar --ahora)
    echo "$out" | grep -q " 0 diferencias" || fail "el recálculo encontró diferencias: $out"
}

W=$PMM_HOME/retiro
mkdir -p "$W"
pmm muestra --ejercicio 2022 --n 40 --semilla 23 >"$W/fichas.jsonl"
PMM_SIN_PROGRESO=1 pmm enviar --json "$W/fichas.jsonl" >"$W/recibos.jsonl"
[ "$(grep -c '"estado":"aceptada"' "$W/recibos.jsonl")" -eq 40 ] || fail "no se aceptaron las 40 fichas"
esperar_total 40
celdas >"$W/antes.txt"
sin_diferencias

# --- the sender withdraws its first ficha ----------------------------------
linea=$(head -n 1 "$W/fichas.jsonl")
clave=$(echo "$linea" | jq -r .clave)
retiro=$(echo "$linea" | jq -c '{clave, ejercicio, ambito, dependencia, entidad}
    | with_entries(select(.value != null))
    + {retirada: true, motivo_retiro: "ficha de prueba enviada por error", reemplaza: 1}')
out=$(echo "$retiro" | pmm enviar --json -)
echo "$out" | grep -q '"estado":"aceptada","id":[0-9]*,"version":2' ||
    fail "el retiro del remitente no se aceptó: $out"
esperar_total 39
[ "$(q "SELECT count(*) FROM agregados WHERE clave = '$clave'")" = 0 ] ||
    fail "la ficha retirada sigue contada en agregados"
sin_diferencias
# the same withdrawal again is a repeat; a second one is refused
out=$(echo "$retiro" | pmm enviar --json -)
echo "$out" | grep -q '"estado":"repetida"' || fail "reenviar el retiro no fue repetida: $out"
out=$(echo "$retiro" | jq -c '.motivo_retiro = "otra vez" | .reemplaza = 2' | pmm enviar --json - || true)
echo "$out" | grep -q '"regla":"ya_retirada"' || fail "retirar dos veces no se rechazó: $out"

# --- an analyst withdraws another one --------------------------------------
id2=$(sed -n 2p "$W/recibos.jsonl" | jq -r .id)
clave2=$(sed -n 2p "$W/fichas.jsonl" | jq -r .clave)
pmm retirar "$id2" --motivo "duplicada de otra ficha" >"$W/retirar.txt"
grep -q "retirada por Analista de prueba" "$W/retirar.txt" || fail "pmm retirar: $(cat "$W/retirar.txt")"
esperar_total 38
rc=0
pmm retirar "$id2" --motivo "otra vez" 2>"$W/err.txt" || rc=$?
[ "$rc" -eq 1 ] && grep -q "ya está retirada" "$W/err.txt" || fail "retirar dos veces: rc $rc"
sin_diferencias

# neither counts anywhere (the recompute above agreed cell for cell), and
# the query commands count 38
for c in "$clave" "$clave2"; do
    [ "$(q "SELECT count(*) FROM fichas_vigentes WHERE clave = '$c'")" = 0 ] ||
        fail "$c sigue vigente"
done
[ "$(pmm totales --ejercicio 2022 --por ambito --formato json | jq '[.filas[].fichas] | add')" = 38 ] ||
    fail "pmm totales no cuenta 38 fichas"

# --- both come back ----------------------------------------------------------
echo "$linea" | jq -c '. + {reemplaza: 2}' | pmm enviar --json - >"$W/restaura.json"
grep -q '"estado":"aceptada","id":[0-9]*,"version":3' "$W/restaura.json" ||
    fail "la restauración del remitente no se aceptó: $(cat "$W/restaura.json")"
pmm retirar "$id2" --deshacer --motivo "no era duplicada" >"$W/deshacer.txt"
grep -q "restaurada por Analista de prueba" "$W/deshacer.txt" || fail "--deshacer: $(cat "$W/deshacer.txt")"
esperar_total 40
celdas >"$W/despues.txt"
diff "$W/antes.txt" "$W/despues.txt" >&2 || fail "los totales restaurados no son los de antes"
sin_diferencias

# --- history and audit -------------------------------------------------------
[ "$(q "SELECT string_agg(version || ':' || retirada, ',' ORDER BY version) FROM fichas WHERE clave = '$clave'")" = "1:false,2:true,3:false" ] ||
    fail "las versiones de $clave no son 1, 2 (retiro), 3"
[ "$(q "SELECT motivo_retiro FROM fichas WHERE clave = '$clave2' AND retirada")" = "duplicada de otra ficha" ] ||
    fail "el retiro del analista no guardó su motivo"
# one audit row per withdrawal and restoration, with who and why
hay() { [ "$(echo "$1" | jq -s "$2" "${@:3}")" = 1 ]; }
aud=$(pmm auditoria --resultado retirada --formato json)
hay "$aud" 'map(select(.clave == $c and .identidad == "local"
    and .motivo == "ficha de prueba enviada por error")) | length' --arg c "$clave" ||
    fail "la auditoría no tiene el retiro del remitente: $aud"
hay "$aud" 'map(select(.clave == $c and .identidad == "analista:Analista de prueba"
    and .motivo == "duplicada de otra ficha")) | length' --arg c "$clave2" ||
    fail "la auditoría no tiene el retiro del analista: $aud"
aud=$(pmm auditoria --resultado restaurada --formato json)
[ "$(echo "$aud" | jq -s length)" = 2 ] || fail "se esperaban 2 restauraciones en la auditoría: $aud"
hay "$aud" 'map(select(.clave == $c and .motivo == "no era duplicada"
    and .identidad == "analista:Analista de prueba")) | length' --arg c "$clave2" ||
    fail "la auditoría no tiene la restauración del analista: $aud"
echo "retiro: 2 fichas retiradas (remitente y analista), totales 40 -> 38 -> 40 idénticos, auditados"
