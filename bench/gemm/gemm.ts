/**
 * Builds bench/gemm/gemm.cpp with g++ -O3 and the flags of the loaded addon variant (-mavx2 -mfma
 * for 'avx2') against the system Eigen, caches the binary in the OS temp dir, and runs it.
 * Every failure becomes a reason string (no g++, no Eigen, compile error), never an exception.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface GemmResult {
  rows: number;
  threads: number;
  flopsPerProduct: number;
  secondsPerProduct: number;
  fvpShapesGflops: number;
  /** FLOPs per process CPU-second (all threads): the rate per busy core, robust to other tenants. */
  fvpShapesCpuGflops: number;
  squareSize: number;
  squareGflops: number;
  squareCpuGflops: number;
  simd: string;
}

const SOURCE = new URL('./gemm.cpp', import.meta.url);

function eigenInclude(): string | null {
  try {
    const flags = execFileSync('pkg-config', ['--cflags-only-I', 'eigen3'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dir = flags.split(/\s+/).find((f) => f.startsWith('-I'))?.slice(2);
    if (dir && existsSync(join(dir, 'Eigen', 'Dense'))) return dir;
  } catch { /* no pkg-config */ }
  for (const dir of ['/usr/include/eigen3', '/usr/local/include/eigen3']) if (existsSync(join(dir, 'Eigen', 'Dense'))) return dir;
  return null;
}

/** Compiles the reference for an addon variant; returns the binary path or a reason. */
export function buildGemm(variant: string): { path: string } | { skipped: string } {
  const which = spawnSync('g++', ['--version'], { encoding: 'utf8' });
  if (which.error || which.status !== 0) return { skipped: 'g++ not found (apt-get install g++)' };
  const inc = eigenInclude();
  if (!inc) return { skipped: 'Eigen headers not found (apt-get install libeigen3-dev)' };
  const flags = ['-O3', '-std=c++17', '-DNDEBUG', '-DEIGEN_NO_DEBUG', '-DEIGEN_DONT_PARALLELIZE', '-pthread', `-I${inc}`];
  if (variant === 'avx2') flags.push('-mavx2', '-mfma');
  const src = readFileSync(SOURCE);
  const hash = createHash('sha256').update(src).update(flags.join(' ')).update(which.stdout).digest('hex').slice(0, 12);
  const out = join(tmpdir(), `trpo-bench-gemm-${hash}`);
  if (existsSync(out)) return { path: out };
  const cc = spawnSync('g++', [...flags, SOURCE.pathname, '-o', out], { encoding: 'utf8' });
  if (cc.status !== 0) return { skipped: `g++ failed: ${(cc.stderr || String(cc.error)).split('\n').slice(0, 3).join(' ')}` };
  return { path: out };
}

export function runGemm(binary: string, inDim: number, outDim: number, hidden: readonly number[], rows: number, threads: number, minSeconds = 0.3): GemmResult | { skipped: string } {
  const r = spawnSync(binary, [String(inDim), String(outDim), hidden.join(','), String(rows), String(threads), String(minSeconds)], { encoding: 'utf8' });
  if (r.status !== 0) return { skipped: `gemm reference failed: ${r.stderr || String(r.error)}` };
  return JSON.parse(r.stdout) as GemmResult;
}
