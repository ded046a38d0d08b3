/** The stop-training callbacks of SB3: on a reward threshold, on no improvement, after N episodes. */
import * as v from '../validate.js';
import { BaseCallback, type HookResult } from './base.js';
import type { EvalCallback } from './eval.js';

function evalParent(cb: BaseCallback, name: string): EvalCallback {
  const p = cb.parent as EvalCallback | null;
  if (!p || typeof (p as { bestMeanReward?: unknown }).bestMeanReward !== 'number') {
    throw new Error(`${name} must be used inside an EvalCallback (as callbackOnNewBest or callbackAfterEval)`);
  }
  return p;
}

/**
 * Stops training once the best mean evaluation reward reaches `rewardThreshold`. Use it as the
 * EvalCallback's `callbackOnNewBest` (SB3's StopTrainingOnRewardThreshold).
 */
export class StopTrainingOnRewardThreshold extends BaseCallback {
  /** Stop once the best mean evaluation reward is ≥ this. */
  readonly rewardThreshold: number;

  constructor(options: { rewardThreshold: number; verbose?: number }) {
    super(v.object(options, 'StopTrainingOnRewardThreshold: options').verbose as number | undefined ?? 0);
    v.knownKeys(options as unknown as Record<string, unknown>, ['rewardThreshold', 'verbose'], 'StopTrainingOnRewardThreshold: options');
    this.rewardThreshold = v.numberIn(options.rewardThreshold, 'StopTrainingOnRewardThreshold: options.rewardThreshold', -Infinity, Infinity);
  }

  override get needsStepCalls(): boolean {
    return false;
  }

  protected override onStep(): HookResult {
    const best = evalParent(this, 'StopTrainingOnRewardThreshold').bestMeanReward;
    const keepOn = best < this.rewardThreshold;
    if (!keepOn && this.verbose >= 1) {
      console.log(`Stopping training because the mean reward ${best.toFixed(2)} is above the threshold ${this.rewardThreshold}`);
    }
    return keepOn;
  }
}

/**
 * Stops training when the best mean evaluation reward has not improved for more than
 * `maxNoImprovementEvals` evaluations in a row, not before `minEvals` evaluations. Use it as the
 * EvalCallback's `callbackAfterEval` (SB3's StopTrainingOnNoModelImprovement).
 */
export class StopTrainingOnNoModelImprovement extends BaseCallback {
  /** Evaluations in a row without a new best after which training stops (≥ 0). */
  readonly maxNoImprovementEvals: number;
  /** Evaluations before the rule applies (default 0). */
  readonly minEvals: number;
  private lastBestMeanReward = -Infinity;
  /** Evaluations in a row without a new best so far. */
  noImprovementEvals = 0;

  constructor(options: { maxNoImprovementEvals: number; minEvals?: number; verbose?: number }) {
    super(v.object(options, 'StopTrainingOnNoModelImprovement: options').verbose as number | undefined ?? 0);
    v.knownKeys(options as unknown as Record<string, unknown>, ['maxNoImprovementEvals', 'minEvals', 'verbose'], 'StopTrainingOnNoModelImprovement: options');
    const n = options.maxNoImprovementEvals;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
      throw new RangeError(`StopTrainingOnNoModelImprovement: options.maxNoImprovementEvals: expected a non-negative integer, got ${v.describe(n)}`);
    }
    const m = options.minEvals ?? 0;
    if (typeof m !== 'number' || !Number.isSafeInteger(m) || m < 0) {
      throw new RangeError(`StopTrainingOnNoModelImprovement: options.minEvals: expected a non-negative integer, got ${v.describe(m)}`);
    }
    this.maxNoImprovementEvals = n;
    this.minEvals = m;
  }

  override get needsStepCalls(): boolean {
    return false;
  }

  protected override onStep(): HookResult {
    const best = evalParent(this, 'StopTrainingOnNoModelImprovement').bestMeanReward;
    let keepOn = true;
    if (this.nCalls > this.minEvals) {
      if (best > this.lastBestMeanReward) {
        this.noImprovementEvals = 0;
      } else {
        this.noImprovementEvals++;
        if (this.noImprovementEvals > this.maxNoImprovementEvals) keepOn = false;
      }
    }
    this.lastBestMeanReward = best;
    if (!keepOn && this.verbose >= 1) console.log(`Stopping training because there was no new best model in the last ${this.noImprovementEvals} evaluations`);
    return keepOn;
  }
}

/**
 * Stops training after `maxEpisodes` finished episodes per env (maxEpisodes x numEnvs in all), as
 * SB3's StopTrainingOnMaxEpisodes. The rollout in progress is abandoned (no update on it).
 */
export class StopTrainingOnMaxEpisodes extends BaseCallback {
  /** Finished episodes per env after which training stops (a positive integer). */
  readonly maxEpisodes: number;
  /** Episodes finished so far (all envs). */
  nEpisodes = 0;
  private totalMaxEpisodes = 0;

  constructor(options: { maxEpisodes: number; verbose?: number }) {
    super(v.object(options, 'StopTrainingOnMaxEpisodes: options').verbose as number | undefined ?? 0);
    v.knownKeys(options as unknown as Record<string, unknown>, ['maxEpisodes', 'verbose'], 'StopTrainingOnMaxEpisodes: options');
    this.maxEpisodes = v.positiveInteger(options.maxEpisodes, 'StopTrainingOnMaxEpisodes: options.maxEpisodes');
  }

  protected override initCallback(): void {
    this.totalMaxEpisodes = this.maxEpisodes * this.trainingEnv.numEnvs;
  }

  protected override onStep(): HookResult {
    const dones = this.locals.dones;
    if (!dones) throw new Error('StopTrainingOnMaxEpisodes: onStep called without the step locals (dones)');
    for (let i = 0; i < dones.length; i++) this.nEpisodes += dones[i];
    const keepOn = this.nEpisodes < this.totalMaxEpisodes;
    if (!keepOn && this.verbose >= 1) console.log(`Stopping training with a total of ${this.numTimesteps} steps because the max number of episodes (${this.totalMaxEpisodes}) was reached`);
    return keepOn;
  }
}
