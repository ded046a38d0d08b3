#!/usr/bin/env node
// Builds the committed prebuilds with prebuildify (cmake-js through scripts/cmake-js-as-node-gyp.mjs):
//   prebuilds/linux-x64/trpo-node.glibc.node        baseline x86-64 (SSE2)
//   prebuilds/linux-x64/trpo-node.avx2.glibc.node   AVX2 + FMA
//   prebuilds/linux-arm64/trpo-node.glibc.node      cross-compiled (g++-aarch64-linux-gnu)
// Usage: node scripts/prebuildify.mjs [--only x64|arm64]. On other hosts (macOS, Windows) it builds
// the host's platform-arch (plus the AVX2 variant on x64). Afterwards build/ is rebuilt for the host.
import { spawnSync } from 'node:child_process';
import { existsSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { only: { type: 'string' } } });
const shim = join(root, 'scripts', 'cmake-js-as-node-gyp.mjs');
const prebuildifyBin = join(root, 'node_modules', 'prebuildify', 'bin.js');
const libcTag = process.platform === 'linux' ? ['--tag-libc'] : [];
const libcSuffix = process.platform === 'linux' ? (existsSync('/etc/alpine-release') ? '.musl' : '.glibc') : '';

function run(arch, variant, extraFlags = [], extraArgs = []) {
  const inherited = process.env.CMAKE_JS_FLAGS ? [process.env.CMAKE_JS_FLAGS] : [];  // e.g. a vcpkg toolchain
  const env = { ...process.env, CMAKE_JS_FLAGS: [...inherited, `--CDTRPO_VARIANTS=${variant}`, ...extraFlags].join(' ') };
  // prebuildify spawns --node-gyp directly on POSIX and through a shell on Windows.
  const nodeGyp = process.platform === 'win32' ? `"${process.execPath}" "${shim}"` : shim;
  const args = [prebuildifyBin, '--napi', '--strip', ...libcTag, '--arch', arch, '--node-gyp', nodeGyp, ...extraArgs];
  console.error(`\n[prebuildify] ${process.platform}-${arch} ${variant}`);
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) throw new Error(`prebuildify failed for ${process.platform}-${arch} ${variant}`);
}

const hostArch = process.arch;
const targets = values.only ? [values.only] : process.platform === 'linux' && hostArch === 'x64' ? ['x64', 'arm64'] : [hostArch];
for (const arch of targets) {
  const dir = join(root, 'prebuilds', `${process.platform}-${arch}`);
  if (arch === 'x64') {
    // The AVX2 build first: prebuildify names both files alike, so rename it before the baseline.
    run('x64', 'avx2');
    renameSync(join(dir, `trpo-node${libcSuffix}.node`), join(dir, `trpo-node.avx2${libcSuffix}.node`));
    run('x64', 'baseline');
  } else if (arch === 'arm64' && hostArch !== 'arm64') {
    const toolchain = join(root, 'cmake', 'aarch64-linux-gnu.cmake');
    run('arm64', 'baseline', [`--CDCMAKE_TOOLCHAIN_FILE=${toolchain}`], ['--strip-bin', 'aarch64-linux-gnu-strip']);
  } else {
    run(arch, 'baseline');
  }
}

// prebuildify leaves build/ configured for the last target: rebuild it for the host.
console.error('\n[prebuildify] rebuilding build/Release for the host');
const cmakeJs = join(root, 'node_modules', 'cmake-js', 'bin', 'cmake-js');
const r = spawnSync(process.execPath, [cmakeJs, 'rebuild'], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
