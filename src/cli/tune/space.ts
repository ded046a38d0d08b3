/**
 * The search space of `trpo tune`: the ranges of RL-Zoo's TRPO sampler (`sample_trpo_params` in
 * rl_zoo3/hyperparams_opt.py), drawn uniformly at random (random search) from the package's
 * seeded generator, so a seed fixes every trial's settings.
 *
 * RL-Zoo's choices: batch_size {8..512}, n_steps {8..2048} (powers of 2), gamma {0.9 .. 0.9999},
 * learning_rate log-uniform in [1e-5, 1], n_critic_updates and cg_max_steps {5, 10, 20, 25, 30},
 * target_kl {0.1 .. 0.001}, gae_lambda {0.8 .. 1.0}, net_arch small (64x64) or medium (256x256),
 * activation_fn tanh or relu; batch_size is cut to n_steps. cg_damping {0.5, 0.2, 0.1, 0.05,
 * 0.01} is commented out in RL-Zoo's current sampler; it is sampled here.
 */
import { Random } from '../../random.js';
import { resolveTRPOOptions, type TRPOOptions } from '../../trpo/options.js';

export const SEARCH_SPACE = Object.freeze({
  nSteps: [8, 16, 32, 64, 128, 256, 512, 1024, 2048],
  batchSize: [8, 16, 32, 64, 128, 256, 512],
  gamma: [0.9, 0.95, 0.98, 0.99, 0.995, 0.999, 0.9999],
  gaeLambda: [0.8, 0.9, 0.92, 0.95, 0.98, 0.99, 1.0],
  cgMaxSteps: [5, 10, 20, 25, 30],
  cgDamping: [0.5, 0.2, 0.1, 0.05, 0.01],
  nCriticUpdates: [5, 10, 20, 25, 30],
  targetKl: [0.1, 0.05, 0.03, 0.02, 0.01, 0.005, 0.001],
  /** Log-uniform. */
  learningRate: [1e-5, 1] as const,
  netArch: { small: [64, 64], medium: [256, 256] } as Record<string, number[]>,
  activation: ['tanh', 'relu'],
});

/** One trial's sampled settings (flat, for the results table). */
export interface TrialParams {
  nSteps: number;
  batchSize: number;
  gamma: number;
  gaeLambda: number;
  learningRate: number;
  cgMaxSteps: number;
  cgDamping: number;
  nCriticUpdates: number;
  targetKl: number;
  netArch: string;
  /** The hidden layers' activation (policyKwargs.activationFn); absent when sampleParams was told not to sample it. */
  activation?: string;
}

function pick<T>(rng: Random, xs: readonly T[]): T {
  return xs[rng.integer(xs.length)];
}

/** Draw one trial's settings (in a fixed order, so trial k's settings depend on the seed only). */
export function sampleParams(rng: Random, withActivation = true): TrialParams {
  const s = SEARCH_SPACE;
  const nSteps = pick(rng, s.nSteps);
  const batchSize = Math.min(pick(rng, s.batchSize), nSteps); // RL-Zoo: batch_size <= n_steps
  const gamma = pick(rng, s.gamma);
  const [lo, hi] = s.learningRate;
  const learningRate = Math.exp(rng.uniformRange(Math.log(lo), Math.log(hi)));
  const nCriticUpdates = pick(rng, s.nCriticUpdates);
  const cgMaxSteps = pick(rng, s.cgMaxSteps);
  const cgDamping = pick(rng, s.cgDamping);
  const targetKl = pick(rng, s.targetKl);
  const gaeLambda = pick(rng, s.gaeLambda);
  const netArch = pick(rng, Object.keys(s.netArch));
  const p: TrialParams = { nSteps, batchSize, gamma, gaeLambda, learningRate, cgMaxSteps, cgDamping, nCriticUpdates, targetKl, netArch };
  if (withActivation) p.activation = pick(rng, s.activation);
  return p;
}

/** The TRPO options of a trial's settings. */
export function trialOptions(p: TrialParams): TRPOOptions {
  const { netArch, activation, ...rest } = p;
  const widths = SEARCH_SPACE.netArch[netArch];
  const policyKwargs: Record<string, unknown> = { netArch: { pi: [...widths], vf: [...widths] } };
  if (activation !== undefined) policyKwargs.activationFn = activation;
  return { ...rest, policyKwargs: policyKwargs as TRPOOptions['policyKwargs'] };
}
