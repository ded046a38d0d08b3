/**
 * Independent Bernoulli variables, p_j = sigmoid(z_j) (MultiBinary actions, each 0 or 1).
 * Outputs: the logits z (n). Twin: cpp/distributions/bernoulli.hpp. With log p = -softplus(-z)
 * and log(1 - p) = -softplus(z), everything stays finite for large |z|.
 */
import { requireLength, softplus, type ActionArray, type Distribution } from './distribution.js';

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export class Bernoulli implements Distribution {
  readonly outDim: number;
  readonly actionDim: number;
  readonly noiseDim: number;
  readonly noiseIsNormal = false;
  readonly numParameters = 0;

  constructor(readonly n: number) {
    this.outDim = this.actionDim = this.noiseDim = n;
  }

  checkActions(actions: ActionArray, rows: number): void {
    if (!ArrayBuffer.isView(actions)) throw new TypeError('actions: expected a TypedArray of 0/1 entries');
    requireLength(actions, rows * this.n, 'actions');
    for (let t = 0; t < actions.length; t++) {
      const x = actions[t];
      if (x !== 0 && x !== 1) throw new RangeError(`actions: entry ${t % this.n} of sample ${Math.floor(t / this.n)} is ${x}, expected 0 or 1`);
    }
  }

  /** log pi(a) = sum_j a_j log p_j + (1 - a_j) log(1 - p_j). */
  logProb(y: Float64Array, yo: number, _p: Float64Array, a: ArrayLike<number>, ao: number): number {
    let lp = 0;
    for (let j = 0; j < this.n; j++) lp -= softplus(a[ao + j] > 0 ? -y[yo + j] : y[yo + j]);
    return lp;
  }

  /** H = sum_j p_j softplus(-z_j) + (1 - p_j) softplus(z_j). */
  entropy(y: Float64Array, yo: number): number {
    let h = 0;
    for (let j = 0; j < this.n; j++) {
      const z = y[yo + j];
      const p = sigmoid(z);
      h += p * softplus(-z) + (1 - p) * softplus(z);
    }
    return h;
  }

  /** KL = sum_j p_o (log p_o - log p_n) + (1 - p_o) (log(1 - p_o) - log(1 - p_n)). */
  kl(yOld: Float64Array, yoOld: number, _pOld: Float64Array, y: Float64Array, yo: number): number {
    let sum = 0;
    for (let j = 0; j < this.n; j++) {
      const zo = yOld[yoOld + j];
      const zn = y[yo + j];
      const po = sigmoid(zo);
      sum += po * (softplus(-zn) - softplus(-zo)) + (1 - po) * (softplus(zn) - softplus(zo));
    }
    return sum;
  }

  /** dlogpi/dz_j = a_j - p_j. */
  logProbGradient(y: Float64Array, yo: number, _p: Float64Array, a: ArrayLike<number>, ao: number, scale: number, dy: Float64Array): void {
    for (let j = 0; j < this.n; j++) dy[j] = scale * (a[ao + j] - sigmoid(y[yo + j]));
  }

  /** dH/dz_j = -z_j p_j (1 - p_j). */
  entropyGradient(y: Float64Array, yo: number, _p: Float64Array, scale: number, dy: Float64Array): void {
    for (let j = 0; j < this.n; j++) {
      const z = y[yo + j];
      const p = sigmoid(z);
      dy[j] += scale * (-z * p * (1 - p));
    }
  }

  /** M = diag(p (1 - p)). */
  fisherWeight(y: Float64Array, _p: Float64Array, u: Float64Array, scale: number, out: Float64Array, rows: number): void {
    for (let t = 0, end = rows * this.n; t < end; t++) {
      const p = sigmoid(y[t]);
      out[t] = p * (1 - p) * u[t] * scale;
    }
  }

  parameterFisher(): void {}

  /** a_j = 1 when the uniform u_j < p_j. */
  sample(y: Float64Array, yo: number, p: Float64Array, noise: ArrayLike<number>, no: number, a: Float64Array, ao: number): number {
    for (let j = 0; j < this.n; j++) a[ao + j] = noise[no + j] < sigmoid(y[yo + j]) ? 1 : 0;
    return this.logProb(y, yo, p, a, ao);
  }

  /** a_j = 1 when p_j > 1/2 (z_j > 0). */
  mode(y: Float64Array, yo: number, p: Float64Array, a: Float64Array, ao: number): number {
    for (let j = 0; j < this.n; j++) a[ao + j] = y[yo + j] > 0 ? 1 : 0;
    return this.logProb(y, yo, p, a, ao);
  }
}
