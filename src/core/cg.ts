/**
 * Conjugate gradient for A x = b with A symmetric positive definite, given only as a
 * matrix-vector product. The native backend runs the same iteration in C++ (same stopping rules),
 * so both backends agree on the TRPO search direction.
 */

import type { ConjugateGradientResult } from './types.js';

/** Options of conjugateGradient. */
export interface ConjugateGradientOptions {
  /** Maximum number of iterations (matrix-vector products); a positive integer. */
  iters: number;
  /** Stop when r.r < tol; finite and >= 0. */
  tol: number;
  /**
   * Warm start (default none: from 0): CG starts from alpha x0, alpha = x0.b / x0^T A x0, the
   * multiple of x0 closest to the solution in the A-norm (never a worse start than 0 in that norm).
   * Costs one product, counted in iterations; a non-finite or non-positive x0^T A x0 starts from 0.
   */
  x0?: Float64Array | null;
}

/**
 * Solve A x = b from x = x0 (default 0):
 * ```
 * x = 0; r = b; it = 0
 * if x0: Ax0 = A x0; it++; alpha = x0.b / x0.Ax0        // warm start
 *   if alpha finite and x0.Ax0 > 0: x = alpha x0; r = b - alpha Ax0
 * p = r; rr = r.r
 * while it < iters:
 *   if rr < tol: break
 *   Ap = A p; pAp = p.Ap; it++
 *   if !(pAp > 0): break          // A not positive definite along p (or NaN)
 *   alpha = rr / pAp; x += alpha p; r -= alpha Ap; rrNew = r.r
 *   p = r + (rrNew / rr) p; rr = rrNew
 * ```
 * `matVec(v, out)` must write A v into out (both of b's length) and must not keep references.
 * Returns the solution, the final r.r and the number of iterations (products) made.
 * cpp/cg.hpp is the twin.
 * @throws TypeError for a matVec that is not a function, a b that is not a Float64Array, or
 * mistyped options; RangeError for a non-finite entry of b, iters not a positive integer, tol
 * negative or not finite; TypeError for an x0 that is not a Float64Array of b's length.
 */
export function conjugateGradient(
  matVec: (v: Float64Array, out: Float64Array) => void,
  b: Float64Array,
  options: ConjugateGradientOptions,
): ConjugateGradientResult {
  if (typeof matVec !== 'function') {
    throw new TypeError(`matVec: expected a function, got ${typeof matVec}`);
  }
  if (!(b instanceof Float64Array)) {
    throw new TypeError('b: expected a Float64Array');
  }
  for (let i = 0; i < b.length; i++) {
    if (!Number.isFinite(b[i])) throw new RangeError(`b: expected finite values, got ${String(b[i])} at index ${i}`);
  }
  if (options === null || typeof options !== 'object') {
    throw new TypeError('options: expected an object { iters, tol }');
  }
  const { iters, tol } = options;
  if (typeof iters !== 'number' || !Number.isInteger(iters)) {
    throw new TypeError(`iters: expected a positive integer, got ${String(iters)}`);
  }
  if (iters <= 0) throw new RangeError(`iters: expected a positive integer, got ${String(iters)}`);
  if (typeof tol !== 'number' || Number.isNaN(tol)) {
    throw new TypeError(`tol: expected a finite number >= 0, got ${String(tol)}`);
  }
  if (!Number.isFinite(tol) || tol < 0) throw new RangeError(`tol: expected a finite number >= 0, got ${String(tol)}`);

  const x0 = options.x0 ?? null;
  if (x0 !== null && (!(x0 instanceof Float64Array) || x0.length !== b.length)) {
    throw new TypeError(`x0: expected a Float64Array of length ${b.length} or null`);
  }
  const dim = b.length;
  const x = new Float64Array(dim);
  const r = Float64Array.from(b);
  const Ap = new Float64Array(dim);
  let it = 0;
  if (x0 !== null && iters > 0) {
    matVec(x0, Ap);
    it++;
    const xAx = dot(x0, Ap);
    const alpha = dot(x0, b) / xAx;
    if (Number.isFinite(alpha) && xAx > 0 && allFinite(Ap)) {
      for (let i = 0; i < dim; i++) {
        x[i] = alpha * x0[i];
        r[i] = b[i] - alpha * Ap[i];
      }
    }
  }
  const p = Float64Array.from(r);
  let rr = dot(r, r);
  while (it < iters) {
    if (rr < tol) break;
    matVec(p, Ap);
    const pAp = dot(p, Ap);
    it++;
    if (!(pAp > 0)) break;
    const alpha = rr / pAp;
    for (let i = 0; i < dim; i++) {
      x[i] += alpha * p[i];
      r[i] -= alpha * Ap[i];
    }
    const rrNew = dot(r, r);
    const beta = rrNew / rr;
    for (let i = 0; i < dim; i++) p[i] = r[i] + beta * p[i];
    rr = rrNew;
  }
  return { x, r, residual: rr, iterations: it };
}

function allFinite(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}

/** Plain sequential dot product. */
export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0, n = a.length; i < n; i++) s += a[i] * b[i];
  return s;
}
