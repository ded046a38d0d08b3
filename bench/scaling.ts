/**
 * Scaling of the native float32 TRPO step with N and with the hidden width (HalfCheetah shapes,
 * CG 10), and the achieved GFLOP/s of the cached Fisher-vector product (CG 10 / 10) against a plain
 * Eigen GEMM of the same shapes on this machine (bench/gemm).
 */
import { nativeInfo, setNativeThreads } from '../src/index.js';
import { buildGemm, runGemm, type GemmResult } from './gemm/gemm.js';
import { measure } from './measure.js';
import { makeBatch, makeObs, makePolicy, netName, SHAPES, STEP_OPTIONS } from './problems.js';

export interface ScalingRow {
  n: number;
  net: string;
  threads: number;
  stepMs: number;
  /** Process CPU time of the step (all threads). */
  stepCpuMs: number;
  /** Microseconds per sample. */
  usPerSample: number;
}

export interface FvpRateRow {
  n: number;
  net: string;
  threads: number;
  /** FLOPs of one product (2 x multiply-adds of the tangent and backward passes). */
  flops: number;
  /** CG 10 time / 10: one product with cached activations (plus a tenth of a forward pass). */
  fvpMs: number;
  fvpGflops: number;
  gemmGflops: number | null;
  /** fvpGflops / gemmGflops */
  fractionOfGemm: number | null;
  squareGemmGflops: number | null;
  /** The same rates per process CPU-second (all threads): robust to other tenants of the machine. */
  fvpCpuGflops: number;
  gemmCpuGflops: number | null;
  fractionOfGemmCpu: number | null;
  skipped?: string;
}

const SHAPE = SHAPES.HalfCheetah;

/** FLOPs of one FVP: per sample, tangent = in*out (first layer) or 2*in*out (others) MACs; backward the same. */
export function fvpFlops(obsDim: number, actDim: number, hidden: readonly number[], n: number): number {
  const widths = [obsDim, ...hidden, actDim];
  let macs = 0;
  for (let l = 0; l + 1 < widths.length; l++) macs += (l === 0 ? 1 : 2) * widths[l] * widths[l + 1];
  return 2 * 2 * macs * n;
}

function stepMs(n: number, hidden: number[], budget: number): { ms: number; cpuMs: number } {
  const policy = makePolicy(SHAPE, hidden, 'native-f32');
  const batch = makeBatch(policy, SHAPE, n, makeObs(SHAPE, n), true);
  const start = policy.getParameters();
  return measure(() => {
    policy.setParameters(start);
    policy.trpoStep(batch, STEP_OPTIONS);
  }, budget);
}

export function runScaling(opts: { ns: number[]; widths: number[]; widthN: number; threads: number[]; budget: number; log: (m: string) => void }): { byN: ScalingRow[]; byWidth: ScalingRow[] } {
  const byN: ScalingRow[] = [];
  const byWidth: ScalingRow[] = [];
  for (const threads of opts.threads) {
    setNativeThreads(threads);
    opts.log(`scaling, ${threads} thread(s)`);
    for (const n of opts.ns) {
      const { ms, cpuMs } = stepMs(n, [64, 64], opts.budget);
      byN.push({ n, net: '64x64', threads, stepMs: ms, stepCpuMs: cpuMs, usPerSample: (ms * 1000) / n });
    }
    for (const w of opts.widths) {
      const { ms, cpuMs } = stepMs(opts.widthN, [w, w], opts.budget);
      byWidth.push({ n: opts.widthN, net: `${w}x${w}`, threads, stepMs: ms, stepCpuMs: cpuMs, usPerSample: (ms * 1000) / opts.widthN });
    }
  }
  return { byN, byWidth };
}

export function runFvpRate(opts: { configs: [number, number[]][]; threads: number[]; budget: number; log: (m: string) => void }): { rows: FvpRateRow[]; gemm: { binary?: string; skipped?: string; flags: string } } {
  const variant = nativeInfo().variant ?? 'baseline';
  const flags = `g++ -O3 -DNDEBUG -DEIGEN_DONT_PARALLELIZE${variant === 'avx2' ? ' -mavx2 -mfma' : ''}`;
  opts.log(`building the GEMM reference (${flags})`);
  const built = buildGemm(variant);
  const rows: FvpRateRow[] = [];
  for (const threads of opts.threads) {
    setNativeThreads(threads);
    for (const [n, hidden] of opts.configs) {
      opts.log(`FVP rate N=${n} ${netName(hidden)} threads=${threads}`);
      const policy = makePolicy(SHAPE, hidden, 'native-f32');
      const obs = makeObs(SHAPE, n);
      const batch = makeBatch(policy, SHAPE, n, obs, true);
      const g = policy.surrogateGradient(batch).gradient;
      const cg = measure(() => policy.solveFisher(obs.obs32, g, { cgMaxSteps: 10, cgTol: 0, cgDamping: 0.1 }), opts.budget);
      const flops = fvpFlops(SHAPE.obsDim, SHAPE.actDim, hidden, n);
      const fvpMs = cg.ms / 10;
      const fvpGflops = flops / (fvpMs * 1e6);
      let gemm: GemmResult | { skipped: string } = { skipped: 'skipped' in built ? built.skipped : '' };
      if ('path' in built) gemm = runGemm(built.path, SHAPE.obsDim, SHAPE.actDim, hidden, n, threads, 0.3);
      const fvpCpuGflops = flops / ((cg.cpuMs / 10) * 1e6);
      const base = { n, net: netName(hidden), threads, flops, fvpMs, fvpGflops, fvpCpuGflops };
      if ('skipped' in gemm) {
        rows.push({ ...base, gemmGflops: null, fractionOfGemm: null, squareGemmGflops: null, gemmCpuGflops: null, fractionOfGemmCpu: null, skipped: gemm.skipped });
      } else {
        rows.push({
          ...base, gemmGflops: gemm.fvpShapesGflops, fractionOfGemm: fvpGflops / gemm.fvpShapesGflops, squareGemmGflops: gemm.squareGflops,
          gemmCpuGflops: gemm.fvpShapesCpuGflops, fractionOfGemmCpu: fvpCpuGflops / gemm.fvpShapesCpuGflops,
        });
      }
    }
  }
  return { rows, gemm: { ...('path' in built ? { binary: built.path } : { skipped: built.skipped }), flags } };
}
