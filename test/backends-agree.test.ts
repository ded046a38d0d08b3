/**
 * The native (float64) and pure-JS backends agree to 1e-9 on every function, on random inputs
 * (property-based), through the public classes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BernoulliMlpPolicy, CategoricalMlpPolicy, GaussianMlpPolicy, MultiCategoricalMlpPolicy, Random, ValueFunction,
  type AnyMlpPolicy, type PolicyKind,
} from '../src/index.js';

const TOL = 1e-9;

function expectAgree(a: ArrayLike<number> | number, b: ArrayLike<number> | number, what: string): void {
  const xs = typeof a === 'number' ? [a] : Array.from(a);
  const ys = typeof b === 'number' ? [b] : Array.from(b);
  expect(xs.length, what).toBe(ys.length);
  let scale = 1e-300;
  for (const y of ys) scale = Math.max(scale, Math.abs(y));
  for (let i = 0; i < xs.length; i++) {
    const err = Math.abs(xs[i] - ys[i]) / Math.max(scale, 1e-12);
    if (!(err <= TOL)) throw new Error(`${what}[${i}]: native ${xs[i]} vs js ${ys[i]} (relative error ${err})`);
  }
}

const specArb = fc.record({
  kind: fc.constantFrom<PolicyKind>('gaussian', 'categorical', 'multiCategorical', 'bernoulli', 'gsde'),
  fullStd: fc.boolean(),
  useExpln: fc.boolean(),
  learnFeatures: fc.boolean(),
  obsDim: fc.integer({ min: 1, max: 8 }),
  outDim: fc.integer({ min: 1, max: 6 }),
  hidden: fc.constantFrom([], [7], [5, 4], [6, 3, 5]),
  activationFn: fc.constantFrom('tanh' as const, 'relu' as const),
  orthoInit: fc.boolean(),
  n: fc.integer({ min: 1, max: 40 }),
  seed: fc.integer({ min: 0, max: 2 ** 31 }),
  entCoef: fc.constantFrom(0, 0.01),
});

interface PairSpec {
  kind: PolicyKind; obsDim: number; outDim: number; hidden: readonly number[]; seed: number;
  activationFn?: 'tanh' | 'relu'; orthoInit?: boolean; fullStd?: boolean; useExpln?: boolean; learnFeatures?: boolean;
}

/** nvec of a multi-categorical with outDim logits: [outDim] or [2, outDim - 2]. */
function nvecOf(outDim: number): number[] {
  return outDim < 4 ? [outDim] : [2, outDim - 2];
}

/** Actions as the logProb/batch arrays want them (indices as Int32Array). */
function actionsFor(kind: PolicyKind, actions: Float64Array): Float64Array | Int32Array {
  return kind === 'gaussian' || kind === 'gsde' ? actions : Int32Array.from(actions);
}

function pair(s: PairSpec) {
  const make = (backend: 'native' | 'js'): AnyMlpPolicy => {
    const common = { obsDim: s.obsDim, hiddenSizes: s.hidden, backend, dtype: 'float64' as const, seed: s.seed, activationFn: s.activationFn, orthoInit: s.orthoInit };
    switch (s.kind) {
      case 'gaussian': return new GaussianMlpPolicy({ ...common, actDim: s.outDim, logStdInit: -0.3 });
      case 'categorical': return new CategoricalMlpPolicy({ ...common, nActions: s.outDim });
      case 'multiCategorical': return new MultiCategoricalMlpPolicy({ ...common, nvec: nvecOf(s.outDim) });
      case 'bernoulli': return new BernoulliMlpPolicy({ ...common, nBits: s.outDim });
      case 'gsde': return new GaussianMlpPolicy({
        ...common, actDim: s.outDim, logStdInit: -0.3, useSde: true, fullStd: s.fullStd ?? true, useExpln: s.useExpln ?? false, learnFeatures: s.learnFeatures ?? false,
      });
    }
  };
  const native = make('native');
  const js = make('js');
  // Larger random weights than the init, so that every layer matters.
  const rng = new Random(s.seed + 1);
  const theta = Float64Array.from({ length: native.numParameters }, () => 0.5 * rng.normal());
  native.setParameters(theta);
  js.setParameters(theta);
  return { native, js, rng, theta };
}

describe('native and JS backends agree (float64, 1e-9)', () => {
  it('same seed gives the same initial parameters on both backends', () => {
    const a = new GaussianMlpPolicy({ obsDim: 5, actDim: 2, backend: 'native', dtype: 'float64', seed: 3 });
    const b = new GaussianMlpPolicy({ obsDim: 5, actDim: 2, backend: 'js', seed: 3 });
    expect(Array.from(a.getParameters())).toEqual(Array.from(b.getParameters()));
  });

  it('forward, logProb, entropy, surrogate gradient, meanKl, FVP, solveFisher and sample', () => {
    fc.assert(
      fc.property(specArb, (s) => {
        const { native, js, rng, theta } = pair(s);
        const obs = Float64Array.from({ length: s.n * s.obsDim }, () => rng.normal());
        expectAgree(native.forward(obs), js.forward(obs), 'forward');
        expectAgree(native.entropy(obs), js.entropy(obs), 'entropy');
        const { actions, logProb } = js.sample(obs, { rng: new Random(s.seed) });
        const nativeSample = native.sample(obs, { rng: new Random(s.seed) });
        expectAgree(nativeSample.actions, actions, 'sample.actions');
        expectAgree(nativeSample.logProb, logProb, 'sample.logProb');
        const acts = actionsFor(s.kind, actions);
        expectAgree(native.logProb(obs, acts), js.logProb(obs, acts), 'logProb');
        const batch = {
          obs,
          actions: acts,
          advantages: Float64Array.from({ length: s.n }, () => rng.normal()),
          logProbOld: logProb.map((x) => x + 0.2 * rng.normal()),
        };
        const gn = native.surrogateGradient(batch, { entCoef: s.entCoef });
        const gj = js.surrogateGradient(batch, { entCoef: s.entCoef });
        expectAgree(gn.surrogate, gj.surrogate, 'surrogate');
        expectAgree(gn.gradient, gj.gradient, 'surrogate gradient');
        const v = Float64Array.from({ length: theta.length }, () => rng.normal());
        expectAgree(native.fisherVectorProduct(obs, v, 0.05), js.fisherVectorProduct(obs, v, 0.05), 'FVP');
        const old = theta.map((x) => x + 0.05 * rng.normal());
        expectAgree(native.meanKl(obs, old), js.meanKl(obs, old), 'meanKl');
        // A few CG iterations on a well-damped system (CG itself amplifies rounding by cond(F)).
        const sn = native.solveFisher(obs, gj.gradient, { cgMaxSteps: 3, cgDamping: 1 });
        const sj = js.solveFisher(obs, gj.gradient, { cgMaxSteps: 3, cgDamping: 1 });
        expect(sn.iterations).toBe(sj.iterations);
        expectAgree(sn.x, sj.x, 'solveFisher');
        const det = native.sample(obs, { deterministic: true });
        expectAgree(det.actions, js.sample(obs, { deterministic: true }).actions, 'deterministic sample');
      }),
      { numRuns: 120 },
    );
  });

  it('TRPO step: same statistics and parameters (well-conditioned batches)', () => {
    fc.assert(
      fc.property(specArb, fc.constantFrom(1, 2, 3), (spec, k) => {
        // gSDE over ReLU features is not a well-conditioned batch: rows whose latent features are
        // (nearly) all cut to 0 get a tiny variance, so the Fisher weight 1/var² is huge, and 4
        // truncated CG steps amplify last-bit differences of the products (to 1e-9 relative on one
        // draw, seed -1550767297). Its functions agree to 1e-9 in the tests above, and its
        // converged step in the next test; here gSDE draws use tanh. Without a hidden layer the
        // latent features are the raw observations, which can be ~0 in the same way (seed
        // 1490048822: obsDim 1, hidden []), so gSDE draws also get a tanh layer.
        const s = spec.kind === 'gsde'
          ? { ...spec, activationFn: 'tanh' as const, hidden: spec.hidden.length > 0 ? spec.hidden : [4] }
          : spec;
        const { native, js, rng } = pair(s);
        const n = s.n + 10;
        const obs = Float64Array.from({ length: n * s.obsDim }, () => rng.normal());
        const { actions, logProb } = js.sample(obs, { rng });
        const batch = {
          obs,
          actions: actionsFor(s.kind, actions),
          advantages: Float64Array.from({ length: n }, () => rng.normal()),
          logProbOld: logProb,
        };
        const options = { cgMaxSteps: 4, cgDamping: 0.5, targetKl: 0.02, subSamplingFactor: k, entCoef: s.entCoef };
        const a = native.trpoStep(batch, options);
        const b = js.trpoStep(batch, options);
        expect(a.accepted).toBe(b.accepted);
        expect(a.backtracks).toBe(b.backtracks);
        expect(a.cgIterations).toBe(b.cgIterations);
        for (const key of ['surrogateBefore', 'surrogateAfter', 'kl', 'stepFraction', 'gradNorm', 'sFs'] as const) {
          expectAgree(a[key], b[key], key);
        }
        expectAgree(native.getParameters(), js.getParameters(), 'parameters after the step');
      }),
      { numRuns: 80 },
    );
  });

  it('gSDE over ReLU features (learnFeatures): the converged TRPO step agrees, on the ill-conditioned draw above', () => {
    const s = { kind: 'gsde' as const, fullStd: false, useExpln: false, learnFeatures: true, obsDim: 3, outDim: 2, hidden: [5, 4], activationFn: 'relu' as const, orthoInit: false, seed: 2147483634 };
    for (const k of [1, 2, 3]) {
      const { native, js, rng } = pair(s);
      const n = 50;
      const obs = Float64Array.from({ length: n * s.obsDim }, () => rng.normal());
      const { actions, logProb } = js.sample(obs, { rng });
      const batch = { obs, actions, advantages: Float64Array.from({ length: n }, () => rng.normal()), logProbOld: logProb };
      const options = { cgMaxSteps: 200, cgTol: 1e-30, cgDamping: 0.5, targetKl: 0.02, subSamplingFactor: k, entCoef: 0 };
      const a = native.trpoStep(batch, options);
      const b = js.trpoStep(batch, options);
      expect(a.accepted).toBe(b.accepted);
      for (const key of ['surrogateBefore', 'surrogateAfter', 'kl', 'stepFraction', 'gradNorm', 'sFs'] as const) expectAgree(a[key], b[key], key);
      expectAgree(native.getParameters(), js.getParameters(), 'parameters after the step');
    }
  });

  it('large batches (several native chunks, threads) agree too', () => {
    const { native, js, rng } = pair({ kind: 'gaussian', obsDim: 11, outDim: 3, hidden: [32, 32], seed: 9 });
    const n = 5000;
    const obs = Float64Array.from({ length: n * 11 }, () => rng.normal());
    expectAgree(native.forward(obs), js.forward(obs), 'forward');
    const v = Float64Array.from({ length: native.numParameters }, () => rng.normal());
    expectAgree(native.fisherVectorProduct(obs, v, 0.1), js.fisherVectorProduct(obs, v, 0.1), 'FVP');
    const { actions, logProb } = js.sample(obs, { rng });
    const batch = { obs, actions, advantages: Float64Array.from({ length: n }, () => rng.normal()), logProbOld: logProb };
    expectAgree(native.surrogateGradient(batch).gradient, js.surrogateGradient(batch).gradient, 'gradient');
  });

  it('value function: forward, loss gradient, fit and Adam state', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }), fc.constantFrom([], [8], [6, 5]), fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 1, max: 32 }), fc.integer({ min: 0, max: 1e9 }), fc.constantFrom(0, 0.5),
        fc.constantFrom('tanh' as const, 'relu' as const), fc.boolean(),
        (obsDim, hidden, n, batchSize, seed, maxGradNorm, activationFn, orthoInit) => {
          const a = new ValueFunction({ obsDim, hiddenSizes: hidden, backend: 'native', dtype: 'float64', seed, activationFn, orthoInit });
          const b = new ValueFunction({ obsDim, hiddenSizes: hidden, backend: 'js', seed, activationFn, orthoInit });
          expectAgree(a.getParameters(), b.getParameters(), 'init');
          const rng = new Random(seed);
          const obs = Float64Array.from({ length: n * obsDim }, () => rng.normal());
          const returns = Float64Array.from({ length: n }, () => 3 * rng.normal());
          expectAgree(a.forward(obs), b.forward(obs), 'forward');
          const la = a.lossGradient(obs, returns);
          const lb = b.lossGradient(obs, returns);
          expectAgree(la.loss, lb.loss, 'loss');
          expectAgree(la.gradient, lb.gradient, 'loss gradient');
          const options = { epochs: 3, batchSize, learningRate: 3e-3, maxGradNorm };
          const fa = a.fit(obs, returns, options);
          const fb = b.fit(obs, returns, options);
          expect(fa.steps).toBe(fb.steps);
          expectAgree(fa.lossAfter, fb.lossAfter, 'lossAfter');
          expectAgree(a.getParameters(), b.getParameters(), 'fitted parameters');
          expectAgree(a.getOptimizerState(), b.getOptimizerState(), 'Adam state');
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('sampleWithValues', () => {
  it('equals sample() then value.forward(), on both backends, in one call', () => {
    for (const backend of ['native', 'js'] as const) {
      const policy = new CategoricalMlpPolicy({ obsDim: 4, nActions: 3, backend, seed: 5 });
      const value = new ValueFunction({ obsDim: 4, backend, seed: 6 });
      const rng = new Random(1);
      const obs = Float32Array.from({ length: 8 * 4 }, () => rng.normal());
      const noise = Float64Array.from({ length: 8 }, () => rng.uniform());
      const actions = new Float64Array(8);
      const logProb = new Float64Array(8);
      const values = new Float64Array(8);
      policy.core.sampleWithValues(value.core, obs, 8, noise, false, actions, logProb, values);
      const a2 = new Float64Array(8);
      const l2 = new Float64Array(8);
      policy.core.sample(obs, 8, noise, false, a2, l2);
      expect(Array.from(actions)).toEqual(Array.from(a2));
      expect(Array.from(logProb)).toEqual(Array.from(l2));
      expect(Array.from(values)).toEqual(Array.from(value.forward(obs)));
    }
  });

  it('sampleInto (the rollout step) draws what sample() draws, with V(s), for every distribution', () => {
    const kinds: PolicyKind[] = ['gaussian', 'categorical', 'multiCategorical', 'bernoulli', 'gsde'];
    for (const backend of ['native', 'js'] as const) {
      for (const kind of kinds) {
        const { native, js } = pair({ kind, obsDim: 3, outDim: 5, hidden: [4], seed: 3 });
        const policy = backend === 'native' ? native : js;
        const value = new ValueFunction({ obsDim: 3, backend, seed: 6 });
        const obs = Float64Array.from({ length: 6 * 3 }, (_, i) => Math.sin(i));
        const ref = policy.sample(obs, { rng: new Random(11) });
        const out = { actions: new Float64Array(ref.actions.length), logProb: new Float64Array(6), values: new Float64Array(6) };
        const rng = new Random(11);
        policy.sampleInto(obs, out, { rng, noise: new Float64Array(6 * policy.core.noiseDim), valueFunction: value });
        expect(Array.from(out.actions), `${backend} ${kind}`).toEqual(Array.from(ref.actions));
        expect(Array.from(out.logProb)).toEqual(Array.from(ref.logProb));
        expect(Array.from(out.values)).toEqual(Array.from(value.forward(obs)));
        // the generator advanced exactly as sample()'s
        const again = new Random(11);
        policy.sample(obs, { rng: again });
        expect(rng.uniform()).toBe(again.uniform());
      }
    }
  });

  it('refuses a value function of another backend', () => {
    const policy = new GaussianMlpPolicy({ obsDim: 2, actDim: 1, backend: 'native', seed: 1 });
    const value = new ValueFunction({ obsDim: 2, backend: 'js', seed: 1 });
    const out = () => new Float64Array(1);
    expect(() => policy.core.sampleWithValues(value.core, new Float64Array(2), 1, new Float64Array(1), false, out(), out(), out()))
      .toThrow(/^value: expected a value function of the native backend/);
  });
});

describe('native float32', () => {
  it('tracks float64 to float32 precision and is the default dtype', () => {
    const p32 = new GaussianMlpPolicy({ obsDim: 17, actDim: 6, backend: 'native', seed: 1 });
    expect(p32.dtype).toBe('float32');
    const p64 = new GaussianMlpPolicy({ obsDim: 17, actDim: 6, backend: 'native', dtype: 'float64', seed: 1 });
    const rng = new Random(2);
    const obs = Float64Array.from({ length: 300 * 17 }, () => rng.normal());
    const a = p32.forward(Float32Array.from(obs));
    const b = p64.forward(obs);
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
    expect(worst).toBeLessThan(1e-5);
    const v = Float64Array.from({ length: p32.numParameters }, () => rng.normal());
    const fa = p32.fisherVectorProduct(obs, v, 0.1);
    const fb = p64.fisherVectorProduct(obs, v, 0.1);
    let num = 0;
    let den = 0;
    for (let i = 0; i < fa.length; i++) {
      num += (fa[i] - fb[i]) ** 2;
      den += fb[i] ** 2;
    }
    expect(Math.sqrt(num / den)).toBeLessThan(1e-4);
  });
});
