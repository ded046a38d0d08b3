/**
 * MLP policies for TRPO, one per action distribution: diagonal Gaussian (Box actions), categorical
 * (Discrete), multi-categorical (MultiDiscrete) and Bernoulli (MultiBinary), on an MLP (tanh or
 * ReLU) with SB3's orthogonal initialization (or PyTorch's default).
 * Every method validates its arguments, then hands whole batches to the compute backend.
 */
import { SB3_GAINS } from './core/init.js';
import { disposedCore } from './core/disposed.js';
import { checkBatchSize, checkNetworkSize, unitsPerRow } from './core/limits.js';
import type {
  Activation, DistributionSpec, Dtype, FloatArray, IndexArray, PolicyBatch, PolicyCore, TrpoStepOptions, TrpoStepStats,
} from './core/types.js';
import { initialParameters, NETWORK_OPTION_KEYS, resolveNetworkOptions, type NetworkOptions } from './network.js';
import type { ValueFunction } from './value-function.js';
import { Random } from './random.js';
import * as v from './validate.js';

/** Options every MLP policy takes: the network's shape, initialization, backend, precision and seed. */
export type MlpPolicyOptions = NetworkOptions;

/** Options of GaussianMlpPolicy: the network's (MlpPolicyOptions) plus the action length, the initial log std and gSDE. */
export interface GaussianMlpPolicyOptions extends MlpPolicyOptions {
  /** Action length. */
  actDim: number;
  /** Initial log standard deviation (every entry of log_std; default 0, in [−20, 20]). */
  logStdInit?: number;
  /**
   * Generalized state-dependent exploration (gSDE, SB3's use_sde; default false): the action
   * noise is phi(s)^T W, phi(s) the last hidden layer and W an exploration matrix drawn by
   * resetNoise() and kept until the next one, so that exploration is smooth in time. Then a ~
   * N(mu, diag(var(s))) with var_j(s) = sum_i phi_i^2 std_ij^2 + 1e-6.
   */
  useSde?: boolean;
  /** gSDE: one std per latent feature and action dimension (default true, SB3's); else one per latent feature. */
  fullStd?: boolean;
  /** gSDE: std = expln(log_std) (exp below 0, 1 + log1p above) instead of exp(log_std) (default false). */
  useExpln?: boolean;
  /** gSDE: let the gradient and the Fisher flow into phi(s) (default false: phi detached, as SB3). */
  learnFeatures?: boolean;
}

/** Options of CategoricalMlpPolicy (Discrete actions): the network's plus the number of actions. */
export interface CategoricalMlpPolicyOptions extends MlpPolicyOptions {
  /** Number of discrete actions. */
  nActions: number;
}

/** Options of MultiCategoricalMlpPolicy (MultiDiscrete actions): the network's plus the category counts. */
export interface MultiCategoricalMlpPolicyOptions extends MlpPolicyOptions {
  /** Number of actions of each component (Gymnasium's MultiDiscrete nvec). */
  nvec: readonly number[];
}

/** Options of BernoulliMlpPolicy (MultiBinary actions): the network's plus the number of bits. */
export interface BernoulliMlpPolicyOptions extends MlpPolicyOptions {
  /** Number of binary entries of an action (Gymnasium's MultiBinary n). */
  nBits: number;
}

/** A batch for the surrogate and the TRPO step; n is obs.length / obsDim. */
export interface Batch {
  /** Observations, n × obsDim, row-major (Float32Array or Float64Array). */
  obs: FloatArray;
  /**
   * Gaussian: n x actDim floats; categorical: n indices; multi-categorical: n x nvec.length
   * indices (Int32Array or Uint32Array); Bernoulli: n x nBits entries 0 or 1 (any of these arrays).
   */
  actions: FloatArray | IndexArray;
  /** The advantage of each sample (n values), used as given: normalize them beforehand if wanted. */
  advantages: FloatArray;
  /** log π_old(a|s) of each sample under the policy that collected it (n values; `sample()`'s logProb). */
  logProbOld: FloatArray;
}

/** Options of trpoStep; every field is optional (defaults: sb3-contrib TRPO's). */
export type TrpoStepParams = Partial<TrpoStepOptions>;

/**
 * The one defaults table of the TRPO step (sb3-contrib's values). subSamplingFactor applies to the
 * Fisher-vector products only (sb3-contrib's sub_sampling_factor subsamples the whole step).
 */
export const DEFAULT_TRPO_STEP_OPTIONS: Readonly<TrpoStepOptions> = Object.freeze({
  targetKl: 0.01,
  cgMaxSteps: 15,
  cgDamping: 0.1,
  cgTol: 1e-10,
  lineSearchMaxIter: 10,
  lineSearchShrinkingFactor: 0.8,
  entCoef: 0,
  subSamplingFactor: 1,
  algo: 'trpo',
  cgWarmStart: false,
});

const POLICY_KEYS: readonly string[] = NETWORK_OPTION_KEYS;

export function trpoStepOptions(options: unknown): TrpoStepOptions {
  const o = v.object(options ?? {}, 'options');
  v.knownKeys(o, Object.keys(DEFAULT_TRPO_STEP_OPTIONS), 'options');
  const r = { ...DEFAULT_TRPO_STEP_OPTIONS, ...o } as TrpoStepOptions;
  v.numberIn(r.targetKl, 'options.targetKl', 0, Infinity, { minOpen: true, maxOpen: true });
  v.positiveInteger(r.cgMaxSteps, 'options.cgMaxSteps');
  v.numberIn(r.cgDamping, 'options.cgDamping', 0, Infinity, { maxOpen: true });
  v.numberIn(r.cgTol, 'options.cgTol', 0, Infinity, { maxOpen: true });
  v.positiveInteger(r.lineSearchMaxIter, 'options.lineSearchMaxIter');
  v.numberIn(r.lineSearchShrinkingFactor, 'options.lineSearchShrinkingFactor', 0, 1, { minOpen: true, maxOpen: true });
  v.numberIn(r.entCoef, 'options.entCoef', -Infinity, Infinity);
  v.positiveInteger(r.subSamplingFactor, 'options.subSamplingFactor');
  if (r.algo !== 'trpo' && r.algo !== 'npg') {
    throw new (typeof r.algo === 'string' ? RangeError : TypeError)(`options.algo: expected 'trpo' or 'npg', got ${v.describe(r.algo)}`);
  }
  if (typeof r.cgWarmStart !== 'boolean') throw new TypeError(`options.cgWarmStart: expected a boolean, got ${v.describe(r.cgWarmStart)}`);
  return r;
}

abstract class MlpPolicy {
  /** Observation length: the input width of the network. */
  readonly obsDim: number;
  /** Widths of the hidden layers (frozen; [] for a linear policy). */
  readonly hiddenSizes: readonly number[];
  /** Activation of the hidden layers. */
  readonly activationFn: Activation;
  /** Precision of the weights and arithmetic (the JS backend computes in float64 whatever this says). */
  readonly dtype: Dtype;
  /** The backend in use: 'native' or 'js'. */
  readonly backend: 'native' | 'js';
  /** The backend object (advanced use: benchmarks, the trainer); replaced by a throwing one on dispose(). */
  readonly core: PolicyCore;
  /** The action distribution. */
  readonly distribution: DistributionSpec;
  /** Network output width (means or logits). @internal */
  protected readonly outDim: number;
  /** Number of network parameters; the distribution's own (log_std) follow them. */
  readonly networkParameters: number;
  /** The seed of the initialization (given or drawn). @internal */
  protected readonly initSeed: number;
  /** Units of all layers, the input included (the batch-size guard of core/limits.ts). */
  private readonly unitsPerRow: number;

  protected constructor(distribution: DistributionSpec, o: MlpPolicyOptions, outDim: number, headLogStd: number | null) {
    const r = resolveNetworkOptions(o);
    this.obsDim = r.obsDim;
    this.outDim = outDim;
    this.hiddenSizes = r.hiddenSizes;
    this.activationFn = r.activationFn;
    this.dtype = r.dtype;
    this.backend = r.backend.name;
    this.distribution = Object.freeze({ ...distribution, nvec: Object.freeze([...distribution.nvec]) });
    checkNetworkSize(this.obsDim, this.hiddenSizes, outDim, this.distribution, 'options.hiddenSizes');
    this.unitsPerRow = unitsPerRow(this.obsDim, this.hiddenSizes, outDim);
    this.core = r.backend.createPolicy(this.distribution, {
      inDim: this.obsDim, outDim: this.outDim, hiddenSizes: this.hiddenSizes, dtype: r.dtype, activationFn: r.activationFn,
    });
    const net = initialParameters([this.obsDim, ...this.hiddenSizes, this.outDim], SB3_GAINS.policyHead, r.orthoInit, new Random(r.seed));
    this.networkParameters = net.length;
    this.initSeed = r.seed;
    const params = new Float64Array(this.core.numParameters);
    params.set(net);
    if (headLogStd !== null) params.fill(headLogStd, net.length);
    this.core.setParameters(params);
  }

  /** Length of the flat parameter vector: networkParameters, then the distribution's own (log_std: actDim, or gSDE's latent × actDim). */
  get numParameters(): number {
    return this.core.numParameters;
  }

  /**
   * Frees the native memory now rather than when the policy is collected (which also frees it);
   * any later use throws. Not while an async trpoStep runs on it (that throws); idempotent.
   */
  dispose(): void {
    if (this.disposed) return;
    this.core.dispose?.();
    (this as { core: PolicyCore }).core = disposedCore<PolicyCore>(this.constructor.name);
    this.disposed = true;
  }

  private disposed = false;

  /** A copy of the flat parameter vector (layers input to output: W row-major then b; log_std last). */
  getParameters(): Float64Array {
    const out = new Float64Array(this.core.numParameters);
    this.core.getParameters(out);
    return out;
  }

  /**
   * Replaces every parameter (the layout of getParameters; an array-like is copied).
   * @throws TypeError when params is not an array of numbers; RangeError when its length is not numParameters or an entry is not finite.
   */
  setParameters(params: Float64Array | ArrayLike<number>): void {
    let p: Float64Array;
    if (params instanceof Float64Array) {
      p = params;
    } else if (params !== null && typeof params === 'object' && typeof (params as ArrayLike<number>).length === 'number') {
      p = Float64Array.from(params);
    } else {
      throw new TypeError(`params: expected a Float64Array, got ${v.describe(params)}`);
    }
    v.float64Array(p, 'params', this.core.numParameters);
    v.finite(p, 'params');
    this.core.setParameters(p);
  }

  /**
   * Network outputs for a batch: means (Gaussian) or logits, n x outDim.
   * @throws TypeError unless obs is a Float32Array/Float64Array; RangeError when its length is not a positive multiple of obsDim or the batch exceeds the memory cap.
   */
  forward(obs: FloatArray): Float64Array {
    const n = this.rows(obs);
    const out = new Float64Array(n * this.outDim);
    this.core.forward(obs, n, out);
    return out;
  }

  /**
   * log pi(a_i | s_i) for each sample.
   * @throws TypeError/RangeError naming `obs` or `actions` for a wrong array type, length or an action outside the space.
   */
  logProb(obs: FloatArray, actions: FloatArray | IndexArray): Float64Array {
    const n = this.rows(obs);
    this.checkActions(actions, n);
    const out = new Float64Array(n);
    this.core.logProb(obs, actions, n, out);
    return out;
  }

  /** Mean entropy of the action distribution over the batch. */
  entropy(obs: FloatArray): number {
    return this.core.entropy(obs, this.rows(obs));
  }

  /**
   * The surrogate mean(ratio * A) (+ entCoef * mean entropy) and its gradient.
   * @throws TypeError/RangeError naming the batch field (`batch.obs`, `batch.actions`, `batch.advantages`, `batch.logProbOld`) or `options.entCoef`.
   */
  surrogateGradient(batch: Batch, options: { entCoef?: number } = {}): {
    /** L(θ) = mean(exp(log π(a|s) − logProbOld) · A) + entCoef · mean entropy, at the current parameters. */
    surrogate: number;
    /** dL/dθ (numParameters values). */
    gradient: Float64Array;
  } {
    const b = this.batch(batch);
    const entCoef = v.numberIn(v.object(options, 'options').entCoef ?? 0, 'options.entCoef', -Infinity, Infinity);
    const gradient = new Float64Array(this.core.numParameters);
    const surrogate = this.core.surrogate(b, entCoef, gradient);
    return { surrogate, gradient };
  }

  /**
   * (F + damping I) v, F the Fisher matrix of the policy at its current parameters over obs.
   * @throws TypeError/RangeError naming `obs`, `v` (a Float64Array of numParameters finite values) or `damping` (≥ 0).
   */
  fisherVectorProduct(obs: FloatArray, direction: Float64Array, damping = 0): Float64Array {
    const n = this.rows(obs);
    v.float64Array(direction, 'v', this.core.numParameters);
    v.finite(direction, 'v');
    v.numberIn(damping, 'damping', 0, Infinity, { maxOpen: true });
    const out = new Float64Array(this.core.numParameters);
    this.core.fisherVectorProduct(obs, n, direction, damping, out);
    return out;
  }

  /**
   * Solves (F + cgDamping I) x = b by conjugate gradient from 0, F the Fisher matrix at the current
   * parameters over obs (every subSamplingFactor-th row). With b the surrogate gradient, x is the
   * natural-gradient direction of TRPO. Defaults: DEFAULT_TRPO_STEP_OPTIONS' cgDamping, cgMaxSteps and cgTol, subSamplingFactor 1.
   * @throws TypeError/RangeError naming `obs`, `b` or the option.
   */
  solveFisher(obs: FloatArray, b: Float64Array, options: { cgDamping?: number; cgMaxSteps?: number; cgTol?: number; subSamplingFactor?: number } = {}): {
    /** The CG solution x ≈ (F + cgDamping I)⁻¹ b (numParameters values). */
    x: Float64Array;
    /** Final r·r of CG. */
    residual: number;
    /** CG iterations made (Fisher-vector products). */
    iterations: number;
  } {
    const n = this.rows(obs);
    v.float64Array(b, 'b', this.core.numParameters);
    v.finite(b, 'b');
    const o = v.object(options, 'options');
    v.knownKeys(o, ['cgDamping', 'cgMaxSteps', 'cgTol', 'subSamplingFactor'], 'options');
    const D = DEFAULT_TRPO_STEP_OPTIONS;
    const opts = {
      cgDamping: v.numberIn(o.cgDamping ?? D.cgDamping, 'options.cgDamping', 0, Infinity, { maxOpen: true }),
      cgMaxSteps: v.positiveInteger(o.cgMaxSteps ?? D.cgMaxSteps, 'options.cgMaxSteps'),
      cgTol: v.numberIn(o.cgTol ?? D.cgTol, 'options.cgTol', 0, Infinity, { maxOpen: true }),
      subSamplingFactor: v.positiveInteger(o.subSamplingFactor ?? 1, 'options.subSamplingFactor'),
    };
    const x = new Float64Array(this.core.numParameters);
    const r = this.core.solveFisher(obs, n, b, opts, x);
    return { x, residual: r.residual, iterations: r.iterations };
  }

  /**
   * Mean KL(pi_old || pi_current) over obs, pi_old having the parameters oldParameters.
   * @throws TypeError/RangeError naming `obs` or `oldParameters` (a Float64Array of numParameters finite values).
   */
  meanKl(obs: FloatArray, oldParameters: Float64Array): number {
    const n = this.rows(obs);
    v.float64Array(oldParameters, 'oldParameters', this.core.numParameters);
    v.finite(oldParameters, 'oldParameters');
    return this.core.meanKl(obs, n, oldParameters);
  }

  /**
   * One TRPO update of the parameters, in place; returns its statistics (options default to
   * DEFAULT_TRPO_STEP_OPTIONS, sb3-contrib's). When no step is accepted the parameters are restored bit for bit.
   * @throws TypeError/RangeError naming the batch field or the option (unknown names included, e.g. the old `maxKl`).
   */
  trpoStep(batch: Batch, options: TrpoStepParams = {}): TrpoStepStats {
    return this.core.trpoStep(this.batch(batch), trpoStepOptions(options));
  }

  /** trpoStep on a worker thread (native backend), for large batches. Do not modify the batch until it settles. */
  async trpoStepAsync(batch: Batch, options: TrpoStepParams = {}): Promise<TrpoStepStats> {
    return this.core.trpoStepAsync(this.batch(batch), trpoStepOptions(options));
  }

  /**
   * Actions for a batch of observations, with their log-probabilities: sampled from the policy with
   * `rng` (a seeded Random; default: a fresh unseeded one), or its mode when deterministic.
   * @throws TypeError/RangeError naming `obs`, `options.deterministic` or `options.rng`.
   */
  sample(obs: FloatArray, options: { deterministic?: boolean; rng?: Random } = {}): {
    /** n × actionDim actions (indices and bits as numbers); Box actions are not clipped to the space. */
    actions: Float64Array;
    /** log π(a|s) of each returned action (n values). */
    logProb: Float64Array;
  } {
    const n = this.rows(obs);
    const o = v.object(options, 'options');
    const deterministic = o.deterministic ?? false;
    if (typeof deterministic !== 'boolean') throw new TypeError(`options.deterministic: expected a boolean, got ${v.describe(deterministic)}`);
    const rng = (o.rng ?? (this.defaultRng ??= new Random())) as Random;
    if (!(rng instanceof Random)) throw new TypeError(`options.rng: expected a Random, got ${v.describe(rng)}`);
    const actions = new Float64Array(n * this.core.actionDim);
    const logProb = new Float64Array(n);
    let noise: Float64Array | null = null;
    if (!deterministic) {
      noise = new Float64Array(n * this.core.noiseDim);
      this.drawNoise(rng, noise);
    }
    this.core.sample(obs, n, noise, deterministic, actions, logProb);
    return { actions, logProb };
  }

  /**
   * sample() into caller-owned buffers (a rollout step): the actions (n x actionDim), their
   * log-probabilities and, with `valueFunction` (same backend), V(s) in the same native call.
   * `noise` is scratch of n x noiseDim entries; the draws from `rng` are those of sample().
   */
  sampleInto(
    obs: FloatArray,
    out: { actions: Float64Array; logProb: Float64Array; values?: Float64Array },
    options: { rng: Random; noise: Float64Array; valueFunction?: ValueFunction },
  ): void {
    const n = this.rows(obs);
    const { rng, noise, valueFunction } = options;
    if (!(rng instanceof Random)) throw new TypeError(`options.rng: expected a Random, got ${v.describe(rng)}`);
    v.float64Array(noise, 'options.noise', n * this.core.noiseDim);
    v.float64Array(out.actions, 'out.actions', n * this.core.actionDim);
    v.float64Array(out.logProb, 'out.logProb', n);
    this.drawNoise(rng, noise);
    if (valueFunction === undefined) {
      this.core.sample(obs, n, noise, false, out.actions, out.logProb);
      return;
    }
    v.float64Array(out.values, 'out.values', n);
    this.core.sampleWithValues(valueFunction.core, obs, n, noise, false, out.actions, out.logProb, out.values!);
  }

  private defaultRng: Random | undefined;

  /** Entries of one action in a flat action batch. */
  get actionDim(): number {
    return this.core.actionDim;
  }

  /** Fills noise with the draws of the distribution: standard normals (Gaussian) or uniforms in [0, 1). @internal */
  protected drawNoise(rng: Random, noise: Float64Array): void {
    for (let i = 0; i < noise.length; i++) noise[i] = rng.uniform();
  }

  /** Rows of a flat observation batch, validated. @internal */
  protected rows(obs: unknown): number {
    const n = v.rowsOf(v.floatArray(obs, 'obs'), this.obsDim, 'obs');
    checkBatchSize(n, this.unitsPerRow, 'obs');
    return n;
  }

  /** The batch validated (shapes, element types) into the core's form. @internal */
  protected batch(batch: Batch): PolicyBatch {
    const b = v.object(batch, 'batch') as unknown as Batch;
    const n = this.rows(b.obs);
    this.checkActions(b.actions, n);
    v.floatRows(b.advantages, 1, 'batch.advantages', n);
    v.floatRows(b.logProbOld, 1, 'batch.logProbOld', n);
    return { obs: b.obs, actions: b.actions, advantages: b.advantages, logProbOld: b.logProbOld, n };
  }

  /** Throws a TypeError/RangeError unless `actions` is n valid actions of this policy. @internal */
  protected abstract checkActions(actions: unknown, n: number): void;
}

/** Diagonal Gaussian policy with a state-independent log standard deviation (Box actions). */
export class GaussianMlpPolicy extends MlpPolicy {
  /** Action length (the Box's size). */
  readonly actDim: number;

  /** gSDE in use (see GaussianMlpPolicyOptions.useSde). */
  readonly useSde: boolean;
  /** gSDE: entries of one exploration matrix (latentDim x actDim), 0 without gSDE. */
  readonly noiseMatrixSize: number;
  /** gSDE: the standard-normal exploration matrices eps (W = std * eps), one per env. */
  private noiseMatrices: Float64Array[] = [];

  /**
   * A diagonal Gaussian (or, with useSde, gSDE) policy with weights from the seeded initialization.
   * @throws TypeError/RangeError naming the option (`options.<key>`) for a missing, mistyped, out-of-range or unknown option; RangeError when the network's parameters or memory exceed the limits (MAX_PARAMETERS, setMaxCoreBytes).
   */
  constructor(options: GaussianMlpPolicyOptions) {
    const o = v.object(options, 'options') as unknown as GaussianMlpPolicyOptions;
    v.knownKeys(o as unknown as Record<string, unknown>, [...POLICY_KEYS, 'actDim', 'logStdInit', 'useSde', 'fullStd', 'useExpln', 'learnFeatures'], 'options');
    const logStdInit = v.numberIn(o.logStdInit ?? 0, 'options.logStdInit', -20, 20);
    const actDim = v.positiveInteger(o.actDim, 'options.actDim');
    const flag = (key: 'useSde' | 'fullStd' | 'useExpln' | 'learnFeatures', dflt: boolean): boolean => {
      const x = o[key] ?? dflt;
      if (typeof x !== 'boolean') throw new TypeError(`options.${key}: expected a boolean, got ${v.describe(x)}`);
      return x;
    };
    const useSde = flag('useSde', false);
    const gsde = { fullStd: flag('fullStd', true), useExpln: flag('useExpln', false), learnFeatures: flag('learnFeatures', false) };
    if (!useSde) {
      for (const key of ['fullStd', 'useExpln', 'learnFeatures'] as const) {
        if (o[key] !== undefined) throw new RangeError(`options.${key}: only used with useSde: true`);
      }
    }
    super(useSde ? { kind: 'gsde', nvec: [], ...gsde } : { kind: 'gaussian', nvec: [] }, o, actDim, logStdInit);
    this.actDim = actDim;
    this.useSde = useSde;
    this.noiseMatrixSize = useSde ? this.core.noiseDim : 0;
    // SB3 draws the matrix at construction; here from a generator derived from the seed.
    if (useSde) this.resetNoise(new Random(this.initSeed + 0x5de), 1);
  }

  /** The current log standard deviations: actDim entries, or the gSDE log_std (latentDim x actDim, or latentDim). */
  get logStd(): Float64Array {
    return this.getParameters().subarray(this.networkParameters);
  }

  /**
   * gSDE: draws `count` new exploration matrices from `rng` (SB3's reset_noise), one per env of a
   * vector env. Until the next call, sample() and sampleInto() use matrix i for row i when the
   * batch has `count` rows, else matrix 0 for every row (and draw nothing from their rng).
   */
  resetNoise(rng: Random, count = 1): void {
    if (!this.useSde) throw new Error('resetNoise: the policy does not use gSDE (useSde: false)');
    if (!(rng instanceof Random)) throw new TypeError(`rng: expected a Random, got ${v.describe(rng)}`);
    v.positiveInteger(count, 'count');
    this.noiseMatrices = Array.from({ length: count }, () => {
      const m = new Float64Array(this.noiseMatrixSize);
      for (let k = 0; k < m.length; k++) m[k] = rng.normal();
      return m;
    });
  }

  /** gSDE: redraws the exploration matrix of env `index` only (an episode start). */
  resetNoiseAt(rng: Random, index: number): void {
    if (!this.useSde) throw new Error('resetNoiseAt: the policy does not use gSDE (useSde: false)');
    if (!Number.isInteger(index) || index < 0 || index >= this.noiseMatrices.length) {
      throw new RangeError(`index: expected an integer in [0, ${this.noiseMatrices.length}), got ${v.describe(index)}`);
    }
    const m = this.noiseMatrices[index];
    for (let k = 0; k < m.length; k++) m[k] = rng.normal();
  }

  /** gSDE: copies of the current exploration matrices (standard normals; W = std * eps). */
  getNoise(): Float64Array[] {
    return this.noiseMatrices.map((m) => Float64Array.from(m));
  }

  /** gSDE: restores exploration matrices saved by getNoise(). */
  setNoise(matrices: readonly Float64Array[]): void {
    if (!Array.isArray(matrices) || matrices.length === 0) throw new TypeError('matrices: expected a non-empty array of Float64Array');
    matrices.forEach((m, i) => {
      v.float64Array(m, `matrices[${i}]`, this.noiseMatrixSize);
      v.finite(m, `matrices[${i}]`);
    });
    this.noiseMatrices = matrices.map((m) => Float64Array.from(m));
  }

  /** @internal */
  protected checkActions(actions: unknown, n: number): void {
    v.floatRows(actions, this.actDim, 'actions', n);
  }

  /** @internal */
  protected override drawNoise(rng: Random, noise: Float64Array): void {
    if (!this.useSde) {
      for (let i = 0; i < noise.length; i++) noise[i] = rng.normal();
      return;
    }
    const size = this.noiseMatrixSize;
    const n = noise.length / size;
    for (let i = 0; i < n; i++) noise.set(this.noiseMatrices[n === this.noiseMatrices.length ? i : 0], i * size);
  }
}

/** Categorical (softmax over logits) policy for Discrete actions. */
export class CategoricalMlpPolicy extends MlpPolicy {
  /** Number of discrete actions (outputs 0 … nActions − 1). */
  readonly nActions: number;

  /**
   * A categorical policy over nActions actions (softmax of the logits).
   * @throws TypeError/RangeError naming the option (`options.<key>`) for a missing, mistyped, out-of-range or unknown option; RangeError when the network's parameters or memory exceed the limits (MAX_PARAMETERS, setMaxCoreBytes).
   */
  constructor(options: CategoricalMlpPolicyOptions) {
    const o = v.object(options, 'options') as unknown as CategoricalMlpPolicyOptions;
    v.knownKeys(o as unknown as Record<string, unknown>, [...POLICY_KEYS, 'nActions'], 'options');
    const nActions = v.positiveInteger(o.nActions, 'options.nActions');
    super({ kind: 'categorical', nvec: [] }, o, nActions, null);
    this.nActions = nActions;
  }

  /** @internal */
  protected checkActions(actions: unknown, n: number): void {
    v.indexArray(actions, 'actions', n, this.nActions);
  }
}

/**
 * Multi-categorical policy for MultiDiscrete actions: one softmax per component c over nvec[c]
 * actions, the logits of all components side by side in the network head (sum of nvec outputs).
 * An action is nvec.length indices; its log-probability is the sum of the components'.
 */
export class MultiCategoricalMlpPolicy extends MlpPolicy {
  /** Number of actions of each component (frozen). */
  readonly nvec: readonly number[];

  /**
   * One categorical per component of nvec (the logits side by side).
   * @throws TypeError/RangeError naming the option (`options.<key>`) for a missing, mistyped, out-of-range or unknown option; RangeError when the network's parameters or memory exceed the limits (MAX_PARAMETERS, setMaxCoreBytes).
   */
  constructor(options: MultiCategoricalMlpPolicyOptions) {
    const o = v.object(options, 'options') as unknown as MultiCategoricalMlpPolicyOptions;
    v.knownKeys(o as unknown as Record<string, unknown>, [...POLICY_KEYS, 'nvec'], 'options');
    if (!Array.isArray(o.nvec) || o.nvec.length === 0) {
      throw new TypeError(`options.nvec: expected a non-empty array of positive integers, got ${v.describe(o.nvec)}`);
    }
    const nvec = o.nvec.map((k, c) => v.positiveInteger(k, `options.nvec[${c}]`));
    super({ kind: 'multiCategorical', nvec }, o, nvec.reduce((a, b) => a + b, 0), null);
    this.nvec = Object.freeze(nvec);
  }

  /** @internal */
  protected checkActions(actions: unknown, n: number): void {
    v.multiIndexArray(actions, 'actions', n, this.nvec);
  }
}

/**
 * Bernoulli policy for MultiBinary actions: nBits independent entries, each 1 with probability
 * sigmoid(logit). Actions are 0/1 entries (n x nBits) in any Float32/Float64/Int32/Uint32Array.
 */
export class BernoulliMlpPolicy extends MlpPolicy {
  /** Number of binary entries of an action. */
  readonly nBits: number;

  /**
   * An independent Bernoulli per bit (sigmoid of each logit).
   * @throws TypeError/RangeError naming the option (`options.<key>`) for a missing, mistyped, out-of-range or unknown option; RangeError when the network's parameters or memory exceed the limits (MAX_PARAMETERS, setMaxCoreBytes).
   */
  constructor(options: BernoulliMlpPolicyOptions) {
    const o = v.object(options, 'options') as unknown as BernoulliMlpPolicyOptions;
    v.knownKeys(o as unknown as Record<string, unknown>, [...POLICY_KEYS, 'nBits'], 'options');
    const nBits = v.positiveInteger(o.nBits, 'options.nBits');
    super({ kind: 'bernoulli', nvec: [] }, o, nBits, null);
    this.nBits = nBits;
  }

  /** @internal */
  protected checkActions(actions: unknown, n: number): void {
    v.binaryArray(actions, 'actions', n, this.nBits);
  }
}

/** Any of the MLP policies. */
export type AnyMlpPolicy = GaussianMlpPolicy | CategoricalMlpPolicy | MultiCategoricalMlpPolicy | BernoulliMlpPolicy;
