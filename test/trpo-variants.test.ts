// The algorithm variants of the TRPO step (both backends) and of the trainer: natural policy
// gradient (algo 'npg'), warm-started conjugate gradient (cgWarmStart) and the adaptive trust
// region (adaptiveKl), each against its defining property.
import { describe, expect, it } from 'vitest';
import { conjugateGradient, dot } from '../src/core/cg.js';
import type { FisherSolveOptions, PolicyKind } from '../src/core/types.js';
import { Random } from '../src/random.js';
import { makeVecEnv, TRPO, type TRPOUpdateInfo } from '../src/index.js';
import { nextTargetKl, resolveTRPOOptions } from '../src/trpo/options.js';
import { BACKENDS, expectClose, klAt, makeSetup, normals, sameBits, STEP } from './core-math-helpers.js';

const KINDS: readonly PolicyKind[] = ['gaussian', 'categorical', 'bernoulli'];

/** The surrogate gradient at the setup's parameters and CG's solution of (F + damping I) s = g. */
function gradientAndDirection(s: ReturnType<typeof makeSetup>, o: FisherSolveOptions): { g: Float64Array; x: Float64Array } {
  const P = s.core.numParameters;
  const g = new Float64Array(P);
  s.core.surrogate(s.batch, 0, g);
  const x = new Float64Array(P);
  s.core.solveFisher(s.batch.obs, s.batch.n, g, o, x);
  return { g, x };
}

for (const BACKEND of BACKENDS) describe(`${BACKEND.name} backend`, () => {
  describe("algo: 'npg'", () => {
    it('takes the full natural-gradient step theta + sqrt(2 delta / s^T F s) s, with no line search', () => {
      for (const kind of KINDS) {
        for (const seed of [1, 2, 3]) {
          const s = makeSetup(BACKEND, kind, [5], 3, seed, 12);
          const opts = { ...STEP, algo: 'npg' as const, targetKl: 0.5, cgMaxSteps: 6 };
          const { g, x } = gradientAndDirection(s, { cgDamping: opts.cgDamping, cgMaxSteps: opts.cgMaxSteps, cgTol: opts.cgTol, subSamplingFactor: 1 });
          // s^T (F + damping I) s, from an explicit Fisher-vector product.
          const Fx = new Float64Array(x.length);
          s.core.fisherVectorProduct(s.batch.obs, s.batch.n, x, opts.cgDamping, Fx);
          const beta = Math.sqrt((2 * opts.targetKl) / dot(x, Fx));
          const expected = s.theta.map((t, j) => t + beta * x[j]);
          const stats = s.core.trpoStep(s.batch, opts);
          const after = new Float64Array(x.length);
          s.core.getParameters(after);
          expectClose(after, expected, 1e-9, 1e-12);
          expect(stats).toMatchObject({ accepted: true, stepFraction: 1, backtracks: 0 });
          expect(stats.gradNorm).toBeCloseTo(Math.sqrt(dot(g, g)), 12);
          // delta 0.5 is large: the KL taken is what it is (no check against delta), as reported.
          expect(stats.kl).toBeCloseTo(klAt(s, expected), 10);
        }
      }
    });

    it('its KL is the quadratic model\'s 1/2 beta^2 s^T F s to second order (delta -> 0)', () => {
      const s = makeSetup(BACKEND, 'gaussian', [4], 2, 5, 20);
      const o = { ...STEP, algo: 'npg' as const, cgDamping: 0.1, cgMaxSteps: 50 };
      const { x } = gradientAndDirection(s, { cgDamping: o.cgDamping, cgMaxSteps: o.cgMaxSteps, cgTol: o.cgTol, subSamplingFactor: 1 });
      const Fx = new Float64Array(x.length);
      s.core.fisherVectorProduct(s.batch.obs, s.batch.n, x, 0, Fx);
      const errors = [1e-2, 1e-4, 1e-6].map((targetKl) => {
        s.core.setParameters(s.theta);
        const stats = s.core.trpoStep(s.batch, { ...o, targetKl });
        const beta = Math.sqrt((2 * targetKl) / stats.sFs);
        return Math.abs(stats.kl / (0.5 * beta * beta * dot(x, Fx)) - 1);
      });
      // The relative error of the quadratic model shrinks like beta ~ sqrt(delta).
      expect(errors[2]).toBeLessThan(2e-3);
      expect(errors[1]).toBeLessThan(errors[0]);
      expect(errors[2]).toBeLessThan(errors[1]);
    });

    it('differs from TRPO only by the line search: same direction, TRPO accepts a fraction of the same full step', () => {
      const s = makeSetup(BACKEND, 'categorical', [5], 4, 9, 15);
      const o = { ...STEP, targetKl: 0.3 };
      const npg = s.core.trpoStep(s.batch, { ...o, algo: 'npg' });
      const pNpg = new Float64Array(s.core.numParameters);
      s.core.getParameters(pNpg);
      s.core.setParameters(s.theta);
      const trpo = s.core.trpoStep(s.batch, o);
      const pTrpo = new Float64Array(s.core.numParameters);
      s.core.getParameters(pTrpo);
      expect(trpo.sFs).toBe(npg.sFs);
      const frac = trpo.accepted ? trpo.stepFraction : 0;
      expectClose(pTrpo.map((t, j) => t - s.theta[j]), pNpg.map((t, j) => frac * (t - s.theta[j])), 1e-9, 1e-13);
    });
  });

  describe('cgWarmStart', () => {
    it('starts CG from the previous step\'s solution: solving the same system again needs ~1 product, to the same direction', () => {
      for (const kind of KINDS) {
        const s = makeSetup(BACKEND, kind, [6], 3, 4, 16);
        const o = { ...STEP, cgMaxSteps: 60, cgTol: 1e-16, cgDamping: 0.05 };
        const cold = s.core.trpoStep(s.batch, o);
        const p1 = new Float64Array(s.core.numParameters);
        s.core.getParameters(p1);
        s.core.setParameters(s.theta);
        const warm = s.core.trpoStep(s.batch, { ...o, cgWarmStart: true });
        const p2 = new Float64Array(s.core.numParameters);
        s.core.getParameters(p2);
        expect(cold.cgIterations).toBeGreaterThan(3);
        // One product for r0 = g - (F + damping I) x0; x0 already solves the system.
        expect(warm.cgIterations).toBeLessThanOrEqual(2);
        expect(warm.cgResidual).toBeLessThan(1e-10);
        expectClose(p2, p1, 1e-7, 1e-12);
        // sᵀFs to 1e-8 relative (the warm start reaches the same s by another CG path)
        expect(Math.abs(warm.sFs - cold.sFs)).toBeLessThanOrEqual(1e-8 * Math.abs(cold.sFs));
      }
    });

    it('off: the kept solution is ignored (bit-identical to a fresh policy)', () => {
      const a = makeSetup(BACKEND, 'gaussian', [5], 2, 8, 10);
      a.core.trpoStep(a.batch, STEP);
      a.core.setParameters(a.theta);
      const again = a.core.trpoStep(a.batch, STEP);
      const pa = new Float64Array(a.core.numParameters);
      a.core.getParameters(pa);
      const b = makeSetup(BACKEND, 'gaussian', [5], 2, 8, 10);
      const fresh = b.core.trpoStep(b.batch, STEP);
      const pb = new Float64Array(b.core.numParameters);
      b.core.getParameters(pb);
      expect(again).toEqual(fresh);
      expect(sameBits(pa, pb)).toBe(true);
    });

    it('on consecutive steps of a changing problem it saves products to a fixed tolerance', () => {
      const run = (warmStart: boolean): number => {
        const s = makeSetup(BACKEND, 'gaussian', [8], 2, 6, 40);
        let products = 0;
        for (let k = 0; k < 8; k++) {
          const st = s.core.trpoStep(s.batch, { ...STEP, targetKl: 1e-4, cgMaxSteps: 200, cgTol: 1e-12, cgWarmStart: warmStart });
          products += st.cgIterations;
        }
        return products;
      };
      expect(run(true)).toBeLessThan(run(false));
    });
  });
});

describe('conjugateGradient x0', () => {
  it('solves A x = b from x0; x0 the solution stops after the product of r0', () => {
    const rng = new Random(3);
    const n = 12;
    const M = normals(rng, n * n);
    const A = new Float64Array(n * n); // M M^T + I
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let s = i === j ? 1 : 0;
      for (let k = 0; k < n; k++) s += M[i * n + k] * M[j * n + k];
      A[i * n + j] = s;
    }
    const mv = (v: Float64Array, out: Float64Array) => {
      for (let i = 0; i < n; i++) { let s = 0; for (let j = 0; j < n; j++) s += A[i * n + j] * v[j]; out[i] = s; }
    };
    const b = normals(rng, n);
    const exact = conjugateGradient(mv, b, { iters: 200, tol: 1e-26 });
    const fromGuess = conjugateGradient(mv, b, { iters: 200, tol: 1e-26, x0: normals(rng, n) });
    expectClose(fromGuess.x, exact.x, 1e-9);
    const warm = conjugateGradient(mv, b, { iters: 200, tol: 1e-20, x0: exact.x });
    expect(warm.iterations).toBe(1);
    expectClose(warm.x, exact.x, 1e-12);
    // A non-finite x0 falls back to 0 (the product is still counted).
    const bad = conjugateGradient(mv, b, { iters: 200, tol: 1e-26, x0: new Float64Array(n).fill(NaN) });
    expectClose(bad.x, exact.x, 1e-9);
    expect(() => conjugateGradient(mv, b, { iters: 5, tol: 0, x0: new Float64Array(3) })).toThrow(/x0: expected a Float64Array of length 12/);
  });
});

describe('adaptiveKl', () => {
  const a = { factor: 2, lower: 0.5, upper: 1.5, minTargetKl: 0.001, maxTargetKl: 0.04 };
  it('grows delta below lower * targetKl, shrinks it above upper * targetKl or on a rejected step, within bounds', () => {
    expect(nextTargetKl(0.01, { accepted: true, kl: 0.004 }, 0.01, a)).toBe(0.02);
    expect(nextTargetKl(0.02, { accepted: true, kl: 0.003 }, 0.01, a)).toBe(0.04);
    expect(nextTargetKl(0.04, { accepted: true, kl: 0.001 }, 0.01, a)).toBe(0.04);
    expect(nextTargetKl(0.02, { accepted: true, kl: 0.012 }, 0.01, a)).toBe(0.02);
    expect(nextTargetKl(0.02, { accepted: true, kl: 0.016 }, 0.01, a)).toBe(0.01);
    expect(nextTargetKl(0.01, { accepted: false, kl: 0 }, 0.01, a)).toBe(0.005);
    expect(nextTargetKl(0.0015, { accepted: false, kl: 0 }, 0.01, a)).toBe(0.001);
    expect(nextTargetKl(0.01, { accepted: true, kl: NaN }, 0.01, a)).toBe(0.005);
  });

  it('validates its options, naming them; true takes the defaults', () => {
    expect(resolveTRPOOptions({ adaptiveKl: true, targetKl: 0.02 }).adaptiveKl).toEqual({ factor: 1.5, lower: 0.5, upper: 1.5, minTargetKl: 0.002, maxTargetKl: 0.2 });
    expect(resolveTRPOOptions({}).adaptiveKl).toBe(false);
    expect(() => resolveTRPOOptions({ adaptiveKl: { factor: 1 } })).toThrow(/^TRPO: options\.adaptiveKl\.factor: expected a number in \(1, Infinity\)/);
    expect(() => resolveTRPOOptions({ adaptiveKl: { lower: 2, upper: 1 } })).toThrow(/options\.adaptiveKl\.upper/);
    expect(() => resolveTRPOOptions({ adaptiveKl: { minTargetKl: 0.5 } })).toThrow(/options\.adaptiveKl\.minTargetKl/);
    expect(() => resolveTRPOOptions({ adaptiveKl: { fator: 2 } })).toThrow(/unknown option 'fator'/);
    expect(() => resolveTRPOOptions({ adaptiveKl: 'yes' })).toThrow(TypeError);
    expect(() => resolveTRPOOptions({ algo: 'ppo' })).toThrow(/^TRPO: options\.algo: expected 'trpo' or 'npg'/);
    expect(() => resolveTRPOOptions({ cgWarmStart: 'no' })).toThrow(/^TRPO: options\.cgWarmStart: expected a boolean/);
  });

  it('the trainer steps with the adapted radius, logs it, and a saved model resumes with it', async () => {
    const env = await makeVecEnv('CartPole-v1', { nEnvs: 1, seed: 3 });
    const opts = { nSteps: 128, batchSize: 64, nCriticUpdates: 2, seed: 3, backend: 'js' as const, adaptiveKl: { factor: 2, lower: 0.9, upper: 1.01 } };
    const model = new TRPO('MlpPolicy', env, opts);
    const infos: TRPOUpdateInfo[] = [];
    await model.learn({ totalTimesteps: 128 * 6, callback: (i) => { infos.push(i); } });
    const r = model.options.adaptiveKl;
    if (!r) throw new Error('adaptiveKl not resolved');
    expect(infos[0].targetKl).toBe(0.01);
    for (let k = 1; k < infos.length; k++) {
      expect(infos[k].targetKl).toBe(nextTargetKl(infos[k - 1].targetKl!, infos[k - 1], 0.01, r));
      if (infos[k].accepted) expect(infos[k].kl).toBeLessThanOrEqual(infos[k].targetKl!);
    }
    expect(new Set(infos.map((i) => i.targetKl)).size).toBeGreaterThan(1);
    const next = nextTargetKl(infos.at(-1)!.targetKl!, infos.at(-1)!, 0.01, r);
    expect(model.currentTargetKl).toBe(next);
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = `${mkdtempSync(`${tmpdir()}/trpo-variants-`)}/m.json`;
    await model.save(path);
    const loaded = await TRPO.load(path);
    expect(loaded.currentTargetKl).toBe(next);
    expect(loaded.options.adaptiveKl).toEqual(r);
    await env.close();
  });
});

describe('both backends agree on the variants (native float64 against JS, 1e-9)', () => {
  it("algo 'npg' and consecutive warm-started CG steps", () => {
    const [js, native] = BACKENDS;
    for (const kind of [...KINDS, 'multiCategorical'] as PolicyKind[]) {
      const a = makeSetup(js, kind, [5, 4], 3, 21, 14);
      const b = makeSetup(native, kind, [5, 4], 3, 21, 14);
      const run = (s: typeof a): { stats: unknown[]; params: Float64Array } => {
        const stats = [
          s.core.trpoStep(s.batch, { ...STEP, algo: 'npg', targetKl: 0.02, cgDamping: 0.5, cgMaxSteps: 4 }),
          s.core.trpoStep(s.batch, { ...STEP, cgWarmStart: true, cgMaxSteps: 4, cgDamping: 0.5 }),
          s.core.trpoStep(s.batch, { ...STEP, cgWarmStart: true, cgMaxSteps: 4, cgDamping: 0.5 }),
        ];
        const params = new Float64Array(s.core.numParameters);
        s.core.getParameters(params);
        return { stats, params };
      };
      const ra = run(a);
      const rb = run(b);
      expectClose(rb.params, ra.params, 1e-9, 1e-12);
      ra.stats.forEach((st, k) => {
        const x = st as Record<string, number | boolean>;
        const y = rb.stats[k] as Record<string, number | boolean>;
        expect(y.accepted).toBe(x.accepted);
        expect(y.backtracks).toBe(x.backtracks);
        expect(y.cgIterations).toBe(x.cgIterations);
        for (const key of ['kl', 'surrogateAfter', 'sFs', 'stepFraction']) expectClose([y[key] as number], [x[key] as number], 1e-9, 1e-14);
      });
    }
  });
});
