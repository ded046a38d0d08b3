/**
 * The benchmark's problems: observation/action shapes of CartPole (4 obs, 2 discrete actions) and
 * HalfCheetah (17 obs, 6 continuous actions), hidden sizes, and synthetic batches (standard-normal
 * observations, actions sampled from the policy itself, standard-normal advantages) so that every
 * implementation sees the same kind of data.
 */
import { CategoricalMlpPolicy, GaussianMlpPolicy, Random, ValueFunction, type Batch } from '../src/index.js';

export interface Shape {
  /** Short name used in tables and in results.json. */
  name: string;
  obsDim: number;
  actDim: number;
  discrete: boolean;
}

export const SHAPES: Record<'CartPole' | 'HalfCheetah', Shape> = {
  CartPole: { name: 'CartPole', obsDim: 4, actDim: 2, discrete: true },
  HalfCheetah: { name: 'HalfCheetah', obsDim: 17, actDim: 6, discrete: false },
};

export type Impl = 'native-f32' | 'native-f64' | 'js';
export type Policy = GaussianMlpPolicy | CategoricalMlpPolicy;

/** The TRPO step measured everywhere: CG 10, sb3-contrib's other defaults. */
export const STEP_OPTIONS = Object.freeze({ targetKl: 0.01, cgMaxSteps: 10, cgDamping: 0.1, cgTol: 1e-10, lineSearchMaxIter: 10, lineSearchShrinkingFactor: 0.8 });

export function implBackend(impl: Impl): { backend: 'native' | 'js'; dtype: 'float32' | 'float64' } {
  if (impl === 'js') return { backend: 'js', dtype: 'float64' };
  return { backend: 'native', dtype: impl === 'native-f32' ? 'float32' : 'float64' };
}

export function makePolicy(shape: Shape, hidden: readonly number[], impl: Impl, seed = 7): Policy {
  const { backend, dtype } = implBackend(impl);
  return shape.discrete
    ? new CategoricalMlpPolicy({ obsDim: shape.obsDim, nActions: shape.actDim, hiddenSizes: hidden, backend, dtype, seed })
    : new GaussianMlpPolicy({ obsDim: shape.obsDim, actDim: shape.actDim, hiddenSizes: hidden, backend, dtype, seed });
}

export function makeValue(shape: Shape, hidden: readonly number[], impl: Impl, seed = 11): ValueFunction {
  const { backend, dtype } = implBackend(impl);
  return new ValueFunction({ obsDim: shape.obsDim, hiddenSizes: hidden, backend, dtype, seed });
}

/** Observations (float64 and a float32 copy) for n samples; deterministic in (shape, n). */
export function makeObs(shape: Shape, n: number): { obs64: Float64Array; obs32: Float32Array } {
  const rng = new Random(1000 + n + shape.obsDim);
  const obs64 = new Float64Array(n * shape.obsDim);
  for (let i = 0; i < obs64.length; i++) obs64[i] = rng.normal();
  return { obs64, obs32: Float32Array.from(obs64) };
}

/**
 * A batch for `policy`: actions sampled from it (seeded), their log-probabilities, standard-normal
 * advantages (standardized, as the trainer does). Float32 observations for native float32.
 */
export function makeBatch(policy: Policy, shape: Shape, n: number, obs: { obs64: Float64Array; obs32: Float32Array }, f32: boolean): Batch {
  const o = f32 ? obs.obs32 : obs.obs64;
  const { actions, logProb } = policy.sample(o, { rng: new Random(3) });
  const rng = new Random(5 + n);
  const adv = new Float64Array(n);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += (adv[i] = rng.normal()) / n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (adv[i] - mean) ** 2 / n;
  for (let i = 0; i < n; i++) adv[i] = (adv[i] - mean) / Math.sqrt(v + 1e-16);
  return { obs: o, actions: shape.discrete ? Int32Array.from(actions) : actions, advantages: adv, logProbOld: logProb };
}

/** Returns for a value fit: a smooth function of the observations plus noise. */
export function makeReturns(shape: Shape, obs64: Float64Array, n: number): Float64Array {
  const rng = new Random(9);
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < shape.obsDim; j++) s += Math.sin(obs64[i * shape.obsDim + j] * (j + 1));
    r[i] = s + 0.1 * rng.normal();
  }
  return r;
}

/** "64x64" */
export function netName(hidden: readonly number[]): string {
  return hidden.join('x');
}
