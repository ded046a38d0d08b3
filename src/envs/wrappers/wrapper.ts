import { envName, type Action, type AnyObservation, type Env, type Observation, type ResetArgs, type ResetResult, type StepResult } from '../env.js';
import type { Box, ObservationSpace, Space } from '../spaces.js';

/** State of a wrapper: its own fields plus the wrapped env's state. */
export interface WrapperState {
  /** The wrapper's own replay state (saveOwn). */
  own: Record<string, unknown>;
  /** The wrapped env's getState(). */
  inner: unknown;
}

/**
 * Base class of env wrappers: forwards everything to `env`. Subclasses override what they
 * change and `saveOwn`/`loadOwn` for their own replay state.
 */
export class Wrapper<A extends Action = Action, O extends AnyObservation = Observation, S extends ObservationSpace = Box> implements Env<A, O, S> {
  /** @throws TypeError when env has no reset() and step(). */
  constructor(
    /** The wrapped env. */
    readonly env: Env<A, O, S>,
  ) {
    if (typeof env !== 'object' || env === null || typeof env.step !== 'function' || typeof env.reset !== 'function') {
      throw new TypeError(`${new.target.name}: expected an env with reset() and step(), got ${String(env)}`);
    }
  }

  /** The wrapped env's name (its id, else its class name). */
  get id(): string {
    return envName(this.env);
  }

  /** The wrapped env's observation space. */
  get observationSpace(): S {
    return this.env.observationSpace;
  }

  /** The wrapped env's action space. */
  get actionSpace(): Space<A> {
    return this.env.actionSpace;
  }

  /** The innermost env. */
  get unwrapped(): Env<A, O, S> {
    return this.env instanceof Wrapper ? (this.env.unwrapped as Env<A, O, S>) : this.env;
  }

  /** Resets the wrapped env (subclasses add their bookkeeping). */
  reset(args?: ResetArgs): ResetResult<O> {
    return this.env.reset(args);
  }

  /** Steps the wrapped env (subclasses change or annotate the result). */
  step(action: A): StepResult<O> {
    return this.env.step(action);
  }

  /** Closes the wrapped env. */
  close(): void {
    this.env.close();
  }

  /** The wrapper's own replay state (counters, accumulators); {} by default. */
  protected saveOwn(): Record<string, unknown> {
    return {};
  }

  /** Restores what saveOwn saved. */
  protected loadOwn(_own: Record<string, unknown>): void {}

  /**
   * The wrapper's state and the wrapped env's.
   * @throws TypeError when the wrapped env has no getState().
   */
  getState(): WrapperState {
    if (typeof this.env.getState !== 'function') {
      throw new TypeError(`${this.id}: getState() is not available because the wrapped env does not implement getState()`);
    }
    return { own: this.saveOwn(), inner: this.env.getState() };
  }

  /**
   * Restores a state from getState().
   * @throws TypeError for anything else, or when the wrapped env has no setState().
   */
  setState(state: unknown): void {
    const s = state as WrapperState;
    if (typeof s !== 'object' || s === null || typeof s.own !== 'object' || !('inner' in s)) {
      throw new TypeError(`${this.id} setState: expected the object returned by getState()`);
    }
    if (typeof this.env.setState !== 'function') {
      throw new TypeError(`${this.id}: setState() is not available because the wrapped env does not implement setState()`);
    }
    this.env.setState(s.inner);
    this.loadOwn(s.own);
  }
}
