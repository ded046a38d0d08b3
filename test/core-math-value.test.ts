// The value core of both backends (cpp/value.cpp, src/core/js/value.ts): loss gradient, Adam fit.
import { describe, expect, it } from 'vitest';
import type { ValueCore } from '../src/core/types.js';
import { Random } from '../src/random.js';
import { orthogonalInit, SB3_GAINS } from '../src/core/init.js';
import { BACKENDS, expectClose, HIDDEN, maxAbs, norm, normals, sameBits, shift } from './core-math-helpers.js';

for (const BACKEND of BACKENDS) describe(`${BACKEND.name} backend`, () => {
describe('value core', () => {
  function makeValue(hidden: readonly number[], seed: number, n = 11, obsDim = 3) {
    const rng = new Random(seed);
    const core: ValueCore = BACKEND.createValue({ activationFn: 'tanh', inDim: obsDim, outDim: 1, hiddenSizes: hidden, dtype: 'float64' });
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
    expect(() => BACKEND.createValue({ activationFn: 'tanh', inDim: 2, outDim: 2, hiddenSizes: [], dtype: 'float64' })).toThrow(RangeError);
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
          p[j] -= ((0.01 / (1 - 0.9 ** t)) * m[j]) / (Math.sqrt(v[j]) / Math.sqrt(1 - 0.999 ** t) + 1e-5);
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
    const core = BACKEND.createValue({ activationFn: 'tanh', inDim: 2, outDim: 1, hiddenSizes: [16], dtype: 'float64' });
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
});
