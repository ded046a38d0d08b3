import type { Random } from '../random.js';
import type { Action, Env, Info, ResetArgs, ResetResult, StepResult } from './env.js';
import { checkSeed, makeRandom } from './seeding.js';
import type { Box, Space } from './spaces.js';
import {
  assertCanStep,
  assertValidAction,
  assertValidObservation,
  assertValidStepFields,
  type EpisodeStatus,
} from './validation.js';

/** The exact-replay state of a built-in env (plain JSON-able data). */
export interface BaseEnvState {
  /** The physical state vector (Gymnasium's `env.unwrapped.state`), float64. */
  physics: number[];
  /** The env generator's state (`Random.getState()`). */
  rng: number[];
  /** Steps taken since the last reset. */
  stepIndex: number;
  /** Whether the episode runs, ended (terminated) or awaits its first reset. */
  status: EpisodeStatus;
  /** Env-specific extras (e.g. MountainCarContinuous's float32 flag). */
  extra?: Record<string, unknown>;
}

/**
 * Base class of the built-in envs: seeding, episode bookkeeping, input/output checks and
 * `getState`/`setState`. Subclasses implement `resetPhysics`, `transition` and `observe`.
 */
export abstract class BaseEnv<A extends Action> implements Env<A, Float64Array> {
  /** The registered id (e.g. 'CartPole-v1'), used in error messages. */
  abstract readonly id: string;
  /** The observation space (a Box for every built-in env). */
  abstract readonly observationSpace: Box;
  /** The action space. */
  abstract readonly actionSpace: Space<A>;
  /** The env's generator for initial states (Gymnasium's `np_random`); reseeded by `reset({ seed })`, saved by getState. */
  protected rng: Random = makeRandom();
  /** The physical state vector (Gymnasium's `env.unwrapped.state`), float64; resetPhysics and transition write it. */
  protected physics: Float64Array = new Float64Array(0);
  private stepIndex = 0;
  private status: EpisodeStatus = 'needs-reset';

  /** Draw a new initial state into `this.physics` using `this.rng`. */
  protected abstract resetPhysics(options: Record<string, unknown> | undefined): void;
  /** Advance `this.physics` by one step under a validated action (optionally with an `info` dict). */
  protected abstract transition(action: A): {
    /** The step's reward. */
    reward: number;
    /** Whether the new state is terminal. */
    terminated: boolean;
    /** The step's info dict (default {}). */
    info?: Info;
  };
  /** The observation of the current state. */
  protected abstract observe(): Float64Array;
  /** Env-specific state beyond `physics` (override with `loadExtra`). */
  protected saveExtra(): Record<string, unknown> | undefined {
    return undefined;
  }
  /** Restores what saveExtra saved (called by setState, also with undefined). */
  protected loadExtra(_extra: Record<string, unknown> | undefined): void {}
  /** The `info` dict returned by `reset` (Gymnasium's reset info; empty by default). */
  protected resetInfo(): Info {
    return {};
  }

  /** Start an episode; `seed` reseeds the env's generator (otherwise the stream continues). */
  reset(args: ResetArgs = {}): ResetResult<Float64Array> {
    const seed = checkSeed(args.seed, `${this.id} reset`);
    if (seed !== undefined) this.rng.seed(seed);
    this.resetPhysics(args.options);
    this.stepIndex = 0;
    this.status = 'running';
    const observation = this.observe();
    assertValidObservation(this.id, 0, 'reset observation', observation, this.observationSpace.size);
    return { observation, info: this.resetInfo() };
  }

  /** Advance one step. Throws a TypeError/RangeError naming env, step and value on bad input or output. */
  step(action: A): StepResult<Float64Array> {
    const t = this.stepIndex;
    assertCanStep(this.id, t, this.status);
    assertValidAction(this.id, t, this.actionSpace, action);
    const { reward, terminated, info = {} } = this.transition(action);
    const observation = this.observe();
    assertValidObservation(this.id, t, 'observation', observation, this.observationSpace.size);
    assertValidStepFields(this.id, t, { reward, terminated, truncated: false, info });
    this.stepIndex = t + 1;
    if (terminated) this.status = 'terminated';
    return { observation, reward, terminated, truncated: false, info };
  }

  /** Nothing to release for the classic-control envs. */
  close(): void {}

  /** The observation of the current state (e.g. after `setState`), without stepping. */
  currentObservation(): Float64Array {
    return this.observe();
  }

  /** The exact-replay state: physics, generator, step counter, episode status and extras. */
  getState(): BaseEnvState {
    const state: BaseEnvState = {
      physics: Array.from(this.physics),
      rng: this.rng.getState(),
      stepIndex: this.stepIndex,
      status: this.status,
    };
    const extra = this.saveExtra();
    if (extra !== undefined) state.extra = extra;
    return state;
  }

  /**
   * Restore a state from `getState()`. Fields may be omitted to keep their current values;
   * giving only `physics` sets the physical state (like assigning Gymnasium's
   * `env.unwrapped.state`) and marks the episode running.
   */
  setState(state: Partial<BaseEnvState>): void {
    if (typeof state !== 'object' || state === null) throw new TypeError(`${this.id} setState: expected an object from getState()`);
    if (state.physics !== undefined) {
      if (!Array.isArray(state.physics) || state.physics.length !== this.physicsSize() || !state.physics.every((v) => typeof v === 'number')) {
        throw new TypeError(`${this.id} setState: physics must be an array of ${this.physicsSize()} numbers`);
      }
      this.physics = Float64Array.from(state.physics);
      if (state.status === undefined) this.status = 'running';
    }
    if (state.rng !== undefined) this.rng.setState(state.rng);
    if (state.stepIndex !== undefined) this.stepIndex = state.stepIndex;
    if (state.status !== undefined) this.status = state.status;
    this.loadExtra(state.extra);
  }

  /** Length of the physical state vector. */
  protected abstract physicsSize(): number;
}

/** Read Gymnasium-style `{ low, high }` reset bounds from `options`, with defaults. */
export function resetBounds(id: string, options: Record<string, unknown> | undefined, low: number, high: number): [number, number] {
  const lo = options?.low ?? low;
  const hi = options?.high ?? high;
  if (typeof lo !== 'number' || typeof hi !== 'number' || !Number.isFinite(lo) || !Number.isFinite(hi)) {
    throw new TypeError(`${id} reset: options.low/high must be finite numbers, got ${String(lo)}, ${String(hi)}`);
  }
  if (lo > hi) throw new RangeError(`${id} reset: options.low (${lo}) must not exceed options.high (${hi})`);
  return [lo, hi];
}

/** Round each value to float32 into a new Float64Array (Gymnasium's float32 observations). */
export function float32Obs(values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.fround(values[i]);
  return out;
}
