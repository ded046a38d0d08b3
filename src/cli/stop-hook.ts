/**
 * Ctrl-C during `trpo train`: stop at the next update boundary with a model file that resumes
 * exactly. When a stop is asked for, the next rollout start saves the model (a save during an
 * update writes the state after the last complete update, with the env state of that moment),
 * and the first step of that rollout ends learn; the partial rollout is discarded.
 */
import { BaseCallback, type HookResult, type MaybePromise } from '../callbacks/base.js';

export class StopOnRequest extends BaseCallback {
  /** Whether the model was saved to `path` on the stop. */
  saved = false;
  /** The saved model's updates and timesteps (the state after the last complete update). */
  savedAt = { updates: 0, timesteps: 0 };

  constructor(private readonly path: string, private readonly requested: () => boolean) {
    super(0);
  }

  /** Per-step calls only once a stop is asked for (the rollout keeps its fast path otherwise). */
  override get needsStepCalls(): boolean {
    return this.requested();
  }

  protected override async onRolloutStart(): Promise<void> {
    // One turn of the event loop per update, so that a pending signal is handled: training on the
    // JS backend resolves its awaits in microtasks only and would otherwise never see one.
    await new Promise((resolve) => setImmediate(resolve));
    if (this.requested() && !this.saved) {
      await this.model!.save(this.path);
      this.saved = true;
      this.savedAt = { updates: this.model!.numUpdates, timesteps: this.model!.numTimesteps };
    }
  }

  protected override onStep(): MaybePromise<HookResult> {
    return !this.requested();
  }
}
