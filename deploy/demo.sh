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
"$pmm" muestra --ejercicio 2018-2022 --tabla >"$muestra"
echo
echo "== pmm enviar $muestra ($(wc -l <"$muestra") fichas de ejemplo)"
PMM_SIN_PROGRESO=1 "$pmm" enviar "$muestra" | tail -n 3
echo
echo "== pmm estado"
"$pmm" estado
echo
echo "== Fichas guardadas por ejercicio y ámbito"
psql_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/psql
conninfo=$(sed -n 's/^conninfo = //p' "$PMM_HOME/pmm.conf")
"$psql_bin" "$conninfo" -P pager=off -c \
  "SELECT ejercicio, count(*) FILTER (WHERE ambito = 'federal') AS federales,
          count(*) FILTER (WHERE ambito = 'estatal') AS estatales,
          count(*) AS total
     FROM fichas_vigentes GROUP BY ejercicio ORDER BY ejercicio"
echo
echo "La pila sigue en marcha en $PMM_HOME. Pruebe:"
echo "  PMM_HOME=$PMM_HOME $pmm estado"
echo "  ./deploy/stack.sh stop"
