/** EvalCallback: evaluate periodically on a separate env, keep the best model (SB3's). */
import { mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VecNormalize } from '../envs/vector/normalize.js';
import type { VecEnv } from '../envs/vector/vec-env.js';
import { checkVecEnv } from '../trpo/env-state.js';
import { evaluatePolicy } from '../trpo/evaluate.js';
import { writeNpz } from '../logging/npz.js';
import * as v from '../validate.js';
import { BaseCallback, type HookResult, type MaybePromise } from './base.js';
import { EventCallback } from './event.js';

/** Options of EvalCallback (SB3's arguments, camelCase); all optional. */
export interface EvalCallbackOptions {
  /** Evaluate every evalFreq onStep calls, i.e. every evalFreq steps of each training env (evalFreq x numEnvs timesteps), as SB3 (default 10000). */
  evalFreq?: number;
  /** Episodes per evaluation (default 5). */
  nEvalEpisodes?: number;
  /** Deterministic actions (default true). */
  deterministic?: boolean;
  /** Directory where `best_model.trpo.json` is saved whenever the mean reward improves (default: not saved). */
  bestModelSavePath?: string | null;
  /**
   * Directory where, after every evaluation, `evaluations.npz` (SB3's: arrays timesteps, results,
   * ep_lengths) and `evaluations.json` (the same as JSON) are written (default: none).
   */
  logPath?: string | null;
  /** Called (its onStep) when a new best mean reward is reached; returning false stops training (e.g. StopTrainingOnRewardThreshold). */
  callbackOnNewBest?: BaseCallback | null;
  /** Called (its onStep) after every evaluation; returning false stops training (e.g. StopTrainingOnNoModelImprovement). */
  callbackAfterEval?: BaseCallback | null;
  /** 1 (default) prints each evaluation's result and new bests, 0 is silent. */
  verbose?: number;
}

/**
 * SB3's sync_envs_normalization: copy the training env's VecNormalize statistics (observation and
 * return statistics, clipping, epsilon) into the eval env's VecNormalize and freeze it
 * (training = false). Returns the env to evaluate on: `evalEnv` itself, or — when the training
 * env normalizes and `evalEnv` is not a VecNormalize — `evalEnv` wrapped in a new frozen
 * VecNormalize (rewards unscaled; evaluatePolicy reports the true returns anyway).
 */
export function syncEnvsNormalization(trainingEnv: VecEnv, evalEnv: VecEnv): VecEnv {
  if (!(trainingEnv instanceof VecNormalize)) return evalEnv;
  const target = evalEnv instanceof VecNormalize ? evalEnv : new VecNormalize(evalEnv, { training: false, normReward: false });
  const { returns: _trainingReturns, ...statistics } = trainingEnv.getState();
  target.setState({ ...statistics, normReward: target.normReward, returns: null });
  target.training = false;
  return target;
}

/**
 * Every `evalFreq` calls: sync the normalization statistics into the eval env, run
 * `nEvalEpisodes` episodes with evaluatePolicy, record `eval/mean_reward`,
 * `eval/mean_ep_length` (and `time/total_timesteps`) in the model's logger and dump it; when
 * the mean reward beats the best so far, save `best_model.trpo.json` and call
 * `callbackOnNewBest`; then `callbackAfterEval`. Either returning false stops training.
 * The evaluation runs between two rollout steps with the policy of the last complete update (the
 * one acting); the saved best model is that policy (see CheckpointCallback on saves in a rollout).
 *
 * ```ts
 * const evalCallback = new EvalCallback(await makeVecEnv('CartPole-v1', { nEnvs: 1, seed: 100 }), {
 *   evalFreq: 1024, nEvalEpisodes: 10, bestModelSavePath: 'runs/cartpole',
 *   callbackOnNewBest: new StopTrainingOnRewardThreshold({ rewardThreshold: 500 }),
 * });
 * await model.learn({ totalTimesteps: 100_000, callback: evalCallback });
 * ```
 */
export class EvalCallback extends EventCallback {
  /** Evaluate every this many onStep calls (steps of each training env). */
  readonly evalFreq: number;
  /** Episodes per evaluation. */
  readonly nEvalEpisodes: number;
  /** Whether evaluations use the policy's mode. */
  readonly deterministic: boolean;
  /** Directory of best_model.trpo.json, or null (not saved). */
  readonly bestModelSavePath: string | null;
  /** Directory of evaluations.npz / evaluations.json, or null (not written). */
  readonly logPath: string | null;
  /** The callback run after every evaluation, or null. */
  readonly callbackAfterEval: BaseCallback | null;
  /** The best mean evaluation reward so far (-Infinity before the first evaluation). */
  bestMeanReward = -Infinity;
  /** The mean reward of the latest evaluation (-Infinity before the first). */
  lastMeanReward = -Infinity;
  /** The env evaluated on (evalEnv, or its frozen VecNormalize wrapper after the first sync). */
  evalEnv: VecEnv;
  /** One entry per evaluation, as SB3's evaluations.npz. */
  readonly evaluations: {
    /** The model's numTimesteps at each evaluation. */
    timesteps: number[];
    /** The episode returns of each evaluation (nEvalEpisodes each). */
    results: number[][];
    /** The episode lengths of each evaluation. */
    epLengths: number[][];
  } = { timesteps: [], results: [], epLengths: [] };

  /**
   * @param evalEnv The env to evaluate on (separate from the training env; same spaces).
   * @throws TypeError/RangeError naming the option for a bad value or an unknown key; TypeError when evalEnv is not a vector env.
   */
  constructor(evalEnv: VecEnv, options: EvalCallbackOptions = {}) {
    const o = v.object(options, 'EvalCallback: options');
    v.knownKeys(o, ['evalFreq', 'nEvalEpisodes', 'deterministic', 'bestModelSavePath', 'logPath', 'callbackOnNewBest', 'callbackAfterEval', 'verbose'], 'EvalCallback: options');
    const onNewBest = (o.callbackOnNewBest ?? null) as BaseCallback | null;
    if (onNewBest !== null && !(onNewBest instanceof BaseCallback)) throw new TypeError(`EvalCallback: options.callbackOnNewBest: expected a BaseCallback, got ${v.describe(onNewBest)}`);
    super(onNewBest, (o.verbose as number | undefined) ?? 1);
    this.evalEnv = checkVecEnv(evalEnv, 'EvalCallback');
    this.evalFreq = v.positiveInteger(o.evalFreq ?? 10000, 'EvalCallback: options.evalFreq');
    this.nEvalEpisodes = v.positiveInteger(o.nEvalEpisodes ?? 5, 'EvalCallback: options.nEvalEpisodes');
    const det = o.deterministic ?? true;
    if (typeof det !== 'boolean') throw new TypeError(`EvalCallback: options.deterministic: expected a boolean, got ${v.describe(det)}`);
    this.deterministic = det;
    for (const k of ['bestModelSavePath', 'logPath'] as const) {
      const p = o[k];
      if (p !== undefined && p !== null && (typeof p !== 'string' || p.length === 0)) throw new TypeError(`EvalCallback: options.${k}: expected a directory path or null, got ${v.describe(p)}`);
    }
    this.bestModelSavePath = (o.bestModelSavePath as string | null | undefined) ?? null;
    this.logPath = (o.logPath as string | null | undefined) ?? null;
    const after = (o.callbackAfterEval ?? null) as BaseCallback | null;
    if (after !== null && !(after instanceof BaseCallback)) throw new TypeError(`EvalCallback: options.callbackAfterEval: expected a BaseCallback, got ${v.describe(after)}`);
    this.callbackAfterEval = after;
    if (after) after.parent = this;
  }

  /** Where the best model is saved (null without bestModelSavePath). */
  get bestModelPath(): string | null {
    return this.bestModelSavePath && join(this.bestModelSavePath, 'best_model.trpo.json');
  }

  /**
   * Checks that the eval env's spaces match the model's and creates the output directories.
   * @throws TypeError when the spaces differ.
   */
  protected override initCallback(): void {
    const m = this.model!;
    if (String(this.evalEnv.observationSpace) !== String(m.observationSpace) || String(this.evalEnv.actionSpace) !== String(m.actionSpace)) {
      throw new TypeError(`EvalCallback: the eval env's spaces ${String(this.evalEnv.observationSpace)} / ${String(this.evalEnv.actionSpace)} do not match the model's ${String(m.observationSpace)} / ${String(m.actionSpace)}`);
    }
    if (this.bestModelSavePath) mkdirSync(this.bestModelSavePath, { recursive: true });
    if (this.logPath) mkdirSync(this.logPath, { recursive: true });
    this.callbackAfterEval?.init(m);
  }

  protected override onStep(): MaybePromise<HookResult> {
    if (this.nCalls % this.evalFreq !== 0) return true;
    return this.evaluate();
  }

  private async writeEvaluations(dir: string): Promise<void> {
    const e = this.evaluations;
    const rows = e.timesteps.length;
    await writeFile(join(dir, 'evaluations.json'), JSON.stringify(e));
    await writeNpz(join(dir, 'evaluations.npz'), {
      timesteps: { dtype: '<i8', shape: [rows], data: e.timesteps },
      results: { dtype: '<f8', shape: [rows, this.nEvalEpisodes], data: e.results.flat() },
      ep_lengths: { dtype: '<i8', shape: [rows, this.nEvalEpisodes], data: e.epLengths.flat() },
    });
  }

  /** One evaluation (what onStep does every evalFreq calls); resolves to "continue training?". */
  async evaluate(): Promise<boolean> {
    const model = this.model!;
    this.evalEnv = syncEnvsNormalization(this.trainingEnv, this.evalEnv);
    const r = await evaluatePolicy(model, this.evalEnv, { nEvalEpisodes: this.nEvalEpisodes, deterministic: this.deterministic });
    const meanLength = r.episodeLengths.reduce((a, b) => a + b, 0) / r.episodeLengths.length;
    const stdLength = Math.sqrt(r.episodeLengths.reduce((a, b) => a + (b - meanLength) ** 2, 0) / r.episodeLengths.length);
    this.lastMeanReward = r.meanReward;
    this.evaluations.timesteps.push(this.numTimesteps);
    this.evaluations.results.push(r.episodeRewards);
    this.evaluations.epLengths.push(r.episodeLengths);
    if (this.logPath) await this.writeEvaluations(this.logPath);
    if (this.verbose >= 1) {
      console.log(`Eval num_timesteps=${this.numTimesteps}, episode_reward=${r.meanReward.toFixed(2)} +/- ${r.stdReward.toFixed(2)}`);
      console.log(`Episode length: ${meanLength.toFixed(2)} +/- ${stdLength.toFixed(2)}`);
    }
    const logger = this.logger;
    if (logger) {
      logger.record('eval/mean_reward', r.meanReward);
      logger.record('eval/mean_ep_length', meanLength);
      logger.record('time/total_timesteps', this.numTimesteps, 'tensorboard');
      logger.dump(this.numTimesteps);
    }
    let keepOn = true;
    if (r.meanReward > this.bestMeanReward) {
      if (this.verbose >= 1) console.log('New best mean reward!');
      const path = this.bestModelPath;
      if (path) await model.save(path);
      this.bestMeanReward = r.meanReward;
      keepOn = await this.onEvent();
    }
    if (this.callbackAfterEval) keepOn = (await this.callbackAfterEval.runStep()) && keepOn;
    return keepOn;
  }
}
