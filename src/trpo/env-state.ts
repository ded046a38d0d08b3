/**
 * The trainer's view of its env: checking that a value is a usable vector env with the model's
 * spaces, and capturing / restoring the envs' running episodes so that a saved model continues
 * training exactly where it stopped.
 */
import { VecNormalizeBase } from '../envs/vector/normalize-base.js';
import { SyncVectorEnv } from '../envs/vector/sync.js';
import { hasRunningEpisodes, type RunningEpisodesSource, type VecEnv } from '../envs/vector/vec-env.js';
import { isLeafSpace, isObservationSpace, type ActionSpace, type ObservationSpace } from '../envs/spaces.js';
import { flatDim } from '../envs/flatten.js';
import * as v from '../validate.js';

/**
 * The running episodes of a vector env that implements RunningEpisodesSource (SyncVectorEnv,
 * WorkerVectorEnv; saved with the model as `envState`): each env's getState(), the running
 * episode returns and lengths, and the observations the next step acts on. Any such env restores
 * another's (`type` names the format, which the sync env introduced). The VecNormalize wrapper's
 * running returns are saved with its statistics (`vecNormalize`).
 */
export interface SavedEnvState {
  type: 'SyncVectorEnv';
  numEnvs: number;
  envs: unknown[];
  returns: number[] | null;
  lengths: number[] | null;
  lastObs: Float64Array;
}

/** The VecNormalize at the top of an env, if any. */
export function vecNormalizeOf(env: VecEnv | null): VecNormalizeBase | null {
  return env instanceof VecNormalizeBase ? env : null;
}

/** The vector env under a VecNormalize, or the env itself. */
function withoutNormalize(env: VecEnv | null): VecEnv | null {
  return env instanceof VecNormalizeBase ? env.venv : env;
}

/** The SyncVectorEnv of an env, itself or under its VecNormalize, if any. */
function innerSyncEnv(env: VecEnv | null): SyncVectorEnv | null {
  const inner = withoutNormalize(env);
  return inner instanceof SyncVectorEnv ? inner : null;
}

/** The vector env whose episodes can be saved (a SyncVectorEnv, a WorkerVectorEnv, any RunningEpisodesSource), itself or under its VecNormalize. */
function innerSavableEnv(env: VecEnv | null): (VecEnv & RunningEpisodesSource) | null {
  const inner = withoutNormalize(env);
  return hasRunningEpisodes(inner) ? inner : null;
}

/** Best-effort id of a vector env's envs (for the saved file). */
export function envIdOf(env: VecEnv | null): string | null {
  const id = innerSyncEnv(env)?.envs[0]?.id;
  return typeof id === 'string' ? id : null;
}

function describeSpace(s: unknown): string {
  return typeof s === 'object' && s !== null ? String(s) : v.describe(s);
}

/**
 * Throws a TypeError naming `where` unless `env` is a VecEnv TRPO can train on: observations of
 * a Box, Discrete, MultiDiscrete, MultiBinary or Dict space (the policy sees them flattened),
 * actions of a Box, Discrete, MultiDiscrete or MultiBinary space (the trainer checks that it has
 * a policy for the action space).
 */
export function checkVecEnv(env: unknown, where: string): VecEnv {
  const e = env as VecEnv;
  if (typeof env === 'string') {
    throw new TypeError(`${where}: env: expected a VecEnv, got the string ${JSON.stringify(env)} (create one with \`await makeVecEnv(${JSON.stringify(env)}, { nEnvs })\`)`);
  }
  if (typeof (env as { then?: unknown } | null)?.then === 'function') {
    throw new TypeError(`${where}: env: expected a VecEnv, got a Promise (makeVecEnv is async: pass \`await makeVecEnv(...)\`)`);
  }
  if (typeof e !== 'object' || e === null || typeof e.step !== 'function' || typeof e.reset !== 'function' ||
    !Number.isInteger(e.numEnvs) || e.numEnvs < 1) {
    throw new TypeError(`${where}: env: expected a VecEnv (numEnvs, observationSpace, actionSpace, reset, step), got ${v.describe(env)}`);
  }
  if (!isObservationSpace(e.observationSpace) || flatDim(e.observationSpace) < 1) {
    throw new TypeError(`${where}: env.observationSpace: MlpPolicy needs a non-empty Box, Discrete, MultiDiscrete, MultiBinary or Dict observation space, got ${describeSpace(e.observationSpace)}`);
  }
  if (!isLeafSpace(e.actionSpace)) {
    throw new TypeError(`${where}: env.actionSpace: TRPO supports Box, Discrete, MultiDiscrete and MultiBinary action spaces, got ${describeSpace(e.actionSpace)}`);
  }
  if (e.actionSpace.kind === 'box' && e.actionSpace.size < 1) throw new TypeError(`${where}: env.actionSpace: an empty Box`);
  return e;
}

/** What an env must match: the model's spaces and whether (and how) it was trained in a VecNormalize. */
export interface EnvRequirements {
  readonly observationSpace: ObservationSpace;
  readonly actionSpace: ActionSpace;
  readonly usesVecNormalize: boolean;
  readonly normalized: boolean;
}

function spaceKey(s: ObservationSpace): string {
  return JSON.stringify(s.toJSON());
}

/** Throws a TypeError naming `where` unless `env` is a VecEnv that fits a model with requirements `m`. */
export function checkEnvMatches(env: VecEnv, m: EnvRequirements, where: string): void {
  checkVecEnv(env, where);
  if (spaceKey(env.observationSpace) !== spaceKey(m.observationSpace)) {
    throw new TypeError(`${where}: env.observationSpace is ${String(env.observationSpace)} but the model was made for ${String(m.observationSpace)}`);
  }
  if (spaceKey(env.actionSpace) !== spaceKey(m.actionSpace)) {
    throw new TypeError(`${where}: env.actionSpace is ${String(env.actionSpace)} but the model was made for ${String(m.actionSpace)}`);
  }
  const vn = vecNormalizeOf(env);
  if ((vn !== null) !== m.usesVecNormalize || (vn !== null && vn.normObs !== m.normalized)) {
    throw new TypeError(m.usesVecNormalize
      ? `${where}: the model was trained in a VecNormalize (${m.normalized ? 'observations normalized' : 'rewards scaled'}); wrap the env in the same VecNormalize (makeVecEnv(id, { normalize: ... }))`
      : `${where}: the env is wrapped in VecNormalize but the model was trained without normalization`);
  }
}

/**
 * The running episodes of `env`, whose next step acts on `lastObs`; null unless the env is a
 * SyncVectorEnv, WorkerVectorEnv or other RunningEpisodesSource (possibly in a VecNormalize) whose
 * envs have JSON-able getState().
 */
export async function captureEnvState(env: VecEnv | null, lastObs: Float64Array): Promise<SavedEnvState | null> {
  const inner = innerSavableEnv(env);
  if (!inner) return null;
  const running = await inner.getRunningEpisodes();
  if (!running) return null;
  const n = inner.numEnvs;
  if (![running.envs, running.returns, running.lengths].every((a) => Array.isArray(a) && a.length === n)) {
    throw new TypeError(`env.getRunningEpisodes(): expected { envs, returns, lengths } arrays of numEnvs = ${n} entries, got ${v.describe(running)}`);
  }
  return { type: 'SyncVectorEnv', numEnvs: n, envs: running.envs, returns: running.returns, lengths: running.lengths, lastObs: Float64Array.from(lastObs) };
}

/**
 * Put `env` back into the saved running episodes; returns the observations to act on next, or
 * null when `env` is not a RunningEpisodesSource (SyncVectorEnv, WorkerVectorEnv) of the saved size. Throws (rejects)
 * with a TypeError if an env has no setState().
 * @param obsDim values per env in the env's observation batches (packed)
 */
export async function restoreEnvState(env: VecEnv, s: SavedEnvState, obsDim: number): Promise<Float64Array | null> {
  const inner = innerSavableEnv(env);
  if (!inner || inner.numEnvs !== s.numEnvs || s.lastObs.length !== inner.numEnvs * obsDim) return null;
  const zero = { returns: new Array<number>(s.numEnvs).fill(0), lengths: new Array<number>(s.numEnvs).fill(0) };
  const running = { envs: s.envs, returns: s.returns ?? zero.returns, lengths: s.lengths ?? zero.lengths };
  try {
    await inner.setRunningEpisodes(running);
  } catch (e) {
    if (e instanceof TypeError) throw new TypeError(`TRPO.learn: cannot restore the saved env state: ${e.message}`, { cause: e });
    throw e;
  }
  return Float64Array.from(s.lastObs);
}
