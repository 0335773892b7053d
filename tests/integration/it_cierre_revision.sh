#!/usr/bin/env bash
# it_cierre_revision.sh -- issue 23 against the running stack: one
# vocabulary, the year close, the analysts' decisions.
#
#  1. vocabulary: a column name means the same in every format: `acciones`
#     of the Informe's CSV = `fichas` of pmm totales (csv and json) per
#     objective; the sums are actividades_reportadas... in totales and in the
#     Informe's summary, and equal;
#  2. close: a second close with nothing changed stores nothing; --listar
#     (times in the unit's zone, ISO 8601 with offset in JSON); the Compendio
#     from the close, byte-identical; getopt's English never shows;
#  3. decisions: the analyst's name (PMM_ANALISTA), an anonymous decision
#     refused with [general] exigir_analista = 1, the warning after a close,
#     the SDGs recomputed for a new sub-topic unless decided, evidence
#     without model internals, the taxonomy of each year (2023 from 2023).
# Uses an exercise year of its own (2026, whose taxonomy is 2023, for the close) so that other tests'
# fichas do not move its figures.
set -euo pipefail
: "${PMM_BIN:?PMM_BIN no definido}"
: "${PMM_HOME:?PMM_HOME no definido}"
export PMM_HOME
pmm="$PMM_BIN/pmm"
fail() { echo "it_cierre_revision: FALLO: $*" >&2; exit 1; }
say() { echo "it_cierre_revision: $*"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
conninfo=$(sed -n 's/^conninfo = //p' "$PMM_HOME/pmm.conf" | head -n 1)
sql() { psql "$conninfo" -Atc "$1"; }
esperar() {
    for _ in $(seq 1 240); do
        "$pmm" estado --formato json 2>/dev/null |
            grep -q '"pendientes": *{ *"clasificar": *0, *"agregar": *0 *}' && return 0
        sleep 0.25
    done
    fail "la cadena no terminó en 60 s"
}
Y=2026

# fichas of year Y (the 2022 sample moved to Y, claves of this test's own)
# and a few of 2023
"$pmm" muestra --ejercicio 2022 --n 80 --semilla 9393 |
    sed -e "s/\"clave\":\"\([a-z0-9]*\)-2022-/\"clave\":\"itcr-\1-$Y-/" \
        -e "s/\"ejercicio\":2022/\"ejercicio\":$Y/" >"$work/y.jsonl"
"$pmm" muestra --ejercicio 2023 --n 5 --semilla 9394 |
    sed 's/"clave":"/"clave":"itcr23-/' >>"$work/y.jsonl"
"$pmm" enviar "$work/y.jsonl" >"$work/enviar.log" 2>&1 ||
    fail "pmm enviar: $(tail -3 "$work/enviar.log")"
esperar

# ---- 1. vocabulary ---------------------------------------------------------
"$pmm" totales --ejercicio $Y --formato csv >"$work/t.csv"
head -1 "$work/t.csv" | grep -qx \
    'objetivo,nombre,actividades_reportadas,personas_reportadas,mujeres_reportadas,hombres_reportadas,fichas' ||
    fail "cabecera de pmm totales csv: $(head -1 "$work/t.csv")"
"$pmm" totales --ejercicio $Y --formato json >"$work/t.json"
grep -q '"acciones"' "$work/t.json" && fail "pmm totales json aún usa la clave «acciones» para una suma"
"$pmm" informe --ejercicio $Y --formato csv -o "$work/tablas/" >/dev/null
for o in 3 7 15; do
    t=$(awk -F, -v o=$o '$1 == o {print $NF}' "$work/t.csv")
    # objetivos.csv: lugar,objetivo,titulo,acciones,porcentaje (titulo may be quoted)
    i=$(python3 -c "import csv,sys
for r in csv.DictReader(open('$work/tablas/objetivos.csv')):
    if r['objetivo'] == '$o': print(r['acciones'])")
    [ "$t" = "$i" ] || fail "objetivo $o: fichas en totales $t, acciones en el informe $i"
done
suma=$(python3 -c "import json; print(json.load(open('$work/t.json'))['total']['actividades_reportadas'])")
inf=$(awk -F, '$1 == "actividades_reportadas" {print $NF}' "$work/tablas/resumen.csv")
[ "$suma" = "$inf" ] || fail "actividades_reportadas: totales $suma, informe $inf"
"$pmm" informe --ejercicio $Y --formato md >"$work/inf.md"
grep -q "no personas únicas" "$work/inf.md" || fail "el informe no advierte que las sumas no son personas únicas"
say "vocabulario: acciones = fichas en totales e informe; sumas con nombre propio ($suma actividades reportadas)"

# ---- 2. the close ---------------------------------------------------------
"$pmm" cierre --ejercicio $Y --forzar >"$work/c1.out"
grep -q "hora de" "$work/c1.out" || fail "pmm cierre no dice la zona horaria: $(cat "$work/c1.out")"
n1=$(sql "SELECT count(*) FROM cierres WHERE ejercicio = $Y")
"$pmm" cierre --ejercicio $Y --forzar >"$work/c2.out"
grep -q "Sin cambios desde el cierre" "$work/c2.out" || fail "segundo cierre: $(cat "$work/c2.out")"
n2=$(sql "SELECT count(*) FROM cierres WHERE ejercicio = $Y")
[ "$n1" = "$n2" ] || fail "un cierre sin cambios guardó otro ($n1 -> $n2)"
"$pmm" cierre --listar --ejercicio $Y --formato json >"$work/l.json"
python3 - "$work/l.json" <<'PY' || fail "pmm cierre --listar --formato json"
import json, re, sys
l = json.load(open(sys.argv[1]))
assert len(l) == 1, l
iso = re.compile(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$')
assert iso.match(l[0]['creado']) and iso.match(l[0]['corte']), l[0]
assert l[0]['con_compendio'] is True
PY
TZ=America/Tijuana "$pmm" cierre --listar --ejercicio $Y >"$work/l.txt"
grep -q "America/Tijuana" "$work/l.txt" || fail "pmm cierre --listar no usa la zona horaria pedida"
"$pmm" compendio --ejercicio $Y --desde-cierre -o "$work/comp1.html" >/dev/null
sleep 1
"$pmm" compendio --ejercicio $Y --desde-cierre -o "$work/comp2.html" >/dev/null
cmp -s "$work/comp1.html" "$work/comp2.html" || fail "compendio --desde-cierre no es idéntico"
"$pmm" informe --ejercicio $Y --desde-cierre --formato md >"$work/i1.md"
"$pmm" informe --ejercicio $Y --desde-cierre --formato md >"$work/i2.md"
cmp -s "$work/i1.md" "$work/i2.md" || fail "informe --desde-cierre no es idéntico"
set +e
"$pmm" compendio --ejercicio $Y --desde-cierrre >/dev/null 2>"$work/err"
rc=$?
set -e
[ $rc = 2 ] || fail "opción mal escrita: código $rc"
grep -qi "unrecognized\|invalid option" "$work/err" && fail "getopt en inglés: $(cat "$work/err")"
grep -q "opción desconocida «--desde-cierrre»" "$work/err" || fail "mensaje: $(cat "$work/err")"
say "cierre: uno solo sin cambios, lista con horas ISO 8601, compendio desde el cierre idéntico"

# ---- 3. decisions ----------------------------------------------------------
# a ficha with results counted under health with SDG 3
id=$(sql "SELECT a.ficha_id FROM agregados a WHERE a.ejercicio = $Y AND a.subtema = 'salud'
           AND 3 = ANY (a.ods) ORDER BY a.ficha_id LIMIT 1")
[ -n "$id" ] || fail "no hay una ficha de salud con ODS 3 en $Y"
set +e
env -u PMM_ANALISTA USER=alguien PMM_GENERAL_EXIGIR_ANALISTA=1 PMM_CLIENTE_CLAVE= \
    "$pmm" revision fijar "$id" --subtema proteccion >/dev/null 2>"$work/err"
rc=$?
set -e
[ $rc = 2 ] || fail "decisión anónima con exigir_analista = 1: código $rc"
grep -q "exigir_analista" "$work/err" || fail "mensaje: $(cat "$work/err")"
PMM_ANALISTA="Ana Prueba" "$pmm" revision fijar "$id" --subtema proteccion --nota it \
    >"$work/f.out" 2>"$work/f.err" || fail "revision fijar: $(cat "$work/f.err")"
grep -q "por Ana Prueba" "$work/f.out" || fail "nombre del analista: $(cat "$work/f.out")"
grep -q "cierre nuevo" "$work/f.err" || fail "sin aviso del cierre: $(cat "$work/f.err")"
[ "$(sql "SELECT analista FROM decisiones WHERE ficha_id = $id ORDER BY id DESC LIMIT 1")" = "Ana Prueba" ] ||
    fail "la decisión no guarda el nombre del analista"
esperar
ods=$(sql "SELECT array_to_string(ods, ',') FROM agregados WHERE ficha_id = $id")
prop=$(sql "SELECT array_to_string(ods_propuesta, ',') FROM decisiones WHERE ficha_id = $id ORDER BY id DESC LIMIT 1")
[ "$ods" = "$prop" ] || fail "ODS contados $ods, propuesta $prop"
case ",$ods," in *,3,*) fail "la ficha pasó a protección y conserva el ODS 3 ($ods)" ;; esac
# SDGs decided too: no proposal, the analyst's list counts
PMM_ANALISTA="Ana Prueba" "$pmm" revision fijar "$id" --subtema salud --ods 3,10 >/dev/null 2>&1
esperar
[ "$(sql "SELECT ods_propuesta IS NULL FROM decisiones WHERE ficha_id = $id ORDER BY id DESC LIMIT 1")" = t ] ||
    fail "con --ods no debe guardarse propuesta"
[ "$(sql "SELECT array_to_string(ods, ',') FROM agregados WHERE ficha_id = $id")" = "3,10" ] ||
    fail "los ODS decididos no cuentan"
# evidence for analysts: no weights, feature syntax or codes
"$pmm" revision --ejercicio $Y --n 80 --formato json >"$work/rev.json"
if grep -oE '"evidencia":\[[^]]*\]' "$work/rev.json" |
    grep -E 'rasgo|\(\+|«#|«p:|«@|«~|→|léxico «'; then
    fail "la evidencia muestra detalles internos del modelo"
fi
grep -q "términos del texto que más pesaron" "$work/rev.json" ||
    fail "la evidencia no cita los términos del texto"
# the taxonomy of each year
[ "$(sql "SELECT DISTINCT c.taxonomia FROM agregados a JOIN clasificaciones c ON c.id = a.clasificacion_id
           WHERE a.clave LIKE 'itcr23-%'")" = 2023 ] || fail "las fichas de 2023 no usan la taxonomía 2023"
[ "$(sql "SELECT DISTINCT c.taxonomia FROM agregados a JOIN clasificaciones c ON c.id = a.clasificacion_id
           WHERE a.ejercicio = $Y")" = 2023 ] || fail "las fichas de $Y no usan la taxonomía 2023"
"$pmm" totales --ejercicio 2022-2023 --por subtema --formato json >"$work/tax.json"
grep -q '"taxonomia": "2018-2022 y 2023"' "$work/tax.json" ||
    fail "pmm totales no muestra las taxonomías de cada año: $(grep taxonomia "$work/tax.json")"
say "decisiones: nombre del analista, anónimas rechazadas, aviso tras el cierre, ODS recalculados, evidencia legible, taxonomía por año"
say "correcto"
