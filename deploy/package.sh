#!/usr/bin/env bash
# deploy/package.sh: builds the Debian package (build-deb/pmm-seguimiento_*.deb)
# with the install layout: binaries in /usr/bin, data in /usr/share/pmm,
# /etc/pmm/pmm.conf, systemd units. Install it with `dpkg -i` (or
# `apt install ./build-deb/pmm-seguimiento_*.deb`, which also pulls the
# dependencies); deploy/README.md goes on from there.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${PMM_BUILD_DEB:-$repo/build-deb}
"$repo/deploy/deps.sh"
cmake -S "$repo" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DPMM_INSTALL_LAYOUT=ON -DCMAKE_INSTALL_PREFIX=/usr >/dev/null
cmake --build "$dir" -j"$(nproc)" --target ingestd clasificd aggregd pmm pmm-red
(cd "$dir" && cpack -G DEB)
ls -l "$dir"/pmm-seguimiento_*.deb
