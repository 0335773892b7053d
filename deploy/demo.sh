#!/usr/bin/env bash
# deploy/demo.sh: on a fresh Debian machine, installs what is missing, builds,
# starts a stack under $PMM_HOME (default ./.pmm), submits the sample fichas
# of 2018-2022 written for the project, and shows what was stored.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
export PMM_HOME=${PMM_HOME:-$repo/.pmm}

./deploy/deps.sh
./deploy/build.sh >/dev/null
./deploy/stack.sh start
pmm=$repo/build/bin/pmm

muestra=$PMM_HOME/muestra-2018-2022.jsonl
decisiones=$PMM_HOME/decisiones-2018-2022.csv
"$pmm" muestra --ejercicio 2018-2022 --tabla --decisiones "$decisiones" >"$muestra"
echo
echo "== pmm enviar $muestra ($(wc -l <"$muestra") fichas de ejemplo)"
PMM_SIN_PROGRESO=1 "$pmm" enviar "$muestra" | tail -n 3
echo
esperar_cadena() {
    for _ in $(seq 1 600); do
        "$pmm" estado --formato json 2>/dev/null |
            grep -q '"pendientes":{"clasificar":0,"agregar":0}' && break
        sleep 0.2
    done
}
echo "== Esperando a que se clasifiquen y agreguen las fichas"
esperar_cadena
echo
echo "== pmm revision importar $decisiones (las decisiones históricas de los analistas)"
"$pmm" revision importar "$decisiones" --analista "Demostración" \
    --procedencia "Diagnóstico 2018-2022"
esperar_cadena
echo
echo "== pmm estado"
"$pmm" estado || true
echo
echo "== pmm totales --ejercicio 2018-2022 --por ambito"
"$pmm" totales --ejercicio 2018-2022 --por ambito
echo
echo "== pmm totales --ejercicio 2022 --por objetivo"
"$pmm" totales --ejercicio 2022 --por objetivo
echo
echo "== pmm totales --ejercicio 2018 --por ods (la tabla de ODS publicada)"
"$pmm" totales --ejercicio 2018 --por ods
echo
echo "== Esperando al índice de búsqueda, duplicados y programas (aggregd, con la cadena en reposo)"
for _ in $(seq 1 600); do
    "$pmm" estado --formato json 2>/dev/null | grep -q '"indice":{"pendientes":0}' && break
    sleep 0.2
done
echo
echo "== pmm fichas --ejercicio 2021 --objetivo 13 (las fichas detrás de esa celda)"
"$pmm" fichas --ejercicio 2021 --objetivo 13
echo
echo "== pmm fichas --ejercicio 2022 --buscar \"repatriacion de ninas\" (primeras líneas)"
"$pmm" fichas --ejercicio 2022 --buscar "repatriacion de ninas" | head -n 12
echo
echo "== La convocatoria 2022: quién debía informar y quién entregó"
# The call names the bodies that reported in the sample for 2022 and the 32
# states; every body with 2022 fichas delivers (one in four after the
# deadline), so 20 of the 32 states deliver, as in the Diagnóstico.
lista=$PMM_HOME/convocatoria-2022.txt
{
    jq -r 'select(.ejercicio == 2022 and .ambito == "federal") | "D:" + .dependencia' "$muestra" | sort -u
    seq -f 'E:%02g' 1 32
} >"$lista"
"$pmm" convocatoria abrir --ejercicio 2022 --limite 2022-06-30 --gracia 10 --lista "$lista" \
    --analista demo
i=0
for e in $(jq -r 'select(.ejercicio == 2022)
                  | if .ambito == "estatal" then "E:" + .entidad else "D:" + .dependencia end' \
              "$muestra" | sort -u); do
    i=$((i + 1))
    fecha=2022-06-$((10 + i % 20)); [ $((i % 4)) = 0 ] && fecha=2022-07-$((11 + i % 15))
    case $e in
    E:*) "$pmm" entregar --ejercicio 2022 --entidad "${e#E:}" --fecha "$fecha" --analista demo ;;
    *) "$pmm" entregar --ejercicio 2022 --dependencia "${e#D:}" --fecha "$fecha" --analista demo ;;
    esac >/dev/null
done
echo "$i entregas registradas (pmm entregar)"
echo
echo "== pmm cobertura --ejercicio 2022"
"$pmm" cobertura --ejercicio 2022
echo
echo "== pmm pendientes --ejercicio 2022"
"$pmm" pendientes --ejercicio 2022
echo
echo "== pmm informe ejemplos --ejercicio 2022 (los ejemplos por objetivo que propone el sistema; primeras líneas)"
"$pmm" informe ejemplos --ejercicio 2022 >"$PMM_HOME/ejemplos-2022.txt"
head -n 12 "$PMM_HOME/ejemplos-2022.txt"
echo
echo "== pmm informe y pmm compendio --ejercicio 2022 --formato html"
"$pmm" informe --ejercicio 2022 --formato html -o "$PMM_HOME/informe-2022.html"
"$pmm" compendio --ejercicio 2022 --formato html -o "$PMM_HOME/compendio-2022.html"
"$pmm" informe --ejercicio 2022 --formato docx -o "$PMM_HOME/informe-2022.docx"
echo
echo "== pmm diagnostico --ejercicio 2018-2022 (html y docx)"
"$pmm" diagnostico --ejercicio 2018-2022 --formato html -o "$PMM_HOME/diagnostico-2018-2022.html"
"$pmm" diagnostico --ejercicio 2018-2022 --formato docx -o "$PMM_HOME/diagnostico-2018-2022.docx"
echo
echo "== pmm revision-voluntaria --ejercicio 2019-2022 (md y docx)"
"$pmm" revision-voluntaria --ejercicio 2019-2022 --formato md -o "$PMM_HOME/revision-voluntaria.md"
"$pmm" revision-voluntaria --ejercicio 2019-2022 --formato docx -o "$PMM_HOME/revision-voluntaria.docx"
echo
echo "== pmm plantilla: los formularios para las dependencias (Word y Excel)"
"$pmm" plantilla --formato docx -o "$PMM_HOME/ficha-2023.docx" --ejercicio 2023
"$pmm" plantilla --formato xlsx -o "$PMM_HOME/fichas-2023.xlsx" --ejercicio 2023
echo
echo "La pila sigue en marcha en $PMM_HOME. Pruebe:"
echo "  PMM_HOME=$PMM_HOME $pmm estado"
echo "  PMM_HOME=$PMM_HOME $pmm ranking --ejercicio 2022"
echo "  PMM_HOME=$PMM_HOME $pmm revision --ejercicio 2022"
echo "  PMM_HOME=$PMM_HOME $pmm convocatoria --ejercicio 2022"
echo "  PMM_HOME=$PMM_HOME $pmm cobertura --ejercicio 2022 --por objetivo"
echo "  PMM_HOME=$PMM_HOME $pmm fichas --ejercicio 2022 --ods 10 --entidad Chiapas"
echo "  PMM_HOME=$PMM_HOME $pmm ficha 1041          # versiones, clasificación, duplicados, auditoría"
echo "  PMM_HOME=$PMM_HOME $pmm duplicados --ejercicio 2022"
echo "  PMM_HOME=$PMM_HOME $pmm programas --ejercicio 2022 --dependencia INM"
echo "  PMM_HOME=$PMM_HOME $pmm programas proponer --ejercicio 2022"
echo "  xdg-open $PMM_HOME/informe-2022.html"
echo "  xdg-open $PMM_HOME/diagnostico-2018-2022.html"
echo "  PMM_HOME=$PMM_HOME $pmm importar --enviar carpeta_con_fichas_de_word/"
echo "  ./deploy/stack.sh stop"
