/**
 * Checks shared by `BaseEnv` and the `EnvGuard` wrapper. Every message names the env, the step
 * index (0-based, counted from the last reset) and the offending value, e.g.
 * `CartPole-v1 step 12: action 3 is outside Discrete(2)`.
 */
import { isBox, isDiscrete, type Space } from './spaces.js';

/** Where an env is in its episode. */
export type EpisodeStatus = 'needs-reset' | 'running' | 'terminated' | 'truncated';

/** Short printable form of a value for error messages. */
export function formatValue(v: unknown): string {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof Float64Array || v instanceof Float32Array || Array.isArray(v)) {
    const items = Array.from(v as ArrayLike<unknown>).slice(0, 8).map(formatValue);
    const more = v.length > 8 ? `, … (${v.length} values)` : '';
    const kind = Array.isArray(v) ? '' : `${v.constructor.name} `;
    return `${kind}[${items.join(', ')}${more}]`;
  }
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'object') return `a ${(v as object).constructor?.name ?? 'object'}`;
  return String(v);
}

/** Throw unless the env may be stepped now. */
export function assertCanStep(name: string, step: number, status: EpisodeStatus): void {
  if (status === 'needs-reset') {
    throw new Error(`${name} step ${step}: step() called before reset(); call reset() first`);
  }
  if (status === 'terminated' || status === 'truncated') {
    throw new Error(
      `${name} step ${step}: step() called after the episode was ${status} at step ${step - 1}; call reset() to start a new episode`,
    );
  }
}

/**
 * Throw a TypeError (wrong kind) or RangeError (wrong length, non-finite or out of range) unless `action`
 * is a valid action for `space`. Box actions are only checked for shape and finiteness: values
 * outside [low, high] are clipped by the envs, as in Gymnasium.
 */
export function assertValidAction(name: string, step: number, space: Space, action: unknown): void {
  const at = `${name} step ${step}`;
  if (isDiscrete(space)) {
    if (typeof action !== 'number') {
      throw new TypeError(`${at}: action must be an integer for ${String(space)}, got ${formatValue(action)}`);
    }
    if (!space.contains(action)) throw new RangeError(`${at}: action ${formatValue(action)} is outside ${String(space)}`);
    return;
  }
  if (isBox(space)) {
    if (!(action instanceof Float64Array || action instanceof Float32Array || Array.isArray(action))) {
      throw new TypeError(`${at}: action must be a Float64Array of length ${space.size} for ${String(space)}, got ${formatValue(action)}`);
    }
    if (action.length !== space.size) {
      throw new RangeError(`${at}: action ${formatValue(action)} has length ${action.length}, expected ${space.size} for ${String(space)}`);
    }
    for (let i = 0; i < action.length; i++) {
      const v = action[i];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new RangeError(`${at}: action[${i}] is ${formatValue(v)}; actions must be finite (action ${formatValue(action)})`);
      }
    }
    return;
  }
  throw new TypeError(`${at}: unsupported action space ${String(space)}`);
}

/** Throw unless `obs` is a finite Float64Array/Float32Array of length `size`. */
export function assertValidObservation(name: string, step: number, what: string, obs: unknown, size: number): void {
  const at = `${name} step ${step}`;
  if (!(obs instanceof Float64Array || obs instanceof Float32Array)) {
    throw new TypeError(`${at}: ${what} must be a Float64Array or Float32Array, got ${formatValue(obs)}`);
  }
  if (obs.length !== size) {
    throw new TypeError(`${at}: ${what} has length ${obs.length}, expected ${size} (the observation space's size)`);
  }
  for (let i = 0; i < size; i++) {
    if (!Number.isFinite(obs[i])) {
      throw new RangeError(`${at}: the env returned a non-finite ${what}: ${what}[${i}] is ${formatValue(obs[i])} in ${formatValue(obs)}`);
    }
  }
}

/** Throw unless the rest of a step result (reward, flags, info) is well formed. */
export function assertValidStepFields(name: string, step: number, r: { reward: unknown; terminated: unknown; truncated: unknown; info: unknown }): void {
  const at = `${name} step ${step}`;
  if (typeof r.reward !== 'number') throw new TypeError(`${at}: reward must be a number, got ${formatValue(r.reward)}`);
  if (!Number.isFinite(r.reward)) throw new RangeError(`${at}: the env returned a non-finite reward ${formatValue(r.reward)}`);
  if (typeof r.terminated !== 'boolean') throw new TypeError(`${at}: terminated must be a boolean, got ${formatValue(r.terminated)}`);
  if (typeof r.truncated !== 'boolean') throw new TypeError(`${at}: truncated must be a boolean, got ${formatValue(r.truncated)}`);
  if (typeof r.info !== 'object' || r.info === null || Array.isArray(r.info)) {
    throw new TypeError(`${at}: info must be a plain object, got ${formatValue(r.info)}`);
  }
}

/** Re-throw `e` with `prefix` added to its message, keeping TypeError/RangeError classes. */
export function rethrowWithPrefix(e: unknown, prefix: string): never {
  if (e instanceof TypeError) throw new TypeError(prefix + e.message, { cause: e });
  if (e instanceof RangeError) throw new RangeError(prefix + e.message, { cause: e });
  if (e instanceof Error) throw new Error(prefix + e.message, { cause: e });
  throw e;
}
