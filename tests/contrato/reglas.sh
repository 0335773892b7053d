#!/usr/bin/env bash
# tests/contrato/reglas.sh -- the contract cannot drift from the validator.
#
# Every rule id (`regla`, the 4th argument of pmm_error_set) that the ficha
# validator and the JSON reader can emit (lib/ficha/*.c) and that the
# collector's version decisions emit (ingestd/idem.c) must appear, written
# as `regla`, in docs/contrato-ficha.md. lib/ficha/refdata*.c are left out:
# its errors describe a broken reference-data file to the operator, not a
# rule a ficha breaks. A rule id that is not a string literal fails the
# test too (it could not be checked), as does finding suspiciously few.
#
# Usage: tests/contrato/reglas.sh [REPO]   (exit 0 ok, 1 drift)
set -euo pipefail
repo=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
doc=$repo/docs/contrato-ficha.md
[ -s "$doc" ] || { echo "contrato: falta $doc" >&2; exit 1; }

files=()
for f in "$repo"/lib/ficha/*.c "$repo/ingestd/idem.c"; do
    case "$(basename "$f")" in refdata*.c) ;; *) files+=("$f") ;; esac
done

# One "file<TAB>rule" line per pmm_error_set call; "file<TAB>?" when the
# call's rule is not a literal.
extract() {
    # pmm_error_set(err, code, campo, "regla", ...) and the JSON reader's
    # fault(faults, code, campo, "regla", ...), which records one of many
    perl -0777 -ne '
        my $calls = () = /\b(?:pmm_error_set|fault)\s*\((?!faults\s*\*)/g;
        my $found = 0;
        while (/\b(?:pmm_error_set|fault)\s*\((?!faults\s*\*)\s*[^,]+,\s*[^,]+,\s*
                ("(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z_0-9]*)\s*,\s*"([^"]*)"/gx) {
            print "$ARGV\t$2\n";
            $found++;
        }
        print "$ARGV\t?\n" for 1 .. $calls - $found;
    ' "$@"
}

rc=0
n=0
declare -A seen=()
while IFS=$'\t' read -r file rule; do
    if [ "$rule" = "?" ]; then
        echo "contrato: ${file#"$repo"/}: una llamada a pmm_error_set sin regla literal" >&2
        rc=1
        continue
    fi
    [ -n "${seen[$rule]:-}" ] && continue
    seen[$rule]=1
    n=$((n + 1))
    if ! grep -qF "\`$rule\`" "$doc"; then
        echo "contrato: la regla «$rule» (${file#"$repo"/}) no está en docs/contrato-ficha.md" >&2
        rc=1
    fi
done < <(extract "${files[@]}")

# guard against a broken extraction passing for nothing
if [ "$n" -lt 25 ]; then
    echo "contrato: solo se encontraron $n reglas en ${#files[@]} archivos; ¿cambió la forma de pmm_error_set?" >&2
    rc=1
fi
[ $rc -eq 0 ] && echo "contrato: las $n reglas del validador están en docs/contrato-ficha.md"
exit $rc
