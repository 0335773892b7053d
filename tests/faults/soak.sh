#!/usr/bin/env bash
# tests/faults/soak.sh [SEGUNDOS]: the soak of issue 7 on a stack of its
# own: measures the maximum rate (a burst through the whole pipeline), then
# submits at half of it for SEGUNDOS (default 1800) and reports each
# daemon's memory drift (< 5%), p50/p99 submit->receipt latency per minute
# and errors (none allowed).
#
# Environment: PMM_BIN (default <repo>/build/bin), PMM_HOME (default
# <bin>/../faults-home-soak), PMM_FALLAS_RITMO (fichas/s instead of half
# the measured maximum).
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export PMM_SRC=${PMM_SRC:-$(cd "$here/../.." && pwd)}
export PMM_BIN=${PMM_BIN:-$PMM_SRC/build/bin}
export PMM_DATOS=${PMM_DATOS:-$PMM_SRC/data}
build=$(cd "$PMM_BIN/.." && pwd)
export PMM_HOME=${PMM_HOME:-$build/faults-home-soak}
exec bash "$here/fallas.sh" "$build/tests/pmm_fallas" soak "${1:-1800}"
