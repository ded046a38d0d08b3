/**
 * The TRPO step in TensorFlow.js (Gaussian MLP, tanh, state-independent log_std; surrogate
 * gradient by tf.grads; CG 10; line search 10 x 0.8), on its pure-JS 'cpu' backend and on its
 * 'wasm' backend (binary loaded from node_modules; nothing is downloaded).
 *
 * The Fisher-vector product: tfjs cannot differentiate twice through tanh or exp (tfjs#3252: the
 * gradients of Tanh and Exp use their saved outputs, which are cut from the tape), so the KL's
 * double backprop fails. It computes the same Fisher analytically from first-order autodiff, as
 * the Gauss-Newton form F v = J^T M J v: J v by the double-VJP trick (the VJP u -> J^T u is linear
 * in u and differentiable in u, so J v = d/du <J^T u, v>), M = diag(1/sigma^2)/N on the means,
 * then J^T (M J v) by one more VJP; 2 v on log_std. Nothing is cached between products (tf.grads
 * re-runs the forward pass).
 */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { measure } from '../measure.js';
import { STEP, type PeerProblem, type PeerResult } from './types.js';

export const TFJS_FVP_METHOD = 'Gauss-Newton JᵀMJv: Jv by double-VJP, JᵀMJv by VJP (KL double backprop fails, tfjs#3252)';

let wasmReady: Promise<string | null> | null = null;

/** Selects a backend; returns null or the reason it is unavailable. */
export async function useBackend(name: 'cpu' | 'wasm'): Promise<string | null> {
  if (name === 'wasm') {
    wasmReady ??= (async () => {
      try {
        const wasm = await import('@tensorflow/tfjs-backend-wasm');
        const req = createRequire(import.meta.url);
        wasm.setWasmPaths(join(dirname(req.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
        return null;
      } catch (e) {
        return `@tensorflow/tfjs-backend-wasm did not load: ${(e as Error).message}`;
      }
    })();
    const why = await wasmReady;
    if (why) return why;
  }
  try {
    if (!(await tf.setBackend(name))) return `tf.setBackend('${name}') failed`;
    await tf.ready();
    tf.dispose(tf.scalar(0)); // the cpu backend's first write prints its tfjs-node banner
    return null;
  } catch (e) {
    return `tfjs backend '${name}' failed: ${(e as Error).message}`;
  }
}

/** Threads the current backend computes on (wasm: 1 in Node, which has no WASM threads here). */
export async function backendThreads(): Promise<{ threads: number; note?: string }> {
  if (tf.getBackend() !== 'wasm') return { threads: 1 };
  const mt = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  return { threads: 1, note: `simd ${simd ? 'on' : 'off'}, threads ${mt ? 'supported' : 'unsupported in Node'}` };
}

const LOG_2PI = Math.log(2 * Math.PI);

class TfjsTrpo {
  readonly shapes: number[][] = [];
  readonly sizes: number[] = [];
  private readonly obs: tf.Tensor2D;
  private readonly actions: tf.Tensor2D;
  private readonly adv: tf.Tensor1D;
  private readonly logpOld: tf.Tensor1D;

  constructor(private readonly p: PeerProblem) {
    const widths = [p.obsDim, ...p.hidden, p.actDim];
    for (let l = 0; l + 1 < widths.length; l++) this.shapes.push([widths[l + 1], widths[l]], [widths[l + 1]]);
    this.shapes.push([p.actDim]);
    for (const s of this.shapes) this.sizes.push(s.reduce((a, b) => a * b, 1));
    this.obs = tf.tensor2d(p.obs, [p.n, p.obsDim]);
    this.actions = tf.tensor2d(p.actions, [p.n, p.actDim]);
    this.adv = tf.tensor1d(p.advantages);
    this.logpOld = tf.tensor1d(p.logProbOld);
  }

  dispose(): void {
    tf.dispose([this.obs, this.actions, this.adv, this.logpOld]);
  }

  /** Flat parameters -> one float32 tensor per weight, bias and log_std. */
  split(flat: ArrayLike<number>): tf.Tensor[] {
    const out: tf.Tensor[] = [];
    let o = 0;
    for (let i = 0; i < this.shapes.length; i++) {
      out.push(tf.tensor(Float32Array.from({ length: this.sizes[i] }, (_, k) => flat[o + k]), this.shapes[i]));
      o += this.sizes[i];
    }
    return out;
  }

  flatten(ts: tf.Tensor[]): Float64Array {
    const out = new Float64Array(this.sizes.reduce((a, b) => a + b, 0));
    let o = 0;
    for (const t of ts) {
      out.set(t.dataSync(), o);
      o += t.size;
    }
    return out;
  }

  /** Means of the policy: the network without log_std (params[0 .. 2L-1]). */
  mean = (...net: tf.Tensor[]): tf.Tensor2D => {
    let h: tf.Tensor2D = this.obs;
    const layers = net.length / 2;
    for (let l = 0; l < layers; l++) {
      const z = tf.add(tf.matMul(h, net[2 * l] as tf.Tensor2D, false, true), net[2 * l + 1]) as tf.Tensor2D;
      h = l + 1 < layers ? tf.tanh(z) : z;
    }
    return h;
  };

  logProb(mu: tf.Tensor2D, logStd: tf.Tensor): tf.Tensor1D {
    const z = tf.mul(tf.sub(this.actions, mu), tf.exp(tf.neg(logStd)));
    return tf.sum(tf.sub(tf.mul(-0.5, tf.square(z)), tf.add(logStd, 0.5 * LOG_2PI)), 1) as tf.Tensor1D;
  }

  surrogate = (...params: tf.Tensor[]): tf.Scalar => {
    const mu = this.mean(...params.slice(0, -1));
    const ratio = tf.exp(tf.sub(this.logProb(mu, params[params.length - 1]), this.logpOld));
    return tf.mean(tf.mul(ratio, this.adv)) as tf.Scalar;
  };

  /** Mean KL(pi_old || pi) for the line search (forward only). */
  kl(muOld: tf.Tensor2D, logStdOld: tf.Tensor, params: tf.Tensor[]): number {
    return tf.tidy(() => {
      const mu = this.mean(...params.slice(0, -1));
      const ls = params[params.length - 1];
      const varOld = tf.exp(tf.mul(2, logStdOld));
      const per = tf.sub(tf.add(tf.sub(ls, logStdOld), tf.div(tf.add(varOld, tf.square(tf.sub(muOld, mu))), tf.mul(2, tf.exp(tf.mul(2, ls))))), 0.5);
      return tf.mean(tf.sum(per, 1)).dataSync()[0];
    });
  }

  /** (F + damping I) v at params: Gauss-Newton with J v by double-VJP; see the file comment. */
  fvp(params: tf.Tensor[], v: Float64Array, damping: number): Float64Array {
    const parts = tf.tidy(() => {
      const net = params.slice(0, -1);
      const logStd = params[params.length - 1];
      const vs = this.split(v);
      const vjp = (u: tf.Tensor): tf.Tensor[] => tf.grads(this.mean)(net, u);
      const u0 = tf.zeros([this.p.n, this.p.actDim]);
      const jv = tf.grad((u: tf.Tensor) => tf.addN(vjp(u).map((g, i) => tf.sum(tf.mul(g, vs[i])))) as tf.Scalar)(u0);
      const m = tf.div(tf.exp(tf.mul(-2, logStd)), this.p.n);
      return [...vjp(tf.mul(jv, m)), tf.mul(2, vs[vs.length - 1])];
    });
    const out = this.flatten(parts);
    tf.dispose(parts);
    for (let i = 0; i < out.length; i++) out[i] += damping * v[i];
    return out;
  }

  forward(params: tf.Tensor[]): void {
    tf.tidy(() => this.mean(...params.slice(0, -1)).dataSync());
  }

  /** One TRPO step from params0; returns the statistics (the new parameters are dropped). */
  step(params0: Float64Array): { backtracks: number; accepted: boolean } {
    const params = this.split(params0);
    try {
      const { value, grads } = tf.tidy(() => {
        const r = tf.valueAndGrads(this.surrogate)(params);
        return { value: r.value, grads: r.grads };
      });
      const L0 = value.dataSync()[0];
      const g = this.flatten(grads);
      tf.dispose([value, ...grads]);
      const x = conjugateGradient((v) => this.fvp(params, v, STEP.cgDamping), g, STEP.cgMaxSteps);
      const Fx = this.fvp(params, x, STEP.cgDamping);
      let sFs = 0;
      for (let i = 0; i < x.length; i++) sFs += x[i] * Fx[i];
      const beta = Math.sqrt((2 * STEP.targetKl) / sFs);
      const muOld = tf.tidy(() => this.mean(...params.slice(0, -1)));
      const logStdOld = params[params.length - 1];
      try {
        for (let i = 0; i < STEP.lineSearchMaxIter; i++) {
          const frac = STEP.lineSearchShrinkingFactor ** i;
          const trial = this.split(params0.map((t, k) => t + frac * beta * x[k]));
          const kl = this.kl(muOld, logStdOld, trial);
          const L = tf.tidy(() => this.surrogate(...trial).dataSync()[0]);
          tf.dispose(trial);
          if (kl <= STEP.targetKl && L > L0) return { backtracks: i, accepted: true };
        }
        return { backtracks: STEP.lineSearchMaxIter, accepted: false };
      } finally {
        muOld.dispose();
      }
    } finally {
      tf.dispose(params);
    }
  }
}

function conjugateGradient(matVec: (v: Float64Array) => Float64Array, b: Float64Array, iters: number): Float64Array {
  const x = new Float64Array(b.length);
  const r = Float64Array.from(b);
  const p = Float64Array.from(b);
  let rr = dot(r, r);
  for (let k = 0; k < iters; k++) {
    const Ap = matVec(p);
    const pAp = dot(p, Ap);
    if (!(pAp > 0)) break;
    const alpha = rr / pAp;
    for (let i = 0; i < x.length; i++) {
      x[i] += alpha * p[i];
      r[i] -= alpha * Ap[i];
    }
    const rrNew = dot(r, r);
    if (rrNew < 1e-10) break;
    for (let i = 0; i < p.length; i++) p[i] = r[i] + (rrNew / rr) * p[i];
    rr = rrNew;
  }
  return x;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function relError(a: Float64Array, b: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / den);
}

/** Times forward, one FVP and the TRPO step on the current backend; checks the FVP against native. */
export function runTfjs(p: PeerProblem, budgetMs: number): Omit<PeerResult, 'peer' | 'threads' | 'version'> {
  const t = new TfjsTrpo(p);
  const params = t.split(p.params);
  try {
    const fvpRelError = relError(t.fvp(params, p.direction, STEP.cgDamping), p.referenceFvp);
    const forward = measure(() => t.forward(params), budgetMs / 4);
    const fvp = measure(() => t.fvp(params, p.direction, STEP.cgDamping), budgetMs / 4);
    let stats = { backtracks: -1, accepted: false };
    const step = measure(() => { stats = t.step(p.params); }, budgetMs);
    return {
      id: p.id, n: p.n, net: p.hidden.join('x'), fvpMethod: TFJS_FVP_METHOD, forwardMs: forward.ms, fvpMs: fvp.ms,
      fvpCachedMs: null, stepMs: step.ms, stepCpuMs: step.cpuMs, repeats: step.repeats, ...stats, fvpRelError,
    };
  } finally {
    tf.dispose(params);
    t.dispose();
  }
}

/** Whether tfjs can take the KL's second derivative through tanh here (it cannot: tfjs#3252). */
export function doubleBackpropWorks(): string {
  try {
    tf.tidy(() => tf.grad((x: tf.Tensor) => tf.sum(tf.grad((y: tf.Tensor) => tf.sum(tf.tanh(y)))(x)))(tf.tensor1d([0.5])).dataSync());
    return 'works';
  } catch (e) {
    return `fails: ${(e as Error).message.split('.')[0]}`;
  }
}

export const TFJS_VERSION = tf.version.tfjs;
