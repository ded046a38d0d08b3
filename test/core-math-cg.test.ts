// Conjugate gradient (src/core/cg.ts; cpp/cg.hpp runs the same iteration, compared through the
// policies' solveFisher in core-math-policy and backends-agree).
import { describe, expect, it } from 'vitest';
import { conjugateGradient, dot } from '../src/core/cg.js';
import { Random } from '../src/random.js';
import { diffNorm, norm, normals } from './core-math-helpers.js';

describe('conjugateGradient', () => {
  it('solves random SPD systems', () => {
    const rng = new Random(77);
    for (const dim of [1, 2, 5, 12, 30]) {
      const B = normals(rng, dim * dim);
      // A = B B^T / dim + 0.5 I
      const A = new Float64Array(dim * dim);
      for (let i = 0; i < dim; i++) {
        for (let j = 0; j < dim; j++) {
          let s = 0;
          for (let k = 0; k < dim; k++) s += B[i * dim + k] * B[j * dim + k];
          A[i * dim + j] = s / dim + (i === j ? 0.5 : 0);
        }
      }
      const matVec = (v: Float64Array, out: Float64Array): void => {
        for (let i = 0; i < dim; i++) {
          let s = 0;
          for (let j = 0; j < dim; j++) s += A[i * dim + j] * v[j];
          out[i] = s;
        }
      };
      const b = normals(rng, dim);
      const res = conjugateGradient(matVec, b, { iters: 4 * dim, tol: 1e-26 });
      const Ax = new Float64Array(dim);
      matVec(res.x, Ax);
      expect(diffNorm(Ax, b) / norm(b)).toBeLessThan(1e-10);
      expect(res.iterations).toBeLessThanOrEqual(4 * dim);
      expect(res.iterations).toBeGreaterThan(0);
      const r = b.map((x, i) => x - Ax[i]);
      expect(res.residual).toBeLessThan(1e-20 * dot(b, b) + 1e-24);
      expect(Math.sqrt(res.residual)).toBeCloseTo(norm(r), 8);

      // iteration cap
      const capped = conjugateGradient(matVec, b, { iters: 1, tol: 0 });
      expect(capped.iterations).toBe(1);
    }
  });

  it('stops at once when r.r < tol, and on a non-positive curvature', () => {
    const b = new Float64Array([1e-3, 0]);
    const id = (v: Float64Array, out: Float64Array): void => {
      out.set(v);
    };
    expect(conjugateGradient(id, b, { iters: 5, tol: 1e-5 })).toEqual({ x: new Float64Array(2), r: b, residual: 1e-6, iterations: 0 });
    const neg = (v: Float64Array, out: Float64Array): void => {
      for (let i = 0; i < v.length; i++) out[i] = -v[i];
    };
    const res = conjugateGradient(neg, new Float64Array([1, 2]), { iters: 5, tol: 0 });
    expect(res.iterations).toBe(1);
    expect(Array.from(res.x)).toEqual([0, 0]);
    expect(res.residual).toBe(5);
    const nan = (_v: Float64Array, out: Float64Array): void => {
      out.fill(Number.NaN);
    };
    expect(conjugateGradient(nan, new Float64Array([1]), { iters: 5, tol: 0 }).iterations).toBe(1);
  });

  it('validates its arguments', () => {
    const id = (v: Float64Array, out: Float64Array): void => {
      out.set(v);
    };
    const b = new Float64Array([1]);
    expect(() => conjugateGradient(id, b, { iters: 0, tol: 0 })).toThrow(/iters/);
    expect(() => conjugateGradient(id, b, { iters: 0, tol: 0 })).toThrow(RangeError);
    expect(() => conjugateGradient(id, b, { iters: 1.5, tol: 0 })).toThrow(TypeError);
    expect(() => conjugateGradient(id, b, { iters: 1, tol: -1 })).toThrow(/tol/);
    expect(() => conjugateGradient(id, b, { iters: 1, tol: Infinity })).toThrow(RangeError);
    expect(() => conjugateGradient(id, b, { iters: 1, tol: Number.NaN })).toThrow(/tol/);
    expect(() => conjugateGradient(id, [1] as unknown as Float64Array, { iters: 1, tol: 0 })).toThrow(TypeError);
    expect(() => conjugateGradient(id, new Float64Array([Number.NaN]), { iters: 1, tol: 0 })).toThrow(/b/);
    expect(() => conjugateGradient(null as unknown as typeof id, b, { iters: 1, tol: 0 })).toThrow(/matVec/);
  });
});
