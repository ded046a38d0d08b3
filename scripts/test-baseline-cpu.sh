#!/usr/bin/env bash
# Runs the native test files on an emulated CPU without AVX (qemu-x86_64 -cpu Nehalem) against the
# committed x64 prebuilds: the loader must pick the baseline binary, and nothing may use AVX.
# Needs: apt-get install qemu-user.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v qemu-x86_64 >/dev/null || { echo "qemu-x86_64 not found: apt-get install qemu-user" >&2; exit 1; }
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(test/loader.test.ts test/core-math- test/validation.test.ts)
PREBUILDS_ONLY=1 TRPO_BACKEND=native TRPO_EXPECT_VARIANT=baseline \
  qemu-x86_64 -cpu Nehalem "$(command -v node)" node_modules/vitest/vitest.mjs run --pool=threads "${files[@]}"
