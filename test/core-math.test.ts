import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conjugateGradient, dot } from '../src/core/cg.js';
import { orthogonalInit, SB3_GAINS } from '../src/core/init.js';
import { jsBackend } from '../src/core/js/index.js';
import { nativeBackend } from '../src/core/native.js';
import type { Backend, PolicyBatch, PolicyCore, PolicyKind, TrpoStepOptions, ValueCore } from '../src/core/types.js';
import { Random } from '../src/random.js';

// ------------------------------------------------------------------------------------------------
// helpers

const HIDDEN: readonly (readonly number[])[] = [[], [5], [6, 5, 4]];

function normals(rng: Random, n: number, scale = 1): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = scale * rng.normal();
  return a;
}

function unit(v: Float64Array): Float64Array {
  const norm = Math.sqrt(dot(v, v));
  return v.map((x) => x / norm);
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

function norm(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
}

function diffNorm(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
}

const native = nativeBackend();
if (!native) throw new Error('the native addon must be built for these tests (npm run build:native)');
const BACKENDS: Backend[] = [jsBackend, native];

for (const BACKEND of BACKENDS) describe(`${BACKEND.name} backend`, () => {
interface Setup {
  core: PolicyCore;
  batch: PolicyBatch;
  theta: Float64Array;
  obsDim: number;
}

/** A policy with random parameters (weights ~ N(0, 0.5^2 / in-ish), log_std in [-0.5, 0.5]) and a batch. */
function makeSetup(kind: PolicyKind, hidden: readonly number[], outDim: number, seed: number, n = 9, obsDim = 3): Setup {
  const rng = new Random(seed);
  const core = BACKEND.createPolicy(kind, { inDim: obsDim, outDim, hiddenSizes: hidden, dtype: 'float64' });
  const theta = normals(rng, core.numParameters, 0.6);
  core.setParameters(theta);
  const obs = normals(rng, n * obsDim);
  let actions: Float64Array | Int32Array;
  if (kind === 'gaussian') {
    actions = normals(rng, n * outDim);
  } else {
    actions = new Int32Array(n);
    for (let i = 0; i < n; i++) actions[i] = rng.integer(outDim);
  }
  const logp = new Float64Array(n);
  core.logProb(obs, actions, n, logp);
  // Perturb pi_old so that the ratios differ from 1.
  const logProbOld = logp.map((x) => x + 0.3 * rng.normal());
  const advantages = normals(rng, n);
  return { core, batch: { obs, actions, advantages, logProbOld, n }, theta, obsDim };
}

function surrogateAt(s: Setup, theta: Float64Array, entCoef: number): number {
  s.core.setParameters(theta);
  return s.core.surrogate(s.batch, entCoef, null);
}

function klAt(s: Setup, theta: Float64Array, obs = s.batch.obs, n = s.batch.n): number {
  s.core.setParameters(theta);
  return s.core.meanKl(obs, n, s.theta);
}

function shift(theta: Float64Array, terms: [number, Float64Array | number][]): Float64Array {
  const out = Float64Array.from(theta);
  for (const [c, d] of terms) {
    if (typeof d === 'number') out[d] += c;
    else for (let j = 0; j < out.length; j++) out[j] += c * d[j];
  }
  return out;
}

/** Expect a to match b with max-norm relative error <= tol (relative to max |b|, floored at abs). */
function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, abs = 1e-14): void {
  expect(a.length).toBe(b.length);
  const scale = Math.max(maxAbs(b), abs);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / scale);
  expect(worst).toBeLessThanOrEqual(tol);
}

function sameBits(a: Float64Array, b: Float64Array): boolean {
  const ua = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const ub = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  return ua.length === ub.length && ua.every((x, i) => x === ub[i]);
}

const STEP: TrpoStepOptions = {
  maxKl: 0.01,
  cgIters: 10,
  cgDamping: 0.1,
  cgTol: 1e-10,
  backtrackIters: 10,
  backtrackCoeff: 0.8,
  entCoef: 0,
  subSamplingFactor: 1,
};

// ------------------------------------------------------------------------------------------------

describe('policy core basics', () => {
  it('has the nn.Linear layout sizes and round-trips parameters', () => {
    const g = BACKEND.createPolicy('gaussian', { inDim: 3, outDim: 2, hiddenSizes: [4], dtype: BACKEND.name === 'js' ? 'float32' : 'float64' });
    expect(g.numParameters).toBe(3 * 4 + 4 + 4 * 2 + 2 + 2);
    const c = BACKEND.createPolicy('categorical', { inDim: 3, outDim: 5, hiddenSizes: [], dtype: 'float64' });
    expect(c.numParameters).toBe(3 * 5 + 5);
    const p = normals(new Random(1), g.numParameters);
    g.setParameters(p);
    const q = new Float64Array(g.numParameters);
    g.getParameters(q);
    expect(sameBits(p, q)).toBe(true);
    expect(() => g.setParameters(new Float64Array(3))).toThrow(RangeError);
  });

  it('forward matches a hand computation (1 hidden layer)', () => {
    const core = BACKEND.createPolicy('gaussian', { inDim: 2, outDim: 1, hiddenSizes: [2], dtype: 'float64' });
    // W1 = [[1, 2], [3, 4]], b1 = [0.5, -0.5], W2 = [[1, -1]], b2 = [0.25], log_std = [0]
    core.setParameters(new Float64Array([1, 2, 3, 4, 0.5, -0.5, 1, -1, 0.25, 0]));
    const out = new Float64Array(2);
    core.forward(new Float32Array([0.1, -0.2, 0, 1]), 2, out);
    const h = (x: number, y: number) => [Math.tanh(x + 2 * y + 0.5), Math.tanh(3 * x + 4 * y - 0.5)];
    const [a0, a1] = h(0.1, -0.2);
    const [c0, c1] = h(0, 1);
    // the Float32 input 0.1 is not exactly 0.1
    expect(out[0]).toBeCloseTo(a0 - a1 + 0.25, 7);
    expect(out[1]).toBeCloseTo(c0 - c1 + 0.25, 12);
  });

  it('log-probabilities and entropies follow the closed forms', () => {
    const s = makeSetup('gaussian', [4], 2, 3);
    const { core, batch } = s;
    const mu = new Float64Array(batch.n * 2);
    core.forward(batch.obs, batch.n, mu);
    const lp = new Float64Array(batch.n);
    core.logProb(batch.obs, batch.actions, batch.n, lp);
    const ls = s.theta.subarray(core.numParameters - 2);
    for (let i = 0; i < batch.n; i++) {
      let ref = 0;
      for (let j = 0; j < 2; j++) {
        const sd = Math.exp(ls[j]);
        ref += Math.log(Math.exp(-0.5 * ((batch.actions[i * 2 + j] - mu[i * 2 + j]) / sd) ** 2) / (sd * Math.sqrt(2 * Math.PI)));
      }
      expect(lp[i]).toBeCloseTo(ref, 12);
    }
    expect(core.entropy(batch.obs, batch.n)).toBeCloseTo(ls[0] + ls[1] + 1 + Math.log(2 * Math.PI), 12);

    const c = makeSetup('categorical', [4], 4, 4);
    const logits = new Float64Array(c.batch.n * 4);
    c.core.forward(c.batch.obs, c.batch.n, logits);
    c.core.logProb(c.batch.obs, c.batch.actions, c.batch.n, lp);
    let h = 0;
    for (let i = 0; i < c.batch.n; i++) {
      const z = Array.from(logits.subarray(i * 4, i * 4 + 4));
      const sum = z.reduce((acc, x) => acc + Math.exp(x), 0);
      const p = z.map((x) => Math.exp(x) / sum);
      expect(lp[i]).toBeCloseTo(Math.log(p[c.batch.actions[i]]), 12);
      h -= p.reduce((acc, x) => acc + x * Math.log(x), 0);
    }
    expect(c.core.entropy(c.batch.obs, c.batch.n)).toBeCloseTo(h / c.batch.n, 12);
  });

  it('log-softmax is stable for huge logits', () => {
    const core = BACKEND.createPolicy('categorical', { inDim: 1, outDim: 3, hiddenSizes: [], dtype: 'float64' });
    // logits = [1000, 0, -1000] * obs
    core.setParameters(new Float64Array([1000, 0, -1000, 0, 0, 0]));
    const lp = new Float64Array(1);
    core.logProb(new Float64Array([1]), new Int32Array([1]), 1, lp);
    expect(lp[0]).toBeCloseTo(-1000, 9);
    expect(Number.isFinite(core.entropy(new Float64Array([1]), 1))).toBe(true);
  });
});

describe('surrogate gradient', () => {
  for (const kind of ['gaussian', 'categorical'] as const) {
    for (const hidden of HIDDEN) {
      it(`${kind}, hidden [${hidden.join(', ')}], matches central differences`, () => {
        for (const [seed, entCoef] of [
          [11, 0],
          [12, 0.05],
        ] as const) {
          const s = makeSetup(kind, hidden, kind === 'gaussian' ? 2 : 3, seed + hidden.length);
          const grad = new Float64Array(s.core.numParameters);
          const L = s.core.surrogate(s.batch, entCoef, grad);
          expect(L).toBe(surrogateAt(s, s.theta, entCoef));
          const eps = 1e-5;
          const fd = new Float64Array(grad.length);
          for (let j = 0; j < grad.length; j++) {
            fd[j] = (surrogateAt(s, shift(s.theta, [[eps, j]]), entCoef) - surrogateAt(s, shift(s.theta, [[-eps, j]]), entCoef)) / (2 * eps);
          }
          expectClose(grad, fd, 1e-6);
          expect(maxAbs(grad)).toBeGreaterThan(1e-3);
        }
      });
    }
  }

  it('equals mean(A) + entCoef * entropy when the ratios are 1', () => {
    const s = makeSetup('categorical', [4], 3, 5);
    s.core.logProb(s.batch.obs, s.batch.actions, s.batch.n, s.batch.logProbOld as Float64Array);
    const meanA = Array.from(s.batch.advantages).reduce((a, x) => a + x, 0) / s.batch.n;
    const H = s.core.entropy(s.batch.obs, s.batch.n);
    expect(s.core.surrogate(s.batch, 0.3, null)).toBeCloseTo(meanA + 0.3 * H, 13);
  });
});

describe('Fisher-vector product', () => {
  const configs: { kind: PolicyKind; hidden: readonly number[]; outDim: number }[] = [];
  for (const kind of ['gaussian', 'categorical'] as const) {
    for (const hidden of HIDDEN) {
      for (let outDim = kind === 'gaussian' ? 1 : 2; outDim <= 6; outDim++) configs.push({ kind, hidden, outDim });
    }
  }

  it('equals the Hessian of the mean KL at theta_old (mixed central differences), all kinds/depths/dims', () => {
    let seed = 100;
    for (const { kind, hidden, outDim } of configs) {
      const s = makeSetup(kind, hidden, outDim, seed++, 6);
      const { obs, n } = s.batch;
      const rng = new Random(seed * 7);
      const v = unit(normals(rng, s.core.numParameters));
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
      const rel = diffNorm(fv, fd) / norm(fv);
      expect(rel, `${kind} [${hidden.join(',')}] outDim ${outDim}`).toBeLessThan(1e-5);

      // v^T F v ~ (KL(theta + eps v) + KL(theta - eps v)) / eps^2, since KL(theta_old) = 0.
      expect(klAt(s, s.theta)).toBe(0);
      const vFv = (klAt(s, shift(s.theta, [[eps, v]])) + klAt(s, shift(s.theta, [[-eps, v]]))) / (eps * eps);
      expect(Math.abs(vFv - dot(v, fv)) / dot(v, fv)).toBeLessThan(1e-5);
    }
  });

  it('is symmetric, positive semi-definite, linear in damping (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<PolicyKind>('gaussian', 'categorical'),
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 1 << 30 }),
        (kind, depth, outDim, n, seed) => {
          const s = makeSetup(kind, HIDDEN[depth], outDim, seed, n);
          const rng = new Random(seed + 1);
          const P = s.core.numParameters;
          const u = normals(rng, P);
          const v = normals(rng, P);
          const fu = new Float64Array(P);
          const fv = new Float64Array(P);
          s.core.fisherVectorProduct(s.batch.obs, n, u, 0, fu);
          s.core.fisherVectorProduct(s.batch.obs, n, v, 0, fv);
          const scale = Math.max(norm(fu) * norm(v), norm(fv) * norm(u), 1e-300);
          expect(Math.abs(dot(u, fv) - dot(v, fu)) / scale).toBeLessThan(1e-12);
          expect(dot(v, fv)).toBeGreaterThanOrEqual(-1e-12 * norm(fv) * norm(v));
          const fvd = new Float64Array(P);
          s.core.fisherVectorProduct(s.batch.obs, n, v, 0.25, fvd);
          for (let j = 0; j < P; j++) expect(fvd[j]).toBeCloseTo(fv[j] + 0.25 * v[j], 12);
          if (kind === 'gaussian') {
            // log_std block of F is exactly 2 I.
            for (let j = P - outDim; j < P; j++) expect(fv[j]).toBe(2 * v[j]);
          }
        },
      ),
      { numRuns: 60, seed: 4242 },
    );
  });

  it('is zero for a categorical policy with a single action', () => {
    const s = makeSetup('categorical', [3], 1, 9);
    const v = normals(new Random(2), s.core.numParameters);
    const out = new Float64Array(v.length);
    s.core.fisherVectorProduct(s.batch.obs, s.batch.n, v, 0, out);
    expect(maxAbs(out)).toBe(0);
  });
});

describe('conjugateGradient', () => {
  it('solves random SPD systems', () => {
    const rng = new Random(77);
    for (const dim of [1, 2, 5, 12, 30]) {
      const B = normals(rng, dim * dim);
      // A = B B^T / dim + 0.5 I
      const A = new Float64Array(dim * dim);
      for (let i = 0; i < dim; i++) {
        for (let j = 0; j < dim; j++) {
          let s = 0;
          for (let k = 0; k < dim; k++) s += B[i * dim + k] * B[j * dim + k];
          A[i * dim + j] = s / dim + (i === j ? 0.5 : 0);
        }
      }
      const matVec = (v: Float64Array, out: Float64Array): void => {
        for (let i = 0; i < dim; i++) {
          let s = 0;
          for (let j = 0; j < dim; j++) s += A[i * dim + j] * v[j];
          out[i] = s;
        }
      };
      const b = normals(rng, dim);
      const res = conjugateGradient(matVec, b, { iters: 4 * dim, tol: 1e-26 });
      const Ax = new Float64Array(dim);
      matVec(res.x, Ax);
      expect(diffNorm(Ax, b) / norm(b)).toBeLessThan(1e-10);
      expect(res.iterations).toBeLessThanOrEqual(4 * dim);
      expect(res.iterations).toBeGreaterThan(0);
      const r = b.map((x, i) => x - Ax[i]);
      expect(res.residual).toBeLessThan(1e-20 * dot(b, b) + 1e-24);
      expect(Math.sqrt(res.residual)).toBeCloseTo(norm(r), 8);

      // iteration cap
      const capped = conjugateGradient(matVec, b, { iters: 1, tol: 0 });
      expect(capped.iterations).toBe(1);
    }
  });

  it('stops at once when r.r < tol, and on a non-positive curvature', () => {
    const b = new Float64Array([1e-3, 0]);
    const id = (v: Float64Array, out: Float64Array): void => {
      out.set(v);
    };
    expect(conjugateGradient(id, b, { iters: 5, tol: 1e-5 })).toEqual({ x: new Float64Array(2), r: b, residual: 1e-6, iterations: 0 });
    const neg = (v: Float64Array, out: Float64Array): void => {
      for (let i = 0; i < v.length; i++) out[i] = -v[i];
    };
    const res = conjugateGradient(neg, new Float64Array([1, 2]), { iters: 5, tol: 0 });
    expect(res.iterations).toBe(1);
    expect(Array.from(res.x)).toEqual([0, 0]);
    expect(res.residual).toBe(5);
    const nan = (_v: Float64Array, out: Float64Array): void => {
      out.fill(Number.NaN);
    };
    expect(conjugateGradient(nan, new Float64Array([1]), { iters: 5, tol: 0 }).iterations).toBe(1);
  });

  it('validates its arguments', () => {
    const id = (v: Float64Array, out: Float64Array): void => {
      out.set(v);
    };
    const b = new Float64Array([1]);
    expect(() => conjugateGradient(id, b, { iters: 0, tol: 0 })).toThrow(/iters/);
    expect(() => conjugateGradient(id, b, { iters: 0, tol: 0 })).toThrow(RangeError);
    expect(() => conjugateGradient(id, b, { iters: 1.5, tol: 0 })).toThrow(TypeError);
    expect(() => conjugateGradient(id, b, { iters: 1, tol: -1 })).toThrow(/tol/);
    expect(() => conjugateGradient(id, b, { iters: 1, tol: Infinity })).toThrow(RangeError);
    expect(() => conjugateGradient(id, b, { iters: 1, tol: Number.NaN })).toThrow(/tol/);
    expect(() => conjugateGradient(id, [1] as unknown as Float64Array, { iters: 1, tol: 0 })).toThrow(TypeError);
    expect(() => conjugateGradient(id, new Float64Array([Number.NaN]), { iters: 1, tol: 0 })).toThrow(/b/);
    expect(() => conjugateGradient(null as unknown as typeof id, b, { iters: 1, tol: 0 })).toThrow(/matVec/);
  });
});

describe('trpoStep', () => {
  /** The step rebuilt from the public API, following the algorithm literally. */
  function referenceStep(s: Setup, o: TrpoStepOptions, gScale = 1) {
    const { core, batch } = s;
    const P = core.numParameters;
    core.setParameters(s.theta);
    const g = new Float64Array(P);
    const L0 = core.surrogate(batch, o.entCoef, g);
    if (gScale !== 1) for (let j = 0; j < P; j++) g[j] *= gScale;
    const m = Math.ceil(batch.n / o.subSamplingFactor);
    const sub = new Float64Array(m * s.obsDim);
    for (let i = 0; i < m; i++) sub.set(batch.obs.subarray(i * o.subSamplingFactor * s.obsDim, (i * o.subSamplingFactor + 1) * s.obsDim), i * s.obsDim);
    const mv = (v: Float64Array, out: Float64Array): void => core.fisherVectorProduct(sub, m, v, o.cgDamping, out);
    const cg = conjugateGradient(mv, g, { iters: o.cgIters, tol: o.cgTol });
    // s^T (F + damping I) s from CG's residual: (F + damping I) s = g - r.
    let sFs = 0;
    for (let j = 0; j < P; j++) sFs += cg.x[j] * (g[j] - cg.r[j]);
    // ... which is the explicit quadratic form, up to CG's rounding.
    const Fs = new Float64Array(P);
    mv(cg.x, Fs);
    expect(Math.abs(sFs - dot(cg.x, Fs))).toBeLessThanOrEqual(1e-6 * Math.abs(dot(cg.x, Fs)) + 1e-14);
    const beta = Math.sqrt((2 * o.maxKl) / sFs);
    for (let i = 0; i < o.backtrackIters; i++) {
      const frac = Math.pow(o.backtrackCoeff, i);
      const theta = s.theta.map((x, j) => x + frac * (beta * cg.x[j]));
      const kl = klAt(s, theta);
      const L = core.surrogate(batch, o.entCoef, null);
      if (kl <= o.maxKl && L > L0) return { theta, kl, L, L0, i, frac, cg, sFs, gradNorm: norm(g) };
    }
    return { theta: s.theta, kl: 0, L: L0, L0, i: o.backtrackIters, frac: 0, cg, sFs, gradNorm: norm(g) };
  }

  it('follows the algorithm literally (subsampled Fisher, line search), both kinds', () => {
    let seed = 500;
    let chaotic = 0;
    for (const kind of ['gaussian', 'categorical'] as const) {
      for (const hidden of HIDDEN) {
        for (const k of [1, 3]) {
          const opts = { ...STEP, subSamplingFactor: k, entCoef: 0.01, maxKl: 0.05 };
          const s = makeSetup(kind, hidden, 3, seed++, 20);
          const ref = referenceStep(s, opts);
          s.core.setParameters(s.theta);
          const stats = s.core.trpoStep(s.batch, opts);
          const after = new Float64Array(s.core.numParameters);
          s.core.getParameters(after);
          if (BACKEND.name === 'js') {
            // The JS backend runs this very algorithm with the same arithmetic: bit-for-bit equal.
            expect(stats.surrogateBefore).toBe(ref.L0);
            expect(stats.gradNorm).toBe(ref.gradNorm);
            expect(stats.cgIterations).toBe(ref.cg.iterations);
            expect(stats.cgResidual).toBe(ref.cg.residual);
            expect(stats.sFs).toBe(ref.sFs);
            expect(stats.backtracks).toBe(ref.i);
            expect(stats.stepFraction).toBe(ref.frac);
            expect(stats.kl).toBe(ref.kl);
            expect(stats.surrogateAfter).toBe(ref.L);
            expect(stats.accepted).toBe(ref.i < opts.backtrackIters);
            expect(sameBits(after, ref.theta)).toBe(true);
            continue;
          }
          // The native backend sums in another order (chunks, SIMD reductions), and CG amplifies such
          // rounding by up to cond(F). Measure the reference's own sensitivity (its response to a
          // 1e-15 relative perturbation of g, i.e. to rounding) and compare within
          // max(1e-9, 1000 x sensitivity); where CG is chaotic (sensitivity > 1e-6) only the
          // invariants can hold.
          expect(Math.abs(stats.surrogateBefore - ref.L0)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(ref.L0)));
          expect(Math.abs(stats.gradNorm - ref.gradNorm)).toBeLessThanOrEqual(1e-12 * ref.gradNorm);
          const perturbed = referenceStep(s, opts, 1 + 1e-15);
          const gg = ref.gradNorm ** 2;
          const sensitivity = Math.max(
            Math.abs(perturbed.cg.residual - ref.cg.residual) / gg,
            Math.abs(perturbed.sFs - ref.sFs) / Math.abs(ref.sFs),
          );
          if (sensitivity > 1e-6) {
            chaotic++;
            if (stats.accepted) {
              expect(stats.kl).toBeLessThanOrEqual(opts.maxKl);
              expect(stats.surrogateAfter).toBeGreaterThan(stats.surrogateBefore);
            }
            continue;
          }
          const tol = Math.max(1e-9, 1e3 * sensitivity);
          const close = (x: number, y: number, scale = Math.abs(y)): void => {
            expect(Math.abs(x - y)).toBeLessThanOrEqual(tol * Math.max(1e-12, scale));
          };
          expect(stats.cgIterations).toBe(ref.cg.iterations);
          close(stats.cgResidual, ref.cg.residual, gg);
          close(stats.sFs, ref.sFs);
          expect(stats.backtracks).toBe(ref.i);
          expect(stats.stepFraction).toBe(ref.frac);
          close(stats.kl, ref.kl);
          close(stats.surrogateAfter, ref.L);
          expect(stats.accepted).toBe(ref.i < opts.backtrackIters);
          expectClose(after, ref.theta, tol);
        }
      }
    }
    // Most cases must be compared, not waved through as chaotic.
    expect(chaotic).toBeLessThanOrEqual(1);
  });

  it('never accepts KL > maxKl or a non-improving surrogate; restores theta_old exactly on rejection (property)', () => {
    let accepted = 0;
    let rejected = 0;
    fc.assert(
      fc.property(
        fc.constantFrom<PolicyKind>('gaussian', 'categorical'),
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 1 << 30 }),
        fc.constantFrom(1e-4, 0.01, 0.5, 5),
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom(0, 0.01),
        (kind, depth, outDim, seed, maxKl, backtrackIters, entCoef) => {
          const s = makeSetup(kind, HIDDEN[depth], kind === 'categorical' ? outDim + 1 : outDim, seed, 12);
          const opts = { ...STEP, maxKl, backtrackIters, entCoef, backtrackCoeff: 0.5 };
          const stats = s.core.trpoStep(s.batch, opts);
          const after = new Float64Array(s.core.numParameters);
          s.core.getParameters(after);
          if (stats.accepted) {
            accepted++;
            expect(stats.kl).toBeLessThanOrEqual(maxKl);
            expect(stats.surrogateAfter).toBeGreaterThan(stats.surrogateBefore);
            expect(stats.stepFraction).toBe(0.5 ** stats.backtracks);
            expect(stats.backtracks).toBeLessThan(backtrackIters);
            // the stats describe the parameters left in the core
            expect(s.core.meanKl(s.batch.obs, s.batch.n, s.theta)).toBe(stats.kl);
            expect(s.core.surrogate(s.batch, entCoef, null)).toBe(stats.surrogateAfter);
          } else {
            rejected++;
            expect(sameBits(after, s.theta)).toBe(true);
            expect(stats).toMatchObject({ kl: 0, stepFraction: 0, backtracks: backtrackIters });
            expect(stats.surrogateAfter).toBe(stats.surrogateBefore);
          }
          expect(stats.sFs).toBeGreaterThan(0);
          expect(stats.cgIterations).toBeGreaterThan(0);
          expect(stats.cgIterations).toBeLessThanOrEqual(STEP.cgIters);
        },
      ),
      { numRuns: 80, seed: 99 },
    );
    expect(accepted).toBeGreaterThan(10);
  });

  it('rejects a step that blows the parameters up, restoring them bit for bit', () => {
    const s = makeSetup('gaussian', [4], 2, 21, 15);
    s.batch.advantages = s.batch.advantages.map((x) => Math.abs(x) + 0.1);
    // beta ~ 1e150: the log_std and outputs overflow, pi_new gives the batch probability ~0.
    const stats = s.core.trpoStep(s.batch, { ...STEP, maxKl: 1e300, backtrackIters: 1 });
    const after = new Float64Array(s.core.numParameters);
    s.core.getParameters(after);
    expect(stats.accepted).toBe(false);
    expect(stats.backtracks).toBe(1);
    expect(stats.kl).toBe(0);
    expect(stats.stepFraction).toBe(0);
    expect(stats.surrogateAfter).toBe(stats.surrogateBefore);
    expect(sameBits(after, s.theta)).toBe(true);
  });

  it('requires a strict improvement (a step too small to change theta is rejected)', () => {
    const s = makeSetup('categorical', [4], 3, 22, 15);
    const stats = s.core.trpoStep(s.batch, { ...STEP, maxKl: 1e-300, backtrackIters: 3 });
    const after = new Float64Array(s.core.numParameters);
    s.core.getParameters(after);
    expect(stats.accepted).toBe(false);
    expect(stats.backtracks).toBe(3);
    expect(sameBits(after, s.theta)).toBe(true);
  });

  it('takes no step when the gradient is zero', async () => {
    const s = makeSetup('gaussian', [4], 2, 23, 10);
    s.batch.advantages = new Float64Array(10);
    const stats = await s.core.trpoStepAsync(s.batch, STEP);
    expect(stats).toMatchObject({ accepted: false, gradNorm: 0, sFs: 0, cgIterations: 0, cgResidual: 0, backtracks: STEP.backtrackIters, kl: 0 });
    const after = new Float64Array(s.core.numParameters);
    s.core.getParameters(after);
    expect(sameBits(after, s.theta)).toBe(true);
  });
});

describe('value core', () => {
  function makeValue(hidden: readonly number[], seed: number, n = 11, obsDim = 3) {
    const rng = new Random(seed);
    const core: ValueCore = BACKEND.createValue({ inDim: obsDim, outDim: 1, hiddenSizes: hidden, dtype: 'float64' });
    const theta = normals(rng, core.numParameters, 0.5);
    core.setParameters(theta);
    const obs = normals(rng, n * obsDim);
    const returns = normals(rng, n, 2);
    return { core, theta, obs, returns, n, rng };
  }

  for (const hidden of HIDDEN) {
    it(`loss gradient matches central differences, hidden [${hidden.join(', ')}]`, () => {
      const { core, theta, obs, returns, n } = makeValue(hidden, 31 + hidden.length);
      const grad = new Float64Array(core.numParameters);
      const L = core.loss(obs, returns, n, grad);
      const v = new Float64Array(n);
      core.forward(obs, n, v);
      expect(L).toBeCloseTo(v.reduce((a, x, i) => a + (x - returns[i]) ** 2, 0) / n, 12);
      const eps = 1e-5;
      const fd = new Float64Array(grad.length);
      for (let j = 0; j < grad.length; j++) {
        core.setParameters(shift(theta, [[eps, j]]));
        const lp = core.loss(obs, returns, n, null);
        core.setParameters(shift(theta, [[-eps, j]]));
        const lm = core.loss(obs, returns, n, null);
        fd[j] = (lp - lm) / (2 * eps);
      }
      expectClose(grad, fd, 1e-6);
    });
  }

  it('rejects outDim != 1', () => {
    expect(() => BACKEND.createValue({ inDim: 2, outDim: 2, hiddenSizes: [], dtype: 'float64' })).toThrow(RangeError);
  });

  it('fit = minibatch Adam with clipping, step by step (reference rebuilt from loss())', () => {
    const { core, theta, obs, returns, n } = makeValue([5], 40, 11);
    const ref = makeValue([5], 40, 11).core; // same parameters
    const epochs = 3;
    const batchSize = 4; // minibatches of 4, 4, 3
    const order = new Uint32Array(epochs * n);
    const rng = new Random(5);
    for (let e = 0; e < epochs; e++) {
      const perm = Uint32Array.from({ length: n }, (_, i) => i);
      rng.shuffle(perm);
      order.set(perm, e * n);
    }
    const opts = { learningRate: 0.01, epochs, batchSize, maxGradNorm: 0.5 };
    const stats = core.fit(obs, returns, n, order, opts);
    expect(stats.steps).toBe(9);

    // reference
    const P = ref.numParameters;
    const p = Float64Array.from(theta);
    const m = new Float64Array(P);
    const v = new Float64Array(P);
    const g = new Float64Array(P);
    let t = 0;
    let clipped = 0;
    for (let e = 0; e < epochs; e++) {
      for (let start = 0; start < n; start += batchSize) {
        const idx = Array.from(order.subarray(e * n + start, Math.min(e * n + start + batchSize, e * n + n)));
        const mbObs = new Float64Array(idx.flatMap((i) => Array.from(obs.subarray(i * 3, i * 3 + 3))));
        const mbRet = new Float64Array(idx.map((i) => returns[i]));
        ref.setParameters(p);
        ref.loss(mbObs, mbRet, idx.length, g);
        const c = 0.5 / (norm(g) + 1e-6);
        if (c < 1) {
          clipped++;
          for (let j = 0; j < P; j++) g[j] *= c;
        }
        t++;
        for (let j = 0; j < P; j++) {
          m[j] = 0.9 * m[j] + 0.1 * g[j];
          v[j] = 0.999 * v[j] + 0.001 * g[j] * g[j];
          p[j] -= ((0.01 / (1 - 0.9 ** t)) * m[j]) / (Math.sqrt(v[j]) / Math.sqrt(1 - 0.999 ** t) + 1e-8);
        }
      }
    }
    expect(clipped).toBeGreaterThan(0);
    const got = new Float64Array(P);
    core.getParameters(got);
    expectClose(got, p, 1e-13);
    const state = core.getOptimizerState();
    expect(state[0]).toBe(9);
    expectClose(state.subarray(1, 1 + P), m, 1e-12);
    expectClose(state.subarray(1 + P), v, 1e-12);
    ref.setParameters(theta);
    expect(stats.lossBefore).toBe(ref.loss(obs, returns, n, null));
    expect(stats.lossAfter).toBe(core.loss(obs, returns, n, null));
  });

  it('keeps Adam state across fits, and get/setOptimizerState resumes exactly', async () => {
    const a = makeValue([6, 4], 50, 16);
    const b = makeValue([6, 4], 50, 16);
    const order = new Uint32Array(2 * a.n);
    for (let e = 0; e < 2; e++) {
      const perm = Uint32Array.from({ length: a.n }, (_, i) => i);
      new Random(e).shuffle(perm);
      order.set(perm, e * a.n);
    }
    const opts = { learningRate: 0.003, epochs: 2, batchSize: 5, maxGradNorm: Infinity };
    const sa = a.core.fit(a.obs, a.returns, a.n, order, opts);
    const one = { ...opts, epochs: 1 };
    await b.core.fitAsync(b.obs, b.returns, b.n, order.subarray(0, a.n), one);
    // resume in a fresh core from saved parameters + optimizer state
    const c = makeValue([6, 4], 50, 16);
    const pb = new Float64Array(b.core.numParameters);
    b.core.getParameters(pb);
    c.core.setParameters(pb);
    c.core.setOptimizerState(b.core.getOptimizerState());
    b.core.fit(b.obs, b.returns, b.n, order.subarray(a.n), one);
    c.core.fit(c.obs, c.returns, c.n, order.subarray(a.n), one);
    const pa = new Float64Array(pb.length);
    const pc = new Float64Array(pb.length);
    a.core.getParameters(pa);
    b.core.getParameters(pb);
    c.core.getParameters(pc);
    expect(sameBits(pa, pb)).toBe(true);
    expect(sameBits(pa, pc)).toBe(true);
    expect(sameBits(a.core.getOptimizerState(), c.core.getOptimizerState())).toBe(true);
    expect(sa.steps).toBe(8);
    expect(() => c.core.setOptimizerState(new Float64Array(3))).toThrow(RangeError);
  });

  it('fits a smooth target', () => {
    const rng = new Random(8);
    const n = 64;
    const core = BACKEND.createValue({ inDim: 2, outDim: 1, hiddenSizes: [16], dtype: 'float64' });
    core.setParameters(orthogonalInit([{ in: 2, out: 16, gain: SB3_GAINS.hidden }, { in: 16, out: 1, gain: SB3_GAINS.valueHead }], rng));
    const obs = normals(rng, 2 * n);
    const returns = Float64Array.from({ length: n }, (_, i) => Math.sin(obs[2 * i]) + 0.5 * obs[2 * i + 1]);
    const epochs = 200;
    const order = new Uint32Array(epochs * n);
    for (let e = 0; e < epochs; e++) {
      const perm = Uint32Array.from({ length: n }, (_, i) => i);
      rng.shuffle(perm);
      order.set(perm, e * n);
    }
    const stats = core.fit(obs, returns, n, order, { learningRate: 0.01, epochs, batchSize: 16, maxGradNorm: 0.5 });
    expect(stats.lossAfter).toBeLessThan(0.05 * stats.lossBefore);
  });
});

describe('orthogonalInit', () => {
  const layers = [
    { in: 4, out: 8, gain: SB3_GAINS.hidden },
    { in: 8, out: 8, gain: SB3_GAINS.hidden },
    { in: 8, out: 2, gain: SB3_GAINS.policyHead },
    { in: 3, out: 3, gain: -1.5 },
  ];

  it('makes orthogonal weights scaled by gain, zero biases, in nn.Linear layout', () => {
    const p = orthogonalInit(layers, new Random(3));
    expect(p.length).toBe(4 * 8 + 8 + 8 * 8 + 8 + 8 * 2 + 2 + 9 + 3);
    let offset = 0;
    for (const { in: cols, out: rows, gain } of layers) {
      const W = p.subarray(offset, offset + rows * cols);
      const b = p.subarray(offset + rows * cols, offset + rows * cols + rows);
      expect(Array.from(b)).toEqual(new Array(rows).fill(0));
      // rows >= cols: W^T W = gain^2 I (cols x cols); rows < cols: W W^T = gain^2 I (rows x rows).
      const k = Math.min(rows, cols);
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < k; j++) {
          let s = 0;
          if (rows >= cols) for (let r = 0; r < rows; r++) s += W[r * cols + i] * W[r * cols + j];
          else for (let c = 0; c < cols; c++) s += W[i * cols + c] * W[j * cols + c];
          expect(s).toBeCloseTo(i === j ? gain * gain : 0, 12);
        }
      }
      offset += rows * cols + rows;
    }
  });

  it('is deterministic in the seed', () => {
    expect(sameBits(orthogonalInit(layers, new Random(3)), orthogonalInit(layers, new Random(3)))).toBe(true);
    expect(sameBits(orthogonalInit(layers, new Random(3)), orthogonalInit(layers, new Random(4)))).toBe(false);
  });

  it('is PyTorch orthogonal_ for a 1x1 and a column matrix (Q sign fixed by diag R > 0)', () => {
    // For an m x 1 matrix A, orthogonal_ gives A / |A| (R = |A| > 0 after the sign fix).
    const rng = new Random(9);
    const z = [rng.normal(), rng.normal(), rng.normal()];
    const p = orthogonalInit([{ in: 1, out: 3, gain: 2 }], new Random(9));
    const nz = Math.hypot(...z);
    expectClose(p.subarray(0, 3), z.map((x) => (2 * x) / nz), 1e-15);
    // a 1 x 3 row is transposed first: same result as a row
    const q = orthogonalInit([{ in: 3, out: 1, gain: 2 }], new Random(9));
    expectClose(q.subarray(0, 3), z.map((x) => (2 * x) / nz), 1e-15);
  });

  it('validates layers', () => {
    expect(() => orthogonalInit([{ in: 0, out: 2, gain: 1 }], new Random(1))).toThrow(/layers\[0\]\.in/);
    expect(() => orthogonalInit([{ in: 2, out: 2, gain: Number.NaN }], new Random(1))).toThrow(/gain/);
  });
});

});
