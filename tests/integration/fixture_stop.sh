#!/usr/bin/env bash
# Fixture cleanup: stops the test stack, then fails if any daemon logged a
# sanitizer report (ASan, LSan, UBSan) while the tests ran.
set -uo pipefail
"$PMM_SRC/deploy/stack.sh" stop
if grep -nE "ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: .*Sanitizer" \
    "$PMM_HOME"/log/*.log; then
    echo "fixture_stop: sanitizer reports in the daemon logs above" >&2
    exit 1
fi
echo "fixture_stop: daemon logs clean"
