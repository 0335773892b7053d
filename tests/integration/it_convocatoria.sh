#!/usr/bin/env bash
# The yearly call and its follow-up (issue 18) against a private stack:
#  1. over the real CURVE endpoint, with keys from `pmm claves emitir`, a
#     remitente delivers for its own body, and cannot deliver or read the
#     observations of another; delivering with no fichas is refused, and
#     "sin acciones" with fichas too; a revoked key cannot deliver;
#  2. review: observar/aprobar are append-only, a new version is pending
#     again, `pmm revision --estado-revision` filters by state, and the body
#     reads its observations remotely;
#  3. contacts (`pmm pendientes --con-contactos`) only for an administrator
#     (the read-only role is refused), and every read leaves an audit row;
#  4. property: five years of calls with random rosters (bodies removed and
#     added), deadlines, grace days, deliveries on time, late, reopened by
#     later fichas and delivered again, without actions, and renamed bodies
#     (AGA -> ANAM, BANSEFI -> BANBIEN reported under the old acronym):
#     every term and rate of `pmm cobertura` equals a brute-force count kept
#     by this script, no rate exceeds 1, and the range 2018-2022 adds up.
# PMM_SEMILLA fixes the random choices (printed on failure).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
stack_propia "$(dirname "$PMM_BIN")/it-convocatoria"
export PMM_ANALISTA="Analista de prueba"
SEMILLA=${PMM_SEMILLA:-$(( $(date +%s) % 100000 ))}
RANDOM=$SEMILLA
trap 'echo "semilla: PMM_SEMILLA=$SEMILLA" >&2; "$PMM_SRC/deploy/stack.sh" stop >/dev/null 2>&1' EXIT

ADMIN=$(sed -n 's/^conninfo = //p' "$PMM_HOME/pmm.conf" | head -n 1)
LECTURA=$(sed -n 's/^lectura = //p' "$PMM_HOME/pmm.conf" | head -n 1)
q() { psql -XAtq "$ADMIN" -c "$1"; }
W=$PMM_HOME/convocatoria
mkdir -p "$W/k"
REMOTO=tcp://127.0.0.1:$(cat "$PMM_HOME/puerto")

# A ficha of body $1 (sigla, or E:NN for a state) for year $2, clave $3.
pmm muestra --ejercicio 2022 --n 40 --semilla 18 >"$W/muestra.jsonl"
FED=$(jq -cn 'first(inputs | select(.ambito == "federal"))' "$W/muestra.jsonl")
EST=$(jq -cn 'first(inputs | select(.ambito == "estatal"))' "$W/muestra.jsonl")
ficha() {
    case $1 in
    E:*) echo "$EST" | jq -c --arg e "${1#E:}" --argjson y "$2" --arg c "$3" \
             '.entidad = $e | .ejercicio = $y | .clave = $c' ;;
    *) echo "$FED" | jq -c --arg d "$1" --argjson y "$2" --arg c "$3" \
           '.dependencia = $d | .ejercicio = $y | .clave = $c' ;;
    esac
}
enviar() { PMM_SIN_PROGRESO=1 pmm enviar --json "$1" >"$1.recibos"; }

# ---- 1. remote deliveries and their scope -----------------------------------
pmm convocatoria abrir --ejercicio 2023 --limite 2023-06-30 --gracia 5 >/dev/null
pmm claves emitir --dependencia SRE -o "$W/k" >/dev/null
pmm claves emitir --dependencia INM -o "$W/k" >/dev/null
SRE=$W/k/dependencia-sre.key_secret
INM=$W/k/dependencia-inm.key_secret
remoto() { local k=$1; shift; pmm --clave "$k" "$@" --servidor "$REMOTO"; }

rc=0; remoto "$SRE" entregar --ejercicio 2023 >"$W/out" 2>&1 || rc=$?
[ $rc -eq 1 ] && grep -q "no tiene fichas del ejercicio 2023" "$W/out" ||
    fail "entregar sin fichas no se rechazó: rc $rc, $(cat "$W/out")"
{ ficha SRE 2023 c-sre-1; ficha SRE 2023 c-sre-2; ficha INM 2023 c-inm-1; } >"$W/f2023.jsonl"
enviar "$W/f2023.jsonl"
[ "$(grep -c '"estado":"aceptada"' "$W/f2023.jsonl.recibos")" -eq 3 ] || fail "fichas de 2023"
rc=0; remoto "$SRE" entregar --ejercicio 2023 --sin-acciones --nota x >"$W/out" 2>&1 || rc=$?
[ $rc -eq 1 ] || fail "sin acciones con fichas no se rechazó: rc $rc, $(cat "$W/out")"
remoto "$SRE" entregar --ejercicio 2023 >"$W/out" 2>&1 || fail "entrega remota: $(cat "$W/out")"
grep -q "Entrega registrada: D:SRE, ejercicio 2023, 2 fichas" "$W/out" || fail "$(cat "$W/out")"
# the Informe's annex of participating bodies shows the delivery
for i in $(seq 1 100); do
    pmm informe --ejercicio 2023 --formato md -o "$W/informe.md" >/dev/null
    grep -q "^| Secretaría de Relaciones Exteriores | .* | entregada " "$W/informe.md" && break
    sleep 0.2
done
grep -q "^| Secretaría de Relaciones Exteriores | .* | entregada " "$W/informe.md" ||
    fail "el anexo de instituciones no muestra la entrega de SRE: $(grep -m2 "Relaciones Exteriores |" "$W/informe.md")"
for args in "entregar --ejercicio 2023 --dependencia INM" \
            "observaciones --ejercicio 2023 --dependencia INM" \
            "entregar --ejercicio 2023 --entidad 07"; do
    rc=0; remoto "$SRE" $args >"$W/out" 2>&1 || rc=$?
    [ $rc -eq 1 ] && grep -q "su clave solo permite .* por D:SRE" "$W/out" ||
        fail "pmm $args con la clave de SRE: rc $rc, $(cat "$W/out")"
done
[ "$(q "SELECT count(*) FROM entregas WHERE emisor <> 'D:SRE'")" = 0 ] ||
    fail "quedó una entrega de otro cuerpo"
[ "$(q "SELECT identidad LIKE 'remitente|D:SRE|%' FROM entregas")" = t ] ||
    fail "la entrega no guarda la identidad de la clave"
# a revoked key delivers nothing
idinm=$(pmm claves listar --formato json | jq -r 'select(.emisor == "D:INM") | .id')
pmm claves revocar "$idinm" >/dev/null
rc=0; remoto "$INM" entregar --ejercicio 2023 >"$W/out" 2>&1 || rc=$?
[ $rc -ne 0 ] || fail "una clave revocada entregó: $(cat "$W/out")"
[ "$(q "SELECT count(*) FROM entregas WHERE emisor = 'D:INM'")" = 0 ] || fail "entrega con clave revocada"

# ---- 2. review ---------------------------------------------------------------
id1=$(sed -n 1p "$W/f2023.jsonl.recibos" | jq -r .id)
pmm revision observar "$id1" --nota "Falta la población atendida" >/dev/null
rc=0; pmm revision observar "$id1" 2>"$W/out" || rc=$?
[ $rc -eq 2 ] || fail "observar sin --nota: rc $rc"
remoto "$SRE" observaciones --ejercicio 2023 >"$W/out" 2>&1 || fail "observaciones: $(cat "$W/out")"
grep -q "Falta la población atendida" "$W/out" || fail "la observación no llega al cuerpo: $(cat "$W/out")"
grep -q "1 con observaciones" "$W/out" || fail "$(cat "$W/out")"
n=$(pmm revision --ejercicio 2023 --estado-revision con_observaciones --formato json | wc -l)
[ "$n" = 1 ] || fail "--estado-revision con_observaciones: $n fichas"
n=$(pmm revision --ejercicio 2023 --estado-revision pendiente --formato json | wc -l)
[ "$n" = 2 ] || fail "--estado-revision pendiente: $n fichas"
pmm revision aprobar "$id1" >/dev/null
n=$(pmm revision --ejercicio 2023 --estado-revision aprobada --formato json | jq -r .id)
[ "$n" = "$id1" ] || fail "--estado-revision aprobada: $n"
# pmm fichas shows the same review state (019), once the ficha counts
for i in $(seq 1 100); do
    n=$(pmm fichas --ejercicio 2023 --estado-revision aprobada --formato json | jq -r .id)
    [ "$n" = "$id1" ] && break
    sleep 0.2
done
[ "$n" = "$id1" ] || fail "pmm fichas --estado-revision aprobada: «$n», no $id1"
[ "$(q "SELECT string_agg(estado, ',' ORDER BY id) FROM revisiones")" = con_observaciones,aprobada ] ||
    fail "las revisiones no se anexan"
# a new version is pending again, and reopens the delivery
ficha SRE 2023 c-sre-1 | jq -c '.reemplaza = 1 | .programa = "Programa corregido"' >"$W/v2.jsonl"
enviar "$W/v2.jsonl"
grep -q '"version":2' "$W/v2.jsonl.recibos" || fail "versión 2: $(cat "$W/v2.jsonl.recibos")"
n=$(pmm revision --ejercicio 2023 --estado-revision pendiente --formato json | wc -l)
[ "$n" = 3 ] || fail "la versión nueva no volvió a pendiente ($n pendientes)"
[ "$(pmm cobertura --ejercicio 2023 --formato json | jq '.faltantes[] | select(.emisor == "D:SRE") | .reabierta')" = true ] ||
    fail "la versión nueva no reabrió la entrega"
rc=0; pmm revision aprobar 999999 2>/dev/null || rc=$?
[ $rc -eq 1 ] || fail "aprobar una ficha que no existe: rc $rc"

# ---- 3. contacts: administrator only, audited --------------------------------
antes=$(q "SELECT count(*) FROM seguimiento_bitacora")
rc=0
PMM_POSTGRESQL_CONNINFO=$LECTURA pmm pendientes --ejercicio 2023 --con-contactos >"$W/out" 2>&1 || rc=$?
[ $rc -eq 1 ] && grep -q "solo un administrador" "$W/out" ||
    fail "contactos con el rol de lectura: rc $rc, $(cat "$W/out")"
[ "$(q "SELECT count(*) FROM seguimiento_bitacora")" = "$antes" ] || fail "bitácora sin lectura"
pmm pendientes --ejercicio 2023 --con-contactos --formato csv >"$W/pend.csv"
grep -q '^D:INM,' "$W/pend.csv" || fail "pendientes no lista a D:INM: $(head -3 "$W/pend.csv")"
nuevas=$(q "SELECT count(*) FROM seguimiento_bitacora WHERE id > 0 AND accion LIKE 'contacto%'")
[ "$nuevas" -ge 1 ] || fail "leer contactos no dejó fila en la bitácora"
q "SELECT identidad FROM seguimiento_bitacora WHERE accion LIKE 'contacto%' LIMIT 1" |
    grep -q "Analista de prueba" || fail "la bitácora no dice quién leyó"
pmm pendientes --ejercicio 2023 >/dev/null
[ "$(q "SELECT count(*) FROM seguimiento_bitacora WHERE accion LIKE 'contacto%'")" = "$nuevas" ] ||
    fail "pendientes sin contactos dejó filas de contacto"

# ---- 4. property: rates equal a brute-force count ----------------------------
pmm padron --formato json >"$W/padron.json"
# 10 federal bodies active all along (acronyms that name themselves), 4 states
mapfile -t FIJOS < <(jq -r '.[] | select(.tipo == "federal" and .activo_desde <= "2018-01-01"
                                         and .activo_hasta == null and .sucesor == null)
                            | .emisor | ltrimstr("D:")' "$W/padron.json" |
                     grep -vx -e SRE -e INM | sort | head -n 40 | awk -v s=$SEMILLA 'BEGIN{srand(s)} {print rand() "\t" $0}' |
                     sort | cut -f2 | head -n 10)
UNIDADES=("${FIJOS[@]}" E:01 E:05 E:14 E:30 AGA BANSEFI)
# the body a unit is on a date (renames: the old acronym until it closes)
cuerpo() {
    case $1 in
    AGA) [[ $2 < 2022-01-01 ]] && echo D:AGA || echo D:ANAM ;;
    BANSEFI) [[ $2 < 2020-01-01 ]] && echo D:BANSEFI || echo D:BANBIEN ;;
    E:*) echo "$1" ;;
    *) echo "D:$1" ;;
    esac
}
entregar_local() { pmm entregar "$@" >>"$W/entregas.log" 2>&1 || fail "pmm entregar $*: $(tail -2 "$W/entregas.log")"; }
sel() { case $1 in E:*) echo "--entidad ${1#E:}" ;; *) echo "--dependencia $1" ;; esac; }
dia() { date -d "$1 $2 days" +%F; }

declare -A TOT
for y in 2018 2019 2020 2021 2022; do
    limite=$y-0$((4 + RANDOM % 5))-$((10 + RANDOM % 18))
    gracia=$((RANDOM % 4 * 5))
    pmm convocatoria abrir --ejercicio $y --limite $limite --gracia $gracia >/dev/null
    # remove two random fixed bodies, add one back
    quitados=()
    for i in 1 2; do
        u=${FIJOS[$((RANDOM % 10))]}
        pmm convocatoria quitar --ejercicio $y $(sel "$u") >/dev/null 2>&1 && quitados+=("D:$u") || true
    done
    if [ ${#quitados[@]} -gt 0 ] && [ $((RANDOM % 2)) = 0 ]; then
        pmm convocatoria agregar --ejercicio $y --dependencia "${quitados[0]#D:}" >/dev/null
        quitados=("${quitados[@]:1}")
    fi
    # expected: the roster's bodies of the call's types active on the deadline, minus the removed
    esperados=$(jq -r --arg l "$limite" '.[] | select(.tipo != "sociedad_civil"
                       and .activo_desde <= $l and (.activo_hasta == null or .activo_hasta >= $l))
                       | .emisor' "$W/padron.json" | sort -u)
    for qd in "${quitados[@]}"; do esperados=$(echo "$esperados" | grep -vx "$qd"); done
    declare -A ACC=()
    : >"$W/f$y.jsonl"; : >"$W/r$y.jsonl"
    k=0
    for u in "${UNIDADES[@]}"; do
        ACC[$u]=$((RANDOM % 7))
        case ${ACC[$u]} in 1|2|3|5|6) k=$((k + 1)); ficha "$u" $y "p$y-$k" >>"$W/f$y.jsonl" ;; esac
    done
    [ -s "$W/f$y.jsonl" ] && enviar "$W/f$y.jsonl"
    a_tiempo=0; tarde=0; sin=0; entregaron=0
    for u in "${UNIDADES[@]}"; do
        c=$(cuerpo "$u" "$limite")
        esperado=0; echo "$esperados" | grep -qx "$c" && esperado=1
        en_plazo=$(dia "$limite" "+$((gracia - RANDOM % 10))")
        fuera=$(dia "$limite" "+$((gracia + 1 + RANDOM % 30))")
        ok=0; puntual=0; sa=0
        case ${ACC[$u]} in
        0|1) ;;                                           # nothing, or fichas only
        2) entregar_local --ejercicio $y $(sel "$u") --fecha "$en_plazo"; ok=1; puntual=1 ;;
        3) entregar_local --ejercicio $y $(sel "$u") --fecha "$fuera"; ok=1 ;;
        4) if [ $((RANDOM % 2)) = 0 ]; then f=$en_plazo; puntual=1; else f=$fuera; fi
           entregar_local --ejercicio $y $(sel "$u") --sin-acciones --nota "sin acciones" --fecha "$f"
           ok=1; sa=1 ;;
        5|6) # delivered on time, then a new ficha reopens it; 6 delivers again (late)
           entregar_local --ejercicio $y $(sel "$u") --fecha "$en_plazo"
           k=$((k + 1)); ficha "$u" $y "p$y-$k" >>"$W/r$y.jsonl"
           [ ${ACC[$u]} = 6 ] && { ok=1; puntual=1; } ;;
        esac
        [ $esperado = 1 ] || continue
        [ $ok = 1 ] || continue
        entregaron=$((entregaron + 1)); sin=$((sin + sa))
        [ $puntual = 1 ] && a_tiempo=$((a_tiempo + 1)) || tarde=$((tarde + 1))
    done
    if [ -s "$W/r$y.jsonl" ]; then
        sleep 0.01
        enviar "$W/r$y.jsonl"
        for u in "${UNIDADES[@]}"; do
            [ ${ACC[$u]} = 6 ] && entregar_local --ejercicio $y $(sel "$u")
        done
    fi
    n=$(echo "$esperados" | grep -c .)
    TOT[e]=$(( ${TOT[e]:-0} + n )); TOT[d]=$(( ${TOT[d]:-0} + entregaron ))
    TOT[t]=$(( ${TOT[t]:-0} + a_tiempo )); TOT[s]=$(( ${TOT[s]:-0} + sin ))
    want=$(jq -nc --argjson e $n --argjson d $entregaron --argjson t $a_tiempo --argjson l $tarde \
                  --argjson s $sin '{esperados: $e, entregaron: $d, a_tiempo: $t, tarde: $l,
                  sin_acciones: $s, faltan: ($e - $d),
                  tasa: (if $e == 0 then null else ($d / $e * 10000 | round / 10000) end),
                  tasa_a_tiempo: (if $e == 0 then null else ($t / $e * 10000 | round / 10000) end)}')
    pmm cobertura --ejercicio $y --formato json >"$W/cob$y.json"
    got=$(jq -c '{esperados, entregaron, a_tiempo, tarde, sin_acciones, faltan, tasa, tasa_a_tiempo}' "$W/cob$y.json")
    [ "$got" = "$want" ] || fail "cobertura $y (límite $limite, gracia $gracia): $got; esperado $want"
    jq -e '[.tasa, .tasa_a_tiempo, (.por_tipo[] | .tasa, .tasa_a_tiempo)] | map(select(. != null)) | all(. <= 1 and . >= 0)' \
        "$W/cob$y.json" >/dev/null || fail "una tasa de $y pasa de 1"
    jq -e '.faltan == (.faltantes | length)' "$W/cob$y.json" >/dev/null || fail "faltantes de $y"
    echo "$y: $got"
done
pmm cobertura --ejercicio 2018-2022 --formato json >"$W/rango.json"
got=$(jq -c '[.esperados, .entregaron, .a_tiempo, .sin_acciones]' "$W/rango.json")
[ "$got" = "[${TOT[e]},${TOT[d]},${TOT[t]},${TOT[s]}]" ] ||
    fail "rango 2018-2022: $got; esperado [${TOT[e]},${TOT[d]},${TOT[t]},${TOT[s]}]"
jq -e '.tasa <= 1' "$W/rango.json" >/dev/null || fail "la tasa del rango pasa de 1"
# the voluntary review's methodology gives each year's reporting rates: the
# same figures as pmm cobertura
pmm revision-voluntaria --ejercicio 2018-2022 --formato md -o "$W/rv.md" >/dev/null
awk '/Respuesta a la convocatoria de cada ejercicio/ { t = 1; next }
     t && /^\|/ { filas = 1 } t && filas && /^$/ { exit }
     t && /^\| 20[0-9][0-9] \|/ { print }' "$W/rv.md" |
    awk -F' *[|] *' '{ print $2, $3, $4, $6, $7, $8 }' >"$W/rv-tasas"
[ "$(wc -l <"$W/rv-tasas")" -eq 5 ] || fail "la tabla de tasas de la revisión voluntaria no tiene 5 filas: $(cat "$W/rv-tasas")"
for y in 2018 2019 2020 2021 2022; do
    want="$y $(jq -r '[.esperados, .entregaron, .a_tiempo, .sin_acciones, .faltan] | map(tostring) | join(" ")' "$W/cob$y.json")"
    grep -qx "$want" "$W/rv-tasas" ||
        fail "la revisión voluntaria no da las tasas de $y de pmm cobertura ($want): $(cat "$W/rv-tasas")"
done
# a renamed body named by its old acronym: the message names the body called
rc=0; pmm convocatoria agregar --ejercicio 2022 --dependencia AGA 2>"$W/out" || rc=$?
[ $rc -eq 1 ] && grep -q "D:ANAM ya está en la convocatoria 2022" "$W/out" ||
    fail "agregar AGA en 2022: rc $rc, $(cat "$W/out")"
trap '"$PMM_SRC/deploy/stack.sh" stop >/dev/null 2>&1' EXIT
echo "convocatoria: entregas remotas con su alcance, revisión, contactos auditados y 5 años de tasas iguales a la cuenta directa (semilla $SEMILLA)"
