#!/usr/bin/env bash
# No English from a library reaches a user (issue 23): usage errors
# (getopt), dates PostgreSQL would refuse, connection failures and refused
# operations (libpq), broken JSON (jansson), missing files (libc), and pmm
# without any configuration. Each case must fail with a Spanish message and
# none of the phrases these libraries write.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

W=$PMM_HOME/mensajes
mkdir -p "$W"
ingles='invalid input syntax|unrecognized option|requires an argument|invalid option|could not connect|connection to server|expected near|No such file|Connection refused|does not exist|permission denied|syntax error|ERROR:|FATAL:|failed:|end of file|unexpected'
fallos=0
n=0
# caso DESCRIPCIÓN ESPERADO -- COMANDO...: the command must exit non-zero,
# say ESPERADO (a Spanish fragment) and nothing in English
caso() {
    local desc=$1 esperado=$2
    shift 3
    local out rc=0
    out=$("$@" 2>&1) || rc=$?
    n=$((n + 1))
    if [ $rc -eq 0 ]; then
        echo "FALLO: $desc: salió con 0" >&2; fallos=$((fallos + 1)); return
    fi
    if printf '%s\n' "$out" | grep -qE "$ingles"; then
        echo "FALLO: $desc: texto en inglés: $out" >&2; fallos=$((fallos + 1)); return
    fi
    if ! printf '%s\n' "$out" | grep -qF -- "$esperado"; then
        echo "FALLO: $desc: se esperaba «$esperado»: $out" >&2; fallos=$((fallos + 1))
    fi
}

conninfo=$(sed -n 's/^conninfo = //p' "$PMM_HOME/pmm.conf" | head -n 1)
lectura=$(sed -n 's/^lectura = //p' "$PMM_HOME/pmm.conf" | head -n 1)
host=$(printf '%s\n' "$conninfo" | sed -n 's/.*host=\([^ ]*\).*/\1/p')

# usage errors
caso "fecha de --desde" "--desde «ayer» no es una fecha" -- pmm auditoria --desde ayer
caso "fecha imposible" "--desde «2026-02-30» no es una fecha" -- pmm auditoria --desde 2026-02-30
caso "opción desconocida" "opción desconocida «--x»; vea pmm totales --help" -- pmm totales --ejercicio 2022 --x
caso "opción sin valor" "--ejercicio necesita un valor" -- pmm totales --ejercicio
caso "opción corta desconocida" "opción desconocida «-z»" -- pmm revision -z
caso "valor de más" "--aplicar no admite un valor" -- pmm reclasificar --ejercicio 2022 --aplicar=si
caso "subcomando" "--subtema necesita un valor; vea pmm revision fijar --help" -- pmm revision fijar 1 --subtema
caso "argumento de más" "argumento inesperado «sobra»" -- pmm estado sobra
caso "comando desconocido" "comando desconocido «totale»" -- pmm totale
caso "entidad desconocida" "¿quiso decir 14 (Jalisco)?" -- pmm totales --ejercicio 2022 --entidad Jalisko
caso "dependencia desconocida" "¿quiso decir SSA (Secretaría de Salud)" -- pmm auditoria --dependencia "Secretaria de Salud Publica"
# libpq: connections and refusals
caso "usuario inexistente" "el usuario «nadie» no existe" -- \
    env PMM_POSTGRESQL_CONNINFO="host=$host dbname=pmm user=nadie" "$PMM_BIN/pmm" revision
caso "base inexistente" "la base de datos «ninguna» no existe" -- \
    env PMM_POSTGRESQL_CONNINFO="host=$host dbname=ninguna user=pmm" "$PMM_BIN/pmm" revision
caso "sin servidor" "no hay ningún servidor PostgreSQL en marcha en el socket $W/nada/.s.PGSQL.5432" -- \
    env PMM_POSTGRESQL_CONNINFO="host='$W/nada' dbname=pmm" "$PMM_BIN/pmm" revision
caso "puerto cerrado" "nadie acepta conexiones en 127.0.0.1, puerto 1" -- \
    env PMM_POSTGRESQL_CONNINFO="host=127.0.0.1 port=1 dbname=pmm connect_timeout=3" "$PMM_BIN/pmm" revision
mkdir -p "$W/claves-lectura"
caso "sin permiso" "el usuario de la conexión no tiene permiso para esta operación (SQLSTATE 42501)" -- \
    env PMM_POSTGRESQL_CONNINFO="$lectura" "$PMM_BIN/pmm" claves emitir --rol analista \
        --nombre prueba-lectura -o "$W/claves-lectura"
# libc and jansson
caso "archivo inexistente" "no se puede abrir $W/no-existe.jsonl: no existe" -- pmm enviar "$W/no-existe.jsonl"
printf '{"programa": "x",}\n' >"$W/coma.json"
caso "JSON con coma de más" "sobra una coma antes de «}»" -- pmm clasificar "$W/coma.json"
caso "configuración inexistente" "no se puede abrir el archivo de configuración /no/existe/pmm.conf: no existe" -- \
    pmm --config /no/existe/pmm.conf totales --ejercicio 2022
# no configuration at all, in a directory without ./.pmm
vacio=$W/vacio
mkdir -p "$vacio"
caso "sin PMM_HOME ni pila" "export PMM_HOME=/ruta/de/la/pila" -- \
    env -C "$vacio" -u PMM_HOME -u PMM_CONF "$PMM_BIN/pmm" totales --ejercicio 2022
out=$(cd "$vacio" && env -u PMM_HOME -u PMM_CONF "$PMM_BIN/pmm" revision 2>&1)
printf '%s\n' "$out" | grep -q "./deploy/stack.sh start" ||
    { echo "FALLO: sin configuración no dice cómo iniciar una pila: $out" >&2; fallos=$((fallos + 1)); }

# singular and plural
echo '{"clave": "m-1"}' >"$W/una.json"
out=$(pmm enviar "$W/una.json" 2>&1 >/dev/null)
printf '%s\n' "$out" | grep -q "^1 ficha: 0 aceptadas, 0 repetidas, 1 rechazada$" ||
    { echo "FALLO: singular en el resumen de pmm enviar: $out" >&2; fallos=$((fallos + 1)); }

[ $fallos -eq 0 ] || fail "$fallos de $n casos con mensajes que no son los esperados"
echo "mensajes: $n casos de error, todos en español y sin texto de las bibliotecas"
