/**
 * trpo-node: Trust Region Policy Optimization for Node.js.
 * A C++/Eigen core behind N-API with a pure TypeScript twin, typed policies, GAE and
 * Gymnasium-style environments.
 *
 * @module trpo-node
 */
export * from './api-common.js';
export { resolveBackend, nativeInfo, setNativeThreads } from './backend.js';
export type { BackendChoice, NativeInfo } from './backend.js';
export { maxCoreBytes, setMaxCoreBytes, DEFAULT_MAX_CORE_BYTES, MAX_PARAMETERS } from './core/limits.js';
export type {
  Activation, DistributionSpec, Dtype, FloatArray, IndexArray, PolicyKind, TrpoStepOptions, TrpoStepStats, ValueFitStats,
  ConjugateGradientResult, Backend, FisherSolveOptions, NetworkSpec, PolicyBatch, PolicyCore, TrpoAlgo, ValueCore, ValueFitOptions,
} from './core/types.js';
export type { ConjugateGradientOptions } from './core/cg.js';
export type { NetworkOptions } from './network.js';
export type { FlagArray, NumericArray } from './gae.js';
export * from './envs/index.js';
export * from './trpo/index.js';
export * from './callbacks/index.js';
export * from './logging/index.js';
export * from './export/index.js';
