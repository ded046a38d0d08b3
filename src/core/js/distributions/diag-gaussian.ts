/**
 * Diagonal Gaussian N(mu, diag(sigma^2)) with a state-independent log sigma (Box actions).
 * Outputs: the means mu (actDim); parameters: log sigma (actDim). Twin: cpp/distributions/diag_gaussian.hpp.
 */
import { LOG_2PI, requireFloat, requireLength, type ActionArray, type Distribution } from './distribution.js';

export class DiagGaussian implements Distribution {
  readonly outDim: number;
  readonly actionDim: number;
  readonly noiseDim: number;
  readonly noiseIsNormal = true;
  readonly numParameters: number;
  private readonly weight: Float64Array;

  constructor(readonly actDim: number) {
    this.outDim = this.actionDim = this.noiseDim = this.numParameters = actDim;
    this.weight = new Float64Array(actDim);
  }

  checkActions(actions: ActionArray, n: number): void {
    requireFloat(actions, 'actions');
    requireLength(actions, n * this.actDim, 'actions');
  }

  /** log N(a; mu, sigma^2) = sum_j -z_j^2 / 2 - log sigma_j - log(2 pi) / 2, z = (a - mu) / sigma. */
  logProb(y: Float64Array, yo: number, logStd: Float64Array, a: ArrayLike<number>, ao: number): number {
    let lp = 0;
    for (let j = 0; j < this.actDim; j++) {
      const z = (a[ao + j] - y[yo + j]) * Math.exp(-logStd[j]);
      lp += -0.5 * z * z - logStd[j] - 0.5 * LOG_2PI;
    }
    return lp;
  }

  entropy(_y: Float64Array, _yo: number, logStd: Float64Array): number {
    let h = 0;
    for (let j = 0; j < this.actDim; j++) h += 0.5 + 0.5 * LOG_2PI + logStd[j];
    return h;
  }

  /** KL(N(mo, so^2) || N(mn, sn^2)) = log(sn/so) + (so^2 + (mo - mn)^2) / (2 sn^2) - 1/2, per dimension. */
  kl(yOld: Float64Array, yoOld: number, logStdOld: Float64Array, y: Float64Array, yo: number, logStd: Float64Array): number {
    let sum = 0;
    for (let j = 0; j < this.actDim; j++) {
      const sNew = Math.exp(logStd[j]);
      const sOld = Math.exp(logStdOld[j]);
      const diff = yOld[yoOld + j] - y[yo + j];
      sum += logStd[j] - logStdOld[j] + (sOld * sOld + diff * diff) / (2 * sNew * sNew) - 0.5;
    }
    return sum;
  }

  /** dlogpi/dmu = (a - mu) / sigma^2, dlogpi/dlog sigma = z^2 - 1. */
  logProbGradient(y: Float64Array, yo: number, logStd: Float64Array, a: ArrayLike<number>, ao: number, scale: number, dy: Float64Array, dLogStd: Float64Array): void {
    for (let j = 0; j < this.actDim; j++) {
      const invStd = Math.exp(-logStd[j]);
      const z = (a[ao + j] - y[yo + j]) * invStd;
      dy[j] = scale * z * invStd;
      dLogStd[j] += scale * (z * z - 1);
    }
  }

  /** dH/dlog sigma_j = 1; H does not depend on mu. */
  entropyGradient(_y: Float64Array, _yo: number, _p: Float64Array, scale: number, _dy: Float64Array, dLogStd: Float64Array): void {
    for (let j = 0; j < this.actDim; j++) dLogStd[j] += scale;
  }

  /** M = diag(1 / sigma^2) on the means. */
  fisherWeight(_y: Float64Array, logStd: Float64Array, u: Float64Array, scale: number, out: Float64Array, rows: number): void {
    const d = this.actDim;
    const w = this.weight;
    for (let j = 0; j < d; j++) w[j] = Math.exp(-2 * logStd[j]) * scale;
    for (let i = 0; i < rows; i++) for (let j = 0; j < d; j++) out[i * d + j] = u[i * d + j] * w[j];
  }

  /** The Fisher of log sigma is exactly 2 per entry (and 0 between mu and log sigma). */
  parameterFisher(_p: Float64Array, v: Float64Array, out: Float64Array): void {
    for (let j = 0; j < this.actDim; j++) out[j] = 2 * v[j];
  }

  /** a = mu + sigma * eps; log pi(a) from eps directly. */
  sample(y: Float64Array, yo: number, logStd: Float64Array, eps: ArrayLike<number>, no: number, a: Float64Array, ao: number): number {
    let lp = 0;
    for (let j = 0; j < this.actDim; j++) {
      const e = eps[no + j];
      a[ao + j] = y[yo + j] + Math.exp(logStd[j]) * e;
      lp += -0.5 * e * e - logStd[j] - 0.5 * LOG_2PI;
    }
    return lp;
  }

  mode(y: Float64Array, yo: number, logStd: Float64Array, a: Float64Array, ao: number): number {
    let lp = 0;
    for (let j = 0; j < this.actDim; j++) {
      const e = 0;
      a[ao + j] = y[yo + j] + Math.exp(logStd[j]) * e;
      lp += -0.5 * e * e - logStd[j] - 0.5 * LOG_2PI;
    }
    return lp;
  }
}
