/**
 * trpo-node/browser: the pure-JS backend (float64), the policies and value function, GAE, the
 * classic-control envs (and PointMass1D-v0) with the registry, vector env and wrappers, and the
 * TRPO trainer, with no Node built-ins on the import graph (test/browser.test.ts checks it with
 * esbuild's metafile and trains CartPole-v1 in headless Chromium). Not here: the native core,
 * MuJoCo and Box2D envs, worker envs, saving and loading models, log files and TensorBoard.
 *
 * @module trpo-node/browser
 */
export * from './api-common.js';
export { resolveBackend } from './backend-choice.js';
export type { BackendChoice } from './backend-choice.js';
export type {
  Activation, DistributionSpec, Dtype, FloatArray, IndexArray, PolicyKind, TrpoStepOptions, TrpoStepStats, ValueFitStats,
  ConjugateGradientResult,
} from './core/types.js';

// Environments.
export type { Action, AnyEnv, AnyObservation, DictObservation, Env, Info, Observation, ResetArgs, ResetResult, StepResult } from './envs/env.js';
export { envName } from './envs/env.js';
export {
  Box, Dict, Discrete, MultiBinary, MultiDiscrete, actionDim, isBox, isDict, isDiscrete, isLeafSpace, isMultiBinary, isMultiDiscrete,
  isObservationSpace, spaceFromJSON, type ActionSpace, type BoxDType, type BoxOptions, type LeafSpace, type ObservationSpace, type Space,
  type SpaceJSON, type SpaceKind,
} from './envs/spaces.js';
export {
  flatDim, flattenObservation, flattenPacked, flattenSpace, packObservation, packedIsFlat, packedSize, spaceSegments, unpackObservation,
} from './envs/flatten.js';
export { BaseEnv, float32Obs, resetBounds, type BaseEnvState } from './envs/base-env.js';
export { getEnvSpec, listEnvs, make, makeAsync, prepareEnv, register, wrapEnv, type EnvSpec, type MakeOptions, type RegisterOptions } from './envs/registry-core.js';
export { Wrapper, type WrapperState } from './envs/wrappers/wrapper.js';
export { TimeLimit } from './envs/wrappers/time-limit.js';
export { RecordEpisodeStatistics, type EpisodeStats } from './envs/wrappers/episode-statistics.js';
export { EnvGuard } from './envs/wrappers/env-guard.js';
export { CartPoleEnv, type CartPoleOptions } from './envs/classic/cartpole.js';
export { AcrobotEnv, type AcrobotOptions } from './envs/classic/acrobot.js';
export { MountainCarEnv, type MountainCarOptions } from './envs/classic/mountain-car.js';
export { MountainCarContinuousEnv, type MountainCarContinuousOptions } from './envs/classic/mountain-car-continuous.js';
export { PendulumEnv, type PendulumOptions } from './envs/classic/pendulum.js';
export { PointMass1DEnv, type PointMass1DOptions } from './envs/point-mass.js';
export type { VecEnv, VecInfo, VecResetArgs, VecStepResult } from './envs/vector/vec-env.js';
export { SyncVectorEnv, type SyncVectorEnvOptions, type VecEpisodeState } from './envs/vector/sync.js';
export { RunningMeanStd, type RunningMeanStdState } from './envs/vector/running-mean-std.js';
export { VecNormalizeBase as VecNormalize, type VecNormalizeOptions, type VecNormalizeState } from './envs/vector/normalize-base.js';
export { checkEnv, type CheckEnvOptions, type CheckEnvReport } from './envs/check-env.js';

// The trainer (without save/load and file logging), callbacks and the SB3-style logger.
export { TRPOTrainer as TRPO } from './trpo/trainer.js';
export type { TRPOPolicy } from './trpo/trainer.js';
export type { LearnOptions, PredictOptions, TRPOCallback } from './trpo/method-options.js';
export { explainedVarianceOf } from './trpo/update.js';
export { TRPO_DEFAULTS, resolveTRPOOptions } from './trpo/options.js';
export type { NetArch, PolicyKwargs, ResolvedTRPOOptions, TRPOOptions } from './trpo/options.js';
export { evaluatePolicy } from './trpo/evaluate.js';
export type { EvaluateOptions, EvaluateResult } from './trpo/evaluate.js';
export type { TRPOLogger, TRPOUpdateInfo } from './trpo/logger.js';
export { BaseCallback } from './callbacks/base.js';
export type { HookResult, MaybePromise, StepLocals, TrainingLocals } from './callbacks/base.js';
export { CallbackList } from './callbacks/list.js';
export { EventCallback, EveryNTimesteps } from './callbacks/event.js';
export { StopTrainingOnMaxEpisodes, StopTrainingOnNoModelImprovement, StopTrainingOnRewardThreshold } from './callbacks/stop.js';
export { Logger } from './logging/logger.js';
export type { KVWriter, LogFormat, LogValue } from './logging/logger.js';
