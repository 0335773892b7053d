#!/usr/bin/env bash
# deploy/test.sh: installs what is missing, builds (plain and with
# ASan/UBSan), and runs every test with ctest in both builds: unit tests and
# integration tests against a throwaway PostgreSQL and the real daemons.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
# chromium renders the HTML report in its test (and prints the PDF, with
# node and poppler-utils' pdftotext); clang builds the fuzzers;
# --empaquetado: help2man, lintian, piuparts... for the tests of the package;
# LibreOffice and poppler-utils check the Word and spreadsheet files (tests/ooxml)
./deploy/deps.sh --empaquetado chromium clang libclang-rt-14-dev valgrind \
    nodejs npm poppler-utils libreoffice-writer-nogui libreoffice-calc-nogui
# the PDF of the reports (tests/integration/it_informe_pdf.sh): puppeteer-core
# drives Debian's chromium; its npm packages go in deploy/pdf/node_modules
(cd deploy/pdf && npm ci --no-audit --no-fund --loglevel=error)
./deploy/build.sh
./deploy/build.sh asan

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
rc=0
for dir in build build-asan; do
    echo "== ctest ($dir)"
    (cd "$dir" && ctest --output-on-failure --timeout 900) || rc=1
done
exit $rc
