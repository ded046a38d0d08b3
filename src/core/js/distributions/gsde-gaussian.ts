/**
 * The gSDE Gaussian (generalized state-dependent exploration, Raffin et al. 2021; SB3's
 * StateDependentNoiseDistribution): actions a = mu(s) + phi(s)^T W with an exploration matrix
 * W (latentDim x actDim) of N(0, std^2) entries held fixed between resamples, phi(s) the latent
 * features (the policy's last hidden layer). Given s, a ~ N(mu, diag(var)) with
 *   var_j(s) = sum_i phi_i^2 std_ij^2 + 1e-6,
 * std = exp(logStd) (or expln(logStd) = logStd <= 0 ? exp(logStd) : 1 + log1p(logStd)).
 * Outputs read per state: y = [mu (actDim) | phi (latentDim)]; parameters: logStd, latentDim x
 * actDim row-major (fullStd) or latentDim (one std per latent feature, shared by the actions).
 * Noise per state: latentDim x actDim standard normals eps, W = std * eps.
 * Twin: cpp/distributions/gsde_gaussian.hpp.
 *
 * The Fisher matrix in (mu, var) is diag(1/var, 1/(2 var^2)) (Gaussian), so in the outputs and
 * parameters M = dvar^T diag(1/(2 var^2)) dvar + diag(1/var) on mu: it varies with the state and
 * couples phi and logStd through var. Without learnFeatures the policy detaches phi (no gradient
 * and no Fisher through it), as SB3 does.
 */
import { LOG_2PI, requireFloat, requireLength, type ActionArray, type Distribution } from './distribution.js';

export const GSDE_EPSILON = 1e-6;

export interface GsdeOptions {
  actDim: number;
  latentDim: number;
  fullStd: boolean;
  useExpln: boolean;
  learnFeatures: boolean;
}

export class GsdeGaussian implements Distribution {
  readonly outDim: number;
  readonly actionDim: number;
  readonly noiseDim: number;
  readonly noiseIsNormal = true;
  readonly numParameters: number;
  readonly actDim: number;
  readonly latentDim: number;
  readonly fullStd: boolean;
  readonly useExpln: boolean;
  readonly learnFeatures: boolean;
  /** Per-call scratch: variances (actDim), std and dstd/dlogStd (latentDim x actDim). */
  private readonly variance: Float64Array;
  private readonly std: Float64Array;
  private readonly dStd: Float64Array;
  private readonly varianceOld: Float64Array;

  constructor(o: GsdeOptions) {
    this.actDim = o.actDim;
    this.latentDim = o.latentDim;
    this.fullStd = o.fullStd;
    this.useExpln = o.useExpln;
    this.learnFeatures = o.learnFeatures;
    this.outDim = o.actDim + o.latentDim;
    this.actionDim = o.actDim;
    this.noiseDim = o.latentDim * o.actDim;
    this.numParameters = o.fullStd ? o.latentDim * o.actDim : o.latentDim;
    this.variance = new Float64Array(o.actDim);
    this.varianceOld = new Float64Array(o.actDim);
    this.std = new Float64Array(o.latentDim * o.actDim);
    this.dStd = new Float64Array(o.latentDim * o.actDim);
  }

  checkActions(actions: ActionArray, n: number): void {
    requireFloat(actions, 'actions');
    requireLength(actions, n * this.actDim, 'actions');
  }

  /** std_ij and dstd_ij/dlogStd (latentDim x actDim) from the parameters. */
  private stdOf(logStd: Float64Array, std: Float64Array, dStd: Float64Array | null): void {
    const { latentDim: L, actDim: A } = this;
    for (let i = 0; i < L; i++) {
      for (let j = 0; j < A; j++) {
        const x = logStd[this.fullStd ? i * A + j : i];
        let s: number;
        let ds: number;
        if (!this.useExpln || x <= 0) {
          s = Math.exp(x);
          ds = s;
        } else {
          s = 1 + Math.log1p(x);
          ds = 1 / (1 + x);
        }
        std[i * A + j] = s;
        if (dStd) dStd[i * A + j] = ds;
      }
    }
  }

  /** var_j = sum_i phi_i^2 std_ij^2 + eps, for the row y[yo ..] (phi after the actDim means). */
  private varianceOf(y: Float64Array, yo: number, std: Float64Array, out: Float64Array): void {
    const { latentDim: L, actDim: A } = this;
    for (let j = 0; j < A; j++) {
      let v = 0;
      for (let i = 0; i < L; i++) {
        const phi = y[yo + A + i];
        const s = std[i * A + j];
        v += phi * phi * s * s;
      }
      out[j] = v + GSDE_EPSILON;
    }
  }

  logProb(y: Float64Array, yo: number, logStd: Float64Array, a: ArrayLike<number>, ao: number): number {
    this.stdOf(logStd, this.std, null);
    this.varianceOf(y, yo, this.std, this.variance);
    let lp = 0;
    for (let j = 0; j < this.actDim; j++) {
      const d = a[ao + j] - y[yo + j];
      lp += -0.5 * (d * d) / this.variance[j] - 0.5 * Math.log(this.variance[j]) - 0.5 * LOG_2PI;
    }
    return lp;
  }

  entropy(y: Float64Array, yo: number, logStd: Float64Array): number {
    this.stdOf(logStd, this.std, null);
    this.varianceOf(y, yo, this.std, this.variance);
    let h = 0;
    for (let j = 0; j < this.actDim; j++) h += 0.5 + 0.5 * LOG_2PI + 0.5 * Math.log(this.variance[j]);
    return h;
  }

  /** KL(N(mo, vo) || N(mn, vn)) = (log(vn / vo) + (vo + (mo - mn)^2) / vn - 1) / 2, per dimension. */
  kl(yOld: Float64Array, yoOld: number, logStdOld: Float64Array, y: Float64Array, yo: number, logStd: Float64Array): number {
    this.stdOf(logStdOld, this.std, null);
    this.varianceOf(yOld, yoOld, this.std, this.varianceOld);
    this.stdOf(logStd, this.std, null);
    this.varianceOf(y, yo, this.std, this.variance);
    let sum = 0;
    for (let j = 0; j < this.actDim; j++) {
      const vo = this.varianceOld[j];
      const vn = this.variance[j];
      const d = yOld[yoOld + j] - y[yo + j];
      sum += 0.5 * (Math.log(vn / vo) + (vo + d * d) / vn - 1);
    }
    return sum;
  }

  /**
   * Given g_j = dX/dvar_j for the row, adds scale * dX/dphi (into dy after the means) and
   * scale * dX/dlogStd (into dp): dvar_j/dphi_i = 2 phi_i std_ij^2, dvar_j/dlogStd_ij = 2 phi_i^2 std_ij dstd_ij.
   */
  private addThroughVariance(y: Float64Array, yo: number, g: Float64Array, scale: number, dy: Float64Array, dp: Float64Array): void {
    const { latentDim: L, actDim: A, std, dStd } = this;
    for (let i = 0; i < L; i++) {
      const phi = y[yo + A + i];
      let dPhi = 0;
      for (let j = 0; j < A; j++) {
        const s = std[i * A + j];
        dPhi += g[j] * 2 * phi * s * s;
        dp[this.fullStd ? i * A + j : i] += scale * g[j] * 2 * phi * phi * s * dStd[i * A + j];
      }
      dy[A + i] += scale * dPhi;
    }
  }

  /** dlogpi/dmu = (a - mu) / var; dlogpi/dvar = ((a - mu)^2 / var - 1) / (2 var). */
  logProbGradient(y: Float64Array, yo: number, logStd: Float64Array, a: ArrayLike<number>, ao: number, scale: number, dy: Float64Array, dp: Float64Array): void {
    this.stdOf(logStd, this.std, this.dStd);
    this.varianceOf(y, yo, this.std, this.variance);
    const g = this.varianceOld;  // scratch: dlogpi/dvar
    for (let j = 0; j < this.actDim; j++) {
      const d = a[ao + j] - y[yo + j];
      const v = this.variance[j];
      dy[j] = scale * (d / v);
      g[j] = (d * d / v - 1) / (2 * v);
    }
    for (let i = 0; i < this.latentDim; i++) dy[this.actDim + i] = 0;
    this.addThroughVariance(y, yo, g, scale, dy, dp);
  }

  /** dH/dvar_j = 1 / (2 var_j); H does not depend on mu. */
  entropyGradient(y: Float64Array, yo: number, logStd: Float64Array, scale: number, dy: Float64Array, dp: Float64Array): void {
    this.stdOf(logStd, this.std, this.dStd);
    this.varianceOf(y, yo, this.std, this.variance);
    const g = this.varianceOld;
    for (let j = 0; j < this.actDim; j++) g[j] = 1 / (2 * this.variance[j]);
    this.addThroughVariance(y, yo, g, scale, dy, dp);
  }

  /**
   * Row by row, with the tangent (u, vp) of the outputs and the parameters: dvar = dvar/dphi u_phi
   * + dvar/dlogStd vp; out_mu = scale u_mu / var, and the weight w = scale dvar / (2 var^2) sent
   * back through dvar into out_phi and outP (added).
   */
  fisherWeight(y: Float64Array, logStd: Float64Array, u: Float64Array, scale: number, out: Float64Array, rows: number, vp?: Float64Array, outP?: Float64Array): void {
    const { latentDim: L, actDim: A, outDim: W } = this;
    this.stdOf(logStd, this.std, this.dStd);
    const w = this.varianceOld;
    for (let r = 0; r < rows; r++) {
      const o = r * W;
      this.varianceOf(y, o, this.std, this.variance);
      for (let j = 0; j < A; j++) {
        let dv = 0;
        for (let i = 0; i < L; i++) {
          const phi = y[o + A + i];
          const s = this.std[i * A + j];
          dv += 2 * phi * s * s * u[o + A + i];
          if (vp) dv += 2 * phi * phi * s * this.dStd[i * A + j] * vp[this.fullStd ? i * A + j : i];
        }
        const v = this.variance[j];
        out[o + j] = scale * (u[o + j] / v);
        w[j] = dv / (2 * v * v);
      }
      for (let i = 0; i < L; i++) out[o + A + i] = 0;
      this.addThroughVariance(y, o, w, scale, out.subarray(o), outP ?? new Float64Array(this.numParameters));
    }
  }

  parameterFisher(): void {}

  /** a = mu + phi^T W, W_ij = std_ij eps_ij; its log-probability under N(mu, var). */
  sample(y: Float64Array, yo: number, logStd: Float64Array, eps: ArrayLike<number>, no: number, a: Float64Array, ao: number): number {
    const { latentDim: L, actDim: A } = this;
    this.stdOf(logStd, this.std, null);
    for (let j = 0; j < A; j++) {
      let noise = 0;
      for (let i = 0; i < L; i++) noise += y[yo + A + i] * (this.std[i * A + j] * eps[no + i * A + j]);
      a[ao + j] = y[yo + j] + noise;
    }
    return this.logProb(y, yo, logStd, a, ao);
  }

  mode(y: Float64Array, yo: number, logStd: Float64Array, a: Float64Array, ao: number): number {
    for (let j = 0; j < this.actDim; j++) a[ao + j] = y[yo + j];
    return this.logProb(y, yo, logStd, a, ao);
  }
}
