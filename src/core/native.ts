/** The native backend: thin adapters from the PolicyCore/ValueCore contract to the N-API classes. */
import type {
  Backend, FisherSolveOptions, FloatArray, IndexArray, NetworkSpec, PolicyBatch, PolicyCore, PolicyKind, TrpoStepOptions,
  TrpoStepStats, ValueCore, ValueFitOptions, ValueFitStats,
} from './types.js';
import { loadNative, type NativeBinding, type NativePolicyHandle, type NativeValueHandle } from './native-loader.js';

class NativePolicyCore implements PolicyCore {
  readonly numParameters: number;
  private readonly handle: NativePolicyHandle;

  constructor(binding: NativeBinding, readonly kind: PolicyKind, spec: NetworkSpec) {
    this.handle = new binding.NativePolicy(kind, spec.inDim, spec.outDim, [...spec.hiddenSizes], spec.dtype);
    this.numParameters = this.handle.numParameters();
  }
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
    return this.handle.solveFisher(obs, n, b, o.damping, o.iters, o.tol, o.subSamplingFactor, xOut);
  }
  trpoStep(b: PolicyBatch, o: TrpoStepOptions): TrpoStepStats {
    return this.handle.trpoStep(b.obs, b.actions, b.advantages, b.logProbOld, b.n, o);
  }
  trpoStepAsync(b: PolicyBatch, o: TrpoStepOptions): Promise<TrpoStepStats> {
    return this.handle.trpoStepAsync(b.obs, b.actions, b.advantages, b.logProbOld, b.n, o);
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
    this.handle = new binding.NativeValue(spec.inDim, [...spec.hiddenSizes], spec.dtype);
    this.numParameters = this.handle.numParameters();
  }
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
    return this.handle.fitAsync(obs, returns, n, order, o);
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
  backend = {
    name: 'native',
    createPolicy: (kind, spec) => new NativePolicyCore(binding, kind, spec),
    createValue: (spec) => new NativeValueCore(binding, spec),
  };
  return backend;
}
