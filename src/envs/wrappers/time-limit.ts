import type { Action, AnyObservation, Env, Observation, ResetArgs, ResetResult, StepResult } from '../env.js';
import type { Box, ObservationSpace } from '../spaces.js';
import { Wrapper } from './wrapper.js';

/**
 * Truncates episodes after `maxEpisodeSteps` steps (Gymnasium's `TimeLimit`): the step that
 * reaches the limit returns `truncated: true` (possibly together with `terminated`).
 */
export class TimeLimit<A extends Action = Action, O extends AnyObservation = Observation, S extends ObservationSpace = Box> extends Wrapper<A, O, S> {
  /** Steps after which an episode is truncated (a positive integer). */
  readonly maxEpisodeSteps: number;
  private elapsed = 0;

  constructor(env: Env<A, O, S>, maxEpisodeSteps: number) {
    super(env);
    if (!Number.isInteger(maxEpisodeSteps) || maxEpisodeSteps <= 0) {
      throw new RangeError(`TimeLimit(${this.id}): maxEpisodeSteps must be a positive integer, got ${String(maxEpisodeSteps)}`);
    }
    this.maxEpisodeSteps = maxEpisodeSteps;
  }

  /** Steps taken since the last reset. */
  get elapsedSteps(): number {
    return this.elapsed;
  }

  override reset(args?: ResetArgs): ResetResult<O> {
    this.elapsed = 0;
    return this.env.reset(args);
  }

  override step(action: A): StepResult<O> {
    const r = this.env.step(action);
    this.elapsed += 1;
    if (this.elapsed >= this.maxEpisodeSteps) return { ...r, truncated: true };
    return r;
  }

  protected override saveOwn(): Record<string, unknown> {
    return { elapsed: this.elapsed };
  }

  protected override loadOwn(own: Record<string, unknown>): void {
    if (typeof own.elapsed === 'number') this.elapsed = own.elapsed;
  }
}
