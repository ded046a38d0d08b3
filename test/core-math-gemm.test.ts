// The JS backend's matrix kernels (src/core/js/gemm.ts) against plain triple loops, on random
// shapes that cover the 4 x 4 tiles, every edge (4 x 1, 1 x 4, 1 x 1) and, for gemmAtB, more
// batch rows than one cache block; with offsets and leading dimensions wider than the matrices,
// and checking that nothing outside C is written.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gemmAB, gemmABt, gemmAtB } from '../src/core/js/gemm.js';
import { Random } from '../src/random.js';

const shape = fc.record({
  m: fc.integer({ min: 1, max: 13 }),
  n: fc.integer({ min: 1, max: 13 }),
  K: fc.integer({ min: 1, max: 600 }),
  pad: fc.integer({ min: 0, max: 3 }),
  offset: fc.integer({ min: 0, max: 5 }),
  accumulate: fc.boolean(),
  seed: fc.integer({ min: 0, max: 2 ** 31 }),
});

function filled(rng: Random, length: number): Float64Array {
  return Float64Array.from({ length }, () => rng.normal());
}

/** Every entry of C, inside the product block and outside it (which must be left as it was). */
function expectMatch(c: Float64Array, want: Float64Array): void {
  for (let i = 0; i < c.length; i++) {
    const tol = 1e-12 * Math.max(1, Math.abs(want[i]));
    if (!(Math.abs(c[i] - want[i]) <= tol)) throw new Error(`C[${i}]: got ${c[i]}, expected ${want[i]}`);
  }
}

describe('JS matrix kernels against triple loops', () => {
  it('gemmABt: C (=|+=) A B^T', () => {
    fc.assert(fc.property(shape, ({ m, n, K, pad, offset, accumulate, seed }) => {
      const rng = new Random(seed);
      const lda = K + pad;
      const ldb = K + pad;
      const ldc = n + pad;
      const a = filled(rng, offset + m * lda);
      const b = filled(rng, offset + n * ldb);
      const c = filled(rng, offset + m * ldc + 2);
      const want = Float64Array.from(c);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += a[offset + i * lda + k] * b[offset + j * ldb + k];
        want[offset + i * ldc + j] = (accumulate ? want[offset + i * ldc + j] : 0) + s;
      }
      gemmABt(m, n, K, a, offset, lda, b, offset, ldb, c, offset, ldc, accumulate);
      expectMatch(c, want);
    }), { numRuns: 150 });
  });

  it('gemmAB: C = A B', () => {
    fc.assert(fc.property(shape, ({ m, n, K, pad, offset, seed }) => {
      const rng = new Random(seed);
      const lda = K + pad;
      const ldb = n + pad;
      const ldc = n + pad;
      const a = filled(rng, offset + m * lda);
      const b = filled(rng, offset + K * ldb);
      const c = filled(rng, offset + m * ldc + 2);
      const want = Float64Array.from(c);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += a[offset + i * lda + k] * b[offset + k * ldb + j];
        want[offset + i * ldc + j] = s;
      }
      gemmAB(m, n, K, a, offset, lda, b, offset, ldb, c, offset, ldc);
      expectMatch(c, want);
    }), { numRuns: 150 });
  });

  it('gemmAtB: C += A^T B, over more rows than a cache block', () => {
    fc.assert(fc.property(shape, ({ m, n, K, pad, offset, seed }) => {
      const rng = new Random(seed);
      const lda = m + pad;
      const ldb = n + pad;
      const ldc = n + pad;
      const a = filled(rng, offset + K * lda);
      const b = filled(rng, offset + K * ldb);
      const c = filled(rng, offset + m * ldc + 2);
      const want = Float64Array.from(c);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += a[offset + k * lda + i] * b[offset + k * ldb + j];
        want[offset + i * ldc + j] += s;
      }
      gemmAtB(m, n, K, a, offset, lda, b, offset, ldb, c, offset, ldc);
      expectMatch(c, want);
    }), { numRuns: 150 });
  });
});
