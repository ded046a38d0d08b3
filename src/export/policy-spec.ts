/**
 * What an exported policy is made of, read from a TRPO model: the observation normalization of
 * its VecNormalize, the dense layers of the actor, the activation, and the action head. The ONNX
 * and ES-module writers render this one description.
 *
 * To add an action space or an activation: extend `ActionHead`
 * / `Activation` here and `actionHeadOf` / the policy's activation below, then one case in each
 * writer (onnx.ts: `headNodes`, ACTIVATION_OPS; esm.ts: `headSource`, ACTIVATION_SOURCE).
 */
import { mlpLayout } from '../core/js/mlp.js';
import { isBox, isDiscrete, isMultiBinary, isMultiDiscrete, type Box, type Discrete, type MultiBinary, type MultiDiscrete } from '../envs/spaces.js';
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
 * [low, high] (as TRPO.predict); Discrete → argmax of the logits + start; MultiDiscrete → per
 * component c, the argmax of its nvec[c] logits (the groups side by side) + start[c]; MultiBinary →
 * bit j is 1 when its logit is > 0 (p > 1/2; a logit of exactly 0 gives 0, as Bernoulli.mode).
 */
export type ActionHead =
  | { kind: 'box'; size: number; low: Float64Array; high: Float64Array; logStd: Float64Array }
  | { kind: 'discrete'; n: number; start: number }
  | { kind: 'multiDiscrete'; nvec: number[]; start: number[] }
  | { kind: 'multiBinary'; n: number };

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

type ExportableActionSpace = Box | Discrete | MultiDiscrete | MultiBinary;

function actionHeadOf(space: ExportableActionSpace, logStd: Float64Array | null): ActionHead {
  if (isDiscrete(space)) return { kind: 'discrete', n: space.n, start: space.start };
  if (isMultiDiscrete(space)) return { kind: 'multiDiscrete', nvec: [...space.nvec], start: [...space.start] };
  if (isMultiBinary(space)) return { kind: 'multiBinary', n: space.n };
  return { kind: 'box', size: space.size, low: Float64Array.from(space.low), high: Float64Array.from(space.high), logStd: logStd! };
}

/** The export description of `model` (its current parameters and normalization statistics). */
export function policySpecOf(model: TRPO, envId: string | null = envIdOf(model.env)): PolicySpec {
  // The writers take a flat Box observation (Dict/Discrete/MultiDiscrete/MultiBinary observations:
  // add the flattening step of src/envs/flatten.ts).
  if (!isBox(model.observationSpace)) {
    throw new TypeError(`exportPolicy: observationSpace: expected a Box (exporting ${String(model.observationSpace)} observations is not supported yet)`);
  }
  const actionSpace = model.actionSpace;
  if (!isBox(actionSpace) && !isDiscrete(actionSpace) && !isMultiDiscrete(actionSpace) && !isMultiBinary(actionSpace)) {
    throw new TypeError(`exportPolicy: actionSpace: expected a Box, Discrete, MultiDiscrete or MultiBinary, got ${String(actionSpace)}`);
  }
  const params = model.policy.getParameters();
  const outDim = isDiscrete(actionSpace) ? actionSpace.n
    : isMultiDiscrete(actionSpace) ? actionSpace.nvec.reduce((a, b) => a + b, 0)
      : isMultiBinary(actionSpace) ? actionSpace.n : actionSpace.size;
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
