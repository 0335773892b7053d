#!/usr/bin/env bash
# tests/fuzz/run.sh [build|seeds|wire|json|ooxml|all] -- builds the libFuzzer harnesses
# with clang (-fsanitize=fuzzer,address,undefined) straight from the
# sources they need and runs each for FUZZ_SECONDS (default 30). Exits
# non-zero on any crash, leak, timeout or UBSan report; the failing input is
# left in $FUZZ_OUT/artefactos/ (replay it with: $FUZZ_OUT/fuzz_X FILE).
#
# Environment:
#   FUZZ_SECONDS  seconds per harness (default 30)
#   FUZZ_OUT      build and work directory (default <repo>/build-fuzz)
#   FUZZ_ARGS     extra libFuzzer flags (e.g. -jobs=2)
#   CC            clang to use (default clang)
#   PMM_DATOS     reference data (default <repo>/data)
#
# The seed corpus in tests/fuzz/corpus/ is read, never written: inputs the
# fuzzer finds go to $FUZZ_OUT/corpus/<harness>/ (kept between runs).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
OUT=${FUZZ_OUT:-$repo/build-fuzz}
SECONDS_EACH=${FUZZ_SECONDS:-30}
CC=${CC:-clang}
export PMM_DATOS=${PMM_DATOS:-$repo/data}

die() { echo "fuzz: error: $*" >&2; exit 1; }

command -v "$CC" >/dev/null 2>&1 || die "no se encontró $CC (clang con libFuzzer)"
"$CC" --version 2>/dev/null | grep -q clang || die "$CC no es clang: libFuzzer necesita clang"
command -v protoc-c >/dev/null 2>&1 || die "no se encontró protoc-c"

build() {
    mkdir -p "$OUT/gen" "$OUT/artefactos"
    # generated code is never committed: regenerate it from the .proto
    protoc-c --c_out="$OUT/gen" -I"$repo/proto" "$repo/proto/pmm.proto"
    local pkgs="libzmq libprotobuf-c jansson libsodium libcrypto"
    local cflags libs
    cflags=$(pkg-config --cflags $pkgs)
    libs=$(pkg-config --libs $pkgs)
    local common=(-std=c17 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer
                  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
                  "-DFUZZ_DATA_DIR=\"$repo/data\"")
    local lib="$repo/lib"
    local incs=(-I"$lib/base" -I"$lib/wire" -I"$lib/ficha")
    local srcs=("$lib/wire/wire.c" "$lib/wire/sender_reply.c" "$lib/ficha/ficha.c"
                "$lib/ficha/ficha_json.c" "$lib/ficha/ficha_reader.c" "$lib/ficha/json_errores.c"
                "$lib/base/utf8.c" "$lib/ficha/refdata.c"
                "$lib/ficha/refdata_ods.c" "$lib/ficha/refdata_taxonomia.c" "$lib/ficha/refdata_nombres.c" "$lib/base/hashmap.c"
                "$lib/base/csvfile.c" "$lib/base/error.c" "$lib/base/strbuf.c")
    # the generated file is not ours to warn about: compile it on its own
    "$CC" "${common[@]/-fsanitize=fuzzer,address,undefined/-fsanitize=fuzzer-no-link,address,undefined}" \
        -w $cflags -I"$OUT/gen" -c "$OUT/gen/pmm.pb-c.c" -o "$OUT/pmm.pb-c.o"
    local h
    for h in wire json; do
        # shellcheck disable=SC2086
        "$CC" "${common[@]}" -Wall -Wextra -Werror $cflags "${incs[@]}" -I"$OUT/gen" \
            "$here/fuzz_$h.c" "${srcs[@]}" "$OUT/pmm.pb-c.o" \
            -o "$OUT/fuzz_$h" $libs -lunistring -lcsv -lm
    done
    # the Word/Excel/OpenDocument reader: lib/ooxml over libzip and libxml2
    local oflags olibs
    oflags=$(pkg-config --cflags libzip libxml-2.0)
    olibs=$(pkg-config --libs libzip libxml-2.0)
    # shellcheck disable=SC2086
    "$CC" "${common[@]}" -Wall -Wextra -Werror $oflags -I"$lib/base" -I"$lib/ooxml" \
        "$here/fuzz_ooxml.c" "$lib"/ooxml/*.c "$lib/base/utf8.c" "$lib/base/error.c" \
        "$lib/base/strbuf.c" -o "$OUT/fuzz_ooxml" $olibs -lunistring -lm
    echo "fuzz: arneses en $OUT/fuzz_wire, $OUT/fuzz_json y $OUT/fuzz_ooxml" >&2
}

# Rewrites the wire seeds from make_seeds.c (deterministic output).
seeds() {
    build
    local pkgs="libzmq libprotobuf-c jansson libsodium libcrypto"
    # shellcheck disable=SC2046
    "$CC" -std=c17 -D_GNU_SOURCE -g -Wall -Wextra -Werror -fsanitize=address,undefined \
        $(pkg-config --cflags $pkgs) -I"$repo/lib/base" -I"$repo/lib/wire" \
        -I"$repo/lib/ficha" -I"$OUT/gen" \
        "$here/make_seeds.c" "$repo/lib/wire/wire.c" "$repo/lib/ficha/ficha.c" \
        "$repo/lib/base/utf8.c" "$repo/lib/base/error.c" "$repo/lib/ficha/refdata.c" \
        "$repo/lib/ficha/refdata_ods.c" "$repo/lib/ficha/refdata_taxonomia.c" "$repo/lib/ficha/refdata_nombres.c" "$repo/lib/base/hashmap.c" \
        "$repo/lib/base/csvfile.c" "$repo/lib/base/strbuf.c" "$OUT/pmm.pb-c.o" \
        -fsanitize=fuzzer-no-link \
        -o "$OUT/make_seeds" $(pkg-config --libs $pkgs) -lunistring -lcsv
    mkdir -p "$here/corpus/wire"
    "$OUT/make_seeds" "$here/corpus/wire"
    echo "fuzz: semillas escritas en $here/corpus/wire" >&2
}

run_one() {
    local h=$1 max_len
    case $h in
    wire) max_len=8192 ;;
    json) max_len=16384 ;;
    ooxml) max_len=65536 ;;
    esac
    mkdir -p "$OUT/corpus/$h"
    echo "fuzz: $h durante ${SECONDS_EACH} s" >&2
    # shellcheck disable=SC2086
    "$OUT/fuzz_$h" -max_total_time="$SECONDS_EACH" -max_len="$max_len" \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$OUT/artefactos/$h-" ${FUZZ_ARGS:-} \
        "$OUT/corpus/$h" "$here/corpus/$h"
}

what=${1:-all}
case $what in
build) build ;;
seeds) seeds ;;
wire | json | ooxml) build; run_one "$what" ;;
all) build; rc=0; run_one wire || rc=1; run_one json || rc=1; run_one ooxml || rc=1; exit $rc ;;
*) echo "uso: tests/fuzz/run.sh [build|seeds|wire|json|ooxml|all]" >&2; exit 2 ;;
esac
