/**
 * A multilayer perceptron over a flat float64 parameter vector, in PyTorch's nn.Linear layout: for
 * each layer from input to output, W (out x in, row-major) then b (out). Hidden layers use tanh or
 * ReLU, the head is linear. Twin: cpp/mlp.hpp. The derivative of the activation is written through
 * the layer's output h: tanh' = 1 - h^2, relu' = [h > 0].
 *
 * An `Mlp` object is a workspace: it does not own parameters (they are passed to each call) but
 * keeps the activations of its last `forward` so that `backward` (vector-Jacobian product) and
 * `tangent` (Jacobian-vector product) can reuse them. Buffers grow on demand and are reused.
 */

import type { Activation, FloatArray } from '../types.js';
import { gemmAB, gemmABt, gemmAtB } from './gemm.js';

export interface LayerLayout {
  /** Input width. */
  readonly in: number;
  /** Output width. */
  readonly out: number;
  /** Offset of W (out x in, row-major) in the parameter vector. */
  readonly weightOffset: number;
  /** Offset of b (out) in the parameter vector. */
  readonly biasOffset: number;
}

/** The layer layout of an MLP, and its parameter count. */
export function mlpLayout(inDim: number, hiddenSizes: readonly number[], outDim: number): { layers: LayerLayout[]; numParameters: number } {
  const sizes = [inDim, ...hiddenSizes, outDim];
  for (let i = 0; i < sizes.length; i++) {
    const s = sizes[i];
    if (!Number.isInteger(s) || s <= 0) {
      const name = i === 0 ? 'inDim' : i === sizes.length - 1 ? 'outDim' : `hiddenSizes[${i - 1}]`;
      throw new RangeError(`${name}: expected a positive integer, got ${String(s)}`);
    }
  }
  const layers: LayerLayout[] = [];
  let offset = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const inW = sizes[l];
    const outW = sizes[l + 1];
    layers.push({ in: inW, out: outW, weightOffset: offset, biasOffset: offset + inW * outW });
    offset += inW * outW + outW;
  }
  return { layers, numParameters: offset };
}

export class Mlp {
  readonly inDim: number;
  readonly outDim: number;
  readonly layers: readonly LayerLayout[];
  /** Number of network parameters (weights and biases). */
  readonly numParameters: number;
  /** Rows of the last forward pass. */
  private rows = 0;
  /** Rows the buffers can hold. */
  private capacity = 0;
  /** acts[0]: input copy (float64); acts[l]: output of layer l (tanh for hidden, linear head). */
  private readonly acts: Float64Array[];
  /** Backward buffers (dL/d pre-activation of layer l), and tangent buffers (d activation of layer l). */
  private readonly deltas: Float64Array[];
  private readonly tangents: Float64Array[];

  readonly activation: Activation;

  constructor(inDim: number, hiddenSizes: readonly number[], outDim: number, activation: Activation = 'tanh') {
    if (activation !== 'tanh' && activation !== 'relu') {
      throw new TypeError(`activationFn: expected 'tanh' or 'relu', got ${String(activation)}`);
    }
    this.activation = activation;
    const { layers, numParameters } = mlpLayout(inDim, hiddenSizes, outDim);
    this.inDim = inDim;
    this.outDim = outDim;
    this.layers = layers;
    this.numParameters = numParameters;
    const depth = layers.length + 1;
    this.acts = new Array<Float64Array>(depth);
    this.deltas = new Array<Float64Array>(depth);
    this.tangents = new Array<Float64Array>(depth);
    for (let l = 0; l < depth; l++) {
      this.acts[l] = new Float64Array(0);
      this.deltas[l] = new Float64Array(0);
      this.tangents[l] = new Float64Array(0);
    }
  }

  /** Number of rows cached by the last forward pass. */
  get cachedRows(): number {
    return this.rows;
  }

  /** Width of the last hidden layer (inDim without hidden layers): the latent features. */
  get latentDim(): number {
    return this.layers[this.layers.length - 1].in;
  }

  /** The latent features of the last forward pass (its last hidden layer, or the input), cachedRows x latentDim. */
  get latent(): Float64Array {
    return this.acts[this.layers.length - 1].subarray(0, this.rows * this.latentDim);
  }

  /**
   * The tangent of the latent features made by the last tangent() (zero without hidden layers:
   * the input does not depend on the parameters).
   */
  get latentTangent(): Float64Array {
    const l = this.layers.length - 1;
    if (l === 0) return new Float64Array(this.rows * this.latentDim);
    return this.tangents[l].subarray(0, this.rows * this.latentDim);
  }

  /** The output of the last forward pass (cachedRows x outDim, a view). */
  get output(): Float64Array {
    return this.acts[this.layers.length].subarray(0, this.rows * this.outDim);
  }

  private ensureCapacity(n: number): void {
    if (n <= this.capacity) return;
    const cap = Math.max(n, Math.ceil(this.capacity * 1.5));
    const widths = [this.inDim, ...this.layers.map((layer) => layer.out)];
    for (let l = 0; l < widths.length; l++) {
      this.acts[l] = new Float64Array(cap * widths[l]);
      this.deltas[l] = new Float64Array(cap * widths[l]);
      this.tangents[l] = new Float64Array(cap * widths[l]);
    }
    this.capacity = cap;
  }

  /**
   * Forward pass on n rows of `obs` (row-major, inDim columns), taking rows 0, step, 2 step, ...
   * Caches all activations and returns the output (a view of n x outDim values, valid until the
   * next forward on this workspace).
   */
  forward(params: Float64Array, obs: FloatArray, n: number, step = 1): Float64Array {
    this.ensureCapacity(n);
    this.rows = n;
    const inDim = this.inDim;
    const x0 = this.acts[0];
    if (step === 1) {
      for (let t = 0, end = n * inDim; t < end; t++) x0[t] = obs[t];
    } else {
      for (let i = 0; i < n; i++) {
        const src = i * step * inDim;
        const dst = i * inDim;
        for (let k = 0; k < inDim; k++) x0[dst + k] = obs[src + k];
      }
    }
    const last = this.layers.length - 1;
    const relu = this.activation === 'relu';
    for (let l = 0; l <= last; l++) {
      const { in: inW, out: outW, weightOffset: wo, biasOffset: bo } = this.layers[l];
      const x = this.acts[l];
      const z = this.acts[l + 1];
      // z = x W^T, then z = act(z + b) row by row (the head stays linear).
      gemmABt(n, outW, inW, x, 0, inW, params, wo, inW, z, 0, outW, false);
      if (l < last) {
        for (let i = 0, zi = 0; i < n; i++, zi += outW) {
          for (let o = 0; o < outW; o++) {
            const s = z[zi + o] + params[bo + o];
            z[zi + o] = relu ? (s > 0 ? s : 0) : Math.tanh(s);
          }
        }
      } else {
        for (let i = 0, zi = 0; i < n; i++, zi += outW) for (let o = 0; o < outW; o++) z[zi + o] += params[bo + o];
      }
    }
    return this.acts[last + 1].subarray(0, n * this.outDim);
  }

  /**
   * Vector-Jacobian product at the cached activations: given dL/dOutput (rows x outDim), ADD the
   * parameter gradient into `grad` (its first numParameters entries). `dLatent` (rows x
   * latentDim), when given, is a gradient on the latent features added on the way.
   */
  backward(params: Float64Array, dOut: Float64Array, grad: Float64Array, dLatent: Float64Array | null = null): void {
    const n = this.rows;
    const last = this.layers.length - 1;
    const relu = this.activation === 'relu';
    let delta = dOut;
    for (let l = last; l >= 0; l--) {
      const { in: inW, out: outW, weightOffset: wo, biasOffset: bo } = this.layers[l];
      const x = this.acts[l];
      // db += sum_i delta_i; dW += delta^T x.
      for (let i = 0, di = 0; i < n; i++, di += outW) for (let o = 0; o < outW; o++) grad[bo + o] += delta[di + o];
      gemmAtB(outW, inW, n, delta, 0, outW, x, 0, inW, grad, wo, inW);
      if (l > 0) {
        // d input = delta W, then through the activation of layer l-1's output a:
        // tanh' = 1 - a^2, relu' = [a > 0].
        const dPrev = this.deltas[l];
        gemmAB(n, inW, outW, delta, 0, outW, params, wo, inW, dPrev, 0, inW);
        if (dLatent !== null && l === last) for (let t = 0, end = n * inW; t < end; t++) dPrev[t] += dLatent[t];
        if (relu) {
          for (let t = 0, end = n * inW; t < end; t++) dPrev[t] *= x[t] > 0 ? 1 : 0;
        } else {
          for (let t = 0, end = n * inW; t < end; t++) {
            const a = x[t];
            dPrev[t] *= 1 - a * a;
          }
        }
        delta = dPrev;
      }
    }
  }

  /**
   * Jacobian-vector product at the cached activations: for a direction v in parameter space
   * (first numParameters entries are read), return dOutput = J v (rows x outDim, a view valid
   * until the next tangent on this workspace).
   */
  tangent(params: Float64Array, v: Float64Array): Float64Array {
    const n = this.rows;
    const last = this.layers.length - 1;
    const relu = this.activation === 'relu';
    for (let l = 0; l <= last; l++) {
      const { in: inW, out: outW, weightOffset: wo, biasOffset: bo } = this.layers[l];
      const x = this.acts[l];
      const a = this.acts[l + 1];
      const t = this.tangents[l + 1];
      // dz = x dW^T + dx W^T + db (dx = 0 on the input), then through the activation.
      gemmABt(n, outW, inW, x, 0, inW, v, wo, inW, t, 0, outW, false);
      if (l > 0) gemmABt(n, outW, inW, this.tangents[l], 0, inW, params, wo, inW, t, 0, outW, true);
      if (l < last) {
        for (let i = 0, zi = 0; i < n; i++, zi += outW) {
          for (let o = 0; o < outW; o++) {
            const s = t[zi + o] + v[bo + o];
            const ao = a[zi + o];
            t[zi + o] = relu ? (ao > 0 ? s : 0) : (1 - ao * ao) * s;
          }
        }
      } else {
        for (let i = 0, zi = 0; i < n; i++, zi += outW) for (let o = 0; o < outW; o++) t[zi + o] += v[bo + o];
      }
    }
    return this.tangents[last + 1].subarray(0, n * this.outDim);
  }
}
