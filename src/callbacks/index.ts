/** Training callbacks with SB3's hooks: BaseCallback, CallbackList, EveryNTimesteps, EvalCallback, CheckpointCallback, the stop callbacks. */
export { BaseCallback } from './base.js';
export type { HookResult, MaybePromise, StepLocals, TrainingLocals } from './base.js';
export { CallbackList } from './list.js';
export { EventCallback, EveryNTimesteps } from './event.js';
export { EvalCallback, syncEnvsNormalization } from './eval.js';
export type { EvalCallbackOptions } from './eval.js';
export { CheckpointCallback } from './checkpoint.js';
export type { CheckpointCallbackOptions } from './checkpoint.js';
export { StopTrainingOnMaxEpisodes, StopTrainingOnNoModelImprovement, StopTrainingOnRewardThreshold } from './stop.js';
