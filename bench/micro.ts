/**
 * Micro benchmarks: policy forward, Fisher-vector product, CG (10 iterations), the full TRPO step
 * (CG 10) and a value fit (10 epochs of Adam, minibatch 128), for every (shape, net, N), with
 * native float32 and float64 at 1 and 2 threads and the pure-JS backend (single-threaded).
 */
import { setNativeThreads } from '../src/index.js';
import { measure } from './measure.js';
import {
  makeBatch, makeObs, makePolicy, makeReturns, makeValue, netName, STEP_OPTIONS, type Impl, type Shape,
} from './problems.js';

export const OPS = ['forward', 'fvp', 'cg10', 'step', 'valueFit'] as const;
export type Op = (typeof OPS)[number];
export const OP_LABELS: Record<Op, string> = {
  forward: 'policy forward',
  fvp: 'FVP (incl. its forward)',
  cg10: 'CG, 10 iterations',
  step: 'TRPO step (CG 10)',
  valueFit: 'value fit (10 ep, mb 128)',
};

/** One measured (or skipped) cell. threads: 1 or 2 for native, 1 for JS. */
export interface MicroCell {
  shape: Shape['name'];
  net: string;
  n: number;
  op: Op;
  impl: Impl;
  threads: number;
  ms: number | null;
  /** Median process CPU time per call (see measure.ts). */
  cpuMs?: number;
  repeats: number;
  skipped?: string;
  /** For the TRPO step: line-search backtracks and whether the step was accepted. */
  backtracks?: number;
  accepted?: boolean;
  /** For CG: iterations actually run. */
  cgIterations?: number;
}

export interface MicroPlan {
  shapes: Shape[];
  nets: number[][];
  ns: number[];
  threads: number[];
  /** Timing budget per cell (ms): native, JS. */
  budgetNative: number;
  budgetJs: number;
  /** Whether to run pure JS for a (net, n), or why not. */
  jsSkip: (net: number[], n: number) => string | null;
  log: (msg: string) => void;
}

export function runMicro(plan: MicroPlan): MicroCell[] {
  const cells: MicroCell[] = [];
  for (const shape of plan.shapes) {
    for (const net of plan.nets) {
      for (const n of plan.ns) {
        const obs = makeObs(shape, n);
        const returns = makeReturns(shape, obs.obs64, n);
        for (const impl of ['native-f32', 'native-f64', 'js'] as Impl[]) {
          const threadList = impl === 'js' ? [1] : plan.threads;
          const skip = impl === 'js' ? plan.jsSkip(net, n) : null;
          const base = { shape: shape.name, net: netName(net), n, impl };
          if (skip) {
            for (const op of OPS) for (const threads of threadList) cells.push({ ...base, op, threads, ms: null, repeats: 0, skipped: skip });
            continue;
          }
          plan.log(`micro ${shape.name} ${netName(net)} N=${n} ${impl}`);
          for (const threads of threadList) {
            if (impl !== 'js') setNativeThreads(threads);
            const budget = impl === 'js' ? plan.budgetJs : plan.budgetNative;
            cells.push(...measureOps(shape, net, n, impl, threads, obs, returns, budget).map((c) => ({ ...base, ...c })));
          }
        }
      }
    }
  }
  return cells;
}

function measureOps(shape: Shape, net: number[], n: number, impl: Impl, threads: number,
  obs: { obs64: Float64Array; obs32: Float32Array }, returns: Float64Array, budget: number): Omit<MicroCell, 'shape' | 'net' | 'n' | 'impl'>[] {
  const policy = makePolicy(shape, net, impl);
  const batch = makeBatch(policy, shape, n, obs, impl === 'native-f32');
  const start = policy.getParameters();
  const dir = Float64Array.from({ length: policy.numParameters }, (_, i) => Math.sin(i + 1));
  const g = policy.surrogateGradient(batch).gradient;
  const out: Omit<MicroCell, 'shape' | 'net' | 'n' | 'impl'>[] = [];

  const fwd = measure(() => policy.forward(batch.obs), budget);
  out.push({ op: 'forward', threads, ...fwd });
  const fvp = measure(() => policy.fisherVectorProduct(batch.obs, dir, 0.1), budget);
  out.push({ op: 'fvp', threads, ...fvp });
  let cgIterations = 0;
  const cg = measure(() => { cgIterations = policy.solveFisher(batch.obs, g, { cgMaxSteps: 10, cgTol: 0, cgDamping: 0.1 }).iterations; }, budget);
  out.push({ op: 'cg10', threads, ...cg, cgIterations });
  let stats = { backtracks: -1, accepted: false };
  const step = measure(() => {
    policy.setParameters(start);
    stats = policy.trpoStep(batch, STEP_OPTIONS);
  }, budget);
  out.push({ op: 'step', threads, ...step, backtracks: stats.backtracks, accepted: stats.accepted });
  const value = makeValue(shape, net, impl);
  const vf = measure(() => value.fit(batch.obs, returns, { epochs: 10, batchSize: 128 }), budget);
  out.push({ op: 'valueFit', threads, ...vf });
  return out;
}
