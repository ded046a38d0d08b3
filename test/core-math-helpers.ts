/** Shared helpers of the test/core-math-*.test.ts files (one per unit of cpp/ and src/core/js/). */
import { expect } from 'vitest';
import { dot } from '../src/core/cg.js';
import { jsBackend } from '../src/core/js/index.js';
import { nativeBackend } from '../src/core/native.js';
import type { Activation, Backend, DistributionSpec, PolicyBatch, PolicyCore, PolicyKind, TrpoStepOptions } from '../src/core/types.js';
import { Random } from '../src/random.js';

export const HIDDEN: readonly (readonly number[])[] = [[], [5], [6, 5, 4]];
export const KINDS: readonly PolicyKind[] = ['gaussian', 'categorical', 'multiCategorical', 'bernoulli'];

export function normals(rng: Random, n: number, scale = 1): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = scale * rng.normal();
  return a;
}

export function unit(v: Float64Array): Float64Array {
  const n = Math.sqrt(dot(v, v));
  return v.map((x) => x / n);
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

export function norm(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
}

export function diffNorm(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
}

const native = nativeBackend();
if (!native) throw new Error('the native addon must be built for these tests (npm run build:native)');
export const BACKENDS: Backend[] = [jsBackend, native];

/**
 * The distribution of a kind with `outDim` network outputs: a multi-categorical splits them into
 * two components, the first of at least 2 actions (one component for outDim <= 2).
 */
export function specOf(kind: PolicyKind, outDim: number): DistributionSpec {
  if (kind !== 'multiCategorical') return { kind, nvec: [] };
  const first = Math.min(outDim, Math.max(2, Math.ceil(outDim / 2)));
  return { kind, nvec: outDim - first > 0 ? [first, outDim - first] : [first] };
}

/** Random valid actions of a distribution for n states. */
export function randomActions(spec: DistributionSpec, outDim: number, n: number, rng: Random): Float64Array | Int32Array {
  switch (spec.kind) {
    case 'gaussian':
    case 'gsde': return normals(rng, n * outDim);
    case 'categorical': return Int32Array.from({ length: n }, () => rng.integer(outDim));
    case 'multiCategorical': return Int32Array.from({ length: n * spec.nvec.length }, (_, t) => rng.integer(spec.nvec[t % spec.nvec.length]));
    case 'bernoulli': return Int32Array.from({ length: n * outDim }, () => rng.integer(2));
  }
}

export interface Setup {
  core: PolicyCore;
  batch: PolicyBatch;
  theta: Float64Array;
  obsDim: number;
}

/** A policy with random parameters (weights ~ N(0, 0.6^2), log_std likewise) and a batch. */
export function makeSetup(backend: Backend, kind: PolicyKind, hidden: readonly number[], outDim: number, seed: number, n = 9, obsDim = 3, activationFn: Activation = 'tanh'): Setup {
  return makeSetupFor(backend, specOf(kind, outDim), hidden, outDim, seed, n, obsDim, activationFn);
}

export function makeSetupFor(backend: Backend, spec: DistributionSpec, hidden: readonly number[], outDim: number, seed: number, n = 9, obsDim = 3, activationFn: Activation = 'tanh'): Setup {
  const rng = new Random(seed);
  const core = backend.createPolicy(spec, { inDim: obsDim, outDim, hiddenSizes: hidden, dtype: 'float64', activationFn });
  const theta = normals(rng, core.numParameters, 0.6);
  core.setParameters(theta);
  const obs = normals(rng, n * obsDim);
  const actions = randomActions(spec, outDim, n, rng);
  const logp = new Float64Array(n);
  core.logProb(obs, actions, n, logp);
  // Perturb pi_old so that the ratios differ from 1.
  const logProbOld = logp.map((x) => x + 0.3 * rng.normal());
  const advantages = normals(rng, n);
  return { core, batch: { obs, actions, advantages, logProbOld, n }, theta, obsDim };
}

export function surrogateAt(s: Setup, theta: Float64Array, entCoef: number): number {
  s.core.setParameters(theta);
  return s.core.surrogate(s.batch, entCoef, null);
}

export function klAt(s: Setup, theta: Float64Array, obs = s.batch.obs, n = s.batch.n): number {
  s.core.setParameters(theta);
  return s.core.meanKl(obs, n, s.theta);
}

export function shift(theta: Float64Array, terms: [number, Float64Array | number][]): Float64Array {
  const out = Float64Array.from(theta);
  for (const [c, d] of terms) {
    if (typeof d === 'number') out[d] += c;
    else for (let j = 0; j < out.length; j++) out[j] += c * d[j];
  }
  return out;
}

/** Expect a to match b with max-norm relative error <= tol (relative to max |b|, floored at abs). */
export function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, abs = 1e-14): void {
  expect(a.length).toBe(b.length);
  const scale = Math.max(maxAbs(b), abs);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / scale);
  expect(worst).toBeLessThanOrEqual(tol);
}

export function sameBits(a: Float64Array, b: Float64Array): boolean {
  const ua = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const ub = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  return ua.length === ub.length && ua.every((x, i) => x === ub[i]);
}

export const STEP: TrpoStepOptions = {
  targetKl: 0.01,
  cgMaxSteps: 10,
  cgDamping: 0.1,
  cgTol: 1e-10,
  lineSearchMaxIter: 10,
  lineSearchShrinkingFactor: 0.8,
  entCoef: 0,
  subSamplingFactor: 1,
  algo: 'trpo',
  cgWarmStart: false,
};

/**
 * The FD check of the Fisher-vector product: F v against the mixed central differences of the
 * mean KL at theta_old (its Hessian), and v^T F v against the second difference along v.
 */
export function fisherAgainstKlHessian(s: Setup, v: Float64Array): { rel: number; quadRel: number; klAtOld: number; fv: Float64Array; fdv: Float64Array } {
  const { obs, n } = s.batch;
  s.core.setParameters(s.theta);
  const fv = new Float64Array(v.length);
  s.core.fisherVectorProduct(obs, n, v, 0, fv);
  // (F v)_k ~ [KL(+v+e_k) - KL(+v-e_k) - KL(-v+e_k) + KL(-v-e_k)] / (4 eps^2); with |v| = 1,
  // eps = 2e-4 balances the O(eps^2) truncation and the rounding (worst observed ~2e-7).
  const eps = 2e-4;
  const fd = new Float64Array(v.length);
  for (let k = 0; k < v.length; k++) {
    const kl = (a: number, b: number): number => klAt(s, shift(s.theta, [[a * eps, v], [b * eps, k]]));
    fd[k] = (kl(1, 1) - kl(1, -1) - kl(-1, 1) + kl(-1, -1)) / (4 * eps * eps);
  }
  const klAtOld = klAt(s, s.theta);
  // v^T F v ~ (KL(theta + eps v) + KL(theta - eps v)) / eps^2, since KL(theta_old) = 0.
  const vFv = (klAt(s, shift(s.theta, [[eps, v]])) + klAt(s, shift(s.theta, [[-eps, v]]))) / (eps * eps);
  return { rel: diffNorm(fv, fd) / norm(fv), quadRel: Math.abs(vFv - dot(v, fv)) / dot(v, fv), klAtOld, fv, fdv: fd };
}

/** The FD check of the surrogate gradient: the analytic gradient and the central differences. */
export function surrogateGradientAndFd(s: Setup, entCoef: number): { grad: Float64Array; fd: Float64Array; L: number; L2: number } {
  const grad = new Float64Array(s.core.numParameters);
  s.core.setParameters(s.theta);
  const L = s.core.surrogate(s.batch, entCoef, grad);
  const L2 = surrogateAt(s, s.theta, entCoef);
  const eps = 1e-5;
  const fd = new Float64Array(grad.length);
  for (let j = 0; j < grad.length; j++) {
    fd[j] = (surrogateAt(s, shift(s.theta, [[eps, j]]), entCoef) - surrogateAt(s, shift(s.theta, [[-eps, j]]), entCoef)) / (2 * eps);
  }
  s.core.setParameters(s.theta);
  return { grad, fd, L, L2 };
}
