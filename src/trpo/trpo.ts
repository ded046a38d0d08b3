/**
 * The TRPO trainer (sb3-contrib TRPO's algorithm, options and defaults): on-policy rollouts of
 * nSteps per env into preallocated typed arrays, GAE with bootstrapping on truncation, one
 * trust-region natural-gradient step of the policy (conjugate gradient + backtracking line search,
 * in the compute core), then nCriticUpdates epochs of Adam on the value network.
 */
import type { BackendChoice } from '../backend.js';
import type { FloatArray } from '../core/types.js';
import { VecNormalize, type VecNormalizeState } from '../envs/vector/normalize.js';
import { SyncVectorEnv } from '../envs/vector/sync.js';
import type { VecEnv } from '../envs/vector/vec-env.js';
import { isBox, isDiscrete, spaceFromJSON, type Box, type Discrete, type SpaceJSON } from '../envs/spaces.js';
import { computeGae } from '../gae.js';
import { CategoricalMlpPolicy, GaussianMlpPolicy } from '../policies.js';
import { Random } from '../random.js';
import * as v from '../validate.js';
import { ValueFunction } from '../value-function.js';
import { JsonLinesLogger, quantileSorted, type TRPOLogger, type TRPOUpdateInfo } from './logger.js';
import { resolveTRPOOptions, type ResolvedTRPOOptions, type TRPOOptions } from './options.js';
import { ProgressBar } from './progress.js';
import {
  ModelFileError, decodeF64, decodeRng, encodeF64, encodeRng, readModelFile, serializeModel, writeFileAtomic, type EncodedTensor,
} from './serialize.js';

export type TRPOPolicy = GaussianMlpPolicy | CategoricalMlpPolicy;

/** Called after every update; return false (or a Promise of false) to stop training. */
export type TRPOCallback = (info: TRPOUpdateInfo, model: TRPO) => boolean | void | Promise<boolean | void>;

export interface LearnOptions {
  /** Environment steps to take (all envs together); rollouts are whole, so learn may overshoot by < nSteps x nEnvs. */
  totalTimesteps: number;
  callback?: TRPOCallback;
  /** Show a one-line progress bar on stderr when it is a TTY (default false). */
  progressBar?: boolean;
  /** A JSON-lines file path, or a logger object, receiving every update's statistics. */
  logger?: string | TRPOLogger;
  /**
   * true (default, as SB3): count timesteps from 0 and start new episodes (env reset).
   * false: continue counting and continue the current episodes; after `TRPO.load` with an env,
   * the saved env state is restored, so training continues exactly as if it had never stopped.
   */
  resetNumTimesteps?: boolean;
}

export interface PredictOptions {
  /** The distribution's mode instead of a sample (default false, as SB3). */
  deterministic?: boolean;
}

export interface LoadOptions {
  /** The env to continue training or to evaluate on; must have the saved spaces (and VecNormalize if the model was trained with it). */
  env?: VecEnv | null;
  /** Override the saved backend choice. */
  backend?: BackendChoice;
}

export interface SaveOptions {
  /** Save the envs' states and last observation so that `learn({ resetNumTimesteps: false })` after load continues exactly (default true; needs a SyncVectorEnv of envs with getState). */
  includeEnvState?: boolean;
}

interface SavedEnvState {
  type: 'SyncVectorEnv';
  numEnvs: number;
  envs: unknown[];
  returns: number[] | null;
  lengths: number[] | null;
  lastObs: Float64Array;
}

interface VecNormalizeFullState extends VecNormalizeState {
  returns: number[] | null;
}

const INTERNAL: unique symbol = Symbol('TRPO.internal');
interface InternalInit {
  token: typeof INTERNAL;
  observationSpace: Box;
  actionSpace: Box | Discrete;
  baseSeed: number;
  normalized: boolean;
  usesVecNormalize: boolean;
}

/** Preallocated rollout storage, time-major (index t * nEnvs + e), with per-step views. */
class RolloutBuffer {
  readonly n: number;
  readonly obs: FloatArray;
  readonly actionsF: Float64Array | null;
  readonly actionsI: Int32Array | null;
  readonly logProbs: Float64Array;
  readonly values: Float64Array;
  readonly nextValues: Float64Array;
  readonly rewards: Float64Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  readonly finalValues: Float64Array;
  readonly hasFinal: Uint8Array;
  readonly advantages: Float64Array;
  readonly obsRows: FloatArray[];
  readonly logProbRows: Float64Array[];
  readonly valueRows: Float64Array[];
  readonly noise: Float64Array;
  readonly sampleActions: Float64Array;
  readonly envActions: Float64Array;
  readonly finalObs: FloatArray;
  readonly finalOut = new Float64Array(1);
  readonly lastObs: FloatArray;
  readonly lastValues: Float64Array;

  constructor(
    readonly nSteps: number,
    readonly nEnvs: number,
    obsDim: number,
    width: number,
    discrete: boolean,
    f32: boolean,
  ) {
    const n = (this.n = nSteps * nEnvs);
    const F = f32 ? Float32Array : Float64Array;
    this.obs = new F(n * obsDim);
    this.actionsF = discrete ? null : new Float64Array(n * width);
    this.actionsI = discrete ? new Int32Array(n) : null;
    this.logProbs = new Float64Array(n);
    this.values = new Float64Array(n);
    this.nextValues = new Float64Array(n);
    this.rewards = new Float64Array(n);
    this.terminated = new Uint8Array(n);
    this.truncated = new Uint8Array(n);
    this.finalValues = new Float64Array(n);
    this.hasFinal = new Uint8Array(n);
    this.advantages = new Float64Array(n);
    this.obsRows = [];
    this.logProbRows = [];
    this.valueRows = [];
    for (let t = 0; t < nSteps; t++) {
      this.obsRows.push(this.obs.subarray(t * nEnvs * obsDim, (t + 1) * nEnvs * obsDim));
      this.logProbRows.push(this.logProbs.subarray(t * nEnvs, (t + 1) * nEnvs));
      this.valueRows.push(this.values.subarray(t * nEnvs, (t + 1) * nEnvs));
    }
    this.noise = new Float64Array(nEnvs * width);
    this.sampleActions = new Float64Array(nEnvs * width);
    this.envActions = new Float64Array(nEnvs * width);
    this.finalObs = new F(obsDim);
    this.lastObs = new F(nEnvs * obsDim);
    this.lastValues = new Float64Array(nEnvs);
  }
}

interface Snapshot {
  numTimesteps: number;
  numUpdates: number;
  sampleRng: number[];
  valueRng: number[];
  epReturns: number[];
  epLengths: number[];
  lastObs: Float64Array | null;
  policy: Float64Array;
  value: Float64Array;
  adam: Float64Array;
  vecNormalize: VecNormalizeFullState | null;
}

/** The VecNormalize at the top of an env, if any. */
function vecNormalizeOf(env: VecEnv | null): VecNormalize | null {
  return env instanceof VecNormalize ? env : null;
}

function innerSyncEnv(env: VecEnv | null): SyncVectorEnv | null {
  const inner = env instanceof VecNormalize ? env.venv : env;
  return inner instanceof SyncVectorEnv ? inner : null;
}

/** Reads a private Float64Array field of an env class (running episode sums), or null. */
function privateArray(obj: object, key: string, length: number): Float64Array | null {
  const x = (obj as Record<string, unknown>)[key];
  return x instanceof Float64Array && x.length === length ? x : null;
}

function getVecNormalizeState(vn: VecNormalize): VecNormalizeFullState {
  const returns = privateArray(vn, 'returns', vn.numEnvs);
  return { ...vn.getState(), returns: returns ? Array.from(returns) : null };
}

function setVecNormalizeState(vn: VecNormalize, s: VecNormalizeFullState): void {
  vn.setState(s);
  const returns = privateArray(vn, 'returns', vn.numEnvs);
  if (returns && Array.isArray(s.returns) && s.returns.length === returns.length) returns.set(s.returns);
}

/** Best-effort id of a vector env's envs (for the saved file). */
function envIdOf(env: VecEnv | null): string | null {
  const sync = innerSyncEnv(env);
  const id = sync?.envs[0]?.id;
  return typeof id === 'string' ? id : null;
}

function spaceKey(s: Box | Discrete): string {
  return JSON.stringify(s.toJSON());
}

function describeSpace(s: unknown): string {
  return typeof s === 'object' && s !== null ? String(s) : v.describe(s);
}

function checkVecEnv(env: unknown, where: string): VecEnv {
  const e = env as VecEnv;
  if (typeof env === 'string') {
    throw new TypeError(`${where}: env: expected a VecEnv, got the string ${JSON.stringify(env)} (create one with \`await makeVecEnv(${JSON.stringify(env)}, { nEnvs })\`)`);
  }
  if (typeof (env as { then?: unknown } | null)?.then === 'function') {
    throw new TypeError(`${where}: env: expected a VecEnv, got a Promise (makeVecEnv is async: pass \`await makeVecEnv(...)\`)`);
  }
  if (typeof e !== 'object' || e === null || typeof e.step !== 'function' || typeof e.reset !== 'function' ||
    !Number.isInteger(e.numEnvs) || e.numEnvs < 1) {
    throw new TypeError(`${where}: env: expected a VecEnv (numEnvs, observationSpace, actionSpace, reset, step), got ${v.describe(env)}`);
  }
  if (!isBox(e.observationSpace) || e.observationSpace.size < 1) {
    throw new TypeError(`${where}: env.observationSpace: MlpPolicy needs a Box observation space, got ${describeSpace(e.observationSpace)}`);
  }
  if (!isBox(e.actionSpace) && !isDiscrete(e.actionSpace)) {
    throw new TypeError(`${where}: env.actionSpace: TRPO supports Box and Discrete action spaces, got ${describeSpace(e.actionSpace)}`);
  }
  if (isBox(e.actionSpace) && e.actionSpace.size < 1) throw new TypeError(`${where}: env.actionSpace: an empty Box`);
  return e;
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
  readonly observationSpace: Box;
  readonly actionSpace: Box | Discrete;
  readonly obsDim: number;
  /** Action entries per env in a flat action batch (Box size, or 1 for Discrete). */
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

  private envRef: VecEnv | null = null;
  private readonly discrete: boolean;
  private readonly actionStart: number;
  private readonly actLow: Float64Array | null;
  private readonly actHigh: Float64Array | null;
  private readonly f32: boolean;
  private readonly baseSeed: number;
  private pendingEnvSeed: number | null;
  private readonly sampleRng: Random;
  private readonly predictRng: Random;
  private lastObs: Float64Array | null = null;
  private pendingEnvState: SavedEnvState | null = null;
  private epReturns: number[] = [];
  private epLengths: number[] = [];
  private buffer: RolloutBuffer | null = null;
  private learning = false;
  private busy = false;

  constructor(policy: 'MlpPolicy', env: VecEnv, options?: TRPOOptions);
  /** @internal */
  constructor(policy: 'MlpPolicy', env: VecEnv | null, options: TRPOOptions, internal: InternalInit);
  constructor(policy: 'MlpPolicy', env: VecEnv | null, options: TRPOOptions = {}, internal?: InternalInit) {
    if (policy !== 'MlpPolicy') {
      throw new RangeError(`TRPO: policy: expected 'MlpPolicy' (an MLP actor and critic on Box observations), got ${v.describe(policy)}`);
    }
    this.options = resolveTRPOOptions(options);
    const o = this.options;
    const fromFile = internal !== undefined && internal.token === INTERNAL;
    if (!fromFile || env !== null) checkVecEnv(env, 'TRPO');
    this.observationSpace = fromFile ? internal.observationSpace : env!.observationSpace;
    this.actionSpace = fromFile ? internal.actionSpace : env!.actionSpace;
    this.normalized = fromFile ? internal.normalized : vecNormalizeOf(env)?.normObs === true;
    this.usesVecNormalize = fromFile ? internal.usesVecNormalize : vecNormalizeOf(env) !== null;
    if (fromFile && env !== null) this.checkSpaces(env, 'TRPO.load');
    this.obsDim = this.observationSpace.size;
    this.discrete = isDiscrete(this.actionSpace);
    const space = this.actionSpace;
    if (isDiscrete(space)) {
      this.actDim = 1;
      this.actionStart = space.start;
      this.actLow = null;
      this.actHigh = null;
      if (o.policyKwargs.logStdInit !== null) {
        throw new RangeError(`TRPO: options.policyKwargs.logStdInit applies to Box action spaces (a Gaussian policy); the env's action space is ${String(space)}`);
      }
    } else {
      this.actDim = space.size;
      this.actionStart = 0;
      this.actLow = Float64Array.from(space.low);
      this.actHigh = Float64Array.from(space.high);
    }
    if (env && o.normalizeAdvantage && o.nSteps * env.numEnvs < 2) {
      throw new RangeError(`TRPO: options.nSteps: nSteps x nEnvs must be > 1 to normalize advantages, got ${o.nSteps} x ${env.numEnvs}`);
    }

    this.baseSeed = fromFile ? internal.baseSeed : (o.seed ?? randomSeed());
    this.pendingEnvSeed = o.seed;
    const master = new Random(this.baseSeed);
    const policySeed = master.nextUint32();
    const valueSeed = master.nextUint32();
    this.sampleRng = new Random(master.nextUint32());
    this.predictRng = new Random(master.nextUint32());
    const common = { obsDim: this.obsDim, backend: o.backend, dtype: o.dtype };
    this.policy = isDiscrete(space)
      ? new CategoricalMlpPolicy({ ...common, nActions: space.n, hiddenSizes: o.policyKwargs.netArch.pi, seed: policySeed })
      : new GaussianMlpPolicy({ ...common, actDim: space.size, hiddenSizes: o.policyKwargs.netArch.pi, logStdInit: o.policyKwargs.logStdInit ?? 0, seed: policySeed });
    this.valueFunction = new ValueFunction({ ...common, hiddenSizes: o.policyKwargs.netArch.vf, seed: valueSeed });
    this.f32 = this.policy.backend === 'native' && o.dtype === 'float32';
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
    const vn = vecNormalizeOf(this.envRef);
    if (vn) return vn.getState();
    if (this.loadedVecNormalize) {
      const { returns: _r, ...state } = this.loadedVecNormalize;
      return state;
    }
    return null;
  }

  /**
   * Replace the training env (same spaces; VecNormalize if and only if the model uses it). The
   * next learn starts new episodes.
   */
  setEnv(env: VecEnv): void {
    checkVecEnv(env, 'TRPO.setEnv');
    this.checkSpaces(env, 'TRPO.setEnv');
    if (this.learning) throw new Error('TRPO.setEnv: cannot change the env while learn() runs');
    this.envRef = env;
    this.lastObs = null;
    this.pendingEnvState = null;
  }

  private checkSpaces(env: VecEnv, where: string): void {
    checkVecEnv(env, where);
    if (spaceKey(env.observationSpace) !== spaceKey(this.observationSpace)) {
      throw new TypeError(`${where}: env.observationSpace is ${String(env.observationSpace)} but the model was made for ${String(this.observationSpace)}`);
    }
    if (spaceKey(env.actionSpace) !== spaceKey(this.actionSpace)) {
      throw new TypeError(`${where}: env.actionSpace is ${String(env.actionSpace)} but the model was made for ${String(this.actionSpace)}`);
    }
    const vn = vecNormalizeOf(env);
    if ((vn !== null) !== this.usesVecNormalize || (vn !== null && vn.normObs !== this.normalized)) {
      throw new TypeError(this.usesVecNormalize
        ? `${where}: the model was trained in a VecNormalize (${this.normalized ? 'observations normalized' : 'rewards scaled'}); wrap the env in the same VecNormalize (makeVecEnv(id, { normalize: ... }))`
        : `${where}: the env is wrapped in VecNormalize but the model was trained without normalization`);
    }
  }

  /**
   * Train for `totalTimesteps` environment steps. Each update: a rollout of nSteps per env, GAE,
   * one TRPO policy step, nCriticUpdates critic epochs; then the logger and the callback.
   * If the env (or anything else) throws during an update, the model is restored to its state
   * after the last complete update (parameters, optimizer, generators, counters, normalization
   * statistics) and the error is rethrown; the next learn starts new episodes.
   */
  async learn(options: LearnOptions): Promise<this> {
    const lo = v.object(options, 'TRPO.learn: options');
    v.knownKeys(lo, ['totalTimesteps', 'callback', 'progressBar', 'logger', 'resetNumTimesteps'], 'TRPO.learn: options');
    const total = lo.totalTimesteps;
    if (typeof total !== 'number' || !Number.isSafeInteger(total) || total < 0) {
      throw new RangeError(`TRPO.learn: options.totalTimesteps: expected a non-negative integer, got ${v.describe(total)}`);
    }
    if (lo.callback !== undefined && typeof lo.callback !== 'function') {
      throw new TypeError(`TRPO.learn: options.callback: expected a function, got ${v.describe(lo.callback)}`);
    }
    if (lo.progressBar !== undefined && typeof lo.progressBar !== 'boolean') {
      throw new TypeError(`TRPO.learn: options.progressBar: expected a boolean, got ${v.describe(lo.progressBar)}`);
    }
    if (lo.resetNumTimesteps !== undefined && typeof lo.resetNumTimesteps !== 'boolean') {
      throw new TypeError(`TRPO.learn: options.resetNumTimesteps: expected a boolean, got ${v.describe(lo.resetNumTimesteps)}`);
    }
    const lg = lo.logger;
    if (lg !== undefined && typeof lg !== 'string' && (typeof lg !== 'object' || lg === null || typeof (lg as TRPOLogger).log !== 'function')) {
      throw new TypeError(`TRPO.learn: options.logger: expected a file path or an object with log(info), got ${v.describe(lg)}`);
    }
    const env = this.envRef;
    if (env === null) throw new Error('TRPO.learn: the model has no env; pass { env } to TRPO.load or call setEnv(env)');
    if (this.learning) throw new Error('TRPO.learn: learn() is already running on this model');
    const o = this.options;
    if (o.normalizeAdvantage && o.nSteps * env.numEnvs < 2) {
      throw new RangeError(`TRPO: options.nSteps: nSteps x nEnvs must be > 1 to normalize advantages, got ${o.nSteps} x ${env.numEnvs}`);
    }
    const callback = lo.callback as TRPOCallback | undefined;
    const reset = (lo.resetNumTimesteps as boolean | undefined) ?? true;

    this.learning = true;
    let logger: TRPOLogger | null = null;
    let ownLogger = false;
    let bar: ProgressBar | null = null;
    try {
      if (typeof lg === 'string') {
        logger = new JsonLinesLogger(lg);
        ownLogger = true;
      } else if (lg) {
        logger = lg as TRPOLogger;
      }
      if (reset) {
        this.numTimesteps = 0;
        this.epReturns = [];
        this.epLengths = [];
      }
      const target = reset ? total : this.numTimesteps + total;
      if (reset || this.lastObs === null) await this.startEpisodes(env, !reset);
      this.pendingEnvState = null;
      const buf = this.ensureBuffer(env.numEnvs);
      const startSteps = this.numTimesteps;
      const t0 = performance.now();
      if (lo.progressBar) bar = new ProgressBar(target);
      while (this.numTimesteps < target) {
        const snap = this.snapshot();
        const updateNo = this.numUpdates + 1;
        let info: TRPOUpdateInfo;
        this.busy = true;
        try {
          const tr0 = performance.now();
          const rolloutEpisodes = await this.collectRollout(env, buf);
          const tr1 = performance.now();
          const stats = await this.train(buf);
          const tr2 = performance.now();
          this.numUpdates = updateNo;
          const elapsed = (tr2 - t0) / 1000;
          info = {
            update: updateNo,
            timesteps: this.numTimesteps,
            ...this.episodeStats(),
            rolloutEpisodes,
            ...stats,
            fps: elapsed > 0 ? (this.numTimesteps - startSteps) / elapsed : 0,
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
        }
        logger?.log(info);
        bar?.update(this.numTimesteps, info.epReturnMean === null ? '' : `return ${info.epReturnMean.toFixed(1)}`);
        if (callback && (await callback(info, this)) === false) break;
      }
    } finally {
      bar?.done(this.numTimesteps);
      this.learning = false;
      this.busy = false;
      if (ownLogger) logger?.close?.();
    }
    return this;
  }

  /** Start (or, after load, restore) the env's episodes before the first rollout of a learn. */
  private async startEpisodes(env: VecEnv, allowRestore: boolean): Promise<void> {
    if (allowRestore && this.pendingEnvState) {
      if (this.restoreEnvState(env, this.pendingEnvState)) return;
      process.emitWarning('TRPO.learn: the saved env state cannot be restored into this env (it is not a SyncVectorEnv of the same size); starting new episodes', { code: 'TRPO_ENV_STATE' });
    }
    const seed = this.pendingEnvSeed;
    this.pendingEnvSeed = null;
    const sync = env instanceof SyncVectorEnv ? env : null;
    const args = seed === null ? {} : { seed };
    const obs = sync ? sync.resetSync(args) : await env.reset(args);
    if (!(obs instanceof Float64Array) || obs.length !== env.numEnvs * this.obsDim) {
      throw new TypeError(`TRPO.learn: env.reset() must return a Float64Array of numEnvs x obsDim = ${env.numEnvs * this.obsDim} values, got ${v.describe(obs)}`);
    }
    this.lastObs = obs;
  }

  private restoreEnvState(env: VecEnv, s: SavedEnvState): boolean {
    const sync = innerSyncEnv(env);
    if (!sync || sync.numEnvs !== s.numEnvs || s.lastObs.length !== sync.numEnvs * this.obsDim) return false;
    sync.resetSync(); // marks the vector env started; every env's state is overwritten below
    sync.envs.forEach((e, i) => {
      if (typeof e.setState !== 'function') throw new TypeError(`TRPO.learn: env ${i} has no setState(); cannot restore the saved env state`);
      e.setState(s.envs[i]);
    });
    const returns = privateArray(sync, 'returns', sync.numEnvs);
    const lengths = privateArray(sync, 'lengths', sync.numEnvs);
    if (returns && s.returns) returns.set(s.returns);
    if (lengths && s.lengths) lengths.set(s.lengths);
    this.lastObs = Float64Array.from(s.lastObs);
    return true;
  }

  private ensureBuffer(nEnvs: number): RolloutBuffer {
    const b = this.buffer;
    if (b && b.nEnvs === nEnvs && b.nSteps === this.options.nSteps) return b;
    return (this.buffer = new RolloutBuffer(this.options.nSteps, nEnvs, this.obsDim, this.actDim, this.discrete, this.f32));
  }

  /** One rollout of nSteps per env into the buffer; returns the number of finished episodes. */
  private async collectRollout(env: VecEnv, buf: RolloutBuffer): Promise<number> {
    const sync = env instanceof SyncVectorEnv ? env : null;
    const pcore = this.policy.core;
    const vcore = this.valueFunction.core;
    const ne = buf.nEnvs;
    const od = this.obsDim;
    const w = this.actDim;
    const rng = this.sampleRng;
    const noise = buf.noise;
    const acts = buf.sampleActions;
    const envActs = buf.envActions;
    const discrete = this.discrete;
    const window = this.options.statsWindowSize;
    let obs = this.lastObs!;
    let episodes = 0;
    for (let t = 0; t < buf.nSteps; t++) {
      const obsRow = buf.obsRows[t];
      obsRow.set(obs);
      // The same noise, in the same order, as policy.sample(obs, { rng }) draws.
      if (discrete) for (let k = 0; k < noise.length; k++) noise[k] = rng.uniform();
      else for (let k = 0; k < noise.length; k++) noise[k] = rng.normal();
      pcore.sample(obsRow, ne, noise, false, acts, buf.logProbRows[t]);
      vcore.forward(obsRow, ne, buf.valueRows[t]);
      const base = t * ne;
      if (discrete) {
        const ai = buf.actionsI!;
        for (let e = 0; e < ne; e++) {
          ai[base + e] = acts[e];
          envActs[e] = acts[e] + this.actionStart;
        }
      } else {
        buf.actionsF!.set(acts, base * w);
        const lo = this.actLow!;
        const hi = this.actHigh!;
        for (let k = 0; k < acts.length; k++) {
          const j = k % w;
          const a = acts[k];
          envActs[k] = a < lo[j] ? lo[j] : a > hi[j] ? hi[j] : a;
        }
      }
      const res = sync ? sync.stepSync(envActs) : await env.step(envActs);
      if (!(res.observations instanceof Float64Array) || res.observations.length !== ne * od || res.rewards.length !== ne) {
        throw new TypeError(`env.step returned ${v.describe(res.observations)} observations and ${v.describe(res.rewards)} rewards; expected ${ne} x ${od} and ${ne}`);
      }
      this.numTimesteps += ne;
      for (let e = 0; e < ne; e++) {
        const i = base + e;
        buf.rewards[i] = res.rewards[e];
        const term = res.terminated[e] ? 1 : 0;
        const trunc = res.truncated[e] ? 1 : 0;
        buf.terminated[i] = term;
        buf.truncated[i] = trunc;
        buf.hasFinal[i] = 0;
        if (term || trunc) {
          const info = res.infos[e];
          const ep = info?.episode;
          if (ep) {
            this.epReturns.push(ep.r);
            this.epLengths.push(ep.l);
            if (this.epReturns.length > window) {
              this.epReturns.shift();
              this.epLengths.shift();
            }
            episodes++;
          }
          if (trunc && !term) {
            // Bootstrap a time-limit cut from V(final observation), as SB3 does.
            const fo = info?.finalObservation;
            if (!fo || fo.length !== od) {
              throw new TypeError(`env ${e} was truncated without infos[${e}].finalObservation (${od} values), needed to bootstrap the value`);
            }
            buf.finalObs.set(fo);
            vcore.forward(buf.finalObs, 1, buf.finalOut);
            buf.finalValues[i] = buf.finalOut[0];
            buf.hasFinal[i] = 1;
          }
        }
      }
      obs = res.observations;
    }
    this.lastObs = obs;
    buf.lastObs.set(obs);
    vcore.forward(buf.lastObs, ne, buf.lastValues);
    return episodes;
  }

  /** GAE, the policy step and the critic fit on the buffer; returns the update's statistics. */
  private async train(buf: RolloutBuffer): Promise<Omit<TRPOUpdateInfo, 'update' | 'timesteps' | 'episodes' | 'rolloutEpisodes' | 'epReturnMean' | 'epReturnP10' | 'epReturnP90' | 'epLengthMean' | 'fps' | 'rolloutSeconds' | 'updateSeconds' | 'elapsedSeconds'>> {
    const o = this.options;
    const ne = buf.nEnvs;
    const n = buf.n;
    const nv = buf.nextValues;
    nv.set(buf.values.subarray(ne), 0);
    nv.set(buf.lastValues, n - ne);
    for (let i = 0; i < n; i++) if (buf.hasFinal[i]) nv[i] = buf.finalValues[i];
    const gae = computeGae({
      rewards: buf.rewards, values: buf.values, nextValues: nv, terminated: buf.terminated, truncated: buf.truncated,
      gamma: o.gamma, lambda: o.gaeLambda, nEnvs: ne,
    });
    const adv = buf.advantages;
    adv.set(gae.advantages);
    if (o.normalizeAdvantage) {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += adv[i];
      mean /= n;
      let ss = 0;
      for (let i = 0; i < n; i++) ss += (adv[i] - mean) ** 2;
      const std = Math.sqrt(ss / (n - 1)); // unbiased, as torch.std in sb3-contrib
      for (let i = 0; i < n; i++) adv[i] = (adv[i] - mean) / (std + 1e-8);
    }
    const explainedVariance = explainedVarianceOf(buf.values, gae.returns);
    const batch = { obs: buf.obs, actions: (buf.actionsI ?? buf.actionsF)!, advantages: adv, logProbOld: buf.logProbs };
    // The policy step and the critic fit are independent (separate networks, read-only inputs):
    // run them concurrently (two worker threads with the native backend). Each is deterministic
    // whatever the threads, so the results are the same as one after the other.
    const [step, fit] = await Promise.all([
      this.policy.trpoStepAsync(batch, {
        maxKl: o.targetKl, cgIters: o.cgMaxSteps, cgDamping: o.cgDamping, backtrackIters: o.lineSearchMaxIter,
        backtrackCoeff: o.lineSearchShrinkingFactor, entCoef: o.entCoef, subSamplingFactor: o.subSamplingFactor,
      }),
      this.valueFunction.fitAsync(buf.obs, gae.returns, {
        learningRate: o.learningRate, epochs: o.nCriticUpdates, batchSize: o.batchSize,
      }),
    ]);
    let policyStd: number | null = null;
    if (this.policy instanceof GaussianMlpPolicy) {
      const ls = this.policy.logStd;
      policyStd = 0;
      for (let j = 0; j < ls.length; j++) policyStd += Math.exp(ls[j]);
      policyStd /= ls.length;
    }
    return {
      kl: step.kl,
      stepFraction: step.stepFraction,
      backtracks: step.backtracks,
      accepted: step.accepted,
      surrogateImprovement: step.surrogateAfter - step.surrogateBefore,
      cgIterations: step.cgIterations,
      cgResidual: step.cgResidual,
      valueLoss: fit.lossAfter,
      valueLossBefore: fit.lossBefore,
      explainedVariance,
      policyStd,
      entropy: this.policy.entropy(buf.obs),
    };
  }

  private episodeStats(): Pick<TRPOUpdateInfo, 'episodes' | 'epReturnMean' | 'epReturnP10' | 'epReturnP90' | 'epLengthMean'> {
    const r = this.epReturns;
    if (r.length === 0) return { episodes: 0, epReturnMean: null, epReturnP10: null, epReturnP90: null, epLengthMean: null };
    const sorted = Float64Array.from(r).sort();
    return {
      episodes: r.length,
      epReturnMean: r.reduce((a, b) => a + b, 0) / r.length,
      epReturnP10: quantileSorted(sorted, 0.1),
      epReturnP90: quantileSorted(sorted, 0.9),
      epLengthMean: this.epLengths.reduce((a, b) => a + b, 0) / r.length,
    };
  }

  private snapshot(): Snapshot {
    const vn = vecNormalizeOf(this.envRef);
    return {
      numTimesteps: this.numTimesteps,
      numUpdates: this.numUpdates,
      sampleRng: this.sampleRng.getState(),
      valueRng: this.valueFunction.rng.getState(),
      epReturns: [...this.epReturns],
      epLengths: [...this.epLengths],
      lastObs: this.lastObs,
      policy: this.policy.getParameters(),
      value: this.valueFunction.getParameters(),
      adam: this.valueFunction.getOptimizerState(),
      vecNormalize: vn ? getVecNormalizeState(vn) : null,
    };
  }

  private restore(s: Snapshot): void {
    this.numTimesteps = s.numTimesteps;
    this.numUpdates = s.numUpdates;
    this.sampleRng.setState(s.sampleRng);
    this.valueFunction.rng.setState(s.valueRng);
    this.epReturns = s.epReturns;
    this.epLengths = s.epLengths;
    this.lastObs = s.lastObs;
    this.policy.setParameters(s.policy);
    this.valueFunction.setParameters(s.value);
    this.valueFunction.setOptimizerState(s.adam);
    const vn = vecNormalizeOf(this.envRef);
    if (vn && s.vecNormalize) setVecNormalizeState(vn, s.vecNormalize);
  }

  /**
   * Actions for a flat batch of observations (n x obsDim, as the env gives them: normalized when
   * the env has a VecNormalize): a Float64Array of n x actDim entries, ready for `env.step` —
   * Box actions clipped to the action space, Discrete actions as numbers of the space.
   * Stochastic predictions use the model's own seeded generator (saved with the model).
   */
  predict(obs: ArrayLike<number>, options: PredictOptions = {}): Float64Array {
    const po = v.object(options, 'TRPO.predict: options');
    v.knownKeys(po, ['deterministic'], 'TRPO.predict: options');
    const deterministic = po.deterministic ?? false;
    if (typeof deterministic !== 'boolean') throw new TypeError(`TRPO.predict: options.deterministic: expected a boolean, got ${v.describe(deterministic)}`);
    if (obs === null || typeof obs !== 'object' || typeof (obs as ArrayLike<number>).length !== 'number') {
      throw new TypeError(`TRPO.predict: obs: expected a flat array of n x ${this.obsDim} numbers, got ${v.describe(obs)}`);
    }
    if (obs.length === 0 || obs.length % this.obsDim !== 0) {
      throw new RangeError(`TRPO.predict: obs: length ${obs.length} is not a positive multiple of the observation size ${this.obsDim}`);
    }
    const x = this.f32 ? Float32Array.from(obs) : Float64Array.from(obs);
    const { actions } = this.policy.sample(x, { deterministic, rng: this.predictRng });
    if (this.discrete) {
      if (this.actionStart !== 0) for (let i = 0; i < actions.length; i++) actions[i] += this.actionStart;
    } else {
      const w = this.actDim;
      const lo = this.actLow!;
      const hi = this.actHigh!;
      for (let k = 0; k < actions.length; k++) actions[k] = Math.min(Math.max(actions[k], lo[k % w]), hi[k % w]);
    }
    return actions;
  }

  /** Save the model (see serialize.ts for the format). Atomic: a temporary file, then a rename. */
  async save(path: string, options: SaveOptions = {}): Promise<void> {
    if (typeof path !== 'string' || path.length === 0) throw new TypeError(`TRPO.save: path: expected a file path, got ${v.describe(path)}`);
    const so = v.object(options, 'TRPO.save: options');
    v.knownKeys(so, ['includeEnvState'], 'TRPO.save: options');
    if (this.busy) throw new Error('TRPO.save: cannot save in the middle of an update (save from the learn callback, or after learn)');
    const text = serializeModel(this.payload((so.includeEnvState as boolean | undefined) ?? true));
    await writeFileAtomic(path, text);
  }

  private payload(includeEnvState: boolean): Record<string, unknown> {
    const vn = vecNormalizeOf(this.envRef);
    let envState: Record<string, unknown> | null = null;
    if (includeEnvState) {
      const s = this.pendingEnvState ?? this.captureEnvState();
      if (s) envState = { ...s, lastObs: encodeF64(s.lastObs) };
    }
    return {
      algorithm: 'TRPO',
      policy: this.policyName,
      policyKind: this.discrete ? 'categorical' : 'gaussian',
      options: this.options,
      backend: this.backend,
      env: {
        id: envIdOf(this.envRef),
        numEnvs: this.envRef?.numEnvs ?? null,
        observationSpace: this.observationSpace.toJSON(),
        actionSpace: this.actionSpace.toJSON(),
        normalized: this.normalized,
      },
      tensors: {
        policy: encodeF64(this.policy.getParameters()),
        value: encodeF64(this.valueFunction.getParameters()),
        valueAdam: encodeF64(this.valueFunction.getOptimizerState()),
      },
      rng: {
        sample: encodeRng(this.sampleRng.getState()),
        value: encodeRng(this.valueFunction.rng.getState()),
        predict: encodeRng(this.predictRng.getState()),
      },
      seeds: { base: this.baseSeed, pendingEnvSeed: this.pendingEnvSeed },
      progress: {
        numTimesteps: this.numTimesteps,
        numUpdates: this.numUpdates,
        episodeReturns: [...this.epReturns],
        episodeLengths: [...this.epLengths],
      },
      vecNormalize: vn ? getVecNormalizeState(vn) : (this.loadedVecNormalize ?? null),
      envState,
    };
  }

  /** VecNormalize statistics read from a file loaded without an env (kept to be saved again). */
  private loadedVecNormalize: VecNormalizeFullState | null = null;

  private captureEnvState(): SavedEnvState | null {
    const sync = innerSyncEnv(this.envRef);
    if (!sync || !this.lastObs) return null;
    if (!sync.envs.every((e) => typeof e.getState === 'function')) return null;
    let envs: unknown[];
    try {
      envs = JSON.parse(JSON.stringify(sync.envs.map((e) => e.getState!()))) as unknown[];
    } catch {
      return null;
    }
    const returns = privateArray(sync, 'returns', sync.numEnvs);
    const lengths = privateArray(sync, 'lengths', sync.numEnvs);
    return {
      type: 'SyncVectorEnv', numEnvs: sync.numEnvs, envs,
      returns: returns ? Array.from(returns) : null, lengths: lengths ? Array.from(lengths) : null,
      lastObs: Float64Array.from(this.lastObs),
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
    const bad = (field: string, what: string): never => {
      throw new ModelFileError(`${where}: field ${field}: ${what}`);
    };
    if (p.algorithm !== 'TRPO') bad('algorithm', `expected "TRPO", got ${JSON.stringify(p.algorithm)}`);
    if (p.policy !== 'MlpPolicy') bad('policy', `expected "MlpPolicy", got ${JSON.stringify(p.policy)}`);
    const ro = p.options as ResolvedTRPOOptions;
    if (typeof ro !== 'object' || ro === null || typeof ro.policyKwargs !== 'object' || ro.policyKwargs === null) bad('options', 'missing');
    const { policyKwargs, seed, ...rest } = ro;
    const opts: TRPOOptions = {
      ...rest,
      policyKwargs: { netArch: policyKwargs.netArch, ...(policyKwargs.logStdInit === null ? {} : { logStdInit: policyKwargs.logStdInit }) },
      ...(seed === null ? {} : { seed }),
    };
    if (lo.backend !== undefined) opts.backend = lo.backend as BackendChoice;
    try {
      resolveTRPOOptions(opts);
    } catch (e) {
      bad('options', (e as Error).message);
    }
    const envInfo = p.env as { observationSpace: SpaceJSON; actionSpace: SpaceJSON; normalized: boolean };
    const vns = p.vecNormalize as VecNormalizeFullState | null;
    if (vns !== null && (typeof vns !== 'object' || typeof vns.normObs !== 'boolean')) bad('vecNormalize', 'expected a VecNormalize state or null');
    if (typeof envInfo !== 'object' || envInfo === null) bad('env', 'missing');
    let observationSpace: Box | Discrete;
    let actionSpace: Box | Discrete;
    try {
      observationSpace = spaceFromJSON(envInfo.observationSpace);
      actionSpace = spaceFromJSON(envInfo.actionSpace);
    } catch (e) {
      return bad('env', `invalid space: ${(e as Error).message}`);
    }
    if (!isBox(observationSpace)) bad('env.observationSpace', 'expected a Box');
    if (typeof envInfo.normalized !== 'boolean') bad('env.normalized', 'expected a boolean');
    const kind = p.policyKind;
    if (kind !== (isDiscrete(actionSpace) ? 'categorical' : 'gaussian')) bad('policyKind', `${JSON.stringify(kind)} does not match the action space ${String(actionSpace)}`);
    const seeds = p.seeds as { base: number; pendingEnvSeed: number | null };
    if (typeof seeds !== 'object' || seeds === null || !Number.isSafeInteger(seeds.base) || !(seeds.pendingEnvSeed === null || Number.isSafeInteger(seeds.pendingEnvSeed))) {
      bad('seeds', 'expected { base: integer, pendingEnvSeed: integer | null }');
    }
    const env = (lo.env ?? null) as VecEnv | null;
    const model = new TRPO('MlpPolicy', env, opts, {
      token: INTERNAL, observationSpace: observationSpace as Box, actionSpace, baseSeed: seeds.base, normalized: envInfo.normalized,
      usesVecNormalize: vns !== null,
    });

    const t = p.tensors as Record<string, unknown>;
    if (typeof t !== 'object' || t === null) bad('tensors', 'missing');
    model.policy.setParameters(decodeF64(t.policy, `${where}: tensors.policy`, model.policy.numParameters));
    model.valueFunction.setParameters(decodeF64(t.value, `${where}: tensors.value`, model.valueFunction.numParameters));
    model.valueFunction.setOptimizerState(decodeF64(t.valueAdam, `${where}: tensors.valueAdam`, 1 + 2 * model.valueFunction.numParameters));
    const rng = p.rng as Record<string, unknown>;
    if (typeof rng !== 'object' || rng === null) bad('rng', 'missing');
    model.sampleRng.setState(decodeRng(rng.sample, `${where}: rng.sample`));
    model.valueFunction.rng.setState(decodeRng(rng.value, `${where}: rng.value`));
    model.predictRng.setState(decodeRng(rng.predict, `${where}: rng.predict`));
    model.pendingEnvSeed = seeds.pendingEnvSeed;

    const pr = p.progress as { numTimesteps: number; numUpdates: number; episodeReturns: number[]; episodeLengths: number[] };
    if (typeof pr !== 'object' || pr === null || !Number.isSafeInteger(pr.numTimesteps) || pr.numTimesteps < 0 || !Number.isSafeInteger(pr.numUpdates) || pr.numUpdates < 0 ||
      !Array.isArray(pr.episodeReturns) || !Array.isArray(pr.episodeLengths) || pr.episodeReturns.length !== pr.episodeLengths.length ||
      !pr.episodeReturns.every(Number.isFinite) || !pr.episodeLengths.every(Number.isFinite)) {
      bad('progress', 'expected { numTimesteps, numUpdates, episodeReturns, episodeLengths }');
    }
    model.numTimesteps = pr.numTimesteps;
    model.numUpdates = pr.numUpdates;
    model.epReturns = [...pr.episodeReturns];
    model.epLengths = [...pr.episodeLengths];

    if (envInfo.normalized && vns === null) bad('vecNormalize', 'missing for a model trained on normalized observations');
    if (vns !== null) {
      const vn = vecNormalizeOf(env);
      if (vn) {
        try {
          setVecNormalizeState(vn, vns!);
        } catch (e) {
          bad('vecNormalize', (e as Error).message);
        }
      } else {
        model.loadedVecNormalize = vns;
      }
    }

    const es = p.envState as (Omit<SavedEnvState, 'lastObs'> & { lastObs: EncodedTensor }) | null;
    if (es !== null && es !== undefined) {
      if (typeof es !== 'object' || es.type !== 'SyncVectorEnv' || !Number.isInteger(es.numEnvs) || !Array.isArray(es.envs) || es.envs.length !== es.numEnvs) {
        bad('envState', 'expected { type: "SyncVectorEnv", numEnvs, envs, returns, lengths, lastObs }');
      }
      model.pendingEnvState = { ...es, lastObs: decodeF64(es.lastObs, `${where}: envState.lastObs`, es.numEnvs * model.obsDim) };
    }
    return model;
  }
}

/** 1 - Var(y - yPred) / Var(y) (population variances; NaN when Var(y) = 0), as SB3's explained_variance. */
export function explainedVarianceOf(yPred: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = y.length;
  let my = 0;
  let md = 0;
  for (let i = 0; i < n; i++) {
    my += y[i];
    md += y[i] - yPred[i];
  }
  my /= n;
  md /= n;
  let vy = 0;
  let vd = 0;
  for (let i = 0; i < n; i++) {
    vy += (y[i] - my) ** 2;
    vd += (y[i] - yPred[i] - md) ** 2;
  }
  return vy === 0 ? Number.NaN : 1 - vd / vy;
}
