/**
 * Pure TypeScript value core (float64): an MLP with one output, fitted to returns by minibatch
 * Adam (PyTorch's update rule) on the mean squared error. Implements `ValueCore` with the checks
 * and the arithmetic of cpp/value.cpp.
 */

import type { FloatArray, NetworkSpec, ValueCore, ValueFitOptions, ValueFitStats } from '../types.js';
import { requireFloat, requireLength } from './distributions/distribution.js';
import { requireRows } from './policy.js';
import { Mlp } from './mlp.js';

/** Adam's constants, as cpp/value.cpp's adamStep (b1, b2, eps); eps = 1e-5 as SB3's ActorCriticPolicy gives its Adam. */
const BETA1 = 0.9;
const BETA2 = 0.999;
const EPS = 1e-5;

export class JsValueCore implements ValueCore {
  readonly numParameters: number;
  readonly obsDim: number;
  private readonly params: Float64Array;
  private readonly net: Mlp;
  /** Adam state: step count and first/second moments. */
  private t = 0;
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private readonly grad: Float64Array;
  private dOut = new Float64Array(0);
  /** Minibatch gather buffers. */
  private mbObs = new Float64Array(0);
  private mbReturns = new Float64Array(0);

  constructor(spec: NetworkSpec) {
    if (spec.outDim !== 1) throw new RangeError(`outDim: a value network has outDim 1, got ${String(spec.outDim)}`);
    this.net = new Mlp(spec.inDim, spec.hiddenSizes, 1, spec.activationFn);
    this.obsDim = spec.inDim;
    this.numParameters = this.net.numParameters;
    this.params = new Float64Array(this.numParameters);
    this.m = new Float64Array(this.numParameters);
    this.v = new Float64Array(this.numParameters);
    this.grad = new Float64Array(this.numParameters);
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
    requireLength(out, n, 'out');
    out.set(this.net.forward(this.params, obs, n));
  }

  loss(obs: FloatArray, returns: FloatArray, n: number, gradOut: Float64Array | null): number {
    this.checkInputs(obs, returns, n);
    if (gradOut !== null) requireLength(gradOut, this.numParameters, 'gradOut');
    return this.lossAndGrad(obs, returns, n, gradOut);
  }

  fit(obs: FloatArray, returns: FloatArray, n: number, order: Uint32Array, options: ValueFitOptions): ValueFitStats {
    this.checkInputs(obs, returns, n);
    const { learningRate: lr, epochs, batchSize, maxGradNorm } = options;
    for (const [name, value] of [['learningRate', lr], ['maxGradNorm', maxGradNorm]] as const) {
      if (typeof value !== 'number') throw new TypeError(`options.${name}: expected a number`);
    }
    if (!Number.isInteger(epochs) || epochs < 1) throw new RangeError(`options.epochs: expected an integer >= 1, got ${String(epochs)}`);
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new RangeError(`options.batchSize: expected an integer >= 1, got ${String(batchSize)}`);
    }
    if (!(order instanceof Uint32Array)) throw new TypeError('order: expected a Uint32Array');
    if (order.length !== epochs * n) throw new RangeError(`order: expected length epochs * n = ${epochs * n}, got ${order.length}`);

    for (let i = 0, end = epochs * n; i < end; i++) {
      if (order[i] >= n) throw new RangeError(`order: entry ${i} is ${order[i]}, outside [0, ${n})`);
    }

    const lossBefore = this.lossAndGrad(obs, returns, n, null);
    const d = this.obsDim;
    const mbCap = Math.min(batchSize, n);
    if (this.mbObs.length < mbCap * d) this.mbObs = new Float64Array(mbCap * d);
    if (this.mbReturns.length < mbCap) this.mbReturns = new Float64Array(mbCap);
    const mbObs = this.mbObs;
    const mbReturns = this.mbReturns;
    const g = this.grad;
    const params = this.params;
    const m = this.m;
    const v = this.v;
    const P = this.numParameters;
    const clip = maxGradNorm > 0 && Number.isFinite(maxGradNorm);
    let steps = 0;

    for (let e = 0; e < epochs; e++) {
      const epochStart = e * n;
      for (let start = 0; start < n; start += batchSize) {
        const from = epochStart + start;
        const to = Math.min(from + batchSize, epochStart + n);
        const size = to - from;
        for (let r = 0; r < size; r++) {
          const idx = order[from + r];
          for (let k = 0; k < d; k++) mbObs[r * d + k] = obs[idx * d + k];
          mbReturns[r] = returns[idx];
        }
        this.lossAndGrad(mbObs, mbReturns, size, g);
        if (clip) {
          let sq = 0;
          for (let j = 0; j < P; j++) sq += g[j] * g[j];
          const c = maxGradNorm / (Math.sqrt(sq) + 1e-6);
          if (c < 1) for (let j = 0; j < P; j++) g[j] *= c;
        }
        // Adam (PyTorch).
        this.t += 1;
        const stepSize = lr / (1 - Math.pow(BETA1, this.t));
        const bc2Sqrt = Math.sqrt(1 - Math.pow(BETA2, this.t));
        for (let j = 0; j < P; j++) {
          const gj = g[j];
          m[j] = BETA1 * m[j] + (1 - BETA1) * gj;
          v[j] = BETA2 * v[j] + (1 - BETA2) * (gj * gj);
          const denom = Math.sqrt(v[j]) / bc2Sqrt + EPS;
          params[j] -= (stepSize * m[j]) / denom;
        }
        steps++;
      }
    }

    const lossAfter = this.lossAndGrad(obs, returns, n, null);
    return { lossBefore, lossAfter, steps };
  }

  fitAsync(obs: FloatArray, returns: FloatArray, n: number, order: Uint32Array, options: ValueFitOptions): Promise<ValueFitStats> {
    try {
      return Promise.resolve(this.fit(obs, returns, n, order, options));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  getOptimizerState(): Float64Array {
    const P = this.numParameters;
    const state = new Float64Array(1 + 2 * P);
    state[0] = this.t;
    state.set(this.m, 1);
    state.set(this.v, 1 + P);
    return state;
  }

  setOptimizerState(state: Float64Array): void {
    const P = this.numParameters;
    if (state.length !== 1 + 2 * P) {
      throw new RangeError(`state: expected length ${1 + 2 * P} ([t, m, v]), got ${state.length}`);
    }
    if (!Number.isInteger(state[0]) || state[0] < 0) {
      throw new RangeError(`state: expected a step count t >= 0 in state[0], got ${String(state[0])}`);
    }
    this.t = state[0];
    this.m.set(state.subarray(1, 1 + P));
    this.v.set(state.subarray(1 + P, 1 + 2 * P));
  }

  // ---------------------------------------------------------------------------------------------

  /** MSE over n rows; writes its gradient into grad when given. */
  private lossAndGrad(obs: FloatArray, returns: FloatArray, n: number, grad: Float64Array | null): number {
    const y = this.net.forward(this.params, obs, n);
    let sum = 0;
    if (grad === null) {
      for (let i = 0; i < n; i++) {
        const e = y[i] - returns[i];
        sum += e * e;
      }
      return sum / n;
    }
    if (this.dOut.length < n) this.dOut = new Float64Array(Math.max(n, Math.ceil(this.dOut.length * 1.5)));
    const dOut = this.dOut;
    for (let i = 0; i < n; i++) {
      const e = y[i] - returns[i];
      sum += e * e;
      dOut[i] = (2 * e) / n;
    }
    grad.fill(0);
    this.net.backward(this.params, dOut, grad);
    return sum / n;
  }

  /** The native contract: a Float32Array or Float64Array of exactly n x obsDim values. */
  private checkObs(obs: FloatArray, n: number): void {
    requireFloat(obs, 'obs');
    requireRows(n);
    requireLength(obs, n * this.obsDim, 'obs');
  }

  private checkInputs(obs: FloatArray, returns: FloatArray, n: number): void {
    this.checkObs(obs, n);
    requireFloat(returns, 'returns');
    requireLength(returns, n, 'returns');
  }
}
