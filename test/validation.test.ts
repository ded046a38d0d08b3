/** Bad input throws a TypeError/RangeError naming the argument; nothing crashes the process. */
import { describe, expect, it } from 'vitest';
import {
  BernoulliMlpPolicy, CategoricalMlpPolicy, computeGae, conjugateGradient, GaussianMlpPolicy, MultiCategoricalMlpPolicy, ValueFunction,
} from '../src/index.js';
import { jsBackend } from '../src/core/js/index.js';
import { nativeBackend } from '../src/core/native.js';
import { loadNative } from '../src/core/native-loader.js';

for (const backend of ['native', 'js'] as const) {
  describe(`${backend} backend: bad input`, () => {
    const g = new GaussianMlpPolicy({ obsDim: 3, actDim: 2, hiddenSizes: [4], backend, seed: 1 });
    const c = new CategoricalMlpPolicy({ obsDim: 3, nActions: 4, hiddenSizes: [4], backend, seed: 1 });
    const obs = new Float64Array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
    const gBatch = () => ({ obs, actions: new Float64Array(4), advantages: new Float64Array(2), logProbOld: new Float64Array(2) });
    const cBatch = () => ({ obs, actions: new Int32Array([0, 3]), advantages: new Float64Array(2), logProbOld: new Float64Array(2) });

    it('wrong lengths', () => {
      expect(() => g.forward(new Float64Array(5))).toThrow(/^obs: length 5 is not a positive multiple of 3/);
      expect(() => g.forward(new Float64Array(0))).toThrow(RangeError);
      expect(() => g.logProb(obs, new Float64Array(3))).toThrow(/^actions: expected 2 rows of 2/);
      expect(() => g.trpoStep({ ...gBatch(), advantages: new Float64Array(3) })).toThrow(/^batch\.advantages: expected 2 rows/);
      expect(() => g.trpoStep({ ...gBatch(), logProbOld: new Float64Array(1) })).toThrow(/^batch\.logProbOld/);
      expect(() => g.setParameters(new Float64Array(3))).toThrow(/^params: expected length/);
      expect(() => g.fisherVectorProduct(obs, new Float64Array(2))).toThrow(/^v: expected length/);
      expect(() => g.meanKl(obs, new Float64Array(1))).toThrow(/^oldParameters: expected length/);
      expect(() => c.logProb(obs, new Int32Array(3))).toThrow(/^actions: expected length 2, got 3/);
    });

    it('non-finite values', () => {
      expect(() => g.forward(new Float64Array([0, NaN, 0]))).toThrow(/^obs: element 1 is NaN/);
      expect(() => g.forward(new Float32Array([0, 0, Infinity]))).toThrow(/^obs: element 2 is Infinity/);
      expect(() => g.trpoStep({ ...gBatch(), advantages: new Float64Array([1, NaN]) })).toThrow(/^batch\.advantages: element 1 is NaN/);
      expect(() => g.logProb(obs, new Float64Array([0, 0, -Infinity, 0]))).toThrow(/^actions: element 2/);
      expect(() => g.setParameters(new Float64Array(g.numParameters).fill(NaN))).toThrow(/^params: element 0 is NaN/);
      expect(() => g.fisherVectorProduct(obs, new Float64Array(g.numParameters).fill(NaN))).toThrow(/^v: element 0/);
    });

    it('wrong TypedArray kinds', () => {
      expect(() => g.forward([0.1, 0.2, 0.3] as unknown as Float64Array)).toThrow(TypeError);
      expect(() => g.forward([0.1, 0.2, 0.3] as unknown as Float64Array)).toThrow(/^obs: expected a Float32Array or Float64Array, got an Array of length 3/);
      expect(() => g.forward(new Int32Array(3) as unknown as Float64Array)).toThrow(/^obs: expected a Float32Array or Float64Array, got a Int32Array/);
      expect(() => c.logProb(obs, new Float64Array([0, 1]) as unknown as Int32Array)).toThrow(/^actions: expected an Int32Array or Uint32Array/);
      expect(() => g.logProb(obs, new Int32Array(4) as unknown as Float64Array)).toThrow(TypeError);
      expect(() => g.meanKl(obs, new Float32Array(g.numParameters) as unknown as Float64Array)).toThrow(/^oldParameters: expected a Float64Array/);
      expect(() => g.trpoStep(null as never)).toThrow(/^batch: expected an options object, got null/);
    });

    it('categorical actions out of range', () => {
      expect(() => c.logProb(obs, new Int32Array([0, 4]))).toThrow(/^actions: index 4 at position 1 is outside \[0, 4\)/);
      expect(() => c.trpoStep({ ...cBatch(), actions: new Int32Array([-1, 0]) })).toThrow(RangeError);
    });

    it('bad options', () => {
      expect(() => g.trpoStep(gBatch(), { targetKl: 0 })).toThrow(/^options\.targetKl: expected a number in \(0, Infinity\), got number 0/);
      expect(() => g.trpoStep(gBatch(), { targetKl: NaN })).toThrow(/^options\.targetKl/);
      expect(() => g.trpoStep(gBatch(), { cgMaxSteps: 2.5 })).toThrow(/^options\.cgMaxSteps: expected a positive integer/);
      expect(() => g.trpoStep(gBatch(), { lineSearchShrinkingFactor: 1 })).toThrow(/^options\.lineSearchShrinkingFactor/);
      expect(() => g.trpoStep(gBatch(), { cgDamping: -1 })).toThrow(/^options\.cgDamping/);
      expect(() => g.trpoStep(gBatch(), { subSamplingFactor: 0 })).toThrow(/^options\.subSamplingFactor/);
      expect(() => g.trpoStep(gBatch(), { maxkl: 0.1 } as never)).toThrow(/^options: unknown option 'maxkl'/);
      expect(() => g.trpoStep(gBatch(), { algo: 'ppo' } as never)).toThrow(/^options\.algo: expected 'trpo' or 'npg', got the string "ppo"/);
      expect(() => g.trpoStep(gBatch(), { algo: 1 } as never)).toThrow(TypeError);
      expect(() => g.trpoStep(gBatch(), { cgWarmStart: 1 } as never)).toThrow(/^options\.cgWarmStart: expected a boolean/);
      expect(() => new GaussianMlpPolicy({ obsDim: 0, actDim: 1, backend })).toThrow(/^options\.obsDim: expected a positive integer/);
      expect(() => new GaussianMlpPolicy({ obsDim: 2, actDim: 1.5, backend })).toThrow(/^options\.actDim/);
      expect(() => new CategoricalMlpPolicy({ obsDim: 2, nActions: 0, backend })).toThrow(/^options\.nActions/);
      expect(() => new GaussianMlpPolicy({ obsDim: 2, actDim: 1, hiddenSizes: [64, -1], backend })).toThrow(/^options\.hiddenSizes\[1\]/);
      expect(() => new GaussianMlpPolicy({ obsDim: 2, actDim: 1, dtype: 'float16' as never, backend })).toThrow(/^options\.dtype/);
      expect(() => new GaussianMlpPolicy({ obsDim: 2, actDim: 1, backend: 'gpu' as never })).toThrow(/^backend: expected 'native', 'js' or 'auto'/);
      expect(() => new GaussianMlpPolicy({ obsDim: 2, actDim: 1, seed: NaN, backend })).toThrow(/^options\.seed/);
      const vf = new ValueFunction({ obsDim: 3, hiddenSizes: [4], backend, seed: 1 });
      expect(() => vf.fit(obs, new Float64Array(2), { epochs: 0 })).toThrow(/^options\.epochs/);
      expect(() => vf.fit(obs, new Float64Array(2), { learningRate: -1 })).toThrow(/^options\.learningRate/);
      expect(() => vf.fit(obs, new Float64Array(3))).toThrow(/^returns: expected 2 rows/);
      expect(() => vf.setOptimizerState(new Float64Array(2))).toThrow(/^state: expected length/);
    });

    it('multi-categorical and Bernoulli actions, activations and init options', () => {
      const m = new MultiCategoricalMlpPolicy({ obsDim: 3, nvec: [3, 2], hiddenSizes: [4], backend, seed: 1 });
      expect(() => m.logProb(obs, new Int32Array([0, 1, 2, 2]))).toThrow(/^actions: component 1 of sample 1 is 2, outside \[0, 2\) \(nvec\[1\] = 2\)/);
      expect(() => m.logProb(obs, new Int32Array([0, 1, -1, 0]))).toThrow(RangeError);
      expect(() => m.logProb(obs, new Int32Array(3))).toThrow(/^actions: expected 2 rows of 2 \(length 4\), got length 3/);
      expect(() => m.logProb(obs, new Float64Array(4) as never)).toThrow(TypeError);
      expect(() => new MultiCategoricalMlpPolicy({ obsDim: 3, nvec: [3, 0], backend })).toThrow(/^options\.nvec\[1\]: expected a positive integer/);
      expect(() => new MultiCategoricalMlpPolicy({ obsDim: 3, nvec: [], backend })).toThrow(/^options\.nvec: expected a non-empty array/);
      const b = new BernoulliMlpPolicy({ obsDim: 3, nBits: 2, hiddenSizes: [4], backend, seed: 1 });
      expect(() => b.logProb(obs, new Float64Array([0, 1, 0.5, 1]))).toThrow(/^actions: entry 0 of sample 1 is 0\.5, expected 0 or 1/);
      expect(() => b.logProb(obs, new Int32Array([0, 1, 2, 1]))).toThrow(RangeError);
      expect(b.logProb(obs, new Uint32Array([0, 1, 1, 1])).every(Number.isFinite)).toBe(true);
      expect(() => new BernoulliMlpPolicy({ obsDim: 3, nBits: 0, backend })).toThrow(/^options\.nBits/);
      expect(() => new GaussianMlpPolicy({ obsDim: 2, actDim: 1, activationFn: 'gelu' as never, backend })).toThrow(TypeError);
      expect(() => new GaussianMlpPolicy({ obsDim: 2, actDim: 1, activationFn: 'gelu' as never, backend })).toThrow(/^options\.activationFn: unknown activation the string "gelu" \(expected 'tanh' or 'relu'\)/);
      expect(() => new ValueFunction({ obsDim: 2, activationFn: 'Tanh' as never, backend })).toThrow(/^options\.activationFn: unknown activation/);
      expect(() => new GaussianMlpPolicy({ obsDim: 2, actDim: 1, orthoInit: 1 as never, backend })).toThrow(/^options\.orthoInit: expected a boolean/);
    });

    it('async forms reject the same way and the objects stay usable', async () => {
      await expect(g.trpoStepAsync({ ...gBatch(), advantages: new Float64Array(1) })).rejects.toThrow(RangeError);
      const before = g.getParameters();
      const stats = await g.trpoStepAsync({ ...gBatch(), advantages: new Float64Array([1, -1]) });
      expect(typeof stats.accepted).toBe('boolean');
      if (!stats.accepted) expect(Array.from(g.getParameters())).toEqual(Array.from(before));
      const vf = new ValueFunction({ obsDim: 3, hiddenSizes: [4], backend, seed: 1 });
      const fit = await vf.fitAsync(obs, new Float64Array([1, 2]), { epochs: 50, batchSize: 2, learningRate: 0.01 });
      expect(fit.lossAfter).toBeLessThan(fit.lossBefore);
    });
  });
}

describe('shared functions: bad input', () => {
  it('conjugateGradient and computeGae name their arguments', () => {
    const mv = (x: Float64Array, out: Float64Array) => out.set(x);
    expect(() => conjugateGradient(mv, new Float64Array([1, NaN]), { iters: 3, tol: 0 })).toThrow(/^b:/);
    expect(() => conjugateGradient(mv, new Float64Array(2), { iters: 0, tol: 0 })).toThrow(/iters/);
    expect(() =>
      computeGae({ rewards: [1, 2], values: [0], nextValues: [0, 0], terminated: [0, 0], truncated: [0, 0], gamma: 0.99, lambda: 0.95 }),
    ).toThrow(/values/);
    expect(() =>
      computeGae({ rewards: [1], values: [0], nextValues: [0], terminated: [0], truncated: [0], gamma: 1.5, lambda: 0.95 }),
    ).toThrow(/gamma/);
  });
});

describe('the JS core enforces exactly the native contract', () => {
  const cores = [jsBackend, nativeBackend()!];
  /** The error each raw core throws for the same misuse: same class, same message. */
  function sameError(f: (b: (typeof cores)[number]) => unknown): void {
    const errors = cores.map((b) => {
      try {
        f(b);
      } catch (e) {
        return e as Error;
      }
      throw new Error(`${b.name} backend accepted the misuse`);
    });
    expect(errors[0].constructor).toBe(errors[1].constructor);
    expect(errors[0].message).toBe(errors[1].message);
  }
  const net = { inDim: 3, outDim: 4, hiddenSizes: [5], dtype: 'float64' as const, activationFn: 'tanh' as const };
  const cat = { kind: 'categorical' as const, nvec: [] };
  it('exact lengths, types, n and action values', () => {
    sameError((b) => b.createPolicy(cat, net).forward(new Float64Array(7), 2, new Float64Array(8)));
    sameError((b) => b.createPolicy(cat, net).forward(new Float64Array(6), 2, new Float64Array(9)));
    sameError((b) => b.createPolicy(cat, net).forward(new Float64Array(6), 0, new Float64Array(0)));
    sameError((b) => b.createPolicy(cat, net).logProb(new Float64Array(6), new Int32Array([0, 4]), 2, new Float64Array(2)));
    sameError((b) => b.createPolicy(cat, net).logProb(new Float64Array(6), new Float64Array([0, 1]), 2, new Float64Array(2)));
    sameError((b) => b.createPolicy({ kind: 'multiCategorical', nvec: [2, 2] }, net).logProb(new Float64Array(6), new Int32Array([0, 1, 2, 0]), 2, new Float64Array(2)));
    sameError((b) => b.createPolicy({ kind: 'bernoulli', nvec: [] }, net).logProb(new Float64Array(3), new Float64Array([0, 1, 1, 3]), 1, new Float64Array(1)));
    sameError((b) => b.createPolicy(cat, net).sample(new Float64Array(6), 2, new Float64Array(3), false, new Float64Array(2), new Float64Array(2)));
    sameError((b) => b.createPolicy({ kind: 'multiCategorical', nvec: [2, 3] }, net));
    const fit = { learningRate: 1e-3, epochs: 0, batchSize: 1, maxGradNorm: 0 };
    sameError((b) => b.createValue({ ...net, outDim: 1 }).fit(new Float64Array(6), new Float64Array(2), 2, new Uint32Array(0), fit));
    sameError((b) => b.createValue({ ...net, outDim: 1 }).fit(new Float64Array(6), new Float64Array(2), 2, new Uint32Array(3), { ...fit, epochs: 1 }));
    sameError((b) => b.createValue({ ...net, outDim: 1 }).loss(new Float64Array(6), new Float64Array(3), 2, null));
  });

  it('errors of async native calls carry the JS caller in their stack', async () => {
    const vf = new ValueFunction({ obsDim: 3, hiddenSizes: [4], backend: 'native', seed: 1 });
    const fit = { learningRate: 1e-3, epochs: 1, batchSize: 1, maxGradNorm: 0 };
    // The order entries are checked on the worker thread, so this rejects from there.
    async function fitFromHere(): Promise<unknown> {
      return vf.core.fitAsync(new Float64Array(6), new Float64Array(2), 2, new Uint32Array([0, 5]), fit);
    }
    const err = (await fitFromHere().catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/^order: entry 1 is 5/);
    expect(err.stack).toMatch(/fitFromHere/);
    expect(err.stack).toMatch(/validation\.test\.ts/);
  });
});

describe('raw native binding misuse throws, never crashes', () => {
  const loaded = loadNative();
  if (!loaded.ok) throw new Error(loaded.reason);
  const { NativePolicy, NativeValue } = loaded.binding as unknown as {
    NativePolicy: new (...a: unknown[]) => Record<string, (...a: unknown[]) => unknown>;
    NativeValue: new (...a: unknown[]) => Record<string, (...a: unknown[]) => unknown>;
  };
  it('constructor arguments', () => {
    const flags = { fullStd: false, useExpln: false, learnFeatures: false };
    const gaussian = { kind: 'gaussian', nvec: [], ...flags };
    expect(() => new NativePolicy({ kind: 'beta', nvec: [], ...flags }, 3, 2, [], 'float32', 'tanh')).toThrow(/distribution: expected .*got kind 'beta'/);
    expect(() => new NativePolicy('gaussian', 3, 2, [], 'float32', 'tanh')).toThrow(TypeError);
    expect(() => new NativePolicy({ kind: 'gsde', nvec: [] }, 3, 2, [], 'float32', 'tanh')).toThrow(/distribution\.fullStd: expected a boolean/);
    expect(() => new NativePolicy({ kind: 'multiCategorical', nvec: [2, 0], ...flags }, 3, 2, [], 'float32', 'tanh')).toThrow(/nvec/);
    expect(() => new NativePolicy({ kind: 'multiCategorical', nvec: [2, 3], ...flags }, 3, 4, [], 'float32', 'tanh')).toThrow(/outDim: expected 5/);
    expect(() => new NativePolicy(gaussian, -3, 2, [], 'float32', 'tanh')).toThrow(/inDim/);
    expect(() => new NativePolicy(gaussian, 3, 2, 'x', 'float32', 'tanh')).toThrow(/hiddenSizes/);
    expect(() => new NativePolicy(gaussian, 3, 2, [0], 'float32', 'tanh')).toThrow(/hiddenSizes/);
    expect(() => new NativePolicy(gaussian, 3, 2, [], 'int8', 'tanh')).toThrow(/dtype/);
    expect(() => new NativePolicy(gaussian, 3, 2, [], 'float32', 'gelu')).toThrow(TypeError);
    expect(() => new NativePolicy(gaussian, 3, 2, [], 'float32', 'gelu')).toThrow(/activationFn: expected 'tanh' or 'relu', got 'gelu'/);
    expect(() => new NativeValue(3, [4], 'float64')).toThrow(/activationFn/);
    expect(() => new NativeValue(3, [4], 'float64', 'relu', 'extra')).not.toThrow();
  });
  it('methods with missing, mistyped or short arguments', () => {
    const p = new NativePolicy({ kind: 'categorical', nvec: [], fullStd: false, useExpln: false, learnFeatures: false }, 3, 4, [5], 'float32', 'tanh');
    const obs = new Float32Array(6);
    expect(() => p.forward()).toThrow(TypeError);
    expect(() => p.forward(obs, 2, new Float64Array(7))).toThrow(/out: expected length 8/);
    expect(() => p.forward(obs, 3, new Float64Array(12))).toThrow(/obs: expected length 9, got 6/);
    expect(() => p.forward(new Uint8Array(6), 2, new Float64Array(8))).toThrow(TypeError);
    expect(() => p.logProb(obs, new Int32Array([7, 0]), 2, new Float64Array(2))).toThrow(/index 7/);
    expect(() => p.logProb(obs, new Float32Array(2), 2, new Float64Array(2))).toThrow(/Int32Array or Uint32Array/);
    expect(() => p.trpoStep(obs, new Int32Array(2), new Float64Array(2), new Float64Array(2), 2, {})).toThrow(/options\.targetKl/);
    expect(() => p.trpoStepAsync(obs, new Int32Array(2), new Float64Array(1), new Float64Array(2), 2, {
      targetKl: 0.01, cgMaxSteps: 2, cgDamping: 0.1, cgTol: 0, lineSearchMaxIter: 2, lineSearchShrinkingFactor: 0.5, entCoef: 0, subSamplingFactor: 1,
      algo: 'trpo', cgWarmStart: false,
    })).toThrow(/advantages: expected length 2, got 1/);
    expect(() => p.setParameters(new Float64Array(3))).toThrow(RangeError);
    expect(() => p.sample(obs, 2, new Float64Array(1), false, new Float64Array(2), new Float64Array(2))).toThrow(/noise/);
    expect(() => p.sampleWithValues({}, obs, 2, new Float64Array(2), false, new Float64Array(2), new Float64Array(2), new Float64Array(2))).toThrow(/value: expected a NativeValue/);
    expect(() => p.sampleWithValues(new NativeValue(2, [], 'float32', 'tanh'), obs, 2, new Float64Array(2), false, new Float64Array(2), new Float64Array(2), new Float64Array(2))).toThrow(/obs: expected length 4, got 6/);
    const v = new NativeValue(3, [4], 'float64', 'tanh');
    expect(() => v.fit(new Float64Array(6), new Float64Array(2), 2, new Uint32Array([0, 5]), { learningRate: 1e-3, epochs: 1, batchSize: 1, maxGradNorm: 0 })).toThrow(/order: entry 1 is 5/);
    const fitOptions = { learningRate: 1e-3, epochs: 1, batchSize: 1, maxGradNorm: 0 };
    expect(() => v.fitAsync(new Float64Array(6), new Float64Array(3), 2, new Uint32Array([0, 1]), fitOptions)).toThrow(/returns: expected length 2, got 3/);
    expect(() => v.fitAsync(new Float64Array(5), new Float64Array(2), 2, new Uint32Array([0, 1]), fitOptions)).toThrow(/obs: expected length 6, got 5/);
    expect(() => v.fitAsync(new Int32Array(6), new Float64Array(2), 2, new Uint32Array([0, 1]), fitOptions)).toThrow(TypeError);
    expect(() => v.fit(new Float64Array(6), new Float64Array(2), 2, new Uint32Array(3), { learningRate: 1e-3, epochs: 1, batchSize: 1, maxGradNorm: 0 })).toThrow(/order: expected length/);
  });
});
