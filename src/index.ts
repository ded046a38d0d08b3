/**
 * trpo-node: Trust Region Policy Optimization for Node.js.
 * A C++/Eigen core behind N-API with a pure TypeScript twin, typed policies, GAE and
 * Gymnasium-style environments.
 */
export { GaussianMlpPolicy, CategoricalMlpPolicy, DEFAULT_TRPO_STEP_OPTIONS } from './policies.js';
export type { MlpPolicyOptions, GaussianMlpPolicyOptions, CategoricalMlpPolicyOptions, Batch, TrpoStepParams } from './policies.js';
export { ValueFunction } from './value-function.js';
export type { ValueFunctionOptions, FitOptions } from './value-function.js';
export { conjugateGradient } from './core/cg.js';
export { computeGae } from './gae.js';
export type { GaeInput, GaeResult } from './gae.js';
export { Random } from './random.js';
export { resolveBackend, nativeInfo, setNativeThreads } from './backend.js';
export type { BackendChoice } from './backend.js';
export type {
  Dtype, FloatArray, IndexArray, TrpoStepOptions, TrpoStepStats, ValueFitStats, ConjugateGradientResult,
} from './core/types.js';
export * from './envs/index.js';
export * from './trpo/index.js';
export * from './callbacks/index.js';
export * from './logging/index.js';
export * from './export/index.js';
