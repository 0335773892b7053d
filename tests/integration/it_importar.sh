#!/usr/bin/env bash
# it_importar.sh -- pmm importar --enviar against the running stack:
#   1. 50 fichas from a directory of Word forms, a workbook and a CSV
#      (claves of this test's own): all accepted, one JSON line each with
#      "archivo" and "tabla" or "fila"; exit 0;
#   2. the same directory again: all "repetida", the same ids; exit 0;
#   3. the older Word form without a clave: the derived clave is printed;
#      a second import is "repetida";
#   4. a corrected CSV without "reemplaza": refused (conflicto), exit 1;
#      with the version it corrects: accepted as version 2;
#   5. hostile files (not a ZIP, cut short, a .docm): refused, exit 1,
#      nothing stored (the stack's count of fichas does not move);
#   6. usage errors exit 2 with a Spanish message.
set -euo pipefail
: "${PMM_BIN:?PMM_BIN no definido}"
src=${PMM_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
# shellcheck source=lib.sh
. "$src/tests/integration/lib.sh"
export PMM_SIN_PROGRESO=1
t="$PMM_BIN/../tests/test_importar"
[ -x "$t" ] || fail "falta $t (compile los tests)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pref="imp$$"
"$t" escribir "$work/f" "$pref" || fail "no se escribieron los formularios"
mkdir "$work/envio"
mv "$work/f/fichas.csv" "$work/f/fichas.xlsx" "$work/f/muestra" "$work/envio/"

antes=$(estado_campo fichas)
rc=0
pmm importar --enviar --formato json "$work/envio" >"$work/1.jsonl" 2>"$work/1.err" || rc=$?
[ "$rc" -eq 0 ] || fail "primera importación: salida $rc: $(head -3 "$work/1.jsonl") $(cat "$work/1.err")"
[ "$(grep -c '"estado":"aceptada"' "$work/1.jsonl")" -eq 50 ] ||
    fail "se esperaban 50 aceptadas: $(grep -v aceptada "$work/1.jsonl" | head -3)"
[ "$(grep -c '"archivo":' "$work/1.jsonl")" -eq 50 ] || fail "falta «archivo» en la salida JSON"
grep -q '"tabla":1' "$work/1.jsonl" || fail "falta «tabla» en la salida JSON de un .docx"
grep -q '"fila":3' "$work/1.jsonl" || fail "falta «fila» en la salida JSON del .xlsx"
grep -q "^50 fichas: 50 aceptadas, 0 repetidas, 0 rechazadas" "$work/1.err" ||
    fail "resumen: $(cat "$work/1.err")"
esperar_cadena $((antes + 50))

pmm importar --enviar --formato json "$work/envio" >"$work/2.jsonl" 2>/dev/null ||
    fail "la segunda importación no salió con 0"
[ "$(grep -c '"estado":"repetida"' "$work/2.jsonl")" -eq 50 ] || fail "se esperaban 50 repetidas"
diff <(grep -o '"id":[0-9]*' "$work/1.jsonl") <(grep -o '"id":[0-9]*' "$work/2.jsonl") >/dev/null ||
    fail "las repetidas no traen el recibo original"

pmm importar --enviar "$work/f/viejo" >"$work/3.txt" 2>&1 || fail "formulario viejo: $(cat "$work/3.txt")"
grep -q "aceptada (id" "$work/3.txt" || fail "formulario viejo: $(cat "$work/3.txt")"
grep -q "clave derivada: sre-2022-consulados-moviles-" "$work/3.txt" ||
    fail "no se informó la clave derivada: $(cat "$work/3.txt")"
grep -q "propuesto: resultados.personas = 1915403" "$work/3.txt" ||
    fail "no se informaron las cifras propuestas"
pmm importar --enviar "$work/f/viejo" >"$work/3b.txt" 2>&1 || fail "segunda importación del formulario viejo"
grep -q "repetida (id" "$work/3b.txt" || fail "el formulario viejo no se reconoce: $(cat "$work/3b.txt")"

rc=0
pmm importar --enviar "$work/f/conflicto.csv" >"$work/4.txt" 2>&1 || rc=$?
[ "$rc" -eq 1 ] || fail "una corrección sin reemplaza debía salir con 1 (salió $rc)"
grep -q "regla conflicto" "$work/4.txt" || fail "corrección sin reemplaza: $(cat "$work/4.txt")"
pmm importar --enviar "$work/f/correccion.csv" >"$work/4b.txt" 2>&1 || fail "corrección: $(cat "$work/4b.txt")"
grep -q "aceptada (id [0-9]*, versión 2)" "$work/4b.txt" || fail "corrección: $(cat "$work/4b.txt")"
esperar_cadena $((antes + 51))   # the correction is a version, not a ficha

mkdir "$work/hostil"
printf 'no soy un zip\n' >"$work/hostil/texto.docx"
head -c 3000 "$work/envio/muestra/000.docx" >"$work/hostil/cortado.docx"
cp "$work/envio/muestra/001.docx" "$work/hostil/macros.docm"
rc=0
pmm importar --enviar "$work/hostil" >"$work/5.txt" 2>&1 || rc=$?
[ "$rc" -eq 1 ] || fail "archivos hostiles: salida $rc"
for r in formato zip macros; do
    grep -q "($r)" "$work/5.txt" || fail "archivos hostiles: falta la regla $r: $(cat "$work/5.txt")"
done
sleep 1
[ "$(estado_campo fichas)" -eq $((antes + 51)) ] || fail "un archivo hostil guardó algo"

rc=0
pmm importar --formato xml "$work/envio" >/dev/null 2>"$work/6.txt" || rc=$?
[ "$rc" -eq 2 ] && grep -q "formato admite tabla o json" "$work/6.txt" || fail "uso: salida $rc"
rc=0
pmm importar --dependencia SRE --entidad 07 x >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] || fail "--dependencia con --entidad debía salir con 2"
echo "it_importar: 50 fichas aceptadas y repetidas, clave derivada, versión 2, hostiles rechazados"
