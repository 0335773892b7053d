#!/usr/bin/env bash
# deploy/build.sh [asan]: configures and builds into build/ (or build-asan/
# with AddressSanitizer and UBSan). Binaries land in build*/bin.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [ "${1:-}" = asan ]; then
    dir=$repo/build-asan
    flags="-DPMM_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug"
else
    dir=$repo/build
    flags="-DCMAKE_BUILD_TYPE=RelWithDebInfo"
fi
cmake -S "$repo" -B "$dir" $flags >/dev/null
cmake --build "$dir" -j"$(nproc)"
