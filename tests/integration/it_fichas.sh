#!/usr/bin/env bash
# Behind every number (issue 19), on the sample fichas of 2018-2022 through
# the whole pipeline:
#   - property test: for random filters (years, one dimension, a body or a
#     state), the number of fichas `pmm fichas` lists equals the cell of
#     `pmm totales` with the same filters, after analyst decisions and a
#     "misma acción" pair changed what counts (PMM_FICHAS_CASOS, default 150)
#   - search: accents and inflection aside, ranked, no contact data
#   - pmm ficha: versions and what changed, classification, audit trail;
#     contacts only through the administration connection, audited
#   - duplicates: a "misma acción" decision counts the pair once, both
#     bodies stay visible as participants, the recompute agrees
#   - programme links: proposals, a confirmed link gives both fichas one
#     programa_id and is never proposed again; the continuity view
set -eu   # no pipefail: grep -q may close a pipe early (SIGPIPE for pmm)
. "$(dirname "$0")/lib.sh"
stack_propia "$(dirname "$PMM_BIN")/it-fichas"
RANDOM=${PMM_FICHAS_SEMILLA:-19}
casos=${PMM_FICHAS_CASOS:-150}
owner=$(sed -n 's/^conninfo = //p' "$PMM_HOME/pmm.conf" | head -n 1)
sql() { psql "$owner" -XAtq -c "$1"; }

muestra=$PMM_HOME/muestra.jsonl
pmm muestra --ejercicio 2018-2022 --tabla >"$muestra"
# a ficha of our own: the singular «niña», «repatriación» with its accent
# and a word found nowhere else
sed -n 1p "$muestra" |
    sed -e 's/"clave":"[^"]*"/"clave":"prueba-busqueda-1"/' \
        -e 's/"programa":"[^"]*"/"programa":"Acompañamiento zxqvolt"/' \
        -e 's/"objetivo":"[^"]*"/"objetivo":"Acompañar a cada niña en su repatriación zxqvolt."/' \
        >"$PMM_HOME/propia.jsonl"
PMM_SIN_PROGRESO=1 pmm enviar "$muestra" >/dev/null
PMM_SIN_PROGRESO=1 pmm enviar "$PMM_HOME/propia.jsonl" >/dev/null
esperar_cadena 1066

esperar_indice() {
    local i
    for i in $(seq 1 300); do
        pmm estado --formato json 2>/dev/null | grep -q '"indice":{"pendientes":0}' && return 0
        sleep 0.2
    done
    fail "el índice no terminó en 60 s"
}
esperar_indice

# ---- search ------------------------------------------------------------------
propia=$(sql "SELECT id FROM fichas WHERE clave = 'prueba-busqueda-1'")
for q in "ninas zxqvolt" "niñas zxqvolt" "repatriacion zxqvolt" "REPATRIACIÓN zxqvolt"; do
    pmm fichas --ejercicio 2018 --buscar "$q" --formato json | grep -q "\"id\":$propia," ||
        fail "--buscar «$q» no encuentra la ficha $propia"
done
pmm fichas --ejercicio 2018 --buscar "zxqvolt" | grep -q "«zxqvolt»" ||
    fail "la tabla no resalta el fragmento"
# ranked: the ficha named like the query comes first
primero=$(pmm fichas --ejercicio 2022 --buscar "programa de repatriacion" --formato json | sed -n 1p)
echo "$primero" | grep -qi '"programa":"Programa de Repatriación' ||
    fail "la búsqueda no pone primero el programa de ese nombre: $primero"
# by a misspelt name (trigrams)
pmm fichas --ejercicio 2018-2022 --buscar "guia paisno" --formato json | grep -q 'Paisano' ||
    fail "--buscar por parecido del nombre no encuentra «Guía Paisano»"
echo "búsqueda: sin acentos, singular/plural, por nombre parecido, ordenada"

# ---- decisions that change what counts ---------------------------------------
# three analyst decisions (objective, sub-topic and SDGs of fichas without results)
for id in 5 321 777; do
    pmm revision fijar "$id" --objetivo 7 --subtema salud --ods 3,5 --nota prueba \
        --analista it >/dev/null
done
antes=$(pmm totales --ejercicio 2022 --formato csv | awk -F, 'NR > 1 && $1 ~ /^[0-9]+$/ { s += $NF } END { print s }')
par=$(pmm duplicados --ejercicio 2022 --formato csv |
      awk -F, 'NR > 1 && $5 == "otra_dependencia" && !x { print $1; x = 1 }')
[ -n "$par" ] || fail "no hay pares de otro emisor propuestos en 2022"
ids=$(pmm duplicados --ejercicio 2022 --formato json | grep "\"par\":$par," |
      grep -o '"ficha_[ab]":[0-9]*' | cut -d: -f2 | tr '\n' ' ')
set -- $ids
pmm duplicados decidir "$par" --misma-accion --cuenta "$1" --nota "la reportan dos" \
    --analista it >/dev/null
pmm duplicados decidir "$par" --misma-accion --cuenta 1 >/dev/null 2>&1 &&
    fail "--cuenta de una ficha ajena al par no se rechazó"
esperar_cadena 1066
despues=$(pmm totales --ejercicio 2022 --formato csv | awk -F, 'NR > 1 && $1 ~ /^[0-9]+$/ { s += $NF } END { print s }')
[ "$despues" -eq $((antes - 1)) ] || fail "misma acción: 2022 pasó de $antes a $despues fichas"
pmm fichas --ejercicio 2022 --formato json | grep "\"id\":$1," | grep -q "\"participantes\":\[\"[^\"]*\",\"" ||
    fail "la ficha que cuenta no muestra al otro emisor como participante"
pmm fichas --ejercicio 2022 --formato json | grep -q "\"id\":$2," &&
    fail "la ficha absorbida sigue en la lista"
pmm ficha "$2" --formato json | grep -q '"absorbida": true' || fail "pmm ficha no dice que no cuenta"
echo "duplicados: misma acción cuenta una vez ($antes -> $despues), con sus participantes"

# ---- property: pmm fichas equals the totals cell ------------------------------
deps=($(pmm totales --ejercicio 2018-2022 --por dependencia --formato csv | awk -F, 'NR > 1 && $NF > 0 { print $1 }'))
subtemas=($(pmm totales --ejercicio 2018-2022 --por subtema --formato csv | awk -F, 'NR > 1 { print $1 }'))
dims=(ninguna objetivo eje subtema ods ambito)
malos=0
for i in $(seq 1 "$casos"); do
    a=$((2018 + RANDOM % 5)); b=$((a + RANDOM % (2023 - a)))
    [ $((RANDOM % 2)) = 0 ] || [ "$a" = "$b" ] && rango=$a || rango=$a-$b
    filtro=()
    case $((RANDOM % 3)) in
    1) filtro=(--dependencia "${deps[RANDOM % ${#deps[@]}]}") ;;
    2) filtro=(--entidad "$(printf %02d $((1 + RANDOM % 32)))") ;;
    esac
    dim=${dims[RANDOM % ${#dims[@]}]}
    case $dim in
    ninguna) valor= ; por=ambito ;;
    objetivo) valor=$((1 + RANDOM % 23)); por=objetivo ;;
    eje) valor=$((1 + RANDOM % 6)); por=eje ;;
    subtema) valor=${subtemas[RANDOM % ${#subtemas[@]}]}; por=subtema ;;
    ods) valor=$((1 + RANDOM % 17)); por=ods ;;
    ambito) [ $((RANDOM % 2)) = 0 ] && valor=federal || valor=estatal; por=ambito ;;
    esac
    opts=(--ejercicio "$rango" "${filtro[@]}")
    [ "$dim" != ninguna ] && lista=$(pmm fichas "${opts[@]}" --"$dim" "$valor" --formato json | wc -l) ||
        lista=$(pmm fichas "${opts[@]}" --formato json | wc -l)
    # the cell: the row of that value (or, for every ficha, the sum of the
    # ámbito rows), the counts of each year summed
    celda=$(pmm totales "${opts[@]}" --por "$por" --formato csv |
            awk -F, -v v="$valor" -v rango="$rango" '
                NR == 1 { next }
                $1 !~ /^[0-9a-z_]+$/ { next }
                v == "" || $1 == v {
                    if (rango ~ /-/) for (k = 3; k <= NF; k++) s += $k; else s += $NF }
                END { print s + 0 }')
    if [ "$lista" != "$celda" ]; then
        echo "DIFIEREN: pmm fichas ${opts[*]} --$dim $valor: $lista fichas; totales: $celda" >&2
        malos=$((malos + 1))
    fi
done
[ "$malos" -eq 0 ] || fail "$malos de $casos filtros no coinciden con pmm totales"
echo "propiedad: $casos filtros al azar, pmm fichas = pmm totales en todos"
# several filters at once: the header's count equals the rows listed
n=$(pmm fichas --ejercicio 2018-2022 --objetivo 7 --subtema salud --formato json | wc -l)
pmm fichas --ejercicio 2018-2022 --objetivo 7 --subtema salud | grep -qE "^$n fichas?(;|$)" ||
    fail "la cabecera no cuenta las $n fichas listadas"
[ "$(pmm fichas --ejercicio 2018-2022 --estado-revision revisada --formato json | wc -l)" -eq 3 ] ||
    fail "--estado-revision revisada no da las 3 fichas decididas"

# ---- pmm ficha ---------------------------------------------------------------
clave=$(sed -n 2p "$muestra" | grep -o '"clave":"[^"]*"' | cut -d'"' -f4)
sed -n 2p "$muestra" | sed -e 's/"retos":"[^"]*"/"retos":"Un reto nuevo.","reemplaza":1/' \
    >"$PMM_HOME/v2.jsonl"
PMM_SIN_PROGRESO=1 pmm enviar "$PMM_HOME/v2.jsonl" | grep -q aceptada || fail "la versión 2 no se aceptó"
esperar_cadena 1066
doc=$(pmm ficha "$clave" --formato json)
echo "$doc" | grep -q '"campo": "retos"' || fail "pmm ficha no muestra qué cambió entre versiones"
echo "$doc" | grep -q '"confianza"' || fail "pmm ficha sin confianza"
echo "$doc" | grep -q '"resultado": "aceptada"' || fail "pmm ficha sin su auditoría"
pmm ficha "$clave" | grep -q "cambió retos" || fail "el texto no muestra el cambio"
correo=$(sed -n 2p "$muestra" | grep -o '"correo":"[^"]*"' | cut -d'"' -f4)
if pmm ficha "$clave" --formato json | grep -q "$correo" ||
   pmm fichas --ejercicio 2018-2022 --formato csv | grep -q "@.*\.example" ||
   pmm fichas --ejercicio 2018-2022 --buscar "$(echo "$correo" | cut -d@ -f1)" --formato json | grep -q "$correo"; then
    fail "un dato de contacto apareció sin --contacto"
fi
# contacts: the administration connection, audited
PMM_POSTGRESQL_LECTURA= pmm ficha "$clave" --contacto --analista it | grep -q "$correo" ||
    fail "--contacto no muestra el contacto"
[ "$(sql "SELECT count(*) FROM auditoria WHERE resultado = 'contacto_leido' AND clave = '$clave'")" = 1 ] ||
    fail "la lectura del contacto no quedó en la auditoría"
PMM_ADMIN_CONNINFO="$(sed -n 's/^lectura = //p' "$PMM_HOME/pmm.conf")" \
    pmm ficha "$clave" --contacto >/dev/null 2>&1 && fail "un rol de lectura leyó contactos"
echo "pmm ficha: versiones y cambios, auditoría, contacto solo para administración"

# ---- programmes --------------------------------------------------------------
linea=$(pmm programas proponer --ejercicio 2022 --formato csv | sed -n 2p)
[ -n "$linea" ] || fail "no hay vínculos propuestos en 2022"
act=$(echo "$linea" | cut -d, -f3); ant=$(echo "$linea" | cut -d, -f6)
pmm programas vincular "$act" --con "$ant" --analista it >/dev/null
pid_act=$(pmm ficha "$act" --formato json | grep '"programa_id"' | grep -o '[0-9]*')
pid_ant=$(pmm ficha "$ant" --formato json | grep '"programa_id"' | grep -o '[0-9]*')
[ "$pid_act" = "$pid_ant" ] || fail "programa_id distinto tras confirmar ($pid_act, $pid_ant)"
pmm programas proponer --ejercicio 2022 --formato csv | grep -q "^[^,]*,[^,]*,$act," &&
    fail "una ficha con vínculo confirmado se volvió a proponer"
pmm programas --ejercicio 2022 --formato json | grep -q '"continuan"' || fail "pmm programas sin grupos"
pmm programas vincular "$ant" --con "$act" >/dev/null 2>&1 && fail "un vínculo hacia el futuro se aceptó"

# the recompute agrees with everything maintained incrementally
pmm agregar --ahora | grep -q " 0 diferencias" || fail "el recálculo encontró diferencias"
echo "programas: propuestas, vínculo confirmado, programa_id estable; recálculo sin diferencias"
