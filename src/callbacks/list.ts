/** CallbackList: several callbacks as one (SB3's CallbackList); learn({ callback: [a, b] }) makes one. */
import type { TRPO } from '../trpo/trpo.js';
import { BaseCallback, runAll, type MaybePromise, type StepLocals, type TrainingLocals } from './base.js';

/** Runs several callbacks as one, in order (SB3's CallbackList); training stops when any onStep returns false. */
export class CallbackList extends BaseCallback {
  /** The callbacks, in call order (a copy of the given array). */
  readonly callbacks: readonly BaseCallback[];

  /** @throws TypeError unless callbacks is an array of BaseCallback instances. */
  constructor(callbacks: readonly BaseCallback[]) {
    super();
    if (!Array.isArray(callbacks) || !callbacks.every((c) => c instanceof BaseCallback)) {
      throw new TypeError('CallbackList: callbacks: expected an array of BaseCallback instances');
    }
    this.callbacks = [...callbacks];
  }

  override get needsStepCalls(): boolean {
    return this.callbacks.some((c) => c.needsStepCalls);
  }

  override init(model: TRPO): void {
    super.init(model);
    for (const c of this.callbacks) c.init(model);
  }

  protected override onTrainingStart(): MaybePromise<void> {
    return runAll(this.callbacks, (c) => c.runTrainingStart(this.locals as TrainingLocals)) as MaybePromise<never>;
  }

  protected override onRolloutStart(): MaybePromise<void> {
    return runAll(this.callbacks, (c) => c.runRolloutStart()) as MaybePromise<never>;
  }

  /** Every callback's onStep is called; training continues only if all of them say so. */
  protected override onStep(): MaybePromise<boolean> {
    return runAll(this.callbacks, (c) => c.runStep());
  }

  protected override onRolloutEnd(): MaybePromise<void> {
    return runAll(this.callbacks, (c) => c.runRolloutEnd()) as MaybePromise<never>;
  }

  protected override onTrainingEnd(): MaybePromise<void> {
    return runAll(this.callbacks, (c) => c.runTrainingEnd()) as MaybePromise<never>;
  }

  protected override updateChildLocals(locals: Partial<StepLocals & TrainingLocals>): void {
    for (const c of this.callbacks) c.updateLocals(locals);
  }
}
