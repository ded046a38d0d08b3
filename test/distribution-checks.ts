/**
 * The checks every action distribution passes (used by test/core-math-<distribution>.test.ts):
 * the JS twin (src/core/js/distributions/) directly, against finite differences and sampling
 * frequencies; and the C++ one through a native policy core that outputs y for every state
 * (no hidden layer, zero weights, bias y), against the JS twin.
 */
import { expect, it } from 'vitest';
import type { Distribution } from '../src/core/js/distributions/index.js';
import { nativeBackend } from '../src/core/native.js';
import type { DistributionSpec } from '../src/core/types.js';
import { Random } from '../src/random.js';
import { expectClose, maxAbs } from './core-math-helpers.js';

export interface DistributionCase {
  spec: DistributionSpec;
  outDim: number;
  dist: Distribution;
  /** A random valid action. */
  action(rng: Random): Float64Array;
  /** The action batch type the cores take. */
  asActions(a: Float64Array): Float64Array | Int32Array;
  /** Random outputs of one state (default: N(0, 1.2^2) entries). */
  outputs?(rng: Random): Float64Array;
}

function perturbed(y: Float64Array, terms: [number, Float64Array | number][]): Float64Array {
  const out = Float64Array.from(y);
  for (const [c, d] of terms) {
    if (typeof d === 'number') out[d] += c;
    else for (let j = 0; j < out.length; j++) out[j] += c * d[j];
  }
  return out;
}

function noiseFor(d: Distribution, rng: Random): Float64Array {
  return Float64Array.from({ length: d.noiseDim }, () => (d.noiseIsNormal ? rng.normal() : rng.uniform()));
}

export function distributionChecks(c: DistributionCase): void {
  const { dist: d, outDim } = c;
  const P = d.numParameters;
  const randomY = c.outputs ?? ((rng: Random) => Float64Array.from({ length: outDim }, () => 1.2 * rng.normal()));
  const randomP = (rng: Random) => Float64Array.from({ length: P }, () => 0.5 * rng.normal());
  const eps = 1e-6;

  it('logProbGradient and entropyGradient equal central differences (outputs and parameters)', () => {
    const rng = new Random(1);
    for (let trial = 0; trial < 5; trial++) {
      const y = randomY(rng);
      const p = randomP(rng);
      const a = c.action(rng);
      const dy = new Float64Array(outDim);
      const dp = new Float64Array(P);
      d.logProbGradient(y, 0, p, a, 0, 1, dy, dp);
      const fdY = y.map((_, k) => (d.logProb(perturbed(y, [[eps, k]]), 0, p, a, 0) - d.logProb(perturbed(y, [[-eps, k]]), 0, p, a, 0)) / (2 * eps));
      const fdP = p.map((_, k) => (d.logProb(y, 0, perturbed(p, [[eps, k]]), a, 0) - d.logProb(y, 0, perturbed(p, [[-eps, k]]), a, 0)) / (2 * eps));
      expectClose(dy, fdY, 1e-7, 1e-3);
      expectClose(dp, fdP, 1e-7, 1e-3);
      const hy = new Float64Array(outDim);
      const hp = new Float64Array(P);
      d.entropyGradient(y, 0, p, 1, hy, hp);
      const fdHy = y.map((_, k) => (d.entropy(perturbed(y, [[eps, k]]), 0, p) - d.entropy(perturbed(y, [[-eps, k]]), 0, p)) / (2 * eps));
      const fdHp = p.map((_, k) => (d.entropy(y, 0, perturbed(p, [[eps, k]])) - d.entropy(y, 0, perturbed(p, [[-eps, k]]))) / (2 * eps));
      expectClose(hy, fdHy, 1e-7, 1e-3);
      expectClose(hp, fdHp, 1e-7, 1e-3);
    }
  });

  it('the Fisher weight M is the Hessian of KL(pi_y || pi_y\') at y\' = y; KL(y || y) = 0 and KL >= 0', () => {
    const rng = new Random(2);
    const h = 1e-4;
    for (let trial = 0; trial < 5; trial++) {
      const y = randomY(rng);
      const p = randomP(rng);
      expect(d.kl(y, 0, p, y, 0, p)).toBeCloseTo(0, 15);
      const y2 = randomY(rng);
      const p2 = randomP(rng);
      expect(d.kl(y, 0, p, y2, 0, p2)).toBeGreaterThanOrEqual(0);
      // Jointly in (outputs, parameters): [M u + cross, M_p v] from fisherWeight (with the
      // parameter tangent) plus parameterFisher, against the mixed central differences.
      const u = Float64Array.from({ length: outDim }, () => rng.normal());
      const vp = Float64Array.from({ length: P }, () => rng.normal());
      const mu = new Float64Array(outDim);
      const mp = new Float64Array(P);
      d.fisherWeight(y, p, u, 1, mu, 1, vp, mp);
      const pf = new Float64Array(P);
      d.parameterFisher(p, vp, pf);
      const analytic = Float64Array.from([...mu, ...mp.map((x, k) => x + pf[k])]);
      const joint = Float64Array.from([...u, ...vp]);
      const klj = (a: number, k: number, b: number): number => {
        const z = perturbed(Float64Array.from([...y, ...p]), [[a * h, joint], [b * h, k]]);
        return d.kl(y, 0, p, z.subarray(0, outDim), 0, z.subarray(outDim));
      };
      const fd = joint.map((_, k) => (klj(1, k, 1) - klj(1, k, -1) - klj(-1, k, 1) + klj(-1, k, -1)) / (4 * h * h));
      expectClose(analytic, fd, 1e-5, 1e-6);
      // the scale multiplies
      const mu2 = new Float64Array(outDim);
      const mp2 = new Float64Array(P);
      d.fisherWeight(y, p, u, 0.25, mu2, 1, vp, mp2);
      expectClose(mu2, mu.map((x) => 0.25 * x), 1e-15, 1e-300);
      expectClose(mp2, mp.map((x) => 0.25 * x), 1e-15, 1e-300);
    }
  });

  it('sample returns the log-probability of its action, mode the most probable action', () => {
    const rng = new Random(3);
    for (let trial = 0; trial < 20; trial++) {
      const y = randomY(rng);
      const p = randomP(rng);
      const a = new Float64Array(d.actionDim);
      const lp = d.sample(y, 0, p, noiseFor(d, rng), 0, a, 0);
      expect(lp).toBeCloseTo(d.logProb(y, 0, p, a, 0), 12);
      const m = new Float64Array(d.actionDim);
      const lm = d.mode(y, 0, p, m, 0);
      expect(lm).toBeCloseTo(d.logProb(y, 0, p, m, 0), 12);
      for (let k = 0; k < 30; k++) expect(d.logProb(y, 0, p, c.action(rng), 0)).toBeLessThanOrEqual(lm + 1e-12);
    }
  });

  if (c.spec.kind !== 'gsde') it('the native distribution agrees with its JS twin (logProb, entropy, KL, Fisher, sample, mode)', () => {
    const native = nativeBackend()!;
    const rng = new Random(4);
    for (let trial = 0; trial < 5; trial++) {
      const y = randomY(rng);
      const p = randomP(rng);
      const yOld = randomY(rng);
      const pOld = randomP(rng);
      // One input, no hidden layer: outputs = 0 * obs + bias.
      const core = native.createPolicy(c.spec, { inDim: 1, outDim, hiddenSizes: [], dtype: 'float64', activationFn: 'tanh' });
      const theta = (bias: Float64Array, own: Float64Array) => Float64Array.from([...new Float64Array(outDim), ...bias, ...own]);
      core.setParameters(theta(y, p));
      const n = 3;
      const obs = Float64Array.from({ length: n }, () => rng.normal());
      const acts = Array.from({ length: n }, () => c.action(rng));
      const flat = new Float64Array(n * d.actionDim);
      acts.forEach((a, i) => flat.set(a, i * d.actionDim));
      const lp = new Float64Array(n);
      core.logProb(obs, c.asActions(flat), n, lp);
      acts.forEach((a, i) => expect(lp[i]).toBeCloseTo(d.logProb(y, 0, p, a, 0), 12));
      expect(core.entropy(obs, n)).toBeCloseTo(d.entropy(y, 0, p), 12);
      expect(core.meanKl(obs, n, theta(yOld, pOld))).toBeCloseTo(d.kl(yOld, 0, pOld, y, 0, p), 12);
      // F on the bias block is M (J = I there); on the own parameters M_p.
      const v = new Float64Array(core.numParameters);
      const u = Float64Array.from({ length: outDim }, () => rng.normal());
      const w = Float64Array.from({ length: P }, () => rng.normal());
      v.set(u, outDim);
      v.set(w, 2 * outDim);
      const fv = new Float64Array(core.numParameters);
      core.fisherVectorProduct(obs, n, v, 0, fv);
      const mu = new Float64Array(outDim);
      d.fisherWeight(y, p, u, 1, mu, 1);
      expectClose(fv.subarray(outDim, 2 * outDim), mu, 1e-12, 1e-300);
      const mp = new Float64Array(P);
      d.parameterFisher(p, w, mp);
      expectClose(fv.subarray(2 * outDim), mp, 1e-12, 1e-300);
      const noise = Float64Array.from({ length: n * d.noiseDim }, () => (d.noiseIsNormal ? rng.normal() : rng.uniform()));
      const sa = new Float64Array(n * d.actionDim);
      const sl = new Float64Array(n);
      core.sample(obs, n, noise, false, sa, sl);
      const ma = new Float64Array(n * d.actionDim);
      const ml = new Float64Array(n);
      core.sample(obs, n, null, true, ma, ml);
      for (let i = 0; i < n; i++) {
        const a = new Float64Array(d.actionDim);
        expect(sl[i]).toBeCloseTo(d.sample(y, 0, p, noise, i * d.noiseDim, a, 0), 12);
        expect(maxAbs(a.map((x, j) => x - sa[i * d.actionDim + j]))).toBeLessThan(1e-12);
        expect(ml[i]).toBeCloseTo(d.mode(y, 0, p, a, 0), 12);
        expect(maxAbs(a.map((x, j) => x - ma[i * d.actionDim + j]))).toBeLessThan(1e-12);
      }
    }
  });
}

/** Empirical frequencies of the sampled actions against the probabilities (4 sigma). */
export function expectFrequencies(counts: number[], probs: number[], total: number): void {
  counts.forEach((count, k) => {
    const sd = Math.sqrt(total * probs[k] * (1 - probs[k]));
    expect(Math.abs(count - total * probs[k])).toBeLessThanOrEqual(4 * sd + 1);
  });
}
