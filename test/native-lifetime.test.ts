/**
 * Native memory follows the JS objects: a collected policy or value function frees its native
 * memory (ObjectWrap destructor; the size is reported to V8 so that GC runs), dispose() frees it at
 * once, and use after dispose() is a clear Error. RSS is measured in child processes.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { GaussianMlpPolicy, CategoricalMlpPolicy, ValueFunction, Random } from '../src/index.js';
import { loadNative } from '../src/core/native-loader.js';
import { ROOT } from './run-script.js';

const native = loadNative().ok;

function rss(mode: string): { leakPerRound: number; samples: number[] } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/fixtures/lifetime.ts', mode], { cwd: ROOT, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { leakPerRound: number; samples: number[] };
}

const MB = 2 ** 20;

describe.runIf(native)('native memory follows JS objects', () => {
  it('10,000 policies and 10,000 value functions created and dropped: RSS stays bounded (collected ones are freed)', () => {
    const { leakPerRound, samples } = rss('drop');
    expect(samples).toHaveLength(20);
    // Without freeing, RSS would grow by leakPerRound (~130 MB) every round: 18 rounds from samples[1].
    expect(samples.at(-1)! - samples[1]).toBeLessThan(2 * leakPerRound);
    expect(Math.max(...samples)).toBeLessThan(samples[1] + 3 * leakPerRound);
  }, 120_000);

  it('10,000 of each created and disposed at once, with no turn of the event loop: RSS stays flat', () => {
    const { leakPerRound, samples } = rss('dispose');
    expect(samples.at(-1)! - samples[1]).toBeLessThan(leakPerRound / 2);
    expect(Math.max(...samples)).toBeLessThan(samples[0] + leakPerRound / 2);
  }, 120_000);

  it('1,000 async TRPO steps and 1,000 async fits: RSS stays bounded', () => {
    const { samples } = rss('async');
    // Keeping each call's batch (40 KB) alive would add ~38 MB over the 950 calls after samples[1].
    expect(Math.max(...samples.slice(2)) - samples[1]).toBeLessThan(24 * MB);
  }, 120_000);
});

for (const backend of native ? ['native', 'js'] as const : ['js'] as const) {
  describe(`${backend}: dispose()`, () => {
    const obs = new Float64Array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);

    it('any use after dispose() throws a clear Error; dispose() is idempotent', () => {
      const p = new GaussianMlpPolicy({ obsDim: 3, actDim: 2, hiddenSizes: [4], backend, seed: 1 });
      const c = new CategoricalMlpPolicy({ obsDim: 3, nActions: 2, hiddenSizes: [4], backend, seed: 1 });
      const v = new ValueFunction({ obsDim: 3, hiddenSizes: [4], backend, seed: 1 });
      expect(p.forward(obs)).toHaveLength(4);
      p.dispose();
      p.dispose();
      c.dispose();
      v.dispose();
      const msg = /^GaussianMlpPolicy: used after dispose\(\) \(its memory was freed; create a new one\)$/;
      expect(() => p.forward(obs)).toThrow(msg);
      expect(() => p.numParameters).toThrow(msg);
      expect(() => p.getParameters()).toThrow(msg);
      expect(() => p.sample(obs, { rng: new Random(1) })).toThrow(msg);
      expect(() => p.trpoStep({ obs, actions: new Float64Array(4), advantages: new Float64Array(2), logProbOld: new Float64Array(2) })).toThrow(msg);
      expect(() => c.logProb(obs, new Int32Array(2))).toThrow(/^CategoricalMlpPolicy: used after dispose\(\)/);
      expect(() => v.forward(obs)).toThrow(/^ValueFunction: used after dispose\(\)/);
      expect(() => v.fit(obs, new Float64Array(2))).toThrow(/^ValueFunction: used after dispose\(\)/);
    });

    it('dispose() during an async step throws and leaves the step to finish', async () => {
      const p = new GaussianMlpPolicy({ obsDim: 3, actDim: 2, hiddenSizes: [4], backend, seed: 1 });
      const { actions, logProb } = p.sample(obs, { rng: new Random(2) });
      const step = p.trpoStepAsync({ obs, actions, advantages: new Float64Array([1, -1]), logProbOld: logProb });
      if (backend === 'native') expect(() => p.dispose()).toThrow(/^policy is busy: an async trpoStep is still running on it/);
      await expect(step).resolves.toMatchObject({ accepted: expect.any(Boolean) });
      if (backend === 'native') {
        expect(p.forward(obs)).toHaveLength(4);
        p.dispose();
        expect(() => p.forward(obs)).toThrow(/used after dispose/);
      }
    });
  });
}

it.runIf(native)('the raw binding: every method of a disposed NativePolicy/NativeValue throws instead of touching freed memory', () => {
  const loaded = loadNative();
  if (!loaded.ok) throw new Error(loaded.reason);
  const b = loaded.binding;
  const dist = { kind: 'gaussian' as const, nvec: [], fullStd: false, useExpln: false, learnFeatures: false };
  const p = new b.NativePolicy(dist, 4, 2, [8], 'float32', 'tanh');
  const v = new b.NativeValue(4, [8], 'float32', 'tanh');
  p.dispose();
  v.dispose();
  const args = [new Float64Array(1), 1, new Float64Array(1), new Float64Array(1), 1, {}, new Float64Array(1)];
  const call = (o: object, m: string) => () => (o as Record<string, (...a: unknown[]) => unknown>)[m](...args);
  for (const m of ['numParameters', 'getParameters', 'setParameters', 'forward', 'logProb', 'entropy', 'surrogate', 'meanKl',
    'fisherVectorProduct', 'solveFisher', 'trpoStep', 'trpoStepAsync', 'sample', 'sampleWithValues']) {
    expect(call(p, m), m).toThrow(/^policy was disposed: dispose\(\) freed its native memory$/);
  }
  for (const m of ['numParameters', 'getParameters', 'setParameters', 'forward', 'loss', 'fit', 'fitAsync', 'getOptimizerState', 'setOptimizerState']) {
    expect(call(v, m), m).toThrow(/^value function was disposed: dispose\(\) freed its native memory$/);
  }
  const live = new b.NativePolicy(dist, 4, 2, [8], 'float32', 'tanh');
  expect(() => live.sampleWithValues(v, new Float32Array(4), 1, null, true, new Float64Array(2), new Float64Array(1), new Float64Array(1)))
    .toThrow(/^value function was disposed/);
});
