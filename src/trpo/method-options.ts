/** The options of TRPO's methods (learn, predict, save, load), and the validation of learn's. */
import type { BackendChoice } from '../backend.js';
import type { VecEnv } from '../envs/vector/vec-env.js';
import * as v from '../validate.js';
import type { TRPOLogger, TRPOUpdateInfo } from './logger.js';
import type { TRPO } from './trpo.js';

/** Called after every update; return false (or a Promise of false) to stop training. */
export type TRPOCallback = (info: TRPOUpdateInfo, model: TRPO) => boolean | void | Promise<boolean | void>;

export interface LearnOptions {
  /** Environment steps to take (all envs together); rollouts are whole, so learn may overshoot by < nSteps x nEnvs. */
  totalTimesteps: number;
  callback?: TRPOCallback;
  /** Show a one-line progress bar on stderr when it is a TTY (default false). */
  progressBar?: boolean;
  /** A JSON-lines file path, or a logger object, receiving every update's statistics. */
  logger?: string | TRPOLogger;
  /**
   * true (default, as SB3): count timesteps from 0 and start new episodes (env reset).
   * false: continue counting and continue the current episodes; after `TRPO.load` with an env,
   * the saved env state is restored, so training continues exactly as if it had never stopped.
   */
  resetNumTimesteps?: boolean;
}

export interface PredictOptions {
  /** The distribution's mode instead of a sample (default false, as SB3). */
  deterministic?: boolean;
}

export interface SaveOptions {
  /** Save the envs' states and last observation so that `learn({ resetNumTimesteps: false })` after load continues exactly (default true; needs a SyncVectorEnv of envs with getState). */
  includeEnvState?: boolean;
}

export interface LoadOptions {
  /** The env to continue training or to evaluate on; must have the saved spaces (and VecNormalize if the model was trained with it). */
  env?: VecEnv | null;
  /** Override the saved backend choice. */
  backend?: BackendChoice;
}

/** `LearnOptions` checked, with defaults. */
export interface ResolvedLearnOptions {
  totalTimesteps: number;
  callback: TRPOCallback | undefined;
  progressBar: boolean;
  logger: string | TRPOLogger | undefined;
  resetNumTimesteps: boolean;
}

/** Defaults + validation; throws a TypeError/RangeError naming the option. */
export function resolveLearnOptions(options: unknown): ResolvedLearnOptions {
  const lo = v.object(options, 'TRPO.learn: options');
  v.knownKeys(lo, ['totalTimesteps', 'callback', 'progressBar', 'logger', 'resetNumTimesteps'], 'TRPO.learn: options');
  const total = lo.totalTimesteps;
  if (typeof total !== 'number' || !Number.isSafeInteger(total) || total < 0) {
    throw new RangeError(`TRPO.learn: options.totalTimesteps: expected a non-negative integer, got ${v.describe(total)}`);
  }
  if (lo.callback !== undefined && typeof lo.callback !== 'function') {
    throw new TypeError(`TRPO.learn: options.callback: expected a function, got ${v.describe(lo.callback)}`);
  }
  if (lo.progressBar !== undefined && typeof lo.progressBar !== 'boolean') {
    throw new TypeError(`TRPO.learn: options.progressBar: expected a boolean, got ${v.describe(lo.progressBar)}`);
  }
  if (lo.resetNumTimesteps !== undefined && typeof lo.resetNumTimesteps !== 'boolean') {
    throw new TypeError(`TRPO.learn: options.resetNumTimesteps: expected a boolean, got ${v.describe(lo.resetNumTimesteps)}`);
  }
  const lg = lo.logger;
  if (lg !== undefined && typeof lg !== 'string' && (typeof lg !== 'object' || lg === null || typeof (lg as TRPOLogger).log !== 'function')) {
    throw new TypeError(`TRPO.learn: options.logger: expected a file path or an object with log(info), got ${v.describe(lg)}`);
  }
  return {
    totalTimesteps: total,
    callback: lo.callback as TRPOCallback | undefined,
    progressBar: (lo.progressBar as boolean | undefined) ?? false,
    logger: lg as string | TRPOLogger | undefined,
    resetNumTimesteps: (lo.resetNumTimesteps as boolean | undefined) ?? true,
  };
}
