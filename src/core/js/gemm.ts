/**
 * Dense float64 matrix products over flat row-major typed arrays, for the MLP passes (./mlp.ts).
 * Each product is register-tiled: a 4 x 4 block of C is kept in 16 local accumulators while the
 * shared dimension is walked once, so every load feeds four multiply-adds instead of one (edges
 * use 4 x 1, 1 x 4 and 1 x 1 tiles). `gemmAtB`, whose shared dimension is the batch, also walks
 * the batch in blocks of BLOCK_ROWS rows so that both panels stay in cache while all tiles of C
 * are updated. No function allocates. Twin: the Eigen products of cpp/mlp.cpp.
 *
 * Offsets and leading dimensions (ld*) are in elements; a matrix X at offset x with leading
 * dimension ldx has X(i, j) = x[xo + i * ldx + j].
 */

/** Batch rows per cache block of gemmAtB (two panels of 256 x 64 float64 = 256 KiB). */
const BLOCK_ROWS = 256;

/**
 * C (m x n) = A (m x K) B^T, B being n x K (the forward pass: rows times W^T); with `accumulate`,
 * C += A B^T.
 */
export function gemmABt(
  m: number, n: number, K: number,
  a: Float64Array, ao: number, lda: number,
  b: Float64Array, bo: number, ldb: number,
  c: Float64Array, co: number, ldc: number,
  accumulate: boolean,
): void {
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    const a0 = ao + i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
    const c0 = co + i * ldc, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
    for (let j = 0; j < n4; j += 4) {
      const b0 = bo + j * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      for (let k = 0; k < K; k++) {
        const x0 = a[a0 + k], x1 = a[a1 + k], x2 = a[a2 + k], x3 = a[a3 + k];
        const w0 = b[b0 + k], w1 = b[b1 + k], w2 = b[b2 + k], w3 = b[b3 + k];
        s00 += x0 * w0; s01 += x0 * w1; s02 += x0 * w2; s03 += x0 * w3;
        s10 += x1 * w0; s11 += x1 * w1; s12 += x1 * w2; s13 += x1 * w3;
        s20 += x2 * w0; s21 += x2 * w1; s22 += x2 * w2; s23 += x2 * w3;
        s30 += x3 * w0; s31 += x3 * w1; s32 += x3 * w2; s33 += x3 * w3;
      }
      if (accumulate) {
        c[c0 + j] += s00; c[c0 + j + 1] += s01; c[c0 + j + 2] += s02; c[c0 + j + 3] += s03;
        c[c1 + j] += s10; c[c1 + j + 1] += s11; c[c1 + j + 2] += s12; c[c1 + j + 3] += s13;
        c[c2 + j] += s20; c[c2 + j + 1] += s21; c[c2 + j + 2] += s22; c[c2 + j + 3] += s23;
        c[c3 + j] += s30; c[c3 + j + 1] += s31; c[c3 + j + 2] += s32; c[c3 + j + 3] += s33;
      } else {
        c[c0 + j] = s00; c[c0 + j + 1] = s01; c[c0 + j + 2] = s02; c[c0 + j + 3] = s03;
        c[c1 + j] = s10; c[c1 + j + 1] = s11; c[c1 + j + 2] = s12; c[c1 + j + 3] = s13;
        c[c2 + j] = s20; c[c2 + j + 1] = s21; c[c2 + j + 2] = s22; c[c2 + j + 3] = s23;
        c[c3 + j] = s30; c[c3 + j + 1] = s31; c[c3 + j + 2] = s32; c[c3 + j + 3] = s33;
      }
    }
    for (let j = n4; j < n; j++) {
      const b0 = bo + j * ldb;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let k = 0; k < K; k++) {
        const w = b[b0 + k];
        s0 += a[a0 + k] * w; s1 += a[a1 + k] * w; s2 += a[a2 + k] * w; s3 += a[a3 + k] * w;
      }
      if (accumulate) {
        c[c0 + j] += s0; c[c1 + j] += s1; c[c2 + j] += s2; c[c3 + j] += s3;
      } else {
        c[c0 + j] = s0; c[c1 + j] = s1; c[c2 + j] = s2; c[c3 + j] = s3;
      }
    }
  }
  for (let i = m4; i < m; i++) {
    const a0 = ao + i * lda;
    const c0 = co + i * ldc;
    for (let j = 0; j < n4; j += 4) {
      const b0 = bo + j * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let k = 0; k < K; k++) {
        const x = a[a0 + k];
        s0 += x * b[b0 + k]; s1 += x * b[b1 + k]; s2 += x * b[b2 + k]; s3 += x * b[b3 + k];
      }
      if (accumulate) {
        c[c0 + j] += s0; c[c0 + j + 1] += s1; c[c0 + j + 2] += s2; c[c0 + j + 3] += s3;
      } else {
        c[c0 + j] = s0; c[c0 + j + 1] = s1; c[c0 + j + 2] = s2; c[c0 + j + 3] = s3;
      }
    }
    for (let j = n4; j < n; j++) {
      const b0 = bo + j * ldb;
      let s = 0;
      for (let k = 0; k < K; k++) s += a[a0 + k] * b[b0 + k];
      if (accumulate) c[c0 + j] += s;
      else c[c0 + j] = s;
    }
  }
}

/**
 * C (m x n) = A (m x K) B, B being K x n (the backward pass: deltas times W). Overwrites C.
 */
export function gemmAB(
  m: number, n: number, K: number,
  a: Float64Array, ao: number, lda: number,
  b: Float64Array, bo: number, ldb: number,
  c: Float64Array, co: number, ldc: number,
): void {
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    const a0 = ao + i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
    const c0 = co + i * ldc, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
    for (let j = 0; j < n4; j += 4) {
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      for (let k = 0, bk = bo + j; k < K; k++, bk += ldb) {
        const x0 = a[a0 + k], x1 = a[a1 + k], x2 = a[a2 + k], x3 = a[a3 + k];
        const w0 = b[bk], w1 = b[bk + 1], w2 = b[bk + 2], w3 = b[bk + 3];
        s00 += x0 * w0; s01 += x0 * w1; s02 += x0 * w2; s03 += x0 * w3;
        s10 += x1 * w0; s11 += x1 * w1; s12 += x1 * w2; s13 += x1 * w3;
        s20 += x2 * w0; s21 += x2 * w1; s22 += x2 * w2; s23 += x2 * w3;
        s30 += x3 * w0; s31 += x3 * w1; s32 += x3 * w2; s33 += x3 * w3;
      }
      c[c0 + j] = s00; c[c0 + j + 1] = s01; c[c0 + j + 2] = s02; c[c0 + j + 3] = s03;
      c[c1 + j] = s10; c[c1 + j + 1] = s11; c[c1 + j + 2] = s12; c[c1 + j + 3] = s13;
      c[c2 + j] = s20; c[c2 + j + 1] = s21; c[c2 + j + 2] = s22; c[c2 + j + 3] = s23;
      c[c3 + j] = s30; c[c3 + j + 1] = s31; c[c3 + j + 2] = s32; c[c3 + j + 3] = s33;
    }
    for (let j = n4; j < n; j++) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let k = 0, bk = bo + j; k < K; k++, bk += ldb) {
        const w = b[bk];
        s0 += a[a0 + k] * w; s1 += a[a1 + k] * w; s2 += a[a2 + k] * w; s3 += a[a3 + k] * w;
      }
      c[c0 + j] = s0; c[c1 + j] = s1; c[c2 + j] = s2; c[c3 + j] = s3;
    }
  }
  for (let i = m4; i < m; i++) {
    const a0 = ao + i * lda;
    const c0 = co + i * ldc;
    for (let j = 0; j < n4; j += 4) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let k = 0, bk = bo + j; k < K; k++, bk += ldb) {
        const x = a[a0 + k];
        s0 += x * b[bk]; s1 += x * b[bk + 1]; s2 += x * b[bk + 2]; s3 += x * b[bk + 3];
      }
      c[c0 + j] = s0; c[c0 + j + 1] = s1; c[c0 + j + 2] = s2; c[c0 + j + 3] = s3;
    }
    for (let j = n4; j < n; j++) {
      let s = 0;
      for (let k = 0, bk = bo + j; k < K; k++, bk += ldb) s += a[a0 + k] * b[bk];
      c[c0 + j] = s;
    }
  }
}

/**
 * C (m x n) += A^T B with A K x m and B K x n (the weight gradient: deltas^T times the layer's
 * input, summed over the K batch rows), walking the batch in blocks of BLOCK_ROWS rows.
 */
export function gemmAtB(
  m: number, n: number, K: number,
  a: Float64Array, ao: number, lda: number,
  b: Float64Array, bo: number, ldb: number,
  c: Float64Array, co: number, ldc: number,
): void {
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let k0 = 0; k0 < K; k0 += BLOCK_ROWS) {
    const k1 = Math.min(K, k0 + BLOCK_ROWS);
    for (let i = 0; i < m4; i += 4) {
      const c0 = co + i * ldc, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
      for (let j = 0; j < n4; j += 4) {
        let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
        let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
        for (let k = k0, ak = ao + k0 * lda + i, bk = bo + k0 * ldb + j; k < k1; k++, ak += lda, bk += ldb) {
          const x0 = a[ak], x1 = a[ak + 1], x2 = a[ak + 2], x3 = a[ak + 3];
          const w0 = b[bk], w1 = b[bk + 1], w2 = b[bk + 2], w3 = b[bk + 3];
          s00 += x0 * w0; s01 += x0 * w1; s02 += x0 * w2; s03 += x0 * w3;
          s10 += x1 * w0; s11 += x1 * w1; s12 += x1 * w2; s13 += x1 * w3;
          s20 += x2 * w0; s21 += x2 * w1; s22 += x2 * w2; s23 += x2 * w3;
          s30 += x3 * w0; s31 += x3 * w1; s32 += x3 * w2; s33 += x3 * w3;
        }
        c[c0 + j] += s00; c[c0 + j + 1] += s01; c[c0 + j + 2] += s02; c[c0 + j + 3] += s03;
        c[c1 + j] += s10; c[c1 + j + 1] += s11; c[c1 + j + 2] += s12; c[c1 + j + 3] += s13;
        c[c2 + j] += s20; c[c2 + j + 1] += s21; c[c2 + j + 2] += s22; c[c2 + j + 3] += s23;
        c[c3 + j] += s30; c[c3 + j + 1] += s31; c[c3 + j + 2] += s32; c[c3 + j + 3] += s33;
      }
      for (let j = n4; j < n; j++) {
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let k = k0, ak = ao + k0 * lda + i, bk = bo + k0 * ldb + j; k < k1; k++, ak += lda, bk += ldb) {
          const w = b[bk];
          s0 += a[ak] * w; s1 += a[ak + 1] * w; s2 += a[ak + 2] * w; s3 += a[ak + 3] * w;
        }
        c[c0 + j] += s0; c[c1 + j] += s1; c[c2 + j] += s2; c[c3 + j] += s3;
      }
    }
    for (let i = m4; i < m; i++) {
      const c0 = co + i * ldc;
      for (let j = 0; j < n4; j += 4) {
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let k = k0, ak = ao + k0 * lda + i, bk = bo + k0 * ldb + j; k < k1; k++, ak += lda, bk += ldb) {
          const x = a[ak];
          s0 += x * b[bk]; s1 += x * b[bk + 1]; s2 += x * b[bk + 2]; s3 += x * b[bk + 3];
        }
        c[c0 + j] += s0; c[c0 + j + 1] += s1; c[c0 + j + 2] += s2; c[c0 + j + 3] += s3;
      }
      for (let j = n4; j < n; j++) {
        let s = 0;
        for (let k = k0, ak = ao + k0 * lda + i, bk = bo + k0 * ldb + j; k < k1; k++, ak += lda, bk += ldb) s += a[ak] * b[bk];
        c[c0 + j] += s;
      }
    }
  }
}
