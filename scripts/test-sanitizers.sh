#!/usr/bin/env bash
# The native test files against the addon built with AddressSanitizer + UndefinedBehaviorSanitizer
# (cmake -DTRPO_SANITIZE=ON, into build-asan/; UB reports are fatal). Node itself is not
# instrumented: libasan is preloaded into it, with leak detection off (Node does not free everything
# at exit). A report ends the process with a non-zero exit (ASan errors; UBSan's with
# -fno-sanitize-recover), which fails its test file (the tests' child processes must exit 0); any
# report text in the output fails this script as well.
set -euo pipefail
shopt -s nullglob
cd "$(dirname "$0")/.."

FILES=(${TRPO_SANITIZE_TESTS:-test/core-math- test/validation.test.ts test/backends-agree.test.ts test/resource-guards.test.ts})

npx cmake-js build --out build-asan --CDTRPO_SANITIZE=ON --CDTRPO_VARIANTS=baseline >/tmp/trpo-build-asan.log 2>&1 \
  || { tail -n 60 /tmp/trpo-build-asan.log; exit 1; }
addon="$PWD/build-asan/Release/trpo_node.node"
readelf -d "$addon" | grep -q 'libasan' || { echo "sanitizers: $addon is not linked with libasan"; exit 1; }

log=$(mktemp /tmp/trpo-sanitizers.XXXXXX.log)
export LD_PRELOAD="$(g++ -print-file-name=libasan.so)"
export ASAN_OPTIONS="detect_leaks=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export TRPO_NATIVE_DIR="$PWD/build-asan/Release" TRPO_BACKEND=native TRPO_SANITIZED=1

status=0
npx vitest run "${FILES[@]}" 2>&1 | tee "$log" || status=$?
if grep -Eq 'ERROR: AddressSanitizer|runtime error:|SUMMARY: (Address|UndefinedBehavior)Sanitizer' "$log"; then
  echo "sanitizers: a report was printed (full output: $log)"
  exit 1
fi
[ "$status" -eq 0 ] || { echo "sanitizers: tests failed (exit $status; output: $log)"; exit "$status"; }
rm -f "$log"
echo "sanitizers: ${FILES[*]} passed with no ASan/UBSan report"
