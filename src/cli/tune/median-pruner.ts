/**
 * Optuna's MedianPruner (defaults nStartupTrials 5, nWarmupSteps 0, nMinTrials 1), for a
 * maximized objective. At step s of a trial's intermediate evaluations it prunes when
 *  - at least nStartupTrials trials have completed (pruned and failed trials do not count),
 *  - s >= nWarmupSteps,
 *  - at least nMinTrials completed trials reported a value at step s, and
 *  - the trial's best value so far (over its steps up to s) is below the median of the completed
 *    trials' values at step s (NaN values ignored; a trial whose values are all NaN is pruned).
 */

export interface MedianPrunerOptions {
  nStartupTrials?: number;
  nWarmupSteps?: number;
  nMinTrials?: number;
}

/** What the pruner reads of a trial: its state and intermediate values by step. */
export interface PrunerTrial {
  state: 'running' | 'complete' | 'pruned' | 'failed';
  intermediate: ReadonlyMap<number, number>;
}

/** The median (numpy's percentile 50, linear interpolation) of the non-NaN values; NaN for none. */
export function median(values: readonly number[]): number {
  const xs = values.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (xs.length === 0) return Number.NaN;
  const mid = (xs.length - 1) / 2;
  const lo = Math.floor(mid);
  return xs[lo] + (xs[Math.ceil(mid)] - xs[lo]) * (mid - lo);
}

export class MedianPruner {
  readonly nStartupTrials: number;
  readonly nWarmupSteps: number;
  readonly nMinTrials: number;

  constructor(options: MedianPrunerOptions = {}) {
    this.nStartupTrials = options.nStartupTrials ?? 5;
    this.nWarmupSteps = options.nWarmupSteps ?? 0;
    this.nMinTrials = options.nMinTrials ?? 1;
    for (const [k, x, min] of [['nStartupTrials', this.nStartupTrials, 0], ['nWarmupSteps', this.nWarmupSteps, 0], ['nMinTrials', this.nMinTrials, 1]] as const) {
      if (!Number.isSafeInteger(x) || x < min) throw new RangeError(`MedianPruner: options.${k}: expected an integer >= ${min}, got ${String(x)}`);
    }
  }

  /** Whether `trial`, having reported its value at `step`, should stop; `trials` are all trials of the study (the trial itself may be among them). */
  shouldPrune(trial: PrunerTrial, step: number, trials: readonly PrunerTrial[]): boolean {
    const completed = trials.filter((t) => t !== trial && t.state === 'complete');
    if (completed.length === 0 || completed.length < this.nStartupTrials) return false;
    if (step < this.nWarmupSteps) return false;
    const own = [...trial.intermediate].filter(([s]) => s <= step).map(([, x]) => x).filter((x) => !Number.isNaN(x));
    if (own.length === 0) return true;
    const best = Math.max(...own);
    const atStep = completed.map((t) => t.intermediate.get(step)).filter((x): x is number => x !== undefined);
    if (atStep.length < this.nMinTrials) return false;
    const m = median(atStep);
    if (Number.isNaN(m)) return false;
    return best < m;
  }
}
