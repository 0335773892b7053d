#!/usr/bin/env bash
# tests/paquete/man.sh MANDIR PMM SRC: the manual pages the build made in
# MANDIR (docs/man) render with man-db without a warning, in Spanish; pmm(1)
# describes every command `pmm --help` lists; every key of
# deploy/pmm.conf.example is in the configuration table ($MANDIR/claves.tsv,
# printed by pmm configuracion --formato tsv), and every key of the
# table is in pmm.conf(5) and in the page of each program that reads it.
# Exits 77 (skipped) when the build made no manual pages (no help2man).
set -euo pipefail
man=$1 pmm=$2 src=$3
fail() { echo "paquete.man: $*" >&2; exit 1; }
[ -f "$man/gz/pmm.1.gz" ] || {
    echo "paquete.man: se omite: la compilación no generó páginas de manual" \
         "(falta help2man: deploy/deps.sh --empaquetado)" >&2
    exit 77
}
command -v man >/dev/null || fail "falta man-db: deploy/deps.sh --empaquetado"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for p in pmm.1 pmm.conf.5 ingestd.8 clasificd.8 aggregd.8; do
    f=$man/gz/$p.gz
    [ -f "$f" ] || fail "no está $f"
    LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$f" >"$tmp/$p.txt" 2>"$tmp/$p.err" ||
        fail "man -l $p falló: $(cat "$tmp/$p.err")"
    [ ! -s "$tmp/$p.err" ] || fail "$p: avisos de groff: $(cat "$tmp/$p.err")"
    for s in NOMBRE SINOPSIS DESCRIPCIÓN "VÉASE TAMBIÉN"; do
        grep -q "^$s" "$tmp/$p.txt" || fail "$p no tiene la sección $s"
    done
done
for p in ingestd.8 clasificd.8 aggregd.8; do
    for s in OPCIONES CONFIGURACIÓN SEÑALES "ESTADO DE SALIDA" ENTORNO ARCHIVOS; do
        grep -q "^$s" "$tmp/$p.txt" || fail "$p no tiene la sección $s"
    done
    for w in SIGHUP SIGTERM --config; do
        grep -q -- "$w" "$tmp/$p.txt" || fail "$p no menciona $w"
    done
done

# every command of pmm --help, with its own subsection
comandos=$("$pmm" --help | awk '/^Comandos:/ { f = 1; next } f && /^  [a-z]/ { print $1 } f && /^$/ { exit }')
[ -n "$comandos" ] || fail "pmm --help no lista comandos"
for c in $comandos; do
    grep -q "^   pmm $c\$" "$tmp/pmm.1.txt" || fail "pmm(1) no describe pmm $c"
done
grep -q "^   pmm claves emitir\$" "$tmp/pmm.1.txt" || fail "pmm(1) no describe pmm claves emitir"

# keys: the example's are in the table; the table's are in the pages
awk '/^\[[a-z]+\]/ { s = substr($1, 2, length($1) - 2); next }
     s != "" && match($0, /^#?[a-z_]+ = /) { k = $0; sub(/^#/, "", k); sub(/ .*/, "", k); print s "\t" k }' \
    "$src/deploy/pmm.conf.example" | sort -u >"$tmp/ejemplo"
[ -s "$tmp/ejemplo" ] || fail "no se leyó ninguna clave de deploy/pmm.conf.example"
awk -F'\t' '!/^#/ && NF == 8 { print $1 "\t" $2 }' "$man/claves.tsv" | sort -u >"$tmp/tabla"
faltan=$(comm -23 "$tmp/ejemplo" "$tmp/tabla" | tr '\t' ' ' | tr '\n' ',')
[ -z "$faltan" ] || fail "claves de deploy/pmm.conf.example que faltan en la tabla de configuración (pmm configuracion --formato tsv): $faltan"
while IFS='|' read -r s k progs; do
    # in pmm.conf(5) under its section, and in each reader's page
    awk -v s="[$s]" -v k="$k" '$1 == s { f = 1; next } /^   \[/ { f = 0 } f && ($1 == k) { ok = 1 }
        END { exit !ok }' "$tmp/pmm.conf.5.txt" || fail "pmm.conf(5) no describe [$s] $k"
    for p in ${progs//,/ }; do
        page=$p.8
        [ "$p" != pmm ] || page=pmm.1
        awk -v s="[$s]" -v k="$k" '$1 == s { f = 1; next } /^   \[|^[A-Z]/ { f = 0 } f && ($1 == k) { ok = 1 }
            END { exit !ok }' "$tmp/$page.txt" || fail "$page no describe [$s] $k, que lee $p"
    done
done < <(awk -F'\t' '!/^#/ && NF == 8 { print $1 "|" $2 "|" $7 }' "$man/claves.tsv")
echo "paquete.man: 5 páginas sin avisos; $(echo $comandos | wc -w) comandos en pmm(1);" \
     "$(wc -l <"$tmp/tabla") claves"
