/** The state-value network V(s) (MLP, linear head) fitted to returns with Adam. */
import { SB3_GAINS } from './core/init.js';
import { disposedCore } from './core/disposed.js';
import { checkBatchSize, checkNetworkSize, unitsPerRow } from './core/limits.js';
import type { Activation, Dtype, FloatArray, ValueCore, ValueFitOptions, ValueFitStats } from './core/types.js';
import { initialParameters, NETWORK_OPTION_KEYS, resolveNetworkOptions, type NetworkOptions } from './network.js';
import { Random } from './random.js';
import * as v from './validate.js';

/** obsDim, hiddenSizes, activationFn, orthoInit, backend, dtype; the seed also seeds the minibatch shuffles. */
export type ValueFunctionOptions = NetworkOptions;

/** Options of ValueFunction.fit; every field optional, defaults in DEFAULT_FIT_OPTIONS. */
export interface FitOptions {
  /** Adam step size (default 1e-3, sb3-contrib TRPO's critic learning rate); ≥ 0. */
  learningRate?: number;
  /** Passes over the data (default 10, sb3-contrib's n_critic_updates); a positive integer. */
  epochs?: number;
  /** Minibatch size (default 128; a positive integer; the last minibatch of a pass may be smaller). */
  batchSize?: number;
  /** Clip the global gradient norm to this value before each Adam step (default 0: off; ≥ 0, Infinity also off). */
  maxGradNorm?: number;
}

/** The one defaults table of the critic fit (sb3-contrib TRPO's values; the trainer's learningRate, nCriticUpdates, batchSize and maxGradNorm). */
export const DEFAULT_FIT_OPTIONS: Readonly<ValueFitOptions> = Object.freeze({
  learningRate: 1e-3,
  epochs: 10,
  batchSize: 128,
  maxGradNorm: 0,
});

/**
 * The critic V(s): an MLP with a linear scalar head (SB3's orthogonal init with head gain 1 by
 * default), fitted to returns by Adam on shuffled minibatches. The weights and the Adam state live
 * in the backend's core (in C++ for the native one) between calls.
 *
 * ```ts
 * const critic = new ValueFunction({ obsDim: 17, hiddenSizes: [64, 64], seed: 1 });
 * const stats = critic.fit(obs, returns, { epochs: 10, batchSize: 128 });   // stats.lossAfter < stats.lossBefore
 * ```
 */
export class ValueFunction {
  /** Observation length: the input width of the network. */
  readonly obsDim: number;
  /** Widths of the hidden layers (frozen; [] for a linear critic). */
  readonly hiddenSizes: readonly number[];
  /** Activation of the hidden layers. */
  readonly activationFn: Activation;
  /** Precision of the weights and arithmetic (the JS backend computes in float64 whatever this says). */
  readonly dtype: Dtype;
  /** The backend in use: 'native' or 'js'. */
  readonly backend: 'native' | 'js';
  /** The backend object (advanced use: benchmarks, the trainer's fused sampling); replaced by a throwing one on dispose(). */
  readonly core: ValueCore;
  /** The generator of the minibatch shuffles (its state is part of a saved trainer). */
  readonly rng: Random;
  /** Units of all layers, the input included (the batch-size guard of core/limits.ts). */
  private readonly unitsPerRow: number;

  /**
   * A critic with weights from the seeded initialization; the seed also seeds the minibatch shuffles.
   * @throws TypeError/RangeError naming the option (`options.<key>`) for a missing, mistyped, out-of-range or unknown option; RangeError when the network exceeds the memory limits.
   */
  constructor(options: ValueFunctionOptions) {
    const o = v.object(options, 'options') as unknown as ValueFunctionOptions;
    v.knownKeys(o as unknown as Record<string, unknown>, NETWORK_OPTION_KEYS, 'options');
    const r = resolveNetworkOptions(o);
    this.obsDim = r.obsDim;
    this.hiddenSizes = r.hiddenSizes;
    this.dtype = r.dtype;
    this.backend = r.backend.name;
    this.activationFn = r.activationFn;
    checkNetworkSize(this.obsDim, this.hiddenSizes, 1, null, 'options.hiddenSizes');
    this.unitsPerRow = unitsPerRow(this.obsDim, this.hiddenSizes, 1);
    this.core = r.backend.createValue({ inDim: this.obsDim, outDim: 1, hiddenSizes: this.hiddenSizes, dtype: r.dtype, activationFn: r.activationFn });
    this.rng = new Random(r.seed);
    this.core.setParameters(initialParameters([this.obsDim, ...this.hiddenSizes, 1], SB3_GAINS.valueHead, r.orthoInit, this.rng));
  }

  /** Length of the flat parameter vector (weights and biases, layers input to output, nn.Linear layout). */
  get numParameters(): number {
    return this.core.numParameters;
  }

  /**
   * Frees the native memory now rather than when the value function is collected (which also
   * frees it); any later use throws. Not while an async fit runs on it (that throws); idempotent.
   */
  dispose(): void {
    if (this.disposed) return;
    this.core.dispose?.();
    (this as { core: ValueCore }).core = disposedCore<ValueCore>('ValueFunction');
    this.disposed = true;
  }

  private disposed = false;

  /** A copy of the flat parameter vector (layers input to output: W row-major, then b). */
  getParameters(): Float64Array {
    const out = new Float64Array(this.core.numParameters);
    this.core.getParameters(out);
    return out;
  }

  /**
   * Replaces every parameter (the layout of getParameters); the Adam state is kept.
   * @throws TypeError unless params is a Float64Array; RangeError when its length is not numParameters or an entry is not finite.
   */
  setParameters(params: Float64Array): void {
    v.float64Array(params, 'params', this.core.numParameters);
    v.finite(params, 'params');
    this.core.setParameters(params);
  }

  /** V(s) for each row of obs. */
  forward(obs: FloatArray): Float64Array {
    const n = this.rows(obs);
    const out = new Float64Array(n);
    this.core.forward(obs, n, out);
    return out;
  }

  /** Mean squared error to the returns and its gradient. */
  lossGradient(obs: FloatArray, returns: FloatArray): {
    /** mean_i (V(s_i) − R_i)² over the batch. */
    loss: number;
    /** d loss / dθ (numParameters values). */
    gradient: Float64Array;
  } {
    const n = this.rows(obs);
    v.floatRows(returns, 1, 'returns', n);
    const gradient = new Float64Array(this.core.numParameters);
    const loss = this.core.loss(obs, returns, n, gradient);
    return { loss, gradient };
  }

  /**
   * Fits V to the returns: `epochs` passes over the batch, each in a new order drawn from `rng`
   * (so both backends fit identically), in Adam minibatches of batchSize.
   * @throws TypeError/RangeError naming the argument for a wrong obs/returns shape or an invalid option.
   */
  fit(obs: FloatArray, returns: FloatArray, options: FitOptions = {}): ValueFitStats {
    const { n, order, fit } = this.prepareFit(obs, returns, options);
    return this.core.fit(obs, returns, n, order, fit);
  }

  /** fit() on a worker thread (native backend). Do not modify obs or returns until it settles. */
  async fitAsync(obs: FloatArray, returns: FloatArray, options: FitOptions = {}): Promise<ValueFitStats> {
    const { n, order, fit } = this.prepareFit(obs, returns, options);
    return this.core.fitAsync(obs, returns, n, order, fit);
  }

  /** Adam's state [t, m..., v...], to save and resume training exactly. */
  getOptimizerState(): Float64Array {
    return this.core.getOptimizerState();
  }

  /**
   * Restores an Adam state from getOptimizerState() (1 + 2 numParameters values).
   * @throws TypeError unless state is a Float64Array; RangeError for a wrong length or a non-finite entry.
   */
  setOptimizerState(state: Float64Array): void {
    v.float64Array(state, 'state', 1 + 2 * this.core.numParameters);
    v.finite(state, 'state');
    this.core.setOptimizerState(state);
  }

  private rows(obs: unknown): number {
    const n = v.rowsOf(v.floatArray(obs, 'obs'), this.obsDim, 'obs');
    checkBatchSize(n, this.unitsPerRow, 'obs');
    return n;
  }

  private prepareFit(obs: FloatArray, returns: FloatArray, options: FitOptions): { n: number; order: Uint32Array; fit: ValueFitOptions } {
    const n = this.rows(obs);
    v.floatRows(returns, 1, 'returns', n);
    const o = v.object(options, 'options');
    v.knownKeys(o, ['learningRate', 'epochs', 'batchSize', 'maxGradNorm'], 'options');
    const fit: ValueFitOptions = {
      // 0 is allowed (the last update of a linear schedule), as in PyTorch.
      learningRate: v.numberIn(o.learningRate ?? DEFAULT_FIT_OPTIONS.learningRate, 'options.learningRate', 0, Infinity, { maxOpen: true }),
      epochs: v.positiveInteger(o.epochs ?? DEFAULT_FIT_OPTIONS.epochs, 'options.epochs'),
      batchSize: v.positiveInteger(o.batchSize ?? DEFAULT_FIT_OPTIONS.batchSize, 'options.batchSize'),
      maxGradNorm: v.numberIn(o.maxGradNorm ?? DEFAULT_FIT_OPTIONS.maxGradNorm, 'options.maxGradNorm', 0, Infinity),
    };
    // Minibatch order from this object's seeded generator, so both backends fit identically.
    const order = new Uint32Array(fit.epochs * n);
    for (let e = 0; e < fit.epochs; e++) {
      const perm = order.subarray(e * n, (e + 1) * n);
      for (let i = 0; i < n; i++) perm[i] = i;
      this.rng.shuffle(perm);
    }
    return { n, order, fit };
  }
}
