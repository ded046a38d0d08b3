/**
 * The TRPO trainer (sb3-contrib TRPO's algorithm, options and defaults): on-policy rollouts of
 * nSteps per env into preallocated typed arrays (rollout.ts), then GAE with bootstrapping on
 * truncation, one trust-region natural-gradient step of the policy (conjugate gradient +
 * backtracking line search, in the compute core) and nCriticUpdates epochs of Adam on the value
 * network (update.ts). This class wires them together, and saves and loads the model.
 */
import type { BackendChoice } from '../backend.js';
import type { BaseCallback, StepLocals } from '../callbacks/base.js';
import { openRunLogger, resolveLoggingOptions } from '../logging/configure.js';
import { Logger } from '../logging/logger.js';
import type { VecNormalize, VecNormalizeState } from '../envs/vector/normalize.js';
import { SyncVectorEnv } from '../envs/vector/sync.js';
import type { VecEnv } from '../envs/vector/vec-env.js';
import { isBox, isDiscrete, isMultiBinary, isMultiDiscrete, type ActionSpace, type ObservationSpace } from '../envs/spaces.js';
import { flatDim } from '../envs/flatten.js';
import { BernoulliMlpPolicy, CategoricalMlpPolicy, GaussianMlpPolicy, MultiCategoricalMlpPolicy, type AnyMlpPolicy } from '../policies.js';
import { Random } from '../random.js';
import * as v from '../validate.js';
import { ValueFunction } from '../value-function.js';
import {
  captureEnvState, checkEnvMatches, checkVecEnv, envIdOf, restoreEnvState, vecNormalizeOf, type SavedEnvState,
} from './env-state.js';
import { EpisodeWindow } from './episode-window.js';
import { resolveLearnOptions, type LearnOptions, type LoadOptions, type PredictOptions, type SaveOptions } from './method-options.js';
import { JsonLinesLogger, type TRPOLogger, type TRPOUpdateInfo } from './logger.js';
import { fieldError, modelPayload, readEnvState, readModelHeader, readModelState, type SavedModel } from './model-file.js';
import { learningRateAt, nextTargetKl, resolveTRPOOptions, type ResolvedTRPOOptions, type TRPOOptions } from './options.js';
import { ProgressBar } from './progress.js';
import { actionLayoutOf, collectRollout, observationLayoutOf, type ActionLayout, type ObservationLayout, type RolloutStepHook } from './rollout.js';
import { predictInputs } from './predict-input.js';
import { RolloutBuffer } from './rollout-buffer.js';
import { readModelFile, serializeModel, writeFileAtomic } from './serialize.js';
import { updateFromRollout } from './update.js';

export type TRPOPolicy = AnyMlpPolicy;

const INTERNAL: unique symbol = Symbol('TRPO.internal');
/** What `TRPO.load` gives the constructor instead of an env. */
interface InternalInit {
  token: typeof INTERNAL;
  observationSpace: ObservationSpace;
  actionSpace: ActionSpace;
  baseSeed: number;
  normalized: boolean;
  usesVecNormalize: boolean;
}

/** The model's state after an update, to roll back to if the next one fails. */
interface Snapshot {
  numTimesteps: number;
  numUpdates: number;
  currentTargetKl: number;
  sampleRng: number[];
  valueRng: number[];
  episodes: { returns: number[]; lengths: number[] };
  lastObs: Float64Array | null;
  policy: Float64Array;
  value: Float64Array;
  adam: Float64Array;
  vecNormalize: VecNormalizeState | null;
  /** The env's running episodes at the snapshot (taken when callbacks may save during the update). */
  envState: SavedEnvState | null;
}

function checkBatchSize(o: ResolvedTRPOOptions, nEnvs: number): void {
  if (o.normalizeAdvantage && o.nSteps * nEnvs < 2) {
    throw new RangeError(`TRPO: options.nSteps: nSteps x nEnvs must be > 1 to normalize advantages, got ${o.nSteps} x ${nEnvs}`);
  }
}

function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}

/**
 * Trust Region Policy Optimization.
 *
 * ```ts
 * const env = await makeVecEnv('CartPole-v1', { nEnvs: 2 });
 * const model = new TRPO('MlpPolicy', env, { nSteps: 512, seed: 1 });
 * await model.learn({ totalTimesteps: 100_000 });
 * const actions = model.predict(observations, { deterministic: true });
 * await model.save('cartpole.trpo.json');
 * ```
 */
export class TRPO {
  readonly policyName = 'MlpPolicy';
  /** Every hyperparameter, after defaults. */
  readonly options: ResolvedTRPOOptions;
  readonly observationSpace: ObservationSpace;
  readonly actionSpace: ActionSpace;
  /**
   * The policy's and critic's input size: the flattened observation (`flatDim(observationSpace)`;
   * a Box's size; Discrete values one-hot, Dict keys concatenated in key order).
   */
  readonly obsDim: number;
  /** Values per env in the env's observation batches (`packedSize(observationSpace)`; a Box's size). */
  readonly envObsDim: number;
  /** Action entries per env in a flat action batch (Box size, 1 for Discrete, nvec.length for MultiDiscrete, n for MultiBinary). */
  readonly actDim: number;
  readonly policy: TRPOPolicy;
  readonly valueFunction: ValueFunction;
  /** Whether the model works on observations normalized by a VecNormalize (normObs). */
  readonly normalized: boolean;
  /** Whether the model was trained in a VecNormalize (observations and/or rewards). */
  readonly usesVecNormalize: boolean;
  /** Environment steps taken by learn (reset to 0 by learn unless resetNumTimesteps is false). */
  numTimesteps = 0;
  /** Updates made since the model was created. */
  numUpdates = 0;
  /** The trust-region radius of the next update: options.targetKl, or the adaptive trust region's (options.adaptiveKl). */
  currentTargetKl: number;
  /** TensorBoard log directory (options.tensorboardLog; not saved with the model). */
  tensorboardLog: string | null;
  /** 0 silent, 1 SB3's table per update (options.verbose; not saved with the model). */
  verbose: 0 | 1 | 2;
  /** The SB3-style logger of the current (or last) learn, which callbacks record into; null when it logs nowhere. */
  logger: Logger | null = null;

  private envRef: VecEnv | null = null;
  private readonly actionLayout: ActionLayout;
  private readonly obsLayout: ObservationLayout;
  /** Whether the core takes float32 observations. */
  private readonly f32: boolean;
  private readonly baseSeed: number;
  /** The seed of the first env reset, used once (options.seed). */
  private pendingEnvSeed: number | null;
  private readonly sampleRng: Random;
  private readonly predictRng: Random;
  /** The observations the next rollout starts from (null: start new episodes). */
  private lastObs: Float64Array | null = null;
  /** The env state read from a file, restored by the next learn({ resetNumTimesteps: false }). */
  private pendingEnvState: SavedEnvState | null = null;
  /** VecNormalize statistics read from a file loaded without an env (kept to be saved again). */
  private loadedVecNormalize: VecNormalizeState | null = null;
  private readonly episodes: EpisodeWindow;
  private buffer: RolloutBuffer | null = null;
  private learning = false;
  /** learn()'s final step count (the denominator of the learning-rate progress). */
  private progressTarget = 0;
  /** True during an update (a rollout and its training); a save then writes updateSnapshot. */
  private busy = false;
  /** The model as after the last complete update, while an update runs. */
  private updateSnapshot: Snapshot | null = null;

  constructor(policy: 'MlpPolicy', env: VecEnv, options?: TRPOOptions);
  /** @internal */
  constructor(policy: 'MlpPolicy', env: VecEnv | null, options: TRPOOptions, internal: InternalInit);
  constructor(policy: 'MlpPolicy', env: VecEnv | null, options: TRPOOptions = {}, internal?: InternalInit) {
    if (policy !== 'MlpPolicy') {
      throw new RangeError(`TRPO: policy: expected 'MlpPolicy' (an MLP actor and critic on the flattened observations; SB3's MultiInputPolicy for Dict observations), got ${v.describe(policy)}`);
    }
    this.options = resolveTRPOOptions(options);
    this.currentTargetKl = this.options.targetKl;
    ({ tensorboardLog: this.tensorboardLog, verbose: this.verbose } = resolveLoggingOptions(options ?? {}));
    const o = this.options;
    const fromFile = internal !== undefined && internal.token === INTERNAL;
    if (!fromFile || env !== null) checkVecEnv(env, 'TRPO');
    this.observationSpace = fromFile ? internal.observationSpace : env!.observationSpace;
    this.actionSpace = fromFile ? internal.actionSpace : env!.actionSpace;
    this.normalized = fromFile ? internal.normalized : vecNormalizeOf(env)?.normObs === true;
    this.usesVecNormalize = fromFile ? internal.usesVecNormalize : vecNormalizeOf(env) !== null;
    if (fromFile && env !== null) checkEnvMatches(env, this, 'TRPO.load');
    this.obsDim = flatDim(this.observationSpace);
    this.obsLayout = observationLayoutOf(this.observationSpace, this.obsDim);
    this.envObsDim = this.obsLayout.envDim;
    const space = this.actionSpace;
    this.actionLayout = actionLayoutOf(space);
    this.actDim = this.actionLayout.dim;
    if (!isBox(space) && o.policyKwargs.logStdInit !== null) {
      throw new RangeError(`TRPO: options.policyKwargs.logStdInit applies to Box action spaces (a Gaussian policy); the env's action space is ${String(space)}`);
    }
    if (!isBox(space) && o.useSde) {
      throw new RangeError(`TRPO: options.useSde applies to Box action spaces (a Gaussian policy); the env's action space is ${String(space)}`);
    }
    if (env) checkBatchSize(o, env.numEnvs);

    this.baseSeed = fromFile ? internal.baseSeed : (o.seed ?? randomSeed());
    this.pendingEnvSeed = o.seed;
    const master = new Random(this.baseSeed);
    const policySeed = master.nextUint32();
    const valueSeed = master.nextUint32();
    this.sampleRng = new Random(master.nextUint32());
    this.predictRng = new Random(master.nextUint32());
    const pk = o.policyKwargs;
    const common = { obsDim: this.obsDim, backend: o.backend, dtype: o.dtype, activationFn: pk.activationFn, orthoInit: pk.orthoInit };
    const sde = o.useSde ? { useSde: true, fullStd: pk.fullStd, useExpln: pk.useExpln, learnFeatures: pk.learnFeatures } : {};
    const hiddenSizes = pk.netArch.pi;
    this.policy = isDiscrete(space)
      ? new CategoricalMlpPolicy({ ...common, nActions: space.n, hiddenSizes, seed: policySeed })
      : isMultiDiscrete(space)
        ? new MultiCategoricalMlpPolicy({ ...common, nvec: [...space.nvec], hiddenSizes, seed: policySeed })
        : isMultiBinary(space)
          ? new BernoulliMlpPolicy({ ...common, nBits: space.n, hiddenSizes, seed: policySeed })
          : new GaussianMlpPolicy({ ...common, actDim: space.size, hiddenSizes, logStdInit: pk.logStdInit ?? 0, seed: policySeed, ...sde });
    this.valueFunction = new ValueFunction({ ...common, hiddenSizes: o.policyKwargs.netArch.vf, seed: valueSeed });
    this.f32 = this.policy.backend === 'native' && o.dtype === 'float32';
    this.episodes = new EpisodeWindow(o.statsWindowSize);
    this.envRef = env;
  }

  /** The training env (null for a model loaded without one). */
  get env(): VecEnv | null {
    return this.envRef;
  }

  /** The backend in use: 'native' or 'js'. */
  get backend(): 'native' | 'js' {
    return this.policy.backend;
  }

  /** The seed every generator of this model derives from (options.seed, or a random one). */
  get seed(): number {
    return this.baseSeed;
  }

  /** The training env's VecNormalize, if it has one (its statistics are saved with the model). */
  get vecNormalize(): VecNormalize | null {
    return vecNormalizeOf(this.envRef);
  }

  /**
   * The observation-normalization statistics of a model trained with VecNormalize (from its env,
   * or from the file when loaded without an env); null otherwise. To evaluate, give them to a
   * VecNormalize with `training = false` (see `makeEvalEnv`).
   */
  normalizationState(): VecNormalizeState | null {
    const state = vecNormalizeOf(this.envRef)?.getState() ?? this.loadedVecNormalize;
    if (!state) return null;
    const { returns: _runningReturns, ...statistics } = state;
    return statistics;
  }

  /**
   * Replace the training env (same spaces; VecNormalize if and only if the model uses it). The
   * next learn starts new episodes.
   */
  setEnv(env: VecEnv): void {
    checkEnvMatches(env, this, 'TRPO.setEnv');
    if (this.learning) throw new Error('TRPO.setEnv: cannot change the env while learn() runs');
    this.envRef = env;
    this.lastObs = null;
    this.pendingEnvState = null;
  }

  /**
   * Train for `totalTimesteps` environment steps. Each update: a rollout of nSteps per env, GAE,
   * one TRPO policy step, nCriticUpdates critic epochs; then the logger and the callback.
   * BaseCallbacks (src/callbacks/) get SB3's hooks, onStep after every vector step; the logger of
   * tensorboardLog / verbose (or a Logger given as `logger`) gets every update (src/logging/).
   * If the env (or anything else) throws during an update, the model is restored to its state
   * after the last complete update (parameters, optimizer, generators, counters, normalization
   * statistics) and the error is rethrown; the next learn starts new episodes.
   */
  async learn(options: LearnOptions): Promise<this> {
    const lo = resolveLearnOptions(options);
    const env = this.envRef;
    if (env === null) throw new Error('TRPO.learn: the model has no env; pass { env } to TRPO.load or call setEnv(env)');
    if (this.learning) throw new Error('TRPO.learn: learn() is already running on this model');
    checkBatchSize(this.options, env.numEnvs);
    const reset = lo.resetNumTimesteps;

    this.learning = true;
    let logger: TRPOLogger | null = null;
    let ownLogger = false;
    let runLogger: Logger | null = null;
    let bar: ProgressBar | null = null;
    const hooks = lo.hooks;
    try {
      if (typeof lo.logger === 'string') {
        logger = new JsonLinesLogger(lo.logger);
        ownLogger = true;
      } else if (lo.logger) {
        logger = lo.logger;
      }
      if (reset) {
        this.numTimesteps = 0;
        this.episodes.clear();
      }
      const target = reset ? lo.totalTimesteps : this.numTimesteps + lo.totalTimesteps;
      this.progressTarget = target;
      if (reset || this.lastObs === null) await this.startEpisodes(env, !reset);
      this.pendingEnvState = null;
      const buf = this.ensureBuffer(env.numEnvs);
      // SB3's logger: a Logger given as `logger`, else the one of tensorboardLog / verbose.
      runLogger = lo.logger instanceof Logger ? lo.logger
        : openRunLogger({ tensorboardLog: this.tensorboardLog, verbose: this.verbose, tbLogName: lo.tbLogName, resetNumTimesteps: reset });
      this.logger = runLogger;
      if (hooks) {
        hooks.init(this);
        await hooks.runTrainingStart({ totalTimesteps: target });
      }
      const start = { steps: this.numTimesteps, time: performance.now() };
      if (lo.progressBar) bar = new ProgressBar(target);
      while (this.numTimesteps < target) {
        const info = await this.updateOnce(env, buf, start, hooks);
        if (info === null) break; // a callback stopped training during the rollout
        logger?.log(info);
        if (runLogger !== logger) runLogger?.log(info);
        bar?.update(this.numTimesteps, info.epReturnMean === null ? '' : `return ${info.epReturnMean.toFixed(1)}`);
        if (lo.callback && (await lo.callback(info, this)) === false) break;
      }
      if (hooks) await hooks.runTrainingEnd();
    } finally {
      bar?.done(this.numTimesteps);
      this.learning = false;
      this.busy = false;
      if (ownLogger) logger?.close?.();
      if (runLogger && runLogger !== lo.logger) {
        runLogger.close();
        this.logger = null;
      }
    }
    return this;
  }

  /**
   * One update (a rollout, then the policy step and the critic fit); rolls the model back if it
   * fails. Null when a callback stopped training during the rollout (no update is made on the
   * partial rollout; the steps taken count, as in SB3).
   */
  private async updateOnce(env: VecEnv, buf: RolloutBuffer, start: { steps: number; time: number }, hooks: BaseCallback | null): Promise<TRPOUpdateInfo | null> {
    const snap = this.snapshot(hooks !== null);
    const updateNo = this.numUpdates + 1;
    this.busy = true;
    this.updateSnapshot = snap;
    try {
      const tr0 = performance.now();
      if (hooks) await hooks.runRolloutStart();
      const t0 = this.numTimesteps;
      const rollout = await collectRollout(env, buf, this.lastObs!, {
        policy: this.policy, valueFunction: this.valueFunction, rng: this.sampleRng, actions: this.actionLayout, observations: this.obsLayout, episodes: this.episodes,
        sdeSampleFreq: this.options.sdeSampleFreq,
        onStep: hooks?.needsStepCalls ? this.stepHook(hooks, t0, env.numEnvs) : undefined,
      });
      this.lastObs = rollout.lastObs;
      this.numTimesteps = t0 + rollout.steps * env.numEnvs;
      if (rollout.stopped) return null;
      if (hooks) await hooks.runRolloutEnd();
      const tr1 = performance.now();
      // SB3's progress: 1 - steps / (steps at the start of learn() + its totalTimesteps), after the rollout.
      const progressRemaining = this.progressTarget > 0 ? 1 - this.numTimesteps / this.progressTarget : 0;
      const learningRate = learningRateAt(this.options.learningRate, progressRemaining);
      const targetKl = this.currentTargetKl;
      const stats = await updateFromRollout(buf, this.policy, this.valueFunction, this.options, { learningRate, targetKl });
      const tr2 = performance.now();
      this.numUpdates = updateNo;
      const a = this.options.adaptiveKl;
      if (a) this.currentTargetKl = nextTargetKl(targetKl, stats, this.options.targetKl, a);
      const elapsed = (tr2 - start.time) / 1000;
      return {
        update: updateNo,
        timesteps: this.numTimesteps,
        ...this.episodes.stats(),
        rolloutEpisodes: rollout.episodes,
        ...stats,
        fps: elapsed > 0 ? (this.numTimesteps - start.steps) / elapsed : 0,
        rolloutSeconds: (tr1 - tr0) / 1000,
        updateSeconds: (tr2 - tr1) / 1000,
        elapsedSeconds: elapsed,
      };
    } catch (e) {
      this.restore(snap);
      // The env's episodes are in an unknown state now: start new ones on the next learn.
      this.lastObs = null;
      const msg = e instanceof Error ? e.message : String(e);
      throw new Error(`TRPO.learn: update ${updateNo} failed: ${msg}. The model is left as after update ${snap.numUpdates} (timestep ${snap.numTimesteps}); the next learn() starts new episodes.`, { cause: e });
    } finally {
      this.busy = false;
      this.updateSnapshot = null;
    }
  }

  /** The rollout's per-step hook for callbacks: the step count and SB3's step locals, then onStep. */
  private stepHook(hooks: BaseCallback, t0: number, nEnvs: number): RolloutStepHook {
    const dones = new Uint8Array(nEnvs);
    const locals: StepLocals = {
      nStep: 0, nRolloutSteps: this.options.nSteps, actions: new Float64Array(0), newObs: new Float64Array(0), rewards: new Float64Array(0),
      dones, terminated: dones, truncated: dones, infos: [],
    };
    return (t, actions, res) => {
      this.numTimesteps = t0 + (t + 1) * nEnvs;
      for (let e = 0; e < nEnvs; e++) dones[e] = res.terminated[e] || res.truncated[e] ? 1 : 0;
      locals.nStep = t;
      locals.actions = actions;
      locals.newObs = res.observations;
      locals.rewards = res.rewards;
      locals.terminated = res.terminated;
      locals.truncated = res.truncated;
      locals.infos = res.infos;
      hooks.updateLocals(locals);
      return hooks.runStep();
    };
  }

  /** Start (or, after load, restore) the env's episodes before the first rollout of a learn. */
  private async startEpisodes(env: VecEnv, allowRestore: boolean): Promise<void> {
    if (allowRestore && this.pendingEnvState) {
      const obs = restoreEnvState(env, this.pendingEnvState, this.envObsDim);
      if (obs) {
        this.lastObs = obs;
        return;
      }
      process.emitWarning('TRPO.learn: the saved env state cannot be restored into this env (it is not a SyncVectorEnv of the same size); starting new episodes', { code: 'TRPO_ENV_STATE' });
    }
    const seed = this.pendingEnvSeed;
    this.pendingEnvSeed = null;
    const args = seed === null ? {} : { seed };
    const obs = env instanceof SyncVectorEnv ? env.resetSync(args) : await env.reset(args);
    if (!(obs instanceof Float64Array) || obs.length !== env.numEnvs * this.envObsDim) {
      throw new TypeError(`TRPO.learn: env.reset() must return a Float64Array of numEnvs x obsDim = ${env.numEnvs * this.envObsDim} values, got ${v.describe(obs)}`);
    }
    this.lastObs = obs;
  }

  private ensureBuffer(nEnvs: number): RolloutBuffer {
    const b = this.buffer;
    if (b && b.nEnvs === nEnvs && b.nSteps === this.options.nSteps) return b;
    return (this.buffer = new RolloutBuffer(this.options.nSteps, nEnvs, this.obsDim, this.actDim, this.actionLayout.discrete, this.f32));
  }

  /** @param withEnvState also capture the env's running episodes (for a save during the update) */
  private snapshot(withEnvState = false): Snapshot {
    return {
      numTimesteps: this.numTimesteps,
      numUpdates: this.numUpdates,
      currentTargetKl: this.currentTargetKl,
      sampleRng: this.sampleRng.getState(),
      valueRng: this.valueFunction.rng.getState(),
      episodes: this.episodes.copy(),
      lastObs: this.lastObs,
      policy: this.policy.getParameters(),
      value: this.valueFunction.getParameters(),
      adam: this.valueFunction.getOptimizerState(),
      vecNormalize: vecNormalizeOf(this.envRef)?.getState() ?? null,
      envState: withEnvState && this.lastObs ? captureEnvState(this.envRef, this.lastObs) : null,
    };
  }

  private restore(s: Snapshot): void {
    this.numTimesteps = s.numTimesteps;
    this.numUpdates = s.numUpdates;
    this.currentTargetKl = s.currentTargetKl;
    this.sampleRng.setState(s.sampleRng);
    this.valueFunction.rng.setState(s.valueRng);
    this.episodes.set(s.episodes.returns, s.episodes.lengths);
    this.lastObs = s.lastObs;
    this.policy.setParameters(s.policy);
    this.valueFunction.setParameters(s.value);
    this.valueFunction.setOptimizerState(s.adam);
    const vn = vecNormalizeOf(this.envRef);
    if (vn && s.vecNormalize) vn.setState(s.vecNormalize);
  }

  /**
   * Actions for observations as the env gives them (normalized when the env has a VecNormalize):
   * a flat batch of n x envObsDim values (the vector env's packed rows; for a Box space n x
   * obsDim), or, for a Dict space, one observation object or an array of them, and for a
   * Discrete space one integer. Returns a Float64Array of n x actDim entries, ready for
   * `env.step` — Box actions clipped to the action space, Discrete (and MultiDiscrete /
   * MultiBinary) actions as integers of the space. Stochastic predictions use the model's own
   * seeded generator (saved with the model).
   */
  predict(obs: ArrayLike<number> | object | number, options: PredictOptions = {}): Float64Array {
    const po = v.object(options, 'TRPO.predict: options');
    v.knownKeys(po, ['deterministic'], 'TRPO.predict: options');
    const deterministic = po.deterministic ?? false;
    if (typeof deterministic !== 'boolean') throw new TypeError(`TRPO.predict: options.deterministic: expected a boolean, got ${v.describe(deterministic)}`);
    const x = predictInputs(this.obsLayout, obs, this.f32);
    // gSDE: a fresh exploration matrix per observation from the model's predict generator, so that
    // stochastic predictions depend only on saved state.
    if (!deterministic && this.policy instanceof GaussianMlpPolicy && this.policy.useSde) {
      this.policy.resetNoise(this.predictRng, x.length / this.obsDim);
    }
    const { actions } = this.policy.sample(x, { deterministic, rng: this.predictRng });
    const { kind, dim: w, start, starts, low, high } = this.actionLayout;
    if (kind === 'discrete') {
      if (start !== 0) for (let i = 0; i < actions.length; i++) actions[i] += start;
    } else if (kind === 'box') {
      for (let k = 0; k < actions.length; k++) actions[k] = Math.min(Math.max(actions[k], low![k % w]), high![k % w]);
    } else {
      for (let k = 0; k < actions.length; k++) actions[k] += starts[k % w];
    }
    return actions;
  }

  /**
   * Save the model (see serialize.ts for the format). Atomic: a temporary file, then a rename.
   * Saved during an update (from a callback), it writes the model as after the last complete
   * update — the policy acting in the rollout — with the env state and generators of that moment,
   * so loading it and learning on continues exactly like the uninterrupted run.
   */
  async save(path: string, options: SaveOptions = {}): Promise<void> {
    if (typeof this.options.learningRate === 'function') {
      throw new TypeError("TRPO.save: options.learningRate is a function, which a model file cannot hold; use a number or 'linear:<initial>'");
    }
    if (typeof path !== 'string' || path.length === 0) throw new TypeError(`TRPO.save: path: expected a file path, got ${v.describe(path)}`);
    const so = v.object(options, 'TRPO.save: options');
    v.knownKeys(so, ['includeEnvState'], 'TRPO.save: options');
    const text = serializeModel(modelPayload(this.savedModel((so.includeEnvState as boolean | undefined) ?? true)));
    await writeFileAtomic(path, text);
  }

  /** Everything the model file holds (see model-file.ts): the live model, or during an update its snapshot. */
  private savedModel(includeEnvState: boolean): SavedModel {
    const s = this.busy ? this.updateSnapshot : null;
    if (s) {
      const live = this.liveSavedModel(false);
      return {
        ...live,
        policy: s.policy, value: s.value, valueAdam: s.adam,
        rng: { sample: s.sampleRng, value: s.valueRng, predict: live.rng.predict },
        progress: { numTimesteps: s.numTimesteps, numUpdates: s.numUpdates, targetKl: s.currentTargetKl, episodeReturns: s.episodes.returns, episodeLengths: s.episodes.lengths },
        vecNormalize: s.vecNormalize ?? this.loadedVecNormalize,
        envState: includeEnvState ? s.envState : null,
      };
    }
    return this.liveSavedModel(includeEnvState);
  }

  private liveSavedModel(includeEnvState: boolean): SavedModel {
    const vn = vecNormalizeOf(this.envRef);
    const episodes = this.episodes.copy();
    return {
      options: this.options,
      backend: this.backend,
      envId: envIdOf(this.envRef),
      numEnvs: this.envRef?.numEnvs ?? null,
      observationSpace: this.observationSpace,
      actionSpace: this.actionSpace,
      normalized: this.normalized,
      policy: this.policy.getParameters(),
      value: this.valueFunction.getParameters(),
      valueAdam: this.valueFunction.getOptimizerState(),
      rng: { sample: this.sampleRng.getState(), value: this.valueFunction.rng.getState(), predict: this.predictRng.getState() },
      seeds: { base: this.baseSeed, pendingEnvSeed: this.pendingEnvSeed },
      progress: { numTimesteps: this.numTimesteps, numUpdates: this.numUpdates, targetKl: this.currentTargetKl, episodeReturns: episodes.returns, episodeLengths: episodes.lengths },
      vecNormalize: vn ? vn.getState() : this.loadedVecNormalize,
      envState: includeEnvState ? (this.pendingEnvState ?? (this.lastObs && captureEnvState(this.envRef, this.lastObs))) : null,
    };
  }

  /**
   * Load a model saved by `save`. With `env`, training can continue: `learn({ resetNumTimesteps:
   * false })` restores the saved env state (a SyncVectorEnv of envs with setState) and continues
   * exactly as if never stopped. Throws a ModelFileError for a truncated, corrupted or foreign
   * file, a TypeError for an env that does not match the model.
   */
  static async load(path: string, options: LoadOptions = {}): Promise<TRPO> {
    const lo = v.object(options, 'TRPO.load: options');
    v.knownKeys(lo, ['env', 'backend'], 'TRPO.load: options');
    const p = await readModelFile(path);
    const where = `TRPO.load(${JSON.stringify(path)})`;
    const h = readModelHeader(p, where, lo.backend as BackendChoice | undefined);
    const env = (lo.env ?? null) as VecEnv | null;
    const model = new TRPO('MlpPolicy', env, h.options, {
      token: INTERNAL, observationSpace: h.observationSpace, actionSpace: h.actionSpace, baseSeed: h.seeds.base, normalized: h.normalized,
      usesVecNormalize: h.vecNormalize !== null,
    });

    const s = readModelState(p, where, { policy: model.policy.numParameters, value: model.valueFunction.numParameters });
    model.policy.setParameters(s.policy);
    model.valueFunction.setParameters(s.value);
    model.valueFunction.setOptimizerState(s.valueAdam);
    model.sampleRng.setState(s.rng.sample);
    model.valueFunction.rng.setState(s.rng.value);
    model.predictRng.setState(s.rng.predict);
    model.pendingEnvSeed = h.seeds.pendingEnvSeed;
    model.numTimesteps = s.progress.numTimesteps;
    model.numUpdates = s.progress.numUpdates;
    model.currentTargetKl = s.progress.targetKl ?? model.options.targetKl;
    model.episodes.set([...s.progress.episodeReturns], [...s.progress.episodeLengths]);

    const bad = fieldError(where);
    if (h.normalized && h.vecNormalize === null) bad('vecNormalize', 'missing for a model trained on normalized observations');
    if (h.vecNormalize !== null) {
      const vn = vecNormalizeOf(env);
      if (vn) {
        try {
          vn.setState(h.vecNormalize);
        } catch (e) {
          bad('vecNormalize', (e as Error).message);
        }
      } else {
        model.loadedVecNormalize = h.vecNormalize;
      }
    }
    model.pendingEnvState = readEnvState(p, where, model.envObsDim);
    return model;
  }
}
