#!/usr/bin/env bash
# tests/ooxml/informe_docx.sh -- the Word edition of the Informe Ejecutivo
# (`pmm informe --formato docx`, lib/informe/informe_docx.c) checked by a
# program that did not write it: from the fixed dataset
# (tests/data/informe_min.json, no database), LibreOffice converts the DOCX
# to PDF headless without error, and the PDF's text (pdftotext) contains
# every number of the HTML edition's text (the charts' numbers are pictures
# in Word: they are left out of the HTML side), the section headings, the
# table captions and "Página N de M" on every page. The same dataset gives
# the same DOCX bytes twice. A DOCX with a number removed must fail the
# comparison (checked on the HTML side: a figure missing from the PDF is
# reported).
#
# Needs soffice, pdftotext and pdfinfo (deploy/deps.sh, as docx_pdf.sh);
# fails without them. Environment: PMM_BIN, PMM_SRC.
set -euo pipefail
fail() { echo "informe_docx: FALLO: $*" >&2; exit 1; }
: "${PMM_BIN:?PMM_BIN no definido}"
: "${PMM_SRC:?PMM_SRC no definido}"
command -v soffice >/dev/null || fail "no se encontró soffice: ./deploy/deps.sh libreoffice-writer-nogui"
command -v pdftotext >/dev/null || fail "no se encontró pdftotext: ./deploy/deps.sh poppler-utils"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pmm="$PMM_BIN/pmm"
datos="$PMM_SRC/tests/data/informe_min.json"

"$pmm" informe --datos "$datos" --formato docx -o "$work/informe.docx" >/dev/null
"$pmm" informe --datos "$datos" --formato docx -o "$work/otra.docx" >/dev/null
cmp -s "$work/informe.docx" "$work/otra.docx" || fail "dos DOCX del mismo conjunto de datos difieren"
"$pmm" informe --datos "$datos" --formato html -o "$work/informe.html" >/dev/null
err=$("$pmm" informe --datos "$datos" --formato docx 2>&1 >/dev/null) && fail "docx sin -o no falló"
grep -q -- "--formato docx necesita -o" <<<"$err" || fail "docx sin -o: «$err»"

timeout 180 soffice "-env:UserInstallation=file://${work// /%20}/perfil" --headless \
    --convert-to pdf --outdir "$work" "$work/informe.docx" >"$work/soffice.log" 2>&1 ||
    fail "soffice no convirtió el documento: $(tail -3 "$work/soffice.log")"
[ -s "$work/informe.pdf" ] || fail "soffice no escribió el PDF"
pdftotext -layout "$work/informe.pdf" "$work/informe.txt"

. "$PMM_SRC/tests/numeros.sh"
texto_html "$work/informe.html" "$work/html.txt"
numeros "$work/html.txt" >"$work/html.num"
numeros "$work/informe.txt" pdf >"$work/pdf.num"
[ "$(wc -l <"$work/html.num")" -ge 20 ] || fail "la edición HTML tiene pocos números: $(tr '\n' ' ' <"$work/html.num")"
faltan=$(comm -23 "$work/html.num" "$work/pdf.num" | tr '\n' ' ')
[ -z "$faltan" ] || fail "el PDF del DOCX no contiene estos números de la edición HTML: $faltan"
# the comparison can fail: a number the PDF lacks is reported
echo 987654321 >>"$work/html.num"
[ -n "$(comm -23 <(sort -u "$work/html.num") "$work/pdf.num")" ] ||
    fail "la comparación de números no detecta uno que falta"

for t in "Informe Ejecutivo 2022" "1. Resumen" "2. Acciones por objetivo del Pacto" \
    "Tabla 1. Acciones e instituciones participantes por ejercicio" "Gráfica 1."; do
    grep -qF "$t" "$work/informe.txt" || fail "el PDF no contiene «$t»"
done
paginas=$(pdfinfo "$work/informe.pdf" | awk '/^Pages:/ {print $2}')
[ "${paginas:-0}" -ge 2 ] || fail "el PDF tiene $paginas páginas"
for n in $(seq 1 "$paginas"); do
    pdftotext -f "$n" -l "$n" -layout "$work/informe.pdf" - | grep -q "Página $n de $paginas" ||
        fail "la página $n no lleva «Página $n de $paginas»"
done
echo "informe_docx: LibreOffice convierte el DOCX a PDF ($paginas páginas numeradas) con los" \
     "$(wc -l <"$work/pdf.num") números del texto, todos los $(($(wc -l <"$work/html.num") - 1)) de la edición HTML"
