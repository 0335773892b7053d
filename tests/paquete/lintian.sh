#!/usr/bin/env bash
# tests/paquete/lintian.sh DIR VERSION: Debian's package checker on the
# packages deploy/package.sh left in DIR. Fails on any error or warning
# that the package's overrides (deploy/debian/lintian-overrides, each with
# its reason) do not cover; prints the informational tags too.
set -euo pipefail
dir=$1 version=$2
command -v lintian >/dev/null || {
    echo "paquete.lintian: falta lintian: instálelo con deploy/deps.sh --empaquetado" >&2
    exit 1
}
rc=0
for p in pmm-seguimiento pmm-seguimiento-dbgsym; do
    deb=$dir/${p}_${version}_amd64.deb
    [ -f "$deb" ] || { echo "paquete.lintian: no está $deb" >&2; exit 1; }
    out=$(lintian --display-info "$deb" 2>&1 | grep -v 'running with root privileges' || true)
    [ -z "$out" ] || printf '%s\n' "$out"
    if printf '%s\n' "$out" | grep -q '^[EW]: '; then
        echo "paquete.lintian: $p tiene errores o avisos de lintian" >&2
        rc=1
    fi
done
[ $rc = 0 ] && echo "paquete.lintian: sin errores ni avisos"
exit $rc
