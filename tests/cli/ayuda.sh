#!/usr/bin/env bash
# tests/cli/ayuda.sh -- every `pmm` command documents itself (issue 23).
#
# For every command in the table of cli/main.c (as `pmm --help` lists it)
# and every sub-command its usage names (`pmm claves emitir|revocar|listar`,
# the way docs/man/pmm-man.sh finds them): `pmm CMD [SUB] --help` exits 0,
# contains an example ("Ejemplo") and, together, the helps of a command
# mention every long option its getopt tables accept (read from
# cli/cmd_CMD.c; for the query commands, the options of the shared parser,
# cli/consulta_opciones.c, that the command asks for). Usage errors: an
# unknown option and an option without its value exit 2 with the Spanish
# message of cli/opciones.c, never getopt's English.
set -uo pipefail
pmm=$PMM_BIN/pmm
src=$PMM_SRC/cli
fallos=0
fail() { echo "FALLO: $*" >&2; fallos=$((fallos + 1)); }
# no stack here: a configuration whose PostgreSQL does not exist, so that
# usage errors are reached and nothing can connect anywhere
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
printf '[postgresql]\nconninfo = host=%s/sin-socket dbname=pmm\n' "$w" >"$w/pmm.conf"
export PMM_CONF=$w/pmm.conf
unset PMM_HOME
# --help works whatever the configuration says
PMM_CONF=/nonexistent/pmm.conf "$pmm" totales --help >/dev/null ||
    fail "pmm totales --help con una configuración que no existe salió con $?"

out=$("$pmm" --help) || fail "pmm --help salió con $?"
comandos=$(printf '%s\n' "$out" |
    awk '/^Comandos:/ { f = 1; next } f && /^  [a-z]/ { print $1 } f && /^$/ { exit }')
[ "$(echo "$comandos" | wc -w)" -ge 20 ] || fail "pmm --help lista pocos comandos: $comandos"

# the long options of the getopt tables of one source file
opciones_de() {
    grep -o '{"[a-z][a-z-]*", *\(no\|required\|optional\)_argument' "$1" |
        sed 's/{"\([^"]*\)".*/\1/' | sort -u
}
# the shared parser's options a query command accepts
opciones_consulta() {
    local flags
    flags=$(grep -o 'CONSULTA_OPC_[A-Z]*' "$1" | sort -u)
    grep -o '{\(0\|CONSULTA_OPC_[A-Z]*\), {"[a-z-]*"' "$src/consulta_opciones.c" |
        while IFS= read -r l; do
            f=$(echo "$l" | sed 's/{\([A-Z_0-9]*\),.*/\1/')
            o=$(echo "$l" | sed 's/.*{"\([^"]*\)"/\1/')
            if [ "$f" = 0 ] || echo "$flags" | grep -qx "$f"; then echo "$o"; fi
        done
}
# the sub-commands a command's usage names
subcomandos() {
    printf '%s\n' "$2" | awk -v c="$1" '
        /^$/ { exit }
        { n = split($0, w, " ")
          for (i = 1; i < n; i++)
              if (w[i] == "pmm" && w[i + 1] == c && i + 2 <= n && w[i + 2] ~ /^[a-z]+(\|[a-z]+)*$/) {
                  m = split(w[i + 2], s, "|"); for (j = 1; j <= m; j++) print s[j] } }' |
        awk '!seen[$0]++'
}

n=0
for c in $comandos; do
    archivo=$src/cmd_${c//-/_}.c
    [ -f "$archivo" ] || { fail "$c: no existe cli/cmd_$c.c (un archivo por comando)"; continue; }
    texto=$("$pmm" "$c" --help 2>&1); rc=$?
    [ $rc -eq 0 ] || fail "pmm $c --help salió con $rc"
    grep -q "^Uso: pmm $c" <<<"$texto" || fail "pmm $c --help no empieza con «Uso: pmm $c»"
    grep -q "Ejemplo" <<<"$texto" || fail "pmm $c --help no tiene un ejemplo"
    todo=$texto
    for s in $(subcomandos "$c" "$texto"); do
        sub=$("$pmm" "$c" "$s" --help 2>&1); rc=$?
        [ $rc -eq 0 ] || fail "pmm $c $s --help salió con $rc"
        grep -q "Ejemplo" <<<"$sub" || fail "pmm $c $s --help no tiene un ejemplo"
        todo="$todo
$sub"
        n=$((n + 1))
    done
    opciones=$(opciones_de "$archivo")
    grep -q consulta_preparar "$archivo" && opciones="$opciones
$(opciones_consulta "$archivo")"
    for o in $opciones; do
        grep -q -- "--$o\b" <<<"$todo" || fail "pmm $c --help no menciona --$o"
    done
    # an unknown option, and (if it has one) an option without its value
    err=$("$pmm" "$c" --opcion-que-no-existe 2>&1 >/dev/null); rc=$?
    [ $rc -eq 2 ] || fail "pmm $c --opcion-que-no-existe salió con $rc, no 2"
    grep -q "opción desconocida «--opcion-que-no-existe»; vea pmm $c" <<<"$err" ||
        fail "pmm $c --opcion-que-no-existe: «$err»"
    # a query command's own options come from the shared parser (a table
    # in its file belongs to a sub-command)
    if grep -q consulta_preparar "$archivo"; then
        con_valor=ejercicio
    else
        con_valor=$(grep -o '{"[a-z][a-z-]*", *required_argument' "$archivo" | head -n 1 |
                    sed 's/{"\([^"]*\)".*/\1/')
    fi
    if [ -n "$con_valor" ] && [ "$c" != claves ] && [ "$c" != revision ]; then
        err=$("$pmm" "$c" "--$con_valor" 2>&1 >/dev/null); rc=$?
        [ $rc -eq 2 ] || fail "pmm $c --$con_valor (sin valor) salió con $rc, no 2"
        grep -q -- "--$con_valor necesita un valor" <<<"$err" ||
            fail "pmm $c --$con_valor (sin valor): «$err»"
    fi
    if grep -qiE "unrecognized|requires an argument|invalid option" <<<"$err"; then
        fail "pmm $c: getopt habla inglés: $err"
    fi
    n=$((n + 1))
done
# sub-commands too
for args in "claves emitir --dependencia" "revision fijar --subtema" "revision exportar --ejercicio" \
            "revision importar --procedencia"; do
    set -- $args
    err=$("$pmm" "$@" 2>&1 >/dev/null); rc=$?
    [ $rc -eq 2 ] && grep -q -- "$3 necesita un valor; vea pmm $1 $2 --help" <<<"$err" ||
        fail "pmm $args (sin valor): rc $rc, «$err»"
done
# an option of the command that the sub-command does not take is named,
# never its value
for args in "convocatoria cerrar --limite 2022-06-30" "padron baja --tipo federal"; do
    set -- $args
    err=$("$pmm" "$@" 2>&1 >/dev/null); rc=$?
    [ $rc -eq 2 ] && grep -q -- "pmm $1 $2: la opción $3 no se usa aquí" <<<"$err" ||
        fail "pmm $args: rc $rc, «$err»"
done
[ $fallos -eq 0 ] || { echo "ayuda: $fallos fallos" >&2; exit 1; }
echo "ayuda: $n ayudas de comandos y subcomandos completas, con ejemplo, salida 0"
