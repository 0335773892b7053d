#!/usr/bin/env bash
# it_informe_html.sh -- the HTML Informe Ejecutivo opened in headless Chromium.
#
# 1. Renders the report from the fixed dataset tests/data/informe_min.json
#    (pmm informe --datos, no database) and from the running stack (sample
#    fichas sent with claves of their own, live and from a year close).
# 2. For each page: a screenshot that is a non-empty PNG; no console errors
#    or failed loads in Chromium's log; in the DOM Chromium built, the tile
#    map has 32 tiles, the bar charts have bars, every chart has a title.
# 3. --desde-cierre renders byte-identical twice.
# A page with a deliberate script error checks that the console check can
# fail at all.
#
# Environment (tests/integration/CMakeLists.txt): PMM_HOME (running stack),
# PMM_BIN, PMM_SRC. Needs chromium (installed by deploy/test.sh through
# deploy/deps.sh); fails when it is missing.
set -euo pipefail

: "${PMM_BIN:?PMM_BIN no definido}"
: "${PMM_HOME:?PMM_HOME no definido}"
src=${PMM_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
pmm="$PMM_BIN/pmm"
export PMM_HOME

fail() { echo "it_informe_html: FALLO: $*" >&2; exit 1; }
say() { echo "it_informe_html: $*"; }

# No test installs packages: deploy/test.sh installs chromium (deploy/deps.sh),
# so a missing browser is a failure of the set-up, not a reason to skip.
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] ||
    fail "no se encontró chromium (ni chromium-browser); instálelo con ./deploy/deps.sh chromium o ejecute ./deploy/test.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# chromium_run NAME URL EXTRA...: runs headless Chromium with a fresh profile
# and no network; log in $work/NAME.log.
chromium_run() {
    local name=$1 url=$2
    shift 2
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --disable-extensions --user-data-dir="$(mktemp -d "$work/perfil.XXXX")" \
        --enable-logging=stderr --v=0 "$@" "$url" 2>"$work/$name.log"
}

console_errors() {
    grep -E "Uncaught|ERROR:CONSOLE|CONSOLE\([0-9]+\)\].*[Ee]rror|Failed to load resource|net::ERR_" \
        "$1" || true
}

# check_page FILE MIN_ACTIVE_TILES
check_page() {
    local html=$1 min_active=$2 name
    name=$(basename "$html" .html)
    [ -s "$html" ] || fail "$html vacío"
    chromium_run "$name-shot" "file://$html" --screenshot="$work/$name.png" \
        --window-size=1280,4000 >/dev/null ||
        fail "chromium no pudo abrir $html (log: $(tail -3 "$work/$name-shot.log"))"
    [ -s "$work/$name.png" ] || fail "$name: captura vacía"
    [ "$(head -c 8 "$work/$name.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
        fail "$name: la captura no es PNG"
    local bytes
    bytes=$(stat -c %s "$work/$name.png")
    [ "$bytes" -gt 20000 ] || fail "$name: captura demasiado pequeña ($bytes bytes)"
    local errs
    errs=$(console_errors "$work/$name-shot.log")
    [ -z "$errs" ] || fail "$name: errores en la consola: $errs"

    chromium_run "$name-dom" "file://$html" --dump-dom >"$work/$name.dom" ||
        fail "$name: chromium --dump-dom falló"
    errs=$(console_errors "$work/$name-dom.log")
    [ -z "$errs" ] || fail "$name: errores en la consola: $errs"
    local dom=$work/$name.dom
    local tiles bars svgs titled active figs
    tiles=$(grep -o 'class="tesela"' "$dom" | wc -l)
    [ "$tiles" -eq 32 ] || fail "$name: el mapa tiene $tiles teselas, no 32"
    active=$(grep -o 'class="tesela" data-entidad="[0-9]*" x="[0-9]*" y="[0-9]*" width="[0-9]*" height="[0-9]*" rx="4" fill="#[0-9a-f]*"' "$dom" |
        grep -vc 'fill="#eef0f3"' || true)
    [ "$active" -ge "$min_active" ] ||
        fail "$name: $active entidades coloreadas con acciones, se esperaban al menos $min_active"
    bars=$(grep -o '<rect class="barra"[^>]* width="[1-9][0-9]*"' "$dom" | wc -l)
    [ "$bars" -gt 0 ] || fail "$name: las gráficas no tienen barras"
    svgs=$(grep -o '<svg ' "$dom" | wc -l)
    titled=$(grep -oE '<title id="g[0-9]+-t">[^<]+</title>' "$dom" | wc -l)
    [ "$svgs" -ge 5 ] || fail "$name: solo $svgs gráficas"
    [ "$titled" -eq "$svgs" ] || fail "$name: $svgs gráficas y $titled títulos"
    figs=$(grep -o '<figcaption>Gráfica [0-9]*' "$dom" | wc -l)
    [ "$figs" -eq "$svgs" ] || fail "$name: $svgs gráficas y $figs pies de gráfica"
    for id in resumen objetivos ambito instituciones entidades ejes ods retos metodo; do
        grep -q "<section id=\"$id\"" "$dom" || fail "$name: falta la sección $id"
    done
    say "$name: captura ${bytes} bytes, $tiles teselas ($active con acciones), $bars barras, $svgs gráficas, sin errores de consola"
}

# 0. the console check can fail
cat >"$work/roto.html" <<'EOF'
<!DOCTYPE html><html lang="es"><head><meta charset="utf-8"><title>x</title></head>
<body><p>prueba</p><script>funcionInexistente();</script></body></html>
EOF
chromium_run roto "file://$work/roto.html" --dump-dom >/dev/null || true
[ -n "$(console_errors "$work/roto.log")" ] ||
    fail "la comprobación de la consola no detecta un error de script (log: $(tail -5 "$work/roto.log"))"

# 1. from the fixed dataset, no database
"$pmm" informe --datos "$src/tests/data/informe_min.json" --formato html \
    -o "$work/min.html" >/dev/null
check_page "$work/min.html" 2

# 2. from the stack: sample fichas with claves of this test's own
"$pmm" muestra --ejercicio 2021-2022 --n 120 --semilla 4242 |
    sed 's/"clave":"/"clave":"itinf-/' | "$pmm" enviar - >"$work/enviar.log" ||
    fail "pmm enviar falló: $(tail -3 "$work/enviar.log")"
ok=0
for _ in $(seq 1 120); do
    if "$pmm" estado --formato json 2>/dev/null |
        grep -q '"pendientes": *{ *"clasificar": *0, *"agregar": *0 *}'; then
        ok=1
        break
    fi
    sleep 0.5
done
[ "$ok" = 1 ] || fail "la cadena no terminó de clasificar y agregar en 60 s"
"$pmm" informe --ejercicio 2022 --formato html -o "$work/vivo.html" >/dev/null
check_page "$work/vivo.html" 1

# 3. from the year close, byte-identical on every run
"$pmm" cierre --ejercicio 2022 --forzar >/dev/null
"$pmm" informe --ejercicio 2022 --desde-cierre --formato html -o "$work/cierre1.html" >/dev/null
sleep 1
"$pmm" informe --ejercicio 2022 --desde-cierre --formato html -o "$work/cierre2.html" >/dev/null
cmp -s "$work/cierre1.html" "$work/cierre2.html" || fail "--desde-cierre no es idéntico entre corridas"
for f in md csv; do
    "$pmm" informe --ejercicio 2022 --desde-cierre --formato $f >"$work/c1.$f"
    "$pmm" informe --ejercicio 2022 --desde-cierre --formato $f >"$work/c2.$f"
    cmp -s "$work/c1.$f" "$work/c2.$f" || fail "--desde-cierre ($f) no es idéntico entre corridas"
done
grep -q "Cierre del ejercicio" "$work/cierre1.html" || fail "el informe no menciona el cierre"
check_page "$work/cierre1.html" 1

# 4. CSV, one file per table
"$pmm" informe --ejercicio 2022 --desde-cierre --formato csv -o "$work/tablas/" >/dev/null
[ -s "$work/tablas/objetivos.csv" ] || fail "falta tablas/objetivos.csv"
[ "$(wc -l <"$work/tablas/objetivos.csv")" -eq 24 ] || fail "objetivos.csv no tiene 23 filas"

# 5. the Compendio renders and never carries contact data
"$pmm" compendio --ejercicio 2022 --formato html -o "$work/compendio.html" >/dev/null
grep -q "Objetivo 23" "$work/compendio.html" || fail "el compendio no llega al objetivo 23"
if grep -qiE '@[a-z0-9.-]*\.example|55 0000' "$work/compendio.html"; then
    fail "el compendio contiene datos de contacto"
fi
say "correcto"
