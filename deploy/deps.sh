#!/usr/bin/env bash
# deploy/deps.sh [--empaquetado] [extra packages...]
# Installs the Debian packages pmm-seguimiento needs to build, test and run,
# when they are missing. Needs root (or sudo) only when something is missing.
# --empaquetado adds the tools that build and check the Debian package
# (deploy/package.sh, the ctest label "paquete"): help2man and locales (the
# es_ES.UTF-8 sources) for the manual pages, file and dpkg-dev for CPack's
# dpkg-shlibdeps, lintian, and debootstrap and piuparts for the
# install/upgrade/remove/purge test in a chroot.
set -euo pipefail

PKGS="build-essential cmake pkg-config git
libzmq3-dev libprotobuf-c-dev protobuf-c-compiler libpq-dev libcmocka-dev
libjansson-dev libsodium-dev libssl-dev libinih-dev libcsv-dev libunistring-dev
libstemmer-dev libsystemd-dev libzip-dev libxml2-dev libxlsxwriter-dev librsvg2-dev postgresql
postgresql-contrib pgbouncer pgbackrest util-linux procps iproute2 jq"
PKGS_EMPAQUETADO="dpkg-dev file binutils help2man locales man-db groff-base lintian
init-system-helpers debootstrap piuparts debian-archive-keyring"

if [ "${1:-}" = --empaquetado ]; then
    shift
    PKGS="$PKGS $PKGS_EMPAQUETADO"
fi

missing=()
for p in $PKGS "$@"; do
    # Node.js may come from elsewhere than Debian (NodeSource's nodejs
    # ships its own npm and conflicts with Debian's npm package): a
    # working command is enough.
    case $p in
        nodejs) command -v node >/dev/null && continue ;;
        npm) command -v npm >/dev/null && continue ;;
    esac
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: instalando ${missing[*]}" >&2
SUDO=
if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "deps: faltan paquetes y no hay sudo: ${missing[*]}" >&2; exit 1; }
    SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts a system-wide cluster on install; the project runs its own.
