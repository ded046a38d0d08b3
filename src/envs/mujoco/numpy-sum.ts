/**
 * Sums in numpy's order, so rewards summed over many terms match Gymnasium's to the last bit.
 *
 * `np.sum` of a contiguous float64 array (any shape, flattened) is a pairwise sum: blocks of
 * fewer than 8 numbers are added left to right; blocks of up to 128 use 8 interleaved partial
 * sums combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)), then the leftover tail; longer blocks
 * split in two at a multiple of 8. (Checked against numpy 2.4 for lengths 1–300.)
 */

/** numpy's pairwise sum of `n` numbers of `f(i)`, i = lo .. lo+n-1. */
function pairwise(f: (i: number) => number, lo: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = lo; i < lo + n; i++) res += f(i);
    return res;
  }
  if (n <= 128) {
    const r = [f(lo), f(lo + 1), f(lo + 2), f(lo + 3), f(lo + 4), f(lo + 5), f(lo + 6), f(lo + 7)];
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (let j = 0; j < 8; j++) r[j] += f(lo + i + j);
    }
    let res = r[0] + r[1] + (r[2] + r[3]) + (r[4] + r[5] + (r[6] + r[7]));
    for (; i < n; i++) res += f(lo + i);
    return res;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return pairwise(f, lo, half) + pairwise(f, lo + half, n - half);
}

/** `np.sum(values)`. */
export function numpySum(values: ArrayLike<number>): number {
  return pairwise((i) => values[i], 0, values.length);
}

/** `np.sum(np.square(values))`. */
export function sumOfSquares(values: ArrayLike<number>): number {
  return pairwise((i) => values[i] * values[i], 0, values.length);
}

/** Dekker's error-free product (no FMA in JavaScript): a·b = p + e exactly. */
function twoProduct(a: number, b: number): [number, number] {
  const p = a * b;
  const ca = 134217729 * a; // 2^27 + 1 splits a double into two 26-bit halves
  const ah = ca - (ca - a);
  const al = a - ah;
  const cb = 134217729 * b;
  const bh = cb - (cb - b);
  const bl = b - bh;
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

/** The fused multiply-add a·b + c rounded once (emulated: exact product, then error-free sums). */
export function fusedMultiplyAdd(a: number, b: number, c: number): number {
  const [p, e] = twoProduct(a, b);
  const s = p + c;
  const bb = s - p;
  const t = p - (s - bb) + (c - bb);
  return s + (t + e);
}

/**
 * `np.linalg.norm(v)` of a short vector as numpy computed it for the reference trajectories: the
 * square root of BLAS's dot product, which OpenBLAS's SkylakeX kernel (the reference machine's)
 * sums as a chain of fused multiply-adds, x0² then fma(x1, x1, ·), fma(x2, x2, ·), ... Other
 * kernels (e.g. Haswell: plain x0² + x1² + ...) differ in the last bit now and then.
 */
export function norm(values: ArrayLike<number>): number {
  if (values.length === 0) return 0;
  let s = values[0] * values[0];
  for (let i = 1; i < values.length; i++) s = fusedMultiplyAdd(values[i], values[i], s);
  return Math.sqrt(s);
}
