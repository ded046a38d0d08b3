/**
 * The exports that `trpo-node` and `trpo-node/browser` share (policies, value function, CG, GAE,
 * the seeded generator): both entry points re-export this module, so the lists cannot drift apart.
 *
 * @module api-common
 */
export {
  GaussianMlpPolicy, CategoricalMlpPolicy, MultiCategoricalMlpPolicy, BernoulliMlpPolicy, DEFAULT_TRPO_STEP_OPTIONS,
} from './policies.js';
export type {
  MlpPolicyOptions, GaussianMlpPolicyOptions, CategoricalMlpPolicyOptions, MultiCategoricalMlpPolicyOptions,
  BernoulliMlpPolicyOptions, AnyMlpPolicy, Batch, TrpoStepParams,
} from './policies.js';
export { ValueFunction, DEFAULT_FIT_OPTIONS } from './value-function.js';
export type { ValueFunctionOptions, FitOptions } from './value-function.js';
export { conjugateGradient } from './core/cg.js';
export { computeGae } from './gae.js';
export type { GaeInput, GaeResult } from './gae.js';
export { Random } from './random.js';
