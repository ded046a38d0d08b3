/**
 * Pure TypeScript policy core (float64): an MLP over an action distribution (./distributions/).
 * Implements the `PolicyCore` contract of `../types.ts` with the same algorithms as the native
 * backend (cpp/policy.cpp): the batching of log-probabilities, the surrogate and its gradient, the
 * mean KL, the analytic Fisher-vector product and the TRPO step, in the same order, with the same
 * stopping rules and the same argument checks.
 */

import { conjugateGradient, dot } from '../cg.js';
import type {
  DistributionSpec, FisherSolveOptions, FloatArray, IndexArray, NetworkSpec, PolicyBatch, PolicyCore, PolicyKind,
  TrpoStepOptions, TrpoStepStats, ValueCore,
} from '../types.js';
import { makeDistribution, type Distribution } from './distributions/index.js';
import { requireFloat, requireLength } from './distributions/distribution.js';
import { Mlp } from './mlp.js';

function allFinite(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}

/** n must be an integer >= 1 (the native binding's integerOf check, same message). */
export function requireRows(n: number): void {
  if (typeof n !== 'number') throw new TypeError('n: expected a number');
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n: expected an integer >= 1, got ${String(n)}`);
}

export class JsPolicyCore implements PolicyCore {
  readonly kind: PolicyKind;
  readonly numParameters: number;
  readonly obsDim: number;
  /** Network outputs per state. */
  readonly outDim: number;
  readonly actionDim: number;
  readonly noiseDim: number;
  /** The action distribution over the network outputs. */
  readonly distribution: Distribution;
  /** Parameters of the network (the distribution's own parameters follow them). */
  private readonly netParameters: number;
  private readonly params: Float64Array;
  /** The distribution's parameters: a view of the tail of params. */
  private readonly distParams: Float64Array;
  /** Workspace of forward/backward passes at the current parameters. */
  private readonly net: Mlp;
  /** Workspace of forward passes at other parameters (meanKl's pi_old). */
  private readonly oldNet: Mlp;
  /** Workspace holding the activations of the Fisher-vector products. */
  private readonly fvpNet: Mlp;
  /** dL/dOutput and FVP output-space buffers (n x outDim). */
  private dOut = new Float64Array(0);
  /** One row of output gradient (the distribution's row width) and the distribution-parameter gradient. */
  private readonly dy: Float64Array;
  private readonly dParams: Float64Array;
  /** Values the distribution reads per state: the network outputs, then the latent features (gSDE). */
  private readonly rowWidth: number;
  private readonly latentDim: number;
  private readonly learnFeatures: boolean;
  /** Rows [outputs | latent] of each workspace (gSDE only), and gradient/tangent scratch. */
  private readonly rows = new Map<Mlp, Float64Array>();
  private dLatent = new Float64Array(0);
  private rowTangent = new Float64Array(0);
  /** The last trpoStep's CG solution, the start of the next CG with cgWarmStart. */
  private lastDirection: Float64Array | null = null;

  constructor(dist: DistributionSpec, spec: NetworkSpec) {
    this.kind = dist.kind;
    this.net = new Mlp(spec.inDim, spec.hiddenSizes, spec.outDim, spec.activationFn);
    this.distribution = makeDistribution(dist, spec.outDim, this.net.latentDim);
    this.rowWidth = this.distribution.outDim;
    this.latentDim = this.distribution.latentDim ?? 0;
    this.learnFeatures = this.distribution.learnFeatures ?? false;
    this.oldNet = new Mlp(spec.inDim, spec.hiddenSizes, spec.outDim, spec.activationFn);
    this.fvpNet = new Mlp(spec.inDim, spec.hiddenSizes, spec.outDim, spec.activationFn);
    this.obsDim = spec.inDim;
    this.outDim = spec.outDim;
    this.actionDim = this.distribution.actionDim;
    this.noiseDim = this.distribution.noiseDim;
    this.netParameters = this.net.numParameters;
    this.numParameters = this.netParameters + this.distribution.numParameters;
    this.params = new Float64Array(this.numParameters);
    this.distParams = this.params.subarray(this.netParameters);
    this.dy = new Float64Array(this.rowWidth);
    this.dParams = new Float64Array(this.distribution.numParameters);
  }

  getParameters(out: Float64Array): void {
    requireLength(out, this.numParameters, 'out');
    out.set(this.params);
  }

  setParameters(params: Float64Array): void {
    requireLength(params, this.numParameters, 'params');
    this.params.set(params);
  }

  forward(obs: FloatArray, n: number, out: Float64Array): void {
    this.checkObs(obs, n);
    requireLength(out, n * this.outDim, 'out');
    out.set(this.net.forward(this.params, obs, n));
  }

  logProb(obs: FloatArray, actions: FloatArray | IndexArray, n: number, out: Float64Array): void {
    this.checkObs(obs, n);
    this.distribution.checkActions(actions, n);
    requireLength(out, n, 'out');
    const y = this.rowsOf(this.net, this.net.forward(this.params, obs, n));
    const { distribution: dist, rowWidth: d, actionDim: w } = this;
    for (let i = 0; i < n; i++) out[i] = dist.logProb(y, i * d, this.distParams, actions, i * w);
  }

  entropy(obs: FloatArray, n: number): number {
    this.checkObs(obs, n);
    return this.entropyAt(this.rowsOf(this.net, this.net.forward(this.params, obs, n)), n);
  }

  surrogate(batch: PolicyBatch, entCoef: number, gradOut: Float64Array | null): number {
    this.checkBatch(batch);
    if (gradOut !== null) requireLength(gradOut, this.numParameters, 'gradOut');
    const y = this.rowsOf(this.net, this.net.forward(this.params, batch.obs, batch.n));
    return this.surrogateAt(y, batch, entCoef, gradOut);
  }

  meanKl(obs: FloatArray, n: number, oldParams: Float64Array): number {
    this.checkObs(obs, n);
    requireLength(oldParams, this.numParameters, 'oldParameters');
    const yOld = this.rowsOf(this.oldNet, this.oldNet.forward(oldParams, obs, n));
    const yNew = this.rowsOf(this.net, this.net.forward(this.params, obs, n));
    return this.klAt(yOld, oldParams, yNew, n);
  }

  fisherVectorProduct(obs: FloatArray, n: number, v: Float64Array, damping: number, out: Float64Array): void {
    this.checkObs(obs, n);
    requireLength(v, this.numParameters, 'v');
    requireLength(out, this.numParameters, 'out');
    this.fvpNet.forward(this.params, obs, n);
    this.fisherCached(v, damping, out);
  }

  solveFisher(obs: FloatArray, n: number, b: Float64Array, o: FisherSolveOptions, xOut: Float64Array): { residual: number; iterations: number } {
    this.checkObs(obs, n);
    requireLength(b, this.numParameters, 'b');
    requireLength(xOut, this.numParameters, 'xOut');
    const k = o.subSamplingFactor;
    this.fvpNet.forward(this.params, obs, Math.ceil(n / k), k);
    const r = conjugateGradient((v, out) => this.fisherCached(v, o.cgDamping, out), b, { iters: o.cgMaxSteps, tol: o.cgTol });
    xOut.set(r.x);
    return { residual: r.residual, iterations: r.iterations };
  }

  trpoStep(batch: PolicyBatch, options: TrpoStepOptions): TrpoStepStats {
    this.checkBatch(batch);
    const {
      targetKl, cgMaxSteps, cgDamping, cgTol, lineSearchMaxIter, lineSearchShrinkingFactor, entCoef, subSamplingFactor, algo, cgWarmStart,
    } = options;
    const npg = algo === 'npg';
    const n = batch.n;
    const P = this.numParameters;
    const params = this.params;

    // 1. Surrogate and its gradient at theta_old; keep the outputs of pi_old for the KL.
    const thetaOld = Float64Array.from(params);
    const g = new Float64Array(P);
    const yFull = this.rowsOf(this.net, this.net.forward(params, batch.obs, n));
    const yOld = Float64Array.from(yFull);
    const surrogateBefore = this.surrogateAt(yFull, batch, entCoef, g);
    const gradNorm = Math.sqrt(dot(g, g));

    // 2. Fisher batch: rows 0, k, 2k, ... with the activations at theta_old cached once.
    const k = subSamplingFactor;
    this.fvpNet.forward(params, batch.obs, Math.ceil(n / k), k);

    // 3. Search direction s = (F + damping I)^-1 g; cgWarmStart: from the previous step's solution (Nexus notes), else from 0.
    const x0 = cgWarmStart && this.lastDirection !== null ? this.lastDirection : null;
    const cg = conjugateGradient((v, out) => this.fisherCached(v, cgDamping, out), g, { iters: cgMaxSteps, tol: cgTol, x0 });
    const s = cg.x;
    if (allFinite(s)) this.lastDirection = Float64Array.from(s);

    // 4. Quadratic form of the step: (F + damping I) s = g - r, so s^T (F + damping I) s = s.(g - r).
    let sFs = 0;
    for (let j = 0; j < P; j++) sFs += s[j] * (g[j] - cg.r[j]);

    const stats: TrpoStepStats = {
      surrogateBefore, surrogateAfter: surrogateBefore, kl: 0, stepFraction: 0, backtracks: npg ? 0 : lineSearchMaxIter,
      accepted: false, cgResidual: cg.residual, cgIterations: cg.iterations, gradNorm, sFs,
    };
    if (!(sFs > 0) || !Number.isFinite(sFs)) return stats;

    // 5. Full step beta * s, beta = sqrt(2 delta / s^T F s) (the quadratic model's KL is delta).
    const beta = Math.sqrt((2 * targetKl) / sFs);
    const fullStep = new Float64Array(P);
    for (let j = 0; j < P; j++) fullStep[j] = beta * s[j];

    if (npg) {
      // 6'. Natural policy gradient: take the full step, no line search.
      for (let j = 0; j < P; j++) params[j] = thetaOld[j] + fullStep[j];
      const y = this.rowsOf(this.net, this.net.forward(params, batch.obs, n));
      const kl = this.klAt(yOld, thetaOld, y, n);
      const L = this.surrogateAt(y, batch, entCoef, null);
      if (Number.isFinite(kl) && Number.isFinite(L)) {
        Object.assign(stats, { surrogateAfter: L, kl, stepFraction: 1, backtracks: 0, accepted: true });
        return stats;
      }
    } else {
      // 6. Backtracking line search: fractions lineSearchShrinkingFactor^i of the full step.
      for (let i = 0; i < lineSearchMaxIter; i++) {
        const frac = Math.pow(lineSearchShrinkingFactor, i);
        for (let j = 0; j < P; j++) params[j] = thetaOld[j] + frac * fullStep[j];
        const y = this.rowsOf(this.net, this.net.forward(params, batch.obs, n));
        const kl = this.klAt(yOld, thetaOld, y, n);
        const L = this.surrogateAt(y, batch, entCoef, null);
        if (kl <= targetKl && L > surrogateBefore) {
          Object.assign(stats, { surrogateAfter: L, kl, stepFraction: frac, backtracks: i, accepted: true });
          return stats;
        }
      }
    }

    // 7. Nothing accepted (or a non-finite NPG step): restore theta_old bit for bit.
    params.set(thetaOld);
    return stats;
  }

  trpoStepAsync(batch: PolicyBatch, options: TrpoStepOptions): Promise<TrpoStepStats> {
    try {
      return Promise.resolve(this.trpoStep(batch, options));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  sampleWithValues(value: ValueCore, obs: FloatArray, n: number, noise: FloatArray | null, deterministic: boolean, actionsOut: Float64Array, logProbOut: Float64Array, valuesOut: Float64Array): void {
    requireLength(valuesOut, n, 'valuesOut');
    this.sample(obs, n, noise, deterministic, actionsOut, logProbOut);
    value.forward(obs, n, valuesOut);
  }

  sample(obs: FloatArray, n: number, noise: FloatArray | null, deterministic: boolean, actionsOut: Float64Array, logProbOut: Float64Array): void {
    this.checkObs(obs, n);
    const { distribution: dist, rowWidth: d, actionDim: w, noiseDim: nd } = this;
    if (!deterministic) {
      if (noise === null) throw new TypeError('noise: expected a Float32Array or Float64Array, got null');
      requireFloat(noise, 'noise');
      requireLength(noise, n * nd, 'noise');
    }
    requireLength(actionsOut, n * w, 'actionsOut');
    requireLength(logProbOut, n, 'logProbOut');
    const y = this.rowsOf(this.net, this.net.forward(this.params, obs, n));
    for (let i = 0; i < n; i++) {
      logProbOut[i] = deterministic
        ? dist.mode(y, i * d, this.distParams, actionsOut, i * w)
        : dist.sample(y, i * d, this.distParams, noise!, i * nd, actionsOut, i * w);
    }
  }

  // ---------------------------------------------------------------------------------------------

  private ensureDOut(size: number): Float64Array {
    if (this.dOut.length < size) this.dOut = new Float64Array(size);
    return this.dOut;
  }

  private ensureDLatent(size: number): Float64Array {
    if (this.dLatent.length < size) this.dLatent = new Float64Array(size);
    return this.dLatent.subarray(0, size);
  }

  /**
   * The rows the distribution reads, from a forward pass of `net` (output y): y itself, or
   * [y | latent features] per row for a distribution with latent features (gSDE).
   */
  private rowsOf(net: Mlp, y: Float64Array): Float64Array {
    const L = this.latentDim;
    if (L === 0) return y;
    const n = net.cachedRows;
    const A = this.outDim;
    const W = this.rowWidth;
    let buf = this.rows.get(net);
    if (!buf || buf.length < n * W) this.rows.set(net, (buf = new Float64Array(n * W)));
    const latent = net.latent;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < A; j++) buf[i * W + j] = y[i * A + j];
      for (let k = 0; k < L; k++) buf[i * W + A + k] = latent[i * L + k];
    }
    return buf.subarray(0, n * W);
  }

  private entropyAt(y: Float64Array, n: number): number {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += this.distribution.entropy(y, i * this.rowWidth, this.distParams);
    return sum / n;
  }

  /**
   * Surrogate mean(ratio * A) + entCoef * mean entropy from the network outputs y at the current
   * parameters (a forward on batch.obs just ran on `this.net`); with gradOut, its gradient:
   * dL/dy = (ratio A / n) dlogpi/dy + (entCoef / n) dH/dy, backpropagated through `this.net`.
   */
  private surrogateAt(y: Float64Array, batch: PolicyBatch, entCoef: number, gradOut: Float64Array | null): number {
    const { actions, advantages, logProbOld, n } = batch;
    const { distribution: dist, rowWidth: d, outDim: A, latentDim: L, actionDim: w, distParams: p, dy, dParams } = this;
    const invN = 1 / n;
    const dOut = gradOut !== null ? this.ensureDOut(n * A) : this.dOut;
    const dLatent = gradOut !== null && this.learnFeatures ? this.ensureDLatent(n * L) : null;
    dParams.fill(0);
    let objective = 0;
    let entropySum = 0;
    for (let i = 0; i < n; i++) {
      const yo = i * d;
      const ratio = Math.exp(dist.logProb(y, yo, p, actions, i * w) - logProbOld[i]);
      objective += ratio * advantages[i];
      if (entCoef !== 0) entropySum += dist.entropy(y, yo, p);
      if (gradOut === null) continue;
      dist.logProbGradient(y, yo, p, actions, i * w, ratio * advantages[i] * invN, dy, dParams);
      if (entCoef !== 0) dist.entropyGradient(y, yo, p, entCoef * invN, dy, dParams);
      if (L === 0) {
        dOut.set(dy, yo);
      } else {
        dOut.set(dy.subarray(0, A), i * A);
        if (dLatent !== null) dLatent.set(dy.subarray(A), i * L);
      }
    }
    if (gradOut !== null) {
      gradOut.fill(0);
      this.net.backward(this.params, dOut, gradOut, dLatent);
      gradOut.set(dParams, this.netParameters);
    }
    return objective * invN + (entCoef !== 0 ? entCoef * (entropySum * invN) : 0);
  }

  /** Mean KL(pi_old || pi_new) from the outputs of both policies on the same n rows. */
  private klAt(yOld: Float64Array, oldParams: Float64Array, yNew: Float64Array, n: number): number {
    const d = this.rowWidth;
    const pOld = oldParams.subarray(this.netParameters);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += this.distribution.kl(yOld, i * d, pOld, yNew, i * d, this.distParams);
    return sum / n;
  }

  /**
   * (F + damping I) v with the activations cached in fvpNet: F v = (1/m) sum_s J_s^T M_s J_s v, plus
   * the Fisher of the distribution's own parameters (2 v on a Gaussian log_std).
   */
  private fisherCached(v: Float64Array, damping: number, out: Float64Array): void {
    const params = this.params;
    const m = this.fvpNet.cachedRows;
    const np = this.netParameters;
    const u = this.fvpNet.tangent(params, v);
    out.fill(0);
    if (this.latentDim === 0) {
      const w = this.ensureDOut(m * this.outDim);
      this.distribution.fisherWeight(this.fvpNet.output, this.distParams, u, 1 / m, w, m, v.subarray(np), out.subarray(np));
      this.fvpNet.backward(params, w, out);
    } else {
      // Rows [outputs | latent] and their tangent [J v | d latent] (0 when the features are detached).
      const { outDim: A, latentDim: L, rowWidth: W } = this;
      const y = this.rowsOf(this.fvpNet, this.fvpNet.output);
      if (this.rowTangent.length < 2 * m * W) this.rowTangent = new Float64Array(2 * m * W);
      const ut = this.rowTangent.subarray(0, m * W);
      const wt = this.rowTangent.subarray(m * W, 2 * m * W);
      const lt = this.learnFeatures ? this.fvpNet.latentTangent : null;
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < A; j++) ut[i * W + j] = u[i * A + j];
        for (let k = 0; k < L; k++) ut[i * W + A + k] = lt ? lt[i * L + k] : 0;
      }
      this.distribution.fisherWeight(y, this.distParams, ut, 1 / m, wt, m, v.subarray(np), out.subarray(np));
      const w = this.ensureDOut(m * A);
      const dLatent = this.learnFeatures ? this.ensureDLatent(m * L) : null;
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < A; j++) w[i * A + j] = wt[i * W + j];
        if (dLatent) for (let k = 0; k < L; k++) dLatent[i * L + k] = wt[i * W + A + k];
      }
      this.fvpNet.backward(params, w, out, dLatent);
    }
    this.distribution.parameterFisher(this.distParams, v.subarray(np), out.subarray(np));
    for (let j = 0, P = this.numParameters; j < P; j++) out[j] += damping * v[j];
  }

  /** The native contract: a Float32Array or Float64Array of exactly n x obsDim values. */
  private checkObs(obs: FloatArray, n: number): void {
    requireFloat(obs, 'obs');
    requireRows(n);
    requireLength(obs, n * this.obsDim, 'obs');
  }

  private checkBatch(batch: PolicyBatch): void {
    const n = batch.n;
    this.checkObs(batch.obs, n);
    this.distribution.checkActions(batch.actions, n);
    requireFloat(batch.advantages, 'advantages');
    requireLength(batch.advantages, n, 'advantages');
    requireFloat(batch.logProbOld, 'logProbOld');
    requireLength(batch.logProbOld, n, 'logProbOld');
  }
}
