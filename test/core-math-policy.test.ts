// The policy core of both backends (cpp/policy.cpp, src/core/js/policy.ts): layout, batching of
// every distribution, the surrogate gradient and the Fisher-vector product against finite
// differences (tanh and ReLU networks), and the TRPO step.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conjugateGradient, dot } from '../src/core/cg.js';
import type { Activation, PolicyKind, TrpoStepOptions } from '../src/core/types.js';
import { Random } from '../src/random.js';
import {
  BACKENDS, expectClose, fisherAgainstKlHessian, HIDDEN, KINDS, klAt, makeSetup, maxAbs, norm, normals, sameBits, shift,
  STEP, surrogateAt, surrogateGradientAndFd, unit, type Setup,
} from './core-math-helpers.js';

for (const BACKEND of BACKENDS) describe(`${BACKEND.name} backend`, () => {
describe('policy core basics', () => {
  it('has the nn.Linear layout sizes and round-trips parameters', () => {
    const g = BACKEND.createPolicy({ kind: 'gaussian', nvec: [] }, { activationFn: 'tanh',  inDim: 3, outDim: 2, hiddenSizes: [4], dtype: BACKEND.name === 'js' ? 'float32' : 'float64' });
    expect(g.numParameters).toBe(3 * 4 + 4 + 4 * 2 + 2 + 2);
    const c = BACKEND.createPolicy({ kind: 'categorical', nvec: [] }, { activationFn: 'tanh',  inDim: 3, outDim: 5, hiddenSizes: [], dtype: 'float64' });
    expect(c.numParameters).toBe(3 * 5 + 5);
    const p = normals(new Random(1), g.numParameters);
    g.setParameters(p);
    const q = new Float64Array(g.numParameters);
    g.getParameters(q);
    expect(sameBits(p, q)).toBe(true);
    expect(() => g.setParameters(new Float64Array(3))).toThrow(RangeError);
  });

  it('forward matches a hand computation (1 hidden layer)', () => {
    const core = BACKEND.createPolicy({ kind: 'gaussian', nvec: [] }, { activationFn: 'tanh',  inDim: 2, outDim: 1, hiddenSizes: [2], dtype: 'float64' });
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
    const s = makeSetup(BACKEND, 'gaussian', [4], 2, 3);
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

    const c = makeSetup(BACKEND, 'categorical', [4], 4, 4);
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
    const core = BACKEND.createPolicy({ kind: 'categorical', nvec: [] }, { activationFn: 'tanh',  inDim: 1, outDim: 3, hiddenSizes: [], dtype: 'float64' });
    // logits = [1000, 0, -1000] * obs
    core.setParameters(new Float64Array([1000, 0, -1000, 0, 0, 0]));
    const lp = new Float64Array(1);
    core.logProb(new Float64Array([1]), new Int32Array([1]), 1, lp);
    expect(lp[0]).toBeCloseTo(-1000, 9);
    expect(Number.isFinite(core.entropy(new Float64Array([1]), 1))).toBe(true);
  });
});

describe('surrogate gradient', () => {
  for (const kind of KINDS) {
    for (const hidden of HIDDEN) {
      for (const activationFn of hidden.length ? (['tanh', 'relu'] as const) : (['tanh'] as const)) {
        it(`${kind}, hidden [${hidden.join(', ')}] ${activationFn}, matches central differences`, () => {
          for (const [seed, entCoef] of [
            [11, 0],
            [12, 0.05],
          ] as const) {
            const s = makeSetup(BACKEND, kind, hidden, kind === 'gaussian' ? 2 : 3, seed + hidden.length, 9, 3, activationFn);
            const { grad, fd, L, L2 } = surrogateGradientAndFd(s, entCoef);
            expect(L).toBe(L2);
            expectClose(grad, fd, 1e-6);
            expect(maxAbs(grad)).toBeGreaterThan(1e-3);
          }
        });
      }
    }
  }

  it('equals mean(A) + entCoef * entropy when the ratios are 1', () => {
    const s = makeSetup(BACKEND, 'categorical', [4], 3, 5);
    s.core.logProb(s.batch.obs, s.batch.actions, s.batch.n, s.batch.logProbOld as Float64Array);
    const meanA = Array.from(s.batch.advantages).reduce((a, x) => a + x, 0) / s.batch.n;
    const H = s.core.entropy(s.batch.obs, s.batch.n);
    expect(s.core.surrogate(s.batch, 0.3, null)).toBeCloseTo(meanA + 0.3 * H, 13);
  });
});

describe('Fisher-vector product', () => {
  const configs: { kind: PolicyKind; hidden: readonly number[]; outDim: number; activationFn: Activation }[] = [];
  for (const kind of KINDS) {
    for (const hidden of HIDDEN) {
      for (let outDim = kind === 'gaussian' ? 1 : 2; outDim <= 6; outDim++) configs.push({ kind, hidden, outDim, activationFn: 'tanh' });
      if (hidden.length) configs.push({ kind, hidden, outDim: 3, activationFn: 'relu' });
    }
  }

  it('equals the Hessian of the mean KL at theta_old (mixed central differences), all kinds/depths/dims/activations', () => {
    let seed = 100;
    for (const { kind, hidden, outDim, activationFn } of configs) {
      const s = makeSetup(BACKEND, kind, hidden, outDim, seed++, 6, 3, activationFn);
      const v = unit(normals(new Random(seed * 7), s.core.numParameters));
      const { rel, quadRel, klAtOld } = fisherAgainstKlHessian(s, v);
      const what = `${kind} [${hidden.join(',')}] ${activationFn} outDim ${outDim}`;
      expect(rel, what).toBeLessThan(1e-5);
      expect(klAtOld, what).toBe(0);
      expect(quadRel, what).toBeLessThan(1e-5);
    }
  });

  it('is symmetric, positive semi-definite, linear in damping (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<PolicyKind>(...KINDS),
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 1 << 30 }),
        (kind, depth, outDim, n, seed) => {
          const s = makeSetup(BACKEND, kind, HIDDEN[depth], outDim, seed, n);
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
    const s = makeSetup(BACKEND, 'categorical', [3], 1, 9);
    const v = normals(new Random(2), s.core.numParameters);
    const out = new Float64Array(v.length);
    s.core.fisherVectorProduct(s.batch.obs, s.batch.n, v, 0, out);
    expect(maxAbs(out)).toBe(0);
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
    const cg = conjugateGradient(mv, g, { iters: o.cgMaxSteps, tol: o.cgTol });
    // s^T (F + damping I) s from CG's residual: (F + damping I) s = g - r.
    let sFs = 0;
    for (let j = 0; j < P; j++) sFs += cg.x[j] * (g[j] - cg.r[j]);
    // ... which is the explicit quadratic form, up to CG's rounding.
    const Fs = new Float64Array(P);
    mv(cg.x, Fs);
    expect(Math.abs(sFs - dot(cg.x, Fs))).toBeLessThanOrEqual(1e-6 * Math.abs(dot(cg.x, Fs)) + 1e-14);
    const beta = Math.sqrt((2 * o.targetKl) / sFs);
    for (let i = 0; i < o.lineSearchMaxIter; i++) {
      const frac = Math.pow(o.lineSearchShrinkingFactor, i);
      const theta = s.theta.map((x, j) => x + frac * (beta * cg.x[j]));
      const kl = klAt(s, theta);
      const L = core.surrogate(batch, o.entCoef, null);
      if (kl <= o.targetKl && L > L0) return { theta, kl, L, L0, i, frac, cg, sFs, gradNorm: norm(g) };
    }
    return { theta: s.theta, kl: 0, L: L0, L0, i: o.lineSearchMaxIter, frac: 0, cg, sFs, gradNorm: norm(g) };
  }

  it('follows the algorithm literally (subsampled Fisher, line search), every kind', () => {
    let seed = 500;
    let chaotic = 0;
    for (const kind of KINDS) {
      for (const hidden of HIDDEN) {
        for (const k of [1, 3]) {
          const opts = { ...STEP, subSamplingFactor: k, entCoef: 0.01, targetKl: 0.05 };
          const s = makeSetup(BACKEND, kind, hidden, 3, seed++, 20);
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
            expect(stats.accepted).toBe(ref.i < opts.lineSearchMaxIter);
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
              expect(stats.kl).toBeLessThanOrEqual(opts.targetKl);
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
          expect(stats.accepted).toBe(ref.i < opts.lineSearchMaxIter);
          expectClose(after, ref.theta, tol);
        }
      }
    }
    // Most cases must be compared, not waved through as chaotic.
    expect(chaotic).toBeLessThanOrEqual(1);
  });

  it('never accepts KL > targetKl or a non-improving surrogate; restores theta_old exactly on rejection (property)', () => {
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
        (kind, depth, outDim, seed, targetKl, lineSearchMaxIter, entCoef) => {
          const s = makeSetup(BACKEND, kind, HIDDEN[depth], kind === 'categorical' ? outDim + 1 : outDim, seed, 12);
          const opts = { ...STEP, targetKl, lineSearchMaxIter, entCoef, lineSearchShrinkingFactor: 0.5 };
          const stats = s.core.trpoStep(s.batch, opts);
          const after = new Float64Array(s.core.numParameters);
          s.core.getParameters(after);
          if (stats.accepted) {
            accepted++;
            expect(stats.kl).toBeLessThanOrEqual(targetKl);
            expect(stats.surrogateAfter).toBeGreaterThan(stats.surrogateBefore);
            expect(stats.stepFraction).toBe(0.5 ** stats.backtracks);
            expect(stats.backtracks).toBeLessThan(lineSearchMaxIter);
            // the stats describe the parameters left in the core
            expect(s.core.meanKl(s.batch.obs, s.batch.n, s.theta)).toBe(stats.kl);
            expect(s.core.surrogate(s.batch, entCoef, null)).toBe(stats.surrogateAfter);
          } else {
            rejected++;
            expect(sameBits(after, s.theta)).toBe(true);
            expect(stats).toMatchObject({ kl: 0, stepFraction: 0, backtracks: lineSearchMaxIter });
            expect(stats.surrogateAfter).toBe(stats.surrogateBefore);
          }
          expect(stats.sFs).toBeGreaterThan(0);
          expect(stats.cgIterations).toBeGreaterThan(0);
          expect(stats.cgIterations).toBeLessThanOrEqual(STEP.cgMaxSteps);
        },
      ),
      { numRuns: 80, seed: 99 },
    );
    expect(accepted).toBeGreaterThan(10);
  });

  it('rejects a step that blows the parameters up, restoring them bit for bit', () => {
    const s = makeSetup(BACKEND, 'gaussian', [4], 2, 21, 15);
    s.batch.advantages = s.batch.advantages.map((x) => Math.abs(x) + 0.1);
    // beta ~ 1e150: the log_std and outputs overflow, pi_new gives the batch probability ~0.
    const stats = s.core.trpoStep(s.batch, { ...STEP, targetKl: 1e300, lineSearchMaxIter: 1 });
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
    const s = makeSetup(BACKEND, 'categorical', [4], 3, 22, 15);
    const stats = s.core.trpoStep(s.batch, { ...STEP, targetKl: 1e-300, lineSearchMaxIter: 3 });
    const after = new Float64Array(s.core.numParameters);
    s.core.getParameters(after);
    expect(stats.accepted).toBe(false);
    expect(stats.backtracks).toBe(3);
    expect(sameBits(after, s.theta)).toBe(true);
  });

  it('takes no step when the gradient is zero', async () => {
    const s = makeSetup(BACKEND, 'gaussian', [4], 2, 23, 10);
    s.batch.advantages = new Float64Array(10);
    const stats = await s.core.trpoStepAsync(s.batch, STEP);
    expect(stats).toMatchObject({ accepted: false, gradNorm: 0, sFs: 0, cgIterations: 0, cgResidual: 0, backtracks: STEP.lineSearchMaxIter, kl: 0 });
    const after = new Float64Array(s.core.numParameters);
    s.core.getParameters(after);
    expect(sameBits(after, s.theta)).toBe(true);
  });
});
});
