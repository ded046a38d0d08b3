/**
 * Training callbacks with Stable-Baselines3's hooks and counters (camelCase). `learn` calls, on the
 * callback given as `learn({ callback })`:
 *
 *   onTrainingStart  once, before the first rollout
 *   onRolloutStart   before each rollout
 *   onStep           after every vector step (all envs stepped once); returning false stops training
 *   onRolloutEnd     after each rollout, before the policy update
 *   onTrainingEnd    once, when learn ends (also when stopped early)
 *
 * Subclasses override these hooks (SB3's `_on_step` etc.); `learn` drives them through the
 * `run*` methods, which keep the counters: `nCalls` (onStep calls = vector steps, so frequencies
 * counted in calls are per env, as in SB3) and `numTimesteps` (the model's steps, all envs).
 * A hook may return a Promise; synchronous hooks keep the rollout free of awaits.
 */
import type { VecEnv, VecInfo } from '../envs/vector/vec-env.js';
import type { TRPO } from '../trpo/trpo.js';
import type { Logger } from '../logging/logger.js';

/** What a hook returns: false stops training; anything else (or nothing) continues. */
export type HookResult = boolean | void;
/** A hook may answer synchronously or with a Promise (learn awaits only Promises, so sync hooks keep the rollout free of awaits). */
export type MaybePromise<T> = T | Promise<T>;

/** SB3's `locals` of the rollout step, updated before every onStep (the arrays are the step's own; copy to keep). */
export interface StepLocals {
  /** Step index in the current rollout (0 .. nRolloutSteps - 1). */
  nStep: number;
  /** Steps per env of a rollout (nSteps). */
  nRolloutSteps: number;
  /** The actions sent to the env (numEnvs x actDim; Box clipped, Discrete shifted by the space's start). */
  actions: Float64Array;
  /** The observations after the step (numEnvs x obsDim; a finished env's row starts its next episode). */
  newObs: Float64Array;
  /** The step's rewards, one per env (normalized under VecNormalize's normReward; the true ones are in infos[i].episode at episode ends). */
  rewards: Float64Array;
  /** 1 where env i's episode ended (terminated or truncated) on this step. */
  dones: Uint8Array;
  /** 1 where env i reached a terminal state on this step. */
  terminated: Uint8Array;
  /** 1 where a time limit cut env i's episode on this step. */
  truncated: Uint8Array;
  /** One info object per env (`episode: { r, l }` at an episode's end, `finalObservation` of a finished episode). */
  infos: VecInfo[];
}

/** SB3's `locals` at training start. */
export interface TrainingLocals {
  /** The model's numTimesteps at which this learn stops (SB3's total_timesteps after _setup_learn). */
  totalTimesteps: number;
}

/** Resolve a hook's result to "continue training?" without awaiting synchronous results. */
export function continues(r: MaybePromise<HookResult>): MaybePromise<boolean> {
  if (r instanceof Promise) return r.then((x) => x !== false);
  return r !== false;
}

/** Base class of the callbacks (SB3's BaseCallback). */
export abstract class BaseCallback {
  /** The model being trained (set by `init`). */
  model: TRPO | null = null;
  /** onStep calls so far (vector steps: one per env step of every env). */
  nCalls = 0;
  /** The model's environment steps (all envs), updated before each onStep. */
  numTimesteps = 0;
  /** SB3's `locals`: the last step's data, or at training start `{ totalTimesteps }`. */
  locals: Partial<StepLocals & TrainingLocals> = {};
  /** The callback containing this one (EvalCallback for its callbackOnNewBest, EventCallback for its child). */
  parent: BaseCallback | null = null;

  /** @param verbose 0 silent (default); higher values print what the callback does (SB3's levels). */
  constructor(
    /** 0 silent; ≥ 1 prints evaluations and stops, ≥ 2 also every checkpoint saved (SB3's levels). */
    readonly verbose = 0,
  ) {}

  /** The model's training env. */
  get trainingEnv(): VecEnv {
    const env = this.model?.env;
    if (!env) throw new Error(`${this.constructor.name}: not initialized with a model that has an env`);
    return env;
  }

  /** The model's SB3-style logger (eval/* etc. are recorded into it); null when learn logs nowhere. */
  get logger(): Logger | null {
    return this.model?.logger ?? null;
  }

  /**
   * Whether this callback needs onStep after every vector step. learn skips the per-step calls
   * (keeping the rollout's fast path) when no callback in use needs them; a callback that only
   * acts at rollout boundaries may return false.
   */
  get needsStepCalls(): boolean {
    return true;
  }

  /** Bind to the model (SB3's init_callback); called by learn before onTrainingStart. */
  init(model: TRPO): void {
    this.model = model;
    this.initCallback();
  }

  // ---- hooks for subclasses (SB3's _init_callback, _on_training_start, ...) ----
  /** Called once `model` is set (SB3's _init_callback): create directories, check settings. */
  protected initCallback(): void {}
  /** Once, before the first rollout of learn; `locals.totalTimesteps` is set. */
  protected onTrainingStart(): MaybePromise<void> {}
  /** Before each rollout. */
  protected onRolloutStart(): MaybePromise<void> {}
  /**
   * After every vector step (all envs stepped once), with `locals` of that step. Return false to
   * stop training at once (the partial rollout is not trained on).
   */
  protected abstract onStep(): MaybePromise<HookResult>;
  /** After each complete rollout, before the policy update. */
  protected onRolloutEnd(): MaybePromise<void> {}
  /** Once, when learn ends (also when stopped early). */
  protected onTrainingEnd(): MaybePromise<void> {}
  /** Called with the new locals before onStep (SB3's update_child_locals). */
  protected updateChildLocals(_locals: Partial<StepLocals & TrainingLocals>): void {}

  // ---- called by learn (SB3's on_training_start, on_step, ...) ----
  /** Called by learn: sets `locals` and numTimesteps, then calls onTrainingStart. */
  runTrainingStart(locals: TrainingLocals): MaybePromise<void> {
    this.locals = locals;
    this.numTimesteps = this.model?.numTimesteps ?? 0;
    return this.onTrainingStart();
  }

  /** Called by learn before each rollout: calls onRolloutStart. */
  runRolloutStart(): MaybePromise<void> {
    return this.onRolloutStart();
  }

  /** One vector step: count it, take the model's step count, call onStep; resolves to "continue?". */
  runStep(): MaybePromise<boolean> {
    this.nCalls++;
    this.numTimesteps = this.model?.numTimesteps ?? this.numTimesteps;
    return continues(this.onStep());
  }

  /** Called by learn after each rollout: calls onRolloutEnd. */
  runRolloutEnd(): MaybePromise<void> {
    return this.onRolloutEnd();
  }

  /** Called by learn when it ends: calls onTrainingEnd. */
  runTrainingEnd(): MaybePromise<void> {
    return this.onTrainingEnd();
  }

  /** Replace the locals (SB3's update_locals), also in child callbacks. */
  updateLocals(locals: Partial<StepLocals & TrainingLocals>): void {
    this.locals = locals;
    this.updateChildLocals(locals);
  }
}

/**
 * Run `f` on each item in order, awaiting only results that are Promises; resolves to false as
 * soon as one result is false (later items are then not called when `stopEarly`).
 */
export function runAll<T>(items: readonly T[], f: (item: T) => MaybePromise<boolean | void>, stopEarly = false): MaybePromise<boolean> {
  let ok = true;
  for (let i = 0; i < items.length; i++) {
    const r = f(items[i]);
    if (r instanceof Promise) {
      return r.then(async (x) => {
        ok = ok && x !== false;
        for (let j = i + 1; j < items.length; j++) {
          if (stopEarly && !ok) break;
          ok = (await f(items[j])) !== false && ok;
        }
        return ok;
      });
    }
    ok = r !== false && ok;
    if (stopEarly && !ok) break;
  }
  return ok;
}
