#!/usr/bin/env bash
# it_informe_pdf.sh -- the Informe Ejecutivo and the Compendio General
# printed to PDF as they are published: deploy/pdf/imprimir.mjs drives
# Debian's Chromium through puppeteer-core (installed by deploy/test.sh with
# npm ci in deploy/pdf) and pdftotext (poppler-utils) reads the result.
#
# Checks, for the Informe from the fixed dataset (no database) and from the
# running stack, and for the Compendio:
#   - every page carries "Página N de M", N = 1..M, M = the page count;
#   - no internal code in the text: sub-topic codes of the taxonomies that
#     are not words (with "_" or without their accent), challenge category
#     codes with "_", file names (*.csv), classifier and model versions
#     ("modelo:", "lexico:", "pmm-clasif");
#   - page 1 holds the summary (not the contents box alone);
#   - the Compendio prints each ficha's identifier and several fichas a page.
# A page without its number must make the check fail: a PDF printed without
# the footer is checked too.
set -euo pipefail

: "${PMM_BIN:?PMM_BIN no definido}"
: "${PMM_HOME:?PMM_HOME no definido}"
src=${PMM_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
pmm="$PMM_BIN/pmm"
export PMM_HOME

fail() { echo "it_informe_pdf: FALLO: $*" >&2; exit 1; }
say() { echo "it_informe_pdf: $*"; }

# No test installs anything: deploy/test.sh does (deploy/deps.sh, npm ci).
command -v node >/dev/null || fail "falta node (./deploy/deps.sh lo instala)"
command -v pdftotext >/dev/null || fail "falta pdftotext (poppler-utils; ./deploy/deps.sh)"
[ -x /usr/bin/chromium ] || fail "falta /usr/bin/chromium (./deploy/deps.sh)"
[ -d "$src/deploy/pdf/node_modules/puppeteer-core" ] ||
    fail "falta puppeteer-core: ejecute (cd deploy/pdf && npm ci) o ./deploy/test.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

imprimir() { node "$src/deploy/pdf/imprimir.mjs" "$1" "$2" >/dev/null; }

# codes that must never be printed
codigos=$(for f in "$src"/data/taxonomias/*.csv; do
    tail -n +2 "$f" | cut -d, -f4
done | sort -u | grep -E '_|cion$' || true)
codigos="$codigos
$(tail -n +2 "$src/data/retos.csv" | cut -d, -f1 | grep _ || true)"

# check_numeros PDF: "Página N de M" on every page
check_numeros() {
    local pdf=$1 paginas n texto
    paginas=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
    [ "${paginas:-0}" -ge 2 ] || fail "$pdf: $paginas páginas"
    for n in $(seq 1 "$paginas"); do
        texto=$(pdftotext -f "$n" -l "$n" -layout "$pdf" -)
        grep -q "Página $n de $paginas" <<<"$texto" ||
            fail "$(basename "$pdf"): la página $n no lleva «Página $n de $paginas»"
    done
    echo "$paginas"
}

check_sin_codigos() {
    local pdf=$1 txt=$work/$(basename "$1").txt c
    pdftotext "$pdf" "$txt"
    while read -r c; do
        [ -n "$c" ] || continue
        if grep -qw -- "$c" "$txt"; then
            fail "$(basename "$pdf") muestra el código interno «$c»: $(grep -w -m1 -- "$c" "$txt")"
        fi
    done <<<"$codigos"
    if grep -nE '[A-Za-z_]+\.csv|modelo:|lexico:|pmm-clasif|sin-modelo' "$txt"; then
        fail "$(basename "$pdf") muestra nombres de archivo o versiones del modelo"
    fi
}

# 0. the page-number check can fail: the same HTML printed without footer
"$pmm" informe --datos "$src/tests/data/informe_min.json" --formato html \
    -o "$work/min.html" >/dev/null
timeout 120 /usr/bin/chromium --headless --no-sandbox --disable-gpu --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$(mktemp -d "$work/perfil.XXXX")" --no-pdf-header-footer \
    --print-to-pdf="$work/sin_pie.pdf" "file://$work/min.html" 2>/dev/null
[ -s "$work/sin_pie.pdf" ] || fail "chromium no imprimió el PDF de control"
if (check_numeros "$work/sin_pie.pdf") >/dev/null 2>&1; then
    fail "la comprobación de números de página no detecta un PDF sin ellos"
fi

# 1. the fixed dataset
imprimir "$work/min.html" "$work/min.pdf"
n=$(check_numeros "$work/min.pdf")
check_sin_codigos "$work/min.pdf"
pdftotext -f 1 -l 1 "$work/min.pdf" - | grep -q "1. Resumen" ||
    fail "la página 1 no empieza el resumen (¿índice solo?)"
say "informe (datos fijos): $n páginas numeradas, sin códigos internos"

# 2. the stack: sample fichas with claves of this test's own
"$pmm" muestra --ejercicio 2021-2022 --n 150 --semilla 2323 |
    sed 's/"clave":"/"clave":"itpdf-/' | "$pmm" enviar - >"$work/enviar.log" ||
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
imprimir "$work/vivo.html" "$work/vivo.pdf"
n=$(check_numeros "$work/vivo.pdf")
check_sin_codigos "$work/vivo.pdf"
# full objective names, wrapped, never cut with "…"
pdftotext "$work/vivo.pdf" - | grep -q "Abordar y reducir las vulnerabilidades en…" &&
    fail "un nombre de objetivo sale cortado"
say "informe (pila): $n páginas numeradas, sin códigos internos"

# 3. the Compendio: identifiers, several fichas a page
"$pmm" compendio --ejercicio 2022 --formato html -o "$work/comp.html" >/dev/null
imprimir "$work/comp.html" "$work/comp.pdf"
n=$(check_numeros "$work/comp.pdf")
check_sin_codigos "$work/comp.pdf"
fichas=$(pdftotext "$work/comp.pdf" - | grep -c "^Ficha [0-9]* · clave\|^Ficha [0-9]*, versión" || true)
[ "$fichas" -gt 0 ] || fail "el compendio no muestra el identificador de las fichas"
[ $((fichas)) -ge $((2 * n)) ] ||
    fail "el compendio no es compacto: $fichas fichas en $n páginas"
say "compendio: $fichas fichas en $n páginas numeradas"
say "correcto"
