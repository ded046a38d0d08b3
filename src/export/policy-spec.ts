/**
 * What an exported policy is made of, read from a TRPO model: the observation normalization of
 * its VecNormalize (over the packed row; per key for a Dict space), the flattening of a packed
 * row into the policy's input (one-hot Discrete/MultiDiscrete values), the dense layers of the
 * actor, the activation, and the action head. The ONNX
 * and ES-module writers render this one description.
 *
 * To add an action space or an activation: extend `ActionHead`
 * here / `Activation` (src/core/types.ts) and `actionHeadOf` / the policy's activation below, then one case in each
 * writer (onnx.ts: `headNodes`, ACTIVATION_OPS; esm.ts: `headSource`, ACTIVATION_SOURCE).
 */
import { mlpLayout } from '../core/js/mlp.js';
import { packedIsFlat, packedSize, spaceSegments } from '../envs/flatten.js';
import { isBox, isDict, isDiscrete, isMultiBinary, isMultiDiscrete, type Box, type Discrete, type MultiBinary, type MultiDiscrete } from '../envs/spaces.js';
import { GaussianMlpPolicy } from '../policies.js';
import { envIdOf } from '../trpo/env-state.js';
import { packageVersion } from '../trpo/serialize.js';
import type { TRPO } from '../trpo/trpo.js';

import type { Activation } from '../core/types.js';

/** Hidden-layer activations the writers know (the policies' `activationFn`); the core's type. */
export type { Activation };

/** One dense layer of the actor: y = W x + b. */
export interface DenseLayer {
  /** Input width. */
  inDim: number;
  /** Output width. */
  outDim: number;
  /** outDim x inDim, row-major (PyTorch's nn.Linear layout). */
  weight: Float64Array;
  /** outDim values. */
  bias: Float64Array;
}

/**
 * The deterministic action from the network output: Box → the Gaussian mean clipped to
 * [low, high] (as TRPO.predict); Discrete → argmax of the logits + start; MultiDiscrete → per
 * component c, the argmax of its nvec[c] logits (the groups side by side) + start[c]; MultiBinary →
 * bit j is 1 when its logit is > 0 (p > 1/2; a logit of exactly 0 gives 0, as Bernoulli.mode).
 */
export type ActionHead =
  | {
    /** A Box action space (Gaussian policy; gSDE exports its mean the same way). */
    kind: 'box';
    /** Action length. */
    size: number;
    /** The Box's lower bounds (size values). */
    low: Float64Array;
    /** The Box's upper bounds (size values). */
    high: Float64Array;
    /** The policy's log std (size values; metadata, not used by the deterministic action). */
    logStd: Float64Array;
  }
  | {
    /** A Discrete action space. */
    kind: 'discrete';
    /** Number of actions. */
    n: number;
    /** The space's first value. */
    start: number;
  }
  | {
    /** A MultiDiscrete action space. */
    kind: 'multiDiscrete';
    /** Number of actions of each component. */
    nvec: number[];
    /** First value of each component. */
    start: number[];
  }
  | {
    /** A MultiBinary action space. */
    kind: 'multiBinary';
    /** Number of bits. */
    n: number;
  };

/** VecNormalize's observation normalization over the packed row (obsDim values). */
export interface ObservationNormalization {
  /** Running mean of each packed entry. */
  mean: Float64Array;
  /** Running variance of each packed entry. */
  var: Float64Array;
  /** VecNormalize's epsilon: x ↦ clip((x − mean) / sqrt(var + epsilon), −clip, clip). */
  epsilon: number;
  /** VecNormalize's clipObs bound. */
  clip: number;
  /** Which packed entries are normalized (Dict spaces: the normObsKeys' entries); null: all. */
  mask: boolean[] | null;
}

/**
 * One step of the packed → flattened observation (src/envs/flatten.ts, `flattenPacked`): the
 * packed entries [packedOffset, packedOffset + size) as they are, or the packed integer at
 * packedOffset as a one-hot vector of n entries (value - start). The pieces, concatenated in
 * order, are the policy's input row.
 */
export type ObservationPiece =
  | {
    /** Copy `size` packed entries. */
    kind: 'copy';
    /** First packed entry. */
    packedOffset: number;
    /** Number of entries. */
    size: number;
    /** MultiBinary: the entries must be 0 or 1. */
    binary: boolean;
  }
  | {
    /** One packed integer as a one-hot vector. */
    kind: 'oneHot';
    /** The packed entry holding the integer. */
    packedOffset: number;
    /** The value that maps to the first one-hot entry. */
    start: number;
    /** One-hot length (the number of values). */
    n: number;
  };

/** What an exported policy says about itself (the ES module's `metadata` export, the ONNX model's metadata_props). */
export interface ExportMetadata {
  /** Always 'trpo-node/policy'. */
  format: 'trpo-node/policy';
  /** Version of this metadata layout (1). */
  formatVersion: 1;
  /** The trpo-node version that exported it. */
  packageVersion: string;
  /** The env id the model was trained on, or null when unknown (a user env). */
  envId: string | null;
  /** The observation space as JSON (`Space.toJSON()`; `spaceFromJSON` rebuilds it). */
  observationSpace: unknown;
  /** The action space as JSON. */
  actionSpace: unknown;
  /** The model's training steps at export. */
  numTimesteps: number;
  /** The model's updates at export. */
  numUpdates: number;
  /** Whether predict takes raw observations and normalizes them with the saved VecNormalize statistics. */
  normalizesObservations: boolean;
}

/** Everything an exporter needs: the input layout, normalization, layers, activation, action head and metadata. */
export interface PolicySpec {
  /** Values per packed observation row (the exported function's input width; VecEnv.obsDim). */
  obsDim: number;
  /** The flattening of a packed row into the policy's input (flatDim values), or null when it is the identity. */
  flatten: ObservationPiece[] | null;
  /** The VecNormalize observation normalization applied to the packed row first, or null. */
  normalization: ObservationNormalization | null;
  /** The actor's dense layers, input to output (the activation after each but the last). */
  layers: DenseLayer[];
  /** Activation of the hidden layers. */
  activation: Activation;
  /** How the last layer's output becomes an action. */
  head: ActionHead;
  /** What the exported file records about itself. */
  metadata: ExportMetadata;
}

type ExportableActionSpace = Box | Discrete | MultiDiscrete | MultiBinary;

function actionHeadOf(space: ExportableActionSpace, logStd: Float64Array | null): ActionHead {
  if (isDiscrete(space)) return { kind: 'discrete', n: space.n, start: space.start };
  if (isMultiDiscrete(space)) return { kind: 'multiDiscrete', nvec: [...space.nvec], start: [...space.start] };
  if (isMultiBinary(space)) return { kind: 'multiBinary', n: space.n };
  return { kind: 'box', size: space.size, low: Float64Array.from(space.low), high: Float64Array.from(space.high), logStd: logStd! };
}

/**
 * The export description of `model` (its current parameters and normalization statistics).
 * @throws TypeError for an action space other than Box, Discrete, MultiDiscrete or MultiBinary.
 */
export function policySpecOf(model: TRPO, envId: string | null = envIdOf(model.env)): PolicySpec {
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
  const space = model.observationSpace;
  const segments = spaceSegments(space);
  const obsDim = packedSize(space);
  const state = model.normalized ? model.normalizationState() : null;
  let normalization: ObservationNormalization | null = null;
  if (state && state.normObs !== false && (isBox(space) || isDict(space))) {
    const mean = new Float64Array(obsDim);
    const variance = new Float64Array(obsDim).fill(1);
    let mask: boolean[] | null = null;
    if (isDict(space)) {
      // per-key statistics (SB3's norm_obs_keys) placed at the keys' packed entries
      mask = new Array<boolean>(obsDim).fill(false);
      const byKey = state.obsRms as Record<string, { mean: number[]; var: number[] }>;
      for (const seg of segments) {
        const rms = byKey[seg.key!];
        if (!rms) continue;
        for (let j = 0; j < seg.packedSize; j++) {
          mean[seg.packedOffset + j] = rms.mean[j];
          variance[seg.packedOffset + j] = rms.var[j];
          mask[seg.packedOffset + j] = true;
        }
      }
    } else if (isBox(space)) {
      const rms = state.obsRms as { mean: number[]; var: number[] };
      mean.set(rms.mean);
      variance.set(rms.var);
    }
    if (mask === null || mask.some((m) => m)) normalization = { mean, var: variance, epsilon: state.epsilon, clip: state.clipObs, mask };
  }
  let flatten: ObservationPiece[] | null = null;
  if (!packedIsFlat(space)) {
    flatten = [];
    for (const seg of segments) {
      const s = seg.space;
      if (isDiscrete(s)) flatten.push({ kind: 'oneHot', packedOffset: seg.packedOffset, start: s.start, n: s.n });
      else if (isMultiDiscrete(s)) s.nvec.forEach((n, i) => flatten!.push({ kind: 'oneHot', packedOffset: seg.packedOffset + i, start: s.start[i], n }));
      else flatten.push({ kind: 'copy', packedOffset: seg.packedOffset, size: seg.packedSize, binary: isMultiBinary(s) });
    }
  }
  return {
    obsDim,
    flatten,
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
