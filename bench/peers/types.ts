/** What the peer implementations (TensorFlow.js, PyTorch) are given and what they report. */

/** One TRPO problem: a Gaussian MLP policy (tanh, state-independent log_std) and a batch. */
export interface PeerProblem {
  id: string;
  n: number;
  obsDim: number;
  actDim: number;
  hidden: number[];
  /** n x obsDim, n x actDim, n, n (float32). */
  obs: Float32Array;
  actions: Float32Array;
  advantages: Float32Array;
  logProbOld: Float32Array;
  /** Initial parameters in PyTorch's nn.Linear layout, log_std last. */
  params: Float64Array;
  /** A direction for the FVP check, and the native float64 backend's (F + 0.1 I) v for it. */
  direction: Float64Array;
  referenceFvp: Float64Array;
}

export interface PeerResult {
  /** 'pytorch' | 'tfjs-cpu' | 'tfjs-wasm' */
  peer: string;
  version?: string;
  threads: number;
  id: string;
  n: number;
  net: string;
  /** How the Fisher-vector product is computed. */
  fvpMethod?: string;
  /** Policy forward (means), no gradient. */
  forwardMs?: number | null;
  /** One Fisher-vector product from scratch (forward and every pass it needs). */
  fvpMs?: number | null;
  /** One product with the first-order graph cached (PyTorch), or null where nothing is cached. */
  fvpCachedMs?: number | null;
  /** The full TRPO step (CG 10, line search 10 x 0.8). */
  stepMs?: number | null;
  /** Process CPU time of the step (all threads; see bench/measure.ts). */
  stepCpuMs?: number | null;
  repeats?: number;
  backtracks?: number;
  accepted?: boolean;
  /** ||Fv - Fv_native|| / ||Fv_native|| for the problem's direction (damping 0.1). */
  fvpRelError?: number;
  skipped?: string;
}

export const STEP = Object.freeze({ targetKl: 0.01, cgMaxSteps: 10, cgDamping: 0.1, lineSearchMaxIter: 10, lineSearchShrinkingFactor: 0.8 });
