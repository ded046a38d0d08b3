/** The evaluation envs of `trpo train`: the final evaluation's, and the EvalCallback's, whose resets are seeded by the training step. */
import { makeVecEnv } from '../envs/vector/make-vec-env.js';
import type { EnvSource } from '../envs/vector/env-source.js';
import { VecNormalize } from '../envs/vector/normalize.js';
import type { VecEnv, VecResetArgs, VecStepResult } from '../envs/vector/vec-env.js';
import type { TRPO } from '../trpo/trpo.js';

/**
 * `nEnvs` copies of the env seeded seed + i and, for a model trained on normalized observations,
 * a frozen VecNormalize with the model's statistics (rewards unscaled) — as makeEvalEnv, for any
 * env source (a registered id or an env module).
 */
export async function makeEvalEnvFor(source: EnvSource, model: TRPO, options: { nEnvs?: number; seed?: number } = {}): Promise<VecEnv> {
  const env = await makeVecEnv(source, { nEnvs: options.nEnvs ?? 1, seed: options.seed });
  const state = model.normalizationState();
  if (!model.normalized || !state) return env;
  const vn = new VecNormalize(env, { training: false, normReward: false });
  vn.setState({ ...state, normReward: false });
  return vn;
}

/**
 * A vector env whose resets without a seed are seeded `seed + step()` (env i: + i). The
 * EvalCallback resets its env before every evaluation; seeding that reset by the training step
 * makes each evaluation a function of the policy and the step only, so a resumed run evaluates
 * exactly as the uninterrupted one.
 */
export class StepSeededVecEnv implements VecEnv {
  constructor(readonly venv: VecEnv, readonly seed: number, private readonly step_: () => number) {}

  get numEnvs(): number { return this.venv.numEnvs; }
  get observationSpace(): VecEnv['observationSpace'] { return this.venv.observationSpace; }
  get actionSpace(): VecEnv['actionSpace'] { return this.venv.actionSpace; }
  get obsDim(): number { return this.venv.obsDim; }
  get actDim(): number { return this.venv.actDim; }

  reset(args: VecResetArgs = {}): Promise<Float64Array> {
    return this.venv.reset(args.seed === undefined ? { ...args, seed: this.seed + this.step_() } : args);
  }

  step(actions: Float64Array): Promise<VecStepResult> {
    return this.venv.step(actions);
  }

  close(): Promise<void> {
    return this.venv.close();
  }
}
