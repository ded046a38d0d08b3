// The diagonal Gaussian (cpp/distributions/diag_gaussian.hpp, src/core/js/distributions/diag-gaussian.ts).
import { describe, expect, it } from 'vitest';
import { DiagGaussian } from '../src/core/js/distributions/index.js';
import { Random } from '../src/random.js';
import { distributionChecks } from './distribution-checks.js';

describe('DiagGaussian', () => {
  const d = new DiagGaussian(3);
  distributionChecks({ spec: { kind: 'gaussian', nvec: [] }, outDim: 3, dist: d, action: (rng) => Float64Array.from({ length: 3 }, () => 2 * rng.normal()), asActions: (a) => a });

  it('follows the closed forms (log-density, entropy, KL, M = diag(1/sigma^2), 2 on log sigma)', () => {
    const mu = new Float64Array([0.3, -1, 2]);
    const ls = new Float64Array([-0.5, 0, 0.7]);
    const a = new Float64Array([1, -1.5, 2.2]);
    let ref = 0;
    let h = 0;
    for (let j = 0; j < 3; j++) {
      const s = Math.exp(ls[j]);
      ref += Math.log(Math.exp(-0.5 * ((a[j] - mu[j]) / s) ** 2) / (s * Math.sqrt(2 * Math.PI)));
      h += 0.5 * Math.log(2 * Math.PI * Math.E * s * s);
    }
    expect(d.logProb(mu, 0, ls, a, 0)).toBeCloseTo(ref, 13);
    expect(d.entropy(mu, 0, ls)).toBeCloseTo(h, 13);
    const out = new Float64Array(3);
    d.fisherWeight(mu, ls, new Float64Array([1, 1, 1]), 1, out, 1);
    for (let j = 0; j < 3; j++) expect(out[j]).toBeCloseTo(Math.exp(-2 * ls[j]), 14);
    const pf = new Float64Array(3);
    d.parameterFisher(ls, new Float64Array([1, -2, 3]), pf);
    expect(Array.from(pf)).toEqual([2, -4, 6]);
  });

  it('samples mu + sigma * eps', () => {
    const rng = new Random(5);
    const mu = new Float64Array([0.3, -1, 2]);
    const ls = new Float64Array([-0.5, 0, 0.7]);
    const eps = new Float64Array([0.1, -2, 1]);
    const a = new Float64Array(3);
    d.sample(mu, 0, ls, eps, 0, a, 0);
    for (let j = 0; j < 3; j++) expect(a[j]).toBeCloseTo(mu[j] + Math.exp(ls[j]) * eps[j], 14);
    d.mode(mu, 0, ls, a, 0);
    expect(Array.from(a)).toEqual(Array.from(mu));
    expect(rng.normal()).not.toBeNaN();
  });
});
