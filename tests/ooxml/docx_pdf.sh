#!/usr/bin/env bash
# tests/ooxml/docx_pdf.sh -- a document of the Word writer (lib/ooxml/docx.h)
# opens in LibreOffice: converted to PDF headless, it has two pages, the
# title, the table's text and the footer "Página N de 2".
#
# Needs soffice (libreoffice-writer-nogui) and pdftotext (poppler-utils),
# installed by deploy/test.sh through deploy/deps.sh: without them the test
# fails, saying so. Environment: PMM_TESTS (the unit test binaries).
set -euo pipefail
fail() { echo "docx_pdf: FALLO: $*" >&2; exit 1; }
: "${PMM_TESTS:?PMM_TESTS no definido}"
command -v soffice >/dev/null || fail "no se encontró soffice: ./deploy/deps.sh libreoffice-writer-nogui"
command -v pdftotext >/dev/null || fail "no se encontró pdftotext: ./deploy/deps.sh poppler-utils"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$PMM_TESTS/test_docx" "$work/doc.docx"
timeout 120 soffice "-env:UserInstallation=file://${work// /%20}/perfil" --headless \
    --convert-to pdf --outdir "$work" "$work/doc.docx" >"$work/soffice.log" 2>&1 ||
    fail "soffice no convirtió el documento: $(tail -3 "$work/soffice.log")"
[ -s "$work/doc.pdf" ] || fail "soffice no escribió el PDF"
pdftotext -layout "$work/doc.pdf" "$work/doc.txt"
for t in "Ficha técnica de prueba" "Sección 1.1.1" "Nombre del programa" \
    "Módulos de información" "RESULTADOS ALCANZADOS" "Gráfica 1. Un cuadro de prueba" \
    "ñandú" "Página 1 de 2" "Página 2 de 2"; do
    grep -qF "$t" "$work/doc.txt" || fail "el PDF no contiene «$t»"
done
if grep -q "Página 3" "$work/doc.txt"; then fail "el PDF tiene más de dos páginas"; fi
echo "docx_pdf: LibreOffice convierte el documento a PDF (2 páginas, pie con número de página)"
