// The Bernoulli distribution (cpp/distributions/bernoulli.hpp, src/core/js/distributions/bernoulli.ts).
import { describe, expect, it } from 'vitest';
import { Bernoulli } from '../src/core/js/distributions/index.js';
import { Random } from '../src/random.js';
import { distributionChecks, expectFrequencies } from './distribution-checks.js';

describe('Bernoulli', () => {
  const d = new Bernoulli(3);
  distributionChecks({ spec: { kind: 'bernoulli', nvec: [] }, outDim: 3, dist: d, action: (rng) => Float64Array.from({ length: 3 }, () => rng.integer(2)), asActions: (a) => Int32Array.from(a) });

  it('follows the closed forms (p = sigmoid(z), entropy, M = diag(p (1 - p))), finite for huge logits', () => {
    const none = new Float64Array(0);
    const z = new Float64Array([0.3, -2, 1.5]);
    const p = Array.from(z, (x) => 1 / (1 + Math.exp(-x)));
    const a = [1, 0, 0];
    const ref = a.reduce((s, x, j) => s + Math.log(x ? p[j] : 1 - p[j]), 0);
    expect(d.logProb(z, 0, none, a, 0)).toBeCloseTo(ref, 14);
    expect(d.entropy(z, 0)).toBeCloseTo(p.reduce((s, q) => s - q * Math.log(q) - (1 - q) * Math.log(1 - q), 0), 14);
    const out = new Float64Array(3);
    d.fisherWeight(z, none, new Float64Array([1, 1, 1]), 1, out, 1);
    for (let j = 0; j < 3; j++) expect(out[j]).toBeCloseTo(p[j] * (1 - p[j]), 15);
    const big = new Float64Array([800, -800, 0]);
    expect(d.logProb(big, 0, none, [0, 1, 1], 0)).toBeCloseTo(-1600 - Math.log(2), 9);
    expect(Number.isFinite(d.entropy(big, 0))).toBe(true);
    expect(Number.isFinite(d.kl(big, 0, none, z, 0))).toBe(true);
  });

  it('samples 1 with probability sigmoid(z), per entry', () => {
    const z = new Float64Array([0.3, -2, 1.5]);
    const rng = new Random(9);
    const total = 20000;
    const ones = [0, 0, 0];
    const a = new Float64Array(3);
    for (let t = 0; t < total; t++) {
      d.sample(z, 0, new Float64Array(0), [rng.uniform(), rng.uniform(), rng.uniform()], 0, a, 0);
      for (let j = 0; j < 3; j++) ones[j] += a[j];
    }
    for (let j = 0; j < 3; j++) expectFrequencies([ones[j]], [1 / (1 + Math.exp(-z[j]))], total);
  });
});
