import type { Action, AnyEnv } from '../env.js';
import { actionDim, isBox, isDiscrete, isLeafSpace, isMultiBinary, isMultiDiscrete, isObservationSpace, type ActionSpace, type ObservationSpace } from '../spaces.js';
import { packObservation, packedSize } from '../flatten.js';
import { EnvGuard } from '../wrappers/env-guard.js';
import { Wrapper } from '../wrappers/wrapper.js';
import { rethrowWithPrefix } from '../validation.js';
import {
  assertActionBatch,
  type VecEnv,
  type VecInfo,
  type RunningEpisodesSource,
  type VecResetArgs,
  type VecRunningEpisodes,
  type VecStepResult,
} from './vec-env.js';

/** Options of `SyncVectorEnv`. */
export interface SyncVectorEnvOptions {
  /** Seed used by the first `reset()` that gives none (env i gets seed + i). */
  seed?: number;
  /** Global index of the first env, for messages and seeding (used by `WorkerVectorEnv`). */
  indexOffset?: number;
}

/** The running return and length of every env's current episode (see `SyncVectorEnv.getEpisodeState`). */
export interface VecEpisodeState {
  /** Sum of the rewards of env i's episode so far. */
  returns: number[];
  /** Steps of env i's episode so far. */
  lengths: number[];
}

function hasGuard(env: AnyEnv): boolean {
  let e: AnyEnv = env;
  for (;;) {
    if (e instanceof EnvGuard) return true;
    if (!(e instanceof Wrapper)) return false;
    e = e.env;
  }
}

/**
 * Steps its envs one after another in this thread, with autoreset: when env i's episode ends,
 * `infos[i].finalObservation` and `infos[i].episode = { r, l }` describe it and row i of
 * `observations` is the first observation of the next episode. Envs without an `EnvGuard`
 * get one. `stepSync`/`resetSync` avoid the Promise.
 */
export class SyncVectorEnv implements VecEnv, RunningEpisodesSource {
  readonly numEnvs: number;
  readonly observationSpace: ObservationSpace;
  readonly actionSpace: ActionSpace;
  readonly obsDim: number;
  readonly actDim: number;
  /** The envs, in slot order (each wrapped as `make` wraps it). */
  readonly envs: readonly AnyEnv[];
  private readonly discrete: boolean;
  /** The observations are Box values (copied as they are) rather than packed from another space. */
  private readonly boxObs: boolean;
  /** Typed-array constructor of MultiDiscrete / MultiBinary actions (null for Box and Discrete). */
  private readonly intAction: Int32ArrayConstructor | Int8ArrayConstructor | null;
  private readonly offset: number;
  private pendingSeed: number | undefined;
  private returns: Float64Array;
  private lengths: Float64Array;
  private started = false;
  private closed = false;

  /**
   * @param envs envs or functions making them (all with the same spaces)
   * @throws TypeError for an empty array, envs whose spaces differ, or spaces the vector envs do not support.
   */
  constructor(envs: readonly (AnyEnv | (() => AnyEnv))[], options: SyncVectorEnvOptions = {}) {
    if (!Array.isArray(envs) || envs.length === 0) throw new TypeError('SyncVectorEnv: expected a non-empty array of envs or env factories');
    this.envs = envs.map((e) => {
      const env = typeof e === 'function' ? (e as () => AnyEnv)() : e;
      return hasGuard(env) ? env : new EnvGuard(env);
    });
    this.numEnvs = this.envs.length;
    const first = this.envs[0];
    if (!isObservationSpace(first.observationSpace)) {
      throw new TypeError(`SyncVectorEnv: observationSpace must be a Box, Discrete, MultiDiscrete, MultiBinary or a Dict of them, got ${String(first.observationSpace)}`);
    }
    if (!isLeafSpace(first.actionSpace)) throw new TypeError(`SyncVectorEnv: actionSpace must be a Box, Discrete, MultiDiscrete or MultiBinary, got ${String(first.actionSpace)}`);
    this.observationSpace = first.observationSpace;
    this.actionSpace = first.actionSpace;
    for (let i = 1; i < this.numEnvs; i++) {
      const e = this.envs[i];
      if (String(e.observationSpace) !== String(this.observationSpace) || String(e.actionSpace) !== String(this.actionSpace)) {
        throw new TypeError(`SyncVectorEnv: env ${i} has spaces ${String(e.observationSpace)} / ${String(e.actionSpace)}, env 0 has ${String(this.observationSpace)} / ${String(this.actionSpace)}`);
      }
    }
    this.boxObs = isBox(this.observationSpace);
    this.obsDim = packedSize(this.observationSpace);
    this.actDim = actionDim(this.actionSpace);
    this.discrete = isDiscrete(this.actionSpace);
    this.intAction = isMultiDiscrete(this.actionSpace) ? Int32Array : isMultiBinary(this.actionSpace) ? Int8Array : null;
    this.offset = options.indexOffset ?? 0;
    this.pendingSeed = options.seed;
    this.returns = new Float64Array(this.numEnvs);
    this.lengths = new Float64Array(this.numEnvs);
  }

  async reset(args: VecResetArgs = {}): Promise<Float64Array> {
    return this.resetSync(args);
  }

  async step(actions: Float64Array): Promise<VecStepResult> {
    return this.stepSync(actions);
  }

  async close(): Promise<void> {
    this.closeSync();
  }

  /** `reset` without the Promise. */
  resetSync(args: VecResetArgs = {}): Float64Array {
    this.assertOpen();
    const seed = args.seed ?? this.pendingSeed;
    if (seed !== undefined && !Number.isInteger(seed)) throw new TypeError(`SyncVectorEnv.reset: seed must be an integer, got ${String(seed)}`);
    this.pendingSeed = undefined;
    const obs = new Float64Array(this.numEnvs * this.obsDim);
    for (let i = 0; i < this.numEnvs; i++) {
      let r;
      try {
        r = this.envs[i].reset({ seed: seed === undefined ? undefined : seed + this.offset + i, options: args.options });
      } catch (e) {
        rethrowWithPrefix(e, `env ${this.offset + i}: `);
      }
      this.putObservation(r.observation, obs, i);
    }
    this.returns.fill(0);
    this.lengths.fill(0);
    this.started = true;
    return obs;
  }

  /** `step` without the Promise. */
  stepSync(actions: Float64Array): VecStepResult {
    this.assertOpen();
    if (!this.started) throw new Error('SyncVectorEnv.step: call reset() before step()');
    assertActionBatch('SyncVectorEnv', actions, this.numEnvs, this.actDim);
    const n = this.numEnvs;
    const d = this.obsDim;
    const observations = new Float64Array(n * d);
    const rewards = new Float64Array(n);
    const terminated = new Uint8Array(n);
    const truncated = new Uint8Array(n);
    const infos: VecInfo[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const env = this.envs[i];
      const action: Action = this.discrete ? actions[i] : this.intAction ? this.intActionOf(actions, i) : Float64Array.from(actions.slice(i * this.actDim, (i + 1) * this.actDim));
      try {
        const r = env.step(action);
        rewards[i] = r.reward;
        this.returns[i] += r.reward;
        this.lengths[i] += 1;
        if (r.terminated || r.truncated) {
          terminated[i] = r.terminated ? 1 : 0;
          truncated[i] = r.truncated ? 1 : 0;
          infos[i] = {
            ...r.info,
            finalObservation: this.boxObs ? Float64Array.from(r.observation as ArrayLike<number>) : packObservation(this.observationSpace, r.observation),
            episode: { r: this.returns[i], l: this.lengths[i] },
          };
          this.returns[i] = 0;
          this.lengths[i] = 0;
          this.putObservation(env.reset().observation, observations, i);
        } else {
          infos[i] = r.info;
          this.putObservation(r.observation, observations, i);
        }
      } catch (e) {
        rethrowWithPrefix(e, `env ${this.offset + i}: `);
      }
    }
    return { observations, rewards, terminated, truncated, infos };
  }

  /**
   * The running return and length of every env's current episode: what `infos[i].episode` will
   * add the next steps to. With each env's `getState()` (and the last observations), this is what
   * it takes to continue the episodes exactly in another SyncVectorEnv.
   */
  getEpisodeState(): VecEpisodeState {
    return { returns: Array.from(this.returns), lengths: Array.from(this.lengths) };
  }

  /**
   * Restore `getEpisodeState()` output (numEnvs finite returns and non-negative integer lengths).
   * `reset` zeroes them, so call this after `reset`, when the envs' own states are restored.
   */
  setEpisodeState(state: VecEpisodeState): void {
    this.assertOpen();
    this.checkEpisodeState(state, 'setEpisodeState');
    this.returns.set(state.returns);
    this.lengths.set(state.lengths);
  }

  /** Throws a TypeError naming `method` unless `state` holds numEnvs finite returns and non-negative integer lengths. */
  private checkEpisodeState(state: unknown, method: string): asserts state is VecEpisodeState {
    const n = this.numEnvs;
    const s = state as Partial<VecEpisodeState> | null;
    const ok = (a: unknown, check: (x: unknown) => boolean): a is number[] => Array.isArray(a) && a.length === n && a.every(check);
    if (typeof s !== 'object' || s === null || !ok(s.returns, Number.isFinite) ||
      !ok(s.lengths, (x) => Number.isSafeInteger(x) && (x as number) >= 0)) {
      throw new TypeError(`SyncVectorEnv.${method}: expected { returns, lengths } of ${n} finite numbers (lengths non-negative integers), as from getEpisodeState()`);
    }
  }

  /**
   * Each env's `getState()` (as JSON would give it back) with the running returns and lengths;
   * null when an env has no `getState()` or its state is not JSON-able. With the observations the
   * next step acts on, this continues the episodes exactly in another vector env of this size.
   */
  getRunningEpisodes(): VecRunningEpisodes | null {
    this.assertOpen();
    if (!this.envs.every((e) => typeof e.getState === 'function')) return null;
    let envs: unknown[];
    try {
      envs = JSON.parse(JSON.stringify(this.envs.map((e) => e.getState!()))) as unknown[];
    } catch {
      return null;
    }
    return { envs, ...this.getEpisodeState() };
  }

  /**
   * Put the envs into `getRunningEpisodes()` output: marks the vector env started, restores every
   * env's state and the running returns and lengths. Throws a TypeError when an env has no
   * `setState()` or the state is not of this size.
   */
  setRunningEpisodes(state: VecRunningEpisodes): void {
    this.assertOpen();
    const envs = (state as Partial<VecRunningEpisodes> | null)?.envs;
    if (!Array.isArray(envs) || envs.length !== this.numEnvs) {
      throw new TypeError(`SyncVectorEnv.setRunningEpisodes: expected { envs, returns, lengths } for ${this.numEnvs} envs, as from getRunningEpisodes()`);
    }
    this.checkEpisodeState(state, 'setRunningEpisodes'); // before any env is touched
    const missing = this.envs.findIndex((e) => typeof e.setState !== 'function');
    if (missing >= 0) throw new TypeError(`SyncVectorEnv.setRunningEpisodes: env ${this.offset + missing} has no setState(); cannot restore its episode`);
    this.resetSync(); // marks the vector env started; every env's state is overwritten below
    this.envs.forEach((e, i) => e.setState!(envs[i]));
    this.setEpisodeState({ returns: state.returns, lengths: state.lengths });
  }

  /** Write env i's (guard-checked) observation into row i of a batch. */
  private putObservation(o: unknown, batch: Float64Array, i: number): void {
    if (this.boxObs) batch.set(o as ArrayLike<number>, i * this.obsDim);
    else packObservation(this.observationSpace, o, batch, i * this.obsDim);
  }

  /** Env i's MultiDiscrete / MultiBinary action; a RangeError for a non-integer entry (which the typed array would truncate). */
  private intActionOf(actions: ArrayLike<number>, i: number): Int32Array | Int8Array | Float64Array {
    const w = this.actDim;
    for (let k = i * w; k < (i + 1) * w; k++) {
      const x = actions[k];
      if (!Number.isInteger(x)) {
        throw new RangeError(`SyncVectorEnv.step: actions[${k}] (env ${this.offset + i}, component ${k - i * w}) is ${String(x)}, expected an integer of ${String(this.actionSpace)}`);
      }
    }
    const out = new this.intAction!(w);
    for (let j = 0; j < w; j++) {
      out[j] = actions[i * w + j];
      // A value the typed array cannot hold must reach the env guard unchanged (it reports it out of range).
      if (out[j] !== actions[i * w + j]) return Float64Array.from(Array.prototype.slice.call(actions, i * w, (i + 1) * w) as number[]);
    }
    return out;
  }

  /** `close` without the Promise. */
  closeSync(): void {
    if (this.closed) return;
    this.closed = true;
    for (const env of this.envs) env.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('SyncVectorEnv: the vector env is closed');
  }
}
