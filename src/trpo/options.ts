/**
 * TRPO hyperparameters: sb3-contrib TRPO's names in camelCase, its defaults, and validation that
 * names the offending option before any training starts.
 */
import type { BackendChoice } from '../backend.js';
import type { Activation, Dtype, TrpoAlgo } from '../core/types.js';
import { activationOf } from '../network.js';
import { DEFAULT_TRPO_STEP_OPTIONS } from '../policies.js';
import { DEFAULT_FIT_OPTIONS } from '../value-function.js';
import * as v from '../validate.js';

/** Network layout: hidden widths shared by policy and value net, or separate `{ pi, vf }`. */
export type NetArch = number[] | {
  /** Hidden widths of the policy network (default [64, 64]). */
  pi?: number[];
  /** Hidden widths of the value network (default [64, 64]). */
  vf?: number[];
};

/** Network options of the policy and value networks (SB3's policy_kwargs, camelCase). */
export interface PolicyKwargs {
  /** Hidden layers (default `{ pi: [64, 64], vf: [64, 64] }`, SB3's default). */
  netArch?: NetArch;
  /** Activation of the hidden layers of both networks: 'tanh' (default, SB3's) or 'relu'. */
  activationFn?: Activation;
  /** SB3's orthogonal initialization (default true); false: PyTorch's default nn.Linear init. */
  orthoInit?: boolean;
  /** Initial log standard deviation of the Gaussian policy (Box actions only; default 0). */
  logStdInit?: number;
  /** gSDE (useSde): one std per latent feature and action dimension (default true). */
  fullStd?: boolean;
  /** gSDE: std = expln(log_std) instead of exp(log_std) (default false). */
  useExpln?: boolean;
  /** gSDE: gradients flow into the latent features (default false). */
  learnFeatures?: boolean;
}

/** A learning-rate schedule: the rate as a function of the remaining progress (1 at the start of learn(), 0 at its end), as SB3's. */
export type Schedule = (progressRemaining: number) => number;

/** A constant, a schedule, or 'linear:<initial>' (initial * progressRemaining, saved with the model). */
export type LearningRate = number | Schedule | `linear:${number}`;

/**
 * The adaptive trust region (off by default): after every update the radius delta used by the
 * step is multiplied by `factor` when the accepted KL stayed below `lower * targetKl`, and divided
 * by it when the KL exceeded `upper * targetKl` or no step was accepted, within
 * [minTargetKl, maxTargetKl]. The first update uses targetKl.
 */
export interface AdaptiveKlOptions {
  /** Growth / shrink factor of delta (default 1.5; > 1). */
  factor?: number;
  /** Grow delta when the accepted KL < lower * targetKl (default 0.5). */
  lower?: number;
  /** Shrink delta when the accepted KL > upper * targetKl (default 1.5; > lower). */
  upper?: number;
  /** Lower bound of delta (default targetKl / 10; > 0). */
  minTargetKl?: number;
  /** Upper bound of delta (default 10 * targetKl; ≥ minTargetKl). */
  maxTargetKl?: number;
}

/** AdaptiveKlOptions with every default filled in. */
export type ResolvedAdaptiveKl = Required<AdaptiveKlOptions>;

/** Options of `new TRPO(policy, env, options)`; every field is optional. */
export interface TRPOOptions {
  /**
   * Adam step size of the critic (default 1e-3), or a schedule of the remaining progress
   * (evaluated once per update, after its rollout, as SB3), or 'linear:1e-3'. A function schedule
   * cannot be saved with the model (use 'linear:<initial>' for that). The policy takes
   * trust-region steps. sb3-contrib's learning_rate; ≥ 0.
   */
  learningRate?: LearningRate;
  /** Steps collected per env per update (default 2048, sb3-contrib's n_steps; a positive integer): a batch is nSteps x nEnvs samples. */
  nSteps?: number;
  /** Critic minibatch size (default 128, sb3-contrib's batch_size; a positive integer). */
  batchSize?: number;
  /** Discount γ (default 0.99; in [0, 1]). */
  gamma?: number;
  /** Conjugate-gradient iterations (default 15, sb3-contrib's cg_max_steps; a positive integer). */
  cgMaxSteps?: number;
  /** CG stops when r.r < cgTol (default 1e-10; ≥ 0). */
  cgTol?: number;
  /** Clip the critic's gradient norm before each Adam step (default 0: off; ≥ 0). sb3-contrib's TRPO has no critic clipping. */
  maxGradNorm?: number;
  /** Generalized state-dependent exploration for Box actions (default false, sb3-contrib's use_sde; see GaussianMlpPolicyOptions.useSde). */
  useSde?: boolean;
  /** gSDE: draw new exploration matrices every this many steps (default -1: only at the start of each rollout, and at every episode start; sb3-contrib's sde_sample_freq). */
  sdeSampleFreq?: number;
  /** Damping of the Fisher matrix in CG, (F + cgDamping I) (default 0.1, sb3-contrib's cg_damping; ≥ 0). */
  cgDamping?: number;
  /** Step shrink factor of the backtracking line search (default 0.8, sb3-contrib's line_search_shrinking_factor; in (0, 1)). */
  lineSearchShrinkingFactor?: number;
  /** Line-search points tried, the full step first (default 10, sb3-contrib's line_search_max_iter; a positive integer). */
  lineSearchMaxIter?: number;
  /** Critic epochs per update (default 10, sb3-contrib's n_critic_updates; a positive integer). */
  nCriticUpdates?: number;
  /** GAE λ (default 0.95, sb3-contrib's gae_lambda; in [0, 1]). */
  gaeLambda?: number;
  /** Standardize the advantages of each batch (default true, sb3-contrib's normalize_advantage). */
  normalizeAdvantage?: boolean;
  /** Trust-region radius delta on the mean KL (default 0.01, sb3-contrib's target_kl; > 0; not PPO-style early stopping; see klAverage). */
  targetKl?: number;
  /**
   * Which KL targetKl bounds, averaged over the batch. 'elements' (default, sb3-contrib's): for
   * Box (Gaussian, gSDE) and MultiBinary actions, the KL of each action element averaged over the
   * elements too. sb3-contrib's `kl_divergence(...).mean()` averages a (batch × action dimensions)
   * tensor for these distributions, so RL-Zoo's tuned target_kl values mean that. 'joint': the KL
   * of the whole action distribution (Schulman et al. 2015), i.e. actDim times the former.
   * Discrete and MultiDiscrete actions have one KL per state either way. Internally 'elements'
   * runs the joint-KL step with targetKl × d and cgDamping × d (d the action elements): the same
   * direction, step and line search as sb3-contrib's, whose Fisher is the joint one divided by d.
   * The logged `kl` is on the same scale as targetKl.
   */
  klAverage?: KlAverage;
  /**
   * 'trpo' (default) or 'npg': natural policy gradient (Spinning Up's algo='npg'), the step
   * sqrt(2 targetKl / s^T F s) s without line search.
   */
  algo?: TrpoAlgo;
  /** Start each update's CG from the previous update's direction instead of 0 (default false). */
  cgWarmStart?: boolean;
  /** Adapt delta to the accepted KL between updates (default false; true: AdaptiveKlOptions' defaults). */
  adaptiveKl?: boolean | AdaptiveKlOptions;
  /**
   * The Fisher-vector products (only they) use every k-th sample of the batch (default 1: all).
   * sb3-contrib's sub_sampling_factor subsamples the whole step (gradient and line search too).
   */
  subSamplingFactor?: number;
  /** Entropy bonus coefficient in the surrogate (default 0; sb3-contrib has no such option and uses 0). */
  entCoef?: number;
  /** Episodes in the window of the logged episode-return statistics (default 100, SB3's stats_window_size; a positive integer). */
  statsWindowSize?: number;
  /** The networks: netArch, activationFn, orthoInit, logStdInit and the gSDE flags (see PolicyKwargs). */
  policyKwargs?: PolicyKwargs;
  /** Seeds every random choice (weights, sampling, critic shuffles, env resets: env i gets seed + i). */
  seed?: number;
  /** Compute backend (default 'auto': native when available). */
  backend?: BackendChoice;
  /** Precision of the native backend (default 'float32'; the JS backend computes in float64). */
  dtype?: Dtype;
  /** TensorBoard log directory, as SB3's tensorboard_log: learn writes to `${tensorboardLog}/${tbLogName}_N` (src/logging/configure.ts). */
  tensorboardLog?: string | null;
  /** 0 silent (default), 1 SB3's stdout table after every update, 2 also debug messages (SB3's verbose). */
  verbose?: 0 | 1 | 2;
}

/** Options after defaults and validation (what a saved model records). */
export interface ResolvedTRPOOptions {
  /** Adam step size of the critic: a constant ≥ 0, a schedule of the remaining progress, or 'linear:<initial>'. */
  learningRate: LearningRate;
  /** Steps collected per env per update (a batch is nSteps × nEnvs samples); a positive integer. */
  nSteps: number;
  /** Critic minibatch size; a positive integer. */
  batchSize: number;
  /** Discount factor γ, in [0, 1]. */
  gamma: number;
  /** Cap on conjugate-gradient iterations per update; a positive integer. */
  cgMaxSteps: number;
  /** CG stops when r·r < cgTol; ≥ 0. */
  cgTol: number;
  /** Global gradient-norm clip of the critic before each Adam step; 0 (or Infinity) is off. */
  maxGradNorm: number;
  /** Whether the Gaussian policy uses gSDE exploration (Box actions only). */
  useSde: boolean;
  /** gSDE: steps between new exploration matrices; -1 only at rollout and episode starts. */
  sdeSampleFreq: number;
  /** Damping λ of the Fisher matrix, (F + λ I); ≥ 0. */
  cgDamping: number;
  /** Factor the step is multiplied by between line-search points, in (0, 1). */
  lineSearchShrinkingFactor: number;
  /** Line-search points tried, the full step first; a positive integer. */
  lineSearchMaxIter: number;
  /** Critic epochs per update (the value fit's epochs); a positive integer. */
  nCriticUpdates: number;
  /** GAE λ, in [0, 1]. */
  gaeLambda: number;
  /** Whether each batch's advantages are standardized (mean 0, std 1) before the step. */
  normalizeAdvantage: boolean;
  /** Trust-region radius δ on the mean KL(π_old ‖ π_new) (the first update's when adaptiveKl is on); > 0. */
  targetKl: number;
  /** 'elements': targetKl bounds the KL per action element for Box and MultiBinary actions (sb3-contrib); 'joint': the joint KL. */
  klAverage: KlAverage;
  /** 'trpo' (line search) or 'npg' (the scaled natural-gradient step, no line search). */
  algo: TrpoAlgo;
  /** Whether each update's CG starts from the previous update's direction (scaled to its best multiple) instead of 0. */
  cgWarmStart: boolean;
  /** The adaptive trust region with every bound filled in, or false when off. */
  adaptiveKl: false | ResolvedAdaptiveKl;
  /** The Fisher-vector products use every k-th sample of the batch (1: all); a positive integer. */
  subSamplingFactor: number;
  /** Entropy bonus coefficient in the surrogate. */
  entCoef: number;
  /** Episodes in the window of the logged episode-return statistics; a positive integer. */
  statsWindowSize: number;
  /** The network options with every default filled in. */
  policyKwargs: {
    /** Hidden widths of each network. */
    netArch: {
      /** Hidden widths of the policy network. */
      pi: number[];
      /** Hidden widths of the value network. */
      vf: number[];
    };
    /** Initial log std of the Gaussian policy, or null when not given (non-Box actions; a Box takes 0). */
    logStdInit: number | null;
    /** Activation of the hidden layers of both networks. */
    activationFn: Activation;
    /** SB3's orthogonal initialization (true) or PyTorch's default nn.Linear init (false). */
    orthoInit: boolean;
    /** gSDE: one std per latent feature and action dimension. */
    fullStd: boolean;
    /** gSDE: std = expln(log_std) instead of exp(log_std). */
    useExpln: boolean;
    /** gSDE: gradients flow into the latent features. */
    learnFeatures: boolean;
  };
  /** The seed every generator derives from, or null for a random one (the model's `seed` then tells it). */
  seed: number | null;
  /** The requested compute backend (the model's `backend` tells the one in use). */
  backend: BackendChoice;
  /** Precision of the native backend's weights and arithmetic. */
  dtype: Dtype;
}

const STEP = DEFAULT_TRPO_STEP_OPTIONS;
const FIT = DEFAULT_FIT_OPTIONS;

/**
 * The trainer's defaults. The step's and the critic's come from their one table
 * (DEFAULT_TRPO_STEP_OPTIONS in src/policies.ts, DEFAULT_FIT_OPTIONS in src/value-function.ts);
 * the step's options carry the same names at every level (down to cpp/core.hpp); the critic's
 * nCriticUpdates is the fit's epochs.
 */
export const TRPO_DEFAULTS = Object.freeze({
  /** 1e-3: the critic's Adam step size (sb3-contrib's learning_rate). */
  learningRate: FIT.learningRate as LearningRate,
  /** 2048 steps per env per update (sb3-contrib's n_steps). */
  nSteps: 2048,
  /** 128: critic minibatch size (sb3-contrib's batch_size). */
  batchSize: FIT.batchSize,
  /** 0.99: discount factor γ. */
  gamma: 0.99,
  /** 15 conjugate-gradient iterations (sb3-contrib's cg_max_steps). */
  cgMaxSteps: STEP.cgMaxSteps,
  /** 1e-10: CG stops when r·r falls below it. */
  cgTol: STEP.cgTol,
  /** 0: no critic gradient clipping. */
  maxGradNorm: FIT.maxGradNorm,
  /** false: a diagonal Gaussian with state-independent std (no gSDE). */
  useSde: false,
  /** -1: gSDE matrices redrawn only at rollout starts and episode starts. */
  sdeSampleFreq: -1,
  /** 0.1: Fisher damping λ in (F + λ I) (sb3-contrib's cg_damping). */
  cgDamping: STEP.cgDamping,
  /** 0.8: step shrink factor of the line search. */
  lineSearchShrinkingFactor: STEP.lineSearchShrinkingFactor,
  /** 10 line-search points at most. */
  lineSearchMaxIter: STEP.lineSearchMaxIter,
  /** 10 critic epochs per update (sb3-contrib's n_critic_updates). */
  nCriticUpdates: FIT.epochs,
  /** 0.95: GAE λ (sb3-contrib's gae_lambda). */
  gaeLambda: 0.95,
  /** true: advantages standardized per batch. */
  normalizeAdvantage: true,
  /** 0.01: trust-region radius δ on the mean KL (sb3-contrib's target_kl). */
  targetKl: STEP.targetKl,
  /** 'elements': the KL averaged over the action elements too, as sb3-contrib's TRPO. */
  klAverage: 'elements' as KlAverage,
  /** 'trpo': conjugate gradient then the backtracking line search. */
  algo: STEP.algo,
  /** false: CG starts from 0. */
  cgWarmStart: STEP.cgWarmStart,
  /** false: a fixed trust region. */
  adaptiveKl: false as boolean | AdaptiveKlOptions,
  /** 1: the Fisher-vector products use every sample. */
  subSamplingFactor: STEP.subSamplingFactor,
  /** 0: no entropy bonus (sb3-contrib fixes it to 0). */
  entCoef: STEP.entCoef,
  /** 100 episodes in the return-statistics window. */
  statsWindowSize: 100,
});

export const TRPO_OPTION_KEYS: readonly string[] = Object.freeze([
  ...Object.keys(TRPO_DEFAULTS), 'policyKwargs', 'seed', 'backend', 'dtype',
  // logging settings, resolved by src/logging/configure.ts (not hyperparameters; not saved)
  'tensorboardLog', 'verbose',
]);

const P = 'TRPO: options.';

function bool(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw new TypeError(`${name}: expected a boolean, got ${v.describe(value)}`);
  return value;
}

function learningRateOf(value: unknown, name: string): LearningRate {
  if (typeof value === 'function') return value as Schedule;
  if (typeof value === 'string') {
    const m = /^linear:(.+)$/.exec(value);
    const initial = m ? Number(m[1]) : NaN;
    if (!(initial > 0 && Number.isFinite(initial))) {
      throw new RangeError(`${name}: expected a positive number, a function of the remaining progress or 'linear:<positive number>', got ${v.describe(value)}`);
    }
    return value as `linear:${number}`;
  }
  if (typeof value !== 'number') {
    throw new TypeError(`${name}: expected a positive number, a function of the remaining progress or 'linear:<positive number>', got ${v.describe(value)}`);
  }
  return v.numberIn(value, name, 0, Infinity, { minOpen: true, maxOpen: true });
}

/** The learning rate at `progressRemaining` (1 -> 0); a schedule must give a positive finite number. */
export function learningRateAt(lr: LearningRate, progressRemaining: number): number {
  if (typeof lr === 'number') return lr;
  const rate = typeof lr === 'string' ? Number(lr.slice('linear:'.length)) * progressRemaining : lr(progressRemaining);
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0) {
    throw new RangeError(`TRPO: options.learningRate: the schedule gave ${v.describe(rate)} at progressRemaining ${progressRemaining} (expected a finite number >= 0)`);
  }
  return rate;
}

function algoOf(value: unknown, name: string): TrpoAlgo {
  if (value === 'trpo' || value === 'npg') return value;
  throw new (typeof value === 'string' ? RangeError : TypeError)(`${name}: expected 'trpo' or 'npg', got ${v.describe(value)}`);
}

/** How targetKl averages the KL over an action's elements (see TRPOOptions.klAverage). */
export type KlAverage = 'elements' | 'joint';

function klAverageOf(value: unknown, name: string): KlAverage {
  if (value === 'elements' || value === 'joint') return value;
  throw new RangeError(`${name}: expected 'elements' or 'joint', got ${v.describe(value)}`);
}

function adaptiveKlOf(value: unknown, name: string, targetKl: number): false | ResolvedAdaptiveKl {
  if (value === false) return false;
  const o = value === true ? {} : v.object(value, name);
  v.knownKeys(o, ['factor', 'lower', 'upper', 'minTargetKl', 'maxTargetKl'], name);
  const pos = { minOpen: true, maxOpen: true };
  const factor = v.numberIn(o.factor ?? 1.5, `${name}.factor`, 1, Infinity, pos);
  const lower = v.numberIn(o.lower ?? 0.5, `${name}.lower`, 0, Infinity, { maxOpen: true });
  const upper = v.numberIn(o.upper ?? 1.5, `${name}.upper`, lower, Infinity, pos);
  const minTargetKl = v.numberIn(o.minTargetKl ?? targetKl / 10, `${name}.minTargetKl`, 0, targetKl, { minOpen: true });
  const maxTargetKl = v.numberIn(o.maxTargetKl ?? targetKl * 10, `${name}.maxTargetKl`, targetKl, Infinity, { maxOpen: true });
  return { factor, lower, upper, minTargetKl, maxTargetKl };
}

/**
 * The adaptive trust region's rule (see AdaptiveKlOptions): the radius for the next update from
 * the current one and the step's outcome (accepted KL).
 */
export function nextTargetKl(current: number, step: { accepted: boolean; kl: number }, targetKl: number, a: ResolvedAdaptiveKl): number {
  if (!step.accepted || !(step.kl <= a.upper * targetKl)) return Math.max(current / a.factor, a.minTargetKl);
  if (step.kl < a.lower * targetKl) return Math.min(current * a.factor, a.maxTargetKl);
  return current;
}

function sampleFreq(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value === 0 || value < -1) {
    throw new RangeError(`${name}: expected a positive integer or -1 (only at rollout and episode starts), got ${v.describe(value)}`);
  }
  return value;
}

function widths(value: unknown, name: string): number[] {
  if (!Array.isArray(value)) throw new TypeError(`${name}: expected an array of positive integers (hidden layer widths), got ${v.describe(value)}`);
  return v.hiddenSizes(value, name);
}

/** Defaults + validation; throws a TypeError/RangeError naming the option. */
export function resolveTRPOOptions(options: unknown): ResolvedTRPOOptions {
  const o = v.object(options ?? {}, 'TRPO: options');
  for (const key of Object.keys(o)) {
    if (!TRPO_OPTION_KEYS.includes(key)) {
      const hint = TRPO_OPTION_KEYS.find((k) => k.toLowerCase() === key.toLowerCase().replace(/_/g, ''));
      throw new RangeError(`TRPO: unknown option '${key}'${hint ? ` (did you mean '${hint}'?)` : ''}; expected one of ${TRPO_OPTION_KEYS.join(', ')}`);
    }
  }
  const get = <K extends keyof typeof TRPO_DEFAULTS>(k: K): unknown => (o[k] === undefined ? TRPO_DEFAULTS[k] : o[k]);
  const r: ResolvedTRPOOptions = {
    learningRate: learningRateOf(get('learningRate'), `${P}learningRate`),
    nSteps: v.positiveInteger(get('nSteps'), `${P}nSteps`),
    batchSize: v.positiveInteger(get('batchSize'), `${P}batchSize`),
    gamma: v.numberIn(get('gamma'), `${P}gamma`, 0, 1),
    cgMaxSteps: v.positiveInteger(get('cgMaxSteps'), `${P}cgMaxSteps`),
    cgTol: v.numberIn(get('cgTol'), `${P}cgTol`, 0, Infinity, { maxOpen: true }),
    maxGradNorm: v.numberIn(get('maxGradNorm'), `${P}maxGradNorm`, 0, Infinity),
    useSde: bool(get('useSde'), `${P}useSde`),
    sdeSampleFreq: sampleFreq(get('sdeSampleFreq'), `${P}sdeSampleFreq`),
    cgDamping: v.numberIn(get('cgDamping'), `${P}cgDamping`, 0, Infinity, { maxOpen: true }),
    lineSearchShrinkingFactor: v.numberIn(get('lineSearchShrinkingFactor'), `${P}lineSearchShrinkingFactor`, 0, 1, { minOpen: true, maxOpen: true }),
    lineSearchMaxIter: v.positiveInteger(get('lineSearchMaxIter'), `${P}lineSearchMaxIter`),
    nCriticUpdates: v.positiveInteger(get('nCriticUpdates'), `${P}nCriticUpdates`),
    gaeLambda: v.numberIn(get('gaeLambda'), `${P}gaeLambda`, 0, 1),
    normalizeAdvantage: bool(get('normalizeAdvantage'), `${P}normalizeAdvantage`),
    targetKl: v.numberIn(get('targetKl'), `${P}targetKl`, 0, Infinity, { minOpen: true, maxOpen: true }),
    klAverage: klAverageOf(get('klAverage'), `${P}klAverage`),
    algo: algoOf(get('algo'), `${P}algo`),
    cgWarmStart: bool(get('cgWarmStart'), `${P}cgWarmStart`),
    adaptiveKl: false,
    subSamplingFactor: v.positiveInteger(get('subSamplingFactor'), `${P}subSamplingFactor`),
    entCoef: v.numberIn(get('entCoef'), `${P}entCoef`, -Infinity, Infinity),
    statsWindowSize: v.positiveInteger(get('statsWindowSize'), `${P}statsWindowSize`),
    policyKwargs: {
      netArch: { pi: [64, 64], vf: [64, 64] }, logStdInit: null, activationFn: 'tanh', orthoInit: true,
      fullStd: true, useExpln: false, learnFeatures: false,
    },
    seed: null,
    backend: 'auto',
    dtype: 'float32',
  };
  r.adaptiveKl = adaptiveKlOf(get('adaptiveKl'), `${P}adaptiveKl`, r.targetKl);
  if (o.policyKwargs !== undefined) {
    const pk = v.object(o.policyKwargs, `${P}policyKwargs`);
    const known = ['netArch', 'activationFn', 'orthoInit', 'logStdInit', 'fullStd', 'useExpln', 'learnFeatures'];
    for (const key of Object.keys(pk)) {
      if (!known.includes(key)) {
        throw new RangeError(`${P}policyKwargs: unknown option '${key}' (expected ${known.join(', ')})`);
      }
    }
    if (pk.activationFn !== undefined) r.policyKwargs.activationFn = activationOf(pk.activationFn, `${P}policyKwargs.activationFn`);
    for (const key of ['orthoInit', 'fullStd', 'useExpln', 'learnFeatures'] as const) {
      if (pk[key] !== undefined) r.policyKwargs[key] = bool(pk[key], `${P}policyKwargs.${key}`);
    }
    if (!r.useSde) {
      for (const key of ['fullStd', 'useExpln', 'learnFeatures'] as const) {
        if (pk[key] !== undefined) throw new RangeError(`${P}policyKwargs.${key}: only used with useSde: true`);
      }
    }
    if (pk.netArch !== undefined) {
      const na = pk.netArch;
      if (Array.isArray(na)) {
        const w = widths(na, `${P}policyKwargs.netArch`);
        r.policyKwargs.netArch = { pi: w, vf: [...w] };
      } else {
        const nao = v.object(na, `${P}policyKwargs.netArch`);
        for (const key of Object.keys(nao)) {
          if (key !== 'pi' && key !== 'vf') throw new RangeError(`${P}policyKwargs.netArch: unknown key '${key}' (expected pi, vf)`);
        }
        if (nao.pi !== undefined) r.policyKwargs.netArch.pi = widths(nao.pi, `${P}policyKwargs.netArch.pi`);
        if (nao.vf !== undefined) r.policyKwargs.netArch.vf = widths(nao.vf, `${P}policyKwargs.netArch.vf`);
      }
    }
    if (pk.logStdInit !== undefined) r.policyKwargs.logStdInit = v.numberIn(pk.logStdInit, `${P}policyKwargs.logStdInit`, -20, 20);
  }
  if (o.seed !== undefined && o.seed !== null) {
    if (typeof o.seed !== 'number' || !Number.isSafeInteger(o.seed) || o.seed < 0) {
      throw new TypeError(`${P}seed: expected a non-negative integer, got ${v.describe(o.seed)}`);
    }
    r.seed = o.seed;
  }
  if (o.backend !== undefined) {
    if (o.backend !== 'auto' && o.backend !== 'native' && o.backend !== 'js') {
      throw new RangeError(`${P}backend: expected 'auto', 'native' or 'js', got ${v.describe(o.backend)}`);
    }
    r.backend = o.backend;
  }
  if (o.dtype !== undefined) {
    if (o.dtype !== 'float32' && o.dtype !== 'float64') throw new RangeError(`${P}dtype: expected 'float32' or 'float64', got ${v.describe(o.dtype)}`);
    r.dtype = o.dtype;
  }
  return r;
}
