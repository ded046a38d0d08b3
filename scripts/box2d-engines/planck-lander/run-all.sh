#!/bin/sh
# The runs behind train-*.log, one at a time (from the repository root).
set -e
D=scripts/box2d-engines/planck-lander
run() { log=$1; shift; echo "$ TRPO_NUM_THREADS=1 nice -n 5 npx tsx $D/train.ts $*" >> $D/$log; start=$(date +%s); TRPO_NUM_THREADS=1 nice -n 5 npx tsx $D/train.ts "$@" 2>&1 | grep -v 'npm warn' >> $D/$log; echo "# wall $(( $(date +%s) - start )) s, $(date -u +%FT%TZ)" >> $D/$log; }
: > $D/train-planck.log; : > $D/train-counted.log
for e in LunarLander-v3 LunarLanderContinuous-v3; do run train-planck.log --env $e --engine planck --seeds 0,1,2,3,4; done
for e in LunarLander-v3 LunarLanderContinuous-v3; do for g in wasm planck; do run train-counted.log --env $e --engine $g --seeds 0,1,2,3,4 --count; done; done
for e in LunarLander-v3 LunarLanderContinuous-v3; do run train-planck.log --env $e --engine planck --seeds 5,6,7,8,9; done
