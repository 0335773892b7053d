#!/usr/bin/env bash
# Reproduces the Diagnóstico's two published tables through the whole
# pipeline (ingestd -> clasificd -> aggregd):
# 1. the sample fichas, whose per-year and per-objective counts equal
#    ../shared/reference/tabla_pmm.csv: `pmm totales --por objetivo` must
#    give every cell back;
# 2. with the analysts' historical decisions of the sample loaded in bulk
#    (`pmm muestra --decisiones`, `pmm revision importar`), `pmm totales
#    --por ods` must give every cell of ../shared/reference/tabla_ods.csv
#    back, the actions with results (ods_total) included, 5 of 5 years,
#    while `--por objetivo` still equals tabla_pmm.csv.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
stack_propia "$(dirname "$PMM_BIN")/it-tabla"

tabla=$PMM_SHARED/reference/tabla_pmm.csv
[ -f "$tabla" ] || tabla=$PMM_SRC/data/tabla_pmm.csv
tabla_ods=$PMM_SHARED/reference/tabla_ods.csv
[ -f "$tabla_ods" ] || tabla_ods=$PMM_SRC/data/tabla_ods.csv
muestra=$PMM_HOME/muestra.jsonl
decisiones=$PMM_HOME/decisiones.csv
pmm muestra --ejercicio 2018-2022 --tabla --decisiones "$decisiones" >"$muestra"
total=$(wc -l <"$muestra")
[ "$total" -eq 1065 ] || fail "la muestra tiene $total fichas, se esperaban 1065"
PMM_SIN_PROGRESO=1 pmm enviar --json "$muestra" >"$PMM_HOME/recibos.jsonl"
[ "$(grep -c '"estado":"aceptada"' "$PMM_HOME/recibos.jsonl")" -eq 1065 ] ||
    fail "no se aceptaron las 1065 fichas"
esperar_cadena 1065

# comparar_objetivos: every cell o1..o23 of every year against tabla_pmm.csv
comparar_objetivos() {
    local errores=0 year esperado obtenido
    for year in 2018 2019 2020 2021 2022; do
        # published cells o1..o23 of that year
        esperado=$(awk -F, -v y="$year" 'NR > 1 && $1 == y { for (i = 2; i <= 24; i++) print i - 1 "," $i }' "$tabla")
        obtenido=$(pmm totales --ejercicio "$year" --por objetivo --formato csv |
                   awk -F, 'NR > 1 && $1 ~ /^[0-9]+$/ { print $1 "," $NF }')
        if [ "$esperado" != "$obtenido" ]; then
            echo "ejercicio $year difiere (objetivo,publicado vs objetivo,obtenido):" >&2
            diff <(echo "$esperado") <(echo "$obtenido") >&2 || true
            errores=$((errores + 1))
        else
            echo "ejercicio $year: 23 celdas iguales a la tabla de objetivos publicada"
        fi
    done
    [ "$errores" -eq 0 ] || fail "$errores ejercicios no coinciden con tabla_pmm.csv"
}

# comparar_ods: the 17 SDG cells and total_acciones of every year against
# tabla_ods.csv (a published 0 is a row absent from pmm totales)
comparar_ods() {
    local errores=0 year esperado obtenido
    for year in 2018 2019 2020 2021 2022; do
        esperado=$(awk -F, -v y="$year" 'NR > 1 && $1 == y {
                       for (i = 2; i <= 18; i++) print "ods" i - 1 "," $i
                       print "total," $19 }' "$tabla_ods")
        obtenido=$(pmm totales --ejercicio "$year" --por ods --formato csv |
                   awk -F, 'NR > 1 { v[$1] = $NF }
                            END { for (k = 1; k <= 17; k++) print "ods" k "," (k in v ? v[k] : 0)
                                  print "total," ("ods_total" in v ? v["ods_total"] : 0) }')
        if [ "$esperado" != "$obtenido" ]; then
            echo "ejercicio $year difiere de tabla_ods.csv (celda,publicado vs celda,obtenido):" >&2
            diff <(echo "$esperado") <(echo "$obtenido") >&2 || true
            errores=$((errores + 1))
        else
            echo "ejercicio $year: 17 ODS y $(echo "$esperado" | tail -n 1 | cut -d, -f2) acciones con resultados iguales a la tabla de ODS publicada"
        fi
    done
    [ "$errores" -eq 0 ] || fail "$errores ejercicios no coinciden con tabla_ods.csv"
}

comparar_objetivos

# the analysts' historical decisions, in bulk
[ "$(($(wc -l <"$decisiones") - 1))" -eq 1065 ] || fail "se esperaban 1065 decisiones"
pmm revision importar "$decisiones" --analista "prueba it_tabla" \
    --procedencia "Diagnóstico 2018-2022" >"$PMM_HOME/importar.log" ||
    fail "pmm revision importar falló: $(cat "$PMM_HOME/importar.log")"
grep -q "^1065 decisiones de" "$PMM_HOME/importar.log" ||
    fail "pmm revision importar no guardó 1065 decisiones: $(cat "$PMM_HOME/importar.log")"
esperar_cadena 1065
comparar_ods
comparar_objetivos

# 3. the Diagnóstico (pmm diagnostico) from the same data: its objectives
#    and SDG tables are the published ones; HTML, Markdown and DOCX render;
#    from the years' closes it is byte-identical, and the DOCX, converted
#    by LibreOffice, holds every number of the HTML edition's text.
. "$PMM_SRC/tests/numeros.sh"
diag=$PMM_HOME/diagnostico
mkdir -p "$diag"
pmm diagnostico --ejercicio 2018-2022 --formato csv -o "$diag/d.csv" >/dev/null
# transpose: the rows of a published table as its columns, one line each
transponer() {
    awk -F, -v desde="$2" -v hasta="$3" 'NR > 1 && $1 >= 2018 && $1 <= 2022 {
            for (i = desde; i <= hasta; i++) v[$1, i] = $i }
        END { for (i = desde; i <= hasta; i++) {
                  linea = ""
                  for (y = 2018; y <= 2022; y++) linea = linea (y > 2018 ? "," : "") v[y, i]
                  print linea } }' "$1"
}
# the rows of a table of the Diagnóstico's CSV: its five year columns
filas_diag() {
    awk -F, -v id="$1" '$1 == id && $NF ~ /^[0-9]+$/ {
        linea = ""; for (i = NF - 5; i < NF; i++) linea = linea (i > NF - 5 ? "," : "") $i
        print linea }' "$diag/d.csv"
}
[ "$(filas_diag objetivos)" = "$(transponer "$tabla" 2 24)" ] ||
    fail "la tabla de objetivos del Diagnóstico no es tabla_pmm.csv: $(diff <(filas_diag objetivos) <(transponer "$tabla" 2 24) | head -5)"
[ "$(filas_diag ods)" = "$(transponer "$tabla_ods" 2 19)" ] ||
    fail "la tabla de ODS del Diagnóstico no es tabla_ods.csv: $(diff <(filas_diag ods) <(transponer "$tabla_ods" 2 19) | head -5)"
echo "diagnóstico: las tablas de objetivos (23 x 5) y de ODS (17 + acciones con resultados, x 5) son las publicadas"
# the examples per objective of the Informe 2022 (issue 26): the unit's
# choice for objective 7 (one ficha of the proposal's listing), an ID not
# counted there refused
pmm informe ejemplos --ejercicio 2022 >"$diag/ejemplos.txt"
grep -q "^Objetivo 7 (propuesta del sistema):" "$diag/ejemplos.txt" ||
    fail "pmm informe ejemplos no lista la propuesta del objetivo 7: $(head -5 "$diag/ejemplos.txt")"
# a state's ficha is named by its state, never by the INEGI code
grep -qE "^  ficha [0-9]+ .*\([0-9]{2}, estatal\)$" "$diag/ejemplos.txt" &&
    fail "un ejemplo estatal lleva la clave INEGI en lugar del nombre: $(grep -m1 estatal "$diag/ejemplos.txt")"
grep -q ", estatal)$" "$diag/ejemplos.txt" || fail "ningún ejemplo estatal en 2022"
id7=$(awk '/^Objetivo 7 / { en = 1; next } /^Objetivo / { en = 0 } en && $1 == "ficha" { print $2; exit }' "$diag/ejemplos.txt")
[ -n "$id7" ] || fail "sin ejemplo para el objetivo 7"
# how many per objective is [informe] ejemplos_por_objetivo (default 2):
# with 3, objective 1 (dozens of fichas from many bodies) gets 3; out of
# range is refused naming the key
ejemplos_de() { awk -v o="$2" '$1 == "Objetivo" && $2 == o { en = 1; next } /^Objetivo / { en = 0 } en && $1 == "ficha"' "$1" | wc -l; }
[ "$(ejemplos_de "$diag/ejemplos.txt" 1)" -eq 2 ] || fail "el objetivo 1 no tiene 2 ejemplos por omisión"
PMM_INFORME_EJEMPLOS_POR_OBJETIVO=3 pmm informe ejemplos --ejercicio 2022 >"$diag/ejemplos3.txt"
[ "$(ejemplos_de "$diag/ejemplos3.txt" 1)" -eq 3 ] ||
    fail "con ejemplos_por_objetivo = 3 el objetivo 1 no tiene 3 ejemplos: $(cat "$diag/ejemplos3.txt" | head -8)"
err=$(PMM_INFORME_EJEMPLOS_POR_OBJETIVO=9 pmm informe ejemplos --ejercicio 2022 2>&1) &&
    fail "ejemplos_por_objetivo = 9 no se rechazó"
grep -q "ejemplos_por_objetivo" <<<"$err" || fail "ejemplos_por_objetivo = 9: «$err»"
pmm informe ejemplos fijar --ejercicio 2022 --objetivo 7 "$id7" --analista prueba >/dev/null
err=$(pmm informe ejemplos fijar --ejercicio 2022 --objetivo 8 "$id7" --analista prueba 2>&1) &&
    fail "fijar una ficha de otro objetivo no falló"
grep -q "no se cuentan en el objetivo 8" <<<"$err" || fail "fijar en otro objetivo: «$err»"
pmm informe ejemplos --ejercicio 2022 >"$diag/ejemplos2.txt"
grep -q "^Objetivo 7 (elegidos por la unidad):" "$diag/ejemplos2.txt" ||
    fail "la elección de la unidad no aparece en pmm informe ejemplos"

# the unit's conclusions for the Informe 2022 (issue 26): versioned, the
# latest printed and frozen with the close; 2021 has none: a marked blank
printf 'Primer borrador.\n' >"$diag/c1.md"
printf 'La participación estatal creció en 2022.\n\nSe recomienda ampliar la convocatoria.\n' >"$diag/c2.md"
pmm informe conclusiones --ejercicio 2022 --texto "$diag/c1.md" --analista "prueba" >/dev/null
pmm informe conclusiones --ejercicio 2022 --texto "$diag/c2.md" --analista "prueba" |
    grep -q "versión 2" || fail "la segunda versión de las conclusiones no es la 2"
err=$(pmm informe conclusiones --ejercicio 2022 --texto "$diag/no-existe.md" 2>&1) &&
    fail "conclusiones de un archivo inexistente no falló"
grep -q -- "--texto: no se puede abrir" <<<"$err" || fail "conclusiones sin archivo: «$err»"
for y in 2018 2019 2020 2021 2022; do
    pmm cierre --ejercicio "$y" >/dev/null || fail "pmm cierre --ejercicio $y falló"
done
pmm informe --ejercicio 2022 --desde-cierre --formato md -o "$diag/i2022.md" >/dev/null
grep -q "^La participación estatal creció en 2022.$" "$diag/i2022.md" &&
    grep -q "^Se recomienda ampliar la convocatoria.$" "$diag/i2022.md" ||
    fail "el Informe 2022 no imprime la última versión de las conclusiones"
grep -q "Primer borrador" "$diag/i2022.md" && fail "el Informe 2022 imprime una versión vieja"
# the SDG shift of the conclusions: the largest move of an SDG's share of
# the actions with results from 2021 to 2022, computed here from tabla_ods
mov=$(awk -F, 'function d(p, w) { return int((p * 1000 + int(w / 2)) / w) }
               function pct(x) { return sprintf("%d.%d", int(x / 10), x % 10) }
               NR > 1 && ($1 == 2021 || $1 == 2022) { for (i = 2; i <= 18; i++) v[$1, i] = d($i, $19) }
               END { best = 0; for (i = 2; i <= 18; i++) { m = v[2022, i] - v[2021, i]; a = m < 0 ? -m : m
                                                           if (a > best) { best = a; k = i } }
                     print "el ODS " k - 1 " pasó de " pct(v[2021, k]) " % a " pct(v[2022, k]) " %" }' "$tabla_ods")
grep -q "ODS respecto de 2021 (porcentaje de las acciones con resultados de cada año): $mov" "$diag/i2022.md" ||
    fail "las conclusiones de 2022 no dan el mayor cambio de ODS ($mov): $(grep -m1 'mayores cambios' "$diag/i2022.md")"
grep -q "^## 12. Anexo: instituciones participantes" "$diag/i2022.md" || fail "el Informe 2022 no tiene el anexo de instituciones"
# every objective with fichas in 2022 (all 23) has an example, an
# objective's examples never repeat an institution when another one has
# fichas there, objective 7 shows the unit's choice
pmm informe --ejercicio 2022 --desde-cierre --formato csv -o "$diag/tablas/" >/dev/null
[ -f "$diag/tablas/ejemplos.csv" ] || fail "el Informe 2022 no tiene la tabla de ejemplos"
for o in $(seq 1 23); do
    n=$(awk -F, -v o="$o" 'NR > 1 && $1 == o' "$diag/tablas/ejemplos.csv" | wc -l)
    [ "$n" -ge 1 ] || fail "el objetivo $o no tiene ejemplos"
done
# rows "objetivo,programa,institucion,resumen": programa may hold commas
# (quoted), so the institution is read with a CSV-aware split; a repeated
# institution is a failure unless the objective has fichas of one sender
# only (pmm fichas, its emisor column)
rep=$(perl -ne 'next if $. == 1; my @f = /("(?:[^"]|"")*"|[^,]*)(?:,|$)/g;
                print "$f[0]\n" if $seen{"$f[0] $f[2]"}++' "$diag/tablas/ejemplos.csv" | sort -u)
for o in $rep; do
    emisores=$(pmm fichas --ejercicio 2022 --objetivo "$o" --formato csv | tail -n +2 |
               cut -d, -f3 | sort -u | wc -l)
    [ "$emisores" -eq 1 ] ||
        fail "el objetivo $o repite institución en sus ejemplos y tiene fichas de $emisores"
done
[ "$(awk -F, 'NR > 1 && $1 == 7' "$diag/tablas/ejemplos.csv" | wc -l)" -eq 1 ] ||
    fail "el objetivo 7 no muestra la ficha que eligió la unidad"
grep -q "los ejemplos los eligió la unidad" "$diag/i2022.md" ||
    fail "el Informe 2022 no dice qué ejemplos eligió la unidad"
echo "informe: ejemplos en los 23 objetivos, sin institución repetida, la elección de la unidad congelada"
pmm informe --ejercicio 2021 --desde-cierre --formato md -o "$diag/i2021.md" >/dev/null
grep -q "Pendiente: la unidad no ha escrito sus conclusiones del ejercicio 2021" "$diag/i2021.md" ||
    fail "el Informe 2021 no marca las conclusiones pendientes"
echo "informe: conclusiones versionadas (la última, congelada con el cierre), pendiente marcado sin ellas"
for f in html md docx; do
    pmm diagnostico --ejercicio 2018-2022 --desde-cierre --formato "$f" -o "$diag/a.$f" >/dev/null
    pmm diagnostico --ejercicio 2018-2022 --desde-cierre --formato "$f" -o "$diag/b.$f" >/dev/null
    cmp -s "$diag/a.$f" "$diag/b.$f" || fail "dos ediciones $f desde los cierres difieren"
done
grep -q "Diagnóstico PMM–ODS 2018-2022" "$diag/a.html" || fail "el HTML no lleva su título"
grep -q "^## 4. Alineación con los Objetivos de Desarrollo Sostenible" "$diag/a.md" ||
    fail "el Markdown no tiene la sección de ODS"
# each year's chapter table (sub-topics and the SDGs they align with): its
# SDG counts summed over the sub-topics and its actions with results are
# the published tabla_ods row (one sub-topic per action); continuity rows
# for the four years that have a previous one, nuevas = acciones - continúan
pmm diagnostico --ejercicio 2018-2022 --desde-cierre --formato csv -o "$diag/a.csv" >/dev/null
for year in 2018 2019 2020 2021 2022; do
    esperado=$(awk -F, -v y="$year" 'NR > 1 && $1 == y {
                   for (i = 2; i <= 18; i++) if ($i > 0) print i - 1 "," $i
                   print "total," $19 }' "$tabla_ods")
    obtenido=$({ grep "^subtemas_ods_$year," "$diag/a.csv" | grep -v "^subtemas_ods_$year,Total," |
                     grep -o '[0-9][0-9]* ([0-9][0-9]*)' | tr -d '()' |
                     awk '{ s[$1] += $2 } END { for (k = 1; k <= 17; k++) if (s[k] > 0) print k "," s[k] }'
                 grep "^subtemas_ods_$year,Total," "$diag/a.csv" | awk -F, '{ print "total," $5 }'; })
    if [ "$esperado" != "$obtenido" ]; then
        diff <(echo "$esperado") <(echo "$obtenido") >&2 || true
        fail "la tabla de subtemas y ODS de $year no suma la fila publicada de tabla_ods.csv"
    fi
done
[ "$(grep -c '^continuidad,20' "$diag/a.csv")" -eq 4 ] ||
    fail "la continuidad de los programas no tiene una fila por cada año con año anterior"
awk -F, '/^continuidad,20/ && $3 - $4 != $6 { exit 1 }' "$diag/a.csv" ||
    fail "en la continuidad, nuevas no es acciones menos las que continúan"
echo "diagnóstico: las tablas de subtemas y ODS de cada año suman la tabla de ODS publicada (5 de 5);" \
     "continuidad de los programas en 4 ejercicios"
err=$(pmm diagnostico --ejercicio 2017-2023 2>&1 >/dev/null) && fail "un rango de 7 años no falló"
command -v soffice >/dev/null || fail "no se encontró soffice: ./deploy/deps.sh libreoffice-writer-nogui"
timeout 180 soffice "-env:UserInstallation=file://${diag// /%20}/perfil" --headless \
    --convert-to pdf --outdir "$diag" "$diag/a.docx" >"$diag/soffice.log" 2>&1 ||
    fail "soffice no convirtió el Diagnóstico: $(tail -3 "$diag/soffice.log")"
faltan=$(faltan_numeros "$diag/a.html" "$diag/a.pdf")
[ -z "$faltan" ] || fail "el PDF del Diagnóstico en Word no contiene estos números del HTML: $faltan"
paginas=$(pdfinfo "$diag/a.pdf" | awk '/^Pages:/ {print $2}')
echo "diagnóstico: html, md y docx idénticos desde los cierres; el DOCX abre en LibreOffice" \
     "($paginas páginas) con todos los números del HTML"

# 4. the voluntary national review (pmm revision-voluntaria) of 2019-2022
#    from the closes: byte-identical in md, html and docx; the 23 objectives
#    in order; conclusions and next steps as marked blanks; the DOCX opens
#    in LibreOffice with every number of the HTML's text.
for f in md html docx; do
    pmm revision-voluntaria --ejercicio 2019-2022 --desde-cierre --formato "$f" \
        -o "$diag/rv-a.$f" >/dev/null
    pmm revision-voluntaria --ejercicio 2019-2022 --desde-cierre --formato "$f" \
        -o "$diag/rv-b.$f" >/dev/null
    cmp -s "$diag/rv-a.$f" "$diag/rv-b.$f" || fail "dos revisiones $f desde los cierres difieren"
done
[ "$(grep -c '^### Objetivo [0-9]*\. ' "$diag/rv-a.md")" -eq 23 ] ||
    fail "la revisión voluntaria no trata los 23 objetivos"
[ "$(grep '^### Objetivo [0-9]*\. ' "$diag/rv-a.md" | sed 's/^### Objetivo \([0-9]*\)\..*/\1/' | tr '\n' ' ')" = \
  "$(seq 1 23 | tr '\n' ' ')" ] || fail "los objetivos de la revisión voluntaria no van del 1 al 23"
grep -q "Pendiente: la unidad redacta aquí los próximos pasos" "$diag/rv-a.md" ||
    fail "la revisión voluntaria no deja marcados los próximos pasos"
# per objective with actions: the areas served and the challenges most cited
n_obj=$(grep -c '^Acciones por ejercicio: ' "$diag/rv-a.md")
[ "$n_obj" -gt 0 ] &&
    [ "$(grep -c '^Zonas de atención más citadas (acciones): ' "$diag/rv-a.md")" -eq "$n_obj" ] &&
    [ "$(grep -c '^Retos más señalados (acciones que los mencionan): ' "$diag/rv-a.md")" -eq "$n_obj" ] ||
    fail "la revisión voluntaria no da zonas y retos en cada uno de los $n_obj objetivos con acciones"
grep -q "ningún ejercicio del periodo tiene registrada su convocatoria" "$diag/rv-a.md" ||
    fail "sin convocatorias, la revisión voluntaria no lo dice en su metodología"
err=$(pmm revision-voluntaria --ejercicio 2019-2022 --formato csv 2>&1) &&
    fail "la revisión voluntaria aceptó --formato csv"
timeout 180 soffice "-env:UserInstallation=file://${diag// /%20}/perfil" --headless \
    --convert-to pdf --outdir "$diag" "$diag/rv-a.docx" >"$diag/soffice.log" 2>&1 ||
    fail "soffice no convirtió la revisión voluntaria: $(tail -3 "$diag/soffice.log")"
faltan=$(faltan_numeros "$diag/rv-a.html" "$diag/rv-a.pdf")
[ -z "$faltan" ] || fail "el PDF de la revisión voluntaria en Word no contiene estos números del HTML: $faltan"
echo "revisión voluntaria: md, html y docx idénticos desde los cierres, 23 objetivos," \
     "el DOCX abre en LibreOffice ($(pdfinfo "$diag/rv-a.pdf" | awk '/^Pages:/ {print $2}') páginas) con todos los números del HTML"
