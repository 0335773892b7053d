#!/usr/bin/env bash
# tests/ooxml/libreoffice_importar.sh -- forms filled by the project, saved
# again by LibreOffice, read by the importer: the same fichas.
#
# test_importar escribir writes filled forms (sample fichas of 2018-2022:
# 10 Word forms, a workbook of 20, a CSV of 20) and the normal form of each
# ficha. LibreOffice (soffice --headless --convert-to) rewrites the Word
# forms as .docx and .odt and the workbook as .xlsx and .ods; CSV is opened
# as UTF-8 and saved as .xlsx too. Every converted file must give exactly the
# fichas that filled it (test_importar comparar), and `pmm importar` must
# accept the whole directory of converted files in a dry run (exit 0).
#
# Needs soffice (libreoffice-writer-nogui, libreoffice-calc-nogui; deploy/
# test.sh installs them): without it the test fails, saying so.
# Environment: PMM_TESTS, PMM_BIN, PMM_DATOS.
set -euo pipefail
fail() { echo "libreoffice_importar: FALLO: $*" >&2; exit 1; }
: "${PMM_TESTS:?PMM_TESTS no definido}"
: "${PMM_BIN:?PMM_BIN no definido}"
command -v soffice >/dev/null ||
    fail "no se encontró soffice: ./deploy/deps.sh libreoffice-writer-nogui libreoffice-calc-nogui"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
t="$PMM_TESTS/test_importar"
"$t" escribir "$work/orig" || fail "no se escribieron los formularios"
esp="$work/orig/esperadas.jsonl"

lo() {   # lo FORMATO DESTINO ARCHIVOS...
    local fmt=$1 out=$2
    shift 2
    mkdir -p "$out"
    timeout 300 soffice "-env:UserInstallation=file://${work// /%20}/perfil" --headless \
        --convert-to "$fmt" --outdir "$out" "$@" >>"$work/soffice.log" 2>&1 ||
        fail "soffice --convert-to $fmt: $(tail -3 "$work/soffice.log")"
}
lo 'docx:MS Word 2007 XML' "$work/lo/docx" "$work"/orig/muestra/*.docx
lo odt "$work/lo/odt" "$work"/orig/muestra/*.docx
lo 'xlsx:Calc MS Excel 2007 XML' "$work/lo/xlsx" "$work/orig/fichas.xlsx"
lo ods "$work/lo/ods" "$work/orig/fichas.xlsx"
mkdir -p "$work/csv"
cp "$work/orig/fichas.csv" "$work/csv/desde_csv.csv"
# CSV as UTF-8 (76), comma-separated (44), text in double quotes (34)
timeout 300 soffice "-env:UserInstallation=file://${work// /%20}/perfil" --headless \
    --infilter=CSV:44,34,76,1 --convert-to 'xlsx:Calc MS Excel 2007 XML' \
    --outdir "$work/lo/csv" "$work/csv/desde_csv.csv" >>"$work/soffice.log" 2>&1 ||
    fail "soffice no convirtió el CSV"

n=0
for ext in docx odt; do
    for i in $(seq 0 9); do
        f=$(printf '%s/lo/%s/%03d.%s' "$work" "$ext" "$i" "$ext")
        [ -s "$f" ] || fail "soffice no escribió $f"
        "$t" comparar "$esp" $((41 + i)) 1 "$f" || fail "$f no da la misma ficha"
        n=$((n + 1))
    done
done
"$t" comparar "$esp" 21 20 "$work/lo/xlsx/fichas.xlsx" || fail "el .xlsx de LibreOffice no da las mismas fichas"
"$t" comparar "$esp" 21 20 "$work/lo/ods/fichas.ods" || fail "el .ods de LibreOffice no da las mismas fichas"
"$t" comparar "$esp" 1 20 "$work/lo/csv/desde_csv.xlsx" || fail "el CSV guardado como .xlsx no da las mismas fichas"
n=$((n + 60))
PMM_SIN_PROGRESO=1 "$PMM_BIN/pmm" importar "$work/lo" >"$work/importar.txt" 2>"$work/resumen.txt" ||
    fail "pmm importar no aceptó los archivos de LibreOffice: $(grep -m3 rechazad "$work/importar.txt")"
grep -q "^80 fichas: 80 válidas, 0 rechazadas" "$work/resumen.txt" ||
    fail "pmm importar: $(cat "$work/resumen.txt")"
echo "libreoffice_importar: $n fichas iguales tras LibreOffice (docx, odt, xlsx, ods, csv→xlsx)"
