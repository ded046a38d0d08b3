// The gSDE Gaussian (cpp/distributions/gsde_gaussian.hpp, src/core/js/distributions/gsde-gaussian.ts):
// the distribution alone (outputs [mu | phi] and log_std), then through the policy cores of both
// backends with and without learnFeatures, against finite differences.
import { describe, expect, it } from 'vitest';
import { GsdeGaussian } from '../src/core/js/distributions/index.js';
import type { DistributionSpec } from '../src/core/types.js';
import { Random } from '../src/random.js';
import {
  BACKENDS, expectClose, fisherAgainstKlHessian, makeSetupFor, maxAbs, normals, surrogateGradientAndFd, unit,
} from './core-math-helpers.js';
import { distributionChecks } from './distribution-checks.js';

const FLAGS = [
  { fullStd: true, useExpln: false },
  { fullStd: false, useExpln: false },
  { fullStd: true, useExpln: true },
];

for (const { fullStd, useExpln } of FLAGS) {
  describe(`GsdeGaussian (fullStd ${fullStd}, useExpln ${useExpln})`, () => {
    const d = new GsdeGaussian({ actDim: 2, latentDim: 3, fullStd, useExpln, learnFeatures: true });
    distributionChecks({
      spec: { kind: 'gsde', nvec: [], fullStd, useExpln, learnFeatures: true }, outDim: 5, dist: d,
      action: (rng) => Float64Array.from({ length: 2 }, () => 2 * rng.normal()), asActions: (a) => a,
      // latent features away from 0, where var is ~1e-6 and the finite differences lose accuracy
      outputs: (rng) => Float64Array.from({ length: 5 }, (_, k) => (k < 2 ? 1.2 * rng.normal() : (rng.uniform() < 0.5 ? -1 : 1) * (0.5 + Math.abs(rng.normal())))),
    });

    it('has var_j = sum_i phi_i^2 std_ij^2 + 1e-6 and samples mu + phi^T (std * eps)', () => {
      const rng = new Random(3);
      const y = normals(rng, 5);
      const p = normals(rng, d.numParameters, 0.5);
      const std = (i: number, j: number) => {
        const x = p[fullStd ? i * 2 + j : i];
        return useExpln && x > 0 ? 1 + Math.log1p(x) : Math.exp(x);
      };
      const eps = normals(rng, 6);
      const a = new Float64Array(2);
      d.sample(y, 0, p, eps, 0, a, 0);
      let lp = 0;
      for (let j = 0; j < 2; j++) {
        let v = 1e-6;
        let noise = 0;
        for (let i = 0; i < 3; i++) {
          v += y[2 + i] ** 2 * std(i, j) ** 2;
          noise += y[2 + i] * std(i, j) * eps[i * 2 + j];
        }
        expect(a[j]).toBeCloseTo(y[j] + noise, 13);
        lp += -0.5 * (a[j] - y[j]) ** 2 / v - 0.5 * Math.log(2 * Math.PI * v);
      }
      expect(d.logProb(y, 0, p, a, 0)).toBeCloseTo(lp, 12);
    });
  });
}

/** A gSDE policy core with random weights and log_std, for the FD checks. */
for (const BACKEND of BACKENDS) describe(`${BACKEND.name} backend: gSDE policy`, () => {
  for (const learnFeatures of [true, false]) {
    for (const hidden of [[], [5], [4, 3]] as const) {
      for (const fullStd of [true, false]) {
        const spec: DistributionSpec = { kind: 'gsde', nvec: [], fullStd, useExpln: false, learnFeatures };
        const what = `learnFeatures ${learnFeatures}, hidden [${hidden.join(', ')}], fullStd ${fullStd}`;
        it(`surrogate gradient and Fisher-vector product equal finite differences (${what})`, () => {
          const s = makeSetupFor(BACKEND, spec, hidden, 2, 40 + hidden.length, 7, 3, 'tanh');
          const P = s.core.numParameters;
          // Coordinates that do not move phi: the head and log_std (the last hidden layer feeds phi).
          const headStart = P - (fullStd ? 2 * (hidden.at(-1) ?? 3) : (hidden.at(-1) ?? 3)) - 2 * (hidden.at(-1) ?? 3) - 2;
          const free = (k: number) => learnFeatures || hidden.length === 0 || k >= headStart;
          for (const entCoef of [0, 0.05]) {
            const { grad, fd, L, L2 } = surrogateGradientAndFd(s, entCoef);
            expect(L).toBe(L2);
            const g = grad.filter((_, k) => free(k));
            const f = fd.filter((_, k) => free(k));
            expectClose(g, f, 1e-6);
            expect(maxAbs(g)).toBeGreaterThan(1e-4);
          }
          // F v against the Hessian of the mean KL: everywhere with learned features; on the
          // head and log_std block (v there too) when phi is detached.
          const rng = new Random(9);
          const v = unit(normals(rng, P).map((x, k) => (free(k) ? x : 0)));
          const { rel, quadRel, klAtOld, fv, fdv } = fisherAgainstKlHessian(s, v);
          expect(klAtOld).toBe(0);
          if (learnFeatures || hidden.length === 0) {
            expect(rel).toBeLessThan(1e-5);
          } else {
            expectClose(fv.filter((_, k) => free(k)), fdv.filter((_, k) => free(k)), 1e-5);
          }
          expect(quadRel).toBeLessThan(1e-5);
        });
      }
    }
  }
});
