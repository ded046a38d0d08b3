/** One TRPO update from a collected rollout: GAE, the policy's trust-region step and the critic fit. */
import { computeGae } from '../gae.js';
import { BernoulliMlpPolicy, GaussianMlpPolicy, type AnyMlpPolicy } from '../policies.js';
import type { ValueFunction } from '../value-function.js';
import type { TRPOUpdateInfo } from './logger.js';
import type { ResolvedTRPOOptions } from './options.js';
import type { RolloutBuffer } from './rollout-buffer.js';

/** The update's part of the statistics of `TRPOUpdateInfo`. */
export type UpdateStats = Pick<TRPOUpdateInfo, 'targetKl' | 'kl' | 'stepFraction' | 'backtracks' | 'accepted' | 'surrogateImprovement' | 'surrogateBefore' |
  'cgIterations' | 'cgResidual' | 'valueLoss' | 'valueLossBefore' | 'explainedVariance' | 'policyStd' | 'entropy'>;

/**
 * The update on a filled buffer: advantages and returns by GAE (normalized advantages if the
 * options say so), one trust-region step of the policy and nCriticUpdates epochs of the critic on
 * the returns. Updates `policy` and `valueFunction`; returns the statistics. `step` holds this
 * update's critic learning rate and trust-region radius (the schedule's and the adaptive trust
 * region's values; o.learningRate and o.targetKl otherwise).
 */
export async function updateFromRollout(
  buf: RolloutBuffer, policy: AnyMlpPolicy, valueFunction: ValueFunction, o: ResolvedTRPOOptions,
  step: { learningRate: number; targetKl: number },
): Promise<UpdateStats> {
  const { learningRate } = step;
  fillNextValues(buf);
  const gae = computeGae({
    rewards: buf.rewards, values: buf.values, nextValues: buf.nextValues, terminated: buf.terminated, truncated: buf.truncated,
    gamma: o.gamma, lambda: o.gaeLambda, nEnvs: buf.nEnvs,
  });
  const adv = buf.advantages;
  adv.set(gae.advantages);
  if (o.normalizeAdvantage) normalizeInPlace(adv);
  const explainedVariance = explainedVarianceOf(buf.values, gae.returns);
  const batch = { obs: buf.obs, actions: (buf.actionsI ?? buf.actionsF)!, advantages: adv, logProbOld: buf.logProbs };
  // klAverage 'elements' (sb3-contrib): targetKl bounds the joint KL / d; the same step as the
  // joint-KL step with radius targetKl·d and damping cgDamping·d (see TRPOOptions.klAverage).
  const d = klElementsOf(policy, o);
  // The policy step and the critic fit are independent (separate networks, read-only inputs):
  // run them concurrently (two worker threads with the native backend). Each is deterministic
  // whatever the threads, so the results are the same as one after the other. Both are awaited
  // even when one fails, so that a rollback never meets a network still busy on a worker.
  const [stepResult, fitResult] = await Promise.allSettled([
    policy.trpoStepAsync(batch, {
      targetKl: step.targetKl * d, cgMaxSteps: o.cgMaxSteps, cgDamping: o.cgDamping * d, cgTol: o.cgTol, lineSearchMaxIter: o.lineSearchMaxIter,
      lineSearchShrinkingFactor: o.lineSearchShrinkingFactor, entCoef: o.entCoef, subSamplingFactor: o.subSamplingFactor,
      algo: o.algo, cgWarmStart: o.cgWarmStart,
    }),
    valueFunction.fitAsync(buf.obs, gae.returns, {
      learningRate, epochs: o.nCriticUpdates, batchSize: o.batchSize, maxGradNorm: o.maxGradNorm,
    }),
  ]);
  if (stepResult.status === 'rejected') throw stepResult.reason;
  if (fitResult.status === 'rejected') throw fitResult.reason;
  const st = stepResult.value;
  const fit = fitResult.value;
  return {
    targetKl: step.targetKl,
    kl: st.kl / d,
    stepFraction: st.stepFraction,
    backtracks: st.backtracks,
    accepted: st.accepted,
    surrogateImprovement: st.surrogateAfter - st.surrogateBefore,
    surrogateBefore: st.surrogateBefore,
    cgIterations: st.cgIterations,
    cgResidual: st.cgResidual,
    valueLoss: fit.lossAfter,
    valueLossBefore: fit.lossBefore,
    explainedVariance,
    policyStd: policy instanceof GaussianMlpPolicy ? meanStd(policy.logStd) : null,
    entropy: policy.entropy(buf.obs),
  };
}

/**
 * The number d of independent action elements the KL is averaged over: the action dimensions of
 * a Gaussian (or gSDE) policy and the bits of a MultiBinary one with klAverage 'elements'; 1 for
 * Discrete and MultiDiscrete actions (one KL per state) and with klAverage 'joint'.
 */
export function klElementsOf(policy: AnyMlpPolicy, o: Pick<ResolvedTRPOOptions, 'klAverage'>): number {
  if (o.klAverage === 'joint') return 1;
  return policy instanceof GaussianMlpPolicy || policy instanceof BernoulliMlpPolicy ? policy.actionDim : 1;
}

/**
 * buf.nextValues[i] = V of the observation after transition i: the next step's V(obs) of the same
 * env, V(observations after the rollout) for the last step, and V(final observation) for a
 * time-limit truncation (the next row already belongs to a new episode).
 */
function fillNextValues(buf: RolloutBuffer): void {
  const { nEnvs: ne, n, nextValues: nv } = buf;
  nv.set(buf.values.subarray(ne), 0);
  nv.set(buf.lastValues, n - ne);
  for (let i = 0; i < n; i++) if (buf.hasFinal[i]) nv[i] = buf.finalValues[i];
}

/** x <- (x - mean) / (std + 1e-8), with the unbiased std (torch.std, as sb3-contrib). */
function normalizeInPlace(x: Float64Array): void {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i] - mean) ** 2;
  const std = Math.sqrt(ss / (n - 1));
  for (let i = 0; i < n; i++) x[i] = (x[i] - mean) / (std + 1e-8);
}

/** Mean of exp(logStd): the Gaussian policy's mean standard deviation. */
function meanStd(logStd: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < logStd.length; j++) s += Math.exp(logStd[j]);
  return s / logStd.length;
}

/** 1 - Var(y - yPred) / Var(y) (population variances; NaN when Var(y) = 0), as SB3's explained_variance. */
export function explainedVarianceOf(yPred: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = y.length;
  let my = 0;
  let md = 0;
  for (let i = 0; i < n; i++) {
    my += y[i];
    md += y[i] - yPred[i];
  }
  my /= n;
  md /= n;
  let vy = 0;
  let vd = 0;
  for (let i = 0; i < n; i++) {
    vy += (y[i] - my) ** 2;
    vd += (y[i] - yPred[i] - md) ** 2;
  }
  return vy === 0 ? Number.NaN : 1 - vd / vy;
}
