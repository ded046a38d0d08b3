/** EventCallback (a callback that triggers a child on an event) and EveryNTimesteps (SB3's). */
import type { TRPO } from '../trpo/trpo.js';
import * as v from '../validate.js';
import { BaseCallback, type HookResult, type MaybePromise, type StepLocals, type TrainingLocals } from './base.js';

/** A callback that runs its child's onStep when its event fires (SB3's EventCallback). */
export abstract class EventCallback extends BaseCallback {
  /**
   * @param callback The child run on each event (its onStep), or null.
   * @param verbose 0 silent, 1 messages.
   * @throws TypeError when callback is not a BaseCallback or null.
   */
  constructor(
    /** The child callback fired by the event, or null. */
    readonly callback: BaseCallback | null = null,
    verbose = 0,
  ) {
    super(verbose);
    if (callback !== null && !(callback instanceof BaseCallback)) throw new TypeError(`${new.target.name}: callback: expected a BaseCallback or null, got ${v.describe(callback)}`);
    if (callback) callback.parent = this;
  }

  override init(model: TRPO): void {
    super.init(model);
    this.callback?.init(model);
  }

  protected override onTrainingStart(): MaybePromise<void> {
    return this.callback?.runTrainingStart(this.locals as TrainingLocals);
  }

  /** Fire the event: the child's onStep (true without a child). */
  protected onEvent(): MaybePromise<boolean> {
    return this.callback ? this.callback.runStep() : true;
  }

  protected override updateChildLocals(locals: Partial<StepLocals & TrainingLocals>): void {
    this.callback?.updateLocals(locals);
  }
}

/** Fires its child every `nSteps` model timesteps (all envs counted), as SB3's EveryNTimesteps. */
export class EveryNTimesteps extends EventCallback {
  /** Fire the child every this many model timesteps (all envs). */
  readonly nSteps: number;
  private lastTimeTrigger = 0;

  /** @throws RangeError when nSteps is not a positive integer; TypeError when callback is not a BaseCallback. */
  constructor(nSteps: number, callback: BaseCallback) {
    super(callback);
    this.nSteps = v.positiveInteger(nSteps, 'EveryNTimesteps: nSteps');
  }

  protected override onTrainingStart(): MaybePromise<void> {
    this.lastTimeTrigger = this.numTimesteps;
    return super.onTrainingStart();
  }

  protected override onStep(): MaybePromise<HookResult> {
    if (this.numTimesteps - this.lastTimeTrigger >= this.nSteps) {
      this.lastTimeTrigger = this.numTimesteps;
      return this.onEvent();
    }
    return true;
  }
}
