/**
 * One trial of `trpo tune`: train on the env with the trial's settings for the budget, evaluating
 * nEvaluations times on the way (an EvalCallback, as RL-Zoo's TrialEvalCallback); after each
 * evaluation the study decides (the median pruner) whether the trial stops. The trial's value is
 * its last evaluation's mean return; it ends there (at about the budget). Runs in the main
 * thread or in a worker thread (worker.ts); the settings and the result are plain JSON.
 */
import { BaseCallback, type HookResult } from '../../callbacks/base.js';
import { EvalCallback } from '../../callbacks/eval.js';
import type { EnvModuleRef } from '../../envs/vector/env-source.js';
import { makeVecEnv } from '../../envs/vector/make-vec-env.js';
import type { VecNormalizeOptions } from '../../envs/vector/normalize.js';
import type { VecEnv } from '../../envs/vector/vec-env.js';
import { TRPO } from '../../trpo/trpo.js';
import type { BackendChoice } from '../../backend.js';
import { StepSeededVecEnv } from '../eval-env.js';
import { trialOptions, type TrialParams } from './space.js';

export interface TrialSpec {
  number: number;
  /** A registered env id, or a user's env module (imported by each worker thread). */
  env: string | EnvModuleRef;
  params: TrialParams;
  nEnvs: number;
  normalize: false | VecNormalizeOptions;
  timesteps: number;
  nEvaluations: number;
  evalEpisodes: number;
  seed: number;
  backend?: BackendChoice;
}

export interface TrialResult {
  number: number;
  state: 'complete' | 'pruned' | 'failed';
  /** The last evaluation's mean return (RL-Zoo's objective); NaN when the trial failed before one. */
  value: number;
  /** Mean return of each evaluation, by step (1, 2, ...), and the timesteps it was made at. */
  intermediate: [number, number][];
  evalTimesteps: number[];
  timesteps: number;
  seconds: number;
  error?: string;
}

/** Asks the study after evaluation `step` (1-based) with its mean return; resolves to true to prune. */
export type PruneQuery = (step: number, value: number) => Promise<boolean>;

/** After every evaluation: report it, and stop training when the study prunes the trial. */
class ReportToStudy extends BaseCallback {
  step = 0;
  pruned = false;
  readonly intermediate: [number, number][] = [];
  readonly evalTimesteps: number[] = [];

  constructor(private readonly ask: PruneQuery, private readonly nEvaluations: number) {
    super(0);
  }

  protected override async onStep(): Promise<HookResult> {
    const evalCb = this.parent as EvalCallback;
    this.step += 1;
    const value = evalCb.lastMeanReward;
    this.intermediate.push([this.step, value]);
    this.evalTimesteps.push(this.numTimesteps);
    this.pruned = await this.ask(this.step, value);
    // The trial ends at its last evaluation (a rollout longer than the budget is not run on past it).
    return !this.pruned && this.step < this.nEvaluations;
  }
}

/** Evaluations every `floor(timesteps / (nEvaluations x nEnvs))` steps per env (at least 1), as RL-Zoo. */
export function evalFreqOf(spec: Pick<TrialSpec, 'timesteps' | 'nEvaluations' | 'nEnvs'>): number {
  return Math.max(1, Math.floor(spec.timesteps / (spec.nEvaluations * spec.nEnvs)));
}

export async function runTrial(spec: TrialSpec, ask: PruneQuery): Promise<TrialResult> {
  const t0 = performance.now();
  const options = { ...trialOptions(spec.params), seed: spec.seed, ...(spec.backend ? { backend: spec.backend } : {}) };
  const normalize = spec.normalize === false ? false : { ...spec.normalize, gamma: spec.normalize.gamma ?? spec.params.gamma };
  let env: VecEnv | null = null;
  let evalEnv: VecEnv | null = null;
  const report = new ReportToStudy(ask, spec.nEvaluations);
  let model: TRPO | null = null;
  try {
    env = await makeVecEnv(spec.env, { nEnvs: spec.nEnvs, normalize });
    const m = new TRPO('MlpPolicy', env, options);
    model = m;
    evalEnv = new StepSeededVecEnv(await makeVecEnv(spec.env, { nEnvs: 1 }), spec.seed + 1000, () => m.numTimesteps);
    const evalCb = new EvalCallback(evalEnv, { evalFreq: evalFreqOf(spec), nEvalEpisodes: spec.evalEpisodes, deterministic: true, callbackAfterEval: report, verbose: 0 });
    await m.learn({ totalTimesteps: spec.timesteps, callback: evalCb });
    const last = report.intermediate.at(-1)?.[1] ?? Number.NaN;
    const failed = Number.isNaN(last);
    return {
      number: spec.number, state: report.pruned ? 'pruned' : failed ? 'failed' : 'complete', value: last,
      intermediate: report.intermediate, evalTimesteps: report.evalTimesteps, timesteps: m.numTimesteps, seconds: (performance.now() - t0) / 1000,
      ...(failed && !report.pruned ? { error: 'no evaluation was made' } : {}),
    };
  } catch (e) {
    // RL-Zoo prunes trials that diverge (NaN); here they are marked failed with the reason.
    return {
      number: spec.number, state: 'failed', value: Number.NaN, intermediate: report.intermediate, evalTimesteps: report.evalTimesteps,
      timesteps: model?.numTimesteps ?? 0, seconds: (performance.now() - t0) / 1000, error: (e as Error).message,
    };
  } finally {
    await evalEnv?.close();
    await env?.close();
  }
}
