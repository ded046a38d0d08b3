/**
 * What a rollout job and its result carry (the metadata of their frames, see codec.ts). A job is
 * complete: env, networks, normalization statistics, the slots' states and the sampling noise,
 * so any worker can run it and running it twice gives the same result.
 */
import { readFileSync } from 'node:fs';
import type { RunningMeanStdState } from '../envs/vector/running-mean-std.js';
import type { VecNormalizeState } from '../envs/vector/normalize.js';
import type { VecEpisodeState } from '../envs/vector/sync.js';

/** Version of the job/result layout (bumped on any change of the fields below). */
export const PROTOCOL_VERSION = 1;
/** The BullMQ queue of rollout jobs (option `queue` to run several learners on one Redis). */
export const DEFAULT_QUEUE = 'trpo-rollouts';

let version: string | null = null;
/** This package's version; workers refuse jobs of learners with another one. */
export function packageVersion(): string {
  version ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return version;
}

/** How a worker builds the env of every slot (see EnvSource / makeVecEnv's options). */
export interface EnvSpec {
  id?: string;
  modulePath?: string;
  exportName?: string;
  envOptions?: Record<string, unknown>;
  maxEpisodeSteps?: number | null;
}

/** The metadata of a job's frame; its arrays: policy, value (float64 parameters), noise, lastObs. */
export interface RolloutJobMeta {
  protocol: number;
  packageVersion: string;
  env: EnvSpec;
  /** `toJSON()` of the spaces, checked against the env the worker builds. */
  observationSpace: unknown;
  actionSpace: unknown;
  network: {
    kind: 'gaussian' | 'categorical';
    policyHidden: number[];
    valueHidden: number[];
    backend: 'native' | 'js';
    dtype: 'float32' | 'float64';
  };
  nSteps: number;
  /** All slots of the learner; this job's are [slotStart, slotStart + slotCount). */
  nEnvs: number;
  slotStart: number;
  slotCount: number;
  /** Evaluate the networks on nEnvs rows with this job's slots at their rows (bit-identical to local training). */
  exact: boolean;
  /** Each slot's env getState(). */
  envStates: unknown[];
  /** The slots' running episode returns and lengths. */
  episodeState: VecEpisodeState;
  /** The VecNormalize statistics, frozen for the segment (null without VecNormalize). */
  normalization: VecNormalizeState | null;
  update: number;
  segment: number;
}

/** An episode that ended in a segment: at step t, in slot `slot` (global index). */
export interface EpisodeRecord {
  t: number;
  slot: number;
  r: number;
  l: number;
}

/**
 * The metadata of a result's frame; its arrays: obs, actions, logProbs, values, rewards,
 * terminated, truncated, finalValues, hasFinal (nSteps x slotCount, time-major), lastObs
 * (policy input), lastValues, rawLastObs (the env's raw observations after the last step).
 */
export interface RolloutResultMeta {
  protocol: number;
  envStates: unknown[];
  episodeState: VecEpisodeState;
  episodes: EpisodeRecord[];
  /** The segment's own statistics of raw observations and discounted returns (null without VecNormalize). */
  statistics: { obs: RunningMeanStdState | null; ret: RunningMeanStdState; returns: number[] } | null;
  worker: string;
  seconds: number;
}
