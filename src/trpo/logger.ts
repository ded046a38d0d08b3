/** Per-update training statistics, the callback type and the JSON-lines logger. */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * What the callback and the logger receive after every update (one rollout + one policy step +
 * the critic fit). Episode statistics are over the last `statsWindowSize` (default 100) finished
 * episodes, of the true (unnormalized) returns reported by the vector env in `infos[i].episode`;
 * they are null until an episode has finished.
 */
export interface TRPOUpdateInfo {
  /** Number of updates made by this model so far (1 for the first). */
  update: number;
  /** Environment steps taken so far (all envs). */
  timesteps: number;
  /** Episodes in the statistics window. */
  episodes: number;
  /** Episodes finished during this update's rollout. */
  rolloutEpisodes: number;
  /** Mean of the window's episode returns (null before the first finished episode). */
  epReturnMean: number | null;
  /** 10th percentile of the window's returns (linear interpolation, as numpy). */
  epReturnP10: number | null;
  /** 90th percentile of the window's returns (linear interpolation, as numpy). */
  epReturnP90: number | null;
  /** Mean length (steps) of the window's episodes. */
  epLengthMean: number | null;
  /** The trust-region radius delta of this update's step (options.targetKl, or the adaptive trust region's; optional in rows of older metrics files). */
  targetKl?: number;
  /** Mean KL(pi_old || pi_new) of the accepted step (0 when the line search failed). */
  kl: number;
  /** Fraction of the maximal step taken (0 when the line search failed). */
  stepFraction: number;
  /** Line-search shrinks before acceptance. */
  backtracks: number;
  /** Whether the line search accepted a step. */
  accepted: boolean;
  /** Surrogate objective after minus before the step. */
  surrogateImprovement: number;
  /** Surrogate objective at the old parameters (sb3-contrib's train/policy_objective); always set by learn, optional in rows of older metrics files. */
  surrogateBefore?: number;
  /** Fisher-vector products made by conjugate gradient in this update. */
  cgIterations: number;
  /** Final residual r·r of conjugate gradient. */
  cgResidual: number;
  /** Critic mean squared error on the batch after the fit. */
  valueLoss: number;
  /** Critic mean squared error on the batch before the fit. */
  valueLossBefore: number;
  /** 1 - Var(returns - V) / Var(returns) of the rollout's value predictions (NaN if Var(returns) = 0). */
  explainedVariance: number;
  /** Mean of exp(log_std) over the Gaussian policy's log_std entries (with gSDE, the std parameters of the noise matrix); null for non-Box actions. */
  policyStd: number | null;
  /** Mean entropy of the updated policy over the batch's observations. */
  entropy: number;
  /** Environment steps per second since `learn` started. */
  fps: number;
  /** Seconds spent in this update's rollout. */
  rolloutSeconds: number;
  /** Seconds spent in this update's policy step and critic fit. */
  updateSeconds: number;
  /** Seconds since `learn` started. */
  elapsedSeconds: number;
}

/** Receives every update's statistics; `close` is called when `learn` ends. */
export interface TRPOLogger {
  /** Receives one update's statistics. */
  log(info: TRPOUpdateInfo): void;
  /** Flushes and releases the destination (called once, when learn ends). */
  close?(): void;
}

/**
 * Appends one JSON object per update to a file (JSON Lines). Non-finite numbers are written as
 * null. The directory is created if needed; the file is appended to, not truncated.
 */
export class JsonLinesLogger implements TRPOLogger {
  private fd: number | null;

  /**
   * @param path The JSON-lines file to append to; its directory is created.
   * @throws TypeError when path is not a non-empty string.
   */
  constructor(readonly path: string) {
    if (typeof path !== 'string' || path.length === 0) throw new TypeError(`JsonLinesLogger: path: expected a file path, got ${String(path)}`);
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'a');
  }

  /**
   * Appends `info` as one JSON line (synchronously).
   * @throws Error when the logger is closed.
   */
  log(info: TRPOUpdateInfo): void {
    if (this.fd === null) throw new Error(`JsonLinesLogger(${this.path}): the logger is closed`);
    writeSync(this.fd, `${JSON.stringify(info)}\n`);
  }

  /** Closes the file; later log() calls throw. Idempotent. */
  close(): void {
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
    }
  }
}

export { quantileSorted } from './episode-window.js';
