/**
 * Orthogonal weight initialization, as PyTorch's `torch.nn.init.orthogonal_` (the scheme
 * Stable-Baselines3 uses for its MLP policies), drawing from this package's seeded `Random`.
 *
 * Gains used by SB3 (callers pass them per layer):
 * - hidden layers: sqrt(2)
 * - policy head (Gaussian means or categorical logits): 0.01
 * - value head: 1
 * Biases are 0. The Gaussian log_std (SB3 initializes it to 0) is not part of the returned vector.
 */

import type { Random } from '../random.js';

export interface InitLayer {
  /** Input width. */
  in: number;
  /** Output width. */
  out: number;
  /** Scale of the orthogonal matrix. */
  gain: number;
}

/** SB3's gains: sqrt(2) for hidden layers, 0.01 for the policy head, 1 for the value head. */
export const SB3_GAINS = Object.freeze({ hidden: Math.SQRT2, policyHead: 0.01, valueHead: 1 });

/**
 * Parameters of the given layers in PyTorch's nn.Linear layout (for each layer W (out x in,
 * row-major), then b (out)). Each W is made as orthogonal_ does: fill an out x in matrix with
 * standard normals (row-major, one `rng.normal()` per entry, layers in order), transpose it when
 * out < in, take its QR decomposition, multiply Q's columns by sign(diag(R)), transpose back, and
 * scale by gain. The rows (out <= in) or the columns (out >= in) of W are then orthogonal with
 * norm |gain|. Biases are 0 and take no random numbers.
 */
export function orthogonalInit(layers: readonly InitLayer[], rng: Random): Float64Array {
  if (!Array.isArray(layers)) throw new TypeError('layers: expected an array of { in, out, gain }');
  let total = 0;
  layers.forEach((layer, i) => {
    if (layer === null || typeof layer !== 'object') throw new TypeError(`layers[${i}]: expected { in, out, gain }`);
    for (const key of ['in', 'out'] as const) {
      if (!Number.isInteger(layer[key]) || layer[key] <= 0) {
        throw new RangeError(`layers[${i}].${key}: expected a positive integer, got ${String(layer[key])}`);
      }
    }
    if (typeof layer.gain !== 'number' || !Number.isFinite(layer.gain)) {
      throw new RangeError(`layers[${i}].gain: expected a finite number, got ${String(layer.gain)}`);
    }
    total += layer.in * layer.out + layer.out;
  });
  const params = new Float64Array(total);
  let offset = 0;
  for (const { in: cols, out: rows, gain } of layers) {
    const w = orthogonalMatrix(rows, cols, rng);
    for (let t = 0; t < rows * cols; t++) params[offset + t] = gain * w[t];
    offset += rows * cols + rows; // bias stays 0
  }
  return params;
}

/** A rows x cols (row-major) matrix with orthonormal rows or columns, as orthogonal_ with gain 1. */
function orthogonalMatrix(rows: number, cols: number, rng: Random): Float64Array {
  const flat = new Float64Array(rows * cols);
  for (let t = 0; t < flat.length; t++) flat[t] = rng.normal();
  const transpose = rows < cols;
  // Tall matrix A (m x k, m >= k), row-major.
  const m = transpose ? cols : rows;
  const k = transpose ? rows : cols;
  const a = transpose ? transposeOf(flat, rows, cols) : flat;
  const { q, rDiag } = householderQr(a, m, k);
  for (let j = 0; j < k; j++) {
    const sign = Math.sign(rDiag[j]);
    for (let i = 0; i < m; i++) q[i * k + j] *= sign;
  }
  return transpose ? transposeOf(q, m, k) : q;
}

function transposeOf(a: Float64Array, rows: number, cols: number): Float64Array {
  const t = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j];
  return t;
}

/**
 * Thin Householder QR of a tall m x k matrix (row-major, m >= k): returns Q (m x k, orthonormal
 * columns, row-major) and the diagonal of R (k).
 */
export function householderQr(input: Float64Array, m: number, k: number): { q: Float64Array; rDiag: Float64Array } {
  const a = Float64Array.from(input);
  const vs: Float64Array[] = [];
  const rDiag = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    // Householder vector for column j below the diagonal: v = x + sign(x0) |x| e1, R_jj = -sign(x0) |x|.
    let norm2 = 0;
    for (let i = j; i < m; i++) norm2 += a[i * k + j] * a[i * k + j];
    const norm = Math.sqrt(norm2);
    const x0 = a[j * k + j];
    const alpha = x0 >= 0 ? -norm : norm;
    const v = new Float64Array(m - j);
    for (let i = j; i < m; i++) v[i - j] = a[i * k + j];
    v[0] -= alpha;
    let vv = 0;
    for (let i = 0; i < v.length; i++) vv += v[i] * v[i];
    rDiag[j] = alpha;
    if (vv > 0) {
      // Apply H = I - 2 v v^T / (v^T v) to the remaining columns.
      for (let c = j; c < k; c++) {
        let s = 0;
        for (let i = j; i < m; i++) s += v[i - j] * a[i * k + c];
        const f = (2 * s) / vv;
        for (let i = j; i < m; i++) a[i * k + c] -= f * v[i - j];
      }
    }
    vs.push(vv > 0 ? v : new Float64Array(0));
  }
  // Q = H_0 H_1 ... H_{k-1} applied to the first k columns of the identity.
  const q = new Float64Array(m * k);
  for (let j = 0; j < k; j++) q[j * k + j] = 1;
  for (let j = k - 1; j >= 0; j--) {
    const v = vs[j];
    if (v.length === 0) continue;
    let vv = 0;
    for (let i = 0; i < v.length; i++) vv += v[i] * v[i];
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let i = j; i < m; i++) s += v[i - j] * q[i * k + c];
      const f = (2 * s) / vv;
      for (let i = j; i < m; i++) q[i * k + c] -= f * v[i - j];
    }
  }
  return { q, rDiag };
}

/**
 * PyTorch's default nn.Linear initialization (what SB3 uses with ortho_init=False): every weight
 * and bias of a layer with fan-in `in` uniform in [-1/sqrt(in), 1/sqrt(in)] (kaiming_uniform_ with
 * a = sqrt(5) gives exactly this bound for the weights). Drawn from the seeded `rng` in the flat
 * layout's order (per layer W row-major, then b).
 */
export function pytorchDefaultInit(widths: readonly number[], rng: Random): Float64Array {
  let total = 0;
  for (let l = 1; l < widths.length; l++) total += widths[l - 1] * widths[l] + widths[l];
  const params = new Float64Array(total);
  let offset = 0;
  for (let l = 1; l < widths.length; l++) {
    const fanIn = widths[l - 1];
    const bound = 1 / Math.sqrt(fanIn);
    const count = fanIn * widths[l] + widths[l];
    for (let t = 0; t < count; t++) params[offset + t] = bound * (2 * rng.uniform() - 1);
    offset += count;
  }
  return params;
}
