/** The TRPO trainer: learn, predict, save/load, evaluate, RL-Zoo settings. */
export { TRPO } from './trpo.js';
export type { TRPOPolicy, TRPOConstructorOptions } from './trpo.js';
export type { RolloutRequest, RolloutSource, RolloutsOption } from './rollout-source.js';
export type { LearnOptions, LoadOptions, PredictOptions, SaveOptions, TRPOCallback } from './method-options.js';
export { explainedVarianceOf } from './update.js';
export { TRPO_DEFAULTS, resolveTRPOOptions } from './options.js';
export type { NetArch, PolicyKwargs, ResolvedTRPOOptions, TRPOOptions } from './options.js';
export { evaluatePolicy } from './evaluate.js';
export type { EvaluateOptions, EvaluateResult } from './evaluate.js';
export { JsonLinesLogger } from './logger.js';
export type { TRPOLogger, TRPOUpdateInfo } from './logger.js';
export { ProgressBar } from './progress.js';
export { MODEL_FORMAT, MODEL_FORMAT_VERSION, ModelFileError } from './serialize.js';
export { makeEvalEnv, makeZooModel, zooHyperparams, zooTrpoOptions } from './zoo.js';
export type { MakeZooModelOptions, ZooHyperparams } from './zoo.js';
