/**
 * Finds and loads the native addon, following node-gyp-build's conventions: a source build in
 * `build/Release/` first (unless PREBUILDS_ONLY=1), then `prebuilds/<platform>-<arch>/`.
 *
 * x64 (Linux and Windows) has two binaries: a baseline one (SSE2) and one built for AVX2+FMA. The
 * baseline one is loaded first and asked whether the CPU has AVX2 and FMA (cpuid, through the
 * compiler's __builtin_cpu_supports, so the same on every OS); if so the AVX2 one is preferred.
 * TRPO_NATIVE_VARIANT=baseline|avx2 forces a variant; TRPO_NATIVE_DIR=<dir> loads from that directory only.
 */
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type {
  DistributionSpec, FisherSolveOptions, TrpoStepOptions, TrpoStepStats, ValueFitOptions, ValueFitStats,
} from './types.js';

export interface NativeBuildInfo {
  variant: string;
  simd: string;
  sourceHash: string;
  eigenVersion: string;
  cpuHasAvx2Fma: boolean;
}

/** The raw N-API module (see binding/). */
export interface NativeBinding {
  NativePolicy: new (distribution: DistributionSpec, inDim: number, outDim: number, hidden: number[], dtype: string, activationFn: string) => NativePolicyHandle;
  NativeValue: new (inDim: number, hidden: number[], dtype: string, activationFn: string) => NativeValueHandle;
  buildInfo(): NativeBuildInfo;
  numThreads(): number;
  setNumThreads(n: number): void;
  maxCoreBytes(): number;
  setMaxCoreBytes(bytes: number): void;
}

type Arr = Float32Array | Float64Array | Int32Array | Uint32Array;

export interface NativePolicyHandle {
  dispose(): void;
  numParameters(): number;
  getParameters(out: Float64Array): void;
  setParameters(p: Float64Array): void;
  forward(obs: Arr, n: number, out: Float64Array): void;
  logProb(obs: Arr, actions: Arr, n: number, out: Float64Array): void;
  entropy(obs: Arr, n: number): number;
  surrogate(obs: Arr, actions: Arr, adv: Arr, logProbOld: Arr, n: number, entCoef: number, grad: Float64Array | null): number;
  meanKl(obs: Arr, n: number, oldParams: Float64Array): number;
  fisherVectorProduct(obs: Arr, n: number, v: Float64Array, damping: number, out: Float64Array): void;
  solveFisher(obs: Arr, n: number, b: Float64Array, options: FisherSolveOptions, xOut: Float64Array): { residual: number; iterations: number };
  trpoStep(obs: Arr, actions: Arr, adv: Arr, logProbOld: Arr, n: number, options: TrpoStepOptions): TrpoStepStats;
  trpoStepAsync(obs: Arr, actions: Arr, adv: Arr, logProbOld: Arr, n: number, options: TrpoStepOptions): Promise<TrpoStepStats>;
  sample(obs: Arr, n: number, noise: Arr | null, deterministic: boolean, actionsOut: Float64Array, logProbOut: Float64Array): void;
  sampleWithValues(value: NativeValueHandle, obs: Arr, n: number, noise: Arr | null, deterministic: boolean, actionsOut: Float64Array, logProbOut: Float64Array, valuesOut: Float64Array): void;
}

export interface NativeValueHandle {
  dispose(): void;
  numParameters(): number;
  getParameters(out: Float64Array): void;
  setParameters(p: Float64Array): void;
  forward(obs: Arr, n: number, out: Float64Array): void;
  loss(obs: Arr, returns: Arr, n: number, grad: Float64Array | null): number;
  fit(obs: Arr, returns: Arr, n: number, order: Uint32Array, options: ValueFitOptions): ValueFitStats;
  fitAsync(obs: Arr, returns: Arr, n: number, order: Uint32Array, options: ValueFitOptions): Promise<ValueFitStats>;
  getOptimizerState(out: Float64Array): void;
  setOptimizerState(state: Float64Array): void;
}

export type NativeLoadResult =
  | { ok: true; binding: NativeBinding; path: string; info: NativeBuildInfo }
  | { ok: false; reason: string };

/** The package root (this file is src/core/*.ts or dist/core/*.js). */
export const packageRoot: string = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const require = createRequire(import.meta.url);

function candidateDirs(): string[] {
  // A build elsewhere only (e.g. the sanitizer build of CI, build-asan/Release).
  if (process.env.TRPO_NATIVE_DIR) return [process.env.TRPO_NATIVE_DIR];
  const dirs: string[] = [];
  if (process.env.PREBUILDS_ONLY !== '1') dirs.push(join(packageRoot, 'build', 'Release'));
  dirs.push(join(packageRoot, 'prebuilds', `${process.platform}-${process.arch}`));
  return dirs.filter((d) => existsSync(d));
}

/** The .node files of a directory, split into baseline and AVX2 variants. */
function variantsIn(dir: string): { baseline?: string; avx2?: string } {
  const files = readdirSync(dir).filter((f) => f.endsWith('.node')).sort();
  const isMusl = process.platform === 'linux' && (process.env.LIBC === 'musl' || existsSync('/etc/alpine-release'));
  const libcOk = (f: string): boolean => (isMusl ? !f.includes('.glibc.') : !f.includes('.musl.'));
  const usable = files.filter(libcOk);
  return {
    baseline: usable.find((f) => !f.includes('avx2')) && join(dir, usable.find((f) => !f.includes('avx2'))!),
    avx2: usable.find((f) => f.includes('avx2')) && join(dir, usable.find((f) => f.includes('avx2'))!),
  };
}

let cached: NativeLoadResult | undefined;

/** Loads the addon once; never throws (the reason is returned instead). */
export function loadNative(): NativeLoadResult {
  if (cached) return cached;
  const forced = process.env.TRPO_NATIVE_VARIANT;
  if (forced !== undefined && forced !== 'baseline' && forced !== 'avx2') {
    cached = { ok: false, reason: `TRPO_NATIVE_VARIANT must be 'baseline' or 'avx2', got '${forced}'` };
    return cached;
  }
  const failures: string[] = [];
  for (const dir of candidateDirs()) {
    const { baseline, avx2 } = variantsIn(dir);
    const tryLoad = (path: string | undefined): NativeLoadResult | undefined => {
      if (!path) return undefined;
      try {
        const binding = require(path) as NativeBinding;
        return { ok: true, binding, path, info: binding.buildInfo() };
      } catch (error) {
        failures.push(`${path}: ${(error as Error).message.split('\n')[0]}`);
        return undefined;
      }
    };
    if (forced === 'avx2') {
      const r = tryLoad(avx2);
      if (r) return (cached = r);
      continue;
    }
    const base = tryLoad(baseline);
    if (forced !== 'baseline' && avx2 && (!base || (base.ok && base.info.cpuHasAvx2Fma))) {
      const r = tryLoad(avx2);
      if (r) return (cached = r);
    }
    if (base) return (cached = base);
  }
  const where = `${process.platform}-${process.arch}`;
  cached = {
    ok: false,
    reason:
      `no native binary of trpo-node loads on ${where}` +
      (failures.length ? ` (${failures.join('; ')})` : ' (no prebuild for this platform and no source build)') +
      '. To build it from source: install CMake, a C++17 compiler and Eigen 3.4, then run `npm run build:native` in the trpo-node package directory.',
  };
  return cached;
}
