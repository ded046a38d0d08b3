/**
 * What an exported policy is made of, read from a TRPO model: the observation normalization of
 * its VecNormalize, the dense layers of the actor, the activation, and the action head. The ONNX
 * and ES-module writers render this one description.
 *
 * To add an action space (MultiDiscrete, MultiBinary) or an activation (relu): extend `ActionHead`
 * / `Activation` here and `actionHeadOf` / the policy's activation below, then one case in each
 * writer (onnx.ts: `headNodes`, ACTIVATION_OPS; esm.ts: `headSource`, ACTIVATION_SOURCE).
 */
import { mlpLayout } from '../core/js/mlp.js';
import { isBox, isDiscrete, type Box, type Discrete } from '../envs/spaces.js';
import { GaussianMlpPolicy } from '../policies.js';
import { envIdOf } from '../trpo/env-state.js';
import { packageVersion } from '../trpo/serialize.js';
import type { TRPO } from '../trpo/trpo.js';

/** Hidden-layer activations the writers know (the policies' `activationFn`). */
export type Activation = 'tanh' | 'relu';

export interface DenseLayer {
  inDim: number;
  outDim: number;
  /** outDim x inDim, row-major (PyTorch's nn.Linear layout). */
  weight: Float64Array;
  bias: Float64Array;
}

/**
 * The deterministic action from the network output: Box → the Gaussian mean clipped to
 * [low, high] (as TRPO.predict); Discrete → argmax of the logits + start.
 * (MultiDiscrete would be { kind: 'multiDiscrete', nvec, start }: argmax per logit group;
 * MultiBinary { kind: 'multiBinary', n }: logit > 0.)
 */
export type ActionHead =
  | { kind: 'box'; size: number; low: Float64Array; high: Float64Array; logStd: Float64Array }
  | { kind: 'discrete'; n: number; start: number };

export interface ObservationNormalization {
  mean: Float64Array;
  var: Float64Array;
  epsilon: number;
  clip: number;
}

export interface ExportMetadata {
  format: 'trpo-node/policy';
  formatVersion: 1;
  packageVersion: string;
  envId: string | null;
  observationSpace: unknown;
  actionSpace: unknown;
  numTimesteps: number;
  numUpdates: number;
  /** Whether predict takes raw observations and normalizes them with the saved VecNormalize statistics. */
  normalizesObservations: boolean;
}

export interface PolicySpec {
  obsDim: number;
  normalization: ObservationNormalization | null;
  layers: DenseLayer[];
  activation: Activation;
  head: ActionHead;
  metadata: ExportMetadata;
}

function actionHeadOf(space: Box | Discrete, logStd: Float64Array | null): ActionHead {
  if (isDiscrete(space)) return { kind: 'discrete', n: space.n, start: space.start };
  return { kind: 'box', size: space.size, low: Float64Array.from(space.low), high: Float64Array.from(space.high), logStd: logStd! };
}

/** The export description of `model` (its current parameters and normalization statistics). */
export function policySpecOf(model: TRPO, envId: string | null = envIdOf(model.env)): PolicySpec {
  // The writers take a flat Box observation and a Box or Discrete action (Dict/Discrete observations:
  // add the flattening step; MultiDiscrete/MultiBinary actions: see ActionHead above).
  if (!isBox(model.observationSpace)) {
    throw new TypeError(`exportPolicy: observationSpace: expected a Box (exporting ${String(model.observationSpace)} observations is not supported yet)`);
  }
  const actionSpace = model.actionSpace;
  if (!isBox(actionSpace) && !isDiscrete(actionSpace)) {
    throw new TypeError(`exportPolicy: actionSpace: expected a Box or Discrete (exporting ${String(actionSpace)} actions is not supported yet)`);
  }
  const params = model.policy.getParameters();
  const outDim = isDiscrete(actionSpace) ? actionSpace.n : actionSpace.size;
  const { layers, numParameters } = mlpLayout(model.obsDim, model.options.policyKwargs.netArch.pi, outDim);
  const dense = layers.map((l) => ({
    inDim: l.in, outDim: l.out,
    weight: params.slice(l.weightOffset, l.weightOffset + l.in * l.out),
    bias: params.slice(l.biasOffset, l.biasOffset + l.out),
  }));
  const logStd = model.policy instanceof GaussianMlpPolicy ? params.slice(numParameters, numParameters + outDim) : null;
  const state = model.normalized ? model.normalizationState() : null;
  const obsRms = state?.obsRms as { mean: number[]; var: number[] } | undefined;  // a Box space: one set of statistics
  const normalization = state && obsRms ? {
    mean: Float64Array.from(obsRms.mean), var: Float64Array.from(obsRms.var), epsilon: state.epsilon, clip: state.clipObs,
  } : null;
  return {
    obsDim: model.obsDim,
    normalization,
    layers: dense,
    activation: model.policy.activationFn,
    head: actionHeadOf(actionSpace, logStd),
    metadata: {
      format: 'trpo-node/policy', formatVersion: 1, packageVersion: packageVersion(), envId,
      observationSpace: model.observationSpace.toJSON(), actionSpace: model.actionSpace.toJSON(),
      numTimesteps: model.numTimesteps, numUpdates: model.numUpdates, normalizesObservations: normalization !== null,
    },
  };
}
