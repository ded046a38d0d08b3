#!/usr/bin/env bash
# Builds the libFuzzer harness of the C++ core (fuzz/core_fuzz.cpp, with ASan + UBSan) into
# build-fuzz/ and runs it on the committed seed corpus (fuzz/corpus/ and fuzz/seed-corpus.tar.gz)
# for FUZZ_SECONDS (default 60).
# New interesting inputs go to build-fuzz/corpus/ (not committed); a crash is written to
# build-fuzz/crash-* and fails the run; add it to fuzz/corpus/ once fixed.
# Needs clang with libFuzzer (Debian: apt-get install clang-14 libclang-rt-14-dev).
set -euo pipefail
cd "$(dirname "$0")/.."
CXX=${FUZZ_CXX:-$(command -v clang++ || command -v clang++-14 || true)}
[ -n "$CXX" ] || { echo "fuzz: no clang++ (apt-get install clang-14 libclang-rt-14-dev)"; exit 1; }
mkdir -p build-fuzz/corpus
# The committed seed corpus: a few hand-written inputs, plus the merged corpus of the local runs.
[ -f fuzz/seed-corpus.tar.gz ] && tar -xzf fuzz/seed-corpus.tar.gz -C build-fuzz/corpus
"$CXX" -std=c++17 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I/usr/include/eigen3 -DEIGEN_DONT_PARALLELIZE -DNDEBUG -DEIGEN_NO_DEBUG \
  cpp/*.cpp fuzz/core_fuzz.cpp -o build-fuzz/core_fuzz -lpthread
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=0"
export TRPO_NUM_THREADS=${TRPO_NUM_THREADS:-1}
build-fuzz/core_fuzz -max_total_time="${FUZZ_SECONDS:-60}" -max_len=4096 -rss_limit_mb=2048 -timeout=10 \
  -artifact_prefix=build-fuzz/ -print_final_stats=1 build-fuzz/corpus fuzz/corpus "$@"
