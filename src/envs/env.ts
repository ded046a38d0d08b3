import type { Box, ObservationSpace, Space } from './spaces.js';

/**
 * An action: a number for `Discrete` action spaces, a `Float64Array` for `Box`, an `Int32Array`
 * for `MultiDiscrete` and an `Int8Array` of 0s and 1s for `MultiBinary` action spaces.
 */
export type Action = number | Float64Array | Int32Array | Int8Array;

/**
 * An observation of a `Box` space. Built-in envs return `Float64Array`s; the classic-control
 * ones hold values rounded to float32 (Gymnasium's observations are float32 arrays), so they
 * compare equal to Gymnasium's. A user env may return a `Float32Array`.
 */
export type Observation = Float64Array | Float32Array;

/** An observation of a `Dict` space: one value per key of the space. */
export interface DictObservation {
  [key: string]: Observation | number | Int32Array | Int8Array | ArrayLike<number>;
}

/**
 * An observation of any supported space: an `Observation` for a Box, an integer for a Discrete,
 * an integer array for MultiDiscrete / MultiBinary, an object for a Dict. Vector envs batch
 * observations in the packed flat form (see `packObservation`).
 */
export type AnyObservation = Observation | number | Int32Array | Int8Array | DictObservation;

/** Extra per-step information (Gymnasium's `info` dict). */
export type Info = Record<string, unknown>;

/** Arguments of `Env.reset`. */
export interface ResetArgs {
  /** Reseed the env's generator before drawing the initial state (Gymnasium's `seed=`). */
  seed?: number;
  /** Env-specific reset options, e.g. `{ low, high }` for the classic-control initial-state bounds. */
  options?: Record<string, unknown>;
}

/** What `Env.reset` returns (Gymnasium's `(obs, info)`). */
export interface ResetResult<O extends AnyObservation = Observation> {
  /** The first observation of the episode, an element of observationSpace. */
  observation: O;
  /** Extra information about the reset (env-specific; often empty). */
  info: Info;
}

/** What `Env.step` returns (Gymnasium's `(obs, reward, terminated, truncated, info)`). */
export interface StepResult<O extends AnyObservation = Observation> {
  /** The observation after the step, an element of observationSpace. */
  observation: O;
  /** The step's reward (a finite number for the built-in envs). */
  reward: number;
  /** The episode reached a terminal state of the MDP (no bootstrapping). */
  terminated: boolean;
  /** The episode was cut short (time limit); bootstrap from the final observation. */
  truncated: boolean;
  /** Extra information about the step (reward terms, positions, ...; wrappers add `episode` at an episode's end). */
  info: Info;
}

/**
 * A Gymnasium 1.x-style environment.
 *
 * - `reset({ seed?, options? })` starts an episode; `step(action)` advances it.
 * - `observationSpace` is a `Box`, `Discrete`, `MultiDiscrete`, `MultiBinary` or a `Dict` of
 *   them; `actionSpace` a `Box` (actions `Float64Array`), a `Discrete` (actions integers), a
 *   `MultiDiscrete` (`Int32Array`) or a `MultiBinary` (`Int8Array`).
 * - `getState()`/`setState(state)` (optional for user envs, present on all built-ins and
 *   wrappers) capture everything needed to replay exactly, including the generator state. The
 *   state is a plain JSON-able object.
 */
export interface Env<A extends Action = Action, O extends AnyObservation = Observation, S extends ObservationSpace = Box> {
  /** Name used in error messages (the registered id for envs made by `make`). */
  readonly id?: string;
  /** The space every observation belongs to. */
  readonly observationSpace: S;
  /** The space of valid actions. */
  readonly actionSpace: Space<A>;
  /** Starts an episode (reseeding the env's generator when `seed` is given) and returns its first observation. */
  reset(args?: ResetArgs): ResetResult<O>;
  /**
   * Advances the episode by one action. Built-in envs throw a TypeError/RangeError for an action
   * outside actionSpace and an Error for a step before reset() or after the episode ended.
   */
  step(action: A): StepResult<O>;
  /** Releases the env's resources (a MuJoCo or Box2D world); the env must not be used afterwards. */
  close(): void;
  /** Everything needed to continue exactly from here (physics, episode counters, generator), as a JSON-able object. */
  getState?(): unknown;
  /** Restores a state from getState() of an env of the same kind and options; throws a TypeError for a foreign state. */
  setState?(state: unknown): void;
}

/** Any env, whatever its action and observation types and spaces. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyEnv = Env<any, any, any>;

/** The env's name for messages: its `id`, else its class name. */
export function envName(env: { id?: string; constructor?: { name?: string } }): string {
  if (typeof env.id === 'string' && env.id.length > 0) return env.id;
  const cls = env.constructor?.name;
  return cls && cls !== 'Object' ? cls : 'env';
}
