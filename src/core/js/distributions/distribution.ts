/**
 * The action distribution of a policy over the network outputs y of one state (a row at offset
 * `yo` of a flat n x outDim array), plus the distribution's own state-independent parameters `p`
 * (the Gaussian's log_std), stored after the network's in the flat parameter vector.
 * Twin: cpp/distributions/distribution.hpp (same names, same math).
 *
 * The policy (../policy.ts) keeps the MLP passes, the batching and the TRPO step; the
 * distribution gives the math of one state: log-probability, entropy, KL(old || new), their
 * gradients with respect to the outputs, the Fisher weight M of F = J^T M J, sampling and the mode.
 */
import type { FloatArray, IndexArray } from '../../types.js';

export type ActionArray = FloatArray | IndexArray;

export interface Distribution {
  /** Network outputs read per state (means, logits). */
  readonly outDim: number;
  /** Entries of one action in a flat action batch. */
  readonly actionDim: number;
  /** Noise entries per state that sample() reads: standard normals if noiseIsNormal, else uniforms in [0, 1). */
  readonly noiseDim: number;
  readonly noiseIsNormal: boolean;
  /** The distribution's own parameters (after the network's in theta). */
  readonly numParameters: number;
  /**
   * Latent features read after the outDim - latentDim network outputs of a row (gSDE: the
   * policy's last hidden layer; 0 for the others), and whether gradients and the Fisher flow into
   * them (else the policy treats them as constants).
   */
  readonly latentDim?: number;
  readonly learnFeatures?: boolean;
  /** Checks the element type, length (n x actionDim) and values of an action batch (TypeError/RangeError). */
  checkActions(actions: ActionArray, n: number): void;

  /** log pi(a | y). */
  logProb(y: Float64Array, yo: number, p: Float64Array, a: ArrayLike<number>, ao: number): number;
  /** Entropy of pi(. | y). */
  entropy(y: Float64Array, yo: number, p: Float64Array): number;
  /** KL(pi(. | yOld, pOld) || pi(. | y, p)). */
  kl(yOld: Float64Array, yoOld: number, pOld: Float64Array, y: Float64Array, yo: number, p: Float64Array): number;
  /** dy[dyo ..] = scale * dlogpi(a)/dy (written), dp += scale * dlogpi(a)/dp. */
  logProbGradient(y: Float64Array, yo: number, p: Float64Array, a: ArrayLike<number>, ao: number, scale: number, dy: Float64Array, dp: Float64Array): void;
  /** dy[yo ..] += scale * dH/dy, dp += scale * dH/dp. */
  entropyGradient(y: Float64Array, yo: number, p: Float64Array, scale: number, dy: Float64Array, dp: Float64Array): void;
  /**
   * out = scale * M u for `rows` rows: M the Fisher matrix of the distribution in output space at
   * each row of y (the Hessian of KL(pi_y || pi_y') at y' = y), u a tangent of the outputs. A
   * distribution whose parameters enter M state by state (gSDE) also reads their tangent vp and
   * adds its rows' part of M (u, vp) into outP.
   */
  fisherWeight(y: Float64Array, p: Float64Array, u: Float64Array, scale: number, out: Float64Array, rows: number, vp?: Float64Array, outP?: Float64Array): void;
  /** out = M_p v for state-independent parameters whose M_p does not depend on the state (the Gaussian's log_std). */
  parameterFisher(p: Float64Array, v: Float64Array, out: Float64Array): void;
  /** Draws an action (into a[ao ..]) from the noise of one state; returns its log-probability. */
  sample(y: Float64Array, yo: number, p: Float64Array, noise: ArrayLike<number>, no: number, a: Float64Array, ao: number): number;
  /** The most probable action (the mean; the first most probable index); returns its log-probability. */
  mode(y: Float64Array, yo: number, p: Float64Array, a: Float64Array, ao: number): number;
}

export const LOG_2PI = 1.8378770664093453;

/** out[k] = z_k - logsumexp(z) for the k logits at z[zo ..]. */
export function logSoftmax(z: Float64Array, zo: number, k: number, out: Float64Array): void {
  let zmax = -Infinity;
  for (let j = 0; j < k; j++) zmax = Math.max(zmax, z[zo + j]);
  let sum = 0;
  for (let j = 0; j < k; j++) sum += Math.exp(z[zo + j] - zmax);
  const lse = zmax + Math.log(sum);
  for (let j = 0; j < k; j++) out[j] = z[zo + j] - lse;
}

/** log(1 + e^x) without overflow. */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

function typeName(v: unknown): string {
  return ArrayBuffer.isView(v) ? v.constructor.name : typeof v;
}

/** Checks that an action batch holds integer indices (Int32Array or Uint32Array). */
export function requireIndices(v: ActionArray, what: string): void {
  if (!(v instanceof Int32Array) && !(v instanceof Uint32Array)) {
    throw new TypeError(`actions: expected an Int32Array or Uint32Array of ${what}, got ${typeName(v)}`);
  }
}

export function requireFloat(v: ActionArray, name: string): void {
  if (!(v instanceof Float32Array) && !(v instanceof Float64Array)) {
    throw new TypeError(`${name}: expected a Float32Array or Float64Array, got ${typeName(v)}`);
  }
}

export function requireLength(v: ArrayLike<number>, expected: number, name: string): void {
  if (v.length !== expected) throw new RangeError(`${name}: expected length ${expected}, got ${v.length}`);
}
