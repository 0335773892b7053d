#!/usr/bin/env bash
# docs/man/pmm-man.sh PMM H2M CLAVES DATOS OUT VERSION: writes pmm(1), in
# Spanish, from the built `pmm`: help2man renders `pmm --help` (name,
# synopsis, the list of commands) and ayuda2roff.awk renders
# `pmm COMANDO --help` for every command and sub-command (section
# COMANDOS); H2M is the include file with the sections --help does not give
# (configuration, files, environment, exit status, examples), and the keys
# of pmm.conf that pmm reads come from CLAVES (claves.tsv, through
# claves2roff.awk; DATOS is the data directory, a default). The manual
# therefore says what --help says.
#
# Environment: LOCPATH with the es_ES.UTF-8 locale (help2man takes its
# section names and date from it), SOURCE_DATE_EPOCH (the date, for
# reproducible builds).
set -euo pipefail
pmm=$1 h2m=$2 claves=$3 datos=$4 out=$5 version=$6
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

die() { echo "pmm-man: $*" >&2; exit 1; }
[ -x "$pmm" ] || die "no existe el programa $pmm"

ayuda=$("$pmm" --help) || die "pmm --help falló"
# the commands, from the list in pmm --help
comandos=$(printf '%s\n' "$ayuda" |
    awk '/^Comandos:/ { f = 1; next } f && /^  [a-z]/ { print $1 } f && /^$/ { exit }')
[ -n "$comandos" ] || die "pmm --help no lista comandos"

# pmm --help as help2man reads it: "Uso:" is its Spanish "Modo de empleo:"
# (the synopsis), and each command is set off from its summary by two
# spaces (a name of 13 letters leaves one in pmm's own column layout).
cat >"$tmp/pmm" <<WRAP
#!/bin/sh
if [ "\$1" = --help ]; then
    "$pmm" --help | sed -E 's/^Uso:/Modo de empleo:/; s/^  ([a-z-]+) +/  \\1   /'
else
    exec "$pmm" "\$@"
fi
WRAP
chmod +x "$tmp/pmm"

# section COMANDOS: every command's --help, and every sub-command's (the
# words listed after the command in its usage: claves emitir|revocar|listar)
{
    echo "[COMANDOS]"
    echo "Cada comando describe sus opciones con"
    echo ".BR \"pmm \\fICOMANDO\\fB \\-\\-help\" ."
    for c in $comandos; do
        texto=$("$pmm" "$c" --help) || die "pmm $c --help falló"
        [ -n "$texto" ] || die "pmm $c --help no dice nada"
        printf '%s\n' "$texto" | awk -v titulo="pmm $c" -f "$here/ayuda2roff.awk"
        subs=$(printf '%s\n' "$texto" | awk -v c="$c" '
            /^$/ { exit }
            {
                n = split($0, w, " ")
                for (i = 1; i < n; i++)
                    if (w[i] == "pmm" && w[i + 1] == c && i + 2 <= n &&
                        w[i + 2] ~ /^[a-z]+(\|[a-z]+)*$/) {
                        m = split(w[i + 2], s, "|")
                        for (j = 1; j <= m; j++)
                            print s[j]
                    }
            }' | awk '!seen[$0]++')
        for s in $subs; do
            sub=$("$pmm" "$c" "$s" --help) || die "pmm $c $s --help falló"
            [ "$sub" != "$texto" ] || continue
            printf '%s\n' "$sub" | awk -v titulo="pmm $c $s" -f "$here/ayuda2roff.awk"
        done
    done
} >"$tmp/comandos.h2m"

# the keys pmm reads, after the text of [CONFIGURACIÓN] in H2M
{
    echo "[>CONFIGURACIÓN]"
    awk -v programa=pmm -v datos="$datos" -f "$here/claves2roff.awk" "$claves"
} >"$tmp/claves.h2m"

help2man --locale=es_ES.UTF-8 --no-info --section=1 \
    --version-string="$version" \
    --include="$tmp/comandos.h2m" --include="$h2m" --include="$tmp/claves.h2m" \
    --output="$tmp/pmm.1" "$tmp/pmm"
# help2man names the page after the wrapper's directory-less name: pmm
grep -q '^\.SH SINOPSIS' "$tmp/pmm.1" || die "help2man no generó la sinopsis"
grep -q '^\.SH COMANDOS' "$tmp/pmm.1" || die "help2man no incluyó los comandos"
for c in $comandos; do
    # (roff escapes a hyphen: revision-voluntaria is revision\-voluntaria)
    grep -qF ".SS \"pmm ${c//-/\\-}\"" "$tmp/pmm.1" || die "falta el comando $c en la página"
done
# no hyphenation: groff would break Spanish words by English patterns
sed -i '/^\.TH /a .nh' "$tmp/pmm.1"
mv "$tmp/pmm.1" "$out"
