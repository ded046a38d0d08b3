// The MLP passes (cpp/mlp.cpp, src/core/js/mlp.ts): forward by hand for tanh and ReLU on both
// backends; the JS tangent (J v) and backward (J^T u, with a gradient on the latent features)
// against finite differences. The policy and value tests check both backends' passes through
// their gradients and Fisher products.
import { describe, expect, it } from 'vitest';
import { Mlp } from '../src/core/js/mlp.js';
import { Random } from '../src/random.js';
import { BACKENDS, expectClose, normals } from './core-math-helpers.js';

for (const BACKEND of BACKENDS) describe(`${BACKEND.name} backend: MLP forward`, () => {
  for (const activationFn of ['tanh', 'relu'] as const) {
    it(`matches a hand computation (1 hidden layer, ${activationFn})`, () => {
      const core = BACKEND.createPolicy({ kind: 'gaussian', nvec: [] }, { inDim: 2, outDim: 1, hiddenSizes: [2], dtype: 'float64', activationFn });
      // W1 = [[1, 2], [3, 4]], b1 = [0.5, -0.5], W2 = [[1, -1]], b2 = [0.25], log_std = [0]
      core.setParameters(new Float64Array([1, 2, 3, 4, 0.5, -0.5, 1, -1, 0.25, 0]));
      const out = new Float64Array(2);
      core.forward(new Float64Array([0.1, -0.2, 0, 1]), 2, out);
      const act = activationFn === 'tanh' ? Math.tanh : (x: number) => Math.max(0, x);
      const h = (x: number, y: number) => [act(x + 2 * y + 0.5), act(3 * x + 4 * y - 0.5)];
      const [a0, a1] = h(0.1, -0.2);
      const [c0, c1] = h(0, 1);
      expect(out[0]).toBeCloseTo(a0 - a1 + 0.25, 14);
      expect(out[1]).toBeCloseTo(c0 - c1 + 0.25, 14);
    });
  }
});

describe('JS Mlp: tangent and backward against finite differences', () => {
  for (const activationFn of ['tanh', 'relu'] as const) {
    for (const hidden of [[], [5], [4, 3]] as const) {
      it(`${activationFn}, hidden [${hidden.join(', ')}]`, () => {
        const rng = new Random(hidden.length + (activationFn === 'relu' ? 10 : 0));
        const net = new Mlp(3, hidden, 2, activationFn);
        const rows = 4;
        const theta = normals(rng, net.numParameters, 0.7);
        const obs = normals(rng, rows * 3);
        const v = normals(rng, net.numParameters);
        const eps = 1e-6;
        const at = (t: Float64Array) => Float64Array.from(new Mlp(3, hidden, 2, activationFn).forward(t, obs, rows));
        const latentAt = (t: Float64Array) => {
          const m = new Mlp(3, hidden, 2, activationFn);
          m.forward(t, obs, rows);
          return Float64Array.from(m.latent);
        };
        const plus = theta.map((x, k) => x + eps * v[k]);
        const minus = theta.map((x, k) => x - eps * v[k]);
        net.forward(theta, obs, rows);
        const jv = Float64Array.from(net.tangent(theta, v));
        const fd = at(plus).map((x, k) => (x - at(minus)[k]) / (2 * eps));
        expectClose(jv, fd, 1e-7, 1e-6);
        const lt = Float64Array.from(net.latentTangent);
        const fdl = latentAt(plus).map((x, k) => (x - latentAt(minus)[k]) / (2 * eps));
        expectClose(lt, fdl, 1e-7, 1e-6);
        // J^T [u | w]: u on the outputs, w on the latent features; <J^T [u|w], v> = <u, Jv> + <w, J_latent v>.
        const u = normals(rng, rows * 2);
        const w = normals(rng, rows * net.latentDim);
        const g = new Float64Array(net.numParameters);
        net.backward(theta, u, g, w);
        const lhs = g.reduce((a, x, k) => a + x * v[k], 0);
        const rhs = u.reduce((a, x, k) => a + x * jv[k], 0) + w.reduce((a, x, k) => a + x * lt[k], 0);
        expect(Math.abs(lhs - rhs)).toBeLessThan(1e-10 * Math.max(1, Math.abs(rhs)));
      });
    }
  }
});
