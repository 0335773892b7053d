#!/usr/bin/env bash
# docs/man/localizacion.sh DIR: compiles the es_ES.UTF-8 locale into DIR
# (for LOCPATH=DIR), so that help2man and date write Spanish section names
# and dates without the build machine having the locale installed. Needs
# localedef and the locale sources (Debian package locales).
set -euo pipefail
dir=$1
mkdir -p "$dir"
# localedef exits 1 on mere warnings; the compiled files are what counts
localedef -i es_ES -f UTF-8 "$dir/es_ES.UTF-8" >/dev/null 2>&1 || true
[ -f "$dir/es_ES.UTF-8/LC_CTYPE" ] && [ -f "$dir/es_ES.UTF-8/LC_TIME" ] || {
    echo "localizacion: localedef no pudo compilar es_ES.UTF-8 (¿falta el paquete locales?)" >&2
    exit 1
}
