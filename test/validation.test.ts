/** Bad input throws a TypeError/RangeError naming the argument; nothing crashes the process. */
import { describe, expect, it } from 'vitest';
import { CategoricalMlpPolicy, computeGae, conjugateGradient, GaussianMlpPolicy, ValueFunction } from '../src/index.js';
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
      expect(() => g.trpoStep(gBatch(), { maxKl: 0 })).toThrow(/^options\.maxKl: expected a number in \(0, Infinity\), got number 0/);
      expect(() => g.trpoStep(gBatch(), { maxKl: NaN })).toThrow(/^options\.maxKl/);
      expect(() => g.trpoStep(gBatch(), { cgIters: 2.5 })).toThrow(/^options\.cgIters: expected a positive integer/);
      expect(() => g.trpoStep(gBatch(), { backtrackCoeff: 1 })).toThrow(/^options\.backtrackCoeff/);
      expect(() => g.trpoStep(gBatch(), { cgDamping: -1 })).toThrow(/^options\.cgDamping/);
      expect(() => g.trpoStep(gBatch(), { subSamplingFactor: 0 })).toThrow(/^options\.subSamplingFactor/);
      expect(() => g.trpoStep(gBatch(), { maxkl: 0.1 } as never)).toThrow(/^options: unknown option 'maxkl'/);
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

describe('raw native binding misuse throws, never crashes', () => {
  const loaded = loadNative();
  if (!loaded.ok) throw new Error(loaded.reason);
  const { NativePolicy, NativeValue } = loaded.binding as unknown as {
    NativePolicy: new (...a: unknown[]) => Record<string, (...a: unknown[]) => unknown>;
    NativeValue: new (...a: unknown[]) => Record<string, (...a: unknown[]) => unknown>;
  };
  it('constructor arguments', () => {
    expect(() => new NativePolicy('beta', 3, 2, [], 'float32')).toThrow(RangeError);
    expect(() => new NativePolicy('gaussian', -3, 2, [], 'float32')).toThrow(/inDim/);
    expect(() => new NativePolicy('gaussian', 3, 2, 'x', 'float32')).toThrow(/hiddenSizes/);
    expect(() => new NativePolicy('gaussian', 3, 2, [0], 'float32')).toThrow(/hiddenSizes/);
    expect(() => new NativePolicy('gaussian', 3, 2, [], 'int8')).toThrow(/dtype/);
    expect(() => new NativeValue(3, [4], 'float64', 'extra')).not.toThrow();
  });
  it('methods with missing, mistyped or short arguments', () => {
    const p = new NativePolicy('categorical', 3, 4, [5], 'float32');
    const obs = new Float32Array(6);
    expect(() => p.forward()).toThrow(TypeError);
    expect(() => p.forward(obs, 2, new Float64Array(7))).toThrow(/out: expected length 8/);
    expect(() => p.forward(obs, 3, new Float64Array(12))).toThrow(/obs: expected length 9, got 6/);
    expect(() => p.forward(new Uint8Array(6), 2, new Float64Array(8))).toThrow(TypeError);
    expect(() => p.logProb(obs, new Int32Array([7, 0]), 2, new Float64Array(2))).toThrow(/index 7/);
    expect(() => p.logProb(obs, new Float32Array(2), 2, new Float64Array(2))).toThrow(/Int32Array or Uint32Array/);
    expect(() => p.trpoStep(obs, new Int32Array(2), new Float64Array(2), new Float64Array(2), 2, {})).toThrow(/options\.maxKl/);
    expect(() => p.trpoStepAsync(obs, new Int32Array(2), new Float64Array(1), new Float64Array(2), 2, {
      maxKl: 0.01, cgIters: 2, cgDamping: 0.1, cgTol: 0, backtrackIters: 2, backtrackCoeff: 0.5, entCoef: 0, subSamplingFactor: 1,
    })).toThrow(/advantages: expected length 2, got 1/);
    expect(() => p.setParameters(new Float64Array(3))).toThrow(RangeError);
    expect(() => p.sample(obs, 2, new Float64Array(1), false, new Float64Array(2), new Float64Array(2))).toThrow(/noise/);
    expect(() => p.sampleWithValues({}, obs, 2, new Float64Array(2), false, new Float64Array(2), new Float64Array(2), new Float64Array(2))).toThrow(/value: expected a NativeValue/);
    expect(() => p.sampleWithValues(new NativeValue(2, [], 'float32'), obs, 2, new Float64Array(2), false, new Float64Array(2), new Float64Array(2), new Float64Array(2))).toThrow(/obs: expected length 4, got 6/);
    const v = new NativeValue(3, [4], 'float64');
    expect(() => v.fit(new Float64Array(6), new Float64Array(2), 2, new Uint32Array([0, 5]), { learningRate: 1e-3, epochs: 1, batchSize: 1, maxGradNorm: 0 })).toThrow(/order: entry 1 is 5/);
    const fitOptions = { learningRate: 1e-3, epochs: 1, batchSize: 1, maxGradNorm: 0 };
    expect(() => v.fitAsync(new Float64Array(6), new Float64Array(3), 2, new Uint32Array([0, 1]), fitOptions)).toThrow(/returns: expected length 2, got 3/);
    expect(() => v.fitAsync(new Float64Array(5), new Float64Array(2), 2, new Uint32Array([0, 1]), fitOptions)).toThrow(/obs: expected length 6, got 5/);
    expect(() => v.fitAsync(new Int32Array(6), new Float64Array(2), 2, new Uint32Array([0, 1]), fitOptions)).toThrow(TypeError);
    expect(() => v.fit(new Float64Array(6), new Float64Array(2), 2, new Uint32Array(3), { learningRate: 1e-3, epochs: 1, batchSize: 1, maxGradNorm: 0 })).toThrow(/order: expected length/);
  });
});
