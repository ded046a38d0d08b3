import type { SpaceJSON } from '../spaces.js';
import type { EnvBuildOptions, EnvModuleRef } from './env-source.js';
import type { VecResetArgs, VecRunningEpisodes, VecStepResult } from './vec-env.js';

/** Data a worker starts with. */
export interface WorkerInit extends EnvBuildOptions {
  source: string | EnvModuleRef;
  /** Global index of the worker's first env. */
  offset: number;
  count: number;
}

export type ToWorker =
  | { type: 'reset'; id: number; args: VecResetArgs }
  | { type: 'step'; id: number; actions: Float64Array }
  | { type: 'getRunningEpisodes'; id: number }
  | { type: 'setRunningEpisodes'; id: number; state: VecRunningEpisodes }
  | { type: 'close'; id: number };

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
}

export type FromWorker =
  | { type: 'ready'; observationSpace: SpaceJSON; actionSpace: SpaceJSON }
  | { type: 'init-error'; error: SerializedError }
  | { type: 'result'; id: number; value: Float64Array | VecStepResult | VecRunningEpisodes | null }
  | { type: 'error'; id: number; error: SerializedError };

export function serializeError(e: unknown): SerializedError {
  if (e instanceof Error) return { name: e.name, message: e.message, stack: e.stack };
  return { name: 'Error', message: String(e) };
}

/** Rebuild an error, keeping TypeError/RangeError classes. */
export function deserializeError(s: SerializedError, prefix = '', suffix = ''): Error {
  const msg = prefix + s.message + suffix;
  const e = s.name === 'TypeError' ? new TypeError(msg) : s.name === 'RangeError' ? new RangeError(msg) : new Error(msg);
  if (s.stack) e.stack = `${e.name}: ${msg}\n    [in worker] ${s.stack.split('\n').slice(1).join('\n')}`;
  return e;
}
