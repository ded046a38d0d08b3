/**
 * Gymnasium-style environments: the `Env` API, spaces, the registry (`make`/`register`),
 * wrappers, the built-in classic-control envs with Gymnasium 1.x dynamics, vector envs (sync and
 * worker-thread), observation/reward normalization and an env checker.
 */
export type { Action, AnyEnv, AnyObservation, DictObservation, Env, Info, Observation, ResetArgs, ResetResult, StepResult } from './env.js';
export { envName } from './env.js';
export {
  Box, Dict, Discrete, MultiBinary, MultiDiscrete, actionDim, isBox, isDict, isDiscrete, isLeafSpace, isMultiBinary, isMultiDiscrete,
  isObservationSpace, spaceFromJSON, type ActionSpace, type BoxDType, type BoxOptions, type LeafSpace, type ObservationSpace, type Space,
  type SpaceJSON, type SpaceKind,
} from './spaces.js';
export type { DictElement } from './dict-space.js';
export {
  flatDim, flattenObservation, flattenPacked, flattenSpace, packObservation, packedIsFlat, packedSize, spaceSegments, unpackObservation,
  type SpaceSegment,
} from './flatten.js';
export { BaseEnv, float32Obs, resetBounds, type BaseEnvState } from './base-env.js';
export type { EpisodeStatus } from './validation.js';
export type { EnvFactory } from './factory.js';
export { getEnvSpec, listEnvs, make, makeAsync, prepareEnv, register, wrapEnv, type EnvSpec, type MakeOptions, type RegisterOptions } from './registry.js';
export { Wrapper, type WrapperState } from './wrappers/wrapper.js';
export { TimeLimit } from './wrappers/time-limit.js';
export { RecordEpisodeStatistics, type EpisodeStats } from './wrappers/episode-statistics.js';
export { EnvGuard } from './wrappers/env-guard.js';
export { CartPoleEnv, type CartPoleOptions } from './classic/cartpole.js';
export { AcrobotEnv, type AcrobotOptions } from './classic/acrobot.js';
export { MountainCarEnv, type MountainCarOptions } from './classic/mountain-car.js';
export { MountainCarContinuousEnv, type MountainCarContinuousOptions } from './classic/mountain-car-continuous.js';
export { PendulumEnv, type PendulumOptions } from './classic/pendulum.js';
export { PointMass1DEnv, type PointMass1DOptions } from './point-mass.js';
export * from './mujoco/index.js';
export type { RunningEpisodesSource, VecEnv, VecInfo, VecResetArgs, VecRunningEpisodes, VecStepResult } from './vector/vec-env.js';
export { hasRunningEpisodes } from './vector/vec-env.js';
export { SyncVectorEnv, type SyncVectorEnvOptions } from './vector/sync.js';
export { WorkerVectorEnv, type WorkerVectorEnvOptions } from './vector/worker.js';
export type { EnvBuildOptions, EnvModuleRef, EnvSource } from './vector/env-source.js';
export { RunningMeanStd, type RunningMeanStdState } from './vector/running-mean-std.js';
export { VecNormalize, type VecNormalizeOptions, type VecNormalizeState } from './vector/normalize.js';
export type { VecNormalizeBase } from './vector/normalize-base.js';
export { makeVecEnv, type MakeVecEnvOptions } from './vector/make-vec-env.js';
export { checkEnv, type CheckEnvOptions, type CheckEnvReport } from './check-env.js';
export type { VecEpisodeState } from './vector/sync.js';
// Box2D envs.
export {
  BipedalWalkerEnv, LunarLanderEnv, Box2DEnv, generateBipedalTerrain,
  type BipedalWalkerOptions, type BipedalTerrain, type Box2DEnvState, type LunarLanderOptions, type TerrainKind,
  type LanderEngines, type BodyOutline, type Point,
} from './box2d/index.js';
