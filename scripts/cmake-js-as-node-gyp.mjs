#!/usr/bin/env node
// prebuildify runs "node-gyp rebuild --target=<v> --devdir=<d> --arch=<a> --release|--debug"; this
// shim runs cmake-js instead (prebuildify has no cmake-js backend). --target/--devdir are dropped:
// the build uses Node-API headers from the node-api-headers package. Extra cmake-js flags (a
// toolchain file, the SIMD variant) come from the CMAKE_JS_FLAGS environment variable.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const args = ['rebuild'];
for (const a of process.argv.slice(2)) {
  if (a === '--debug') args.push('--debug');
  else if (a.startsWith('--arch=')) args.push(a);
}
if (process.env.CMAKE_JS_FLAGS) args.push(...process.env.CMAKE_JS_FLAGS.split(/\s+/).filter(Boolean));
const require = createRequire(import.meta.url);
const bin = join(dirname(require.resolve('cmake-js/package.json')), 'bin', 'cmake-js');
console.error(`[cmake-js-as-node-gyp] cmake-js ${args.join(' ')}`);
const r = spawnSync(process.execPath, [bin, ...args], { stdio: 'inherit' });
process.exit(r.status ?? 1);
