// The multi-categorical distribution (cpp/distributions/multi_categorical.hpp, src/core/js/distributions/multi-categorical.ts).
import { describe, expect, it } from 'vitest';
import { Categorical, MultiCategorical } from '../src/core/js/distributions/index.js';
import { Random } from '../src/random.js';
import { distributionChecks, expectFrequencies } from './distribution-checks.js';

describe('MultiCategorical', () => {
  const nvec = [3, 2, 4];
  const d = new MultiCategorical(nvec);
  distributionChecks({
    spec: { kind: 'multiCategorical', nvec }, outDim: 9, dist: d,
    action: (rng) => Float64Array.from(nvec, (k) => rng.integer(k)), asActions: (a) => Int32Array.from(a),
  });

  it('is the product of independent categoricals (sums of log-probs, entropies and KLs; block-diagonal M)', () => {
    const rng = new Random(7);
    const y = Float64Array.from({ length: 9 }, () => rng.normal());
    const y2 = Float64Array.from({ length: 9 }, () => rng.normal());
    const none = new Float64Array(0);
    const blocks = [[0, 3], [3, 5], [5, 9]];
    const a = [2, 0, 3];
    let lp = 0;
    let h = 0;
    let kl = 0;
    const u = Float64Array.from({ length: 9 }, () => rng.normal());
    const mu = new Float64Array(9);
    d.fisherWeight(y, none, u, 1, mu, 1);
    blocks.forEach(([s, e], c) => {
      const cat = new Categorical(e - s);
      lp += cat.logProb(y.subarray(s, e), 0, none, [a[c]], 0);
      h += cat.entropy(y.subarray(s, e), 0);
      kl += cat.kl(y.subarray(s, e), 0, none, y2.subarray(s, e), 0);
      const m = new Float64Array(e - s);
      cat.fisherWeight(y.subarray(s, e), none, u.subarray(s, e), 1, m, 1);
      for (let k = s; k < e; k++) expect(mu[k]).toBeCloseTo(m[k - s], 15);
    });
    expect(d.logProb(y, 0, none, a, 0)).toBeCloseTo(lp, 14);
    expect(d.entropy(y, 0)).toBeCloseTo(h, 14);
    expect(d.kl(y, 0, none, y2, 0)).toBeCloseTo(kl, 14);
  });

  it('samples each component with its own softmax', () => {
    const y = new Float64Array([0, 1, -1, 2, 0, 0.5, 0.5, -0.5, 1]);
    const rng = new Random(8);
    const total = 20000;
    const counts = nvec.map((k) => new Array<number>(k).fill(0));
    const a = new Float64Array(3);
    for (let t = 0; t < total; t++) {
      d.sample(y, 0, new Float64Array(0), [rng.uniform(), rng.uniform(), rng.uniform()], 0, a, 0);
      for (let c = 0; c < 3; c++) counts[c][a[c]]++;
    }
    [[0, 3], [3, 5], [5, 9]].forEach(([s, e], c) => {
      const ex = Array.from(y.subarray(s, e), Math.exp);
      const sum = ex.reduce((x, z) => x + z, 0);
      expectFrequencies(counts[c], ex.map((x) => x / sum), total);
    });
  });
});
