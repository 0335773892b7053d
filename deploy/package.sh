#!/usr/bin/env bash
# deploy/package.sh [--sin-deps]: builds the Debian packages
#   build-deb/pmm-seguimiento_<versión>_amd64.deb         the programs
#   build-deb/pmm-seguimiento-dbgsym_<versión>_amd64.deb  their debug symbols
# with the install layout (deploy/install.cmake): binaries in /usr/bin, data
# in /usr/share/pmm, /etc/pmm/pmm.conf, systemd units, manual pages.
# Install it with `apt install ./build-deb/pmm-seguimiento_*_amd64.deb`
# (which also pulls the dependencies); deploy/README.md goes on from there.
#
# Installs the build and packaging tools first (deploy/deps.sh
# --empaquetado), unless --sin-deps. Environment: PMM_BUILD_DEB (build
# directory), PMM_MAINTAINER ("Nombre <correo@dominio>", the package's
# Maintainer), PMM_JOBS (parallel jobs; default: every core).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${PMM_BUILD_DEB:-$repo/build-deb}
[ "${1:-}" = --sin-deps ] || "$repo/deploy/deps.sh" --empaquetado
cd "$repo"

# Debian's build flags, as debian/rules gets them: hardening (fortified
# functions, stack protector, read-only relocations, immediate binding)
# and file paths relative to the source tree (reproducible builds).
export DEB_BUILD_MAINT_OPTIONS=hardening=+all
cflags="$(dpkg-buildflags --get CPPFLAGS) $(dpkg-buildflags --get CFLAGS)"
ldflags=$(dpkg-buildflags --get LDFLAGS)
extra=()
if [ -n "${PMM_MAINTAINER:-}" ]; then
    extra+=(-DPMM_MAINTAINER="$PMM_MAINTAINER")
elif ! grep -q '^PMM_MAINTAINER:' "$dir/CMakeCache.txt" 2>/dev/null ||
     grep -q '^PMM_MAINTAINER:.*@example\.gob\.mx>' "$dir/CMakeCache.txt"; then
    echo "package: Maintainer de ejemplo (pmm-seguimiento@example.gob.mx); indique el de" \
         "su unidad con PMM_MAINTAINER=\"Nombre <correo@dominio>\"" >&2
fi
# CMAKE_SKIP_INSTALL_ALL_DEPENDENCY: cpack installs what is built below,
# without building every test and benchmark first
cmake -S "$repo" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DPMM_INSTALL_LAYOUT=ON -DCMAKE_INSTALL_PREFIX=/usr \
    -DCMAKE_C_FLAGS="$cflags" -DCMAKE_EXE_LINKER_FLAGS="$ldflags" \
    -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON "${extra[@]}" >/dev/null
cmake --build "$dir" -j"${PMM_JOBS:-$(nproc)}" --target ingestd clasificd aggregd pmm pmm-red man
rm -f "$dir"/pmm-seguimiento*.deb "$dir"/pmm-seguimiento*.ddeb
(cd "$dir" && cpack -G DEB >/dev/null)
# The debug symbols package as Debian's dh_strip makes it: CPack (3.25)
# writes its md5sums with build-tree paths and names it .ddeb (Ubuntu's
# way); it is repacked with correct md5sums, the usual
# /usr/share/doc/pmm-seguimiento-dbgsym -> pmm-seguimiento link (copyright
# and changelog are the main package's) and a .deb name.
for f in "$dir"/pmm-seguimiento-dbgsym_*.ddeb; do
    [ -e "$f" ] || { echo "package: cpack no generó el paquete -dbgsym" >&2; exit 1; }
    tmp=$(mktemp -d)
    dpkg-deb -R "$f" "$tmp/p"
    find "$tmp/p/usr/lib/debug" -type f -exec chmod 0644 {} +
    (cd "$tmp/p" && find usr -type f -print0 | LC_ALL=C sort -z | xargs -0 md5sum \
        >DEBIAN/md5sums)
    mkdir -p "$tmp/p/usr/share/doc"
    ln -s pmm-seguimiento "$tmp/p/usr/share/doc/pmm-seguimiento-dbgsym"
    dpkg-deb --root-owner-group -b "$tmp/p" "${f%.ddeb}.deb" >/dev/null
    rm -rf "$tmp" "$f"
done
ls -l "$dir"/pmm-seguimiento*.deb
