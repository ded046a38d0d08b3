import type { EnvFactory } from '../factory.js';
import { isModuleRef, loadEnvFactory, sourceName, type EnvModuleRef } from './env-source.js';
import { VecNormalize, type VecNormalizeOptions } from './normalize.js';
import { SyncVectorEnv } from './sync.js';
import type { VecEnv } from './vec-env.js';
import { WorkerVectorEnv } from './worker.js';

/** Options of `makeVecEnv`. */
export interface MakeVecEnvOptions {
  /** Number of envs (default 1). */
  nEnvs?: number;
  /** Seed for the first `reset()` that gives none: env i gets seed + i. */
  seed?: number;
  /** Wrap in `VecNormalize` (true for its defaults, as SB3: observations and rewards; or its options). Default false. */
  normalize?: boolean | VecNormalizeOptions;
  /** Step the envs in worker threads: true (one per core, at most nEnvs) or a thread count. Default false. */
  workers?: boolean | number;
  /** With workers: a reset()/step() not answered within this many ms terminates its worker and rejects (default: no limit). */
  stepTimeoutMs?: number;
  /** Passed to each env's constructor/factory. */
  envOptions?: Record<string, unknown>;
  /** Time limit override (ids default to the registered one; `null` removes it). */
  maxEpisodeSteps?: number | null;
}

/**
 * Build a vector env of `nEnvs` copies of an env named by registered id, `{ modulePath,
 * exportName }` or (without workers) a factory/class: a `SyncVectorEnv`, or a `WorkerVectorEnv`
 * when `workers` is set, optionally wrapped in `VecNormalize`. Each env gets its time limit and
 * an `EnvGuard`; `infos[i].episode` carries raw returns even under normalization.
 * @throws RangeError (as a rejection) when nEnvs is not a positive integer; TypeError for a
 * non-integer seed or a factory function with workers; the env's own errors, naming the env.
 * @example
 * ```ts
 * const env = await makeVecEnv('Hopper-v5', { nEnvs: 2, seed: 0, workers: 2, normalize: { normObs: true, normReward: true } });
 * const obs = await env.reset();                      // 2 × 11 values
 * const { rewards, terminated, truncated } = await env.step(new Float64Array(2 * 3));
 * await env.close();
 * ```
 */
export async function makeVecEnv(env: string | EnvModuleRef | EnvFactory, options: MakeVecEnvOptions = {}): Promise<VecEnv> {
  const nEnvs = options.nEnvs ?? 1;
  if (!Number.isInteger(nEnvs) || nEnvs <= 0) throw new RangeError(`makeVecEnv(${sourceName(env)}): nEnvs must be a positive integer, got ${String(nEnvs)}`);
  if (options.seed !== undefined && !Number.isInteger(options.seed)) throw new TypeError(`makeVecEnv(${sourceName(env)}): seed must be an integer, got ${String(options.seed)}`);
  const build = { envOptions: options.envOptions, maxEpisodeSteps: options.maxEpisodeSteps };
  let venv: VecEnv;
  if (options.workers !== undefined && options.workers !== false) {
    if (typeof env !== 'string' && !isModuleRef(env)) {
      throw new TypeError(`makeVecEnv: with workers, name the env by registered id or { modulePath, exportName } (a factory function cannot be sent to a worker thread)`);
    }
    const workers = options.workers === true ? undefined : options.workers;
    venv = await WorkerVectorEnv.create(env, { ...build, nEnvs, workers, seed: options.seed, stepTimeoutMs: options.stepTimeoutMs });
  } else {
    const factory = await loadEnvFactory(env, build);
    venv = new SyncVectorEnv(Array.from({ length: nEnvs }, () => factory), { seed: options.seed });
  }
  if (options.normalize) venv = new VecNormalize(venv, options.normalize === true ? {} : options.normalize);
  return venv;
}
