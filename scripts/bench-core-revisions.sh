#!/bin/bash
# The core benchmark of two checkouts, alternated run by run (native only, 1 thread, N = 4096), for
# before/after comparisons on a shared machine: one JSON line per run, prefixed with the checkout.
#   scripts/bench-core-revisions.sh /path/to/before /path/to/after [rounds] > runs.log
# Each checkout must be built (npm run build:native) and have node_modules.
set -euo pipefail
before=$1; after=$2; rounds=${3:-6}
for ((r = 0; r < rounds; r++)); do
  for d in "$before" "$after"; do
    echo "$d $(cd "$d" && TRPO_NUM_THREADS=1 npx tsx bench/core.ts --native-only --json --threads 1 2>/dev/null | tail -1)"
  done
done
