/** The native backend: thin adapters from the PolicyCore/ValueCore contract to the N-API classes. */
import type {
  Backend, DistributionSpec, FisherSolveOptions, FloatArray, IndexArray, NetworkSpec, PolicyBatch, PolicyCore, PolicyKind,
  TrpoStepOptions, TrpoStepStats, ValueCore, ValueFitOptions, ValueFitStats,
} from './types.js';
import { makeDistribution } from './js/distributions/index.js';
import { onMaxCoreBytes } from './limits.js';
import { loadNative, type NativeBinding, type NativePolicyHandle, type NativeValueHandle } from './native-loader.js';

/**
 * Settles like `promise`, but a rejection carries the stack of the JS caller (`caller`, made
 * before the native call was queued): errors of a worker thread have no JS stack of their own.
 */
export async function withCallerStack<T>(promise: Promise<T>, caller: Error): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof Error && caller.stack) {
      const frames = caller.stack.split('\n').slice(1).join('\n');
      error.stack = `${error.name}: ${error.message}\n${frames}`;
    }
    throw error;
  }
}

class NativePolicyCore implements PolicyCore {
  readonly numParameters: number;
  readonly kind: PolicyKind;
  readonly actionDim: number;
  readonly noiseDim: number;
  private readonly handle: NativePolicyHandle;

  constructor(binding: NativeBinding, distribution: DistributionSpec, spec: NetworkSpec) {
    this.kind = distribution.kind;
    const d = distribution;
    const flags = { fullStd: d.fullStd ?? false, useExpln: d.useExpln ?? false, learnFeatures: d.learnFeatures ?? false };
    this.handle = new binding.NativePolicy({ kind: d.kind, nvec: [...d.nvec], ...flags }, spec.inDim, spec.outDim, [...spec.hiddenSizes], spec.dtype, spec.activationFn);
    this.numParameters = this.handle.numParameters();
    const twin = makeDistribution(distribution, spec.outDim, spec.hiddenSizes.at(-1) ?? spec.inDim);  // the same sizes as the C++ one
    this.actionDim = twin.actionDim;
    this.noiseDim = twin.noiseDim;
  }
  dispose(): void { this.handle.dispose(); }
  getParameters(out: Float64Array): void { this.handle.getParameters(out); }
  setParameters(params: Float64Array): void { this.handle.setParameters(params); }
  forward(obs: FloatArray, n: number, out: Float64Array): void { this.handle.forward(obs, n, out); }
  logProb(obs: FloatArray, actions: FloatArray | IndexArray, n: number, out: Float64Array): void {
    this.handle.logProb(obs, actions, n, out);
  }
  entropy(obs: FloatArray, n: number): number { return this.handle.entropy(obs, n); }
  surrogate(b: PolicyBatch, entCoef: number, gradOut: Float64Array | null): number {
    return this.handle.surrogate(b.obs, b.actions, b.advantages, b.logProbOld, b.n, entCoef, gradOut);
  }
  meanKl(obs: FloatArray, n: number, oldParams: Float64Array): number { return this.handle.meanKl(obs, n, oldParams); }
  fisherVectorProduct(obs: FloatArray, n: number, v: Float64Array, damping: number, out: Float64Array): void {
    this.handle.fisherVectorProduct(obs, n, v, damping, out);
  }
  solveFisher(obs: FloatArray, n: number, b: Float64Array, o: FisherSolveOptions, xOut: Float64Array): { residual: number; iterations: number } {
    return this.handle.solveFisher(obs, n, b, o, xOut);
  }
  trpoStep(b: PolicyBatch, o: TrpoStepOptions): TrpoStepStats {
    return this.handle.trpoStep(b.obs, b.actions, b.advantages, b.logProbOld, b.n, o);
  }
  trpoStepAsync(b: PolicyBatch, o: TrpoStepOptions): Promise<TrpoStepStats> {
    return withCallerStack(this.handle.trpoStepAsync(b.obs, b.actions, b.advantages, b.logProbOld, b.n, o), new Error());
  }
  sample(obs: FloatArray, n: number, noise: FloatArray | null, deterministic: boolean, actionsOut: Float64Array, logProbOut: Float64Array): void {
    this.handle.sample(obs, n, noise, deterministic, actionsOut, logProbOut);
  }
  sampleWithValues(value: ValueCore, obs: FloatArray, n: number, noise: FloatArray | null, deterministic: boolean, actionsOut: Float64Array, logProbOut: Float64Array, valuesOut: Float64Array): void {
    if (!(value instanceof NativeValueCore)) {
      throw new TypeError('value: expected a value function of the native backend');
    }
    this.handle.sampleWithValues(value.handle, obs, n, noise, deterministic, actionsOut, logProbOut, valuesOut);
  }
}

class NativeValueCore implements ValueCore {
  readonly numParameters: number;
  /** The N-API object (also handed to NativePolicy.sampleWithValues). */
  readonly handle: NativeValueHandle;

  constructor(binding: NativeBinding, spec: NetworkSpec) {
    if (spec.outDim !== 1) throw new RangeError(`outDim: a value function has one output, got ${spec.outDim}`);
    this.handle = new binding.NativeValue(spec.inDim, [...spec.hiddenSizes], spec.dtype, spec.activationFn);
    this.numParameters = this.handle.numParameters();
  }
  dispose(): void { this.handle.dispose(); }
  getParameters(out: Float64Array): void { this.handle.getParameters(out); }
  setParameters(params: Float64Array): void { this.handle.setParameters(params); }
  forward(obs: FloatArray, n: number, out: Float64Array): void { this.handle.forward(obs, n, out); }
  loss(obs: FloatArray, returns: FloatArray, n: number, gradOut: Float64Array | null): number {
    return this.handle.loss(obs, returns, n, gradOut);
  }
  fit(obs: FloatArray, returns: FloatArray, n: number, order: Uint32Array, o: ValueFitOptions): ValueFitStats {
    return this.handle.fit(obs, returns, n, order, o);
  }
  fitAsync(obs: FloatArray, returns: FloatArray, n: number, order: Uint32Array, o: ValueFitOptions): Promise<ValueFitStats> {
    return withCallerStack(this.handle.fitAsync(obs, returns, n, order, o), new Error());
  }
  getOptimizerState(): Float64Array {
    const out = new Float64Array(1 + 2 * this.numParameters);
    this.handle.getOptimizerState(out);
    return out;
  }
  setOptimizerState(state: Float64Array): void { this.handle.setOptimizerState(state); }
}

let backend: Backend | undefined;

/** The native backend, or undefined when no binary loads (see loadNative() for the reason). */
export function nativeBackend(): Backend | undefined {
  if (backend) return backend;
  const loaded = loadNative();
  if (!loaded.ok) return undefined;
  const binding = loaded.binding;
  onMaxCoreBytes((bytes) => binding.setMaxCoreBytes(bytes));  // the C++ guards use the same cap
  backend = {
    name: 'native',
    createPolicy: (distribution, spec) => new NativePolicyCore(binding, distribution, spec),
    createValue: (spec) => new NativeValueCore(binding, spec),
  };
  return backend;
}
