/**
 * Where a rollout comes from when it is not collected in this process: a `RolloutSource` (for
 * example `RedisRollouts` of src/distributed/, BullMQ workers on other machines) fills the
 * trainer's buffer for one update. The trainer's env stays the authoritative holder of the env
 * slots' states: the source reads them from it and writes the slots' new states back after a
 * complete rollout (and only then, so a failed rollout leaves the env as it was).
 */
import type { RedisRolloutsOptions } from '../distributed/redis-rollouts.js';
import type { VecEnv } from '../envs/vector/vec-env.js';
import type { ResolvedTRPOOptions } from './options.js';
import type { RolloutActor, RolloutResult } from './rollout.js';
import type { RolloutBuffer } from './rollout-buffer.js';

/** Everything a rollout source gets for one update. */
export interface RolloutRequest {
  /** The trainer's env (its slots' states are read and written back). */
  env: VecEnv;
  /** The buffer to fill: nSteps × nEnvs transitions, with V(final observation) of truncations and the last values. */
  buf: RolloutBuffer;
  /** The observations the rollout starts from, as the env gives them (normalized under VecNormalize). */
  lastObs: Float64Array;
  /** The model's policy, critic and sampling generator (advance `rng` exactly as a local rollout would). */
  actor: RolloutActor;
  /** The model's hyperparameters (nSteps, sdeSampleFreq, ...). */
  options: ResolvedTRPOOptions;
  /** The number of the update this rollout is for (1-based). */
  update: number;
}

/** A rollout collector outside the trainer's process. */
export interface RolloutSource {
  /** Fill `req.buf` with one rollout of nSteps per env slot, exactly as `collectRollout` would. */
  collect(req: RolloutRequest): Promise<RolloutResult>;
  /** Release connections (called by the trainer for sources it created from options). */
  close(): Promise<void>;
}

/** TRPO's `rollouts` option: distributed rollouts on Redis (RedisRolloutsOptions of src/distributed/redis-rollouts.ts). */
export type RolloutsOption = RedisRolloutsOptions;

export function isRolloutSource(x: unknown): x is RolloutSource {
  return typeof x === 'object' && x !== null && typeof (x as RolloutSource).collect === 'function' && typeof (x as RolloutSource).close === 'function';
}
