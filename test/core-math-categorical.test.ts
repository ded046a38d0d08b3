// The categorical distribution (cpp/distributions/categorical.hpp, src/core/js/distributions/categorical.ts).
import { describe, expect, it } from 'vitest';
import { Categorical } from '../src/core/js/distributions/index.js';
import { Random } from '../src/random.js';
import { distributionChecks, expectFrequencies } from './distribution-checks.js';

describe('Categorical', () => {
  const d = new Categorical(4);
  distributionChecks({ spec: { kind: 'categorical', nvec: [] }, outDim: 4, dist: d, action: (rng) => Float64Array.of(rng.integer(4)), asActions: (a) => Int32Array.from(a) });

  it('follows the closed forms (log-softmax, entropy, M = diag(p) - p p^T), stable for huge logits', () => {
    const z = new Float64Array([0.5, -1, 2, 0]);
    const e = Array.from(z, Math.exp);
    const sum = e.reduce((a, b) => a + b, 0);
    const p = e.map((x) => x / sum);
    for (let k = 0; k < 4; k++) expect(d.logProb(z, 0, new Float64Array(0), [k], 0)).toBeCloseTo(Math.log(p[k]), 14);
    expect(d.entropy(z, 0)).toBeCloseTo(-p.reduce((a, x) => a + x * Math.log(x), 0), 14);
    const u = new Float64Array([1, 2, -1, 0.5]);
    const out = new Float64Array(4);
    d.fisherWeight(z, new Float64Array(0), u, 1, out, 1);
    const pu = p.reduce((a, x, k) => a + x * u[k], 0);
    for (let k = 0; k < 4; k++) expect(out[k]).toBeCloseTo(p[k] * u[k] - p[k] * pu, 14);
    const big = new Float64Array([1000, 0, -1000, 0]);
    expect(d.logProb(big, 0, new Float64Array(0), [1], 0)).toBeCloseTo(-1000, 9);
    expect(Number.isFinite(d.entropy(big, 0))).toBe(true);
  });

  it('samples with the softmax probabilities (inverse CDF of uniforms)', () => {
    const z = new Float64Array([0.5, -1, 2, 0]);
    const e = Array.from(z, Math.exp);
    const sum = e.reduce((a, b) => a + b, 0);
    const rng = new Random(6);
    const counts = [0, 0, 0, 0];
    const a = new Float64Array(1);
    const total = 20000;
    for (let t = 0; t < total; t++) {
      d.sample(z, 0, new Float64Array(0), [rng.uniform()], 0, a, 0);
      counts[a[0]]++;
    }
    expectFrequencies(counts, e.map((x) => x / sum), total);
  });
});
