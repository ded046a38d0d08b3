import type { Box, Space } from './spaces.js';

/** An action: a number for `Discrete` action spaces, a `Float64Array` for `Box` action spaces. */
export type Action = number | Float64Array;

/**
 * An observation. Built-in envs return `Float64Array`s; the classic-control ones hold values
 * rounded to float32 (Gymnasium's observations are float32 arrays), so they compare equal to
 * Gymnasium's. A user env may return a `Float32Array`; vector envs copy into `Float64Array`s.
 */
export type Observation = Float64Array | Float32Array;

/** Extra per-step information (Gymnasium's `info` dict). */
export type Info = Record<string, unknown>;

/** Arguments of `Env.reset`. */
export interface ResetArgs {
  /** Reseed the env's generator before drawing the initial state (Gymnasium's `seed=`). */
  seed?: number;
  /** Env-specific reset options, e.g. `{ low, high }` for the classic-control initial-state bounds. */
  options?: Record<string, unknown>;
}

export interface ResetResult<O extends Observation = Observation> {
  observation: O;
  info: Info;
}

export interface StepResult<O extends Observation = Observation> {
  observation: O;
  reward: number;
  /** The episode reached a terminal state of the MDP (no bootstrapping). */
  terminated: boolean;
  /** The episode was cut short (time limit); bootstrap from the final observation. */
  truncated: boolean;
  info: Info;
}

/**
 * A Gymnasium 1.x-style environment.
 *
 * - `reset({ seed?, options? })` starts an episode; `step(action)` advances it.
 * - `observationSpace` must be a `Box`; `actionSpace` a `Box` (actions `Float64Array`) or a
 *   `Discrete` (actions integers).
 * - `getState()`/`setState(state)` (optional for user envs, present on all built-ins and
 *   wrappers) capture everything needed to replay exactly, including the generator state. The
 *   state is a plain JSON-able object.
 */
export interface Env<A extends Action = Action, O extends Observation = Observation> {
  /** Name used in error messages (the registered id for envs made by `make`). */
  readonly id?: string;
  readonly observationSpace: Box;
  readonly actionSpace: Space<A>;
  reset(args?: ResetArgs): ResetResult<O>;
  step(action: A): StepResult<O>;
  close(): void;
  getState?(): unknown;
  setState?(state: unknown): void;
}

/** Any env, whatever its action and observation types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyEnv = Env<any, Observation>;

/** The env's name for messages: its `id`, else its class name. */
export function envName(env: { id?: string; constructor?: { name?: string } }): string {
  if (typeof env.id === 'string' && env.id.length > 0) return env.id;
  const cls = env.constructor?.name;
  return cls && cls !== 'Object' ? cls : 'env';
}
