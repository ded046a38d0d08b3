/**
 * Pure TypeScript policy core (float64): diagonal Gaussian with a state-independent log_std, or
 * categorical over softmax logits. Implements the `PolicyCore` contract of `../types.ts` with the
 * same algorithms as the native backend (same order of the TRPO step, same stopping rules).
 */

import { conjugateGradient, dot } from '../cg.js';
import type {
  FisherSolveOptions,
  ValueCore,
  FloatArray,
  IndexArray,
  NetworkSpec,
  PolicyBatch,
  PolicyCore,
  PolicyKind,
  TrpoStepOptions,
  TrpoStepStats,
} from '../types.js';
import { Mlp } from './mlp.js';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

export class JsPolicyCore implements PolicyCore {
  readonly kind: PolicyKind;
  readonly numParameters: number;
  readonly obsDim: number;
  /** actDim (Gaussian) or nActions (categorical). */
  readonly outDim: number;
  /** Parameters of the network (the Gaussian log_std follows them). */
  private readonly netParameters: number;
  private readonly params: Float64Array;
  /** Workspace of forward/backward passes at the current parameters. */
  private readonly net: Mlp;
  /** Workspace of forward passes at other parameters (meanKl's pi_old). */
  private readonly oldNet: Mlp;
  /** Workspace holding the activations of the Fisher-vector products. */
  private readonly fvpNet: Mlp;
  /** Softmax probabilities of the rows cached in fvpNet (categorical). */
  private fvpProbs = new Float64Array(0);
  /** dL/dOutput and FVP output-space buffers (n x outDim). */
  private dOut = new Float64Array(0);
  /** Per-row log-softmax scratch (outDim), and a second one for KL. */
  private readonly rowA: Float64Array;
  private readonly rowB: Float64Array;

  constructor(kind: PolicyKind, spec: NetworkSpec) {
    if (kind !== 'gaussian' && kind !== 'categorical') {
      throw new TypeError(`kind: expected 'gaussian' or 'categorical', got ${String(kind)}`);
    }
    this.kind = kind;
    this.net = new Mlp(spec.inDim, spec.hiddenSizes, spec.outDim);
    this.oldNet = new Mlp(spec.inDim, spec.hiddenSizes, spec.outDim);
    this.fvpNet = new Mlp(spec.inDim, spec.hiddenSizes, spec.outDim);
    this.obsDim = spec.inDim;
    this.outDim = spec.outDim;
    this.netParameters = this.net.numParameters;
    this.numParameters = this.netParameters + (kind === 'gaussian' ? spec.outDim : 0);
    this.params = new Float64Array(this.numParameters);
    this.rowA = new Float64Array(spec.outDim);
    this.rowB = new Float64Array(spec.outDim);
  }

  getParameters(out: Float64Array): void {
    if (out.length !== this.numParameters) {
      throw new RangeError(`out: expected length ${this.numParameters}, got ${out.length}`);
    }
    out.set(this.params);
  }

  setParameters(params: Float64Array): void {
    if (params.length !== this.numParameters) {
      throw new RangeError(`params: expected length ${this.numParameters}, got ${params.length}`);
    }
    this.params.set(params);
  }

  forward(obs: FloatArray, n: number, out: Float64Array): void {
    this.checkObs(obs, n);
    if (out.length < n * this.outDim) throw new RangeError(`out: expected length >= ${n * this.outDim}, got ${out.length}`);
    out.set(this.net.forward(this.params, obs, n));
  }

  logProb(obs: FloatArray, actions: FloatArray | IndexArray, n: number, out: Float64Array): void {
    this.checkObs(obs, n);
    this.checkActions(actions, n);
    if (out.length < n) throw new RangeError(`out: expected length >= ${n}, got ${out.length}`);
    const y = this.net.forward(this.params, obs, n);
    const d = this.outDim;
    if (this.kind === 'gaussian') {
      const ls = this.netParameters;
      for (let i = 0; i < n; i++) {
        let lp = 0;
        for (let j = 0; j < d; j++) {
          const logStd = this.params[ls + j];
          const zj = (actions[i * d + j] - y[i * d + j]) / Math.exp(logStd);
          lp += -0.5 * zj * zj - logStd - HALF_LOG_2PI;
        }
        out[i] = lp;
      }
    } else {
      const row = this.rowA;
      for (let i = 0; i < n; i++) {
        logSoftmax(y, i * d, d, row);
        out[i] = row[actions[i]];
      }
    }
  }

  entropy(obs: FloatArray, n: number): number {
    this.checkObs(obs, n);
    if (this.kind === 'gaussian') return this.gaussianEntropy();
    const y = this.net.forward(this.params, obs, n);
    const d = this.outDim;
    const row = this.rowA;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      logSoftmax(y, i * d, d, row);
      let h = 0;
      for (let k = 0; k < d; k++) h -= Math.exp(row[k]) * row[k];
      sum += h;
    }
    return sum / n;
  }

  surrogate(batch: PolicyBatch, entCoef: number, gradOut: Float64Array | null): number {
    this.checkBatch(batch);
    if (gradOut !== null && gradOut.length !== this.numParameters) {
      throw new RangeError(`gradOut: expected length ${this.numParameters}, got ${gradOut.length}`);
    }
    const y = this.net.forward(this.params, batch.obs, batch.n);
    return this.surrogateAt(y, batch, entCoef, gradOut);
  }

  meanKl(obs: FloatArray, n: number, oldParams: Float64Array): number {
    this.checkObs(obs, n);
    if (oldParams.length !== this.numParameters) {
      throw new RangeError(`oldParams: expected length ${this.numParameters}, got ${oldParams.length}`);
    }
    const yOld = this.oldNet.forward(oldParams, obs, n);
    const yNew = this.net.forward(this.params, obs, n);
    return this.klAt(yOld, oldParams, yNew, n);
  }

  fisherVectorProduct(obs: FloatArray, n: number, v: Float64Array, damping: number, out: Float64Array): void {
    this.checkObs(obs, n);
    if (v.length !== this.numParameters) throw new RangeError(`v: expected length ${this.numParameters}, got ${v.length}`);
    if (out.length !== this.numParameters) throw new RangeError(`out: expected length ${this.numParameters}, got ${out.length}`);
    this.prepareFisher(obs, n, 1);
    this.fisherCached(v, damping, out);
  }

  trpoStep(batch: PolicyBatch, options: TrpoStepOptions): TrpoStepStats {
    this.checkBatch(batch);
    const { maxKl, cgIters, cgDamping, cgTol, backtrackIters, backtrackCoeff, entCoef, subSamplingFactor } = options;
    const n = batch.n;
    const P = this.numParameters;
    const params = this.params;

    // 1. Surrogate and its gradient at theta_old; keep the outputs of pi_old for the KL.
    const thetaOld = Float64Array.from(params);
    const g = new Float64Array(P);
    const yFull = this.net.forward(params, batch.obs, n);
    const yOld = Float64Array.from(yFull);
    const surrogateBefore = this.surrogateAt(yFull, batch, entCoef, g);
    const gradNorm = Math.sqrt(dot(g, g));

    // 2. Fisher batch: rows 0, k, 2k, ... with the activations at theta_old cached once.
    const k = subSamplingFactor;
    this.prepareFisher(batch.obs, Math.ceil(n / k), k);

    // 3. Search direction s = (F + damping I)^-1 g.
    const matVec = (v: Float64Array, out: Float64Array): void => this.fisherCached(v, cgDamping, out);
    const cg = conjugateGradient(matVec, g, { iters: cgIters, tol: cgTol });
    const s = cg.x;

    // 4. Quadratic form of the step: (F + damping I) s = g - r, so s^T (F + damping I) s = s.(g - r).
    let sFs = 0;
    for (let j = 0; j < P; j++) sFs += s[j] * (g[j] - cg.r[j]);

    const stats: TrpoStepStats = {
      surrogateBefore,
      surrogateAfter: surrogateBefore,
      kl: 0,
      stepFraction: 0,
      backtracks: backtrackIters,
      accepted: false,
      cgResidual: cg.residual,
      cgIterations: cg.iterations,
      gradNorm,
      sFs,
    };
    if (!(sFs > 0) || !Number.isFinite(sFs)) return stats;

    // 5. Full step scaled to the trust region.
    const beta = Math.sqrt((2 * maxKl) / sFs);
    const fullStep = new Float64Array(P);
    for (let j = 0; j < P; j++) fullStep[j] = beta * s[j];

    // 6. Backtracking line search.
    for (let i = 0; i < backtrackIters; i++) {
      const frac = Math.pow(backtrackCoeff, i);
      for (let j = 0; j < P; j++) params[j] = thetaOld[j] + frac * fullStep[j];
      const y = this.net.forward(params, batch.obs, n);
      const kl = this.klAt(yOld, thetaOld, y, n);
      const L = this.surrogateAt(y, batch, entCoef, null);
      if (kl <= maxKl && L > surrogateBefore) {
        stats.surrogateAfter = L;
        stats.kl = kl;
        stats.stepFraction = frac;
        stats.backtracks = i;
        stats.accepted = true;
        return stats;
      }
    }

    // 7. Nothing accepted: restore theta_old bit for bit.
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

  solveFisher(obs: FloatArray, n: number, b: Float64Array, o: FisherSolveOptions, xOut: Float64Array): { residual: number; iterations: number } {
    this.checkObs(obs, n);
    if (b.length !== this.numParameters) throw new RangeError(`b: expected length ${this.numParameters}, got ${b.length}`);
    if (xOut.length !== this.numParameters) throw new RangeError(`xOut: expected length ${this.numParameters}, got ${xOut.length}`);
    const k = o.subSamplingFactor;
    this.prepareFisher(obs, Math.ceil(n / k), k);
    const r = conjugateGradient((v, out) => this.fisherCached(v, o.damping, out), b, { iters: o.iters, tol: o.tol });
    xOut.set(r.x);
    return { residual: r.residual, iterations: r.iterations };
  }

  sampleWithValues(value: ValueCore, obs: FloatArray, n: number, noise: FloatArray | null, deterministic: boolean, actionsOut: Float64Array, logProbOut: Float64Array, valuesOut: Float64Array): void {
    this.sample(obs, n, noise, deterministic, actionsOut, logProbOut);
    value.forward(obs, n, valuesOut);
  }

  sample(obs: FloatArray, n: number, noise: FloatArray | null, deterministic: boolean, actionsOut: Float64Array, logProbOut: Float64Array): void {
    this.checkObs(obs, n);
    const d = this.outDim;
    const gaussian = this.kind === 'gaussian';
    const width = gaussian ? d : 1;
    if (!deterministic && (noise === null || noise.length !== n * width)) {
      throw new RangeError(`noise: expected length ${n * width}, got ${noise === null ? 'null' : noise.length}`);
    }
    if (actionsOut.length !== n * width) throw new RangeError(`actionsOut: expected length ${n * width}, got ${actionsOut.length}`);
    if (logProbOut.length !== n) throw new RangeError(`logProbOut: expected length ${n}, got ${logProbOut.length}`);
    const y = this.net.forward(this.params, obs, n);
    if (gaussian) {
      const ls = this.netParameters;
      for (let i = 0; i < n; i++) {
        let lp = 0;
        for (let j = 0; j < d; j++) {
          const logStd = this.params[ls + j];
          const eps = deterministic ? 0 : noise![i * d + j];
          actionsOut[i * d + j] = y[i * d + j] + Math.exp(logStd) * eps;
          lp += -0.5 * eps * eps - logStd - HALF_LOG_2PI;
        }
        logProbOut[i] = lp;
      }
      return;
    }
    const row = this.rowA;
    for (let i = 0; i < n; i++) {
      logSoftmax(y, i * d, d, row);
      let pick = 0;
      if (deterministic) {
        for (let k = 1; k < d; k++) if (row[k] > row[pick]) pick = k;
      } else {
        // Inverse CDF at the uniform u: the first k with p_0 + ... + p_k > u.
        const u = noise![i];
        let cumulative = 0;
        pick = d - 1;
        for (let k = 0; k < d; k++) {
          cumulative += Math.exp(row[k]);
          if (u < cumulative) { pick = k; break; }
        }
      }
      actionsOut[i] = pick;
      logProbOut[i] = row[pick];
    }
  }

  // ---------------------------------------------------------------------------------------------

  private gaussianEntropy(): number {
    const ls = this.netParameters;
    let h = 0;
    for (let j = 0; j < this.outDim; j++) h += 0.5 + HALF_LOG_2PI + this.params[ls + j];
    return h;
  }

  private ensureDOut(size: number): Float64Array {
    if (this.dOut.length < size) this.dOut = new Float64Array(size);
    return this.dOut;
  }

  /**
   * Surrogate from the network outputs y at the current parameters (a forward on batch.obs just
   * ran on `this.net`); with gradOut, backpropagates through `this.net`.
   */
  private surrogateAt(y: Float64Array, batch: PolicyBatch, entCoef: number, gradOut: Float64Array | null): number {
    const { actions, advantages, logProbOld, n } = batch;
    const d = this.outDim;
    const params = this.params;
    const wantGrad = gradOut !== null;
    const dOut = wantGrad ? this.ensureDOut(n * d) : this.dOut;
    let sumRatioAdv = 0;
    let meanEntropy: number;
    if (this.kind === 'gaussian') {
      const ls = this.netParameters;
      const gLogStd = this.rowB;
      gLogStd.fill(0);
      for (let i = 0; i < n; i++) {
        let lp = 0;
        for (let j = 0; j < d; j++) {
          const logStd = params[ls + j];
          const zj = (actions[i * d + j] - y[i * d + j]) / Math.exp(logStd);
          lp += -0.5 * zj * zj - logStd - HALF_LOG_2PI;
        }
        const ratio = Math.exp(lp - logProbOld[i]);
        sumRatioAdv += ratio * advantages[i];
        if (wantGrad) {
          const c = (ratio * advantages[i]) / n;
          for (let j = 0; j < d; j++) {
            const sigma = Math.exp(params[ls + j]);
            const zj = (actions[i * d + j] - y[i * d + j]) / sigma;
            // dlogp/dmu = (a - mu) / sigma^2, dlogp/dlog_std = z^2 - 1.
            dOut[i * d + j] = (c * zj) / sigma;
            gLogStd[j] += c * (zj * zj - 1);
          }
        }
      }
      meanEntropy = this.gaussianEntropy();
      if (wantGrad) {
        gradOut.fill(0);
        this.net.backward(params, dOut, gradOut);
        // d(mean entropy)/d log_std_j = 1.
        for (let j = 0; j < d; j++) gradOut[ls + j] = gLogStd[j] + entCoef;
      }
    } else {
      const row = this.rowA;
      let sumEntropy = 0;
      const entScale = entCoef / n;
      for (let i = 0; i < n; i++) {
        const base = i * d;
        logSoftmax(y, base, d, row);
        let h = 0;
        for (let k = 0; k < d; k++) h -= Math.exp(row[k]) * row[k];
        sumEntropy += h;
        const a = actions[i];
        const ratio = Math.exp(row[a] - logProbOld[i]);
        sumRatioAdv += ratio * advantages[i];
        if (wantGrad) {
          const c = (ratio * advantages[i]) / n;
          for (let k = 0; k < d; k++) {
            const p = Math.exp(row[k]);
            // dlogp_a/dz_k = [k == a] - p_k; dH/dz_k = -p_k (log p_k + H).
            dOut[base + k] = c * ((k === a ? 1 : 0) - p) + entScale * (-p * (row[k] + h));
          }
        }
      }
      meanEntropy = sumEntropy / n;
      if (wantGrad) {
        gradOut.fill(0);
        this.net.backward(params, dOut, gradOut);
      }
    }
    return sumRatioAdv / n + entCoef * meanEntropy;
  }

  /** Mean KL(pi_old || pi_new) from the outputs of both policies on the same n rows. */
  private klAt(yOld: Float64Array, oldParams: Float64Array, yNew: Float64Array, n: number): number {
    const d = this.outDim;
    let sum = 0;
    if (this.kind === 'gaussian') {
      const ls = this.netParameters;
      const params = this.params;
      for (let i = 0; i < n; i++) {
        let kl = 0;
        for (let j = 0; j < d; j++) {
          const lsOld = oldParams[ls + j];
          const lsNew = params[ls + j];
          const sOld = Math.exp(lsOld);
          const sNew = Math.exp(lsNew);
          const dm = yOld[i * d + j] - yNew[i * d + j];
          kl += lsNew - lsOld + (sOld * sOld + dm * dm) / (2 * sNew * sNew) - 0.5;
        }
        sum += kl;
      }
    } else {
      const lpOld = this.rowA;
      const lpNew = this.rowB;
      for (let i = 0; i < n; i++) {
        logSoftmax(yOld, i * d, d, lpOld);
        logSoftmax(yNew, i * d, d, lpNew);
        let kl = 0;
        for (let k = 0; k < d; k++) kl += Math.exp(lpOld[k]) * (lpOld[k] - lpNew[k]);
        sum += kl;
      }
    }
    return sum / n;
  }

  /** Forward at the current parameters on rows 0, step, ... into the Fisher workspace. */
  private prepareFisher(obs: FloatArray, m: number, step: number): void {
    const y = this.fvpNet.forward(this.params, obs, m, step);
    if (this.kind === 'categorical') {
      const d = this.outDim;
      if (this.fvpProbs.length < m * d) this.fvpProbs = new Float64Array(Math.max(m * d, Math.ceil(this.fvpProbs.length * 1.5)));
      const probs = this.fvpProbs;
      const row = this.rowA;
      for (let i = 0; i < m; i++) {
        logSoftmax(y, i * d, d, row);
        for (let k = 0; k < d; k++) probs[i * d + k] = Math.exp(row[k]);
      }
    }
  }

  /** (F + damping I) v with the activations cached by prepareFisher. */
  private fisherCached(v: Float64Array, damping: number, out: Float64Array): void {
    const params = this.params;
    const m = this.fvpNet.cachedRows;
    const d = this.outDim;
    const u = this.fvpNet.tangent(params, v);
    const w = this.ensureDOut(m * d);
    if (this.kind === 'gaussian') {
      const ls = this.netParameters;
      for (let j = 0; j < d; j++) {
        const sigma = Math.exp(params[ls + j]);
        this.rowB[j] = sigma * sigma;
      }
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < d; j++) w[i * d + j] = u[i * d + j] / this.rowB[j] / m;
      }
    } else {
      const probs = this.fvpProbs;
      for (let i = 0; i < m; i++) {
        const base = i * d;
        let pu = 0;
        for (let k = 0; k < d; k++) pu += probs[base + k] * u[base + k];
        for (let k = 0; k < d; k++) {
          const p = probs[base + k];
          w[base + k] = (p * u[base + k] - p * pu) / m;
        }
      }
    }
    out.fill(0);
    this.fvpNet.backward(params, w, out);
    if (this.kind === 'gaussian') {
      const ls = this.netParameters;
      for (let j = 0; j < d; j++) out[ls + j] = 2 * v[ls + j];
    }
    for (let j = 0, P = this.numParameters; j < P; j++) out[j] += damping * v[j];
  }

  private checkObs(obs: FloatArray, n: number): void {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`n: expected a positive integer, got ${String(n)}`);
    if (obs.length < n * this.obsDim) {
      throw new RangeError(`obs: expected length >= ${n * this.obsDim} (n x obsDim), got ${obs.length}`);
    }
  }

  private checkActions(actions: FloatArray | IndexArray, n: number): void {
    const need = this.kind === 'gaussian' ? n * this.outDim : n;
    if (actions.length < need) throw new RangeError(`actions: expected length >= ${need}, got ${actions.length}`);
  }

  private checkBatch(batch: PolicyBatch): void {
    const n = batch.n;
    this.checkObs(batch.obs, n);
    this.checkActions(batch.actions, n);
    if (batch.advantages.length < n) throw new RangeError(`advantages: expected length >= ${n}, got ${batch.advantages.length}`);
    if (batch.logProbOld.length < n) throw new RangeError(`logProbOld: expected length >= ${n}, got ${batch.logProbOld.length}`);
  }
}

/** Numerically stable log-softmax of y[base .. base + d) into out[0 .. d). */
function logSoftmax(y: Float64Array, base: number, d: number, out: Float64Array): void {
  let max = -Infinity;
  for (let k = 0; k < d; k++) if (y[base + k] > max) max = y[base + k];
  let sum = 0;
  for (let k = 0; k < d; k++) sum += Math.exp(y[base + k] - max);
  const logSum = Math.log(sum);
  for (let k = 0; k < d; k++) out[k] = y[base + k] - max - logSum;
}
