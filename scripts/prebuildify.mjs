#!/usr/bin/env node
// Builds the committed prebuilds with prebuildify (cmake-js through scripts/cmake-js-as-node-gyp.mjs):
//   prebuilds/linux-x64/trpo-node.glibc.node        baseline x86-64 (SSE2)
//   prebuilds/linux-x64/trpo-node.avx2.glibc.node   AVX2 + FMA
//   prebuilds/linux-arm64/trpo-node.glibc.node      cross-compiled (g++-aarch64-linux-gnu)
//   prebuilds/win32-x64/trpo-node.node              cross-compiled with MinGW-w64 (g++-mingw-w64-x86-64-posix)
//   prebuilds/win32-x64/trpo-node.avx2.node         the same, AVX2 + FMA
// Usage: node scripts/prebuildify.mjs [--only x64|arm64|win32[,...]]   (npm run prebuildify -- --only win32)
// On a Linux x64 host all three targets are built. On other hosts (macOS, Windows, musl) it builds
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
const hostLibc = existsSync('/etc/alpine-release') ? 'musl' : 'glibc';

/** The cross-compiled targets of a Linux x64 host: a toolchain file and the matching strip. */
const cross = {
  arm64: { platform: 'linux', arch: 'arm64', toolchain: 'aarch64-linux-gnu.cmake', strip: 'aarch64-linux-gnu-strip' },
  win32: { platform: 'win32', arch: 'x64', toolchain: 'x86_64-w64-mingw32.cmake', strip: 'x86_64-w64-mingw32-strip' },
};

/** One prebuildify run: one variant of one platform-arch; returns the file it wrote. */
function run(target, variant) {
  const { platform, arch, toolchain, strip } = target;
  const inherited = process.env.CMAKE_JS_FLAGS ? [process.env.CMAKE_JS_FLAGS] : [];  // e.g. a vcpkg toolchain
  const flags = [...inherited, `--CDTRPO_VARIANTS=${variant}`];
  if (toolchain) flags.push(`--CDCMAKE_TOOLCHAIN_FILE=${join(root, 'cmake', toolchain)}`);
  const env = { ...process.env, CMAKE_JS_FLAGS: flags.join(' ') };
  // prebuildify spawns --node-gyp directly on POSIX and through a shell on Windows.
  const nodeGyp = process.platform === 'win32' ? `"${process.execPath}" "${shim}"` : shim;
  const args = [prebuildifyBin, '--napi', '--strip', '--platform', platform, '--arch', arch, '--node-gyp', nodeGyp];
  if (platform === 'linux') args.push('--tag-libc');
  if (strip) args.push('--strip-bin', strip);
  console.error(`\n[prebuildify] ${platform}-${arch} ${variant}`);
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) throw new Error(`prebuildify failed for ${platform}-${arch} ${variant}`);
  const libc = platform === 'linux' ? `.${platform === process.platform ? hostLibc : 'glibc'}` : '';
  return { dir: join(root, 'prebuilds', `${platform}-${arch}`), libc };
}

/** x64 targets get two binaries; prebuildify names both alike, so the AVX2 one is renamed first. */
function buildTarget(target) {
  if (target.arch !== 'x64') return void run(target, 'baseline');
  const { dir, libc } = run(target, 'avx2');
  renameSync(join(dir, `trpo-node${libc}.node`), join(dir, `trpo-node.avx2${libc}.node`));
  run(target, 'baseline');
}

const host = { platform: process.platform, arch: process.arch };
const linuxX64 = host.platform === 'linux' && host.arch === 'x64' && hostLibc === 'glibc';
const names = values.only ? values.only.split(',') : linuxX64 ? ['x64', 'arm64', 'win32'] : [host.arch];
const targets = names.map((name) => {
  if (name === host.arch) return host;
  if (cross[name] && linuxX64) return cross[name];
  throw new Error(`--only: '${name}' is not a target here: expected ${linuxX64 ? 'x64, arm64 or win32' : host.arch} on this ${host.platform}-${host.arch} host`);
});
for (const target of targets) buildTarget(target);

// prebuildify leaves build/ configured for the last target: rebuild it for the host.
console.error('\n[prebuildify] rebuilding build/Release for the host');
const cmakeJs = join(root, 'node_modules', 'cmake-js', 'bin', 'cmake-js');
const r = spawnSync(process.execPath, [cmakeJs, 'rebuild'], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
