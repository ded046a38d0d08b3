/** Options shared by the policy and value networks, and SB3's initialization of their weights. */
import { resolveBackend, type BackendChoice } from './backend-choice.js';
import { orthogonalInit, pytorchDefaultInit, SB3_GAINS } from './core/init.js';
import type { Activation, Backend, Dtype } from './core/types.js';
import type { Random } from './random.js';
import * as v from './validate.js';

/** The network options shared by the policies and the value function (MlpPolicyOptions, ValueFunctionOptions). */
export interface NetworkOptions {
  /** Observation length. */
  obsDim: number;
  /** Widths of the hidden layers (default [64, 64]; [] for a linear network). */
  hiddenSizes?: readonly number[];
  /** Activation of the hidden layers: 'tanh' (default, SB3's) or 'relu'. */
  activationFn?: Activation;
  /**
   * SB3's orthogonal initialization (default true: gain sqrt(2) hidden, 0.01 policy head, 1 value
   * head, zero biases); false: PyTorch's default nn.Linear initialization.
   */
  orthoInit?: boolean;
  /** 'auto' (default): native when a binary loads, else pure JS. */
  backend?: BackendChoice;
  /** Precision of the native backend's weights and arithmetic (default 'float32'; the JS backend always uses float64). */
  dtype?: Dtype;
  /** Seed of the weight initialization (default: random). */
  seed?: number;
}

export const NETWORK_OPTION_KEYS = ['obsDim', 'hiddenSizes', 'activationFn', 'orthoInit', 'backend', 'dtype', 'seed'] as const;

export interface ResolvedNetworkOptions {
  obsDim: number;
  hiddenSizes: readonly number[];
  activationFn: Activation;
  orthoInit: boolean;
  dtype: Dtype;
  /** The given seed, or a random one. */
  seed: number;
  backend: Backend;
}

/** Validates the shared options (errors name `options.<key>`) and picks the backend. */
export function resolveNetworkOptions(o: NetworkOptions): ResolvedNetworkOptions {
  const obsDim = v.positiveInteger(o.obsDim, 'options.obsDim');
  const hiddenSizes = Object.freeze(v.hiddenSizes(o.hiddenSizes ?? [64, 64], 'options.hiddenSizes'));
  const dtype = o.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw new RangeError(`options.dtype: expected 'float32' or 'float64', got ${v.describe(dtype)}`);
  }
  if (o.seed !== undefined && (typeof o.seed !== 'number' || !Number.isFinite(o.seed))) {
    throw new TypeError(`options.seed: expected a finite number, got ${v.describe(o.seed)}`);
  }
  const seed = o.seed ?? Math.floor(Math.random() * 2 ** 32);
  const activationFn = activationOf(o.activationFn ?? 'tanh', 'options.activationFn');
  const orthoInit = o.orthoInit ?? true;
  if (typeof orthoInit !== 'boolean') throw new TypeError(`options.orthoInit: expected a boolean, got ${v.describe(orthoInit)}`);
  return { obsDim, hiddenSizes, activationFn, orthoInit, dtype, seed, backend: resolveBackend(o.backend ?? 'auto') };
}

/** 'tanh' or 'relu'; anything else is a TypeError naming the argument and the value. */
export function activationOf(value: unknown, name: string): Activation {
  if (value !== 'tanh' && value !== 'relu') {
    throw new TypeError(`${name}: unknown activation ${v.describe(value)} (expected 'tanh' or 'relu')`);
  }
  return value;
}

/** The initial network parameters: SB3's orthogonal scheme (orthoInit) or PyTorch's default. */
export function initialParameters(widths: readonly number[], headGain: number, orthoInit: boolean, rng: Random): Float64Array {
  return orthoInit ? sb3Init(widths, headGain, rng) : pytorchDefaultInit(widths, rng);
}

/**
 * SB3's initialization of an MLP (flat nn.Linear layout): orthogonal weights with gain sqrt(2) on
 * the hidden layers and `headGain` on the last layer (0.01 policy, 1 value), zero biases.
 */
export function sb3Init(widths: readonly number[], headGain: number, rng: Random): Float64Array {
  const layers = widths.slice(1).map((out, i) => ({
    in: widths[i], out, gain: i === widths.length - 2 ? headGain : SB3_GAINS.hidden,
  }));
  return orthogonalInit(layers, rng);
}
