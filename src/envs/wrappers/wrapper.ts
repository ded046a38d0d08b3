import { envName, type Action, type AnyObservation, type Env, type Observation, type ResetArgs, type ResetResult, type StepResult } from '../env.js';
import type { Box, ObservationSpace, Space } from '../spaces.js';

/** State of a wrapper: its own fields plus the wrapped env's state. */
export interface WrapperState {
  own: Record<string, unknown>;
  inner: unknown;
}

/**
 * Base class of env wrappers: forwards everything to `env`. Subclasses override what they
 * change and `saveOwn`/`loadOwn` for their own replay state.
 */
export class Wrapper<A extends Action = Action, O extends AnyObservation = Observation, S extends ObservationSpace = Box> implements Env<A, O, S> {
  constructor(readonly env: Env<A, O, S>) {
    if (typeof env !== 'object' || env === null || typeof env.step !== 'function' || typeof env.reset !== 'function') {
      throw new TypeError(`${new.target.name}: expected an env with reset() and step(), got ${String(env)}`);
    }
  }

  get id(): string {
    return envName(this.env);
  }

  get observationSpace(): S {
    return this.env.observationSpace;
  }

  get actionSpace(): Space<A> {
    return this.env.actionSpace;
  }

  /** The innermost env. */
  get unwrapped(): Env<A, O, S> {
    return this.env instanceof Wrapper ? (this.env.unwrapped as Env<A, O, S>) : this.env;
  }

  reset(args?: ResetArgs): ResetResult<O> {
    return this.env.reset(args);
  }

  step(action: A): StepResult<O> {
    return this.env.step(action);
  }

  close(): void {
    this.env.close();
  }

  protected saveOwn(): Record<string, unknown> {
    return {};
  }

  protected loadOwn(_own: Record<string, unknown>): void {}

  getState(): WrapperState {
    if (typeof this.env.getState !== 'function') {
      throw new TypeError(`${this.id}: getState() is not available because the wrapped env does not implement getState()`);
    }
    return { own: this.saveOwn(), inner: this.env.getState() };
  }

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
