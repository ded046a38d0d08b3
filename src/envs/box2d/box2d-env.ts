import type { Env, Info, ResetArgs, ResetResult, StepResult } from '../env.js';
import { checkSeed, makeRandom } from '../seeding.js';
import { isBox, type Box, type Space } from '../spaces.js';
import {
  assertCanStep,
  assertValidAction,
  assertValidObservation,
  assertValidStepFields,
  type EpisodeStatus,
} from '../validation.js';

/**
 * The exact-resume state of a Box2D env (plain JSON). A Box2D world cannot be restored
 * exactly from positions and velocities (contacts carry warm-start impulses and sleep timers),
 * so the state is the episode's recipe: the generator state at its reset and the actions taken
 * since; `setState` rebuilds the world and re-simulates them (Box2D is deterministic), which
 * gives the identical continuation.
 */
export interface Box2DEnvState {
  /** Generator state when the episode was reset (before the terrain was drawn); null before any reset. */
  episodeRng: number[] | null;
  /** The actions of the episode so far, as applied (continuous ones already clipped). */
  actions: (number | number[])[];
  /** The generator state now (checked after the re-simulation). */
  rng: number[];
  /** Whether the episode runs, ended (terminated) or awaits its first reset. */
  status: EpisodeStatus;
}

/**
 * Base of the Box2D envs: seeding from the package's generator, episode bookkeeping, input and
 * output checks (errors name the env and step), and replay-based `getState`/`setState`.
 * Subclasses build the world (`buildEpisode`, which also takes Gymnasium's no-op step of
 * `reset`), advance it (`simulate`) and read the observation (`observe`).
 */
export abstract class Box2DEnv<A extends number | Float64Array> implements Env<A, Float64Array> {
  abstract readonly id: string;
  abstract readonly observationSpace: Box;
  abstract readonly actionSpace: Space<A>;
  /** The env's generator (Gymnasium's `np_random`): terrain, initial push, engine dispersion. */
  protected rng = makeRandom();
  private episodeRng: number[] | null = null;
  private actions: A[] = [];
  private status: EpisodeStatus = 'needs-reset';

  /** Destroy any previous world and build a new episode's world from `this.rng`, then take the no-op step. */
  protected abstract buildEpisode(): void;
  /** Apply a validated (and, for Box actions, clipped) action and step the world once. */
  protected abstract simulate(action: A): {
    /** The step's reward. */
    reward: number;
    /** Whether the episode ended (crash, landing at rest, fall, goal). */
    terminated: boolean;
  };
  /** The observation of the current state (float32 values). */
  protected abstract observe(): Float64Array;
  /** Free the Box2D world. */
  protected abstract destroyWorld(): void;

  reset(args: ResetArgs = {}): ResetResult<Float64Array> {
    const seed = checkSeed(args.seed, `${this.id} reset`);
    if (seed !== undefined) this.rng.seed(seed);
    this.episodeRng = this.rng.getState();
    this.actions = [];
    this.buildEpisode();
    this.status = 'running';
    const observation = this.observe();
    assertValidObservation(this.id, 0, 'reset observation', observation, this.observationSpace.size);
    return { observation, info: {} };
  }

  step(action: A): StepResult<Float64Array> {
    const t = this.actions.length;
    assertCanStep(this.id, t, this.status);
    assertValidAction(this.id, t, this.actionSpace, action);
    const applied = this.clip(action);
    this.actions.push(applied);
    const { reward, terminated } = this.simulate(applied);
    const observation = this.observe();
    const info: Info = {};
    assertValidObservation(this.id, t, 'observation', observation, this.observationSpace.size);
    assertValidStepFields(this.id, t, { reward, terminated, truncated: false, info });
    if (terminated) this.status = 'terminated';
    return { observation, reward, terminated, truncated: false, info };
  }

  /** Free the Box2D world; `reset()` builds a new one. */
  close(): void {
    this.destroyWorld();
    this.status = 'needs-reset';
  }

  /** Steps taken since the last reset. */
  get elapsedSteps(): number {
    return this.actions.length;
  }

  getState(): Box2DEnvState {
    return {
      episodeRng: this.episodeRng,
      actions: this.actions.map((a) => (typeof a === 'number' ? a : Array.from(a))),
      rng: this.rng.getState(),
      status: this.status,
    };
  }

  /** Restore a state from `getState()` by rebuilding the episode and re-simulating its actions. */
  setState(state: Box2DEnvState): void {
    const bad = (what: string): never => {
      throw new TypeError(`${this.id} setState: ${what} (expected an object from getState())`);
    };
    if (typeof state !== 'object' || state === null) bad('not an object');
    if (!Array.isArray(state.rng)) bad('rng must be an array of numbers');
    if (!Array.isArray(state.actions)) bad('actions must be an array');
    if (!['needs-reset', 'running', 'terminated', 'truncated'].includes(state.status)) bad(`unknown status ${String(state.status)}`);
    if (state.episodeRng === null) {
      if (state.actions.length > 0) bad('actions without an episode');
      this.destroyWorld();
      this.episodeRng = null;
      this.actions = [];
    } else {
      if (!Array.isArray(state.episodeRng)) bad('episodeRng must be an array of numbers or null');
      const actions = state.actions.map((a, i) => this.actionFromJSON(a, i));
      this.rng.setState(state.episodeRng);
      this.episodeRng = [...state.episodeRng];
      this.actions = [];
      this.buildEpisode();
      for (const a of actions) {
        this.actions.push(a);
        this.simulate(a);
      }
      const now = this.rng.getState();
      if (now.slice(0, 4).some((v, i) => v !== state.rng[i])) {
        throw new Error(`${this.id} setState: re-simulating the ${actions.length} recorded actions did not reproduce the saved generator state (a state from another version of the env?)`);
      }
    }
    this.rng.setState(state.rng);
    this.status = state.status;
  }

  private clip(action: A): A {
    if (!isBox(this.actionSpace)) return action;
    const { low, high } = this.actionSpace;
    const a = action as Float64Array;
    const out = new Float64Array(a.length);
    for (let i = 0; i < a.length; i++) out[i] = Math.min(Math.max(a[i], low[i]), high[i]);
    return out as A;
  }

  private actionFromJSON(a: unknown, i: number): A {
    if (isBox(this.actionSpace)) {
      if (!Array.isArray(a) || a.length !== this.actionSpace.size || !a.every((v) => typeof v === 'number' && Number.isFinite(v))) {
        throw new TypeError(`${this.id} setState: actions[${i}] must be ${this.actionSpace.size} finite numbers`);
      }
      return Float64Array.from(a) as A;
    }
    if (!this.actionSpace.contains(a)) throw new TypeError(`${this.id} setState: actions[${i}] is not in ${String(this.actionSpace)}`);
    return a as A;
  }
}
