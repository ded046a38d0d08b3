/**
 * The TRPO trainer (sb3-contrib TRPO's algorithm, options and defaults): on-policy rollouts of
 * nSteps per env into preallocated typed arrays (rollout.ts), then GAE with bootstrapping on
 * truncation, one trust-region natural-gradient step of the policy (conjugate gradient +
 * backtracking line search, in the compute core) and nCriticUpdates epochs of Adam on the value
 * network (update.ts). This class wires them together; it has no Node built-ins (the browser
 * entry exports it as TRPO). ./trpo.ts's TRPO adds saving and loading, log files and TensorBoard.
 */
import type { BaseCallback, StepLocals } from '../callbacks/base.js';
import { resolveLoggingOptions, type LoggingOptions } from '../logging/options.js';
import { Logger } from '../logging/logger.js';
import type { VecNormalizeBase, VecNormalizeState } from '../envs/vector/normalize-base.js';
import { SyncVectorEnv } from '../envs/vector/sync.js';
import type { VecEnv } from '../envs/vector/vec-env.js';
import { isBox, isDiscrete, isMultiBinary, isMultiDiscrete, type ActionSpace, type ObservationSpace } from '../envs/spaces.js';
import { flatDim } from '../envs/flatten.js';
import { BernoulliMlpPolicy, CategoricalMlpPolicy, GaussianMlpPolicy, MultiCategoricalMlpPolicy, type AnyMlpPolicy } from '../policies.js';
import { Random } from '../random.js';
import * as v from '../validate.js';
import { ValueFunction } from '../value-function.js';
import { captureEnvState, checkEnvMatches, checkVecEnv, restoreEnvState, vecNormalizeOf, type SavedEnvState } from './env-state.js';
import { EpisodeWindow } from './episode-window.js';
import { resolveLearnOptions, type LearnOptions, type PredictOptions } from './method-options.js';
import type { TRPOLogger, TRPOUpdateInfo } from './logger.js';
import { learningRateAt, nextTargetKl, resolveTRPOOptions, type ResolvedTRPOOptions, type TRPOOptions } from './options.js';
import { ProgressBar } from './progress.js';
import { actionLayoutOf, collectRollout, observationLayoutOf, type ActionLayout, type ObservationLayout, type RolloutStepHook } from './rollout.js';
import { predictInputs } from './predict-input.js';
import { RolloutBuffer } from './rollout-buffer.js';
import type { TRPO } from './trpo.js';
import { isRolloutSource, type RolloutSource, type RolloutsOption } from './rollout-source.js';
import { updateFromRollout } from './update.js';

/** The policy a TRPO model trains: Gaussian (Box, also gSDE), categorical (Discrete), multi-categorical (MultiDiscrete) or Bernoulli (MultiBinary), chosen from the action space. */
export type TRPOPolicy = AnyMlpPolicy;

/**
 * TRPO's constructor options: the hyperparameters (TRPOOptions) and, optionally, `rollouts`: where
 * rollouts are collected instead of this process (`{ redis: url, segments: k }` for BullMQ workers
 * on Redis, or a RolloutSource such as `new RedisRollouts(...)`; see src/distributed/). Not saved.
 */
export type TRPOConstructorOptions = TRPOOptions & {
  /** Where rollouts are collected: `{ redis: url, ... }` (RedisRolloutsOptions), a RolloutSource, or null/absent for this process. */
  rollouts?: RolloutsOption | RolloutSource | null;
};

/** @internal */
export const INTERNAL: unique symbol = Symbol('TRPO.internal');
/** What `TRPO.load` gives the constructor instead of an env. @internal */
export interface InternalInit {
  token: typeof INTERNAL;
  observationSpace: ObservationSpace;
  actionSpace: ActionSpace;
  baseSeed: number;
  normalized: boolean;
  usesVecNormalize: boolean;
}

/** The model's state after an update, to roll back to if the next one fails. */
export interface Snapshot {
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
 * await model.save('cartpole.trpo.json');   // TRPO of the Node entry (./trpo.ts)
 * ```
 */
export class TRPOTrainer {
  /** The policy architecture: always 'MlpPolicy' (MLP actor and critic on the flattened observation; SB3's MultiInputPolicy for Dict). */
  readonly policyName = 'MlpPolicy';
  /** Every hyperparameter, after defaults. */
  readonly options: ResolvedTRPOOptions;
  /** The env's observation space (saved with the model; a loaded model's env must have the same). */
  readonly observationSpace: ObservationSpace;
  /** The env's action space; it fixes the policy's distribution. */
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
  /** The actor being trained (its `core` holds the weights). */
  readonly policy: TRPOPolicy;
  /** The critic V(s), fitted after every policy step. */
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

  /** @internal */
  protected envRef: VecEnv | null = null;
  private readonly actionLayout: ActionLayout;
  private readonly obsLayout: ObservationLayout;
  /** Whether the core takes float32 observations. */
  private readonly f32: boolean;
  /** @internal */
  protected readonly baseSeed: number;
  /** The seed of the first env reset, used once (options.seed). @internal */
  protected pendingEnvSeed: number | null;
  /** @internal */
  protected readonly sampleRng: Random;
  /** @internal */
  protected readonly predictRng: Random;
  /** The observations the next rollout starts from (null: start new episodes). @internal */
  protected lastObs: Float64Array | null = null;
  /** The env state read from a file, restored by the next learn({ resetNumTimesteps: false }). @internal */
  protected pendingEnvState: SavedEnvState | null = null;
  /** VecNormalize statistics read from a file loaded without an env (kept to be saved again). @internal */
  protected loadedVecNormalize: VecNormalizeState | null = null;
  /** @internal */
  protected readonly episodes: EpisodeWindow;
  private buffer: RolloutBuffer | null = null;
  private learning = false;
  /** learn()'s final step count (the denominator of the learning-rate progress). */
  private progressTarget = 0;
  /** True during an update (a rollout and its training); a save then writes updateSnapshot. @internal */
  protected busy = false;
  /** The model as after the last complete update, while an update runs. @internal */
  protected updateSnapshot: Snapshot | null = null;

  /** Distributed rollouts (options.rollouts): a source, or the options to create one from at learn(). */
  private rollouts: RolloutSource | RolloutsOption | null = null;

  /**
   * A TRPO model for `env`: the policy follows from the action space (Gaussian or gSDE for a Box,
   * categorical for Discrete, one categorical per component for MultiDiscrete, Bernoulli for
   * MultiBinary) and sees the flattened observation. Nothing runs until `learn`.
   * @param policy Always 'MlpPolicy' (SB3's name; also for Dict observations).
   * @param env The training vector env (makeVecEnv; VecNormalize-wrapped or not).
   * @param options The hyperparameters (TRPOOptions, sb3-contrib's defaults) and `rollouts`.
   * @throws TypeError/RangeError naming the option for a bad, unknown or snake_case name (with the camelCase suggestion) or an out-of-range value; RangeError for an option that does not fit the env (logStdInit or useSde without a Box action space, nSteps × nEnvs < 2 with normalizeAdvantage); TypeError when env is not a vector env.
   */
  constructor(policy: 'MlpPolicy', env: VecEnv, options?: TRPOConstructorOptions);
  /** @internal */
  constructor(policy: 'MlpPolicy', env: VecEnv | null, options: TRPOOptions, internal: InternalInit);
  constructor(policy: 'MlpPolicy', env: VecEnv | null, options: TRPOConstructorOptions = {}, internal?: InternalInit) {
    if (policy !== 'MlpPolicy') {
      throw new RangeError(`TRPO: policy: expected 'MlpPolicy' (an MLP actor and critic on the flattened observations; SB3's MultiInputPolicy for Dict observations), got ${v.describe(policy)}`);
    }
    const { rollouts, ...hyperparameters } = (options ?? {}) as TRPOConstructorOptions;
    this.options = resolveTRPOOptions(hyperparameters);
    this.currentTargetKl = this.options.targetKl;
    if (rollouts !== undefined) this.setRollouts(rollouts);
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
  get vecNormalize(): VecNormalizeBase | null {
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
   * @throws TypeError when env's spaces or normalization do not match the model; Error while learn() runs.
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
  /**
   * Collect rollouts elsewhere from the next learn() on: `{ redis: url, segments: k, ... }`
   * (BullMQ workers on Redis, see src/distributed/redis-rollouts.ts; its connection is opened at
   * learn() and closed when learn() ends; Node entry only), a RolloutSource (closed by its owner),
   * or null for rollouts in this process.
   */
  setRollouts(rollouts: RolloutsOption | RolloutSource | null): void {
    if (this.learning) throw new Error('TRPO.setRollouts: cannot change the rollout source while learn() runs');
    if (rollouts !== null && !isRolloutSource(rollouts) && (typeof rollouts !== 'object' || typeof (rollouts as RolloutsOption).redis !== 'string')) {
      throw new TypeError(`TRPO: options.rollouts: expected { redis: 'redis://host:port', segments } or a RolloutSource, got ${v.describe(rollouts)}`);
    }
    this.rollouts = rollouts;
  }

  /** A rollout source for `{ redis, ... }` options (the Node entry's TRPO connects to Redis). */
  protected async connectRollouts(_options: RolloutsOption): Promise<RolloutSource> {
    throw new TypeError('TRPO: options.rollouts: distributed rollouts on Redis need the Node entry (trpo-node), not trpo-node/browser');
  }

  /**
   * Trains for `totalTimesteps` environment steps (rounded up to whole rollouts of nSteps × nEnvs):
   * per update one rollout, GAE, one TRPO policy step and the critic fit, then the callbacks and
   * loggers. Resolves to this model. An env or callback failure during an update rejects with an
   * Error saying which update failed, and leaves the model as after the last complete update.
   * @throws TypeError/RangeError (as a rejection) for invalid options; Error when the model has no env or learn() is already running.
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
    let source: RolloutSource | null = null;
    let ownSource = false;
    try {
      if (this.rollouts !== null) {
        if (hooks?.needsStepCalls) {
          throw new TypeError('TRPO.learn: callbacks with per-step hooks (onStep, EvalCallback, CheckpointCallback, ...) need rollouts in this process; with options.rollouts use a function callback (called after every update)');
        }
        if (isRolloutSource(this.rollouts)) {
          source = this.rollouts;
        } else {
          source = await this.connectRollouts(this.rollouts);
          ownSource = true;
        }
      }
      if (typeof lo.logger === 'string') {
        logger = this.openFileLogger(lo.logger);
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
        : this.openRunLogger({ tensorboardLog: this.tensorboardLog, verbose: this.verbose, tbLogName: lo.tbLogName, resetNumTimesteps: reset });
      this.logger = runLogger;
      if (hooks) {
        hooks.init(this as unknown as TRPO); // a TRPO in Node; callbacks that save need the Node entry
        await hooks.runTrainingStart({ totalTimesteps: target });
      }
      const start = { steps: this.numTimesteps, time: performance.now() };
      if (lo.progressBar) bar = new ProgressBar(target);
      while (this.numTimesteps < target) {
        const info = await this.updateOnce(env, buf, start, hooks, source);
        if (info === null) break; // a callback stopped training during the rollout
        logger?.log(info);
        if (runLogger !== logger) runLogger?.log(info);
        bar?.update(this.numTimesteps, info.epReturnMean === null ? '' : `return ${info.epReturnMean.toFixed(1)}`);
        if (lo.callback && (await lo.callback(info, this as unknown as TRPO)) === false) break;
      }
      if (hooks) await hooks.runTrainingEnd();
    } finally {
      bar?.done(this.numTimesteps);
      if (ownSource) await source?.close();
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
  private async updateOnce(env: VecEnv, buf: RolloutBuffer, start: { steps: number; time: number }, hooks: BaseCallback | null, source: RolloutSource | null = null): Promise<TRPOUpdateInfo | null> {
    const snap = await this.snapshot(hooks !== null);
    const updateNo = this.numUpdates + 1;
    this.busy = true;
    this.updateSnapshot = snap;
    try {
      const tr0 = performance.now();
      if (hooks) await hooks.runRolloutStart();
      const t0 = this.numTimesteps;
      const actor = {
        policy: this.policy, valueFunction: this.valueFunction, rng: this.sampleRng, actions: this.actionLayout, observations: this.obsLayout, episodes: this.episodes,
        sdeSampleFreq: this.options.sdeSampleFreq,
        onStep: hooks?.needsStepCalls ? this.stepHook(hooks, t0, env.numEnvs) : undefined,
      };
      const rollout = source
        ? await source.collect({ env, buf, lastObs: this.lastObs!, actor, options: this.options, update: updateNo })
        : await collectRollout(env, buf, this.lastObs!, actor);
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
      const obs = await restoreEnvState(env, this.pendingEnvState, this.envObsDim);
      if (obs) {
        this.lastObs = obs;
        return;
      }
      process.emitWarning('TRPO.learn: the saved env state cannot be restored into this env (it is not a vector env of the same size with setRunningEpisodes, as SyncVectorEnv and WorkerVectorEnv); starting new episodes', { code: 'TRPO_ENV_STATE' });
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
  private async snapshot(withEnvState = false): Promise<Snapshot> {
    const envState = withEnvState && this.lastObs ? await captureEnvState(this.envRef, this.lastObs) : null;
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
      envState,
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
   * @throws TypeError/RangeError naming `obs` (wrong form or a length not a multiple of envObsDim, a value outside a discrete space) or `options.deterministic`.
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

  /** A JSON-lines logger writing to `path` (learn({ logger: path })): the Node entry's TRPO has one. */
  protected openFileLogger(path: string): TRPOLogger {
    throw new TypeError(`TRPO.learn: options.logger: a file path (${JSON.stringify(path)}) needs a file system; in this build pass a TRPOLogger object ({ log(info) { ... } })`);
  }

  /** SB3's logger of one learn (stdout table, TensorBoard): the Node entry's TRPO has them; here only a Logger given to learn. */
  protected openRunLogger(o: LoggingOptions & { tbLogName: string; resetNumTimesteps: boolean }): Logger | null {
    if (o.tensorboardLog !== null) throw new TypeError('TRPO.learn: options.tensorboardLog needs a file system; in this build pass a TRPOLogger object to learn({ logger })');
    if (o.verbose >= 1) throw new TypeError('TRPO.learn: options.verbose prints to stdout, which this build does not have; pass a TRPOLogger object to learn({ logger }) instead');
    return null;
  }
}
