// gSDE exploration matrices of GaussianMlpPolicy: held between resets, one per env, resettable
// per env, saved and restored; the same on both backends.
import { describe, expect, it } from 'vitest';
import { GaussianMlpPolicy, Random } from '../src/index.js';

for (const backend of ['native', 'js'] as const) {
  describe(`${backend} backend: gSDE noise matrices`, () => {
    const make = () => new GaussianMlpPolicy({ obsDim: 3, actDim: 2, hiddenSizes: [4], backend, dtype: 'float64', seed: 2, useSde: true, logStdInit: -1 });
    const obs = Float64Array.from({ length: 3 * 3 }, (_, i) => Math.cos(i));

    it('keeps the noise until resetNoise (smooth exploration), and draws nothing from the sampling rng', () => {
      const p = make();
      const a = p.sample(obs, { rng: new Random(1) });
      const rng = new Random(1);
      const b = p.sample(obs, { rng });
      expect(Array.from(b.actions)).toEqual(Array.from(a.actions));
      expect(rng.uniform()).toBe(new Random(1).uniform());
      const mean = p.sample(obs, { deterministic: true }).actions;
      expect(Array.from(a.actions)).not.toEqual(Array.from(mean));
      p.resetNoise(new Random(5), 1);
      expect(Array.from(p.sample(obs).actions)).not.toEqual(Array.from(a.actions));
    });

    it('uses matrix i for row i with one matrix per row, and resets one env alone', () => {
      const p = make();
      p.resetNoise(new Random(7), 3);
      const all = p.sample(obs).actions;
      const [m0, m1, m2] = p.getNoise();
      for (const [i, m] of [[0, m0], [1, m1], [2, m2]] as const) {
        p.setNoise([m]);
        const row = p.sample(obs.subarray(i * 3, i * 3 + 3)).actions;
        expect(Array.from(row)).toEqual(Array.from(all.subarray(i * 2, i * 2 + 2)));
      }
      p.setNoise([m0, m1, m2]);
      p.resetNoiseAt(new Random(8), 1);
      const after = p.sample(obs).actions;
      expect(Array.from(after.subarray(0, 2))).toEqual(Array.from(all.subarray(0, 2)));
      expect(Array.from(after.subarray(2, 4))).not.toEqual(Array.from(all.subarray(2, 4)));
      expect(Array.from(after.subarray(4, 6))).toEqual(Array.from(all.subarray(4, 6)));
    });

    it('has SB3 gSDE shapes: log_std latentDim x actDim (fullStd) or latentDim, matrices latentDim x actDim', () => {
      const full = make();
      expect(full.logStd.length).toBe(4 * 2);
      expect(full.noiseMatrixSize).toBe(4 * 2);
      expect(Array.from(full.logStd)).toEqual(new Array(8).fill(-1));
      const shared = new GaussianMlpPolicy({ obsDim: 3, actDim: 2, hiddenSizes: [4], backend, seed: 2, useSde: true, fullStd: false });
      expect(shared.logStd.length).toBe(4);
      expect(shared.numParameters).toBe(3 * 4 + 4 + 4 * 2 + 2 + 4);
    });

    it('names bad arguments', () => {
      const p = make();
      expect(() => p.resetNoiseAt(new Random(1), 1)).toThrow(/^index: expected an integer in \[0, 1\)/);
      expect(() => p.resetNoise(new Random(1), 0)).toThrow(/^count: expected a positive integer/);
      expect(() => p.setNoise([new Float64Array(3)])).toThrow(/^matrices\[0\]: expected length 8/);
      expect(() => new GaussianMlpPolicy({ obsDim: 3, actDim: 2, backend, fullStd: false })).toThrow(/^options\.fullStd: only used with useSde: true/);
      expect(() => new GaussianMlpPolicy({ obsDim: 3, actDim: 2, backend, useSde: 1 as never })).toThrow(/^options\.useSde: expected a boolean/);
      const plain = new GaussianMlpPolicy({ obsDim: 3, actDim: 2, backend });
      expect(() => plain.resetNoise(new Random(1))).toThrow(/useSde: false/);
    });
  });
}
