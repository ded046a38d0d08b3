/**
 * The contract between the TypeScript API and a compute backend.
 *
 * Two backends implement it with the same math: the native one (C++/Eigen behind N-API,
 * `src/core/native.ts`, `cpp/`) and the pure TypeScript one (`src/core/js/`), file by file
 * (cpp/policy.cpp ~ js/policy.ts, cpp/mlp.* ~ js/mlp.ts, cpp/distributions/* ~ js/distributions/*).
 * The public classes in `src/policies.ts` and `src/value-function.ts` give the defaults and
 * validate every value once; both backends then check the same contract (element types, exact
 * lengths, positive n, action values), so a misuse throws the same TypeError/RangeError on both
 * and can never crash the process. Option objects carry the same names down to cpp/core.hpp.
 *
 * Conventions
 * - Parameter vectors are flat Float64Array in PyTorch's nn.Linear layout: for each layer from
 *   input to output, the weight (out x in, row-major) then the bias (out); then the
 *   distribution's own parameters (the Gaussian's log_std, actDim).
 * - Observations are flat row-major (n x obsDim), Float32Array or Float64Array. Actions are flat
 *   (n x actionDim): Gaussian Float32Array or Float64Array; categorical (1 per sample) and
 *   multi-categorical (nvec.length per sample) indices in an Int32Array or Uint32Array; Bernoulli
 *   0/1 entries (n entries per sample) in any of these arrays.
 * - Hidden layers use tanh or ReLU; the head is linear. Outputs are means (Gaussian) or logits.
 * - Every batch quantity is an average over the n samples ("mean").
 */

/** A batch of floating-point values: observations, advantages, log-probabilities, Box actions. */
export type FloatArray = Float32Array | Float64Array;
/** A batch of integer actions: categorical and multi-categorical indices (0-based), Bernoulli 0/1 bits. */
export type IndexArray = Int32Array | Uint32Array;
/**
 * Precision of a native network's weights and arithmetic. 'float32' is the native default; the JS backend
 * always computes in float64.
 */
export type Dtype = 'float32' | 'float64';
/** The action distribution family of a policy core (see DistributionSpec). */
export type PolicyKind = 'gaussian' | 'categorical' | 'multiCategorical' | 'bernoulli' | 'gsde';
/** Activation of the hidden layers: 'tanh' (SB3's default) or 'relu'. */
export type Activation = 'tanh' | 'relu';

/**
 * The action distribution of a policy (cpp: DistributionSpec): 'gaussian' (diagonal, outDim =
 * actDim), 'categorical' (outDim = nActions), 'multiCategorical' (outDim = sum of nvec, one
 * categorical per component), 'bernoulli' (outDim = n), 'gsde' (outDim = actDim; the gSDE
 * Gaussian over the means and the policy's last hidden layer, see
 * src/core/js/distributions/gsde-gaussian.ts). nvec is empty except for multiCategorical; the gSDE
 * flags (default false) are read for 'gsde' only.
 */
export interface DistributionSpec {
  /** The distribution family; fixes outDim and the action layout (see above). */
  kind: PolicyKind;
  /**
   * Category counts of a 'multiCategorical' distribution, one per component (each ≥ 1); empty for every other
   * kind.
   */
  nvec: readonly number[];
  /** gSDE: one std per latent feature and action (else one per latent feature). */
  fullStd?: boolean;
  /** gSDE: std = expln(log_std) instead of exp(log_std). */
  useExpln?: boolean;
  /** gSDE: gradients (and the Fisher) flow into the latent features. */
  learnFeatures?: boolean;
}

/** The shape of one MLP as a backend creates it (cpp: NetworkSpec). */
export interface NetworkSpec {
  /** Input width (observation length). */
  inDim: number;
  /** Output width: the distribution's outDim, or 1 (value). */
  outDim: number;
  /** Widths of the hidden layers, possibly empty. */
  hiddenSizes: readonly number[];
  /** Precision of the weights and of the network arithmetic (the JS backend always uses float64). */
  dtype: Dtype;
  /** Activation of the hidden layers. */
  activationFn: Activation;
}

/** A batch for the surrogate objective and the TRPO step. */
export interface PolicyBatch {
  /** Observations, n × inDim, row-major. */
  obs: FloatArray;
  /**
   * Actions taken, n × actionDim: Box actions as floats, indices/bits as integers (see the file's conventions).
   */
  actions: FloatArray | IndexArray;
  /** Advantages as given (normalizing them is the trainer's job). */
  advantages: FloatArray;
  /** log pi_old(a|s) of the policy that collected the batch. */
  logProbOld: FloatArray;
  /** Number of samples. */
  n: number;
}

/**
 * Options of one TRPO update (`PolicyCore.trpoStep`); all are required at this level, MlpPolicy.trpoStep fills
 * the defaults (DEFAULT_TRPO_STEP_OPTIONS).
 */
export interface TrpoStepOptions {
  /** delta: the trust-region radius on the mean KL(pi_old || pi_new). */
  targetKl: number;
  /** Cap on conjugate-gradient iterations. */
  cgMaxSteps: number;
  /** Damping added to the Fisher matrix: (F + damping I). */
  cgDamping: number;
  /** CG stops when r.r < cgTol. */
  cgTol: number;
  /** Maximum number of line-search points tried (the full step is the first). */
  lineSearchMaxIter: number;
  /** Shrink factor of the step between line-search points. */
  lineSearchShrinkingFactor: number;
  /** Entropy bonus coefficient in the surrogate. */
  entCoef: number;
  /**
   * The Fisher-vector products (and only they) use every k-th sample of the batch (1 = all); the
   * gradient and the line search use the whole batch. sb3-contrib's sub_sampling_factor
   * subsamples the whole step instead.
   */
  subSamplingFactor: number;
  /**
   * 'trpo': the backtracking line search on the KL and the surrogate; 'npg': natural policy
   * gradient (Spinning Up's algo='npg'), the full step sqrt(2 targetKl / s^T F s) s with no line
   * search (lineSearchMaxIter and lineSearchShrinkingFactor unused).
   */
  algo: TrpoAlgo;
  /**
   * CG starts from the previous trpoStep's CG solution s_prev, kept by the policy core (the Nexus
   * notes' warm start), scaled to alpha s_prev, alpha = s_prev.g / s_prev^T (F + damping I) s_prev
   * (the best multiple in the A-norm; see conjugateGradient), instead of 0. It costs one
   * Fisher-vector product (counted in cgIterations). The kept solution is not saved with a model.
   */
  cgWarmStart: boolean;
}

/**
 * The policy update: 'trpo' (conjugate gradient then the backtracking line search on KL and surrogate) or 'npg'
 * (natural policy gradient: the scaled CG step, no line search).
 */
export type TrpoAlgo = 'trpo' | 'npg';

/** Options of solveFisher: CG on (F + cgDamping I) x = b; F over every subSamplingFactor-th sample. */
export interface FisherSolveOptions {
  /** Damping λ of (F + λ I); ≥ 0. */
  cgDamping: number;
  /** Cap on CG iterations (Fisher-vector products); a positive integer. */
  cgMaxSteps: number;
  /** CG stops when r·r < cgTol; ≥ 0. */
  cgTol: number;
  /**
   * F is estimated on rows 0, k, 2k, … of the batch (k = subSamplingFactor, a positive integer; 1 = all rows).
   */
  subSamplingFactor: number;
}

/** What one TRPO update did (`trpoStep`'s result). */
export interface TrpoStepStats {
  /** Surrogate at theta_old (ratio = 1): mean(A) + entCoef * mean entropy. */
  surrogateBefore: number;
  /** Surrogate at the accepted parameters (= surrogateBefore when nothing was accepted). */
  surrogateAfter: number;
  /** Mean KL(pi_old || pi_new) at the accepted parameters (0 when nothing was accepted). */
  kl: number;
  /** Fraction of the full step taken: lineSearchShrinkingFactor^backtracks (1 with 'npg'), or 0 when nothing was accepted. */
  stepFraction: number;
  /** Number of shrinks before acceptance (= lineSearchMaxIter when nothing was accepted; 0 with 'npg'). */
  backtracks: number;
  /**
   * Whether a step was accepted (KL ≤ targetKl and the surrogate improved); false: the parameters are restored
   * bit for bit.
   */
  accepted: boolean;
  /** Final r.r of conjugate gradient. */
  cgResidual: number;
  /** Fisher-vector products made by CG (its iterations, plus the initial residual's with cgWarmStart). */
  cgIterations: number;
  /** Euclidean norm of the surrogate gradient g. */
  gradNorm: number;
  /**
   * s^T (F + damping I) s for the CG direction s (the step's quadratic form), computed as s.(g - r)
   * from CG's final residual r = g - (F + damping I) s, which saves a Fisher-vector product.
   */
  sFs: number;
}

/** The result of conjugateGradient: the approximate solution of A x = b and how far CG got. */
export interface ConjugateGradientResult {
  /** The approximate solution x. */
  x: Float64Array;
  /** The final residual b - A x (as updated by the iterations). */
  r: Float64Array;
  /** Final r.r. */
  residual: number;
  /** Matrix-vector products made (CG iterations, plus one for a warm start). */
  iterations: number;
}

/**
 * Policy network core. One object owns the weights (in C++ for the native backend) and keeps the
 * activations of its last forward pass for the Fisher-vector products.
 */
export interface PolicyCore {
  /** Frees the core's memory now (native); later calls throw. Optional: the JS cores leave it to the GC. */
  dispose?(): void;
  /** The distribution family of this core. */
  readonly kind: PolicyKind;
  /**
   * Length of the flat parameter vector (network weights and biases, then the distribution's own parameters
   * such as log_std).
   */
  readonly numParameters: number;
  /** Entries of one action in a flat action batch (actDim, 1, nvec.length or n). */
  readonly actionDim: number;
  /**
   * Noise values sample() reads per state: standard normals (Gaussian, gSDE) or uniforms (one per categorical
   * component or bit).
   */
  readonly noiseDim: number;
  /** Copies the flat parameter vector (PyTorch nn.Linear layout) into `out` (length numParameters). */
  getParameters(out: Float64Array): void;
  /** Replaces the parameters with `params` (length numParameters, finite). */
  setParameters(params: Float64Array): void;
  /** The network outputs (means, logits), n x outDim, written into out. */
  forward(obs: FloatArray, n: number, out: Float64Array): void;
  /** log pi(a_i|s_i) for each sample, written into out (length n). */
  logProb(obs: FloatArray, actions: FloatArray | IndexArray, n: number, out: Float64Array): void;
  /** Mean entropy of pi(.|s) over the batch. */
  entropy(obs: FloatArray, n: number): number;
  /**
   * Surrogate L(theta) = mean_i(exp(logpi(a_i|s_i) - logProbOld_i) * A_i) + entCoef * mean entropy.
   * Returns L and, when gradOut is given, writes dL/dtheta into it.
   */
  surrogate(batch: PolicyBatch, entCoef: number, gradOut: Float64Array | null): number;
  /** Mean KL(pi_old || pi_theta) where pi_old has parameters oldParams. */
  meanKl(obs: FloatArray, n: number, oldParams: Float64Array): number;
  /**
   * (F + damping I) v where F = (1/n) sum_s J_s^T M_s J_s is the Fisher matrix of the policy at the
   * current parameters (the Hessian of the mean KL at theta_old), J_s the Jacobian of the network
   * output for sample s, M_s the Fisher of the action distribution in output space:
   * diag(1/sigma^2) on the means and exactly 2 on each log_std entry (Gaussian),
   * diag(p_s) - p_s p_s^T on the logits (categorical; one block per component of a
   * multi-categorical), diag(p_s (1 - p_s)) (Bernoulli); for gSDE diag(1/var) on the means and
   * 1/(2 var^2) on the state-dependent variances, through phi(s) and log_std.
   */
  fisherVectorProduct(obs: FloatArray, n: number, v: Float64Array, damping: number, out: Float64Array): void;
  /**
   * Solves (F + cgDamping I) x = b by conjugate gradient (x0 = 0, the algorithm of conjugateGradient),
   * F the Fisher matrix at the current parameters over rows 0, k, 2k, ... of obs
   * (k = subSamplingFactor), with the activations computed once. Writes x into xOut.
   */
  solveFisher(obs: FloatArray, n: number, b: Float64Array, options: FisherSolveOptions, xOut: Float64Array): {
    /** Final r·r of CG. */
    residual: number;
    /** CG iterations made (Fisher-vector products). */
    iterations: number;
  };
  /** One TRPO update in place; see TrpoStepStats. Parameters are restored bit for bit on failure. */
  trpoStep(batch: PolicyBatch, options: TrpoStepOptions): TrpoStepStats;
  /** Async form of trpoStep (the native backend runs it on a worker thread). */
  trpoStepAsync(batch: PolicyBatch, options: TrpoStepOptions): Promise<TrpoStepStats>;
  /**
   * Actions for a batch of observations and their log-probabilities, from caller-drawn noise
   * (n x noiseDim) so that both backends draw the same actions: Gaussian a = mu + sigma * noise
   * (standard normals); categorical, per component: the first k with p_1 + ... + p_k > u
   * (uniforms in [0, 1)); Bernoulli a_j = [u_j < p_j] (uniforms). Deterministic: the mode (the
   * mean, the first most probable index, [p_j > 1/2]); noise is then ignored (may be null).
   * actionsOut has n x actionDim entries (indices as numbers).
   */
  sample(obs: FloatArray, n: number, noise: FloatArray | null, deterministic: boolean, actionsOut: Float64Array, logProbOut: Float64Array): void;
  /**
   * sample() and value.forward() of the same observations in one call (one native crossing per
   * rollout step): writes V(s_i) into valuesOut. `value` must come from the same backend.
   */
  sampleWithValues(value: ValueCore, obs: FloatArray, n: number, noise: FloatArray | null, deterministic: boolean, actionsOut: Float64Array, logProbOut: Float64Array, valuesOut: Float64Array): void;
}

/**
 * Options of one value fit (`ValueCore.fit`); all required at this level (ValueFunction.fit fills the
 * defaults).
 */
export interface ValueFitOptions {
  /** Adam's step size; ≥ 0 (0, the last update of a linear schedule, leaves the weights unchanged). */
  learningRate: number;
  /** Number of passes over the batch. */
  epochs: number;
  /** Minibatch size (the last minibatch of an epoch may be smaller). */
  batchSize: number;
  /** Clip the global gradient norm to this value before each Adam step (0 or Infinity = off). */
  maxGradNorm: number;
}

/** What one value fit did. */
export interface ValueFitStats {
  /** Full-batch MSE before the fit. */
  lossBefore: number;
  /** Full-batch MSE after the fit. */
  lossAfter: number;
  /** Number of Adam steps taken. */
  steps: number;
}

/** Value network core (outDim 1) with its own Adam state, kept between fits. */
export interface ValueCore {
  /** Frees the core's memory now (native); later calls throw. Optional: the JS cores leave it to the GC. */
  dispose?(): void;
  /** Length of the flat parameter vector (weights and biases in nn.Linear layout). */
  readonly numParameters: number;
  /** Copies the flat parameter vector into `out` (length numParameters). */
  getParameters(out: Float64Array): void;
  /** Replaces the parameters with `params` (length numParameters, finite); the Adam state is kept. */
  setParameters(params: Float64Array): void;
  /** V(s_i) for each sample, written into out (length n). */
  forward(obs: FloatArray, n: number, out: Float64Array): void;
  /** Mean squared error mean_i (V(s_i) - R_i)^2; writes its gradient into gradOut when given. */
  loss(obs: FloatArray, returns: FloatArray, n: number, gradOut: Float64Array | null): number;
  /**
   * Fit V to the returns with Adam (beta1 0.9, beta2 0.999, eps 1e-8, PyTorch's update rule),
   * taking minibatches in the order given by `order` (epochs x n sample indices, each epoch a
   * permutation of 0..n-1, made by the caller's seeded generator so backends agree).
   */
  fit(obs: FloatArray, returns: FloatArray, n: number, order: Uint32Array, options: ValueFitOptions): ValueFitStats;
  /**
   * The same fit as `fit`, off the main thread for the native backend (a worker thread of the addon); the JS
   * core resolves after a synchronous fit.
   */
  fitAsync(obs: FloatArray, returns: FloatArray, n: number, order: Uint32Array, options: ValueFitOptions): Promise<ValueFitStats>;
  /** Adam state [t, m (numParameters), v (numParameters)], for exact save/resume. */
  getOptimizerState(): Float64Array;
  /** Restores an Adam state from getOptimizerState() (length 1 + 2 numParameters). */
  setOptimizerState(state: Float64Array): void;
}

/** A compute backend: creates policy and value cores with its implementation of the shared math. */
export interface Backend {
  /** 'native' (C++/Eigen through N-API) or 'js' (pure TypeScript, float64). */
  readonly name: 'native' | 'js';
  /**
   * A new policy core with the given distribution and network shape; weights are initialized by the caller
   * (setParameters).
   */
  createPolicy(distribution: DistributionSpec, spec: NetworkSpec): PolicyCore;
  /** A new value core (outDim 1) with a fresh Adam state. */
  createValue(spec: NetworkSpec): ValueCore;
}
