/**
 * Resource guards: a network or batch whose buffers cannot be allocated or addressed is a
 * RangeError before anything is allocated (never an out-of-memory abort of the process).
 * Twin of cpp/limits.hpp: the same estimate, the same cap, checked on both backends.
 *
 * A network needs about BYTES_PER_PARAMETER bytes per parameter (weights, the TRPO step's old
 * weights, gradient, CG vectors and per-chunk gradients); a batch about BYTES_PER_ACTIVATION bytes
 * per row and unit of every layer, the input included (activations and the passes' scratch).
 */
import type { DistributionSpec } from './types.js';

/** The most parameters a network may have: what a Float64Array holds on every supported Node. */
export const MAX_PARAMETERS = 2 ** 32 - 1;
export const BYTES_PER_PARAMETER = 128;
export const BYTES_PER_ACTIVATION = 24;
/** The default memory cap of a policy or value function and of one batch through it: 4 GiB. */
export const DEFAULT_MAX_CORE_BYTES = 4 * 2 ** 30;

const ENV_VAR = 'TRPO_NODE_MAX_CORE_BYTES';

function capFromEnvironment(): number {
  const s = typeof process !== 'undefined' ? process.env?.[ENV_VAR] : undefined;
  if (s === undefined || s === '') return DEFAULT_MAX_CORE_BYTES;
  const v = Number(s);
  if (!Number.isSafeInteger(v) || v < 1) {
    throw new RangeError(`${ENV_VAR}: expected a positive integer number of bytes, got ${JSON.stringify(s)}`);
  }
  return v;
}

let cap = capFromEnvironment();
const listeners: Array<(bytes: number) => void> = [];

/** The memory cap in bytes: TRPO_NODE_MAX_CORE_BYTES when set, else 4 GiB, until setMaxCoreBytes(). */
export function maxCoreBytes(): number {
  return cap;
}

/**
 * Sets the memory cap (bytes, a positive safe integer) for networks and batches created from now on.
 * @throws RangeError when bytes is not a positive safe integer.
 */
export function setMaxCoreBytes(bytes: number): void {
  if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 1) {
    throw new RangeError(`bytes: expected a positive safe integer, got ${String(bytes)}`);
  }
  cap = bytes;
  for (const f of listeners) f(bytes);
}

/** Called with the cap now and on every change (the native backend keeps its copy in sync). */
export function onMaxCoreBytes(f: (bytes: number) => void): void {
  listeners.push(f);
  f(cap);
}

function gib(bytes: number): string {
  return `${(Math.floor((bytes / 2 ** 30) * 100) / 100).toFixed(2)} GiB`;
}

/** Parameters of the MLP [inDim, ...hidden, outDim] plus the distribution's own (log_std); may exceed 2^53 (approximate then). */
export function parameterCount(inDim: number, hiddenSizes: readonly number[], outDim: number, dist: DistributionSpec | null): number {
  let params = 0;
  let prev = inDim;
  for (const w of [...hiddenSizes, outDim]) {
    params += w * prev + w;
    prev = w;
  }
  if (dist?.kind === 'gaussian') params += outDim;
  if (dist?.kind === 'gsde') {
    const latent = hiddenSizes.at(-1) ?? inDim;
    params += dist.fullStd ? latent * outDim : latent;
  }
  return params;
}

/** Throws a RangeError naming `name` (the hiddenSizes option) when the network is too large. */
export function checkNetworkSize(inDim: number, hiddenSizes: readonly number[], outDim: number, dist: DistributionSpec | null, name: string): void {
  const params = parameterCount(inDim, hiddenSizes, outDim, dist);
  if (params > MAX_PARAMETERS) {
    throw new RangeError(`${name}: the network would have more than ${MAX_PARAMETERS} parameters (the most a Float64Array holds)`);
  }
  const bytes = params * BYTES_PER_PARAMETER;
  if (bytes > cap) {
    throw new RangeError(`${name}: the network's ${params} parameters need about ${gib(bytes)}, more than the memory cap of ${gib(cap)} (setMaxCoreBytes() or ${ENV_VAR} raise it)`);
  }
}

/** Units of every layer of [inDim, ...hidden, outDim], the input included: one row's activations. */
export function unitsPerRow(inDim: number, hiddenSizes: readonly number[], outDim: number): number {
  return hiddenSizes.reduce((s, w) => s + w, inDim + outDim);
}

/** Throws a RangeError naming `name` when a batch of n rows needs more activation memory than the cap. */
export function checkBatchSize(n: number, units: number, name: string): void {
  const bytes = n * units * BYTES_PER_ACTIVATION;
  if (bytes > cap) {
    throw new RangeError(`${name}: a batch of ${n} samples needs about ${gib(bytes)} for the network's activations, more than the memory cap of ${gib(cap)} (use smaller batches, or raise the cap: setMaxCoreBytes() or ${ENV_VAR})`);
  }
}
