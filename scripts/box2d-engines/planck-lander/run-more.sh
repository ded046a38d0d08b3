#!/bin/sh
# Extra seeds behind train-more.log (after run-all.sh), one run at a time, from the repository root:
# box2d-wasm seeds 5-19 and planck seeds 10-19 of both landers.
set -e
D=scripts/box2d-engines/planck-lander
run() { log=$1; shift; echo "$ TRPO_NUM_THREADS=1 nice -n 5 npx tsx $D/train.ts $*" >> $D/$log; start=$(date +%s); TRPO_NUM_THREADS=1 nice -n 5 npx tsx $D/train.ts "$@" 2>&1 | grep -v 'npm warn' >> $D/$log; echo "# wall $(( $(date +%s) - start )) s, $(date -u +%FT%TZ)" >> $D/$log; }
: > $D/train-more.log
for e in LunarLander-v3 LunarLanderContinuous-v3; do
  run train-more.log --env $e --engine wasm --seeds 5,6,7,8,9,10,11,12,13,14,15,16,17,18,19
  run train-more.log --env $e --engine planck --seeds 10,11,12,13,14,15,16,17,18,19
done
