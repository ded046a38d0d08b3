import type { Action, AnyObservation, Env, Observation, ResetArgs, ResetResult, StepResult } from '../env.js';
import type { Box, ObservationSpace } from '../spaces.js';
import { Wrapper } from './wrapper.js';

/** Return and length of a finished episode. */
export interface EpisodeStats {
  /** Undiscounted sum of rewards. */
  r: number;
  /** Number of steps. */
  l: number;
}

/**
 * Adds `info.episode = { r, l }` to the info of the step that ends an episode (terminated or
 * truncated), like Gymnasium's `RecordEpisodeStatistics`.
 */
export class RecordEpisodeStatistics<A extends Action = Action, O extends AnyObservation = Observation, S extends ObservationSpace = Box> extends Wrapper<A, O, S> {
  private episodeReturn = 0;
  private episodeLength = 0;

  constructor(env: Env<A, O, S>) {
    super(env);
  }

  override reset(args?: ResetArgs): ResetResult<O> {
    this.episodeReturn = 0;
    this.episodeLength = 0;
    return this.env.reset(args);
  }

  override step(action: A): StepResult<O> {
    const r = this.env.step(action);
    this.episodeReturn += r.reward;
    this.episodeLength += 1;
    if (r.terminated || r.truncated) {
      const episode: EpisodeStats = { r: this.episodeReturn, l: this.episodeLength };
      return { ...r, info: { ...r.info, episode } };
    }
    return r;
  }

  protected override saveOwn(): Record<string, unknown> {
    return { episodeReturn: this.episodeReturn, episodeLength: this.episodeLength };
  }

  protected override loadOwn(own: Record<string, unknown>): void {
    if (typeof own.episodeReturn === 'number') this.episodeReturn = own.episodeReturn;
    if (typeof own.episodeLength === 'number') this.episodeLength = own.episodeLength;
  }
}
