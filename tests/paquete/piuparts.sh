#!/usr/bin/env bash
# tests/paquete/piuparts.sh: the Debian package in a clean Debian 12 chroot
# with piuparts (Debian's own test): install and purge; install the
# previous version, upgrade to this one, remove, purge; after each step
# the scripts in piuparts.d/ check what the package promises (user,
# directories and modes, units enabled, manual pages in Spanish, nothing
# left after purge), and piuparts fails on any file left behind.
#
# Environment (tests/paquete/CMakeLists.txt sets them):
#   PMM_SRC       the source tree (a git checkout: the previous version is
#                 built from its history)
#   PMM_DEB_DIR   where deploy/package.sh left this version's packages
#   PMM_PAQUETE   work directory; keeps the base chroot tarball and the
#                 previous version's package between runs
# Optional: PMM_PAQUETE_PREVIO (a .deb to upgrade from instead of building
# the previous version), PMM_MIRROR (default: the host's Debian mirror),
# PMM_PAQUETE_LARGO=1 (a second run: with Recommends, the new version
# installed over the previous one removed, and the pedantic purge test).
# Needs root (chroot, mounts): exits 77 (skipped) otherwise.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=${PMM_SRC:?} debs=${PMM_DEB_DIR:?} work=${PMM_PAQUETE:?}
# debootstrap cannot chroot into a path with blanks, and the clone's path
# may hold some: then the chroot and its caches live under /var/tmp, in a
# directory named after the build's
if [[ "$work" =~ [[:space:]] ]]; then
    work=/var/tmp/pmm-paquete-$(printf '%s' "$work" | sha256sum | cut -c1-16)
    mkdir -p "$work"
fi

skip() { echo "paquete.piuparts: se omite: $*" >&2; exit 77; }
die() { echo "paquete.piuparts: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || skip "piuparts necesita root (chroot y montajes)"
for t in piuparts debootstrap dpkg-scanpackages dpkg-deb git tar; do
    command -v "$t" >/dev/null || die "falta $t: instálelo con deploy/deps.sh --empaquetado"
done
mkdir -p "$work"
probe=$(mktemp -d "$work/montaje.XXXXXX")
if ! mount -t tmpfs none "$probe" 2>/dev/null; then
    rmdir "$probe"
    skip "no se puede montar un sistema de archivos (¿contenedor sin privilegios?)"
fi
umount "$probe"
rmdir "$probe"

version=$(sed -n 's/^project(pmm_seguimiento VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
deb=$debs/pmm-seguimiento_${version}_amd64.deb
[ -f "$deb" ] || die "no está $deb (deploy/package.sh; en ctest, paquete.construir)"

# the host's Debian mirror (deb822 or one-line sources), else Debian's CDN
mirror=${PMM_MIRROR:-}
if [ -z "$mirror" ]; then
    mirror=$(sed -n 's/^URIs: *\([^ ]*debian\/*\)$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null |
        grep -v security | head -1 || true)
fi
if [ -z "$mirror" ]; then
    mirror=$(awk '$1 == "deb" && $2 !~ /security/ { print $2; exit }' /etc/apt/sources.list \
        2>/dev/null || true)
fi
mirror=${mirror:-http://deb.debian.org/debian}

# 1. the base chroot: Debian 12 minbase plus man-db (to read the manual
# pages), made once and kept
base=$work/bookworm-minbase.tgz
if [ ! -f "$base" ]; then
    echo "paquete.piuparts: debootstrap bookworm desde $mirror (una sola vez)" >&2
    root=$(mktemp -d "$work/raiz.XXXXXX")
    if ! debootstrap --variant=minbase --include=man-db bookworm "$root" "$mirror" \
        >"$work/debootstrap.log" 2>&1; then
        rm -rf --one-file-system "$root"
        die "debootstrap falló (vea $work/debootstrap.log)"
    fi
    tar -C "$root" -czf "$base.tmp" .
    rm -rf --one-file-system "$root"
    mv "$base.tmp" "$base"
fi

# 2. the previous version: the source tree just before the version in
# CMakeLists.txt was last changed, packaged once and kept
previo=${PMM_PAQUETE_PREVIO:-}
if [ -z "$previo" ]; then
    git -C "$src" rev-parse --git-dir >/dev/null 2>&1 ||
        die "$src no es un repositorio git: indique PMM_PAQUETE_PREVIO=paquete-anterior.deb"
    ref=
    # first parents only: a merged branch that never saw the bump would
    # otherwise be taken for the version before it
    for c in $(git -C "$src" log --first-parent --format=%H -- CMakeLists.txt); do
        v=$(git -C "$src" show "$c:CMakeLists.txt" |
            sed -n 's/^project(pmm_seguimiento VERSION \([0-9.]*\).*/\1/p')
        if [ "$v" != "$version" ]; then
            # the bump is the last commit seen with the current version
            ref=${bump:+$bump^}
            ref=${ref:-HEAD}
            break
        fi
        bump=$c
    done
    [ -n "$ref" ] || die "no hay en la historia una versión anterior a $version"
    ref=$(git -C "$src" rev-parse --short=12 "$ref")
    dir=$work/previo-$ref
    previo=$(ls "$dir"/pmm-seguimiento_*_amd64.deb 2>/dev/null | head -1 || true)
    if [ -z "$previo" ]; then
        echo "paquete.piuparts: construyendo la versión anterior ($ref; una sola vez)" >&2
        rm -rf "$dir"
        mkdir -p "$dir/src"
        git -C "$src" archive "$ref" | tar -x -C "$dir/src"
        if grep -q -- --sin-deps "$dir/src/deploy/package.sh"; then
            PMM_BUILD_DEB=$dir/build "$dir/src/deploy/package.sh" --sin-deps >"$dir/log" 2>&1 ||
                die "no se pudo empaquetar $ref (vea $dir/log)"
        else
            { cmake -S "$dir/src" -B "$dir/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
                  -DPMM_INSTALL_LAYOUT=ON -DCMAKE_INSTALL_PREFIX=/usr \
                  -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON &&
              cmake --build "$dir/build" -j"${PMM_JOBS:-$(nproc)}" \
                  --target ingestd clasificd aggregd pmm pmm-red &&
              (cd "$dir/build" && cpack -G DEB); } >"$dir/log" 2>&1 ||
                die "no se pudo empaquetar $ref (vea $dir/log)"
        fi
        mv "$dir"/build/pmm-seguimiento_*_amd64.deb "$dir"/
        rm -rf "$dir/src" "$dir/build"
        previo=$(ls "$dir"/pmm-seguimiento_*_amd64.deb | head -1)
    fi
fi
[ -f "$previo" ] || die "no está el paquete anterior $previo"
v_previo=$(dpkg-deb -f "$previo" Version)
dpkg --compare-versions "$v_previo" lt "$version" ||
    die "el paquete anterior ($v_previo) no es anterior a $version"

# 3. a local repository with the previous version: piuparts installs it
# with apt-get, then upgrades to this version's .deb
repo=$work/repo
rm -rf "$repo"
mkdir -p "$repo"
cp "$previo" "$repo/"
(cd "$repo" && dpkg-scanpackages . /dev/null >Packages 2>/dev/null)

export PMM_VERSION_NUEVA=$version
# piuparts RUN [options]: one run, with its log in $work/piuparts-RUN.log
run() {
    local name=$1 log=$work/piuparts-$1.log
    shift
    rm -f "$log"
    echo "paquete.piuparts: $name: $v_previo -> $version en bookworm ($mirror)" >&2
    if ! piuparts --basetgz="$base" --distribution=bookworm --mirror="$mirror" \
        --bindmount="$repo" --extra-repo="deb [trusted=yes] file://$repo ./" \
        --scriptsdir="$here/piuparts.d" --log-file="$log" "$@" "$deb" >/dev/null 2>&1; then
        grep -E "(ERROR|FAIL|post_install|post_remove|post_purge|pre_remove):" "$log" |
            tail -40 >&2 || true
        die "$name: piuparts falló (registro completo: $log)"
    fi
    # both tests must have run: install/purge, and the upgrade from v_previo
    grep -q "PASS: Installation and purging test" "$log" ||
        die "$name: piuparts no hizo la prueba de instalación ($log)"
    grep -q "PASS: Installation, upgrade and purging tests" "$log" ||
        die "$name: piuparts no hizo la prueba de actualización desde $v_previo ($log)"
    grep -q "Setting up pmm-seguimiento ($v_previo)" "$log" ||
        die "$name: piuparts no instaló $v_previo ($log)"
    grep "PASS:" "$log" | sed "s/^[0-9ms.]* INFO: /paquete.piuparts: $name: /" >&2
}
# the short form: install, purge; install the previous version, upgrade
# over it, remove, purge
run corta
grep -q "Unpacking pmm-seguimiento ($version) over ($v_previo)" "$work/piuparts-corta.log" ||
    die "piuparts no actualizó de $v_previo a $version ($work/piuparts-corta.log)"
if [ "${PMM_PAQUETE_LARGO:-0}" = 1 ]; then
    # also with Recommends, this version over the previous one removed (its
    # configuration kept), and a purge that must leave nothing at all
    run larga --install-recommends --install-remove-install --pedantic-purge-test
fi
