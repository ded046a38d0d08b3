/** `trpo bench`: runs the package's benchmark suite (bench/index.ts, a development file) with tsx. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PACKAGE_ROOT } from './package-info.js';

export async function bench(args: string[]): Promise<number> {
  const entry = join(PACKAGE_ROOT, 'bench', 'index.ts');
  if (!existsSync(entry)) {
    process.stderr.write(`trpo bench: the benchmark suite is not available here (no ${entry}); it ships with the source repository: git clone it, npm ci, npm run bench\n`);
    return 1;
  }
  let loader: string;
  try {
    loader = pathToFileURL(createRequire(join(PACKAGE_ROOT, 'package.json')).resolve('tsx')).href;
  } catch {
    process.stderr.write('trpo bench: the benchmarks are TypeScript and need tsx (a devDependency); run npm install in the repository\n');
    return 1;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', loader, entry, ...args], { cwd: PACKAGE_ROOT, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}
