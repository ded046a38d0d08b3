/**
 * The TRPO trainer of the Node entry: ./trainer.ts's TRPOTrainer (rollouts, GAE, the policy step,
 * the critic fit), plus what needs Node: saving and loading the model (serialize.ts for the
 * format), JSON-lines log files, SB3's stdout table and TensorBoard event files, and the native
 * backend (registered by importing ../backend.ts).
 */
import '../backend.js';
import type { BackendChoice } from '../backend.js';
import { openRunLogger } from '../logging/configure.js';
import type { Logger } from '../logging/logger.js';
import type { LoggingOptions } from '../logging/options.js';
import type { VecEnv } from '../envs/vector/vec-env.js';
import * as v from '../validate.js';
import { captureEnvState, envIdOf, vecNormalizeOf } from './env-state.js';
import { JsonLinesLogger, type TRPOLogger } from './logger.js';
import type { LoadOptions, SaveOptions } from './method-options.js';
import { fieldError, modelPayload, readEnvState, readModelHeader, readModelState, type SavedModel } from './model-file.js';
import { readModelFile, serializeModel, writeFileAtomic } from './serialize.js';
import type { RolloutSource, RolloutsOption } from './rollout-source.js';
import { INTERNAL, TRPOTrainer } from './trainer.js';

export { INTERNAL, type InternalInit, type Snapshot, type TRPOConstructorOptions, type TRPOPolicy } from './trainer.js';

/**
 * Trust Region Policy Optimization.
 *
 * ```ts
 * const env = await makeVecEnv('CartPole-v1', { nEnvs: 2 });
 * const model = new TRPO('MlpPolicy', env, { nSteps: 512, seed: 1 });
 * await model.learn({ totalTimesteps: 100_000 });
 * const actions = model.predict(observations, { deterministic: true });
 * await model.save('cartpole.trpo.json');
 * ```
 */
export class TRPO extends TRPOTrainer {
  protected override async connectRollouts(options: RolloutsOption): Promise<RolloutSource> {
    const { RedisRollouts } = await import('../distributed/redis-rollouts.js');
    return RedisRollouts.connect(options);
  }

  protected override openFileLogger(path: string): TRPOLogger {
    return new JsonLinesLogger(path);
  }

  protected override openRunLogger(o: LoggingOptions & { tbLogName: string; resetNumTimesteps: boolean }): Logger | null {
    return openRunLogger(o);
  }

  /**
   * Save the model (see serialize.ts for the format). Atomic: a temporary file, then a rename.
   * Saved during an update (from a callback), it writes the model as after the last complete
   * update — the policy acting in the rollout — with the env state and generators of that moment,
   * so loading it and learning on continues exactly like the uninterrupted run.
   * @throws TypeError (as a rejection) for a bad path or option, or a learningRate given as a function (not savable; use 'linear:<initial>').
   */
  async save(path: string, options: SaveOptions = {}): Promise<void> {
    if (typeof this.options.learningRate === 'function') {
      throw new TypeError("TRPO.save: options.learningRate is a function, which a model file cannot hold; use a number or 'linear:<initial>'");
    }
    if (typeof path !== 'string' || path.length === 0) throw new TypeError(`TRPO.save: path: expected a file path, got ${v.describe(path)}`);
    const so = v.object(options, 'TRPO.save: options');
    v.knownKeys(so, ['includeEnvState'], 'TRPO.save: options');
    const text = serializeModel(modelPayload(await this.savedModel((so.includeEnvState as boolean | undefined) ?? true)));
    await writeFileAtomic(path, text);
  }

  /** Everything the model file holds (see model-file.ts): the live model, or during an update its snapshot. */
  private async savedModel(includeEnvState: boolean): Promise<SavedModel> {
    const s = this.busy ? this.updateSnapshot : null;
    if (s) {
      const live = await this.liveSavedModel(false);
      return {
        ...live,
        policy: s.policy, value: s.value, valueAdam: s.adam,
        rng: { sample: s.sampleRng, value: s.valueRng, predict: live.rng.predict },
        progress: { numTimesteps: s.numTimesteps, numUpdates: s.numUpdates, targetKl: s.currentTargetKl, episodeReturns: s.episodes.returns, episodeLengths: s.episodes.lengths },
        vecNormalize: s.vecNormalize ?? this.loadedVecNormalize,
        envState: includeEnvState ? s.envState : null,
      };
    }
    return this.liveSavedModel(includeEnvState);
  }

  private async liveSavedModel(includeEnvState: boolean): Promise<SavedModel> {
    const vn = vecNormalizeOf(this.envRef);
    const envState = includeEnvState ? (this.pendingEnvState ?? (this.lastObs && (await captureEnvState(this.envRef, this.lastObs)))) : null;
    const episodes = this.episodes.copy();
    return {
      options: this.options,
      backend: this.backend,
      envId: envIdOf(this.envRef),
      numEnvs: this.envRef?.numEnvs ?? null,
      observationSpace: this.observationSpace,
      actionSpace: this.actionSpace,
      normalized: this.normalized,
      policy: this.policy.getParameters(),
      value: this.valueFunction.getParameters(),
      valueAdam: this.valueFunction.getOptimizerState(),
      rng: { sample: this.sampleRng.getState(), value: this.valueFunction.rng.getState(), predict: this.predictRng.getState() },
      seeds: { base: this.baseSeed, pendingEnvSeed: this.pendingEnvSeed },
      progress: { numTimesteps: this.numTimesteps, numUpdates: this.numUpdates, targetKl: this.currentTargetKl, episodeReturns: episodes.returns, episodeLengths: episodes.lengths },
      vecNormalize: vn ? vn.getState() : this.loadedVecNormalize,
      envState,
    };
  }

  /**
   * Load a model saved by `save`. With `env`, training can continue: `learn({ resetNumTimesteps:
   * false })` restores the saved env state (a vector env with setRunningEpisodes, as SyncVectorEnv and WorkerVectorEnv, of envs with setState) and continues
   * exactly as if never stopped. Throws a ModelFileError for a truncated, corrupted or foreign
   * file, a TypeError for an env that does not match the model.
   */
  static async load(path: string, options: LoadOptions = {}): Promise<TRPO> {
    const lo = v.object(options, 'TRPO.load: options');
    v.knownKeys(lo, ['env', 'backend'], 'TRPO.load: options');
    const p = await readModelFile(path);
    const where = `TRPO.load(${JSON.stringify(path)})`;
    const h = readModelHeader(p, where, lo.backend as BackendChoice | undefined);
    const env = (lo.env ?? null) as VecEnv | null;
    const model = new TRPO('MlpPolicy', env, h.options, {
      token: INTERNAL, observationSpace: h.observationSpace, actionSpace: h.actionSpace, baseSeed: h.seeds.base, normalized: h.normalized,
      usesVecNormalize: h.vecNormalize !== null,
    });

    const s = readModelState(p, where, { policy: model.policy.numParameters, value: model.valueFunction.numParameters });
    model.policy.setParameters(s.policy);
    model.valueFunction.setParameters(s.value);
    model.valueFunction.setOptimizerState(s.valueAdam);
    model.sampleRng.setState(s.rng.sample);
    model.valueFunction.rng.setState(s.rng.value);
    model.predictRng.setState(s.rng.predict);
    model.pendingEnvSeed = h.seeds.pendingEnvSeed;
    model.numTimesteps = s.progress.numTimesteps;
    model.numUpdates = s.progress.numUpdates;
    model.currentTargetKl = s.progress.targetKl ?? model.options.targetKl;
    model.episodes.set([...s.progress.episodeReturns], [...s.progress.episodeLengths]);

    const bad = fieldError(where);
    if (h.normalized && h.vecNormalize === null) bad('vecNormalize', 'missing for a model trained on normalized observations');
    if (h.vecNormalize !== null) {
      const vn = vecNormalizeOf(env);
      if (vn) {
        try {
          vn.setState(h.vecNormalize);
        } catch (e) {
          bad('vecNormalize', (e as Error).message);
        }
      } else {
        model.loadedVecNormalize = h.vecNormalize;
      }
    }
    model.pendingEnvState = readEnvState(p, where, model.envObsDim);
    return model;
  }
}
