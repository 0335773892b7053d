#!/usr/bin/env bash
# docs/man/pagina.sh IN OUT CLAVES [NAME=VALUE...]: a manual page (or the
# include file of pmm(1)) from its template. Each @NAME@ becomes VALUE;
# @FECHA@ the month and year of SOURCE_DATE_EPOCH in Spanish (LOCPATH
# holds es_ES.UTF-8); a line `.\" claves: PROGRAM` the keys of pmm.conf
# that PROGRAM reads (every key when PROGRAM is empty), rendered by
# claves2roff.awk from CLAVES (DATOS=... fills the default data directory).
# Fails if a @NAME@ is left.
set -euo pipefail
in=$1 out=$2 claves=$3
shift 3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fecha=$(LC_ALL=es_ES.UTF-8 date -u -d "@${SOURCE_DATE_EPOCH:?}" '+%B %Y')
case $fecha in
[a-z]*) ;;
*) echo "pagina: sin la localización es_ES.UTF-8 (LOCPATH=${LOCPATH:-})" >&2; exit 1 ;;
esac
[ "$fecha" != "$(LC_ALL=C date -u -d "@$SOURCE_DATE_EPOCH" '+%B %Y')" ] ||
    { echo "pagina: sin la localización es_ES.UTF-8 (LOCPATH=${LOCPATH:-})" >&2; exit 1; }
names=(FECHA) values=("$fecha") datos=
for kv in "$@"; do
    names+=("${kv%%=*}")
    values+=("${kv#*=}")
    [ "${kv%%=*}" != DATOS ] || datos=${kv#*=}
done
tmp=$out.tmp
: >"$tmp"
while IFS= read -r l || [ -n "$l" ]; do
    case $l in
    '.\" claves:'*)
        programa=${l#'.\" claves:'}
        programa=${programa# }
        awk -v programa="$programa" -v datos="$datos" -f "$here/claves2roff.awk" \
            "$claves" >>"$tmp"
        ;;
    *)
        for i in "${!names[@]}"; do
            l=${l//@${names[$i]}@/${values[$i]}}
        done
        printf '%s\n' "$l" >>"$tmp"
        ;;
    esac
done <"$in"
if grep -n '@[A-Z_]*@' "$tmp" >&2; then
    echo "pagina: $in: quedan valores sin sustituir" >&2
    rm -f "$tmp"
    exit 1
fi
mv "$tmp" "$out"
