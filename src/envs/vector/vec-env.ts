import type { Info } from '../env.js';
import type { ActionSpace, ObservationSpace } from '../spaces.js';
import type { EpisodeStats } from '../wrappers/episode-statistics.js';

/** Per-env info of a vector step. */
export interface VecInfo extends Info {
  /**
   * Present when the env's episode ended on this step: its last observation, packed like a row of
   * `observations` (see `packObservation`; `unpackObservation` gives the Dict/Discrete value back).
   * The row in `observations` already starts the next episode.
   */
  finalObservation?: Float64Array;
  /** Present when the episode ended on this step: its true (unnormalized) return and length. */
  episode?: EpisodeStats;
}

/** Result of `VecEnv.step`, flat and row-major over envs. */
export interface VecStepResult {
  /** numEnvs × obsDim (packed, see `packObservation`); row i is the next episode's first observation when env i finished. */
  observations: Float64Array;
  /** The step's reward of each env (numEnvs values). */
  rewards: Float64Array;
  /** 1 where env i's episode terminated on this step. */
  terminated: Uint8Array;
  /** 1 where env i's episode was truncated (time limit) on this step. */
  truncated: Uint8Array;
  /** One info object per env. */
  infos: VecInfo[];
}

/** Arguments of `VecEnv.reset`. */
export interface VecResetArgs {
  /** Env i is reseeded with `seed + i` (as Gymnasium's vector envs). */
  seed?: number;
  /** Reset options passed to every env. */
  options?: Record<string, unknown>;
}

/**
 * A batch of `numEnvs` copies of one env with autoreset, batch-oriented with flat typed
 * arrays. Observations are rows of the packed form (`packObservation`): a Box's values, a
 * Discrete's integer, a Dict's keys in key order (Discrete keys as their integer). Actions are
 * flat: numEnvs × actDim values, Discrete actions as numbers, MultiDiscrete / MultiBinary
 * actions as actDim integers per env.
 */
export interface VecEnv {
  /** Number of envs stepped together. */
  readonly numEnvs: number;
  /** The single-env observation space. */
  readonly observationSpace: ObservationSpace;
  /** The single-env action space. */
  readonly actionSpace: ActionSpace;
  /** Values per env in an observation batch: the packed size (`packedSize(observationSpace)`; a Box's size). */
  readonly obsDim: number;
  /** Action entries per env (Box size, 1 for Discrete, nvec.length for MultiDiscrete, n for MultiBinary). */
  readonly actDim: number;
  /** Reset all envs; returns numEnvs × obsDim observations. */
  reset(args?: VecResetArgs): Promise<Float64Array>;
  /** Step all envs, autoresetting the ones whose episode ends. */
  step(actions: Float64Array): Promise<VecStepResult>;
  /** Closes every env (and worker threads); the vector env must not be used afterwards. */
  close(): Promise<void>;
}

/** Everything it takes to continue a vector env's running episodes exactly (see `SyncVectorEnv.getRunningEpisodes`). */
export interface VecRunningEpisodes {
  /** Each env's `getState()`, through JSON (as it is saved in a model file). */
  envs: unknown[];
  /** Sum of the rewards of env i's episode so far. */
  returns: number[];
  /** Steps of env i's episode so far. */
  lengths: number[];
}

/**
 * A vector env whose running episodes can be saved and restored, so that training resumes
 * exactly: `SyncVectorEnv` and `WorkerVectorEnv` implement it; a custom VecEnv may too.
 */
export interface RunningEpisodesSource {
  /** The running episodes (null when an env cannot save its state). */
  getRunningEpisodes(): VecRunningEpisodes | null | Promise<VecRunningEpisodes | null>;
  /** Restore `getRunningEpisodes()` output; throws (or rejects) with a TypeError when it cannot. */
  setRunningEpisodes(state: VecRunningEpisodes): void | Promise<void>;
}

/** Whether a vector env implements `RunningEpisodesSource`. */
export function hasRunningEpisodes(env: unknown): env is VecEnv & RunningEpisodesSource {
  const e = env as Partial<RunningEpisodesSource> | null;
  return typeof e === 'object' && e !== null && typeof e.getRunningEpisodes === 'function' && typeof e.setRunningEpisodes === 'function';
}

/** Check a flat action batch and throw a TypeError naming the vec env if it is malformed. */
export function assertActionBatch(name: string, actions: unknown, numEnvs: number, actDim: number): asserts actions is Float64Array | Float32Array | number[] {
  if (!(actions instanceof Float64Array || actions instanceof Float32Array || Array.isArray(actions))) {
    throw new TypeError(`${name}.step: actions must be a Float64Array of numEnvs × actDim = ${numEnvs * actDim} values, got ${String(actions)}`);
  }
  if (actions.length !== numEnvs * actDim) {
    throw new TypeError(`${name}.step: actions has length ${actions.length}, expected numEnvs × actDim = ${numEnvs} × ${actDim} = ${numEnvs * actDim}`);
  }
}
