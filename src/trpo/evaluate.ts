/** evaluatePolicy: SB3's evaluate_policy for a TRPO model on a vector env. */
import { VecNormalizeBase } from '../envs/vector/normalize-base.js';
import { SyncVectorEnv } from '../envs/vector/sync.js';
import type { VecEnv } from '../envs/vector/vec-env.js';
import * as v from '../validate.js';
import type { TRPOTrainer } from './trainer.js';

/** Options of evaluatePolicy (SB3's evaluate_policy arguments, camelCase). */
export interface EvaluateOptions {
  /** Episodes to run (default 10), spread over the envs as SB3 does. */
  nEvalEpisodes?: number;
  /** Use the policy's mode (default true). */
  deterministic?: boolean;
  /** Reset seed (env i gets seed + i); default: the env's own stream. */
  seed?: number;
}

/** What evaluatePolicy measured. */
export interface EvaluateResult {
  /** Mean of the episode returns. */
  meanReward: number;
  /** Population standard deviation (numpy's np.std). */
  stdReward: number;
  /** The return of every evaluated episode, in the order they finished. */
  episodeRewards: number[];
  /** The length (steps) of every evaluated episode, in the same order. */
  episodeLengths: number[];
}

/**
 * Run `nEvalEpisodes` episodes of `model` on `env` and report the returns. Env i runs
 * floor((nEvalEpisodes + i) / numEnvs) episodes (SB3's split, avoiding a bias towards short
 * episodes). Returns are the true episode returns from `infos[i].episode` when the env reports
 * them (the built-in vector envs do, also under VecNormalize), else the sum of the step rewards.
 * The env is reset first. For a model trained with VecNormalize, pass an env whose VecNormalize
 * has the training statistics and `training = false`. Envs with Dict or Discrete observations work
 * as any other: their packed observation rows go to `model.predict`, which flattens them.
 * @throws TypeError/RangeError (as a rejection) naming the option (nEvalEpisodes a positive integer, deterministic a boolean, seed a safe integer).
 * @example
 * ```ts
 * const testEnv = await makeVecEnv('CartPole-v1', { nEnvs: 1, seed: 1000 });
 * const { meanReward, stdReward } = await evaluatePolicy(model, testEnv, { nEvalEpisodes: 20 });
 * ```
 */
export async function evaluatePolicy(model: TRPOTrainer, env: VecEnv, options: EvaluateOptions = {}): Promise<EvaluateResult> {
  const o = v.object(options, 'evaluatePolicy: options');
  v.knownKeys(o, ['nEvalEpisodes', 'deterministic', 'seed'], 'evaluatePolicy: options');
  const nEval = v.positiveInteger(o.nEvalEpisodes ?? 10, 'evaluatePolicy: options.nEvalEpisodes');
  const deterministic = o.deterministic ?? true;
  if (typeof deterministic !== 'boolean') throw new TypeError(`evaluatePolicy: options.deterministic: expected a boolean, got ${v.describe(deterministic)}`);
  if (o.seed !== undefined && (typeof o.seed !== 'number' || !Number.isSafeInteger(o.seed))) {
    throw new TypeError(`evaluatePolicy: options.seed: expected an integer, got ${v.describe(o.seed)}`);
  }
  if (typeof env !== 'object' || env === null || typeof env.step !== 'function') {
    throw new TypeError(`evaluatePolicy: env: expected a VecEnv, got ${v.describe(env)}`);
  }
  if (String(env.observationSpace) !== String(model.observationSpace) || String(env.actionSpace) !== String(model.actionSpace)) {
    throw new TypeError(`evaluatePolicy: the env's spaces ${String(env.observationSpace)} / ${String(env.actionSpace)} do not match the model's ${String(model.observationSpace)} / ${String(model.actionSpace)}`);
  }
  if (model.normalized && !(env instanceof VecNormalizeBase && env.normObs)) {
    throw new TypeError('evaluatePolicy: the model was trained on VecNormalize-normalized observations; evaluate on an env wrapped in VecNormalize with the training statistics and training = false (see makeEvalEnv)');
  }
  if (!model.normalized && env instanceof VecNormalizeBase && env.normObs) {
    throw new TypeError('evaluatePolicy: the env normalizes observations (VecNormalize) but the model was trained without normalization');
  }
  const n = env.numEnvs;
  const sync = env instanceof SyncVectorEnv ? env : null;
  const targets = Array.from({ length: n }, (_, i) => Math.floor((nEval + i) / n));
  const counts = new Array<number>(n).fill(0);
  const sums = new Float64Array(n);
  const lens = new Float64Array(n);
  const episodeRewards: number[] = [];
  const episodeLengths: number[] = [];
  const args = o.seed === undefined ? {} : { seed: o.seed as number };
  let obs = sync ? sync.resetSync(args) : await env.reset(args);
  while (counts.some((c, i) => c < targets[i])) {
    const actions = model.predict(obs, { deterministic });
    const r = sync ? sync.stepSync(actions) : await env.step(actions);
    for (let i = 0; i < n; i++) {
      sums[i] += r.rewards[i];
      lens[i] += 1;
      if (r.terminated[i] || r.truncated[i]) {
        if (counts[i] < targets[i]) {
          const ep = r.infos[i]?.episode;
          episodeRewards.push(ep ? ep.r : sums[i]);
          episodeLengths.push(ep ? ep.l : lens[i]);
          counts[i]++;
        }
        sums[i] = 0;
        lens[i] = 0;
      }
    }
    obs = r.observations;
  }
  const mean = episodeRewards.reduce((a, b) => a + b, 0) / episodeRewards.length;
  const std = Math.sqrt(episodeRewards.reduce((a, b) => a + (b - mean) ** 2, 0) / episodeRewards.length);
  return { meanReward: mean, stdReward: std, episodeRewards, episodeLengths };
}
