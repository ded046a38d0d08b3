import type { Action, AnyObservation, Env, Observation, ResetArgs, ResetResult, StepResult } from '../env.js';
import type { Box, ObservationSpace } from '../spaces.js';
import { checkSeed } from '../seeding.js';
import {
  assertCanStep,
  assertValidAction,
  assertValidObservation,
  assertValidStepFields,
  rethrowWithPrefix,
  type EpisodeStatus,
} from '../validation.js';
import { Wrapper } from './wrapper.js';

/**
 * Enforces the env API at run time, for any env (built-in or user): reset before step, no step
 * after an episode ended (terminated or truncated) without reset, actions of the right kind and
 * shape and finite, Discrete / MultiDiscrete actions in range and MultiBinary actions 0 or 1,
 * and observations in the observation space's form (finite Box values of the right length,
 * Discrete values in range, Dict observations with every key) and finite rewards from the env. Errors are TypeError/RangeError naming the env, the step (0-based since
 * the last reset) and the value. `make` and the vector envs apply it.
 */
export class EnvGuard<A extends Action = Action, O extends AnyObservation = Observation, S extends ObservationSpace = Box> extends Wrapper<A, O, S> {
  private readonly name: string;
  private stepIndex = 0;
  private status: EpisodeStatus = 'needs-reset';

  /** @param name name for messages (default: the env's `id` or class name) */
  constructor(env: Env<A, O, S>, name?: string) {
    super(env);
    this.name = name ?? this.id;
  }

  override get id(): string {
    return this.name ?? super.id;
  }

  override reset(args: ResetArgs = {}): ResetResult<O> {
    if (typeof args !== 'object' || args === null) throw new TypeError(`${this.name} reset: expected { seed?, options? }, got ${String(args)}`);
    checkSeed(args.seed, `${this.name} reset`);
    const r = this.env.reset(args);
    if (typeof r !== 'object' || r === null) throw new TypeError(`${this.name} reset: must return { observation, info }, got ${String(r)}`);
    assertValidObservation(this.name, 0, 'reset observation', r.observation, this.observationSpace);
    if (typeof r.info !== 'object' || r.info === null) throw new TypeError(`${this.name} reset: info must be an object, got ${String(r.info)}`);
    this.stepIndex = 0;
    this.status = 'running';
    return r;
  }

  override step(action: A): StepResult<O> {
    const t = this.stepIndex;
    assertCanStep(this.name, t, this.status);
    assertValidAction(this.name, t, this.actionSpace, action);
    let r: StepResult<O>;
    try {
      r = this.env.step(action);
    } catch (e) {
      // Name the env and step in errors the env itself throws (unless already named).
      if (e instanceof Error && !e.message.startsWith(`${this.name} step`)) rethrowWithPrefix(e, `${this.name} step ${t}: `);
      throw e;
    }
    if (typeof r !== 'object' || r === null) {
      throw new TypeError(`${this.name} step ${t}: step() must return { observation, reward, terminated, truncated, info }, got ${String(r)}`);
    }
    assertValidObservation(this.name, t, 'observation', r.observation, this.observationSpace);
    assertValidStepFields(this.name, t, r);
    this.stepIndex = t + 1;
    if (r.terminated) this.status = 'terminated';
    else if (r.truncated) this.status = 'truncated';
    return r;
  }

  protected override saveOwn(): Record<string, unknown> {
    return { stepIndex: this.stepIndex, status: this.status };
  }

  protected override loadOwn(own: Record<string, unknown>): void {
    if (typeof own.stepIndex === 'number') this.stepIndex = own.stepIndex;
    if (typeof own.status === 'string') this.status = own.status as EpisodeStatus;
  }
}
