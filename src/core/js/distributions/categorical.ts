/**
 * Categorical distribution over K actions, p = softmax(logits) (Discrete actions).
 * Outputs: the logits (K). Twin: cpp/distributions/categorical.hpp. The functions on a block of
 * logits (offset into a wider row) are shared with MultiCategorical.
 */
import { logSoftmax, requireIndices, requireLength, type ActionArray, type Distribution } from './distribution.js';

/** Scratch rows for the log-softmax (the JS backend is single-threaded). */
let rowA = new Float64Array(16);
let rowB = new Float64Array(16);
function scratch(k: number): [Float64Array, Float64Array] {
  if (rowA.length < k) {
    rowA = new Float64Array(k);
    rowB = new Float64Array(k);
  }
  return [rowA, rowB];
}

export function logProb(z: Float64Array, zo: number, k: number, action: number): number {
  const [lp] = scratch(k);
  logSoftmax(z, zo, k, lp);
  return lp[action];
}

export function entropy(z: Float64Array, zo: number, k: number): number {
  const [lp] = scratch(k);
  logSoftmax(z, zo, k, lp);
  let h = 0;
  for (let j = 0; j < k; j++) h -= Math.exp(lp[j]) * lp[j];
  return h;
}

/** KL = sum_j p_old,j (log p_old,j - log p_new,j). */
export function kl(zOld: Float64Array, zoOld: number, z: Float64Array, zo: number, k: number): number {
  const [lpOld, lpNew] = scratch(k);
  logSoftmax(zOld, zoOld, k, lpOld);
  logSoftmax(z, zo, k, lpNew);
  let sum = 0;
  for (let j = 0; j < k; j++) sum += Math.exp(lpOld[j]) * (lpOld[j] - lpNew[j]);
  return sum;
}

/** dlogp_a/dz_j = [j == a] - p_j, into dz[dzo ..]. */
export function logProbGradient(z: Float64Array, zo: number, k: number, action: number, scale: number, dz: Float64Array, dzo: number): void {
  const [lp] = scratch(k);
  logSoftmax(z, zo, k, lp);
  for (let j = 0; j < k; j++) dz[dzo + j] = scale * ((j === action ? 1 : 0) - Math.exp(lp[j]));
}

/** dH/dz_j = -p_j (log p_j + H), added into dz[dzo ..]. */
export function entropyGradient(z: Float64Array, zo: number, k: number, scale: number, dz: Float64Array, dzo: number): void {
  const [lp] = scratch(k);
  logSoftmax(z, zo, k, lp);
  let h = 0;
  for (let j = 0; j < k; j++) h -= Math.exp(lp[j]) * lp[j];
  for (let j = 0; j < k; j++) dz[dzo + j] += scale * (-Math.exp(lp[j]) * (lp[j] + h));
}

/** (M u)_j = p_j (u_j - p.u): M = diag(p) - p p^T, on the block at offset o of the rows. */
export function fisherWeight(z: Float64Array, u: Float64Array, o: number, k: number, scale: number, out: Float64Array): void {
  const [lp] = scratch(k);
  logSoftmax(z, o, k, lp);
  let pu = 0;
  for (let j = 0; j < k; j++) pu += Math.exp(lp[j]) * u[o + j];
  for (let j = 0; j < k; j++) out[o + j] = Math.exp(lp[j]) * (u[o + j] - pu) * scale;
}

/** Inverse CDF at the uniform: the first j with p_0 + ... + p_j > uniform. Returns [action, log p]. */
export function sample(z: Float64Array, zo: number, k: number, uniform: number): [number, number] {
  const [lp] = scratch(k);
  logSoftmax(z, zo, k, lp);
  let cumulative = 0;
  let pick = k - 1;
  for (let j = 0; j < k; j++) {
    cumulative += Math.exp(lp[j]);
    if (uniform < cumulative) { pick = j; break; }
  }
  return [pick, lp[pick]];
}

export function mode(z: Float64Array, zo: number, k: number): [number, number] {
  const [lp] = scratch(k);
  logSoftmax(z, zo, k, lp);
  let pick = 0;
  for (let j = 1; j < k; j++) if (lp[j] > lp[pick]) pick = j;
  return [pick, lp[pick]];
}

export class Categorical implements Distribution {
  readonly outDim: number;
  readonly actionDim = 1;
  readonly noiseDim = 1;
  readonly noiseIsNormal = false;
  readonly numParameters = 0;

  constructor(readonly nActions: number) {
    this.outDim = nActions;
  }

  checkActions(actions: ActionArray, n: number): void {
    requireIndices(actions, 'action indices');
    requireLength(actions, n, 'actions');
    for (let i = 0; i < n; i++) {
      const x = actions[i];
      if (!(x >= 0 && x < this.nActions)) throw new RangeError(`actions: index ${x} at position ${i} is outside [0, ${this.nActions})`);
    }
  }

  logProb(y: Float64Array, yo: number, _p: Float64Array, a: ArrayLike<number>, ao: number): number {
    return logProb(y, yo, this.nActions, a[ao]);
  }
  entropy(y: Float64Array, yo: number): number {
    return entropy(y, yo, this.nActions);
  }
  kl(yOld: Float64Array, yoOld: number, _pOld: Float64Array, y: Float64Array, yo: number): number {
    return kl(yOld, yoOld, y, yo, this.nActions);
  }
  logProbGradient(y: Float64Array, yo: number, _p: Float64Array, a: ArrayLike<number>, ao: number, scale: number, dy: Float64Array): void {
    logProbGradient(y, yo, this.nActions, a[ao], scale, dy, 0);
  }
  entropyGradient(y: Float64Array, yo: number, _p: Float64Array, scale: number, dy: Float64Array): void {
    entropyGradient(y, yo, this.nActions, scale, dy, 0);
  }
  fisherWeight(y: Float64Array, _p: Float64Array, u: Float64Array, scale: number, out: Float64Array, rows: number): void {
    const k = this.nActions;
    for (let r = 0; r < rows; r++) fisherWeight(y, u, r * k, k, scale, out);
  }
  parameterFisher(): void {}
  sample(y: Float64Array, yo: number, _p: Float64Array, noise: ArrayLike<number>, no: number, a: Float64Array, ao: number): number {
    const [pick, lp] = sample(y, yo, this.nActions, noise[no]);
    a[ao] = pick;
    return lp;
  }
  mode(y: Float64Array, yo: number, _p: Float64Array, a: Float64Array, ao: number): number {
    const [pick, lp] = mode(y, yo, this.nActions);
    a[ao] = pick;
    return lp;
  }
}
