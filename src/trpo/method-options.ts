/** The options of TRPO's methods (learn, predict, save, load), and the validation of learn's. */
import type { BackendChoice } from '../backend.js';
import type { VecEnv } from '../envs/vector/vec-env.js';
import { BaseCallback } from '../callbacks/base.js';
import { CallbackList } from '../callbacks/list.js';
import * as v from '../validate.js';
import type { TRPOLogger, TRPOUpdateInfo } from './logger.js';
import type { TRPO } from './trpo.js';

/** Called after every update; return false (or a Promise of false) to stop training. */
export type TRPOCallback = (info: TRPOUpdateInfo, model: TRPO) => boolean | void | Promise<boolean | void>;

/** Options of `TRPO.learn`; only totalTimesteps is required. */
export interface LearnOptions {
  /** Environment steps to take (all envs together); rollouts are whole, so learn may overshoot by < nSteps x nEnvs. */
  totalTimesteps: number;
  /**
   * A function called after every update (return false to stop), or a BaseCallback (SB3's hooks,
   * onStep after every vector step), or an array of BaseCallbacks (a CallbackList).
   */
  callback?: TRPOCallback | BaseCallback | readonly BaseCallback[];
  /** Name of the TensorBoard run (default 'TRPO': runs TRPO_1, TRPO_2, ... in the model's tensorboardLog), as SB3's tb_log_name. */
  tbLogName?: string;
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

/** Options of `TRPO.predict`. */
export interface PredictOptions {
  /** The distribution's mode instead of a sample (default false, as SB3). */
  deterministic?: boolean;
}

/** Options of `TRPO.save`. */
export interface SaveOptions {
  /** Save the envs' states and last observation so that `learn({ resetNumTimesteps: false })` after load continues exactly (default true; needs a vector env with getRunningEpisodes, as SyncVectorEnv and WorkerVectorEnv, of envs with getState). */
  includeEnvState?: boolean;
}

/** Options of `TRPO.load`. */
export interface LoadOptions {
  /** The env to continue training or to evaluate on; must have the saved spaces (and VecNormalize if the model was trained with it). */
  env?: VecEnv | null;
  /** Override the saved backend choice. */
  backend?: BackendChoice;
}

/** `LearnOptions` checked, with defaults. */
export interface ResolvedLearnOptions {
  totalTimesteps: number;
  /** The function callback (per update). */
  callback: TRPOCallback | undefined;
  /** The BaseCallback(s), as one (a CallbackList for an array). */
  hooks: BaseCallback | null;
  tbLogName: string;
  progressBar: boolean;
  logger: string | TRPOLogger | undefined;
  resetNumTimesteps: boolean;
}

/** Defaults + validation; throws a TypeError/RangeError naming the option. */
export function resolveLearnOptions(options: unknown): ResolvedLearnOptions {
  const lo = v.object(options, 'TRPO.learn: options');
  v.knownKeys(lo, ['totalTimesteps', 'callback', 'tbLogName', 'progressBar', 'logger', 'resetNumTimesteps'], 'TRPO.learn: options');
  const total = lo.totalTimesteps;
  if (typeof total !== 'number' || !Number.isSafeInteger(total) || total < 0) {
    throw new RangeError(`TRPO.learn: options.totalTimesteps: expected a non-negative integer, got ${v.describe(total)}`);
  }
  const cb = lo.callback;
  const isHooks = cb instanceof BaseCallback || (Array.isArray(cb) && cb.every((c) => c instanceof BaseCallback));
  if (cb !== undefined && typeof cb !== 'function' && !isHooks) {
    throw new TypeError(`TRPO.learn: options.callback: expected a function, a BaseCallback or an array of BaseCallbacks, got ${v.describe(cb)}`);
  }
  const tbLogName = lo.tbLogName ?? 'TRPO';
  if (typeof tbLogName !== 'string' || !/^[\w.-]+$/.test(tbLogName)) {
    throw new TypeError(`TRPO.learn: options.tbLogName: expected a run name of letters, digits, '_', '.', '-', got ${v.describe(tbLogName)}`);
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
    callback: typeof cb === 'function' ? (cb as TRPOCallback) : undefined,
    hooks: cb instanceof BaseCallback ? cb : Array.isArray(cb) ? new CallbackList(cb as BaseCallback[]) : null,
    tbLogName,
    progressBar: (lo.progressBar as boolean | undefined) ?? false,
    logger: lg as string | TRPOLogger | undefined,
    resetNumTimesteps: (lo.resetNumTimesteps as boolean | undefined) ?? true,
  };
}
