/**
 * The tags of one update's statistics: SB3's names where SB3 (sb3-contrib TRPO and its
 * OnPolicyAlgorithm) logs the same quantity, this package's extras under train/.
 */
import type { TRPOUpdateInfo } from '../trpo/logger.js';
import type { LogFormat, LogValue } from './logger.js';

interface Recorder {
  record(key: string, value: LogValue, exclude?: LogFormat | readonly LogFormat[]): void;
}

/** Record `info` as SB3 does after a TRPO iteration (the same keys, the same exclusions from TensorBoard). */
export function recordUpdate(logger: Recorder, info: TRPOUpdateInfo): void {
  logger.record('time/iterations', info.update, 'tensorboard');
  if (info.epReturnMean !== null) logger.record('rollout/ep_rew_mean', info.epReturnMean);
  if (info.epLengthMean !== null) logger.record('rollout/ep_len_mean', info.epLengthMean);
  // SB3: int(steps since learn started / seconds since learn started)
  logger.record('time/fps', Math.floor(info.fps));
  logger.record('time/time_elapsed', Math.floor(info.elapsedSeconds), 'tensorboard');
  logger.record('time/total_timesteps', info.timesteps, 'tensorboard');
  if (info.surrogateBefore !== undefined) logger.record('train/policy_objective', info.surrogateBefore);
  logger.record('train/value_loss', info.valueLoss);
  logger.record('train/kl_divergence_loss', info.kl);
  logger.record('train/explained_variance', info.explainedVariance);
  logger.record('train/is_line_search_success', info.accepted ? 1 : 0);
  if (info.policyStd !== null) logger.record('train/std', info.policyStd);
  logger.record('train/n_updates', info.update, 'tensorboard');
  // This package's extras.
  logger.record('train/cg_iterations', info.cgIterations);
  logger.record('train/cg_residual', info.cgResidual);
  logger.record('train/step_fraction', info.stepFraction);
  logger.record('train/backtracks', info.backtracks);
  logger.record('train/surrogate_improvement', info.surrogateImprovement);
  logger.record('train/entropy', info.entropy);
}
